// Group commit's pipeline (durable-engine.ts header), observed step by step through a memory-fs
// whose async fsyncs complete only when the test says (holdSyncs / completeSync / failSync):
// commits written while an fsync is in flight wait for the next one, which starts as soon as the
// previous completes; a failed fsync rejects every waiting promise and stops writes; a synchronous
// commit never returns before its own frame is durable, whatever fsync is in flight.
import { FaultyFileSystem } from '../../src/durability/fs/faulty-fs';
import { MemoryFileSystem } from '../../src/durability/fs/memory-fs';
import { readLogFrom } from '../../src/durability/log-reader';
import type { Db } from './helpers';
import { kill, openOn, tick } from './helpers';

const DIR = '/db';

function setup(mem: MemoryFileSystem): Db {
  const db = openOn(mem, DIR);
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v)');
  return db;
}
const ids = (db: Db): unknown => db.prepare('SELECT id FROM t ORDER BY id').pluck().all();

/** A promise with its outcome readable synchronously. */
function watch<T>(p: Promise<T>): { state: () => 'pending' | 'resolved' | 'rejected'; error: () => unknown } {
  let state: 'pending' | 'resolved' | 'rejected' = 'pending';
  let error: unknown;
  p.then(
    () => (state = 'resolved'),
    (e: unknown) => {
      state = 'rejected';
      error = e;
    },
  );
  return { state: () => state, error: () => error };
}

async function turns(n = 3): Promise<void> {
  for (let i = 0; i < n; i++) await tick();
}

test('commits made while an fsync is in flight are acknowledged only after the next fsync, which starts when it completes', async () => {
  const mem = new MemoryFileSystem();
  const db = setup(mem);
  mem.holdSyncs();
  const ins = db.prepare('INSERT INTO t VALUES (?, ?)');
  const f0 = db.stats().fsyncs;

  const a = watch(db.transactionAsync(() => ins.run(1, 'a')));
  await turns();
  expect(mem.heldSyncs.length).toBe(1); // fsync #1 is in flight, covering commit 1
  const b = watch(db.transactionAsync(() => ins.run(2, 'b')));
  const c = watch(db.transactionAsync(() => ins.run(3, 'c')));
  await turns();
  expect(mem.heldSyncs.length).toBe(1); // 2 and 3 wait: at most one fsync in flight
  expect([a.state(), b.state(), c.state()]).toEqual(['pending', 'pending', 'pending']);

  expect(mem.completeSync()).toBe(true);
  await turns();
  expect([a.state(), b.state(), c.state()]).toEqual(['resolved', 'pending', 'pending']);
  expect(mem.heldSyncs.length).toBe(1); // fsync #2 started at once, for 2 and 3 together
  const d = watch(db.transactionAsync(() => ins.run(4, 'd'))); // written during fsync #2
  await turns();

  // Durable so far: exactly what fsync #1 covered (2 and 3 are written, 4 waits in memory for fsync #3).
  expect(db.stats().log!.durableLsn).toBe(db.stats().log!.lastLsn - 3);

  expect(mem.completeSync()).toBe(true);
  await turns();
  expect([b.state(), c.state(), d.state()]).toEqual(['resolved', 'resolved', 'pending']);
  expect(mem.completeSync()).toBe(true); // fsync #3, for 4
  await turns();
  expect(d.state()).toBe('resolved');
  expect(mem.heldSyncs.length).toBe(0); // nothing left to cover: the pipeline goes idle
  expect(db.stats().fsyncs - f0).toBe(3);
  kill(db);
  mem.crash();
  const again = openOn(mem, DIR);
  expect(ids(again)).toEqual([1, 2, 3, 4]);
  again.close();
});

test('a power loss while an fsync is in flight keeps what earlier fsyncs covered and never an unacknowledged-only frame as acknowledged', async () => {
  const mem = new MemoryFileSystem();
  const db = setup(mem);
  mem.holdSyncs();
  const ins = db.prepare('INSERT INTO t VALUES (?, ?)');
  const a = watch(db.transactionAsync(() => ins.run(1, 'a')));
  await turns();
  const b = watch(db.transactionAsync(() => ins.run(2, 'b')));
  mem.completeSync(); // covers 1 only: 2 was written after fsync #1 began
  await turns();
  expect([a.state(), b.state()]).toEqual(['resolved', 'pending']);
  kill(db);
  mem.crash(); // fsync #2 (for 2) was in flight: it never completes
  await turns();
  expect(b.state()).toBe('rejected');
  const again = openOn(mem, DIR);
  expect(ids(again)).toEqual([1]);
  again.close();
});

