// SELECT compiler: a SelectStatement -> a push-based query that calls `each(row)` per result row.
//
// Shape of the compiled code for `SELECT a, b FROM t JOIN u ON u.x = t.y WHERE t.z > 5`:
//   loop(t: scan)                         -- sets env.rows[slot t]
//     filter t.z > 5                      -- each WHERE term sits at the first level that binds it
//     loop(u: index lookup u.x = t.y)     -- the access path comes from plan/access-path.ts
//       filter u.x = t.y
//       emit [a, b]
// Nothing is allocated per row except the emitted result array. Grouping, DISTINCT, compound
// operators and ORDER BY collect rows where they must.
import { AmberError } from '../value/amber-error';
import { affinityOfType, applyComparisonAffinity, comparisonAffinities, type Affinity } from '../value/affinity';
import { compareValues, groupKey } from '../value/compare';
import { toBoolean, toInteger } from '../value/convert';
import type { Collation } from '../value/collation';
import type { SqlValue } from '../value/types';
import { unreachable, type ColumnRef, type Expr, type FromItem, type FunctionCall, type OrderingTerm, type ResultColumn, type SelectBody, type SelectCore, type SelectStatement, type WithClause } from '../sql/ast';
import { parseExpression } from '../sql/parser';
import { parseSelect } from './parse-fragment';
import { Scope, type Source, type SourceColumn } from '../plan/scope';
import { chooseAccessPath, describeAccessPath, type AccessPath, type CompareOp, type IndexableTerm, type TableInfoForPlanning } from '../plan/access-path';
import { exprKey } from '../plan/expr-key';
import type { IndexSchema, Row, Rowid } from '../storage/schema';
import type { Table } from '../storage/table';
import { KEY_MAX, KEY_MIN } from '../storage/index-key';
import type { ResultColumnInfo } from './compiled-statement';
import type { AggregateCollector, CompileContext } from './compile-context';
import { WindowCollector, type WindowRecord } from './window';
import { jsonEachRows, lastJsonSubtype } from '../value/functions/json';
import { globPrefix, likePrefix } from '../value/functions/like';
import { ExprCompiler, comparisonCollation, containsAggregate, containsWindow, isJsonProducer, exprAffinity, exprCollation, isAggregateCall, lookupCollation, nullRow, positionOf, walkExpr } from './compile-expr';
import { createAggregate, type AggregateInstance } from './aggregate-glue';
import type { Ev } from './env';
import { TableFunctionScan, type UserTableFunction } from './table-functions';
import { minMaxQuery } from './min-max';
import { HashJoin } from './hash-join';
import { flattenSubquery } from './flatten';
import { enterAggregateScope, hasOuterAggregate, leaveAggregateScope, outerAggregateTarget } from './outer-aggregates';

export interface CompiledQuery {
  readonly columns: ResultColumnInfo[];
  readonly affinities: (Affinity | null)[];
  /** Pushes rows to `each` until it returns false. */
  run(each: (row: SqlValue[]) => boolean): void;
}

export interface ExplainLine {
  readonly depth: number;
  readonly detail: string;
}

interface CteDef {
  readonly name: string;
  readonly columns: readonly string[] | null;
  readonly select: SelectStatement;
  readonly recursive: boolean;
  /** For a recursive CTE while its recursive part compiles: the working-table rows. */
  working?: { rows: SqlValue[][]; columns: SourceColumn[] };
}

type Ctes = Map<string, CteDef> | null;

function withCtes(w: WithClause, outer: Ctes): Map<string, CteDef> {
  const ctes = new Map(outer ?? []);
  const own = new Set<string>();
  for (const c of w.ctes) {
    const key = c.name.toLowerCase();
    if (own.has(key)) throw new AmberError(`duplicate WITH table name: ${c.name}`);
    own.add(key);
    ctes.set(key, { name: c.name, columns: c.columns, select: c.select, recursive: w.recursive });
  }
  return ctes;
}

interface Level {
  readonly source: Source;
  readonly table: Table | null;
  /** Rows of a subquery, view or virtual table, computed per execution. */
  readonly rowsOf: (() => Iterable<SqlValue[]>) | null;
  readonly left: boolean;
  /** The right side of a CROSS JOIN: SQLite never moves it before its left side. */
  cross?: boolean;
  /** The right side of a RIGHT or FULL JOIN: which of its rows (by rowid) some left row matched. */
  right?: { matched: Set<Rowid> };
  /** Walk the access path backwards (ORDER BY ... DESC served by the path). */
  reverse?: boolean;
  readonly on: Expr[];
  onEvs: Ev[];
  postEvs: Ev[];
  path: AccessPath;
  /** Per-lookup values compiled for the access path. */
  pathEvs: { eq: Ev[]; inList: Ev[] | null; lower: Ev | null; upper: Ev | null };
  readonly label: string;
  /** A user-defined table function: its parameters take values from terms (table-functions.ts). */
  tableFunction?: TableFunctionScan;
  /** Rows may depend on FROM items written before it (table-valued function, correlated subquery). */
  lateral?: boolean;
  /** `x = 1 OR y = 2`: one lookup per branch, each row visited once (SQLite's MULTI-INDEX OR). */
  union?: { path: AccessPath; evs: Level['pathEvs'] }[];
  /** An equi-join on columns no index serves: a transient hash on them (hash-join.ts), with its probe values. */
  hash?: { join: HashJoin; probe: Ev[] };
}

function posErr(msg: string, e: { loc: { start: number; line: number; column: number } }): AmberError {
  return new AmberError(msg, 'SQLITE_ERROR', positionOf(e));
}

function disjuncts(e: Expr, out: Expr[] = []): Expr[] {
  if (e.kind === 'binary' && e.op === 'OR') {
    disjuncts(e.left, out);
    disjuncts(e.right, out);
  } else out.push(e);
  return out;
}

function conjuncts(e: Expr | null, out: Expr[] = []): Expr[] {
  if (e === null) return out;
  if (e.kind === 'binary' && e.op === 'AND') {
    conjuncts(e.left, out);
    conjuncts(e.right, out);
  } else out.push(e);
  return out;
}

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return `${n}${s}`;
}

export class SelectCompiler {
  readonly exprs: ExprCompiler;
  readonly explain: ExplainLine[] = [];
  private depth = 0;

  /** The text AST positions refer to: the statement's, or a view's while its body compiles. */
  private sql: string;

  constructor(private readonly ctx: CompileContext) {
    this.exprs = new ExprCompiler(ctx);
    this.sql = ctx.sql;
  }

  // ---- statement level: WITH, compound, ORDER BY, LIMIT -------------------------------------

  /**
   * The CTEs in view where compilation is now. A subquery inside an expression (`x IN (SELECT ..
   * FROM c)`) compiles through ctx.compileSubquery, away from the FROM walk that carries `ctes`,
   * so it reads them here: SQLite's CTE names reach every subquery of the statement that has them.
   */
  private currentCtes: Ctes = null;

  compileSelect(stmt: SelectStatement, parent: Scope | null, outerCtes: Ctes): CompiledQuery {
    const ctes = stmt.with ? withCtes(stmt.with, outerCtes) : outerCtes;
    const saved = this.currentCtes;
    this.currentCtes = ctes;
    try {
      return this.compileStatement(stmt, parent, ctes);
    } finally {
      this.currentCtes = saved;
    }
  }

  /** A subquery of an expression, or an INSERT's SELECT: it sees the CTEs of where it sits. */
  compileNested(stmt: SelectStatement, parent: Scope | null): CompiledQuery {
    return this.compileSelect(stmt, parent, this.currentCtes);
  }

  /**
   * Compiles an INSERT, UPDATE or DELETE with its WITH clause in view (and nothing else: a trigger
   * body compiled meanwhile sees no CTE of the statement that fires it).
   */
  inStatementCtes<T>(w: WithClause | null, compile: () => T): T {
    const saved = this.currentCtes;
    this.currentCtes = w ? withCtes(w, null) : null;
    try {
      return compile();
    } finally {
      this.currentCtes = saved;
    }
  }

  private compileStatement(stmt: SelectStatement, parent: Scope | null, ctes: Ctes): CompiledQuery {
    const body = stmt.body;
    const limit = this.compileLimit(stmt, parent);
    if (body.kind === 'select-core' && stmt.orderBy.length > 0) {
      const core = this.compileCore(body, parent, ctes, stmt.orderBy);
      if (core.ordered) return this.limited(core.query, limit);
      return this.sorted(core.query, core.keyCount, core.keySpecs, limit);
    }
    const q = this.compileBody(body, parent, ctes);
    if (stmt.orderBy.length > 0) {
      // Compound ORDER BY: each term names a result column (by number, alias or equal expression).
      const specs = stmt.orderBy.map((t) => this.compoundOrderKey(t, body, q));
      const width = q.columns.length;
      const keyed: CompiledQuery = {
        columns: q.columns,
        affinities: q.affinities,
        run: (each) => q.run((row) => {
          const r = row.slice();
          for (const s of specs) r.push(row[s.column]!);
          return each(r);
        }),
      };
      void width;
      return this.sorted(keyed, specs.length, specs, limit);
    }
    return this.limited(q, limit);
  }

  private compoundOrderKey(t: OrderingTerm, body: SelectBody, q: CompiledQuery): KeySpec & { column: number } {
    let e = t.expr;
    let collName: string | null = null;
    if (e.kind === 'collate') {
      collName = e.collation;
      e = e.expr;
    }
    let column = -1;
    if (e.kind === 'number') {
      const n = Number(e.text);
      if (!Number.isInteger(n) || n < 1 || n > q.columns.length) {
        throw posErr(`1st ORDER BY term out of range - should be between 1 and ${q.columns.length}`, t.expr);
      }
      column = n - 1;
    } else if (e.kind === 'column') {
      const name = e.name.toLowerCase();
      column = q.columns.findIndex((c) => c.name.toLowerCase() === name);
    }
    if (column < 0) {
      // An expression equal to a result column of the first SELECT.
      let first: SelectBody = body;
      while (first.kind === 'compound') first = first.left;
      if (first.kind === 'select-core') {
        const text = this.sql.slice(e.loc.start, e.loc.end).toLowerCase();
        first.columns.forEach((c, i) => {
          if (column < 0 && c.kind === 'result-expr' && this.sql.slice(c.expr.loc.start, c.expr.loc.end).toLowerCase() === text) column = i;
        });
      }
    }
    if (column < 0) throw posErr(`1st ORDER BY term does not match any column in the result set`, t.expr);
    const coll = lookupCollation(collName ?? 'BINARY', t.expr);
    return { column, desc: t.direction === 'DESC', nullsFirst: t.nulls ? t.nulls === 'FIRST' : t.direction !== 'DESC', coll };
  }

  private compileLimit(stmt: { limit: SelectStatement['limit'] }, parent: Scope | null): { limit: Ev; offset: Ev | null } | null {
    if (!stmt.limit) return null;
    const scope = new Scope(parent, this.ctx.env.rows === undefined ? { next: 0 } : this.slotAllocator(parent));
    const limit = this.exprs.compile(stmt.limit.limit, scope, null);
    const offset = stmt.limit.offset ? this.exprs.compile(stmt.limit.offset, scope, null) : null;
    return { limit, offset };
  }

  private slotAllocator(parent: Scope | null): { next: number } {
    return parent ? parent.slots : this.rootSlots;
  }
  rootSlots = { next: 0 };

  private limitValue(ev: Ev): number {
    const v = ev();
    const i = toInteger(v);
    if (v === null || i === null || (typeof v === 'string' && !/^\s*[-+]?\d+\s*$/.test(v)) || (typeof v === 'number' && !Number.isInteger(v))) {
      throw new AmberError('datatype mismatch', 'SQLITE_MISMATCH');
    }
    return Number(i);
  }

  private limited(q: CompiledQuery, limit: { limit: Ev; offset: Ev | null } | null): CompiledQuery {
    if (!limit) return q;
    return {
      columns: q.columns,
      affinities: q.affinities,
      run: (each) => {
        let n = this.limitValue(limit.limit);
        let skip = limit.offset ? this.limitValue(limit.offset) : 0;
        if (n === 0) return;
        q.run((row) => {
          if (skip > 0) { skip--; return true; }
          if (!each(row)) return false;
          if (n > 0 && --n === 0) return false;
          return true;
        });
      },
    };
  }

  private sorted(q: CompiledQuery, keyCount: number, specs: readonly KeySpec[], limit: { limit: Ev; offset: Ev | null } | null): CompiledQuery {
    const width = q.columns.length;
    const cmp = (a: SqlValue[], b: SqlValue[]): number => {
      for (let i = 0; i < specs.length; i++) {
        const s = specs[i]!;
        const x = a[width + i]!;
        const y = b[width + i]!;
        if (x === null || y === null) {
          if (x === y) continue;
          return (x === null) === s.nullsFirst ? -1 : 1;
        }
        let c = compareValues(x, y, s.coll);
        if (c !== 0) return s.desc ? -c : c;
      }
      return 0;
    };
    this.explain.push({ depth: this.depth, detail: 'USE TEMP B-TREE FOR ORDER BY' });
    const sortedQuery: CompiledQuery = {
      columns: q.columns,
      affinities: q.affinities,
      run: (each) => {
        // With LIMIT, only the best LIMIT+OFFSET rows are kept while rows arrive (as SQLite's
        // sorter does); ties keep arrival order, so the result equals a full sort's prefix.
        const keep = limit ? this.topCount(limit) : -1;
        const rows = keep >= 0 ? topK(q, cmp, keep) : collectAll(q);
        if (keep < 0) rows.sort(cmp);
        for (const r of rows) {
          r.length = width;
          if (!each(r)) return;
        }
      },
    };
    void keyCount;
    return this.limited(sortedQuery, limit);
  }

  /** LIMIT + OFFSET as a row count to keep, or -1 for all (negative LIMIT). */
  private topCount(limit: { limit: Ev; offset: Ev | null }): number {
    const n = this.limitValue(limit.limit);
    if (n < 0) return -1;
    const off = limit.offset ? Math.max(0, this.limitValue(limit.offset)) : 0;
    return n + off;
  }

  private compileBody(body: SelectBody, parent: Scope | null, ctes: Ctes): CompiledQuery {
    switch (body.kind) {
      case 'select-core':
        return this.compileCore(body, parent, ctes, null).query;
      case 'values':
        return this.compileValues(body, parent);
      case 'compound':
        return this.compileCompound(body, parent, ctes);
      default:
        return unreachable(body);
    }
  }

