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
