// SQLite's core scalar functions (lang_corefunc) as a registry.
// In: evaluated argument values (the executor short-circuits coalesce/iif itself if it wants).
// Out: one SqlValue; errors as AmberError with SQLite's message. Functions owned by the engine
// (last_insert_rowid, changes, total_changes) and date/time are registered elsewhere.

import { AmberError } from '../amber-error';
import { applyComparisonAffinity } from '../affinity';
import { compareValues } from '../compare';
import { realToText, toBoolean, toInteger, toReal, toText } from '../convert';
import { RealBox, integer, real, storageClass, type SqlValue } from '../types';
import { globMatch, likeMatch } from './like';
import { formatPrintf } from './printf';
import { JSON_SCALAR_FUNCTIONS } from './json';
import { MATH_FUNCTIONS } from './math';
import { randomBytes } from 'node:crypto';

export interface ScalarFunction {
  readonly name: string;
  readonly minArgs: number;
  /** -1 = any number. */
  readonly maxArgs: number;
  /** False for random(), randomblob(): the planner must not fold or cache them. */
  readonly deterministic: boolean;
  call(args: SqlValue[]): SqlValue;
  /** JSON functions that embed values: `isJson[i]` tells that argument i carries SQLite's JSON subtype (json.ts). */
  readonly callJson?: (args: SqlValue[], isJson: readonly boolean[]) => SqlValue;
}

const registry = new Map<string, ScalarFunction[]>();

function def(name: string, minArgs: number, maxArgs: number, call: (args: SqlValue[]) => SqlValue, deterministic = true): void {
  const f: ScalarFunction = { name, minArgs, maxArgs, deterministic, call };
  const list = registry.get(name);
  if (list) list.push(f);
  else registry.set(name, [f]);
}

/** The scalar function `name` (case-insensitive) accepting `argc` arguments, if any. */
export function getScalarFunction(name: string, argc: number): ScalarFunction | undefined {
  const list = registry.get(name.toLowerCase());
  if (list === undefined) return undefined;
  for (const f of list) if (argc >= f.minArgs && (f.maxArgs < 0 || argc <= f.maxArgs)) return f;
  return undefined;
}

/** Whether any scalar function has this name (to tell "wrong number of arguments" from "no such function"). */
export function hasScalarFunction(name: string): boolean {
  return registry.has(name.toLowerCase());
}

const arg = (args: SqlValue[], i: number): SqlValue => (i < args.length ? (args[i] as SqlValue) : null);

/** Text of a non-null value, truncated at the first NUL as SQLite's C-string functions see it. */
function text(v: SqlValue): string {
  return toText(v) as string;
}

/** The code points of a string, as an array only when it has surrogates. */
function hasSurrogates(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return true;
  }
  return false;
}

function charLength(s: string): number {
  if (!hasSurrogates(s)) return s.length;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!(c >= 0xdc00 && c <= 0xdfff && i > 0 && (s.charCodeAt(i - 1) & 0xfc00) === 0xd800)) n++;
  }
  return n;
}

/** An int64 argument as a JS number (bigints clamp to ±2^62: only used as positions/counts). */
function intArg(v: SqlValue): number {
  const i = toInteger(v) as number | bigint;
  return typeof i === 'number' ? i : i > 0n ? 4611686018427387904 : -4611686018427387904;
}

/** sqlite3_value_numeric_type: text that looks numeric becomes a number (no REAL → INTEGER). */
function numericType(v: SqlValue): SqlValue {
  return typeof v === 'string' ? applyComparisonAffinity(v, 'NUMERIC') : v;
}

// ---- abs, sign, round --------------------------------------------------------------------

def('abs', 1, 1, (a) => {
  const v = numericType(arg(a, 0));
  if (v === null) return null;
  if (typeof arg(a, 0) === 'string') return real(Math.abs(toReal(v) as number)); // text: always REAL
  if (typeof v === 'number') return Math.abs(v);
  if (typeof v === 'bigint') {
    if (v === -9223372036854775808n) throw new AmberError('integer overflow');
    return v < 0n ? -v : v;
  }
  if (v instanceof RealBox) return real(Math.abs(v.value));
  return real(Math.abs(toReal(v) as number));
});

def('sign', 1, 1, (a) => {
  const v = numericType(arg(a, 0));
  if (v === null || typeof v === 'string' || v instanceof Uint8Array) return null;
  const d = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : v.value;
  return d > 0 ? 1 : d < 0 ? -1 : 0;
});