  private compileValues(body: Extract<SelectBody, { kind: 'values' }>, parent: Scope | null): CompiledQuery {
    const scope = new Scope(parent, this.slotAllocator(parent));
    const width = body.rows[0]!.length;
    const rows = body.rows.map((r) => {
      if (r.length !== width) throw posErr('all VALUES must have the same number of terms', body);
      return r.map((e) => this.exprs.compile(e, scope, null));
    });
    const columns = Array.from({ length: width }, (_, i) => col(`column${i + 1}`));
    return {
      columns,
      affinities: columns.map(() => null),
      run: (each) => {
        for (const r of rows) {
          const out: SqlValue[] = new Array(width);
          for (let i = 0; i < width; i++) out[i] = r[i]!();
          if (!each(out)) return;
        }
      },
    };
  }

  private compileCompound(body: Extract<SelectBody, { kind: 'compound' }>, parent: Scope | null, ctes: Ctes): CompiledQuery {
    const left = this.compileBody(body.left, parent, ctes);
    const right = this.compileBody(body.right, parent, ctes);
    if (left.columns.length !== right.columns.length) {
      throw posErr(`SELECTs to the left and right of ${body.op} do not have the same number of result columns`, body);
    }
    const op = body.op;
    const q: CompiledQuery = {
      columns: left.columns,
      affinities: left.affinities,
      run: (each) => {
        if (op === 'UNION ALL') {
          let go = true;
          left.run((r) => (go = each(r)));
          if (go) right.run((r) => each(r));
          return;
        }
        const seen = new Map<string | number, SqlValue[]>();
        left.run((r) => { const k = groupKey(r); if (!seen.has(k)) seen.set(k, r); return true; });
        let out: Map<string | number, SqlValue[]>;
        if (op === 'UNION') {
          right.run((r) => { const k = groupKey(r); if (!seen.has(k)) seen.set(k, r); return true; });
          out = seen;
        } else {
          const rightKeys = new Set<string | number>();
          right.run((r) => { rightKeys.add(groupKey(r)); return true; });
          out = new Map();
          for (const [k, r] of seen) if (rightKeys.has(k) === (op === 'INTERSECT')) out.set(k, r);
        }
        // SQLite emits the result of a compound with set semantics in sorted order.
        const rows = [...out.values()].sort((a, b) => {
          for (let i = 0; i < a.length; i++) {
            const c = compareValues(a[i]!, b[i]!);
            if (c !== 0) return c;
          }
          return 0;
        });
        for (const r of rows) if (!each(r)) return;
      },
    };
    return q;
  }

  // ---- one SELECT core ----------------------------------------------------------------------

  compileCore(core: SelectCore, parent: Scope | null, ctes: Ctes, orderBy: readonly OrderingTerm[] | null): { query: CompiledQuery; keyCount: number; keySpecs: KeySpec[]; ordered: boolean } {
    const ctx = this.ctx;
    const env = ctx.env;
    // A simple derived table is read through: its table becomes this query's (flatten.ts).
    if (core.from?.kind === 'subquery-ref') {
      const flat = flattenSubquery(core, orderBy, {
        sql: this.sql,
        tableColumns: (name) => {
          if (ctes?.has(name.toLowerCase())) return null;
          const table = ctx.services.store.getTable(name);
          return table ? table.schema.columns.map((c) => c.name) : null;
        },
        isAggregateOrWindow: (e) => containsAggregate(ctx, e) || containsWindow(e),
      });
      if (flat) {
        core = flat.core;
        orderBy = flat.orderBy;
      }
    }
    const scope = new Scope(parent, this.slotAllocator(parent));
    const levels: Level[] = [];
    if (core.from) this.addFrom(core.from, scope, ctes, levels, false, []);

    // Result columns, with * expanded.
    const outExprs: { expr: Expr; name: string; info: ResultColumnInfo }[] = [];
    for (const rc of core.columns) this.expandResultColumn(rc, scope, outExprs);
    scope.aliases = new Map();
    for (const o of outExprs) scope.aliases.set(o.name.toLowerCase(), o.expr);

    // An aggregate over an enclosing query's columns is that query's (outer-aggregates.ts).
    const ownAggregate = (e: Expr): boolean => {
      let found = false;
      walkExpr(e, (x) => {
        if (x.kind === 'call' && isAggregateCall(ctx, x) && outerAggregateTarget(ctx, x, scope) === null) found = true;
        return !found;
      });
      return found;
    };
    const grouped = core.groupBy.length > 0 || outExprs.some((o) => ownAggregate(o.expr)) ||
      (core.having !== null) || (orderBy ?? []).some((t) => ownAggregate(t.expr)) ||
      hasOuterAggregate([...outExprs.map((o) => o.expr), ...(orderBy ?? []).map((t) => t.expr)], scope, (c) => isAggregateCall(ctx, c));
    if (core.where && ownAggregate(core.where)) throw posErr('misuse of aggregate function', core.where);

    // WHERE terms: place each at the first level where all the local sources it reads are bound.
    const whereTerms = conjuncts(core.where);
    const pre: Ev[] = [];
    const slotLevel = new Map<number, number>();
    levels.forEach((l, i) => slotLevel.set(l.source.slot, i));
    const levelOf = (e: Expr): number => {
      let lvl = -1;
      let hasSub = false;
      walkExprDeep(e, (x) => {
        if (x.kind === 'column') {
          const r = safeResolve(scope, x);
          if (r && r.depth === 0) {
            const l = slotLevel.get(r.slot);
            if (l !== undefined && l > lvl) lvl = l;
          }
        } else if (x.kind === 'subquery' || x.kind === 'exists' || (x.kind === 'in' && x.source.kind === 'select')) hasSub = true;
      });
      if (hasSub && levels.length > 0) return levels.length - 1;
      return lvl;
    };

    const windowedQuery = outExprs.some((o) => containsWindow(o.expr)) || (orderBy ?? []).some((t) => containsWindow(t.expr));
    let orderedByPath = false;
    // Join order: for inner joins, the cheapest order by estimated cost (greedy), as SQLite's
    // planner does without ANALYZE; LEFT and CROSS joins keep the written order.
    if (levels.length > 1 && levels.every((l) => !l.left && !l.cross && !l.right)) {
      // ON terms of inner joins are WHERE terms in disguise: they move with the tables they read.
      for (const l of levels) {
        whereTerms.push(...l.on);
        l.on.length = 0;
      }
      this.orderJoins(levels, whereTerms, scope);
      slotLevel.clear();
      levels.forEach((l, i) => slotLevel.set(l.source.slot, i));
    }

    const minMax = grouped && !windowedQuery && levels.length === 1 && levels[0]!.table && !levels[0]!.tableFunction
      ? minMaxQuery(ctx, core, [...outExprs.map((o) => o.expr), ...(orderBy ?? []).map((t) => t.expr)])
      : null;
    let minMaxOrdered = false;
    let groupedByPath = false;
    // Access paths from terms comparing a column with something bound earlier.
    for (let i = 0; i < levels.length; i++) {
      const lv = levels[i]!;
      lv.tableFunction?.constrain(lv.left || lv.right ? lv.on : [...whereTerms, ...lv.on], scope, (e) => levelOf(e) < i, (e) => this.exprs.compile(e, scope, null));
      if (!lv.table) continue;
      const candidates = lv.left || lv.right ? lv.on : [...whereTerms, ...lv.on];
      const terms: IndexableTerm[] = [];
      for (const t of candidates) {
        const it = this.indexableTerm(t, lv, scope, (e) => levelOf(e) < i);
        if (it) terms.push(...it);
      }
      const forced = (lv as { indexedBy?: string | false | null }).indexedBy ?? null;
      const needed = neededColumns(core, orderBy, levels, lv.source);
      lv.path = chooseAccessPath(this.planningInfo(lv, candidates, scope), terms, needed, forced);
      if (typeof forced === 'string' && !lv.table.indexes.some((x) => x.name.toLowerCase() === forced.toLowerCase())) {
        throw new AmberError(`no such index: ${forced}`);
      }
      // min(x)/max(x) alone: visit rows in x order and stop at the first answer (min-max.ts).
      if (minMax && i === 0) {
        const p = lv.path;
        // A full scan of a narrower covering index can give way to any ordered full scan.
        const plainScan = p.kind === 'scan' || (p.kind === 'index' && p.eq.length === 0 && !p.inTerm && !p.lower && !p.upper && forced === null);
        const found = this.orderFromPath(lv, p, minMax.order, outExprs, scope, forced, needed) ??
          (plainScan && p.kind !== 'scan' ? this.orderFromPath(lv, { kind: 'scan' }, minMax.order, outExprs, scope, forced, needed) : null);
        if (found) {
          lv.path = found.path;
          lv.reverse = found.reverse;
          minMaxOrdered = true;
        }
      }
      // ORDER BY that the outermost loop already delivers needs no sort (a reverse scan if DESC).
      if (i === 0 && orderBy && orderBy.length > 0 && !grouped && !windowedQuery && !levels.some((l) => l.right)) {
        const found = this.orderFromPath(lv, lv.path, orderBy, outExprs, scope, forced, needed);
        if (found) {
          lv.path = found.path;
          lv.reverse = found.reverse;
          orderedByPath = true;
        }
      }
      // GROUP BY that the outermost loop delivers (each group's rows adjacent) streams: no hash, no sort.
      if (i === 0 && core.groupBy.length > 0 && !windowedQuery && !levels.some((l) => l.right)) {
        const found = this.groupFromPath(lv, lv.path, core.groupBy, orderBy, outExprs, scope, forced, needed);
        if (found) {
          lv.path = found.path;
          lv.reverse = found.reverse;
          groupedByPath = true;
          orderedByPath = found.ordered;
        }
      }
      lv.pathEvs = this.compilePath(lv.path, scope);
      const names = lv.table.schema.columns.map((c) => c.name);
      // An equi-join the scan would repeat for every outer row: hash the table once instead.
      const hashTerms = i > 0 && lv.path.kind === 'scan' && !lv.right && forced === null && !levels.slice(0, i).every((l) => singleRow(l.path))
        ? hashableTerms(terms, lv.table.schema.rowidAlias)
        : [];
      if (hashTerms.length > 0) {
        lv.hash = {
          join: new HashJoin(
            lv.table,
            hashTerms.map((t) => ({ column: t.column, nocase: t.collation.toUpperCase() === 'NOCASE' })),
            lv.table.schema.columns
              .map((c, k) => ({ column: k, coll: lookupCollation(c.collation) }))
              .filter((o) => o.column !== lv.table!.schema.rowidAlias && !hashTerms.some((t) => t.column === o.column) && (needed === null || needed.has(o.column))),
          ),
          probe: hashTerms.map((t) => this.withAff(this.exprs.compile(t.value as Expr, scope, null), t.valueAffinity)),
        };
        // SQLite's words for its automatic index. Its key columns come in the order its WHERE
        // clause holds the terms: an outer join's ON terms as written, WHERE terms last first.
        const keyed = hashTerms.map((t) => `${names[t.column]}=?`);
        const cols = (lv.left ? keyed : keyed.reverse()).join(' AND ');
        if (hashTerms.every((t) => t.collation.toUpperCase() === 'BINARY')) this.explain.push({ depth: this.depth, detail: `BLOOM FILTER ON ${lv.label} (${cols})` });
        this.explain.push({ depth: this.depth, detail: `SEARCH ${lv.label} USING AUTOMATIC COVERING INDEX (${cols})${lv.left ? ' LEFT-JOIN' : ''}` });
        continue;
      }
      // A WHERE term `A OR B` whose branches can each use an index: the union of the lookups.
      if (lv.path.kind === 'scan' && !lv.right && forced === null && !minMax && !(i === 0 && (orderedByPath || groupedByPath))) {
        const branches = this.orUnion(lv, candidates, scope, (e) => levelOf(e) < i);
        if (branches) {
          lv.union = branches.map((p) => ({ path: p, evs: this.compilePath(p, scope) }));
          this.explain.push({ depth: this.depth, detail: 'MULTI-INDEX OR' });
          branches.forEach((p, k) => {
            this.explain.push({ depth: this.depth + 1, detail: `INDEX ${k + 1}` });
            this.explain.push({ depth: this.depth + 2, detail: describeAccessPath(p, lv.label, names) });
          });
          continue;
        }
      }
      let detail = describeAccessPath(lv.path, lv.label, names);
      // SQLite words every loop of a min/max query as a SEARCH, ordered or not.
      if (minMax && detail.startsWith('SCAN ')) detail = `SEARCH ${detail.slice(5)}`;
      this.explain.push({ depth: this.depth, detail: lv.left && lv.path.kind !== 'scan' ? `${detail} LEFT-JOIN` : detail });
    }
    for (const lv of levels) {
      if (!lv.table) this.explain.push({ depth: this.depth, detail: `SCAN ${lv.label}` });
    }
    if (core.groupBy.length > 0 && !groupedByPath) this.explain.push({ depth: this.depth, detail: 'USE TEMP B-TREE FOR GROUP BY' });
    if (core.distinct && !grouped && !windowedQuery && !(orderBy && orderBy.length > 0) && this.distinctNeedsTable(levels, outExprs, scope)) {
      this.explain.push({ depth: this.depth, detail: 'USE TEMP B-TREE FOR DISTINCT' });
    }
    for (const lv of levels) {
      lv.onEvs = lv.on.map((e) => this.exprs.compile(e, scope, null));
    }
    // WHERE terms must not filter the left side of a RIGHT/FULL JOIN before it is matched.
    const lastRight = levels.reduce((m, l, i) => (l.right ? i : m), -1);
    for (const t of whereTerms) {
      const ev = this.exprs.compile(t, scope, null);
      const l = Math.max(levelOf(t), lastRight);
      if (l < 0) pre.push(ev);
      else levels[l]!.postEvs.push(ev);
    }

    // Output.
    const width = outExprs.length;
    const columns = outExprs.map((o) => o.info);
    const affinities = outExprs.map((o) => exprAffinity(o.expr, scope));
    const keySpecs: KeySpec[] = [];
    let aggCollector: AggCollector | null = null;
    if (grouped) aggCollector = new AggCollector(this.exprs, ctx.services.userAggregates);
    if (aggCollector) enterAggregateScope(ctx, scope, aggCollector);
    const windowed = outExprs.some((o) => containsWindow(o.expr)) || (orderBy ?? []).some((t) => containsWindow(t.expr));
    const win = windowed ? new WindowCollector(this.exprs, core.windows, aggCollector) : null;
    // Output expressions see aggregates (grouped queries) and window calls (windowed queries).
    let collector: AggregateCollector | null = aggCollector;
    if (win) {
      const agg = aggCollector;
      collector = {
        add: (call, sc) => {
          if (!agg) throw posErr(`misuse of aggregate function ${call.name}()`, call);
          return agg.add(call, sc);
        },
        addWindow: (call, sc) => win.add(call, sc),
      };
    }
    const outEvs = outExprs.map((o) => this.exprs.compile(o.expr, scope, collector));
    const keyEvs: Ev[] = [];
    // Hashed groups come out sorted by their keys (as SQLite's GROUP BY sorter emits them): an
    // ORDER BY that is the GROUP BY term for term needs no second sort, the groups are sorted its way.
    let groupDesc: boolean[] | null = null;
    if (orderBy && !orderedByPath && grouped && !groupedByPath && !windowedQuery) {
      groupDesc = this.groupOrderServes(core.groupBy, orderBy, outExprs, scope);
      if (groupDesc) orderedByPath = true;
    }
    if (orderBy && !orderedByPath) {
      for (const t of orderBy) {
        const { ev, spec } = this.orderKey(t, scope, outExprs, outEvs, collector);
        keyEvs.push(ev);
        keySpecs.push(spec);
      }
    }
    const totalWidth = width + keyEvs.length;
    const projectRow = (): SqlValue[] => {
      const out: SqlValue[] = new Array(totalWidth);
      for (let i = 0; i < width; i++) out[i] = outEvs[i]!();
      for (let i = 0; i < keyEvs.length; i++) out[width + i] = keyEvs[i]!();
      return out;
    };
    // A windowed query captures each row instead of projecting it (see window.ts).
    const windowRows: { rows: Row[]; rowids: Rowid[]; aggs: SqlValue[] | null; rec: WindowRecord }[] = [];
    const capturedSlots = levels.map((l) => l.source.slot);
    const project = !win ? projectRow : (): SqlValue[] => {
      windowRows.push({
        rows: capturedSlots.map((sl) => env.rows[sl]!),
        rowids: capturedSlots.map((sl) => env.rowids[sl]!),
        aggs: aggCollector ? aggCollector.snapshot() : null,
        rec: win.capture(),
      });
      return EMPTY_ROW;
    };

    let run: (each: (row: SqlValue[]) => boolean) => void;
    if (!grouped) {
      const having = null;
      void having;
      // The loop nest is built once; each execution only swaps the row sink.
      let sink: (row: SqlValue[]) => boolean = () => true;
      const loops = this.buildLoops(levels, () => sink(project()));
      run = (each) => {
        for (const p of pre) if (toBoolean(p()) !== true) return;
        const outer = sink;
        sink = each;
        try {
          loops();
        } finally {
          sink = outer;
        }
      };
    } else {
      const coll = aggCollector!;
      const groupEvs = core.groupBy.map((g) => this.groupTerm(g, scope, outExprs));
      // Groups by collation: 'a' and 'A' are one NOCASE group (keyed folded, sorted by the collation).
      const groupColls = core.groupBy.map((g) => this.groupCollation(g, outExprs, scope));
      const foldKey = groupColls.some((c) => c !== null);
      const gk: SqlValue[] = new Array(groupEvs.length);
      const sortColls = groupColls.map((c) => (c === null ? undefined : lookupCollation(c)));
      const sortSign = core.groupBy.map((_, i) => (groupDesc?.[i] ? -1 : 1));
      const havingEv = core.having ? this.exprs.compile(core.having, scope, coll) : null;
      const localSlots = levels.map((l) => l.source.slot);
      const nullRows = levels.map((l) => nullRow(l.source.columns.length));
      const hasGroupBy = core.groupBy.length > 0;
      let groups = new Map<string | number, Group>();
      const gv: SqlValue[] = new Array(groupEvs.length);
      if (groupedByPath) {
        run = this.streamGroups(levels, groupEvs, coll, havingEv, project, pre);
      } else {
        // Rows arrive in min/max order: the first row with a value is the answer (min() skips NULLs).
        const minMaxArg = minMaxOrdered ? this.exprs.compile(minMax!.arg, scope, null) : null;
        const minSkipsNull = minMaxOrdered && !minMax!.max;
        const loops = this.buildLoops(levels, () => {
          // min(): a NULL cannot be the answer, but the first row stands for the bare columns
          // until a value arrives (SQLite's minmaxStep), so it is stepped when no group exists yet.
          const nullForMin = minSkipsNull && minMaxArg!() === null;
          if (nullForMin && groups.size > 0) return true;
          for (let i = 0; i < groupEvs.length; i++) gv[i] = groupEvs[i]!();
          let key: string | number;
          if (groupEvs.length === 0) key = 0;
          else if (!foldKey) key = groupKey(gv);
          else {
            for (let i = 0; i < gv.length; i++) gk[i] = foldGroupValue(gv[i]!, groupColls[i]!);
            key = groupKey(gk);
          }
          let g = groups.get(key);
          let isNew = false;
          if (g === undefined) {
            g = { keys: gv.slice(), states: coll.createStates(), rows: new Array(localSlots.length), rowids: new Array(localSlots.length) };
            groups.set(key, g);
            isNew = true;
          }
          // Bare columns: the group's first row, or the row a min()/max() took its value from.
          if (coll.step(g.states) || isNew) {
            for (let i = 0; i < localSlots.length; i++) {
              g.rows[i] = env.rows[localSlots[i]!]!;
              g.rowids[i] = env.rowids[localSlots[i]!]!;
            }
          }
          return minMaxArg === null || nullForMin;
        });
        run = (each) => {
          const outerGroups = groups;
          groups = new Map<string | number, Group>();
          let passedPre = true;
          for (const p of pre) if (toBoolean(p()) !== true) passedPre = false;
          // The loop nest fills `groups`; a fresh map per run keeps a re-entrant run separate.
          if (passedPre) loops();
          const mine = groups;
          groups = outerGroups;
          let list = [...mine.values()];
          if (list.length === 0 && !hasGroupBy) {
            list = [{ keys: [], states: coll.createStates(), rows: nullRows, rowids: [] }];
          }
          if (hasGroupBy) {
            list.sort((a, b) => {
              for (let i = 0; i < a.keys.length; i++) {
                const c = compareValues(a.keys[i]!, b.keys[i]!, sortColls[i]);
                if (c !== 0) return c * sortSign[i]!;
              }
              return 0;
            });
          }
          for (const g of list) {
            for (let i = 0; i < localSlots.length; i++) {
              env.rows[localSlots[i]!] = g.rows[i]!;
              env.rowids[localSlots[i]!] = g.rowids[i] ?? 0;
            }
            coll.finish(g.states);
            if (havingEv && toBoolean(havingEv()) !== true) continue;
            if (!each(project())) return;
          }
        };
      }
    }
    if (win) {
      const gather = run;
      run = (each) => {
        windowRows.length = 0;
        gather(() => true);
        const captured = windowRows.slice();
        const byRecord = new Map(captured.map((c) => [c.rec, c]));
        for (const rec of win.compute(captured.map((c) => c.rec))) {
          const c = byRecord.get(rec)!;
          for (let i = 0; i < capturedSlots.length; i++) {
            env.rows[capturedSlots[i]!] = c.rows[i]!;
            env.rowids[capturedSlots[i]!] = c.rowids[i]!;
          }
          if (c.aggs && aggCollector) aggCollector.restore(c.aggs);
          win.use(rec);
          if (!each(projectRow())) return;
        }
      };
    }
    if (core.distinct) {
      const inner = run;
      run = (each) => {
        const seen = new Set<string | number>();
        inner((row) => {
          const k = groupKey(width === row.length ? row : row.slice(0, width));
          if (seen.has(k)) return true;
          seen.add(k);
          return each(row);
        });
      };
    }
    leaveAggregateScope(ctx, scope);
    return { query: { columns, affinities, run }, keyCount: keyEvs.length, keySpecs, ordered: orderedByPath };
  }

