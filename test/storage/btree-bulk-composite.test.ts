import { BTree, type Comparator } from '../../src/storage/btree';
import { Model, backward, expectSeeksMatch, forward, modelEntries, numCmp, rng } from './btree-helpers';

/** Mixed random operations after a bulk load, checked against the model. */
function churn(tree: BTree<number, number>, m: Model<number, number>, seed: number, ops: number): void {
  const rand = rng(seed);
  const space = Math.max(10, m.keys.length * 3);
  for (let step = 0; step < ops; step++) {
    const k = Math.floor(rand() * space);
    const r = rand();
    if (r < 0.45) {
      if (tree.set(k, step) !== m.set(k, step)) throw new Error(`set(${k}) disagrees`);
    } else if (r < 0.9) {
      if (tree.delete(k) !== m.delete(k)) throw new Error(`delete(${k}) disagrees`);
    } else if (tree.get(k) !== m.get(k)) throw new Error(`get(${k}) disagrees`);
    if (step % 50 === 0) tree.check();
  }
  tree.check();
  expect(forward(tree)).toEqual(modelEntries(m));
}

describe('BTree.bulkLoad', () => {
  for (const fanout of [4, 7, 64]) {
    const sizes = [0, 1, 2, fanout - 1, fanout, fanout + 1, fanout * fanout, fanout * fanout + 1, 10_000];
    test(`fanout ${fanout}: sizes ${sizes.join(', ')}`, () => {
      for (const n of sizes) {
        const keys = Array.from({ length: n }, (_, i) => i * 3);
        const vals = keys.map((k) => k + 1);
        const tree = BTree.bulkLoad(numCmp, keys, vals, { fanout });
        tree.check();
        expect(tree.size).toBe(n);
        const m = new Model<number, number>(numCmp);
        m.keys = [...keys];
        m.vals = [...vals];
        const want = modelEntries(m);
        expect(forward(tree)).toEqual(want);
        expect(backward(tree)).toEqual([...want].reverse());
        if (n > 0) {
          expect(tree.get(keys[n - 1]!)).toBe(vals[n - 1]);
          expect(tree.get(1)).toBeUndefined();
        }
        // Packed: every leaf but the last is full, so the leaf count is ceil(n / fanout).
        const leafLines = tree.print().split('\n').filter((l) => l.trim().startsWith('leaf'));
        expect(leafLines.length).toBe(Math.max(1, Math.ceil(n / fanout)));
        if (n <= 200) expectSeeksMatch(tree, m, [-1, ...keys, ...keys.map((k) => k + 1), n * 3 + 5]);
        churn(tree, m, n + fanout, n === 10_000 ? 4000 : 400);
      }
    });
  }

  test('rejects unsorted, duplicate or mismatched input', () => {
    expect(() => BTree.bulkLoad(numCmp, [1, 3, 2], [0, 0, 0])).toThrow('not strictly ascending at index 2');
    expect(() => BTree.bulkLoad(numCmp, [1, 1], [0, 0])).toThrow('not strictly ascending at index 1');
    expect(() => BTree.bulkLoad(numCmp, [1, 2], [0])).toThrow(RangeError);
  });

  test('does not alias the input arrays', () => {
    const keys = [1, 2, 3, 4, 5];
    const vals = [10, 20, 30, 40, 50];
    const tree = BTree.bulkLoad(numCmp, keys, vals, { fanout: 4 });
    tree.set(6, 60);
    tree.delete(1);
    expect(keys).toEqual([1, 2, 3, 4, 5]);
    expect(vals).toEqual([10, 20, 30, 40, 50]);
    tree.check();
  });
});

// An index key as the engine builds it: [column value, rowid]; values compare first, rowid breaks ties.
type IndexKey = [string | number, number];
const indexCmp: Comparator<IndexKey> = (a, b) => {
  const x = a[0];
  const y = b[0];
  if (x !== y) {
    // Numbers sort before strings, as in SQLite.
    if (typeof x === 'number' && typeof y === 'string') return -1;
    if (typeof x === 'string' && typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return a[1] - b[1];
};

describe('BTree with composite (index) keys', () => {
  test('random operations, prefix range lookups and reverse scans', () => {
    for (const fanout of [4, 16]) {
      const rand = rng(fanout * 31);
      const tree = new BTree<IndexKey, null>(indexCmp, { fanout });
      const m = new Model<IndexKey, null>(indexCmp);
      const values: (string | number)[] = ['apple', 'banana', 'cherry', 1, 2.5, 7, 'date'];
      for (let step = 0; step < 6000; step++) {
        const key: IndexKey = [values[Math.floor(rand() * values.length)]!, Math.floor(rand() * 300)];
        if (rand() < 0.6) {
          // Model and tree must store the same array object so cursor keys compare by identity.
          if (tree.insert(key, null) !== !m.has(key)) throw new Error('insert disagrees');
          if (!m.has(key)) m.set(key, null);
        } else if (tree.delete(key) !== m.delete(key)) throw new Error('delete disagrees');
        if (step % 100 === 0) tree.check();
      }
      tree.check();
      expect(forward(tree)).toEqual(modelEntries(m));
      expect(backward(tree)).toEqual(modelEntries(m).reverse());
      expectSeeksMatch(tree, m, m.keys.filter((_, i) => i % 3 === 0));

      // Equality lookup on the indexed value, as the executor does it: seek to [v, -Infinity] and
      // scan while the first column still equals v; in reverse from [v, +Infinity].
      const c = tree.cursor();
      for (const v of values) {
        const want = m.keys.filter((k) => k[0] === v).map((k) => k[1]);
        const got: number[] = [];
        for (let ok = c.seek([v, -Infinity]); ok && c.key()[0] === v; ok = c.next()) got.push(c.key()[1]);
        expect(got).toEqual(want);
        const rev: number[] = [];
        for (let ok = c.seekLast([v, Infinity]); ok && c.key()[0] === v; ok = c.prev()) rev.push(c.key()[1]);
        expect(rev).toEqual([...want].reverse());
      }
      expect(tree.has([values[0]!, 1e9])).toBe(false);
    }
  });

  test('print formats composite keys', () => {
    const tree = BTree.bulkLoad<IndexKey, null>(
      indexCmp,
      [
        [1, 5],
        ['a', 2],
        ['a', 3],
      ],
      [null, null, null],
      { fanout: 4 },
    );
    expect(tree.print()).toBe('btree size=3 height=0 fanout=4\n  leaf [(1, 5) ("a", 2) ("a", 3)]');
  });
});
