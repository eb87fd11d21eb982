// Differential test: seeded random schemas, rows, queries and DML (test/harness/sql-generator.ts)
// run on AmberDB and on SQLite 3.53 (better-sqlite3); every statement's outcome must agree (rows
// with their INTEGER/REAL classes, changes, error codes) and so must every table's final contents.
//
//   DIFF_SEED=n           the generator's seed (default 20240601); a failure report names it
//   DIFF_COUNT=n          number of cases (default 1000, well under a minute)
//   DIFF_UPDATE_FLOOR=1   write the measured agreement rates into floor.json (when higher)
//   DIFF_VERBOSE=1        print more disagreements
// The floor (floor.json: `agreement` overall and optional per-category `categories`) is checked
// only with the default seed and count, and only ever rises: after the engine improves, run
// `DIFF_UPDATE_FLOOR=1 npx jest test/differential/generated` and commit floor.json.
//
// Until src/index.ts exports `Database` the test is skipped.

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadAmber, openBetterSqlite3 } from '../harness/engines';
import { DiffReport, runGeneratedCases } from '../harness/differential';
import { envInt } from '../harness/slt-corpus';

const FLOOR_FILE = path.join(__dirname, 'floor.json');
const DEFAULT_SEED = 20240601;
const DEFAULT_COUNT = 1000;

interface Floor {
  agreement: number;
  categories: Record<string, number>;
  note?: string;
}

const amber = loadAmber();
const run = amber.status === 'missing' ? test.skip : test;

run('AmberDB agrees with SQLite on generated SQL at or above the floor', () => {
  if (amber.status === 'error') throw amber.error;
  if (amber.status !== 'ready') return;
  const seed = envInt('DIFF_SEED', DEFAULT_SEED);
  const count = envInt('DIFF_COUNT', DEFAULT_COUNT);
  const verbose = process.env.DIFF_VERBOSE === '1';
  const report = new DiffReport(verbose ? 100 : 15);
  runGeneratedCases(amber.factory, openBetterSqlite3, seed, count, report);
  const overall = DiffReport.rate(report.totals());
  const floor = JSON.parse(readFileSync(FLOOR_FILE, 'utf8')) as Floor;
  console.log(
    `differential AmberDB vs SQLite: DIFF_SEED=${seed} DIFF_COUNT=${count}\n${report.format()}\n\n` +
      `agreement ${overall.toFixed(2)}% (floor ${floor.agreement}%)\n\n${report.formatDisagreements()}`,
  );
  if (seed !== DEFAULT_SEED || count !== DEFAULT_COUNT) return;

  if (process.env.DIFF_UPDATE_FLOOR === '1') {
    const down = (x: number): number => Math.floor(x * 100) / 100;
    const next: Floor = { ...floor, agreement: Math.max(floor.agreement, down(overall)), categories: { ...floor.categories } };
    for (const [name, s] of report.categories) next.categories[name] = Math.max(floor.categories[name] ?? 0, down(DiffReport.rate(s)));
    writeFileSync(FLOOR_FILE, `${JSON.stringify(next, null, 2)}\n`);
  }
  expect(overall).toBeGreaterThanOrEqual(floor.agreement);
  for (const [name, min] of Object.entries(floor.categories)) {
    const s = report.categories.get(name);
    expect([name, s ? DiffReport.rate(s) >= min : false]).toEqual([name, true]);
  }
}, 10 * 60_000);
