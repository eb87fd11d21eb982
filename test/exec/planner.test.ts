// Planner optimizations (issue 4, point 7), each checked two ways: the rows agree with SQLite
// (better-sqlite3) on data with NULLs, mixed storage classes and duplicates, and the plan really
// took the shortcut — EXPLAIN QUERY PLAN's words, and a counting function in WHERE that shows how
// many rows the loop visited.
import BetterSqlite3 from 'better-sqlite3';
import { Database } from '../../src';

interface Conn {
  exec(sql: string): unknown;
  prepare(sql: string): { all(...p: unknown[]): unknown[]; raw(on?: boolean): unknown; safeIntegers(on?: boolean): unknown };
  function(name: string, fn: (...args: unknown[]) => unknown): unknown;
}

function open(schema: readonly string[]): { ours: Conn; theirs: Conn; visits: () => number } {
  const ours = new (Database as unknown as new () => Conn)();
  const theirs = new BetterSqlite3(':memory:') as unknown as Conn;
  let n = 0;
  // visit(x) is true and counts its calls: put in WHERE, it counts the rows the loop reaches.
  ours.function('visit', (_x) => { n++; return 1; });
  theirs.function('visit', (_x) => 1);
  for (const s of schema) { ours.exec(s); theirs.exec(s); }
  return { ours, theirs, visits: () => { const v = n; n = 0; return v; } };
}

function rows(db: Conn, sql: string): unknown {
  try {
    const st = db.prepare(sql);
    st.safeIntegers(true);
    st.raw(true);
    return st.all();
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

function plan(db: Conn, sql: string): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail);
}

function agree(c: { ours: Conn; theirs: Conn }, queries: readonly string[]): void {
  for (const q of queries) expect({ q, rows: rows(c.ours, q) }).toEqual({ q, rows: rows(c.theirs, q) });
}

const MIXED = [
  'CREATE TABLE t(a INTEGER PRIMARY KEY, b, c, d TEXT COLLATE NOCASE, e)',
  'CREATE INDEX tb ON t(b)',
  'CREATE INDEX tcb ON t(c, b DESC)',
  'CREATE INDEX td ON t(d)',
  "INSERT INTO t VALUES (1, NULL, 1, 'b', 1), (2, 5, 1, 'A', 2), (3, 'x', 2, 'a', 3), (4, 2.5, 1, NULL, 4)",
  "INSERT INTO t VALUES (5, NULL, 2, 'B', 5), (6, x'00', 1, 'c', 6), (7, -3, 3, 'C', 7), (8, 5, 1, 'a', 8)",
  'CREATE TABLE n(x, y)',
  'INSERT INTO n VALUES (NULL, 1), (NULL, 2)',
  'CREATE INDEX nx ON n(x)',
  'CREATE TABLE z(x, y)',
  'CREATE INDEX zx ON z(x)',
];

