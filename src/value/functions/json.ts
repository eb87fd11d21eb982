// SQLite's JSON functions (json1.html): json, json_valid, json_extract, json_set & co., the ->
// and ->> operators, json_group_array/json_group_object, and rows for json_each/json_tree.
// In: evaluated SqlValues, plus (for the functions that embed values) which arguments carry
// SQLite's JSON subtype. Out: SqlValues; JSON results are canonical, minified JSON TEXT.
//
// The JSON subtype. In SQLite, a value returned by a JSON function carries a hidden "this is
// JSON" tag, so json_array(json('[1]')) is [[1]] while json_array('[1]') is ["[1]"]. AmberDB's
// values have no tags, and a JS string cannot be tagged (no identity, no WeakSet); a wrapper
// class would be a new SqlValue kind that every typeof/compare/toText would mishandle, and a
// cache of recently produced JSON texts would misfire on equal literals. So the tag travels
// beside the value, through the executor, for the one case SQLite users rely on: an argument
// that is itself a call to a JSON function (or a -> expression).
//   1. Every JSON function records whether its last result carries the subtype; the executor
//      reads it with `lastJsonSubtype()` right after evaluating such an argument.
//   2. The embedding functions (json_array, json_object, json_set/insert/replace, json_quote,
//      json_group_*) take that mask: ScalarFunction.callJson(args, isJson) / AggregateState
//      stepJson(args, isJson). Their plain call(args)/step(args) treat every TEXT as a string.
// `JSON_SUBTYPE_FUNCTIONS` lists the producers. Not covered: a subtype passing through CASE,
// coalesce() or a subquery column (SQLite lets some of those through).

import { AmberError } from '../amber-error';
import { blobToText, realToText, toText } from '../convert';
import { RealBox, integer, real, type SqlValue } from '../types';
import {
  JB, JsonSyntaxError, decodeString, stringContent, encodedSize, fromJsonb, mk, mkArray, mkObject, nodeHeaderSize, parseJsonText,
  quoteJsonString, toJsonText, toPrettyText, type JNode,
} from './json-node';
import { PathError, checkPathStart, edit, lookup, type EditMode } from './json-path';
import type { ScalarFunction } from './scalar';

// ---- the subtype side channel ---------------------------------------------------------------

let lastSubtype = false;

/** Whether the most recent JSON function call returned a value with SQLite's JSON subtype. */
export function lastJsonSubtype(): boolean {
  return lastSubtype;
}

function asJson(text: string): string {
  lastSubtype = true;
  return text;
}

function plain(v: SqlValue): SqlValue {
  lastSubtype = false;
  return v;
}

/** Functions whose result may carry the JSON subtype (the executor checks lastJsonSubtype()). */
export const JSON_SUBTYPE_FUNCTIONS: ReadonlySet<string> = new Set([
  'json', 'json_array', 'json_object', 'json_extract', 'json_insert', 'json_replace', 'json_set',
  'json_remove', 'json_patch', 'json_quote', 'json_group_array', 'json_group_object',
]);

// ---- conversions ------------------------------------------------------------------------------

function malformed(): AmberError {
  return new AmberError('malformed JSON');
}

function wrap<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw malformed();
    if (e instanceof PathError) throw new AmberError(e.message);
    throw e;
  }
}

/** A JSON document argument (jsonParseFuncArg): null for SQL NULL. */
function docArg(v: SqlValue): JNode | null {
  if (v === null) return null;
  if (v instanceof Uint8Array) {
    const n = fromJsonb(v);
    if (n !== null) return n;
    return parseJsonText(blobToText(v));
  }
  return parseJsonText(toText(v) as string);
}

/**
 * SQLite prints an infinite REAL as 9.0e+999 when it builds JSON text (json_array, json_object,
 * json_quote, the aggregates) but as 9e999 when it edits a document (json_set & co.).
 */
function realNode(d: number, edit: boolean): JNode {
  if (d === Infinity) return mk(JB.FLOAT, edit ? '9e999' : '9.0e+999');
  if (d === -Infinity) return mk(JB.FLOAT, edit ? '-9e999' : '-9.0e+999');
  return mk(JB.FLOAT, realToText(d));
}

