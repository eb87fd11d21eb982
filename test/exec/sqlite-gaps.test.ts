// Gaps closed against SQLite (better-sqlite3 is the oracle): each script runs on both engines and
// every statement's rows, or its error code and message, must agree; so must the final contents.
import BetterSqlite3 from 'better-sqlite3';
import { Database } from '../../src';

type Outcome = { rows: unknown[][] } | { error: string; message: string };

interface Conn {
  prepare(sql: string): { reader: boolean; raw(on?: boolean): unknown; safeIntegers(on?: boolean): unknown; all(): unknown[]; run(): { changes: number } };
}

function normalize(v: unknown): unknown {
  if (v instanceof Uint8Array) return `blob:${Buffer.from(v).toString('hex')}`;
  if (typeof v === 'bigint') return `int:${v}`;
  if (typeof v === 'number') return `real:${Object.is(v, -0) ? 0 : v}`;
  return v;
}

function runOn(db: Conn, sql: string): Outcome {
  try {
    const st = db.prepare(sql);
    if (!st.reader) return { rows: [[`changes:${st.run().changes}`]] };
    st.safeIntegers(true);
    st.raw(true);
    return { rows: (st.all() as unknown[][]).map((r) => r.map(normalize)) };
  } catch (e) {
    const err = e as { code?: string; message: string };
    return { error: `${err.code ?? 'no code'}`, message: err.message };
  }
}

function script(statements: string[]): void {
  const ours = new (Database as unknown as new () => Conn)();
  const theirs = new BetterSqlite3(':memory:') as unknown as Conn;
  for (const sql of statements) expect({ sql, ...runOn(ours, sql) }).toEqual({ sql, ...runOn(theirs, sql) });
}