describe('min/max by index', () => {
  test('answers agree with SQLite', () => {
    const c = open(MIXED);
    agree(c, [
      'SELECT max(b) FROM t', 'SELECT min(b) FROM t', 'SELECT min(b), a, e FROM t', 'SELECT max(b), a FROM t',
      'SELECT max(b) + 1, typeof(max(b)) FROM t', 'SELECT max(a), min(a) FROM t', 'SELECT max(a) FROM t', 'SELECT min(rowid) FROM t',
      'SELECT max(b) FROM t WHERE c = 1', 'SELECT min(b) FROM t WHERE c = 1', 'SELECT max(b), a FROM t WHERE c = 2',
      'SELECT min(b) FROM t WHERE c = 9', 'SELECT max(b) FROM t WHERE e < 4', 'SELECT min(b) FROM t WHERE e > 6',
      'SELECT max(d) FROM t', 'SELECT min(d), a FROM t', 'SELECT max(d COLLATE BINARY) FROM t',
      'SELECT max(x), y FROM n', 'SELECT min(x), y FROM n', 'SELECT max(x) FROM z', 'SELECT min(x), y FROM z',
      'SELECT max(b) FROM t LIMIT 1 OFFSET 1', 'SELECT max(b) AS m FROM t ORDER BY m',
      'SELECT (SELECT max(b) FROM t WHERE t.c = u.c) FROM t AS u ORDER BY u.a',
    ]);
  });

  test('one seek: the loop stops at the first row, and EXPLAIN says SEARCH as SQLite does', () => {
    const c = open(MIXED);
    for (const [q, visited] of [
      ['SELECT max(b) FROM t WHERE visit(a)', 1],
      ['SELECT min(b) FROM t WHERE visit(a)', 3], // the two NULLs come first in the index, then the answer
      ['SELECT max(a) FROM t WHERE visit(a)', 1],
      ['SELECT min(b) FROM t WHERE c = 1 AND visit(a)', 2], // (c=1, b=NULL) first
      ['SELECT max(e) FROM t WHERE visit(a)', 8], // no index on e: a full scan
    ] as const) {
      rows(c.ours, q);
      expect({ q, visited: c.visits() }).toEqual({ q, visited });
    }
    for (const q of ['SELECT max(b) FROM t', 'SELECT min(b) FROM t WHERE c = 1', 'SELECT max(a) FROM t', 'SELECT max(e) FROM t', 'SELECT max(b), min(b) FROM t']) {
      expect({ q, plan: plan(c.ours, q) }).toEqual({ q, plan: plan(c.theirs, q) });
    }
    expect(plan(c.ours, 'SELECT max(b) FROM t')).toEqual(['SEARCH t USING COVERING INDEX tb']);
  });

  test('not taken with two aggregates, GROUP BY, HAVING or a user aggregate named max', () => {
    const c = open(MIXED);
    for (const q of ['SELECT max(b), min(b) FROM t WHERE visit(a)', 'SELECT max(b) FROM t WHERE visit(a) HAVING max(b) > 0', 'SELECT max(b) FROM t WHERE visit(a) GROUP BY c']) {
      rows(c.ours, q);
      expect({ q, visited: c.visits() }).toEqual({ q, visited: 8 });
    }
    agree(c, ['SELECT max(b), min(b) FROM t', 'SELECT max(b) FROM t HAVING max(b) > 0', 'SELECT max(b) FROM t GROUP BY c']);
    (c.ours as unknown as { aggregate(n: string, o: object): void }).aggregate('max', { start: 0, step: (acc: number, _x: unknown) => acc + 1, result: (acc: number) => acc });
    expect(rows(c.ours, 'SELECT max(b) FROM t WHERE visit(a)')).toEqual([[8]]);
    expect(c.visits()).toBe(8);
  });
});

