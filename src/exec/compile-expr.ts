// Expression compiler: AST expression + scope -> a closure over the statement's Env.
// Name resolution, affinity and collation decisions are made here once, at prepare time; the
// closures only compute. Example: `a + 1 > ?` over slot 0 becomes
//   cmpGT(() => add(rows[0][1], 1), () => params[0])
// with the comparison's affinity (from column a) applied to the parameter's value.
import { AmberError } from '../value/amber-error';
import { applyComparisonAffinity, affinityOfType, comparisonAffinities, type Affinity } from '../value/affinity';
import * as arith from '../value/arith';
import { getCollation, type Collation } from '../value/collation';
import { compareValues } from '../value/compare';
import { castTo, parseNumberLiteral, toBoolean, toText } from '../value/convert';
import { getScalarFunction, hasScalarFunction } from '../value/functions/scalar';
import { compileLike, globMatch } from '../value/functions/like';
import { RealBox, type SqlValue } from '../value/types';
import { unreachable, type Expr, type FunctionCall, type SelectStatement } from '../sql/ast';
import type { Scope } from '../plan/scope';
import type { AggregateCollector, CompileContext } from './compile-context';
import type { Ev } from './env';
import { outerAggregateTarget } from './outer-aggregates';
import { callDateTime, isDateTimeFunction } from './datetime-glue';
import { compileRaise } from './trigger';
import { WINDOW_ONLY } from './window';
import { JSON_SUBTYPE_FUNCTIONS, jsonArrow, jsonArrow2, lastJsonSubtype } from '../value/functions/json';

export function positionOf(e: { loc: { start: number; line: number; column: number } }) {
  return { offset: e.loc.start, line: e.loc.line, column: e.loc.column };
}

function err(msg: string, e: Expr): AmberError {
  return new AmberError(msg, 'SQLITE_ERROR', positionOf(e));
}

const AGGREGATE_NAMES = new Set(['count', 'sum', 'total', 'avg', 'min', 'max', 'group_concat', 'string_agg', 'json_group_array', 'json_group_object']);

/** True when the call is an aggregate (built-in, or user aggregate of that arity). */
export function isAggregateCall(ctx: CompileContext, call: FunctionCall): boolean {
  if (call.over !== null) return false;
  const name = call.name.toLowerCase();
  if (ctx.services.userAggregates.has(name)) return true;
  if (!AGGREGATE_NAMES.has(name)) return false;
  // min/max with several arguments are the scalar functions.
  if ((name === 'min' || name === 'max') && call.args.length !== 1) return false;
  return true;
}

/** Does the expression contain an aggregate call (not looking into subqueries)? */
export function containsAggregate(ctx: CompileContext, e: Expr): boolean {
  let found = false;
  walkExpr(e, (x) => {
    if (x.kind === 'call' && isAggregateCall(ctx, x)) found = true;
    return !found;
  });
  return found;
}

/** Does the expression contain a window function call (not looking into subqueries)? */
export function containsWindow(e: Expr): boolean {
  let found = false;
  walkExpr(e, (x) => {
    if (x.kind === 'call' && x.over !== null) found = true;
    return !found;
  });
  return found;
}

/** Visits an expression tree without entering subqueries; `visit` returns false to stop descending. */
/**
 * SQLite's message for a name that is no column. A double-quoted one gets a hint: better-sqlite3
 * builds SQLite with SQLITE_DQS=0, so such a name never falls back to a string literal.
 */
export function noSuchColumn(e: Extract<Expr, { kind: 'column' }>): string {
  if (e.table === null && e.doubleQuoted) {
    return `no such column: "${e.name}" - should this be a string literal in single-quotes?`;
  }
  return `no such column: ${e.table ? `${e.table}.${e.name}` : e.name}`;
}

