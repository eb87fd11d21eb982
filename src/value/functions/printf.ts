// SQLite's printf()/format(): format string + SqlValue arguments → text (or NULL).
// Follows sqlite3_str_vappendf in SQLITE_PRINTF_SQLFUNC mode, as in SQLite 3.53:
//
//   %[flags][width][.precision][l|ll]type     flags: - + space # ! 0 ,
//   types  d i u r (ordinal)  x X o p (unsigned, 64-bit two's complement)  f e E g G
//          s z c q Q w  %  n (prints nothing)  — anything else ends the output there.
//
// Width and precision count UTF-8 bytes (characters with '!'), so padding is computed from byte
// lengths while the result is built as a JS string. A missing argument is 0 / 0.0 / a NULL
// string. A format that produces no output at all (e.g. '' or '%5-d') yields NULL: SQLite never
// allocated a buffer in that case.
//
// Floating point goes through fpDecode(), a re-derivation of sqlite3FpDecode: the double is
// scaled by a 64-bit approximation of a power of ten (built at load time from exact BigInt
// arithmetic, with the same rounding SQLite's tables use) and the digits are rounded half-up in
// decimal. That is why '%.2f' of 0.125 is "0.13" and why '%!.20e' shows SQLite's own 18–19 digit
// expansion rather than the exact binary value.
//
// Compiled formats are cached (compilePrintf), because printf('%d-%s', a, b) runs once per row.

import { AmberError } from '../amber-error';
import { toInteger, toReal, toText } from '../convert';
import type { SqlValue } from '../types';

/** SQLITE_MAX_LENGTH: longer results fail with SQLITE_TOOBIG. */
const MAX_LENGTH = 1_000_000_000;
/** SQLITE_FP_PRECISION_LIMIT. */
const FP_PRECISION_LIMIT = 100_000_000;

// ---------------------------------------------------------------------------------------------
// Powers of ten as SQLite sees them (util.c powerOfTen): the top 64 bits of 10^p plus the next
// 32 bits. p in 0..26 is exact; multiples of 27 come from 96-bit values rounded to nearest
// (10^-1 is the truncated 0xcccc… special case); the rest are one 160-bit product of the two.

const MASK64 = (1n << 64n) - 1n;
const BIT63 = 1n << 63n;

function bitLength(x: bigint): number {
  return x.toString(2).length;
}

const BASE: bigint[] = [];
for (let p = 0; p <= 26; p++) {
  const t = 10n ** BigInt(p);
  const shift = 64 - bitLength(t);
  BASE.push(shift >= 0 ? t << BigInt(shift) : t >> BigInt(-shift)); // exact: 5^26 < 2^61
}

/** 10^(27*(k-13)) rounded to 96 significant bits, k = 0..25. */
const SCALE_HI: bigint[] = [];
const SCALE_LO: bigint[] = [];
for (let k = 0; k <= 25; k++) {
  const q = 27 * (k - 13);
  let v: bigint;
  if (k === 13) {
    v = (0xccccccccccccccccn << 32n) | 0xccccccccn; // 10^-1, truncated (SQLite's special case)
  } else if (q >= 0) {
    const t = 10n ** BigInt(q);
    const len = bitLength(t);
    if (len <= 96) v = t << BigInt(96 - len);
    else {
      const sh = BigInt(len - 96);
      v = (t + (1n << (sh - 1n))) >> sh;
    }
  } else {
    // 2^K / 10^-q with K chosen so the quotient has exactly 96 bits, rounded to nearest
    const d = 10n ** BigInt(-q);
    let k2 = 95 + bitLength(d);
    if (bitLength((1n << BigInt(k2)) / d) < 96) k2++;
    const num = 1n << BigInt(k2);
    v = num / d;
    if ((num % d) * 2n >= d) v += 1n;
  }
  SCALE_HI.push(v >> 32n);
  SCALE_LO.push(v & 0xffffffffn);
}

