// INSERT, UPDATE and DELETE: compile once, then per execution find the affected rows, build the
// new rows with column affinity, check constraints in SQLite's order (NOT NULL, CHECK, PRIMARY KEY,
// UNIQUE) and resolve conflicts (ABORT, FAIL, IGNORE, REPLACE, ROLLBACK) before writing through the
// Store, which keeps indexes and the undo log in step.
import { AmberError } from '../value/amber-error';
import { applyAffinity } from '../value/affinity';
import { toBoolean } from '../value/convert';
import { RealBox, type SqlValue } from '../value/types';
import type { ColumnRef, ConflictAction, Expr, Parameter, InsertStatement, UpdateStatement, DeleteStatement, SelectCore, FromItem, ResultColumn, SetClause, UpsertClause, IndexedColumn } from '../sql/ast';
import type { ResultColumnInfo } from './compiled-statement';
import { parseDefault, parseExpression } from '../sql/parser';
import { INTERNAL_ROWID, Scope, type Source } from '../plan/scope';
import { exprKey } from '../plan/expr-key';
import type { Row, Rowid, TableSchema } from '../storage/schema';
import type { SecondaryIndex, Table } from '../storage/table';
import type { CompileContext } from './compile-context';
import { ExprCompiler, noSuchColumn, positionOf, walkExpr } from './compile-expr';
import { foreignKeysOf, type ChildWriter } from './foreign-keys';
import type { Ev } from './env';
import { SelectCompiler, type CompiledQuery } from './select';
import { TriggerSet, type BodyCompiler } from './trigger';
import { compileSequenceInsert, compileSequenceWrite, isSequenceTarget } from './sqlite-sequence';

/** Marks errors whose conflict action asks the engine to keep (FAIL) or drop (ROLLBACK) more than the statement. */
export const conflictBehaviour = new WeakMap<Error, 'FAIL' | 'ROLLBACK' | 'ABORT'>();

function constraintError(msg: string, code: string, action: ConflictAction): AmberError {
  const e = new AmberError(msg, code);
  // REPLACE that cannot replace (NOT NULL without a default, CHECK) aborts, as SQLite does.
  conflictBehaviour.set(e, action === 'FAIL' || action === 'ROLLBACK' ? action : 'ABORT');
  return e;
}

const INT64_MAX = 9223372036854775807n;

/** Row-level write logic shared by INSERT and UPDATE (and by upserts). */
export class RowWriter {
  readonly slot: number;
  private readonly checks: { name: string; ev: Ev }[];
  /** Generated columns in an order where each one's inputs come first. */
  private readonly generated: { column: number; ev: Ev }[];
  readonly hasGenerated: boolean;
  readonly scope: Scope;

  constructor(
    private readonly ctx: CompileContext,
    readonly table: Table,
    select: SelectCompiler,
    parentScope: Scope | null,
  ) {
    const schema = table.schema;
    this.scope = new Scope(parentScope, parentScope ? parentScope.slots : select.rootSlots);
    this.slot = this.scope.allocSlot();
    const source: Source = {
      name: schema.name,
      slot: this.slot,
      columns: schema.columns.map((c) => ({ name: c.name, affinity: c.affinity, collation: c.collation, declType: c.declType || null, table: schema.name, column: c.name })),
      rowidAlias: schema.rowidAlias,
      hasRowid: !schema.withoutRowid,
      internalRowid: true,
    };
    this.scope.add(source);
    this.checks = schema.checks.map((c) => ({
      name: c.name ?? c.sql,
      ev: select.exprs.compile(parseExpression(c.sql), this.scope, null),
    }));
    this.generated = [];
    const placed = new Set<number>();
    const place = (i: number): void => {
      if (placed.has(i)) return;
      placed.add(i);
      const expr = parseExpression(schema.columns[i]!.generated!.sql);
      // Invariant: CREATE TABLE refused loops (checkGeneratedColumns), so this terminates.
      walkExpr(expr, (x) => {
        if (x.kind !== 'column') return true;
        const j = schema.columns.findIndex((c) => c.name.toLowerCase() === x.name.toLowerCase());
        if (j >= 0 && schema.columns[j]!.generated) place(j);
        return true;
      });
      this.generated.push({ column: i, ev: select.exprs.compile(expr, this.scope, null) });
    };
    schema.columns.forEach((c, i) => { if (c.generated) place(i); });
    this.hasGenerated = this.generated.length > 0;
  }

  /** Computes the generated columns of a row about to be written (affinity applied, rowid set). */
  fillGenerated(row: Row, rowid: Rowid): void {
    const env = this.ctx.env;
    const saved = env.rows[this.slot];
    const savedId = env.rowids[this.slot];
    env.rows[this.slot] = row;
    env.rowids[this.slot] = rowid;
    try {
      const cols = this.schema.columns;
      for (const g of this.generated) row[g.column] = applyAffinity(g.ev(), cols[g.column]!.affinity);
    } finally {
      env.rows[this.slot] = saved!;
      env.rowids[this.slot] = savedId!;
    }
  }

  private get schema(): TableSchema {
    return this.table.schema;
  }

  /** A new rowid: one past the largest (AUTOINCREMENT: past the largest ever used). */
  newRowid(): Rowid {
    const t = this.table;
    let max = t.maxRowid();
    if (this.schema.autoincrement && t.sequence > max) max = t.sequence;
    if (typeof max === 'bigint' || max >= Number.MAX_SAFE_INTEGER) {
      const b = BigInt(max);
      if (b >= INT64_MAX) throw new AmberError('database or disk is full', 'SQLITE_FULL');
      const n = b + 1n;
      return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
    }
    return max + 1;
  }