/** An SQL value embedded in JSON (jsonAppendSqlValue). */
export function valueToNode(v: SqlValue, isJson: boolean, edit = false): JNode {
  if (v === null) return mk(JB.NULL);
  if (typeof v === 'number') return Number.isInteger(v) ? mk(JB.INT, String(v)) : realNode(v, edit);
  if (typeof v === 'bigint') return mk(JB.INT, String(v));
  if (v instanceof RealBox) return realNode(v.value, edit);
  if (typeof v === 'string') return isJson ? parseJsonText(v) : mk(JB.TEXTRAW, v);
  const n = fromJsonb(v);
  if (n === null) throw new AmberError('JSON cannot hold BLOB values');
  return n;
}

function intFromText(z: string): SqlValue {
  const b = BigInt(z);
  if (b >= -9223372036854775808n && b <= 9223372036854775807n) return integer(b);
  return real(Number(z));
}

/** A JSON element as an SQL value (jsonReturnFromBlob); containers as JSON text. */
export function nodeToValue(n: JNode): SqlValue {
  switch (n.t) {
    case JB.NULL: return plain(null);
    case JB.TRUE: return plain(1);
    case JB.FALSE: return plain(0);
    case JB.INT: return plain(intFromText(n.s));
    case JB.INT5: {
      const z = toJsonText(n);
      if (z.endsWith('e999')) throw malformed();
      const neg = z.startsWith('-');
      const hex = /^[+-]?0[xX]/.test(n.s);
      const b = BigInt(z);
      if (hex && (neg ? -b : b) > 9223372036854775807n) return plain(real(Number(b)));
      return plain(intFromText(z));
    }
    case JB.FLOAT: case JB.FLOAT5: return plain(real(Number(toJsonText(n))));
    case JB.ARRAY: case JB.OBJECT: return asJson(toJsonText(n));
    default: return plain(decodeString(n));
  }
}

const TYPE_NAMES = ['null', 'true', 'false', 'integer', 'integer', 'real', 'real', 'text', 'text', 'text', 'text', 'array', 'object'];

export function jsonTypeName(n: JNode): string {
  return TYPE_NAMES[n.t] as string;
}

function pathArg(v: SqlValue): string | null {
  return v === null ? null : (toText(v) as string);
}

// ---- scalar functions -------------------------------------------------------------------------

type Impl = (args: SqlValue[], isJson: readonly boolean[]) => SqlValue;
const NO_JSON: readonly boolean[] = [];

function jsonFn(name: string, minArgs: number, maxArgs: number, impl: Impl): ScalarFunction {
  const call = (args: SqlValue[], isJson: readonly boolean[]): SqlValue => {
    lastSubtype = false;
    return wrap(() => impl(args, isJson));
  };
  return { name, minArgs, maxArgs, deterministic: true, call: (args) => call(args, NO_JSON), callJson: call };
}

const arg = (a: SqlValue[], i: number): SqlValue => (i < a.length ? (a[i] as SqlValue) : null);

function editFn(name: string, mode: EditMode): Impl {
  return (a, isJson) => {
    if (a.length % 2 === 0) throw new AmberError(`${name}() needs an odd number of arguments`);
    const root = docArg(arg(a, 0));
    if (root === null) return null;
    const holder = [root];
    for (let i = 1; i < a.length; i += 2) {
      const p = pathArg(arg(a, i));
      if (p === null) continue; // a NULL path skips its pair (json_remove and json_extract return NULL instead)
      checkPathStart(p);
      edit(holder, p, mode, valueToNode(arg(a, i + 1), isJson[i + 1] === true, true));
    }
    return asJson(toJsonText(holder[0]!));
  };
}

/** RFC 7396 merge patch with SQLite's handling of duplicate labels (the first one wins). */
function mergePatch(target: JNode | null, patch: JNode): JNode {
  if (patch.t !== JB.OBJECT) return patch;
  const out = target !== null && target.t === JB.OBJECT ? target : mkObject([]);
  const c = out.c!;
  const p = patch.c!;
  for (let k = 0; k < p.length; k += 2) {
    const key = decodeString(p[k]!);
    const pv = p[k + 1]!;
    let at = -1;
    for (let j = 0; j < c.length; j += 2) if (decodeString(c[j]!) === key) { at = j; break; }
    if (pv.t === JB.NULL) {
      if (at >= 0) c.splice(at, 2);
    } else if (at >= 0) {
      c[at + 1] = mergePatch(c[at + 1]!, pv);
    } else {
      c.push(p[k]!, mergePatch(null, pv));
    }
  }
  return out;
}