export function walkExpr(e: Expr, visit: (e: Expr) => boolean): void {
  if (!visit(e)) return;
  const w = (x: Expr | null) => { if (x) walkExpr(x, visit); };
  switch (e.kind) {
    case 'unary': w(e.operand); break;
    case 'binary': w(e.left); w(e.right); break;
    case 'collate': w(e.expr); break;
    case 'like': w(e.left); w(e.right); w(e.escape); break;
    case 'between': w(e.expr); w(e.low); w(e.high); break;
    case 'in': w(e.expr); if (e.source.kind === 'list') e.source.items.forEach(w); break;
    case 'isnull': w(e.expr); break;
    case 'case': w(e.operand); for (const c of e.whens) { w(c.when); w(c.then); } w(e.else); break;
    case 'cast': w(e.expr); break;
    case 'call':
      e.args.forEach(w);
      w(e.filter);
      if (e.over) {
        e.over.partitionBy.forEach(w);
        e.over.orderBy.forEach((t) => w(t.expr));
      }
      break;
    case 'row': e.items.forEach(w); break;
    default: break;
  }
}

/** The affinity an expression carries into a comparison (datatype3 §4.2), or null for none. */
export function exprAffinity(e: Expr, scope: Scope): Affinity | null {
  switch (e.kind) {
    case 'column': {
      const r = scope.resolve(e);
      return r?.info?.affinity ?? null;
    }
    case 'cast':
      return affinityOfType(e.type.name);
    case 'collate':
      return exprAffinity(e.expr, scope);
    case 'unary':
      return e.op === '+' ? exprAffinity(e.operand, scope) : null;
    case 'subquery':
      return null;
    default:
      return null;
  }
}

/** The collation an expression carries, and whether it was explicit (COLLATE). */
export function exprCollation(e: Expr, scope: Scope): { name: string; explicit: boolean } | null {
  switch (e.kind) {
    case 'collate':
      return { name: e.collation, explicit: true };
    case 'column': {
      const r = scope.resolve(e);
      const c = r?.info?.collation;
      return c ? { name: c, explicit: false } : null;
    }
    case 'unary':
      return e.op === '+' || e.op === '-' ? exprCollation(e.operand, scope) : null;
    case 'binary':
      if (e.op === '||') return exprCollation(e.left, scope) ?? exprCollation(e.right, scope);
      return null;
    default:
      return null;
  }
}

export function lookupCollation(name: string, e?: Expr): Collation {
  const c = getCollation(name);
  if (!c) throw new AmberError(`no such collation sequence: ${name}`, 'SQLITE_ERROR', e ? positionOf(e) : undefined);
  return c;
}

/** The collation a binary comparison uses: explicit left, explicit right, then left, then right. */
export function comparisonCollation(left: Expr, right: Expr, scope: Scope): Collation {
  const l = exprCollation(left, scope);
  const r = exprCollation(right, scope);
  let name = 'BINARY';
  if (l?.explicit) name = l.name;
  else if (r?.explicit) name = r.name;
  else if (l) name = l.name;
  else if (r) name = r.name;
  return lookupCollation(name, left);
}

function withAffinity(ev: Ev, aff: Affinity | null): Ev {
  if (aff === null || aff === 'BLOB') return ev;
  return () => applyComparisonAffinity(ev(), aff);
}

function blobFromHex(hex: string): Uint8Array {
  return Buffer.from(hex, 'hex');
}

export class ExprCompiler {
  constructor(private readonly ctx: CompileContext) {}