  /** Normalizes a value given for the rowid (or its alias): it must be an integer. */
  rowidFrom(v: SqlValue): Rowid {
    let x = applyAffinity(v, 'INTEGER');
    if (x instanceof RealBox && Number.isSafeInteger(x.value)) x = x.value;
    if (typeof x === 'number' && Number.isInteger(x)) return x;
    if (typeof x === 'bigint') return x;
    throw new AmberError('datatype mismatch', 'SQLITE_MISMATCH');
  }

  qualified(col: number): string {
    return `${this.schema.name}.${this.schema.columns[col]!.name}`;
  }

  /**
   * Checks NOT NULL and CHECK for a candidate row (affinity already applied). Returns false when the
   * row is to be skipped (IGNORE). REPLACE on NOT NULL substitutes the default when there is one.
   */
  checkRow(row: Row, rowid: Rowid, action: ConflictAction, defaults: (Ev | null)[] | null): boolean {
    // Every write path checks its row here first, so generated columns are computed here too.
    if (this.hasGenerated) this.fillGenerated(row, rowid);
    const cols = this.schema.columns;
    for (let i = 0; i < cols.length; i++) {
      const c = cols[i]!;
      if (!c.notNull || row[i] !== null || i === this.schema.rowidAlias) continue;
      if (action === 'IGNORE') return false;
      if (action === 'REPLACE' && defaults && defaults[i]) {
        const d = applyAffinity(defaults[i]!(), c.affinity);
        if (d !== null) {
          row[i] = d;
          continue;
        }
      }
      throw constraintError(`NOT NULL constraint failed: ${this.qualified(i)}`, 'SQLITE_CONSTRAINT_NOTNULL', action);
    }
    if (this.checks.length > 0) {
      const env = this.ctx.env;
      const saved = env.rows[this.slot];
      const savedId = env.rowids[this.slot];
      env.rows[this.slot] = row;
      env.rowids[this.slot] = rowid;
      try {
        for (const c of this.checks) {
          if (toBoolean(c.ev()) === false) {
            if (action === 'IGNORE') return false;
            throw constraintError(`CHECK constraint failed: ${c.name}`, 'SQLITE_CONSTRAINT_CHECK', action);
          }
        }
      } finally {
        env.rows[this.slot] = saved!;
        env.rowids[this.slot] = savedId!;
      }
    }
    return true;
  }

  /** The first row a new row would collide with: on the rowid (index null) or a UNIQUE index. */
  firstConflict(row: Row, rowid: Rowid): { rowid: Rowid; index: SecondaryIndex | null } | null {
    const t = this.table;
    if (t.tree.get(rowid) !== undefined) return { rowid, index: null };
    for (const idx of t.indexes) {
      if (!idx.schema.unique) continue;
      const key = idx.extract(row, rowid);
      if (key === null) continue;
      const other = idx.findConflict(key, null);
      if (other !== null) return { rowid: other, index: idx };
    }
    return null;
  }

  /**
   * Checks the rowid and UNIQUE indexes against other rows. Returns false to skip (IGNORE); with
   * REPLACE deletes the rows in the way. `self` is the row's current rowid for an UPDATE.
   */
  checkUnique(row: Row, rowid: Rowid, self: Rowid | null, action: ConflictAction, freshRowid = false): boolean {
    const t = this.table;
    const store = this.ctx.services.store;
    if (!freshRowid && (self === null || rowid !== self)) {
      const other = t.tree.get(rowid);
      if (other !== undefined) {
        if (action === 'IGNORE') return false;
        if (action === 'REPLACE') {
          this.ctx.services.fk.parentChanging(t, rowid, other, null, childWriter(this.ctx));
          store.remove(t, rowid, other);
        }
        else {
          const alias = this.schema.rowidAlias;
          const name = alias >= 0 ? this.qualified(alias) : `${this.schema.name}.rowid`;
          throw constraintError(`UNIQUE constraint failed: ${name}`, 'SQLITE_CONSTRAINT_PRIMARYKEY', action);
        }
      }
    }
    for (const idx of t.indexes) {
      if (!idx.schema.unique) continue;
      const key = idx.extract(row, rowid);
      if (key === null) continue;
      const conflict = idx.findConflict(key, self);
      if (conflict === null) continue;
      if (action === 'IGNORE') return false;
      if (action === 'REPLACE') {
        let c: Rowid | null = conflict;
        while (c !== null) {
          const gone = t.tree.get(c)!;
          this.ctx.services.fk.parentChanging(t, c, gone, null, childWriter(this.ctx));
          store.remove(t, c, gone);
          c = idx.findConflict(key, self);
        }
        continue;
      }
      const names = idx.schema.columns.map((ic) => (ic.column >= 0 ? this.qualified(ic.column) : `index '${idx.name}'`));
      const code = idx.schema.origin === 'pk' ? 'SQLITE_CONSTRAINT_PRIMARYKEY' : 'SQLITE_CONSTRAINT_UNIQUE';
      const msg = idx.schema.columns.some((ic) => ic.column < 0) ? `UNIQUE constraint failed: index '${idx.name}'` : `UNIQUE constraint failed: ${names.join(', ')}`;
      throw constraintError(msg, code, action);
    }
    return true;
  }
}

