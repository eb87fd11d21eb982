// The SQLite database file format (https://sqlite.org/fileformat2.html), the parts AmberDB reads
// and writes: varints, records, the 100-byte header and how much of a payload stays on its page.
// These layouts are SQLite's, frozen by SQLite; nothing here is AmberDB's to change.
//
// Database header (page 1, bytes 0..99; all integers big-endian):
//
//   offset size  meaning                                   written as
//   0      16    "SQLite format 3\0"                       magic
//   16     2     page size (1 means 65536)                 4096
//   18     1     file format write version (1 legacy, 2 WAL) 1
//   19     1     file format read version                  1
//   20     1     reserved bytes at the end of each page    0
//   21..23 3     payload fractions 64, 32, 32              fixed by SQLite
//   24     4     file change counter                       1
//   28     4     database size in pages                    page count
//   32     4     first freelist trunk page                 0 (no free pages)
//   36     4     number of freelist pages                  0
//   40     4     schema cookie                             1
//   44     4     schema format number                      4
//   48     4     default page cache size                   0
//   52     4     largest root page (auto-vacuum only)      0
//   56     4     text encoding (1 UTF-8, 2 UTF-16le, 3 be) 1
//   60     4     user_version                              PRAGMA user_version
//   64     4     incremental vacuum                        0
//   68     4     application_id                            PRAGMA application_id
//   72     20    reserved, zero
//   92     4     version-valid-for                         = change counter, so 28 is trusted
//   96     4     SQLITE_VERSION_NUMBER of the writer       SQLITE_VERSION_NUMBER below
//
// B-tree page: header at byte 0 (byte 100 on page 1): type (2 index interior, 5 table interior,
// 10 index leaf, 13 table leaf), first freeblock (2), cell count (2), cell content start (2;
// 0 means 65536), fragmented free bytes (1), right-most child (4, interior pages only); then the
// cell pointer array (2 bytes a cell, in key order) and, at the end of the page, the cells.
import { AmberError } from '../../value/amber-error';
import { RealBox, integer, real, type SqlValue } from '../../value/types';

export const MAGIC = 'SQLite format 3\0';
export const HEADER_SIZE = 100;
export const PAGE_SIZE = 4096;
/** The SQLite release whose format the writer follows (written at offset 96). */
export const SQLITE_VERSION_NUMBER = 3046000;

export const PAGE_INDEX_INTERIOR = 2;
export const PAGE_TABLE_INTERIOR = 5;
export const PAGE_INDEX_LEAF = 10;
export const PAGE_TABLE_LEAF = 13;

// ---- varints ---------------------------------------------------------------------------------
// 1 to 9 bytes, big-endian, 7 bits a byte with the high bit meaning "more"; a 9th byte carries 8
// bits. Negative values are their 64-bit two's complement (always 9 bytes).

