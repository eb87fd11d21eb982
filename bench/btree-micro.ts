// Micro-benchmark of the B+tree against a JS Map for 1M integer keys.
// Run: npx ts-node --transpile-only bench/btree-micro.ts [n]
// Not a test; numbers vary by machine. Setup (key arrays) happens outside the timed parts.
import os from 'node:os';
import { BTree } from '../src/storage/btree';

const N = Number(process.argv[2] ?? 1_000_000);
const cmp = (a: number, b: number): number => a - b;

function shuffled(n: number, seed: number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  let s = seed;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

function time(label: string, ops: number, fn: () => number): void {
  const t0 = process.hrtime.bigint();
  const sink = fn();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const rate = (ops / ms) * 1000;
  console.log(`${label.padEnd(34)} ${(rate / 1e6).toFixed(2).padStart(6)} M ops/s  (${ms.toFixed(0)} ms, ${sink})`);
}

function run(): void {
  const random = shuffled(N, 42);
  const lookups = shuffled(N, 7);

  let tree = new BTree<number, number>(cmp);
  time('btree set, ascending (append)', N, () => {
    for (let i = 0; i < N; i++) tree.set(i, i);
    return tree.size;
  });
  const map = new Map<number, number>();
  time('map set, ascending', N, () => {
    for (let i = 0; i < N; i++) map.set(i, i);
    return map.size;
  });
  time('btree get, random', N, () => {
    let s = 0;
    for (let i = 0; i < N; i++) s += tree.get(lookups[i]!)!;
    return s;
  });
  time('map get, random', N, () => {
    let s = 0;
    for (let i = 0; i < N; i++) s += map.get(lookups[i]!)!;
    return s;
  });
  time('btree iterate (cursor)', N, () => {
    let s = 0;
    const c = tree.cursor();
    for (let ok = c.first(); ok; ok = c.next()) s += c.value();
    return s;
  });
  time('map iterate', N, () => {
    let s = 0;
    for (const v of map.values()) s += v;
    return s;
  });
  time('btree seek, random', N, () => {
    let s = 0;
    const c = tree.cursor();
    for (let i = 0; i < N; i++) if (c.seek(lookups[i]!)) s += c.value();
    return s;
  });

  tree = new BTree<number, number>(cmp);
  time('btree set, random order', N, () => {
    for (let i = 0; i < N; i++) tree.set(random[i]!, i);
    return tree.size;
  });
  time('btree get, random (random-built)', N, () => {
    let s = 0;
    for (let i = 0; i < N; i++) s += tree.get(lookups[i]!)!;
    return s;
  });
  time('btree delete, random', N, () => {
    let s = 0;
    for (let i = 0; i < N; i++) if (tree.delete(lookups[i]!)) s++;
    return s;
  });
  const keys = Array.from({ length: N }, (_, i) => i);
  time('btree bulkLoad', N, () => BTree.bulkLoad(cmp, keys, keys).size);
}

console.log(`btree-micro: n=${N}, node ${process.version}, ${os.cpus()[0]?.model ?? '?'}, ${new Date().toISOString()}`);
run();
// The engine runs table trees (number keys) and index trees (array keys) through the same code, so
// the comparator call sites and key loads become polymorphic. Exercise an index-shaped tree first.
function pollute(): void {
  const icmp = (a: [number, number], b: [number, number]): number => a[0] - b[0] || a[1] - b[1];
  const t = new BTree<[number, number], null>(icmp);
  const strs = new BTree<string, number>((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (let i = 0; i < 200_000; i++) {
    t.set([i % 1000, i], null);
    strs.set(`k${(i * 7919) % 200_000}`, i);
  }
  const c = t.cursor();
  for (let i = 0; i < 200_000; i++) {
    t.get([i % 1000, i]);
    strs.get(`k${i}`);
    c.seek([i % 1000, 0]);
    c.next();
    if (i % 2 === 0) t.delete([i % 1000, i]);
  }
}
console.log('--- second round, after index-shaped trees (array and string keys) used the same code ---');
pollute();
run();