  compile(e: Expr, scope: Scope, aggs: AggregateCollector | null): Ev {
    const ctx = this.ctx;
    const env = ctx.env;
    switch (e.kind) {
      case 'number': {
        const v = parseNumberLiteral(e.text);
        return () => v;
      }
      case 'string': {
        const v = e.value;
        return () => v;
      }
      case 'blob': {
        const v = blobFromHex(e.hex);
        return () => v;
      }
      case 'null':
        return () => null;
      case 'bool': {
        const v = e.value ? 1 : 0;
        return () => v;
      }
      case 'current-time': {
        const fn = e.which === 'CURRENT_TIME' ? 'time' : e.which === 'CURRENT_DATE' ? 'date' : 'datetime';
        return () => callDateTime(fn, ['now'], env);
      }
      case 'param': {
        const slot = ctx.params.slotFor(e.name, e.number, e.loc.start) - 1;
        return () => {
          const v = env.params[slot];
          return v === undefined ? null : v;
        };
      }
      case 'column':
        return this.column(e, scope);
      case 'unary': {
        if (e.op === '-' && e.operand.kind === 'number' && !/^0x/i.test(e.operand.text)) {
          // `-9223372036854775808` is the smallest INTEGER, though 9223372036854775808 alone is REAL.
          const v = parseNumberLiteral(`-${e.operand.text}`);
          return () => v;
        }
        const a = this.compile(e.operand, scope, aggs);
        switch (e.op) {
          case '-': return () => arith.negate(a());
          case '+': return a;
          case '~': return () => arith.bitNot(a());
          case 'NOT': return () => {
            const b = toBoolean(a());
            return b === null ? null : b ? 0 : 1;
          };
          default: throw new Error('internal error: unary operator');
        }
      }
      case 'binary':
        return this.binary(e, scope, aggs);
      case 'collate':
        lookupCollation(e.collation, e);
        return this.compile(e.expr, scope, aggs);
      case 'like':
        return this.like(e, scope, aggs);
      case 'between': {
        const x = this.compile(e.expr, scope, aggs);
        const lo = this.compare('>=', e.expr, e.low, scope, aggs, x);
        const hi = this.compare('<=', e.expr, e.high, scope, aggs, x);
        const not = e.not;
        return () => {
          const a = lo();
          if (a === 0) return not ? 1 : 0;
          const b = hi();
          if (b === 0) return not ? 1 : 0;
          if (a === null || b === null) return null;
          return not ? 0 : 1;
        };
      }
      case 'in':
        return this.inExpr(e, scope, aggs);
      case 'isnull': {
        const a = this.compile(e.expr, scope, aggs);
        return e.not ? () => (a() === null ? 0 : 1) : () => (a() === null ? 1 : 0);
      }
      case 'exists': {
        const sub = ctx.compileSubquery(e.select, scope);
        const not = e.not;
        let cachedAt = -1;
        let cached = 0;
        return () => {
          if (!sub.correlated && cachedAt === env.execution) return cached;
          let found = false;
          sub.run(() => { found = true; return false; });
          cached = found !== not ? 1 : 0;
          cachedAt = env.execution;
          return cached;
        };
      }
      case 'subquery': {
        const sub = ctx.compileSubquery(e.select, scope);
        if (sub.columnCount !== 1) throw err(`sub-select returns ${sub.columnCount} columns - expected 1`, e);
        let cachedAt = -1;
        let cached: SqlValue = null;
        return () => {
          if (!sub.correlated && cachedAt === env.execution) return cached;
          let v: SqlValue = null;
          sub.run((row) => { v = row[0]!; return false; });
          cached = v;
          cachedAt = env.execution;
          return v;
        };
      }
      case 'case':
        return this.caseExpr(e, scope, aggs);
      case 'cast': {
        const a = this.compile(e.expr, scope, aggs);
        const aff = affinityOfType(e.type.name);
        return () => castTo(a(), aff);
      }
      case 'call':
        return this.call(e, scope, aggs);
      case 'raise':
        if (ctx.triggerDepth === 0) throw err('RAISE() may only be used within a trigger-program', e);
        return compileRaise(e.action, e.message ? this.compile(e.message, scope, aggs) : null);
      case 'row':
        throw err('row value misused', e);
      default:
        return unreachable(e);
    }
  }

