// duck.mjs -- the work of tools/bench done with DuckDB (@duckdb/node-api),
// on the same CSV files from tools/gen-data, for a comparison with gevinst.
//
//   node duck.mjs import DIR        read the five CSV files into tables of
//                                   the same column types in DIR/d.duckdb (new)
//   node duck.mjs cset DIR OUT      the C set from those tables: per case and
//                                   year, sum of participants, mean of
//                                   wellbeing, 100 x in_work / participants,
//                                   share of subjects reaching in_work >= 1;
//                                   values to OUT (CSV)
//   node duck.mjs luaset DIR OUT    the first three of those (the Lua set)
//   node duck.mjs e2e DIR OUT       import into a new DIR/e.duckdb, the C set,
//                                   the values to OUT as a JSON array
//
// The year of an observation is the first four characters of its period:
// every period form gevinst accepts lies in that year.
import { DuckDBInstance } from '@duckdb/node-api';
import { rmSync } from 'node:fs';

const T = 'VARCHAR', R = 'DOUBLE';
const tables = {
  municipalities: { code: T, name: T, country: T },
  cases: { id: T, municipality: T, title: T, start: T, end: T, description: T },
  partners: { case: T, name: T, type: T, role: T },
  observations: { case: T, metric: T, period: T, value: R, unit: T, subject: T },
  inputs: { case: T, partner: T, period: T, kind: T, amount: R, currency: T },
};
const q = (s) => `'${s.replaceAll("'", "''")}'`;

function importSql(dir) {
  return Object.entries(tables).map(([t, cols]) => {
    const spec = Object.entries(cols).map(([c, ty]) => `${q(c)}: ${q(ty)}`).join(', ');
    return `CREATE TABLE ${t} AS SELECT * FROM read_csv(${q(`${dir}/${t}.csv`)},
      header = true, delim = ',', quote = '"', columns = {${spec}});`;
  }).join('\n');
}

function setSql(share) {
  const y = `substr(period, 1, 4)`;
  const parts = [
    `SELECT 'participants' AS indicator, "case", ${y} AS period, sum(value) AS value
       FROM observations WHERE metric = 'participants' GROUP BY ALL`,
    `SELECT 'wellbeing', "case", ${y}, avg(value)
       FROM observations WHERE metric = 'wellbeing' GROUP BY ALL`,
    `SELECT 'work_share', "case", period, n / d * 100.0 FROM (
       SELECT "case", ${y} AS period,
              sum(value) FILTER (WHERE metric = 'in_work') AS n,
              sum(value) FILTER (WHERE metric = 'participants') AS d
         FROM observations WHERE metric IN ('in_work', 'participants') GROUP BY ALL)
       WHERE n IS NOT NULL AND d IS NOT NULL AND d <> 0`,
  ];
  if (share)
    parts.push(`SELECT 'reached', "case", period, count(*) FILTER (WHERE reached) / count(*) * 100.0
       FROM (SELECT "case", ${y} AS period, subject, max(value) >= 1 AS reached
               FROM observations WHERE metric = 'in_work' AND subject IS NOT NULL GROUP BY ALL)
       GROUP BY ALL`);
  return parts.join('\nUNION ALL\n');
}

const [mode, dir, out] = process.argv.slice(2);
if (!['import', 'cset', 'luaset', 'e2e'].includes(mode) || !dir || (mode !== 'import' && !out)) {
  process.stderr.write('usage: node duck.mjs import|cset|luaset|e2e DIR [OUT]\n');
  process.exit(2);
}
const file = `${dir}/${mode === 'e2e' ? 'e' : 'd'}.duckdb`;
if (mode === 'import' || mode === 'e2e') rmSync(file, { force: true }), rmSync(`${file}.wal`, { force: true });
const db = await DuckDBInstance.create(file);
const con = await db.connect();
if (mode === 'import' || mode === 'e2e') await con.run(importSql(dir));
if (mode === 'cset' || mode === 'luaset')
  await con.run(`COPY (${setSql(mode === 'cset')}) TO ${q(out)} (HEADER, DELIMITER ',')`);
if (mode === 'e2e')
  await con.run(`COPY (${setSql(true)}) TO ${q(out)} (FORMAT JSON, ARRAY true)`);
con.closeSync?.();
