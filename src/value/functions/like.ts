// LIKE and GLOB: pattern text + subject text → match or not (SQLite's patternCompare, func.c).
//
//   LIKE  %  any run of characters     _  any one character     ESCAPE c  makes the next char literal
//         ASCII letters only compare case-insensitively ('a' LIKE 'A', but 'é' NOT LIKE 'É').
//   GLOB  *  any run                   ?  any one               [abc] [a-z] [^...] []...] [^]...]
//         case-sensitive; no escape character.
//
// Characters are Unicode code points; both texts end at their first NUL, as C strings do in
// SQLite. A pattern is compiled once into tokens (escapes and classes resolved), then matched
// with SQLite's backtracking and its "no wildcard match" cut-off, which keeps '%a%b%c' patterns
// from going exponential. Common shapes (literal, 'abc%', '%abc', '%abc%') get direct matchers.
// Errors (AmberError, SQLITE_ERROR): "ESCAPE expression must be a single character",
// "LIKE or GLOB pattern too complex" (pattern over 50000 bytes, SQLITE_LIMIT_LIKE_PATTERN_LENGTH).

import { AmberError } from '../amber-error';

/** SQLITE_MAX_LIKE_PATTERN_LENGTH */
const MAX_PATTERN_BYTES = 50000;

const enum Tok {
  Lit,
  One,
  Many,
  Class,
}

type Token =
  | { readonly t: Tok.Lit; readonly cp: number }
  | { readonly t: Tok.One }
  | { readonly t: Tok.Many }
  | { readonly t: Tok.Class; readonly ranges: Int32Array; readonly invert: boolean };

const ONE: Token = Object.freeze({ t: Tok.One });
const MANY: Token = Object.freeze({ t: Tok.Many });

// Results of the matcher, as in SQLite: NOWILD means "no later position can match either".
const MATCH = 0;
const NOMATCH = 1;
const NOWILD = 2;

function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

function cString(s: string): string {
  const k = s.indexOf('\0');
  return k < 0 ? s : s.slice(0, k);
}

function fold(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function codePoints(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i) as number;
    out.push(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  return out;
}

function checkLength(pattern: string): void {
  if (pattern.length > MAX_PATTERN_BYTES / 3 && utf8Length(pattern) > MAX_PATTERN_BYTES) {
    throw new AmberError('LIKE or GLOB pattern too complex');
  }
}

/** The escape code point, or -1 for none; throws unless `escape` is exactly one character. */
function escapeCodePoint(escape: string | null): number {
  if (escape === null) return -1;
  const e = cString(escape);
  const cp = e.codePointAt(0);
  if (cp === undefined || e.length !== (cp > 0xffff ? 2 : 1)) {
    throw new AmberError('ESCAPE expression must be a single character');
  }
  return cp;
}

/** Tokens of a LIKE pattern, or null when the pattern can never match (a trailing lone escape). */
function tokenizeLike(pattern: string, esc: number): Token[] | null {
  // An ESCAPE of '%' or '_' turns that wildcard off (SQLite's backupInfo).
  const all = esc === 37 ? -1 : 37;
  const one = esc === 95 ? -1 : 95;
  const cps = codePoints(cString(pattern));
  const toks: Token[] = [];
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i] as number;
    if (c === all) toks.push(MANY);
    else if (c === esc) {
      if (++i >= cps.length) return null;
      toks.push({ t: Tok.Lit, cp: cps[i] as number });
    } else if (c === one) toks.push(ONE);
    else toks.push({ t: Tok.Lit, cp: c });
  }
  return toks;
}