  private orderKey(t: OrderingTerm, scope: Scope, outExprs: { expr: Expr; name: string }[], outEvs: Ev[], collector: AggregateCollector | null): { ev: Ev; spec: KeySpec } {
    let e = t.expr;
    let collName: string | null = null;
    if (e.kind === 'collate') {
      collName = e.collation;
      e = e.expr;
    }
    let ev: Ev | null = null;
    let source: Expr = e;
    if (e.kind === 'number' && /^\d+$/.test(e.text) && Number(e.text) <= 2147483647) {
      // A term that is a 32-bit integer constant K means result column K (SQLite's rule).
      const n = Number(e.text);
      if (n < 1 || n > outExprs.length) throw posErr(`1st ORDER BY term out of range - should be between 1 and ${outExprs.length}`, e);
      ev = outEvs[n - 1]!;
      source = outExprs[n - 1]!.expr;
    } else if (e.kind === 'column' && e.table === null) {
      const name = e.name.toLowerCase();
      const i = outExprs.findIndex((o) => o.name.toLowerCase() === name && !(o.expr.kind === 'column' && o.expr.name.toLowerCase() !== name && safeResolve(scope, e) !== undefined));
      if (i >= 0 && (outExprs[i]!.expr.kind !== 'column' || safeResolve(scope, e) === undefined || (outExprs[i]!.expr as { name: string }).name.toLowerCase() === name)) {
        ev = outEvs[i]!;
        source = outExprs[i]!.expr;
      }
    }
    if (ev === null) ev = this.exprs.compile(e, scope, collector);
    const collation = collName ?? exprCollation(source, scope)?.name ?? 'BINARY';
    return {
      ev,
      spec: { desc: t.direction === 'DESC', nullsFirst: t.nulls ? t.nulls === 'FIRST' : t.direction !== 'DESC', coll: lookupCollation(collation, t.expr) },
    };
  }

  private groupTerm(g: Expr, scope: Scope, outExprs: { expr: Expr; name: string }[]): Ev {
    if (g.kind === 'number' && /^\d+$/.test(g.text) && Number(g.text) <= 2147483647) {
      const n = Number(g.text);
      if (n < 1 || n > outExprs.length) throw posErr(`${ordinal(1)} GROUP BY term out of range - should be between 1 and ${outExprs.length}`, g);
      return this.exprs.compile(outExprs[n - 1]!.expr, scope, null);
    }
    if (g.kind === 'column' && g.table === null && safeResolve(scope, g) === undefined) {
      const o = outExprs.find((x) => x.name.toLowerCase() === g.name.toLowerCase());
      if (o) return this.exprs.compile(o.expr, scope, null);
    }
    if (containsAggregate(this.ctx, g)) throw posErr('aggregate functions are not allowed in the GROUP BY clause', g);
    return this.exprs.compile(g, scope, null);
  }

  expandResultColumn(rc: ResultColumn, scope: Scope, out: { expr: Expr; name: string; info: ResultColumnInfo }[]): void {
    const sql = this.sql;
    if (rc.kind === 'star' || rc.kind === 'table-star') {
      const sources = rc.kind === 'star' ? scope.sources : scope.sources.filter((s) => s.name.toLowerCase() === rc.table.toLowerCase());
      if (rc.kind === 'table-star' && sources.length === 0) throw posErr(`no such table: ${rc.table}`, rc);
      if (rc.kind === 'star' && scope.sources.length === 0) throw posErr('no tables specified', rc);
      for (const s of sources) {
        s.columns.forEach((c, i) => {
          if (c.hidden) return;
          if (rc.kind === 'star' && s.usingHidden?.has(c.name.toLowerCase())) return;
          // A USING column of a RIGHT/FULL JOIN is the coalesced one (resolved unqualified).
          const coalesced = rc.kind === 'star' && s.coalesce?.has(c.name.toLowerCase());
          const expr: Expr = { kind: 'column', schema: null, table: coalesced ? null : s.name, name: c.name, loc: rc.loc };
          void i;
          out.push({ expr, name: c.name, info: { name: c.name, column: c.column, table: c.table, database: c.table ? 'main' : null, type: c.declType } });
        });
      }
      return;
    }
    const e = rc.expr;
    let name: string;
    if (rc.alias !== null) name = rc.alias;
    else if (e.kind === 'column') name = e.name;
    else name = sql.slice(e.loc.start, e.loc.end);
    let info: ResultColumnInfo = { name, column: null, table: null, database: null, type: null };
    if (e.kind === 'column') {
      const r = safeResolve(scope, e);
      if (r?.info) info = { name, column: r.info.column, table: r.info.table, database: r.info.table ? 'main' : null, type: r.info.declType };
    }
    out.push({ expr: e, name, info });
  }

  // ---- FROM ----------------------------------------------------------------------------------

