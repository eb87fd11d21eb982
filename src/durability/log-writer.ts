// Redo log writer: frames committed transactions into segment files log/NNNNNNNN.log.
// Modelled on LevelDB's doc/log_format.md, with an LSN in every frame and a per-segment salt in
// every checksum (as SQLite's WAL salts): a frame image copied from another segment, or left in a
// recycled file, never verifies. All integers little-endian. FROZEN (format version 1).
//
// Segment header, 32 bytes at offset 0, written and fsynced when the segment is created:
//   off size field
//     0    8 magic "AMBERLOG"
//     8    2 format version = 1
//    10    2 reserved, 0
//    12    4 segment number (equals the number in the file name)
//    16    8 base LSN: LSN of the last transaction before this segment (first frame has base + 1)
//    24    4 salt: random, seeds every frame checksum of this segment
//    28    4 CRC32C of bytes 0..27
//
// Frame, 20-byte header + payload, appended back to back from offset 32:
//   off size field
//     0    4 CRC32C, seeded with the salt, of bytes 4 .. 20 + length (rest of header + payload)
//     4    1 magic 0xAB
//     5    1 type: 1 FULL, 2 FIRST, 3 MIDDLE, 4 LAST (a transaction larger than maxFramePayload
//             is split FIRST, MIDDLE*, LAST; all its frames carry its LSN)
//     6    2 reserved, 0
//     8    4 payload length (bytes)
//    12    8 LSN of the transaction (consecutive: each transaction is the previous + 1)
//    20    n payload: the transaction's change set (codec.ts), split across frames if large
//
// A transaction never spans two segments. No byte of a segment reaches the OS before the segment
// ahead of it is durable: rotation to a created segment fsyncs the old one first; rotation to a
// prepared one (below) lets the new writer fsync the old segment before its first write
// (`follow`). So only the last segment can have a torn tail — or the one before a prepared last
// one, whose header was never rewritten (log-reader.ts states the rules).
//
// Prepared segments: a checkpoint rotates the log, and creating a segment durably (file fsync,
// then its directory's: 10–20 ms on a busy disk) would stall the event loop. So the next segment
// can be prepared ahead, off the loop: created with a *prepared header* — base LSN field all ones
// (2^64 - 1, no real LSN), its salt already chosen, checksummed as usual — followed by zeros,
// then the file and log/ fsynced asynchronously. Rotation then touches no file: the new writer
// writes the real header (same salt, the base LSN now known) over the prepared one just before
// its first frames, after the old segment is durable, and without an fsync of its own: the first
// fsync of the segment makes the header durable together with the frames after it (the same
// file), and no commit in the segment is acknowledged before such an fsync. So a prepared header on disk means no fsync
// covered anything after it: on the last segment it is a clean end holding nothing (frames after
// it, unacknowledged, are ignored); anywhere else it is corruption.
//
// Preallocation: the file is kept longer than its frames, the rest filled with zeros, so that a
// commit's fdatasync overwrites blocks inside the file instead of growing it (a growing file makes
// every fdatasync also commit the new size — an ext4 journal commit — which measured 1.5–2× slower
// per commit on this project's machines). When a write would pass the zero-filled end, the frames
// are written and then zeros up to a new end (the frames' end + max(64 KiB, the file's size), at
// most 4 MiB more); the next sync makes both durable, so it is the only sync that pays for a size
// change. Segment creation writes the header followed by zeros up to 64 KiB.
// After the last frame a segment holds either nothing or zeros up to its end: a "zero tail", which
// the reader takes as a clean end. A frame never validates over zeros: its magic byte must be 0xAB.
import { ByteWriter } from './bytes';
import { crc32c } from './crc32c';
import type { FileHandle, FileSystem } from './fs/file-system';
import { dirName, fsErrorCode } from './fs/file-system';
import { segmentPath } from './layout';

