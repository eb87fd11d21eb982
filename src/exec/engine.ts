// The engine behind one Database: prepare = parse (sql/) + compile (plan/, exec/) into a
// CompiledStatement; run = execute inside a statement-level savepoint, then autocommit.
//
// Life of a statement: engine.prepare(sql) -> parseNext -> compileProgram (per kind: SelectCompiler,
// compileInsert, ...) -> PreparedStatement. run(params) -> env.params = params -> store.mark() ->
// program.execute() -> on error store.rollbackTo(mark) -> store.autocommit() hands the change set
// to the sink (the redo log, when the database has a path).
import { AmberError } from '../value/amber-error';
import type { SqlValue } from '../value/types';
import { parseNext } from '../sql/parser';
import type { Statement } from '../sql/ast';
import { Store } from '../storage/store';
import type { CompiledStatement, Engine, ParameterSlots, ResultColumnInfo, RowCursor, RunResult, UserAggregate, UserFunction } from './compiled-statement';
import { ParamRegistry, type CompileContext, type EngineServices, type SubqueryRunner } from './compile-context';
import { Env } from './env';
import { SelectCompiler } from './select';
import { compileDelete, compileInsert, compileUpdate, conflictBehaviour, type DmlProgram } from './dml';
import { checkGeneratedExpression, executeAlter, executeCreateIndex, executeCreateTable, executeCreateView, executeDrop } from './ddl';
import { compilePragma, pragmaRows } from './pragma';
import { executeCreateTrigger, raiseBehaviour } from './trigger';
import { ForeignKeyState } from './foreign-keys';
import { checkIndexExpression } from './index-keys';
import { setUserAggregateLookup } from './aggregate-glue';
import type { Scope } from '../plan/scope';

/** A compiled program: what one execution of a statement does. */
export interface Program {
  readonly reader: boolean;
  readonly writes: boolean;
  readonly columns: readonly ResultColumnInfo[];
  /** Transaction-control statements manage the transaction themselves (no savepoint, no autocommit). */
  readonly transactionControl?: boolean;
  /** An error keeps the statement's earlier changes (see DmlProgram.keepsPartialOnError). */
  readonly keepsPartialOnError?: boolean;
  /** Schema statements do not count as changes (changes() keeps the last DML's count). */
  readonly ddl?: boolean;
  /**
   * The program can leave no foreign-key obligation to check at the end of the statement (see
   * DmlProgram.fkFree), so the check is skipped.
   */
  readonly fkFree?: boolean;
  /** See DmlProgram.integerParams. */
  readonly integerParams?: readonly number[];
  /** Runs once; rows go to `each` (readers) until it returns false. Returns rows changed. */
  execute(each: ((row: SqlValue[]) => boolean) | null): number;
}

export interface EngineCreateOptions {
  readonly path?: string | null;
}

export class MemoryEngine implements Engine {
  readonly store = new Store();
  readonly services: EngineServices;
  private closed = false;

  constructor() {
    this.services = {
      store: this.store,
      userFunctions: new Map(),
      userAggregates: new Map(),
      tableFunctions: new Map(),
      lastInsertRowid: 0,
      lastChanges: 0,
      totalChanges: 0,
      pragmaRows: (name, arg) => pragmaRows(this, name, arg),
      fk: new ForeignKeyState(this.store),
    };
  }

  get inTransaction(): boolean {
    return this.store.inTransaction;
  }

  prepare(sql: string, offset = 0): { statement: CompiledStatement | null; end: number } {
    const { statement, end } = parseNext(sql, offset);
    if (statement === null) return { statement: null, end };
    const text = sql.slice(statement.loc.start, statement.loc.end);
    return { statement: new PreparedStatement(this, sql, statement, text), end };
  }

  registerFunction(fn: UserFunction): void {
    const k = fn.name.toLowerCase();
    const list = (this.services.userFunctions.get(k) ?? []).filter((f) => f.argCount !== fn.argCount);
    list.push(fn);
    this.services.userFunctions.set(k, list);
    this.store.schemaVersion++;
  }