  private addFrom(item: FromItem, scope: Scope, ctes: Ctes, levels: Level[], left: boolean, on: Expr[]): void {
    switch (item.kind) {
      case 'join': {
        const jt = item.joinType;
        this.addFrom(item.left, scope, ctes, levels, false, []);
        const before = levels.length;
        const onTerms = conjuncts(item.on);
        this.addFrom(item.right, scope, ctes, levels, jt === 'LEFT' || jt === 'FULL', onTerms);
        if (jt === 'CROSS' && levels[before]) levels[before]!.cross = true;
        // RIGHT / FULL: the right side's rows that no left row matched come out after the loops,
        // with every source before them NULL (see buildLoops).
        if ((jt === 'RIGHT' || jt === 'FULL') && levels[before]) {
          if (levels.length !== before + 1) throw posErr('a parenthesized join on the right of RIGHT or FULL JOIN is not supported', item);
          levels[before]!.right = { matched: new Set() };
        }
        // NATURAL / USING: equality on the shared columns; the right side's copies are hidden.
        const right = levels[before];
        if (right && (item.natural || item.using)) {
          const leftSources = levels.slice(0, before).map((l) => l.source);
          let names: string[];
          if (item.using) names = item.using.map((n) => n.toLowerCase());
          else {
            names = right.source.columns.filter((c) => !c.hidden && leftSources.some((s) => s.columns.some((lc) => lc.name.toLowerCase() === c.name.toLowerCase()))).map((c) => c.name.toLowerCase());
          }
          const hidden = right.source.usingHidden as Set<string>;
          for (const n of names) {
            const ls = leftSources.find((s) => s.columns.some((c) => c.name.toLowerCase() === n));
            if (!ls || !right.source.columns.some((c) => c.name.toLowerCase() === n)) {
              throw posErr(`cannot join using column ${n} - column not present in both tables`, item);
            }
            hidden.add(n);
            if (jt === 'RIGHT' || jt === 'FULL') {
              // The shared column is the first non-NULL of the two sides.
              (ls.coalesce as Map<string, { slot: number; col: number }>).set(n, {
                slot: right.source.slot,
                col: right.source.columns.findIndex((c) => c.name.toLowerCase() === n),
              });
            }
            const eq: Expr = {
              kind: 'binary', op: '=', loc: item.loc,
              left: { kind: 'column', schema: null, table: ls.name, name: n, loc: item.loc },
              right: { kind: 'column', schema: null, table: right.source.name, name: n, loc: item.loc },
            };
            right.on.push(eq);
          }
        }
        return;
      }
      case 'table-ref': {
        const lowered = item.name.toLowerCase();
        if (item.args !== null) {
          this.addTableFunction(item, scope, levels, left, on);
          return;
        }
        const cte = item.schema === null ? ctes?.get(lowered) : undefined;
        if (cte) {
          this.addRowsSource(item.alias ?? item.name, scope, levels, left, on, () => this.cteSource(cte, scope, ctes), item);
          return;
        }
        if (lowered === 'sqlite_master' || lowered === 'sqlite_schema' || lowered === 'sqlite_temp_master' || lowered === 'sqlite_temp_schema') {
          const temp = lowered.includes('temp');
          this.addRowsSource(item.alias ?? item.name, scope, levels, left, on, () => ({
            columns: ['type', 'name', 'tbl_name', 'rootpage', 'sql'].map((n) => scol(n, null, n === 'rootpage' ? 'INT' : 'TEXT')),
            correlated: false,
            rows: () => (temp ? [] : schemaRows(this.ctx.services.store)),
          }), item);
          return;
        }
        if (lowered === 'sqlite_sequence' && item.schema === null && this.ctx.services.store.tables.size > 0 && [...this.ctx.services.store.tables.values()].some((t) => t.schema.autoincrement)) {
          // AUTOINCREMENT high-water marks, one row per table that has used one.
          const store = this.ctx.services.store;
          this.addRowsSource(item.alias ?? item.name, scope, levels, left, on, () => ({
            columns: [scol('name', null, null), scol('seq', null, null)],
            correlated: false,
            hasRowid: true,
            rows: () => [...store.tables.values()].filter((t) => t.schema.autoincrement && t.sequence !== 0).map((t) => [t.name, t.sequence]),
          }), item);
          return;
        }
        const store = this.ctx.services.store;
        const table = store.getTable(item.name);
        if (table) {
          const slot = scope.allocSlot();
          const s = table.schema;
          const source: Source = {
            name: item.alias ?? table.name,
            slot,
            columns: s.columns.map((c) => ({ name: c.name, affinity: c.affinity, collation: c.collation, declType: c.declType || null, table: table.name, column: c.name })),
            rowidAlias: s.rowidAlias,
            hasRowid: !s.withoutRowid,
            internalRowid: true,
            usingHidden: new Set(),
            coalesce: new Map(),
          };
          if (scope.findSource(source.name)) throw posErr(`ambiguous column name: ${source.name}`, item);
          scope.add(source);
          const level: Level & { indexedBy?: string | false | null } = {
            source, table, rowsOf: null, left, on, onEvs: [], postEvs: [], path: { kind: 'scan' },
            pathEvs: { eq: [], inList: null, lower: null, upper: null },
            label: item.alias ? `${item.alias}` : table.name,
          };
          level.indexedBy = item.indexedBy;
          levels.push(level);
          return;
        }
        const view = store.views.get(lowered);
        if (view) {
          const select = parseSelect(view.selectSql);
          this.addRowsSource(item.alias ?? view.name, scope, levels, left, on, () => {
            const outer = this.sql;
            this.sql = view.selectSql;
            try {
              return this.subquerySource(select, scope, null, view.columns);
            } finally {
              this.sql = outer;
            }
          }, item);
          return;
        }
        const userTf = item.schema === null ? this.ctx.services.tableFunctions.get(lowered) : undefined;
        if (userTf) {
          this.addUserTableFunction(userTf, item, scope, levels, left, on);
          return;
        }
        throw posErr(`no such table: ${item.schema ? item.schema + '.' : ''}${item.name}`, item);
      }
      case 'subquery-ref': {
        const name = item.alias ?? `(subquery-${levels.length + 1})`;
        this.addRowsSource(name, scope, levels, left, on, () => this.subquerySource(item.select, scope, ctes, null), item);
        return;
      }
      default:
        unreachable(item);
    }
  }

  private addRowsSource(
    name: string, scope: Scope, levels: Level[], left: boolean, on: Expr[],
    make: () => { columns: SourceColumn[]; rows: () => Iterable<SqlValue[]>; correlated: boolean; hasRowid?: boolean },
    at: { loc: { start: number; line: number; column: number } },
  ): void {
    const slot = scope.allocSlot();
    this.depth++;
    const made = make();
    this.depth--;
    // Rows of a subquery have no rowid; a catalog table (sqlite_sequence) numbers them from 1.
    const source: Source = { name, slot, columns: made.columns, rowidAlias: -1, hasRowid: made.hasRowid ?? false, usingHidden: new Set(), coalesce: new Map() };
    if (scope.findSource(name)) throw posErr(`ambiguous column name: ${name}`, at);
    scope.add(source);
    const env = this.ctx.env;
    let cachedAt = -1;
    let cached: Iterable<SqlValue[]> = [];
    const rowsOf = () => {
      if (made.correlated || cachedAt !== env.execution) {
        cached = made.rows();
        cachedAt = env.execution;
      }
      return cached;
    };
    levels.push({
      source, table: null, rowsOf, left, on, onEvs: [], postEvs: [], path: { kind: 'scan' },
      pathEvs: { eq: [], inList: null, lower: null, upper: null }, label: name, lateral: made.correlated,
    });
  }

  /** A table-valued function in FROM: `pragma_table_info('t')` (json_each and json_tree to come). */
  private addTableFunction(item: Extract<FromItem, { kind: 'table-ref' }>, scope: Scope, levels: Level[], left: boolean, on: Expr[]): void {
    const lowered = item.name.toLowerCase();
    const services = this.ctx.services;
    if (lowered === 'json_each' || lowered === 'json_tree') {
      const args = (item.args ?? []).map((a) => this.exprs.compile(a, scope, null));
      if (args.length < 1 || args.length > 2) throw posErr(`wrong number of arguments to function ${item.name}()`, item);
      const recursive = lowered === 'json_tree';
      const columns: SourceColumn[] = [
        ...['key', 'value', 'type', 'atom', 'id', 'parent', 'fullkey', 'path'].map((n) => scol(n, null, null)),
        { ...scol('json', null, null), hidden: true },
        { ...scol('root', null, null), hidden: true },
      ];
      this.addRowsSource(item.alias ?? item.name, scope, levels, left, on, () => ({
        columns,
        correlated: true,
        rows: () => {
          const json = args[0]!();
          const path = args.length > 1 ? args[1]!() : undefined;
          return jsonEachRows(json, path, recursive).map((r) => [...r, json, path ?? '$']);
        },
      }), item);
      return;
    }
    const userTf = services.tableFunctions.get(lowered);
    if (userTf && services.store.getTable(item.name)) throw posErr(`'${item.name}' is not a function`, item);
    if (userTf) {
      this.addUserTableFunction(userTf, item, scope, levels, left, on);
      return;
    }
    // SQLite reports an unknown table-valued function as a missing table (generate_series too:
    // better-sqlite3 does not build that extension in).
    const missing = `no such table: ${item.schema ? item.schema + '.' : ''}${item.name}`;
    if (services.store.getTable(item.name) || services.store.views.has(lowered)) throw posErr(`'${item.name}' is not a function`, item);
    if (!lowered.startsWith('pragma_')) throw posErr(missing, item);
    const pragma = lowered.slice('pragma_'.length);
    const probe = services.pragmaRows(pragma, null);
    if (probe === null) throw posErr(missing, item);
    // Arguments may read earlier FROM items (a lateral join), so they are evaluated per use.
    const args = (item.args ?? []).map((a) => this.exprs.compile(a, scope, null));
    const columns: SourceColumn[] = [
      ...probe.columns.map((n) => scol(n, null, null)),
      { ...scol('arg', null, null), hidden: true },
      { ...scol('schema', null, null), hidden: true },
    ];
    this.addRowsSource(item.alias ?? item.name, scope, levels, left, on, () => ({
      columns,
      correlated: true,
      rows: () => {
        const arg = args.length > 0 ? args[0]!() : null;
        const got = services.pragmaRows(pragma, arg);
        return (got?.rows ?? []).map((r) => [...r, arg, 'main']);
      },
    }), item);
  }

  /** `fn(args)` or `fn` for a function registered with db.table(); see table-functions.ts. */
  private addUserTableFunction(fn: UserTableFunction, item: Extract<FromItem, { kind: 'table-ref' }>, scope: Scope, levels: Level[], left: boolean, on: Expr[]): void {
    const args = (item.args ?? []).map((a) => this.exprs.compile(a, scope, null));
    const name = item.alias ?? item.name;
    let scan: TableFunctionScan | null = null;
    this.addRowsSource(name, scope, levels, left, on, () => {
      scan = new TableFunctionScan(fn, args, scope.slots.next - 1, item);
      const s = scan;
      return { columns: TableFunctionScan.sourceColumns(fn, fn.name), correlated: true, hasRowid: true, rows: () => s.rows() };
    }, item);
    levels[levels.length - 1]!.tableFunction = scan!;
  }

  private subquerySource(select: SelectStatement, scope: Scope, ctes: Ctes, columnNames: readonly string[] | null, cteName: string | null = null) {
    const before = this.ctx.minSlotRead;
    const firstSlot = scope.slots.next;
    this.ctx.minSlotRead = Number.MAX_SAFE_INTEGER;
    // A FROM subquery cannot see the sources of its own FROM clause, only enclosing queries.
    const q = this.compileSelect(select, scope.parent, ctes);
    const correlated = this.ctx.minSlotRead < firstSlot;
    this.ctx.minSlotRead = Math.min(before, this.ctx.minSlotRead);
    if (columnNames && columnNames.length !== q.columns.length) {
      if (cteName !== null) throw new AmberError(`table ${cteName} has ${q.columns.length} values for ${columnNames.length} columns`);
      throw new AmberError(`expected ${columnNames.length} columns for view but got ${q.columns.length}`);
    }
    const columns: SourceColumn[] = q.columns.map((c, i) => ({
      name: columnNames?.[i] ?? c.name,
      affinity: q.affinities[i] ?? null,
      collation: null,
      declType: c.type,
      table: c.table,
      column: c.column,
    }));
    return {
      columns,
      correlated,
      rows: () => {
        const rows: SqlValue[][] = [];
        q.run((r) => { rows.push(r); return true; });
        return rows;
      },
    };
  }

  private cteSource(cte: CteDef, scope: Scope, ctes: Ctes) {
    if (cte.working) {
      const w = cte.working;
      return { columns: w.columns, correlated: true, rows: () => w.rows };
    }
    const body = cte.select.body;
    const selfRef = cte.recursive && body.kind === 'compound' && (body.op === 'UNION' || body.op === 'UNION ALL') && referencesTable(body.right, cte.name);
    if (!selfRef) {
      const inner = new Map(ctes ?? []);
      inner.delete(cte.name.toLowerCase());
      return this.subquerySource(cte.select, scope, inner, cte.columns, cte.name);
    }
    // WITH RECURSIVE: run the initial SELECT, then the recursive one over each new batch.
    const comp = body as Extract<SelectBody, { kind: 'compound' }>;
    const inner = new Map(ctes ?? []);
    inner.delete(cte.name.toLowerCase());
    const init = this.compileBody(comp.left, scope.parent, inner);
    if (cte.columns && cte.columns.length !== init.columns.length) throw new AmberError(`table ${cte.name} has ${init.columns.length} values for ${cte.columns.length} columns`);
    const columns: SourceColumn[] = init.columns.map((c, i) => ({ name: cte.columns?.[i] ?? c.name, affinity: init.affinities[i] ?? null, collation: null, declType: null, table: null, column: null }));
    const working: { rows: SqlValue[][]; columns: SourceColumn[] } = { rows: [], columns };
    const recursiveDef: CteDef = { ...cte, working };
    const withSelf = new Map(inner);
    withSelf.set(cte.name.toLowerCase(), recursiveDef);
    const step = this.compileBody(comp.right, scope.parent, withSelf);
    if (step.columns.length !== init.columns.length) {
      throw posErr(`SELECTs to the left and right of ${comp.op} do not have the same number of result columns`, comp);
    }
    const distinct = comp.op === 'UNION';
    const stmtLimit = cte.select.limit ? this.compileLimit(cte.select, scope.parent) : null;
    return {
      columns,
      correlated: true,
      rows: () => {
        const all: SqlValue[][] = [];
        const seen = new Set<string | number>();
        const limit = stmtLimit ? this.limitValue(stmtLimit.limit) : -1;
        const add = (r: SqlValue[], batch: SqlValue[][]) => {
          if (distinct) {
            const k = groupKey(r);
            if (seen.has(k)) return;
            seen.add(k);
          }
          all.push(r);
          batch.push(r);
        };
        let batch: SqlValue[][] = [];
        init.run((r) => { add(r, batch); return limit < 0 || all.length < limit; });
        let guard = 0;
        while (batch.length > 0 && (limit < 0 || all.length < limit)) {
          // One row at a time, as SQLite's queue does, so ORDER-less recursion matches its order.
          const next: SqlValue[][] = [];
          for (const row of batch) {
            working.rows = [row];
            step.run((r) => { add(r, next); return limit < 0 || all.length < limit; });
            if (limit >= 0 && all.length >= limit) break;
          }
          batch = next;
          if (++guard > 10_000_000) throw new AmberError('recursive CTE did not terminate');
        }
        return limit >= 0 ? all.slice(0, limit) : all;
      },
    };
  }

