// EXPLAIN QUERY PLAN, pinned. Each query's plan from AmberDB is recorded in golden/explain.txt next to
// SQLite's plan for the same query (written only where the two differ). The test fails when
// AmberDB's plans change (or SQLite's, on an upgrade); `UPDATE_GOLDEN=1 npx jest test/exec/explain`
// rewrites the file on purpose. Differences are planner work items, not failures.
import * as fs from 'node:fs';
import * as path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Database } from '../../src';

const GOLDEN = path.join(__dirname, 'golden', 'explain.txt');

const SCHEMA = [
  'CREATE TABLE t1(a INTEGER PRIMARY KEY, b, c, d)',
  'CREATE INDEX t1b ON t1(b)',
  'CREATE INDEX t1cd ON t1(c, d)',
  'CREATE TABLE t2(x INTEGER PRIMARY KEY, y, z)',
  'CREATE INDEX t2y ON t2(y)',
  'CREATE TABLE t3(p, q, r)',
  'CREATE TABLE t4(k TEXT PRIMARY KEY, v)',
  'CREATE TABLE t5(m, n, o, UNIQUE(m, n))',
  'CREATE TABLE t6(s TEXT COLLATE NOCASE, g TEXT, u)',
  'CREATE INDEX t6s ON t6(s)',
  'CREATE INDEX t6g ON t6(g)',
];

const QUERIES = [
  // single-table scans
  'SELECT * FROM t1',
  'SELECT * FROM t3',
  'SELECT * FROM t3 WHERE p = 1',
  'SELECT count(*) FROM t1',
  'SELECT count(*) FROM t3',
  'SELECT * FROM t1 WHERE d = 5',
  // rowid lookups and ranges
  'SELECT * FROM t1 WHERE a = 5',
  'SELECT * FROM t1 WHERE rowid = 5',
  'SELECT * FROM t1 WHERE a > 5',
  'SELECT * FROM t1 WHERE a BETWEEN 5 AND 10',
  'SELECT * FROM t1 WHERE a < 10',
  'SELECT * FROM t1 WHERE a IN (1, 2, 3)',
  'SELECT * FROM t3 WHERE rowid = 2',
  'SELECT * FROM t3 WHERE rowid > 2 AND rowid < 9',
  // index equality, range, IN
  'SELECT * FROM t1 WHERE b = 3',
  'SELECT * FROM t1 WHERE b > 3',
  'SELECT * FROM t1 WHERE b > 3 AND b < 7',
  'SELECT * FROM t1 WHERE b IN (1, 2)',
  'SELECT * FROM t1 WHERE b = 3 AND d = 4',
  'SELECT * FROM t1 WHERE b IS NULL',
  "SELECT * FROM t4 WHERE k = 'x'",
  "SELECT * FROM t4 WHERE k > 'x'",
  // multi-column indexes
  'SELECT * FROM t1 WHERE c = 1',
  'SELECT * FROM t1 WHERE c = 1 AND d = 2',
  'SELECT * FROM t1 WHERE c = 1 AND d > 2',
  'SELECT * FROM t1 WHERE c = 1 AND d BETWEEN 2 AND 3',
  'SELECT * FROM t1 WHERE d = 2',
  'SELECT * FROM t1 WHERE c > 1',
  'SELECT * FROM t1 WHERE c IN (1, 2) AND d = 3',
  'SELECT * FROM t5 WHERE m = 1 AND n = 2',
  'SELECT * FROM t5 WHERE n = 2',
  // covering indexes
  'SELECT b FROM t1 WHERE b = 3',
  'SELECT a, b FROM t1 WHERE b > 3',
  'SELECT c, d FROM t1 WHERE c = 1',
  'SELECT d FROM t1 WHERE c = 1 AND d > 0',
  'SELECT count(*) FROM t1 WHERE b = 2',
  'SELECT m, n FROM t5 WHERE m = 1',
  // ORDER BY
  'SELECT * FROM t1 ORDER BY a',
  'SELECT * FROM t1 ORDER BY b',
  'SELECT * FROM t1 ORDER BY d',
  'SELECT * FROM t3 ORDER BY p',
  'SELECT * FROM t1 WHERE b = 1 ORDER BY a',
  'SELECT * FROM t1 WHERE c = 1 ORDER BY d',
  'SELECT * FROM t1 ORDER BY a DESC',
  'SELECT b, count(*) FROM t1 GROUP BY b',
  'SELECT d, count(*) FROM t1 GROUP BY d',
  'SELECT DISTINCT p FROM t3',
  'SELECT DISTINCT d FROM t1',
  'SELECT DISTINCT c FROM t1 WHERE d > 1',
  'SELECT DISTINCT a FROM t1',
  'SELECT c, count(*) FROM t1 GROUP BY c',
  'SELECT c, d, count(*) FROM t1 GROUP BY d, c',
  'SELECT c, count(*) FROM t1 GROUP BY c ORDER BY c DESC',
  'SELECT a, count(*) FROM t1 GROUP BY a',
  'SELECT d, count(*) FROM t1 WHERE c = 1 GROUP BY d',
  'SELECT p, count(*) FROM t3 GROUP BY p',
  // min/max by index
  'SELECT max(b) FROM t1',
  'SELECT min(b), a FROM t1',
  'SELECT max(d) FROM t1 WHERE c = 1',
  'SELECT max(a) FROM t1',
  'SELECT max(p) FROM t3',
  'SELECT min(b), max(b) FROM t1',
  // OR: IN on one column, or a union of index lookups
  'SELECT * FROM t1 WHERE b = 1 OR b = 2',
  'SELECT * FROM t1 WHERE b = 1 OR c = 2',
  'SELECT * FROM t1 WHERE (b = 1 OR c = 2) AND d = 5',
  'SELECT * FROM t1 WHERE b = 1 OR d = 2',
  'SELECT * FROM t2, t1 WHERE t1.b = t2.y OR t1.a = t2.z',
  // hash joins (SQLite: automatic indexes)
  'SELECT * FROM t3, t5 WHERE t5.o = t3.q',
  'SELECT * FROM t3 LEFT JOIN t5 ON t5.o = t3.q AND t5.n = t3.r',
  // LIKE / GLOB prefix ranges
  "SELECT * FROM t6 WHERE s LIKE 'ab%'",
  "SELECT * FROM t6 WHERE g LIKE 'ab%'",
  "SELECT * FROM t6 WHERE g GLOB 'ab*'",
  "SELECT * FROM t6 WHERE s GLOB 'ab*'",
  "SELECT * FROM t6 WHERE s LIKE '%ab'",
  "SELECT * FROM t6 WHERE s LIKE 'a!%%' ESCAPE '!'",
  // joins of two tables
  'SELECT * FROM t1, t2 WHERE t1.a = t2.x',
  'SELECT * FROM t1 JOIN t2 ON t2.y = t1.b',
  'SELECT * FROM t1 JOIN t3 ON t3.p = t1.b',
  'SELECT * FROM t3 JOIN t1 ON t1.a = t3.p',
  'SELECT * FROM t3, t3 AS u WHERE t3.p = u.q',
  'SELECT * FROM t1 LEFT JOIN t2 ON t2.x = t1.b',
  'SELECT * FROM t1, t2',
  'SELECT * FROM t1 JOIN t2 ON t2.y = t1.b WHERE t1.a = 3',
  // three tables
  'SELECT * FROM t1, t2, t3 WHERE t1.a = t2.x AND t2.y = t3.p',
  'SELECT * FROM t3, t2, t1 WHERE t1.b = t2.y AND t1.a = t3.p',
  'SELECT * FROM t1 JOIN t2 ON t2.x = t1.a JOIN t4 ON t4.k = t2.z',
  // subqueries
  'SELECT * FROM t1 WHERE b IN (SELECT y FROM t2)',
  'SELECT * FROM t1 WHERE a IN (SELECT p FROM t3)',
  'SELECT * FROM t1 WHERE EXISTS (SELECT 1 FROM t2 WHERE t2.x = t1.b)',
  'SELECT (SELECT max(y) FROM t2), a FROM t1',
  'SELECT * FROM (SELECT b, count(*) AS n FROM t1 GROUP BY b) WHERE n > 1',
  'SELECT * FROM t1 WHERE b = (SELECT y FROM t2 WHERE x = 1)',
  'SELECT a FROM t1 UNION SELECT x FROM t2',
];

