// Catalog objects as plain data. Storage keeps SQL fragments (DEFAULT, CHECK, index expressions,
// view bodies) as text: it never imports sql/ or plan/; the planner parses them when it compiles
// a statement that needs them (once per prepare, never per row).
import type { Affinity } from '../value/affinity';

export type Rowid = number | bigint;
export type Row = import('../value/types').SqlValue[];

export interface ColumnSchema {
  readonly name: string;
  /** Declared type as written (`VARCHAR(10)`), or '' when none. */
  readonly declType: string;
  readonly affinity: Affinity;
  readonly notNull: boolean;
  /** SQL text of the DEFAULT expression, or null. */
  readonly defaultSql: string | null;
  /** Collation name (BINARY when none was declared). */
  readonly collation: string;
  /** Part of the PRIMARY KEY (1-based position in it), 0 when not. */
  readonly pkPosition: number;
  readonly hidden: boolean;
  /**
   * `AS (expr) [VIRTUAL|STORED]`: the expression's SQL text. Both kinds are computed when a row is
   * written and kept in the row (the expression is deterministic, so a VIRTUAL column read later
   * would give the same value); `stored` only decides table_xinfo's hidden (2 or 3) and ALTER rules.
   */
  readonly generated?: { readonly sql: string; readonly stored: boolean } | null;
}

export interface UniqueConstraintSchema {
  /** Column indexes into the table's columns. */
  readonly columns: readonly number[];
  readonly collations: readonly string[];
  /** Name of the automatic index (`sqlite_autoindex_t_1`) that enforces it. */
  readonly indexName: string;
  readonly isPrimaryKey: boolean;
  readonly onConflict: string | null;
}

export interface TableSchema {
  readonly type: 'table';
  readonly name: string;
  readonly columns: readonly ColumnSchema[];
  /** Index of the INTEGER PRIMARY KEY column (the rowid alias), or -1. */
  readonly rowidAlias: number;
  readonly autoincrement: boolean;
  /** WITHOUT ROWID: the rowid is internal only (not visible to SQL); PRIMARY KEY columns are NOT NULL. */
  readonly withoutRowid?: boolean;
  readonly checks: readonly { readonly name: string | null; readonly sql: string }[];
  readonly foreignKeys: readonly ForeignKeySchema[];
  /** The CREATE TABLE text as sqlite_schema shows it. */
  readonly sql: string;
}

export interface ForeignKeySchema {
  readonly columns: readonly string[];
  readonly table: string;
  readonly parentColumns: readonly string[] | null;
  readonly onDelete: string;
  readonly onUpdate: string;
  readonly deferred: boolean;
}

export interface IndexColumnSchema {
  /** Table column index, or -1 for an expression (then `exprSql` is set). */
  readonly column: number;
  readonly exprSql: string | null;
  readonly collation: string;
  readonly desc: boolean;
}

export interface IndexSchema {
  readonly type: 'index';
  readonly name: string;
  readonly table: string;
  readonly columns: readonly IndexColumnSchema[];
  readonly unique: boolean;
  /** Partial index WHERE clause text, or null. */
  readonly whereSql: string | null;
  /** 'c' created by CREATE INDEX, 'u' by UNIQUE, 'pk' by PRIMARY KEY (as PRAGMA index_list says). */
  readonly origin: 'c' | 'u' | 'pk';
  /** The CREATE INDEX text, or null for automatic indexes. */
  readonly sql: string | null;
}

export interface ViewSchema {
  readonly type: 'view';
  readonly name: string;
  readonly columns: readonly string[] | null;
  /** The SELECT text of the view body. */
  readonly selectSql: string;
  readonly sql: string;
}

export interface TriggerSchema {
  readonly type: 'trigger';
  readonly name: string;
  readonly table: string;
  readonly sql: string;
}
