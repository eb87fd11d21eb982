// One result value -> text, the way sqlite3's shell renders it in each family of output modes.
// Rows arrive raw with safeIntegers on, so the JavaScript type tells SQLite's storage class:
// bigint = INTEGER, number = REAL (2.0 arrives as the number 2 and must print "2.0"),
// string = TEXT, Uint8Array = BLOB, null = NULL.
import { realToText } from '../value/convert';

export type CellValue = null | bigint | number | string | Uint8Array;

/** The value as text (sqlite3_column_text): NULL becomes `nullValue`, a blob its bytes as UTF-8. */
export function displayText(v: CellValue, nullValue: string): string {
  if (v === null) return nullValue;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return realToText(v);
  if (typeof v === 'string') return v;
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8');
}

/** The value as an SQL literal (insert mode): `NULL`, `42`, `2.0`, `'it''s'`, `X'0102'`. */
export function sqlLiteral(v: CellValue): string {
  if (v === null) return 'NULL';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    // sqlite3 writes infinities as out-of-range literals that read back as infinities.
    if (v === Infinity) return '1e999';
    if (v === -Infinity) return '-1e999';
    if (v !== v) return 'NULL';
    return realToText(v);
  }
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  return `X'${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}'`;
}

/** The value as JSON (json mode). A blob becomes a string of its bytes, as sqlite3 -json does. */
export function jsonValue(v: CellValue): string {
  if (v === null) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    if (v === Infinity) return '1e999';
    if (v === -Infinity) return '-1e999';
    if (v !== v) return 'null';
    return realToText(v);
  }
  if (typeof v === 'string') return JSON.stringify(v);
  return JSON.stringify(Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('latin1'));
}

/**
 * A CSV field, quoted by sqlite3's rule (shell.c output_csv): quote when the text is empty,
 * holds the separator, or holds any byte of its `needCsvQuote` table — control characters,
 * space, `"`, `'`, DEL and every non-ASCII byte. Stricter than RFC 4180 needs, but what
 * sqlite3 users and their scripts see; readers of RFC 4180 accept it either way.
 */
export function csvField(text: string, separator: string): string {
  let quote = text === '' || text.includes(separator);
  for (let i = 0; !quote && i < text.length; i++) {
    const c = text.charCodeAt(i);
    quote = c <= 0x20 || c === 0x22 || c === 0x27 || c >= 0x7f;
  }
  return quote ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Display width in terminal columns: one per code point (wide CJK characters are not measured). */
export function displayWidth(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** An identifier as sqlite3 writes it: bare when it is a plain word, else in double quotes. */
export function quoteIdentifier(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !SQL_WORDS.has(name.toLowerCase()) ? name : `"${name.replace(/"/g, '""')}"`;
}

// Words that need quoting as names (the common part of SQLite's keyword list). A name
// quoted without need is still correct SQL, so this list may err on the long side.
const SQL_WORDS = new Set(
  ('abort action add after all alter always analyze and as asc attach autoincrement before begin between by cascade case cast ' +
    'check collate column commit conflict constraint create cross current current_date current_time current_timestamp database ' +
    'default deferrable deferred delete desc detach distinct do drop each else end escape except exclude exclusive exists ' +
    'explain fail filter first following for foreign from full generated glob group groups having if ignore immediate in index ' +
    'indexed initially inner insert instead intersect into is isnull join key last left like limit match materialized natural no ' +
    'not nothing notnull null nulls of offset on or order others outer over partition plan pragma preceding primary query raise ' +
    'range recursive references regexp reindex release rename replace restrict returning right rollback row rows savepoint ' +
    'select set table temp temporary then ties to transaction trigger unbounded union unique update using vacuum values view ' +
    'virtual when where window with without').split(' '),
);

/**
 * A REAL as `.dump` writes it, in the shape of SQLite's quote(): 15 significant digits when
 * they read back as the same double, else 17; trailing zeros dropped; exponent form (`1.0e+300`,
 * `1.0e-05`) below 1e-4 or from 1e17; `.0` on integral values; infinities as `9.0e+999`.
 * The digits are correctly rounded, where SQLite's own printf (double-double arithmetic) may end
 * a 17-digit form one unit differently: the text can differ from quote() in its last digit, the
 * double it reads back as never does.
 */
export function dumpReal(v: number): string {
  if (v === Infinity) return '9.0e+999';
  if (v === -Infinity) return '-9.0e+999';
  if (v === 0 || v !== v) return '0.0';
  const sign = v < 0 ? '-' : '';
  const a = Math.abs(v);
  let p = a.toExponential(14);
  // Subnormals: SQLite always spends 17 digits on them.
  if (Number(p) !== a || a < 2.2250738585072014e-308) p = a.toExponential(16);
  const [m = '', e = '0'] = p.split('e');
  const exp = Number(e);
  const digits = m.replace('.', '').replace(/0+$/, '') || '0';
  if (exp < -4 || exp >= 17) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : `${digits}.0`;
    const ae = Math.abs(exp);
    return `${sign}${mantissa}e${exp < 0 ? '-' : '+'}${ae < 10 ? '0' : ''}${ae}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/**
 * A value as `.dump` writes it: quote()'s literals (`NULL`, `42`, `'it''s'`, `X'0AFF'`, dumpReal),
 * except that text holding line breaks is written as sqlite3's .dump does,
 * `replace('a\nb','\n',char(10))`, so that every line of the dump is a line of SQL and no
 * reader (ours strips a `\r` before `\n`) can change the value.
 */
export function dumpLiteral(v: CellValue): string {
  if (v === null) return 'NULL';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return dumpReal(v);
  if (typeof v === 'string') {
    let body = v.replace(/'/g, "''");
    const hasNl = body.includes('\n');
    const hasCr = body.includes('\r');
    if (!hasNl && !hasCr) return `'${body}'`;
    // Pick escapes that do not occur in the text (sqlite3 tries \n, \\n, \\\n...).
    const marker = (base: string): string => {
      let m = base;
      while (body.includes(m)) m = '\\' + m;
      return m;
    };
    const nl = hasNl ? marker('\\n') : '';
    if (hasNl) body = body.replace(/\n/g, nl);
    const cr = hasCr ? marker('\\r') : '';
    if (hasCr) body = body.replace(/\r/g, cr);
    let out = `'${body}'`;
    if (hasNl) out = `replace(${out},'${nl}',char(10))`;
    if (hasCr) out = `replace(${out},'${cr}',char(13))`;
    return out;
  }
  return `X'${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex').toUpperCase()}'`;
}