const POW10_HI = new Map<number, bigint>();
const POW10_LO = new Map<number, bigint>();

/** [top 64 bits, next 32 bits] of 10^p, p in -348..347, exactly as SQLite computes them. */
function powerOfTen(p: number): bigint {
  const cached = POW10_HI.get(p);
  if (cached !== undefined) return cached;
  let hi: bigint;
  let lo: bigint;
  let g: number;
  let n: number;
  if (p >= 0 && p < 27) {
    hi = BASE[p] as bigint;
    lo = 0n;
  } else if (p === -1) {
    hi = SCALE_HI[13] as bigint;
    lo = SCALE_LO[13] as bigint;
  } else {
    g = Math.trunc(p / 27);
    n = p % 27;
    if (p < 0 && n !== 0) {
      g--;
      n += 27;
    }
    const s = SCALE_HI[g + 13] as bigint;
    const sLo = SCALE_LO[g + 13] as bigint;
    if (n === 0) {
      hi = s;
      lo = sLo;
    } else {
      const prod = ((s << 32n) | sLo) * (BASE[n] as bigint);
      hi = prod >> 96n;
      lo = (prod >> 64n) & 0xffffffffn;
      if ((hi & BIT63) === 0n) {
        hi = ((hi << 1n) | ((lo >> 31n) & 1n)) & MASK64;
        lo = ((lo << 1n) | 1n) & 0xffffffffn;
      }
    }
  }
  POW10_HI.set(p, hi);
  POW10_LO.set(p, lo);
  return hi;
}

/** floor(log2(10^p)) and floor(log10(2^p)), with SQLite's fixed-point approximations. */
function pwr10to2(p: number): number {
  return (p * 108853) >> 15;
}
function pwr2to10(p: number): number {
  return (p * 78913) >> 18;
}

// ---------------------------------------------------------------------------------------------
// fpDecode: the decimal digits of a positive double, rounded as sqlite3FpDecode rounds them.

/** Result of fpDecode (module-level so the hot path allocates nothing but the digit string). */
const fp = {
  neg: false,
  /** 0 finite, 1 infinite, 2 NaN */
  special: 0,
  /** significant digits, no trailing zeros (except "0" for zero) */
  z: '0',
  /** position of the decimal point relative to z[0] */
  iDP: 1,
};

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * iRound > 0: keep min(iRound, mxRound) significant digits. iRound <= 0: keep -iRound digits
 * after the decimal point (at most mxRound in all). Rounds half-up on the decimal digits.
 */
