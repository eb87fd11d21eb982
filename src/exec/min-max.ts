// The min/max optimization (SQLite's minMaxQuery in select.c): `SELECT max(x) FROM t [WHERE ...]`
// with exactly one aggregate, a min() or max() of one argument, and no GROUP BY or HAVING, is
// answered by visiting rows in x order and stopping at the first row that passes the WHERE terms
// (for min(), the first whose x is not NULL). The planner asks orderFromPath for a path that
// yields that order — an index on x, or x after an equality prefix (`WHERE c = ? ` on (c, x)) —
// so the answer costs one seek instead of a scan.
//
// Same answer as the full scan: the rows visited before the stop cannot change min()/max(), and
// bare columns (`SELECT min(x), y`) come from the min/max row, as in SQLite.
import type { Expr, FunctionCall, OrderingTerm, SelectCore } from '../sql/ast';
import type { CompileContext } from './compile-context';
import { isAggregateCall, walkExpr } from './compile-expr';

export interface MinMaxQuery {
  readonly max: boolean;
  /** The aggregate's argument. */
  readonly arg: Expr;
  /** ORDER BY that puts the answer first: `arg` ascending for min, descending for max. */
  readonly order: readonly OrderingTerm[];
}

/** Canonical text of an expression (positions dropped) to tell identical aggregate calls apart. */
function shape(e: unknown): string {
  return JSON.stringify(e, (k, v) => (k === 'loc' || k === 'doubleQuoted' ? undefined : v));
}

/**
 * The min/max query `core` is, or null. `exprs` are the expanded result columns and ORDER BY
 * terms: every aggregate call there must be the same min(x)/max(x) call (SQLite's nFunc == 1).
 */
export function minMaxQuery(ctx: CompileContext, core: SelectCore, exprs: readonly Expr[]): MinMaxQuery | null {
  if (core.groupBy.length > 0 || core.having !== null || core.windows.length > 0) return null;
  let call: FunctionCall | null = null;
  let key = '';
  let ok = true;
  for (const e of exprs) {
    walkExpr(e, (x) => {
      if (!ok) return false;
      if (x.kind !== 'call') return true;
      if (x.over !== null) {
        ok = false;
        return false;
      }
      if (!isAggregateCall(ctx, x)) return true;
      const s = shape(x);
      if (call === null) {
        call = x;
        key = s;
      } else if (s !== key) ok = false;
      return false;
    });
    if (!ok) return null;
  }
  const c = call as FunctionCall | null;
  if (c === null || c.distinct || c.filter !== null || c.star || c.orderBy !== null || c.args.length !== 1) return null;
  const name = c.name.toLowerCase();
  if (name !== 'min' && name !== 'max') return null;
  // A user aggregate of the same name replaces the built-in one: nothing is known of its order.
  if (ctx.services.userAggregates.has(name)) return null;
  const arg = c.args[0]!;
  const max = name === 'max';
  return { max, arg, order: [{ expr: arg, direction: max ? 'DESC' : 'ASC', nulls: null, loc: arg.loc }] };
}
