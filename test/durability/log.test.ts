// The redo log's rules (src/durability/log-reader.ts), one test each, on memory-fs / faulty-fs.
import type { ChangeRecord } from '../../src/durability/change-record';
import { crc32c } from '../../src/durability/crc32c';
import { FaultyFileSystem, PowerLossError } from '../../src/durability/fs/faulty-fs';
import { MemoryFileSystem } from '../../src/durability/fs/memory-fs';
import { listSegments, segmentPath } from '../../src/durability/layout';
import { isPreparedSegment, readLogFrom } from '../../src/durability/log-reader';
import { FRAME_HEADER_SIZE, MAX_PENDING_BYTES, SEGMENT_HEADER_SIZE, encodeSegmentHeader } from '../../src/durability/log-writer';
import { RedoLog } from '../../src/durability/redo-log';
import type { RedoLogOptions } from '../../src/durability/redo-log';
import { Rng, normalize, randomChangeSet } from './random';

const DIR = '/db';

function newFs(): MemoryFileSystem {
  const fs = new MemoryFileSystem();
  fs.mkdir(DIR);
  fs.syncDir('/');
  return fs;
}

/** A faulty-fs with DIR made durable. */
function newFaultyFs(): FaultyFileSystem {
  const fs = new FaultyFileSystem();
  fs.mkdir(DIR);
  fs.syncDir('/');
  return fs;
}

function put(i: number, text = `row ${i}`): ChangeRecord[] {
  return [{ kind: 'put', table: 't', rowid: i, row: [i, text] }];
}

/** Writes n one-row transactions, synced, and closes. */
function writeLog(fs: MemoryFileSystem | FaultyFileSystem, n: number, opts: RedoLogOptions = {}): void {
  const log = RedoLog.open(fs, DIR, opts);
  for (let i = 1; i <= n; i++) log.append(put(i));
  log.sync();
  log.close();
}

function replay(fs: MemoryFileSystem | FaultyFileSystem, opts: RedoLogOptions = {}): { lsns: number[]; log: RedoLog } {
  const lsns: number[] = [];
  const log = RedoLog.open(fs, DIR, { ...opts, onTransaction: (lsn) => lsns.push(lsn) });
  return { lsns, log };
}

const seg1 = segmentPath(DIR, 1);
const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);

/** Byte offsets of the frames in segment 1 (up to the preallocated zero tail). */
function frameOffsets(data: Uint8Array): number[] {
  const out: number[] = [];
  const b = Buffer.from(data);
  for (let p = SEGMENT_HEADER_SIZE; p + FRAME_HEADER_SIZE <= b.length && b[p + 4] === 0xab; p += FRAME_HEADER_SIZE + b.readUInt32LE(p + 8)) out.push(p);
  return out;
}

/** Where the frames of a segment end (the writer preallocates zeros after them). */
function framesEnd(data: Uint8Array): number {
  const offs = frameOffsets(data);
  const last = offs[offs.length - 1];
  return last === undefined ? SEGMENT_HEADER_SIZE : last + FRAME_HEADER_SIZE + Buffer.from(data).readUInt32LE(last + 8);
}

/** Segment 1's header and frames without the zero tail: the tests below damage what was written. */
function readFrames(fs: MemoryFileSystem): Uint8Array {
  const data = fs.readFile(seg1);
  return data.subarray(0, framesEnd(data));
}

/** A frame with a valid checksum but arbitrary header fields. */
function craftFrame(data: Uint8Array, type: number, lsn: number, payload: Uint8Array): Uint8Array {
  const salt = Buffer.from(data).readUInt32LE(24);
  const f = Buffer.alloc(FRAME_HEADER_SIZE + payload.length);
  f[4] = 0xab;
  f[5] = type;
  f.writeUInt32LE(payload.length, 8);
  f.writeUInt32LE(lsn, 12);
  Buffer.from(payload).copy(f, FRAME_HEADER_SIZE);
  f.writeUInt32LE(crc32c(f, 4, f.length, salt), 0);
  return f;
}