export function fpDecode(r: number, iRound: number, mxRound: number): void {
  fp.special = 0;
  if (r < 0) {
    fp.neg = true;
    r = -r;
  } else if (r === 0) {
    fp.neg = false;
    fp.z = '0';
    fp.iDP = 1;
    return;
  } else {
    fp.neg = false;
  }
  if (r === Infinity || r !== r) {
    fp.special = r === Infinity ? 1 : 2;
    fp.z = '';
    fp.iDP = 0;
    return;
  }
  f64[0] = r;
  const hiWord = LITTLE ? (u32[1] as number) : (u32[0] as number);
  const loWord = LITTLE ? (u32[0] as number) : (u32[1] as number);
  let e = (hiWord >>> 20) & 0x7ff;
  let v = (BigInt(hiWord & 0xfffff) << 32n) | BigInt(loWord);
  if (e === 0) {
    const nn = 64 - bitLength(v);
    v <<= BigInt(nn);
    e = -1074 - nn;
  } else {
    v = (v << 11n) | BIT63;
    e -= 1086;
  }
  // sqlite3Fp2Convert10: about nd significant digits of v*2^e as D*10^exp.
  const nd = iRound <= 0 || iRound >= 18 ? 18 : iRound + 1;
  const p = nd - 1 - pwr2to10(e + 63);
  let h = (v * powerOfTen(p)) >> 64n;
  let d: bigint;
  if (nd === 18) {
    h >>= BigInt(-(e + pwr10to2(p) + 2));
    d = (h + ((h << 1n) & 2n)) >> 1n;
  } else {
    d = h >> BigInt(-(e + pwr10to2(p) + 1));
  }
  const exp = -p;
  let z = d.toString();
  let n = z.length;
  let iDP = n + exp;
  if (iRound <= 0) {
    iRound = iDP - iRound;
    if (iRound === 0 && z.charCodeAt(0) >= 53) {
      iRound = 1;
      z = '0' + z;
      n++;
      iDP++;
    }
  }
  if (iRound > 0 && (iRound < n || n > mxRound)) {
    if (iRound > mxRound) iRound = mxRound;
    if (iRound === 17) iRound = shortestRoundTrip(r, z, n, exp, iDP, iRound);
    const digits: number[] = [];
    for (let i = 0; i < iRound; i++) digits.push(z.charCodeAt(i) - 48);
    n = iRound;
    let lead = '';
    if (z.charCodeAt(iRound) >= 53) {
      let j = iRound - 1;
      for (;;) {
        const dj = (digits[j] as number) + 1;
        if (dj <= 9) {
          digits[j] = dj;
          break;
        }
        digits[j] = 0;
        if (j === 0) {
          lead = '1';
          iDP++;
          break;
        }
        j--;
      }
    }
    z = lead + String.fromCharCode(...digits.map((x) => x + 48));
    n = z.length;
  }
  while (n > 1 && z.charCodeAt(n - 1) === 48) n--;
  fp.z = n === z.length ? z : z.slice(0, n);
  fp.iDP = iDP;
}

/**
 * The "%!.17g" refinement: when the 17-digit form ends in a run of 9s or 0s and a shorter
 * decimal reads back as the same double, round at that shorter length (49.47, not
 * 49.469999999999999).
 */
function shortestRoundTrip(r: number, z: string, n: number, exp: number, iDP: number, iRound: number): number {
  const c = (i: number): number => z.charCodeAt(i);
  if (c(15) === 57 && c(14) === 57) {
    let jj = 14;
    while (jj > 0 && c(jj - 1) === 57) jj--;
    const v2 = jj === 0 ? 1n : BigInt(z.slice(0, jj)) + 1n;
    if (r === Number(`${v2}e${exp + n - jj}`)) return jj + 1;
  } else if (iDP >= n || (c(15) === 48 && c(14) === 48 && c(13) === 48)) {
    let jj = 13;
    while (c(jj - 1) === 48) jj--;
    const v2 = BigInt(z.slice(0, jj));
    if (r === Number(`${v2}e${exp + n - jj}`)) return jj + 1;
  }
  return iRound;
}

// ---------------------------------------------------------------------------------------------
// Compiled formats.

const enum Conv {
  Decimal, // d i u r
  Radix, // x X o p
  Float, // f
  Exp, // e E
  Generic, // g G
  Size, // n
  String, // s z
  Percent, // %
  Char, // c
  EscapeQ, // q
  EscapeQQ, // Q
  EscapeW, // w
}

interface Spec {
  readonly conv: Conv;
  readonly left: boolean;
  readonly prefix: string; // '+', ' ' or ''
  readonly alt: boolean; // #
  readonly alt2: boolean; // !
  readonly zeroPad: boolean;
  readonly thousands: boolean;
  /** -1 = from an argument */
  readonly width: number;
  /** -1 = none, -2 = from an argument */
  readonly precision: number;
  readonly signed: boolean;
  readonly base: number;
  readonly upper: boolean;
  readonly ordinal: boolean;
  /** "0x", "0X", "0" with '#' */
  readonly altPrefix: string;
}

/** A literal run of the format, or a conversion. `null` ends the output (unknown conversion). */
type Piece = string | Spec;

interface CompiledFormat {
  readonly pieces: readonly Piece[];
  /** true when the format stops at an unknown conversion */
  readonly truncated: boolean;
}

