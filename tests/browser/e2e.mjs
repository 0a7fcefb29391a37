// End-to-end tests in headless Debian chromium, driven by playwright-core.
//
//   BILAT=build/bilat DB=store.db REPORT=report.html OUT=build node tests/browser/e2e.mjs
//
// 1. The self-contained report: opens with no console error and no network request, draws its
//    charts, and its CSV and JSON download links give the section's data.
// 2. The web server: a real `bilat serve` on a free port; the profile page loads without console
//    errors, a chart value shows on hover, changing the period redraws the charts for the new
//    years (screenshot kept in OUT), and the claims and events pages work.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';

const { BILAT, DB, REPORT, OUT = 'build' } = process.env;
if (!BILAT || !DB || !REPORT) {
  console.error('e2e: set BILAT, DB and REPORT');
  process.exit(2);
}
let passed = 0, failed = 0;
function check(cond, what) {
  if (cond) passed++;
  else { failed++; console.log(`browser: FAIL: ${what}`); }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});

// Every page records console errors, uncaught exceptions and requests that leave the page's
// origin.
async function newPage(origin) {
  const ctx = await browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });
  const page = await ctx.newPage();
  page.problems = [];
  page.on('console', m => { if (m.type() === 'error') page.problems.push(`console: ${m.text()}`); });
  page.on('pageerror', e => page.problems.push(`exception: ${e.message}`));
  page.on('request', r => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:')) page.problems.push(`request: ${u}`);
  });
  return page;
}

// ---------------------------------------------------------------------------------------------
// 1. the report
{
  const page = await newPage('file://');
  await page.goto('file://' + REPORT);
  check(page.problems.length === 0, `report opens cleanly: ${page.problems.join('; ')}`);
  check(await page.locator('script').count() === 0, 'the report has no script');
  check(await page.locator('#claims table.claims tbody tr').count() >= 7, 'the claims table has the claims');
  check(await page.locator('#claims .vd').count() > 0, 'verdicts are shown');
  check(await page.locator('#network_nodes svg circle').count() >= 2, 'the network is drawn');
  check(await page.locator('#events_by_year svg rect[data-year]').count() >= 10, 'events chart drawn');
  // several series on the same axes, with a legend
  const series = await page.locator('#alignment_peers svg circle[data-series]').evaluateAll(
    els => [...new Set(els.map(e => e.dataset.series))]);
  check(series.length >= 3, `alignment chart has ${series.length} series on the same axes`);
  check(await page.locator('#alignment_peers svg text.lg').count() === series.length, 'one legend entry per series');
  // drill-down: a bar leads to its year in the timeline
  const href = await page.locator('#events_by_year svg a').first().getAttribute('href');
  check(/^#tl-\d{4}$/.test(href || '') && await page.locator(href).count() === 1, `bar links to the timeline (${href})`);
  // a measured value leads to the claim's evidence
  const ev = await page.locator('#claims td.n a').first().getAttribute('href');
  check(ev && await page.locator(ev).count() === 1, `measured value links to evidence (${ev})`);
  // downloads
  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('#events_by_year .dl a', { hasText: 'CSV' }).click(),
  ]);
  const csvText = readFileSync(await csv.path(), 'utf8');
  check(csv.suggestedFilename() === 'KHM-CHN-events_by_year.csv', `CSV file name ${csv.suggestedFilename()}`);
  check(csvText.split('\r\n')[0] === 'year,channel,mode,origin,events,quantity', 'CSV header');
  check(csvText.split('\r\n').length > 10, 'CSV rows');
  const [json] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('#claims .dl a', { hasText: 'JSON' }).click(),
  ]);
  const doc = JSON.parse(readFileSync(await json.path(), 'utf8'));
  check(doc.id === 'claims' && doc.rows.length >= 7 && doc.evidence, 'JSON download of the claims');
  check(page.problems.length === 0, `no problem after downloads: ${page.problems.join('; ')}`);
  await page.context().close();
}