/** RETURNING: result columns compiled over the written row's slot, evaluated after each write. */
class Returning {
  readonly columns: ResultColumnInfo[];
  private readonly evs: Ev[];

  constructor(select: SelectCompiler, scope: Scope, clause: readonly ResultColumn[]) {
    const out: { expr: Expr; name: string; info: ResultColumnInfo }[] = [];
    for (const rc of clause) select.expandResultColumn(rc, scope, out);
    this.columns = out.map((o) => o.info);
    this.evs = out.map((o) => select.exprs.compile(o.expr, scope, null));
  }

  /** Evaluates the clause for `row` (placed in the writer's slot). */
  collect(env: CompileContext['env'], slot: number, row: Row, rowid: Rowid, into: SqlValue[][] | null): void {
    if (into === null) return;
    env.rows[slot] = row;
    env.rowids[slot] = rowid;
    into.push(this.evs.map((ev) => ev()));
  }
}

/** SET targets (column index, -1 for the rowid) and the expression computing each. */
function setTargets(schema: TableSchema, sets: readonly SetClause[]): { targets: number[]; exprs: Expr[] } {
  const targets: number[] = [];
  const exprs: Expr[] = [];
  for (const s of sets) {
    const values: readonly Expr[] = s.columns.length === 1 ? [s.value] : s.value.kind === 'row' ? s.value.items : [];
    if (values.length !== s.columns.length) throw new AmberError(`${s.columns.length} columns assigned ${values.length} values`, 'SQLITE_ERROR', positionOf(s));
    s.columns.forEach((name, i) => {
      const lower = name.toLowerCase();
      let c = schema.columns.findIndex((x) => x.name.toLowerCase() === lower);
      if (c < 0 && (lower === 'rowid' || lower === 'oid' || lower === '_rowid_')) c = schema.rowidAlias >= 0 ? schema.rowidAlias : -1;
      else if (c < 0) throw new AmberError(`no such column: ${name}`, 'SQLITE_ERROR', positionOf(s));
      if (c >= 0 && schema.columns[c]!.generated) throw new AmberError(`cannot UPDATE generated column "${schema.columns[c]!.name}"`, 'SQLITE_ERROR', positionOf(s));
      const prev = targets.indexOf(c);
      if (prev >= 0) exprs[prev] = values[i]!;
      else {
        targets.push(c);
        exprs.push(values[i]!);
      }
    });
  }
  return { targets, exprs };
}

function compareRowids(a: Rowid, b: Rowid): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function noSuchTable(ctx: CompileContext, name: string, at: { loc: { start: number; line: number; column: number } }): never {
  if (ctx.services.store.views.has(name.toLowerCase())) throw new AmberError(`cannot modify ${name} because it is a view`, 'SQLITE_ERROR', positionOf(at));
  throw new AmberError(`no such table: ${name}`, 'SQLITE_ERROR', positionOf(at));
}

export interface DmlProgram {
  /** Runs the statement; returns the number of rows changed. RETURNING rows go to `returned`. */
  execute(returned: SqlValue[][] | null): number;
  /** The RETURNING clause's result columns, or null without one. */
  readonly returning: readonly ResultColumnInfo[] | null;
  /**
   * SQLite opens no statement journal for OR IGNORE / OR REPLACE / OR FAIL writes, so an error
   * part-way (a datatype mismatch, say) keeps the rows already written by the statement.
   */
  readonly keepsPartialOnError: boolean;
  /**
   * True when no foreign-key obligation can arise from the statement (no foreign key on the
   * table, no trigger, no upsert, no REPLACE), so the engine skips the end-of-statement check.
   */
  readonly fkFree?: boolean;
  /** 0-based parameter slots that may be bound a JS integer as is (see integerParams). */
  readonly integerParams?: readonly number[];
}

/**
 * Parameter slots whose only use is a bare VALUES item stored into a column of INTEGER or NUMERIC
 * affinity (or the rowid). better-sqlite3 binds every JS number as a REAL, so `run(5)` binds the
 * REAL 5.0 (a RealBox) and the column's affinity turns it into the INTEGER 5 again; for these slots
 * the binder may hand over the safe integer itself and skip both steps: same stored value, no
 * allocation. A slot used anywhere else (twice, in an expression, in RETURNING) is left out,
 * because there the REAL would be observable.
 */
function integerParams(ctx: CompileContext, stmt: InsertStatement, targets: readonly number[], affinities: readonly string[]): number[] {
  const src = stmt.source;
  if (src === null || src.body.kind !== 'values' || src.with !== null || src.orderBy.length > 0 || src.limit !== null) return [];
  const uses = new Map<number, number>();
  const slotOf = (p: Parameter) => ctx.params.slotFor(p.name, p.number, p.loc.start) - 1;
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const x of node) visit(x);
      return;
    }
    if ((node as { kind?: string }).kind === 'param') {
      const slot = slotOf(node as Parameter);
      uses.set(slot, (uses.get(slot) ?? 0) + 1);
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'loc') visit(v);
  };
  visit(stmt);
  const out: number[] = [];
  for (const row of src.body.rows) {
    row.forEach((e, i) => {
      if (e.kind !== 'param') return;
      const slot = slotOf(e);
      const t = targets[i]!;
      const affinity = t < 0 ? 'INTEGER' : affinities[t];
      if (uses.get(slot) === 1 && (affinity === 'INTEGER' || affinity === 'NUMERIC')) out.push(slot);
    });
  }
  return out;
}