interface PlanRow { id: number; parent: number; detail: string }
interface Conn { exec(sql: string): unknown; prepare(sql: string): { all(): unknown[] } }

function plan(db: Conn, query: string): string[] {
  try {
    const rows = db.prepare(`EXPLAIN QUERY PLAN ${query}`).all() as PlanRow[];
    const depth = new Map<number, number>();
    return rows.map((r) => {
      const d = r.parent === 0 ? 0 : (depth.get(r.parent) ?? 0) + 1;
      depth.set(r.id, d);
      return `${'  '.repeat(d)}${r.detail}`;
    });
  } catch (e) {
    return [`error: ${(e as Error).message}`];
  }
}

function render(): { text: string; differences: number } {
  const ours = new (Database as unknown as new () => Conn)();
  const theirs = new BetterSqlite3(':memory:') as unknown as Conn;
  for (const s of SCHEMA) { ours.exec(s); theirs.exec(s); }
  const out = [
    '# EXPLAIN QUERY PLAN: AmberDB (pinned) and SQLite where it differs. Rewrite: UPDATE_GOLDEN=1.',
    ...SCHEMA.map((s) => `# ${s}`),
    '',
  ];
  let differences = 0;
  for (const q of QUERIES) {
    const a = plan(ours, q);
    const b = plan(theirs, q);
    const same = a.join('\n') === b.join('\n');
    if (!same) differences++;
    out.push(`-- query${same ? '' : ' (differs)'}`, q, '-- amber', ...a);
    if (!same) out.push('-- sqlite', ...b);
    out.push('');
  }
  out.push(`# ${differences} of ${QUERIES.length} plans differ from SQLite`, '');
  return { text: out.join('\n'), differences };
}

test('EXPLAIN QUERY PLAN matches the golden file', () => {
  const { text } = render();
  if (process.env.UPDATE_GOLDEN === '1') {
    fs.writeFileSync(GOLDEN, text);
    return;
  }
  expect(fs.existsSync(GOLDEN)).toBe(true);
  expect(text).toEqual(fs.readFileSync(GOLDEN, 'utf8'));
});

test('the golden file lists about sixty queries', () => {
  expect(QUERIES.length).toBeGreaterThanOrEqual(60);
});
