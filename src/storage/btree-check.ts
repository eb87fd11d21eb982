// The B+tree's integrity checker and printer. check() verifies every rule stated in the header of
// btree.ts and throws an Error naming the node (by child-index path from the root, e.g. "root.2.0")
// and the broken rule; print() dumps the structure deterministically for debugging and golden tests.

import type { BTree } from './btree';
import { NONE, type BNode } from './btree-node';

export function checkTree<K, V>(tree: BTree<K, V>): void {
  const cmp = tree.compare;
  const F = tree.fanout;
  const MIN = tree.minFill;
  const leaves: BNode<K, V>[] = [];
  let entries = 0;

  const fail = (where: string, what: string): never => {
    throw new Error(`B+tree check: ${where}: ${what}`);
  };

  if (NONE.length !== 0) fail('tree', 'the shared empty array was written to');

  // lo is inclusive, hi exclusive; undefined = unbounded.
  const walk = (
    node: BNode<K, V>,
    depth: number,
    lo: K | undefined,
    hasLo: boolean,
    hi: K | undefined,
    hasHi: boolean,
    spine: boolean,
    where: string,
  ): void => {
    const keys = node.keys;
    const isRoot = depth === 0;
    for (let i = 1; i < keys.length; i++) {
      if (!(cmp(keys[i - 1]!, keys[i]!) < 0)) fail(where, `keys out of order at index ${i}`);
    }
    if (keys.length > 0) {
      if (hasLo && cmp(keys[0]!, lo as K) < 0) fail(where, 'key below its separator lower bound');
      if (hasHi && !(cmp(keys[keys.length - 1]!, hi as K) < 0)) {
        fail(where, 'key not below its separator upper bound');
      }
    }
    if (node.leaf) {
      if (depth !== tree.height) fail(where, `leaf at depth ${depth}, tree height is ${tree.height}`);
      if (node.children.length !== 0) fail(where, 'leaf has children');
      if (node.vals.length !== keys.length) {
        fail(where, `leaf has ${keys.length} keys but ${node.vals.length} values`);
      }
      const min = isRoot ? 0 : spine ? 1 : MIN;
      if (keys.length > F) fail(where, `leaf overfull: ${keys.length} entries, fanout ${F}`);
      if (keys.length < min) fail(where, `leaf underfull: ${keys.length} entries, minimum ${min}`);
      leaves.push(node);
      entries += keys.length;
      return;
    }
    if (depth >= tree.height) fail(where, `internal node at depth ${depth}, tree height is ${tree.height}`);
    const children = node.children;
    if (node.vals.length !== 0) fail(where, 'internal node has values');
    if (node.next !== null || node.prev !== null) fail(where, 'internal node has leaf links');
    if (children.length !== keys.length + 1) {
      fail(where, `${children.length} children for ${keys.length} separators`);
    }
    const min = isRoot || spine ? 2 : MIN;
    if (children.length > F) fail(where, `internal node overfull: ${children.length} children`);
    if (children.length < min) {
      fail(where, `internal node underfull: ${children.length} children, minimum ${min}`);
    }
    for (let i = 0; i < children.length; i++) {
      const cLo = i === 0 ? lo : keys[i - 1];
      const cHasLo = i === 0 ? hasLo : true;
      const cHi = i === keys.length ? hi : keys[i];
      const cHasHi = i === keys.length ? hasHi : true;
      walk(children[i]!, depth + 1, cLo, cHasLo, cHi, cHasHi, spine && i === keys.length, `${where}.${i}`);
    }
  };

  walk(tree.root, 0, undefined, false, undefined, false, true, 'root');

  // The leaf chain must list exactly the leaves found by the walk, in order, both ways.
  if (tree.head !== leaves[0]) fail('leaf chain', 'head is not the leftmost leaf');
  if (tree.tail !== leaves[leaves.length - 1]) fail('leaf chain', 'tail is not the rightmost leaf');
  for (let i = 0; i < leaves.length; i++) {
    const leaf = leaves[i]!;
    const want = i > 0 ? leaves[i - 1]! : null;
    const wantNext = i + 1 < leaves.length ? leaves[i + 1]! : null;
    if (leaf.prev !== want) fail(`leaf ${i}`, 'prev link does not point at the previous leaf');
    if (leaf.next !== wantNext) fail(`leaf ${i}`, 'next link does not point at the next leaf');
  }
  if (entries !== tree.size) fail('tree', `size is ${tree.size} but leaves hold ${entries}`);
}

/** Keys and values of the common SqlValue shapes print readably; anything else via String(). */
export function defaultFormat(x: unknown): string {
  if (typeof x === 'string') return JSON.stringify(x);
  if (typeof x === 'bigint') return `${x}n`;
  if (x instanceof Uint8Array) return `x'${Buffer.from(x).toString('hex')}'`;
  if (Array.isArray(x)) return `(${x.map(defaultFormat).join(', ')})`;
  return String(x);
}

export function printTree<K, V>(
  tree: BTree<K, V>,
  formatKey: (k: K) => string = defaultFormat,
  formatValue?: (v: V) => string,
): string {
  const lines: string[] = [`btree size=${tree.size} height=${tree.height} fanout=${tree.fanout}`];
  const walk = (node: BNode<K, V>, indent: string): void => {
    if (node.leaf) {
      const parts = node.keys.map((k, i) =>
        formatValue === undefined ? formatKey(k) : `${formatKey(k)}=${formatValue(node.vals[i] as V)}`,
      );
      lines.push(`${indent}leaf [${parts.join(' ')}]`);
      return;
    }
    lines.push(`${indent}node [${node.keys.map(formatKey).join(' ')}]`);
    for (const child of node.children) walk(child, indent + '  ');
  };
  walk(tree.root, '  ');
  return lines.join('\n');
}
