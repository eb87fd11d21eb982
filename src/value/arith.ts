// Arithmetic, bitwise and || operators over SqlValues (lang_expr §"Operators").
// In: any SqlValues. Out: a normalized SqlValue. Never throws.
//   NULL in → NULL out. INTEGER op INTEGER is exact int64 (JS number while safe, bigint beyond);
//   on int64 overflow the result is the REAL computed from the operands' doubles, as SQLite.
//   / and % by zero → NULL. Text and blob operands convert by toArithmetic (% and bit operators:
//   by toInteger, as SQLite reads them with sqlite3VdbeIntValue).

import { toArithmetic, toInteger, toText } from './convert';
import { INT64_MAX, INT64_MIN, RealBox, integer, real, type SqlValue } from './types';

type Num = number | bigint | RealBox;

/** An INTEGER operand (after toArithmetic): an integral number or a bigint. */
function isInt(x: Num): x is number | bigint {
  return typeof x === 'bigint' || (typeof x === 'number' && Number.isInteger(x));
}

function dbl(x: Num): number {
  return typeof x === 'number' ? x : typeof x === 'bigint' ? Number(x) : x.value;
}

/** A bigint result: INTEGER when it fits in int64, else null (overflow). */
function fit(r: bigint): number | bigint | null {
  if (r > INT64_MAX || r < INT64_MIN) return null;
  return integer(r);
}

function numeric(v: SqlValue): Num {
  return toArithmetic(v) as Num; // Invariant: callers have excluded NULL
}

export function add(a: SqlValue, b: SqlValue): SqlValue {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (!(Number.isInteger(a) && Number.isInteger(b))) return real(r);
    if (Number.isSafeInteger(r)) return r + 0;
  }
  if (a === null || b === null) return null;
  const x = numeric(a);
  const y = numeric(b);
  if (isInt(x) && isInt(y)) {
    const r = fit(BigInt(x) + BigInt(y));
    if (r !== null) return r;
  }
  return real(dbl(x) + dbl(y));
}

export function subtract(a: SqlValue, b: SqlValue): SqlValue {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    const ints = Number.isInteger(a) && Number.isInteger(b);
    if (!ints) return real(r);
    if (Number.isSafeInteger(r)) return r + 0;
  }
  if (a === null || b === null) return null;
  const x = numeric(a);
  const y = numeric(b);
  if (isInt(x) && isInt(y)) {
    const r = fit(BigInt(x) - BigInt(y));
    if (r !== null) return r;
  }
  return real(dbl(x) - dbl(y));
}

export function multiply(a: SqlValue, b: SqlValue): SqlValue {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    const ints = Number.isInteger(a) && Number.isInteger(b);
    if (!ints) return real(r);
    // a safe product of integers is exact: the true product is representable and rounding is exact
    if (Number.isSafeInteger(r)) return r + 0;
  }
  if (a === null || b === null) return null;
  const x = numeric(a);
  const y = numeric(b);
  if (isInt(x) && isInt(y)) {
    const r = fit(BigInt(x) * BigInt(y));
    if (r !== null) return r;
  }
  return real(dbl(x) * dbl(y));
}

export function divide(a: SqlValue, b: SqlValue): SqlValue {
  if (a === null || b === null) return null;
  const x = typeof a === 'number' ? a : numeric(a);
  const y = typeof b === 'number' ? b : numeric(b);
  if (isInt(x) && isInt(y)) {
    if (typeof x === 'number' && typeof y === 'number') {
      if (y === 0) return null;
      return Math.trunc(x / y) + 0; // exact: |x| < 2^53 (see arith.test)
    }
    const bx = BigInt(x);
    const by = BigInt(y);
    if (by === 0n) return null;
    if (bx === INT64_MIN && by === -1n) return real(9223372036854775808);
    return integer(bx / by);
  }
  const d = dbl(y);
  if (d === 0) return null;
  return real(dbl(x) / d);
}

/** SQLite's %: integers exactly; with a REAL operand both sides are read as integers
 *  (truncated, saturated; text by its integer prefix) and the result is REAL. */
export function remainder(a: SqlValue, b: SqlValue): SqlValue {
  if (a === null || b === null) return null;
  const x = typeof a === 'number' ? a : numeric(a);
  const y = typeof b === 'number' ? b : numeric(b);
  const ints = isInt(x) && isInt(y);
  const ia = ints ? (x as number | bigint) : (toInteger(a) as number | bigint);
  const ib = ints ? (y as number | bigint) : (toInteger(b) as number | bigint);
  let r: number | bigint;
  if (typeof ia === 'number' && typeof ib === 'number') {
    if (ib === 0) return null;
    r = ib === -1 ? 0 : (ia % ib) + 0;
  } else {
    const by = BigInt(ib);
    if (by === 0n) return null;
    r = by === -1n ? 0 : integer(BigInt(ia) % by);
  }
  return ints ? r : real(Number(r) + 0);
}

/** Unary minus: SQLite computes 0 - x (so -(-9223372036854775808) is REAL, -(0.0) is 0.0). */
export function negate(a: SqlValue): SqlValue {
  if (typeof a === 'number') return Number.isInteger(a) ? 0 - a : a === a ? -a : null;
  if (a === null) return null;
  return subtract(0, a);
}

function bits(v: SqlValue): number | bigint {
  return toInteger(v) as number | bigint; // Invariant: callers have excluded NULL
}

function isInt32(x: number | bigint): x is number {
  return typeof x === 'number' && x >= -2147483648 && x <= 2147483647;
}

export function bitAnd(a: SqlValue, b: SqlValue): SqlValue {
  if (a === null || b === null) return null;
  const x = bits(a);
  const y = bits(b);
  if (isInt32(x) && isInt32(y)) return x & y;
  return integer(BigInt.asIntN(64, BigInt(x) & BigInt(y)));
}

export function bitOr(a: SqlValue, b: SqlValue): SqlValue {
  if (a === null || b === null) return null;
  const x = bits(a);
  const y = bits(b);
  if (isInt32(x) && isInt32(y)) return x | y;
  return integer(BigInt.asIntN(64, BigInt(x) | BigInt(y)));
}

export function bitNot(a: SqlValue): SqlValue {
  if (a === null) return null;
  const x = bits(a);
  if (isInt32(x)) return ~x;
  return integer(BigInt.asIntN(64, ~BigInt(x)));
}

function shift(value: number | bigint, amount: number | bigint, left: boolean): number | bigint {
  let n = amount;
  if (n < 0) {
    left = !left;
    n = n > -64 ? -n : 64;
  }
  if (n >= 64) return left || value >= 0 ? 0 : -1;
  const v = BigInt(value);
  const r = left ? BigInt.asIntN(64, v << BigInt(n)) : v >> BigInt(n);
  return integer(r);
}

export function shiftLeft(a: SqlValue, b: SqlValue): SqlValue {
  if (a === null || b === null) return null;
  return shift(bits(a), bits(b), true);
}

export function shiftRight(a: SqlValue, b: SqlValue): SqlValue {
  if (a === null || b === null) return null;
  return shift(bits(a), bits(b), false);
}

/** ||: both sides as text (blobs read as UTF-8); NULL if either is NULL. */
export function concat(a: SqlValue, b: SqlValue): SqlValue {
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (a === null || b === null) return null;
  return (toText(a) as string) + (toText(b) as string);
}