describe('WITH before INSERT, UPDATE and DELETE', () => {
  const T = ['CREATE TABLE t(a INTEGER PRIMARY KEY, b)', 'INSERT INTO t VALUES (1, 10), (2, 20), (3, 30)'];

  test('nested WITHs, shadowing, recursive CTEs reading a table; no WITH before DML in a trigger body', () => script([
    'CREATE TABLE t(a INTEGER PRIMARY KEY, b)',
    'INSERT INTO t VALUES (1, 1), (2, 2)',
    'CREATE TRIGGER tr AFTER INSERT ON t BEGIN WITH c(x) AS (SELECT 1) UPDATE t SET b = 0 WHERE a IN c; END',
    'CREATE TRIGGER tr2 AFTER INSERT ON t BEGIN UPDATE t SET b = 0 WHERE a IN (WITH c(x) AS (SELECT 1) SELECT x FROM c); END',
    'INSERT INTO t VALUES (3, 3)',
    'SELECT * FROM t',
    'WITH c(x) AS (SELECT 1) SELECT * FROM (SELECT * FROM t WHERE a IN c)',
    'WITH c(x) AS (SELECT 1) SELECT (SELECT (SELECT x FROM c))',
    'WITH c(x) AS (SELECT 2) SELECT * FROM t WHERE a = (WITH d AS (SELECT x FROM c) SELECT * FROM d)',
    'WITH c(x) AS (SELECT 1) SELECT * FROM t WHERE a IN (WITH c(x) AS (SELECT 3) SELECT x FROM c)',
    'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < (SELECT max(a) FROM t)) SELECT * FROM c',
    'WITH c(x) AS (SELECT 1) INSERT INTO t SELECT x + 10, (SELECT count(*) FROM c) FROM c',
    'WITH c AS MATERIALIZED (SELECT 1 AS x) DELETE FROM t WHERE a IN c',
    'SELECT * FROM t',
  ]));

  test('INSERT: WITH before the statement and before its SELECT', () => script([
    ...T,
    'WITH c(x) AS (VALUES (1), (2)) INSERT INTO t(b) SELECT x * 100 FROM c',
    'INSERT INTO t(b) WITH c(x) AS (VALUES (5)) SELECT x FROM c',
    'WITH c(x) AS (SELECT 7) INSERT INTO t(b) WITH d(y) AS (SELECT x + 1 FROM c) SELECT y FROM d',
    'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) INSERT INTO t(b) SELECT n FROM r',
    'WITH c(x) AS (SELECT 41) INSERT INTO t(b) VALUES ((SELECT x + 1 FROM c))',
    'WITH c(x) AS (SELECT 1) REPLACE INTO t VALUES (100, (SELECT x FROM c))',
    'WITH c(x) AS (SELECT 9) INSERT INTO t VALUES (100, 0) ON CONFLICT(a) DO UPDATE SET b = (SELECT x FROM c)',
    'WITH c(x) AS (SELECT 3) INSERT INTO t(b) VALUES (1) RETURNING a, (SELECT x FROM c)',
    'SELECT * FROM t ORDER BY a',
  ]));

  test('UPDATE and DELETE: subqueries, IN <cte>, FROM <cte>, RETURNING', () => script([
    ...T,
    'WITH c(x) AS (SELECT 1) UPDATE t SET b = b + 1 WHERE a IN (SELECT x FROM c)',
    'WITH c(x) AS (SELECT 2) UPDATE t SET b = (SELECT x * 1000 FROM c) WHERE a IN c',
    'WITH c(k, v) AS (VALUES (3, 333)) UPDATE t SET b = c.v FROM c WHERE c.k = t.a',
    'WITH c(x) AS (SELECT 1) UPDATE t SET b = -b WHERE EXISTS (SELECT 1 FROM c WHERE x = t.a) RETURNING *',
    'SELECT * FROM t ORDER BY a',
    'WITH c(x) AS (SELECT 2) DELETE FROM t WHERE a IN c',
    'WITH RECURSIVE r(n) AS (SELECT 3 UNION ALL SELECT n + 1 FROM r WHERE n < 9) DELETE FROM t WHERE a IN r RETURNING a',
    'SELECT * FROM t ORDER BY a',
  ]));

  test('the target is always the table, even when a CTE has its name', () => script([
    ...T,
    'WITH t(a) AS (SELECT 2) DELETE FROM t WHERE a IN (SELECT a FROM t)',
    'SELECT * FROM t ORDER BY a',
    'WITH t(x) AS (SELECT 1) UPDATE t SET b = 0 WHERE a = 1',
    'WITH t(x) AS (SELECT 5) INSERT INTO t(a, b) SELECT x, x FROM t',
    'SELECT * FROM t ORDER BY a',
    'WITH u(x) AS (SELECT 1) DELETE FROM u',
    'WITH u(x) AS (SELECT 1) INSERT INTO u VALUES (1)',
  ]));

  test('CTEs reach subqueries of a SELECT, but not a view or a trigger', () => script([
    ...T,
    'WITH c(x) AS (SELECT 1) SELECT (SELECT x FROM c), a FROM t WHERE a IN (SELECT x FROM c)',
    'WITH c(x) AS (SELECT 2) SELECT a FROM t WHERE a IN c',
    'WITH c(x) AS (SELECT 3) SELECT a FROM t WHERE EXISTS (SELECT 1 FROM c WHERE x = a)',
    'CREATE TABLE c(x)',
    'INSERT INTO c VALUES (3)',
    'CREATE VIEW v AS SELECT a FROM t WHERE a IN (SELECT x FROM c)',
    'WITH c(x) AS (SELECT 1) SELECT * FROM v',
    'CREATE TABLE log(m)',
    'CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES ((SELECT count(*) FROM c)); END',
    'WITH c(x) AS (SELECT 1) INSERT INTO t(b) VALUES (0)',
    'SELECT * FROM log',
    'SELECT count(*) FROM t',
    'WITH c(x, y) AS (SELECT 1) SELECT * FROM c',
    'WITH RECURSIVE c(x, y) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3) SELECT * FROM c',
  ]));

  test('errors in a CTE of a DML statement change nothing', () => script([
    ...T,
    'WITH c(x) AS (SELECT nope FROM t) DELETE FROM t WHERE a IN c',
    'WITH c(x, y) AS (SELECT 1) UPDATE t SET b = 0 WHERE a IN (SELECT x FROM c)',
    'WITH c(x) AS (SELECT 1), c(y) AS (SELECT 2) INSERT INTO t(b) SELECT x FROM c',
    'SELECT * FROM t ORDER BY a',
  ]));
});