export const SEGMENT_MAGIC = 'AMBERLOG';
export const LOG_FORMAT_VERSION = 1;
export const SEGMENT_HEADER_SIZE = 32;
export const FRAME_HEADER_SIZE = 20;
export const FRAME_MAGIC = 0xab;
export const FRAME_FULL = 1;
export const FRAME_FIRST = 2;
export const FRAME_MIDDLE = 3;
export const FRAME_LAST = 4;
/** Default largest payload in one frame; larger transactions are split. */
export const DEFAULT_MAX_FRAME_PAYLOAD = 1 << 20;
/** Smallest and largest zero-filled chunk preallocated past the frames (see the header). */
export const MIN_PREALLOCATE = 64 * 1024;
export const MAX_PREALLOCATE = 4 * 1024 * 1024;
/** Deferred frames are written once they reach this size, whatever the next sync. */
export const MAX_PENDING_BYTES = 1 << 20;
/** Shared source of zeros for preallocation; never written to. */
const ZEROS = new Uint8Array(MAX_PREALLOCATE);

/** Where a file whose frames end at `end` and which is `size` bytes long should be extended to. */
function preallocateEnd(end: number, size: number): number {
  const chunk = Math.min(MAX_PREALLOCATE, Math.max(MIN_PREALLOCATE, size));
  return Math.ceil((end + chunk) / 4096) * 4096;
}

export interface SegmentHeader {
  readonly segment: number;
  readonly baseLsn: number;
  readonly salt: number;
}

/** Base LSN field of a prepared segment's header (the u64's both halves all ones). */
export const PREPARED_BASE_LSN_HALF = 0xffffffff;

/** A header; `baseLsn` undefined writes a prepared header (see the top of the file). */
export function encodeSegmentHeader(h: { readonly segment: number; readonly baseLsn: number | undefined; readonly salt: number }): Uint8Array {
  const w = new ByteWriter(SEGMENT_HEADER_SIZE);
  w.bytes(Buffer.from(SEGMENT_MAGIC, 'latin1'));
  w.u16(LOG_FORMAT_VERSION);
  w.u16(0);
  w.u32(h.segment);
  if (h.baseLsn === undefined) {
    w.u32(PREPARED_BASE_LSN_HALF);
    w.u32(PREPARED_BASE_LSN_HALF);
  } else w.u64(h.baseLsn);
  w.u32(h.salt);
  w.u32(crc32c(w.buf, 0, 28));
  return new Uint8Array(w.view()); // a copy (Buffer#slice would be a view)
}

export interface LogWriterOptions {
  readonly maxFramePayload?: number;
}

/**
 * Appends frames to one segment. Writes go to the OS at once (`append` returns after the write)
 * unless deferred; `sync` makes everything appended so far durable. Several transactions may be
 * appended before one sync: that is group commit's hook.
 *
 * Faults (DESIGN §6): a failed fsync poisons the writer — every later call rethrows it, because
 * after a failed fsync the kernel may have dropped the dirty pages and a retry that "succeeds"
 * proves nothing (the PostgreSQL 2018 lesson). A failed write is cut back off the file; if that
 * works and the error was ENOSPC, the writer stays usable (the commit fails, the log is intact);
 * any other write error poisons it.
 */
export class LogWriter {
  private readonly out = new ByteWriter(64 * 1024);
  private readonly maxFramePayload: number;
  private failure: unknown = undefined;
  /** Invariant: frames end at offset; the file holds only zeros from there to `allocated`. */
  private offset: number;
  /** Invariant: allocated >= offset, and === the file's size as far as this writer knows. */
  private allocated: number;
  private lsn: number;
  private synced: number;
  /** The segment before this one, until it is durable (follow). */
  private previous: LogWriter | undefined = undefined;
  /** Adopted from a prepared segment: the real header goes out with the first write (adopt). */
  private headerPending = false;

  private constructor(
    private readonly fs: FileSystem,
    private readonly file: FileHandle,
    readonly header: SegmentHeader,
    offset: number,
    allocated: number,
    lastLsn: number,
    opts: LogWriterOptions,
  ) {
    this.offset = offset;
    this.allocated = allocated;
    this.lsn = lastLsn;
    this.synced = lastLsn;
    this.maxFramePayload = opts.maxFramePayload ?? DEFAULT_MAX_FRAME_PAYLOAD;
  }