const concat = (...parts: Uint8Array[]): Uint8Array => Buffer.concat(parts);

test('the end of the last segment is a clean end', () => {
  const fs = newFs();
  writeLog(fs, 5);
  const { lsns, log } = replay(fs);
  expect(lsns).toEqual([1, 2, 3, 4, 5]);
  expect(log.report.torn).toBeUndefined();
  expect(log.append(put(6))).toBe(6);
});

test('records read back exactly as written', () => {
  const fs = newFs();
  const rng = new Rng(3);
  const sets = Array.from({ length: 200 }, () => randomChangeSet(rng));
  const log = RedoLog.open(fs, DIR, { maxSegmentBytes: 4096 });
  for (const cs of sets) log.append(cs);
  log.sync();
  log.close();
  expect(listSegments(fs, DIR).length).toBeGreaterThan(2);
  const got = [...readLogFrom(fs, DIR).changeSets()].map((t) => t.records);
  expect(normalize(got)).toEqual(normalize(sets));
});

test('a torn last frame is a clean end', () => {
  const fs = newFs();
  writeLog(fs, 3);
  const data = readFrames(fs);
  const last = frameOffsets(data)[2]!;
  fs.writeFileDurable(seg1, data.subarray(0, last + 7));
  const { lsns, log } = replay(fs);
  expect(lsns).toEqual([1, 2]);
  expect(log.report.torn).toMatchObject({ segment: 1, offset: last });
  expect(fs.readFile(seg1).length).toBe(last); // cut off
  expect(log.append(put(3))).toBe(3); // and the LSNs continue
  log.sync();
  expect(replay(fs).lsns).toEqual([1, 2, 3]);
});

test('a bad checksum on the last frame with nothing valid after it is a torn tail', () => {
  const fs = newFs();
  writeLog(fs, 3);
  const data = readFrames(fs).slice();
  const last = frameOffsets(data)[2]!;
  data[last + FRAME_HEADER_SIZE + 2]! ^= 0x10;
  fs.writeFileDurable(seg1, data);
  const { lsns, log } = replay(fs);
  expect(lsns).toEqual([1, 2]);
  expect(log.report.torn?.reason).toMatch(/checksum/);
});

test('a bad checksum followed by a valid frame is corruption', () => {
  const fs = newFs();
  writeLog(fs, 3);
  const data = readFrames(fs).slice();
  const second = frameOffsets(data)[1]!;
  data[second + FRAME_HEADER_SIZE + 1]! ^= 0x01;
  fs.writeFileDurable(seg1, data);
  expect(() => replay(fs)).toThrow(
    expect.objectContaining({
      code: 'SQLITE_CORRUPT',
      message: expect.stringContaining(`log/00000001.log at offset ${second}: frame checksum mismatch, followed by a valid frame`),
    }),
  );
  expect(fs.readFile(seg1)).toEqual(data); // strict changes nothing
});

test('an unknown record type is corruption', () => {
  const fs = newFs();
  writeLog(fs, 2);
  const data = readFrames(fs);
  fs.writeFileDurable(seg1, concat(data, craftFrame(data, 9, 3, Uint8Array.of(0))));
  expect(() => replay(fs)).toThrow(/offset \d+: unknown frame type 9/);
});

test('an unknown change-record kind in a valid frame is corruption', () => {
  const fs = newFs();
  writeLog(fs, 2);
  const data = readFrames(fs);
  fs.writeFileDurable(seg1, concat(data, craftFrame(data, 1, 3, Uint8Array.of(1, 0x42))));
  expect(() => replay(fs)).toThrow(/transaction 3: unknown record kind 0x42/);
});

test('an LSN out of sequence is corruption', () => {
  const fs = newFs();
  writeLog(fs, 2);
  const data = readFrames(fs);
  fs.writeFileDurable(seg1, concat(data, craftFrame(data, 1, 5, Uint8Array.of(0))));
  expect(() => replay(fs)).toThrow(/LSN 5 out of sequence \(expected 3\)/);
});