interface ConvInfo {
  conv: Conv;
  signed: boolean;
  base: number;
  upper: boolean;
  ordinal: boolean;
  altPrefix: string;
}

const CONVERSIONS = new Map<string, ConvInfo>();
function defConv(chars: string, conv: Conv, signed = false, base = 10, upper = false, altPrefix = '', ordinal = false): void {
  for (const ch of chars) CONVERSIONS.set(ch, { conv, signed, base, upper, ordinal, altPrefix });
}
defConv('di', Conv.Decimal, true);
defConv('u', Conv.Decimal);
defConv('r', Conv.Decimal, true, 10, false, '', true);
defConv('x', Conv.Radix, false, 16, false, '0x');
defConv('X', Conv.Radix, false, 16, true, '0X');
defConv('o', Conv.Radix, false, 8, false, '0');
defConv('p', Conv.Radix, false, 16, true, '0x');
defConv('f', Conv.Float, true);
defConv('e', Conv.Exp, true);
defConv('E', Conv.Exp, true, 10, true);
defConv('g', Conv.Generic, true);
defConv('G', Conv.Generic, true, 10, true);
defConv('n', Conv.Size);
defConv('sz', Conv.String);
defConv('%', Conv.Percent);
defConv('c', Conv.Char);
defConv('q', Conv.EscapeQ);
defConv('Q', Conv.EscapeQQ);
defConv('w', Conv.EscapeW);

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Parses a format string once (sqlite3_str_vappendf's flag loop, minus the arguments). */
export function compileFormat(format: string): CompiledFormat {
  const nul = format.indexOf('\0');
  const f = nul >= 0 ? format.slice(0, nul) : format;
  const pieces: Piece[] = [];
  const len = f.length;
  let i = 0;
  const at = (k: number): number => (k < len ? f.charCodeAt(k) : 0);
  while (i < len) {
    if (at(i) !== 37) {
      let j = f.indexOf('%', i);
      if (j < 0) j = len;
      pieces.push(f.slice(i, j));
      i = j;
      if (i >= len) break;
    }
    // at(i) is '%'
    i++;
    let c = at(i);
    if (c === 0) {
      pieces.push('%');
      break;
    }
    let left = false;
    let prefix = '';
    let alt = false;
    let alt2 = false;
    let zeroPad = false;
    let thousands = false;
    let width = 0;
    let precision = -1;
    let done = false;
    do {
      switch (c) {
        case 45: // -
          left = true;
          break;
        case 43: // +
          prefix = '+';
          break;
        case 32:
          prefix = ' ';
          break;
        case 35: // #
          alt = true;
          break;
        case 33: // !
          alt2 = true;
          break;
        case 48: // 0
          zeroPad = true;
          break;
        case 44: // ,
          thousands = true;
          break;
        case 108: // l
          c = at(++i);
          if (c === 108) c = at(++i);
          done = true;
          break;
        case 42: // *
          width = -1;
          if ((c = at(i + 1)) !== 46 && c !== 108) {
            c = at(++i);
            done = true;
          }
          break;
        case 46: {
          // .
          c = at(++i);
          if (c === 42) {
            precision = -2;
            c = at(++i);
          } else {
            let px = 0;
            while (isDigit(c)) {
              px = (px * 10 + c - 48) >>> 0;
              c = at(++i);
            }
            precision = px & 0x7fffffff;
          }
          if (c === 108) --i;
          else done = true;
          break;
        }
        default:
          if (c >= 49 && c <= 57) {
            let wx = c - 48;
            while (isDigit((c = at(++i)))) wx = (wx * 10 + c - 48) >>> 0;
            width = wx & 0x7fffffff;
            if (c !== 46 && c !== 108) done = true;
            else i--;
          } else {
            done = true;
          }
      }
    } while (!done && (c = at(++i)) !== 0);
    const info = c === 0 ? undefined : CONVERSIONS.get(String.fromCharCode(c));
    if (info === undefined) return { pieces, truncated: true };
    pieces.push({
      conv: info.conv,
      left,
      prefix,
      alt,
      alt2,
      zeroPad,
      // SQLite ignores ',' for %x %o %p %r
      thousands: thousands && info.conv !== Conv.Radix && !info.ordinal,
      width,
      precision,
      signed: info.signed,
      base: info.base,
      upper: info.upper,
      ordinal: info.ordinal,
      altPrefix: info.altPrefix,
    });
    i++;
  }
  return { pieces, truncated: false };
}

const cache = new Map<string, CompiledFormat>();
const CACHE_LIMIT = 256;

function compiled(format: string): CompiledFormat {
  let c = cache.get(format);
  if (c === undefined) {
    c = compileFormat(format);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(format, c);
  }
  return c;
}

// ---------------------------------------------------------------------------------------------
// Rendering.

/** UTF-8 byte length of a JS string (lone surrogates count 3, as they become U+FFFD). */
export function utf8Bytes(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 2; // 4 bytes for 2 code units
        i++;
      } else n += 2;
    } else n += 2;
  }
  return n;
}

