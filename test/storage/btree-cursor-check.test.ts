import { BTree } from '../../src/storage/btree';
import type { BNode } from '../../src/storage/btree-node';
import { forward, numCmp, rng } from './btree-helpers';

function build(n: number, fanout = 4, step = 1): BTree<number, number> {
  const tree = new BTree<number, number>(numCmp, { fanout });
  for (let i = 0; i < n; i++) tree.set(i * step, i * step * 10);
  return tree;
}

describe('BTree cursor after modifications', () => {
  test('deleting the current entry during a forward scan: next() continues after it', () => {
    const tree = build(200);
    const c = tree.cursor();
    const seen: number[] = [];
    for (let ok = c.first(); ok; ok = c.next()) {
      const k = c.key();
      seen.push(k);
      if (k % 3 === 0) expect(tree.delete(k)).toBe(true); // DELETE ... WHERE k % 3 = 0
    }
    expect(seen).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(forward(tree).map(([k]) => k)).toEqual(seen.filter((k) => k % 3 !== 0));
    tree.check();
  });

  test('deleting the current entry during a reverse scan: prev() continues before it', () => {
    const tree = build(200);
    const c = tree.cursor();
    const seen: number[] = [];
    for (let ok = c.last(); ok; ok = c.prev()) {
      seen.push(c.key());
      tree.delete(c.key());
    }
    expect(seen).toEqual(Array.from({ length: 200 }, (_, i) => 199 - i));
    expect(tree.size).toBe(0);
    tree.check();
  });

  test('entries inserted ahead of the cursor are seen, behind it are not', () => {
    const tree = build(50, 4, 2); // 0, 2, ..., 98
    const c = tree.cursor();
    const seen: number[] = [];
    for (let ok = c.seek(10); ok; ok = c.next()) {
      const k = c.key();
      seen.push(k);
      if (k === 20) {
        tree.set(21, 0); // ahead: visited
        tree.set(11, 0); // behind: not visited
      }
      if (k >= 30) break;
    }
    expect(seen).toEqual([10, 12, 14, 16, 18, 20, 21, 22, 24, 26, 28, 30]);
  });

  test('value() on a cursor whose tree gained or lost entries throws; replacing a value does not', () => {
    const tree = build(40);
    const c = tree.cursor();
    expect(c.seek(7)).toBe(true);
    const v0 = tree.version;
    tree.set(7, -7); // replacement: cursor keeps its place
    expect(tree.version).toBeGreaterThan(v0);
    expect(c.value()).toBe(-7);
    tree.set(100, 1);
    expect(c.key()).toBe(7); // key() is remembered
    expect(() => c.value()).toThrow('stale');
    expect(c.next()).toBe(true); // re-seeks by key
    expect(c.key()).toBe(8);
    expect(c.value()).toBe(80);
  });

  test('a cursor on a cleared tree ends cleanly', () => {
    const tree = build(40);
    const c = tree.cursor();
    c.seek(5);
    tree.clear();
    expect(c.next()).toBe(false);
    expect(c.valid).toBe(false);
    expect(() => c.key()).toThrow('not positioned');
  });

  test('random deletes and inserts interleaved with a scan keep order and visit every survivor', () => {
    for (const seed of [1, 2, 3]) {
      const rand = rng(seed);
      const tree = build(500, 5);
      const alive = new Set<number>(Array.from({ length: 500 }, (_, i) => i));
      const c = tree.cursor();
      const seen: number[] = [];
      for (let ok = c.first(); ok; ok = c.next()) {
        const k = c.key();
        seen.push(k);
        const r = rand();
        const other = Math.floor(rand() * 500);
        if (r < 0.3) {
          tree.delete(k);
          alive.delete(k);
        } else if (r < 0.5 && other > k) {
          tree.delete(other); // a later entry disappears before the scan reaches it
          alive.delete(other);
        }
      }
      for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThan(seen[i - 1]!);
      // Every key still alive was visited (entries deleted before the scan reached them were not).
      for (const k of alive) expect(seen).toContain(k);
      tree.check();
    }
  });
});

describe('BTree.check detects corruption', () => {
  // Reach the internals through the fields the checker itself reads.
  type Internals = { root: BNode<number, number>; head: BNode<number, number>; tail: BNode<number, number> };
  const internals = (t: BTree<number, number>): Internals => t as unknown as Internals;
  const secondLeaf = (t: BTree<number, number>): BNode<number, number> => internals(t).head.next!;

  test('keys out of order within a leaf', () => {
    const t = build(30);
    const leaf = secondLeaf(t);
    [leaf.keys[0], leaf.keys[1]] = [leaf.keys[1]!, leaf.keys[0]!];
    expect(() => t.check()).toThrow(/root\.[0-9.]+: keys out of order at index 1/);
  });

  test('a key outside its separator bounds', () => {
    const t = build(30);
    secondLeaf(t).keys[0] = 2.5; // between the first leaf's keys
    expect(() => t.check()).toThrow('below its separator lower bound');
  });

  test('a broken next or prev link', () => {
    const t = build(30);
    secondLeaf(t).next = null;
    expect(() => t.check()).toThrow('next link');
    const u = build(30);
    secondLeaf(u).prev = null;
    expect(() => u.check()).toThrow('prev link');
  });

  test('an underfull leaf off the right spine', () => {
    const t = build(30);
    const leaf = secondLeaf(t);
    leaf.keys.length = 1;
    leaf.vals.length = 1;
    expect(() => t.check()).toThrow('leaf underfull');
  });

  test('keys and values out of step, and a wrong size', () => {
    const t = build(30);
    secondLeaf(t).vals.pop();
    expect(() => t.check()).toThrow('keys but');
    const u = build(30);
    const tail = internals(u).tail;
    tail.keys.pop();
    tail.vals.pop();
    expect(() => u.check()).toThrow('size is 30 but leaves hold 29');
  });

  test('leaves at different depths', () => {
    const t = build(100);
    const root = internals(t).root;
    root.children[0] = root.children[0]!.children[0]!; // lift a subtree one level
    expect(() => t.check()).toThrow(/depth/);
  });
});
