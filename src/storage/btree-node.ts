// One node of the B+tree (see btree.ts for the layout and its invariants).
//
// Leaves and internal nodes share this one class on purpose: every load site in the hot loops
// (`node.keys`, `node.children`) then sees a single hidden class and stays monomorphic. The field a
// kind of node does not use points at a shared empty array instead of being null, so field types
// never widen either.

/**
 * Shared empty array for the unused `vals` (internal nodes) or `children` (leaves) field.
 * Invariant: never written to; btree-check.ts verifies it is still empty.
 */
export const NONE: never[] = [];

export class BNode<K, V> {
  /**
   * Leaf: the entry keys, strictly increasing.
   * Internal: the separators, strictly increasing; keys.length === children.length - 1 and every key
   * of children[i] is >= keys[i-1] and < keys[i].
   */
  keys: K[];
  /** Leaf only: vals[i] belongs to keys[i]. NONE in internal nodes. */
  vals: V[];
  /** Internal only: the subtrees. NONE in leaves. */
  children: BNode<K, V>[];
  /** Leaf only: the neighbouring leaves in key order (null at the ends and in internal nodes). */
  next: BNode<K, V> | null;
  prev: BNode<K, V> | null;
  readonly leaf: boolean;

  constructor(leaf: boolean, keys: K[], vals: V[], children: BNode<K, V>[]) {
    this.keys = keys;
    this.vals = vals;
    this.children = children;
    this.next = null;
    this.prev = null;
    this.leaf = leaf;
  }
}

export function newLeaf<K, V>(keys: K[], vals: V[]): BNode<K, V> {
  return new BNode<K, V>(true, keys, vals, NONE);
}

export function newInternal<K, V>(keys: K[], children: BNode<K, V>[]): BNode<K, V> {
  return new BNode<K, V>(false, keys, NONE, children);
}