  // ---- access paths ----------------------------------------------------------------------------

  /**
   * What the access-path chooser needs to know of a table: its indexes, the canonical keys of
   * their expressions, and which partial indexes the query's terms make usable.
   */
  private planningInfo(lv: Level, candidates: readonly Expr[], scope: Scope): TableInfoForPlanning {
    const table = lv.table!;
    const schema = table.schema;
    const byName = (ref: ColumnRef): number | null => {
      if (ref.table !== null && ref.table.toLowerCase() !== schema.name.toLowerCase()) return null;
      const i = schema.columns.findIndex((c) => c.name.toLowerCase() === ref.name.toLowerCase());
      return i >= 0 ? i : null;
    };
    const indexExprKeys = new Map<IndexSchema, (string | null)[]>();
    const usablePartial = new Set<IndexSchema>();
    let queryKeys: Set<string> | null = null;
    for (const ix of table.indexes) {
      const sch = ix.schema;
      if (sch.columns.some((c) => c.column < 0)) {
        indexExprKeys.set(sch, sch.columns.map((c) => (c.exprSql === null ? null : exprKey(parseExpression(c.exprSql), byName))));
      }
      if (sch.whereSql !== null) {
        queryKeys ??= new Set(candidates.map((e) => this.localExprKey(e, lv, scope)).filter((k): k is string => k !== null));
        const needs = conjuncts(parseExpression(sch.whereSql)).map((e) => exprKey(e, byName));
        if (needs.every((k) => k !== null && queryKeys!.has(k))) usablePartial.add(sch);
      }
    }
    return {
      name: table.name,
      rowidAlias: schema.rowidAlias,
      columnCollations: schema.columns.map((c) => c.collation),
      indexes: table.indexes.map((x) => x.schema),
      rowCount: table.tree.size,
      indexExprKeys,
      usablePartial,
    };
  }

  /** The canonical key of an expression over `lv`'s table alone, or null. */
  private localExprKey(e: Expr, lv: Level, scope: Scope): string | null {
    return exprKey(e, (ref) => {
      const r = safeResolve(scope, ref);
      return r && r.depth === 0 && r.slot === lv.source.slot && r.col >= 0 ? r.col : null;
    });
  }

  private indexableTerm(t: Expr, lv: Level, scope: Scope, isBound: (e: Expr) => boolean): IndexableTerm[] | null {
    const table = lv.table!;
    const isLocalColumn = (e: Expr): number | null => {
      let x = e;
      if (x.kind !== 'column') return null;
      const r = safeResolve(scope, x);
      if (!r || r.depth !== 0 || r.slot !== lv.source.slot) return null;
      return r.col;
    };
    const boundEarlier = (e: Expr) => isBound(e) && !hasSubquery(e);
    const mk = (colExpr: Expr, column: number, op: CompareOp, value: Expr | readonly Expr[], valueExprForAff: Expr, columnOnRight = false): IndexableTerm => {
      const colAff = table.schema.columns[column]?.affinity ?? 'INTEGER';
      const affs = comparisonAffinities(column < 0 ? 'INTEGER' : colAff, exprAffinity(valueExprForAff, scope));
      // The comparison's collation gives the left operand precedence: `u.y = t.p` compares with
      // y's collation even when the term is used to look up t.p.
      const collName = columnOnRight ? collationName(valueExprForAff, colExpr, scope) : collationName(colExpr, valueExprForAff, scope);
      return {
        column,
        op,
        value,
        collation: collName,
        columnAffinityChanges: affs[0] !== null && affs[0] !== 'BLOB' && affs[0] !== colAff,
        valueAffinity: affs[1],
      };
    };
    // A term on an expression of this table (`lower(email) = ?`) can use an index on that expression.
    const exprTerm = (side: Expr, op: CompareOp, value: Expr): IndexableTerm | null => {
      if (side.kind === 'column' || side.kind === 'collate' && side.expr.kind === 'column') return null;
      const key = this.localExprKey(side, lv, scope);
      if (key === null) return null;
      const affs = comparisonAffinities(exprAffinity(side, scope), exprAffinity(value, scope));
      return {
        column: -2,
        op,
        value,
        collation: collationName(side, value, scope),
        columnAffinityChanges: affs[0] !== null && affs[0] !== 'BLOB',
        valueAffinity: affs[1],
        exprKey: key,
      };
    };
    if (t.kind === 'binary' && ['=', '<', '<=', '>', '>=', 'IS'].includes(t.op)) {
      const lc = isLocalColumn(t.left);
      if (lc !== null && boundEarlier(t.right)) return [mk(t.left, lc, t.op as CompareOp, t.right, t.right)];
      const rc = isLocalColumn(t.right);
      if (rc !== null && boundEarlier(t.left)) return [mk(t.right, rc, flip(t.op as CompareOp), t.left, t.left, true)];
      if (boundEarlier(t.right)) {
        const et = exprTerm(t.left, t.op as CompareOp, t.right);
        if (et) return [et];
      }
      if (boundEarlier(t.left)) {
        const et = exprTerm(t.right, flip(t.op as CompareOp), t.left);
        if (et) return [et];
      }
      return null;
    }
    if (t.kind === 'between' && !t.not) {
      const c = isLocalColumn(t.expr);
      if (c !== null && boundEarlier(t.low) && boundEarlier(t.high)) return [mk(t.expr, c, '>=', t.low, t.low), mk(t.expr, c, '<=', t.high, t.high)];
      return null;
    }
    if (t.kind === 'like') return this.likeRange(t, lv, isLocalColumn);
    if (t.kind === 'binary' && t.op === 'OR') {
      // `b = 1 OR b = 2` is `b IN (1, 2)` (SQLite rewrites it so too): one column, values
      // without an affinity of their own, one collation.
      const parts = disjuncts(t);
      const got: IndexableTerm[] = [];
      for (const d of parts) {
        if (d.kind !== 'binary' || d.op !== '=') return null;
        const l = isLocalColumn(d.left);
        const r = l === null ? isLocalColumn(d.right) : null;
        const value = l !== null ? d.right : d.left;
        const c = l ?? r;
        if (c === null || !boundEarlier(value) || exprAffinity(value, scope) !== null) return null;
        got.push(mk(l !== null ? d.left : d.right, c, '=', value, value, l === null));
      }
      const first = got[0]!;
      if (!got.every((g) => g.column === first.column && g.collation === first.collation && g.columnAffinityChanges === first.columnAffinityChanges)) return null;
      return [{ ...first, op: 'IN', value: got.map((g) => g.value as Expr) }];
    }
    if (t.kind === 'in' && !t.not && t.source.kind === 'list' && t.source.items.length > 0) {
      const c = isLocalColumn(t.expr);
      if (c === null) return null;
      if (!t.source.items.every(boundEarlier)) return null;
      const first = t.source.items[0]!;
      // Every item must apply the same affinity; require items without affinity of their own.
      if (t.source.items.some((i) => exprAffinity(i, scope) !== null)) return null;
      return [mk(t.expr, c, 'IN', t.source.items, first)];
    }
    return null;
  }

  /**
   * The branches of the first OR term among `candidates` whose every branch finds its rows by an
   * index or the rowid — each branch with the other candidate terms too, as SQLite plans them
   * (`(b = 1 OR c = 2) AND d = 5` looks up c = 2 AND d = 5 on (c, d)) — or null.
   */
  private orUnion(lv: Level, candidates: readonly Expr[], scope: Scope, isBound: (e: Expr) => boolean): AccessPath[] | null {
    for (const t of candidates) {
      if (t.kind !== 'binary' || t.op !== 'OR') continue;
      const others = candidates.filter((c) => c !== t);
      const paths: AccessPath[] = [];
      for (const d of disjuncts(t)) {
        const local = [...conjuncts(d), ...others];
        const terms: IndexableTerm[] = [];
        for (const c of local) {
          const it = this.indexableTerm(c, lv, scope, isBound);
          if (it) terms.push(...it);
        }
        const p = chooseAccessPath(this.planningInfo(lv, local, scope), terms, null, null);
        if (p.kind === 'scan') break;
        // Every branch reads the table row (to test the whole WHERE): no covering index.
        paths.push(p.kind === 'index' ? { ...p, covering: false } : p);
      }
      if (paths.length === disjuncts(t).length) return paths;
    }
    return null;
  }

  /**
   * SQLite's LIKE optimization (optoverview §5): `col LIKE 'abc%'` is also `col >= 'abc' AND
   * col < 'abd'` under NOCASE (LIKE ignores ASCII case, so only a NOCASE index keeps the matches
   * together), and `col GLOB 'abc*'` the same range under BINARY. The LIKE stays a filter; the
   * range only narrows the rows it sees. Conditions, as SQLite's: a literal pattern that starts
   * with a literal character, an ESCAPE of one character, and a column of TEXT affinity (numbers
   * cannot be in it; blobs can, and a range of text skips them — as SQLite's does). We also want
   * the prefix's last character to be ASCII, so that bumping it gives the first string past all
   * that start with the prefix.
   */
  private likeRange(t: Extract<Expr, { kind: 'like' }>, lv: Level, isLocalColumn: (e: Expr) => number | null): IndexableTerm[] | null {
    if (t.not || (t.op !== 'LIKE' && t.op !== 'GLOB') || t.right.kind !== 'string') return null;
    const column = isLocalColumn(t.left);
    if (column === null || column < 0) return null;
    if (lv.table!.schema.columns[column]?.affinity !== 'TEXT') return null;
    let escape: string | null = null;
    if (t.escape !== null) {
      if (t.op !== 'LIKE' || t.escape.kind !== 'string' || [...t.escape.value].length !== 1) return null;
      escape = t.escape.value;
    }
    const prefix = t.op === 'LIKE' ? likePrefix(t.right.value, escape) : globPrefix(t.right.value);
    if (prefix === null || prefix.length === 0) return null;
    let last = prefix.charCodeAt(prefix.length - 1);
    if (last >= 0x7f) return null;
    // NOCASE folds A-Z to a-z before comparing: bump the folded character ('abZ' -> 'ab{').
    const nocase = t.op === 'LIKE';
    if (nocase && last >= 0x41 && last <= 0x5a) last += 0x20;
    const upper = prefix.slice(0, -1) + String.fromCharCode(last + 1);
    const lit = (value: string): Expr => ({ kind: 'string', value, loc: t.right.loc });
    const collation = nocase ? 'NOCASE' : 'BINARY';
    return [
      { column, op: '>=', value: lit(prefix), collation, columnAffinityChanges: false, valueAffinity: null },
      { column, op: '<', value: lit(upper), collation, columnAffinityChanges: false, valueAffinity: null },
    ];
  }

  /**
   * The column of `lv`'s table an ORDER BY / GROUP BY term names (-1 for the rowid) and the
   * collation it is compared with, or null when it is anything else. A number is a result
   * column's position and an unresolvable bare name a result column's alias, as SQLite reads them.
   */
  private termColumn(lv: Level, expr: Expr, outExprs: { expr: Expr; name: string }[], scope: Scope): { col: number; collation: string } | null {
    const schema = lv.table!.schema;
    let e = expr;
    let coll: string | null = null;
    if (e.kind === 'collate') { coll = e.collation; e = e.expr; }
    if (e.kind === 'number' && /^\d+$/.test(e.text)) e = outExprs[Number(e.text) - 1]?.expr ?? e;
    else if (e.kind === 'column' && e.table === null && safeResolve(scope, e) === undefined) {
      const name = e.name.toLowerCase();
      e = outExprs.find((o) => o.name.toLowerCase() === name)?.expr ?? e;
    }
    if (e.kind === 'collate') { coll = coll ?? e.collation; e = e.expr; }
    if (e.kind !== 'column') return null;
    const r = safeResolve(scope, e);
    if (!r || r.depth !== 0 || r.slot !== lv.source.slot) return null;
    const col = r.col === schema.rowidAlias ? -1 : r.col;
    return { col, collation: (coll ?? (col >= 0 ? schema.columns[col]!.collation : 'BINARY')).toUpperCase() };
  }

  /**
   * Whether `path` (or, for a plain scan, a full scan of some index) yields rows in ORDER BY
   * order, forwards or backwards. Terms on columns an equality pins are skipped; every other term
   * must follow the path's key columns with the same collation and one direction throughout.
   */
  private orderFromPath(
    lv: Level, path: AccessPath, orderBy: readonly OrderingTerm[], outExprs: { expr: Expr; name: string }[],
    scope: Scope, forced: string | false | null, needed: ReadonlySet<number> | null,
  ): { path: AccessPath; reverse: boolean } | null {
    const table = lv.table!;
    const alias = table.schema.rowidAlias;
    const terms: { col: number; desc: boolean; collation: string }[] = [];
    for (const t of orderBy) {
      const term = this.termColumn(lv, t.expr, outExprs, scope);
      if (term === null) return null;
      const desc = t.direction === 'DESC';
      if (t.nulls !== null && (t.nulls === 'FIRST') === desc) return null;
      terms.push({ col: term.col, desc, collation: term.collation });
    }
    const agree = (p: AccessPath): { path: AccessPath; reverse: boolean } | null => {
      let seq: { col: number; desc: boolean; collation: string }[];
      let pinned: number[] = [];
      let canReverse = true;
      if (p.kind === 'scan' || p.kind === 'rowid-range' || p.kind === 'rowid-eq') {
        seq = [{ col: -1, desc: false, collation: 'BINARY' }];
        canReverse = p.kind === 'scan';
      } else if (p.kind === 'index') {
        pinned = p.eq.map((t) => (t.column === alias ? -1 : t.column));
        seq = [
          ...p.index.columns.slice(p.eq.length).map((c) => ({ col: c.column === alias ? -1 : c.column, desc: c.desc, collation: c.collation.toUpperCase() })),
          { col: -1, desc: false, collation: 'BINARY' },
        ];
        canReverse = !p.lower && !p.upper && !p.inTerm;
        // IN lookups visit their values in ascending order, whatever the index's direction.
        if (p.inTerm && seq[0]) seq[0] = { ...seq[0], desc: false };
      } else return null;
      const rest = terms.filter((t) => !pinned.includes(t.col));
      if (rest.length === 0) return { path: p, reverse: false };
      let dir: boolean | null = null;
      for (let j = 0; j < rest.length; j++) {
        const t = rest[j]!;
        const k = seq[j];
        if (!k || k.col !== t.col || (t.col >= 0 && k.collation !== t.collation)) return null;
        const flipped = t.desc !== k.desc;
        if (dir === null) dir = flipped;
        else if (dir !== flipped) return null;
      }
      if (dir && !canReverse) return null;
      return { path: p, reverse: dir === true };
    };
    const direct = agree(path);
    if (direct || path.kind !== 'scan' || forced === false) return direct;
    // A full scan of an index in ORDER BY order instead of the table (SQLite: SCAN t USING INDEX i).
    for (const ix of table.indexes) {
      const sch = ix.schema;
      if (sch.whereSql !== null || sch.columns.some((c) => c.column < 0)) continue;
      if (typeof forced === 'string' && sch.name.toLowerCase() !== forced.toLowerCase()) continue;
      const covering = needed !== null && [...needed].every((c) => c === alias || sch.columns.some((ic) => ic.column === c));
      const found = agree({ kind: 'index', index: sch, eq: [], inTerm: null, lower: null, upper: null, covering });
      if (found) return found;
    }
    return null;
  }

