// Snapshot reader: streams a snapshot page by page, verifying each (layout: snapshot-writer.ts),
// and yields its rows. 'strict' (default) throws AmberError SQLITE_CORRUPT naming the file, page
// and offset at the first bad page; 'salvage' skips bad pages (and the entry or overflow chain they
// break), lists them in `report.skipped` and yields every row that verifies. The header page
// cannot be skipped: without it nothing in the file can be interpreted.
import { AmberError } from '../value/amber-error';
import { ByteReader, DecodeError } from './bytes';
import { readRow, readValue } from './codec';
import { crc32c } from './crc32c';
import type { FileHandle, FileSystem } from './fs/file-system';
import { SNAP_DIR } from './layout';
import { baseName } from './fs/file-system';
import type { SnapshotRow, SnapshotSchema, SnapshotTableMeta } from './snapshot-format';
import type { SqlValue } from '../value/types';
import {
  FILE_HEADER_SIZE,
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

export type SnapshotReadMode = 'strict' | 'salvage';

export interface SkippedPage {
  readonly page: number;
  readonly offset: number;
  readonly reason: string;
}

export interface SnapshotReport {
  pages: number;
  rows: number;
  readonly skipped: SkippedPage[];
  /** Whether the trailer was found and its counts and file checksum agreed. */
  trailerVerified: boolean;
}

/** One page's rows in parallel arrays: entries [0, length) are valid; the rest are stale. */
export interface RowBatch {
  length: number;
  readonly tables: string[];
  readonly rowids: (number | bigint)[];
  readonly rows: SqlValue[][];
}

interface Page {
  readonly type: number;
  readonly flags: number;
  readonly count: number;
  readonly used: number;
  readonly crc: number;
}

class BadPage extends Error {
  constructor(
    readonly page: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export class SnapshotReader {
  readonly report: SnapshotReport = { pages: 0, rows: 0, skipped: [], trailerVerified: false };
  private readonly buf: Buffer;
  private readonly pageCount: number;
  private readonly tables: readonly SnapshotTableMeta[];
  private fileCrc = 0;
  private consumed = false;

  private constructor(
    private readonly file: FileHandle,
    readonly name: string,
    readonly pageSize: number,
    readonly beginLsn: number,
    readonly schema: SnapshotSchema,
    private readonly mode: SnapshotReadMode,
    buf: Buffer,
    pageCount: number,
    firstDataPage: number,
    fileCrc: number,
  ) {
    this.buf = buf;
    this.pageCount = pageCount;
    this.tables = schema.tables;
    this.next = firstDataPage;
    this.fileCrc = fileCrc;
  }
  private next: number;

  /** Opens `path` and verifies its header page(s): page size, format version, begin LSN, schema. */
  static open(fs: FileSystem, path: string, mode: SnapshotReadMode = 'strict'): SnapshotReader {
    const name = `${SNAP_DIR}/${baseName(path)}`;
    const fail = (page: number, offset: number, reason: string): AmberError =>
      new AmberError(`database disk image is malformed: ${name} page ${page} at offset ${offset}: ${reason}`, 'SQLITE_CORRUPT');
    const file = fs.open(path, 'read');
    try {
      const size = file.size();
      const head = Buffer.alloc(PAGE_HEADER_SIZE + FILE_HEADER_SIZE);
      if (file.read(head, 0, head.length, 0) < head.length) throw fail(0, 0, `file too short (${size} bytes)`);
      const pageSize = head.readUInt32LE(PAGE_HEADER_SIZE + 12);
      if (head.toString('latin1', PAGE_HEADER_SIZE, PAGE_HEADER_SIZE + 8) !== SNAPSHOT_MAGIC) throw fail(0, 0, 'bad magic');
      if (!isValidPageSize(pageSize)) throw fail(0, 0, `bad page size ${pageSize}`);
      const partial = size % pageSize;
      const partialReason = `file size ${size} is not a whole number of pages`;
      if (partial !== 0 && mode === 'strict') throw fail(Math.floor(size / pageSize), size - partial, partialReason);
      const buf = Buffer.alloc(pageSize);
      const pageCount = Math.floor(size / pageSize);
      let fileCrc = 0;
      const readPage = (n: number): Page => {
        const p = loadPage(file, buf, n, pageSize);
        if (typeof p === 'string') throw fail(n, n * pageSize, p);
        const c = Buffer.allocUnsafe(4);
        c.writeUInt32LE(p.crc, 0);
        fileCrc = crc32c(c, 0, 4, fileCrc);
        return p;
      };
      const p0 = readPage(0);
      if (p0.type !== PAGE_HEADER) throw fail(0, 0, `page type ${p0.type}, expected HEADER`);
      const version = buf.readUInt32LE(PAGE_HEADER_SIZE + 8);
      if (version !== SNAPSHOT_FORMAT_VERSION) throw fail(0, 0, `unsupported snapshot format version ${version}`);
      const r = new ByteReader(buf, PAGE_HEADER_SIZE + 16, PAGE_HEADER_SIZE + p0.used);
      let beginLsn: number;
      try {
        beginLsn = r.u64();
      } catch {
        throw fail(0, 0, 'begin LSN out of range');
      }
      // The schema entry, possibly continued through OVERFLOW pages.
      const len = readVarintOr(r, () => fail(0, 0, 'bad schema length'));
      const parts: Buffer[] = [Buffer.from(buf.subarray(r.pos, Math.min(r.end, r.pos + len)))];
      let got = parts[0]!.length;
      let flags = p0.flags;
      let n = 1;
      while (got < len) {
        if ((flags & FLAG_CONTINUES) === 0 || n >= pageCount) throw fail(n - 1, (n - 1) * pageSize, 'schema entry is cut short');
        const p = readPage(n);
        if (p.type !== PAGE_OVERFLOW) throw fail(n, n * pageSize, `page type ${p.type}, expected OVERFLOW`);
        const take = Math.min(p.used, len - got);
        parts.push(Buffer.from(buf.subarray(PAGE_HEADER_SIZE, PAGE_HEADER_SIZE + take)));
        got += take;
        flags = p.flags;
        n++;
      }
      let schema: SnapshotSchema;
      try {
        schema = decodeSchema(Buffer.concat(parts));
      } catch (e) {
        if (e instanceof DecodeError) throw fail(0, 0, `bad schema: ${e.message}`);
        throw e;
      }
      const reader = new SnapshotReader(file, name, pageSize, beginLsn, schema, mode, buf, pageCount, n, fileCrc);
      reader.report.pages = n;
      if (partial !== 0) reader.report.skipped.push({ page: pageCount, offset: pageCount * pageSize, reason: partialReason });
      return reader;
    } catch (e) {
      file.close();
      throw e;
    }
  }

  /** Every row, verified page by page; once. Closes the file at the end. */
  *rows(): Generator<SnapshotRow> {
    for (const b of this.batches()) {
      for (let i = 0; i < b.length; i++) yield { table: b.tables[i]!, rowid: b.rowids[i]!, row: b.rows[i]! };
    }
  }

  /**
   * Every row as rows() yields them, one verified page at a time in parallel arrays: no object per
   * row (recovery reads a million rows so). The batch is reused: valid until the next iteration.
   * Once (rows() and batches() share the one pass). Closes the file at the end.
   */
  *batches(): Generator<RowBatch> {
    if (this.consumed) throw new Error('SnapshotReader.rows() can be iterated once');
    this.consumed = true;
    try {
      yield* this.scan();
    } finally {
      this.file.close();
    }
  }

  close(): void {
    this.file.close();
  }

  private fail(page: number, reason: string): AmberError {
    return new AmberError(
      `database disk image is malformed: ${this.name} page ${page} at offset ${page * this.pageSize}: ${reason}`,
      'SQLITE_CORRUPT',
    );
  }

  private skip(page: number, reason: string): void {
    if (this.mode === 'strict') throw this.fail(page, reason);
    this.report.skipped.push({ page, offset: page * this.pageSize, reason });
  }

  private *scan(): Generator<RowBatch> {
    const buf = this.buf;
    const batch: RowBatch = { length: 0, tables: [], rowids: [], rows: [] };
    const entry = new ByteReader(buf, 0, 0);
    // An entry in progress across pages: its bytes so far and its length.
    let pending: { parts: Buffer[]; got: number; len: number; page: number } | undefined;
    let rowsSeen = 0;
    for (let n = this.next; n < this.pageCount; n++) {
      const p = loadPage(this.file, buf, n, this.pageSize);
      this.report.pages++;
      if (typeof p === 'string') {
        this.skip(n, p);
        if (pending !== undefined) this.report.skipped.push({ page: pending.page, offset: pending.page * this.pageSize, reason: 'row spans a bad page' });
        pending = undefined;
        continue;
      }
      const c = Buffer.allocUnsafe(4);
      c.writeUInt32LE(p.crc, 0);
      const fileCrcBefore = this.fileCrc;
      this.fileCrc = crc32c(c, 0, 4, this.fileCrc);
      try {
        if (p.type === PAGE_TRAILER) {
          if (pending !== undefined) throw new BadPage(n, 'trailer page inside an overflow chain');
          if (n !== this.pageCount - 1) throw new BadPage(n, 'trailer page is not the last page');
          this.checkTrailer(n, p, rowsSeen, fileCrcBefore);
          return;
        }
        if (p.type === PAGE_OVERFLOW) {
          if (pending === undefined) throw new BadPage(n, 'OVERFLOW page without an entry to continue');
          const take = Math.min(p.used, pending.len - pending.got);
          if (take !== p.used) throw new BadPage(n, 'OVERFLOW page holds bytes past its entry');
          pending.parts.push(Buffer.from(buf.subarray(PAGE_HEADER_SIZE, PAGE_HEADER_SIZE + take)));
          pending.got += take;
          if (pending.got < pending.len) {
            if ((p.flags & FLAG_CONTINUES) === 0) throw new BadPage(n, 'entry is cut short');
            continue;
          }
          if ((p.flags & FLAG_CONTINUES) !== 0) throw new BadPage(n, 'CONTINUES flag after the entry ended');
          const whole = Buffer.concat(pending.parts);
          pending = undefined;
          batch.length = 0;
          this.decodeRow(new ByteReader(whole, 0, whole.length), n, batch);
          yield batch;
          rowsSeen++;
          continue;
        }
        if (pending !== undefined) {
          this.skip(pending.page, 'row is cut short');
          pending = undefined;
        }
        if (p.type !== PAGE_DATA) throw new BadPage(n, `unexpected page type ${p.type}`);
        const r = new ByteReader(buf, PAGE_HEADER_SIZE, PAGE_HEADER_SIZE + p.used);
        batch.length = 0;
        for (let k = 0; k < p.count; k++) {
          const len = readVarintOr(r, () => new BadPage(n, 'bad entry length'));
          if (len <= r.remaining) {
            entry.reset(r.pos, r.pos + len);
            this.decodeRow(entry, n, batch);
            r.pos += len;
            continue;
          }
          if (k !== p.count - 1 || (p.flags & FLAG_CONTINUES) === 0) throw new BadPage(n, 'entry runs past the page');
          pending = { parts: [Buffer.from(buf.subarray(r.pos, r.end))], got: r.remaining, len, page: n };
          r.pos = r.end;
        }
        if (r.remaining !== 0) throw new BadPage(n, `${r.remaining} bytes after the last entry`);
        const count = batch.length;
        if (count > 0) yield batch; // yielded after the page verified as a whole
        rowsSeen += count;
        this.report.rows = rowsSeen;
      } catch (e) {
        if (!(e instanceof BadPage)) throw e;
        this.skip(e.page, e.reason);
        pending = undefined;
      }
    }
    // No trailer: the file was cut short (a finished snapshot always ends with one).
    this.report.rows = rowsSeen;
    this.skip(this.pageCount, 'missing trailer page');
  }

  /** Decodes one entry (all of r) and appends it to the batch. */
  private decodeRow(r: ByteReader, page: number, batch: RowBatch): void {
    try {
      const index = r.varint();
      const meta = this.tables[index];
      if (meta === undefined) throw new BadPage(page, `row names table index ${index}, schema has ${this.tables.length}`);
      const rowid = readValue(r);
      if (typeof rowid !== 'bigint' && !(typeof rowid === 'number' && Number.isInteger(rowid))) {
        throw new BadPage(page, 'rowid is not an integer');
      }
      const row = readRow(r);
      if (r.remaining !== 0) throw new BadPage(page, 'bytes after a row');
      const i = batch.length++;
      batch.tables[i] = meta.name;
      batch.rowids[i] = rowid;
      batch.rows[i] = row;
    } catch (e) {
      if (e instanceof DecodeError) throw new BadPage(page, `bad row: ${e.message}`);
      throw e;
    }
  }

  private checkTrailer(n: number, p: Page, rowsSeen: number, fileCrc: number): void {
    const b = this.buf;
    const at = PAGE_HEADER_SIZE;
    this.report.rows = rowsSeen;
    if (p.used < 24 || b.toString('latin1', at, at + 8) !== TRAILER_MAGIC) throw new BadPage(n, 'bad trailer');
    const pages = b.readUInt32LE(at + 8);
    const rows = b.readUInt32LE(at + 16) * 0x100000000 + b.readUInt32LE(at + 12);
    const crc = b.readUInt32LE(at + 20);
    if (pages !== this.pageCount) throw new BadPage(n, `trailer counts ${pages} pages, file has ${this.pageCount}`);
    if (this.report.skipped.length === 0) {
      if (rows !== rowsSeen) throw new BadPage(n, `trailer counts ${rows} rows, pages hold ${rowsSeen}`);
      if (crc !== fileCrc) throw new BadPage(n, 'file checksum mismatch');
    }
    this.report.trailerVerified = this.report.skipped.length === 0;
  }
}

/** Reads page n into buf and checks what a page can check by itself; a string says why it is bad. */
function loadPage(file: FileHandle, buf: Buffer, n: number, pageSize: number): Page | string {
  const got = file.read(buf, 0, pageSize, n * pageSize);
  if (got < pageSize) return `short page (${got} bytes)`;
  const crc = buf.readUInt32LE(0);
  if (crc32c(buf, 4, pageSize) !== crc) return 'page checksum mismatch';
  const type = buf[4]!;
  const flags = buf[5]!;
  if (type < PAGE_HEADER || type > PAGE_TRAILER) return `unknown page type ${type}`;
  if (flags > FLAG_CONTINUES || buf.readUInt16LE(6) !== 0 || buf.readUInt32LE(20) !== 0) return 'reserved bits set';
  const number = buf.readUInt32LE(8);
  if (number !== n) return `page number ${number}, expected ${n}`;
  const used = buf.readUInt32LE(16);
  if (used > pageSize - PAGE_HEADER_SIZE) return `used ${used} exceeds the page`;
  return { type, flags, count: buf.readUInt32LE(12), used, crc };
}

function readVarintOr<E extends Error>(r: ByteReader, err: () => E): number {
  try {
    return r.varint();
  } catch {
    throw err();
  }
}

function decodeSchema(bytes: Uint8Array): SnapshotSchema {
  const r = new ByteReader(bytes);
  const nd = r.varint();
  const ddl: string[] = [];
  for (let i = 0; i < nd; i++) ddl.push(r.str());
  const nt = r.varint();
  const tables: SnapshotTableMeta[] = [];
  for (let i = 0; i < nt; i++) {
    const name = r.str();
    const at = r.pos;
    const seq = readValue(r);
    if (seq === null) tables.push({ name });
    else if (typeof seq === 'bigint' || (typeof seq === 'number' && Number.isInteger(seq))) tables.push({ name, sequence: seq });
    else throw new DecodeError('sequence is not an integer', at);
  }
  if (r.remaining !== 0) throw new DecodeError('bytes after the schema', r.pos);
  return { ddl, tables };
}

/** Reads a whole snapshot: header, schema and rows (convenience for tools and tests). */
export function readSnapshot(fs: FileSystem, path: string, mode: SnapshotReadMode = 'strict'): {
  reader: SnapshotReader;
  rows: SnapshotRow[];
} {
  const reader = SnapshotReader.open(fs, path, mode);
  const rows = [...reader.rows()];
  return { reader, rows };
}
