// SQLite's math functions (lang_mathfunc; better-sqlite3 builds SQLite with them): each takes
// numeric arguments (well-formed numeric text converts; other text and blobs give NULL), returns NULL for NULL input and for
// results outside the domain (sqrt(-1) and ln(0) are NULL, not errors).
import { applyAffinity } from '../affinity';
import { RealBox, real, toDouble, type SqlValue } from '../types';

type Def = { name: string; minArgs: number; maxArgs: number; call: (args: SqlValue[]) => SqlValue };

/** The argument as a number: well-formed numeric text converts; other text and blobs are NULL. */
function numeric(v: SqlValue): number | bigint | RealBox | null {
  const a = typeof v === 'string' ? applyAffinity(v, 'NUMERIC') : v;
  return typeof a === 'number' || typeof a === 'bigint' || a instanceof RealBox ? a : null;
}

function num(v: SqlValue): number | null {
  const a = numeric(v);
  return a === null ? null : toDouble(a);
}

function unary(name: string, f: (x: number) => number): Def {
  return {
    name, minArgs: 1, maxArgs: 1,
    call: (args) => {
      const x = num(args[0] ?? null);
      if (x === null) return null;
      const r = f(x);
      return Number.isNaN(r) ? null : real(r);
    },
  };
}

/** ceil/floor/trunc keep INTEGER arguments as they are; reals round to an integral REAL. */
function rounding(name: string, f: (x: number) => number): Def {
  return {
    name, minArgs: 1, maxArgs: 1,
    call: (args) => {
      const a = numeric(args[0] ?? null);
      if (a === null) return null;
      if (typeof a === 'bigint' || (typeof a === 'number' && Number.isInteger(a))) return a;
      return real(f(a instanceof RealBox ? a.value : a));
    },
  };
}

function binary(name: string, f: (x: number, y: number) => number): Def {
  return {
    name, minArgs: 2, maxArgs: 2,
    call: (args) => {
      const x = num(args[0] ?? null);
      const y = num(args[1] ?? null);
      if (x === null || y === null) return null;
      const r = f(x, y);
      return Number.isNaN(r) ? null : real(r);
    },
  };
}

const positive = (f: (x: number) => number) => (x: number) => (x > 0 ? f(x) : Number.NaN);

export const MATH_FUNCTIONS: readonly Def[] = [
  unary('acos', Math.acos), unary('acosh', Math.acosh), unary('asin', Math.asin), unary('asinh', Math.asinh),
  unary('atan', Math.atan), unary('atanh', Math.atanh), unary('cos', Math.cos), unary('cosh', Math.cosh),
  unary('sin', Math.sin), unary('sinh', Math.sinh), unary('tan', Math.tan), unary('tanh', Math.tanh),
  unary('degrees', (x) => x * (180 / Math.PI)), unary('radians', (x) => x * (Math.PI / 180)),
  unary('exp', Math.exp), unary('ln', positive(Math.log)), unary('log10', positive(Math.log10)), unary('log2', positive(Math.log2)),
  unary('sqrt', (x) => (x >= 0 ? Math.sqrt(x) : Number.NaN)),
  { ...unary('log', positive(Math.log10)), maxArgs: 1 },
  binary('log', (b, x) => (b > 1 && x > 0 ? Math.log(x) / Math.log(b) : Number.NaN)), // SQLite: NULL unless ln(B) > 0
  binary('atan2', Math.atan2), binary('pow', Math.pow), binary('power', Math.pow),
  binary('mod', (x, y) => (y === 0 ? Number.NaN : x % y)),
  rounding('ceil', Math.ceil), rounding('ceiling', Math.ceil), rounding('floor', Math.floor), rounding('trunc', Math.trunc),
  { name: 'pi', minArgs: 0, maxArgs: 0, call: () => Math.PI },
];
