// The prepared-INSERT fast path (src/exec/dml.ts), integer binding (DmlProgram.integerParams) and
// the pooled undo log (src/storage/store.ts): every script runs on AmberDB and on better-sqlite3 and
// must give the same results, errors and final table contents, storage classes included.
import BetterSqlite3 from 'better-sqlite3';
import { Database } from '../../src';

interface Db {
  prepare(sql: string): { run(...a: unknown[]): unknown; all(...a: unknown[]): unknown[]; safeIntegers(on?: boolean): unknown };
  exec(sql: string): unknown;
  transaction(fn: () => void): () => void;
  close(): unknown;
}

type Step = (db: Db) => unknown;

function attempt(f: () => unknown): unknown {
  try {
    return { ok: f() };
  } catch (e) {
    // AmberError is exported as SqliteError too; the code and the message are what must agree.
    // (better-sqlite3's errors come from another realm than jest's, so compare names, not classes.)
    const name = (e as Error).name;
    return { error: name === 'TypeError' || name === 'RangeError' ? name : 'Error', message: (e as Error).message, code: (e as { code?: string }).code };
  }
}

/** Runs the steps on both engines; each step's result (or error) and every table's rows must agree. */
function same(schema: string, steps: Step[], tables: string[]): void {
  const dump = (db: Db) =>
    tables.map((t) => {
      const cols = (db.prepare(`SELECT name FROM pragma_table_info('${t}')`).all() as { name: string }[]).map((c) => c.name);
      const types = cols.map((c) => `typeof("${c}")`).join(', ');
      const st = db.prepare(`SELECT rowid AS _rowid, *, ${types} FROM ${t} ORDER BY rowid`);
      st.safeIntegers(true);
      return st.all();
    });
  const run = (db: Db) => {
    db.exec(schema);
    const results = steps.map((s) => attempt(() => s(db)));
    return { results, tables: dump(db) };
  };
  const lite = new BetterSqlite3(':memory:') as unknown as Db;
  const amber = new Database() as unknown as Db;
  try {
    expect(run(amber)).toEqual(run(lite));
  } finally {
    lite.close();
    amber.close();
  }
}

const ins = (sql: string, ...args: unknown[]): Step => (db) => db.prepare(sql).run(...args);
const exec = (sql: string): Step => (db) => void db.exec(sql);