def('round', 1, 2, (a) => {
  let n = 0;
  if (a.length === 2) {
    if (arg(a, 1) === null) return null;
    n = intArg(arg(a, 1));
    if (n > 30) n = 30;
    if (n < 0) n = 0;
  }
  const x = arg(a, 0);
  if (x === null) return null;
  let r = toReal(x) as number;
  if (r < -4503599627370496 || r > 4503599627370496) {
    // no fractional part: nothing to round
  } else if (n === 0) {
    r = Math.trunc(r + (r < 0 ? -0.5 : 0.5)) + 0;
  } else {
    // SQLite prints with %.*f (half away from zero on the decimal expansion) and reads it back
    const neg = r < 0;
    const s = (neg ? -r : r).toFixed(n);
    r = neg ? -Number(s) : Number(s);
  }
  return real(r + 0);
});

// ---- NULL handling and choice -----------------------------------------------------------

def('coalesce', 2, -1, (a) => {
  for (const v of a) if (v !== null) return v;
  return null;
});
def('ifnull', 2, 2, (a) => (arg(a, 0) !== null ? arg(a, 0) : arg(a, 1)));
def('iif', 2, 3, (a) => (toBoolean(arg(a, 0)) === true ? arg(a, 1) : arg(a, 2)));
def('if', 2, 3, (a) => (toBoolean(arg(a, 0)) === true ? arg(a, 1) : arg(a, 2)));
def('nullif', 2, 2, (a) => (compareValues(arg(a, 0), arg(a, 1)) === 0 && arg(a, 0) !== null ? null : arg(a, 0)));
def('likelihood', 2, 2, (a) => arg(a, 0));
def('likely', 1, 1, (a) => arg(a, 0));
def('unlikely', 1, 1, (a) => arg(a, 0));

function minMax(a: SqlValue[], sign: number): SqlValue {
  let best = arg(a, 0);
  if (best === null) return null;
  for (let i = 1; i < a.length; i++) {
    const v = a[i] as SqlValue;
    if (v === null) return null;
    // ties: min() takes the later argument, max() keeps the earlier (as SQLite's minmaxFunc)
    const c = compareValues(v, best);
    if (sign < 0 ? c <= 0 : c > 0) best = v;
  }
  return best;
}
def('min', 2, -1, (a) => minMax(a, -1));
def('max', 2, -1, (a) => minMax(a, 1));

def('typeof', 1, 1, (a) => storageClass(arg(a, 0)));

// ---- text --------------------------------------------------------------------------------

def('length', 1, 1, (a) => {
  const v = arg(a, 0);
  if (v === null) return null;
  if (v instanceof Uint8Array) return v.length;
  const s = text(v);
  const nul = s.indexOf('\0');
  return charLength(nul >= 0 ? s.slice(0, nul) : s);
});
def('char_length', 1, 1, (a) => (getScalarFunction('length', 1) as ScalarFunction).call(a));
def('character_length', 1, 1, (a) => (getScalarFunction('length', 1) as ScalarFunction).call(a));

def('octet_length', 1, 1, (a) => {
  const v = arg(a, 0);
  if (v === null) return null;
  if (v instanceof Uint8Array) return v.length;
  return Buffer.byteLength(text(v), 'utf8');
});

function asciiCase(s: string, upper: boolean): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (upper ? c >= 97 && c <= 122 : c >= 65 && c <= 90) {
      out += s.slice(start, i) + String.fromCharCode(upper ? c - 32 : c + 32);
      start = i + 1;
    }
  }
  return start === 0 ? s : out + s.slice(start);
}
def('lower', 1, 1, (a) => (arg(a, 0) === null ? null : asciiCase(text(arg(a, 0)), false)));
def('upper', 1, 1, (a) => (arg(a, 0) === null ? null : asciiCase(text(arg(a, 0)), true)));

