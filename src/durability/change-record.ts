// The contract between storage and durability: a committed transaction arrives as a change set,
// an array of ChangeRecords, handed by storage to a sink that api/ connects to the redo log.
// Records are row-level and idempotent (DESIGN §6): replaying one twice, or over a fuzzy
// snapshot that already holds its effect, gives the same state.
import type { SqlValue } from '../value/types';

export type ChangeRecord =
  /** Insert or replace the whole row `rowid` of `table`. */
  | { readonly kind: 'put'; readonly table: string; readonly rowid: number | bigint; readonly row: readonly SqlValue[] }
  /** Remove row `rowid` of `table` (absent is fine: idempotent). */
  | { readonly kind: 'delete'; readonly table: string; readonly rowid: number | bigint }
  /** A schema change, replayed as SQL. */
  | { readonly kind: 'ddl'; readonly sql: string }
  /** The AUTOINCREMENT high-water mark of `table` (replay keeps the maximum). */
  | { readonly kind: 'sequence'; readonly table: string; readonly value: number | bigint };

export type ChangeKind = ChangeRecord['kind'];

/** Everything storage needs from durability: where committed change sets go. */
export interface ChangeSink {
  /** Called once per committed transaction, in commit order, with its records. */
  commit(records: readonly ChangeRecord[]): void;
}
