// Command line for the sqllogictest runner, outside jest:
//   npx ts-node --transpile-only scripts/slt-run.ts [sqlite|amber]
// with SLT_FILES / SLT_MAX_RECORDS / SLT_FILE_MS as in test/harness/slt-corpus.ts (default: all
// records of all files). Prints the per-file table and the first failures; exits 1 on any failure.

import { amberFactory, openBetterSqlite3, sltEngine, type DatabaseFactory } from '../test/harness/engines';
import { envInt, selectCorpus } from '../test/harness/slt-corpus';
import { formatFailures, formatTable, totals } from '../test/harness/slt-report';
import { runSltFile } from '../test/harness/slt-runner';

const which = process.argv[2] ?? 'sqlite';
let open: DatabaseFactory | undefined = which === 'amber' ? amberFactory() : openBetterSqlite3;
if (!open) {
  console.error('src/index.ts does not export Database yet');
  process.exit(2);
}
const factory = open;
const opts = { maxRecords: envInt('SLT_MAX_RECORDS', 0), timeBudgetMs: envInt('SLT_FILE_MS', 0) };
const results = selectCorpus().map((f) => {
  const r = runSltFile(f.path, () => sltEngine(factory), opts, f.label);
  process.stderr.write(`${f.label}: ${r.passed} passed, ${r.failed} failed (${r.ms} ms)\n`);
  return r;
});
console.log(formatTable(results));
const fails = formatFailures(results);
if (fails) console.log(`\n${fails}`);
process.exit(totals(results).failed > 0 ? 1 : 0);
