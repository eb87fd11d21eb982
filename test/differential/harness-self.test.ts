// Proves the differential harness: SQLite against SQLite must agree on every generated statement
// (so the generator only writes SQL with one right answer), and the comparison must catch a class
// difference, an order difference and an error-code difference.

import { openBetterSqlite3 } from '../harness/engines';
import { compareOutcomes, DiffReport, hasTopLevelOrderBy, runGeneratedCases } from '../harness/differential';

test('better-sqlite3 vs better-sqlite3 agrees 100% on generated cases', () => {
  const report = new DiffReport();
  runGeneratedCases(openBetterSqlite3, openBetterSqlite3, 424242, 120, report);
  const t = report.totals();
  if (t.agree !== t.total) console.log(`${report.format()}\n\n${report.formatDisagreements()}`);
  expect(t.total).toBeGreaterThan(1000);
  expect(t.agree).toBe(t.total);
  // The cases must exercise errors and non-empty results, or the proof is hollow.
  expect(report.categories.get('schema')!.total).toBeGreaterThan(100);
});

test('the comparison tells classes, order and error codes apart', () => {
  const rows = (...r: unknown[][]) => ({ kind: 'rows' as const, rows: r });
  expect(compareOutcomes('SELECT 1', rows([1n]), rows([1n])).agree).toBe(true);
  expect(compareOutcomes('SELECT 1', rows([1n]), rows([1])).reason).toBe('class');
  expect(compareOutcomes('SELECT 1', rows([2n]), rows([1n])).reason).toBe('rows');
  expect(compareOutcomes('SELECT a FROM t', rows([1n], [2n]), rows([2n], [1n])).agree).toBe(true);
  expect(compareOutcomes('SELECT a FROM t ORDER BY a', rows([1n], [2n]), rows([2n], [1n])).reason).toBe('order');
  const err = (code: string, message: string) => ({ kind: 'error' as const, code, message });
  expect(compareOutcomes('x', err('SQLITE_ERROR', 'a'), err('SQLITE_ERROR', 'b'))).toEqual({ agree: true, messageDiff: true });
  expect(compareOutcomes('x', err('SQLITE_ERROR', 'a'), err('SQLITE_CONSTRAINT_UNIQUE', 'a')).reason).toBe('error-code');
  expect(compareOutcomes('x', { kind: 'crash', message: 'TypeError' }, err('SQLITE_ERROR', 'a')).reason).toBe('crash');
});

test('top-level ORDER BY detection ignores subqueries, strings and names', () => {
  expect(hasTopLevelOrderBy('SELECT a FROM t ORDER BY 1')).toBe(true);
  expect(hasTopLevelOrderBy('select a from t order\n by a desc limit 2')).toBe(true);
  expect(hasTopLevelOrderBy('SELECT (SELECT b FROM u ORDER BY b LIMIT 1) FROM t')).toBe(false);
  expect(hasTopLevelOrderBy("SELECT 'ORDER BY' FROM t")).toBe(false);
  expect(hasTopLevelOrderBy('SELECT reorder_by FROM t')).toBe(false);
});