  /** Creates segment `segment` in DIR/log (durably: file and directory entry fsynced). */
  static create(fs: FileSystem, dir: string, segment: number, baseLsn: number, opts: LogWriterOptions = {}): LogWriter {
    const path = segmentPath(dir, segment);
    const header: SegmentHeader = { segment, baseLsn, salt: (Math.random() * 0x100000000) >>> 0 };
    const file = fs.open(path, 'create-new');
    const allocated = MIN_PREALLOCATE; // the header, then zeros to 64 KiB
    try {
      // One write: header then zeros. If only part of it survives a power loss, the reader takes
      // an unverifiable header followed by nothing but zeros for a segment never made durable.
      const first = new Uint8Array(allocated);
      first.set(encodeSegmentHeader(header), 0);
      file.write(first, 0);
      file.sync();
      fs.syncDir(dirName(path));
    } catch (e) {
      file.close();
      throw e;
    }
    return new LogWriter(fs, file, header, SEGMENT_HEADER_SIZE, allocated, baseLsn, opts);
  }

  /**
   * Creates segment `segment` as a prepared segment (see the top of the file): the file is written
   * at once, and the promise resolves once it and its directory entry are durable — both fsyncs
   * off the event loop when the file system can (syncDirAsync). adopt() turns it into the next
   * segment. On failure the file is closed and removed (a half-made one would block create-new).
   */
  static prepare(fs: FileSystem, dir: string, segment: number): { prepared: PreparedSegment; durable: Promise<void> } {
    const path = segmentPath(dir, segment);
    const salt = (Math.random() * 0x100000000) >>> 0;
    const file = fs.open(path, 'create-new');
    const prepared = new PreparedSegment(path, segment, salt, file);
    const discard = (e: unknown): never => {
      prepared.discard(fs);
      throw e;
    };
    try {
      const first = new Uint8Array(MIN_PREALLOCATE);
      first.set(encodeSegmentHeader({ segment, baseLsn: undefined, salt }), 0);
      file.write(first, 0);
    } catch (e) {
      discard(e);
    }
    const durable = file
      .syncAsync()
      .then(() => (fs.syncDirAsync !== undefined ? fs.syncDirAsync(dirName(path)) : fs.syncDir(dirName(path))))
      .then(
        () => {
          prepared.durable = true;
        },
        (e: unknown) => {
          // Adopted meanwhile (its fsyncs redone synchronously): a failed fsync of the file still
          // poisons the log — after one, a later fsync that succeeds proves nothing.
          if (prepared.adoptedBy !== undefined) {
            prepared.adoptedBy.poison(e);
            throw e;
          }
          discard(e);
        },
      );
    return { prepared, durable };
  }

  /**
   * The next segment, made from a prepared one: its real header (base LSN `baseLsn`) is written
   * over the prepared one with its first frames (writeOut), with no fsync of its own (the
   * segment's first fsync covers it). If the prepared file's fsyncs have not completed, they are
   * done here, synchronously.
   */
  static adopt(fs: FileSystem, p: PreparedSegment, baseLsn: number, opts: LogWriterOptions = {}): LogWriter {
    const header: SegmentHeader = { segment: p.segment, baseLsn, salt: p.salt };
    if (!p.durable) {
      p.file.sync();
      fs.syncDir(dirName(p.path));
      p.durable = true;
    }
    const writer = new LogWriter(fs, p.file, header, SEGMENT_HEADER_SIZE, MIN_PREALLOCATE, baseLsn, opts);
    writer.headerPending = true;
    p.adoptedBy = writer;
    return writer;
  }

  /**
   * Makes `previous` (the segment before this one) durable before this writer writes anything:
   * its pending frames and fsync come first (sync: at once; syncAsync: chained), so no byte of
   * this segment reaches the OS while the previous one may still end torn. Until then this
   * writer's syncedLsn is the previous one's. Rotation uses it so as not to wait for an fsync.
   */
  follow(previous: LogWriter): void {
    if (previous.out.pos === 0 && previous.synced === previous.lsn) previous.close();
    else this.previous = previous;
  }

  /** The previous segment's writer, made durable (synchronously) and closed; see follow(). */
  private retirePrevious(): void {
    const prev = this.previous;
    if (prev === undefined) return;
    try {
      prev.sync();
    } catch (e) {
      this.failure ??= e;
      throw e;
    }
    this.previous = undefined;
    prev.close();
  }

  /** Stops the writer with `e`: every later call rethrows it. */
  poison(e: unknown): void {
    this.failure ??= e;
  }

