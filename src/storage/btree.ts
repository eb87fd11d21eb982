// The in-memory B+tree behind every table (keyed by rowid) and every index (keyed by
// [index columns..., rowid]). Generic over the key K (ordered by a Comparator) and the value V.
//
// Layout
//   - One node class for leaves and internal nodes (btree-node.ts) with plain JS arrays: a leaf holds
//     parallel `keys` / `vals` arrays; an internal node holds `keys` (separators) and `children`,
//     with children.length === keys.length + 1. Parallel arrays keep keys contiguous for the binary
//     search and keep element kinds simple (small-int keys stay PACKED_SMI), and one class keeps the
//     hot loops monomorphic.
//   - Separator rule: every key in children[i] is >= keys[i-1] and < keys[i]. Descent takes the
//     child at upperBound(keys, k) (the number of separators <= k). A delete may leave a separator
//     that no longer exists in any leaf; the rule still holds, so it is never rewritten.
//   - Leaves are doubly linked (next/prev) in key order; `head` and `tail` are the first and last
//     leaf. All leaves are at depth `height` (0 when the root is a leaf).
//   - Fixed fanout F (>= 4): a leaf holds at most F entries, an internal node at most F children.
//
// Fill rule (what check() enforces), with MIN = ceil(F / 2):
//   - the root: a leaf may hold 0..F entries; an internal root has 2..F children;
//   - a node on the right spine (the last child of the last child ... of the root): a leaf holds
//     1..F entries, an internal node 2..F children;
//   - every other node: MIN..F entries (leaf) or children (internal).
//   The looser rule on the right spine is what makes appends cheap and compact: rowid tables grow at
//   the right end, so when the tail leaf overflows on an append we keep it full and start a new tail
//   leaf with just the new entry (and likewise up the spine), as SQLite's balance_quick does.
//   Sequentially built trees are therefore ~100% full instead of ~50%. A split anywhere else is
//   50/50, and a merge or borrow restores the rule after a delete.
//
// Cost: get/has/set/insert/delete are O(log_F n) node visits with a binary search in each,
// O(F) element moves in the touched leaf; an append into a non-full tail leaf costs one comparison
// and no descent. Cursor next/prev are O(1) amortized. bulkLoad is O(n).
//
// Modification while a cursor is open
//   `tree.version` increases on every modification (insert, replace, delete, clear), so callers can
//   detect that anything changed. A cursor stays usable after modifications with this contract:
//   - key() returns the key the cursor was last positioned on (remembered, so always correct);
//   - next() / prev() on a cursor whose tree gained or lost entries since it was positioned re-seek
//     by that remembered key: next() moves to the first key > it and prev() to the last key < it,
//     whatever happened meanwhile (e.g. DELETE deleting the current row, then calling next());
//   - value() requires that no entry was inserted or deleted since the cursor was positioned (it
//     throws otherwise: re-seek first). Replacing values with set() does not count: the cursor keeps
//     its place and value() returns the new value.
//   Entries inserted or deleted ahead of a cursor are seen or skipped by the re-seek, by key order.
//   The re-seek is one O(log n) descent, paid once per step after a modification.
//   Rule for callers: the comparator must be pure; it must not modify the tree (insert and delete
//   keep their root-to-leaf path in scratch arrays on the tree).

import { type BNode, newInternal, newLeaf } from './btree-node';
import { BTreeCursorImpl } from './btree-cursor';
import { buildLevels } from './btree-bulk';
import { checkTree, printTree } from './btree-check';

export type Comparator<K> = (a: K, b: K) => number;

export interface BTreeOptions {
  /** Maximum entries per leaf and children per internal node (>= 4, default 64). */
  fanout?: number;
}