  private column(e: Extract<Expr, { kind: 'column' }>, scope: Scope): Ev {
    const r = scope.resolve(e);
    if (!r) {
      throw err(noSuchColumn(e), e);
    }
    const env = this.ctx.env;
    const slot = r.slot;
    if (slot < this.ctx.minSlotRead) this.ctx.minSlotRead = slot;
    const co = e.table === null ? r.source.coalesce?.get(e.name.toLowerCase()) : undefined;
    if (co) {
      const col = r.col;
      const oslot = co.slot;
      const ocol = co.col;
      if (oslot < this.ctx.minSlotRead) this.ctx.minSlotRead = oslot;
      return () => {
        const v = env.rows[slot]![col]!;
        return v !== null ? v : env.rows[oslot]![ocol]!;
      };
    }
    if (r.col < 0) {
      const rowids = env.rowids;
      return () => {
        const row = env.rows[slot]!;
        // A NULL-extended row of an outer join has no rowid.
        return NULL_ROW_MARK.has(row) ? null : rowids[slot] ?? null;
      };
    }
    const col = r.col;
    const rows = env.rows;
    return () => rows[slot]![col]!;
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>, scope: Scope, aggs: AggregateCollector | null): Ev {
    const op = e.op;
    switch (op) {
      case 'AND': {
        const a = this.compile(e.left, scope, aggs);
        const b = this.compile(e.right, scope, aggs);
        return () => {
          const x = toBoolean(a());
          if (x === false) return 0;
          const y = toBoolean(b());
          if (y === false) return 0;
          return x === null || y === null ? null : 1;
        };
      }
      case 'OR': {
        const a = this.compile(e.left, scope, aggs);
        const b = this.compile(e.right, scope, aggs);
        return () => {
          const x = toBoolean(a());
          if (x === true) return 1;
          const y = toBoolean(b());
          if (y === true) return 1;
          return x === null || y === null ? null : 0;
        };
      }
      case '=': case '!=': case '<': case '<=': case '>': case '>=': case 'IS': case 'IS NOT':
        if (e.left.kind === 'row' || e.right.kind === 'row') return this.rowCompare(e, scope, aggs);
        return this.compare(op, e.left, e.right, scope, aggs);
      case '||': {
        const a = this.compile(e.left, scope, aggs);
        const b = this.compile(e.right, scope, aggs);
        return () => arith.concat(a(), b());
      }
      case '->': case '->>': {
        const a = this.compile(e.left, scope, aggs);
        const b = this.compile(e.right, scope, aggs);
        return op === '->' ? () => jsonArrow(a(), b()) : () => jsonArrow2(a(), b());
      }
      default: {
        const a = this.compile(e.left, scope, aggs);
        const b = this.compile(e.right, scope, aggs);
        const f = ARITH[op]!;
        return () => f(a(), b());
      }
    }
  }

  /** A comparison with SQLite's affinity and collation rules; `leftEv` reuses an already compiled left side. */
  compare(op: string, left: Expr, right: Expr, scope: Scope, aggs: AggregateCollector | null, leftEv?: Ev): Ev {
    const [affL, affR] = comparisonAffinities(exprAffinity(left, scope), exprAffinity(right, scope));
    const a = withAffinity(leftEv ?? this.compile(left, scope, aggs), affL);
    const b = withAffinity(this.compile(right, scope, aggs), affR);
    const coll = comparisonCollation(left, right, scope);
    return makeComparison(op, a, b, coll);
  }

