// Redo log reader: returns the committed transactions of the live segments in LSN order and
// classifies how the log ends. Layout: log-writer.ts. The rules, one test each
// (test/durability/log.test.ts):
//   1. A frame is valid when its magic, length and salted CRC32C check out.
//   2. The end of the last segment is a clean end, and so is a zero tail: nothing but zero bytes
//      from the end of the last frame to the end of the file (the writer preallocates zeros).
//   3. A torn tail — an incomplete or bad frame with no valid frame anywhere after it in the
//      last segment — is a clean end once cut off: `end.kind === 'torn'`, `end.offset` is where to
//      truncate (the start of the incomplete transaction, so a FIRST without its LAST goes too).
//      Only unacknowledged transactions can be there: the writer fsyncs before acknowledging.
//   4. A bad frame followed by a valid frame is corruption (the damage is in the middle).
//   5. A valid frame of an unknown type, or with reserved bits set, is corruption.
//   6. An LSN out of sequence, a continuation frame out of place, a missing segment, a segment
//      whose header does not verify (except a torn header on the last segment), damage in any
//      segment but the last, or a log that starts after the LSN asked for, is corruption.
//   7. A segment whose header is a prepared one (base LSN all ones: created ahead of its rotation,
//      see log-writer.ts) is a clean end holding nothing when it is the last — whatever follows
//      the header, no fsync covered it — and corruption anywhere else. The segment before a
//      prepared last one counts as a last segment too (it may end torn: it was still being
//      written when the next was prepared).
// Corruption throws AmberError SQLITE_CORRUPT naming the file and byte offset ('strict'), or —
// `stopAtCorruption` — ends the scan there with `end.kind === 'corrupt'` for salvage.
//
// A segment is read whole into memory (segments are bounded by the writer's rotation size).
import { ByteReader, DecodeError } from './bytes';
import type { ChangeRecord } from './change-record';
import { readChangeSet } from './codec';
import { crc32c } from './crc32c';
import { readWholeFile } from './fs/file-system';
import type { FileSystem } from './fs/file-system';
import { LOG_DIR, listSegments, segmentFileName, segmentPath } from './layout';
import type { SegmentHeader } from './log-writer';
import {
  FRAME_FIRST,
  FRAME_FULL,
  FRAME_HEADER_SIZE,
  FRAME_LAST,
  FRAME_MAGIC,
  FRAME_MIDDLE,
  LOG_FORMAT_VERSION,
  PREPARED_BASE_LSN_HALF,
  SEGMENT_HEADER_SIZE,
  SEGMENT_MAGIC,
} from './log-writer';
import { AmberError } from '../value/amber-error';

export interface LogTransaction {
  readonly lsn: number;
  /** The change set bytes (codec.ts), reassembled from continuation frames. */
  readonly payload: Uint8Array;
  readonly segment: number;
  /** Offset of the transaction's first frame in its segment. */
  readonly offset: number;
}

export type LogEnd =
  /** Every frame verified; the writer may continue at `offset` of `segment`. */
  | { readonly kind: 'clean'; readonly segment: number; readonly offset: number; readonly header: SegmentHeader | undefined }
  /** A torn tail: valid up to `offset` of the last segment; cut there. */
  | {
      readonly kind: 'torn';
      readonly segment: number;
      readonly offset: number;
      readonly header: SegmentHeader | undefined;
      readonly reason: string;
    }
  /** Corruption (only when stopAtCorruption): valid up to `offset` of `segment`. */
  | {
      readonly kind: 'corrupt';
      readonly segment: number;
      readonly offset: number;
      readonly header: SegmentHeader | undefined;
      readonly reason: string;
    };

export interface LogScanOptions {
  /** First live segment (from MANIFEST); segments before it are ignored. Default: the lowest. */
  readonly firstSegment?: number;
  /** Yield only transactions with LSN > fromLsn (a snapshot's begin LSN). Default: all. */
  readonly fromLsn?: number;
  /** End the scan with `end.kind === 'corrupt'` instead of throwing. */
  readonly stopAtCorruption?: boolean;
}

type FrameCheck =
  | { readonly ok: true; readonly type: number; readonly reserved: number; readonly length: number; readonly lsn: number }
  | { readonly ok: false; readonly reason: string };

