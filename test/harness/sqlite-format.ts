// SQLite's value-to-text conversions, re-done in TypeScript for the test harnesses.
//
// In: a result value as better-sqlite3 (or AmberDB) returns it with `safeIntegers(true)`:
// `null`, `bigint` (INTEGER), `number` (REAL), `string` (TEXT), `Buffer`/`Uint8Array` (BLOB).
// Out: the strings the sqllogictest reference harness prints for the column types I, R and T
// (see test/slt/files/README.md, "How results are compared"). Everything here is checked against
// SQLite itself in test/harness/sqlite-format.test.ts, so a change of rule shows up there first.

export type SqlValue = null | bigint | number | string | Uint8Array;

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** True for a value that SQLite would report as BLOB (better-sqlite3 returns a Buffer). */
export function isBlob(v: unknown): v is Uint8Array {
  return v instanceof Uint8Array;
}

/** The bytes `sqlite3_column_text` would return, cut at the first NUL the way a C string is. */
function textBytes(v: string | Uint8Array): Uint8Array {
  const bytes = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
  const nul = bytes.indexOf(0);
  return nul < 0 ? bytes : bytes.subarray(0, nul);
}

/** SQLite's isspace: space, \t, \n, \v, \f, \r. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/**
 * `sqlite3Atoi64` as `sqlite3VdbeIntValue` uses it for TEXT and BLOB: leading white space, an
 * optional sign, then as many digits as follow; anything else ends the number ('12abc' -> 12,
 * '1.9' -> 1, 'abc' -> 0). Out-of-range values clamp to the int64 limits.
 */
export function textToInt64(v: string | Uint8Array): bigint {
  const b = textBytes(v);
  let i = 0;
  while (i < b.length && isSpace(b[i]!)) i++;
  let neg = false;
  if (b[i] === 0x2d) { neg = true; i++; } else if (b[i] === 0x2b) i++;
  const start = i;
  while (i < b.length && b[i]! >= 0x30 && b[i]! <= 0x39) i++;
  if (i === start) return 0n;
  let n = BigInt(Buffer.from(b.subarray(start, i)).toString('latin1'));
  if (neg) n = -n;
  if (n > INT64_MAX) return INT64_MAX;
  if (n < INT64_MIN) return INT64_MIN;
  return n;
}

/** `doubleToInt64`: truncate toward zero, clamping to the int64 range. */
export function realToInt64(r: number): bigint {
  if (Number.isNaN(r)) return 0n;
  if (r <= -9223372036854775808) return INT64_MIN;
  if (r >= 9223372036854775807) return INT64_MAX;
  return BigInt(Math.trunc(r));
}

/**
 * `sqlite3AtoF` as `sqlite3VdbeRealValue` uses it for TEXT and BLOB: the longest prefix that reads
 * as a decimal number ('1.5x' -> 1.5, '1e' -> 1, 'abc' -> 0).
 */
export function textToReal(v: string | Uint8Array): number {
  const s = Buffer.from(textBytes(v)).toString('latin1');
  const m = /^[ \t\n\v\f\r]*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(s);
  if (!m) return 0;
  return Number(m[1]);
}

/** The int64 `sqlite3_value_int64` gives for any value. */
export function valueToInt64(v: SqlValue): bigint {
  if (v === null) return 0n;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return realToInt64(v);
  return textToInt64(v);
}

/** The double `sqlite3_column_double` gives for any value. */
export function valueToReal(v: SqlValue): number {
  if (v === null) return 0;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  return textToReal(v);
}

/**
 * printf("%.3f", r) as SQLite does it: rounded at the third decimal, but never more than 16
 * significant digits; later digits print as 0 (-9223372036854775808.0 -> "-9223372036854776000.000").
 *
 * Known gap: SQLite 3.53 decodes doubles with its own approximate 64-bit arithmetic (util.c,
 * sqlite3FpDecode), so on a value that sits within an ulp of a rounding tie (1.6715 is really
 * 1.67149999999999998...) it can round the other way than this exact rounding does. The
 * fuzz test in sqlite-format.test.ts measures how rare that is; the corpus has no such value.
 */
