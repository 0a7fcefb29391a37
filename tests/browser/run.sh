#!/bin/sh
# Browser checks: load the shipped data, write the KHM-CHN report, open it in headless Debian
# chromium, and check what the browser rendered: the DOM after parsing (charts, timeline,
# claims, sources present) and a full-page screenshot (not blank), kept as
# build/report-KHM-CHN.png. Then the end-to-end tests of e2e.mjs (playwright-core from npm,
# installed by `npm ci` from package-lock.json): downloads from the report, and the web
# server's pages (period change redraws the chart; screenshot build/profile-KHM-CHN.png).
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${BILAT:?set BILAT to the bilat binary}"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || { echo "browser: $CHROMIUM not found (scripts/deps.sh test installs it)"; exit 1; }
work=$(mktemp -d /tmp/bilat-browser-XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "browser: FAIL: $*"; exit 1; }

"$BILAT" -q --db "$work/t.db" load "$ROOT/data/reference" "$ROOT/data/series" "$ROOT/data/khm-chn" 2>/dev/null
# the UN votes, so that the alignment charts (several series on the same axes) are drawn
uv="$ROOT/data/raw/un_votes"
"$BILAT" -q --db "$work/t.db" ingest unvotes "$uv/unvotes_roll_calls_1946_2019.csv" \
    "$uv/unvotes_roll_call_issues.csv" "$uv/unvotes_votes_all_1946_2019.csv.gz" 2>/dev/null ||
    fail "cannot ingest the UN votes"
"$BILAT" -q --db "$work/t.db" ingest idealpoints "$uv/idealpoints_july2025_1946_2024.csv" 2>/dev/null ||
    fail "cannot ingest the ideal points"
# Cambodia-China GDELT rows (generated from the real export by bench/gen_gdelt.c), so that the
# event-data tables and their drill-down to the clusters behind each row are there
cc -O2 -o "$work/gen" "$ROOT/bench/gen_gdelt.c" || fail "bench/gen_gdelt.c did not build"
"$work/gen" "$ROOT/data/raw/gdelt/20180101000000.export.CSV" 3000 7 source >"$work/k.CSV"
"$BILAT" -q --db "$work/t.db" ingest gdelt "$work/k.CSV" || fail "cannot ingest the GDELT file"
"$BILAT" -q --db "$work/t.db" report KHM CHN -o "$work/r.html"

flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
 --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars
 --user-data-dir=$work/profile"
# shellcheck disable=SC2086
timeout 120 "$CHROMIUM" $flags --dump-dom "file://$work/r.html" >"$work/dom.html" 2>"$work/log1" ||
    fail "chromium could not render the report (see log: $(tail -1 "$work/log1"))"
# shellcheck disable=SC2086
timeout 120 "$CHROMIUM" $flags --window-size=1200,4000 --screenshot="$work/shot.png" \
    "file://$work/r.html" >/dev/null 2>"$work/log2" || fail "chromium could not take a screenshot"

n() { grep -o "$1" "$work/dom.html" | wc -l; }
[ "$(n '<svg')" -ge 5 ] || fail "expected at least 5 charts, found $(n '<svg')"
[ "$(n '<rect[^>]*data-year')" -ge 15 ] || fail "events chart has $(n '<rect[^>]*data-year') bars"
[ "$(n '<polyline')" -ge 10 ] || fail "indicator charts have $(n '<polyline') lines"
grep -q 'Timeline of curated events' "$work/dom.html" || fail "no timeline section"
grep -q 'id="claims"' "$work/dom.html" || fail "no claims section"
[ "$(n 'class="vd v-')" -ge 20 ] || fail "claims have $(n 'class="vd v-') verdict badges"
[ "$(n 'href="data:text/csv')" -ge 10 ] || fail "only $(n 'href="data:text/csv') CSV downloads"
grep -q 'id="src-iseas-2023-22"' "$work/dom.html" || fail "the brief is not in the sources list"
[ "$(n 'href="#src-iseas-2023-22"')" -ge 30 ] || fail "timeline rows do not link to their source"
[ "$(n '<td class="cmd"><code>bilat --db [^<]* clusters KHM CHN --month 2018-01 --quad [1-4]</code>')" -ge 1 ] ||
    fail "the event-data rows do not give the command listing their clusters"
# no scripts: downloads are data: URIs, values show in SVG <title>s
grep -q '<script' "$work/dom.html" && fail "the report must not contain scripts"
# the report printed to PDF through chromium
"$BILAT" -q --db "$work/t.db" report KHM CHN -o "$work/p.html" --pdf "$work/r.pdf" ||
    fail "bilat report --pdf failed"
[ "$(head -c 5 "$work/r.pdf")" = "%PDF-" ] || fail "--pdf did not write a PDF"
size=$(wc -c <"$work/shot.png")
[ "$size" -ge 100000 ] || fail "screenshot is only $size bytes (blank page?)"
mkdir -p "$ROOT/build"
cp "$work/shot.png" "$ROOT/build/report-KHM-CHN.png"
echo "browser: report rendered in chromium: $(n '<svg') charts, $(n '<rect[^>]*data-year') bars," \
     "$(n '<polyline') lines, screenshot $size bytes (build/report-KHM-CHN.png)"

# end-to-end tests with playwright-core (npm ci keeps node_modules equal to the lock file)
cd "$ROOT/tests/browser"
if [ ! -d node_modules/playwright-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error >/dev/null || fail "npm ci failed"
fi
BILAT="$BILAT" DB="$work/t.db" REPORT="$work/r.html" OUT="$ROOT/build" CHROMIUM="$CHROMIUM" \
    node e2e.mjs || fail "end-to-end tests failed"