test('a failed async fsync rejects every promise waiting on it or after it, and the database refuses writes', async () => {
  const mem = new MemoryFileSystem();
  const db = setup(mem);
  mem.holdSyncs();
  const ins = db.prepare('INSERT INTO t VALUES (?, ?)');
  const a = watch(db.transactionAsync(() => ins.run(1, 'a')));
  const b = watch(db.transactionAsync(() => ins.run(2, 'b')));
  await turns();
  const c = watch(db.transactionAsync(() => ins.run(3, 'c'))); // waits for the next fsync
  const flushed = watch(db.flush());
  await turns();
  expect(mem.failSync('EIO')).toBe(true);
  await turns();
  for (const p of [a, b, c, flushed]) {
    expect(p.state()).toBe('rejected');
    expect(p.error()).toMatchObject({ code: 'SQLITE_IOERR' });
  }
  expect(mem.heldSyncs.length).toBe(0); // never retried
  expect(() => ins.run(4, 'd')).toThrow(expect.objectContaining({ code: 'SQLITE_IOERR' }));
  await expect(db.transactionAsync(() => ins.run(5, 'e'))).rejects.toMatchObject({ code: 'SQLITE_IOERR' });
  await expect(db.flush()).rejects.toMatchObject({ code: 'SQLITE_IOERR' });
  expect(db.stats().failure).toMatch(/fsync of the redo log/);
  expect(ids(db)).toEqual([1, 2, 3]); // reads go on (the commits are in memory, never acknowledged)
  db.close();
});

test('a synchronous commit made while an async fsync is in flight does its own fsync before it returns', async () => {
  const mem = new MemoryFileSystem();
  const db = setup(mem);
  mem.holdSyncs();
  const ins = db.prepare('INSERT INTO t VALUES (?, ?)');
  const a = watch(db.transactionAsync(() => ins.run(1, 'a')));
  await turns();
  expect(mem.heldSyncs.length).toBe(1);
  const f0 = db.stats().fsyncs;
  ins.run(2, 'b'); // durability 'commit': returns only after an fsync that covers its frame
  expect(db.stats().fsyncs).toBe(f0 + 1);
  expect(db.stats().log!.durableLsn).toBe(db.stats().log!.lastLsn);
  await turns();
  expect(a.state()).toBe('resolved'); // the synchronous fsync covered commit 1 too
  kill(db);
  mem.crash(); // the async fsync never completed; both commits are durable anyway
  const again = openOn(mem, DIR);
  expect(ids(again)).toEqual([1, 2]);
  again.close();
});

test('close() with an fsync in flight makes everything durable and settles every promise', async () => {
  const mem = new MemoryFileSystem();
  const db = setup(mem);
  mem.holdSyncs();
  const ins = db.prepare('INSERT INTO t VALUES (?, ?)');
  const a = watch(db.transactionAsync(() => ins.run(1, 'a')));
  await turns();
  const b = watch(db.transactionAsync(() => ins.run(2, 'b')));
  db.close();
  await turns();
  expect([a.state(), b.state()]).toEqual(['resolved', 'resolved']);
  mem.releaseSyncs();
  await turns();
  mem.crash();
  const again = openOn(mem, DIR);
  expect(ids(again)).toEqual([1, 2]);
  again.close();
});

test('a checkpoint (log rotation) while an async fsync is in flight loses nothing', async () => {
  const mem = new MemoryFileSystem();
  const db = setup(mem);
  mem.holdSyncs();
  const ins = db.prepare('INSERT INTO t VALUES (?, ?)');
  const ps = [1, 2, 3].map((i) => watch(db.transactionAsync(() => ins.run(i, 'x'))));
  await turns();
  expect(mem.heldSyncs.length).toBe(1);
  db.checkpoint(); // fsyncs and rotates the log synchronously, the old segment's fsync still held
  await turns();
  expect(ps.map((p) => p.state())).toEqual(['resolved', 'resolved', 'resolved']);
  const later = watch(db.transactionAsync(() => ins.run(4, 'y')));
  mem.releaseSyncs();
  await turns(6);
  expect(later.state()).toBe('resolved');
  kill(db);
  mem.crash();
  const again = openOn(mem, DIR);
  expect(ids(again)).toEqual([1, 2, 3, 4]);
  again.close();
});