function validFlags(v: SqlValue): number {
  const f = Number(v === null ? 0 : typeof v === 'bigint' ? v : typeof v === 'number' ? Math.trunc(v) : NaN);
  if (!(f >= 1 && f <= 15)) throw new AmberError('FLAGS parameter to json_valid() must be between 1 and 15');
  return f;
}

/** Whether text parses as strict RFC 8259 JSON (no JSON5 extensions). */
function isStrictJson(z: string): boolean {
  // RFC 8259 text is exactly what both accept: JSON.parse rules out every JSON5 extension, our
  // parser adds SQLite's nesting limit.
  try {
    JSON.parse(z);
    parseJsonText(z);
  } catch {
    return false;
  }
  return true;
}

/** UTF-16 index → 1-based character position, as json_error_position counts. */
function charPosition(z: string, at: number): number {
  let n = 0;
  for (let i = 0; i < at && i < z.length; i++) {
    const c = z.charCodeAt(i);
    if (!(c >= 0xdc00 && c <= 0xdfff && i > 0 && (z.charCodeAt(i - 1) & 0xfc00) === 0xd800)) n++;
  }
  return n + 1;
}

/** Maps a -> / ->> right operand to a full path (PostgreSQL-style abbreviations). */
function arrowPath(p: SqlValue): string | null {
  if (p === null) return null;
  if (typeof p === 'number' && Number.isInteger(p)) return p < 0 ? `$[#${p}]` : `$[${p}]`;
  if (typeof p === 'bigint') return p < 0n ? `$[#${p}]` : `$[${p}]`;
  const z = toText(p) as string;
  if (z[0] === '$' || z === '') return z;
  if (z.length >= 3 && z[0] === '[' && z[z.length - 1] === ']') return '$' + z;
  if (z.length > 0 && /^[A-Za-z0-9_]*$/.test(z)) return '$.' + z;
  return '$."' + z + '"';
}

/** The `->` operator: the JSON text of the element at `path`, or NULL. */
export function jsonArrow(json: SqlValue, path: SqlValue): SqlValue {
  lastSubtype = false;
  return wrap(() => {
    const root = docArg(json);
    const p = arrowPath(path);
    if (root === null || p === null) return null;
    const n = lookup(root, p);
    return n === undefined ? null : asJson(toJsonText(n));
  });
}

/** The `->>` operator: the SQL value of the element at `path`, or NULL. */
export function jsonArrow2(json: SqlValue, path: SqlValue): SqlValue {
  lastSubtype = false;
  return wrap(() => {
    const root = docArg(json);
    const p = arrowPath(path);
    if (root === null || p === null) return null;
    const n = lookup(root, p);
    return n === undefined ? null : nodeToValue(n);
  });
}

