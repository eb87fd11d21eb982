// exportSqlite / importSqlite: AmberDB writes files that SQLite (better-sqlite3) opens with the
// same schema and rows and finds intact (PRAGMA integrity_check), and reads files SQLite wrote.
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from '../../src';
import {
  BetterSqlite3,
  buildTricky,
  dumpTable,
  expectSameDatabase,
  integrity,
  openSqlite,
  rows,
  tempDir,
} from './sqlite-file-helpers';

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('exportSqlite', () => {
  let amber: Database;
  let sqlite: BetterSqlite3.Database;
  let file: string;

  beforeAll(() => {
    amber = new Database(':memory:');
    buildTricky(amber, 25000);
    file = join(dir, 'tricky.db');
    expect(amber.exportSqlite(file)).toBe(amber);
    sqlite = openSqlite(file);
  });
  afterAll(() => {
    sqlite.close();
    amber.close();
  });

  test('SQLite finds the file intact', () => {
    expect(integrity(sqlite)).toBe('ok');
    expect(sqlite.pragma('page_size', { simple: true })).toBe(4096);
    expect(sqlite.pragma('encoding', { simple: true })).toBe('UTF-8');
    expect(sqlite.pragma('freelist_count', { simple: true })).toBe(0);
  });

  test('no temporary file is left beside it', () => {
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  test('schema, rows (values and classes) and user_version match', () => {
    expectSameDatabase(amber, sqlite);
    expect(sqlite.pragma('user_version', { simple: true })).toBe(42);
  });

  test('automatic indexes have NULL sql, sqlite_sequence follows the first AUTOINCREMENT table', () => {
    const names = (rows(sqlite, 'SELECT name FROM sqlite_master') as [string][]).map((r) => r[0]);
    expect(names.indexOf('sqlite_sequence')).toBe(names.indexOf('sqlite_autoindex_people_1') + 1);
    expect(rows(sqlite, "SELECT sql FROM sqlite_master WHERE name LIKE 'sqlite_autoindex%'")).toEqual([[null], [null], [null]]);
    expect(rows(sqlite, 'SELECT name, seq FROM sqlite_sequence ORDER BY name')).toEqual(rows(amber, "SELECT 'log', max(id) FROM log UNION ALL SELECT 'people', 10"));
  });

  test('SQLite continues AUTOINCREMENT from the exported sequence', () => {
    const copy = openSqlite(file);
    copy.exec("DELETE FROM people WHERE id = 10; INSERT INTO people(name, email) VALUES ('zed', 'z')");
    expect(copy.prepare("SELECT id FROM people WHERE name = 'zed'").pluck().get()).toBe(11);
    copy.close();
    // The edit above changed the file; rewrite it for the other tests.
    amber.exportSqlite(file);
  });

  const indexQueries: [string, string][] = [
    ['people_age', 'SELECT name, age FROM people INDEXED BY people_age WHERE age > 0 ORDER BY age DESC, name'],
    ['people_note', "SELECT name FROM people INDEXED BY people_note WHERE note = 'note 1' ORDER BY note, name"],
    ['people_email_age', "SELECT id FROM people INDEXED BY people_email_age WHERE email = 'bob@example.com' AND age = 10"],
    ['sqlite_autoindex_people_1', "SELECT id FROM people WHERE name = 'ALICE'"],
    ['big_s', "SELECT k FROM big INDEXED BY big_s WHERE s = 'ROW 100 abcdefghij' COLLATE NOCASE"],
    ['big_s order', 'SELECT k FROM big INDEXED BY big_s ORDER BY s COLLATE NOCASE DESC, n LIMIT 50'],
    ['big unique', "SELECT k FROM big WHERE u = 'u12345'"],
    ['pairs pk', "SELECT a, b FROM pairs WHERE a = 'x' ORDER BY a, b"],
    ['blobs_t', "SELECT id, length(t) FROM blobs INDEXED BY blobs_t WHERE t > 'tttt' ORDER BY t"],
  ];
  test.each(indexQueries)('index-driven query: %s', (_name, sql) => {
    const amberSql = sql.replace(/INDEXED BY \w+ /, '');
    expect(rows(sqlite, sql)).toEqual(rows(amber, amberSql));
  });

  test('every index agrees with its table (SQLite reads each index fully)', () => {
    const indexes = rows(sqlite, "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index'") as [string, string][];
    for (const [name, table] of indexes) {
      const cols = (rows(sqlite, `SELECT name FROM pragma_index_info('${name}')`) as [string | null][]).map((r) => r[0]);
      if (cols.some((c) => c === null)) continue;
      const count = rows(sqlite, `SELECT count(*) FROM "${table}" INDEXED BY "${name}" WHERE ${cols.map((c) => `"${c}" IS NOT NULL OR 1`).join(' AND ')}`);
      expect(count).toEqual(rows(amber, `SELECT count(*) FROM "${table}"`));
    }
  });

  test('views and triggers work in SQLite', () => {
    expect(rows(sqlite, 'SELECT * FROM adults ORDER BY lower(name)')).toEqual(rows(amber, 'SELECT * FROM adults ORDER BY lower(name)'));
    const copy = openSqlite(file);
    copy.exec("INSERT INTO people(name, email) VALUES ('trig', 't@x')");
    expect(copy.prepare('SELECT msg FROM log ORDER BY id DESC LIMIT 1').pluck().get()).toBe('added trig');
    expect(integrity(copy)).toBe('ok');
    copy.close();
    amber.exportSqlite(file);
  });

  test('big table: a multi-level b-tree', () => {
    // 25000 rows need several leaf pages and at least one interior level.
    const pages = sqlite.prepare("SELECT count(*) FROM dbstat WHERE name = 'big'").pluck();
    let count: number | null = null;
    try {
      count = pages.get() as number;
    } catch {
      count = null; // dbstat not compiled in
    }
    if (count !== null) expect(count).toBeGreaterThan(100);
    expect(rows(sqlite, 'SELECT count(*), sum(k), max(k) FROM big')).toEqual([[25000n, 937537500n, 75000n]]);
  });

  test('an empty database and empty tables export', () => {
    const empty = new Database(':memory:');
    const f = join(dir, 'empty.db');
    empty.exportSqlite(f);
    const s = openSqlite(f);
    expect(integrity(s)).toBe('ok');
    expect(rows(s, 'SELECT count(*) FROM sqlite_master')).toEqual([[0n]]);
    s.close();
    empty.exec('CREATE TABLE a(x); CREATE TABLE b(y INTEGER PRIMARY KEY AUTOINCREMENT)');
    empty.exportSqlite(f);
    const s2 = openSqlite(f);
    expect(integrity(s2)).toBe('ok');
    expectSameDatabase(empty, s2);
    expect(rows(s2, 'SELECT count(*) FROM sqlite_sequence')).toEqual([[0n]]);
    s2.close();
  });

  test('many tables: sqlite_schema itself needs interior pages (root stays page 1)', () => {
    const db = new Database(':memory:');
    for (let i = 0; i < 300; i++) db.exec(`CREATE TABLE t${i}(a, b, c, d, e, f, g TEXT DEFAULT 'some fairly long default text to fill the schema page ${i}'); INSERT INTO t${i}(a) VALUES (${i})`);
    const f = join(dir, 'many.db');
    db.exportSqlite(f);
    const s = openSqlite(f);
    expect(integrity(s)).toBe('ok');
    expectSameDatabase(db, s);
    s.close();
  });

  // AmberDB gap (src/exec/ddl.ts): the automatic index of PRIMARY KEY / UNIQUE (a, b DESC) is built
  // ascending on b, where SQLite's is descending, so the exported index is out of SQLite's order.
  test('DESC in a PRIMARY KEY / UNIQUE constraint: the automatic index is descending', () => {
    const db = new Database(':memory:');
    db.exec("CREATE TABLE p(a, b, PRIMARY KEY (a, b DESC)); INSERT INTO p VALUES ('x', 1), ('x', 2)");
    const f = join(dir, 'pk-desc.db');
    db.exportSqlite(f);
    const s = openSqlite(f);
    try {
      expect(integrity(s)).toBe('ok');
    } finally {
      s.close();
    }
  });

  test('WITHOUT ROWID tables are refused with a clear error', () => {
    const db = new Database(':memory:');
    let supported = true;
    try {
      db.exec('CREATE TABLE w(k TEXT PRIMARY KEY, v) WITHOUT ROWID');
    } catch {
      supported = false;
    }
    if (!supported) return;
    expect(() => db.exportSqlite(join(dir, 'w.db'))).toThrow(/WITHOUT ROWID/);
    expect(existsSync(join(dir, 'w.db'))).toBe(false);
  });

  test('argument errors', () => {
    expect(() => amber.exportSqlite(5 as never)).toThrow(new TypeError('Expected first argument to be a string'));
    expect(() => amber.exportSqlite(':memory:')).toThrow(TypeError);
  });
});

describe('importSqlite', () => {
  function sqliteFile(name: string, build: (db: BetterSqlite3.Database) => void, options: { pageSize?: number } = {}): string {
    const f = join(dir, name);
    rmSync(f, { force: true });
    const db = new BetterSqlite3(f);
    if (options.pageSize) db.pragma(`page_size = ${options.pageSize}`);
    build(db);
    db.close();
    return f;
  }

  test('a file SQLite wrote: many pages, overflow, indexes, views, triggers, sequence, user_version', () => {
    const f = sqliteFile('from-sqlite.db', (db) => db.transaction(() => buildTricky(db, 30000))());
    const amber = new Database(':memory:');
    const result = amber.importSqlite(f);
    expect(result).toEqual({ tables: 7, indexes: 5, views: 1, triggers: 1, rows: expect.any(Number) as number });
    const s = openSqlite(f);
    expectSameDatabase(s, amber);
    // sqlite_sequence carried over: the next AUTOINCREMENT id continues after the file's.
    amber.exec("INSERT INTO log(msg) VALUES ('next')");
    s.exec("INSERT INTO log(msg) VALUES ('next')");
    expect(rows(amber, 'SELECT max(id) FROM log')).toEqual(rows(s, 'SELECT max(id) FROM log'));
    expect(amber.pragma('integrity_check', { simple: true })).toBe('ok');
    s.close();
  });

  test('page size from the header (1024 and 65536), rows after deletes (free pages)', () => {
    for (const pageSize of [1024, 65536]) {
      const f = sqliteFile(`ps${pageSize}.db`, (db) => {
        db.exec('CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c BLOB)');
        const ins = db.prepare('INSERT INTO t(b, c) VALUES (?, ?)');
        db.transaction(() => {
          for (let i = 0; i < 5000; i++) ins.run(`v${i}`.repeat(i % 50), i % 500 === 0 ? Buffer.alloc(70000, i & 0xff) : null);
        })();
        db.exec('DELETE FROM t WHERE a % 3 = 0');
      }, { pageSize });
      const amber = new Database(':memory:');
      amber.importSqlite(f);
      const s = openSqlite(f);
      expect(s.pragma('page_size', { simple: true })).toBe(pageSize);
      expectSameDatabase(s, amber);
      s.close();
    }
  });

  test('rows written before ALTER TABLE ADD COLUMN take the column DEFAULT', () => {
    const f = sqliteFile('alter.db', (db) => {
      db.exec("CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 'x'); ALTER TABLE t ADD COLUMN c TEXT DEFAULT 'dflt'; INSERT INTO t VALUES (2, 'y', 'z')");
    });
    const amber = new Database(':memory:');
    amber.importSqlite(f);
    expect(rows(amber, 'SELECT rowid, a, b, c FROM t ORDER BY rowid')).toEqual([[1n, 1n, 'x', 'dflt'], [2n, 2n, 'y', 'z']]);
  });

  test('auto_vacuum files (pointer-map pages) import', () => {
    const f = sqliteFile('autovacuum.db', (db) => {
      db.pragma('auto_vacuum = FULL');
      db.exec('CREATE TABLE t(x); CREATE INDEX tx ON t(x)');
      const ins = db.prepare('INSERT INTO t VALUES (?)');
      db.transaction(() => {
        for (let i = 0; i < 3000; i++) ins.run('x'.repeat(i % 300));
      })();
    });
    const amber = new Database(':memory:');
    amber.importSqlite(f);
    const s = openSqlite(f);
    expectSameDatabase(s, amber);
    s.close();
  });

  test('a WAL-mode file whose -wal holds changes is refused', () => {
    const f = join(dir, 'wal.db');
    const db = new BetterSqlite3(f);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t(x); INSERT INTO t VALUES (1)');
    const amber = new Database(':memory:');
    expect(() => amber.importSqlite(f)).toThrow(/WAL mode/);
    db.pragma('wal_checkpoint(TRUNCATE)');
    amber.importSqlite(f); // checkpointed: the file alone is the database
    expect(rows(amber, 'SELECT x FROM t')).toEqual([[1n]]);
    db.close();
  });

  test('UTF-16 databases are refused; non-databases are refused', () => {
    const f = sqliteFile('utf16.db', (db) => {
      db.pragma("encoding = 'UTF-16le'");
      db.exec('CREATE TABLE t(x)');
    });
    const amber = new Database(':memory:');
    expect(() => amber.importSqlite(f)).toThrow(/only UTF-8/);
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, Buffer.alloc(5000, 7));
    expect(() => amber.importSqlite(junk)).toThrow(/not a database/);
    expect(rows(amber, 'SELECT count(*) FROM sqlite_master')).toEqual([[0n]]);
  });

  test('a failed import leaves the database as it was', () => {
    const f = sqliteFile('clash.db', (db) => db.exec('CREATE TABLE a(x); CREATE TABLE b(y); INSERT INTO b VALUES (1)'));
    const amber = new Database(':memory:');
    amber.exec('CREATE TABLE b(z)');
    expect(() => amber.importSqlite(f)).toThrow(/already exists/);
    expect(rows(amber, 'SELECT name FROM sqlite_master')).toEqual([['b']]);
    expect(amber.inTransaction).toBe(false);
  });
});

describe('round trip', () => {
  test('AmberDB -> file -> AmberDB keeps schema, rows, classes and sequences', () => {
    const a = new Database(':memory:');
    buildTricky(a, 20000);
    const f = join(dir, 'round.db');
    a.exportSqlite(f);
    const b = new Database(':memory:');
    b.importSqlite(f);
    expectSameDatabase(a, b);
    expect(dumpTable(b, 'vals', ['v'])).toEqual(dumpTable(a, 'vals', ['v']));
    a.exec("INSERT INTO people(name, email) VALUES ('next', 'n')");
    b.exec("INSERT INTO people(name, email) VALUES ('next', 'n')");
    expect(rows(b, "SELECT id FROM people WHERE name = 'next'")).toEqual(rows(a, "SELECT id FROM people WHERE name = 'next'"));
    // And once more: the re-exported file is byte-identical to the first one.
    const g = join(dir, 'round2.db');
    const c = new Database(':memory:');
    c.importSqlite(f);
    c.exportSqlite(g);
    expect(Buffer.compare(readFileSync(f), readFileSync(g))).toBe(0);
  });

  test('into a durable database directory', () => {
    const f = join(dir, 'durable-src.db');
    const a = new Database(':memory:');
    buildTricky(a, 2000);
    a.exportSqlite(f);
    const path = join(dir, 'durable-db');
    const d = new Database(path);
    d.importSqlite(f);
    d.close();
    const reopened = new Database(path);
    // user_version is not compared: the durable engine does not persist PRAGMA user_version yet.
    expectSameDatabase(a, reopened, { userVersion: false });
    reopened.close();
  });
});