// better-sqlite3 builds SQLite with SQLITE_DQS=0: a double-quoted name that is no column is an
// error (with SQLite's hint), never a string. DEFAULT is the exception: a name there is its text.
describe('double-quoted names (DQS off, as in better-sqlite3)', () => {
  test('a double-quoted name that matches no column is an error, with the hint', () => script([
    'CREATE TABLE t(a INTEGER PRIMARY KEY, b)',
    'INSERT INTO t VALUES (1, 2)',
    'SELECT "a", "b" FROM t',
    'SELECT "abc" FROM t',
    'SELECT "abc"',
    'SELECT t."zz" FROM t',
    'SELECT "zz".a FROM t',
    'SELECT [zz] FROM t',
    'SELECT `zz` FROM t',
    'SELECT "a""b" FROM t',
    'INSERT INTO t(b) VALUES ("hello")',
    'UPDATE t SET b = "x" WHERE a = 1',
    'DELETE FROM t WHERE b = "x"',
    'SELECT * FROM t ORDER BY "nope"',
    'SELECT a AS "al" FROM t ORDER BY "al"',
    'SELECT * FROM t',
  ]));

  test('CREATE TABLE refuses a CHECK that reads no column of the table (the hint for a double-quoted one); CREATE INDEX too', () => script([
    'CREATE TABLE w(x CHECK (x <> "k"))',
    'CREATE TABLE w2(x CHECK (x <> nope))',
    'CREATE TABLE w3(x, CHECK (w3.x > 0 AND rowid > 0 AND oid > 0))',
    'CREATE TABLE w4(x PRIMARY KEY, CHECK (rowid > 0)) WITHOUT ROWID',
    'CREATE TABLE w5(x, CHECK (other.x > 0))',
    'CREATE TABLE w6(x CHECK ("x" > 0), y CHECK (y > x))',
    'INSERT INTO w6 VALUES (1, 2)',
    'INSERT INTO w6 VALUES (1, 0)',
    'CREATE TABLE w7(x CHECK (x IN (SELECT 1)))',
    'CREATE TABLE w8(x CHECK (x > \'a\' COLLATE nocase), y CHECK (lower(y) = y))',
    'SELECT name FROM sqlite_master ORDER BY name',
    'CREATE TABLE s(a)',
    'CREATE INDEX i ON s("nope")',
    'CREATE INDEX i2 ON s(a, nope)',
  ]));

  test('the hint everywhere a name is resolved: upsert targets, RETURNING, GROUP BY, HAVING, USING, trigger bodies', () => script([
    'CREATE TABLE t(a UNIQUE, b)',
    'INSERT INTO t("zz") VALUES (1)',
    'UPDATE t SET "zz" = 1',
    'INSERT INTO t VALUES (1, 2) RETURNING "zz"',
    'INSERT INTO t VALUES (1, 2) ON CONFLICT("zz") DO NOTHING',
    'SELECT a FROM t GROUP BY "zz"',
    'SELECT count(*) FROM t HAVING "zz" > 0',
    'SELECT * FROM t JOIN t AS u USING ("zz")',
    'CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT "zz"; END',
    'INSERT INTO t VALUES (3, 4)',
    'SELECT * FROM t WHERE a IN (SELECT "zz" FROM t)',
    'SELECT "t"."a" FROM t',
    'SELECT "a" FROM (SELECT 1 AS "a")',
    'SELECT "a", min("a"), min(a) FROM t GROUP BY a ORDER BY "a"',
  ]));

  test('DEFAULT <name> is the name as a string, quoted or not', () => script([
    'CREATE TABLE s(a DEFAULT "q", b DEFAULT qq, c DEFAULT [zz], d DEFAULT `bq`, e DEFAULT true, f DEFAULT "x""y")',
    'INSERT INTO s DEFAULT VALUES',
    'INSERT INTO s(a) VALUES (1)',
    'SELECT * FROM s',
    'SELECT name, dflt_value FROM pragma_table_info(\'s\')',
    'ALTER TABLE s ADD COLUMN g DEFAULT "later"',
    'ALTER TABLE s ADD COLUMN h DEFAULT later2',
    'INSERT INTO s(a) VALUES (2)',
    'SELECT * FROM s',
    'INSERT INTO s(a) VALUES (3) ON CONFLICT DO NOTHING',
    'SELECT g, h FROM s WHERE a = 3',
  ]));
});

