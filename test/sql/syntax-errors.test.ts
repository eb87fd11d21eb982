// Bad statements: the parser's message must be the one SQLite gives, word for word. SQLite is asked
// live, so a new SQLite wording shows up here as a failure rather than as a stale expectation.
import { AmberError } from '../../src/value/amber-error';
import { parseScript } from '../../src/sql/parser';
import { sqliteError } from './oracle';

const BAD_STATEMENTS: readonly string[] = [
  "SELECT * FORM t",
  "SELECT a FORM t",
  "SELECT",
  "SELECT * FROM",
  "SELECT * FROM t WHERE",
  "SELECT 'abc",
  "SELECT \"abc",
  "SELECT [abc",
  "SELECT `abc",
  "SELECT 123abc",
  "SELECT 1e",
  "SELECT 0x",
  "SELECT 1.x",
  "SELECT x'abc'",
  "SELECT x'zz'",
  "SELECT 1 # 2",
  "SELECT 1 ! 2",
  "SELECT :",
  "SELECT @",
  "SELECT 1 +",
  "SELECT (1",
  "SELECT (1, 2",
  "SELECT f(",
  "SELECT 1 2",
  "SELECT * FROM t left",
  "SELECT 1 like",
  "SELECT a FROM t WHERE a = = 1",
  "SELECT a FROM t GROUP a",
  "SELECT a FROM t ORDER a",
  "SELECT a FROM t LIMIT",
  "SELECT DISTINCT FROM t",
  "SELECT a, FROM t",
  "SELECT * FROM t JOIN",
  "SELECT * FROM t JOIN u ON",
  "SELECT * FROM t, ",
  "SELECT CASE END",
  "SELECT CASE WHEN 1 END",
  "SELECT CAST(1 AS INTEGER",
  "SELECT CAST 1",
  "SELECT a NOT FROM t",
  "SELECT a IS FROM t",
  "SELECT a BETWEEN 1 FROM t",
  "SELECT a IN FROM t",
  "SELECT count(*) OVER ( FROM t",
  "SELECT sum(a) OVER (ROWS) FROM t",
  "SELECT * FROM t WINDOW w",
  "SELECT a window w",
  "select a window w as",
  "VALUES",
  "VALUES (1) LIMIT 1",
  "VALUES ()",
  "INSERT INTO t",
  "INSERT INTO t VALUES",
  "INSERT INTO t VALUES (1",
  "INSERT t VALUES (1)",
  "INSERT INTO t (a VALUES (1)",
  "INSERT INTO t VALUES (1) ON CONFLICT DO",
  "INSERT INTO t VALUES (1) ON CONFLICT (a) DO UPDATE",
  "INSERT INTO t SELECT * FROM u ON CONFLICT DO NOTHING",
  "REPLACE t VALUES (1)",
  "UPDATE t",
  "UPDATE t SET",
  "UPDATE t SET a =",
  "UPDATE t SET a = 1 WHERE",
  "UPDATE t x SET a = 1",
  "DELETE t",
  "DELETE FROM",
  "DELETE FROM t WHERE",
  "CREATE TABLE",
  "CREATE TABLE t",
  "CREATE TABLE t9 (",
  "CREATE TABLE t9 ()",
  "CREATE TABLE t9 (a,)",
  "CREATE TABLE t9 (a INT PRIMARY)",
  "CREATE TABLE t9 (a) WITHOUT foo",
  "CREATE TABLE t9 (a) STRICTLY",
  "CREATE TABLE t9 (a DEFAULT)",
  "CREATE TABLE t9 (a CHECK a > 0)",
  "CREATE TABLE t9 (a REFERENCES)",
  "CREATE TABLE t9 (a, PRIMARY KEY)",
  "CREATE TABLE t9 (a AS (1) FOO)",
  "CREATE INDEX ON t (a)",
  "CREATE INDEX i ON t",
  "CREATE INDEX i ON t ()",
  "CREATE VIEW v",
  "CREATE VIEW v AS",
  "CREATE TRIGGER tr AFTER INSERT ON t BEGIN END",
  "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; ",
  "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1 END",
  "CREATE TRIGGER tr ON t BEGIN SELECT 1; END",
  "CREATE FOO",
  "DROP t",
  "DROP TABLE",
  "DROP TABLE IF t",
  "ALTER TABLE t",
  "ALTER TABLE t RENAME",
  "ALTER TABLE t ADD",
  "ALTER t RENAME TO u",
  "BEGIN FOO",
  "COMMIT WORK",
  "ROLLBACK TO",
  "SAVEPOINT",
  "RELEASE",
  "RELEASE SAVEPOINT",
  "PRAGMA",
  "PRAGMA x =",
  "PRAGMA x(",
  "EXPLAIN",
  "EXPLAIN QUERY",
  "EXPLAIN EXPLAIN SELECT 1",
  "ATTACH 'x'",
  "DETACH",
  "WITH x AS (SELECT 1)",
  "WITH x AS SELECT 1 SELECT 1",
  "WITH RECURSIVE SELECT 1",
  "SELEC 1",
  "FOO BAR",
  "SELECT * FROM t t2 t3",
  "SELECT #ROM t x, u y",
  "CREATE TABLE x (a INTEGER PRIMARY KEY, b) WITHOUT",
  "CREATE TABLE x (a INTEGER PRIMARY KEY, b INT) STICT, WITH0xUT ROWID",
  "CREATE TABLE x (a, c AS (1) STISORED, ?(a + 1) VIR",
  "CREATE TABLE x (a, c AS (1) STORED) VIRTUAL, d AS (a))",
  "CREATE INDEX i ON t (a + b, abs(c) FILTER",
  "SELECT a  a window FROM t",
  "SELECT *WINDOW FROM t",
  "SELECT sum||(a) OVER (ROWS CURRENT ROW) FROM t",
  "SELECT sum(aR (ORDER BY a GROUPS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM t",
  "SELECT a.b.c.d FROM t",
  "SELECT a.b(1)",
  "SELECT * FROM t ON 1",
  "SELECT * FROM t USING (a)",
  "SELECT * FROM t INNER OUTER JOIN u",
  "SELECT * FROM t LEFT FOO JOIN u",
  "SELECT 1 UNION",
  "SELECT 1 UNION ALL",
  "SELECT 1 INTERSECT ALL SELECT 2",
  "SELECT (SELECT 1 FROM)",
  "SELECT 1 ) ",
  "SELECT 1 IS NOT DISTINCT 2",
  "SELECT RAISE(FOO, 'x')",
  "SELECT * FROM t INDEXED i",
  "SELECT a FROM t WHERE a IN (1,)",
  "SELECT $",
  "SELECT 'a' || ",
  "SELECT 1 COLLATE",
  "SELECT -",
  "SELECT NOT",
  "SELECT * FROM t ORDER BY a NULLS",
  "SELECT * FROM t ORDER BY a NULLS MIDDLE",
  "SELECT ~",
  "SELECT 1 ->",
  "SELECT TRUE(",
  "select * from t where a = 'x''",
  "select * from t where a = \"x\"\"",
];