test('a continuation frame without a FIRST frame is corruption', () => {
  const fs = newFs();
  writeLog(fs, 2);
  const data = readFrames(fs);
  fs.writeFileDurable(seg1, concat(data, craftFrame(data, 4, 3, Uint8Array.of(0))));
  expect(() => replay(fs)).toThrow(/continuation frame without a FIRST/);
});

test('a large transaction is split into FIRST, MIDDLE and LAST frames and read back whole', () => {
  const fs = newFs();
  const log = RedoLog.open(fs, DIR, { maxFramePayload: 100 });
  const big: ChangeRecord[] = [{ kind: 'put', table: 't', rowid: 1, row: ['x'.repeat(450)] }];
  log.append(put(1));
  log.append(big);
  log.append(put(3));
  log.sync();
  log.close();
  const types = frameOffsets(fs.readFile(seg1)).map((o) => fs.readFile(seg1)[o + 5]);
  expect(types).toEqual([1, 2, 3, 3, 3, 4, 1]);
  const got = [...readLogFrom(fs, DIR).changeSets()];
  expect(got.map((t) => t.lsn)).toEqual([1, 2, 3]);
  expect(got[1]!.records).toEqual(big);
});

test('a FIRST frame without its LAST at the end is a torn tail and the whole transaction goes', () => {
  const fs = newFs();
  const log = RedoLog.open(fs, DIR, { maxFramePayload: 100 });
  log.append(put(1));
  log.append([{ kind: 'put', table: 't', rowid: 2, row: ['y'.repeat(450)] }]);
  log.sync();
  log.close();
  const data = readFrames(fs);
  const offs = frameOffsets(data);
  fs.writeFileDurable(seg1, data.subarray(0, offs[offs.length - 1]!)); // drop the LAST frame
  const { lsns, log: again } = replay(fs);
  expect(lsns).toEqual([1]);
  expect(again.report.torn).toMatchObject({ offset: offs[1], reason: 'transaction 2 has no LAST frame' });
});

test('truncating the log at every byte of its tail yields a committed prefix', () => {
  const base = newFs();
  writeLog(base, 6, { maxFramePayload: 64 });
  const data = readFrames(base);
  const offs = frameOffsets(data);
  const from = offs[2]!;
  for (let cut = from; cut <= data.length; cut++) {
    const fs = newFs();
    fs.mkdir(`${DIR}/log`);
    fs.writeFileDurable(seg1, data.subarray(0, cut));
    const { lsns, log } = replay(fs);
    // Whole transactions whose frames all lie before the cut, and nothing else.
    const complete = cut === data.length ? 6 : [1, 2, 3, 4, 5, 6].filter((l) => l < 3 || (cut >= offs[l]! && l <= 6)).length;
    expect(lsns).toEqual(range(1, complete));
    expect(log.lastLsn).toBe(complete);
    log.close();
  }
});

test('damage in a segment that is not the last is corruption', () => {
  const fs = newFs();
  writeLog(fs, 40, { maxSegmentBytes: 256 });
  const segs = listSegments(fs, DIR);
  expect(segs.length).toBeGreaterThan(2);
  const p = segmentPath(DIR, segs[0]!);
  const data = fs.readFile(p);
  fs.writeFileDurable(p, data.subarray(0, framesEnd(data) - 3));
  expect(() => replay(fs)).toThrow(/log\/00000001\.log at offset \d+: incomplete frame .* in a segment that is not the last/);
});

test('a missing segment is corruption', () => {
  const fs = newFs();
  writeLog(fs, 40, { maxSegmentBytes: 256 });
  fs.unlink(segmentPath(DIR, 2));
  expect(() => replay(fs)).toThrow(/log\/00000002\.log at offset 0: missing log segment/);
  expect(() => replay(fs, { firstSegment: 2 })).toThrow(/00000002\.log at offset 0: missing log segment/);
});