export function formatFixed3(r: number): string {
  if (Number.isNaN(r)) return 'NaN';
  if (r === Infinity) return 'Inf';
  if (r === -Infinity) return '-Inf';
  const neg = r < 0;
  const a = Math.abs(r);
  const exp = a === 0 ? 0 : Number(a.toExponential().split('e')[1]);
  let body: string;
  if (exp + 4 <= 16) {
    body = a.toFixed(3);
  } else {
    // Round to 16 significant digits, then write the number out in full with zeros.
    const [m, e] = a.toExponential(15).split('e') as [string, string];
    const digits = m.replace('.', '');
    const intLen = Number(e) + 1;
    const intPart = digits.length >= intLen ? digits.slice(0, intLen) : digits.padEnd(intLen, '0');
    const frac = (digits.length > intLen ? digits.slice(intLen) : '').padEnd(3, '0').slice(0, 3);
    body = `${intPart}.${frac}`;
  }
  return neg ? `-${body}` : body;
}

/**
 * A real as SQLite 3.53 turns it into text (CAST(x AS TEXT), sqlite3_column_text): 15 significant
 * digits when they read back as the same double, else 17; `%g` layout with precision 17 (exponent
 * form when the exponent is < -4 or > 16), trailing zeros dropped, and one digit kept after the
 * point ("1.0", "1.0e+20"); the exponent has at least two digits ("1.0e-05").
 * Worked examples: 0.1 -> "0.1", 0.1+0.2 -> "0.30000000000000004", 1e16 -> "10000000000000000.0".
 *
 * Known gap: SQLite's own round-trip test and 17-digit decoding are approximate (see formatFixed3),
 * so for some doubles it prints 17 digits where 15 would do, or differs in the 17th digit.
 * Values with few significant digits (the kind SQL tests use: 1.5, -0.25, 1e20) always agree.
 */
export function realToText(r: number): string {
  if (Number.isNaN(r)) return 'NaN';
  if (r === Infinity) return 'Inf';
  if (r === -Infinity) return '-Inf';
  if (r === 0) return '0.0';
  let rounded = r.toPrecision(15);
  if (Number(rounded) !== r) rounded = r.toPrecision(17);
  const exp = Number(Number(rounded).toExponential().split('e')[1]);
  const neg = rounded.startsWith('-');
  // Significant digits of the rounded value, without leading or trailing zeros.
  const digits = (neg ? rounded.slice(1) : rounded).split('e')[0]!.replace('.', '').replace(/^0+/, '').replace(/0+$/, '') || '0';
  const sign = neg ? '-' : '';
  if (exp < -4 || exp > 16) {
    const frac = digits.length > 1 ? digits.slice(1) : '0';
    const ae = Math.abs(exp);
    return `${sign}${digits[0]}.${frac}e${exp < 0 ? '-' : '+'}${ae < 10 ? '0' : ''}${ae}`;
  }
  if (exp >= 0) {
    const intPart = digits.length > exp + 1 ? digits.slice(0, exp + 1) : digits.padEnd(exp + 1, '0');
    const frac = digits.length > exp + 1 ? digits.slice(exp + 1) : '0';
    return `${sign}${intPart}.${frac}`;
  }
  return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
}

/** Replace every byte outside printable ASCII with '@', as the reference harness does for T. */
function printable(bytes: Uint8Array): string {
  let out = '';
  for (const c of bytes) out += c < 0x20 || c > 0x7e ? '@' : String.fromCharCode(c);
  return out;
}

/** Render one result value for an sqllogictest column of type I, R or T. */
export function renderSltValue(v: SqlValue, type: string): string {
  if (v === null) return 'NULL';
  switch (type) {
    case 'I':
      // sqlite3_column_int: the int64 value cast to a C int (low 32 bits, two's complement).
      return BigInt.asIntN(32, valueToInt64(v)).toString();
    case 'R':
      return formatFixed3(valueToReal(v));
    case 'T': {
      let s: string;
      if (typeof v === 'bigint') s = v.toString();
      else if (typeof v === 'number') s = realToText(v);
      else s = printable(textBytes(v));
      return s === '' ? '(empty)' : s;
    }
    default:
      throw new Error(`unknown sqllogictest column type ${JSON.stringify(type)}`);
  }
}

/** Narrow an engine's raw cell to SqlValue, or throw naming what came back. */
export function asSqlValue(v: unknown): SqlValue {
  if (v === null || typeof v === 'bigint' || typeof v === 'number' || typeof v === 'string' || isBlob(v)) return v;
  throw new TypeError(`engine returned a value of unexpected type ${typeof v}: ${String(v)}`);
}