  /**
   * Continues an existing, verified segment whose valid frames end at `end`. `zeroTail`: the
   * reader found only zeros after `end` (a clean end), so the preallocated space is kept and new
   * frames overwrite it; otherwise (a torn tail) the file is truncated at `end`.
   */
  static reopen(
    fs: FileSystem,
    dir: string,
    header: SegmentHeader,
    end: number,
    lastLsn: number,
    opts: LogWriterOptions = {},
    zeroTail = false,
  ): LogWriter {
    const file = fs.open(segmentPath(dir, header.segment), 'readwrite');
    let allocated: number;
    try {
      allocated = file.size();
      if (allocated !== end && !zeroTail) {
        file.truncate(end);
        file.sync();
        allocated = end;
      }
    } catch (e) {
      file.close();
      throw e;
    }
    return new LogWriter(fs, file, header, end, allocated, lastLsn, opts);
  }

  get segment(): number {
    return this.header.segment;
  }
  /**
   * Bytes of the segment's header and frames, pending ones included (the zero-filled
   * preallocated tail not counted).
   */
  get size(): number {
    return this.offset + this.out.pos;
  }
  /** The file's size as this writer made it (frames and preallocated zeros; pending frames not). */
  get fileBytes(): number {
    return this.allocated;
  }
  /** LSN of the last transaction appended (or the base LSN). */
  get lastLsn(): number {
    return this.lsn;
  }
  /** LSN of the last transaction known durable. */
  get syncedLsn(): number {
    return this.previous !== undefined ? this.previous.syncedLsn : this.synced;
  }
  /** The error that stopped this writer, if any. */
  get failed(): unknown {
    return this.failure;
  }

  /**
   * Frames one transaction, `encode(w, item)` writing its payload, and returns its LSN.
   * `deferWrite`: the frames stay in memory (pending) until the next write or sync — for a commit
   * that nobody is told about before a later sync (group commit: one write per fsync instead of
   * one per commit). Otherwise they are handed to the OS now, with any pending frames before them.
   * If a write carrying pending frames fails, the writer is poisoned: those transactions committed
   * in memory and can no longer reach the log.
   */
  append<T>(item: T, encode: (w: ByteWriter, item: T) => void, deferWrite: boolean): number {
    this.check();
    const out = this.out;
    const pendingBefore = out.pos;
    const lsn = this.lsn + 1;
    const start = out.pos;
    out.ensure(FRAME_HEADER_SIZE);
    out.pos += FRAME_HEADER_SIZE;
    encode(out, item);
    const length = out.pos - start - FRAME_HEADER_SIZE;
    if (length <= this.maxFramePayload) {
      this.sealFrame(start, FRAME_FULL, length, lsn);
    } else {
      // A copy: the frames are rebuilt over the same region of `out`.
      const payload = new Uint8Array(out.buf.subarray(start + FRAME_HEADER_SIZE, out.pos));
      out.pos = start;
      for (let at = 0; at < length; at += this.maxFramePayload) {
        const part = payload.subarray(at, Math.min(length, at + this.maxFramePayload));
        const type = at === 0 ? FRAME_FIRST : at + part.length === length ? FRAME_LAST : FRAME_MIDDLE;
        const s = out.pos;
        out.ensure(FRAME_HEADER_SIZE);
        out.pos += FRAME_HEADER_SIZE;
        out.bytes(part);
        this.sealFrame(s, type, part.length, lsn);
      }
    }
    if (!deferWrite || out.pos >= MAX_PENDING_BYTES) {
      try {
        this.writeOut(out.view());
      } catch (e) {
        out.pos = pendingBefore;
        if (pendingBefore > 0) this.failure ??= e;
        throw e;
      }
      out.reset();
    }
    this.lsn = lsn;
    return lsn;
  }

  /** Hands pending (deferred) frames to the OS; a failure poisons the writer (see append). */
  private writePending(): void {
    const out = this.out;
    if (out.pos === 0) return;
    try {
      this.writeOut(out.view());
    } catch (e) {
      this.failure ??= e;
      throw e;
    }
    out.reset();
  }

  private sealFrame(start: number, type: number, length: number, lsn: number): void {
    const b = this.out.buf;
    b[start + 4] = FRAME_MAGIC;
    b[start + 5] = type;
    b.writeUInt16LE(0, start + 6);
    b.writeUInt32LE(length, start + 8);
    b.writeUInt32LE(lsn % 0x100000000, start + 12);
    b.writeUInt32LE(Math.floor(lsn / 0x100000000), start + 16);
    b.writeUInt32LE(crc32c(b, start + 4, start + FRAME_HEADER_SIZE + length, this.header.salt), start);
  }