test('a log that starts after the snapshot LSN is corruption', () => {
  const fs = newFs();
  writeLog(fs, 40, { maxSegmentBytes: 256 });
  const segs = listSegments(fs, DIR);
  expect(() => replay(fs, { firstSegment: segs[2]!, fromLsn: 1 })).toThrow(/log starts after LSN \d+, but LSN 2 is needed/);
});

test('replay from a checkpoint LSN skips the transactions before it', () => {
  const fs = newFs();
  writeLog(fs, 10);
  expect(replay(fs, { fromLsn: 7 }).lsns).toEqual([8, 9, 10]);
});

test('rotation starts a segment whose base is the last LSN; dropping old segments keeps replay whole', () => {
  const fs = newFs();
  const log = RedoLog.open(fs, DIR);
  for (let i = 1; i <= 3; i++) log.append(put(i));
  const seg = log.rotate();
  expect(seg).toBe(2);
  for (let i = 4; i <= 5; i++) log.append(put(i));
  log.sync();
  log.dropSegmentsBefore(seg);
  log.close();
  expect(listSegments(fs, DIR)).toEqual([2]);
  expect(replay(fs, { firstSegment: 2, fromLsn: 3 }).lsns).toEqual([4, 5]);
});

test('salvage cuts the log at corruption, moves later segments aside and reports it', () => {
  const fs = newFs();
  writeLog(fs, 40, { maxSegmentBytes: 256 });
  const segs = listSegments(fs, DIR);
  const data = readFrames(fs).slice();
  const second = frameOffsets(data)[1]!;
  data[second + FRAME_HEADER_SIZE]! ^= 0xff;
  fs.writeFileDurable(seg1, data);
  const { lsns, log } = replay(fs, { recovery: 'salvage' });
  expect(lsns).toEqual([1]);
  expect(log.report.dropped).toMatchObject({ segment: 1, offset: second, segmentsMovedAside: segs.slice(1) });
  expect(log.append(put(2))).toBe(2);
  log.sync();
  log.close();
  expect(replay(fs).lsns).toEqual([1, 2]);
  expect(fs.readdir(`${DIR}/log`)).toContain('00000002.log.damaged');
});

test('a failed fsync poisons the log: nothing later is acknowledged', () => {
  const fs = newFaultyFs();
  const log = RedoLog.open(fs, DIR);
  log.append(put(1));
  fs.failAt({ op: 'sync', nth: 1, code: 'EIO' });
  expect(() => log.sync()).toThrow(expect.objectContaining({ code: 'EIO' }));
  expect(() => log.append(put(2))).toThrow(expect.objectContaining({ code: 'EIO' }));
  expect(() => log.sync()).toThrow(expect.objectContaining({ code: 'EIO' }));
  expect(log.syncedLsn).toBe(0);
});

test('ENOSPC on a write fails that commit only: the short write is taken back', () => {
  const fs = newFaultyFs();
  const log = RedoLog.open(fs, DIR);
  log.append(put(1));
  fs.failAt({ op: 'write', nth: 1, code: 'ENOSPC', partialBytes: 9 });
  expect(() => log.append(put(2))).toThrow(expect.objectContaining({ code: 'ENOSPC' }));
  expect(log.append(put(3, 'retry'))).toBe(2);
  log.sync();
  log.close();
  const got = [...readLogFrom(fs, DIR).changeSets()];
  expect(got.map((t) => t.records)).toEqual([put(1), put(2, 'retry').map((r) => ({ ...r, rowid: 3, row: [3, 'retry'] }))]);
});

