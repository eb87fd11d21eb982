// User-defined table-valued functions (`db.table(name, definition)`), as better-sqlite3 declares
// them to SQLite: a virtual table whose parameters are HIDDEN columns placed before its columns.
// In: a FROM item `fn(args)` or `fn` plus the WHERE/ON terms of its query. Out: its rows, one
// generator call per combination of parameter values. It never plans anything else: the select
// compiler asks it for rows, a cost, and which terms feed its parameters.
//
// A parameter gets its value from the call's argument list (`seq(1, 3)`: the i-th argument is the
// i-th parameter) or from a term `param = expr` whose other side is bound before this source is
// scanned (`FROM t, seq WHERE seq.start = t.n`); `param IN (list)` runs the generator once per
// item. A parameter with neither is `undefined` to the generator. As in better-sqlite3, a NULL
// parameter means no rows (the generator is not called), and any other operator on a parameter is
// an error. The terms stay in the query as filters: each row carries the parameter values in its
// hidden columns, so they hold.
import type { Expr } from '../sql/ast';
import type { Scope, SourceColumn } from '../plan/scope';
import { AmberError } from '../value/amber-error';
import type { SqlValue } from '../value/types';
import type { Ev } from './env';

export interface UserTableFunction {
  readonly name: string;
  readonly columns: readonly string[];
  readonly parameters: readonly string[];
  /**
   * Runs the generator once: `args[i]` is parameter i's value, undefined when unconstrained.
   * Each row holds the parameters' values, then the columns' (better-sqlite3's layout).
   */
  rows(args: readonly (SqlValue | undefined)[]): Iterable<SqlValue[]>;
}

/** Where one parameter's values come from: one expression, or the items of an IN list. */
type ParamSource = { readonly kind: 'one'; readonly ev: Ev } | { readonly kind: 'list'; readonly evs: readonly Ev[] };

/** One use of a table function in a FROM clause. */
export class TableFunctionScan {
  private readonly sources: (ParamSource | null)[];
  private readonly fromCall: number;

  constructor(
    readonly fn: UserTableFunction,
    callArgs: readonly Ev[],
    private readonly slot: number,
    at: { loc: { start: number; line: number; column: number } } | null,
  ) {
    if (callArgs.length > fn.parameters.length) {
      throw new AmberError(`too many arguments on ${fn.name}() - max ${fn.parameters.length}`, 'SQLITE_ERROR', at ? { offset: at.loc.start, line: at.loc.line, column: at.loc.column } : undefined);
    }
    this.sources = fn.parameters.map((_, i) => (i < callArgs.length ? { kind: 'one', ev: callArgs[i]! } : null));
    this.fromCall = callArgs.length;
  }

  /** Parameters first (hidden: `*` leaves them out), then the columns; no affinity. */
  static sourceColumns(fn: UserTableFunction, table: string): SourceColumn[] {
    return [
      ...fn.parameters.map((name) => ({ name, affinity: null, collation: null, declType: '', table, column: name, hidden: true })),
      ...fn.columns.map((name) => ({ name, affinity: null, collation: null, declType: null, table, column: name })),
    ];
  }

  /** Rows for the current parameter values (evaluated now: they may read earlier FROM items). */
  *rows(): Generator<SqlValue[]> {
    const lists: (readonly SqlValue[] | undefined)[] = [];
    for (const s of this.sources) {
      if (s === null) lists.push(undefined);
      else if (s.kind === 'one') lists.push([s.ev()]);
      else lists.push(s.evs.map((ev) => ev()));
    }
    const args: (SqlValue | undefined)[] = new Array<SqlValue | undefined>(lists.length);
    // Every combination of the parameters' values, the last parameter varying fastest.
    const walk = function* (fn: UserTableFunction, i: number): Generator<SqlValue[]> {
      if (i === lists.length) {
        yield* fn.rows(args.slice());
        return;
      }
      const list = lists[i];
      if (list === undefined) {
        args[i] = undefined;
        yield* walk(fn, i + 1);
        return;
      }
      for (const v of list) {
        if (v === null) continue;
        args[i] = v;
        yield* walk(fn, i + 1);
      }
    };
    yield* walk(this.fn, 0);
  }