describe('sqlite_sequence written as a .dump replays it', () => {
  test('INSERT, UPDATE and DELETE set the AUTOINCREMENT counter, with or without WITH', () => script([
    'CREATE TABLE u(x INTEGER PRIMARY KEY AUTOINCREMENT, y)',
    'DELETE FROM sqlite_sequence',
    "INSERT INTO sqlite_sequence VALUES('u', 50)",
    'INSERT INTO u(y) VALUES (1)',
    'SELECT * FROM sqlite_sequence',
    "INSERT INTO sqlite_sequence VALUES('u')",
    "INSERT INTO sqlite_sequence(name) VALUES('u', 1)",
    'UPDATE sqlite_sequence SET seq = seq + 10',
    'INSERT INTO u(y) VALUES (2)',
    "WITH c(v) AS (SELECT 100) UPDATE sqlite_sequence SET seq = (SELECT v FROM c) WHERE name = 'u'",
    'INSERT INTO u(y) VALUES (3)',
    "WITH c(n) AS (SELECT 'u') DELETE FROM sqlite_sequence WHERE name IN c",
    'INSERT INTO u(y) VALUES (4)',
    // (A dump deletes first: SQLite keeps a second row for the same name, which AmberDB's per-table counter cannot.)
    'DELETE FROM sqlite_sequence',
    "WITH c(n, s) AS (VALUES ('u', 500)) INSERT INTO sqlite_sequence SELECT n, s FROM c",
    'INSERT INTO u(y) VALUES (5)',
    'SELECT * FROM u',
    'SELECT * FROM sqlite_sequence',
  ]));
});

