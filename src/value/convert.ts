// SQLite's value conversions (CAST, arithmetic operands, truth values, literals, REAL → text).
// In: normalized SqlValues (types.ts). Out: normalized SqlValues or plain JS numbers where the
// signature says so. Never throws except parseNumberLiteral on an oversized hex literal.
//
// Two scanners mirror SQLite's own parsers, because every conversion is defined by them:
//   scanReal  ~ sqlite3AtoF   : longest prefix that is a decimal real; returns a "shape" code
//   scanInt   ~ sqlite3Atoi64 : longest prefix that is a decimal integer, saturating at int64
// The conversions differ only in which scanner they ask and how they combine the codes
// (see toNumeric / toArithmetic and applyAffinity in affinity.ts). Results are left in
// `numScan` instead of being returned in an object, so the hot paths allocate nothing.

import { INT64_MAX, INT64_MIN, RealBox, real, type SqlValue } from './types';
import type { Affinity } from './affinity';
import { AmberError } from './amber-error';

/** Where the scanners leave their value: `real` after scanReal, `int` after scanInt. */
export const numScan: { real: number; int: number | bigint } = { real: 0, int: 0 };

/** sqlite3Isspace: space, \t, \n, \v, \f, \r. */
export function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

// Shape codes of scanReal (sqlite3AtoF's return value).
/** The whole text (modulo surrounding spaces) is a decimal integer: `' 12 '`. */
export const REAL_PURE_INT = 1;
/** The whole text is a number with a '.' or an exponent: `'1.5'`, `'1e3'`, `'5.'`. */
export const REAL_PURE_REAL = 2;
/** Not a number as a whole; the prefix (maybe empty) has no '.'/exponent: `'12abc'`, `'abc'`. */
export const REAL_PREFIX_INT = 0;
/** Not a number as a whole; the prefix has a '.' or exponent: `'1.5abc'`. */
export const REAL_PREFIX_REAL = -1;

/**
 * sqlite3AtoF: scans the longest real-number prefix of `s` (after leading spaces) into
 * numScan.real (0 when there is none) and returns its shape code.
 */
export function scanReal(s: string): number {
  const n = s.length;
  let i = 0;
  let c = 0;
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  const start = i;
  if (i < n) {
    c = s.charCodeAt(i);
    if (c === 43 || c === 45) i++; // + -
  }
  let digits = 0;
  while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
    i++;
    digits++;
  }
  let realShape = false;
  if (i < n && s.charCodeAt(i) === 46) {
    // '.'
    i++;
    realShape = true;
    while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
      i++;
      digits++;
    }
  }
  if (digits === 0) {
    numScan.real = 0;
    return REAL_PREFIX_INT;
  }
  if (i < n && ((c = s.charCodeAt(i)) === 101 || c === 69)) {
    // e E: only part of the number when at least one digit follows
    let j = i + 1;
    if (j < n && ((c = s.charCodeAt(j)) === 43 || c === 45)) j++;
    if (j < n && (c = s.charCodeAt(j)) >= 48 && c <= 57) {
      while (j < n && (c = s.charCodeAt(j)) >= 48 && c <= 57) j++;
      i = j;
      realShape = true;
    }
  }
  const end = i;
  const text = start === 0 && end === n ? s : s.slice(start, end);
  numScan.real = digits > 19 ? atofLong(text) : Number(text);
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  if (i === n) return realShape ? REAL_PURE_REAL : REAL_PURE_INT;
  return realShape ? REAL_PREFIX_REAL : REAL_PREFIX_INT;
}

/**
 * sqlite3AtoF keeps only the first 19 or 20 significant digits of a long mantissa in a u64
 * (it stops once the value reaches (2^64-10)/10) and ignores the rest, then rounds correctly.
 * We truncate the same way and let Number() round.   '9992233720368547758081' → 9.992233720368547e+21
 */