// ---------------------------------------------------------------------------------------------
// 2. the server
const server = spawn(BILAT, ['-q', '--db', DB, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
let url = '';
server.stdout.on('data', d => { url += d.toString(); });
for (let i = 0; i < 100 && !url.includes('\n'); i++) await new Promise(r => setTimeout(r, 50));
url = url.trim().replace(/\/$/, '');
check(url.startsWith('http://127.0.0.1:'), `server started (${url})`);
try {
  const page = await newPage(url);
  await page.goto(`${url}/profile?a=KHM&b=CHN`);
  const bars = () => page.locator('#events_by_year svg rect[data-year]');
  const years = async () => (await bars().evaluateAll(els => els.map(e => +e.dataset.year)));
  const before = await years();
  check(before.length >= 10 && Math.min(...before) < 2015, `profile chart before (${before.length} bars)`);
  // hover: the value shows in the tooltip
  await bars().first().hover();
  const tip = page.locator('.tip');
  check(await tip.isVisible() && /: \d/.test(await tip.textContent()), `hover shows the value (${await tip.textContent()})`);
  // change the period: the form submits itself and the chart is drawn for the new years
  await Promise.all([page.waitForURL(/from=2015/), page.selectOption('#from', '2015')]);
  const after = await years();
  check(after.length > 0 && after.length < before.length && Math.min(...after) >= 2015,
        `chart after the period change (${after.length} bars from ${Math.min(...after)})`);
  check((await page.locator('.period').first().textContent()).includes('2015'), 'the page states the period');
  await page.screenshot({ path: `${OUT}/profile-KHM-CHN.png`, fullPage: true });
  check(page.problems.length === 0, `profile page clean: ${page.problems.join('; ')}`);

  await page.goto(`${url}/claims`);
  check(await page.locator('table.claims tbody tr').count() >= 7, 'claims page lists the claims');
  await page.goto(`${url}/events?a=KHM&b=CHN&per_page=10`);
  const total = +(await page.locator('#total').textContent());
  check(total > 10, `events page total (${total})`);
  await Promise.all([page.waitForURL(/page=2/), page.locator('a[rel=next]').first().click()]);
  check(await page.locator('table.events tbody tr').count() > 0, 'events page 2');
  await page.goto(`${url}/events?a=KHM&b=CHN&channel=party`);
  const tags = await page.locator('table.events tbody tr td:nth-child(4) .tag:first-child').allTextContents();
  check(tags.length > 0 && tags.every(t => t === 'party'), 'events filtered by channel');
  // a row of the event data leads to the clusters behind it: as many as the row's dedup count
  await page.goto(`${url}/profile?a=KHM&b=CHN`);
  await page.locator('#event_data_monthly details').evaluateAll(ds => ds.forEach(d => { d.open = true; }));
  const drill = page.locator('#event_data_monthly a.drill').first();
  check(await drill.count() === 1, 'event-data rows link to their clusters');
  const cells = await drill.locator('xpath=ancestor::tr[1]/td').allTextContents();
  const dedup = +cells[3].replace(/[^0-9]/g, '');
  await Promise.all([page.waitForURL(/\/clusters\?/), drill.click()]);
  const shown = await page.locator('td.date').count();
  check(dedup > 0 && shown === dedup, `clusters page shows the row's ${dedup} clusters (${shown})`);
  check(await page.locator('td.url a[href^="http"]').count() > 0, 'clusters link their sources');
  check(page.problems.length === 0, `clusters page clean: ${page.problems.join('; ')}`);
  await page.goto(`${url}/`);
  await Promise.all([page.waitForURL(/\/profile\?/), page.locator('form.bar button').click()]);
  check(await bars().count() > 0, 'the dyad chooser opens a profile');
  check(page.problems.length === 0, `pages clean: ${page.problems.join('; ')}`);
  // the profile opens with its overview: small charts of alignment (with its interval band),
  // autonomy, contacts by channel and narratives, drawn before the tables
  await page.goto(`${url}/profile?a=KHM&b=CHN`);
  const ov = page.locator('#overview figure.ov svg');
  check(await ov.count() >= 4, `the overview draws its charts (${await ov.count()})`);
  check(await page.locator('#overview polygon.band').count() >= 1, 'the alignment chart shows its interval');
  const first = await page.evaluate(() => {
    const o = document.querySelector('#overview'), t = document.querySelector('section table');
    return !!o && !!t && (o.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
  });
  check(first, 'the overview comes before the tables');
  await page.screenshot({ path: `${OUT}/profile-overview.png`, clip: { x: 0, y: 0, width: 1200, height: 900 } });
  check(page.problems.length === 0, `overview clean: ${page.problems.join('; ')}`);
  // partners compared: one section per dimension, sides as dots on a shared axis, with whiskers
  await page.goto(`${url}/compare?a=KHM,LAO,VNM,THA&b=CHN&from=2000&to=2019`);
  const dims = page.locator('section[id^="compare_"]');
  check(await dims.count() >= 6, `compare page has its dimensions (${await dims.count()})`);
  const dots = page.locator('#compare_agreement svg.dots circle[data-value]');
  check(await dots.count() === 4, `agreement dots for the four sides (${await dots.count()})`);
  check(await page.locator('#compare_agreement svg.dots line').count() >= 4, 'agreement intervals drawn');
  check(await page.locator('#compare_agreement table tbody tr').count() === 4, 'agreement ranked table');
  await page.screenshot({ path: `${OUT}/compare-CHN.png`, fullPage: false });
  check(page.problems.length === 0, `compare page clean: ${page.problems.join('; ')}`);
  await page.context().close();
} finally {
  server.kill('SIGTERM');
  await once(server, 'exit');
  await browser.close();
}
console.log(`browser: e2e ${passed} checks passed, ${failed} failed (screenshot ${OUT}/profile-KHM-CHN.png)`);
process.exit(failed ? 1 : 0);
