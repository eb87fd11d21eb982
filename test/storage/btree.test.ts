import { BTree } from '../../src/storage/btree';
import {
  Model,
  backward,
  expectSeeksMatch,
  forward,
  modelEntries,
  numCmp,
  rng,
} from './btree-helpers';

/** Probes: every key, the midpoints between keys, and points below and above all keys. */
function probesFor(keys: readonly number[]): number[] {
  const out: number[] = [-1e9, 1e9];
  if (keys.length > 0) out.push(keys[0]! - 1, keys[keys.length - 1]! + 1);
  for (let i = 0; i < keys.length; i++) {
    out.push(keys[i]!, keys[i]! + 0.5);
  }
  return out;
}

function expectSameAsModel(tree: BTree<number, number>, m: Model<number, number>): void {
  tree.check();
  expect(tree.size).toBe(m.keys.length);
  const want = modelEntries(m);
  expect(forward(tree)).toEqual(want);
  expect(backward(tree)).toEqual(want.reverse());
  expect(tree.minKey()).toBe(m.keys[0]);
  expect(tree.maxKey()).toBe(m.keys[m.keys.length - 1]);
}

/**
 * Mixed random operations against the model. Phase 1 grows (mostly inserts), phase 2 churns,
 * phase 3 shrinks to empty so merges, borrows and root collapses all happen.
 */
function randomRun(seed: number, fanout: number, ops: number, keySpace: number): void {
  const rand = rng(seed);
  const tree = new BTree<number, number>(numCmp, { fanout });
  const m = new Model<number, number>(numCmp);
  let version = tree.version;
  for (let step = 0; step < ops; step++) {
    const phase = step < ops / 3 ? 0 : step < (2 * ops) / 3 ? 1 : 2;
    const r = rand();
    const k = Math.floor(rand() * keySpace);
    const pInsert = phase === 0 ? 0.7 : phase === 1 ? 0.4 : 0.1;
    // Plain throws in this loop: jest's expect() would dominate the run time.
    const at = `step ${step} (seed ${seed}, fanout ${fanout}) key ${k}`;
    if (r < pInsert) {
      const v = Math.floor(rand() * 1e6);
      if (rand() < 0.5) {
        const isNew = m.set(k, v);
        if (tree.set(k, v) !== isNew) throw new Error(`${at}: set() should return ${isNew}`);
        if (!(tree.version > version)) throw new Error(`${at}: set() did not bump the version`);
      } else {
        const isNew = !m.has(k);
        if (isNew) m.set(k, v);
        if (tree.insert(k, v) !== isNew) throw new Error(`${at}: insert() should return ${isNew}`);
        if ((tree.version > version) !== isNew) throw new Error(`${at}: insert() version bump wrong`);
      }
    } else if (r < pInsert + 0.45) {
      const existed = m.delete(k);
      if (tree.delete(k) !== existed) throw new Error(`${at}: delete() should return ${existed}`);
      if ((tree.version > version) !== existed) throw new Error(`${at}: delete() version bump wrong`);
    } else {
      if (tree.get(k) !== m.get(k)) throw new Error(`${at}: get() gave ${tree.get(k)}`);
      if (tree.has(k) !== m.has(k)) throw new Error(`${at}: has() gave ${tree.has(k)}`);
    }
    version = tree.version;
    if (step % 97 === 0) tree.check();
    if (step % 701 === 0) {
      expectSameAsModel(tree, m);
      expectSeeksMatch(tree, m, probesFor(m.keys));
    }
  }
  // Drain what is left so the tree shrinks all the way to an empty root leaf.
  for (const k of [...m.keys]) {
    if (!tree.delete(k)) throw new Error(`drain: delete(${k}) returned false`);
    m.delete(k);
    if (m.keys.length % 13 === 0) tree.check();
  }
  expectSameAsModel(tree, m);
  expect(tree.size).toBe(0);
  expect(tree.print()).toBe(`btree size=0 height=0 fanout=${fanout}\n  leaf []`);
}

describe('BTree randomized against a sorted-array model', () => {
  for (const fanout of [4, 5, 8, 64]) {
    for (const seed of [1, 2, 3]) {
      test(`fanout ${fanout}, seed ${seed}`, () => {
        randomRun(seed * 7919 + fanout, fanout, fanout === 64 ? 30000 : 15000, fanout === 64 ? 3000 : 600);
      });
    }
  }

  test('ascending appends, descending inserts and random order agree with the model', () => {
    for (const fanout of [4, 6, 64]) {
      const rand = rng(fanout);
      const orders: number[][] = [
        Array.from({ length: 3000 }, (_, i) => i * 2),
        Array.from({ length: 3000 }, (_, i) => 6000 - i * 2),
        Array.from({ length: 3000 }, () => Math.floor(rand() * 100000)),
      ];
      for (const order of orders) {
        const tree = new BTree<number, number>(numCmp, { fanout });
        const m = new Model<number, number>(numCmp);
        for (const k of order) {
          if (tree.set(k, -k) !== m.set(k, -k)) throw new Error(`set(${k}) disagrees with the model`);
        }
        expectSameAsModel(tree, m);
        expectSeeksMatch(tree, m, probesFor(m.keys).slice(0, 400));
        for (const k of order) if (tree.get(k) !== -k) throw new Error(`get(${k}) gave ${tree.get(k)}`);
        expect(tree.get(-5)).toBeUndefined();
        expect(tree.get(1e9)).toBeUndefined();
      }
    }
  });
});