/** Tokens of a GLOB pattern, or null when it can never match (an unterminated '['). */
function tokenizeGlob(pattern: string): Token[] | null {
  const cps = codePoints(cString(pattern));
  const toks: Token[] = [];
  const n = cps.length;
  for (let i = 0; i < n; i++) {
    const c = cps[i] as number;
    if (c === 42) toks.push(MANY);
    else if (c === 63) toks.push(ONE);
    else if (c === 91) {
      // '[' … ']': pairs of [lo, hi] ranges
      const ranges: number[] = [];
      let invert = false;
      let k = i + 1;
      let c2 = k < n ? (cps[k++] as number) : 0;
      if (c2 === 94) {
        invert = true;
        c2 = k < n ? (cps[k++] as number) : 0;
      }
      if (c2 === 93) {
        ranges.push(93, 93);
        c2 = k < n ? (cps[k++] as number) : 0;
      }
      let prior = 0;
      while (c2 !== 0 && c2 !== 93) {
        if (c2 === 45 && k < n && cps[k] !== 93 && prior > 0) {
          c2 = cps[k++] as number;
          ranges.push(prior, c2);
          prior = 0;
        } else {
          ranges.push(c2, c2);
          prior = c2;
        }
        c2 = k < n ? (cps[k++] as number) : 0;
      }
      if (c2 === 0) return null;
      toks.push({ t: Tok.Class, ranges: Int32Array.from(ranges), invert });
      i = k - 1;
    } else toks.push({ t: Tok.Lit, cp: c });
  }
  return toks;
}

function inClass(tok: { readonly ranges: Int32Array; readonly invert: boolean }, x: number): boolean {
  const r = tok.ranges;
  let seen = false;
  for (let i = 0; i < r.length; i += 2) {
    if (x >= (r[i] as number) && x <= (r[i + 1] as number)) {
      seen = true;
      break;
    }
  }
  return seen !== tok.invert;
}

/** patternCompare over tokens; `end` is where the subject's C string ends. */
function compare(toks: readonly Token[], ti: number, s: string, si: number, end: number, noCase: boolean): number {
  const nt = toks.length;
  while (ti < nt) {
    let tok = toks[ti++] as Token;
    if (tok.t === Tok.Many) {
      while (ti < nt && ((tok = toks[ti] as Token).t === Tok.Many || tok.t === Tok.One)) {
        ti++;
        if (tok.t === Tok.One) {
          if (si >= end) return NOWILD;
          si += (s.codePointAt(si) as number) > 0xffff ? 2 : 1;
        }
      }
      if (ti >= nt) return MATCH;
      tok = toks[ti] as Token;
      if (tok.t === Tok.Class) {
        while (si < end) {
          const r = compare(toks, ti, s, si, end, noCase);
          if (r !== NOMATCH) return r;
          si += (s.codePointAt(si) as number) > 0xffff ? 2 : 1;
        }
        return NOWILD;
      }
      // Invariant: only Lit can follow the Many/One run here.
      const c = (tok as { readonly cp: number }).cp;
      ti++;
      const fc = noCase && c < 0x80 ? fold(c) : -1;
      while (si < end) {
        const x = s.codePointAt(si) as number;
        si += x > 0xffff ? 2 : 1;
        if (x === c || (fc >= 0 && x < 0x80 && fold(x) === fc)) {
          const r = compare(toks, ti, s, si, end, noCase);
          if (r !== NOMATCH) return r;
        }
      }
      return NOWILD;
    }
    if (si >= end) return NOMATCH;
    const x = s.codePointAt(si) as number;
    si += x > 0xffff ? 2 : 1;
    switch (tok.t) {
      case Tok.One:
        continue;
      case Tok.Class:
        if (!inClass(tok, x)) return NOMATCH;
        continue;
      case Tok.Lit: {
        const c = tok.cp;
        if (x === c || (noCase && c < 0x80 && x < 0x80 && fold(x) === fold(c))) continue;
        return NOMATCH;
      }
    }
  }
  return si >= end ? MATCH : NOMATCH;
}

function subjectEnd(text: string): number {
  const k = text.indexOf('\0');
  return k < 0 ? text.length : k;
}

/** Compares s[from, from+lit.length) with lit, ASCII letters folded when noCase. */
function equalAt(s: string, from: number, lit: string, noCase: boolean): boolean {
  for (let i = 0; i < lit.length; i++) {
    const a = s.charCodeAt(from + i);
    const b = lit.charCodeAt(i);
    if (a !== b && !(noCase && a < 0x80 && fold(a) === fold(b))) return false;
  }
  return true;
}

function indexAt(s: string, lit: string, end: number, noCase: boolean): boolean {
  const last = end - lit.length;
  for (let i = 0; i <= last; i++) if (equalAt(s, i, lit, noCase)) return true;
  return false;
}

