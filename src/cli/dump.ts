// `.dump ?PATTERN?`: the database (or the tables whose names match the LIKE pattern) as SQL text
// that sqlite3 — or amberdb — loads into an identical database, in sqlite3's order:
//
//   PRAGMA foreign_keys=OFF;
//   BEGIN TRANSACTION;
//   CREATE TABLE t(...);                 every table, in schema order, each followed by
//   INSERT INTO t VALUES(1,'x',NULL);    its rows in rowid order (values: values.ts dumpLiteral)
//   DELETE FROM sqlite_sequence;         AUTOINCREMENT counters, after every table
//   INSERT INTO sqlite_sequence VALUES('t',5);
//   CREATE INDEX ...; CREATE VIEW ...; CREATE TRIGGER ...;   in schema order
//   COMMIT;
//
// Rows are read with an iterator and written a chunk at a time: a large table is never held.
import type { Shell } from './shell';
import { dumpLiteral, quoteIdentifier, type CellValue } from './values';

interface SchemaRow {
  readonly type: string;
  readonly name: string;
  readonly tbl_name: string;
  readonly sql: string | null;
}

const CHUNK = 256;

export function dumpDatabase(shell: Shell, pattern: string | undefined): void {
  const db = shell.db;
  const schema = db
    .prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema')
    .all()
    .map((r) => r as SchemaRow)
    .filter((r) => r.sql !== null);
  const matches = pattern === undefined ? () => true : likeMatcher(shell, pattern);
  const out: string[] = ['PRAGMA foreign_keys=OFF;\n', 'BEGIN TRANSACTION;\n'];
  const flush = (): void => shell.out(out.splice(0).join(''));

  // Tables first (sqlite_sequence last of them), each with its rows.
  const tables = schema.filter((r) => r.type === 'table' && matches(r.tbl_name));
  tables.sort((a, b) => Number(a.name === 'sqlite_sequence') - Number(b.name === 'sqlite_sequence'));
  for (const t of tables) {
    if (t.name === 'sqlite_sequence') {
      out.push('DELETE FROM sqlite_sequence;\n');
    } else if (t.name.toLowerCase().startsWith('sqlite_stat')) {
      out.push('ANALYZE sqlite_schema;\n');
    } else if (t.name.toLowerCase().startsWith('sqlite_')) {
      continue;
    } else {
      out.push(`${t.sql ?? ''};\n`);
    }
    const name = quoteIdentifier(t.name);
    // Generated columns are left out, as SQLite's shell does: `INSERT INTO t VALUES(...)` then
    // fills the other columns and the reload computes them again.
    const xinfo = db.prepare('SELECT name, hidden FROM pragma_table_xinfo(?)').raw(true).all(t.name) as [string, number][];
    const list = xinfo.some((c) => c[1] !== 0) ? xinfo.filter((c) => c[1] === 0).map((c) => quoteIdentifier(c[0])).join(',') : '*';
    const stmt = db.prepare(`SELECT ${list} FROM ${name}`).raw(true).safeIntegers(true);
    const prefix = `INSERT INTO ${name} VALUES(`;
    for (const row of stmt.iterate() as Iterable<CellValue[]>) {
      out.push(prefix + row.map(dumpLiteral).join(',') + ');\n');
      if (out.length >= CHUNK) flush();
    }
  }
  // Then indexes, triggers and views, in the order they were made (a view may use another).
  for (const r of schema) {
    if (r.type === 'table' || !matches(r.tbl_name)) continue;
    out.push(`${r.sql ?? ''};\n`);
  }
  out.push('COMMIT;\n');
  flush();
}

/** `name LIKE pattern`, decided by the engine so that LIKE means what it means in SQL. */
function likeMatcher(shell: Shell, pattern: string): (name: string) => boolean {
  const stmt = shell.db.prepare('SELECT ? LIKE ?').pluck(true);
  return (name) => Boolean(stmt.get(name, pattern));
}