function atofLong(text: string): number {
  let i = 0;
  let c = text.charCodeAt(0);
  const neg = c === 45;
  if (c === 43 || c === 45) i++;
  let mant = '';
  let fracLen = 0;
  let inFrac = false;
  for (; i < text.length; i++) {
    c = text.charCodeAt(i);
    if (c === 46) inFrac = true;
    else if (c >= 48 && c <= 57) {
      if (mant.length > 0 || c !== 48) mant += text[i];
      if (inFrac) fracLen++;
    } else break;
  }
  const exp = i < text.length ? Number(text.slice(i + 1)) : 0;
  if (mant.length <= 19) return Number(text);
  const keep = mant.slice(0, 19) >= '1844674407370955160' ? 19 : 20;
  const v = Number(`${mant.slice(0, keep)}e${exp - fracLen + (mant.length - keep)}`);
  return neg ? -v : v;
}

// Codes of scanInt (sqlite3Atoi64's return value).
/** A decimal integer in int64 range, nothing but spaces after it. */
export const INT_OK = 0;
/** An in-range integer prefix followed by other text. */
export const INT_EXTRA = 1;
/** Out of int64 range (value saturated). */
export const INT_OVERFLOW = 2;
/** Exactly 9223372036854775808 without a minus sign (value saturated to INT64_MAX). */
export const INT_2POW63 = 3;
/** No digits at all (value 0). */
export const INT_NONE = -1;

const TWO_POW_63 = '9223372036854775808';

/**
 * sqlite3Atoi64: scans the integer prefix of `s` (leading spaces, sign, digits) into
 * numScan.int, saturating at the int64 bounds, and returns its code.
 */
export function scanInt(s: string): number {
  const n = s.length;
  let i = 0;
  let c = 0;
  let neg = false;
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  if (i < n) {
    c = s.charCodeAt(i);
    if (c === 45) {
      neg = true;
      i++;
    } else if (c === 43) i++;
  }
  const zStart = i;
  while (i < n && s.charCodeAt(i) === 48) i++;
  const dStart = i;
  let v = 0;
  while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
    if (i - dStart < 15) v = v * 10 + (c - 48);
    i++;
  }
  const nd = i - dStart;
  let rc: number = INT_OK;
  if (nd === 0 && dStart === zStart) rc = INT_NONE;
  else {
    for (; i < n; i++) {
      if (!isSpace(s.charCodeAt(i))) {
        rc = INT_EXTRA;
        break;
      }
    }
  }
  if (nd <= 15) {
    numScan.int = neg ? 0 - v : v;
    return rc;
  }
  const digits = s.slice(dStart, dStart + nd);
  const cmp = nd > 19 ? 1 : nd < 19 ? -1 : digits < TWO_POW_63 ? -1 : digits === TWO_POW_63 ? 0 : 1;
  if (cmp < 0) {
    const b = BigInt(digits);
    const r = neg ? -b : b;
    numScan.int = r >= -9007199254740991n && r <= 9007199254740991n ? Number(r) : r;
    return rc;
  }
  numScan.int = neg ? INT64_MIN : INT64_MAX;
  if (cmp > 0) return INT_OVERFLOW;
  return neg ? rc : INT_2POW63;
}

const utf8Decoder = new TextDecoder('utf-8');

/** A blob's bytes read as UTF-8 text (invalid sequences become U+FFFD: JS strings cannot hold them). */
export function blobToText(b: Uint8Array): string {
  return b.length === 0 ? '' : utf8Decoder.decode(b);
}

/** Text as its UTF-8 bytes. */
export function textToBlob(s: string): Uint8Array {
  return Buffer.from(s, 'utf8');
}

/** The UTF-8 byte length of a string, without encoding it when it is ASCII. */
export function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer); // little-endian: u32[1] holds sign, exponent, high fraction

/**
 * The significant digits of |r| as SQLite's sqlite3FpDecode first computes them: the value
 * scaled by 10^p, where p is chosen from the binary exponent alone so that the result has 18
 * digits, or 19 when the binade straddles a power of ten; rounded half-up. Returns the digits
 * and sets `decodedExp` to the decimal exponent of the last digit.
 * (SQLite multiplies by 64-bit truncated powers of ten; we compute exactly. They agree except
 * when the scaled value lies within ~2^-60 relative of a half: rare, and a known gap.)
 */
