// Triggers: CREATE TRIGGER stores the statement text; a write statement that can fire triggers
// compiles them (lazily, the first time one fires) with NEW and OLD as sources in an outer scope,
// and fires them around each row change: BEFORE, then the change, then AFTER.
//
// As in SQLite with recursive_triggers off (its default), a trigger never fires itself again
// while it is running. RAISE(IGNORE) abandons the row (and the rest of its trigger programs);
// RAISE(ABORT|FAIL|ROLLBACK, msg) fails the statement with SQLITE_CONSTRAINT_TRIGGER.
import { AmberError } from '../value/amber-error';
import { toBoolean, toText } from '../value/convert';
import type { SqlValue } from '../value/types';
import type { CreateTriggerStatement, Statement } from '../sql/ast';
import { parseNext } from '../sql/parser';
import { Scope, type Source } from '../plan/scope';
import type { Row, Rowid } from '../storage/schema';
import type { Table } from '../storage/table';
import type { CompileContext } from './compile-context';
import type { Ev } from './env';
import type { SelectCompiler } from './select';
import { positionOf } from './compile-expr';

export type TriggerEvent = 'INSERT' | 'UPDATE' | 'DELETE';
export type TriggerTiming = 'BEFORE' | 'AFTER' | 'INSTEAD OF';

/** Thrown by RAISE() inside a trigger program; caught where the trigger fires. */
export class RaiseSignal {
  constructor(
    readonly action: 'IGNORE' | 'ROLLBACK' | 'ABORT' | 'FAIL',
    readonly message: string,
  ) {}
}

/** Compiles the statements of a trigger body; provided by the DML compiler (avoids an import cycle). */
export type BodyCompiler = (stmt: Statement, outer: Scope) => () => void;

interface CompiledTrigger {
  readonly when: Ev | null;
  readonly body: (() => void)[];
  readonly newSlot: number;
  readonly oldSlot: number;
}

interface TriggerDef {
  readonly name: string;
  readonly ast: CreateTriggerStatement;
  compiled: CompiledTrigger | null;
}

/** Triggers currently running, per engine store (recursive_triggers is off). */
const running = new WeakMap<object, Set<string>>();

export class TriggerSet {
  private readonly byTiming: Record<TriggerTiming, TriggerDef[]> = { BEFORE: [], AFTER: [], 'INSTEAD OF': [] };

  constructor(
    private readonly ctx: CompileContext,
    private readonly select: SelectCompiler,
    private readonly table: Table | { name: string; schema: { columns: readonly { name: string; affinity: import('../value/affinity').Affinity; collation: string; declType: string }[] } },
    event: TriggerEvent,
    updatedColumns: readonly number[] | null,
    private readonly compileBody: BodyCompiler,
  ) {
    const lower = table.name.toLowerCase();
    for (const t of ctx.services.store.triggers.values()) {
      if (t.table.toLowerCase() !== lower) continue;
      const ast = parseTrigger(t.sql);
      if (ast.event !== event) continue;
      if (event === 'UPDATE' && ast.columns && updatedColumns) {
        const names = new Set(ast.columns.map((c) => c.toLowerCase()));
        if (!updatedColumns.some((c) => c >= 0 && names.has(this.table.schema.columns[c]!.name.toLowerCase()))) continue;
      }
      this.byTiming[ast.timing].push({ name: t.name, ast, compiled: null });
    }
  }

  has(timing: TriggerTiming): boolean {
    return this.byTiming[timing].length > 0;
  }

  get any(): boolean {
    return this.has('BEFORE') || this.has('AFTER') || this.has('INSTEAD OF');
  }

  /** Fires the triggers of one timing for one row; returns false when RAISE(IGNORE) abandons it. */
  fire(timing: TriggerTiming, oldRow: Row | null, oldRowid: Rowid, newRow: Row | null, newRowid: Rowid): boolean {
    const defs = this.byTiming[timing];
    if (defs.length === 0) return true;
    const store = this.ctx.services.store;
    let active = running.get(store);
    if (!active) running.set(store, (active = new Set()));
    const env = this.ctx.env;
    for (const def of defs) {
      if (active.has(def.name)) continue;
      const c = def.compiled ?? (def.compiled = this.compile(def));
      env.rows[c.newSlot] = newRow ?? this.nulls();
      env.rowids[c.newSlot] = newRowid;
      env.rows[c.oldSlot] = oldRow ?? this.nulls();
      env.rowids[c.oldSlot] = oldRowid;
      if (c.when && toBoolean(c.when()) !== true) continue;
      active.add(def.name);
      try {
        for (const run of c.body) {
          // A body statement may fire other triggers that reuse our slots: set them again.
          env.rows[c.newSlot] = newRow ?? this.nulls();
          env.rowids[c.newSlot] = newRowid;
          env.rows[c.oldSlot] = oldRow ?? this.nulls();
          env.rowids[c.oldSlot] = oldRowid;
          run();
        }
      } catch (e) {
        if (e instanceof RaiseSignal) {
          if (e.action === 'IGNORE') return false;
          throw raiseError(e);
        }
        throw e;
      } finally {
        active.delete(def.name);
      }
    }
    return true;
  }

