// The JSON value model of the JSON functions: a tree of nodes that mirrors SQLite's JSONB elements
// (json.c), parsed from JSON/JSON5 text or decoded from a JSONB blob, printed as canonical JSON.
// In: TEXT (JSON5 accepted) or a JSONB BLOB. Out: JNode trees, canonical JSON text, JSONB bytes.
// Keeping SQLite's element types (TEXT vs TEXTJ vs TEXT5 …) and raw payloads matters twice: the
// canonical text is derived from them exactly as SQLite does, and json_each's `id` column is a
// byte offset into the JSONB encoding, which depends on payload sizes.

export const JB = {
  NULL: 0, TRUE: 1, FALSE: 2, INT: 3, INT5: 4, FLOAT: 5, FLOAT5: 6,
  TEXT: 7, TEXTJ: 8, TEXT5: 9, TEXTRAW: 10, ARRAY: 11, OBJECT: 12,
} as const;

/**
 * One element. Scalars carry `s`, the JSONB payload (the raw source text of a number or of a
 * string between its quotes; TEXTRAW holds unescaped text). Arrays carry values in `c`; objects
 * carry label, value, label, value … in `c` (duplicate labels are kept, lookups take the first).
 */
export interface JNode {
  t: number;
  s: string;
  c: JNode[] | null;
}

export const mk = (t: number, s = ''): JNode => ({ t, s, c: null });
export const mkArray = (c: JNode[]): JNode => ({ t: JB.ARRAY, s: '', c });
export const mkObject = (c: JNode[]): JNode => ({ t: JB.OBJECT, s: '', c });

export class JsonSyntaxError extends Error {
  /** 0-based UTF-16 index in the input of the first error. */
  constructor(readonly at: number) {
    super('malformed JSON');
  }
}

const MAX_DEPTH = 1000;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isHex = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isAlnum = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isStdSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;
const isId1 = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c >= 0x80;
const isId2 = (c: number): boolean => isId1(c) || isDigit(c);

/** Length of the JSON5 whitespace and comments at z[i] (0 if none). */
function json5Space(z: string, i: number): number {
  const start = i;
  for (;;) {
    const c = z.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12 || c === 0xa0 || c === 0x1680 ||
        (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f ||
        c === 0x3000 || c === 0xfeff) {
      i++;
    } else if (c === 47 && z.charCodeAt(i + 1) === 42) {
      const end = z.indexOf('*/', i + 2);
      if (end < 0) return i - start;
      i = end + 2;
    } else if (c === 47 && z.charCodeAt(i + 1) === 47) {
      i += 2;
      while (i < z.length) {
        const d = z.charCodeAt(i);
        if (d === 0) break;
        i++;
        if (d === 10 || d === 13 || d === 0x2028 || d === 0x2029) break;
      }
    } else {
      return i - start;
    }
  }
}

function is4Hex(z: string, i: number): boolean {
  return isHex(z.charCodeAt(i)) && isHex(z.charCodeAt(i + 1)) && isHex(z.charCodeAt(i + 2)) && isHex(z.charCodeAt(i + 3));
}

const NAN_INF: ReadonlyArray<readonly [string, number]> = [
  ['inf', JB.FLOAT], ['infinity', JB.FLOAT], ['nan', JB.NULL], ['qnan', JB.NULL], ['snan', JB.NULL],
];

/** Result codes of parseValue besides a positive end index: as jsonTranslateTextToBlob. */
const END = 0, CLOSE_OBJ = -2, CLOSE_ARR = -3, COMMA = -4, COLON = -5, ERR = -1;

/** A recursive-descent JSON5 parser that follows jsonTranslateTextToBlob's control flow. */
class TextParser {
  err = 0;
  depth = 0;
  out: JNode | null = null;
  constructor(readonly z: string) {}

  c(i: number): number {
    return i < this.z.length ? this.z.charCodeAt(i) : 0;
  }

