// Shared helpers for the B+tree tests: a seeded PRNG and a plain sorted-array reference model.
import type { BTree, Comparator } from '../../src/storage/btree';

/** mulberry32: small, fast, deterministic. */
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

export const numCmp: Comparator<number> = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/** Reference model: keys kept sorted in an array, values alongside. */
export class Model<K, V> {
  keys: K[] = [];
  vals: V[] = [];
  constructor(private readonly cmp: Comparator<K>) {}

  /** Index of the first key >= k. */
  lower(k: K): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cmp(this.keys[mid]!, k) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  /** Index of the first key > k. */
  upper(k: K): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cmp(this.keys[mid]!, k) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  has(k: K): boolean {
    const i = this.lower(k);
    return i < this.keys.length && this.cmp(this.keys[i]!, k) === 0;
  }
  get(k: K): V | undefined {
    const i = this.lower(k);
    return i < this.keys.length && this.cmp(this.keys[i]!, k) === 0 ? this.vals[i] : undefined;
  }
  set(k: K, v: V): boolean {
    const i = this.lower(k);
    if (i < this.keys.length && this.cmp(this.keys[i]!, k) === 0) {
      this.vals[i] = v;
      return false;
    }
    this.keys.splice(i, 0, k);
    this.vals.splice(i, 0, v);
    return true;
  }
  delete(k: K): boolean {
    const i = this.lower(k);
    if (i < this.keys.length && this.cmp(this.keys[i]!, k) === 0) {
      this.keys.splice(i, 1);
      this.vals.splice(i, 1);
      return true;
    }
    return false;
  }
}

/** All entries in order by walking the cursor forward. */
export function forward<K, V>(tree: BTree<K, V>): [K, V][] {
  const out: [K, V][] = [];
  const c = tree.cursor();
  for (let ok = c.first(); ok; ok = c.next()) out.push([c.key(), c.value()]);
  return out;
}

/** All entries in reverse order by walking the cursor backward. */
export function backward<K, V>(tree: BTree<K, V>): [K, V][] {
  const out: [K, V][] = [];
  const c = tree.cursor();
  for (let ok = c.last(); ok; ok = c.prev()) out.push([c.key(), c.value()]);
  return out;
}

export function modelEntries<K, V>(m: Model<K, V>): [K, V][] {
  return m.keys.map((k, i) => [k, m.vals[i] as V]);
}

function fail(msg: string): never {
  throw new Error(msg);
}

/**
 * Compares seek/seekLast (inclusive and exclusive) with the model at every probe, and that a cursor
 * positioned by seek continues correctly with next()/prev(). Plain throws instead of expect(): this
 * runs hundreds of thousands of comparisons.
 */
export function expectSeeksMatch<K, V>(tree: BTree<K, V>, m: Model<K, V>, probes: readonly K[]): void {
  const c = tree.cursor();
  const n = m.keys.length;
  for (const p of probes) {
    for (const exclusive of [false, true]) {
      const what = `seek(${String(p)}, ${exclusive})`;
      const i = exclusive ? m.upper(p) : m.lower(p);
      const found = c.seek(p, exclusive);
      if (found !== i < n || c.valid !== found) fail(`${what} found=${found}, want ${i < n}`);
      if (found) {
        if (c.key() !== m.keys[i] || c.value() !== m.vals[i]) fail(`${what} gave ${String(c.key())}`);
        const more = c.next();
        if (more !== i + 1 < n || (more && c.key() !== m.keys[i + 1])) fail(`${what} then next()`);
      }
      const wl = `seekLast(${String(p)}, ${exclusive})`;
      const j = (exclusive ? m.lower(p) : m.upper(p)) - 1;
      const foundLast = c.seekLast(p, exclusive);
      if (foundLast !== j >= 0 || c.valid !== foundLast) fail(`${wl} found=${foundLast}, want ${j >= 0}`);
      if (foundLast) {
        if (c.key() !== m.keys[j] || c.value() !== m.vals[j]) fail(`${wl} gave ${String(c.key())}`);
        const more = c.prev();
        if (more !== j - 1 >= 0 || (more && c.key() !== m.keys[j - 1])) fail(`${wl} then prev()`);
      }
    }
  }
}