/** The bytes of a varint for an int64 (a number or a bigint). */
export function encodeVarint(v: number | bigint): number[] {
  if (typeof v === 'number' && v >= 0 && v <= Number.MAX_SAFE_INTEGER) {
    // 53 bits fit in 8 bytes of 7 bits, so the 9-byte form is never needed here.
    if (v < 0x80) return [v];
    const groups: number[] = [];
    while (v > 0) {
      groups.push(v % 128);
      v = Math.floor(v / 128);
    }
    const out: number[] = [];
    for (let i = groups.length - 1; i >= 0; i--) out.push(i === 0 ? groups[i]! : groups[i]! | 0x80);
    return out;
  }
  let u = BigInt.asUintN(64, BigInt(v));
  if (u >> 56n !== 0n) {
    const out = new Array<number>(9);
    out[8] = Number(u & 0xffn);
    u >>= 8n;
    for (let i = 7; i >= 0; i--) {
      out[i] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    return out;
  }
  const groups: number[] = [];
  while (u > 0n) {
    groups.push(Number(u & 0x7fn));
    u >>= 7n;
  }
  const out: number[] = [];
  for (let i = groups.length - 1; i >= 0; i--) out.push(i === 0 ? groups[i]! : groups[i]! | 0x80);
  return out;
}

export function varintLength(v: number | bigint): number {
  if (typeof v === 'number' && v >= 0 && v < 0x80) return 1;
  return encodeVarint(v).length;
}

/** Reads a varint at `at`: its value as a signed int64 (number when safe) and its length. */
export function readVarint(b: Uint8Array, at: number): { value: number | bigint; length: number } {
  let n = 0;
  for (let i = 0; i < 8; i++) {
    const byte = b[at + i];
    if (byte === undefined) throw corrupt('varint runs past the end of its page');
    if (n < 2 ** 45) {
      n = n * 128 + (byte & 0x7f);
      if ((byte & 0x80) === 0) return { value: n, length: i + 1 };
    } else {
      return readVarintBig(b, at);
    }
  }
  return readVarintBig(b, at);
}

function readVarintBig(b: Uint8Array, at: number): { value: number | bigint; length: number } {
  let u = 0n;
  for (let i = 0; i < 8; i++) {
    const byte = b[at + i] ?? 0;
    u = (u << 7n) | BigInt(byte & 0x7f);
    if ((byte & 0x80) === 0) return { value: integer(BigInt.asIntN(64, u)), length: i + 1 };
  }
  u = (u << 8n) | BigInt(b[at + 8] ?? 0);
  return { value: integer(BigInt.asIntN(64, u)), length: 9 };
}

/** A small non-negative varint (sizes, serial types) as a number. */
export function readSmallVarint(b: Uint8Array, at: number): { value: number; length: number } {
  const r = readVarint(b, at);
  if (typeof r.value !== 'number' || r.value < 0) throw corrupt('size out of range');
  return { value: r.value, length: r.length };
}

// ---- records -----------------------------------------------------------------------------------
// A record is a header (its own size as a varint, then one serial type per value) and the values'
// bodies. Serial types: 0 NULL; 1,2,3,4,5,6 big-endian two's-complement integers of 1,2,3,4,6,8
// bytes; 7 an IEEE 754 double; 8 the integer 0; 9 the integer 1 (schema format 4); 10, 11
// reserved; N >= 12 even a BLOB of (N-12)/2 bytes; N >= 13 odd a TEXT of (N-13)/2 bytes.

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

function intSerialType(i: number): number {
  if (i === 0) return 8;
  if (i === 1) return 9;
  if (i >= -128 && i <= 127) return 1;
  if (i >= -32768 && i <= 32767) return 2;
  if (i >= -8388608 && i <= 8388607) return 3;
  if (i >= -2147483648 && i <= 2147483647) return 4;
  if (i >= -140737488355328 && i <= 140737488355327) return 5;
  return 6;
}

const INT_BYTES = [0, 1, 2, 3, 4, 6, 8, 8] as const;

/** Encodes values as a SQLite record. */
export function encodeRecord(values: readonly SqlValue[]): Uint8Array {
  const types: number[] = new Array(values.length);
  const texts: (Uint8Array | null)[] = new Array(values.length);
  let bodySize = 0;
  let typesSize = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    let t: number;
    let text: Uint8Array | null = null;
    if (v === null) t = 0;
    else if (typeof v === 'number') t = Number.isInteger(v) ? intSerialType(v) : 7;
    else if (typeof v === 'bigint') t = 6;
    else if (typeof v === 'string') {
      text = utf8.encode(v);
      t = 13 + 2 * text.length;
    } else if (v instanceof RealBox) t = 7;
    else {
      text = v;
      t = 12 + 2 * v.length;
    }
    types[i] = t;
    texts[i] = text;
    bodySize += t >= 12 ? (t - 12) >> 1 : t <= 7 ? INT_BYTES[t as 0]! : 0;
    typesSize += varintLength(t);
  }
  // The header's size counts its own varint: grow that varint until it holds the total.
  let own = 1;
  while (varintLength(typesSize + own) > own) own++;
  const headerSize = typesSize + own;
  const out = new Uint8Array(headerSize + bodySize);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let h = 0;
  for (const byte of encodeVarint(headerSize)) out[h++] = byte;
  for (const t of types) for (const byte of encodeVarint(t)) out[h++] = byte;
  let p = headerSize;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const t = types[i]!;
    switch (t) {
      case 0: case 8: case 9:
        break;
      case 1: view.setInt8(p, v as number); p += 1; break;
      case 2: view.setInt16(p, v as number); p += 2; break;
      case 3: {
        const n = v as number;
        out[p] = (n >> 16) & 0xff; out[p + 1] = (n >> 8) & 0xff; out[p + 2] = n & 0xff;
        p += 3;
        break;
      }
      case 4: view.setInt32(p, v as number); p += 4; break;
      case 5: {
        const n = v as number;
        const hi = Math.floor(n / 2 ** 32);
        view.setInt16(p, hi);
        view.setUint32(p + 2, n - hi * 2 ** 32);
        p += 6;
        break;
      }
      case 6: view.setBigInt64(p, BigInt(v as number | bigint)); p += 8; break;
      case 7: view.setFloat64(p, v instanceof RealBox ? v.value : (v as number)); p += 8; break;
      default: {
        const bytes = texts[i]!;
        out.set(bytes, p);
        p += bytes.length;
      }
    }
  }
  return out;
}