test('deferred frames stay in memory until the next write or sync, which writes them in LSN order with one write', () => {
  const fs = newFaultyFs();
  const log = RedoLog.open(fs, DIR);
  log.append(put(1));
  const m0 = fs.mutations;
  expect(log.append(put(2), true)).toBe(2);
  expect(log.append(put(3), true)).toBe(3);
  expect(fs.mutations).toBe(m0); // nothing handed to the OS yet
  expect([...readLogFrom(fs, DIR).changeSets()].map((t) => t.lsn)).toEqual([1]);
  expect(log.append(put(4))).toBe(4); // a written commit carries the deferred ones before it
  expect(fs.mutations).toBe(m0 + 1);
  expect([...readLogFrom(fs, DIR).changeSets()].map((t) => t.lsn)).toEqual([1, 2, 3, 4]);
  log.append(put(5), true);
  log.sync(); // one write, one fsync
  expect(fs.mutations).toBe(m0 + 3);
  log.close();
  const got = [...readLogFrom(fs, DIR).changeSets()];
  expect(got.map((t) => t.records)).toEqual([1, 2, 3, 4, 5].map((i) => put(i)));
});

test('closing without a sync drops deferred frames: they were never acknowledged', () => {
  const fs = newFs();
  const log = RedoLog.open(fs, DIR);
  log.append(put(1));
  log.append(put(2), true);
  log.close();
  expect(replay(fs).lsns).toEqual([1]);
});

test.each(['ENOSPC', 'EIO'] as const)('a failed write of deferred frames (%s) poisons the log: those commits can no longer be logged', (code) => {
  const fs = newFaultyFs();
  const log = RedoLog.open(fs, DIR);
  log.append(put(1));
  log.append(put(2), true);
  fs.failAt({ op: 'write', nth: 1, code, partialBytes: 9 });
  expect(() => log.sync()).toThrow(expect.objectContaining({ code }));
  expect(log.failed).toEqual(expect.objectContaining({ code }));
  expect(() => log.append(put(3))).toThrow(expect.objectContaining({ code }));
  expect(log.syncedLsn).toBe(0);
  log.close();
  expect(replay(fs).lsns).toEqual([1]); // the short write was taken back
});

test('deferred frames are written once they pass MAX_PENDING_BYTES, without waiting for a sync', () => {
  const fs = newFaultyFs();
  const log = RedoLog.open(fs, DIR);
  const text = 'x'.repeat(1000);
  const m0 = fs.mutations;
  let n = 0;
  while (fs.mutations === m0) log.append(put(++n, text), true);
  expect(n * 1000).toBeGreaterThanOrEqual(MAX_PENDING_BYTES * 0.9);
  expect([...readLogFrom(fs, DIR).changeSets()].length).toBe(n);
  log.close();
});

describe('power loss at every point of a write+fsync sequence', () => {
  // Open a new log, then commit transactions: append, and every other one a sync (group commit of
  // two); a commit counts as acknowledged once the sync after it returned.
  const N_TX = 8;
  function workload(fs: FaultyFileSystem, acked: number[]): void {
    const log = RedoLog.open(fs, DIR, { maxSegmentBytes: 300, maxFramePayload: 40 });
    for (let i = 1; i <= N_TX; i++) {
      log.append(put(i, 'v'.repeat(i * 7)));
      if (i % 2 === 0 || i === N_TX) {
        log.sync();
        acked.push(i);
      }
    }
  }
  let total = 0;
  {
    const fs = newFaultyFs();
    const before = fs.mutations;
    workload(fs, []);
    total = fs.mutations - before;
  }
  for (const tear of [undefined, 1, 2]) {
    test(`every fsynced frame survives and what is readable is a prefix (tear: ${tear ?? 'none'})`, () => {
      for (let n = 0; n <= total; n++) {
        const fs = newFaultyFs();
        fs.stopAfter(fs.mutations + n);
        const acked: number[] = [];
        try {
          workload(fs, acked);
        } catch (e) {
          if (!(e instanceof PowerLossError)) throw e;
        }
        fs.crash(tear === undefined ? {} : { tear: { sectors: tear } });
        let r: ReturnType<typeof replay>;
        try {
          r = replay(fs);
        } catch (e) {
          throw new Error(`crash point ${n}: ${String(e)} ${Buffer.from(fs.mem.readFile(seg1)).toString('hex')}`);
        }
        const { lsns, log } = r;
        const got = lsns.length;
        expect(lsns).toEqual(range(1, got)); // a prefix
        expect(got).toBeGreaterThanOrEqual(acked[acked.length - 1] ?? 0); // nothing acknowledged lost
        // And the log is writable again, continuing the sequence.
        expect(log.append(put(99))).toBe(got + 1);
        log.sync();
        log.close();
        expect(replay(fs).lsns).toEqual(range(1, got + 1));
      }
    });
  }
});