function substr(a: SqlValue[]): SqlValue {
  const x = arg(a, 0);
  if (x === null || arg(a, 1) === null || (a.length === 3 && arg(a, 2) === null)) return null;
  const isBlob = x instanceof Uint8Array;
  const s = isBlob ? '' : text(x);
  const units = !isBlob && hasSurrogates(s) ? Array.from(s) : null;
  const len = isBlob ? x.length : units !== null ? units.length : s.length;
  let p1 = intArg(arg(a, 1));
  let p2: number;
  let negP2 = false;
  if (a.length === 3) {
    p2 = intArg(arg(a, 2));
    if (p2 < 0) {
      p2 = -p2;
      negP2 = true;
    }
  } else {
    p2 = 1000000000; // SQLITE_LIMIT_LENGTH
  }
  if (p1 < 0) {
    p1 += len;
    if (p1 < 0) {
      p2 += p1;
      if (p2 < 0) p2 = 0;
      p1 = 0;
    }
  } else if (p1 > 0) {
    p1--;
  } else if (p2 > 0) {
    p2--;
  }
  if (negP2) {
    p1 -= p2;
    if (p1 < 0) {
      p2 += p1;
      p1 = 0;
    }
  }
  const end = Math.min(len, p1 + p2);
  if (isBlob) return x.slice(Math.min(p1, len), Math.max(end, Math.min(p1, len)));
  if (p1 >= end) return '';
  return units !== null ? units.slice(p1, end).join('') : s.slice(p1, end);
}
def('substr', 2, 3, substr);
def('substring', 2, 3, substr);

function trimWith(a: SqlValue[], left: boolean, right: boolean): SqlValue {
  const x = arg(a, 0);
  if (x === null) return null;
  const s = text(x);
  let set: string[] | null = null;
  if (a.length === 2) {
    const y = arg(a, 1);
    if (y === null) return null;
    set = Array.from(text(y));
    if (set.length === 0) return s;
  }
  let i = 0;
  let j = s.length;
  if (set === null) {
    if (left) while (i < j && s.charCodeAt(i) === 32) i++;
    if (right) while (j > i && s.charCodeAt(j - 1) === 32) j--;
    return s.slice(i, j);
  }
  const matchAt = (pos: number, fromEnd: boolean): number => {
    for (const c of set as string[]) {
      if (fromEnd ? s.endsWith(c, pos) && pos - c.length >= i : s.startsWith(c, pos) && pos + c.length <= j) return c.length;
    }
    return 0;
  };
  let k: number;
  if (left) while (i < j && (k = matchAt(i, false)) > 0) i += k;
  if (right) while (j > i && (k = matchAt(j, true)) > 0) j -= k;
  return s.slice(i, j);
}
def('trim', 1, 2, (a) => trimWith(a, true, true));
def('ltrim', 1, 2, (a) => trimWith(a, true, false));
def('rtrim', 1, 2, (a) => trimWith(a, false, true));

def('replace', 3, 3, (a) => {
  const x = arg(a, 0);
  const y = arg(a, 1);
  const z = arg(a, 2);
  if (x === null || y === null) return null;
  const s = text(x);
  const from = text(y);
  if (from === '') return s;
  if (z === null) return null;
  return s.split(from).join(text(z));
});

def('instr', 2, 2, (a) => {
  const x = arg(a, 0);
  const y = arg(a, 1);
  if (x === null || y === null) return null;
  if (x instanceof Uint8Array && y instanceof Uint8Array) {
    return Buffer.from(x.buffer, x.byteOffset, x.byteLength).indexOf(Buffer.from(y.buffer, y.byteOffset, y.byteLength)) + 1;
  }
  const s = text(x);
  const i = s.indexOf(text(y));
  if (i < 0) return 0;
  return charLength(s.slice(0, i)) + 1;
});

def('unicode', 1, 1, (a) => {
  const x = arg(a, 0);
  if (x === null) return null;
  const s = text(x);
  if (s.length === 0 || s.charCodeAt(0) === 0) return null;
  const cp = s.codePointAt(0) as number;
  return cp === 0xfffe || cp === 0xffff ? 0xfffd : cp; // SQLite's UTF-8 reader maps these to U+FFFD
});

def('char', 0, -1, (a) => {
  let out = '';
  for (const v of a) {
    let c = toInteger(v) ?? 0;
    if (typeof c === 'bigint' || c < 0 || c > 0x10ffff) c = 0xfffd;
    out += String.fromCodePoint(c);
  }
  return out;
});

def('concat', 1, -1, (a) => {
  let out = '';
  for (const v of a) if (v !== null) out += text(v);
  return out;
});