  fail(i: number): number {
    this.err = i;
    return ERR;
  }

  /** Parses a value at i: its end index (>0), or a negative code; the node goes to `out`. */
  value(i: number): number {
    const z = this.z;
    for (;;) {
      const c = this.c(i);
      switch (c) {
        case 123: return this.object(i);
        case 91: return this.array(i);
        case 34: case 39: return this.string(i, c);
        case 116: // t
          if (z.startsWith('true', i) && !isAlnum(this.c(i + 4))) { this.out = mk(JB.TRUE); return i + 4; }
          return this.fail(i);
        case 102: // f
          if (z.startsWith('false', i) && !isAlnum(this.c(i + 5))) { this.out = mk(JB.FALSE); return i + 5; }
          return this.fail(i);
        case 110: // n
          if (z.startsWith('null', i) && !isAlnum(this.c(i + 4))) { this.out = mk(JB.NULL); return i + 4; }
          return this.keyword(i);
        case 43: case 45: case 46: case 48: case 49: case 50: case 51: case 52: case 53: case 54: case 55: case 56: case 57:
          return this.number(i);
        case 125: this.err = i; return CLOSE_OBJ;
        case 93: this.err = i; return CLOSE_ARR;
        case 44: this.err = i; return COMMA;
        case 58: this.err = i; return COLON;
        case 0: return END;
        case 32: case 9: case 10: case 13:
          i++;
          while (isStdSpace(this.c(i))) i++;
          continue;
        default: {
          const n = json5Space(z, i);
          if (n > 0) { i += n; continue; }
          return this.keyword(i);
        }
      }
    }
  }

  keyword(i: number): number {
    for (const [word, t] of NAN_INF) {
      if (this.z.slice(i, i + word.length).toLowerCase() !== word) continue;
      if (isAlnum(this.c(i + word.length))) continue;
      this.out = t === JB.FLOAT ? mk(JB.FLOAT, '9e999') : mk(JB.NULL);
      return i + word.length;
    }
    return this.fail(i);
  }

  number(i: number): number {
    const z = this.z;
    let t = 0; // 1: JSON5, 2: float
    let j = i;
    const c = this.c(i);
    let finish = false;
    if (c === 46) { // '.'
      if (!isDigit(this.c(i + 1))) return this.fail(i);
      t = 3;
    } else if (c <= 48) {
      if (c === 48) {
        if ((this.c(i + 1) === 120 || this.c(i + 1) === 88) && isHex(this.c(i + 2))) {
          t = 1;
          for (j = i + 3; isHex(this.c(j)); j++);
          finish = true;
        } else if (isDigit(this.c(i + 1))) {
          return this.fail(i + 1);
        }
      } else {
        if (!isDigit(this.c(i + 1))) {
          const n1 = this.c(i + 1);
          if ((n1 === 73 || n1 === 105) && z.slice(i + 1, i + 4).toLowerCase() === 'inf') {
            this.out = mk(JB.FLOAT, c === 45 ? '-9e999' : '9e999');
            return i + (z.slice(i + 4, i + 9).toLowerCase() === 'inity' ? 9 : 4);
          }
          if (n1 === 46 && isDigit(this.c(i + 2))) {
            t = 1;
          } else {
            return this.fail(i);
          }
        } else if (this.c(i + 1) === 48) {
          if (isDigit(this.c(i + 2))) return this.fail(i + 1);
          if ((this.c(i + 2) === 120 || this.c(i + 2) === 88) && isHex(this.c(i + 3))) {
            t = 1;
            for (j = i + 4; isHex(this.c(j)); j++);
            finish = true;
          }
        }
      }
    }
    if (!finish) {
      let seenE = false;
      for (j = i + 1; ; j++) {
        const d = this.c(j);
        if (isDigit(d)) continue;
        if (d === 46) {
          if (t & 2) return this.fail(j);
          t |= 2;
          continue;
        }
        if (d === 101 || d === 69) {
          if (this.c(j - 1) < 48) {
            if (this.c(j - 1) === 46 && j - 2 >= i && isDigit(this.c(j - 2))) t |= 1;
            else return this.fail(j);
          }
          if (seenE) return this.fail(j);
          t |= 2;
          seenE = true;
          let e = this.c(j + 1);
          if (e === 43 || e === 45) { j++; e = this.c(j + 1); }
          if (e < 48 || e > 57) return this.fail(j);
          continue;
        }
        break;
      }
      if (this.c(j - 1) < 48) {
        if (this.c(j - 1) === 46 && j - 2 >= i && isDigit(this.c(j - 2))) t |= 1;
        else return this.fail(j);
      }
    }
    const start = c === 43 ? i + 1 : i;
    if (c === 43) t |= 1;
    const type = t & 2 ? (t & 1 ? JB.FLOAT5 : JB.FLOAT) : (t & 1 ? JB.INT5 : JB.INT);
    this.out = mk(type, z.slice(start, j));
    return j;
  }