  private nulls(): Row {
    return new Array<SqlValue>(this.table.schema.columns.length).fill(null);
  }

  private compile(def: TriggerDef): CompiledTrigger {
    const scope = new Scope(null, this.select.rootSlots);
    const columns = this.table.schema.columns.map((c) => ({
      name: c.name, affinity: c.affinity, collation: c.collation, declType: c.declType || null, table: this.table.name, column: c.name,
    }));
    const rowidAlias = 'rowidAlias' in this.table.schema ? (this.table.schema as { rowidAlias: number }).rowidAlias : -1;
    const newSlot = scope.allocSlot();
    const oldSlot = scope.allocSlot();
    const event = def.ast.event;
    if (event !== 'DELETE') scope.add(pseudo('new', newSlot, columns, rowidAlias));
    if (event !== 'INSERT') scope.add(pseudo('old', oldSlot, columns, rowidAlias));
    this.ctx.triggerDepth++;
    try {
      const when = def.ast.when ? this.select.exprs.compile(def.ast.when, scope, null) : null;
      const body = def.ast.body.map((stmt) => this.compileBody(stmt, scope));
      return { when, body, newSlot, oldSlot };
    } finally {
      this.ctx.triggerDepth--;
    }
  }
}

function pseudo(name: string, slot: number, columns: Source['columns'], rowidAlias: number): Source {
  return { name, slot, columns, rowidAlias, hasRowid: true };
}

function raiseError(e: RaiseSignal): AmberError {
  const err = new AmberError(e.message, 'SQLITE_CONSTRAINT_TRIGGER');
  if (e.action === 'FAIL' || e.action === 'ROLLBACK') raiseBehaviour.set(err, e.action);
  return err;
}

/** Conflict behaviour of RAISE(FAIL) / RAISE(ROLLBACK) errors (the engine reads it like constraint errors). */
export const raiseBehaviour = new WeakMap<Error, 'FAIL' | 'ROLLBACK'>();

export function parseTrigger(sql: string): CreateTriggerStatement {
  const { statement } = parseNext(sql, 0);
  if (statement === null || statement.kind !== 'create-trigger') throw new AmberError(`malformed trigger: ${sql}`, 'SQLITE_CORRUPT');
  return statement;
}

/** CREATE TRIGGER: checks the names and stores the statement text. */
export function executeCreateTrigger(ctx: CompileContext, stmt: CreateTriggerStatement): void {
  const store = ctx.services.store;
  const key = stmt.name.toLowerCase();
  if (store.triggers.has(key)) {
    if (stmt.ifNotExists) return;
    throw new AmberError(`trigger ${stmt.name} already exists`, 'SQLITE_ERROR', positionOf(stmt));
  }
  const table = store.getTable(stmt.table);
  const view = store.views.get(stmt.table.toLowerCase());
  if (!table && !view) throw new AmberError(`no such table: main.${stmt.table}`, 'SQLITE_ERROR', positionOf(stmt));
  if (table && stmt.timing === 'INSTEAD OF') throw new AmberError(`cannot create INSTEAD OF trigger on table: ${stmt.table}`, 'SQLITE_ERROR', positionOf(stmt));
  if (view && stmt.timing !== 'INSTEAD OF') {
    throw new AmberError(`cannot create ${stmt.timing} trigger on view: main.${stmt.table}`, 'SQLITE_ERROR', positionOf(stmt));
  }
  if (stmt.table.toLowerCase().startsWith('sqlite_')) throw new AmberError('cannot create trigger on system table', 'SQLITE_ERROR', positionOf(stmt));
  const text = ctx.sql.slice(stmt.loc.start, stmt.loc.end).replace(/;\s*$/, '');
  const sql = text.replace(/^\s*create\s+(?:temp\s+|temporary\s+)?trigger\s+(?:if\s+not\s+exists\s+)?/i, 'CREATE TRIGGER ');
  store.createTrigger({ type: 'trigger', name: stmt.name, table: table ? table.name : view!.name, sql }, sql);
}

/** RAISE(...) compiled: throws the signal the firing site catches. */
export function compileRaise(action: RaiseSignal['action'], message: Ev | null): Ev {
  return () => {
    const m = message ? toText(message()) ?? '' : '';
    throw new RaiseSignal(action, m);
  };
}
