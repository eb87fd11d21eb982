// An aggregate whose arguments read only columns of an enclosing query belongs to that query
// (SQLite's rule): in `SELECT (SELECT count(t.a) FROM u) FROM t` the count runs over t's rows, and
// the subquery reads its value as a constant. Each grouped query registers its collector here while
// its result columns, HAVING and ORDER BY compile; the expression compiler hands such a call to the
// collector of the query that owns its columns (the nearest one, when they come from several).
import type { Expr, FunctionCall } from '../sql/ast';
import type { Scope } from '../plan/scope';
import type { AggregateCollector, CompileContext } from './compile-context';

const open = new WeakMap<CompileContext, { scope: Scope; collector: AggregateCollector }[]>();

export function enterAggregateScope(ctx: CompileContext, scope: Scope, collector: AggregateCollector): void {
  let list = open.get(ctx);
  if (!list) open.set(ctx, (list = []));
  list.push({ scope, collector });
}

export function leaveAggregateScope(ctx: CompileContext, scope: Scope): void {
  const list = open.get(ctx);
  const i = list ? list.findIndex((x) => x.scope === scope) : -1;
  if (i >= 0) list!.splice(i, 1);
}

/** Column references of an expression, not looking into subqueries. */
function columnRefs(e: Expr, out: Extract<Expr, { kind: 'column' }>[]): void {
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const x of node) visit(x);
      return;
    }
    const n = node as { kind?: string };
    if (n.kind === 'column') {
      out.push(node as Extract<Expr, { kind: 'column' }>);
      return;
    }
    if (n.kind === 'select' || n.kind === 'select-core') return;
    for (const [k, v] of Object.entries(node)) if (k !== 'loc') visit(v);
  };
  visit(e);
}

/** The enclosing query's collector `call` belongs to, or null when it is this query's own. */
export function outerAggregateTarget(ctx: CompileContext, call: FunctionCall, scope: Scope): { scope: Scope; collector: AggregateCollector } | null {
  const list = open.get(ctx);
  if (!list || list.length === 0 || call.star) return null;
  const refs: Extract<Expr, { kind: 'column' }>[] = [];
  for (const a of call.args) columnRefs(a, refs);
  if (call.filter) columnRefs(call.filter, refs);
  if (refs.length === 0) return null;
  let depth = Infinity;
  for (const r of refs) {
    let d: number;
    try {
      d = scope.resolve(r)?.depth ?? 0;
    } catch {
      return null;
    }
    if (d < depth) depth = d;
  }
  if (depth < 1 || depth === Infinity) return null;
  let target: Scope | null = scope;
  for (let i = 0; i < depth && target; i++) target = target.parent;
  return list.find((x) => x.scope === target) ?? null;
}

/**
 * Whether a subquery among `exprs` holds an aggregate over this query's columns (a pre-scan, to
 * know the query is an aggregate one before compiling): an aggregate call inside a subquery whose
 * column references are all qualified by a name of `scope`'s sources that no FROM item of the
 * subqueries around the call reuses.
 */
export function hasOuterAggregate(exprs: readonly Expr[], scope: Scope, isAggregate: (c: FunctionCall) => boolean): boolean {
  const ours = new Set(scope.sources.map((s) => s.name.toLowerCase()));
  let found = false;
  const fromNames = (from: unknown, out: Set<string>): void => {
    if (from === null || typeof from !== 'object') return;
    const f = from as { kind?: string; name?: string; alias?: string | null; left?: unknown; right?: unknown; items?: unknown[] };
    if (typeof f.alias === 'string') out.add(f.alias.toLowerCase());
    else if (f.kind === 'table-ref' && typeof f.name === 'string') out.add(f.name.toLowerCase());
    for (const v of Object.values(f)) if (v && typeof v === 'object' && (v as { kind?: string }).kind !== 'select') fromNames(v, out);
  };
  const visit = (node: unknown, shadowed: ReadonlySet<string>, inner: boolean): void => {
    if (found || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const x of node) visit(x, shadowed, inner);
      return;
    }
    const n = node as { kind?: string; from?: unknown };
    if (n.kind === 'select-core') {
      const names = new Set(shadowed);
      fromNames(n.from, names);
      for (const [k, v] of Object.entries(node)) if (k !== 'loc') visit(v, names, true);
      return;
    }
    if (inner && n.kind === 'call' && isAggregate(node as FunctionCall)) {
      const c = node as FunctionCall;
      const refs: Extract<Expr, { kind: 'column' }>[] = [];
      for (const a of c.args) columnRefs(a, refs);
      if (refs.length > 0 && refs.every((r) => r.table !== null && ours.has(r.table.toLowerCase()) && !shadowed.has(r.table.toLowerCase()))) {
        found = true;
        return;
      }
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'loc') visit(v, shadowed, inner);
  };
  for (const e of exprs) visit(e, new Set(), false);
  return found;
}