/**
 * Whether SQLite would run the statement without a statement journal: IGNORE and FAIL never
 * need one; REPLACE only when nothing can fall back to ABORT (a CHECK constraint, or a NOT NULL
 * column without a default).
 */
function keepsPartial(action: ConflictAction | null, schema: TableSchema): boolean {
  if (action === 'IGNORE' || action === 'FAIL') return true;
  if (action !== 'REPLACE') return false;
  if (schema.checks.length > 0) return false;
  return schema.columns.every((c, i) => !c.notNull || c.defaultSql !== null || i === schema.rowidAlias);
}

/**
 * A function copying the first `n` values of an array into a new array built by an array literal.
 * Why generated: V8 tracks an allocation site per array literal, and when most arrays from a site
 * outlive the young generation (as stored rows do) it pretenures the site: later rows are allocated
 * straight into old space instead of being copied by every scavenge on the way there. `new Array(n)`
 * has no such site. One function (one site) per width, shared by every table of that width.
 */
function rowCopier(n: number): (r: readonly SqlValue[]) => Row {
  let f = rowCopiers.get(n);
  if (f === undefined) {
    const items = Array.from({ length: n }, (_, i) => `r[${i}]`).join(', ');
    f = new Function('r', `return [${items}];`) as (r: readonly SqlValue[]) => Row;
    rowCopiers.set(n, f);
  }
  return f;
}
const rowCopiers = new Map<number, (r: readonly SqlValue[]) => Row>();

