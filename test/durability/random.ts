// A small seeded PRNG and generators of values and change records for property tests.
import type { ChangeRecord } from '../../src/durability/change-record';
import type { SqlValue } from '../../src/value/types';
import { RealBox } from '../../src/value/types';

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }
  /** Uniform in [0, 2^32). */
  u32(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  int(n: number): number {
    return this.u32() % n;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  bytes(n: number): Uint8Array {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = this.u32() & 0xff;
    return b;
  }
}

const EDGE_INTS: ReadonlyArray<number | bigint> = [
  0, 1, -1, 127, 128, -128, -129, 16383, 16384, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), 2 ** 32, 2 ** 32 - 1,
  Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 53 - 2,
  9007199254740992n, -9007199254740992n, 9223372036854775807n, -9223372036854775808n, 2n ** 62n, -(2n ** 62n),
];
const EDGE_REALS: readonly SqlValue[] = [
  0.5, -0.5, 1e-310, Number.MIN_VALUE, new RealBox(Number.MAX_VALUE), Infinity, -Infinity, 3.141592653589793,
  new RealBox(2), new RealBox(0), new RealBox(-0), new RealBox(1e20), new RealBox(-1e300), new RealBox(2 ** 53),
];
const TEXTS = ['', 'a', 'héllo', '日本語', '😀 emoji', 'x'.repeat(42), 'y'.repeat(43), 'é'.repeat(50), '\u0000nul'];

export function randomText(rng: Rng): string {
  const n = rng.int(4) === 0 ? rng.int(300) : rng.int(20);
  let s = '';
  for (let i = 0; i < n; i++) {
    const k = rng.int(10);
    s += k < 6 ? String.fromCharCode(32 + rng.int(95)) : k < 8 ? String.fromCharCode(0xa0 + rng.int(0x700)) : k < 9 ? '中' : '🙂';
  }
  return s;
}

export function randomInteger(rng: Rng): number | bigint {
  switch (rng.int(4)) {
    case 0:
      return rng.pick(EDGE_INTS);
    case 1:
      return rng.int(200) - 100;
    case 2:
      return (rng.u32() * 2 ** 21 + rng.int(2 ** 21)) * (rng.int(2) ? 1 : -1);
    default: {
      const big = (BigInt(rng.u32()) << 32n) | BigInt(rng.u32());
      const v = BigInt.asIntN(64, big);
      return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
    }
  }
}

export function randomValue(rng: Rng): SqlValue {
  switch (rng.int(6)) {
    case 0:
      return null;
    case 1:
      return randomInteger(rng);
    case 2: {
      if (rng.int(3) === 0) return rng.pick(EDGE_REALS);
      const d = (rng.u32() - 2 ** 31) / (rng.u32() + 1);
      return Number.isInteger(d) ? new RealBox(d) : d;
    }
    case 3:
      return rng.int(3) === 0 ? rng.pick(TEXTS) : randomText(rng);
    case 4:
      return rng.bytes(rng.int(4) === 0 ? rng.int(1000) : rng.int(10));
    default:
      return rng.int(2) ? rng.int(1000) : randomText(rng);
  }
}

export function randomRow(rng: Rng, maxCols = 8): SqlValue[] {
  const n = rng.int(maxCols + 1);
  const row: SqlValue[] = [];
  for (let i = 0; i < n; i++) row.push(randomValue(rng));
  return row;
}

export function randomRecord(rng: Rng): ChangeRecord {
  const table = rng.pick(['t', 'users', 'order_items', 'ünï', 'x'.repeat(60)]);
  switch (rng.int(8)) {
    case 0:
      return { kind: 'delete', table, rowid: randomInteger(rng) };
    case 1:
      return { kind: 'ddl', sql: `CREATE TABLE ${table}${rng.int(100)} (a, b TEXT, "c d")` };
    case 2:
      return { kind: 'sequence', table, value: randomInteger(rng) };
    default:
      return { kind: 'put', table, rowid: randomInteger(rng), row: randomRow(rng) };
  }
}

export function randomChangeSet(rng: Rng, max = 10): ChangeRecord[] {
  const n = rng.int(max + 1);
  const out: ChangeRecord[] = [];
  for (let i = 0; i < n; i++) out.push(randomRecord(rng));
  return out;
}

/** Values compared by storage class and exact content (RealBox by Object.is on its double). */
export function normalize(x: unknown): unknown {
  if (x instanceof RealBox) return { real: Object.is(x.value, -0) ? '-0' : x.value };
  if (x instanceof Uint8Array) return { blob: Buffer.from(x).toString('hex') };
  if (typeof x === 'bigint') return { big: x.toString() };
  if (typeof x === 'number' && Object.is(x, -0)) return 0;
  if (Array.isArray(x)) return x.map(normalize);
  if (typeof x === 'object' && x !== null) {
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, normalize(v)]));
  }
  return x;
}
