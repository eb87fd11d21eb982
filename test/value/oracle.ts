// The oracle for value-layer differential tests: SQLite through better-sqlite3, with int64s exact.
// Values travel as bound parameters, which is exact for every class: INTEGER as bigint,
// REAL as a JS number (better-sqlite3 binds every number as REAL), TEXT, BLOB as a Buffer.

import Database from 'better-sqlite3';
import { RealBox, integer, real, storageClass, type SqlValue } from '../../src/value/types';

export const db: Database.Database = new Database(':memory:');
db.defaultSafeIntegers(true);

type Param = null | bigint | number | string | Buffer;

/** A SqlValue as a parameter SQLite receives with the same class and value. */
export function toParam(v: SqlValue): Param {
  if (v === null || typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (typeof v === 'bigint') return v;
  if (v instanceof RealBox) return v.value;
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

/** A result column from SQLite as a normalized SqlValue. */
export function fromSqlite(x: unknown): SqlValue {
  if (x === null || typeof x === 'string') return x;
  if (typeof x === 'bigint') return integer(x);
  if (typeof x === 'number') return real(x);
  if (x instanceof Uint8Array) return new Uint8Array(x);
  throw new Error(`unexpected SQLite value ${String(x)}`);
}

const stmts = new Map<string, Database.Statement>();

/** Evaluates one SQL expression with `?` parameters; returns its value. */
export function ask(expr: string, ...args: SqlValue[]): SqlValue {
  let st = stmts.get(expr);
  if (st === undefined) {
    st = db.prepare(`SELECT ${expr}`).raw(true);
    stmts.set(expr, st);
  }
  const row = st.get(...args.map(toParam)) as unknown[];
  return fromSqlite(row[0]);
}

/** Like ask, but returns the error message when SQLite raises one. */
export function askOrError(expr: string, ...args: SqlValue[]): SqlValue | { error: string } {
  try {
    return ask(expr, ...args);
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** A printable, exact description: class and value ('integer 5', 'real 2.0', "text 'a'", 'blob 6162'). */
export function describe(v: SqlValue | { error: string }): string {
  if (v !== null && typeof v === 'object' && 'error' in v) return `error ${v.error}`;
  const c = storageClass(v);
  switch (c) {
    case 'null':
      return 'null';
    case 'integer':
      return `integer ${String(v)}`;
    case 'real': {
      const d = v instanceof RealBox ? v.value : (v as number);
      // -0.0 and 0.0 cannot be told apart through SQL; both describe as 0
      return `real ${d === 0 ? '0' : String(d)}`;
    }
    case 'text':
      return `text ${JSON.stringify(v)}`;
    case 'blob':
      return `blob ${Buffer.from(v as Uint8Array).toString('hex')}`;
  }
}

export const blob = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'));

/** Values that exercise every conversion edge: int64 bounds, integral reals, numeric-ish text. */
export const SAMPLE_VALUES: SqlValue[] = [
  null,
  0, 1, -1, 2, 3, 7, -7, 10, 42, -100, 255, 2147483647, -2147483648, 4294967296,
  9007199254740991, -9007199254740991, 9007199254740992n, -9007199254740992n, 9007199254740993n,
  3037000499, 3037000500, -3037000500, 4611686018427387904n, -4611686018427387904n,
  9223372036854775807n, -9223372036854775808n, 9223372036854775806n, -9223372036854775807n,
  1234567890123456789n,
  0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 5.5, 0.1, 1 / 3, -2 / 3, 0.30000000000000004, 1e-300, 3.14159,
  1.0000000000000002, 123456.789, 2.675, -0.4999999999999999,
  new RealBox(0), new RealBox(-0), new RealBox(1), new RealBox(-1), new RealBox(2), new RealBox(100),
  new RealBox(1e15), new RealBox(1e20), new RealBox(-1e20), new RealBox(9007199254740992),
  new RealBox(9223372036854775808), new RealBox(-9223372036854775808), new RealBox(9.3e18),
  new RealBox(1e300), Infinity, -Infinity,
  '', ' ', 'abc', 'ABC', 'Abc', 'abd', 'a', 'b', 'A', 'B', '12', ' 12 ', '12abc', '1.5', '1.5abc', '1e3',
  '1.0', '-0', '-0.0', '0x10', '.5', '5.', '.', '-', '+5', '1e', '1e+', '1e+2x', '00012', '12 3',
  '9223372036854775807', '9223372036854775808', '-9223372036854775808', '-9223372036854775809',
  '99999999999999999999', '1e18', '1.9e19', '  -42  ', '\t7\n', 'abc ', 'abc  ', ' abc', 'é', 'É',
  '\u00e9t\u00e9', '\uE000', '\u{1F600}', '\uFFFF', 'a\u{1F600}b', '1e400', '-1e400', 'Inf', 'NaN',
  '9007199254740993', '0.1', '100', '1e2', '123456789012345678',
  blob(''), blob('00'), blob('3132'), blob('41'), blob('61'), blob('ff'), blob('312e35'), blob('6162'),
  blob('616263'), blob('20313220'),
];

/** Deterministic PRNG so failures reproduce. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

