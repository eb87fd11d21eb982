// Shared helpers for the differential tests of src/value/functions: SQLite (better-sqlite3) is
// the oracle. Values cross as SQLite types: INTEGER as bigint, REAL as number, so 2 and 2.0 stay
// apart in both directions.

import Database from 'better-sqlite3';
import { RealBox, type SqlValue } from '../../../src/value/types';

export type OracleValue = null | bigint | number | string | Buffer;

/** A SqlValue as better-sqlite3 must bind it to keep its SQLite type. */
export function bindable(v: SqlValue): OracleValue {
  if (v === null || typeof v === 'string' || typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (v instanceof RealBox) return v.value;
  return Buffer.from(v);
}

/** Our result in the oracle's representation. */
export function comparable(v: SqlValue): OracleValue {
  return bindable(v);
}

/** A value as the oracle returned it, printable for failure messages. */
export function show(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof RealBox) return `real(${v.value})`;
  if (v instanceof Uint8Array) return `x'${Buffer.from(v).toString('hex')}'`;
  return JSON.stringify(v);
}

export class Oracle {
  private readonly db = new Database(':memory:');
  private readonly stmts = new Map<string, Database.Statement>();

  /** SELECT <fn>(?, ?, …) with the given arguments: the value, or 'ERR <message>'. */
  call(fn: string, args: readonly SqlValue[]): OracleValue | string {
    const key = `${fn}/${args.length}`;
    let st = this.stmts.get(key);
    if (st === undefined) {
      st = this.db.prepare(`SELECT ${fn}(${args.map(() => '?').join(', ')})`).pluck().safeIntegers(true);
      this.stmts.set(key, st);
    }
    try {
      return st.get(...args.map(bindable)) as OracleValue;
    } catch (e) {
      return `ERR ${(e as Error).message}`;
    }
  }

  close(): void {
    this.db.close();
  }
}

/** Runs ours, turning a thrown error into 'ERR <message>' like Oracle.call. */
export function ours(f: () => SqlValue | boolean): OracleValue | string {
  try {
    const r = f();
    if (typeof r === 'boolean') return r ? 1n : 0n;
    return comparable(r);
  } catch (e) {
    return `ERR ${(e as Error).message}`;
  }
}

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)] as T;
}

/** Collects mismatches; the test asserts the list is empty and shows the first few. */
export class Mismatches {
  readonly list: string[] = [];
  count = 0;
  check(label: string, expected: unknown, actual: unknown): void {
    this.count++;
    const same =
      typeof expected === 'number' && typeof actual === 'number'
        ? Object.is(expected, actual) || expected === actual
        : Buffer.isBuffer(expected) && actual instanceof Uint8Array
          ? Buffer.compare(expected, Buffer.from(actual)) === 0
          : expected === actual;
    if (!same) this.list.push(`${label}: sqlite ${show(expected)}, ours ${show(actual)}`);
  }
  report(): string[] {
    return this.list.slice(0, 25);
  }
}