export function compileInsert(ctx: CompileContext, select: SelectCompiler, stmt: InsertStatement, outer: Scope | null = null): DmlProgram {
  if (isSequenceTarget(ctx, stmt)) return compileSequenceInsert(ctx, select, stmt);
  const store = ctx.services.store;
  const table = store.getTable(stmt.table) ?? noSuchTable(ctx, stmt.table, stmt);
  const schema = table.schema;
  const ncol = schema.columns.length;
  // Target columns: index into the row, or -1 for the rowid itself.
  let targets: number[];
  if (stmt.columns) {
    targets = stmt.columns.map((name) => {
      const lower = name.toLowerCase();
      const i = schema.columns.findIndex((c) => c.name.toLowerCase() === lower);
      if (i >= 0 && schema.columns[i]!.generated) throw new AmberError(`cannot INSERT into generated column "${schema.columns[i]!.name}"`, 'SQLITE_ERROR', positionOf(stmt));
      if (i >= 0) return i;
      if (lower === 'rowid' || lower === 'oid' || lower === '_rowid_') return schema.rowidAlias >= 0 ? schema.rowidAlias : -1;
      throw new AmberError(`table ${schema.name} has no column named ${name}`, 'SQLITE_ERROR', positionOf(stmt));
    });
  } else targets = schema.columns.map((_, i) => i).filter((i) => !schema.columns[i]!.generated);
  const writer = new RowWriter(ctx, table, select, null);
  const emptyScope = new Scope(null, select.rootSlots);
  // SQLite never uses the DEFAULT of an INTEGER PRIMARY KEY: a missing rowid alias gets a fresh rowid.
  const defaults: (Ev | null)[] = schema.columns.map((c, i) =>
    c.defaultSql === null || i === schema.rowidAlias ? null : select.exprs.compile(parseDefault(c.defaultSql), emptyScope, null));
  const action: ConflictAction = stmt.orAction ?? 'ABORT';

  // Source rows: VALUES compiled per expression, or any SELECT materialized first (it may read the target).
  let source: { values: Ev[][] } | { query: CompiledQuery } | null = null;
  const src = stmt.source;
  const countError = (n: number) =>
    new AmberError(stmt.columns ? `${n} values for ${targets.length} columns` : `table ${schema.name} has ${targets.length} columns but ${n} values were supplied`, 'SQLITE_ERROR', positionOf(stmt));
  if (src) {
    if (src.body.kind === 'values' && src.with === null && src.orderBy.length === 0 && src.limit === null) {
      const scope = new Scope(outer, select.rootSlots);
      source = {
        values: src.body.rows.map((r) => {
          if (r.length !== targets.length) throw countError(r.length);
          return r.map((e) => select.exprs.compile(e, scope, null));
        }),
      };
    } else {
      const q = select.compileNested(src, outer);
      if (q.columns.length !== targets.length) throw countError(q.columns.length);
      source = { query: q };
    }
  }
  const services = ctx.services;
  const alias = schema.rowidAlias;
  const env = ctx.env;
  const returning = stmt.returning ? new Returning(select, writer.scope, stmt.returning) : null;
  const upserts = stmt.upsert.map((u) => compileUpsert(ctx, select, writer, u, stmt.alias));
  let returned: SqlValue[][] | null = null;
  const triggers = new TriggerSet(ctx, select, table, 'INSERT', null, triggerBodyCompiler(ctx, select));

  // Decided once per statement: which columns take their DEFAULT, where an explicit rowid comes from.
  const targetSet = new Set(targets);
  const missing = schema.columns.map((_, i) => i).filter((i) => !targetSet.has(i));
  const rowidTarget = targets.indexOf(-1);
  const affinities = schema.columns.map((c) => c.affinity);
  const hasTriggers = triggers.any;
  const hasForeignKeys = foreignKeysOf(schema).length > 0;

  const insertOne = (values: readonly SqlValue[] | null): number => {
    const row: Row = new Array(ncol);
    if (values) {
      for (let i = 0; i < targets.length; i++) {
        const t = targets[i]!;
        if (t >= 0) row[t] = values[i]!;
      }
      for (let i = 0; i < missing.length; i++) {
        const c = missing[i]!;
        const d = defaults[c];
        row[c] = d ? d() : null;
      }
    } else {
      for (let i = 0; i < ncol; i++) row[i] = defaults[i] ? defaults[i]!() : null;
    }
    const explicitRowid: SqlValue = values && rowidTarget >= 0 ? values[rowidTarget]! : null;
    let rowid: Rowid;
    let fresh = false;
    if (alias >= 0 && row[alias] !== null) rowid = writer.rowidFrom(row[alias]!);
    else if (alias < 0 && explicitRowid !== null) rowid = writer.rowidFrom(explicitRowid);
    else {
      rowid = writer.newRowid();
      fresh = true;
      // AUTOINCREMENT spends the number even if a conflict drops the row later (as SQLite does).
      if (schema.autoincrement && rowid > table.sequence) store.setSequence(table, rowid);
    }
    for (let i = 0; i < ncol; i++) if (i !== alias) row[i] = applyAffinity(row[i]!, affinities[i]!);
    if (alias >= 0) row[alias] = rowid;
    // BEFORE triggers see NEW's generated columns computed (checkRow computes them again after).
    if (writer.hasGenerated && hasTriggers) writer.fillGenerated(row, rowid);
    if (hasTriggers && !triggers.fire('BEFORE', null, 0, row, rowid)) return 0;
    if (!writer.checkRow(row, rowid, action, defaults)) return 0;
    if (upserts.length > 0) {
      // ON CONFLICT: the first uniqueness conflict that a clause's target names decides.
      const conflict = writer.firstConflict(row, rowid);
      if (conflict !== null) {
        const clause = upserts.find((u) => u.matches(conflict.index));
        if (clause) {
          const updated = clause.apply(conflict.rowid, row, rowid);
          if (updated !== null && returning) returning.collect(env, writer.slot, updated.row, updated.rowid, returned);
          return updated === null ? 0 : 1;
        }
      }
    }
    // A fresh rowid is past every other one, so only UNIQUE indexes can conflict.
    if (!writer.checkUnique(row, rowid, null, action, fresh)) return 0;
    store.insert(table, rowid, row);
    if (hasForeignKeys) services.fk.childWritten(table, rowid, row, null);
    if (schema.autoincrement && rowid > table.sequence) store.setSequence(table, rowid);
    services.lastInsertRowid = rowid;
    if (hasTriggers) triggers.fire('AFTER', null, 0, row, rowid);
    if (returning) returning.collect(env, writer.slot, row, rowid, returned);
    return 1;
  };

  // The fast path (the prepared single-row INSERT of better-sqlite3's benchmarks): decided once
  // here, it covers rows that take a fresh rowid on a table without triggers, foreign keys, CHECK
  // constraints, AUTOINCREMENT, upserts or RETURNING. A row it cannot take (an explicit rowid, a
  // NULL for a NOT NULL column, a rowid past 2^53) goes to insertOne, which does everything.
  const notNullTargets: number[] = [];
  const explicitRowidTargets: number[] = [];
  targets.forEach((t, i) => {
    if (t < 0 || t === alias) explicitRowidTargets.push(i);
    else if (schema.columns[t]!.notNull) notNullTargets.push(i);
  });
  const fast =
    upserts.length === 0 && !hasTriggers && !hasForeignKeys && returning === null && schema.checks.length === 0 && !schema.autoincrement && !writer.hasGenerated &&
    // A missing NOT NULL column fails or takes its default (which may be NULL).
    missing.every((c) => c === alias || !schema.columns[c]!.notNull);
  const tree = table.tree;
  const hasUnique = table.indexes.some((idx) => idx.schema.unique);
  const ntargets = targets.length;
  const nmissing = missing.length;
  const rowScratch: SqlValue[] = new Array<SqlValue>(ncol).fill(null);
  const copyRow = rowCopier(ncol);
  const fastInsert = (values: readonly SqlValue[]): number => {
    for (let i = 0; i < explicitRowidTargets.length; i++) if (values[explicitRowidTargets[i]!] !== null) return insertOne(values);
    for (let i = 0; i < notNullTargets.length; i++) if (values[notNullTargets[i]!] === null) return insertOne(values);
    // A fresh rowid is one past the largest (the tail leaf's last key): no descent.
    const last = tree.maxKey();
    let rowid: number;
    if (last === undefined) rowid = 1;
    else if (typeof last === 'number' && last < Number.MAX_SAFE_INTEGER - 1) rowid = last + 1;
    else return insertOne(values);
    const scratch = rowScratch;
    for (let i = 0; i < ntargets; i++) {
      const t = targets[i]!;
      if (t >= 0) scratch[t] = applyAffinity(values[i]!, affinities[t]!);
    }
    for (let i = 0; i < nmissing; i++) {
      const c = missing[i]!;
      const d = defaults[c];
      scratch[c] = d ? applyAffinity(d(), affinities[c]!) : null;
    }
    // Invariant: when the alias is a target its value was NULL (else insertOne took the row).
    if (alias >= 0) scratch[alias] = rowid;
    const row = copyRow(scratch);
    // A fresh rowid is past every other one, so only UNIQUE indexes can conflict.
    if (hasUnique && !writer.checkUnique(row, rowid, null, action, true)) return 0;
    store.insert(table, rowid, row);
    services.lastInsertRowid = rowid;
    return 1;
  };

  const valuesBuffer: SqlValue[] = new Array(targets.length);
  return {
    keepsPartialOnError: keepsPartial(stmt.orAction, schema),
    returning: returning ? returning.columns : null,
    fkFree: !hasForeignKeys && !hasTriggers && upserts.length === 0 && action !== 'REPLACE',
    // Trigger bodies (outer !== null) have no parameters of their own.
    integerParams: outer === null ? integerParams(ctx, stmt, targets, affinities) : [],
    execute(into: SqlValue[][] | null): number {
      returned = into;
      let n = 0;
      if (source === null) return insertOne(null);
      if ('values' in source) {
        const buf = valuesBuffer;
        const rows = source.values;
        for (let j = 0; j < rows.length; j++) {
          const r = rows[j]!;
          for (let i = 0; i < r.length; i++) buf[i] = r[i]!();
          n += fast ? fastInsert(buf) : insertOne(buf);
        }
        return n;
      }
      const rows: SqlValue[][] = [];
      source.query.run((r) => { rows.push(r); return true; });
      for (const r of rows) n += insertOne(r);
      return n;
    },
  };
}