def('concat_ws', 2, -1, (a) => {
  const sep = arg(a, 0);
  if (sep === null) return null;
  const sp = text(sep);
  let out = '';
  let first = true;
  for (let i = 1; i < a.length; i++) {
    const v = a[i] as SqlValue;
    if (v === null) continue;
    out += first ? text(v) : sp + text(v);
    first = false;
  }
  return out;
});

// ---- blobs, hex, quote -------------------------------------------------------------------

function bytesOf(v: SqlValue): Buffer {
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return Buffer.from(v === null ? '' : text(v), 'utf8');
}

def('hex', 1, 1, (a) => bytesOf(arg(a, 0)).toString('hex').toUpperCase());

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
def('unhex', 1, 2, (a) => {
  const x = arg(a, 0);
  if (x === null) return null;
  let ignore = '';
  if (a.length === 2) {
    const y = arg(a, 1);
    if (y === null) return null;
    ignore = text(y);
  }
  const s0 = text(x);
  const nul = s0.indexOf('\0');
  const s = nul >= 0 ? s0.slice(0, nul) : s0;
  const out: number[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (!isHex(c)) {
      const cp = s.codePointAt(i) as number;
      const ch = String.fromCodePoint(cp);
      if (ignore.includes(ch)) {
        i += ch.length;
        continue;
      }
      return null;
    }
    const d = s.charCodeAt(i + 1);
    if (!(i + 1 < s.length) || !isHex(d)) return null;
    out.push(parseInt(s.slice(i, i + 2), 16));
    i += 2;
  }
  return new Uint8Array(out);
});

/** quote(X): an SQL literal that reads back as X. */
export function quoteValue(v: SqlValue): string {
  if (v === null) return 'NULL';
  if (typeof v === 'string') {
    const nul = v.indexOf('\0');
    const s = nul >= 0 ? v.slice(0, nul) : v;
    return "'" + s.replace(/'/g, "''") + "'";
  }
  if (v instanceof Uint8Array) return "X'" + bytesOf(v).toString('hex').toUpperCase() + "'";
  const d = typeof v === 'number' ? v : v instanceof RealBox ? v.value : null;
  if (d === Infinity) return '9.0e+999';
  if (d === -Infinity) return '-9.0e+999';
  if (typeof v === 'number' && !Number.isInteger(v)) return realToText(v);
  return text(v);
}
def('quote', 1, 1, (a) => quoteValue(arg(a, 0)));

def('zeroblob', 1, 1, (a) => {
  const n = intArg(arg(a, 0));
  if (n > 1000000000) throw new AmberError('string or blob too big', 'SQLITE_TOOBIG'); // SQLITE_LIMIT_LENGTH
  return new Uint8Array(n > 0 ? n : 0);
});

def('randomblob', 1, 1, (a) => {
  const n = arg(a, 0) === null ? 1 : intArg(arg(a, 0));
  return new Uint8Array(randomBytes(n < 1 ? 1 : n));
}, false);

def('random', 0, 0, () => {
  const b = randomBytes(8);
  return integer(b.readBigInt64LE(0));
}, false);

// ---- pattern matching and formatting (implemented in like.ts / printf.ts) -----------------

function likeEscape(v: SqlValue): string | null {
  return v === null ? null : text(v);
}
def('like', 2, 3, (a) => {
  const p = arg(a, 0);
  const s = arg(a, 1);
  if (p === null || s === null || (a.length === 3 && arg(a, 2) === null)) return null;
  return likeMatch(text(p), text(s), a.length === 3 ? likeEscape(arg(a, 2)) : null) ? 1 : 0;
});
def('glob', 2, 2, (a) => {
  const p = arg(a, 0);
  const s = arg(a, 1);
  if (p === null || s === null) return null;
  return globMatch(text(p), text(s)) ? 1 : 0;
});
const printf = (a: SqlValue[]): SqlValue => {
  const f = arg(a, 0);
  if (f === null) return null;
  return formatPrintf(text(f), a.slice(1));
};
def('printf', 1, -1, printf);
def('format', 1, -1, printf);

// ---- JSON (json.ts) ------------------------------------------------------------------------

for (const f of JSON_SCALAR_FUNCTIONS) {
  const list = registry.get(f.name);
  if (list) list.push(f);
  else registry.set(f.name, [f]);
}

// ---- math (math.ts) ------------------------------------------------------------------------

for (const f of MATH_FUNCTIONS) def(f.name, f.minArgs, f.maxArgs, f.call);
