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
}