export const JSON_SCALAR_FUNCTIONS: readonly ScalarFunction[] = [
  jsonFn('json', 1, 1, (a) => {
    const n = docArg(arg(a, 0));
    return n === null ? null : asJson(toJsonText(n));
  }),
  jsonFn('json_pretty', 1, 2, (a) => {
    const n = docArg(arg(a, 0));
    if (n === null) return null;
    const ind = a.length > 1 && arg(a, 1) !== null ? (toText(arg(a, 1)) as string) : '    ';
    return toPrettyText(n, ind); // no subtype: json_array(json_pretty('[1]')) embeds a string
  }),
  jsonFn('json_valid', 1, 2, (a) => {
    const flags = a.length > 1 ? validFlags(arg(a, 1)) : 1;
    const v = arg(a, 0);
    if (v === null) return null;
    if (v instanceof Uint8Array) {
      if ((flags & 0x0c) !== 0 && fromJsonb(v) !== null) return 1;
      if ((flags & 0x03) === 0) return 0;
    }
    const z = v instanceof Uint8Array ? blobToText(v) : (toText(v) as string);
    if ((flags & 0x02) !== 0) {
      try {
        parseJsonText(z);
        return 1;
      } catch {
        return 0;
      }
    }
    if ((flags & 0x01) !== 0) return isStrictJson(z) ? 1 : 0;
    return 0;
  }),
  jsonFn('json_error_position', 1, 1, (a) => {
    const v = arg(a, 0);
    if (v === null) return null;
    if (v instanceof Uint8Array && fromJsonb(v) !== null) return 0;
    const z = v instanceof Uint8Array ? blobToText(v) : (toText(v) as string);
    try {
      parseJsonText(z);
      return 0;
    } catch (e) {
      if (e instanceof JsonSyntaxError) return charPosition(z, e.at);
      throw e;
    }
  }),
  jsonFn('json_quote', 1, 1, (a, isJson) => asJson(toJsonText(valueToNode(arg(a, 0), isJson[0] === true)))),
  jsonFn('json_array', 0, -1, (a, isJson) => asJson(toJsonText(mkArray(a.map((v, i) => valueToNode(v, isJson[i] === true)))))),
  jsonFn('json_object', 0, -1, (a, isJson) => {
    if (a.length % 2 !== 0) throw new AmberError('json_object() requires an even number of arguments');
    // A bad label stops SQLite at once; a bad value (a BLOB) is reported only at the end.
    for (let i = 0; i < a.length; i += 2) if (typeof arg(a, i) !== 'string') throw new AmberError('json_object() labels must be TEXT');
    const c: JNode[] = [];
    for (let i = 0; i < a.length; i += 2) c.push(mk(JB.TEXTRAW, arg(a, i) as string), valueToNode(arg(a, i + 1), isJson[i + 1] === true));
    return asJson(toJsonText(mkObject(c)));
  }),
  jsonFn('json_extract', 1, -1, (a) => {
    const root = docArg(arg(a, 0));
    if (root === null) return null;
    if (a.length === 2) {
      const p = pathArg(arg(a, 1));
      if (p === null) return null;
      const n = lookup(root, p);
      return n === undefined ? null : nodeToValue(n);
    }
    if (a.length < 2) return null;
    const out: JNode[] = [];
    for (let i = 1; i < a.length; i++) {
      const p = pathArg(arg(a, i));
      if (p === null) return null;
      out.push(lookup(root, p) ?? mk(JB.NULL));
    }
    return asJson(toJsonText(mkArray(out)));
  }),
  jsonFn('json_type', 1, 2, (a) => {
    const root = docArg(arg(a, 0));
    if (root === null) return null;
    if (a.length < 2) return jsonTypeName(root);
    const p = pathArg(arg(a, 1));
    if (p === null) return null;
    const n = lookup(root, p);
    return n === undefined ? null : jsonTypeName(n);
  }),
  jsonFn('json_array_length', 1, 2, (a) => {
    const root = docArg(arg(a, 0));
    if (root === null) return null;
    let n: JNode | undefined = root;
    if (a.length > 1) {
      const p = pathArg(arg(a, 1));
      if (p === null) return null;
      n = lookup(root, p);
    }
    if (n === undefined) return null;
    return n.t === JB.ARRAY ? n.c!.length : 0;
  }),
  jsonFn('json_insert', 1, -1, editFn('json_insert', 'insert')),
  jsonFn('json_replace', 1, -1, editFn('json_replace', 'replace')),
  jsonFn('json_set', 1, -1, editFn('json_set', 'set')),
  jsonFn('json_remove', 1, -1, (a) => {
    const root = docArg(arg(a, 0));
    if (root === null) return null;
    const holder = [root];
    for (let i = 1; i < a.length; i++) {
      const p = pathArg(arg(a, i));
      if (p === null) return null;
      edit(holder, p, 'remove', null);
      if (holder.length === 0) return null;
    }
    return asJson(toJsonText(holder[0]!));
  }),
  jsonFn('json_patch', 2, 2, (a) => {
    const t = docArg(arg(a, 0));
    if (t === null) return null;
    const p = docArg(arg(a, 1));
    if (p === null) return null;
    return asJson(toJsonText(mergePatch(t, p)));
  }),
];

// ---- aggregates -------------------------------------------------------------------------------