function checkFrame(buf: Buffer, pos: number, salt: number): FrameCheck {
  const avail = buf.length - pos;
  if (avail < FRAME_HEADER_SIZE) return { ok: false, reason: `incomplete frame header (${avail} bytes)` };
  if (buf[pos + 4] !== FRAME_MAGIC) return { ok: false, reason: 'bad frame magic' };
  const length = buf.readUInt32LE(pos + 8);
  if (length > avail - FRAME_HEADER_SIZE) return { ok: false, reason: `incomplete frame (length ${length})` };
  const stored = buf.readUInt32LE(pos);
  if (crc32c(buf, pos + 4, pos + FRAME_HEADER_SIZE + length, salt) !== stored) {
    return { ok: false, reason: 'frame checksum mismatch' };
  }
  const hi = buf.readUInt32LE(pos + 16);
  const lsn = hi * 0x100000000 + buf.readUInt32LE(pos + 12);
  return { ok: true, type: buf[pos + 5]!, reserved: buf.readUInt16LE(pos + 6), length, lsn };
}

/** A prepared segment's header (log-writer.ts, "Prepared segments"): no base LSN yet. */
export interface PreparedHeader {
  readonly prepared: true;
  readonly segment: number;
}

export function parseSegmentHeader(buf: Uint8Array): SegmentHeader | PreparedHeader | string {
  if (buf.length < SEGMENT_HEADER_SIZE) return `incomplete segment header (${buf.length} bytes)`;
  const r = new ByteReader(buf, 0, SEGMENT_HEADER_SIZE);
  if (crc32c(buf, 0, 28) !== r.buf.readUInt32LE(28)) return 'segment header checksum mismatch';
  if (r.buf.toString('latin1', 0, 8) !== SEGMENT_MAGIC) return 'bad segment magic';
  r.pos = 8;
  const version = r.u16();
  if (version !== LOG_FORMAT_VERSION) return `unsupported log format version ${version}`;
  r.u16();
  const segment = r.u32();
  if (r.buf.readUInt32LE(16) === PREPARED_BASE_LSN_HALF && r.buf.readUInt32LE(20) === PREPARED_BASE_LSN_HALF) {
    return { prepared: true, segment };
  }
  try {
    const baseLsn = r.u64();
    return { segment, baseLsn, salt: r.u32() };
  } catch {
    return 'base LSN out of range';
  }
}