  string(i: number, delim: number): number {
    let type: number = delim === 39 ? JB.TEXT5 : JB.TEXT;
    let j = i + 1;
    for (;;) {
      if (j >= this.z.length) return this.fail(j);
      const c = this.z.charCodeAt(j);
      if (c === delim) break;
      if (c === 92) {
        const e = this.c(++j);
        if (e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116 || (e === 117 && is4Hex(this.z, j + 1))) {
          if (type === JB.TEXT) type = JB.TEXTJ;
        } else if (e === 39 || e === 118 || e === 10 || (e === 48 && !isDigit(this.c(j + 1))) || e === 0x2028 || e === 0x2029 ||
                   (e === 120 && isHex(this.c(j + 1)) && isHex(this.c(j + 2)))) {
          type = JB.TEXT5;
        } else if (e === 13) {
          if (this.c(j + 1) === 10) j++;
          type = JB.TEXT5;
        } else {
          return this.fail(j);
        }
      } else if (c <= 0x1f) {
        if (c === 0) return this.fail(j);
        type = JB.TEXT5;
      } else if (c === 34) {
        type = JB.TEXT5;
      }
      j++;
    }
    this.out = mk(type, this.z.slice(i + 1, j));
    return j + 1;
  }

  array(i: number): number {
    if (++this.depth > MAX_DEPTH) return this.fail(i);
    const items: JNode[] = [];
    let j: number;
    for (j = i + 1; ; j++) {
      let x = this.value(j);
      if (x <= 0) {
        if (x === CLOSE_ARR) { j = this.err; break; }
        if (x !== ERR) this.err = j;
        return ERR;
      }
      items.push(this.out!);
      j = x;
      let c = this.c(j);
      if (c === 44) continue;
      if (c === 93) break;
      if (isStdSpace(c)) {
        j++;
        while (isStdSpace(this.c(j))) j++;
        c = this.c(j);
        if (c === 44) continue;
        if (c === 93) break;
      }
      x = this.value(j);
      if (x === COMMA) { j = this.err; continue; }
      if (x === CLOSE_ARR) { j = this.err; break; }
      this.err = j;
      return ERR;
    }
    this.depth--;
    this.out = mkArray(items);
    return j + 1;
  }

