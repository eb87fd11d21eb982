// A reusable position in a BTree: (leaf, index) plus the key found there. Positioning and moving
// allocate nothing. See the header of btree.ts for what happens when the tree changes under a cursor:
// the remembered key lets next()/prev() re-seek when entries were inserted or deleted meanwhile.

import type { BTree, BTreeCursor } from './btree';
import type { BNode } from './btree-node';

export class BTreeCursorImpl<K, V> implements BTreeCursor<K, V> {
  valid = false;
  private leaf: BNode<K, V> | null = null;
  private idx = 0;
  /** The key at (leaf, idx) when the cursor got there; survives modifications of the tree. */
  private at: K | undefined = undefined;
  /** tree.shape when the cursor got there. */
  private shape = -1;

  constructor(private readonly tree: BTree<K, V>) {}

  seek(k: K, exclusive = false): boolean {
    const cmp = this.tree.compare;
    let leaf = this.tree.leafFor(k);
    const keys = leaf.keys;
    const n = keys.length;
    let lo = 0;
    let hi = n;
    if (exclusive) {
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cmp(keys[mid]!, k) <= 0) lo = mid + 1;
        else hi = mid;
      }
    } else {
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cmp(keys[mid]!, k) < 0) lo = mid + 1;
        else hi = mid;
      }
    }
    if (lo === n) {
      // Every key of the following leaves is >= the separator that bounds this leaf, which is > k.
      const nx = leaf.next;
      if (nx === null) return this.invalidate();
      leaf = nx;
      lo = 0;
    }
    return this.land(leaf, lo);
  }

  seekLast(k: K, exclusive = false): boolean {
    const cmp = this.tree.compare;
    let leaf = this.tree.leafFor(k);
    const keys = leaf.keys;
    let lo = 0;
    let hi = keys.length;
    if (exclusive) {
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cmp(keys[mid]!, k) < 0) lo = mid + 1;
        else hi = mid;
      }
    } else {
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cmp(keys[mid]!, k) <= 0) lo = mid + 1;
        else hi = mid;
      }
    }
    if (lo === 0) {
      // Every key of the preceding leaves is < the separator that bounds this leaf, which is <= k.
      const pv = leaf.prev;
      if (pv === null) return this.invalidate();
      leaf = pv;
      lo = pv.keys.length;
    }
    return this.land(leaf, lo - 1);
  }

  first(): boolean {
    const head = this.tree.head;
    // Invariant: only an empty root leaf has no keys.
    return head.keys.length === 0 ? this.invalidate() : this.land(head, 0);
  }

  last(): boolean {
    const tail = this.tree.tail;
    const n = tail.keys.length;
    return n === 0 ? this.invalidate() : this.land(tail, n - 1);
  }

  next(): boolean {
    const leaf = this.leaf;
    if (leaf === null) return false;
    if (this.shape !== this.tree.shape) return this.seek(this.at as K, true);
    const i = this.idx + 1;
    if (i < leaf.keys.length) {
      this.idx = i;
      this.at = leaf.keys[i];
      return true;
    }
    const nx = leaf.next;
    if (nx === null) return this.invalidate();
    // Invariant: leaves other than an empty root are non-empty.
    this.leaf = nx;
    this.idx = 0;
    this.at = nx.keys[0];
    return true;
  }

  prev(): boolean {
    const leaf = this.leaf;
    if (leaf === null) return false;
    if (this.shape !== this.tree.shape) return this.seekLast(this.at as K, true);
    const i = this.idx - 1;
    if (i >= 0) {
      this.idx = i;
      this.at = leaf.keys[i];
      return true;
    }
    const pv = leaf.prev;
    if (pv === null) return this.invalidate();
    this.leaf = pv;
    this.idx = pv.keys.length - 1;
    this.at = pv.keys[this.idx];
    return true;
  }

  key(): K {
    if (!this.valid) throw new Error('B+tree cursor is not positioned');
    return this.at as K;
  }

  value(): V {
    const leaf = this.leaf;
    if (leaf === null) throw new Error('B+tree cursor is not positioned');
    if (this.shape !== this.tree.shape) {
      throw new Error('B+tree cursor is stale: the tree changed; re-seek before value()');
    }
    return leaf.vals[this.idx] as V;
  }

  private land(leaf: BNode<K, V>, i: number): boolean {
    this.leaf = leaf;
    this.idx = i;
    this.at = leaf.keys[i];
    this.shape = this.tree.shape;
    this.valid = true;
    return true;
  }

  private invalidate(): boolean {
    this.leaf = null;
    this.at = undefined;
    this.valid = false;
    return false;
  }
}
