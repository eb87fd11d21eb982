import { parseSlt, recordApplies } from './slt-parser';
import { hashValues, runSltRecords } from './slt-runner';
import { openBetterSqlite3, sltEngine } from './engines';

const SCRIPT = [
  '# a comment',
  'statement ok',
  'CREATE TABLE t1(a INTEGER, b TEXT)',
  '',
  'statement ok',
  "INSERT INTO t1 VALUES(1,'one'),(2,'two'),(3,'')",
  '',
  'query IT rowsort label-7',
  'SELECT a, b FROM t1',
  '# comment inside a record',
  ' WHERE a > 1',
  '----',
  '2',
  'two',
  '3',
  '(empty)',
  '',
  'skipif mysql # trailing comment',
  'query I valuesort',
  'SELECT a FROM t1',
  '----',
  '3 values hashing to ' + hashValues(['1', '2', '3']),
  '',
  'onlyif mssql',
  'halt',
  '',
  'statement error',
  'DROP INDEX no_such_index',
  '',
  'query R nosort',
  'SELECT a FROM t1 WHERE a > 5',
  '',
].join('\r\n');

test('parses records with CRLF, comments, conditions and both result forms', () => {
  const recs = parseSlt(SCRIPT);
  expect(recs.map((r) => r.kind)).toEqual(['statement', 'statement', 'query', 'query', 'halt', 'statement', 'query']);
  const q = recs[2]!;
  expect(q.kind === 'query' && q.sql).toBe('SELECT a, b FROM t1\n WHERE a > 1');
  expect(q.kind === 'query' && [q.types, q.sort, q.label]).toEqual(['IT', 'rowsort', 'label-7']);
  const h = recs[3]!;
  expect(h.kind === 'query' && h.expected.kind).toBe('hash');
  expect(recordApplies(recs[4]!, 'sqlite')).toBe(false);
  expect(recordApplies(h, 'SQLite')).toBe(true);
  expect(recordApplies(h, 'mysql')).toBe(false);
});

test('runs the script on SQLite with every record passing', () => {
  const engine = sltEngine(openBetterSqlite3);
  const r = runSltRecords(parseSlt(SCRIPT), engine, 'inline');
  engine.close();
  expect(r.failures).toEqual([]);
  expect([r.passed, r.failed, r.skipped]).toEqual([6, 0, 0]);
});

test('reports a wrong result with expected and actual values', () => {
  const engine = sltEngine(openBetterSqlite3);
  const r = runSltRecords(parseSlt('query I nosort\nSELECT 1\n----\n2\n'), engine, 'inline');
  engine.close();
  expect(r.failed).toBe(1);
  expect(r.failures[0]).toMatchObject({ line: 1, expected: ['2'], got: ['1'] });
});

test('an error while stepping counts as the end of the rows', () => {
  const engine = sltEngine(openBetterSqlite3);
  const script = 'statement ok\nCREATE TABLE t(x)\n\nstatement ok\nINSERT INTO t VALUES(9223372036854775807),(1)\n\nquery I nosort\nSELECT sum(x) FROM t\n----\n';
  const r = runSltRecords(parseSlt(script), engine, 'inline');
  engine.close();
  expect(r.failures).toEqual([]);
});
