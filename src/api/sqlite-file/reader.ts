// The bytes of a SQLite database file -> its header, its sqlite_schema rows and the entries of any
// table or index b-tree (payloads gathered across overflow chains). Read-only and page-at-a-time;
// the free list and pointer-map pages are never visited because no b-tree points at them.
import { AmberError } from '../../value/amber-error';
import type { SqlValue } from '../../value/types';
import {
  HEADER_SIZE,
  MAGIC,
  PAGE_INDEX_INTERIOR,
  PAGE_INDEX_LEAF,
  PAGE_TABLE_INTERIOR,
  PAGE_TABLE_LEAF,
  corrupt,
  decodeRecord,
  localPayloadSize,
  readSmallVarint,
  readVarint,
} from './format';

export interface SqliteHeader {
  readonly pageSize: number;
  /** Page size less the reserved bytes at the end of each page. */
  readonly usable: number;
  readonly pageCount: number;
  readonly writeVersion: number;
  readonly readVersion: number;
  readonly userVersion: number;
  readonly applicationId: number;
}

export interface SchemaRow {
  readonly type: string;
  readonly name: string;
  readonly tblName: string;
  readonly rootpage: number;
  readonly sql: string | null;
}

/** Deeper than any real b-tree (SQLite's own limit is 20): a cycle of pages is corruption. */
const MAX_DEPTH = 40;