describe('prepared segments (log-writer.ts "Prepared segments", reader rule 7)', () => {
  /** Puts a prepared header over segment `segment`'s real one (as if its rewrite never reached the disk). */
  function overwriteWithPreparedHeader(fs: MemoryFileSystem, segment: number): void {
    const f = fs.open(segmentPath(DIR, segment), 'readwrite');
    f.write(encodeSegmentHeader({ segment, baseLsn: undefined, salt: 1234 }), 0);
    f.close();
  }

  test('rotation adopts a prepared segment: only the header is written, and the log reads on', async () => {
    const fs = newFaultyFs();
    const log = RedoLog.open(fs, DIR);
    log.append(put(1));
    await log.prepareNextSegment();
    expect(log.nextSegmentReady).toBe(true);
    // A prepared last segment is a clean end (read only: replay() would open a second writer).
    expect([...readLogFrom(fs, DIR).changeSets()].map((t) => t.lsn)).toEqual([1]);
    log.sync();
    const m0 = fs.mutations;
    expect(log.rotate()).toBe(2);
    expect(fs.mutations - m0).toBe(0); // no create, no write, no fsync
    log.append(put(2));
    expect(fs.mutations - m0).toBe(2); // the real header, then the frame
    log.sync();
    log.close();
    expect(replay(fs).lsns).toEqual([1, 2]);
  });

  test('rotation to a prepared segment does not wait for the old one: its fsync comes before the first write of the new one', async () => {
    const fs = newFaultyFs();
    const log = RedoLog.open(fs, DIR);
    log.append(put(1));
    log.append(put(2), true);
    await log.prepareNextSegment();
    const m0 = fs.mutations;
    log.rotate();
    log.append(put(3), true);
    expect(fs.mutations).toBe(m0); // nothing written or fsynced yet
    expect(log.syncedLsn).toBe(0); // not even what segment 1 holds
    fs.failAt({ op: 'sync', nth: 1, code: 'EIO' }); // the old segment's fsync fails...
    await expect(log.syncAsync()).rejects.toMatchObject({ code: 'EIO' });
    expect(() => log.append(put(4))).toThrow(expect.objectContaining({ code: 'EIO' })); // ...and poisons the log
    log.close();
    expect(isPreparedSegment(fs, segmentPath(DIR, 2))).toBe(true); // segment 2 was never written
    const r = replay(fs);
    expect(r.lsns).toEqual([1, 2]); // written to segment 1 (the fsync failed, the OS kept them)
    r.log.close();
  });

  test('a prepared last segment holds nothing, even with valid frames after its header (no fsync covered them)', () => {
    const fs = newFs();
    const log = RedoLog.open(fs, DIR);
    log.append(put(1));
    log.rotate();
    log.append(put(2));
    log.sync();
    log.close();
    // The real header's write lost, the frames after it not: as if the power went before the fsync.
    overwriteWithPreparedHeader(fs, 2);
    const r = replay(fs);
    expect(r.lsns).toEqual([1]);
    expect(r.log.append(put(3))).toBe(2); // segment 2 made again, continuing the sequence
    r.log.sync();
    r.log.close();
    expect(replay(fs).lsns).toEqual([1, 2]);
  });

  test('a prepared segment that is not the last is corruption', () => {
    const fs = newFs();
    const log = RedoLog.open(fs, DIR);
    log.append(put(1));
    log.rotate();
    log.append(put(2));
    log.rotate();
    log.append(put(3));
    log.sync();
    log.close();
    overwriteWithPreparedHeader(fs, 2);
    expect(() => replay(fs)).toThrow(/00000002\.log at offset 0: a prepared segment that is not the last/);
  });

  test('the segment before a prepared last one may end torn: cut there, and the prepared one removed', async () => {
    const fs = newFaultyFs();
    const log = RedoLog.open(fs, DIR);
    log.append(put(1));
    log.sync();
    await log.prepareNextSegment();
    log.append(put(2, 'x'.repeat(2000))); // written, never fsynced
    fs.crash({ tear: { sectors: 1 } });
    const r = replay(fs);
    expect(r.lsns).toEqual([1]);
    expect(r.log.report.torn?.segment).toBe(1);
    expect(listSegments(fs, DIR)).toEqual([1]);
    r.log.append(put(3));
    expect(r.log.rotate()).toBe(2); // create-new of segment 2 is possible again
    r.log.append(put(4));
    r.log.sync();
    r.log.close();
    expect(replay(fs).lsns).toEqual([1, 2, 3]);
  });

  test('power loss at every point of a workload that prepares, rotates and defers: a prefix holding every acknowledged commit', async () => {
    const N = 9;
    async function workload(fs: FaultyFileSystem, acked: number[]): Promise<void> {
      const log = RedoLog.open(fs, DIR, { maxFramePayload: 40 });
      for (let i = 1; i <= N; i++) {
        if (i % 3 === 0) {
          const ready = log.prepareNextSegment();
          ready.catch(() => undefined); // awaited below, unless the power goes first
          log.append(put(i, 'w'.repeat(1100 + i)), i % 2 === 0); // written while the next is prepared; torn by a 1-sector tear
          await ready;
          log.rotate();
        } else log.append(put(i, 'v'.repeat(i * 7)), i % 2 === 0);
        if (i % 2 === 0 || i === N) {
          await log.syncAsync();
          acked.push(i);
        }
      }
      log.close();
    }
    const probe = newFaultyFs();
    const start = probe.mutations;
    await workload(probe, []);
    const total = probe.mutations - start;
    for (const tear of [undefined, 1]) {
      for (let n = 0; n <= total; n++) {
        const fs = newFaultyFs();
        fs.stopAfter(fs.mutations + n);
        const acked: number[] = [];
        try {
          await workload(fs, acked);
        } catch (e) {
          if (!(e instanceof PowerLossError)) throw e;
        }
        fs.crash(tear === undefined ? {} : { tear: { sectors: tear } });
        let r: ReturnType<typeof replay>;
        try {
          r = replay(fs);
        } catch (e) {
          throw new Error(`crash point ${n} (tear ${tear}): ${String(e)}`);
        }
        const got = r.lsns.length;
        expect(r.lsns).toEqual(range(1, got));
        expect(got).toBeGreaterThanOrEqual(acked[acked.length - 1] ?? 0);
        expect(r.log.append(put(99))).toBe(got + 1);
        expect(r.log.rotate()).toBe(r.log.currentSegment);
        r.log.sync();
        r.log.close();
        expect(replay(fs).lsns).toEqual(range(1, got + 1));
      }
    }
  });
});

