// What expression and statement compilers share while compiling one statement.
import type { Env } from './env';
import type { Scope } from '../plan/scope';
import type { Store } from '../storage/store';
import type { Expr, FunctionCall, SelectStatement } from '../sql/ast';
import type { SqlValue } from '../value/types';
import type { UserAggregate, UserFunction } from './compiled-statement';
import type { Affinity } from '../value/affinity';

/** Parameter numbering, as SQLite does it: `?` takes max+1, `?N` is N, a name keeps its first slot. */
export class ParamRegistry {
  count = 0;
  readonly names: (string | null)[] = [];
  private readonly byName = new Map<string, number>();

  /** Anonymous `?` by source offset: the same node may be compiled twice (filter and index probe). */
  private readonly byOffset = new Map<number, number>();

  /**
   * Numbers every parameter of a statement in source order before anything compiles, as SQLite's
   * parser does: compilation visits clauses out of order (WHERE before the SET list, say).
   */
  numberInSourceOrder(ast: unknown): void {
    const params: { loc: { start: number }; name: string | null; number: number | null }[] = [];
    const visit = (node: unknown): void => {
      if (node === null || typeof node !== 'object') return;
      if (Array.isArray(node)) {
        for (const x of node) visit(x);
        return;
      }
      const n = node as { kind?: string };
      if (n.kind === 'param') params.push(node as (typeof params)[number]);
      for (const [k, v] of Object.entries(node)) if (k !== 'loc') visit(v);
    };
    visit(ast);
    params.sort((a, b) => a.loc.start - b.loc.start);
    for (const p of params) this.slotFor(p.name, p.number, p.loc.start);
  }

  slotFor(name: string | null, number: number | null, offset = -1): number {
    if (number !== null) {
      if (number > this.count) this.grow(number);
      // SQLite names a numbered parameter by its text (`?7`), so it cannot be bound by position.
      if (this.names[number - 1] === null) this.names[number - 1] = `?${number}`;
      return number;
    }
    if (name !== null) {
      const at = this.byName.get(name);
      if (at !== undefined) return at;
      this.grow(this.count + 1);
      this.byName.set(name, this.count);
      this.names[this.count - 1] = name;
      return this.count;
    }
    const seen = this.byOffset.get(offset);
    if (seen !== undefined) return seen;
    this.grow(this.count + 1);
    if (offset >= 0) this.byOffset.set(offset, this.count);
    return this.count;
  }

  private grow(n: number): void {
    while (this.names.length < n) this.names.push(null);
    this.count = n;
  }
}

/** Aggregate calls found while compiling a grouped query's output expressions. */
export interface AggregateCollector {
  /** Registers an aggregate call; returns a closure reading its current value. */
  add(call: FunctionCall, scope: Scope): () => SqlValue;
  /** Registers a window function call (`f(...) OVER (...)`), where windows are allowed. */
  addWindow?(call: FunctionCall, scope: Scope): () => SqlValue;
}

export interface EngineServices {
  readonly store: Store;
  readonly userFunctions: Map<string, UserFunction[]>;
  readonly userAggregates: Map<string, UserAggregate[]>;
  /** Table-valued functions by lower-cased name (src/exec/table-functions.ts). */
  readonly tableFunctions: Map<string, import('./table-functions').UserTableFunction>;
  lastInsertRowid: number | bigint;
  /** Rows changed by the most recent INSERT, UPDATE or DELETE (SQL changes()). */
  lastChanges: number;
  totalChanges: number;
  /** Foreign-key enforcement state (PRAGMA foreign_keys). */
  readonly fk: import('./foreign-keys').ForeignKeyState;
  /** Runs a pragma for the table-valued form `pragma_<name>(arg)`; null when no such pragma. */
  pragmaRows(name: string, arg: SqlValue | null): { columns: string[]; rows: SqlValue[][] } | null;
}

export interface CompileContext {
  readonly env: Env;
  readonly params: ParamRegistry;
  readonly services: EngineServices;
  readonly sql: string;
  /** Compiles a subquery in a child scope; returns a function that runs it and yields its rows. */
  compileSubquery(select: SelectStatement, scope: Scope): SubqueryRunner;
  /** Whether the statement writes (for Statement#readonly). */
  writes: boolean;
  /** The smallest row slot read by expressions compiled so far (subqueries use it to detect correlation). */
  minSlotRead: number;
  /** > 0 while a trigger program compiles (RAISE is allowed only there). */
  triggerDepth: number;
}

export interface SubqueryRunner {
  readonly columnCount: number;
  readonly affinities: readonly (Affinity | null)[];
  /** Runs the subquery, calling `each` per row until it returns false. */
  run(each: (row: SqlValue[]) => boolean): void;
  /** True when the subquery reads no outer slot, so its result can be cached per execution. */
  readonly correlated: boolean;
}

export type ExprCompiler = (expr: Expr, scope: Scope, aggs: AggregateCollector | null) => () => SqlValue;
