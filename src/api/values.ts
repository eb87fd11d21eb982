// JS values <-> SqlValues at the API edge (DESIGN §4, src/value/types.ts).
//
// Into the engine, better-sqlite3's rules: every JS number binds as a REAL (sqlite3_bind_double),
// so `SELECT typeof(?)` with 2 is 'real' and `SELECT ? / 2` with 5 is 2.5; column affinity turns it
// back into an INTEGER on insert. NaN binds as NULL (SQLite does that to a NaN double). A bigint
// binds as an INTEGER and must fit in int64. Any ArrayBuffer view (Buffer, Uint8Array, DataView)
// binds as a BLOB copy, so later writes to the caller's buffer do not reach the table.
//
// Out of the engine: INTEGER is a number (lossy past 2^53, as better-sqlite3) or a bigint under
// safeIntegers; an integral REAL (RealBox) is a number; a BLOB is a fresh Buffer.
import { RealBox, type SqlValue } from '../value/types';

const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;

/** What `fromJs` returns for a value SQLite cannot bind (the caller picks the error message). */
export const INVALID: unique symbol = Symbol('invalid');
/** What `fromJs` returns for a bigint outside int64. */
export const TOO_BIG: unique symbol = Symbol('too big');
export type Converted = SqlValue | typeof INVALID | typeof TOO_BIG;

// Integral reals bound from small JS integers are shared: RealBox is immutable, and
// `stmt.get(1)` then allocates nothing for its argument.
const SMALL_REALS: RealBox[] = [];
for (let i = 0; i < 1024; i++) SMALL_REALS.push(new RealBox(i));

export function realFromNumber(n: number): SqlValue {
  if (Number.isInteger(n)) {
    if (n >= 0 && n < 1024) return n === 0 && 1 / n < 0 ? new RealBox(-0) : (SMALL_REALS[n] as RealBox);
    return new RealBox(n);
  }
  return n === n ? n : null;
}

export function fromJs(value: unknown): Converted {
  switch (typeof value) {
    case 'number':
      return realFromNumber(value);
    case 'string':
      return value;
    case 'bigint':
      if (value < INT64_MIN || value > INT64_MAX) return TOO_BIG;
      return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value;
    case 'undefined':
      return null;
    case 'object':
      if (value === null) return null;
      if (ArrayBuffer.isView(value)) {
        return new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice();
      }
      return INVALID;
    default:
      return INVALID;
  }
}

/** A SqlValue as better-sqlite3 would hand it to JS. */
export function toJs(value: SqlValue, safeIntegers: boolean): unknown {
  switch (typeof value) {
    case 'number':
      return safeIntegers && Number.isInteger(value) ? BigInt(value) : value;
    case 'string':
      return value;
    case 'bigint':
      return safeIntegers ? value : Number(value);
    default:
      if (value === null) return null;
      if (value instanceof RealBox) return value.value;
      return Buffer.from(value);
  }
}