  private rowCompare(e: Extract<Expr, { kind: 'binary' }>, scope: Scope, aggs: AggregateCollector | null): Ev {
    const ls = e.left.kind === 'row' ? e.left.items : [e.left];
    const rs = e.right.kind === 'row' ? e.right.items : [e.right];
    if (ls.length !== rs.length) throw err('row value misused', e);
    const op = e.op;
    if (op === '=' || op === '!=' || op === 'IS' || op === 'IS NOT') {
      const parts = ls.map((l, i) => this.compare(op === '!=' ? '=' : op === 'IS NOT' ? 'IS' : op, l, rs[i]!, scope, aggs));
      const negate = op === '!=' || op === 'IS NOT';
      return () => {
        let sawNull = false;
        for (const p of parts) {
          const v = p();
          if (v === 0) return negate ? 1 : 0;
          if (v === null) sawNull = true;
        }
        if (sawNull) return null;
        return negate ? 0 : 1;
      };
    }
    // Lexicographic <, <=, >, >=.
    const eqs = ls.map((l, i) => this.compare('=', l, rs[i]!, scope, aggs));
    const strict = op === '<' || op === '<=' ? '<' : '>';
    const lts = ls.map((l, i) => this.compare(i === ls.length - 1 ? op : strict, l, rs[i]!, scope, aggs));
    return () => {
      for (let i = 0; i < eqs.length; i++) {
        if (i === eqs.length - 1) return lts[i]!();
        const eq = eqs[i]!();
        if (eq === null) return null;
        if (eq === 0) return lts[i]!();
      }
      return null;
    };
  }

  private like(e: Extract<Expr, { kind: 'like' }>, scope: Scope, aggs: AggregateCollector | null): Ev {
    const a = this.compile(e.left, scope, aggs);
    const p = this.compile(e.right, scope, aggs);
    const not = e.not;
    if (e.op === 'GLOB') {
      return () => {
        const x = a();
        const y = p();
        if (x === null || y === null) return null;
        const r = globMatch(toText(y)!, toText(x)!);
        return r !== not ? 1 : 0;
      };
    }
    if (e.op === 'LIKE') {
      const esc = e.escape ? this.compile(e.escape, scope, aggs) : null;
      let lastPattern: string | null = null;
      let lastEscape: string | null = null;
      let matcher: ((s: string) => boolean) | null = null;
      return () => {
        const x = a();
        const y = p();
        if (x === null || y === null) return null;
        let escText: string | null = null;
        if (esc) {
          const ev = esc();
          if (ev === null) return null;
          escText = toText(ev);
        }
        const pattern = toText(y)!;
        if (matcher === null || pattern !== lastPattern || escText !== lastEscape) {
          matcher = compileLike(pattern, escText);
          lastPattern = pattern;
          lastEscape = escText;
        }
        return matcher(toText(x)!) !== not ? 1 : 0;
      };
    }
    throw err(`no such function: ${e.op.toLowerCase()}`, e);
  }

  private inExpr(e: Extract<Expr, { kind: 'in' }>, scope: Scope, aggs: AggregateCollector | null): Ev {
    const ctx = this.ctx;
    const env = ctx.env;
    const not = e.not;
    const src = e.source;
    if (e.expr.kind === 'row') return this.rowIn(e, scope, aggs);
    const x = this.compile(e.expr, scope, aggs);
    const leftAff = exprAffinity(e.expr, scope);
    if (src.kind === 'list') {
      if (src.items.length === 0) return () => (not ? 1 : 0);
      // x IN (a, b) is x = a OR x = b, each with its own affinity/collation rules.
      const tests = src.items.map((item) => this.compare('=', e.expr, item, scope, aggs, x));
      return () => {
        const v = x();
        if (v === null) return null;
        let sawNull = false;
        for (let i = 0; i < tests.length; i++) {
          const t = tests[i]!();
          if (t === 1) return not ? 0 : 1;
          if (t === null) sawNull = true;
        }
        if (sawNull) return null;
        return not ? 1 : 0;
      };
    }
    // `x IN t` is `x IN (SELECT * FROM t)`.
    const select: SelectStatement = src.kind === 'table' ? selectAllFrom(src.name, src.args, e) : src.select;
    const sub = ctx.compileSubquery(select, scope);
    if (sub.columnCount !== 1) throw err(`sub-select returns ${sub.columnCount} columns - expected 1`, e);
    const rightAff = sub.affinities[0] ?? null;
    const affs = comparisonAffinities(leftAff, rightAff);
    const coll = lookupCollation(exprCollation(e.expr, scope)?.name ?? 'BINARY', e);
    let cachedAt = -1;
    let values: SqlValue[] = [];
    let hasNull = false;
    return () => {
      let v = x();
      if (sub.correlated || cachedAt !== env.execution) {
        values = [];
        hasNull = false;
        sub.run((row) => {
          let r = row[0]!;
          if (r === null) hasNull = true;
          else {
            if (affs[1]) r = applyComparisonAffinity(r, affs[1]) as Exclude<SqlValue, null>;
            values.push(r);
          }
          return true;
        });
        cachedAt = env.execution;
      }
      // NULL IN (empty set) is false; NULL IN (anything else) is NULL.
      if (v === null) return values.length === 0 && !hasNull ? (not ? 1 : 0) : null;
      if (affs[0]) v = applyComparisonAffinity(v, affs[0]);
      for (let i = 0; i < values.length; i++) {
        if (compareValues(v, values[i]!, coll) === 0) return not ? 0 : 1;
      }
      if (hasNull) return null;
      return not ? 1 : 0;
    };
  }