  /**
   * Whether `path` (or, for a plain scan, a full scan of the table or of some index) delivers the
   * rows of each GROUP BY group next to each other: the group columns, in any order and direction,
   * must be the path's first key columns after those an equality pins (SQLite accepts any order
   * of GROUP BY terms too). Groups then come out in the path's order, as SQLite's do. When ORDER
   * BY names only group columns and a path delivers it, that path is preferred and `ordered` says
   * the sort is not needed either.
   */
  private groupFromPath(
    lv: Level, path: AccessPath, groupBy: readonly Expr[], orderBy: readonly OrderingTerm[] | null,
    outExprs: { expr: Expr; name: string }[], scope: Scope, forced: string | false | null, needed: ReadonlySet<number> | null,
  ): { path: AccessPath; reverse: boolean; ordered: boolean } | null {
    const table = lv.table!;
    const alias = table.schema.rowidAlias;
    const cols: { col: number; collation: string }[] = [];
    for (const g of groupBy) {
      const term = this.termColumn(lv, g, outExprs, scope);
      if (term === null) return null;
      const { col, collation } = term;
      // Groups are told apart by value (groupKey), so only a BINARY grouping may stream.
      if (collation !== 'BINARY') return null;
      cols.push({ col, collation });
    }
    const groups = (p: AccessPath): boolean => {
      let seq: { col: number; collation: string }[];
      let pinned: number[] = [];
      if (p.kind === 'scan' || p.kind === 'rowid-range') seq = [{ col: -1, collation: 'BINARY' }];
      else if (p.kind === 'rowid-eq') return true;
      else if (p.kind === 'index') {
        if (p.inTerm) return false;
        pinned = p.eq.map((t) => (t.column === alias ? -1 : t.column));
        seq = [
          ...p.index.columns.slice(p.eq.length).map((c) => ({ col: c.column === alias ? -1 : c.column, collation: c.collation.toUpperCase() })),
          { col: -1, collation: 'BINARY' },
        ];
      } else return false;
      const rest = cols.filter((c) => !pinned.includes(c.col));
      const prefix = seq.slice(0, new Set(rest.map((c) => c.col)).size);
      return rest.every((c) => prefix.some((k) => k.col === c.col && (c.col < 0 || k.collation === c.collation))) &&
        prefix.every((k) => rest.some((c) => c.col === k.col));
    };
    const plain = path.kind === 'scan' || (path.kind === 'index' && path.eq.length === 0 && !path.inTerm && !path.lower && !path.upper && forced === null);
    const candidates: AccessPath[] = [path];
    if (plain && forced !== false) {
      if (path.kind !== 'scan') candidates.push({ kind: 'scan' });
      for (const ix of table.indexes) {
        const sch = ix.schema;
        if (sch.whereSql !== null || sch.columns.some((c) => c.column < 0)) continue;
        if (typeof forced === 'string' && sch.name.toLowerCase() !== forced.toLowerCase()) continue;
        const covering = needed !== null && [...needed].every((c) => c === alias || c === -1 || sch.columns.some((ic) => ic.column === c));
        candidates.push({ kind: 'index', index: sch, eq: [], inTerm: null, lower: null, upper: null, covering });
      }
    }
    const grouping = candidates.filter(groups);
    if (grouping.length === 0) return null;
    // ORDER BY over group columns only: a grouping path that also delivers it saves the sort.
    const groupCols = new Set(cols.map((c) => c.col));
    if (orderBy && orderBy.length > 0) {
      for (const p of grouping) {
        const found = this.orderFromPath(lv, p, orderBy, outExprs, scope, false, needed);
        if (found && orderBy.every((t) => this.orderTermColumn(t, lv, outExprs, scope, groupCols))) return { ...found, ordered: true };
      }
    }
    return { path: grouping[0]!, reverse: false, ordered: false };
  }

  /** Directions of an ORDER BY that is the GROUP BY term for term (SQLite then sorts the groups so), or null. */
  private groupOrderServes(groupBy: readonly Expr[], orderBy: readonly OrderingTerm[], outExprs: { expr: Expr; name: string }[], scope: Scope): boolean[] | null {
    if (orderBy.length === 0 || orderBy.length !== groupBy.length) return null;
    const resolve = (x: Expr): Expr | null => {
      let e = x;
      if (e.kind === 'number' && /^\d+$/.test(e.text)) e = outExprs[Number(e.text) - 1]?.expr ?? e;
      else if (e.kind === 'column' && e.table === null && safeResolve(scope, e) === undefined) {
        const name = e.name.toLowerCase();
        e = outExprs.find((o) => o.name.toLowerCase() === name)?.expr ?? e;
      }
      if (e.kind === 'collate' || containsAggregate(this.ctx, e) || hasSubquery(e)) return null;
      // The groups are sorted with BINARY, NOCASE or RTRIM (see groupCollation), not a user collation.
      const c = exprCollation(e, scope)?.name.toUpperCase();
      return c === undefined || c === 'BINARY' || c === 'NOCASE' || c === 'RTRIM' ? e : null;
    };
    const shape = (e: Expr) => JSON.stringify(e, (k, v) => (k === 'loc' || k === 'doubleQuoted' ? undefined : v));
    const ok = orderBy.every((t, i) => {
      // NULLs sort first ascending and last descending, as the groups' order puts them.
      if (t.nulls !== null && (t.nulls === 'FIRST') === (t.direction === 'DESC')) return false;
      const a = resolve(t.expr);
      const b = resolve(groupBy[i]!);
      return a !== null && b !== null && shape(a) === shape(b);
    });
    return ok ? orderBy.map((t) => t.direction === 'DESC') : null;
  }

  /**
   * The collation a GROUP BY term compares with, when its groups need a key other than the value:
   * NOCASE and RTRIM (user collations group by value).
   */
  private groupCollation(g: Expr, outExprs: { expr: Expr; name: string }[], scope: Scope): 'NOCASE' | 'RTRIM' | null {
    let e = g;
    if (e.kind === 'number' && /^\d+$/.test(e.text)) e = outExprs[Number(e.text) - 1]?.expr ?? e;
    else if (e.kind === 'column' && e.table === null && safeResolve(scope, e) === undefined) {
      const name = e.name.toLowerCase();
      e = outExprs.find((o) => o.name.toLowerCase() === name)?.expr ?? e;
    }
    const c = exprCollation(e, scope)?.name.toUpperCase();
    return c === 'NOCASE' || c === 'RTRIM' ? c : null;
  }

  /**
   * EXPLAIN only (DISTINCT always keeps a set of the rows seen): whether SQLite would need a temp
   * b-tree for DISTINCT on one table — not when the rowid is among the columns (rows are distinct
   * already), nor when the scan delivers equal rows next to each other.
   */
  private distinctNeedsTable(levels: readonly Level[], outExprs: { expr: Expr; name: string }[], scope: Scope): boolean {
    const lv = levels[0];
    if (levels.length !== 1 || !lv || !lv.table || lv.hash || lv.union) return false;
    const alias = lv.table.schema.rowidAlias;
    for (const o of outExprs) {
      if (o.expr.kind !== 'column') return false;
      const r = safeResolve(scope, o.expr);
      if (!r || r.depth !== 0 || r.slot !== lv.source.slot) return false;
      if (r.col < 0 || r.col === alias) return false;
    }
    return this.groupFromPath(lv, lv.path, outExprs.map((o) => o.expr), null, outExprs, scope, false, null) === null;
  }

  /** Whether ORDER BY term `t` is a plain column of `lv` among `cols`. */
  private orderTermColumn(t: OrderingTerm, lv: Level, outExprs: { expr: Expr; name: string }[], scope: Scope, cols: ReadonlySet<number>): boolean {
    let e = t.expr;
    if (e.kind === 'collate') e = e.expr;
    if (e.kind === 'number' && /^\d+$/.test(e.text)) e = outExprs[Number(e.text) - 1]?.expr ?? e;
    else if (e.kind === 'column' && e.table === null && safeResolve(scope, e) === undefined) {
      const name = e.name.toLowerCase();
      e = outExprs.find((o) => o.name.toLowerCase() === name)?.expr ?? e;
    }
    if (e.kind === 'collate') e = e.expr;
    if (e.kind !== 'column') return false;
    const r = safeResolve(scope, e);
    if (!r || r.depth !== 0 || r.slot !== lv.source.slot) return false;
    return cols.has(r.col === lv.table!.schema.rowidAlias ? -1 : r.col);
  }

  /**
   * GROUP BY over rows that arrive group by group: a group ends when the key changes, and is
   * finished and emitted right there, inside the loop (LIMIT stops the scan early).
   */
  private streamGroups(
    levels: Level[], groupEvs: readonly Ev[], coll: AggCollector, havingEv: Ev | null, project: () => SqlValue[], pre: readonly Ev[],
  ): (each: (row: SqlValue[]) => boolean) => void {
    const env = this.ctx.env;
    const slots = levels.map((l) => l.source.slot);
    const n = slots.length;
    const gv: SqlValue[] = new Array(groupEvs.length);
    interface Stream { cur: Group | null; key: string | number; each: (row: SqlValue[]) => boolean; stopped: boolean }
    let st: Stream = { cur: null, key: 0, each: () => true, stopped: false };
    const saveRows: Row[] = new Array(n);
    const saveIds: Rowid[] = new Array(n);
    // Emits a finished group; the rows of the loop in progress are put back afterwards.
    const emit = (g: Group, each: (row: SqlValue[]) => boolean): boolean => {
      for (let i = 0; i < n; i++) {
        saveRows[i] = env.rows[slots[i]!]!;
        saveIds[i] = env.rowids[slots[i]!]!;
        env.rows[slots[i]!] = g.rows[i]!;
        env.rowids[slots[i]!] = g.rowids[i] ?? 0;
      }
      coll.finish(g.states);
      const ok = havingEv && toBoolean(havingEv()) !== true ? true : each(project());
      for (let i = 0; i < n; i++) {
        env.rows[slots[i]!] = saveRows[i]!;
        env.rowids[slots[i]!] = saveIds[i]!;
      }
      return ok;
    };
    const loops = this.buildLoops(levels, () => {
      for (let i = 0; i < groupEvs.length; i++) gv[i] = groupEvs[i]!();
      const key = groupKey(gv);
      const s = st;
      let g = s.cur;
      let isNew = false;
      if (g === null || key !== s.key) {
        if (g !== null && !emit(g, s.each)) {
          s.stopped = true;
          return false;
        }
        g = { keys: gv.slice(), states: coll.createStates(), rows: new Array(n), rowids: new Array(n) };
        s.cur = g;
        s.key = key;
        isNew = true;
      }
      // Bare columns: the group's first row, or the row a min()/max() took its value from.
      if (coll.step(g.states) || isNew) {
        for (let i = 0; i < n; i++) {
          g.rows[i] = env.rows[slots[i]!]!;
          g.rowids[i] = env.rowids[slots[i]!]!;
        }
      }
      return true;
    });
    return (each) => {
      const outer = st;
      const mine: Stream = { cur: null, key: 0, each, stopped: false };
      st = mine;
      try {
        for (const p of pre) if (toBoolean(p()) !== true) return;
        loops();
      } finally {
        st = outer;
      }
      if (!mine.stopped && mine.cur !== null) emit(mine.cur, each);
    };
  }

  /**
   * Reorders `levels` in place: at each step the table whose lookup, given the tables already
   * placed, costs least per outer row (times the rows so far). Estimates without statistics, as
   * SQLite's defaults: an equality on an index finds ~10 rows, a unique one 1, a range a quarter.
   */
  private orderJoins(levels: Level[], whereTerms: readonly Expr[], scope: Scope): void {
    const localSlots = new Map<Expr, Set<number>>();
    const slotsOf = (e: Expr): Set<number> => {
      let got = localSlots.get(e);
      if (!got) {
        got = new Set();
        const found = got;
        walkExprDeep(e, (x) => {
          if (x.kind !== 'column') return;
          const r = safeResolve(scope, x);
          if (r && r.depth === 0) found.add(r.slot);
        });
        localSlots.set(e, got);
      }
      return got;
    };
    // A lateral source (a table-valued function or a correlated subquery, whose rows may depend on
    // the FROM items written before it) is placed only after all of them.
    const written = new Map(levels.map((l, i) => [l, i]));
    const ready = (lv: Level, placed: ReadonlySet<number>): boolean =>
      !lv.lateral || levels.every((l) => written.get(l)! >= written.get(lv)! || placed.has(l.source.slot));
    // Greedy completion from a given first table; the first table itself is tried every way,
    // because the best first step (two equal scans) often hides a much cheaper second one.
    const complete = (first: Level): { order: Level[]; cost: number } => {
      const remaining = levels.filter((l) => l !== first);
      const placed = new Set<number>();
      const order: Level[] = [];
      let outer = 1;
      let total = 0;
      let next: Level | null = first;
      while (next !== null) {
        const { rows, cost, once } = this.estimate(next, whereTerms, scope, (e) => [...slotsOf(e)].every((sl) => placed.has(sl)), placed.size > 0);
        total += outer * cost + (once ?? 0);
        outer = Math.max(1, outer * rows);
        order.push(next);
        placed.add(next.source.slot);
        let best: Level | null = null;
        let bestCost = Infinity;
        let bestRows = Infinity;
        for (const lv of remaining) {
          if (!ready(lv, placed)) continue;
          const e = this.estimate(lv, whereTerms, scope, (x) => [...slotsOf(x)].every((sl) => placed.has(sl)), true);
          const c = outer * e.cost + (e.once ?? 0);
          if (c < bestCost || (c === bestCost && e.rows < bestRows)) {
            best = lv;
            bestCost = c;
            bestRows = e.rows;
          }
        }
        best ??= remaining.find((lv) => ready(lv, placed)) ?? null;
        if (best !== null) remaining.splice(remaining.indexOf(best), 1);
        next = best;
      }
      return { order, cost: total };
    };
    let bestPlan: { order: Level[]; cost: number } | null = null;
    for (const first of levels) {
      if (!ready(first, new Set())) continue;
      const plan = complete(first);
      if (bestPlan === null || plan.cost < bestPlan.cost) bestPlan = plan;
    }
    levels.splice(0, levels.length, ...bestPlan!.order);
  }