  object(i: number): number {
    if (++this.depth > MAX_DEPTH) return this.fail(i);
    const items: JNode[] = [];
    let j: number;
    for (j = i + 1; ; j++) {
      let x = this.value(j);
      let key: JNode;
      if (x <= 0) {
        if (x === CLOSE_OBJ) { j = this.err; break; }
        j += json5Space(this.z, j);
        const c = this.c(j);
        let type: number = JB.TEXT;
        if (isId1(c) || (c === 92 && this.c(j + 1) === 117 && is4Hex(this.z, j + 2))) {
          if (c === 92) type = JB.TEXTJ;
          let k = j + 1;
          for (;;) {
            const d = this.c(k);
            if (isId2(d) && json5Space(this.z, k) === 0) { k++; continue; }
            if (d === 92 && this.c(k + 1) === 117 && is4Hex(this.z, k + 2)) { type = JB.TEXTJ; k++; continue; }
            break;
          }
          key = mk(type, this.z.slice(j, k));
          x = k;
        } else {
          if (x !== ERR) this.err = j;
          return ERR;
        }
      } else {
        key = this.out!;
        if (key.t < JB.TEXT || key.t > JB.TEXTRAW) return this.fail(j);
      }
      j = x;
      let parsedColon = false;
      if (this.c(j) === 58) {
        j++;
      } else {
        if (isStdSpace(this.c(j))) {
          do j++; while (isStdSpace(this.c(j)));
          if (this.c(j) === 58) { j++; parsedColon = true; }
        }
        if (!parsedColon) {
          x = this.value(j);
          if (x !== COLON) {
            if (x !== ERR) this.err = j;
            return ERR;
          }
          j = this.err + 1;
        }
      }
      x = this.value(j);
      if (x <= 0) {
        if (x !== ERR) this.err = j;
        return ERR;
      }
      items.push(key, this.out!);
      j = x;
      let c = this.c(j);
      if (c === 44) continue;
      if (c === 125) break;
      if (isStdSpace(c)) {
        j++;
        while (isStdSpace(this.c(j))) j++;
        c = this.c(j);
        if (c === 44) continue;
        if (c === 125) break;
      }
      x = this.value(j);
      if (x === COMMA) { j = this.err; continue; }
      if (x === CLOSE_OBJ) { j = this.err; break; }
      this.err = j;
      return ERR;
    }
    this.depth--;
    this.out = mkObject(items);
    return j + 1;
  }
}

/** Parses JSON5 text; throws JsonSyntaxError with the position of the first error. */
export function parseJsonText(z: string): JNode {
  const p = new TextParser(z);
  let i = p.value(0);
  if (i > 0) {
    while (isStdSpace(p.c(i))) i++;
    if (i < z.length) {
      i += json5Space(z, i);
      // Invariant (as SQLite): the reported position is the last one the parser recorded.
      if (i < z.length) throw new JsonSyntaxError(p.err);
    }
    return p.out!;
  }
  throw new JsonSyntaxError(p.err);
}

// ---- canonical text ---------------------------------------------------------------------------

const HEX = '0123456789abcdef';
const SHORT_ESC: Record<number, string> = { 8: 'b', 9: 't', 10: 'n', 12: 'f', 13: 'r' };

function controlEscape(c: number): string {
  const s = SHORT_ESC[c];
  return s !== undefined ? '\\' + s : '\\u00' + HEX[c >> 4] + HEX[c & 15];
}

/** A JS string as a JSON string literal (jsonAppendString). */
export function quoteJsonString(s: string): string {
  let out = '"';
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 || c === 92 || c <= 0x1f) {
      out += s.slice(run, i) + (c <= 0x1f ? controlEscape(c) : '\\' + s[i]);
      run = i + 1;
    }
  }
  return out + s.slice(run) + '"';
}

/** A TEXT5 payload as canonical JSON string content. */
function normalizeText5(z: string): string {
  let out = '';
  let i = 0;
  const n = z.length;
  while (i < n) {
    const c = z.charCodeAt(i);
    if (c === 34) { out += '\\"'; i++; continue; }
    if (c <= 0x1f) { out += controlEscape(c); i++; continue; }
    if (c !== 92) { out += z[i]; i++; continue; }
    const e = z.charCodeAt(i + 1);
    switch (e) {
      case 39: out += "'"; break;
      case 118: out += '\\u000b'; break;
      case 120: out += '\\u00' + z.slice(i + 2, i + 4); i += 2; break;
      case 48: out += '\\u0000'; break;
      case 13: if (z.charCodeAt(i + 2) === 10) i++; break;
      case 10: case 0x2028: case 0x2029: break;
      default: out += z.slice(i, i + 2);
    }
    i += 2;
  }
  return out;
}