  private writeOut(bytes: Uint8Array): void {
    this.retirePrevious();
    if (this.headerPending) {
      try {
        this.file.write(encodeSegmentHeader(this.header), 0);
      } catch (e) {
        this.failure ??= e; // the file may hold half a header: this segment is done for
        throw e;
      }
      this.headerPending = false;
    }
    const end = this.offset + bytes.length;
    try {
      this.file.write(bytes, this.offset);
      if (end > this.allocated) {
        // Past the zero-filled space: zeros after the frames, made durable by the next sync.
        const to = preallocateEnd(end, this.allocated);
        for (let at = end; at < to; at += ZEROS.length) this.file.write(ZEROS.subarray(0, Math.min(ZEROS.length, to - at)), at);
        this.allocated = to;
      }
    } catch (e) {
      try {
        // Take back a short write (and the zeros after it: the file ends at the last frame).
        this.file.truncate(this.offset);
        this.allocated = this.offset;
      } catch {
        this.failure = e;
        throw e;
      }
      if (fsErrorCode(e) !== 'ENOSPC') this.failure = e;
      throw e;
    }
    this.offset = end;
  }

  /** Makes every appended transaction durable. */
  sync(): void {
    this.check();
    this.retirePrevious();
    this.writePending();
    if (this.synced === this.lsn) return;
    try {
      this.file.sync();
    } catch (e) {
      this.failure = e;
      throw e;
    }
    this.synced = this.lsn;
  }

  /**
   * Makes every transaction appended *so far* durable without blocking: resolves with the last
   * LSN it covers. Appends may go on while it runs; they wait for a later sync. Invariant:
   * `synced` only grows — a sync() that finished first may already cover more than this one did.
   * A failure poisons the writer, as sync()'s does.
   */
  syncAsync(): Promise<number> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const prev = this.previous;
    if (prev !== undefined) {
      // The previous segment first (follow()); this segment's frames wait in memory meanwhile.
      return prev.syncAsync().then(
        () => {
          if (this.previous === prev) {
            this.previous = undefined;
            prev.close();
          }
          return this.syncAsync();
        },
        (e: unknown) => {
          this.failure ??= e;
          throw e;
        },
      );
    }
    try {
      this.writePending();
    } catch (e) {
      return Promise.reject(e);
    }
    const target = this.lsn;
    if (this.synced >= target) return Promise.resolve(this.synced);
    return this.file.syncAsync().then(
      () => {
        if (this.failure !== undefined) throw this.failure;
        if (target > this.synced) this.synced = target;
        return target;
      },
      (e: unknown) => {
        this.failure ??= e;
        throw e;
      },
    );
  }

  /** Closes the file; pending frames are dropped (never acknowledged: sync first to keep them). */
  close(): void {
    this.previous?.close();
    this.previous = undefined;
    this.out.reset();
    this.file.close();
  }

  private check(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}

/** A segment created ahead of its rotation (LogWriter.prepare / adopt). */
export class PreparedSegment {
  /** The file and its directory entry are durable. */
  durable = false;
  /** The file's size. */
  readonly bytes = MIN_PREALLOCATE;
  /** The writer it became (LogWriter.adopt); from then on it is never discarded. */
  adoptedBy: LogWriter | undefined = undefined;
  constructor(
    readonly path: string,
    readonly segment: number,
    readonly salt: number,
    readonly file: FileHandle,
  ) {}

  private released = false;

  /**
   * The log is closed: the file is closed and left on disk (recovery takes it for a clean end);
   * a late failure of its fsyncs no longer removes it (the directory may be someone else's now).
   */
  release(): void {
    if (this.adoptedBy !== undefined || this.released) return;
    this.released = true;
    try {
      this.file.close();
    } catch {
      // best effort
    }
  }

  /** Closes and removes the file (best effort: recovery takes a leftover for a clean end). */
  discard(fs: FileSystem): void {
    if (this.adoptedBy !== undefined || this.released) return;
    this.released = true;
    try {
      this.file.close();
    } catch {
      // already closed
    }
    try {
      if (fs.exists(this.path)) fs.unlink(this.path);
    } catch {
      // see above
    }
  }
}