describe('GROUP BY in index order', () => {
  const GROUPS = [
    'CREATE TABLE g(a INTEGER PRIMARY KEY, b, c, d, e TEXT COLLATE NOCASE)',
    'CREATE INDEX gb ON g(b DESC)',
    'CREATE INDEX gcd ON g(c, d)',
    'CREATE INDEX ge ON g(e)',
    "INSERT INTO g VALUES (1, 1, 1, 1, 'a'), (2, 2, 2, 2, 'A'), (3, 3, 1, 2, 'b'), (4, NULL, NULL, 3, 'a')",
    "INSERT INTO g VALUES (5, 2, 1, NULL, NULL), (6, 2.0, 2, 2, 'B'), (7, 1.0, 1, 2, 'x'), (8, '2', 3, 1, 'X')",
  ];

  test('answers agree with SQLite, in SQLite\'s order, bare columns included', () => {
    const c = open(GROUPS);
    agree(c, [
      'SELECT b, count(*) FROM g GROUP BY b', 'SELECT c, count(*), a FROM g GROUP BY c', 'SELECT c, d, count(*), a FROM g GROUP BY d, c',
      'SELECT c, count(*) FROM g GROUP BY c ORDER BY c', 'SELECT c, count(*) FROM g GROUP BY c ORDER BY c DESC',
      'SELECT c, sum(a) FROM g WHERE c > 1 GROUP BY c', 'SELECT d, count(*), a FROM g WHERE c = 1 GROUP BY d',
      'SELECT a, count(*) FROM g GROUP BY a', 'SELECT g.c, count(*) FROM g, g AS u WHERE u.a < 3 GROUP BY g.c',
      'SELECT c, count(*) FROM g GROUP BY c LIMIT 1', 'SELECT c, count(*) FROM g GROUP BY c LIMIT 2 OFFSET 1',
      'SELECT c, count(*) FROM g GROUP BY c HAVING count(*) > 1 LIMIT 1', 'SELECT c AS k, count(*) FROM g GROUP BY k ORDER BY k DESC',
      'SELECT c, count(*) FROM g GROUP BY 1 ORDER BY count(*), 1', 'SELECT d, count(*), a FROM g GROUP BY d',
      'SELECT c, (SELECT count(*) FROM g AS u WHERE u.c = g.c) FROM g GROUP BY c',
      // bare columns: the group's first row, or the row of the (last) min/max
      'SELECT count(*), a FROM g', 'SELECT a, max(b) FROM g GROUP BY c', 'SELECT a, min(b), max(b) FROM g GROUP BY c',
      'SELECT a, max(b), min(b) FROM g GROUP BY c', 'SELECT a, max(b) FILTER (WHERE a > 2) FROM g GROUP BY c', 'SELECT a, b, count(*) FROM g GROUP BY d',
    ]);
  });

  test('groups stream from the index: no temp b-tree, and LIMIT stops the scan', () => {
    const c = open(GROUPS);
    for (const q of ['SELECT c, count(*) FROM g GROUP BY c', 'SELECT c, count(*) FROM g GROUP BY d, c', 'SELECT a, count(*) FROM g GROUP BY a',
      'SELECT c, count(*) FROM g GROUP BY c ORDER BY c DESC', 'SELECT d, count(*) FROM g GROUP BY d', 'SELECT b, count(*) FROM g GROUP BY b']) {
      expect({ q, plan: plan(c.ours, q) }).toEqual({ q, plan: plan(c.theirs, q) });
    }
    expect(plan(c.ours, 'SELECT c, count(*) FROM g GROUP BY c')).toEqual(['SCAN g USING COVERING INDEX gcd']);
    expect(plan(c.ours, 'SELECT d, count(*) FROM g GROUP BY d')).toContain('USE TEMP B-TREE FOR GROUP BY');
    // Group c = NULL (1 row), then c = 1: its first row ends group NULL, and LIMIT 1 stops there.
    rows(c.ours, 'SELECT c, count(*) FROM g WHERE visit(a) GROUP BY c LIMIT 1');
    expect(c.visits()).toBe(2);
    rows(c.ours, 'SELECT d, count(*) FROM g WHERE visit(a) GROUP BY d LIMIT 1');
    expect(c.visits()).toBe(8);
  });
});

describe('LIKE and GLOB prefix ranges', () => {
  const TEXTS = [
    'CREATE TABLE s(a INTEGER PRIMARY KEY, n TEXT COLLATE NOCASE, b TEXT, x)',
    'CREATE INDEX sn ON s(n)',
    'CREATE INDEX sb ON s(b)',
    'CREATE INDEX sx ON s(x COLLATE NOCASE)',
    "INSERT INTO s(a, n) VALUES (1, 'abc'), (2, 'ABX'), (3, 'BCD'), (4, 'abZ'), (5, 'ab['), (6, 'ab_'), (7, 123), (8, '-5'), (9, 'ab'), (10, 'AB')",
    "INSERT INTO s(a, n) VALUES (11, 'a'), (12, 'ac'), (13, 'ab{'), (14, 'abé'), (15, NULL), (16, 'a@b'), (17, 'aA'), (18, 'a%b'), (19, 'ab%c'), (20, '')",
    'UPDATE s SET b = n, x = n',
  ];
  const PATTERNS = ["'ab%'", "'AB%'", "'abz%'", "'a@%'", "'ab\\_%' ESCAPE '\\'", "'a!%%' ESCAPE '!'", "'12%'", "'-%'", "'ab'", "'a_c%'", "'%b'", "'ab%c%'", "'é%'", "''"];

  test('answers agree with SQLite', () => {
    const c = open(TEXTS);
    const qs: string[] = [];
    for (const p of PATTERNS) {
      for (const col of ['n', 'b', 'x']) qs.push(`SELECT a FROM s WHERE ${col} LIKE ${p} ORDER BY a`);
    }
    for (const p of ["'ab*'", "'AB*'", "'ab[[]*'", "'a?c*'", "'a*'"]) {
      for (const col of ['n', 'b']) qs.push(`SELECT a FROM s WHERE ${col} GLOB ${p} ORDER BY a`);
    }
    qs.push("SELECT a, n FROM s WHERE n LIKE 'ab%' ORDER BY n, a", "SELECT count(*) FROM s WHERE n LIKE 'a%' AND a > 3");
    agree(c, qs);
  });

  test('the range is used where SQLite uses it: NOCASE for LIKE, BINARY for GLOB, TEXT columns', () => {
    const c = open(TEXTS);
    for (const q of ["SELECT * FROM s WHERE n LIKE 'ab%'", "SELECT * FROM s WHERE b LIKE 'ab%'", "SELECT * FROM s WHERE b GLOB 'ab*'",
      "SELECT * FROM s WHERE n GLOB 'ab*'", "SELECT * FROM s WHERE n LIKE '%ab'", "SELECT * FROM s WHERE n LIKE 'abz%'"]) {
      expect({ q, plan: plan(c.ours, q) }).toEqual({ q, plan: plan(c.theirs, q) });
    }
    expect(plan(c.ours, "SELECT * FROM s WHERE n LIKE 'ab%'")).toEqual(['SEARCH s USING INDEX sn (n>? AND n<?)']);
    // 'ab', 'AB', 'abc', 'ABX', 'abZ', 'ab[', 'ab_', 'ab{', 'abé', 'ab%c': the range holds only those
    rows(c.ours, "SELECT a FROM s WHERE n LIKE 'ab%' AND visit(a)");
    expect(c.visits()).toBe(10);
  });
});