export interface BTreeCursor<K, V> {
  /** Positions at the first entry with key >= k (or > k when exclusive); returns false if none. */
  seek(k: K, exclusive?: boolean): boolean;
  /** Positions at the last entry with key <= k (or < k when exclusive); for reverse scans. */
  seekLast(k: K, exclusive?: boolean): boolean;
  first(): boolean;
  last(): boolean;
  /** Moves to the next / previous entry; returns false (and becomes invalid) at the end. */
  next(): boolean;
  prev(): boolean;
  /** True while positioned on an entry. next()/prev() on an invalid cursor return false. */
  readonly valid: boolean;
  key(): K;
  value(): V;
}

export const DEFAULT_FANOUT = 64;

/** Deepest tree a double-precision size can need with fanout 4 is ~40 levels; paths are reused. */
const MAX_PATH = 64;

export class BTree<K, V> {
  readonly compare: Comparator<K>;
  readonly fanout: number;
  /** Minimum fill of a node off the right spine: ceil(fanout / 2). */
  readonly minFill: number;

  /**
   * Increases on every modification (insert, value replacement, delete, clear). Callers holding a
   * cursor compare it to detect that they should re-seek (see the header comment).
   */
  version = 0;
  /** @internal Increases when entries are inserted or deleted (cursors check it). */
  shape = 0;
  /** @internal */ root: BNode<K, V>;
  /** @internal First and last leaf. */ head: BNode<K, V>;
  /** @internal */ tail: BNode<K, V>;
  /** @internal Number of internal levels above the leaves. */ height = 0;
  private count = 0;

  // Scratch for insert/delete: the nodes and child indexes on the root-to-leaf path, plus whether
  // each node is on the right spine. Reused so that modifications allocate nothing but new nodes.
  private readonly pathNode: BNode<K, V>[];
  private readonly pathIdx: number[];
  private readonly pathSpine: boolean[];

  constructor(compare: Comparator<K>, options?: BTreeOptions) {
    const fanout = options?.fanout ?? DEFAULT_FANOUT;
    if (!Number.isInteger(fanout) || fanout < 4 || fanout > 65536) {
      throw new RangeError(`B+tree fanout must be an integer in 4..65536, got ${fanout}`);
    }
    this.compare = compare;
    this.fanout = fanout;
    this.minFill = (fanout + 1) >> 1;
    this.root = this.head = this.tail = newLeaf<K, V>([], []);
    this.pathNode = new Array<BNode<K, V>>(MAX_PATH).fill(this.root);
    this.pathIdx = new Array<number>(MAX_PATH).fill(0);
    this.pathSpine = new Array<boolean>(MAX_PATH).fill(false);
  }

  get size(): number {
    return this.count;
  }