interface CompiledUpsert {
  /** Does this clause handle a conflict on `index` (null: the rowid / INTEGER PRIMARY KEY)? */
  matches(index: SecondaryIndex | null): boolean;
  /** Resolves the conflict with `existing`; returns the updated row, or null when nothing changed. */
  apply(existing: Rowid, proposed: Row, proposedRowid: Rowid): { row: Row; rowid: Rowid } | null;
}

/**
 * One ON CONFLICT clause. DO UPDATE sees the existing row under the table's name and the row
 * that could not be inserted as `excluded`.
 */
function compileUpsert(ctx: CompileContext, select: SelectCompiler, writer: RowWriter, u: UpsertClause, alias: string | null): CompiledUpsert {
  const table = writer.table;
  const schema = table.schema;
  const store = ctx.services.store;
  const env = ctx.env;
  let targetCols: number[] | null = null;
  if (u.target) {
    targetCols = u.target.columns.map((c: IndexedColumn) => {
      let e = c.expr;
      if (e.kind === 'collate') e = e.expr;
      if (e.kind !== 'column') throw new AmberError('ON CONFLICT clause does not match any PRIMARY KEY or UNIQUE constraint', 'SQLITE_ERROR', positionOf(c));
      const name = e.name.toLowerCase();
      const i = schema.columns.findIndex((x) => x.name.toLowerCase() === name);
      if (i < 0) throw new AmberError(noSuchColumn(e), 'SQLITE_ERROR', positionOf(c));
      return i;
    });
    const sig = [...targetCols].sort().join(',');
    const pkMatch = schema.rowidAlias >= 0 && targetCols.length === 1 && targetCols[0] === schema.rowidAlias;
    // A partial unique index matches only a target whose WHERE is its WHERE (SQLite compares
    // the two expressions: `ON CONFLICT (sku) WHERE deleted_at IS NULL`).
    const column = (r: ColumnRef): number | null => {
      const i = schema.columns.findIndex((x) => x.name.toLowerCase() === r.name.toLowerCase());
      return i < 0 ? null : i;
    };
    const targetWhere = u.target.where === null ? null : exprKey(u.target.where, column);
    const whereMatches = (whereSql: string | null): boolean =>
      whereSql === null || (targetWhere !== null && exprKey(parseExpression(whereSql), column) === targetWhere);
    const idxMatch = table.indexes.some((i) => i.schema.unique && whereMatches(i.schema.whereSql) && i.schema.columns.map((c) => c.column).sort().join(',') === sig);
    if (!pkMatch && !idxMatch) throw new AmberError('ON CONFLICT clause does not match any PRIMARY KEY or UNIQUE constraint', 'SQLITE_ERROR', positionOf(u));
  }
  const matches = (index: SecondaryIndex | null): boolean => {
    if (targetCols === null) return true;
    if (index === null) return schema.rowidAlias >= 0 && targetCols.length === 1 && targetCols[0] === schema.rowidAlias;
    const cols = index.schema.columns.map((c) => c.column).sort().join(',');
    return cols === [...targetCols].sort().join(',');
  };
  if (u.action.kind === 'nothing') return { matches, apply: () => null };

  // DO UPDATE: a scope with the existing row (table name or alias) and `excluded`.
  const scope = new Scope(null, select.rootSlots);
  const rowSource = writer.scope.sources[0]!;
  scope.add({ ...rowSource, name: alias ?? rowSource.name });
  const excludedSlot = scope.allocSlot();
  // Unqualified names mean the existing row; `excluded.` must be written out.
  scope.add({ ...rowSource, name: 'excluded', slot: excludedSlot, usingHidden: new Set(rowSource.columns.map((c) => c.name.toLowerCase())) });
  const { targets, exprs } = setTargets(schema, u.action.sets);
  const evs = exprs.map((e) => select.exprs.compile(e, scope, null));
  const where = u.action.where ? select.exprs.compile(u.action.where, scope, null) : null;
  const cols = schema.columns;
  const aliasCol = schema.rowidAlias;
  return {
    matches,
    apply(existing, proposed, proposedRowid) {
      const old = table.tree.get(existing)!;
      env.rows[writer.slot] = old;
      env.rowids[writer.slot] = existing;
      env.rows[excludedSlot] = proposed;
      env.rowids[excludedSlot] = proposedRowid;
      if (where && toBoolean(where()) !== true) return null;
      const row = old.slice();
      let rowid = existing;
      const values = evs.map((ev) => ev());
      for (let i = 0; i < targets.length; i++) {
        const c = targets[i]!;
        if (c < 0 || c === aliasCol) rowid = writer.rowidFrom(values[i]!);
        else row[c] = applyAffinity(values[i]!, cols[c]!.affinity);
      }
      if (aliasCol >= 0) row[aliasCol] = rowid;
      writer.checkRow(row, rowid, 'ABORT', null);
      writer.checkUnique(row, rowid, existing, 'ABORT');
      const fk = ctx.services.fk;
      if (fk.enabled) fk.parentChanging(table, existing, old, row, childWriter(ctx));
      if (rowid !== existing) {
        store.remove(table, existing, old);
        store.insert(table, rowid, row);
      } else store.replace(table, rowid, old, row);
      fk.childWritten(table, rowid, row, rowid === existing ? old : null);
      return { row, rowid };
    },
  };
}

