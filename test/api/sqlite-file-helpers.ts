// Shared by the sqlite-file and serialize tests: tricky databases and a comparison of any two
// better-sqlite3-shaped handles (AmberDB or SQLite) by schema, rows (values and storage classes
// with safeIntegers) and user_version.
import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../src';

export { BetterSqlite3 };

/** What the tests need from either implementation. */
export interface Handle {
  prepare(sql: string): { safeIntegers(on?: boolean): { raw(on?: boolean): { all(...p: unknown[]): unknown[] } } };
  pragma(source: string, options?: { simple?: boolean }): unknown;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'amber-sqlite-file-'));
}

export function q(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function rows(db: Handle, sql: string, ...params: unknown[]): unknown[] {
  return db.prepare(sql).safeIntegers(true).raw(true).all(...params);
}

/**
 * sqlite_master without sqlite_sequence: SQLite lists it after the first AUTOINCREMENT table's
 * automatic indexes, AmberDB's sqlite_master elsewhere; its contents are compared as a table.
 */
export function schemaOf(db: Handle): unknown[] {
  return rows(db, "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name <> 'sqlite_sequence'");
}

export function tableNames(db: Handle): string[] {
  return (rows(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name") as [string][]).map((r) => r[0]);
}

export function columnNames(db: Handle, table: string): string[] {
  return (rows(db, `SELECT name FROM pragma_table_info(${`'${table.replace(/'/g, "''")}'`})`) as [string][]).map((r) => r[0]);
}

/** Every row of `table` in rowid order: rowid, then each column's value and typeof(). */
export function dumpTable(db: Handle, table: string, columns: readonly string[]): unknown[] {
  const list = columns.map((c) => `${q(c)}, typeof(${q(c)})`).join(', ');
  return rows(db, `SELECT rowid, ${list} FROM ${q(table)} ORDER BY rowid`);
}

/** Asserts both handles hold the same schema, rows and user_version. */
export function expectSameDatabase(a: Handle, b: Handle, options: { userVersion?: boolean } = {}): void {
  expect(schemaOf(b)).toEqual(schemaOf(a));
  const names = tableNames(a);
  expect(tableNames(b)).toEqual(names);
  for (const t of names) {
    const cols = columnNames(a, t);
    expect(columnNames(b, t)).toEqual(cols);
    expect(dumpTable(b, t, cols)).toEqual(dumpTable(a, t, cols));
  }
  if (options.userVersion !== false) expect(b.pragma('user_version', { simple: true })).toEqual(a.pragma('user_version', { simple: true }));
  const hasSequence = (db: Handle): boolean => rows(db, "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").length > 0;
  expect(hasSequence(b)).toBe(hasSequence(a));
  if (hasSequence(a)) {
    const seq = 'SELECT name, seq FROM sqlite_sequence ORDER BY name';
    expect(rows(b, seq)).toEqual(rows(a, seq));
  }
}

export function openSqlite(file: string | Buffer): BetterSqlite3.Database {
  return new BetterSqlite3(file as string);
}

export function integrity(db: BetterSqlite3.Database): unknown {
  return db.pragma('integrity_check', { simple: true });
}

/** Values that stress the record format: every integer width, reals, text, blobs. */
export const VALUE_SQL = [
  'NULL', '0', '1', '-1', '2', '127', '128', '-128', '-129', '255', '32767', '32768', '-32768', '-32769',
  '8388607', '8388608', '-8388608', '-8388609', '2147483647', '2147483648', '-2147483648', '-2147483649',
  '140737488355327', '140737488355328', '-140737488355328', '-140737488355329', '9007199254740991',
  '9007199254740992', '-9007199254740993', '9223372036854775807', '-9223372036854775808',
  '2.0', '-0.0', '0.0', '1.5', '-2.25', '1e20', '1e300', '1e-300', '3.141592653589793', '1e999', '-1e999',
  "''", "'a'", "'héllo wörld ✓ 😀 日本語'", "char(1, 9, 10, 13, 31, 127)", "'It''s \"quoted\"'",
  "x''", "x'00'", "x'00ff10'", "zeroblob(3)", "randomblob(64)",
] as const;

/** Builds a database with tricky content on any handle that runs SQL (AmberDB or SQLite). */
export function buildTricky(db: { exec(sql: string): unknown; prepare(sql: string): { run(...p: unknown[]): unknown } }, bigRows = 20000): void {
  db.exec(`
    CREATE TABLE vals(id INTEGER PRIMARY KEY, v);
    CREATE TABLE people(
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT COLLATE NOCASE UNIQUE,
      email TEXT NOT NULL,
      age INTEGER CHECK (age IS NULL OR age >= 0),
      score REAL DEFAULT 0.0,
      note TEXT COLLATE RTRIM
    );
    CREATE INDEX people_age ON people(age DESC, name);
    CREATE INDEX people_note ON people(note);
    CREATE UNIQUE INDEX people_email_age ON people(email, age);
    CREATE TABLE log(id INTEGER PRIMARY KEY AUTOINCREMENT, msg TEXT);
    CREATE TABLE pairs(a TEXT, b INTEGER, c, PRIMARY KEY (a, b));
    CREATE TABLE plain(x, y);
    CREATE TABLE big(k INTEGER PRIMARY KEY, s TEXT, n REAL, u UNIQUE);
    CREATE INDEX big_s ON big(s COLLATE NOCASE DESC, n);
    CREATE TABLE blobs(id INTEGER PRIMARY KEY, b BLOB, t TEXT);
    CREATE INDEX blobs_t ON blobs(t);
    CREATE VIEW adults AS SELECT name, age FROM people WHERE age >= 18;
    CREATE TRIGGER people_log AFTER INSERT ON people BEGIN INSERT INTO log(msg) VALUES ('added ' || new.name); END;
    PRAGMA user_version = 42;
  `);
  for (const v of VALUE_SQL) db.exec(`INSERT INTO vals(v) VALUES (${v})`);
  const person = db.prepare('INSERT INTO people(name, email, age, score, note) VALUES (?, ?, ?, ?, ?)');
  const names = ['alice', 'Bob', 'carol', 'DAVE', 'Eve', 'frank', 'Grace', 'heidi', 'Ivan', 'judy'];
  for (let i = 0; i < names.length; i++) {
    person.run(names[i], `${names[i]!.toLowerCase()}@example.com`, i % 3 === 0 ? null : 10 * i, i / 4, i % 2 ? `note ${i}   ` : `note ${i}`);
  }
  db.exec("DELETE FROM people WHERE name = 'Eve'");
  db.exec("INSERT INTO pairs VALUES ('x', 1, 'a'), ('x', 2, NULL), ('y', -5, 2.5), ('Y', 7, x'01')");
  db.exec('INSERT INTO plain(rowid, x, y) VALUES (-5, 1, 2), (0, NULL, NULL), (9223372036854775807, 3, 4), (-9223372036854775808, 5, 6)');
  const big = db.prepare('INSERT INTO big(k, s, n, u) VALUES (?, ?, ?, ?)');
  for (let i = 1; i <= bigRows; i++) big.run(i * 3, `row ${i} ${'abcdefghij'.slice(i % 10)}`, i % 7 === 0 ? null : i / 8, i % 5 === 0 ? null : `u${i}`);
  // Payloads on both sides of every local-size threshold (table leaf X = 4061, index X = 1002).
  const blob = db.prepare('INSERT INTO blobs(b, t) VALUES (?, ?)');
  for (const n of [0, 1, 1000, 1002, 1003, 1004, 2000, 4050, 4061, 4062, 4063, 4092, 4096, 8192, 12000, 100000, 250000]) {
    const bytes = Buffer.alloc(n);
    for (let i = 0; i < n; i++) bytes[i] = (i * 31 + n) & 0xff;
    blob.run(bytes, 't'.repeat(n) + n);
  }
}