let decodedExp = 0;
function decodeDigits(r: number): string {
  f64[0] = r;
  const hi = u32[1] as number;
  const bexp = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(u32[0] as number);
  let m: bigint;
  let e: number;
  if (bexp === 0) {
    const nn = 64 - frac.toString(2).length;
    m = frac << BigInt(nn);
    e = -1074 - nn;
  } else {
    m = (frac << 11n) | 0x8000000000000000n;
    e = bexp - 1086;
  }
  const p = 17 - (((e + 63) * 78913) >> 18);
  let num = m;
  let den = 1n;
  if (p >= 0) num *= 10n ** BigInt(p);
  else den = 10n ** BigInt(-p);
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  decodedExp = -p;
  return ((2n * num + den) / (2n * den)).toString();
}

/**
 * How SQLite renders a REAL as text (CAST, ||, quote, result columns) — `%!.17g` over
 * sqlite3FpDecode: 17 significant digits, except that SQLite shortens the digits when a run
 * of 0s or 9s at positions 14–16 hides a shorter form that round-trips (0.1 → "0.1", but
 * 1/3.0 → "0.33333333333333331"). Fixed notation for decimal exponents -4..16, else
 * d.ddde±XX; always a '.' ("1.0", "1.0e+20"); ±Infinity as "Inf"/"-Inf"; -0.0 as "0.0".
 */
export function realToText(d: number): string {
  if (d === 0) return '0.0';
  if (d === Infinity) return 'Inf';
  if (d === -Infinity) return '-Inf';
  if (d !== d) return 'NaN';
  // Fast path: integers below 10^15 have at most 15 digits, which the 17-digit form keeps exactly.
  if (Number.isInteger(d) && d < 1e15 && d > -1e15) return String(d) + '.0';
  const neg = d < 0;
  const r = neg ? -d : d;
  const z = decodeDigits(r);
  const exp = decodedExp;
  const n = z.length;
  let iDP = n + exp;
  let iRound = 17;
  if (z.charCodeAt(15) === 57 && z.charCodeAt(14) === 57) {
    let jj = 14;
    while (jj > 0 && z.charCodeAt(jj - 1) === 57) jj--;
    const v2 = jj === 0 ? 1n : BigInt(z.slice(0, jj)) + 1n;
    if (r === Number(`${v2}e${exp + n - jj}`)) iRound = jj + 1;
  } else if (iDP >= n || (z.charCodeAt(13) === 48 && z.charCodeAt(14) === 48 && z.charCodeAt(15) === 48)) {
    let jj = 13;
    while (z.charCodeAt(jj - 1) === 48) jj--;
    if (r === Number(`${z.slice(0, jj)}e${exp + n - jj}`)) iRound = jj + 1;
  }
  let digits = z.slice(0, iRound);
  if (z.charCodeAt(iRound) >= 53) {
    // round half up, carrying through 9s
    let j = iRound - 1;
    while (j >= 0 && digits.charCodeAt(j) === 57) j--;
    if (j < 0) {
      digits = '1' + '0'.repeat(iRound);
      iDP++;
    } else {
      digits = digits.slice(0, j) + String.fromCharCode(digits.charCodeAt(j) + 1) + '0'.repeat(iRound - 1 - j);
    }
  }
  let k = digits.length;
  while (k > 1 && digits.charCodeAt(k - 1) === 48) k--;
  if (k !== digits.length) digits = digits.slice(0, k);
  const e10 = iDP - 1;
  let out: string;
  if (e10 < -4 || e10 > 16) {
    const ae = e10 < 0 ? -e10 : e10;
    out =
      digits[0] +
      '.' +
      (k > 1 ? digits.slice(1) : '0') +
      (e10 < 0 ? 'e-' : 'e+') +
      (ae < 10 ? '0' + ae : String(ae));
  } else if (e10 < 0) {
    out = '0.' + '0'.repeat(-e10 - 1) + digits;
  } else if (k <= e10 + 1) {
    out = digits + '0'.repeat(e10 + 1 - k) + '.0';
  } else {
    out = digits.slice(0, e10 + 1) + '.' + digits.slice(e10 + 1);
  }
  return neg ? '-' + out : out;
}