  registerAggregate(agg: UserAggregate): void {
    const k = agg.name.toLowerCase();
    const list = (this.services.userAggregates.get(k) ?? []).filter((f) => f.argCount !== agg.argCount);
    list.push(agg);
    this.services.userAggregates.set(k, list);
    this.store.schemaVersion++;
  }

  registerTableFunction(fn: import('./table-functions').UserTableFunction): void {
    this.services.tableFunctions.set(fn.name.toLowerCase(), fn);
    this.store.schemaVersion++;
  }

  close(): void {
    this.closed = true;
  }

  /** Compiles a statement AST into a program bound to `env`. */
  compile(sql: string, stmt: Statement, env: Env, params: ParamRegistry): Program {
    const services = this.services;
    const aggs = services.userAggregates;
    setUserAggregateLookup((name, argc) => aggs.get(name)?.find((a) => a.argCount === argc || a.argCount < 0));
    let select: SelectCompiler;
    const ctx: CompileContext = {
      env,
      params,
      services,
      sql,
      writes: false,
      minSlotRead: Number.MAX_SAFE_INTEGER,
      triggerDepth: 0,
      compileSubquery: (sel, scope) => compileSubquery(ctx, select, sel, scope),
    };
    select = new SelectCompiler(ctx);
    return compileProgram(this, ctx, select, stmt);
  }
}

function compileSubquery(ctx: CompileContext, select: SelectCompiler, sel: import('../sql/ast').SelectStatement, scope: Scope): SubqueryRunner {
  const before = ctx.minSlotRead;
  const firstSlot = scope.slots.next;
  ctx.minSlotRead = Number.MAX_SAFE_INTEGER;
  const q = select.compileNested(sel, scope);
  const correlated = ctx.minSlotRead < firstSlot;
  ctx.minSlotRead = Math.min(before, ctx.minSlotRead);
  return { columnCount: q.columns.length, affinities: q.affinities, correlated, run: (each) => q.run(each) };
}

