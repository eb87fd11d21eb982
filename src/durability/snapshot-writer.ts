// Snapshot writer: the tables as of a checkpoint, in fixed-size checksummed pages, written
// incrementally (begin → addRows in slices between statements → finish) so a checkpoint never
// stops the world (DESIGN §6). Recovery replays the log after `beginLsn` over it. FROZEN (v1).
// All integers little-endian; varints and values as in codec.ts.
//
// Every page (pageSize bytes, a power of two from 512 B to 16 MiB, default 64 KiB):
//   off size field
//     0    4 CRC32C of bytes 4 .. pageSize (the rest of the page, unused bytes included, zero)
//     4    1 type: 1 HEADER, 2 DATA, 3 OVERFLOW, 4 TRAILER
//     5    1 flags: bit 0 CONTINUES — the page's last entry goes on in the next page (OVERFLOW)
//     6    2 reserved, 0
//     8    4 page number (= file offset / pageSize)
//    12    4 count: entries that start in this page (HEADER: 1, DATA: rows, else 0)
//    16    4 used: bytes of the body in use (body = bytes 24 .. 24 + used); the rest is zero
//    20    4 reserved, 0
//    24    . body
//
// Entry := varint length, bytes. An entry that does not fit the rest of its page but would fit an
// empty one starts a new page; one larger than a page starts where it is and continues through
// OVERFLOW pages (body = the next bytes of the entry) until its length is reached.
//
// Page 0, HEADER. Body: magic "AMBERSNP" (8), format version u32 = 1, page size u32, begin LSN u64,
//   then one entry, the schema: varint n, n × DDL string; varint m, m × (table name string,
//   sequence Value: INT_* or NULL). Strings are varint length + UTF-8. The DDL list ends with the
//   database settings as PRAGMA statements ("PRAGMA user_version = 7"), each one not at 0.
// DATA pages. Body: entries, one per row: varint table index (into the schema's table list),
//   rowid Value, varint column count, Values.
// Last page, TRAILER. Body: magic "AMBEREND" (8), page count u32 (all pages, trailer included),
//   row count u64, file checksum u32 = CRC32C over the stored CRCs (4 bytes LE each) of every
//   page before the trailer. With every page's own CRC, it pins the whole file: a page swapped,
//   dropped or duplicated changes it.
//
// Durability: written as snap/NNNNNNNN.snap.tmp, fsynced, renamed to snap/NNNNNNNN.snap
// (NNNNNNNN = begin LSN), directory fsynced. A .tmp file is never read.
import type { SqlValue } from '../value/types';
import { AmberError } from '../value/amber-error';
import { ByteWriter } from './bytes';
import { writeInteger, writeRow, writeValue } from './codec';
import { crc32c } from './crc32c';
import type { FileHandle, FileSystem } from './fs/file-system';
import { dirName, joinPath } from './fs/file-system';
import { SNAP_DIR, ensureDir, snapshotPath } from './layout';
import type { SnapshotSchema } from './snapshot-format';
import {
  DEFAULT_PAGE_SIZE,
  FLAG_CONTINUES,
  PAGE_DATA,
  PAGE_HEADER,
  PAGE_HEADER_SIZE,
  PAGE_OVERFLOW,
  PAGE_TRAILER,
  SNAPSHOT_FORMAT_VERSION,
  SNAPSHOT_MAGIC,
  TRAILER_MAGIC,
  isValidPageSize,
} from './snapshot-format';

export interface SnapshotWriterOptions {
  readonly pageSize?: number;
}

export interface SnapshotInfo {
  readonly path: string;
  readonly beginLsn: number;
  readonly pages: number;
  readonly rows: number;
  readonly bytes: number;
}

export class SnapshotWriter {
  private readonly page: Buffer;
  private readonly entry = new ByteWriter(1024);
  private pageNo = 0;
  private type = PAGE_HEADER;
  private used = 0;
  private count = 0;
  private rows = 0;
  private fileCrc = 0;
  private readonly tableIndex = new Map<string, number>();
  private done = false;
  /** The trailer is written (no more rows); `trailerSynced`: and an fsync since covered it. */
  private trailerWritten = false;
  private trailerSynced = false;
  private info: SnapshotInfo | undefined;

  private constructor(
    private readonly fs: FileSystem,
    private readonly file: FileHandle,
    private readonly tmpPath: string,
    readonly path: string,
    readonly beginLsn: number,
    readonly pageSize: number,
  ) {
    this.page = Buffer.alloc(pageSize);
  }