/** CAST(v AS TEXT) and every other place a value becomes text. NULL stays null. */
export function toText(v: SqlValue): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : realToText(v);
  if (v === null) return null;
  if (typeof v === 'bigint') return String(v);
  if (v instanceof RealBox) return realToText(v.value);
  return blobToText(v);
}

/** A double truncated toward zero and saturated to int64 (sqlite3RealToI64 / doubleToInt64). */
export function realToInteger(d: number): number | bigint {
  if (d >= -9007199254740991 && d <= 9007199254740991) return Math.trunc(d) + 0;
  if (d !== d) return 0;
  if (d <= -9223372036854775808) return INT64_MIN;
  if (d >= 9223372036854775808) return INT64_MAX;
  return BigInt(Math.trunc(d));
}

/** CAST(v AS INTEGER): reals truncate and saturate; text/blob take their integer prefix. */
export function toInteger(v: SqlValue): number | bigint | null {
  if (typeof v === 'number') return Number.isInteger(v) ? v : realToInteger(v);
  if (v === null || typeof v === 'bigint') return v;
  if (typeof v === 'string') {
    scanInt(v);
    return numScan.int;
  }
  if (v instanceof RealBox) return realToInteger(v.value);
  scanInt(blobToText(v));
  return numScan.int;
}

/** The double CAST(v AS REAL) yields (wrap with `real()` for a SqlValue). */
export function toReal(v: SqlValue): number | null {
  if (typeof v === 'number') return v;
  if (v === null) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') {
    scanReal(v);
    return numScan.real;
  }
  if (v instanceof RealBox) return v.value;
  scanReal(blobToText(v));
  return numScan.real;
}

/** CAST(v AS BLOB): text as UTF-8 bytes, numbers via their text. */
export function toBlob(v: SqlValue): Uint8Array | null {
  if (v === null) return null;
  if (v instanceof Uint8Array) return v;
  return textToBlob(toText(v) as string);
}

/**
 * sqlite3RealSameAsInt: an integral double small enough (|d| < 2^51) that SQLite prefers to
 * call it an INTEGER when a text is converted to NUMERIC.
 */
function realSameAsInt(d: number): boolean {
  return d === 0 || (Number.isInteger(d) && d >= -2251799813685248 && d < 2251799813685248);
}

/** Text → NUMERIC as CAST does (sqlite3VdbeMemNumerify). */
function textToNumeric(s: string): number | bigint | RealBox {
  const rc = scanReal(s);
  if ((rc === REAL_PREFIX_INT || rc === REAL_PURE_INT) && scanInt(s) <= INT_EXTRA) return numScan.int;
  const d = numScan.real;
  if (realSameAsInt(d)) return d + 0;
  return real(d) as number | RealBox;
}

/**
 * CAST(v AS NUMERIC): numbers unchanged; text/blob → INTEGER when the prefix is an integer in
 * range (or an integral real below 2^51: '1e3' → 1000, '1.0' → 1), else REAL ('12abc' → 12,
 * '1.5x' → 1.5, 'abc' → 0, '9223372036854775808' → 9.2233720368547758e+18).
 */
export function toNumeric(v: SqlValue): number | bigint | RealBox | null {
  if (typeof v === 'number' || typeof v === 'bigint' || v === null) return v;
  if (typeof v === 'string') return textToNumeric(v);
  if (v instanceof RealBox) return v;
  return textToNumeric(blobToText(v));
}

/** Text as an arithmetic operand (computeNumericType in vdbe.c): '1.0' stays REAL here. */
function textToArithmetic(s: string): number | bigint | RealBox {
  const rc = scanReal(s);
  if (rc <= 0) {
    if (rc === REAL_PREFIX_INT && scanInt(s) <= INT_EXTRA) return numScan.int;
  } else if (rc === REAL_PURE_INT && scanInt(s) === INT_OK) {
    return numScan.int;
  }
  return real(numScan.real) as number | RealBox;
}