function compileProgram(engine: MemoryEngine, ctx: CompileContext, select: SelectCompiler, stmt: Statement): Program {
  const store = engine.store;
  const none: ResultColumnInfo[] = [];
  const simple = (writes: boolean, f: () => void): Program => ({ reader: false, writes, ddl: true, columns: none, execute: () => { f(); return 0; } });
  const control = (f: () => void): Program => ({ reader: false, writes: false, columns: none, transactionControl: true, execute: () => { f(); return 0; } });
  switch (stmt.kind) {
    case 'select': {
      const q = select.compileSelect(stmt, null, null);
      return { reader: true, writes: false, columns: q.columns, execute: (each) => { q.run(each ?? (() => true)); return 0; } };
    }
    case 'insert':
      return dmlProgram(select.inStatementCtes(stmt.with, () => compileInsert(ctx, select, stmt)));
    case 'update':
      return dmlProgram(select.inStatementCtes(stmt.with, () => compileUpdate(ctx, select, stmt)));
    case 'delete':
      return dmlProgram(select.inStatementCtes(stmt.with, () => compileDelete(ctx, select, stmt)));
    case 'create-table':
      for (const c of stmt.columns) for (const k of c.constraints) if (k.kind === 'generated') checkGeneratedExpression(k.expr);
      return simple(true, () => executeCreateTable(ctx, select, stmt));
    case 'create-index':
      // What SQLite rejects while preparing (parameters, subqueries, random()) fails at prepare here too.
      if (stmt.where) checkIndexExpression(stmt.where, 'partial index WHERE clauses');
      for (const c of stmt.columns) if (c.expr.kind !== 'column') checkIndexExpression(c.expr, 'index expressions');
      return simple(true, () => executeCreateIndex(ctx, stmt));
    case 'create-view':
      return simple(true, () => executeCreateView(ctx, select, stmt));
    case 'create-trigger':
      return simple(true, () => executeCreateTrigger(ctx, stmt));
    case 'drop':
      return simple(true, () => executeDrop(ctx, stmt));
    case 'alter-table':
      if (stmt.action.kind === 'add-column') for (const k of stmt.action.column.constraints) if (k.kind === 'generated') checkGeneratedExpression(k.expr);
      return simple(true, () => executeAlter(ctx, stmt));
    case 'begin':
      return control(() => store.begin());
    case 'commit':
      return control(() => {
        if (!store.inTransaction) throw new AmberError('cannot commit - no transaction is active');
        // Deferred foreign keys are checked now; on failure the transaction stays open (SQLite).
        engine.services.fk.checkCommit();
        store.commit();
      });
    case 'rollback':
      return control(() => {
        if (stmt.savepoint !== null) {
          if (!store.inTransaction) throw new AmberError(`no such savepoint: ${stmt.savepoint}`);
          store.rollbackToSavepoint(stmt.savepoint);
          return;
        }
        if (!store.inTransaction) throw new AmberError('cannot rollback - no transaction is active');
        store.rollback();
        engine.services.fk.discardTransaction();
      });
    case 'savepoint':
      return control(() => store.savepoint(stmt.name));
    case 'release':
      return control(() => {
        if (!store.inTransaction) throw new AmberError(`no such savepoint: ${stmt.name}`);
        store.release(stmt.name);
      });
    case 'pragma':
      return compilePragma(engine, ctx, stmt);
    case 'explain': {
      if (!stmt.queryPlan) throw new AmberError('EXPLAIN is not supported; use EXPLAIN QUERY PLAN');
      const inner = compileProgram(engine, ctx, select, stmt.statement);
      void inner;
      const lines = select.explain.slice();
      // A line's parent is the nearest line before it one level up (ids start at 2, as SQLite's).
      const parents: number[] = [];
      const lastAt: number[] = [];
      lines.forEach((l, i) => {
        parents.push(l.depth === 0 ? 0 : lastAt[l.depth - 1] ?? 0);
        lastAt[l.depth] = i + 2;
        lastAt.length = l.depth + 1;
      });
      const columns = ['id', 'parent', 'notused', 'detail'].map((name) => ({ name, column: null, table: null, database: null, type: null }));
      return {
        reader: true, writes: false, columns,
        execute: (each) => {
          lines.forEach((l, i) => { if (each) each([i + 2, parents[i]!, 0, l.detail]); });
          return 0;
        },
      };
    }
    case 'reindex':
      return simple(false, () => {
        // Indexes are always in order; REINDEX only has to name something that exists.
        const n = stmt.name?.toLowerCase();
        if (n !== undefined && !store.tables.has(n) && !store.indexes.has(n) && !['binary', 'nocase', 'rtrim'].includes(n)) {
          throw new AmberError('unable to identify the object to be reindexed');
        }
      });
    case 'vacuum':
    case 'analyze':
      return simple(false, () => undefined);
    case 'attach':
    case 'detach':
      throw new AmberError('ATTACH and DETACH are not supported', 'SQLITE_ERROR');
  }
}

/** A write; with RETURNING it is a reader whose rows are produced after all writes (as SQLite). */
function dmlProgram(p: DmlProgram): Program {
  if (p.returning === null) {
    return { reader: false, writes: true, columns: [], keepsPartialOnError: p.keepsPartialOnError, fkFree: p.fkFree, integerParams: p.integerParams, execute: () => p.execute(null) };
  }
  return {
    reader: true,
    writes: true,
    columns: p.returning,
    keepsPartialOnError: p.keepsPartialOnError,
    execute: (each) => {
      const rows: SqlValue[][] = [];
      const n = p.execute(rows);
      if (each) for (const r of rows) if (!each(r)) break;
      return n;
    },
  };
}

function integralSlots(program: Program, count: number): Uint8Array | null {
  const slots = program.integerParams;
  if (slots === undefined || slots.length === 0) return null;
  const out = new Uint8Array(count);
  for (const s of slots) out[s] = 1;
  return out;
}

class PreparedStatement implements CompiledStatement {
  readonly reader: boolean;
  readonly readonly: boolean;
  readonly columns: readonly ResultColumnInfo[];
  readonly parameters: ParameterSlots;
  private program: Program;
  private env = new Env();
  private version: number;
  /**
   * What run() returns, reused by every call: the caller reads it at once (Statement#run copies
   * both fields into the object it hands to the user), so a run allocates no result of its own.
   */
  private readonly result: RunResult = { changes: 0, lastInsertRowid: 0 };
  private integral: Uint8Array | null;