function normalizeInt(z: string): string {
  let sign = '';
  if (z[0] === '-') { sign = '-'; z = z.slice(1); } else if (z[0] === '+') z = z.slice(1);
  if (z[0] === '0' && (z[1] === 'x' || z[1] === 'X')) {
    const v = BigInt('0x' + z.slice(2));
    if (v > 0xffffffffffffffffn) return sign + '9.0e999';
    return sign + v.toString();
  }
  return sign + z;
}

function normalizeReal(z: string): string {
  let sign = '';
  if (z[0] === '-') { sign = '-'; z = z.slice(1); } else if (z[0] === '+') z = z.slice(1);
  if (z[0] === '.') z = '0' + z;
  const dot = z.indexOf('.');
  if (dot >= 0 && !isDigit(z.charCodeAt(dot + 1))) z = z.slice(0, dot + 1) + '0' + z.slice(dot + 1);
  return sign + z;
}

/** Canonical content (no quotes) of a string node. */
export function stringContent(n: JNode): string {
  switch (n.t) {
    case JB.TEXT: case JB.TEXTJ: return n.s;
    case JB.TEXT5: return normalizeText5(n.s);
    default: return quoteJsonString(n.s).slice(1, -1);
  }
}

/** Canonical (minified) JSON text of a node. */
export function toJsonText(n: JNode): string {
  switch (n.t) {
    case JB.NULL: return 'null';
    case JB.TRUE: return 'true';
    case JB.FALSE: return 'false';
    case JB.INT: case JB.FLOAT: return n.s;
    case JB.INT5: return normalizeInt(n.s);
    case JB.FLOAT5: return normalizeReal(n.s);
    case JB.TEXT: case JB.TEXTJ: case JB.TEXT5: case JB.TEXTRAW: return '"' + stringContent(n) + '"';
    case JB.ARRAY: return '[' + n.c!.map(toJsonText).join(',') + ']';
    default: {
      const c = n.c!;
      let out = '{';
      for (let k = 0; k < c.length; k += 2) {
        if (k > 0) out += ',';
        out += toJsonText(c[k]!) + ':' + toJsonText(c[k + 1]!);
      }
      return out + '}';
    }
  }
}

/** json_pretty: one element per line, `indent` repeated per level. */
export function toPrettyText(n: JNode, indent: string, level = 0): string {
  const c = n.c;
  if (c === null || c.length === 0) return toJsonText(n);
  const pad = indent.repeat(level + 1);
  const parts: string[] = [];
  if (n.t === JB.ARRAY) {
    for (const v of c) parts.push(pad + toPrettyText(v, indent, level + 1));
  } else {
    for (let k = 0; k < c.length; k += 2) parts.push(pad + toJsonText(c[k]!) + ': ' + toPrettyText(c[k + 1]!, indent, level + 1));
  }
  const open = n.t === JB.ARRAY ? '[' : '{';
  const close = n.t === JB.ARRAY ? ']' : '}';
  return open + '\n' + parts.join(',\n') + '\n' + indent.repeat(level) + close;
}

/** The decoded text of a string node (escapes resolved), as SQL TEXT. */
export function decodeString(n: JNode): string {
  if (n.t === JB.TEXTRAW || n.t === JB.TEXT) return n.s;
  // SQLite quirk: a TEXT5 string ending in a line continuation decodes with a trailing NUL.
  const tail = n.t === JB.TEXT5 && /\\(\r\n|[\r\n\u2028\u2029])$/.test(n.s) ? '\u0000' : '';
  return decodeEscapes(stringContent(n)) + tail;
}

