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
 * AmberDB, as the suites see it: `factory` once src/index.ts exports a `Database` constructor,
 * `missing` while it does not (the suites skip), `error` when src/ fails to load (the suites fail
 * with that error: a broken tree is not a reason to skip).
 */
export type AmberLoad =
  | { readonly status: 'ready'; readonly factory: DatabaseFactory }
  | { readonly status: 'missing' }
  | { readonly status: 'error'; readonly error: Error };

export function loadAmber(): AmberLoad {
  let mod: { Database?: unknown };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(path.join(__dirname, '..', '..', 'src')) as { Database?: unknown };
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    error.message = `AmberDB (src/index.ts) failed to load: ${error.message}`;
    return { status: 'error', error };
  }
  if (typeof mod.Database !== 'function') return { status: 'missing' };
  const Db = mod.Database as new () => DatabaseLike;
  return { status: 'ready', factory: () => new Db() };
}

/** The AmberDB factory, or undefined while Database is not exported; throws if src/ is broken. */
export function amberFactory(): DatabaseFactory | undefined {
  const a = loadAmber();
  if (a.status === 'error') throw a.error;
  return a.status === 'ready' ? a.factory : undefined;
}

/**
 * An SQL error as SQLite (and AmberDB) raise it: an Error whose `code` is one of SQLite's result
 * codes. Anything else (a TypeError, a MODULE_NOT_FOUND from a half-built tree) is an engine crash,
 * and the harnesses never count a crash as the error a test expected.
 */
export function isSqlError(e: unknown): e is Error & { code: string } {
  // Not `instanceof Error`: under jest, errors made by a native addon (better-sqlite3) come from
  // another realm and fail that test.
  if (typeof e !== 'object' || e === null) return false;
  const { code, message } = e as { code?: unknown; message?: unknown };
  return typeof code === 'string' && code.startsWith('SQLITE_') && typeof message === 'string';
}

/** Rows of a statement as arrays, integers as bigint, stopping quietly at an error mid-way. */
function rowsUntilError(stmt: StatementLike): unknown[][] {
  stmt.safeIntegers(true);
  stmt.raw(true);
  const rows: unknown[][] = [];
  try {
    for (const row of stmt.iterate()) rows.push(row as unknown[]);
  } catch (e) {
    // The reference harness stops at the first failing sqlite3_step and keeps what it has
    // (evidence/slt_lang_aggfunc.test: sum() overflow gives an empty result). Crashes propagate.
    if (!isSqlError(e)) throw e;
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
