// Golden-by-oracle: each script runs on AmberDB and on SQLite (better-sqlite3); every query's
// rows (with value classes: safeIntegers on both sides) and every error code must agree.
import BetterSqlite3 from 'better-sqlite3';
import { Database } from '../../src';

type Outcome = { rows: unknown[][] } | { error: string; message: string };

function normalize(v: unknown): unknown {
  if (v instanceof Uint8Array) return `blob:${Buffer.from(v).toString('hex')}`;
  if (typeof v === 'bigint') return `int:${v}`;
  if (typeof v === 'number') return `real:${Object.is(v, -0) ? 0 : v}`;
  return v;
}

interface Conn {
  prepare(sql: string): { reader: boolean; raw(on?: boolean): unknown; safeIntegers(on?: boolean): unknown; all(): unknown[]; run(): unknown };
}

function runOn(db: Conn, sql: string): Outcome {
  try {
    const st = db.prepare(sql);
    if (!st.reader) {
      st.run();
      return { rows: [] };
    }
    st.safeIntegers(true);
    st.raw(true);
    const rows = st.all() as unknown[][];
    // EXPLAIN QUERY PLAN: SQLite's node ids are its own; the plan is the detail column.
    if (/^\s*EXPLAIN\s+QUERY\s+PLAN/i.test(sql)) return { rows: rows.map((r) => [r[r.length - 1]]) };
    return { rows: rows.map((r) => r.map(normalize)) };
  } catch (e) {
    const err = e as { code?: string; message: string };
    return { error: `${err.code ?? 'no code'}`, message: err.message };
  }
}

function script(statements: string[]): void {
  const ours = new (Database as unknown as new () => Conn)();
  const theirs = new BetterSqlite3(':memory:') as unknown as Conn;
  for (const sql of statements) {
    const a = runOn(ours, sql);
    const b = runOn(theirs, sql);
    // Errors must agree on the code; messages are shown when they do not.
    if ('error' in a && 'error' in b && a.error === b.error) continue;
    expect({ sql, ...a }).toEqual({ sql, ...b });
  }
}

const SCHEMA = [
  'CREATE TABLE t1(a INTEGER, b TEXT, c REAL, d NUMERIC, e)',
  "INSERT INTO t1 VALUES (1, 'one', 1.5, '10', x'01'), (2, 'two', 2.0, '2.5', NULL), (3, NULL, NULL, 'abc', 3)",
  "INSERT INTO t1 VALUES (4, 'four', -4, 4, 'x'), (NULL, 'null', 0, NULL, 0.5), (2, 'TWO', 2, '2', 2)",
  'CREATE TABLE t2(id INTEGER PRIMARY KEY, a INT, name TEXT UNIQUE, score REAL DEFAULT 0)',
  "INSERT INTO t2(a, name, score) VALUES (1, 'x', 10), (2, 'y', 20.5), (2, 'z', NULL), (5, 'w', 7)",
  'CREATE INDEX t2a ON t2(a)',
];