/** Builds `SELECT rowid, <exprs> FROM target [, from] WHERE ...` to find rows to change. */
function targetQuery(ctx: CompileContext, select: SelectCompiler, stmt: UpdateStatement | DeleteStatement, exprs: Expr[], outer: Scope | null): CompiledQuery {
  const loc = stmt.loc;
  // Schema-qualified so that a CTE of the same name does not hide it: the target is always a table.
  const ref: FromItem = { kind: 'table-ref', schema: 'main', name: stmt.table, alias: stmt.alias, indexedBy: stmt.indexedBy, args: null, loc };
  const from: FromItem = stmt.kind === 'update' && stmt.from ? { kind: 'join', joinType: 'INNER', natural: false, left: ref, right: stmt.from, on: null, using: null, loc } : ref;
  const columns: ResultColumn[] = [
    { kind: 'result-expr', expr: { kind: 'column', schema: null, table: stmt.alias ?? stmt.table, name: INTERNAL_ROWID, loc }, alias: null, loc },
    ...exprs.map((e): ResultColumn => ({ kind: 'result-expr', expr: e, alias: null, loc: e.loc })),
  ];
  const core: SelectCore = { kind: 'select-core', distinct: false, columns, from, where: stmt.where, groupBy: [], having: null, windows: [], loc };
  if (stmt.orderBy.length > 0 || stmt.limit) throw new AmberError(`ORDER BY and LIMIT are not supported on ${stmt.kind.toUpperCase()}`, 'SQLITE_ERROR', positionOf(stmt));
  return select.compileNested({ kind: 'select', with: null, body: core, orderBy: [], limit: null, loc }, outer);
}

export function compileUpdate(ctx: CompileContext, select: SelectCompiler, stmt: UpdateStatement, outer: Scope | null = null): DmlProgram {
  if (isSequenceTarget(ctx, stmt)) return compileSequenceWrite(ctx, select, stmt);
  const store = ctx.services.store;
  const table = store.getTable(stmt.table) ?? noSuchTable(ctx, stmt.table, stmt);
  const schema = table.schema;
  const { targets, exprs } = setTargets(schema, stmt.sets);
  const q = targetQuery(ctx, select, stmt, exprs, outer);
  const writer = new RowWriter(ctx, table, select, null);
  const returning = stmt.returning ? new Returning(select, writer.scope, stmt.returning) : null;
  const env = ctx.env;
  const action: ConflictAction = stmt.orAction ?? 'ABORT';
  const alias = schema.rowidAlias;
  const cols = schema.columns;
  const triggers = new TriggerSet(ctx, select, table, 'UPDATE', targets, triggerBodyCompiler(ctx, select));
  return {
    keepsPartialOnError: keepsPartial(stmt.orAction, schema),
    returning: returning ? returning.columns : null,
    execute(into: SqlValue[][] | null): number {
      // Find every target row first (with its new values), then write: the statement never sees its own writes.
      const found: SqlValue[][] = [];
      const seen = new Set<Rowid>();
      q.run((r) => {
        const id = r[0] as Rowid;
        if (!seen.has(id)) {
          seen.add(id);
          found.push(r);
        }
        return true;
      });
      // SQLite collects the target rowids of a multi-row write (a RowSet) and visits them in
      // rowid order, whatever order an index delivered them in: RETURNING shows that order.
      if (!schema.withoutRowid) found.sort((a, b) => compareRowids(a[0] as Rowid, b[0] as Rowid));
      let n = 0;
      for (const r of found) {
        const oldId = r[0] as Rowid;
        const old = table.tree.get(oldId);
        if (old === undefined) continue; // removed by an earlier REPLACE in this statement
        const row = old.slice();
        let rowid = oldId;
        for (let i = 0; i < targets.length; i++) {
          const c = targets[i]!;
          const v = r[i + 1]!;
          if (c < 0 || c === alias) rowid = writer.rowidFrom(v);
          else row[c] = applyAffinity(v, cols[c]!.affinity);
        }
        if (alias >= 0) row[alias] = rowid;
        // BEFORE triggers see NEW's generated columns computed (checkRow computes them again after).
        if (writer.hasGenerated && triggers.any) writer.fillGenerated(row, rowid);
        if (triggers.any && !triggers.fire('BEFORE', old, oldId, row, rowid)) continue;
        if (!writer.checkRow(row, rowid, action, null)) continue;
        if (!writer.checkUnique(row, rowid, oldId, action)) continue;
        const current = table.tree.get(oldId);
        if (current === undefined) continue;
        const fk = ctx.services.fk;
        if (fk.enabled) fk.parentChanging(table, oldId, current, row, childWriter(ctx));
        if (rowid !== oldId) {
          store.remove(table, oldId, current);
          store.insert(table, rowid, row);
        } else store.replace(table, rowid, current, row);
        fk.childWritten(table, rowid, row, rowid === oldId ? current : null);
        if (triggers.any) triggers.fire('AFTER', current, oldId, row, rowid);
        if (returning) returning.collect(env, writer.slot, row, rowid, into);
        n++;
      }
      return n;
    },
  };
}

