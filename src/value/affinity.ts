// Column affinity (datatype3 §3) and comparison affinity (§4.2).
// In: declared type names and SqlValues. Out: affinities and converted SqlValues.

import { REAL_PURE_INT, numScan, realToInteger, scanInt, scanReal, INT_OK, toText } from './convert';
import { INT64_MAX, RealBox, real, type SqlValue } from './types';

export const AFFINITIES = ['INTEGER', 'TEXT', 'BLOB', 'REAL', 'NUMERIC'] as const;
/** 'BLOB' is SQLite's "no affinity" (formerly NONE). */
export type Affinity = (typeof AFFINITIES)[number];

/**
 * datatype3 §3.1, first match wins: contains INT → INTEGER; CHAR, CLOB or TEXT → TEXT;
 * BLOB or no type → BLOB; REAL, FLOA or DOUB → REAL; otherwise NUMERIC.
 */
export function affinityOfType(declType: string | null): Affinity {
  if (declType === null) return 'BLOB';
  const t = declType.toUpperCase();
  if (t.includes('INT')) return 'INTEGER';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'TEXT';
  if (t.includes('BLOB') || t.trim() === '') return 'BLOB';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'REAL';
  return 'NUMERIC';
}

/**
 * sqlite3VdbeIntegerAffinity: an integral double strictly inside the int64 range becomes an
 * INTEGER (2.0 → 2, -0.0 → 0, 2^63 stays REAL); anything else is returned as the REAL it is.
 */
function realToIntegerIfExact(d: number): SqlValue {
  if (Number.isInteger(d) && d > -9223372036854775808 && d < 9223372036854775808) {
    const i = realToInteger(d);
    if (i !== INT64_MAX) return i;
  }
  return real(d);
}

/**
 * applyNumericAffinity: text that is a well-formed number (surrounding spaces allowed) becomes
 * INTEGER or REAL; anything else ('12abc', '', '1e') stays TEXT. With `tryForInt`, integral
 * reals become INTEGER ('48.00' → 48, '1e18' → 1000000000000000000).
 */
function textNumericAffinity(s: string, tryForInt: boolean): SqlValue {
  const rc = scanReal(s);
  if (rc <= 0) return s;
  const d = numScan.real;
  if (rc === REAL_PURE_INT) {
    // alsoAnInt: small integral value, or an integer literal in int64 range
    if (d === 0 || (Number.isInteger(d) && d >= -2251799813685248 && d < 2251799813685248)) return d + 0;
    if (scanInt(s) === INT_OK) return numScan.int;
  }
  return tryForInt ? realToIntegerIfExact(d) : real(d);
}

/**
 * What storing `v` into a column of affinity `a` does to it (datatype3 §3):
 *   TEXT     numbers → text; blobs unchanged
 *   NUMERIC, INTEGER  numeric-looking text → INTEGER/REAL; integral REALs inside int64 → INTEGER
 *   REAL     like NUMERIC, then any INTEGER → REAL
 *   BLOB     unchanged
 */
const ZERO_REAL = new RealBox(0);

export function applyAffinity(v: SqlValue, a: Affinity): SqlValue {
  if (v === null) return null;
  switch (a) {
    case 'BLOB':
      return v;
    case 'TEXT':
      return typeof v === 'string' || v instanceof Uint8Array ? v : toText(v);
    case 'NUMERIC':
    case 'INTEGER':
      if (typeof v === 'number') return v; // an INTEGER, or a non-integral REAL that stays
      if (typeof v === 'string') return textNumericAffinity(v, true);
      if (v instanceof RealBox) return realToIntegerIfExact(v.value);
      return v;
    case 'REAL': {
      let n: SqlValue = v;
      if (typeof v === 'string') n = textNumericAffinity(v, false);
      if (typeof n === 'number') return Number.isInteger(n) ? new RealBox(n) : n;
      if (typeof n === 'bigint') return real(Number(n));
      // A REAL column stores integral reals as integers on disk in SQLite, so -0.0 reads back as 0.0.
      if (n instanceof RealBox && Object.is(n.value, -0)) return ZERO_REAL;
      return n;
    }
  }
}

/**
 * The affinity a comparison operator applies to an operand (OP_Eq etc.): NUMERIC converts
 * numeric-looking text only (without the integral-REAL → INTEGER step, which cannot change the
 * outcome); TEXT renders numbers as text. Blobs are never converted.
 */
export function applyComparisonAffinity(v: SqlValue, a: Affinity | null): SqlValue {
  if (a === null || v === null) return v;
  if (a === 'TEXT') return typeof v === 'string' || v instanceof Uint8Array ? v : toText(v);
  if (a === 'BLOB' || typeof v !== 'string') return v;
  return textNumericAffinity(v, false);
}

export type ComparisonAffinities = readonly [left: Affinity | null, right: Affinity | null];
const NONE: ComparisonAffinities = [null, null];
const NUMERIC_LEFT: ComparisonAffinities = ['NUMERIC', null];
const NUMERIC_RIGHT: ComparisonAffinities = [null, 'NUMERIC'];
const TEXT_LEFT: ComparisonAffinities = ['TEXT', null];
const TEXT_RIGHT: ComparisonAffinities = [null, 'TEXT'];

function isNumericAffinity(a: Affinity | null): boolean {
  return a === 'INTEGER' || a === 'REAL' || a === 'NUMERIC';
}

/**
 * datatype3 §4.2: which affinity to apply to each operand of a comparison before comparing.
 * `left`/`right` are the operands' own affinities: a column's declared affinity (also through
 * CAST(x AS type)), or null for any other expression.
 *   - one side INTEGER/REAL/NUMERIC, the other TEXT/BLOB/none → NUMERIC to the other
 *   - one side TEXT, the other none → TEXT to the other
 *   - otherwise nothing
 * Returns shared frozen tuples: do not mutate.
 */
export function comparisonAffinities(left: Affinity | null, right: Affinity | null): ComparisonAffinities {
  const ln = isNumericAffinity(left);
  const rn = isNumericAffinity(right);
  if (ln && !rn) return NUMERIC_RIGHT;
  if (rn && !ln) return NUMERIC_LEFT;
  if (left === 'TEXT' && right === null) return TEXT_RIGHT;
  if (right === 'TEXT' && left === null) return TEXT_LEFT;
  return NONE;
}