function charBytes(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/** Text as a C string: everything before the first NUL. */
function cString(s: string): string {
  const k = s.indexOf('\0');
  return k < 0 ? s : s.slice(0, k);
}

/**
 * The prefix of `s` that fits in `limit` bytes (or `limit` characters when `byChars`). A
 * character cut in half becomes U+FFFD in the text, as it does when SQLite's output is decoded;
 * `cut.bytes` still counts the bytes SQLite kept.
 */
const cut = { text: '', bytes: 0, partial: 0 };
function prefixOf(s: string, limit: number, byChars: boolean): void {
  let bytes = 0;
  let i = 0;
  let count = 0;
  while (i < s.length) {
    const cp = s.codePointAt(i) as number;
    const units = cp > 0xffff ? 2 : 1;
    const b = charBytes(cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp);
    if (byChars) {
      if (count >= limit) break;
      count++;
    } else if (bytes + b > limit) {
      if (bytes < limit) {
        cut.text = s.slice(0, i) + '\uFFFD';
        cut.bytes = limit;
        cut.partial = limit - bytes;
        return;
      }
      break;
    }
    bytes += b;
    i += units;
  }
  cut.text = i === s.length ? s : s.slice(0, i);
  cut.bytes = bytes;
  cut.partial = 0;
}

/** Number of UTF-8 continuation bytes in s (bytes - characters). */
function continuationBytes(s: string, bytes: number): number {
  let chars = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    chars++;
  }
  return bytes - chars;
}

function tooBig(): never {
  throw new AmberError('string or blob too big', 'SQLITE_TOOBIG');
}

/** ch repeated n times, or SQLITE_TOOBIG when that alone exceeds the length limit. */
function repeat(ch: string, n: number): string {
  if (n <= 0) return '';
  if (n * ch.length > MAX_LENGTH) tooBig();
  return ch.repeat(n);
}

function spaces(n: number): string {
  return repeat(' ', n);
}

const ORDINAL = ['th', 'st', 'nd', 'rd'];

function insertThousands(digits: string): string {
  const len = digits.length;
  if (len <= 3) return digits;
  let head = (len - 1) % 3 + 1;
  let out = digits.slice(0, head);
  for (; head < len; head += 3) out += ',' + digits.slice(head, head + 3);
  return out;
}