describe('engine agrees with SQLite', () => {
  test('projections and arithmetic', () => script([
    ...SCHEMA,
    'SELECT a, b, c, d, e FROM t1',
    'SELECT a + 1, a * 2.5, a / 2, a % 2, -a, b || c, typeof(c), typeof(d) FROM t1',
    'SELECT 1/0, 5/2, 5.0/2, 9223372036854775807 + 1, -9223372036854775808, 0x10, 1e3, .5',
    "SELECT 'a' < 'b', 1 < 'a', NULL = NULL, NULL IS NULL, 2 IS NOT 3, 1 AND NULL, 0 AND NULL, 1 OR NULL",
    'SELECT a, b FROM t1 WHERE a > 1 AND b IS NOT NULL',
    "SELECT a FROM t1 WHERE d = 10 OR d = '2.5'",
    'SELECT * FROM t1 WHERE a IN (1, 3, NULL)',
    'SELECT * FROM t1 WHERE a NOT IN (1, 3)',
    'SELECT * FROM t1 WHERE a BETWEEN 2 AND 3',
    "SELECT * FROM t1 WHERE b LIKE 't%'",
    "SELECT * FROM t1 WHERE b GLOB 't*'",
    'SELECT CASE a WHEN 1 THEN 10 WHEN 2 THEN 20 ELSE 0 END, CASE WHEN a > 2 THEN 1 END FROM t1',
    "SELECT CAST(d AS INTEGER), CAST(c AS TEXT), CAST('12abc' AS REAL), CAST(a AS BLOB) FROM t1",
  ]));

  test('ordering, limits, distinct', () => script([
    ...SCHEMA,
    'SELECT a, b FROM t1 ORDER BY a',
    'SELECT a, b FROM t1 ORDER BY a DESC, b',
    'SELECT a, b FROM t1 ORDER BY a NULLS LAST, b DESC',
    'SELECT b FROM t1 ORDER BY b COLLATE NOCASE, a',
    'SELECT a AS x FROM t1 ORDER BY x DESC LIMIT 2',
    'SELECT a FROM t1 ORDER BY 1 LIMIT 2 OFFSET 1',
    'SELECT a FROM t1 ORDER BY a LIMIT 1, 2',
    'SELECT DISTINCT a FROM t1 ORDER BY a',
    'SELECT DISTINCT c FROM t1 ORDER BY 1',
  ]));

  test('aggregates and grouping', () => script([
    ...SCHEMA,
    'SELECT count(*), count(a), sum(a), avg(a), min(a), max(a), total(a) FROM t1',
    'SELECT a, count(*), group_concat(b) FROM t1 GROUP BY a ORDER BY a',
    'SELECT a, count(*) FROM t1 GROUP BY a HAVING count(*) > 1',
    'SELECT count(DISTINCT a), sum(DISTINCT a) FROM t1',
    'SELECT count(*) FROM t1 WHERE a > 100',
    'SELECT sum(a) FROM t1 WHERE a > 100',
    'SELECT a % 2 AS k, max(c) FROM t1 GROUP BY k ORDER BY k',
  ]));

  test('joins and subqueries', () => script([
    ...SCHEMA,
    'SELECT t1.a, t2.name FROM t1 JOIN t2 ON t1.a = t2.a ORDER BY 1, 2',
    'SELECT t1.a, t2.name FROM t1 LEFT JOIN t2 ON t1.a = t2.a ORDER BY 1, 2',
    'SELECT t1.a, t2.name FROM t1, t2 WHERE t1.a = t2.id ORDER BY 1, 2',
    'SELECT count(*) FROM t1 CROSS JOIN t2',
    'SELECT a, (SELECT name FROM t2 WHERE t2.id = t1.a) FROM t1 ORDER BY a',
    'SELECT a FROM t1 WHERE EXISTS (SELECT 1 FROM t2 WHERE t2.a = t1.a) ORDER BY a',
    'SELECT a FROM t1 WHERE a IN (SELECT a FROM t2) ORDER BY a',
    'SELECT a FROM t1 WHERE a NOT IN (SELECT a FROM t2 WHERE a IS NOT NULL) ORDER BY a',
    'SELECT * FROM (SELECT a, b FROM t1 WHERE a > 1) AS s ORDER BY a',
    'SELECT a FROM t1 UNION SELECT a FROM t2',
    'SELECT a FROM t1 UNION ALL SELECT a FROM t2 ORDER BY 1',
    'SELECT a FROM t1 INTERSECT SELECT a FROM t2',
    'SELECT a FROM t1 EXCEPT SELECT a FROM t2',
    'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5) SELECT x FROM c',
    'WITH s AS (SELECT a FROM t1 WHERE a > 1) SELECT count(*) FROM s',
    'SELECT * FROM t2 NATURAL JOIN t2 AS u ORDER BY id',
    'SELECT * FROM t2 JOIN t2 AS u USING (id) ORDER BY id',
  ]));

  test('index and rowid lookups', () => script([
    ...SCHEMA,
    'SELECT * FROM t2 WHERE id = 2',
    "SELECT * FROM t2 WHERE id = '2'",
    'SELECT * FROM t2 WHERE id = 2.0',
    'SELECT * FROM t2 WHERE id > 1 AND id <= 3',
    'SELECT * FROM t2 WHERE id IN (3, 1, 1)',
    'SELECT * FROM t2 WHERE a = 2 ORDER BY id',
    "SELECT * FROM t2 WHERE a = '2' ORDER BY id",
    'SELECT * FROM t2 WHERE a > 1 ORDER BY id',
    'SELECT * FROM t2 WHERE a < 5 ORDER BY id',
    'SELECT * FROM t2 WHERE a IN (1, 5) ORDER BY id',
    "SELECT * FROM t2 WHERE name = 'y'",
    'SELECT rowid, * FROM t2 WHERE rowid = 3',
  ]));

  test('writes and constraints', () => script([
    ...SCHEMA,
    "INSERT INTO t2(id, a, name) VALUES (2, 9, 'dup')",
    "INSERT INTO t2(a, name) VALUES (9, 'x')",
    "INSERT OR IGNORE INTO t2(a, name) VALUES (9, 'x')",
    "INSERT OR REPLACE INTO t2(a, name) VALUES (9, 'x')",
    'SELECT * FROM t2 ORDER BY id',
    'SELECT changes(), total_changes(), last_insert_rowid()',
    "INSERT INTO t2(id, name) VALUES ('abc', 'q')",
    "INSERT INTO t2(id, name) VALUES ('7', 'q')",
    'CREATE TABLE t3(a NOT NULL, b CHECK (b > 0), c DEFAULT (1 + 1))',
    'INSERT INTO t3(a, b) VALUES (NULL, 1)',
    'INSERT INTO t3(a, b) VALUES (1, 0)',
    'INSERT INTO t3(a, b) VALUES (1, 5)',
    'INSERT INTO t3 DEFAULT VALUES',
    'SELECT * FROM t3',
    'UPDATE t2 SET a = a + 1 WHERE id > 2',
    "UPDATE t2 SET name = 'y' WHERE id = 1",
    'UPDATE OR IGNORE t2 SET name = \'y\' WHERE id = 1',
    'SELECT * FROM t2 ORDER BY id',
    'DELETE FROM t2 WHERE a = 3',
    'SELECT * FROM t2 ORDER BY id',
    'INSERT INTO t1 SELECT * FROM t1 WHERE a = 1',
    'SELECT count(*) FROM t1',
    'BEGIN',
    'DELETE FROM t1',
    'SELECT count(*) FROM t1',
    'ROLLBACK',
    'SELECT count(*) FROM t1',
    'SAVEPOINT s1',
    "INSERT INTO t1(a) VALUES (100)",
    'ROLLBACK TO s1',
    'RELEASE s1',
    'SELECT count(*) FROM t1 WHERE a = 100',
    'SELECT name, type FROM sqlite_master ORDER BY name',
  ]));

  test('RETURNING and upsert', () => script([
    ...SCHEMA,
    "INSERT INTO t2(a, name) VALUES (7, 'r') RETURNING id, a * 2 AS dbl, name",
    "INSERT INTO t2(a, name) VALUES (8, 's'), (9, 't') RETURNING *",
    'UPDATE t2 SET score = score + 1 WHERE a = 2 RETURNING id, score',
    'DELETE FROM t2 WHERE a > 7 RETURNING name, rowid',
    "INSERT INTO t2(id, a, name) VALUES (1, 100, 'x2') ON CONFLICT(id) DO UPDATE SET a = excluded.a, name = t2.name || '+' RETURNING *",
    "INSERT INTO t2(a, name) VALUES (50, 'y') ON CONFLICT(name) DO UPDATE SET score = 99 WHERE score > 100",
    "INSERT INTO t2(a, name) VALUES (50, 'y') ON CONFLICT(name) DO NOTHING",
    "INSERT INTO t2(a, name) VALUES (50, 'y') ON CONFLICT DO NOTHING",
    "INSERT INTO t2(a, name) VALUES (51, 'y') ON CONFLICT(a) DO NOTHING",
    "INSERT INTO t2(id, a, name) VALUES (2, 5, 'x') ON CONFLICT(id) DO UPDATE SET name = excluded.name",
    'SELECT * FROM t2 ORDER BY id',
    "CREATE TABLE kv(k TEXT PRIMARY KEY, v INT NOT NULL DEFAULT 0)",
    "INSERT INTO kv(k, v) VALUES ('a', 1) ON CONFLICT(k) DO UPDATE SET v = v + excluded.v",
    "INSERT INTO kv(k, v) VALUES ('a', 5) ON CONFLICT(k) DO UPDATE SET v = v + excluded.v",
    "INSERT INTO kv(k, v) VALUES ('a', 5), ('b', 2) ON CONFLICT(k) DO UPDATE SET v = v + excluded.v RETURNING k, v",
    'SELECT * FROM kv ORDER BY k',
  ]));

  test('introspection', () => script([
    ...SCHEMA,
    'CREATE VIEW v AS SELECT a, name FROM t2',
    "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name",
    "SELECT * FROM pragma_table_info('t2')",
    "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('t1') ORDER BY cid",
    "SELECT m.name, p.name, p.type FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY 1, 2",
    "SELECT * FROM pragma_index_list('t2') ORDER BY name",
    "SELECT * FROM pragma_index_info('t2a')",
    'PRAGMA table_info(t2)',
    'PRAGMA index_list(t2)',
    'PRAGMA user_version',
    'PRAGMA user_version = 7',
    'PRAGMA user_version',
  ]));

  test('triggers', () => script([
    'CREATE TABLE acct(id INTEGER PRIMARY KEY, bal INT NOT NULL)',
    'CREATE TABLE audit(id INTEGER PRIMARY KEY, what TEXT, acct INT, old INT, new INT)',
    "CREATE TRIGGER acct_ins AFTER INSERT ON acct BEGIN INSERT INTO audit(what, acct, new) VALUES ('ins', new.id, new.bal); END",
    "CREATE TRIGGER acct_upd AFTER UPDATE OF bal ON acct WHEN new.bal <> old.bal BEGIN INSERT INTO audit(what, acct, old, new) VALUES ('upd', new.id, old.bal, new.bal); END",
    "CREATE TRIGGER acct_del BEFORE DELETE ON acct BEGIN INSERT INTO audit(what, acct, old) VALUES ('del', old.id, old.bal); END",
    "CREATE TRIGGER acct_neg BEFORE UPDATE ON acct WHEN new.bal < 0 BEGIN SELECT RAISE(ABORT, 'negative balance'); END",
    "CREATE TRIGGER acct_ign BEFORE INSERT ON acct WHEN new.bal = 13 BEGIN SELECT RAISE(IGNORE); END",
    'INSERT INTO acct(bal) VALUES (100), (50), (13)',
    'UPDATE acct SET bal = bal - 10',
    'UPDATE acct SET bal = bal - 1000 WHERE id = 1',
    'UPDATE acct SET bal = bal WHERE id = 2',
    'DELETE FROM acct WHERE id = 2',
    'SELECT * FROM acct ORDER BY id',
    'SELECT * FROM audit ORDER BY id',
    "CREATE TRIGGER acct_ins AFTER INSERT ON acct BEGIN SELECT 1; END",
    "CREATE TRIGGER IF NOT EXISTS acct_ins AFTER INSERT ON acct BEGIN SELECT 1; END",
    "CREATE TRIGGER bad AFTER INSERT ON nosuch BEGIN SELECT 1; END",
    "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name",
    'DROP TRIGGER acct_upd',
    'DROP TRIGGER acct_upd',
    'DROP TABLE acct',
    "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'",
    'SELECT RAISE(ABORT, \'x\')',
  ]));

  test('right and full outer joins', () => script([
    'CREATE TABLE a(id INT, x TEXT)',
    'CREATE TABLE b(id INT, y TEXT)',
    'CREATE TABLE c(id INT, z TEXT)',
    "INSERT INTO a VALUES (1, 'a1'), (2, 'a2'), (NULL, 'an')",
    "INSERT INTO b VALUES (2, 'b2'), (3, 'b3'), (3, 'b3b')",
    "INSERT INTO c VALUES (3, 'c3'), (4, 'c4')",
    'SELECT * FROM a RIGHT JOIN b ON a.id = b.id ORDER BY 1, 2, 3, 4',
    'SELECT * FROM a FULL JOIN b ON a.id = b.id ORDER BY 1, 2, 3, 4',
    'SELECT a.x, b.y FROM a FULL OUTER JOIN b ON a.id = b.id WHERE a.x IS NULL ORDER BY 1, 2',
    'SELECT a.x, b.y FROM a RIGHT JOIN b ON a.id = b.id AND b.y = \'b3\' ORDER BY 1, 2',
    'SELECT a.x, b.y, c.z FROM a RIGHT JOIN b ON a.id = b.id JOIN c ON c.id = b.id ORDER BY 1, 2, 3',
    'SELECT a.x, b.y, c.z FROM a LEFT JOIN b ON a.id = b.id FULL JOIN c ON c.id = b.id ORDER BY 1, 2, 3',
    'SELECT count(*) FROM a FULL JOIN b USING (id)',
    'SELECT id, x, y FROM a FULL JOIN b USING (id) ORDER BY 1, 2, 3',
    'SELECT * FROM a FULL JOIN b USING (id) ORDER BY 1, 2, 3',
    'SELECT * FROM a RIGHT JOIN b USING (id) ORDER BY 1, 2, 3',
  ]));

  test('foreign keys', () => script([
    'PRAGMA foreign_keys',
    'PRAGMA foreign_keys = ON',
    'PRAGMA foreign_keys',
    'CREATE TABLE artist(id INTEGER PRIMARY KEY, name TEXT UNIQUE)',
    'CREATE TABLE album(id INTEGER PRIMARY KEY, artist_id INT REFERENCES artist(id) ON DELETE CASCADE ON UPDATE CASCADE, title TEXT)',
    'CREATE TABLE track(id INTEGER PRIMARY KEY, album_id INT, name TEXT, FOREIGN KEY (album_id) REFERENCES album ON DELETE SET NULL)',
    'CREATE TABLE review(id INTEGER PRIMARY KEY, artist_name TEXT REFERENCES artist(name) ON DELETE RESTRICT)',
    'CREATE TABLE note(id INTEGER PRIMARY KEY, artist_id INT REFERENCES artist)',
    "INSERT INTO artist VALUES (1, 'a'), (2, 'b'), (3, 'c')",
    "INSERT INTO album VALUES (10, 1, 'x'), (11, 1, 'y'), (12, 2, 'z')",
    "INSERT INTO album VALUES (13, 99, 'bad')",
    "INSERT INTO album VALUES (14, NULL, 'orphan ok')",
    "INSERT INTO track VALUES (100, 10, 't1'), (101, 11, 't2'), (102, 12, 't3')",
    "INSERT INTO review VALUES (1000, 'c')",
    "INSERT INTO note VALUES (5000, 2)",
    'DELETE FROM artist WHERE id = 1',
    'SELECT * FROM album ORDER BY id',
    'SELECT * FROM track ORDER BY id',
    'DELETE FROM artist WHERE id = 3',
    'DELETE FROM artist WHERE id = 2',
    'UPDATE artist SET id = 20 WHERE id = 2',
    "UPDATE album SET artist_id = 77 WHERE id = 12",
    'DELETE FROM note',
    'UPDATE artist SET id = 20 WHERE id = 2',
    'SELECT * FROM album ORDER BY id',
    'PRAGMA foreign_key_list(track)',
    'PRAGMA foreign_key_list(album)',
    "CREATE TABLE multi(a INT REFERENCES artist, b TEXT REFERENCES artist(name) ON DELETE CASCADE, x INT, y INT, FOREIGN KEY (x, y) REFERENCES q(m, n))",
    'SELECT * FROM pragma_foreign_key_list(\'multi\')',
    'BEGIN',
    "INSERT INTO album VALUES (15, 42, 'later')",
    'ROLLBACK',
    'SELECT count(*) FROM album',
    'PRAGMA foreign_keys = OFF',
    "INSERT INTO album VALUES (16, 42, 'unchecked')",
    'SELECT count(*) FROM album',
  ]));

  test('deferred foreign keys', () => script([
    'PRAGMA foreign_keys = ON',
    'CREATE TABLE p(id INTEGER PRIMARY KEY)',
    'CREATE TABLE c(id INTEGER PRIMARY KEY, pid INT REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)',
    'BEGIN',
    'INSERT INTO c VALUES (1, 7)',
    'COMMIT',
    'INSERT INTO p VALUES (7)',
    'COMMIT',
    'SELECT * FROM c',
    'INSERT INTO c VALUES (2, 8)',
    'SELECT count(*) FROM c',
  ]));

  test('json', () => script([
    'CREATE TABLE d(id INTEGER PRIMARY KEY, doc TEXT)',
    `INSERT INTO d(doc) VALUES ('{"a": 1, "b": [1, 2, {"c": null}], "s": "x"}'), ('[10, 20]'), ('not json')`,
    "SELECT json_extract(doc, '$.a'), doc -> '$.b', doc ->> '$.s', doc -> 'b' FROM d WHERE id = 1",
    'SELECT json_array(1, json(\'[2]\'), \'[3]\'), json_object(\'k\', json_array(1, 2))',
    "SELECT d.id, j.key, j.value, j.type FROM d, json_each(d.doc) j WHERE d.id < 3 ORDER BY 1, 2",
    "SELECT key, type, fullkey, path FROM json_tree('{\"x\": {\"y\": [1, 2]}}') ORDER BY fullkey",
    'SELECT json_group_array(id), json_group_object(id, json(doc)) FROM d WHERE json_valid(doc)',
    'SELECT json_extract(doc, \'$.a\') FROM d WHERE id = 3',
    "SELECT json_set('{\"a\":1}', '$.b', json('[1]')), json_insert('[1]', '$[#]', 2), json_remove('[1,2,3]', '$[1]'), json_type('{}'), json_valid('{')",
  ]));

  test('window functions', () => script([
    'CREATE TABLE s(id INTEGER PRIMARY KEY, dept TEXT, pay INT, at REAL)',
    "INSERT INTO s(dept, pay, at) VALUES ('a', 10, 1.5), ('a', 20, 2), ('a', 20, 3), ('b', 5, 1), ('b', NULL, 4), ('b', 7, 2.5), ('c', 1, 0)",
    'SELECT id, row_number() OVER (ORDER BY id) FROM s',
    'SELECT id, dept, pay, rank() OVER (PARTITION BY dept ORDER BY pay), dense_rank() OVER (PARTITION BY dept ORDER BY pay) FROM s ORDER BY id',
    'SELECT id, percent_rank() OVER (ORDER BY pay), cume_dist() OVER (ORDER BY pay), ntile(3) OVER (ORDER BY id) FROM s ORDER BY id',
    'SELECT id, lag(pay) OVER (ORDER BY id), lead(pay, 2, -1) OVER (ORDER BY id) FROM s ORDER BY id',
    'SELECT id, sum(pay) OVER (ORDER BY id), sum(pay) OVER (), count(*) OVER (PARTITION BY dept) FROM s ORDER BY id',
    'SELECT id, sum(pay) OVER (ORDER BY pay) FROM s ORDER BY id',
    'SELECT id, sum(pay) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM s ORDER BY id',
    'SELECT id, avg(pay) OVER (ORDER BY id ROWS 2 PRECEDING) FROM s ORDER BY id',
    'SELECT id, sum(pay) OVER (ORDER BY pay GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM s ORDER BY id',
    'SELECT id, sum(pay) OVER (ORDER BY at RANGE BETWEEN 1 PRECEDING AND 0.5 FOLLOWING) FROM s ORDER BY id',
    'SELECT id, sum(pay) OVER (ORDER BY pay ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW) FROM s ORDER BY id',
    'SELECT id, sum(pay) OVER (ORDER BY pay RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE TIES) FROM s ORDER BY id',
    'SELECT id, first_value(pay) OVER w, last_value(pay) OVER w, nth_value(pay, 2) OVER w FROM s WINDOW w AS (PARTITION BY dept ORDER BY id) ORDER BY id',
    'SELECT dept, sum(pay), rank() OVER (ORDER BY sum(pay) DESC) FROM s GROUP BY dept ORDER BY dept',
    'SELECT id, group_concat(id) OVER (PARTITION BY dept ORDER BY id) FROM s ORDER BY id',
    'SELECT id, count(*) FILTER (WHERE pay > 6) OVER (ORDER BY id) FROM s ORDER BY id',
    'SELECT dept, row_number() OVER (PARTITION BY dept ORDER BY pay DESC) AS rn FROM s',
    'SELECT id FROM s WHERE row_number() OVER () > 1',
    'SELECT row_number() FROM s',
    'SELECT abs(pay) OVER () FROM s',
  ]));

  test('autoincrement and sqlite_sequence', () => script([
    'CREATE TABLE plain(a)',
    'CREATE TABLE ai(id INTEGER PRIMARY KEY AUTOINCREMENT, v)',
    'CREATE TABLE ai2(id INTEGER PRIMARY KEY AUTOINCREMENT, v)',
    "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rootpage",
    'SELECT * FROM sqlite_sequence',
    "INSERT INTO ai(v) VALUES ('a'), ('b')",
    'DELETE FROM ai WHERE id = 2',
    "INSERT INTO ai(v) VALUES ('c') RETURNING id",
    "INSERT INTO ai(id, v) VALUES (10, 'd')",
    "INSERT INTO ai(v) VALUES ('e') RETURNING id",
    'SELECT * FROM sqlite_sequence ORDER BY name',
    'DELETE FROM ai',
    "INSERT INTO ai(v) VALUES ('f') RETURNING id",
    'SELECT * FROM sqlite_sequence ORDER BY name',
  ]));

  test('expression and partial indexes', () => script([
    'CREATE TABLE u(id INTEGER PRIMARY KEY, email TEXT, deleted INT, score REAL)',
    "INSERT INTO u(email, deleted, score) VALUES ('A@x.io', 0, 1.5), ('b@x.io', 1, 2), ('B@x.io', 0, 3), ('c@y.io', NULL, 4)",
    'CREATE INDEX u_lower ON u(lower(email))',
    'CREATE UNIQUE INDEX u_live_email ON u(email) WHERE deleted = 0',
    'CREATE INDEX u_bad ON u(random())',
    'CREATE INDEX u_bad2 ON u(email) WHERE score > ?',
    'CREATE INDEX u_bad3 ON u(nosuch + 1)',
    "SELECT id FROM u WHERE lower(email) = 'b@x.io' ORDER BY id",
    "SELECT id FROM u WHERE email = 'B@x.io' AND deleted = 0",
    "SELECT id FROM u WHERE email = 'b@x.io'",
    "INSERT INTO u(email, deleted) VALUES ('A@x.io', 1)",
    "INSERT INTO u(email, deleted) VALUES ('A@x.io', 0)",
    "UPDATE u SET deleted = 0 WHERE email = 'b@x.io'",
    "UPDATE u SET email = 'C@Y.IO' WHERE id = 4",
    "SELECT id, email FROM u WHERE lower(email) = 'c@y.io'",
    "CREATE UNIQUE INDEX u_ci ON u(lower(email))",
    'PRAGMA integrity_check',
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name",
  ]));

  test('WITHOUT ROWID tables', () => script([
    'CREATE TABLE kv(k TEXT PRIMARY KEY, v INT) WITHOUT ROWID',
    'CREATE TABLE pair(a INT, b INT, c TEXT, PRIMARY KEY (a, b)) WITHOUT ROWID',
    'CREATE TABLE nopk(a INT) WITHOUT ROWID',
    "INSERT INTO kv VALUES ('b', 2), ('a', 1)",
    "INSERT INTO kv VALUES ('a', 3)",
    "INSERT INTO kv VALUES (NULL, 3)",
    'INSERT INTO pair VALUES (1, 2, \'x\'), (1, 3, \'y\')',
    'INSERT INTO pair VALUES (1, 2, \'z\')',
    'SELECT rowid FROM kv',
    "SELECT * FROM kv WHERE k = 'a'",
    "UPDATE kv SET v = v + 10 WHERE k = 'b' RETURNING *",
    "DELETE FROM pair WHERE b = 3",
    'SELECT * FROM pair',
    "INSERT INTO kv VALUES ('c', 5) ON CONFLICT(k) DO UPDATE SET v = excluded.v",
    "INSERT INTO kv VALUES ('c', 6) ON CONFLICT(k) DO UPDATE SET v = excluded.v",
    'SELECT * FROM kv ORDER BY k',
  ]));

  test('errors', () => script([
    ...SCHEMA,
    'SELECT nosuch FROM t1',
    'SELECT * FROM nosuch',
    'SELEC 1',
    'CREATE TABLE t1(x)',
    'DROP TABLE nosuch',
    'COMMIT',
    'SELECT a FROM t1, t2',
    'SELECT count(*) FROM t1 GROUP BY count(*)',
  ]));
});