test('node-fs smoke: write, reopen, tear, reopen', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nodeFs = require('node:fs') as typeof import('node:fs');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const os = require('node:os') as typeof import('node:os');
  const { NodeFileSystem } = require('../../src/durability/fs/node-fs') as typeof import('../../src/durability/fs/node-fs');
  const dir = nodeFs.mkdtempSync(`${os.tmpdir()}/amber-log-`);
  try {
    const fs = new NodeFileSystem();
    let log = RedoLog.open(fs, dir);
    for (let i = 1; i <= 100; i++) log.append(put(i));
    log.sync();
    log.close();
    const p = `${dir}/log/00000001.log`;
    nodeFs.truncateSync(p, framesEnd(nodeFs.readFileSync(p)) - 5);
    const lsns: number[] = [];
    log = RedoLog.open(fs, dir, { onTransaction: (l) => lsns.push(l) });
    expect(lsns).toEqual(range(1, 99));
    expect(log.report.torn).toBeDefined();
    log.close();
  } finally {
    nodeFs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('preallocation: the writer keeps zeros after the frames', () => {
  test('a zero tail after the last frame is a clean end, and appends overwrite it', () => {
    const fs = newFs();
    writeLog(fs, 3);
    const size = fs.readFile(seg1).length;
    const end = framesEnd(fs.readFile(seg1));
    expect(size).toBeGreaterThan(end); // preallocated
    expect(Buffer.from(fs.readFile(seg1).subarray(end)).every((b) => b === 0)).toBe(true);
    const { lsns, log } = replay(fs);
    expect(lsns).toEqual([1, 2, 3]);
    expect(log.report.torn).toBeUndefined(); // not a torn tail
    expect(log.append(put(4))).toBe(4);
    log.sync();
    log.close();
    expect(fs.readFile(seg1).length).toBe(size); // written inside the preallocated space
    const again = replay(fs);
    expect(again.lsns).toEqual([1, 2, 3, 4]);
    expect(again.log.report.torn).toBeUndefined();
    again.log.close();
  });

  test('the file grows by zero-filled chunks when the frames reach its end', () => {
    const fs = newFs();
    const log = RedoLog.open(fs, DIR);
    const first = fs.readFile(seg1).length;
    for (let i = 1; i <= 2000; i++) log.append(put(i, 'z'.repeat(60)));
    log.sync();
    log.close();
    const data = fs.readFile(seg1);
    expect(data.length).toBeGreaterThan(first);
    expect(framesEnd(data)).toBeLessThan(data.length);
    expect(replay(fs).lsns).toEqual(range(1, 2000));
  });

  test('a torn frame over the zero tail is a torn tail; the zeros after it do not matter', () => {
    const fs = newFs();
    writeLog(fs, 3);
    const data = fs.readFile(seg1).slice();
    const last = frameOffsets(data)[2]!;
    data.fill(0, last + 7, framesEnd(data)); // the last frame's write lost all but 7 bytes
    fs.writeFileDurable(seg1, data);
    const { lsns, log } = replay(fs);
    expect(lsns).toEqual([1, 2]);
    expect(log.report.torn).toMatchObject({ segment: 1, offset: last });
    expect(log.append(put(3))).toBe(3);
    log.sync();
    log.close();
    expect(replay(fs).lsns).toEqual([1, 2, 3]);
  });

  test('zeros followed by a valid frame are corruption', () => {
    const fs = newFs();
    writeLog(fs, 2);
    const data = readFrames(fs);
    fs.writeFileDurable(seg1, concat(data, new Uint8Array(100), craftFrame(data, 1, 3, Uint8Array.of(0)), new Uint8Array(1000)));
    expect(() => replay(fs)).toThrow(
      expect.objectContaining({
        code: 'SQLITE_CORRUPT',
        message: expect.stringContaining(`log/00000001.log at offset ${data.length}: bad frame magic, followed by a valid frame at offset ${data.length + 100}`),
      }),
    );
  });

  test('an unverifiable header followed by nothing but zeros on the last segment held nothing: a torn tail', () => {
    const fs = newFs();
    writeLog(fs, 0);
    const data = fs.readFile(seg1).slice();
    data.fill(0, 0, SEGMENT_HEADER_SIZE);
    fs.writeFileDurable(seg1, data);
    const { lsns, log } = replay(fs);
    expect(lsns).toEqual([]);
    expect(log.report.torn).toMatchObject({ segment: 1, offset: 0 });
    expect(log.append(put(1))).toBe(1);
  });
});