  /** Starts snapshot `snap/<beginLsn>.snap` of database directory `dir` with its schema. */
  static begin(fs: FileSystem, dir: string, beginLsn: number, schema: SnapshotSchema, opts: SnapshotWriterOptions = {}): SnapshotWriter {
    const pageSize = opts.pageSize ?? DEFAULT_PAGE_SIZE;
    if (!isValidPageSize(pageSize)) throw new RangeError(`invalid snapshot page size: ${pageSize}`);
    ensureDir(fs, joinPath(dir, SNAP_DIR));
    const path = snapshotPath(dir, beginLsn);
    const tmp = `${path}.tmp`;
    const file = fs.open(tmp, 'create');
    file.truncate(0);
    const w = new SnapshotWriter(fs, file, tmp, path, beginLsn, pageSize);
    const b = w.page;
    b.write(SNAPSHOT_MAGIC, PAGE_HEADER_SIZE, 'latin1');
    b.writeUInt32LE(SNAPSHOT_FORMAT_VERSION, PAGE_HEADER_SIZE + 8);
    b.writeUInt32LE(pageSize, PAGE_HEADER_SIZE + 12);
    b.writeUInt32LE(beginLsn % 0x100000000, PAGE_HEADER_SIZE + 16);
    b.writeUInt32LE(Math.floor(beginLsn / 0x100000000), PAGE_HEADER_SIZE + 20);
    w.used = 24;
    const e = w.entry;
    e.reset();
    e.varint(schema.ddl.length);
    for (const sql of schema.ddl) e.str(sql);
    e.varint(schema.tables.length);
    schema.tables.forEach((t, i) => {
      if (w.tableIndex.has(t.name)) throw new RangeError(`table listed twice in snapshot schema: ${t.name}`);
      w.tableIndex.set(t.name, i);
      e.str(t.name);
      if (t.sequence === undefined) writeValue(e, null);
      else writeInteger(e, t.sequence);
    });
    w.putEntry(e.buf, e.pos, false);
    if (w.used > 0) w.flushPage(); // rows start on a page of their own
    return w;
  }

  /** Appends rows of `table` (one of the schema's tables). Call in slices; order is free. */
  addRows(table: string, rows: Iterable<readonly [rowid: number | bigint, row: readonly SqlValue[]]>): void {
    const index = this.tableNumber(table);
    for (const [rowid, row] of rows) this.addRow(index, rowid, row);
  }

  /** The schema's index of `table`, for addRow. */
  tableNumber(table: string): number {
    const index = this.tableIndex.get(table);
    if (index === undefined) throw new RangeError(`table not in snapshot schema: ${table}`);
    return index;
  }

  /**
   * Writes one row of table number `index` (tableNumber). The per-row form of addRows: a
   * checkpoint's slices call it straight from a B+tree cursor, allocating nothing per row (young
   * garbage means scavenges, and a scavenge inside a slice lengthens the event-loop stall).
   */
  addRow(index: number, rowid: number | bigint, row: readonly SqlValue[]): void {
    this.check();
    if (this.trailerWritten) throw new AmberError('snapshot trailer already written', 'SQLITE_MISUSE');
    const e = this.entry;
    e.reset();
    e.varint(index);
    writeInteger(e, rowid);
    writeRow(e, row);
    this.putEntry(e.buf, e.pos, true);
    this.rows++;
  }

  /**
   * fsyncs the pages written so far without blocking (FileHandle.syncAsync), so that finish()'s
   * own fsync, which must stay synchronous, only has the last page and the trailer left to flush.
   * Optional; a checkpoint calls it after its last slice.
   */
  flushAsync(): Promise<void> {
    if (this.done) return Promise.reject(new AmberError('snapshot writer is finished', 'SQLITE_MISUSE'));
    const coversTrailer = this.trailerWritten;
    return this.file.syncAsync().then(() => {
      if (coversTrailer) this.trailerSynced = true;
    });
  }

  /**
   * Writes the last page and the trailer, without fsync: a checkpoint then fsyncs them off the
   * event loop (flushAsync) and finish() has only the rename left. Idempotent.
   */
  writeTrailer(): void {
    this.check();
    if (this.trailerWritten) return;
    if (this.used > 0 || this.count > 0) this.flushPage();
    this.type = PAGE_TRAILER;
    const b = this.page;
    const at = PAGE_HEADER_SIZE;
    const pages = this.pageNo + 1;
    b.write(TRAILER_MAGIC, at, 'latin1');
    b.writeUInt32LE(pages, at + 8);
    b.writeUInt32LE(this.rows % 0x100000000, at + 12);
    b.writeUInt32LE(Math.floor(this.rows / 0x100000000), at + 16);
    b.writeUInt32LE(this.fileCrc, at + 20);
    this.used = 24;
    this.flushPage();
    this.trailerWritten = true;
    this.info = { path: this.path, beginLsn: this.beginLsn, pages, rows: this.rows, bytes: pages * this.pageSize };
  }