class Corruption extends Error {
  constructor(
    readonly segment: number,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * One pass over the log. Iterate `transactions()` (once); afterwards `end` says how the log ended
 * and `lastLsn` is the LSN of the last valid transaction (whether yielded or skipped by fromLsn).
 */
export class LogScan {
  end: LogEnd | undefined;
  lastLsn = 0;
  segments: number[] = [];

  constructor(
    private readonly fs: FileSystem,
    private readonly dir: string,
    private readonly opts: LogScanOptions = {},
  ) {}

  /** Change sets decoded, with their LSNs. */
  *changeSets(): Generator<{ readonly lsn: number; readonly records: ChangeRecord[] }> {
    for (const tx of this.transactions()) {
      let records: ChangeRecord[];
      try {
        records = readChangeSet(new ByteReader(tx.payload));
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
        // The checksum held, so these bytes are what was written: a malformed payload is a bug or
        // a foreign writer, never a torn write. Corruption in every mode.
        throw this.corruptError(tx.segment, tx.offset, `transaction ${tx.lsn}: ${e.message}`);
      }
      yield { lsn: tx.lsn, records };
    }
  }

  *transactions(): Generator<LogTransaction> {
    const all = listSegments(this.fs, this.dir);
    const first = this.opts.firstSegment ?? all[0];
    const segs = first === undefined ? [] : all.filter((s) => s >= first);
    this.segments = segs;
    if (first !== undefined && segs[0] !== first) {
      throw this.corruptError(first, 0, 'missing log segment');
    }
    let expectLsn: number | undefined; // LSN the next transaction must have
    let lastSeg: { segment: number; offset: number; header: SegmentHeader | undefined } | undefined;
    let current: SegmentHeader | undefined;
    // A prepared last segment was created before the one ahead of it was finished (rule 7), so
    // the segment before it may end torn: both count as the last.
    const lastLive = segs.length >= 2 && isPreparedSegment(this.fs, segmentPath(this.dir, segs[segs.length - 1]!)) ? segs.length - 2 : segs.length - 1;
    try {
      for (let i = 0; i < segs.length; i++) {
        const segment = segs[i]!;
        const isLast = i >= lastLive;
        if (i > 0 && segment !== segs[i - 1]! + 1) throw new Corruption(segs[i - 1]! + 1, 0, 'missing log segment');
        // A view, not Buffer.from(bytes): that would copy the whole segment once more.
        const bytes = readWholeFile(this.fs, segmentPath(this.dir, segment));
        const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const header = parseSegmentHeader(buf);
        if (typeof header === 'string') {
          // Created but not yet durable when the power went: LogWriter.create writes and fsyncs the
          // header before any frame (adopt writes over a durable prepared header, rule 7), so an
          // unverifiable header on the last segment held nothing acknowledged.
          if (isLast && (buf.length <= SEGMENT_HEADER_SIZE || isZeroFrom(buf, SEGMENT_HEADER_SIZE))) {
            this.end = { kind: 'torn', segment, offset: 0, header: undefined, reason: header };
            return;
          }
          throw new Corruption(segment, 0, header);
        }
        if (header.segment !== segment) throw new Corruption(segment, 0, `segment header names segment ${header.segment}`);
        if ('prepared' in header) {
          // Rule 7: prepared ahead of a rotation, and no fsync covered anything after the header.
          if (!isLast) throw new Corruption(segment, 0, 'a prepared segment that is not the last');
          this.end = { kind: 'clean', segment, offset: 0, header: undefined };
          return;
        }
        current = header;
        if (expectLsn === undefined) {
          if (this.opts.fromLsn !== undefined && header.baseLsn > this.opts.fromLsn) {
            throw new Corruption(segment, 0, `log starts after LSN ${header.baseLsn}, but LSN ${this.opts.fromLsn + 1} is needed`);
          }
          this.lastLsn = header.baseLsn;
        } else if (header.baseLsn !== expectLsn - 1) {
          throw new Corruption(segment, 0, `segment base LSN ${header.baseLsn}, expected ${expectLsn - 1}`);
        }
        expectLsn = header.baseLsn + 1;
        const r = yield* this.scanSegment(buf, segment, header, isLast, expectLsn);
        expectLsn = r.nextLsn;
        lastSeg = { segment, offset: r.end, header };
        if (r.torn !== undefined) {
          this.end = { kind: 'torn', segment, offset: r.end, header, reason: r.torn };
          return;
        }
      }
    } catch (e) {
      if (!(e instanceof Corruption)) throw e;
      if (this.opts.stopAtCorruption !== true) throw this.corruptError(e.segment, e.offset, e.reason);
      const header = e.offset > 0 && current?.segment === e.segment ? current : undefined;
      this.end = { kind: 'corrupt', segment: e.segment, offset: e.offset, header, reason: e.reason };
      return;
    }
    this.end =
      lastSeg === undefined
        ? { kind: 'clean', segment: first ?? 1, offset: 0, header: undefined }
        : { kind: 'clean', ...lastSeg };
  }

  private *scanSegment(
    buf: Buffer,
    segment: number,
    header: SegmentHeader,
    isLast: boolean,
    firstLsn: number,
  ): Generator<LogTransaction, { end: number; nextLsn: number; torn?: string }> {
    let expect = firstLsn;
    let pos = SEGMENT_HEADER_SIZE;
    let pending: { lsn: number; offset: number; parts: Buffer[] } | undefined;
    const fromLsn = this.opts.fromLsn ?? -1;
    while (pos < buf.length) {
      const f = checkFrame(buf, pos, header.salt);
      if (!f.ok) {
        if (isZeroFrom(buf, pos)) {
          // The zero tail: where the next frame will go (rule 2). A FIRST without its LAST before it
          // is still a torn transaction.
          if (pending === undefined) return { end: pos, nextLsn: expect };
          if (!isLast) throw new Corruption(segment, pending.offset, `transaction ${pending.lsn} has no LAST frame`);
          return { end: pending.offset, nextLsn: expect, torn: `transaction ${pending.lsn} has no LAST frame` };
        }
        const next = findValidFrame(buf, pos + 1, header.salt);
        if (next !== undefined) {
          throw new Corruption(segment, pos, `${f.reason}, followed by a valid frame at offset ${next}`);
        }
        if (!isLast) throw new Corruption(segment, pos, `${f.reason} in a segment that is not the last`);
        return { end: pending?.offset ?? pos, nextLsn: expect, torn: `${f.reason} at offset ${pos}` };
      }
      if (f.reserved !== 0) throw new Corruption(segment, pos, `frame reserved bits 0x${f.reserved.toString(16)}`);
      const body = buf.subarray(pos + FRAME_HEADER_SIZE, pos + FRAME_HEADER_SIZE + f.length);
      const at = pos;
      pos += FRAME_HEADER_SIZE + f.length;
      switch (f.type) {
        case FRAME_FULL:
        case FRAME_FIRST:
          if (pending !== undefined) throw new Corruption(segment, at, `transaction ${pending.lsn} has no LAST frame`);
          if (f.lsn !== expect) throw new Corruption(segment, at, `LSN ${f.lsn} out of sequence (expected ${expect})`);
          if (f.type === FRAME_FIRST) {
            pending = { lsn: f.lsn, offset: at, parts: [body] };
            continue;
          }
          expect++;
          this.lastLsn = f.lsn;
          if (f.lsn > fromLsn) yield { lsn: f.lsn, payload: body, segment, offset: at };
          continue;
        case FRAME_MIDDLE:
        case FRAME_LAST:
          if (pending === undefined) throw new Corruption(segment, at, 'continuation frame without a FIRST frame');
          if (f.lsn !== pending.lsn) throw new Corruption(segment, at, `continuation LSN ${f.lsn}, expected ${pending.lsn}`);
          pending.parts.push(body);
          if (f.type === FRAME_MIDDLE) continue;
          expect++;
          this.lastLsn = f.lsn;
          if (f.lsn > fromLsn) yield { lsn: f.lsn, payload: Buffer.concat(pending.parts), segment, offset: pending.offset };
          pending = undefined;
          continue;
        default:
          throw new Corruption(segment, at, `unknown frame type ${f.type}`);
      }
    }
    if (pending !== undefined) {
      if (!isLast) throw new Corruption(segment, pending.offset, `transaction ${pending.lsn} has no LAST frame`);
      return { end: pending.offset, nextLsn: expect, torn: `transaction ${pending.lsn} has no LAST frame` };
    }
    return { end: pos, nextLsn: expect };
  }

  private corruptError(segment: number, offset: number, reason: string): AmberError {
    return new AmberError(
      `database disk image is malformed: ${LOG_DIR}/${segmentFileName(segment)} at offset ${offset}: ${reason}`,
      'SQLITE_CORRUPT',
    );
  }
}

/** Whether the segment file at `path` starts with a prepared header (rule 7). */
export function isPreparedSegment(fs: FileSystem, path: string): boolean {
  const f = fs.open(path, 'read');
  try {
    const head = new Uint8Array(SEGMENT_HEADER_SIZE);
    if (f.read(head, 0, SEGMENT_HEADER_SIZE, 0) < SEGMENT_HEADER_SIZE) return false;
    const h = parseSegmentHeader(head);
    return typeof h !== 'string' && 'prepared' in h;
  } finally {
    f.close();
  }
}

/** Whether every byte of `buf` from `from` on is zero. */
function isZeroFrom(buf: Buffer, from: number): boolean {
  for (let p = from; p < buf.length; p++) if (buf[p] !== 0) return false;
  return true;
}

/** The offset of the first frame at or after `from` whose checksum verifies, if any. */
function findValidFrame(buf: Buffer, from: number, salt: number): number | undefined {
  for (let p = buf.indexOf(FRAME_MAGIC, from + 4); p >= 0; p = buf.indexOf(FRAME_MAGIC, p + 1)) {
    const start = p - 4;
    if (checkFrame(buf, start, salt).ok) return start;
  }
  return undefined;
}

/** Reads the log from `opts.fromLsn` (exclusive): the replay half of recovery. */
export function readLogFrom(fs: FileSystem, dir: string, opts: LogScanOptions = {}): LogScan {
  return new LogScan(fs, dir, opts);
}
