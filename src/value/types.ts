// The SQLite value model in JS terms (DESIGN §4). One representation that tells INTEGER 2 from
// REAL 2.0 while keeping the common case as plain primitives:
//
//   NULL     null
//   INTEGER  a JS number for which Number.isInteger holds (|v| <= 2^53 - 1),
//            or a bigint for an int64 outside that range (never a bigint inside it)
//   REAL     a JS number that is not an integer (1.5, NaN never: NaN becomes NULL, Infinity ok),
//            or a RealBox for an integral real (2.0, 1e20, -0.0): rare, so boxing costs little
//   TEXT     a JS string
//   BLOB     a Uint8Array (Buffers are Uint8Arrays)
//
// Invariant: every value stored in a row or passed between operators is normalized this way;
// `integer()` and `real()` below are the only constructors that need care.

export class RealBox {
  constructor(readonly value: number) {}
}

export type SqlValue = null | number | bigint | string | Uint8Array | RealBox;

export type StorageClass = 'null' | 'integer' | 'real' | 'text' | 'blob';

export const MAX_SAFE = Number.MAX_SAFE_INTEGER;
export const INT64_MAX = 9223372036854775807n;
export const INT64_MIN = -9223372036854775808n;

/** A REAL value from a double: boxes integral doubles so they stay REAL. NaN is NULL. */
export function real(d: number): SqlValue {
  if (Number.isInteger(d) || Object.is(d, -0)) return new RealBox(d);
  if (Number.isNaN(d)) return null;
  return d;
}

/** An INTEGER value from a bigint in int64 range: a number when it is safe. */
export function integer(b: bigint): number | bigint {
  return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
}

export function storageClass(v: SqlValue): StorageClass {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'number':
      return Number.isInteger(v) ? 'integer' : 'real';
    case 'bigint':
      return 'integer';
    case 'string':
      return 'text';
    default:
      return v instanceof RealBox ? 'real' : 'blob';
  }
}

/** The double a numeric value stands for (INTEGER or REAL). */
export function toDouble(v: number | bigint | RealBox): number {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : v.value;
}
