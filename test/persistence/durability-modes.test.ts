// What each durability mode promises, checked through the FileSystem seam (memory-fs: crash()
// keeps only what was fsynced; kill() keeps what was written, as the OS would after kill -9).
import { MemoryFileSystem } from '../../src/durability/fs/memory-fs';
import type { Db } from './helpers';
import { kill, openOn, tick, withoutLocks } from './helpers';

const DIR = '/db';

function setup(mem: MemoryFileSystem, opts: Parameters<typeof openOn>[2] = {}): Db {
  const db = openOn(mem, DIR, opts);
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v)');
  return db;
}
const count = (db: Db): unknown => db.prepare('SELECT count(*) FROM t').pluck().get();

test("durability 'commit': when run() returns, the commit survives a power loss", () => {
  const mem = new MemoryFileSystem();
  const db = setup(mem);
  const before = db.stats().fsyncs;
  db.prepare('INSERT INTO t VALUES (1, ?)').run('x');
  expect(db.stats().fsyncs).toBe(before + 1);
  kill(db);
  mem.crash();
  const again = openOn(mem, DIR);
  expect(count(again)).toBe(1);
  again.close();
});

test("durability 'none': a commit is written before it returns (a kill keeps it), only a power loss may take it", () => {
  const mem = new MemoryFileSystem();
  const db = setup(mem, { durability: 'none' });
  db.close(); // the table is durable
  const db2 = openOn(mem, DIR, { durability: 'none' });
  const f0 = db2.stats().fsyncs;
  db2.prepare('INSERT INTO t VALUES (1, ?)').run('x');
  expect(db2.stats().fsyncs).toBe(f0);
  kill(db2);
  const afterKill = openOn(withoutLocks(mem), DIR);
  expect(count(afterKill)).toBe(1);
  kill(afterKill);
  mem.crash();
  const afterPowerLoss = openOn(mem, DIR);
  expect(count(afterPowerLoss)).toBe(0);
  afterPowerLoss.close();
});

test("durability 'interval': an fsync every syncIntervalMs covers what was written", async () => {
  const mem = new MemoryFileSystem();
  const db = setup(mem, { durability: 'interval', syncIntervalMs: 5 });
  db.prepare('INSERT INTO t VALUES (1, ?)').run('x');
  expect(db.stats().log!.durableLsn).toBeLessThan(db.stats().log!.lastLsn);
  const end = Date.now() + 2000;
  while (db.stats().log!.durableLsn < db.stats().log!.lastLsn && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  expect(db.stats().log!.durableLsn).toBe(db.stats().log!.lastLsn);
  kill(db);
  mem.crash();
  const again = openOn(mem, DIR);
  expect(count(again)).toBe(1);
  again.close();
});

test('group commit: 64 transactionAsync in flight share a few fsyncs, all resolve, all survive a power loss', async () => {
  const mem = new MemoryFileSystem();
  const db = setup(mem);
  const ins = db.prepare('INSERT INTO t VALUES (?, ?)');
  const f0 = db.stats().fsyncs;
  const results = await Promise.all(Array.from({ length: 64 }, (_, i) => db.transactionAsync(() => ins.run(i, `v${i}`).changes)));
  const fsyncs = db.stats().fsyncs - f0;
  expect(results).toEqual(Array(64).fill(1));
  expect(fsyncs).toBeLessThanOrEqual(2);
  kill(db);
  mem.crash();
  const again = openOn(mem, DIR);
  expect(count(again)).toBe(64);
  again.close();
});

test('transactionAsync rejects when fn throws, and the transaction is rolled back', async () => {
  const mem = new MemoryFileSystem();
  const db = setup(mem);
  await expect(
    db.transactionAsync(() => {
      db.prepare('INSERT INTO t VALUES (1, 1)').run();
      throw new Error('boom');
    }),
  ).rejects.toThrow('boom');
  expect(count(db)).toBe(0);
  await expect(db.transactionAsync(() => 'read only')).resolves.toBe('read only');
  db.close();
});

test('flush() resolves once everything committed is durable, in every mode', async () => {
  for (const durability of ['none', 'interval', 'commit'] as const) {
    const mem = new MemoryFileSystem();
    const db = setup(mem, { durability, syncIntervalMs: 60_000 });
    for (let i = 0; i < 10; i++) db.prepare('INSERT INTO t VALUES (?, 0)').run(i);
    const p = db.transactionAsync(() => db.prepare('INSERT INTO t VALUES (100, 0)').run());
    await db.flush();
    await p;
    expect(db.stats().log!.durableLsn).toBe(db.stats().log!.lastLsn);
    kill(db);
    mem.crash();
    const again = openOn(mem, DIR);
    expect(count(again)).toBe(11);
    again.close();
  }
});

test("strategy 'snapshot': no log writes; a snapshot on close (and flush) holds everything", async () => {
  const mem = new MemoryFileSystem();
  const db = setup(mem, { strategy: 'snapshot' });
  for (let i = 0; i < 5; i++) db.prepare('INSERT INTO t VALUES (?, 0)').run(i);
  expect(db.stats().log!.lastLsn).toBe(0);
  await db.flush();
  db.prepare('INSERT INTO t VALUES (99, 0)').run();
  kill(db);
  mem.crash();
  const afterCrash = openOn(mem, DIR, { strategy: 'snapshot' });
  expect(count(afterCrash)).toBe(5); // what the last snapshot held: documented loss
  afterCrash.prepare('INSERT INTO t VALUES (99, 0)').run();
  afterCrash.close();
  const reopened = openOn(mem, DIR, { strategy: 'hybrid' });
  expect(count(reopened)).toBe(6);
  reopened.prepare('INSERT INTO t VALUES (100, 0)').run();
  reopened.close();
  const again = openOn(mem, DIR, { strategy: 'snapshot' });
  expect(count(again)).toBe(7);
  again.close();
});

test('a checkpoint waits while an explicit transaction is open', async () => {
  const mem = new MemoryFileSystem();
  const db = setup(mem, { checkpointLogBytes: 1 });
  db.exec('BEGIN');
  db.prepare('INSERT INTO t VALUES (1, 0)').run();
  expect(() => db.checkpoint()).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
  for (let i = 0; i < 5; i++) await tick();
  expect(db.stats().checkpoint.count).toBe(0);
  db.exec('ROLLBACK');
  for (let i = 0; i < 20 && db.stats().checkpoint.count === 0; i++) await new Promise((r) => setTimeout(r, 2));
  expect(db.stats().checkpoint.count).toBe(1);
  kill(db);
  mem.crash();
  const again = openOn(mem, DIR);
  expect(count(again)).toBe(0);
  again.close();
});