describe('BTree semantics', () => {
  test('set replaces and reports not-new; insert refuses to replace', () => {
    const tree = new BTree<number, string>(numCmp, { fanout: 4 });
    for (let i = 0; i < 50; i++) expect(tree.set(i, `a${i}`)).toBe(true);
    expect(tree.set(10, 'b')).toBe(false); // middle, general path
    expect(tree.set(49, 'c')).toBe(false); // last key, append fast path
    expect(tree.get(10)).toBe('b');
    expect(tree.get(49)).toBe('c');
    const v = tree.version;
    expect(tree.insert(10, 'x')).toBe(false);
    expect(tree.insert(49, 'x')).toBe(false);
    expect(tree.get(10)).toBe('b');
    expect(tree.get(49)).toBe('c');
    expect(tree.version).toBe(v);
    expect(tree.insert(50, 'd')).toBe(true);
    expect(tree.size).toBe(51);
    tree.check();
  });

  test('values may be undefined or null without being mistaken for absence by has()', () => {
    const tree = new BTree<number, number | undefined>(numCmp, { fanout: 4 });
    for (let i = 0; i < 20; i++) tree.set(i, undefined);
    expect(tree.has(5)).toBe(true);
    expect(tree.has(50)).toBe(false);
    for (let i = 0; i < 20; i += 2) expect(tree.delete(i)).toBe(true);
    tree.check();
    expect(forward(tree).map(([k]) => k)).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
  });

  test('empty tree', () => {
    const tree = new BTree<number, number>(numCmp);
    tree.check();
    expect(tree.size).toBe(0);
    expect(tree.minKey()).toBeUndefined();
    expect(tree.maxKey()).toBeUndefined();
    expect(tree.get(1)).toBeUndefined();
    expect(tree.delete(1)).toBe(false);
    const c = tree.cursor();
    expect(c.first()).toBe(false);
    expect(c.last()).toBe(false);
    expect(c.seek(0)).toBe(false);
    expect(c.seekLast(0)).toBe(false);
    expect(c.valid).toBe(false);
    expect(c.next()).toBe(false);
    expect(() => c.key()).toThrow('not positioned');
    expect(() => c.value()).toThrow('not positioned');
  });

  test('clear empties the tree and bumps the version', () => {
    const tree = new BTree<number, number>(numCmp, { fanout: 4 });
    for (let i = 0; i < 100; i++) tree.set(i, i);
    const v = tree.version;
    tree.clear();
    expect(tree.version).toBeGreaterThan(v);
    tree.check();
    expect(tree.size).toBe(0);
    expect(forward(tree)).toEqual([]);
    for (let i = 0; i < 30; i++) tree.set(i, i);
    tree.check();
    expect(tree.size).toBe(30);
  });

  test('fanout is validated', () => {
    expect(() => new BTree<number, number>(numCmp, { fanout: 3 })).toThrow(RangeError);
    expect(() => new BTree<number, number>(numCmp, { fanout: 4.5 })).toThrow(RangeError);
    expect(new BTree<number, number>(numCmp).fanout).toBe(64);
  });

  test('appends at the right end keep leaves full (only the right spine may be partly full)', () => {
    for (const fanout of [4, 64]) {
      const n = 10_000;
      const tree = new BTree<number, number>(numCmp, { fanout });
      for (let i = 0; i < n; i++) tree.set(i, i);
      tree.check();
      // Count leaves through the chain: appends must pack them, so ceil(n / fanout) of them.
      let leaves = 0;
      const c = tree.cursor();
      let prevLeafEnd = -1;
      for (let ok = c.first(); ok; ok = c.next()) {
        if (c.key() % fanout === 0) leaves++;
        prevLeafEnd = c.key();
      }
      expect(prevLeafEnd).toBe(n - 1);
      expect(tree.print().split('\n').filter((l) => l.trim().startsWith('leaf')).length).toBe(
        Math.ceil(n / fanout),
      );
      expect(leaves).toBe(Math.ceil(n / fanout));
      // Internal levels too: every node but the last of its level keeps >= fanout - 1 children.
      type Node = { leaf: boolean; children: Node[] };
      let level: Node[] = [(tree as unknown as { root: Node }).root];
      while (!level[0]!.leaf) {
        level.slice(0, -1).forEach((node) => expect(node.children.length).toBeGreaterThanOrEqual(fanout - 1));
        level = level.flatMap((node) => node.children);
      }
    }
  });

  test('print is deterministic and shows separators and leaves', () => {
    const tree = new BTree<number, string>(numCmp, { fanout: 4 });
    for (let i = 1; i <= 9; i++) tree.set(i * 10, `v${i}`);
    expect(tree.print()).toBe(
      [
        'btree size=9 height=1 fanout=4',
        '  node [50 90]',
        '    leaf [10 20 30 40]',
        '    leaf [50 60 70 80]',
        '    leaf [90]',
      ].join('\n'),
    );
    tree.delete(50);
    tree.delete(60);
    tree.delete(70);
    expect(tree.print(String, (v) => v)).toBe(
      [
        'btree size=6 height=1 fanout=4',
        '  node [40 90]',
        '    leaf [10=v1 20=v2 30=v3]',
        '    leaf [40=v4 80=v8]',
        '    leaf [90=v9]',
      ].join('\n'),
    );
  });
});
