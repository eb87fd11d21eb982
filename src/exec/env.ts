// The run-time environment of one prepared statement. Compiled expressions are closures that read
// from it (`rows[slot][col]`, `params[i]`), so evaluating a row allocates nothing. One Env per
// prepared statement: a statement is not re-entrant (better-sqlite3 reports it busy).
import type { Row, Rowid } from '../storage/schema';
import type { SqlValue } from '../value/types';

export class Env {
  /** Current row of each FROM source, by slot. */
  rows: Row[] = [];
  rowids: Rowid[] = [];
  /** Bound parameters: params[i] is slot i+1. */
  params: readonly SqlValue[] = [];
  /** Bumped per execution; uncorrelated subqueries cache their result per execution. */
  execution = 0;
  /** The statement's clock: SQLite keeps 'now' constant within a statement. */
  nowMs = 0;
  changes = 0;
}

export type Ev = () => SqlValue;