  private rowIn(e: Extract<Expr, { kind: 'in' }>, scope: Scope, aggs: AggregateCollector | null): Ev {
    const left = e.expr as Extract<Expr, { kind: 'row' }>;
    const xs = left.items.map((i) => this.compile(i, scope, aggs));
    const src = e.source;
    if (src.kind !== 'select') throw err('row value misused', e);
    const sub = this.ctx.compileSubquery(src.select, scope);
    if (sub.columnCount !== xs.length) throw err(`sub-select returns ${sub.columnCount} columns - expected ${xs.length}`, e);
    const colls = left.items.map((i) => lookupCollation(exprCollation(i, scope)?.name ?? 'BINARY', e));
    const not = e.not;
    return () => {
      const v = xs.map((f) => f());
      let found = false;
      let sawNull = false;
      sub.run((row) => {
        let allEq = true;
        let anyNull = false;
        for (let i = 0; i < v.length; i++) {
          const a = v[i]!;
          const b = row[i]!;
          if (a === null || b === null) { anyNull = true; continue; }
          if (compareValues(a, b, colls[i]) !== 0) { allEq = false; break; }
        }
        if (allEq && !anyNull) { found = true; return false; }
        if (allEq && anyNull) sawNull = true;
        return true;
      });
      if (found) return not ? 0 : 1;
      if (sawNull) return null;
      return not ? 1 : 0;
    };
  }

  private caseExpr(e: Extract<Expr, { kind: 'case' }>, scope: Scope, aggs: AggregateCollector | null): Ev {
    const elseEv = e.else ? this.compile(e.else, scope, aggs) : () => null;
    const thens = e.whens.map((w) => this.compile(w.then, scope, aggs));
    if (e.operand) {
      const base = this.compile(e.operand, scope, aggs);
      const operand = e.operand;
      // The operand is evaluated once per row (it may hold random()); each WHEN compares the cached value.
      let cached: SqlValue = null;
      const cachedTests = e.whens.map((w) => this.compare('=', operand, w.when, scope, aggs, () => cached));
      return () => {
        cached = base();
        for (let i = 0; i < cachedTests.length; i++) {
          if (cachedTests[i]!() === 1) return thens[i]!();
        }
        return elseEv();
      };
    }
    const whens = e.whens.map((w) => this.compile(w.when, scope, aggs));
    return () => {
      for (let i = 0; i < whens.length; i++) {
        if (toBoolean(whens[i]!()) === true) return thens[i]!();
      }
      return elseEv();
    };
  }