  /** Rows found and cost per outer row; `once`: a cost paid once per run (building a hash join's table). */
  private estimate(lv: Level, candidates: readonly Expr[], scope: Scope, isBound: (e: Expr) => boolean, inner = false): { rows: number; cost: number; once?: number } {
    if (lv.tableFunction) return lv.tableFunction.estimate(candidates, scope, isBound);
    if (!lv.table) return { rows: 1000, cost: 1000 };
    // Without ANALYZE, SQLite takes every table to hold about a million rows, so the shape of a
    // join — which lookups its indexes allow — decides its order, not today's row counts. We do
    // the same below that size, and plans stay those SQLite picks (and so does the order rows
    // come out of a join without ORDER BY).
    const n = Math.max(ASSUMED_TABLE_ROWS, lv.table.tree.size);
    const log = Math.log2(n + 1) + 1;
    const terms: IndexableTerm[] = [];
    for (const t of candidates) {
      const it = this.indexableTerm(t, lv, scope, isBound);
      if (it) terms.push(...it);
    }
    const forced = (lv as { indexedBy?: string | false | null }).indexedBy ?? null;
    const path = chooseAccessPath(this.planningInfo(lv, candidates, scope), terms, null, forced);
    switch (path.kind) {
      case 'scan':
        // Inside a join, an equality on a column no index serves becomes a hash join: one scan to
        // build, then a probe per outer row finding as many rows as an index equality would.
        if (inner && !lv.right && forced === null && hashableTerms(terms, lv.table.schema.rowidAlias).length > 0) {
          // Costed like an index lookup plus building it (SQLite's automatic index is a sorted
          // b-tree): a real index on the other side of the join stays the better choice.
          const rows = Math.min(n, 10);
          return { rows, cost: log * (1 + rows), once: n * log };
        }
        return { rows: n, cost: n };
      case 'rowid-eq':
        return { rows: 1, cost: log };
      case 'rowid-in': {
        const k = (path.term.value as readonly Expr[]).length;
        return { rows: k, cost: k * log };
      }
      case 'rowid-range': {
        const rows = Math.max(1, n / (path.lower && path.upper ? 16 : 4));
        return { rows, cost: rows + log };
      }
      case 'index': {
        let rows = n;
        if (path.index.unique && path.eq.length === path.index.columns.length) rows = 1;
        else {
          if (path.eq.length > 0) rows = Math.min(n, 10) / 2 ** (path.eq.length - 1);
          if (path.inTerm) rows *= (path.inTerm.value as readonly Expr[]).length;
          if (path.lower || path.upper) rows = rows / (path.lower && path.upper ? 16 : 4);
          rows = Math.max(1, rows);
        }
        // Each row found costs a table fetch too.
        return { rows, cost: log * (1 + rows) };
      }
    }
  }

  private compilePath(path: AccessPath, scope: Scope): Level['pathEvs'] {
    const ev = (t: IndexableTerm | null): Ev | null => (t ? this.withAff(this.exprs.compile(t.value as Expr, scope, null), t.valueAffinity) : null);
    switch (path.kind) {
      case 'scan': return { eq: [], inList: null, lower: null, upper: null };
      case 'rowid-eq': return { eq: [ev(path.term)!], inList: null, lower: null, upper: null };
      case 'rowid-in': return { eq: [], inList: (path.term.value as Expr[]).map((e) => this.withAff(this.exprs.compile(e, scope, null), path.term.valueAffinity)), lower: null, upper: null };
      case 'rowid-range': return { eq: [], inList: null, lower: ev(path.lower), upper: ev(path.upper) };
      case 'index': return {
        eq: path.eq.map((t) => ev(t)!),
        inList: path.inTerm ? (path.inTerm.value as Expr[]).map((e) => this.withAff(this.exprs.compile(e, scope, null), path.inTerm!.valueAffinity)) : null,
        lower: ev(path.lower),
        upper: ev(path.upper),
      };
    }
  }

  private withAff(ev: Ev, aff: Affinity | null): Ev {
    if (aff === null || aff === 'BLOB') return ev;
    return () => applyComparisonAffinity(ev(), aff);
  }

  // ---- loops -----------------------------------------------------------------------------------

  buildLoops(levels: Level[], final: () => boolean): () => boolean {
    const hashed = this.buildNest(levels, final);
    const hashes = levels.flatMap((l) => (l.hash ? [l.hash.join] : []));
    if (hashes.length === 0) return hashed;
    // Each run builds its hashes afresh: the tables may have changed since the last run.
    return () => {
      for (const h of hashes) h.reset();
      return hashed();
    };
  }

  private buildNest(levels: Level[], final: () => boolean): () => boolean {
    let body = final;
    const continuations: (() => boolean)[] = new Array(levels.length);
    for (let i = levels.length - 1; i >= 0; i--) {
      continuations[i] = body;
      body = this.makeLevel(levels[i]!, body);
    }
    levels.forEach((lv, i) => {
      if (!lv.right) return;
      const nest = body;
      const unmatched = this.unmatchedRows(levels, i, continuations[i]!);
      const matched = lv.right.matched;
      body = () => {
        matched.clear();
        return nest() && unmatched();
      };
    });
    return body;
  }

  /**
   * The tail of a RIGHT/FULL JOIN: each row of level `k` that no left row matched, with every
   * earlier source NULL, through the WHERE terms placed up to `k` and on into the later levels.
   */
  private unmatchedRows(levels: Level[], k: number, inner: () => boolean): () => boolean {
    const env = this.ctx.env;
    const lv = levels[k]!;
    const before = levels.slice(0, k).map((l) => ({ slot: l.source.slot, nulls: nullRow(l.source.columns.length) }));
    const filters = levels.slice(0, k + 1).flatMap((l) => l.postEvs);
    const slot = lv.source.slot;
    const matched = lv.right!.matched;
    const emit = (row: Row, key: Rowid): boolean => {
      if (matched.has(key)) return true;
      env.rows[slot] = row;
      env.rowids[slot] = key;
      for (const f of filters) if (toBoolean(f()) !== true) return true;
      return inner();
    };
    return () => {
      for (const b of before) {
        env.rows[b.slot] = b.nulls;
        env.rowids[b.slot] = 0;
      }
      if (lv.rowsOf) {
        // A table function's rows are a generator: a LIMIT stops it early (for...of closes it).
        let i = 0;
        for (const row of lv.rowsOf()) if (!emit(row, ++i)) return false;
        return true;
      }
      const cur = lv.table!.tree.cursor();
      for (let ok = cur.first(); ok; ok = cur.next()) if (!emit(cur.value(), cur.key())) return false;
      return true;
    };
  }

  private makeLevel(lv: Level, inner: () => boolean): () => boolean {
    const env = this.ctx.env;
    const rows = env.rows;
    const rowids = env.rowids;
    const slot = lv.source.slot;
    const onEvs = lv.onEvs;
    const postEvs = lv.postEvs;
    const nOn = onEvs.length;
    const nPost = postEvs.length;
    const left = lv.left;
    const nulls = nullRow(lv.source.columns.length);
    let matched = false;
    // Visit one candidate row: ON terms decide a match, WHERE terms placed here decide descent.
    const rightMatched = lv.right?.matched ?? null;
    const visit = (): boolean => {
      for (let i = 0; i < nOn; i++) if (toBoolean(onEvs[i]!()) !== true) return true;
      matched = true;
      if (rightMatched !== null) rightMatched.add(rowids[slot]!);
      for (let i = 0; i < nPost; i++) if (toBoolean(postEvs[i]!()) !== true) return true;
      return inner();
    };
    const finishLeft = (): boolean => {
      if (!left || matched) return true;
      rows[slot] = nulls;
      rowids[slot] = 0;
      for (let i = 0; i < nPost; i++) if (toBoolean(postEvs[i]!()) !== true) return true;
      return inner();
    };
    if (lv.rowsOf) {
      const rowsOf = lv.rowsOf;
      return () => {
        matched = false;
        let i = 0;
        for (const row of rowsOf()) {
          rows[slot] = row;
          rowids[slot] = ++i;
          if (!visit()) return false;
        }
        return finishLeft();
      };
    }
    if (lv.union) {
      // Each branch's lookup feeds `once`, which lets a row through the first time it is found.
      let seen = new Set<Rowid>();
      const once = (): boolean => {
        const rid = rowids[slot]!;
        if (seen.has(rid)) return true;
        seen.add(rid);
        return visit();
      };
      const branches = lv.union.map((u) => this.makeLevel({
        ...lv, path: u.path, pathEvs: u.evs, union: undefined, hash: undefined, left: false, right: undefined, reverse: false,
        on: [], onEvs: [], postEvs: [],
      }, once));
      return () => {
        matched = false;
        const outer = seen;
        seen = new Set();
        try {
          for (const b of branches) if (!b()) return false;
        } finally {
          seen = outer;
        }
        return finishLeft();
      };
    }
    if (lv.hash) {
      const { join, probe } = lv.hash;
      const vals: SqlValue[] = new Array(probe.length);
      return () => {
        matched = false;
        for (let i = 0; i < probe.length; i++) vals[i] = probe[i]!();
        const b = join.lookup(vals);
        if (b !== undefined) {
          const bRows = b.rows;
          const bIds = b.rowids;
          for (let i = 0; i < bRows.length; i++) {
            rows[slot] = bRows[i]!;
            rowids[slot] = bIds[i]!;
            if (!visit()) return false;
          }
        }
        return finishLeft();
      };
    }
    const table = lv.table!;
    const tree = table.tree;
    const path = lv.path;
    const pe = lv.pathEvs;
    switch (path.kind) {
      case 'scan':
        if (lv.reverse) {
          return () => {
            matched = false;
            const cur = tree.cursor();
            for (let ok = cur.last(); ok; ok = cur.prev()) {
              rows[slot] = cur.value();
              rowids[slot] = cur.key();
              if (!visit()) return false;
            }
            return finishLeft();
          };
        }
        return () => {
          matched = false;
          const cur = tree.cursor();
          for (let ok = cur.first(); ok; ok = cur.next()) {
            rows[slot] = cur.value();
            rowids[slot] = cur.key();
            if (!visit()) return false;
          }
          return finishLeft();
        };
      case 'rowid-eq': {
        const keyEv = pe.eq[0]!;
        return () => {
          matched = false;
          const k = rowidKey(keyEv());
          if (k !== null) {
            const row = tree.get(k);
            if (row !== undefined) {
              rows[slot] = row;
              rowids[slot] = k;
              if (!visit()) return false;
            }
          }
          return finishLeft();
        };
      }
      case 'rowid-in': {
        const evs = pe.inList!;
        return () => {
          matched = false;
          const keys = distinctSorted(evs.map((e) => rowidKey(e())).filter((k): k is Rowid => k !== null));
          for (const k of keys) {
            const row = tree.get(k);
            if (row === undefined) continue;
            rows[slot] = row;
            rowids[slot] = k;
            if (!visit()) return false;
          }
          return finishLeft();
        };
      }
      case 'rowid-range': {
        const lo = pe.lower;
        const hi = pe.upper;
        const loOp = path.lower?.op;
        const hiOp = path.upper?.op;
        return () => {
          matched = false;
          const cur = tree.cursor();
          let ok: boolean;
          let hiKey: number | null = null;
          if (hi) {
            const v = hi();
            if (v === null) return finishLeft();
            hiKey = rangeBound(v);
          }
          if (lo) {
            const v = lo();
            if (v === null) return finishLeft();
            const b = rangeBound(v);
            ok = Number.isFinite(b) ? cur.seek(b as never, loOp === '>') : b < 0 ? cur.first() : false;
          } else ok = cur.first();
          for (; ok; ok = cur.next()) {
            const k = cur.key();
            if (hiKey !== null && (hiOp === '<' ? k >= hiKey : k > hiKey)) break;
            rows[slot] = cur.value();
            rowids[slot] = k;
            if (!visit()) return false;
          }
          return finishLeft();
        };
      }
      case 'index': {
        const index = table.indexes.find((x) => x.schema === path.index)!;
        const itree = index.tree;
        const eqEvs = pe.eq;
        const nEq = eqEvs.length;
        const lo = pe.lower;
        const hi = pe.upper;
        const loExclusive = path.lower?.op === '>' || (path.index.columns[nEq]?.desc ?? false) && path.lower?.op === '<';
        const hiExclusive = path.upper?.op === '<' || (path.index.columns[nEq]?.desc ?? false) && path.upper?.op === '>';
        const inEvs = pe.inList;
        const prefix: SqlValue[] = new Array(nEq);
        const cmp = index.compare;
        const reverse = lv.reverse === true;
        const scanPrefix = (pfx: SqlValue[]): boolean => {
          const cur = itree.cursor();
          if (reverse) {
            // Backwards over the entries with this prefix (no range bounds: see orderFromPath).
            const floor: SqlValue[] = [...pfx];
            for (let ok = cur.seekLast([...pfx, KEY_MAX]); ok; ok = cur.prev()) {
              if (cmp(cur.key(), floor) < 0) break;
              const rid = cur.value();
              rows[slot] = tree.get(rid)!;
              rowids[slot] = rid;
              if (!visit()) return false;
            }
            return true;
          }
          const n = pfx.length;
          let start: SqlValue[] = pfx;
          let stop: SqlValue[] | null = null;
          if (lo) {
            const v = lo();
            if (v === null) return true;
            start = [...pfx, v, loExclusive ? KEY_MAX : KEY_MIN];
          } else if (path.kind === 'index' && path.upper && !path.lower && !(path.index.columns[n]?.desc ?? false)) {
            // `a < x` on an ascending column skips the NULLs, which sort first. (Descending columns
            // keep NULLs last: the residual filter drops them.)
            start = [...pfx, null, KEY_MAX];
          }
          if (hi) {
            const v = hi();
            if (v === null) return true;
            stop = [...pfx, v, hiExclusive ? KEY_MIN : KEY_MAX];
          } else stop = n > 0 ? [...pfx, KEY_MAX] : null;
          for (let ok = cur.seek(start); ok; ok = cur.next()) {
            const key = cur.key();
            if (stop !== null && cmp(key, stop) >= 0) break;
            const rid = cur.value();
            const row = tree.get(rid)!;
            rows[slot] = row;
            rowids[slot] = rid;
            if (!visit()) return false;
          }
          return true;
        };
        if (inEvs) {
          return () => {
            matched = false;
            for (let i = 0; i < nEq; i++) {
              const v = eqEvs[i]!();
              if (v === null && path.eq[i]!.op !== 'IS') return finishLeft();
              prefix[i] = v;
            }
            const vals = inEvs.map((e) => e()).filter((v) => v !== null);
            vals.sort((a, b) => compareValues(a, b));
            let last: SqlValue | undefined;
            for (const v of vals) {
              if (last !== undefined && compareValues(last, v) === 0) continue;
              last = v;
              if (!scanPrefix([...prefix, v])) return false;
            }
            return finishLeft();
          };
        }
        return () => {
          matched = false;
          for (let i = 0; i < nEq; i++) {
            const v = eqEvs[i]!();
            if (v === null && path.eq[i]!.op !== 'IS') return finishLeft();
            prefix[i] = v;
          }
          if (!scanPrefix(prefix)) return false;
          return finishLeft();
        };
      }
    }
  }
}