export class SqliteFileReader {
  readonly header: SqliteHeader;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.header = this.readHeader();
  }

  private readHeader(): SqliteHeader {
    const b = this.bytes;
    if (b.length < HEADER_SIZE) throw new AmberError('file is not a database', 'SQLITE_NOTADB');
    for (let i = 0; i < MAGIC.length; i++) {
      if (b[i] !== MAGIC.charCodeAt(i)) throw new AmberError('file is not a database', 'SQLITE_NOTADB');
    }
    const raw = this.view.getUint16(16);
    const pageSize = raw === 1 ? 65536 : raw;
    if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
      throw new AmberError('file is not a database (bad page size)', 'SQLITE_NOTADB');
    }
    const readVersion = b[19]!;
    if (readVersion > 2) throw new AmberError(`unsupported file format (read version ${readVersion})`, 'SQLITE_CANTOPEN');
    const encoding = this.view.getUint32(56);
    if (encoding === 2 || encoding === 3) {
      throw new AmberError(`cannot import a ${encoding === 2 ? 'UTF-16le' : 'UTF-16be'} database: only UTF-8 databases are supported`, 'SQLITE_ERROR');
    }
    if (encoding > 3) throw corrupt(`text encoding ${encoding}`);
    const usable = pageSize - b[20]!;
    const inHeader = this.view.getUint32(28);
    const valid = inHeader !== 0 && this.view.getUint32(24) === this.view.getUint32(92);
    const pageCount = valid ? Math.min(inHeader, Math.floor(b.length / pageSize)) : Math.floor(b.length / pageSize);
    return {
      pageSize,
      usable,
      pageCount,
      writeVersion: b[18]!,
      readVersion,
      userVersion: this.view.getInt32(60),
      applicationId: this.view.getInt32(68),
    };
  }

  private pageOffset(pageNo: number): number {
    if (!Number.isInteger(pageNo) || pageNo < 1 || pageNo > this.header.pageCount) throw corrupt(`page ${pageNo} out of range`);
    return (pageNo - 1) * this.header.pageSize;
  }

  /** The payload of a cell whose local part starts at `at`, followed across overflow pages. */
  private payload(at: number, size: number, tableLeaf: boolean): Uint8Array {
    const local = localPayloadSize(this.header.usable, size, tableLeaf);
    if (local === size) return this.bytes.subarray(at, at + size);
    const out = new Uint8Array(size);
    out.set(this.bytes.subarray(at, at + local), 0);
    let filled = local;
    let next = this.view.getUint32(at + local);
    const chunk = this.header.usable - 4;
    let guard = this.header.pageCount;
    while (filled < size) {
      if (next === 0 || guard-- <= 0) throw corrupt('overflow chain ends early');
      const off = this.pageOffset(next);
      const n = Math.min(chunk, size - filled);
      out.set(this.bytes.subarray(off + 4, off + 4 + n), filled);
      filled += n;
      next = this.view.getUint32(off);
    }
    return out;
  }

  private pageHeader(pageNo: number): { base: number; hdr: number; type: number; cells: number; right: number } {
    const base = this.pageOffset(pageNo);
    const hdr = base + (pageNo === 1 ? HEADER_SIZE : 0);
    const type = this.bytes[hdr]!;
    const cells = this.view.getUint16(hdr + 3);
    const interior = type === PAGE_TABLE_INTERIOR || type === PAGE_INDEX_INTERIOR;
    return { base, hdr, type, cells, right: interior ? this.view.getUint32(hdr + 8) : 0 };
  }

  private cellAt(base: number, hdr: number, headerSize: number, i: number): number {
    return base + this.view.getUint16(hdr + headerSize + 2 * i);
  }

  /** (rowid, record payload) of a table b-tree, in rowid order. */
  *tableEntries(root: number, depth = 0): Generator<[number | bigint, Uint8Array]> {
    if (depth > MAX_DEPTH) throw corrupt('b-tree too deep');
    const { base, hdr, type, cells, right } = this.pageHeader(root);
    if (type === PAGE_TABLE_LEAF) {
      for (let i = 0; i < cells; i++) {
        let at = this.cellAt(base, hdr, 8, i);
        const size = readSmallVarint(this.bytes, at);
        at += size.length;
        const rowid = readVarint(this.bytes, at);
        at += rowid.length;
        yield [rowid.value, this.payload(at, size.value, true)];
      }
    } else if (type === PAGE_TABLE_INTERIOR) {
      for (let i = 0; i < cells; i++) {
        const at = this.cellAt(base, hdr, 12, i);
        yield* this.tableEntries(this.view.getUint32(at), depth + 1);
      }
      yield* this.tableEntries(right, depth + 1);
    } else {
      throw corrupt(`page ${root} is not a table b-tree page (type ${type})`);
    }
  }

  /** The records of an index b-tree, in index order. */
  *indexEntries(root: number, depth = 0): Generator<Uint8Array> {
    if (depth > MAX_DEPTH) throw corrupt('b-tree too deep');
    const { base, hdr, type, cells, right } = this.pageHeader(root);
    if (type !== PAGE_INDEX_LEAF && type !== PAGE_INDEX_INTERIOR) throw corrupt(`page ${root} is not an index b-tree page (type ${type})`);
    const leaf = type === PAGE_INDEX_LEAF;
    for (let i = 0; i < cells; i++) {
      let at = this.cellAt(base, hdr, leaf ? 8 : 12, i);
      if (!leaf) {
        yield* this.indexEntries(this.view.getUint32(at), depth + 1);
        at += 4;
      }
      const size = readSmallVarint(this.bytes, at);
      yield this.payload(at + size.length, size.value, false);
    }
    if (!leaf) yield* this.indexEntries(right, depth + 1);
  }

  *tableRows(root: number): Generator<[number | bigint, SqlValue[]]> {
    for (const [rowid, payload] of this.tableEntries(root)) yield [rowid, decodeRecord(payload)];
  }

  /** sqlite_schema (page 1), in rowid order. */
  schema(): SchemaRow[] {
    const out: SchemaRow[] = [];
    for (const [, r] of this.tableRows(1)) {
      const [type, name, tblName, rootpage, sql] = r;
      out.push({
        type: String(type),
        name: String(name),
        tblName: String(tblName),
        rootpage: typeof rootpage === 'number' ? rootpage : 0,
        sql: typeof sql === 'string' ? sql : null,
      });
    }
    return out;
  }
}
