// Round trips on the real disk (node fs in os.tmpdir()): write, close, reopen, same rows — for
// each strategy, across checkpoints, DDL, AUTOINCREMENT, and the directory's LOCK.
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import { Database } from '../../src';
import type { Db } from './helpers';
import { dump, removeDir, tempDir, until } from './helpers';

let root: string;
beforeEach(() => {
  root = tempDir();
});
afterEach(() => removeDir(root));

function workload(db: Db): void {
  db.exec(`
    CREATE TABLE kinds (id INTEGER PRIMARY KEY AUTOINCREMENT, i, r, t TEXT, b BLOB, n);
    CREATE INDEX kinds_t ON kinds(t);
    CREATE TABLE other (k TEXT PRIMARY KEY, v INTEGER UNIQUE) WITHOUT ROWID;
    CREATE VIEW big AS SELECT * FROM kinds WHERE i > 10;
  `);
  const ins = db.prepare('INSERT INTO kinds (i, r, t, b, n) VALUES (?, ?, ?, ?, NULL)');
  db.transaction(() => {
    for (let i = 0; i < 200; i++) ins.run(i, i + 0.5, `text ${i}`, Buffer.from([i & 255, 1, 2]));
  })();
  ins.run(9007199254740993n, 2.0, 'big', null);
  db.exec("DELETE FROM kinds WHERE i % 7 = 0; UPDATE kinds SET t = upper(t) WHERE i % 5 = 0");
  db.exec("INSERT INTO other VALUES ('a', 1), ('b', 2)");
}

test.each(['hybrid', 'log', 'snapshot'] as const)('a %s database reopens with the same rows, indexes and sequences', (strategy) => {
  const dir = path.join(root, 'db');
  let db: Db = new Database(dir, { strategy });
  workload(db);
  const before = dump(db);
  const bigCount = db.prepare('SELECT count(*) FROM big').pluck().get();
  db.close();
  db = new Database(dir, { strategy });
  expect(dump(db)).toEqual(before);
  expect(db.prepare("SELECT i FROM kinds WHERE t = 'text 3'").pluck().get()).toBe(3);
  expect(db.prepare("SELECT typeof(r) FROM kinds WHERE t = 'big'").pluck().get()).toBe('real');
  expect(db.prepare('SELECT count(*) FROM big').pluck().get()).toBe(bigCount);
  // AUTOINCREMENT never reuses a rowid, even after the largest row was deleted and the file reopened.
  db.exec("DELETE FROM kinds WHERE t = 'big'");
  db.close();
  db = new Database(dir, { strategy });
  expect(db.prepare("INSERT INTO kinds (t) VALUES ('next')").run().lastInsertRowid).toBe(202);
  expect(() => db.exec("INSERT INTO other VALUES ('c', 1)")).toThrow(/UNIQUE/);
  db.close();
});

test('checkpoints, then more commits, then DDL: reopen replays the log over the snapshot', () => {
  const dir = path.join(root, 'db');
  let db: Db = new Database(dir);
  workload(db);
  const cp = db.checkpoint();
  expect(cp).toMatchObject({ rows: expect.any(Number) });
  db.exec("INSERT INTO kinds (t) VALUES ('after checkpoint')");
  db.transaction(() => {
    db.exec("INSERT INTO other VALUES ('z', 26)");
    db.exec('ALTER TABLE other RENAME TO renamed');
    db.exec("INSERT INTO renamed VALUES ('y', 25)");
  })();
  db.exec('ALTER TABLE kinds ADD COLUMN extra DEFAULT 7');
  const before = dump(db);
  db.close();
  expect(nodeFs.readdirSync(path.join(dir, 'snap'))).toHaveLength(1);
  db = new Database(dir);
  expect(dump(db)).toEqual(before);
  const st = db.stats();
  expect(st.recovery).toMatchObject({ snapshotLsn: cp!.lsn, framesReplayed: 3, tornTail: null });
  expect(st.tables).toMatchObject({ kinds: before.kinds!.length, renamed: 4 });
  db.close();
});

test('an automatic checkpoint runs in slices while commits go on, and the result reopens exactly', async () => {
  const dir = path.join(root, 'db');
  let db: Db = new Database(dir, { checkpointLogBytes: 64 * 1024 });
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  const ins = db.prepare('INSERT OR REPLACE INTO t VALUES (?, ?)');
  const del = db.prepare('DELETE FROM t WHERE id = ?');
  let n = 0;
  while (db.stats().checkpoint.count < 3) {
    db.transaction(() => {
      for (let i = 0; i < 50; i++, n++) ins.run(n % 20000, `row ${n} `.repeat(3));
      del.run((n * 7) % 20000);
    })();
    if (n % 500 === 0) await new Promise((r) => setImmediate(r));
    if (n > 2_000_000) throw new Error('no checkpoint happened');
  }
  await until(() => !db.stats().checkpoint.running);
  const before = dump(db);
  db.close();
  db = new Database(dir);
  expect(dump(db)).toEqual(before);
  expect(nodeFs.readdirSync(path.join(dir, 'log')).length).toBeLessThanOrEqual(2);
  db.close();
});