describe('a prepared INSERT stores what SQLite stores', () => {
  test('numbers bound into every affinity (integers go in as is only where affinity makes them INTEGER)', () => {
    const sql = 'INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)';
    const values = [5, -0, 0, 1.5, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e20, 2 ** 31 - 1, NaN, 5n, '12', ' 7 ', Buffer.from('x')];
    same('CREATE TABLE t (a INTEGER, b REAL, c TEXT, d NUMERIC, e BLOB, f)', values.map((v) => ins(sql, v, v, v, v, v, v)), ['t']);
  });

  test('named, numbered and anonymous parameters; a parameter used twice or inside an expression', () => {
    same(
      'CREATE TABLE t (a INTEGER, b TEXT, c REAL)',
      [
        ins('INSERT INTO t (a, b) VALUES (@x, @x)', { x: 5 }),
        ins('INSERT INTO t (b, a) VALUES (:x, :x)', { x: 6 }),
        ins('INSERT INTO t (a, b, c) VALUES (?2, ?1, ?2)', 7, 8),
        ins('INSERT INTO t (a, b) VALUES (? + 0, ?)', 9, 10),
        ins('INSERT INTO t (a, b) VALUES ((SELECT ?), ?)', 11, 12),
        ins('INSERT INTO t (a) VALUES (?), (?), (?)', 13, 14.5, -0),
        ins('INSERT INTO t (a) VALUES (?) RETURNING a, typeof(a)', 15),
        (db) => db.prepare('INSERT INTO t (a, b) SELECT ?, ?').run(16, 17),
        (db) => db.prepare('INSERT INTO t (a, b) VALUES (?, typeof(?))').run(18, 19),
      ],
      ['t'],
    );
  });

  test('a schema change between runs recompiles, and the new affinity decides', () => {
    same(
      'CREATE TABLE t (a INTEGER)',
      [
        (db) => {
          const st = db.prepare('INSERT INTO t VALUES (?)');
          st.run(1);
          void db.exec('DROP TABLE t; CREATE TABLE t (a TEXT)');
          st.run(2);
          void db.exec('ALTER TABLE t ADD COLUMN b DEFAULT 3');
          return st.run(4);
        },
      ],
      ['t'],
    );
  });

  test('rowid alias: fresh, explicit, NULL, DEFAULT, duplicate, past 2^53', () => {
    same(
      'CREATE TABLE u (id INTEGER PRIMARY KEY, v); CREATE TABLE w (id INTEGER PRIMARY KEY DEFAULT 40, v); CREATE TABLE x (v)',
      [
        ins('INSERT INTO u (v) VALUES (?)', 'a'),
        ins('INSERT INTO u (id, v) VALUES (?, ?)', 10, 'b'),
        ins('INSERT INTO u (v) VALUES (?)', 'c'),
        ins('INSERT INTO u (id, v) VALUES (?, ?)', null, 'd'),
        ins('INSERT INTO u (id, v) VALUES (?, ?)', 10, 'dup'),
        ins('INSERT INTO u (id, v) VALUES (?, ?)', 2.5, 'mismatch'),
        ins('INSERT INTO u (id, v) VALUES (?, ?)', '20', 'text id'),
        ins('INSERT OR IGNORE INTO u (id, v) VALUES (?, ?)', 10, 'ignored'),
        ins('INSERT OR REPLACE INTO u (id, v) VALUES (?, ?)', 10, 'replaced'),
        ins('INSERT INTO w (v) VALUES (?)', 'default id'),
        ins('INSERT INTO w (v) VALUES (?)', 'default id again'),
        ins('INSERT INTO x (rowid, v) VALUES (?, ?)', 9007199254740991n, 'max safe'),
        ins('INSERT INTO x (v) VALUES (?)', 'past 2^53'),
        ins('INSERT INTO x (v) VALUES (?)', 'further'),
        // (Past rowid 2^63 - 1 SQLite tries random rowids: not comparable, left out.)
      ],
      ['u', 'w', 'x'],
    );
  });

  test('NOT NULL, UNIQUE and CHECK with each conflict action', () => {
    same(
      'CREATE TABLE n (a NOT NULL, b); CREATE TABLE q (a UNIQUE, b); CREATE TABLE c (a CHECK (a > 0)); CREATE TABLE d (a NOT NULL DEFAULT 5, b)',
      [
        ins('INSERT INTO n (a, b) VALUES (?, ?)', 1, 2),
        ins('INSERT INTO n (a, b) VALUES (?, ?)', null, 2),
        ins('INSERT OR IGNORE INTO n (a, b) VALUES (?, ?)', null, 3),
        ins('INSERT INTO n (b) VALUES (?)', 4),
        ins('INSERT INTO q VALUES (?, ?)', 1, 'a'),
        ins('INSERT INTO q VALUES (?, ?)', 1, 'b'),
        ins('INSERT OR IGNORE INTO q VALUES (?, ?)', 1, 'c'),
        ins('INSERT OR REPLACE INTO q VALUES (?, ?)', 1, 'd'),
        ins('INSERT INTO q VALUES (?, ?)', null, 'e'),
        ins('INSERT INTO q VALUES (?, ?)', null, 'f'),
        ins('INSERT INTO q VALUES (?, ?), (?, ?)', 2, 'g', 1, 'h'),
        ins('INSERT INTO c VALUES (?)', 1),
        ins('INSERT INTO c VALUES (?)', -1),
        ins('INSERT INTO d (b) VALUES (?)', 1),
        ins('INSERT INTO d (a, b) VALUES (?, ?)', null, 2),
        ins('INSERT OR REPLACE INTO d (a, b) VALUES (?, ?)', null, 3),
      ],
      ['n', 'q', 'c', 'd'],
    );
  });

  test('a failing row of a multi-row INSERT undoes the rows before it', () => {
    same(
      'CREATE TABLE t (a UNIQUE)',
      [ins('INSERT INTO t VALUES (?), (?), (?)', 1, 2, 1), ins('INSERT OR FAIL INTO t VALUES (?), (?), (?)', 3, 4, 3), ins('INSERT INTO t VALUES (?)', 5)],
      ['t'],
    );
  });
});

describe('the undo log keeps transactions atomic across pooled records', () => {
  test('rollback, savepoints, a failed statement inside a transaction, and transactions larger than the pool', () => {
    const big = (n: number, fail: boolean): Step => (db) => {
      const st = db.prepare('INSERT INTO t (a, b) VALUES (?, ?)');
      return attempt(() =>
        db.transaction(() => {
          for (let i = 0; i < n; i++) st.run(i, `v${i}`);
          if (fail) throw new Error('stop');
        })(),
      );
    };
    same(
      'CREATE TABLE t (a INTEGER, b TEXT); CREATE TABLE s (x UNIQUE)',
      [
        big(10, false),
        big(5000, true),
        big(6000, false),
        exec('DELETE FROM t WHERE a % 2 = 0'),
        big(100, true),
        exec('BEGIN; INSERT INTO s VALUES (1); SAVEPOINT p; INSERT INTO s VALUES (2); ROLLBACK TO p; INSERT INTO s VALUES (3); COMMIT'),
        exec('BEGIN; INSERT INTO s VALUES (4)'),
        ins('INSERT INTO s VALUES (?), (?)', 5, 1),
        exec('INSERT INTO s VALUES (6); COMMIT'),
        exec('BEGIN; CREATE TABLE z (a); INSERT INTO z VALUES (1); UPDATE t SET b = NULL; ROLLBACK'),
        (db) => db.prepare("SELECT count(*) AS n, sum(b IS NULL) AS nulls FROM t").all(),
        (db) => db.prepare("SELECT name FROM sqlite_schema WHERE name = 'z'").all(),
      ],
      ['t', 's'],
    );
  });
});