/** json_group_array / json_group_object: keeps each element's text so inverse() can drop the oldest. */
class JsonGroup {
  private parts: string[] = [];
  private head = 0;
  constructor(private readonly object: boolean) {}
  step(args: SqlValue[]): void {
    this.stepJson(args, NO_JSON);
  }
  stepJson(args: SqlValue[], isJson: readonly boolean[]): void {
    wrap(() => {
      if (this.object) {
        const k = args[0] ?? null;
        if (k === null) return;
        // the label is read as a C string: it ends at the first NUL
        const label = toText(k) as string;
        const nul = label.indexOf('\u0000');
        this.parts.push(quoteJsonString(nul < 0 ? label : label.slice(0, nul)) + ':' + toJsonText(valueToNode(args[1] ?? null, isJson[1] === true)));
      } else {
        this.parts.push(toJsonText(valueToNode(args[0] ?? null, isJson[0] === true)));
      }
    });
  }
  inverse(args: SqlValue[]): void {
    if (this.object && (args[0] ?? null) === null) return;
    this.head++;
    if (this.head > 64 && this.head * 2 > this.parts.length) {
      this.parts = this.parts.slice(this.head);
      this.head = 0;
    }
  }
  value(): SqlValue {
    const body = this.parts.slice(this.head).join(',');
    return asJson(this.object ? '{' + body + '}' : '[' + body + ']');
  }
  final(): SqlValue {
    return this.value();
  }
}

export function createJsonGroupArray(): JsonGroup {
  return new JsonGroup(false);
}
export function createJsonGroupObject(): JsonGroup {
  return new JsonGroup(true);
}

// ---- json_each / json_tree --------------------------------------------------------------------

function isSimpleLabel(k: string): boolean {
  return /^[A-Za-z][A-Za-z0-9]*$/.test(k);
}

/**
 * Rows of json_each (recursive=false) or json_tree (recursive=true) as SQLite produces them:
 * [key, value, type, atom, id, parent, fullkey, path]. `id` is the element's byte offset in
 * the JSONB encoding (the label's offset for object members), `parent` the parent row's id
 * (json_tree only). Throws AmberError for malformed JSON or a bad path.
 */