  get(key: K): V | undefined {
    const cmp = this.compare;
    let node = this.root;
    for (let h = this.height; h > 0; h--) {
      const keys = node.keys;
      let lo = 0;
      let hi = keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cmp(keys[mid]!, key) <= 0) lo = mid + 1;
        else hi = mid;
      }
      // Invariant: children.length === keys.length + 1, so children[lo] exists.
      node = node.children[lo]!;
    }
    const keys = node.keys;
    let lo = 0;
    let hi = keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = cmp(keys[mid]!, key);
      if (c < 0) lo = mid + 1;
      else if (c > 0) hi = mid - 1;
      else return node.vals[mid];
    }
    return undefined;
  }

  has(key: K): boolean {
    const cmp = this.compare;
    const leaf = this.leafFor(key);
    const keys = leaf.keys;
    let lo = 0;
    let hi = keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = cmp(keys[mid]!, key);
      if (c < 0) lo = mid + 1;
      else if (c > 0) hi = mid - 1;
      else return true;
    }
    return false;
  }

  /** Inserts or replaces; returns true when the key was new. A replacement keeps the stored key. */
  set(key: K, value: V): boolean {
    // Append fast path: a key above the current maximum goes to the end of the tail leaf.
    const tail = this.tail;
    const tk = tail.keys;
    const n = tk.length;
    if (n > 0 && n < this.fanout) {
      const c = this.compare(key, tk[n - 1]!);
      if (c > 0) {
        tk.push(key);
        tail.vals.push(value);
        this.count++;
        this.version++;
        this.shape++;
        return true;
      }
      if (c === 0) {
        tail.vals[n - 1] = value;
        this.version++;
        return false;
      }
    }
    return this.put(key, value, true);
  }

  /** Inserts only if absent; returns false (and changes nothing) when present. */
  insert(key: K, value: V): boolean {
    const tail = this.tail;
    const tk = tail.keys;
    const n = tk.length;
    if (n > 0 && n < this.fanout) {
      const c = this.compare(key, tk[n - 1]!);
      if (c > 0) {
        tk.push(key);
        tail.vals.push(value);
        this.count++;
        this.version++;
        this.shape++;
        return true;
      }
      if (c === 0) return false;
    }
    return this.put(key, value, false);
  }

  delete(key: K): boolean {
    const cmp = this.compare;
    const pathNode = this.pathNode;
    const pathIdx = this.pathIdx;
    const pathSpine = this.pathSpine;
    let node = this.root;
    let spine = true;
    const height = this.height;
    for (let d = 0; d < height; d++) {
      const keys = node.keys;
      let lo = 0;
      let hi = keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cmp(keys[mid]!, key) <= 0) lo = mid + 1;
        else hi = mid;
      }
      pathNode[d] = node;
      pathIdx[d] = lo;
      pathSpine[d] = spine;
      spine = spine && lo === keys.length;
      node = node.children[lo]!;
    }
    pathSpine[height] = spine;
    const keys = node.keys;
    let lo = 0;
    let hi = keys.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = cmp(keys[mid]!, key);
      if (c < 0) lo = mid + 1;
      else if (c > 0) hi = mid - 1;
      else {
        at = mid;
        break;
      }
    }
    if (at < 0) return false;
    removeAt(keys, at);
    removeAt(node.vals, at);
    this.count--;
    this.version++;
    this.shape++;
    this.rebalance(node);
    return true;
  }

  minKey(): K | undefined {
    return this.head.keys[0];
  }

  maxKey(): K | undefined {
    const keys = this.tail.keys;
    return keys[keys.length - 1];
  }

  clear(): void {
    this.root = this.head = this.tail = newLeaf<K, V>([], []);
    this.pathNode.fill(this.root);
    this.height = 0;
    this.count = 0;
    this.version++;
    this.shape++;
  }

  /**
   * Builds a tree from keys sorted strictly ascending by `compare` (checked: throws RangeError
   * otherwise), in O(n). Leaves are packed full; only the nodes on the right spine may be partly full.
   */
  static bulkLoad<K, V>(
    compare: Comparator<K>,
    keys: readonly K[],
    values: readonly V[],
    options?: BTreeOptions,
  ): BTree<K, V> {
    const tree = new BTree<K, V>(compare, options);
    tree.loadSorted(keys, values);
    return tree;
  }

  /**
   * Replaces the whole content with keys sorted strictly ascending (checked: throws RangeError
   * otherwise, leaving the tree unchanged), in O(n), as bulkLoad does for a new tree. For owners
   * whose tree cannot be swapped (Table.tree is readonly): recovery fills tables and indexes so.
   * `ordered`: the caller guarantees the order by construction (a sort of distinct keys), so the
   * n - 1 comparisons of the check are skipped.
   */
  loadSorted(keys: readonly K[], values: readonly V[], ordered = false): void {
    const n = keys.length;
    if (values.length !== n) {
      throw new RangeError(`bulkLoad: ${n} keys but ${values.length} values`);
    }
    const compare = this.compare;
    for (let i = 1; i < n && !ordered; i++) {
      if (!(compare(keys[i - 1]!, keys[i]!) < 0)) {
        throw new RangeError(`bulkLoad: keys not strictly ascending at index ${i}`);
      }
    }
    this.clear();
    if (n === 0) return;
    const built = buildLevels(keys, values, this.fanout);
    this.root = built.root;
    this.head = built.head;
    this.tail = built.tail;
    this.height = built.height;
    this.count = n;
    this.pathNode.fill(this.root);
  }

  cursor(): BTreeCursor<K, V> {
    return new BTreeCursorImpl<K, V>(this);
  }

  /** Verifies every structural invariant; throws an Error naming the first violation. */
  check(): void {
    checkTree(this);
  }

  /** A deterministic dump of the structure: one line per node, indented by depth. */
  print(formatKey?: (k: K) => string, formatValue?: (v: V) => string): string {
    return printTree(this, formatKey, formatValue);
  }

  /** @internal The leaf whose key range contains `key`. */
  leafFor(key: K): BNode<K, V> {
    const cmp = this.compare;
    let node = this.root;
    for (let h = this.height; h > 0; h--) {
      const keys = node.keys;
      let lo = 0;
      let hi = keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cmp(keys[mid]!, key) <= 0) lo = mid + 1;
        else hi = mid;
      }
      node = node.children[lo]!;
    }
    return node;
  }

  // ---- insertion ----

  private put(key: K, value: V, overwrite: boolean): boolean {
    const cmp = this.compare;
    const pathNode = this.pathNode;
    const pathIdx = this.pathIdx;
    let node = this.root;
    const height = this.height;
    for (let d = 0; d < height; d++) {
      const keys = node.keys;
      let lo = 0;
      let hi = keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cmp(keys[mid]!, key) <= 0) lo = mid + 1;
        else hi = mid;
      }
      pathNode[d] = node;
      pathIdx[d] = lo;
      node = node.children[lo]!;
    }
    // Lower bound in the leaf.
    const keys = node.keys;
    const n = keys.length;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmp(keys[mid]!, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    if (lo < n && cmp(keys[lo]!, key) === 0) {
      if (!overwrite) return false;
      node.vals[lo] = value;
      this.version++;
      return false; // replaced: not new
    }
    insertAt(keys, lo, key);
    insertAt(node.vals, lo, value);
    this.count++;
    this.version++;
    this.shape++;
    if (n + 1 > this.fanout) this.splitUp(node, node.next === null && lo === n);
    return true;
  }

  /**
   * Splits the overflowing leaf and every ancestor that overflows in turn.
   * `append`: the new entry went to the very end of the tree, so each split keeps its left part
   * full and starts a minimal right-spine node (see the fill rule in the header).
   */
  private splitUp(leaf: BNode<K, V>, append: boolean): void {
    const F = this.fanout;
    // Leaf split: F + 1 entries.
    const cut = append ? F : (F + 1) >> 1;
    const right = newLeaf<K, V>(leaf.keys.slice(cut), leaf.vals.slice(cut));
    leaf.keys.length = cut;
    leaf.vals.length = cut;
    right.next = leaf.next;
    right.prev = leaf;
    if (leaf.next !== null) leaf.next.prev = right;
    else this.tail = right;
    leaf.next = right;
    let sep: K = right.keys[0]!;
    let newNode = right;
    // Invariant: put() just filled pathNode/pathIdx for this leaf's descent, and the comparator is
    // not called below, so nothing can have reused the scratch path meanwhile.
    for (let d = this.height - 1; d >= 0; d--) {
      const parent = this.pathNode[d]!;
      const ci = this.pathIdx[d]!;
      insertAt(parent.keys, ci, sep);
      insertAt(parent.children, ci + 1, newNode);
      const m = parent.children.length;
      if (m <= F) return;
      // Internal split: F + 1 children. Left keeps children [0, c), right gets [c, F + 1); the
      // separator between them moves up. An append keeps F - 1 on the left and 2 on the right
      // (a right-spine internal node needs 2 children).
      const c = append ? m - 2 : m >> 1;
      const pk = parent.keys;
      const upSep = pk[c - 1]!;
      const sibling = newInternal<K, V>(pk.slice(c), parent.children.slice(c));
      pk.length = c - 1;
      parent.children.length = c;
      sep = upSep;
      newNode = sibling;
    }
    // The root split: grow a level.
    this.root = newInternal<K, V>([sep], [this.root, newNode]);
    this.height++;
  }

  // ---- deletion ----

  /**
   * Restores the fill rule bottom-up after an entry was removed from `leaf`, using the path that
   * delete() recorded. Merges with a sibling when both fit in one node, else borrows one entry.
   */
  private rebalance(leaf: BNode<K, V>): void {
    const F = this.fanout;
    const MIN = this.minFill;
    let child = leaf;
    // Invariant: delete() just filled pathNode/pathIdx/pathSpine for this leaf's descent.
    for (let d = this.height - 1; d >= 0; d--) {
      const count = child.leaf ? child.keys.length : child.children.length;
      const min = this.pathSpine[d + 1] ? (child.leaf ? 1 : 2) : MIN;
      if (count >= min) return;
      const parent = this.pathNode[d]!;
      const ci = this.pathIdx[d]!;
      // Invariant: an internal node has >= 2 children, so `child` has a sibling. Prefer the left one
      // (never on the right spine, so it holds >= MIN).
      const si = ci > 0 ? ci - 1 : 0; // separator index between left and right
      const left = ci > 0 ? parent.children[ci - 1]! : child;
      const right = ci > 0 ? child : parent.children[1]!;
      if (child.leaf) {
        if (left.keys.length + right.keys.length <= F) this.mergeLeaves(parent, si, left, right);
        else if (ci > 0) {
          // Borrow the left sibling's last entry.
          insertAt(right.keys, 0, left.keys.pop()!);
          insertAt(right.vals, 0, left.vals.pop()!);
          parent.keys[si] = right.keys[0]!;
          return;
        } else {
          left.keys.push(right.keys.shift()!);
          left.vals.push(right.vals.shift()!);
          parent.keys[si] = right.keys[0]!;
          return;
        }
      } else {
        if (left.children.length + right.children.length <= F) {
          left.keys.push(parent.keys[si]!);
          for (let i = 0; i < right.keys.length; i++) left.keys.push(right.keys[i]!);
          for (let i = 0; i < right.children.length; i++) left.children.push(right.children[i]!);
          removeAt(parent.keys, si);
          removeAt(parent.children, si + 1);
        } else if (ci > 0) {
          insertAt(right.keys, 0, parent.keys[si]!);
          insertAt(right.children, 0, left.children.pop()!);
          parent.keys[si] = left.keys.pop()!;
          return;
        } else {
          left.keys.push(parent.keys[si]!);
          left.children.push(right.children.shift()!);
          parent.keys[si] = right.keys.shift()!;
          return;
        }
      }
      child = parent;
    }
    // At the root: an internal root left with one child gives way to it.
    while (this.height > 0 && this.root.children.length === 1) {
      this.root = this.root.children[0]!;
      this.height--;
    }
  }

  private mergeLeaves(parent: BNode<K, V>, si: number, left: BNode<K, V>, right: BNode<K, V>): void {
    const lk = left.keys;
    const lv = left.vals;
    const rk = right.keys;
    const rv = right.vals;
    for (let i = 0; i < rk.length; i++) {
      lk.push(rk[i]!);
      lv.push(rv[i]!);
    }
    left.next = right.next;
    if (right.next !== null) right.next.prev = left;
    else this.tail = left;
    right.next = right.prev = null;
    removeAt(parent.keys, si);
    removeAt(parent.children, si + 1);
  }
}

/** arr.splice(i, 0, x) without allocating the removed-elements array. */
function insertAt<T>(arr: T[], i: number, x: T): void {
  let j = arr.length;
  if (j === i) {
    arr.push(x);
    return;
  }
  arr.push(arr[j - 1]!);
  for (j = j - 1; j > i; j--) arr[j] = arr[j - 1]!;
  arr[i] = x;
}

/** arr.splice(i, 1) without allocating. */
function removeAt<T>(arr: T[], i: number): void {
  const n = arr.length - 1;
  for (let j = i; j < n; j++) arr[j] = arr[j + 1]!;
  arr.length = n;
}