const NEVER = (): boolean => false;

/** A matcher for tokens, using a direct form for literal / prefix% / %suffix / %infix% shapes. */
function matcherFor(toks: readonly Token[] | null, noCase: boolean): (text: string) => boolean {
  if (toks === null) return NEVER;
  // Shape: Many? Lit* Many?, with literals free of surrogates (so code units = code points).
  let i = 0;
  const lead = toks.length > 0 && (toks[0] as Token).t === Tok.Many;
  if (lead) i = 1;
  let lit = '';
  let ok = true;
  for (; i < toks.length; i++) {
    const t = toks[i] as Token;
    if (t.t !== Tok.Lit) break;
    if (t.cp > 0xffff || (t.cp >= 0xd800 && t.cp <= 0xdfff)) ok = false;
    lit += String.fromCodePoint(t.cp);
  }
  const trail = i < toks.length && (toks[i] as Token).t === Tok.Many;
  if (trail) i++;
  if (ok && i === toks.length) {
    const L = lit.length;
    if (!lead && !trail) {
      return (text) => subjectEnd(text) === L && equalAt(text, 0, lit, noCase);
    }
    if (!lead) return (text) => subjectEnd(text) >= L && equalAt(text, 0, lit, noCase);
    if (!trail) {
      return (text) => {
        const end = subjectEnd(text);
        return end >= L && equalAt(text, end - L, lit, noCase);
      };
    }
    return (text) => indexAt(text, lit, subjectEnd(text), noCase);
  }
  return (text) => compare(toks, 0, text, 0, subjectEnd(text), noCase) === MATCH;
}

/**
 * A matcher for `text LIKE pattern [ESCAPE escape]`, for a pattern used on many rows. Throws the
 * ESCAPE / too-complex errors at compile time, as SQLite raises them before comparing.
 */
export function compileLike(pattern: string, escape: string | null): (text: string) => boolean {
  checkLength(pattern);
  return matcherFor(tokenizeLike(pattern, escapeCodePoint(escape)), true);
}

/** A matcher for `text GLOB pattern`. */
export function compileGlob(pattern: string): (text: string) => boolean {
  checkLength(pattern);
  return matcherFor(tokenizeGlob(pattern), false);
}

// One-entry caches: the executor calls likeMatch/globMatch per row, mostly with one pattern.
let likeKey: string | null = null;
let likeEsc: string | null = null;
let likeFn: ((text: string) => boolean) | null = null;
let globKey: string | null = null;
let globFn: ((text: string) => boolean) | null = null;

/** `text LIKE pattern [ESCAPE escape]` (escape null = no ESCAPE clause). */
export function likeMatch(pattern: string, text: string, escape: string | null): boolean {
  if (likeFn === null || pattern !== likeKey || escape !== likeEsc) {
    const f = compileLike(pattern, escape);
    likeKey = pattern;
    likeEsc = escape;
    likeFn = f;
  }
  return likeFn(text);
}

/** `text GLOB pattern`. */
export function globMatch(pattern: string, text: string): boolean {
  if (globFn === null || pattern !== globKey) {
    const f = compileGlob(pattern);
    globKey = pattern;
    globFn = f;
  }
  return globFn(text);
}

function literalPrefix(toks: readonly Token[] | null): string | null {
  if (toks === null) return null;
  let out = '';
  for (const t of toks) {
    if (t.t !== Tok.Lit) break;
    out += String.fromCodePoint(t.cp);
  }
  return out === '' ? null : out;
}

/**
 * The literal text a LIKE pattern starts with (escapes resolved), up to its first wildcard; null
 * when there is none or the pattern can never match. 'abc%' → 'abc', 'a\%b%' ESCAPE '\' → 'a%b'.
 * Matching is case-insensitive for ASCII letters, so a planner range must cover both cases.
 */
export function likePrefix(pattern: string, escape: string | null): string | null {
  return literalPrefix(tokenizeLike(pattern, escapeCodePoint(escape)));
}

/** The literal text a GLOB pattern starts with (case-sensitive), or null. */
export function globPrefix(pattern: string): string | null {
  return literalPrefix(tokenizeGlob(pattern));
}
