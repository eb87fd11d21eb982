// Access-path selection for one table in a join: given the WHERE/ON terms that may be used to
// look it up, pick rowid lookup, index equality (+ range on the next column), IN lookups, a rowid
// range, or a full scan — and say so in EXPLAIN QUERY PLAN's words.
//
// A term qualifies when it compares a column of this table with an expression that only reads
// tables earlier in the join order (or outer queries, or parameters), and the comparison's
// collation and affinity rules would treat the column exactly as the index orders it. The executor
// still evaluates every term as a filter afterwards, so a lookup only has to return a superset.
import type { Expr } from '../sql/ast';
import type { IndexSchema } from '../storage/schema';

export type CompareOp = '=' | '<' | '<=' | '>' | '>=' | 'IN' | 'IS';

/** A usable term: `column op value` (already normalized so the column is on the left). */
export interface IndexableTerm {
  /** Column index in the table, or -1 for the rowid. */
  readonly column: number;
  readonly op: CompareOp;
  /** The value side (for IN: the list items). */
  readonly value: Expr | readonly Expr[];
  /** Collation the comparison uses. */
  readonly collation: string;
  /** True when the comparison would apply TEXT or NUMERIC affinity to the column side (then no index). */
  readonly columnAffinityChanges: boolean;
  /** Affinity the comparison applies to the value side, if any. */
  readonly valueAffinity: import('../value/affinity').Affinity | null;
  /** For a term on an expression (column -1... unused): its canonical text (plan/expr-key.ts). */
  readonly exprKey?: string | null;
}

export type AccessPath =
  | { readonly kind: 'scan' }
  | { readonly kind: 'rowid-eq'; readonly term: IndexableTerm }
  | { readonly kind: 'rowid-in'; readonly term: IndexableTerm }
  | { readonly kind: 'rowid-range'; readonly lower: IndexableTerm | null; readonly upper: IndexableTerm | null }
  | {
      readonly kind: 'index';
      readonly index: IndexSchema;
      /** Equality terms on the index's leading columns, in index order. */
      readonly eq: readonly IndexableTerm[];
      /** An IN term on the column after the equality prefix (when no range). */
      readonly inTerm: IndexableTerm | null;
      readonly lower: IndexableTerm | null;
      readonly upper: IndexableTerm | null;
      readonly covering: boolean;
    };

export interface TableInfoForPlanning {
  readonly name: string;
  readonly rowidAlias: number;
  readonly columnCollations: readonly string[];
  readonly indexes: readonly IndexSchema[];
  readonly rowCount: number;
  /** Canonical keys of the index expressions (same order as each index's columns; null for plain columns). */
  readonly indexExprKeys?: ReadonlyMap<IndexSchema, readonly (string | null)[]>;
  /** Partial indexes whose WHERE the query's WHERE implies (each of its terms appears there). */
  readonly usablePartial?: ReadonlySet<IndexSchema>;
}

function usable(t: IndexableTerm, collation: string): boolean {
  return !t.columnAffinityChanges && t.collation.toUpperCase() === collation.toUpperCase();
}

/**
 * Chooses the access path. `neededColumns` (null = all) decides whether an index covers the query.
 */
export function chooseAccessPath(
  table: TableInfoForPlanning,
  terms: readonly IndexableTerm[],
  neededColumns: ReadonlySet<number> | null,
  forcedIndex: string | false | null,
): AccessPath {
  const rowidTerms = terms.filter((t) => (t.column === -1 || t.column === table.rowidAlias) && t.collation.toUpperCase() === 'BINARY');
  if (forcedIndex === null || forcedIndex === false) {
    const eq = rowidTerms.find((t) => t.op === '=' || t.op === 'IS');
    if (eq) return { kind: 'rowid-eq', term: eq };
  }
  let best: AccessPath = { kind: 'scan' };
  let bestScore = 0;
  if (forcedIndex !== false) {
    for (const index of table.indexes) {
      if (index.whereSql !== null && !table.usablePartial?.has(index)) continue;
      if (typeof forcedIndex === 'string' && index.name.toLowerCase() !== forcedIndex.toLowerCase()) continue;
      const eq: IndexableTerm[] = [];
      let inTerm: IndexableTerm | null = null;
      let lower: IndexableTerm | null = null;
      let upper: IndexableTerm | null = null;
      const keys = table.indexExprKeys?.get(index);
      for (let k = 0; k < index.columns.length; k++) {
        const ic = index.columns[k]!;
        const key = ic.column < 0 ? keys?.[k] ?? null : null;
        if (ic.column < 0 && key === null) break;
        const cands = terms.filter((t) => (ic.column < 0 ? t.exprKey === key : t.column === ic.column && !t.exprKey) && usable(t, ic.collation));
        const e = cands.find((t) => t.op === '=' || t.op === 'IS');
        if (e) {
          eq.push(e);
          continue;
        }
        const inT = cands.find((t) => t.op === 'IN');
        if (inT) {
          inTerm = inT;
          break;
        }
        lower = cands.find((t) => t.op === '>' || t.op === '>=') ?? null;
        upper = cands.find((t) => t.op === '<' || t.op === '<=') ?? null;
        if (ic.desc) [lower, upper] = [upper, lower];
        break;
      }
      if (eq.length === 0 && inTerm === null && lower === null && upper === null) {
        if (typeof forcedIndex === 'string') best = { kind: 'index', index, eq, inTerm, lower, upper, covering: false };
        continue;
      }
      const fullUnique = index.unique && eq.length === index.columns.length;
      const score = fullUnique ? 1000 : eq.length * 10 + (inTerm ? 6 : 0) + (lower ? 2 : 0) + (upper ? 2 : 0);
      if (score > bestScore) {
        bestScore = score;
        best = { kind: 'index', index, eq, inTerm, lower, upper, covering: covers(index, table, neededColumns) };
      }
    }
  }
  if (best.kind === 'index' && bestScore >= 10) return best;
  if (forcedIndex === null || forcedIndex === false) {
    const inT = rowidTerms.find((t) => t.op === 'IN');
    if (inT) return { kind: 'rowid-in', term: inT };
  }
  if (best.kind === 'index') return best;
  if (forcedIndex === null || forcedIndex === false) {
    const lower = rowidTerms.find((t) => t.op === '>' || t.op === '>=') ?? null;
    const upper = rowidTerms.find((t) => t.op === '<' || t.op === '<=') ?? null;
    if (lower || upper) return { kind: 'rowid-range', lower, upper };
  }
  if (forcedIndex === null) {
    const narrow = narrowestCoveringIndex(table, neededColumns);
    if (narrow) return { kind: 'index', index: narrow, eq: [], inTerm: null, lower: null, upper: null, covering: true };
  }
  return best;
}