/** %d %i %u %r %x %X %o %p */
function renderInteger(spec: Spec, arg: SqlValue | undefined, width: number, precision: number): string {
  const v = arg === undefined ? 0 : (toInteger(arg) ?? 0);
  let sign = '';
  let digits: string;
  let isZero: boolean;
  let lastTwo = 0; // for ordinals: value % 100
  if (spec.signed) {
    if (typeof v === 'number') {
      if (v < 0) sign = '-';
      else sign = spec.prefix;
      const a = v < 0 ? -v : v;
      digits = a.toString(spec.base);
      isZero = a === 0;
      lastTwo = a % 100;
    } else {
      if (v < 0n) sign = '-';
      else sign = spec.prefix;
      const a = v < 0n ? -v : v;
      digits = a.toString(spec.base);
      isZero = false;
      lastTwo = Number(a % 100n);
    }
  } else {
    if (typeof v === 'number' && v >= 0) digits = v.toString(spec.base);
    else digits = BigInt.asUintN(64, BigInt(v)).toString(spec.base);
    isZero = v === 0;
  }
  if (spec.upper) digits = digits.toUpperCase();
  let suffix = '';
  if (spec.ordinal) {
    let x = lastTwo % 10;
    if (x >= 4 || Math.floor(lastTwo / 10) === 1) x = 0;
    suffix = ORDINAL[x] as string;
  }
  const hasSign = sign !== '' ? 1 : 0;
  if (spec.zeroPad && precision < width - hasSign) precision = width - hasSign;
  let body = digits + suffix;
  if (precision > body.length) {
    body = repeat('0', precision - body.length) + body;
  }
  if (spec.thousands) body = insertThousands(body);
  body = sign + body;
  if (spec.alt && !isZero && spec.altPrefix !== '') body = spec.altPrefix + body;
  return body;
}

/** %f %e %E %g %G; returns the text with its padding already applied. */
function renderFloat(spec: Spec, arg: SqlValue | undefined, width: number, precision: number): string {
  const r = arg === undefined ? 0 : (toReal(arg) ?? 0);
  if (precision < 0) precision = 6;
  if (precision > FP_PRECISION_LIMIT) precision = FP_PRECISION_LIMIT;
  let conv = spec.conv;
  let iRound: number;
  if (conv === Conv.Float) iRound = -precision;
  else if (conv === Conv.Generic) {
    if (precision === 0) precision = 1;
    iRound = precision;
  } else iRound = precision + 1;
  fpDecode(r, iRound, spec.alt2 ? 20 : 16);
  let z = fp.z;
  let iDP = fp.iDP;
  if (fp.special !== 0) {
    if (fp.special === 2) {
      const t = spec.zeroPad ? 'null' : 'NaN';
      return pad(spec, t, t.length, width);
    }
    if (spec.zeroPad) {
      z = '9';
      iDP = 1000;
    } else {
      const t = fp.neg ? '-Inf' : spec.prefix + 'Inf';
      return pad(spec, t, t.length, width);
    }
  }
  let prefix: string;
  if (fp.neg) {
    prefix = spec.alt && spec.prefix === '' && conv === Conv.Float && iDP <= iRound ? '' : '-';
  } else prefix = spec.prefix;
  const exp = iDP - 1;
  let rtz: boolean;
  if (conv === Conv.Generic) {
    precision--;
    rtz = !spec.alt;
    if (exp < -4 || exp > precision) conv = Conv.Exp;
    else {
      precision -= exp;
      conv = Conv.Float;
    }
  } else rtz = spec.alt2;
  let e2 = conv === Conv.Exp ? 0 : iDP - 1;
  const need = Math.max(e2, 0) + precision + width + 10;
  if (need > MAX_LENGTH) tooBig();
  const n = z.length;
  const dp = precision > 0 || spec.alt || spec.alt2;
  let out = prefix;
  let j = 0;
  if (e2 < 0) out += '0';
  else if (spec.thousands) {
    for (; e2 >= 0; e2--) {
      out += j < n ? z[j++] : '0';
      if (e2 % 3 === 0 && e2 > 1) out += ',';
    }
  } else {
    j = Math.min(e2 + 1, n);
    out += z.slice(0, j);
    e2 -= j;
    if (e2 >= 0) {
      out += repeat('0', e2 + 1);
      e2 = -1;
    }
  }
  if (dp) out += '.';
  if (e2 < -1 && precision > 0) {
    const nn = Math.min(-1 - e2, precision);
    out += repeat('0', nn);
    precision -= nn;
  }
  if (precision > 0) {
    const nn = Math.min(n - j, precision);
    if (nn > 0) {
      out += z.slice(j, j + nn);
      precision -= nn;
    }
    if (precision > 0 && !rtz) out += repeat('0', precision);
  }
  if (rtz && dp) {
    let k = out.length;
    while (out.charCodeAt(k - 1) === 48) k--;
    if (out.charCodeAt(k - 1) === 46) {
      out = spec.alt2 ? out.slice(0, k) + '0' : out.slice(0, k - 1);
    } else out = out.slice(0, k);
  }
  if (conv === Conv.Exp) {
    let x = iDP - 1;
    out += spec.upper ? 'E' : 'e';
    if (x < 0) {
      out += '-';
      x = -x;
    } else out += '+';
    if (x >= 100) {
      out += String(Math.floor(x / 100));
      x %= 100;
    }
    out += String(Math.floor(x / 10)) + String(x % 10);
  }
  if (out.length < width) {
    const nPad = width - out.length;
    if (spec.left) out += spaces(nPad);
    else if (!spec.zeroPad) out = spaces(nPad) + out;
    else {
      const adj = prefix !== '' ? 1 : 0;
      out = out.slice(0, adj) + repeat('0', nPad) + out.slice(adj);
    }
  }
  return out;
}

