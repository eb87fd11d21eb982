// Name resolution. A Scope lists the sources (FROM items) visible to an expression; each source has
// a slot in the statement's row environment (env.rows[slot]) so that compiled expressions read a
// column as `rows[slot][col]`. Scopes chain to their parent for correlated subqueries: slots are
// numbered per statement, so an inner query simply reads the outer query's slot.
import { AmberError } from '../value/amber-error';
import type { Affinity } from '../value/affinity';
import type { ColumnRef } from '../sql/ast';

export interface SourceColumn {
  readonly name: string;
  readonly affinity: Affinity | null;
  readonly collation: string | null;
  readonly declType: string | null;
  /** For result-column metadata (`Statement#columns()`): the base table and column, when known. */
  readonly table: string | null;
  readonly column: string | null;
  /** Hidden columns (table-valued function arguments) are not expanded by `*`. */
  readonly hidden?: boolean;
}

export interface Source {
  /** Alias, or table name when there is no alias. */
  readonly name: string;
  readonly slot: number;
  readonly columns: readonly SourceColumn[];
  /** Index of the INTEGER PRIMARY KEY column, or -1; `rowid` names it (or the hidden rowid). */
  readonly rowidAlias: number;
  /** False for subqueries and views (and WITHOUT ROWID tables, for SQL): they have no rowid. */
  readonly hasRowid: boolean;
  /** A table's rowid, reachable by the engine's own statements as INTERNAL_ROWID even when hidden. */
  readonly internalRowid?: boolean;
  /** Columns named by USING / NATURAL on the right side of a join are hidden from `*`. */
  readonly usingHidden?: Set<string>;
  /** For RIGHT/FULL joins and USING: the column is coalesced with another source's. */
  readonly coalesce?: Map<string, { slot: number; col: number }>;
}

/** Column -1 means the rowid. */
export interface ResolvedColumn {
  readonly slot: number;
  readonly col: number;
  readonly source: Source;
  readonly info: SourceColumn | null;
  /** Nesting distance: 0 for this scope, 1 for the parent... (correlation). */
  readonly depth: number;
}

export interface SlotAllocator {
  next: number;
}

/** The name the engine's synthesized queries use for a table's rowid (no SQL text can spell it). */
export const INTERNAL_ROWID = '\u0000rowid';

export class Scope {
  readonly sources: Source[] = [];
  /** Result-column aliases usable in WHERE/GROUP BY/ORDER BY (SQLite allows it). */
  aliases: Map<string, import('../sql/ast').Expr> | null = null;

  constructor(
    readonly parent: Scope | null,
    readonly slots: SlotAllocator,
  ) {}

  allocSlot(): number {
    return this.slots.next++;
  }

  add(source: Source): void {
    this.sources.push(source);
  }

  findSource(name: string): Source | undefined {
    const lower = name.toLowerCase();
    for (const s of this.sources) if (s.name.toLowerCase() === lower) return s;
    return undefined;
  }

  /** Resolves a column reference here or in an enclosing scope; undefined when nowhere. */
  resolve(ref: ColumnRef): ResolvedColumn | undefined {
    let depth = 0;
    for (let scope: Scope | null = this; scope !== null; scope = scope.parent, depth++) {
      const r = scope.resolveLocal(ref, depth);
      if (r) return r;
    }
    return undefined;
  }

  resolveLocal(ref: ColumnRef, depth: number): ResolvedColumn | undefined {
    const name = ref.name.toLowerCase();
    const candidates: ResolvedColumn[] = [];
    for (const s of this.sources) {
      if (ref.table !== null && s.name.toLowerCase() !== ref.table.toLowerCase()) continue;
      const i = s.columns.findIndex((c) => c.name.toLowerCase() === name);
      if (i >= 0) {
        if (ref.table === null && s.usingHidden?.has(name) && candidates.length > 0) continue;
        const co = ref.table === null ? s.coalesce?.get(name) : undefined;
        candidates.push({ slot: s.slot, col: i, source: s, info: s.columns[i]!, depth, ...(co ? {} : {}) });
        continue;
      }
      if ((s.hasRowid && (name === 'rowid' || name === 'oid' || name === '_rowid_')) || (name === INTERNAL_ROWID && s.internalRowid)) {
        candidates.push({
          slot: s.slot,
          col: s.rowidAlias >= 0 ? s.rowidAlias : -1,
          source: s,
          info: s.rowidAlias >= 0 ? s.columns[s.rowidAlias]! : { name: ref.name, affinity: 'INTEGER', collation: null, declType: 'INTEGER', table: null, column: null },
          depth,
        });
      }
    }
    if (candidates.length > 1 && ref.table === null) {
      // A column shared through USING/NATURAL is not ambiguous: take the first (left) one.
      const first = candidates[0]!;
      const rest = candidates.slice(1);
      if (!rest.every((c) => c.source.usingHidden?.has(name))) {
        throw new AmberError(`ambiguous column name: ${ref.name}`, 'SQLITE_ERROR', { offset: ref.loc.start, line: ref.loc.line, column: ref.loc.column });
      }
      return first;
    }
    return candidates[0];
  }
}