/**
 * The numeric value an operand of + - * / % has: NULL stays null, numbers unchanged, text and
 * blobs by their longest numeric prefix ('12abc' → 12, '1.0' → 1.0, 'x' → 0).
 */
export function toArithmetic(v: SqlValue): number | bigint | RealBox | null {
  if (typeof v === 'number' || typeof v === 'bigint' || v === null) return v;
  if (typeof v === 'string') return textToArithmetic(v);
  if (v instanceof RealBox) return v;
  return textToArithmetic(blobToText(v));
}

/**
 * Truth of a WHERE / AND / OR / NOT / CASE WHEN operand (sqlite3VdbeBooleanValue): NULL is
 * unknown (null); numbers are true when non-zero; text/blob by their real prefix ('0.5' true,
 * '1abc' true, 'abc' false).
 */
export function toBoolean(v: SqlValue): boolean | null {
  if (typeof v === 'number') return v !== 0;
  if (v === null) return null;
  if (typeof v === 'bigint') return true; // Invariant: bigints are outside ±2^53, never 0
  if (typeof v === 'string') {
    scanReal(v);
    return numScan.real !== 0;
  }
  if (v instanceof RealBox) return v.value !== 0;
  scanReal(blobToText(v));
  return numScan.real !== 0;
}

/** CAST(v AS <type>) once the type name's affinity is known ('BLOB' = CAST AS BLOB). */
export function castTo(v: SqlValue, affinity: Affinity): SqlValue {
  if (v === null) return null;
  switch (affinity) {
    case 'INTEGER':
      return toInteger(v);
    case 'REAL':
      return real(toReal(v) as number);
    case 'NUMERIC':
      return toNumeric(v);
    case 'TEXT':
      return toText(v);
    case 'BLOB':
      return toBlob(v);
  }
}

/**
 * The value of a numeric literal token as SQLite's tokenizer/parser sees it: decimal integers
 * in int64 range are INTEGER, larger ones REAL; `0x...` hex of up to 16 significant digits is
 * an int64 (two's complement, 0xffffffffffffffff → -1), longer is an error; anything with '.'
 * or an exponent is REAL. '_' digit separators are ignored. A leading '-' is accepted so the
 * parser can fold `-9223372036854775808` into INT64_MIN.
 */
export function parseNumberLiteral(text: string): SqlValue {
  let t = text.indexOf('_') >= 0 ? text.replace(/_/g, '') : text;
  let neg = false;
  if (t.charCodeAt(0) === 45) {
    neg = true;
    t = t.slice(1);
  }
  const c1 = t.charCodeAt(1);
  if (t.charCodeAt(0) === 48 && (c1 === 120 || c1 === 88)) {
    let i = 2;
    while (t.charCodeAt(i) === 48) i++;
    if (t.length - i > 16) throw new AmberError(`hex literal too big: ${text}`);
    const b = t.length === i ? 0n : BigInt.asIntN(64, BigInt('0x' + t.slice(i)));
    return negateLiteral(b, neg);
  }
  let isInt = t.length > 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) {
      isInt = false;
      break;
    }
  }
  if (isInt) {
    if (t.length <= 15) {
      const v = Number(t);
      return neg ? 0 - v : v;
    }
    const b = BigInt(t);
    const r = neg ? -b : b;
    if (r >= INT64_MIN && r <= INT64_MAX) return r >= -9007199254740991n && r <= 9007199254740991n ? Number(r) : r;
    return real(Number(r));
  }
  const d = Number(t);
  return real(neg ? -d : d);
}

function negateLiteral(b: bigint, neg: boolean): SqlValue {
  if (!neg) return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
  if (b === INT64_MIN) return real(9223372036854775808);
  const r = -b;
  return r >= -9007199254740991n && r <= 9007199254740991n ? Number(r) : r;
}
