// Proves the sqllogictest runner itself: SQLite 3.53 (better-sqlite3) must pass every record it
// runs. By default the first SLT_ORACLE_MAX_RECORDS (2,000) records of every file, a few seconds;
// `SLT_ORACLE_MAX_RECORDS=0 npx jest test/slt/slt-oracle` runs the whole corpus (302k records).
// SLT_FILES narrows the files as for slt.test.ts.

import { openBetterSqlite3, sltEngine } from '../harness/engines';
import { envInt, selectCorpus } from '../harness/slt-corpus';
import { formatFailures, formatTable, totals } from '../harness/slt-report';
import { runSltFile } from '../harness/slt-runner';

const maxRecords = envInt('SLT_ORACLE_MAX_RECORDS', 2000);

test('SQLite passes every sqllogictest record the runner runs', () => {
  const files = selectCorpus();
  expect(files.length).toBeGreaterThan(0);
  const results = files.map((f) => runSltFile(f.path, () => sltEngine(openBetterSqlite3), { maxRecords }, f.label));
  const t = totals(results);
  if (t.failed > 0) console.log(`${formatTable(results)}\n\n${formatFailures(results)}`);
  expect(t.failed).toBe(0);
  expect(t.passed).toBeGreaterThan(0);
}, 10 * 60_000);