  private call(e: FunctionCall, scope: Scope, aggs: AggregateCollector | null): Ev {
    const ctx = this.ctx;
    const name = e.name.toLowerCase();
    if (e.over !== null) {
      if (!aggs?.addWindow) throw err(`misuse of window function ${e.name}()`, e);
      if (!WINDOW_ONLY.has(name) && !AGGREGATE_NAMES.has(name) && !ctx.services.userAggregates.has(name)) {
        if (hasScalarFunction(name)) throw err(`${e.name}() may not be used as a window function`, e);
        throw err(`no such function: ${e.name}`, e);
      }
      return aggs.addWindow(e, scope);
    }
    if (WINDOW_ONLY.has(name)) throw err(`misuse of window function ${e.name}()`, e);
    if (isAggregateCall(ctx, e)) {
      const outer = outerAggregateTarget(ctx, e, scope);
      if (outer) return outer.collector.add(e, outer.scope);
      if (aggs === null) throw err(`misuse of aggregate function ${e.name}()`, e);
      return aggs.add(e, scope);
    }
    if (e.distinct || e.filter || e.orderBy) {
      if (e.filter) throw err(`FILTER may not be used with non-aggregate ${e.name}()`, e);
      throw err(`DISTINCT aggregates must have exactly one argument`, e);
    }
    const args = e.args.map((a) => this.compile(a, scope, aggs));
    const n = args.length;
    const env = ctx.env;

    // Functions that need the engine or lazy evaluation.
    switch (name) {
      case 'coalesce': case 'ifnull':
        if (n < 2 || (name === 'ifnull' && n !== 2)) throw wrongArgs(e);
        return () => {
          for (let i = 0; i < n; i++) {
            const v = args[i]!();
            if (v !== null) return v;
          }
          return null;
        };
      case 'iif': case 'if':
        if (n !== 3 && !(name === 'if' && n === 2)) {
          if (n !== 3) throw wrongArgs(e);
        }
        return () => (toBoolean(args[0]!()) === true ? args[1]!() : args[2] ? args[2]() : null);
      case 'last_insert_rowid':
        return () => ctx.services.lastInsertRowid;
      case 'changes':
        return () => ctx.services.lastChanges;
      case 'total_changes':
        return () => ctx.services.totalChanges;
      case 'sqlite_version':
        return () => '3.53.2';
      case 'likely': case 'unlikely':
        if (n !== 1) throw wrongArgs(e);
        return args[0]!;
      case 'likelihood':
        if (n !== 2) throw wrongArgs(e);
        return args[0]!;
      case 'like': case 'glob': {
        if (n < 2 || n > 3 || (name === 'glob' && n !== 2)) throw wrongArgs(e);
        const [p, s, esc] = args as [Ev, Ev, Ev | undefined];
        return () => {
          const pv = p();
          const sv = s();
          if (pv === null || sv === null) return null;
          if (name === 'glob') return globMatch(toText(pv)!, toText(sv)!) ? 1 : 0;
          const ev = esc ? esc() : null;
          if (esc && ev === null) return null;
          return compileLike(toText(pv)!, ev === null ? null : toText(ev))(toText(sv)!) ? 1 : 0;
        };
      }
      default:
        break;
    }
    if (isDateTimeFunction(name)) {
      const buf: SqlValue[] = new Array(n);
      return () => {
        for (let i = 0; i < n; i++) buf[i] = args[i]!();
        return callDateTime(name, buf, env);
      };
    }
    const user = ctx.services.userFunctions.get(name);
    if (user) {
      const fn = user.find((f) => f.argCount === n) ?? user.find((f) => f.argCount < 0);
      if (fn) {
        return () => {
          const buf: SqlValue[] = new Array(n);
          for (let i = 0; i < n; i++) buf[i] = args[i]!();
          return fn.call(buf);
        };
      }
    }
    const fn = getScalarFunction(name, n);
    if (!fn) {
      if (hasScalarFunction(name) || user || AGGREGATE_NAMES.has(name)) throw wrongArgs(e);
      throw err(`no such function: ${e.name}`, e);
    }
    const buf: SqlValue[] = new Array(n);
    const callJson = fn.callJson;
    const jsonArgs = e.args.map(isJsonProducer);
    if (callJson && jsonArgs.some((x) => x)) {
      // JSON functions embed a nested JSON function's result as JSON, not as a string (SQLite's
      // JSON subtype): the producer reports it right after it ran.
      const mask: boolean[] = new Array(n).fill(false);
      return () => {
        for (let i = 0; i < n; i++) {
          buf[i] = args[i]!();
          mask[i] = jsonArgs[i]! && lastJsonSubtype();
        }
        return callJson(buf, mask);
      };
    }
    if (n === 1) {
      const a0 = args[0]!;
      return () => { buf[0] = a0(); return fn.call(buf); };
    }
    return () => {
      for (let i = 0; i < n; i++) buf[i] = args[i]!();
      return fn.call(buf);
    };
  }
}