function ourError(sql: string): AmberError {
  try {
    parseScript(sql);
  } catch (e) {
    if (e instanceof AmberError) return e;
    throw e;
  }
  throw new Error(`parsed without error: ${sql}`);
}

describe('syntax errors word for word as SQLite', () => {
  test.each(BAD_STATEMENTS.map((sql) => [sql]))('%s', (sql) => {
    const expected = sqliteError(sql);
    const error = ourError(sql);
    expect(error.message).toBe(expected);
    expect(error.code).toBe('SQLITE_ERROR');
    expect(error.position).toBeDefined();
  });
});

describe('error positions', () => {
  test('the offending token, with line and column', () => {
    const error = ourError('SELECT *\n  FORM t');
    expect(error.message).toBe('near "FORM": syntax error');
    expect(error.position).toEqual({ offset: 11, line: 2, column: 3 });
  });

  test('incomplete input points at the end', () => {
    expect(ourError('SELECT 1 +').position).toEqual({ offset: 10, line: 1, column: 11 });
  });

  test('an unterminated string points at its quote', () => {
    expect(ourError("SELECT 1, 'abc").position).toEqual({ offset: 10, line: 1, column: 11 });
  });

  test('errors in a later statement point into the whole text', () => {
    const error = ourError('SELECT 1;\nSELECT 2;\nSELECT * FORM t');
    expect(error.message).toBe('near "FORM": syntax error');
    expect(error.position).toEqual({ offset: 29, line: 3, column: 10 });
  });
});