  constructor(
    private readonly engine: MemoryEngine,
    private readonly sql: string,
    private readonly ast: Statement,
    readonly source: string,
  ) {
    const params = new ParamRegistry();
    params.numberInSourceOrder(ast);
    this.program = engine.compile(sql, ast, this.env, params);
    this.version = engine.store.schemaVersion;
    this.reader = this.program.reader;
    this.readonly = !this.program.writes && !this.program.transactionControl && ast.kind !== 'pragma';
    this.columns = this.program.columns;
    this.parameters = { count: params.count, names: params.names };
    this.integral = integralSlots(this.program, params.count);
  }

  /**
   * Per parameter slot, 1 when a JS integer may be bound as is instead of as a REAL (see
   * DmlProgram.integerParams); null when no slot may. Read by the API's binder before every
   * execution (Statement#run): it recompiles first, since a new schema can change the answer.
   */
  integerSlots(): Uint8Array | null {
    this.current();
    return this.integral;
  }

  /** Recompiles when the schema changed since this statement was compiled (SQLite re-prepares too). */
  private current(): Program {
    if (this.version !== this.engine.store.schemaVersion) {
      this.env = new Env();
      const params = new ParamRegistry();
      params.numberInSourceOrder(this.ast);
      this.program = this.engine.compile(this.sql, this.ast, this.env, params);
      this.version = this.engine.store.schemaVersion;
      this.integral = integralSlots(this.program, params.count);
    }
    return this.program;
  }

  private execute(params: readonly SqlValue[], each: ((row: SqlValue[]) => boolean) | null): number {
    const program = this.current();
    const env = this.env;
    const store = this.engine.store;
    const services = this.engine.services;
    env.params = params;
    env.execution++;
    env.nowMs = 0;
    if (program.transactionControl) {
      program.execute(each);
      return 0;
    }
    // SQLite refuses a DML statement on a read-only database when it starts, rows or no rows.
    if (store.readonly && program.writes && !program.ddl) throw new AmberError('attempt to write a readonly database', 'SQLITE_READONLY');
    const mark = store.mark();
    let changes: number;
    try {
      changes = program.execute(each);
      if (program.writes && program.fkFree !== true) services.fk.checkStatement();
    } catch (e) {
      services.fk.discardStatement();
      const behaviour = (e instanceof Error ? conflictBehaviour.get(e) ?? raiseBehaviour.get(e) : undefined) ?? (program.keepsPartialOnError ? 'FAIL' : 'ABORT');
      if (behaviour === 'ROLLBACK') store.rollback();
      else if (behaviour !== 'FAIL') store.rollbackTo(mark);
      if (!store.inTransaction) {
        if (behaviour === 'FAIL') store.commit();
        else store.rollback();
      }
      throw e;
    }
    store.autocommit();
    if (program.writes && !program.ddl) {
      services.lastChanges = changes;
      services.totalChanges += changes;
    }
    return changes;
  }

  run(params: readonly SqlValue[]): RunResult {
    const changes = this.execute(params, null);
    const result = this.result;
    result.changes = changes;
    result.lastInsertRowid = this.engine.services.lastInsertRowid;
    return result;
  }

  iterate(params: readonly SqlValue[]): RowCursor {
    const rows: SqlValue[][] = [];
    this.execute(params, (r) => { rows.push(r); return true; });
    let i = 0;
    return {
      next: () => (i < rows.length ? rows[i++] : undefined),
      close: () => { i = rows.length; },
    };
  }

  /** The first row only (better-sqlite3's `get`): stops the query early. */
  first(params: readonly SqlValue[]): SqlValue[] | undefined {
    let row: SqlValue[] | undefined;
    const stop = !this.program.writes;
    this.execute(params, (r) => {
      if (row === undefined) row = r;
      return !stop;
    });
    return row;
  }
}

export function createEngine(_options?: EngineCreateOptions): Engine {
  return new MemoryEngine();
}
