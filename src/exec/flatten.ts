// Subquery flattening, the simplest and most common case of SQLite's (select.c flattenSubquery):
//
//   SELECT x, count(*) FROM (SELECT a + 1 AS x, b FROM t WHERE c > 0) AS s WHERE b = 2 GROUP BY x
//   ==> SELECT a + 1 AS x, count(*) FROM t WHERE c > 0 AND b = 2 GROUP BY a + 1
//
// so the outer query reads the table itself — its indexes, min/max, ordered scans — instead of a
// materialized copy of the subquery. Taken only where nothing can change meaning: the derived
// table is the outer query's only FROM item; it reads one plain table and has no DISTINCT, GROUP
// BY, HAVING, aggregate, window, subquery, ORDER BY, LIMIT or WITH; the outer query has no
// subquery and every column it names is one of the derived table's (so no name can be captured
// by the table's other columns). Each outer reference is replaced by the derived column's
// expression, which keeps its affinity and collation; result columns keep their names.
import type { Expr, FromItem, OrderingTerm, ResultColumn, SelectCore, SelectStatement } from '../sql/ast';

interface Flattened {
  readonly core: SelectCore;
  readonly orderBy: readonly OrderingTerm[] | null;
}

export interface FlattenEnv {
  /** Column names of a plain table (null when the name is not a table, or is a CTE or view). */
  tableColumns(name: string): readonly string[] | null;
  isAggregateOrWindow(e: Expr): boolean;
  /** The statement text the outer query's positions refer to (for result column names). */
  readonly sql: string;
}

function hasNested(e: unknown): boolean {
  let found = false;
  const visit = (n: unknown): void => {
    if (found || n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const x of n) visit(x);
      return;
    }
    const k = (n as { kind?: string }).kind;
    if (k === 'select' || k === 'subquery' || k === 'exists' || k === 'raise') {
      found = true;
      return;
    }
    for (const [key, v] of Object.entries(n)) if (key !== 'loc') visit(v);
  };
  visit(e);
  return found;
}

export function flattenSubquery(core: SelectCore, orderBy: readonly OrderingTerm[] | null, env: FlattenEnv): Flattened | null {
  const from = core.from;
  if (from === null || from.kind !== 'subquery-ref') return null;
  const sub: SelectStatement = from.select;
  if (sub.with !== null || sub.orderBy.length > 0 || sub.limit !== null || sub.body.kind !== 'select-core') return null;
  const b = sub.body;
  if (b.distinct || b.groupBy.length > 0 || b.having !== null || b.windows.length > 0) return null;
  const t: FromItem | null = b.from;
  if (t === null || t.kind !== 'table-ref' || t.args !== null || (t.schema !== null && t.schema.toLowerCase() !== 'main')) return null;
  const tableCols = env.tableColumns(t.name);
  if (tableCols === null) return null;
  const tableName = (t.alias ?? t.name).toLowerCase();
  // The derived table's columns: name -> expression.
  const cols: { name: string; expr: Expr }[] = [];
  for (const rc of b.columns) {
    if (rc.kind === 'star' || (rc.kind === 'table-star' && rc.table.toLowerCase() === tableName)) {
      for (const c of tableCols) cols.push({ name: c, expr: { kind: 'column', schema: null, table: t.alias ?? t.name, name: c, loc: rc.loc } });
      continue;
    }
    if (rc.kind !== 'result-expr') return null;
    if (hasNested(rc.expr) || env.isAggregateOrWindow(rc.expr)) return null;
    const name = rc.alias ?? (rc.expr.kind === 'column' ? rc.expr.name : null);
    if (name === null) return null; // unnamed expressions take their text as name: keep it simple
    cols.push({ name, expr: rc.expr });
  }
  const lower = cols.map((c) => c.name.toLowerCase());
  if (new Set(lower).size !== lower.length) return null;
  if (b.where !== null && hasNested(b.where)) return null;
  const subName = from.alias?.toLowerCase() ?? null;
  if (hasNested(core.columns) || hasNested(core.where) || hasNested(core.groupBy) || hasNested(core.having) || hasNested(orderBy) || core.windows.length > 0) return null;

  // Outer result columns: names kept; `*` expands to the derived columns.
  const resultAliases = new Set<string>();
  for (const rc of core.columns) if (rc.kind === 'result-expr' && rc.alias) resultAliases.add(rc.alias.toLowerCase());
  let ok = true;
  const subst = (e: Expr, inOrder: boolean): Expr => {
    const visit = (n: unknown): unknown => {
      if (!ok || n === null || typeof n !== 'object') return n;
      if (Array.isArray(n)) return n.map(visit);
      const node = n as { kind?: string };
      if (node.kind === 'column') {
        const c = n as Extract<Expr, { kind: 'column' }>;
        if (c.schema !== null || (c.table !== null && c.table.toLowerCase() !== subName)) { ok = false; return n; }
        // An ORDER BY / GROUP BY name may mean a result column alias: leave such terms alone.
        if (inOrder && c.table === null && resultAliases.has(c.name.toLowerCase())) { ok = false; return n; }
        const i = lower.indexOf(c.name.toLowerCase());
        if (i < 0) { ok = false; return n; }
        return cols[i]!.expr;
      }
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(n)) out[k] = k === 'loc' ? v : visit(v);
      return out;
    };
    return visit(e) as Expr;
  };
  const columns: ResultColumn[] = [];
  for (const rc of core.columns) {
    if (rc.kind === 'star' || (rc.kind === 'table-star' && rc.table.toLowerCase() === subName)) {
      for (const c of cols) columns.push({ kind: 'result-expr', expr: c.expr, alias: c.name, loc: rc.loc });
      continue;
    }
    if (rc.kind !== 'result-expr') return null;
    const name = rc.alias ?? (rc.expr.kind === 'column' ? rc.expr.name : env.sql.slice(rc.expr.loc.start, rc.expr.loc.end));
    columns.push({ kind: 'result-expr', expr: subst(rc.expr, false), alias: name, loc: rc.loc });
  }
  const where = core.where === null ? b.where : b.where === null ? subst(core.where, false)
    : ({ kind: 'binary', op: 'AND', left: b.where, right: subst(core.where, false), loc: core.where.loc } as Expr);
  const flat: SelectCore = {
    ...core,
    columns,
    from: t,
    where,
    groupBy: core.groupBy.map((g) => (g.kind === 'number' ? g : subst(g, true))),
    having: core.having === null ? null : subst(core.having, false),
  };
  const ob = orderBy === null ? null : orderBy.map((o) => (o.expr.kind === 'number' ? o : { ...o, expr: subst(o.expr, true) }));
  return ok ? { core: flat, orderBy: ob } : null;
}
