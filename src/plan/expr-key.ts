// A canonical text for an expression, so the planner can tell that `lower(u.email)` in a query is
// the `lower(email)` an index was built on: positions dropped, function names lower-cased, and
// every column replaced by what it resolves to (its index in the table).
import type { ColumnRef, Expr } from '../sql/ast';

export function exprKey(e: Expr, column: (ref: ColumnRef) => number | null): string | null {
  let ok = true;
  const canon = (node: unknown): unknown => {
    if (!ok || node === null || typeof node !== 'object') return node;
    if (Array.isArray(node)) return node.map(canon);
    const n = node as { kind?: string };
    if (n.kind === 'column') {
      const c = column(node as ColumnRef);
      if (c === null) ok = false;
      return { col: c };
    }
    if (n.kind === 'subquery' || n.kind === 'exists' || n.kind === 'param') {
      ok = false;
      return null;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === 'loc') continue;
      out[k] = k === 'name' && n.kind === 'call' && typeof v === 'string' ? v.toLowerCase() : canon(v);
    }
    return out;
  };
  const text = JSON.stringify(canon(e));
  return ok ? text : null;
}