describe('generated columns', () => {
  const T = "CREATE TABLE t(a INTEGER PRIMARY KEY, b INT, c AS (b*2), d TEXT GENERATED ALWAYS AS (a || '-' || c) STORED, e INT AS (b + 0.5) VIRTUAL NOT NULL)";

  test('computed on INSERT, UPDATE, upsert and REPLACE; affinity; RETURNING', () => script([
    T,
    'INSERT INTO t VALUES (1, 2)',
    "INSERT INTO t(b) VALUES ('7')",
    'SELECT *, typeof(c), typeof(d), typeof(e) FROM t',
    'UPDATE t SET b = b + 1',
    'INSERT INTO t(b) VALUES (3) RETURNING *',
    'INSERT INTO t VALUES (1, 9) ON CONFLICT DO UPDATE SET b = excluded.b + 100',
    'REPLACE INTO t VALUES (2, 50)',
    'INSERT INTO t SELECT 10, b FROM t WHERE a = 2',
    'SELECT * FROM t ORDER BY a',
  ]));

  test('writing a generated column is an error that changes nothing', () => script([
    T,
    'INSERT INTO t VALUES (1, 2)',
    'INSERT INTO t VALUES (2, 2, 3)',
    'INSERT INTO t(a, b, c) VALUES (5, 2, 3)',
    'INSERT INTO t(d) VALUES (1)',
    'UPDATE t SET c = 1',
    'UPDATE t SET b = 5, e = 1',
    'INSERT INTO t VALUES (1, 9) ON CONFLICT DO UPDATE SET c = 1',
    'INSERT INTO t(b) VALUES (NULL)',
    'SELECT * FROM t',
  ]));

  test('PRAGMA table_info leaves them out; table_xinfo marks them 2 (VIRTUAL) or 3 (STORED)', () => script([
    T,
    'PRAGMA table_info(t)',
    'PRAGMA table_xinfo(t)',
    "SELECT name, hidden FROM pragma_table_xinfo('t')",
  ]));

  test('CREATE TABLE checks what SQLite checks', () => script([
    'CREATE TABLE g(x AS (1))',
    'CREATE TABLE g(x, y AS (x) DEFAULT 3)',
    'CREATE TABLE g(x, y AS (x) PRIMARY KEY)',
    'CREATE TABLE g(x, y AS (x), PRIMARY KEY(y))',
    'CREATE TABLE g(x, y AS (random()))',
    'CREATE TABLE g(x, y AS ((SELECT 1)))',
    'CREATE TABLE g(x, y AS (x IN (SELECT 1)))',
    'CREATE TABLE g(x, y AS (z))',
    'CREATE TABLE g(x, y AS (z+1), z AS (y+1))',
    'CREATE TABLE g(x, y AS (y))',
    'CREATE TABLE g(x, y AS (x) BOGUS)',
    "SELECT count(*) FROM sqlite_master WHERE name = 'g'",
    'CREATE TABLE g(x, z AS (y * 2), y AS (x + 1) STORED, w AS (rowid))',
    'INSERT INTO g(x) VALUES (1), (2)',
    'SELECT * FROM g',
  ]));

  test('indexes, UNIQUE and CHECK see the computed values', () => script([
    T,
    'INSERT INTO t(b) VALUES (1), (2), (8)',
    'CREATE INDEX tc ON t(c)',
    'SELECT a FROM t WHERE c = 16',
    'CREATE UNIQUE INDEX te ON t(e)',
    'INSERT INTO t(b) VALUES (2)',
    'UPDATE t SET b = 1 WHERE a = 2',
    'CREATE INDEX tx ON t(c + e)',
    'SELECT a FROM t WHERE c + e > 10',
    "CREATE TABLE h(x, y AS (x || 'z') STORED UNIQUE, CHECK (y <> 'bz'))",
    "INSERT INTO h VALUES ('a')",
    "INSERT INTO h VALUES ('a')",
    "INSERT INTO h VALUES ('b')",
    "INSERT OR IGNORE INTO h VALUES ('a')",
    'SELECT * FROM h',
    'SELECT * FROM t ORDER BY a',
  ]));

  test('ALTER TABLE ADD COLUMN: VIRTUAL is computed for existing rows, STORED is refused', () => script([
    T,
    'INSERT INTO t(b) VALUES (1), (2)',
    'ALTER TABLE t ADD COLUMN f AS (b * 10) STORED',
    'ALTER TABLE t ADD COLUMN f AS (b * 10)',
    'ALTER TABLE t ADD COLUMN g AS (nope)',
    'SELECT * FROM t',
    'INSERT INTO t(b) VALUES (3)',
    'SELECT * FROM t',
    'SELECT sql FROM sqlite_master',
  ]));

  test('ALTER TABLE RENAME and DROP COLUMN keep generated columns working', () => script([
    'CREATE TABLE t(a INTEGER PRIMARY KEY, b INT, c AS (b*2), d AS (c+1) STORED, z)',
    'INSERT INTO t(b) VALUES (1)',
    'ALTER TABLE t RENAME COLUMN b TO bb',
    'INSERT INTO t(bb) VALUES (2)',
    'SELECT * FROM t',
    'SELECT sql FROM sqlite_master',
    'ALTER TABLE t DROP COLUMN bb',
    'ALTER TABLE t DROP COLUMN c',
    'ALTER TABLE t DROP COLUMN d',
    'ALTER TABLE t DROP COLUMN z',
    'SELECT * FROM t',
    'INSERT INTO t(bb) VALUES (3)',
    'SELECT * FROM t',
    'ALTER TABLE t RENAME TO t2',
    'INSERT INTO t2(bb) VALUES (4)',
    'SELECT * FROM t2',
  ]));

  test('triggers see NEW and OLD generated values; WITHOUT ROWID, CHECK, UNIQUE, COLLATE, views, CREATE TABLE AS', () => script([
    'CREATE TABLE t(a INTEGER PRIMARY KEY, b INT DEFAULT 4, c AS (b*2))',
    'CREATE TABLE log(w, x, y)',
    'CREATE TRIGGER bi BEFORE INSERT ON t BEGIN INSERT INTO log VALUES (\'bi\', new.b, new.c); END',
    'CREATE TRIGGER ai AFTER INSERT ON t BEGIN INSERT INTO log VALUES (\'ai\', new.b, new.c); END',
    'CREATE TRIGGER bu BEFORE UPDATE ON t BEGIN INSERT INTO log VALUES (\'bu\', old.c, new.c); END',
    'CREATE TRIGGER au AFTER UPDATE ON t BEGIN INSERT INTO log VALUES (\'au\', old.c, new.c); END',
    'INSERT INTO t DEFAULT VALUES',
    'INSERT INTO t(b) VALUES (10)',
    'UPDATE t SET b = 1 WHERE a = 1',
    'SELECT * FROM log',
    'SELECT * FROM t',
    'CREATE TABLE w(k TEXT PRIMARY KEY, v, g AS (upper(k) || v)) WITHOUT ROWID',
    'INSERT INTO w VALUES (\'a\', 1), (\'b\', 2)',
    'UPDATE w SET v = v + 1',
    'SELECT * FROM w',
    'CREATE TABLE c2(x INT, y AS (x > 0) CHECK (y), z AS (x) UNIQUE)',
    'INSERT INTO c2 VALUES (1)',
    'INSERT INTO c2 VALUES (-1)',
    'INSERT INTO c2 VALUES (1)',
    'SELECT * FROM c2',
    'CREATE VIEW vv AS SELECT * FROM t',
    'SELECT * FROM vv',
    'CREATE TABLE f(x, y GENERATED ALWAYS AS (x) VIRTUAL COLLATE NOCASE)',
    'INSERT INTO f VALUES (\'A\'), (\'a\')',
    'SELECT * FROM f WHERE y = \'a\'',
    'SELECT typeof(y) FROM f',
    'CREATE TABLE p AS SELECT * FROM t',
    'PRAGMA table_xinfo(p)',
  ]));

  test('foreign-key cascades recompute generated columns of the child', () => script([
    'PRAGMA foreign_keys = ON',
    'CREATE TABLE parent(id INTEGER PRIMARY KEY)',
    'CREATE TABLE child(pid REFERENCES parent(id) ON UPDATE CASCADE ON DELETE SET NULL, g AS (coalesce(pid * 10, -1)), h AS (g + 1) STORED)',
    'INSERT INTO parent VALUES (1), (2)',
    'INSERT INTO child(pid) VALUES (1), (2)',
    'UPDATE parent SET id = 5 WHERE id = 1',
    'SELECT * FROM child',
    'DELETE FROM parent WHERE id = 2',
    'SELECT * FROM child',
  ]));

  test('upserts on a generated UNIQUE column, renames, qualified names, parameters, functions', () => script([
    'CREATE TABLE q(x, y AS (x * 2) UNIQUE, z AS (y + 1))',
    'INSERT INTO q VALUES (1)',
    'INSERT INTO q SELECT * FROM q',
    'INSERT INTO q SELECT x FROM q',
    'INSERT INTO q VALUES (1) ON CONFLICT(y) DO UPDATE SET x = 5',
    'INSERT INTO q VALUES (5) ON CONFLICT(y) DO NOTHING',
    'INSERT INTO q VALUES (7) ON CONFLICT(y) DO UPDATE SET x = excluded.x + excluded.y',
    'SELECT * FROM q',
    'ALTER TABLE q RENAME COLUMN y TO yy',
    'INSERT INTO q VALUES (100)',
    'SELECT * FROM q',
    'SELECT sql FROM sqlite_master',
    'ALTER TABLE q DROP COLUMN z',
    'ALTER TABLE q DROP COLUMN yy',
    'SELECT * FROM q',
    'CREATE TABLE r(x, y AS (t.x))',
    'CREATE TABLE r(x, y AS (r.x))',
    'INSERT INTO r VALUES (3)',
    'SELECT * FROM r',
    'CREATE TABLE s(x, y AS (x) STORED NOT NULL ON CONFLICT REPLACE)',
    'CREATE TABLE u(x INTEGER, y AS (x + ?))',
    'CREATE TABLE u(x, y AS (coalesce(x, \'none\')), z AS (length(y)) STORED, w AS (json_array(x, y)))',
    'INSERT INTO u VALUES (NULL), (\'abc\'), (x\'0102\')',
    'SELECT *, typeof(z) FROM u',
    'UPDATE u SET x = x || \'d\'',
    'SELECT * FROM u',
  ]));
});

