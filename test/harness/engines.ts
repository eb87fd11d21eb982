// The engines the harnesses drive: better-sqlite3 (the oracle, SQLite 3.53) and AmberDB. Both have
// better-sqlite3's API, so one adapter serves both; the only difference is how each is opened.
//
// What the adapters call, and so what AmberDB's API must provide (DESIGN §2):
//   new Database()                     an in-memory database
//   db.exec(sql)                       several statements, run like sqlite3_exec
//   db.prepare(sql)                    throws AmberError for bad SQL / unknown names
//   stmt.reader                        true for statements that return rows
//   stmt.safeIntegers(true)            INTEGER -> bigint, REAL -> number (so 2 and 2.0 differ)
//   stmt.raw(true)                     rows as arrays
//   stmt.iterate() / stmt.all()        rows; stmt.run() -> { changes, lastInsertRowid }
//   db.close()
//   errors: instances of Error with a string `code` (SQLITE_ERROR, SQLITE_CONSTRAINT_UNIQUE, ...)

import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { SltEngine } from './slt-runner';

export interface StatementLike {
  readonly reader: boolean;
  safeIntegers(on?: boolean): StatementLike;
  raw(on?: boolean): StatementLike;
  iterate(...params: unknown[]): IterableIterator<unknown>;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
}

export interface DatabaseLike {
  prepare(sql: string): StatementLike;
  exec(sql: string): unknown;
  close(): unknown;
}

export type DatabaseFactory = () => DatabaseLike;

export const openBetterSqlite3: DatabaseFactory = () => new BetterSqlite3(':memory:') as unknown as DatabaseLike;

/**
 * AmberDB's Database constructor, or undefined while src/index.ts does not export one yet.
 * A src/ that fails to load is an error, not a reason to skip: that throws.
 */
export function amberDatabaseClass(): (new () => DatabaseLike) | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(__dirname, '..', '..', 'src')) as { Database?: unknown };
  return typeof mod.Database === 'function' ? (mod.Database as new () => DatabaseLike) : undefined;
}

export function amberFactory(): DatabaseFactory | undefined {
  const Db = amberDatabaseClass();
  return Db ? () => new Db() : undefined;
}

/** Rows of a statement as arrays, integers as bigint, stopping quietly at an error mid-way. */
function rowsUntilError(stmt: StatementLike): unknown[][] {
  stmt.safeIntegers(true);
  stmt.raw(true);
  const rows: unknown[][] = [];
  try {
    for (const row of stmt.iterate()) rows.push(row as unknown[]);
  } catch {
    // The reference harness stops at the first failing sqlite3_step and keeps what it has
    // (evidence/slt_lang_aggfunc.test: sum() overflow gives an empty result).
  }
  return rows;
}

/** Wrap a better-sqlite3-shaped database as an SltEngine. */
export function sltEngine(open: DatabaseFactory): SltEngine {
  const db = open();
  return {
    exec: (sql) => void db.exec(sql),
    query: (sql) => rowsUntilError(db.prepare(sql)),
    close: () => void db.close(),
  };
}