test("a failed async fsync of a checkpoint's snapshot stops writes and never switches MANIFEST", async () => {
  const mem = new MemoryFileSystem();
  const db = openOn(mem, DIR, { checkpointLogBytes: 400 });
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v)');
  mem.holdSyncs();
  const ins = db.prepare('INSERT INTO t VALUES (?, ?)');
  for (let i = 1; i <= 20; i++) ins.run(i, 'x'.repeat(40)); // synchronous commits: durable each
  const end = Date.now() + 5000;
  while (!mem.heldSyncs.some((h) => h.path.endsWith('.snap.tmp')) && Date.now() < end) {
    if (mem.heldSyncs.length > 0) mem.completeSync(); // the log's, and the next segment's (prepared)
    await tick();
  }
  const manifest = mem.readFile(`${DIR}/MANIFEST`);
  while (mem.heldSyncs.length > 0) {
    const h = mem.heldSyncs[0]!;
    if (h.path.endsWith('.snap.tmp')) mem.failSync('EIO');
    else mem.completeSync();
  }
  await turns();
  expect(db.stats().failure).toMatch(/checkpoint/);
  expect(() => ins.run(99, 'y')).toThrow(expect.objectContaining({ code: 'SQLITE_IOERR' }));
  expect(mem.readFile(`${DIR}/MANIFEST`)).toEqual(manifest);
  kill(db);
  mem.crash();
  const again = openOn(mem, DIR);
  expect((ids(again) as number[]).length).toBe(20);
  again.close();
});

const loggedLsns = (fs: MemoryFileSystem | FaultyFileSystem): number[] => [...readLogFrom(fs, DIR).changeSets()].map((t) => t.lsn);

test('transactionAsync commits reach the OS together, just before the fsync that acknowledges them; a synchronous commit writes them before its own', async () => {
  const mem = new MemoryFileSystem();
  const db = setup(mem);
  mem.holdSyncs();
  const ins = db.prepare('INSERT INTO t VALUES (?, ?)');
  const before = loggedLsns(mem);
  const ps = [1, 2, 3].map((i) => watch(db.transactionAsync(() => ins.run(i, 'x'))));
  expect(loggedLsns(mem)).toEqual(before); // in memory only: nobody has been told they are durable
  await turns();
  expect(mem.heldSyncs.length).toBe(1);
  const last = before[before.length - 1]!;
  expect(loggedLsns(mem)).toEqual([...before, last + 1, last + 2, last + 3]); // written, then fsync started
  expect(ps.map((p) => p.state())).toEqual(['pending', 'pending', 'pending']);
  const late = watch(db.transactionAsync(() => ins.run(4, 'x'))); // during the fsync: waits in memory
  expect(loggedLsns(mem).length).toBe(before.length + 3);
  mem.releaseSyncs();
  ins.run(5, 'sync'); // durability 'commit': its own write carries commit 4 first, then its fsync
  expect(loggedLsns(mem).slice(-2)).toEqual([last + 4, last + 5]);
  await turns();
  expect([...ps, late].map((p) => p.state())).toEqual(['resolved', 'resolved', 'resolved', 'resolved']);
  kill(db);
  mem.crash();
  const again = openOn(mem, DIR);
  expect(ids(again)).toEqual([1, 2, 3, 4, 5]);
  again.close();
});

test.each(['ENOSPC', 'EIO'] as const)('a failed write of a group of transactionAsync commits (%s) rejects every one and stops writes; reopen keeps what was acknowledged', async (code) => {
  const fs = new FaultyFileSystem();
  fs.mkdir(DIR);
  fs.syncDir('/');
  const db = openOn(fs, DIR);
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v)');
  const ins = db.prepare('INSERT INTO t VALUES (?, ?)');
  await db.transactionAsync(() => ins.run(1, 'acked'));
  fs.failAt({ op: 'write', nth: 1, code, partialBytes: 5 });
  const ps = [2, 3, 4].map((i) => db.transactionAsync(() => ins.run(i, 'lost')));
  for (const p of ps) await expect(p).rejects.toMatchObject({ code: 'SQLITE_IOERR' });
  expect(() => ins.run(5, 'refused')).toThrow(/disk I\/O error.*reopened/);
  expect(db.stats().failure).toMatch(new RegExp(code));
  expect(() => db.close()).not.toThrow();
  fs.crash();
  const again = openOn(fs, DIR);
  expect(ids(again)).toEqual([1]);
  again.close();
});