/** The common tail of a conversion: pad `text` (whose UTF-8 length is `bytes`) to `width`. */
function pad(spec: Spec, text: string, bytes: number, width: number): string {
  const w = width - bytes;
  if (w <= 0) return text;
  return spec.left ? text + spaces(w) : spaces(w) + text;
}

function hex2(c: number): string {
  return (c >= 0x10 ? '1' : '0') + '0123456789abcdef'[c & 0xf];
}

/** %q %Q %w */
function renderEscape(spec: Spec, arg: SqlValue | undefined, width: number, precision: number): string {
  const raw = arg === undefined ? null : toText(arg);
  const isNull = raw === null;
  const q = spec.conv === Conv.EscapeW ? '"' : "'";
  let alt = spec.conv === Conv.EscapeW ? false : spec.alt;
  let needQuote = 0;
  let s: string;
  let partial = 0;
  if (isNull) {
    s = spec.conv === Conv.EscapeQQ ? 'NULL' : '(NULL)';
  } else {
    s = cString(raw);
    if (spec.conv === Conv.EscapeQQ) needQuote = 1;
  }
  if (precision >= 0) {
    prefixOf(s, precision, spec.alt2);
    s = cut.text;
    partial = cut.partial;
  }
  if (alt) {
    let ctrl = false;
    for (let i = 0; i < s.length; i++) {
      if (s.charCodeAt(i) <= 0x1f) {
        ctrl = true;
        break;
      }
    }
    if (ctrl || spec.conv === Conv.EscapeQ) {
      if (spec.conv === Conv.EscapeQQ) needQuote = 2;
    } else alt = false;
  }
  let out = '';
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 39 || c === 34 || c === 92 || c <= 0x1f) {
      if (c === q.charCodeAt(0)) {
        out += s.slice(run, i + 1) + q;
        run = i + 1;
      } else if (alt && c === 92) {
        out += s.slice(run, i + 1) + '\\';
        run = i + 1;
      } else if (alt && c <= 0x1f) {
        out += s.slice(run, i) + '\\u00' + hex2(c);
        run = i + 1;
      }
    }
  }
  out += s.slice(run);
  if (needQuote === 1) out = "'" + out + "'";
  else if (needQuote === 2) out = "unistr('" + out + "')";
  // a character cut by the precision is a U+FFFD here but only `partial` bytes in SQLite
  const bytes = utf8Bytes(out) - (partial > 0 ? 3 - partial : 0);
  if (spec.alt2 && width > 0) width += continuationBytes(out, bytes);
  return pad(spec, out, bytes, width);
}

/**
 * printf(format, ...args) / format(): the formatted text, or null when SQLite returns NULL (a
 * format that produced nothing). `args` are the arguments after the format.
 */