describe('hash join for equi-joins without an index (SQLite: automatic index)', () => {
  const JOINS = [
    'CREATE TABLE p(a INTEGER PRIMARY KEY, k, v TEXT, n INTEGER)',
    'CREATE TABLE q(b INTEGER PRIMARY KEY, k, w TEXT COLLATE NOCASE, n INTEGER)',
    "INSERT INTO p(k, v, n) VALUES (1, 'a', 1), (2, 'A', 2), (1.0, 'b', 3), ('1', 'c', NULL), (NULL, 'd', 1), (x'01', 'e', 2), (3, 'f', 3), (2, 'g', 1)",
    "INSERT INTO q(k, w, n) VALUES (1, 'A', 1), (2, 'a', 2), ('1', 'B', 3), (NULL, 'c', 1), (x'01', 'z', 2), (1, 'b', 2), (9, 'x', 9), (2.0, 'a', 1)",
  ];

  test('answers agree with SQLite', () => {
    const c = open(JOINS);
    agree(c, [
      'SELECT p.a, q.b FROM p, q WHERE p.k = q.k ORDER BY 1, 2', 'SELECT p.a, q.b FROM p JOIN q ON q.k = p.k AND q.n = p.n ORDER BY 1, 2',
      'SELECT p.a, q.b FROM p LEFT JOIN q ON q.k = p.k ORDER BY 1, 2', 'SELECT p.a, q.b FROM p, q WHERE q.w = p.v ORDER BY 1, 2',
      'SELECT p.a, q.b FROM p, q WHERE p.v = q.w ORDER BY 1, 2', 'SELECT p.a, q.b FROM p, q WHERE q.n = p.k ORDER BY 1, 2',
      'SELECT p.a, q.b FROM p, q WHERE q.k = p.n ORDER BY 1, 2', 'SELECT p.a, q.b FROM p, q WHERE q.k = p.k + 1 ORDER BY 1, 2',
      'SELECT p.a, q.b FROM p, q WHERE q.w = p.v COLLATE BINARY ORDER BY 1, 2', 'SELECT count(*) FROM p, q, p AS r WHERE q.k = p.k AND r.n = q.n',
      'SELECT p.a, (SELECT count(*) FROM q, p AS r WHERE r.k = q.k AND q.n = p.n) FROM p ORDER BY 1',
      'SELECT * FROM p LEFT JOIN q ON q.k = p.k WHERE q.b IS NULL ORDER BY p.a',
      // no ORDER BY: the order SQLite's automatic index gives
      'SELECT * FROM p, p AS u WHERE p.k = u.n', 'SELECT * FROM p LEFT JOIN q ON q.k = p.k',
    ]);
  });

  test('one build and a probe per outer row, shown as SQLite shows its automatic index', () => {
    const c = open(JOINS);
    for (const q of ['SELECT * FROM p, p AS u WHERE p.k = u.n', 'SELECT * FROM p LEFT JOIN q ON q.k = p.k', 'SELECT * FROM p, p AS u WHERE p.k = u.n AND p.v = u.v']) {
      expect({ q, plan: plan(c.ours, q) }).toEqual({ q, plan: plan(c.theirs, q) });
    }
    expect(plan(c.ours, 'SELECT * FROM p, p AS u WHERE p.k = u.n')).toEqual(['SCAN p', 'BLOOM FILTER ON u (n=?)', 'SEARCH u USING AUTOMATIC COVERING INDEX (n=?)']);
    // visit() comes first in WHERE, so it runs on every (p, u) pair a nested loop would try: 64.
    // The hash hands each p row only the u rows with u.n = p.k: k = 1, 1.0 and '1' (numeric
    // affinity, as the comparison applies) find 3 rows each, 2, 2 and 3 find 2, NULL and x'01' none.
    rows(c.ours, 'SELECT count(*) FROM p, p AS u WHERE visit(u.a) AND p.k = u.n');
    expect(c.visits()).toBe(3 * 3 + 3 * 2);
  });
});