  /**
   * Writes the trailer (unless writeTrailer did), fsyncs (unless a flushAsync since the trailer
   * did), and makes the snapshot durable under its final name: close, rename, directory fsync.
   * `syncDirectory` false leaves the directory fsync to the caller (syncDirAsync), who must make it
   * before anything (MANIFEST) names the snapshot.
   */
  finish(syncDirectory = true): SnapshotInfo {
    this.writeTrailer();
    if (!this.trailerSynced) this.file.sync();
    this.file.close();
    this.done = true;
    this.fs.rename(this.tmpPath, this.path);
    if (syncDirectory) this.fs.syncDir(dirName(this.path));
    return this.info!;
  }

  /** Gives up: closes and removes the temporary file. */
  abort(): void {
    if (this.done) return;
    this.done = true;
    this.file.close();
    if (this.fs.exists(this.tmpPath)) this.fs.unlink(this.tmpPath);
  }

  private check(): void {
    if (this.done) throw new AmberError('snapshot writer is finished', 'SQLITE_MISUSE');
  }

  /** Puts the first `len` bytes of `src` (the entry encoder's buffer) as one entry. */
  private putEntry(src: Buffer, len: number, mayStartPage: boolean): void {
    const lenSize = varintSize(len);
    const cap = this.pageSize - PAGE_HEADER_SIZE;
    let room = cap - this.used;
    if (lenSize + len > room && lenSize + len <= cap && mayStartPage) {
      this.flushPage();
      room = cap;
    }
    if (lenSize + len <= room) {
      this.putVarint(len);
      const page = this.page;
      const at = PAGE_HEADER_SIZE + this.used;
      // A byte loop for a row-sized entry: Buffer#copy and #set of part of a buffer allocate a view
      // each (95 MB of young garbage for a 1M-row checkpoint, measured with the sampling profiler).
      if (len <= 512) for (let i = 0; i < len; i++) page[at + i] = src[i]!;
      else src.copy(page, at, 0, len);
      this.used += len;
      this.count++;
      return;
    }
    // Spans pages: start here (or on a fresh page if not even the length and a byte fit).
    const bytes = src.subarray(0, len);
    if (room < lenSize + 1) {
      this.flushPage();
      room = cap;
    }
    this.putVarint(len);
    this.count++;
    let done = Math.min(len, room - lenSize);
    this.page.set(bytes.subarray(0, done), PAGE_HEADER_SIZE + this.used);
    this.used += done;
    while (done < len) {
      this.flushPage(FLAG_CONTINUES);
      this.type = PAGE_OVERFLOW;
      const n = Math.min(cap, len - done);
      this.page.set(bytes.subarray(done, done + n), PAGE_HEADER_SIZE);
      this.used = n;
      done += n;
    }
    this.flushPage(); // an overflow chain ends its page: the next entry starts a DATA page
  }

  private putVarint(v: number): void {
    while (v >= 0x80) {
      this.page[PAGE_HEADER_SIZE + this.used++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.page[PAGE_HEADER_SIZE + this.used++] = v;
  }

  /** Seals and writes the current page, then starts an empty DATA page. */
  private flushPage(flags = 0): void {
    const b = this.page;
    b[4] = this.type;
    b[5] = flags;
    b.writeUInt16LE(0, 6);
    b.writeUInt32LE(this.pageNo, 8);
    b.writeUInt32LE(this.type === PAGE_OVERFLOW ? 0 : this.count, 12);
    b.writeUInt32LE(this.used, 16);
    b.writeUInt32LE(0, 20);
    b.fill(0, PAGE_HEADER_SIZE + this.used);
    const crc = crc32c(b, 4, this.pageSize);
    b.writeUInt32LE(crc, 0);
    try {
      this.file.write(b, this.pageNo * this.pageSize);
    } catch (e) {
      this.abortQuietly();
      throw e;
    }
    if (this.type !== PAGE_TRAILER) {
      const c = Buffer.allocUnsafe(4);
      c.writeUInt32LE(crc, 0);
      this.fileCrc = crc32c(c, 0, 4, this.fileCrc);
    }
    this.pageNo++;
    this.type = PAGE_DATA;
    this.used = 0;
    this.count = 0;
    b.fill(0, 0, PAGE_HEADER_SIZE);
  }

  private abortQuietly(): void {
    try {
      this.abort();
    } catch {
      // the original error is the one to report
    }
  }
}

function varintSize(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}