export function compileDelete(ctx: CompileContext, select: SelectCompiler, stmt: DeleteStatement, outer: Scope | null = null): DmlProgram {
  if (isSequenceTarget(ctx, stmt)) return compileSequenceWrite(ctx, select, stmt);
  const store = ctx.services.store;
  const table = store.getTable(stmt.table) ?? noSuchTable(ctx, stmt.table, stmt);
  const q = targetQuery(ctx, select, stmt, [], outer);
  const writer = stmt.returning ? new RowWriter(ctx, table, select, null) : null;
  const returning = writer && stmt.returning ? new Returning(select, writer.scope, stmt.returning) : null;
  const env = ctx.env;
  const triggers = new TriggerSet(ctx, select, table, 'DELETE', null, triggerBodyCompiler(ctx, select));
  return {
    keepsPartialOnError: false,
    returning: returning ? returning.columns : null,
    execute(into: SqlValue[][] | null): number {
      const ids: Rowid[] = [];
      q.run((r) => { ids.push(r[0] as Rowid); return true; });
      if (!table.schema.withoutRowid) ids.sort(compareRowids); // rowid order, as SQLite's RowSet
      let n = 0;
      for (const id of ids) {
        let row = table.tree.get(id);
        if (row === undefined) continue;
        if (triggers.any) {
          if (!triggers.fire('BEFORE', row, id, null, 0)) continue;
          row = table.tree.get(id);
          if (row === undefined) continue;
        }
        if (ctx.services.fk.enabled) {
          ctx.services.fk.parentChanging(table, id, row, null, childWriter(ctx));
          row = table.tree.get(id);
          if (row === undefined) continue;
        }
        store.remove(table, id, row);
        if (triggers.any) triggers.fire('AFTER', row, id, null, 0);
        if (returning) returning.collect(env, writer!.slot, row, id, into);
        n++;
      }
      return n;
    },
  };
}

/** How trigger bodies compile: each statement runs against the trigger's NEW/OLD scope. */
function triggerBodyCompiler(ctx: CompileContext, select: SelectCompiler): BodyCompiler {
  return (stmt, outer) => {
    switch (stmt.kind) {
      case 'insert': {
        const p = select.inStatementCtes(stmt.with, () => compileInsert(ctx, select, stmt, outer));
        return () => { p.execute(null); };
      }
      case 'update': {
        const p = select.inStatementCtes(stmt.with, () => compileUpdate(ctx, select, stmt, outer));
        return () => { p.execute(null); };
      }
      case 'delete': {
        const p = select.inStatementCtes(stmt.with, () => compileDelete(ctx, select, stmt, outer));
        return () => { p.execute(null); };
      }
      case 'select': {
        const q = select.compileSelect(stmt, outer, null);
        return () => q.run(() => true);
      }
      default:
        throw new AmberError('only INSERT, UPDATE, DELETE and SELECT may appear in a trigger body');
    }
  };
}

/**
 * How foreign-key actions change child rows: CASCADE deletes and updates, SET NULL / SET DEFAULT,
 * each with NOT NULL checked and its own foreign keys followed in turn.
 */
function childWriter(ctx: CompileContext): ChildWriter {
  const store = ctx.services.store;
  const fk = ctx.services.fk;
  const generatedWriters = new Map<Table, RowWriter>();
  const writer: ChildWriter = {
    remove(name, rowid, row) {
      const t = store.getTable(name);
      if (!t || t.tree.get(rowid) === undefined) return;
      fk.parentChanging(t, rowid, row, null, writer);
      store.remove(t, rowid, t.tree.get(rowid)!);
    },
    update(name, rowid, before, after) {
      const t = store.getTable(name);
      if (!t) return;
      const current = t.tree.get(rowid);
      if (current === undefined) return;
      const s = t.schema;
      const row = after.map((v, i) => (i === s.rowidAlias ? v : applyAffinity(v, s.columns[i]!.affinity)));
      if (s.columns.some((c) => c.generated)) {
        // A cascade changed a column that generated ones may read: compute them again.
        let w = generatedWriters.get(t);
        if (!w) generatedWriters.set(t, (w = new RowWriter(ctx, t, new SelectCompiler(ctx), null)));
        w.fillGenerated(row, rowid);
      }
      s.columns.forEach((c, i) => {
        if (c.notNull && row[i] === null && i !== s.rowidAlias) throw new AmberError(`NOT NULL constraint failed: ${s.name}.${c.name}`, 'SQLITE_CONSTRAINT_NOTNULL');
      });
      fk.parentChanging(t, rowid, current, row, writer);
      store.replace(t, rowid, current, row);
      fk.childWritten(t, rowid, row, current);
      void before;
    },
    defaultValue(name, column) {
      const t = store.getTable(name);
      const sql = t?.schema.columns[column]?.defaultSql ?? null;
      if (sql === null) return null;
      return new ExprCompiler(ctx).compile(parseDefault(sql), new Scope(null, { next: 0 }), null)();
    },
  };
  return writer;
}