  /**
   * Once the join order is known: takes `param = expr` (or `expr = param`, `param IN (...)`) terms
   * whose other side `isBound`, for parameters the call's arguments left open; refuses any other
   * operator on a parameter.
   */
  constrain(terms: readonly Expr[], scope: Scope, isBound: (e: Expr) => boolean, compile: (e: Expr) => Ev): void {
    for (const t of terms) {
      const c = this.constraintOf(t, scope);
      if (c === null) continue;
      if (c.op !== '=' && c.op !== 'in') {
        throw new AmberError(`virtual table parameter "${this.fn.parameters[c.param]}" can only be constrained by the '=' operator`);
      }
      if (c.param < this.fromCall || this.sources[c.param] !== null || !c.values.every(isBound)) continue;
      this.sources[c.param] = c.op === '='
        ? { kind: 'one', ev: compile(c.values[0]!) }
        : { kind: 'list', evs: c.values.map(compile) };
    }
  }

  /**
   * The join-order cost. Like better-sqlite3's xBestIndex: a parameter term whose other side is
   * not bound yet makes this order impossible (so the source moves after what the term reads),
   * and more bound parameters make it cheaper.
   */
  estimate(terms: readonly Expr[], scope: Scope, isBound: (e: Expr) => boolean): { rows: number; cost: number } {
    let bound = this.fromCall;
    for (const t of terms) {
      const c = this.constraintOf(t, scope);
      if (c === null || c.param < this.fromCall || (c.op !== '=' && c.op !== 'in')) continue;
      if (!c.values.every(isBound)) return { rows: 1e9, cost: Infinity };
      bound++;
    }
    const n = 1e6 / (bound + 1);
    return { rows: n, cost: n };
  }

  /** A term constraining one of this source's parameters by something not read from this source. */
  private constraintOf(t: Expr, scope: Scope): { param: number; op: string; values: Expr[] } | null {
    switch (t.kind) {
      case 'binary': {
        if (t.op === 'AND' || t.op === 'OR') return null;
        const l = this.paramOf(t.left, scope);
        const r = this.paramOf(t.right, scope);
        if (l >= 0 && !this.reads(t.right, scope)) return { param: l, op: t.op, values: [t.right] };
        if (r >= 0 && !this.reads(t.left, scope)) return { param: r, op: t.op, values: [t.left] };
        return null;
      }
      case 'in': {
        const p = this.paramOf(t.expr, scope);
        if (p < 0) return null;
        if (t.not || t.source.kind !== 'list') return { param: p, op: 'NOT IN', values: [] };
        if (t.source.items.some((x) => this.reads(x, scope))) return null;
        return { param: p, op: 'in', values: [...t.source.items] };
      }
      case 'like':
      case 'between':
      case 'isnull': {
        const p = this.paramOf(t.kind === 'like' ? t.left : t.expr, scope);
        return p >= 0 ? { param: p, op: t.kind, values: [] } : null;
      }
      default:
        return null;
    }
  }

  /** The parameter index a column reference names in this source, or -1. */
  private paramOf(e: Expr, scope: Scope): number {
    if (e.kind !== 'column') return -1;
    const r = resolve(scope, e);
    if (r === undefined || r.depth !== 0 || r.slot !== this.slot) return -1;
    return r.col >= 0 && r.col < this.fn.parameters.length ? r.col : -1;
  }

  /** Whether `e` reads a column of this source. */
  private reads(e: Expr, scope: Scope): boolean {
    let found = false;
    const visit = (x: unknown): void => {
      if (found || x === null || typeof x !== 'object') return;
      if (Array.isArray(x)) {
        for (const y of x) visit(y);
        return;
      }
      const node = x as { kind?: string };
      if (node.kind === 'column') {
        const r = resolve(scope, node as Extract<Expr, { kind: 'column' }>);
        if (r !== undefined && r.slot === this.slot) found = true;
        return;
      }
      for (const [k, v] of Object.entries(x)) if (k !== 'loc') visit(v);
    };
    visit(e);
    return found;
  }
}

function resolve(scope: Scope, e: Extract<Expr, { kind: 'column' }>) {
  try {
    return scope.resolve(e);
  } catch {
    return undefined;
  }
}