describe('OR by a union of index lookups', () => {
  const ORS = [
    'CREATE TABLE o(a INTEGER PRIMARY KEY, b, c, d, e TEXT COLLATE NOCASE)',
    'CREATE INDEX ob ON o(b)',
    'CREATE INDEX ocd ON o(c, d)',
    'CREATE INDEX oe ON o(e)',
    "INSERT INTO o VALUES (1, 1, 2, 3, 'a'), (2, 2, 2, 4, 'A'), (3, 1, 1, 4, 'b'), (4, NULL, 2, NULL, NULL), (5, '1', 3, 3, 'B')",
    "INSERT INTO o VALUES (6, 1.0, 2, 3, 'c'), (7, 3, NULL, 5, 'a'), (8, 2, 2, 3, 'x'), (9, x'01', 1, 1, 'y'), (10, 5, 5, 5, 'A')",
    'CREATE TABLE r(x INTEGER PRIMARY KEY, y, z)',
    'INSERT INTO r VALUES (1, 1, 2), (2, 2, 5), (3, 9, 9)',
  ];

  test('answers agree with SQLite (row order included)', () => {
    const c = open(ORS);
    agree(c, [
      'SELECT a FROM o WHERE b = 1 OR c = 2', 'SELECT a FROM o WHERE c = 2 OR b = 1', 'SELECT a FROM o WHERE b = 1 OR a = 7',
      'SELECT a FROM o WHERE (b = 1 AND d = 3) OR (c = 2 AND d = 4)', 'SELECT a FROM o WHERE b > 1 OR c < 2', 'SELECT b FROM o WHERE b = 1 OR c = 2',
      'SELECT a FROM o WHERE (b = 1 OR c = 2) AND d = 3', "SELECT a FROM o WHERE e = 'a' OR b = 5", 'SELECT a FROM o WHERE b IN (1, 2) OR c = 5',
      'SELECT a FROM o WHERE b = 1 OR b = 2', "SELECT a FROM o WHERE b = 1 OR b = '1' OR b = 3", 'SELECT a FROM o WHERE a = 3 OR a = 1',
      'SELECT r.x, o.a FROM r, o WHERE o.b = r.y OR o.c = r.z', 'SELECT r.x, o.a FROM r LEFT JOIN o ON o.b = r.y OR o.c = r.z',
      'SELECT a FROM o WHERE b = 1 OR c = 2 LIMIT 3', 'SELECT count(*) FROM o WHERE b = 1 OR c = 2 OR d = 5', 'SELECT a FROM o WHERE b = 1 OR c = 2 ORDER BY a DESC',
    ]);
  });

  test('each branch is an index lookup, as SQLite plans it', () => {
    const c = open(ORS);
    for (const q of ['SELECT * FROM o WHERE b = 1 OR c = 2', 'SELECT * FROM o WHERE (b = 1 OR c = 2) AND d = 3', 'SELECT * FROM o WHERE b = 1 OR a = 7',
      'SELECT * FROM o WHERE b = 1 OR b = 2', 'SELECT * FROM o WHERE b = 1 OR d = 2', 'SELECT * FROM r, o WHERE o.b = r.y OR o.c = r.z']) {
      expect({ q, plan: plan(c.ours, q) }).toEqual({ q, plan: plan(c.theirs, q) });
    }
    expect(plan(c.ours, 'SELECT * FROM o WHERE b = 1 OR c = 2')).toEqual(['MULTI-INDEX OR', 'INDEX 1', 'SEARCH o USING INDEX ob (b=?)', 'INDEX 2', 'SEARCH o USING INDEX ocd (c=?)']);
    // b = 1 finds 1, 3, 6 (1.0; '1' is text); c = 2 finds 1, 2, 4, 6, 8: each of the 6 rows once.
    rows(c.ours, 'SELECT a FROM o WHERE visit(a) AND (b = 1 OR c = 2)');
    expect(c.visits()).toBe(6);
  });
});

