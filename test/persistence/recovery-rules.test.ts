// The rules of recovery as Database open applies them, one test each (STYLE practice 6).
import { MemoryFileSystem } from '../../src/durability/fs/memory-fs';
import { listSegments, listSnapshots, segmentPath, snapshotPath } from '../../src/durability/layout';
import type { Db } from './helpers';
import { framesEnd, openOn } from './helpers';

const DIR = '/db';

function build(mem: MemoryFileSystem, commits: number, checkpointAfter?: number): void {
  const db: Db = openOn(mem, DIR);
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  for (let i = 1; i <= commits; i++) {
    db.prepare('INSERT INTO t VALUES (?, ?)').run(i, `value ${i}`);
    if (i === checkpointAfter) db.checkpoint();
  }
  db.close();
}
const lastSegment = (mem: MemoryFileSystem): string => segmentPath(DIR, listSegments(mem, DIR).at(-1)!);
const ids = (db: Db): unknown[] => db.prepare('SELECT id FROM t ORDER BY id').pluck().all();

test('a torn last frame is a clean end: truncated, reported in stats().recovery, the rest opens', () => {
  const mem = new MemoryFileSystem();
  build(mem, 5);
  const p = lastSegment(mem);
  const bytes = mem.readFile(p);
  mem.writeFileDurable(p, bytes.subarray(0, framesEnd(bytes) - 3));
  const db = openOn(mem, DIR);
  expect(ids(db)).toEqual([1, 2, 3, 4]);
  expect(db.stats().recovery).toMatchObject({ tornTail: { reason: expect.any(String) }, framesReplayed: 5 });
  db.prepare("INSERT INTO t VALUES (5, 'again')").run();
  db.close();
  const again = openOn(mem, DIR);
  expect(ids(again)).toEqual([1, 2, 3, 4, 5]);
  expect(again.stats().recovery!.tornTail).toBeNull();
  again.close();
});

test('a bad checksum followed by a valid frame is corruption: SQLITE_CORRUPT naming file and offset', () => {
  const mem = new MemoryFileSystem();
  build(mem, 5);
  const p = lastSegment(mem);
  const bytes = new Uint8Array(mem.readFile(p));
  const at = Math.floor(framesEnd(bytes) * 0.6); // inside a middle frame, with valid frames after it
  bytes[at] = bytes[at]! ^ 0xff;
  mem.writeFileDurable(p, bytes);
  expect(() => openOn(mem, DIR)).toThrow(expect.objectContaining({ code: 'SQLITE_CORRUPT', message: expect.stringMatching(/log\/\d+\.log at offset \d+/) }));
  // The refused open changed nothing and released the LOCK: 'truncate-tail' opens the prefix.
  const db = openOn(mem, DIR, { recovery: 'truncate-tail' });
  expect(db.stats().recovery!.dropped).toMatchObject({ reason: expect.any(String) });
  expect((ids(db) as number[]).length).toBeLessThan(5);
  db.close();
});

test('a bad snapshot page is corruption; salvage loads what verifies', () => {
  const mem = new MemoryFileSystem();
  build(mem, 40, 40);
  const p = snapshotPath(DIR, listSnapshots(mem, DIR).at(-1)!);
  const bytes = new Uint8Array(mem.readFile(p));
  bytes[512 + 100] = bytes[512 + 100]! ^ 0x55; // page 1, the first data page (512-byte pages in tests)
  mem.writeFileDurable(p, bytes);
  expect(() => openOn(mem, DIR)).toThrow(expect.objectContaining({ code: 'SQLITE_CORRUPT', message: expect.stringMatching(/snap\/\d+\.snap page 1/) }));
  const db = openOn(mem, DIR, { recovery: 'salvage' });
  expect(db.stats().recovery!.snapshotPagesSkipped).toBeGreaterThan(0);
  expect((ids(db) as number[]).length).toBeLessThan(40);
  db.close();
});

test('a MANIFEST naming a missing file is corruption', () => {
  const mem = new MemoryFileSystem();
  build(mem, 3, 2);
  mem.unlink(snapshotPath(DIR, listSnapshots(mem, DIR).at(-1)!));
  expect(() => openOn(mem, DIR)).toThrow(expect.objectContaining({ code: 'SQLITE_CORRUPT', message: expect.stringMatching(/MANIFEST: names missing file snap\//) }));
});

test('a readonly open replays without writing and refuses writes', () => {
  const mem = new MemoryFileSystem();
  build(mem, 3);
  const p = lastSegment(mem);
  const before = framesEnd(mem.readFile(p));
  mem.writeFileDurable(p, mem.readFile(p).subarray(0, before - 2));
  const db = openOn(mem, DIR, { readonly: true });
  expect(ids(db)).toEqual([1, 2]);
  expect(() => db.exec("INSERT INTO t VALUES (9, 'x')")).toThrow(expect.objectContaining({ code: 'SQLITE_READONLY' }));
  db.close();
  expect(mem.readFile(p).length).toBe(before - 2);
});

test('a preallocated zero tail is a clean end: strict open loads exactly the committed frames, appends over the zeros', () => {
  const mem = new MemoryFileSystem();
  build(mem, 5);
  const p = lastSegment(mem);
  const size = mem.readFile(p).length;
  const end = framesEnd(mem.readFile(p));
  expect(size).toBeGreaterThan(end);
  expect(mem.readFile(p).subarray(end).every((b) => b === 0)).toBe(true);
  const db = openOn(mem, DIR);
  expect(ids(db)).toEqual([1, 2, 3, 4, 5]);
  expect(db.stats().recovery).toMatchObject({ tornTail: null, dropped: null, framesReplayed: 6 });
  db.prepare("INSERT INTO t VALUES (6, 'after the frames')").run();
  db.close();
  expect(mem.readFile(p).length).toBe(size); // written into the zeros, not past them
  expect(framesEnd(mem.readFile(p))).toBeGreaterThan(end);
  const again = openOn(mem, DIR);
  expect(ids(again)).toEqual([1, 2, 3, 4, 5, 6]);
  expect(again.stats().recovery).toMatchObject({ tornTail: null, dropped: null, framesReplayed: 7 });
  again.close();
  const ro = openOn(mem, DIR, { readonly: true });
  expect(ids(ro)).toEqual([1, 2, 3, 4, 5, 6]);
  ro.close();
});

test('zeros followed by a valid frame are corruption: SQLITE_CORRUPT naming file and offset', () => {
  const mem = new MemoryFileSystem();
  build(mem, 5);
  const p = lastSegment(mem);
  const bytes = new Uint8Array(mem.readFile(p));
  // Frames: CREATE TABLE, then one per INSERT. Zero the fourth frame; the fifth stays valid.
  const frames: number[] = [];
  for (let q = 32; q < framesEnd(bytes); q += 20 + Buffer.from(bytes.buffer, bytes.byteOffset).readUInt32LE(q + 8)) frames.push(q);
  const [at, next] = [frames[3]!, frames[4]!];
  bytes.fill(0, at, next);
  mem.writeFileDurable(p, bytes);
  expect(() => openOn(mem, DIR)).toThrow(
    expect.objectContaining({ code: 'SQLITE_CORRUPT', message: expect.stringMatching(new RegExp(`log/\\d+\\.log at offset ${at}: bad frame magic, followed by a valid frame at offset ${next}`)) }),
  );
  expect(() => openOn(mem, DIR, { readonly: true })).toThrow(expect.objectContaining({ code: 'SQLITE_CORRUPT' }));
});