test('a second open of the same directory is SQLITE_BUSY; after close it opens', () => {
  const dir = path.join(root, 'db');
  const a = new Database(dir);
  expect(() => new Database(dir)).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
  a.close();
  new Database(dir).close();
});

test('fileMustExist refuses a missing directory; a path with the memory strategy writes nothing', () => {
  expect(() => new Database(path.join(root, 'missing'), { fileMustExist: true })).toThrow(expect.objectContaining({ code: 'SQLITE_CANTOPEN' }));
  const m = new Database(path.join(root, 'mem'), { strategy: 'memory' });
  m.exec('CREATE TABLE t (a)');
  m.close();
  expect(nodeFs.existsSync(path.join(root, 'mem'))).toBe(false);
});

test('backup(dir) writes a consistent copy that opens as a database', async () => {
  const dir = path.join(root, 'db');
  const db: Db = new Database(dir);
  workload(db);
  const before = dump(db);
  const p = db.backup(path.join(root, 'copy'));
  db.exec("INSERT INTO other VALUES ('later', 99)"); // after the backup's instant: not in the copy
  await expect(p).resolves.toMatchObject({ remainingPages: 0 });
  const copy = new Database(path.join(root, 'copy'));
  expect(dump(copy)).toEqual(before);
  copy.exec("INSERT INTO other VALUES ('c', 3)");
  copy.close();
  expect(dump(new Database(path.join(root, 'copy'), { readonly: true })).other).toHaveLength(3);
  await expect(db.backup(path.join(root, 'copy'))).rejects.toThrow(/already holds a database/);
  db.close();
  // A memory database backs up too.
  const mem = new Database();
  mem.exec('CREATE TABLE t (a); INSERT INTO t VALUES (1)');
  await mem.backup(path.join(root, 'memcopy'));
  const reopened = new Database(path.join(root, 'memcopy'));
  expect(reopened.prepare('SELECT a FROM t').pluck().all()).toEqual([1]);
  reopened.close();
});

test("stats().log counts the segment files on disk and their bytes (from memory, not by listing the directory)", async () => {
  const dir = path.join(root, 'segments');
  const onDisk = (): { segments: number; bytes: number } => {
    const names = nodeFs.readdirSync(path.join(dir, 'log')).filter((n) => n.endsWith('.log'));
    return { segments: names.length, bytes: names.reduce((b, n) => b + nodeFs.statSync(path.join(dir, 'log', n)).size, 0) };
  };
  const fromStats = (db: Db): { segments: number; bytes: number } => ({ segments: db.stats().log!.segments, bytes: db.stats().log!.bytes });
  let db: Db = new Database(dir, { checkpointLogBytes: 2000 });
  db.exec('CREATE TABLE t (a, b)');
  const ins = db.prepare('INSERT INTO t VALUES (?, ?)');
  expect(fromStats(db)).toEqual(onDisk());
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < 40; i++) await db.transactionAsync(() => ins.run(i, 'x'.repeat(100))); // automatic checkpoints
    await until(() => !db.stats().checkpoint.running);
    expect(fromStats(db)).toEqual(onDisk());
  }
  expect(db.stats().checkpoint.count).toBeGreaterThan(0);
  db.checkpoint();
  expect(fromStats(db)).toEqual(onDisk());
  db.close();
  db = new Database(dir);
  expect(fromStats(db)).toEqual(onDisk());
  db.close();
});

test('stats() reports rows, log, checkpoint and recovery figures', () => {
  const dir = path.join(root, 'db');
  const db: Db = new Database(dir);
  db.exec('CREATE TABLE t (a); INSERT INTO t VALUES (1), (2)');
  const s = db.stats();
  expect(s).toMatchObject({ strategy: 'hybrid', durability: 'commit', tables: { t: 2 }, rows: 2, commits: 2, failure: null });
  expect(s.log!.lastLsn).toBe(2);
  expect(s.log!.durableLsn).toBe(2);
  expect(s.memoryBytes).toBeGreaterThan(0);
  expect(s.recovery).toMatchObject({ framesReplayed: 0, snapshotLsn: null });
  db.close();
});
