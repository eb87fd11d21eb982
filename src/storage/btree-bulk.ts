// Bottom-up construction for BTree.bulkLoad: O(n), leaves packed full. Only the last node of each
// level (the right spine) may be partly full, which the fill rule in btree.ts allows.

import { type BNode, newInternal, newLeaf } from './btree-node';

export interface BuiltLevels<K, V> {
  root: BNode<K, V>;
  head: BNode<K, V>;
  tail: BNode<K, V>;
  height: number;
}

/** Builds the levels over n >= 1 keys already checked to be strictly ascending. */
export function buildLevels<K, V>(keys: readonly K[], values: readonly V[], F: number): BuiltLevels<K, V> {
  const n = keys.length;
  // Leaves: full, the last one takes the remainder (>= 1, allowed on the right spine).
  let level: BNode<K, V>[] = [];
  let lows: K[] = []; // lows[i] = smallest key under level[i]
  let prev: BNode<K, V> | null = null;
  for (let i = 0; i < n; i += F) {
    const end = Math.min(i + F, n);
    const leaf = newLeaf<K, V>(keys.slice(i, end), values.slice(i, end));
    leaf.prev = prev;
    if (prev !== null) prev.next = leaf;
    prev = leaf;
    level.push(leaf);
    lows.push(keys[i]!);
  }
  const head = level[0]!;
  const tail = level[level.length - 1]!;
  let height = 0;
  while (level.length > 1) {
    // Group F children per parent; the last parent (right spine) needs >= 2 children, so it may
    // take one from its left neighbour, which keeps F - 1 >= MIN.
    const m = level.length;
    const groups: number[] = [];
    for (let i = 0; i < m; i += F) groups.push(i);
    const lastStart = groups[groups.length - 1]!;
    if (m - lastStart === 1 && groups.length > 1) groups[groups.length - 1] = lastStart - 1;
    const up: BNode<K, V>[] = [];
    const upLows: K[] = [];
    for (let g = 0; g < groups.length; g++) {
      const start = groups[g]!;
      const end = g + 1 < groups.length ? groups[g + 1]! : m;
      up.push(newInternal<K, V>(lows.slice(start + 1, end), level.slice(start, end)));
      upLows.push(lows[start]!);
    }
    level = up;
    lows = upLows;
    height++;
  }
  return { root: level[0]!, head, tail, height };
}
