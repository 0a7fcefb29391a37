// scan.mjs: the DuckDB side of the bilat scan benchmark (bench/RESULTS.md).
//
//   node scan.mjs FILE QUERY OUT.csv [REPEAT]
//
// QUERY is "quad" (--by year,actor1_country,actor2_country,quad) or "dyad" (--by
// year,root_code --where dyad=KHM:CHN). The file is read with read_csv, every column VARCHAR,
// tab-separated, no header; numbers are cast in the query, as bilat converts them. The result
// is written as CSV in bilat's layout (NULL as an empty field, sorted by the keys) so that
// compare.py can check it against bilat's. Prints the wall time of each run of the query (the
// Node start-up and the connection are not timed).
import { DuckDBInstance } from '@duckdb/node-api';
import { writeFileSync } from 'node:fs';

const [file, query, out, repeatArg] = process.argv.slice(2);
const repeat = Number(repeatArg || 3);
const cols = Array.from({ length: 61 }, (_, i) => `'c${i + 1}': 'VARCHAR'`).join(', ');
const src = `read_csv('${file}', delim='\\t', header=false, quote='', escape='',
  auto_detect=false, columns={${cols}})`;
const measures = `count(*) AS events, sum(CAST(c26 AS BIGINT)) AS root_events,
  sum(CAST(c31 AS DOUBLE)) AS goldstein_sum, sum(CAST(c32 AS BIGINT)) AS mentions,
  sum(CAST(c33 AS BIGINT)) AS sources, sum(CAST(c34 AS BIGINT)) AS articles,
  sum(CAST(c35 AS DOUBLE)) AS tone_sum`;
const year = `CAST(substr(c2, 1, 4) AS INTEGER)`;
const sql = {
  quad: `SELECT ${year} AS year, c8 AS actor1_country, c18 AS actor2_country,
           CAST(c30 AS INTEGER) AS quad, ${measures} FROM ${src}
         GROUP BY ALL ORDER BY 1 NULLS FIRST, 2 NULLS FIRST, 3 NULLS FIRST, 4 NULLS FIRST`,
  dyad: `SELECT ${year} AS year, c29 AS root_code, ${measures} FROM ${src}
         WHERE (c8 = 'KHM' AND c18 = 'CHN') OR (c8 = 'CHN' AND c18 = 'KHM')
         GROUP BY ALL ORDER BY 1 NULLS FIRST, 2 NULLS FIRST`,
}[query];
if (!sql) {
  console.error('usage: node scan.mjs FILE quad|dyad OUT.csv [REPEAT]');
  process.exit(2);
}
const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
const threads = (await (await con.run("SELECT current_setting('threads')")).getRows())[0][0];
let rows, names;
for (let i = 0; i < repeat; i++) {
  const t0 = process.hrtime.bigint();
  const reader = await con.runAndReadAll(sql);
  const t1 = process.hrtime.bigint();
  rows = reader.getRows();
  names = reader.columnNames();
  console.log(`duckdb ${query} run ${i + 1}: ${(Number(t1 - t0) / 1e9).toFixed(3)} s ` +
    `(${rows.length} groups, ${threads} threads)`);
}
const fmt = (v) => (v === null || v === undefined ? '' : typeof v === 'bigint' ? v.toString() :
  typeof v === 'number' ? (Number.isInteger(v) && Math.abs(v) < 1e15 ? String(v) : v.toPrecision(17)) :
  String(v));
const text = [names.join(',')].concat(rows.map((r) => r.map(fmt).join(','))).join('\n') + '\n';
writeFileSync(out, text);