describe('index lookups use the comparison\'s collation', () => {
  test('the left operand\'s collation decides, also when the indexed column is on the right', () => {
    const c = open([
      'CREATE TABLE p(k)', 'CREATE INDEX pk ON p(k)', 'CREATE TABLE n(y TEXT COLLATE NOCASE)',
      "INSERT INTO p VALUES ('a'), ('A'), ('b')", "INSERT INTO n VALUES ('a'), ('B')",
    ]);
    agree(c, ['SELECT n.y, p.k FROM n CROSS JOIN p ON n.y = p.k ORDER BY 1, 2', 'SELECT n.y, p.k FROM n CROSS JOIN p ON p.k = n.y ORDER BY 1, 2']);
  });
});

describe('covering indexes', () => {
  test('an inner join\'s ON columns count: an index without them does not cover the query', () => {
    const c = open(['CREATE TABLE t(a, u)', 'CREATE INDEX ta ON t(a)', 'CREATE TABLE v(u, w)', 'INSERT INTO t VALUES (1, 1), (2, 2)', 'INSERT INTO v VALUES (1, 0), (2, 0), (2, 1)']);
    for (const q of ['SELECT count(*) FROM v JOIN t ON t.u = v.u', 'SELECT count(t.a) FROM v JOIN t ON t.u = v.u WHERE v.w = 0']) {
      expect({ q, plan: plan(c.ours, q) }).toEqual({ q, plan: plan(c.theirs, q) });
    }
    agree(c, ['SELECT count(*) FROM v JOIN t ON t.u = v.u', 'SELECT count(t.a) FROM v JOIN t ON t.u = v.u WHERE v.w = 0']);
  });
});

describe('hashed GROUP BY', () => {
  const G = [
    'CREATE TABLE h(a INTEGER PRIMARY KEY, b, c, e TEXT COLLATE NOCASE, f TEXT COLLATE RTRIM)',
    "INSERT INTO h VALUES (1, 3, 'x', 'b', 'a '), (2, 1, 'y', 'A', 'a'), (3, 3, NULL, 'a', 'b'), (4, NULL, 2, 'B', 'a  '), (5, 2.5, x'00', 'c', NULL), (6, 1.0, 'y', 'é', 'É')",
  ];

  test('groups by the collation (NOCASE, RTRIM), ordered as SQLite orders them', () => {
    const c = open(G);
    agree(c, [
      'SELECT e, count(*), a FROM h GROUP BY e', 'SELECT f, count(*), a FROM h GROUP BY f', 'SELECT e, f, count(*) FROM h GROUP BY e, f',
      'SELECT e, count(*) FROM h GROUP BY e ORDER BY e DESC', 'SELECT c COLLATE NOCASE AS k, count(*) FROM h GROUP BY 1',
      'SELECT b, count(*) FROM h GROUP BY b ORDER BY b DESC', 'SELECT b, c, count(*) FROM h GROUP BY b, c ORDER BY b, c DESC',
      'SELECT b, count(*) FROM h GROUP BY b ORDER BY b NULLS LAST', 'SELECT e, count(*) FROM h GROUP BY e ORDER BY e COLLATE BINARY',
    ]);
  });

  test('an ORDER BY equal to the GROUP BY reuses the groups\' order (no second sort, as SQLite)', () => {
    const c = open(G);
    for (const q of ['SELECT b, count(*) FROM h GROUP BY b ORDER BY b DESC', 'SELECT b, c, count(*) FROM h GROUP BY b, c ORDER BY b', 'SELECT e, count(*) FROM h GROUP BY e ORDER BY e',
      'SELECT b, count(*) FROM h GROUP BY b ORDER BY b NULLS LAST']) {
      expect({ q, plan: plan(c.ours, q) }).toEqual({ q, plan: plan(c.theirs, q) });
    }
    expect(plan(c.ours, 'SELECT b, count(*) FROM h GROUP BY b ORDER BY b DESC')).toEqual(['SCAN h', 'USE TEMP B-TREE FOR GROUP BY']);
  });
});

