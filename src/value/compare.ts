// SQLite's total order of values (datatype3 §4.1) and GROUP BY / DISTINCT keys.
// In: normalized SqlValues. Out: <0, 0, >0 / a Map key. Never applies affinity: callers do
// that first (affinity.ts comparisonAffinities).
//
// Order: NULL < INTEGER/REAL (numerically, exactly: int64 vs double never rounds) < TEXT (by
// collation) < BLOB (memcmp, then length).

import { BINARY, type Collation } from './collation';
import { RealBox, type SqlValue } from './types';

/** 0 null, 1 numeric, 2 text, 3 blob. */
function classRank(v: SqlValue): number {
  if (v === null) return 0;
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return 1;
    case 'string':
      return 2;
    default:
      return v instanceof RealBox ? 1 : 3;
  }
}

/** A double against an int64 held as a bigint, exactly. */
function compareDoubleBigint(d: number, b: bigint): number {
  if (d !== d) return -1;
  if (d >= 9223372036854775808) return 1;
  if (d < -9223372036854775808) return -1;
  // Invariant: |b| > 2^53, so a non-integral d (|d| < 2^52) compares by sign of b alone.
  if (!Number.isInteger(d)) return b > 0n ? -1 : 1;
  const db = BigInt(d);
  return db < b ? -1 : db > b ? 1 : 0;
}

function compareNumeric(a: number | bigint | RealBox, b: number | bigint | RealBox): number {
  const x = typeof a === 'object' ? a.value : a;
  const y = typeof b === 'object' ? b.value : b;
  if (typeof x === 'number') {
    if (typeof y === 'number') return x < y ? -1 : x > y ? 1 : 0;
    return compareDoubleBigint(x, y);
  }
  if (typeof y === 'number') return 0 - compareDoubleBigint(y, x);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** memcmp over the common length, then the shorter is smaller. */
export function compareBlobs(a: Uint8Array, b: Uint8Array): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** SQLite's order of two values; `coll` (default BINARY) applies when both are TEXT. */
export function compareValues(a: SqlValue, b: SqlValue, coll?: Collation): number {
  // Fast paths: both plain numbers, both strings.
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return (coll ?? BINARY)(a, b);
  const ra = classRank(a);
  const rb = classRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return compareNumeric(a as number | bigint | RealBox, b as number | bigint | RealBox);
    case 2:
      return (coll ?? BINARY)(a as string, b as string);
    default:
      return compareBlobs(a as Uint8Array, b as Uint8Array);
  }
}

/** Equality as `=` sees it after affinity (NULLs are equal here; `=` itself yields NULL). */
export function valuesEqual(a: SqlValue, b: SqlValue, coll?: Collation): boolean {
  if (a === b) return true;
  return compareValues(a, b, coll) === 0;
}

/**
 * Whether a value is NULL-or-equal for IS / IS NOT, GROUP BY, DISTINCT, UNION, etc.
 * (alias of valuesEqual, named for readability at call sites).
 */
export const isNotDistinct = valuesEqual;

function blobKey(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
}

/**
 * The key of one value inside a multi-column key. Numbers that compare equal share a key
 * (1, 1.0 and the REAL 2^60 = INTEGER 2^60); text and blob are length-prefixed so
 * concatenation is unambiguous.
 */
function valueKey(v: SqlValue): string {
  if (v === null) return 'n';
  switch (typeof v) {
    case 'number':
      return Number.isInteger(v) ? 'i' + (v + 0) + ';' : 'r' + v + ';';
    case 'bigint':
      return 'i' + v + ';';
    case 'string':
      return 't' + v.length + ':' + v;
    default:
      if (v instanceof RealBox) return realBoxKey(v.value, true) as string;
      return 'b' + v.length + ':' + blobKey(v);
  }
}

/** An integral real's key: the integer's key when it is an int64, else the double's. */
function realBoxKey(d: number, asString: boolean): string | number {
  if (d >= -9223372036854775808 && d < 9223372036854775808 && Number.isInteger(d)) {
    if (d >= -9007199254740991 && d <= 9007199254740991) return asString ? 'i' + (d + 0) + ';' : d + 0;
    return 'i' + BigInt(d) + ';';
  }
  return asString ? 'r' + d + ';' : d;
}

/**
 * A Map key such that two rows get the same key iff GROUP BY / DISTINCT (BINARY collation)
 * treats them as equal. A single numeric value yields a number (no allocation for integers);
 * everything else a string. Numbers and strings never collide as Map keys.
 */
export function groupKey(values: readonly SqlValue[]): string | number {
  if (values.length === 1) {
    const v = values[0] as SqlValue;
    if (typeof v === 'number') return v + 0; // -0.0 and 0 group together
    if (typeof v === 'string') return 't' + v;
    if (v instanceof RealBox) return realBoxKey(v.value, false);
    return valueKey(v);
  }
  let key = '';
  for (let i = 0; i < values.length; i++) key += valueKey(values[i] as SqlValue);
  return key;
}