function decodeEscapes(z: string): string {
  if (z.indexOf('\\') < 0) return z;
  let out = '';
  for (let i = 0; i < z.length; i++) {
    const ch = z[i]!;
    if (ch !== '\\') { out += ch; continue; }
    const e = z[++i];
    switch (e) {
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': out += String.fromCharCode(parseInt(z.slice(i + 1, i + 5), 16)); i += 4; break;
      default: out += e ?? '';
    }
  }
  return out;
}

// ---- JSONB ------------------------------------------------------------------------------------

const enc = new TextEncoder();
const dec = new TextDecoder();

function utf8Len(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n++;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { n += 4; i++; }
    else n += 3;
  }
  return n;
}

function headerLen(payload: number): number {
  return payload <= 11 ? 1 : payload <= 0xff ? 2 : payload <= 0xffff ? 3 : 5;
}

/** Payload size in bytes of a node's JSONB encoding. */
export function payloadSize(n: JNode): number {
  if (n.c === null) return utf8Len(n.s);
  let sz = 0;
  for (const x of n.c) sz += encodedSize(x);
  return sz;
}

/** Total JSONB size (header + payload) of a node. */
export function encodedSize(n: JNode): number {
  const p = payloadSize(n);
  return headerLen(p) + p;
}

/** Byte size of a node's header, for json_each ids. */
export function nodeHeaderSize(n: JNode): number {
  return headerLen(payloadSize(n));
}

export function toJsonb(n: JNode): Uint8Array {
  const out: number[] = [];
  const put = (x: JNode): void => {
    const body: number[] = [];
    if (x.c === null) for (const b of enc.encode(x.s)) body.push(b);
    const payload = x.c === null ? body.length : payloadSize(x);
    if (payload <= 11) out.push((payload << 4) | x.t);
    else if (payload <= 0xff) out.push(0xc0 | x.t, payload);
    else if (payload <= 0xffff) out.push(0xd0 | x.t, payload >> 8, payload & 0xff);
    else out.push(0xe0 | x.t, (payload >>> 24) & 0xff, (payload >> 16) & 0xff, (payload >> 8) & 0xff, payload & 0xff);
    if (x.c === null) for (const b of body) out.push(b);
    else for (const y of x.c) put(y);
  };
  put(n);
  return Uint8Array.from(out);
}

/** Decodes a JSONB blob; null when it is not well-formed JSONB (then callers try it as text). */
export function fromJsonb(b: Uint8Array): JNode | null {
  const at = (i: number, end: number): [JNode, number] | null => {
    if (i >= end) return null;
    const h = b[i]!;
    const t = h & 15;
    let sz = h >> 4;
    let p = i + 1;
    if (sz >= 12) {
      const nb = sz === 12 ? 1 : sz === 13 ? 2 : sz === 14 ? 4 : 8;
      if (p + nb > end) return null;
      sz = 0;
      for (let k = 0; k < nb; k++) sz = sz * 256 + b[p + k]!;
      p += nb;
    }
    const stop = p + sz;
    if (stop > end || t > 12) return null;
    if (t <= 2) return sz === 0 ? [mk(t), stop] : null;
    if (t < JB.ARRAY) {
      if (sz === 0 && t !== JB.TEXT && t !== JB.TEXTJ && t !== JB.TEXT5 && t !== JB.TEXTRAW) return null;
      return [mk(t, dec.decode(b.subarray(p, stop))), stop];
    }
    const c: JNode[] = [];
    let q = p;
    while (q < stop) {
      const r = at(q, stop);
      if (r === null) return null;
      if (t === JB.OBJECT && c.length % 2 === 0 && (r[0].t < JB.TEXT || r[0].t > JB.TEXTRAW)) return null;
      c.push(r[0]);
      q = r[1];
    }
    if (t === JB.OBJECT && c.length % 2 !== 0) return null;
    return [{ t, s: '', c }, stop];
  };
  const r = at(0, b.length);
  return r !== null && r[1] === b.length ? r[0] : null;
}