describe('aggregates over an enclosing query\'s columns belong to that query', () => {
  test('answers agree with SQLite', () => {
    const c = open([
      'CREATE TABLE t(a, b)', 'CREATE TABLE u(x)',
      'INSERT INTO t VALUES (1, 1), (2, 1), (3, 2)', 'INSERT INTO u VALUES (10), (20)',
    ]);
    agree(c, [
      'SELECT (SELECT count(t.a) FROM u) FROM t', 'SELECT (SELECT count(t.a) + count(u.x) FROM u) FROM t',
      'SELECT b, (SELECT sum(t.a) FROM u) FROM t GROUP BY b ORDER BY b', 'SELECT (SELECT max(t.a)) FROM t',
      'SELECT (SELECT count(t.a) FROM u WHERE 0) FROM t', 'SELECT (SELECT count(x) FROM u WHERE x > t.a) FROM t',
      'SELECT b, (SELECT count(*) FROM u WHERE u.x > 10 * sum(t.a)) FROM t GROUP BY b ORDER BY b',
      'SELECT (SELECT sum(t.x) FROM u AS t) FROM t', 'SELECT count(*), (SELECT min(t.b) FROM u) FROM t',
      'SELECT b FROM t GROUP BY b HAVING (SELECT count(t.a) FROM u) > 1',
    ]);
  });
});

describe('flattening a simple derived table', () => {
  const F = [
    'CREATE TABLE t(a INTEGER PRIMARY KEY, b, c TEXT COLLATE NOCASE, d INTEGER)',
    'CREATE INDEX tb ON t(b)',
    "INSERT INTO t VALUES (1, 2, 'x', 5), (2, 3, 'X', 6), (3, 2, 'y', NULL), (4, NULL, 'z', 7), (5, '2', 'Y', 8)",
  ];

  test('answers agree with SQLite', () => {
    const c = open(F);
    agree(c, [
      'SELECT * FROM (SELECT a, b FROM t WHERE b > 1) WHERE a < 4', "SELECT x, count(*) FROM (SELECT b + 1 AS x, c FROM t WHERE d > 0) AS s WHERE c = 'x' GROUP BY x",
      'SELECT max(b), a FROM (SELECT a, b FROM t)', 'SELECT * FROM (SELECT * FROM t) AS s ORDER BY s.b, s.a', 'SELECT c, count(*) FROM (SELECT c FROM t) GROUP BY c',
      "SELECT s.c FROM (SELECT c FROM t) s WHERE c = 'X'", 'SELECT d FROM (SELECT d, a AS d2 FROM t) ORDER BY d DESC', 'SELECT b FROM (SELECT b FROM t LIMIT 2)',
      "SELECT typeof(v), v FROM (SELECT d AS v FROM t) WHERE v = '6'", "SELECT v FROM (SELECT c AS v FROM t) WHERE v = 'x'",
      'SELECT b + 1 FROM (SELECT b FROM t) ORDER BY 1', 'SELECT DISTINCT b FROM (SELECT b FROM t)', 'SELECT b FROM (SELECT b FROM t) WHERE b = 2',
      'SELECT count(*) FROM (SELECT a FROM t WHERE d IS NOT NULL)', 'SELECT k FROM (SELECT b AS k FROM t) ORDER BY k LIMIT 2',
    ]);
  });

  test('the outer query reads the table and its indexes, as SQLite plans it', () => {
    const c = open(F);
    for (const q of ['SELECT * FROM (SELECT a, b FROM t WHERE b > 1) WHERE a < 4', 'SELECT max(b) FROM (SELECT b FROM t)', 'SELECT b FROM (SELECT b FROM t) WHERE b = 2',
      'SELECT * FROM (SELECT * FROM t) AS s ORDER BY s.b']) {
      expect({ q, plan: plan(c.ours, q) }).toEqual({ q, plan: plan(c.theirs, q) });
    }
    expect(plan(c.ours, 'SELECT b FROM (SELECT b FROM t) WHERE b = 2')).toEqual(['SEARCH t USING COVERING INDEX tb (b=?)']);
  });
});
