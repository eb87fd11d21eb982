// JSON paths ($, $.a, $."a b", $[0], $[#], $[#-1]) as SQLite's jsonLookupStep walks them.
// In: a JNode tree and a path string. Out: the located slot, "not found", or a PathError.
// Paths are parsed lazily, one step at a time, while walking the document: SQLite reports a bad
// step only when the walk reaches it, so json_extract('1', '$.a[') is NULL, not an error, while
// json_extract('{}', '$.') is. A step on the wrong kind of node is "not found", except that a
// key step is parsed (and can fail) before the node's type is checked, and an index step after.

import { JB, decodeString, mk, mkArray, mkObject, type JNode } from './json-node';

export class PathError extends Error {
  constructor(readonly path: string) {
    super(`bad JSON path: '${path.replace(/'/g, "''")}'`);
  }
}

export type EditMode = 'get' | 'insert' | 'replace' | 'set' | 'remove';

type KeyStep = { kind: 'key'; key: string; label: JNode; next: number };
type IndexStep = { kind: 'index'; n: number; fromEnd: boolean; next: number };

function parseKey(path: string, i: number): KeyStep {
  // path[i] === '.'
  if (path[i + 1] === '"') {
    const end = path.indexOf('"', i + 2);
    if (end < 0) throw new PathError(path);
    const raw = path.slice(i + 2, end);
    const next = end + 1;
    const label = mk(JB.TEXT5, raw);
    return { kind: 'key', key: decodeString(label), label, next };
  }
  let j = i + 1;
  while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
  if (j === i + 1) throw new PathError(path);
  const raw = path.slice(i + 1, j);
  return { kind: 'key', key: raw, label: mk(JB.TEXTRAW, raw), next: j };
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

function parseIndex(path: string, i: number): IndexStep {
  // path[i] === '['
  let j = i + 1;
  let n = 0;
  while (isDigit(path[j])) n = n * 10 + (path.charCodeAt(j++) - 48);
  if (j > i + 1 && path[j] === ']') return { kind: 'index', n, fromEnd: false, next: j + 1 };
  if (path[i + 1] !== '#') throw new PathError(path);
  j = i + 2;
  n = 0;
  if (path[j] === '-' && isDigit(path[j + 1])) {
    j++;
    while (isDigit(path[j])) n = n * 10 + (path.charCodeAt(j++) - 48);
  }
  if (path[j] !== ']') throw new PathError(path);
  return { kind: 'index', n, fromEnd: true, next: j + 1 };
}

/** Checks that a path starts with '$' (the rest is checked lazily). */
export function checkPathStart(path: string): void {
  if (path[0] !== '$') throw new PathError(path);
}

export interface Found {
  /** The array holding the node: the root holder, an array's items, or an object's label/value list. */
  holder: JNode[];
  idx: number;
  /** For object members, the label's index in holder (idx - 1); -1 otherwise. */
  labelIdx: number;
}

/**
 * Walks `path` (from index i) from holder[idx]. In the edit modes it also performs the edit with
 * `value`. Returns the slot of the target when it exists, or null.
 */
export function walk(holder: JNode[], idx: number, labelIdx: number, path: string, i: number, mode: EditMode, value: JNode | null): Found | null {
  const node = holder[idx]!;
  if (i >= path.length) {
    if (mode === 'replace' || mode === 'set') holder[idx] = value!;
    else if (mode === 'remove') holder.splice(labelIdx >= 0 ? labelIdx : idx, labelIdx >= 0 ? 2 : 1);
    return { holder, idx, labelIdx };
  }
  const ch = path[i];
  if (ch === '.') {
    const st = parseKey(path, i);
    if (node.t !== JB.OBJECT) return null;
    const c = node.c!;
    for (let k = 0; k < c.length; k += 2) {
      if (decodeString(c[k]!) === st.key) return walk(c, k + 1, k, path, st.next, mode, value);
    }
    if (mode === 'insert' || mode === 'set') {
      const sub = create(path, st.next, value!);
      if (sub !== null) c.push(st.label, sub);
    }
    return null;
  }
  if (ch === '[') {
    if (node.t !== JB.ARRAY) return null;
    const st = parseIndex(path, i);
    const c = node.c!;
    const k = st.fromEnd ? c.length - st.n : st.n;
    if (k < 0) return null;
    if (k < c.length) return walk(c, k, -1, path, st.next, mode, value);
    if (k === c.length && (mode === 'insert' || mode === 'set')) {
      const sub = create(path, st.next, value!);
      if (sub !== null) c.push(sub);
    }
    return null;
  }
  throw new PathError(path);
}

/** The substructure that makes path[i..] exist with `value` at its end, or null if it can't. */
function create(path: string, i: number, value: JNode): JNode | null {
  if (i >= path.length) return value;
  const holder = [path[i] === '.' ? mkObject([]) : mkArray([])];
  walk(holder, 0, -1, path, i, 'insert', value);
  const made = holder[0]!;
  return made.c!.length > 0 ? made : null;
}

/** The node at `path` in `root`, or undefined; throws PathError. */
export function lookup(root: JNode, path: string): JNode | undefined {
  checkPathStart(path);
  const f = walk([root], 0, -1, path, 1, 'get', null);
  return f === null ? undefined : f.holder[f.idx];
}

/** Applies one edit to the document in holder[0] (holder is replaced in place). */
export function edit(holder: JNode[], path: string, mode: EditMode, value: JNode | null): void {
  checkPathStart(path);
  if (path.length === 1) {
    // '$' itself: insert never applies; remove empties the holder
    if (mode === 'replace' || mode === 'set') holder[0] = value!;
    else if (mode === 'remove') holder.length = 0;
    return;
  }
  walk(holder, 0, -1, path, 1, mode, value);
}