function wrongArgs(e: FunctionCall): AmberError {
  return err(`wrong number of arguments to function ${e.name}()`, e);
}

/** Marks the all-NULL rows that stand in for the missing side of an outer join. */
export const NULL_ROW_MARK = new WeakMap<object, object>();

export function nullRow(width: number): SqlValue[] {
  const r: SqlValue[] = new Array(width).fill(null);
  NULL_ROW_MARK.set(r, r);
  return r;
}

export function makeComparison(op: string, a: Ev, b: Ev, coll: Collation): Ev {
  switch (op) {
    case '=':
      return () => { const x = a(); if (x === null) return null; const y = b(); if (y === null) return null; return compareValues(x, y, coll) === 0 ? 1 : 0; };
    case '!=':
      return () => { const x = a(); if (x === null) return null; const y = b(); if (y === null) return null; return compareValues(x, y, coll) !== 0 ? 1 : 0; };
    case '<':
      return () => { const x = a(); if (x === null) return null; const y = b(); if (y === null) return null; return compareValues(x, y, coll) < 0 ? 1 : 0; };
    case '<=':
      return () => { const x = a(); if (x === null) return null; const y = b(); if (y === null) return null; return compareValues(x, y, coll) <= 0 ? 1 : 0; };
    case '>':
      return () => { const x = a(); if (x === null) return null; const y = b(); if (y === null) return null; return compareValues(x, y, coll) > 0 ? 1 : 0; };
    case '>=':
      return () => { const x = a(); if (x === null) return null; const y = b(); if (y === null) return null; return compareValues(x, y, coll) >= 0 ? 1 : 0; };
    case 'IS':
      return () => { const x = a(); const y = b(); if (x === null || y === null) return x === y ? 1 : 0; return compareValues(x, y, coll) === 0 ? 1 : 0; };
    case 'IS NOT':
      return () => { const x = a(); const y = b(); if (x === null || y === null) return x === y ? 0 : 1; return compareValues(x, y, coll) !== 0 ? 1 : 0; };
    default:
      throw new Error(`internal error: comparison ${op}`);
  }
}

const ARITH: Record<string, (a: SqlValue, b: SqlValue) => SqlValue> = {
  '+': arith.add,
  '-': arith.subtract,
  '*': arith.multiply,
  '/': arith.divide,
  '%': arith.remainder,
  '&': arith.bitAnd,
  '|': arith.bitOr,
  '<<': arith.shiftLeft,
  '>>': arith.shiftRight,
};

export { RealBox };

function selectAllFrom(name: string, args: readonly Expr[] | null, at: Expr): SelectStatement {
  const loc = at.loc;
  return {
    kind: 'select', with: null, orderBy: [], limit: null, loc,
    body: {
      kind: 'select-core', distinct: false, columns: [{ kind: 'star', loc }], where: null, groupBy: [], having: null, windows: [], loc,
      from: { kind: 'table-ref', schema: null, name, alias: null, indexedBy: null, args, loc },
    },
  };
}

/** Is the expression a call whose result may carry SQLite's JSON subtype (json(), `->`, ...)? */
export function isJsonProducer(e: Expr): boolean {
  if (e.kind === 'call') return JSON_SUBTYPE_FUNCTIONS.has(e.name.toLowerCase());
  return e.kind === 'binary' && e.op === '->';
}