// better-sqlite3 does not compile SQLite's series extension in, so generate_series is unknown to the
// oracle; AmberDB matches it (an unknown table-valued function is a missing table).
describe('table-valued functions SQLite does not have', () => {
  test('generate_series and other unknown names: no such table', () => script([
    'SELECT * FROM generate_series(1, 3)',
    'SELECT * FROM foo(1)',
    'SELECT * FROM main.foo(1)',
    'SELECT * FROM pragma_nosuch(1)',
    'CREATE TABLE foo(x)',
    'SELECT * FROM foo(1)',
    "SELECT value FROM json_each('[1, 2]')",
  ]));
});

// A SQLite record leaves VIRTUAL generated columns out; serialize() and new Database(buffer) map
// AmberDB's rows (which keep them) to and from that layout.
describe('generated columns in SQLite file images', () => {
  const SETUP = "CREATE TABLE t(a INTEGER PRIMARY KEY, b, c AS (b * 2), d AS (b || 'x') STORED, e); INSERT INTO t(b, e) VALUES (1, 'e1'), (2, 'e2'); CREATE INDEX tc ON t(c);";
  type Db = { exec(sql: string): unknown; serialize(): Buffer; prepare(sql: string): { raw(on?: boolean): { all(): unknown[] }; pluck(on?: boolean): { get(): unknown } } };
  const rows = (db: Db) => db.prepare('SELECT * FROM t WHERE c > 0 ORDER BY a').raw(true).all();

  test('SQLite reads what serialize() writes, and AmberDB reads what SQLite serializes', () => {
    const ours = new (Database as unknown as new (b?: Buffer) => Db)();
    ours.exec(SETUP);
    const lite = new BetterSqlite3(ours.serialize()) as unknown as Db;
    expect(lite.prepare('PRAGMA integrity_check').pluck(true).get()).toBe('ok');
    const oracle = new BetterSqlite3(':memory:') as unknown as Db;
    oracle.exec(SETUP);
    expect(rows(lite)).toEqual(rows(oracle));
    const back = new (Database as unknown as new (b?: Buffer) => Db)(oracle.serialize());
    expect(rows(back)).toEqual(rows(oracle));
    back.exec("INSERT INTO t(b, e) VALUES (3, 'e3')");
    oracle.exec("INSERT INTO t(b, e) VALUES (3, 'e3')");
    expect(rows(back)).toEqual(rows(oracle));
  });
});
