// Catalog behaviour that ORMs and query builders rely on, compared with better-sqlite3: declared
// types as SQLite reports them (stmt.columns(), PRAGMA table_info of a view), resetting an
// AUTOINCREMENT counter through sqlite_sequence, and the rowid order of multi-row writes.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Database } from '../../src';
import { BetterSqlite3, outcome } from './helpers';

const both = () => [new Database(':memory:'), new BetterSqlite3(':memory:')] as any[];

describe('catalog compatibility with better-sqlite3', () => {
  test('declared types: standard names upper-cased, others as written, in columns() and a view\'s table_info', () => {
    const go = (db: any) => {
      db.exec(`CREATE TABLE t (a integer, b varchar(100), c text, d date, e bigint, f, g Real, h blob, i int, j any);
               CREATE VIEW v AS SELECT a, b, c, d, e, g, h, i, j, a + 1 AS k FROM t`);
      return {
        table: db.prepare('SELECT * FROM t').columns().map((c: any) => c.type),
        view: db.prepare('SELECT * FROM v').columns().map((c: any) => c.type),
        info: db.prepare("SELECT name, type FROM pragma_table_info('v')").raw().all(),
        tinfo: db.prepare("SELECT name, type FROM pragma_table_info('t')").raw().all(),
      };
    };
    const [amber, sqlite] = both();
    const got = go(amber);
    expect(got.table[0]).toBe('INTEGER');
    expect(got).toEqual(go(sqlite));
  });

  test('DELETE / UPDATE on sqlite_sequence reset AUTOINCREMENT counters', () => {
    const go = (db: any) => {
      const out: unknown[] = [outcome(() => db.exec("DELETE FROM sqlite_sequence WHERE name = 'a'"))];
      db.exec(`CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT, x); CREATE TABLE b (id INTEGER PRIMARY KEY AUTOINCREMENT, x);
               INSERT INTO a (x) VALUES (1), (2), (3); INSERT INTO b (x) VALUES (1), (2); DELETE FROM a; DELETE FROM b WHERE id = 2`);
      out.push(db.prepare('SELECT * FROM sqlite_sequence ORDER BY name').raw().all());
      out.push(db.prepare("DELETE FROM sqlite_sequence WHERE name = ?").run('a').changes);
      out.push(db.prepare("UPDATE sqlite_sequence SET seq = 10 WHERE name = 'b'").run().changes);
      out.push(db.prepare('SELECT * FROM sqlite_sequence ORDER BY name').raw().all());
      out.push(db.prepare('INSERT INTO a (x) VALUES (9) RETURNING id').raw().all(), db.prepare('INSERT INTO b (x) VALUES (9) RETURNING id').raw().all());
      // In a transaction that rolls back, the counter comes back too.
      db.exec("BEGIN; DELETE FROM sqlite_sequence; ROLLBACK");
      out.push(db.prepare('SELECT * FROM sqlite_sequence ORDER BY name').raw().all());
      return out;
    };
    const [amber, sqlite] = both();
    const got = go(amber);
    expect(got[6]).toEqual([[11]]);
    expect(got).toEqual(go(sqlite));
  });

  test('INSERT INTO sqlite_sequence (what a .dump replays) sets the counter', () => {
    const go = (db: any) => {
      db.exec(`CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT, x); CREATE TABLE b (id INTEGER PRIMARY KEY AUTOINCREMENT, x);
               DELETE FROM sqlite_sequence; INSERT INTO sqlite_sequence VALUES('a', 41); INSERT INTO sqlite_sequence (seq, name) SELECT 7, 'b'`);
      return [
        db.prepare('SELECT name, seq FROM sqlite_sequence ORDER BY name').raw().all(),
        db.prepare('INSERT INTO a (x) VALUES (1) RETURNING id').pluck().get(),
        db.prepare('INSERT INTO b (x) VALUES (1) RETURNING id').pluck().get(),
        outcome(() => db.exec("INSERT INTO sqlite_sequence (name, nope) VALUES ('a', 1)")),
      ];
    };
    const [amber, sqlite] = both();
    const got = go(amber);
    expect(got[1]).toBe(42);
    expect(got).toEqual(go(sqlite));
  });

  test('a counter set through sqlite_sequence survives reopening a database directory (logged, then checkpointed)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amber-seq-'));
    try {
      const at = path.join(dir, 'db');
      let db = new Database(at);
      db.exec("CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT, x); INSERT INTO a (x) VALUES (1), (2), (3); DELETE FROM a; UPDATE sqlite_sequence SET seq = 100 WHERE name = 'a'");
      db.close();
      db = new Database(at);
      expect(db.prepare('SELECT name, seq FROM sqlite_sequence').raw().all()).toEqual([['a', 100]]);
      db.exec('DELETE FROM sqlite_sequence');
      db.checkpoint();
      db.close();
      db = new Database(at);
      expect(db.prepare('SELECT * FROM sqlite_sequence').all()).toEqual([]);
      expect(db.prepare('INSERT INTO a (x) VALUES (9) RETURNING id').pluck().get()).toBe(1);
      db.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('multi-row UPDATE and DELETE visit rows in rowid order, whatever index finds them (RETURNING shows it)', () => {
    const go = (db: any) => {
      db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, a INT, b INT); CREATE INDEX tb ON t (b DESC);
               INSERT INTO t VALUES (1, 0, 30), (2, 0, 10), (3, 0, 40), (4, 0, 20)`);
      return [
        db.prepare('UPDATE t SET a = a + 1 WHERE b > 5 RETURNING id').raw().all(),
        db.prepare('UPDATE t SET b = b + 1 WHERE b > 15 RETURNING id, b').raw().all(),
        db.prepare('DELETE FROM t WHERE b > 15 RETURNING id').raw().all(),
      ];
    };
    const [amber, sqlite] = both();
    const got = go(amber);
    expect(got[0]).toEqual([[1], [2], [3], [4]]);
    expect(got).toEqual(go(sqlite));
  });
});