/** Decodes a SQLite record into values (TEXT must be UTF-8). */
export function decodeRecord(rec: Uint8Array): SqlValue[] {
  const hdr = readSmallVarint(rec, 0);
  const headerSize = hdr.value;
  if (headerSize > rec.length) throw corrupt('record header runs past its payload');
  const view = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
  const out: SqlValue[] = [];
  let h = hdr.length;
  let p = headerSize;
  while (h < headerSize) {
    const st = readSmallVarint(rec, h);
    h += st.length;
    const t = st.value;
    const size = t >= 12 ? (t - 12) >> 1 : t <= 7 ? INT_BYTES[t as 0]! : 0;
    if (p + size > rec.length) throw corrupt('record value runs past its payload');
    switch (t) {
      case 0: out.push(null); break;
      case 1: out.push(view.getInt8(p)); break;
      case 2: out.push(view.getInt16(p)); break;
      case 3: out.push(((rec[p]! << 16) | (rec[p + 1]! << 8) | rec[p + 2]!) << 8 >> 8); break;
      case 4: out.push(view.getInt32(p)); break;
      case 5: out.push(view.getInt16(p) * 2 ** 32 + view.getUint32(p + 2)); break;
      case 6: out.push(integer(view.getBigInt64(p))); break;
      case 7: out.push(real(view.getFloat64(p))); break;
      case 8: out.push(0); break;
      case 9: out.push(1); break;
      case 10: case 11: throw corrupt(`reserved serial type ${t}`);
      default:
        out.push(t % 2 === 1 ? utf8Decoder.decode(rec.subarray(p, p + size)) : rec.slice(p, p + size));
    }
    p += size;
  }
  return out;
}

// ---- payload on the page ----------------------------------------------------------------------
// A cell keeps at most X bytes of its payload on the page; a bigger payload keeps K or M bytes
// and the rest goes to a chain of overflow pages (4-byte next page number, then U-4 bytes).
//   U usable page size; table leaf X = U-35; index pages X = ((U-12)*64/255)-23;
//   M = ((U-12)*32/255)-23; K = M+((P-M)%(U-4)); local = P <= X ? P : K <= X ? K : M.

export function localPayloadSize(usable: number, payload: number, tableLeaf: boolean): number {
  const maxLocal = tableLeaf ? usable - 35 : Math.floor(((usable - 12) * 64) / 255) - 23;
  if (payload <= maxLocal) return payload;
  const minLocal = Math.floor(((usable - 12) * 32) / 255) - 23;
  const k = minLocal + ((payload - minLocal) % (usable - 4));
  return k <= maxLocal ? k : minLocal;
}

export function corrupt(why: string): AmberError {
  return new AmberError(`database disk image is malformed (${why})`, 'SQLITE_CORRUPT');
}