export function jsonEachRows(json: SqlValue, path: SqlValue | undefined, recursive: boolean): SqlValue[][] {
  return wrap(() => {
    const root = docArg(json);
    if (root === null) return [];
    let p = '$';
    if (path !== undefined) {
      if (path === null) return [];
      p = toText(path) as string;
    }
    if (p[0] !== '$') throw new PathError(p);
    /** The element at path p with its JSONB offset (label offset for members), or null. */
    const locate = (p: string): { node: JNode; off: number; labelOff: number; key: SqlValue; parentPath: string } | null => {
      let node = root;
      let off = 0;
      let labelOff = -1;
      let key: SqlValue = null;
      let i = 1;
      let parentPath = '$';
      let full = '$';
      while (i < p.length) {
        const ch = p[i];
        let next: { n: JNode; off: number; labelOff: number; key: SqlValue; seg: string } | null = null;
        if (ch === '.') {
          let j: number;
          let k: string;
          if (p[i + 1] === '"') {
            j = p.indexOf('"', i + 2);
            if (j < 0) throw new PathError(p);
            k = decodeString(mk(JB.TEXT5, p.slice(i + 2, j)));
            j++;
          } else {
            j = i + 1;
            while (j < p.length && p[j] !== '.' && p[j] !== '[') j++;
            if (j === i + 1) throw new PathError(p);
            k = p.slice(i + 1, j);
          }
          if (node.t === JB.OBJECT) {
            let o = off + nodeHeaderSize(node);
            const c = node.c!;
            for (let m = 0; m < c.length; m += 2) {
              const lab = c[m]!;
              if (decodeString(lab) === k) {
                next = { n: c[m + 1]!, off: o + encodedSize(lab), labelOff: o, key: k, seg: p.slice(i, j) };
                break;
              }
              o += encodedSize(lab) + encodedSize(c[m + 1]!);
            }
          }
          i = j;
        } else if (ch === '[') {
          if (node.t !== JB.ARRAY) return null;
          let j = i + 1;
          let n = 0;
          let fromEnd = false;
          while (j < p.length && p[j]! >= '0' && p[j]! <= '9') n = n * 10 + (p.charCodeAt(j++) - 48);
          if (!(j > i + 1 && p[j] === ']')) {
            if (p[i + 1] !== '#') throw new PathError(p);
            fromEnd = true;
            j = i + 2;
            n = 0;
            if (p[j] === '-' && p[j + 1]! >= '0' && p[j + 1]! <= '9') {
              j++;
              while (j < p.length && p[j]! >= '0' && p[j]! <= '9') n = n * 10 + (p.charCodeAt(j++) - 48);
            }
            if (p[j] !== ']') throw new PathError(p);
          }
          const c = node.c!;
          const idx = fromEnd ? c.length - n : n;
          if (idx >= 0 && idx < c.length) {
            let o = off + nodeHeaderSize(node);
            for (let m = 0; m < idx; m++) o += encodedSize(c[m]!);
            next = { n: c[idx]!, off: o, labelOff: -1, key: idx, seg: `[${idx}]` };
          }
          i = j + 1;
        } else {
          throw new PathError(p);
        }
        if (next === null) return null;
        parentPath = full;
        full += next.seg;
        node = next.n;
        off = next.off;
        labelOff = next.labelOff;
        key = next.key;
      }
      return { node, off, labelOff, key, parentPath };
    };
    const at = locate(p);
    if (at === null) return [];
    const { node, off, labelOff } = at;
    const full = p;
    const rows: SqlValue[][] = [];
    const atom = (n: JNode): SqlValue => (n.c !== null ? null : nodeToValue(n));
    const value = (n: JNode): SqlValue => nodeToValue(n);
    const childFull = (base: string, k: string | number): string =>
      typeof k === 'number' ? `${base}[${k}]` : isSimpleLabel(k) ? `${base}.${k}` : `${base}."${k}"`;
    const labelText = (lab: JNode): string => stringContent(lab);
    const visit = (n: JNode, nOff: number, id: number, k: SqlValue, parent: SqlValue, fk: string, pth: string): void => {
      rows.push([k, value(n), jsonTypeName(n), atom(n), id, parent, fk, pth]);
      if (n.c !== null) children(n, nOff, id, fk, true);
    };
    const children = (n: JNode, nOff: number, parentId: number, fk: string, deep: boolean): void => {
      let o = nOff + nodeHeaderSize(n);
      const c = n.c!;
      if (n.t === JB.ARRAY) {
        for (let m = 0; m < c.length; m++) {
          const v = c[m]!;
          if (deep && recursive) visit(v, o, o, m, parentId, childFull(fk, m), fk);
          else rows.push([m, value(v), jsonTypeName(v), atom(v), o, recursive ? parentId : null, childFull(fk, m), fk]);
          o += encodedSize(v);
        }
      } else {
        for (let m = 0; m < c.length; m += 2) {
          const lab = c[m]!;
          const v = c[m + 1]!;
          const k = decodeString(lab);
          const f = childFull(fk, labelText(lab));
          if (deep && recursive) visit(v, o + encodedSize(lab), o, k, parentId, f, fk);
          else rows.push([k, value(v), jsonTypeName(v), atom(v), o, recursive ? parentId : null, f, fk]);
          o += encodedSize(lab) + encodedSize(v);
        }
      }
    };
    const id = labelOff >= 0 ? labelOff : off;
    if (recursive) {
      // jsonEachPathLength: the root row's path is the longest prefix of p (cut at '.' or '[')
      // whose element's payload starts where this row starts (this row is its first child);
      // its key is the text after that prefix, read as SQLite reads it (so '$."a".b' may give
      // the key 'a".' when b is not a's first member).
      let n = p.length;
      if (n >= 2) {
        while (n > 1) {
          n--;
          if (p[n] !== '[' && p[n] !== '.') continue;
          let found: ReturnType<typeof locate> = null;
          try {
            found = locate(p.slice(0, n));
          } catch {
            found = null;
          }
          if (found !== null && found.off + nodeHeaderSize(found.node) === id) break;
        }
      }
      // SQLite slices the key out of the path by bytes, so a multi-byte character can be cut
      let rootKey: SqlValue = null;
      const bytes = Buffer.from(p, 'utf8');
      const bn = Buffer.byteLength(p.slice(0, n), 'utf8');
      const len = bytes.length - bn;
      if (p.length > 1 && len > 0) {
        if (p[n] === '[') rootKey = Number(/^\d*/.exec(p.slice(n + 1))![0] || '0');
        else if (p[n + 1] === '"') rootKey = bytes.subarray(bn + 2, bn + 2 + Math.max(0, len - 3)).toString('utf8');
        else rootKey = bytes.subarray(bn + 1, bn + len).toString('utf8');
      }
      visit(node, off, id, rootKey, null, full, p.slice(0, n));
    } else if (node.c !== null) {
      children(node, off, id, full, false);
    } else {
      rows.push([null, value(node), jsonTypeName(node), atom(node), id, null, full, full]);
    }
    lastSubtype = false;
    return rows;
  });
}
