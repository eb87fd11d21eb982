// A read-only database refuses each write statement when it runs, as SQLite does — inside an
// explicit transaction too, where refusing only at COMMIT would let the transaction read its own
// writes first. Each script runs on better-sqlite3 (a read-only file, and a read-only serialized
// image) and on AmberDB (a read-only directory, and a read-only image); every statement's outcome
// and the final contents must agree.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Database } from '../../src';
import { BetterSqlite3, outcome } from './helpers';

const SETUP = `CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT UNIQUE);
  CREATE TABLE log (x);
  CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN INSERT INTO log VALUES (new.a); END;
  INSERT INTO t VALUES (1, 'one'), (2, 'two');
  PRAGMA user_version = 7`;

const SCRIPT = [
  "INSERT INTO t VALUES (3, 'three')",
  "UPDATE t SET b = 'uno' WHERE a = 1",
  'UPDATE t SET b = b WHERE a = 99',
  'DELETE FROM t',
  'BEGIN',
  "INSERT INTO t VALUES (4, 'four')",
  'SELECT count(*) AS n FROM t',
  "INSERT OR IGNORE INTO t VALUES (1, 'dup')",
  'CREATE TABLE u (x)',
  'CREATE INDEX t_b ON t(b)',
  'CREATE VIEW v AS SELECT a FROM t',
  'DROP TABLE log',
  'ALTER TABLE t ADD COLUMN c',
  'PRAGMA user_version = 9',
  'PRAGMA user_version',
  'COMMIT',
  'SAVEPOINT s',
  "REPLACE INTO t VALUES (2, 'deux')",
  'ROLLBACK TO s',
  'RELEASE s',
  'SELECT a, b FROM t ORDER BY a',
  'SELECT * FROM log',
  "SELECT type, name FROM sqlite_master ORDER BY name",
];

function runScript(db: any): unknown[] {
  return SCRIPT.map((sql) =>
    outcome(() => {
      const st = db.prepare(sql);
      return st.reader ? st.all() : st.run().changes;
    }),
  );
}

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'amber-ro-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function sqliteFileOutcomes(): unknown[] {
  const file = path.join(root, 'oracle.db');
  const w = new BetterSqlite3(file);
  w.exec(SETUP);
  w.close();
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return runScript(db);
  } finally {
    db.close();
  }
}

test('a read-only directory refuses every write statement as SQLite refuses it', () => {
  const want = sqliteFileOutcomes();
  const dir = path.join(root, 'amber');
  const w = new (Database as any)(dir);
  w.exec(SETUP);
  w.close();
  const db = new (Database as any)(dir, { readonly: true });
  try {
    expect(runScript(db)).toEqual(want);
  } finally {
    db.close();
  }
  // Nothing changed on disk either: a writable open sees the setup's state.
  const again = new (Database as any)(dir);
  expect(again.prepare('SELECT a, b FROM t ORDER BY a').all()).toEqual([{ a: 1, b: 'one' }, { a: 2, b: 'two' }]);
  expect(again.pragma('user_version', { simple: true })).toBe(7);
  again.close();
});

test('a read-only serialized image refuses every write statement as SQLite refuses it', () => {
  const src = new BetterSqlite3(':memory:');
  src.exec(SETUP);
  const image = src.serialize();
  src.close();
  const oracle = new BetterSqlite3(image, { readonly: true });
  const want = runScript(oracle);
  oracle.close();
  const db = new (Database as any)(image, { readonly: true });
  expect(runScript(db)).toEqual(want);
  db.close();
});

test('the refusal is not vacuous: the writable databases accept the same script', () => {
  const db = new (Database as any)(path.join(root, 'rw'));
  db.exec(SETUP);
  const got = runScript(db) as any[];
  expect(got[0]).toEqual({ ok: 1 });
  expect(got[6]).toEqual({ ok: [{ n: 1 }] }); // DELETE ran, then one insert in the transaction
  db.close();
});