export function formatPrintf(format: string, args: readonly SqlValue[]): string | null {
  return runChecked(compiled(format), args);
}

/** A compiled printf for a constant format string. */
export function compilePrintf(format: string): (args: readonly SqlValue[]) => string | null {
  const c = compileFormat(format);
  return (args) => runChecked(c, args);
}

/**
 * Deviation: V8 strings stop at about 2^29 characters, below SQLite's 1e9-byte limit; results
 * in between fail here with the same SQLITE_TOOBIG error instead of being produced.
 */
function runChecked(cf: CompiledFormat, args: readonly SqlValue[]): string | null {
  try {
    return runFormat(cf, args);
  } catch (e) {
    if (e instanceof RangeError) tooBig();
    throw e;
  }
}

function runFormat(cf: CompiledFormat, args: readonly SqlValue[]): string | null {
  const pieces = cf.pieces;
  if (pieces.length === 0) return null;
  let out = '';
  let used = 0;
  const next = (): SqlValue | undefined => (used < args.length ? args[used++] : undefined);
  const intArg = (): number => {
    const a = next();
    if (a === undefined) return 0;
    const v = toInteger(a) ?? 0;
    // (int) cast of an int64: the low 32 bits, signed
    return typeof v === 'number' && v >= -2147483648 && v <= 2147483647 ? v : Number(BigInt.asIntN(32, BigInt(v)));
  };
  for (let k = 0; k < pieces.length; k++) {
    const p = pieces[k] as Piece;
    if (typeof p === 'string') {
      out += p;
      continue;
    }
    let width = p.width;
    let left = p.left;
    if (width === -1) {
      width = intArg();
      if (width < 0) {
        left = true;
        width = width >= -2147483647 ? -width : 0;
      }
    }
    let precision = p.precision;
    if (precision === -2) {
      precision = intArg();
      if (precision < 0) precision = precision >= -2147483647 ? -precision : -1;
    }
    const spec = left === p.left ? p : { ...p, left };
    let piece: string;
    switch (spec.conv) {
      case Conv.Decimal:
      case Conv.Radix:
        piece = renderInteger(spec, next(), width, precision);
        piece = pad(spec, piece, piece.length, width);
        break;
      case Conv.Float:
      case Conv.Exp:
      case Conv.Generic:
        piece = renderFloat(spec, next(), width, precision);
        break;
      case Conv.Size:
        piece = '';
        break;
      case Conv.Percent:
        piece = pad(spec, '%', 1, width);
        break;
      case Conv.Char: {
        const a = next();
        const t = a === undefined ? null : toText(a);
        let ch = '\0';
        if (t !== null && t.length > 0) {
          const cp = t.codePointAt(0) as number;
          ch = String.fromCodePoint(cp);
        }
        const len = utf8Bytes(ch);
        let head = '';
        if (precision > 1) {
          width -= precision - 1;
          if (width > 1 && !spec.left) {
            head = spaces(width - 1);
            width = 0;
          }
          head += repeat(ch, precision - 1);
        }
        if (width > 0) width += len - 1;
        piece = head + pad(spec, ch, len, width);
        break;
      }
      case Conv.String: {
        const a = next();
        const t = a === undefined ? null : toText(a);
        let s = t === null ? '' : cString(t);
        let bytes: number;
        if (precision >= 0) {
          prefixOf(s, precision, spec.alt2);
          s = cut.text;
          bytes = cut.bytes;
        } else bytes = utf8Bytes(s);
        if (spec.alt2 && width > 0) width += continuationBytes(s, bytes);
        piece = pad(spec, s, bytes, width);
        break;
      }
      case Conv.EscapeQ:
      case Conv.EscapeQQ:
      case Conv.EscapeW:
        piece = renderEscape(spec, next(), width, precision);
        break;
    }
    out += piece;
    if (out.length > MAX_LENGTH) tooBig();
  }
  return out;
}
