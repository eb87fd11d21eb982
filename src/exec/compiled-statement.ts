// The contract between the engine (sql -> plan -> exec) and the API layer (src/api/).
// The API binds JS arguments into a SqlValue array, runs or iterates a CompiledStatement, and turns
// SqlValues back into JS values (RealBox -> number, Uint8Array -> Buffer, bigint per safeIntegers).
import type { SqlValue } from '../value/types';

/** One result column, in better-sqlite3's `Statement#columns()` shape. */
export interface ResultColumnInfo {
  readonly name: string;
  /** The source column's name when the result is a plain column reference, else null. */
  readonly column: string | null;
  readonly table: string | null;
  readonly database: string | null;
  /** The declared type of the source column, or null. */
  readonly type: string | null;
}

/**
 * Parameter slots of a statement, numbered from 1 as SQLite numbers them.
 * names[i] is the name of slot i+1 with its prefix (':a', '@a', '$a'), or null for `?` / `?NNN`.
 */
export interface ParameterSlots {
  readonly count: number;
  readonly names: readonly (string | null)[];
}

export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

/** A forward-only cursor over result rows. `next` returns undefined at the end. */
export interface RowCursor {
  next(): SqlValue[] | undefined;
  /** Ends the cursor early; its statement-level work is finished (rolled forward) as SQLite does. */
  close(): void;
}

export interface CompiledStatement {
  /** The statement's exact SQL text (without what followed it in the string). */
  readonly source: string;
  /** True when the statement returns rows (SELECT, RETURNING, PRAGMA with results, EXPLAIN). */
  readonly reader: boolean;
  /** True when it never writes (better-sqlite3's `readonly` property of a statement). */
  readonly readonly: boolean;
  readonly columns: readonly ResultColumnInfo[];
  readonly parameters: ParameterSlots;
  /** Runs to completion. `params[i]` is slot i+1 (undefined slots are NULL). */
  run(params: readonly SqlValue[]): RunResult;
  /** Starts execution and returns a cursor over the rows. */
  iterate(params: readonly SqlValue[]): RowCursor;
  /**
   * The first row only, for `Statement#get` (readers). A read-only query stops after that row;
   * a statement that writes still runs to completion.
   */
  first?(params: readonly SqlValue[]): SqlValue[] | undefined;
}

/** A user-defined scalar function as the API registers it (`db.function`). */
export interface UserFunction {
  readonly name: string;
  /** -1 for varargs. */
  readonly argCount: number;
  readonly deterministic: boolean;
  readonly directOnly: boolean;
  call(args: readonly SqlValue[]): SqlValue;
}

/** A user-defined aggregate (`db.aggregate`); `inverse` makes it usable as a window function. */
export interface UserAggregate {
  readonly name: string;
  readonly argCount: number;
  readonly deterministic: boolean;
  readonly directOnly: boolean;
  start(): unknown;
  step(state: unknown, args: readonly SqlValue[]): unknown;
  inverse: ((state: unknown, args: readonly SqlValue[]) => unknown) | null;
  result(state: unknown): SqlValue;
}

/** What the API layer needs from the engine behind one Database. */
export interface Engine {
  /**
   * Compiles the first statement of `sql` at or after `offset`. `end` is the offset just past the
   * statement and its `;`. `statement` is null when only white space and comments remain.
   * Throws AmberError (SQLITE_ERROR with a position) on a syntax or name error.
   */
  prepare(sql: string, offset?: number): { statement: CompiledStatement | null; end: number };
  /** True between BEGIN (or the first SAVEPOINT outside a transaction) and COMMIT/ROLLBACK. */
  readonly inTransaction: boolean;
  registerFunction(fn: UserFunction): void;
  registerAggregate(agg: UserAggregate): void;
  /** A table-valued function (`db.table`); replaces one of the same name. */
  registerTableFunction?(fn: import('./table-functions').UserTableFunction): void;
  close(): void;
}