/**
 * A full scan reads a covering index instead of the table when the index is narrower (SQLite
 * compares estimated row sizes; column counts are our estimate). The order of the scan is the
 * index's, as in SQLite — which decides, for example, the rowids INSERT ... SELECT assigns.
 */
function narrowestCoveringIndex(table: TableInfoForPlanning, needed: ReadonlySet<number> | null): IndexSchema | null {
  if (needed === null) return null;
  const tableWidth = table.columnCollations.length - (table.rowidAlias >= 0 ? 1 : 0);
  let best: IndexSchema | null = null;
  for (const index of table.indexes) {
    if ((index.whereSql !== null && !table.usablePartial?.has(index)) || index.columns.some((c) => c.column < 0)) continue;
    if (index.columns.length >= tableWidth) continue;
    if (!covers(index, table, needed)) continue;
    if (best === null || index.columns.length < best.columns.length) best = index;
  }
  return best;
}

function covers(index: IndexSchema, table: TableInfoForPlanning, needed: ReadonlySet<number> | null): boolean {
  if (needed === null) return false;
  for (const c of needed) {
    if (c === -1 || c === table.rowidAlias) continue;
    if (!index.columns.some((ic) => ic.column === c)) return false;
  }
  return true;
}

/** EXPLAIN QUERY PLAN's detail text for an access path, in SQLite's words. */
export function describeAccessPath(path: AccessPath, tableLabel: string, columnNames: readonly string[]): string {
  // SQLite names an indexed expression `<expr>` in plans.
  const col = (t: IndexableTerm) => (t.exprKey ? '<expr>' : t.column < 0 ? 'rowid' : columnNames[t.column] ?? '?');
  // SQLite writes every lower bound as `>` and every upper bound as `<`, inclusive or not.
  const word = (op: CompareOp) => (op === 'IN' || op === 'IS' ? '=' : op === '>=' ? '>' : op === '<=' ? '<' : op);
  const cond = (t: IndexableTerm) => `${col(t)}${word(t.op)}?`;
  switch (path.kind) {
    case 'scan':
      return `SCAN ${tableLabel}`;
    case 'rowid-eq':
      return `SEARCH ${tableLabel} USING INTEGER PRIMARY KEY (rowid=?)`;
    case 'rowid-in':
      return `SEARCH ${tableLabel} USING INTEGER PRIMARY KEY (rowid=?)`;
    case 'rowid-range': {
      const parts: string[] = [];
      if (path.lower) parts.push(`rowid${word(path.lower.op)}?`);
      if (path.upper) parts.push(`rowid${word(path.upper.op)}?`);
      return `SEARCH ${tableLabel} USING INTEGER PRIMARY KEY (${parts.join(' AND ')})`;
    }
    case 'index': {
      const parts = path.eq.map(cond);
      if (path.inTerm) parts.push(cond(path.inTerm));
      if (path.lower) parts.push(cond(path.lower));
      if (path.upper) parts.push(cond(path.upper));
      const kind = path.covering ? 'COVERING INDEX' : 'INDEX';
      if (parts.length === 0) return `SCAN ${tableLabel} USING ${kind} ${path.index.name}`;
      return `SEARCH ${tableLabel} USING ${kind} ${path.index.name} (${parts.join(' AND ')})`;
    }
  }
}