interface KeySpec {
  readonly desc: boolean;
  readonly nullsFirst: boolean;
  readonly coll: Collation;
}

interface Group {
  keys: SqlValue[];
  states: AggregateInstance[];
  rows: Row[];
  rowids: Rowid[];
}

/** Collects the aggregate calls of a grouped query and evaluates them per group. */
class AggCollector implements AggregateCollector {
  private readonly specs: { call: FunctionCall; args: Ev[]; filter: Ev | null; distinct: boolean; json: boolean[] | null }[] = [];
  private readonly values: SqlValue[] = [];
  private readonly argBuf: SqlValue[][] = [];
  /** The built-in min()/max() calls: they choose the row bare columns come from. */
  private readonly minMax: number[] = [];

  constructor(private readonly exprs: ExprCompiler, private readonly userAggregates: ReadonlyMap<string, unknown>) {}

  add(call: FunctionCall, scope: Scope): () => SqlValue {
    for (const a of call.args) {
      walkExpr(a, (x) => {
        if (x.kind === 'call' && x.over === null && ['count', 'sum', 'total', 'avg', 'min', 'max', 'group_concat', 'string_agg', 'json_group_array', 'json_group_object'].includes(x.name.toLowerCase()) && !(['min', 'max'].includes(x.name.toLowerCase()) && x.args.length !== 1)) {
          throw posErr(`misuse of aggregate function ${x.name}()`, x);
        }
        return true;
      });
    }
    if (call.distinct && call.args.length !== 1) throw posErr('DISTINCT aggregates must have exactly one argument', call);
    const i = this.specs.length;
    const lname = call.name.toLowerCase();
    if ((lname === 'min' || lname === 'max') && call.args.length === 1 && !this.userAggregates.has(lname)) this.minMax.push(i);
    this.specs.push({
      call,
      args: call.args.map((a) => this.exprs.compile(a, scope, null)),
      filter: call.filter ? this.exprs.compile(call.filter, scope, null) : null,
      distinct: call.distinct,
      json: call.args.some(isJsonProducer) ? call.args.map(isJsonProducer) : null,
    });
    createAggregate(this.exprs, call); // validates name and arity now, at prepare time
    this.argBuf.push(new Array(call.args.length));
    this.values.push(null);
    const values = this.values;
    return () => values[i]!;
  }

  createStates(): AggregateInstance[] {
    return this.specs.map((s) => createAggregate(this.exprs, s.call));
  }

  /**
   * Steps every aggregate over the current row. True when the row is where bare columns take
   * their values from under SQLite's rule for min()/max() (minmaxStep): the last min/max call of
   * the query took this row's value or has no value yet (each call's step decides anew, so the
   * last one's decision stands). Without min/max, false: bare columns keep the group's first row.
   */
  step(states: AggregateInstance[]): boolean {
    const last = this.minMax.length > 0 ? states[this.minMax[this.minMax.length - 1]!]! : null;
    const before = last !== null ? last.value() : null;
    const specs = this.specs;
    for (let i = 0; i < specs.length; i++) {
      const s = specs[i]!;
      if (s.filter && toBoolean(s.filter()) !== true) continue;
      const buf = this.argBuf[i]!;
      let mask: boolean[] | null = null;
      if (s.json) {
        mask = new Array(s.args.length);
        for (let j = 0; j < s.args.length; j++) {
          buf[j] = s.args[j]!();
          mask[j] = s.json[j]! && lastJsonSubtype();
        }
      } else for (let j = 0; j < s.args.length; j++) buf[j] = s.args[j]!();
      const st = states[i]!;
      if (mask && st.stepJson) {
        st.stepJson(buf, mask);
        continue;
      }
      if (s.distinct) {
        const v = buf[0]!;
        if (v === null) continue;
        const k = groupKey(buf);
        if (st.seen.has(k)) continue;
        st.seen.add(k);
      }
      st.step(buf);
    }
    if (last === null) return false;
    const now = last.value();
    return now === null || now !== before;
  }

  finish(states: AggregateInstance[]): void {
    for (let i = 0; i < states.length; i++) this.values[i] = states[i]!.final();
  }

  snapshot(): SqlValue[] {
    return this.values.slice();
  }

  restore(values: readonly SqlValue[]): void {
    for (let i = 0; i < values.length; i++) this.values[i] = values[i]!;
  }
}

const EMPTY_ROW: SqlValue[] = [];

function col(name: string): ResultColumnInfo {
  return { name, column: null, table: null, database: null, type: null };
}

function scol(name: string, affinity: Affinity | null, declType: string | null): SourceColumn {
  return { name, affinity: affinity ?? (declType ? affinityOfType(declType) : null), collation: null, declType, table: null, column: null };
}

function flip(op: CompareOp): CompareOp {
  switch (op) {
    case '<': return '>';
    case '<=': return '>=';
    case '>': return '<';
    case '>=': return '<=';
    default: return op;
  }
}

function safeResolve(scope: Scope, e: Extract<Expr, { kind: 'column' }>) {
  try {
    return scope.resolve(e);
  } catch {
    return undefined;
  }
}

function hasSubquery(e: Expr): boolean {
  let found = false;
  walkExprDeep(e, (x) => {
    if (x.kind === 'subquery' || x.kind === 'exists' || (x.kind === 'in' && x.source.kind === 'select')) found = true;
  });
  return found;
}

/** Like walkExpr, visiting every node (subquery nodes themselves are visited, not entered). */
function walkExprDeep(e: Expr, visit: (e: Expr) => void): void {
  walkExpr(e, (x) => { visit(x); return true; });
}

function collationName(left: Expr, right: Expr, scope: Scope): string {
  const l = exprCollation(left, scope);
  const r = exprCollation(right, scope);
  if (l?.explicit) return l.name;
  if (r?.explicit) return r.name;
  if (l) return l.name;
  if (r) return r.name;
  return 'BINARY';
}

function referencesTable(body: SelectBody, name: string): boolean {
  const lower = name.toLowerCase();
  const inFrom = (f: FromItem | null): boolean => {
    if (!f) return false;
    if (f.kind === 'table-ref') return f.name.toLowerCase() === lower;
    if (f.kind === 'join') return inFrom(f.left) || inFrom(f.right);
    return false;
  };
  if (body.kind === 'select-core') return inFrom(body.from);
  if (body.kind === 'compound') return referencesTable(body.left, name) || referencesTable(body.right, name);
  return false;
}

/** The rowid a lookup value selects: integers as is, integral reals as integers, else none. */
/** A GROUP BY value as its group's key under NOCASE (ASCII letters folded) or RTRIM (trailing spaces dropped). */
function foldGroupValue(v: SqlValue, coll: 'NOCASE' | 'RTRIM' | null): SqlValue {
  if (coll === null || typeof v !== 'string') return v;
  return coll === 'NOCASE' ? v.replace(/[A-Z]+/g, (x) => x.toLowerCase()) : v.replace(/ +$/, '');
}

/** SQLite's row-count estimate for a table without statistics (nRowLogEst 200, about 2^20). */
const ASSUMED_TABLE_ROWS = 1 << 20;

/** Whether a path finds at most one row (when all outer loops do, an inner one runs once: nothing to hash for). */
function singleRow(p: AccessPath): boolean {
  return p.kind === 'rowid-eq' || (p.kind === 'index' && p.index.unique && p.eq.length === p.index.columns.length && !p.inTerm);
}

/**
 * The `column = value` terms a hash join can key on: one per column, plain columns (not the
 * rowid), no affinity change on the column side, BINARY or NOCASE.
 */
function hashableTerms(terms: readonly IndexableTerm[], rowidAlias: number): IndexableTerm[] {
  const out: IndexableTerm[] = [];
  for (const t of terms) {
    if (t.op !== '=' || t.column < 0 || t.column === rowidAlias || t.exprKey || t.columnAffinityChanges) continue;
    const c = t.collation.toUpperCase();
    if (c !== 'BINARY' && c !== 'NOCASE') continue;
    if (out.some((o) => o.column === t.column)) continue;
    out.push(t);
  }
  return out;
}

export function rowidKey(v: SqlValue): Rowid | null {
  if (typeof v === 'number') return Number.isInteger(v) ? v : null;
  if (typeof v === 'bigint') return v;
  if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) {
    const d = v.value;
    return Number.isSafeInteger(d) ? d : null;
  }
  return null;
}

/** A numeric bound for a rowid range: non-numeric values sort after every integer. */
function rangeBound(v: SqlValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) return v.value;
  return Infinity;
}

function distinctSorted(keys: Rowid[]): Rowid[] {
  keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return keys.filter((k, i) => i === 0 || keys[i - 1] !== k);
}

export { parseExpression };

/**
 * The columns of `source` the query may read, or null when it reads them all (`*`). Conservative:
 * every column reference anywhere in the query (subqueries included) whose name matches counts.
 */
function neededColumns(core: SelectCore, orderBy: readonly OrderingTerm[] | null, levels: readonly Level[], source: Source): Set<number> | null {
  const needed = new Set<number>();
  let all = false;
  const name = source.name.toLowerCase();
  const visit = (node: unknown): void => {
    if (all || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const x of node) visit(x);
      return;
    }
    const n = node as { kind?: string; table?: string | null; name?: string };
    if (n.kind === 'star') { all = true; return; }
    if (n.kind === 'table-star' && n.table?.toLowerCase() === name) { all = true; return; }
    if (n.kind === 'column' && typeof n.name === 'string' && (n.table == null || n.table.toLowerCase() === name)) {
      const lower = n.name.toLowerCase();
      source.columns.forEach((c, i) => { if (c.name.toLowerCase() === lower) needed.add(i); });
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'loc') visit(v);
  };
  visit(core.columns);
  visit(core.where);
  visit(core.groupBy);
  visit(core.having);
  visit(orderBy);
  // ON terms (an inner join's have moved to WHERE by now: read them where they were written).
  visit(core.from);
  for (const l of levels) visit(l.on);
  return all ? null : needed;
}

function collectAll(q: CompiledQuery): SqlValue[][] {
  const rows: SqlValue[][] = [];
  q.run((r) => { rows.push(r); return true; });
  return rows;
}

/**
 * The first `k` rows of `q` in `cmp` order, ties in arrival order: a bounded max-heap of
 * (row, sequence) so memory and work stay O(k) per row instead of sorting everything.
 */
function topK(q: CompiledQuery, cmp: (a: SqlValue[], b: SqlValue[]) => number, k: number): SqlValue[][] {
  if (k === 0) return [];
  const heap: SqlValue[][] = [];
  const seq: number[] = [];
  let n = 0;
  // a is "worse" than b: sorts after it (later arrival loses ties).
  const worse = (i: number, j: number): boolean => {
    const c = cmp(heap[i]!, heap[j]!);
    return c > 0 || (c === 0 && seq[i]! > seq[j]!);
  };
  const swap = (i: number, j: number) => {
    const r = heap[i]!; heap[i] = heap[j]!; heap[j] = r;
    const t = seq[i]!; seq[i] = seq[j]!; seq[j] = t;
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(l, m)) m = l;
      if (r < heap.length && worse(r, m)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  q.run((row) => {
    const id = n++;
    if (heap.length < k) {
      heap.push(row);
      seq.push(id);
      for (let i = heap.length - 1; i > 0; ) {
        const p = (i - 1) >> 1;
        if (!worse(i, p)) break;
        swap(i, p);
        i = p;
      }
    } else if (cmp(row, heap[0]!) < 0) {
      heap[0] = row;
      seq[0] = id;
      down(0);
    }
    return true;
  });
  const order = heap.map((_, i) => i).sort((a, b) => cmp(heap[a]!, heap[b]!) || seq[a]! - seq[b]!);
  return order.map((i) => heap[i]!);
}

/**
 * sqlite_schema's rows: the catalog in creation order, with `sqlite_sequence` right after the
 * first AUTOINCREMENT table (SQLite creates it then). Root pages are positions, as a stand-in.
 */
function schemaRows(store: import('../storage/store').Store): SqlValue[][] {
  const rows: SqlValue[][] = [];
  let sequenceShown = false;
  for (const o of store.schemaObjects()) {
    rows.push([o.type, o.name, o.tblName, o.type === 'view' || o.type === 'trigger' ? 0 : rows.length + 2, o.sql]);
    if (!sequenceShown && o.type === 'table' && store.getTable(o.name)?.schema.autoincrement) {
      rows.push(['table', 'sqlite_sequence', 'sqlite_sequence', rows.length + 2, 'CREATE TABLE sqlite_sequence(name,seq)']);
      sequenceShown = true;
    }
  }
  return rows;
}
