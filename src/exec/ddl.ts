// CREATE / DROP / ALTER: turn DDL statements into catalog objects (storage/schema.ts) and hand them
// to the Store, which records them for undo and for the redo log (as the statement's SQL text).
import { AmberError } from '../value/amber-error';
import { affinityOfType, type Affinity } from '../value/affinity';
import type { AlterTableStatement, ColumnDef, CreateIndexStatement, CreateTableStatement, CreateViewStatement, DropStatement, Expr, IndexedColumn } from '../sql/ast';
import { ExprCompiler, exprCollation, noSuchColumn, walkExpr } from './compile-expr';
import { checkIndexExpression, indexExtractor, indexScope } from './index-keys';
import { positionOf } from './compile-expr';
import type { ColumnSchema, IndexColumnSchema, IndexSchema, TableSchema } from '../storage/schema';
import type { Table } from '../storage/table';
import type { CompileContext } from './compile-context';
import type { SelectCompiler } from './select';
import { getCollation } from '../value/collation';
import { dropColumn, renameColumn, renameTable } from './alter-column';

function err(msg: string, at?: { loc: { start: number; line: number; column: number } }): AmberError {
  return new AmberError(msg, 'SQLITE_ERROR', at ? positionOf(at) : undefined);
}

/** The statement text as sqlite_schema keeps it: `CREATE <KIND> ` normalized, the rest verbatim. */
export function schemaText(sql: string, stmt: { loc: { start: number; end: number } }, kind: string, name: string): string {
  const text = sql.slice(stmt.loc.start, stmt.loc.end).replace(/;\s*$/, '');
  const re = new RegExp(`^\\s*create\\s+(?:(?:temp|temporary|unique)\\s+)?${kind.replace(' ', '\\s+')}\\s+(?:if\\s+not\\s+exists\\s+)?`, 'i');
  const m = re.exec(text);
  if (!m) return text;
  const unique = /^\s*create\s+unique/i.test(text) ? 'UNIQUE ' : '';
  return `CREATE ${unique}${kind.toUpperCase()} ${text.slice(m[0].length)}`.replace(/\s+$/, '') || `CREATE ${kind} ${name}`;
}

function checkName(name: string, at: { loc: { start: number; line: number; column: number } }): void {
  if (name.toLowerCase().startsWith('sqlite_')) throw err(`object name reserved for internal use: ${name}`, at);
}

function checkFree(ctx: CompileContext, name: string, at: { loc: { start: number; line: number; column: number } }): void {
  const store = ctx.services.store;
  const k = name.toLowerCase();
  if (store.tables.has(k) || store.views.has(k)) throw err(`${store.tables.has(k) ? 'table' : 'view'} ${name} already exists`, at);
  if (store.indexes.has(k)) throw err(`there is already an index named ${name}`, at);
}

function isConstantDefault(e: Expr): boolean {
  let ok = true;
  walkExpr(e, (x) => {
    if (x.kind === 'column' || x.kind === 'subquery' || x.kind === 'exists' || x.kind === 'in' && x.source.kind === 'select' || x.kind === 'param') ok = false;
    return ok;
  });
  return ok;
}

function columnSchema(ctx: CompileContext, def: ColumnDef, pkPosition: number): ColumnSchema {
  const declType = def.type ? (def.type.args.length ? `${def.type.name}(${def.type.args.join(',')})` : def.type.name) : '';
  let notNull = false;
  let defaultSql: string | null = null;
  let collation = 'BINARY';
  let generated: ColumnSchema['generated'] = null;
  for (const c of def.constraints) {
    if (c.kind === 'not-null') notNull = true;
    else if (c.kind === 'default') {
      if (!isConstantDefault(c.expr)) throw err(`default value of column [${def.name}] is not constant`, c);
      defaultSql = ctx.sql.slice(c.expr.loc.start, c.expr.loc.end);
    } else if (c.kind === 'collate') {
      if (!getCollation(c.collation)) throw err(`no such collation sequence: ${c.collation}`, c);
      collation = c.collation.toUpperCase();
    } else if (c.kind === 'generated') {
      checkGeneratedExpression(c.expr);
      generated = { sql: ctx.sql.slice(c.expr.loc.start, c.expr.loc.end), stored: c.stored };
    }
  }
  if (generated) {
    if (defaultSql !== null) throw err('cannot use DEFAULT on a generated column', def);
    if (pkPosition > 0) throw err('generated columns cannot be part of the PRIMARY KEY', def);
  }
  const typeName = def.type ? def.type.name : null;
  return { name: def.name, declType, affinity: affinityOfType(typeName), notNull, defaultSql, collation, pkPosition, hidden: false, ...(generated ? { generated } : {}) };
}

function indexedColumnNames(cols: readonly IndexedColumn[], at: { loc: { start: number; line: number; column: number } }): { name: string; collation: string | null; desc: boolean }[] {
  return cols.map((c) => {
    let e = c.expr;
    let collation = c.collation;
    if (e.kind === 'collate') {
      collation = e.collation;
      e = e.expr;
    }
    if (e.kind !== 'column' || e.table !== null) throw err('expressions prohibited in PRIMARY KEY and UNIQUE constraints', at);
    return { name: e.name, collation, desc: c.direction === 'DESC' };
  });
}

export function executeCreateTable(ctx: CompileContext, select: SelectCompiler, stmt: CreateTableStatement): void {
  const store = ctx.services.store;
  if (stmt.temporary) {
    // One database: TEMP tables live beside the others (they vanish with the connection in SQLite).
  }
  if (store.objectExists(stmt.name)) {
    if (stmt.ifNotExists && (store.tables.has(stmt.name.toLowerCase()) || store.views.has(stmt.name.toLowerCase()))) return;
    checkFree(ctx, stmt.name, stmt);
  }
  checkName(stmt.name, stmt);
  const sqlText = schemaText(ctx.sql, stmt, 'TABLE', stmt.name);
  if (stmt.asSelect) {
    const q = select.compileSelect(stmt.asSelect, null, null);
    const columns: ColumnSchema[] = q.columns.map((c, i) => {
      const aff = q.affinities[i] ?? null;
      const declType = affinityDeclType(aff);
      return { name: uniqueName(c.name, q.columns.slice(0, i).map((x) => x.name)), declType, affinity: affinityOfType(declType), notNull: false, defaultSql: null, collation: 'BINARY', pkPosition: 0, hidden: false };
    });
    const text = `CREATE TABLE ${quoteName(stmt.name)}(${columns.map((c) => `${quoteName(c.name)}${c.declType ? ' ' + c.declType : ''}`).join(',')})`;
    const schema: TableSchema = { type: 'table', name: stmt.name, columns, rowidAlias: -1, autoincrement: false, checks: [], foreignKeys: [], sql: text };
    // Logged as the equivalent plain CREATE TABLE; the rows follow as ordinary puts.
    const table = store.createTable(schema, text);
    const rows: import('../value/types').SqlValue[][] = [];
    q.run((r) => { rows.push(r); return true; });
    let rowid = 0;
    for (const r of rows) store.insert(table, ++rowid, r.map((v, i) => applyAff(v, columns[i]!.affinity)));
    return;
  }
  const seen = new Set<string>();
  for (const c of stmt.columns) {
    const k = c.name.toLowerCase();
    if (seen.has(k)) throw err(`duplicate column name: ${c.name}`, c);
    seen.add(k);
  }
  // PRIMARY KEY: from a column constraint or a table constraint (only one).
  let pk: { cols: { name: string; collation: string | null; desc: boolean }[]; autoincrement: boolean; at: { loc: { start: number; line: number; column: number } } } | null = null;
  const uniques: { cols: { name: string; collation: string | null; desc: boolean }[]; isPk: boolean; onConflict: string | null }[] = [];
  const checks: { name: string | null; sql: string }[] = [];
  for (const c of stmt.columns) {
    for (const k of c.constraints) {
      if (k.kind === 'primary-key') {
        if (pk) throw err(`table "${stmt.name}" has more than one primary key`, k);
        pk = { cols: [{ name: c.name, collation: null, desc: k.direction === 'DESC' }], autoincrement: k.autoincrement, at: k };
        uniques.push({ cols: pk.cols, isPk: true, onConflict: k.onConflict });
      } else if (k.kind === 'unique') uniques.push({ cols: [{ name: c.name, collation: null, desc: false }], isPk: false, onConflict: k.onConflict });
      else if (k.kind === 'check') checks.push({ name: k.name, sql: ctx.sql.slice(k.expr.loc.start, k.expr.loc.end) });
    }
  }
  for (const k of stmt.constraints) {
    if (k.kind === 'primary-key') {
      if (pk) throw err(`table "${stmt.name}" has more than one primary key`, k);
      pk = { cols: indexedColumnNames(k.columns, k), autoincrement: k.autoincrement, at: k };
      uniques.push({ cols: pk.cols, isPk: true, onConflict: k.onConflict });
    } else if (k.kind === 'unique') uniques.push({ cols: indexedColumnNames(k.columns, k), isPk: false, onConflict: k.onConflict });
    else if (k.kind === 'check') checks.push({ name: k.name, sql: ctx.sql.slice(k.expr.loc.start, k.expr.loc.end) });
  }
  const colIndex = (name: string, at: { loc: { start: number; line: number; column: number } }) => {
    const i = stmt.columns.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
    if (i < 0) throw err(`no such column: ${name}`, at);
    return i;
  };
  const pkCols = pk ? pk.cols.map((c) => colIndex(c.name, pk!.at)) : [];
  if (stmt.withoutRowid && !pk) throw err(`PRIMARY KEY missing on table ${stmt.name}`, stmt);
  const columns = stmt.columns.map((c, i) => {
    const col = columnSchema(ctx, c, pkCols.indexOf(i) + 1);
    // WITHOUT ROWID tables enforce NOT NULL on their PRIMARY KEY (rowid tables do not, a SQLite quirk).
    return stmt.withoutRowid && col.pkPosition > 0 ? { ...col, notNull: true } : col;
  });
  let rowidAlias = -1;
  if (pk && pk.cols.length === 1) {
    const c = columns[pkCols[0]!]!;
    const isColumnConstraintDesc = pk.cols[0]!.desc && stmt.columns[pkCols[0]!]!.constraints.some((k) => k.kind === 'primary-key');
    if (c.declType.toUpperCase() === 'INTEGER' && !isColumnConstraintDesc && !stmt.withoutRowid) rowidAlias = pkCols[0]!;
  }
  if (pk?.autoincrement && rowidAlias < 0) throw err('AUTOINCREMENT is only allowed on an INTEGER PRIMARY KEY', pk.at);
  checkGeneratedColumns(stmt.name, columns, stmt);
  // CHECK may read only this table's columns (and its rowid): SQLite refuses anything else now.
  const checkExprs = [...stmt.columns.flatMap((c) => c.constraints), ...stmt.constraints].flatMap((k) => (k.kind === 'check' ? [k.expr] : []));
  for (const e of checkExprs) {
    walkExpr(e, (x) => {
      if (x.kind === 'subquery' || x.kind === 'exists' || x.kind === 'in' && x.source.kind === 'select') throw err('subqueries prohibited in CHECK constraints', x);
      if (x.kind !== 'column') return true;
      const lower = x.name.toLowerCase();
      const known = (x.table === null || x.table.toLowerCase() === stmt.name.toLowerCase()) &&
        (columns.some((c) => c.name.toLowerCase() === lower) || (!stmt.withoutRowid && ['rowid', 'oid', '_rowid_'].includes(lower)));
      if (!known) throw err(noSuchColumn(x), x);
      return true;
    });
  }
  const schema: TableSchema = {
    type: 'table', name: stmt.name, columns, rowidAlias, autoincrement: pk?.autoincrement ?? false, checks, foreignKeys: [], sql: sqlText,
    ...(stmt.withoutRowid ? { withoutRowid: true } : {}),
  };
  const table = store.createTable(schema, sqlText);
  // Automatic indexes for PRIMARY KEY (unless it is the rowid) and UNIQUE, named as SQLite names them.
  let n = 0;
  const made: string[] = [];
  for (const u of uniques) {
    const cols = u.cols.map((c) => colIndex(c.name, stmt));
    if (u.isPk && rowidAlias >= 0) continue;
    const sig = cols.join(',');
    if (made.includes(sig)) continue;
    made.push(sig);
    n++;
    const idx: IndexSchema = {
      type: 'index',
      name: `sqlite_autoindex_${stmt.name}_${n}`,
      table: stmt.name,
      columns: cols.map((c, i): IndexColumnSchema => ({ column: c, exprSql: null, collation: (u.cols[i]!.collation ?? columns[c]!.collation).toUpperCase(), desc: u.cols[i]!.desc })),
      unique: true,
      whereSql: null,
      origin: u.isPk ? 'pk' : 'u',
      sql: null,
    };
    store.createIndex(table, idx, null);
  }
}

/**
 * What SQLite refuses in a generated column's expression whatever the table: subqueries,
 * parameters, functions whose value is not a function of the row. Runs when the statement is
 * prepared (engine.ts), as SQLite's errors come from prepare, and again when it runs.
 */
export function checkGeneratedExpression(e: Expr): void {
  walkExpr(e, (x) => {
    if (x.kind === 'subquery' || x.kind === 'exists' || x.kind === 'in' && x.source.kind === 'select') throw err('subqueries prohibited in generated columns', x);
    if (x.kind === 'call' && NON_DETERMINISTIC.has(x.name.toLowerCase())) throw err('non-deterministic functions prohibited in generated columns', x);
    if (x.kind === 'param') throw err('parameters prohibited in generated columns', x);
    return true;
  });
}

/** Functions SQLite refuses in a generated column (their value is not a function of the row). */
const NON_DETERMINISTIC = new Set(['random', 'randomblob', 'changes', 'total_changes', 'last_insert_rowid', 'sqlite_version']);

/**
 * What SQLite checks of a table's generated columns when it is created (or a column added): one
 * column at least that is not generated, every name an expression reads is a column of the table,
 * and no column's value depends on itself (`generated column loop on "y"`).
 */
function checkGeneratedColumns(tableName: string, columns: readonly ColumnSchema[], at: { loc: { start: number; line: number; column: number } }, prefix = ''): void {
  if (!columns.some((c) => c.generated)) return;
  const fail = (message: string, where: typeof at) => err(prefix + message, where);
  if (columns.every((c) => c.generated)) throw fail('must have at least one non-generated column', at);
  const { parseExpression } = require('../sql/parser') as typeof import('../sql/parser');
  const index = new Map(columns.map((c, i) => [c.name.toLowerCase(), i]));
  const reads = columns.map((c) => {
    const out: number[] = [];
    if (!c.generated) return out;
    walkExpr(parseExpression(c.generated.sql), (x) => {
      if (x.kind !== 'column') return true;
      if (x.table !== null && x.table.toLowerCase() !== tableName.toLowerCase()) throw fail(`no such column: ${x.table}.${x.name}`, at);
      if (x.table !== null) throw fail('the "." operator prohibited in generated columns', at);
      const i = index.get(x.name.toLowerCase());
      // (Not even rowid: SQLite refuses it there.)
      if (i !== undefined) out.push(i);
      else throw fail(`no such column: ${x.name}`, at);
      return true;
    });
    return out;
  });
  // A loop: depth-first from each generated column, reporting the column met again on the path.
  const state = columns.map(() => 0); // 0 unvisited, 1 on the path, 2 done
  // SQLite names the column whose expression reads back into the path (`y AS (z+1), z AS (y+1)`: z).
  const visit = (i: number): void => {
    state[i] = 1;
    for (const j of reads[i]!) {
      if (!columns[j]!.generated || state[j] === 2) continue;
      if (state[j] === 1) throw fail(`generated column loop on "${columns[i]!.name}"`, at);
      visit(j);
    }
    state[i] = 2;
  };
  columns.forEach((c, i) => { if (c.generated && state[i] === 0) visit(i); });
}

function uniqueName(name: string, before: string[]): string {
  let n = name;
  let i = 0;
  const lower = before.map((b) => b.toLowerCase());
  while (lower.includes(n.toLowerCase())) n = `${name}:${++i}`;
  return n;
}

function affinityDeclType(aff: Affinity | null): string {
  switch (aff) {
    case 'INTEGER': return 'INT';
    case 'REAL': return 'REAL';
    case 'TEXT': return 'TEXT';
    case 'NUMERIC': return 'NUM';
    default: return '';
  }
}

function applyAff(v: import('../value/types').SqlValue, aff: Affinity) {
  const { applyAffinity } = require('../value/affinity') as typeof import('../value/affinity');
  return applyAffinity(v, aff);
}

export function quoteName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

export function executeCreateIndex(ctx: CompileContext, stmt: CreateIndexStatement): void {
  const store = ctx.services.store;
  if (store.objectExists(stmt.name)) {
    if (stmt.ifNotExists && store.indexes.has(stmt.name.toLowerCase())) return;
    throw err(store.indexes.has(stmt.name.toLowerCase()) ? `index ${stmt.name} already exists` : `there is already a table named ${stmt.name}`, stmt);
  }
  checkName(stmt.name, stmt);
  const table = store.getTable(stmt.table);
  if (!table) throw err(`no such table: main.${stmt.table}`, stmt);
  const scope = indexScope(table.schema);
  const exprs = new ExprCompiler(ctx);
  if (stmt.where) {
    checkIndexExpression(stmt.where, 'partial index WHERE clauses');
    exprs.compile(stmt.where, scope, null); // reports unknown columns now
  }
  const columns = stmt.columns.map((c): IndexColumnSchema => {
    let e = c.expr;
    let collation = c.collation;
    if (e.kind === 'collate') {
      collation = e.collation;
      e = e.expr;
    }
    if (collation && !getCollation(collation)) throw err(`no such collation sequence: ${collation}`, c);
    if (e.kind === 'column' && e.table === null) {
      const name = e.name.toLowerCase();
      const i = table.schema.columns.findIndex((x) => x.name.toLowerCase() === name);
      if (i < 0) throw err(noSuchColumn(e), c);
      return { column: i, exprSql: null, collation: (collation ?? table.schema.columns[i]!.collation).toUpperCase(), desc: c.direction === 'DESC' };
    }
    // An index on an expression: checked and compiled now, evaluated by the index's extractor.
    checkIndexExpression(e, 'index expressions');
    exprs.compile(e, scope, null);
    const exprCollationName = collation ?? exprCollation(e, scope)?.name ?? 'BINARY';
    return { column: -1, exprSql: ctx.sql.slice(e.loc.start, e.loc.end), collation: exprCollationName.toUpperCase(), desc: c.direction === 'DESC' };
  });
  const sqlText = schemaText(ctx.sql, stmt, 'INDEX', stmt.name);
  const whereSql = stmt.where ? ctx.sql.slice(stmt.where.loc.start, stmt.where.loc.end) : null;
  const schema: IndexSchema = { type: 'index', name: stmt.name, table: table.name, columns, unique: stmt.unique, whereSql, origin: 'c', sql: sqlText };
  const needsExtractor = whereSql !== null || columns.some((c) => c.column < 0);
  const index = store.createIndex(table, schema, sqlText, needsExtractor ? indexExtractor(ctx.services, table, schema) : undefined);
  if (stmt.unique) {
    // Duplicates already present make the index impossible.
    const cur = index.tree.cursor();
    let prev: readonly import('../value/types').SqlValue[] | null = null;
    for (let ok = cur.first(); ok; ok = cur.next()) {
      const k = cur.key().slice(0, columns.length);
      if (prev !== null && !k.includes(null) && index.compare(prev, k) === 0) {
        const names = columns.some((c) => c.column < 0) ? `index '${stmt.name}'` : columns.map((c) => `${table.name}.${table.schema.columns[c.column]!.name}`).join(', ');
        throw new AmberError(`UNIQUE constraint failed: ${names}`, 'SQLITE_CONSTRAINT_UNIQUE');
      }
      prev = k;
    }
  }
}

export function executeCreateView(ctx: CompileContext, select: SelectCompiler, stmt: CreateViewStatement): void {
  const store = ctx.services.store;
  if (store.objectExists(stmt.name)) {
    if (stmt.ifNotExists && store.views.has(stmt.name.toLowerCase())) return;
    checkFree(ctx, stmt.name, stmt);
  }
  checkName(stmt.name, stmt);
  // Compile once to report errors now (unknown tables or columns), as SQLite does.
  const q = select.compileSelect(stmt.select, null, null);
  if (stmt.columns && stmt.columns.length !== q.columns.length) {
    throw err(`expected ${stmt.columns.length} columns for '${stmt.name}' but got ${q.columns.length}`, stmt);
  }
  const sqlText = schemaText(ctx.sql, stmt, 'VIEW', stmt.name);
  store.createView({ type: 'view', name: stmt.name, columns: stmt.columns, selectSql: ctx.sql.slice(stmt.select.loc.start, stmt.select.loc.end), sql: sqlText }, sqlText);
}

export function executeDrop(ctx: CompileContext, stmt: DropStatement): void {
  const store = ctx.services.store;
  const k = stmt.name.toLowerCase();
  const ddl = ctx.sql.slice(stmt.loc.start, stmt.loc.end).replace(/;\s*$/, '');
  switch (stmt.objectType) {
    case 'TABLE': {
      const t = store.tables.get(k);
      if (!t) {
        if (stmt.ifExists) return;
        throw err(`no such table: ${stmt.name}`, stmt);
      }
      store.dropTable(t, ddl);
      return;
    }
    case 'INDEX': {
      const i = store.indexes.get(k);
      if (!i) {
        if (stmt.ifExists) return;
        throw err(`no such index: ${stmt.name}`, stmt);
      }
      if (i.schema.origin !== 'c') throw err('index associated with UNIQUE or PRIMARY KEY constraint cannot be dropped', stmt);
      store.dropIndex(i, ddl);
      return;
    }
    case 'VIEW': {
      if (!store.views.has(k)) {
        if (stmt.ifExists) return;
        if (store.tables.has(k)) throw err(`use DROP TABLE to delete table ${stmt.name}`, stmt);
        throw err(`no such view: ${stmt.name}`, stmt);
      }
      store.dropView(k, ddl);
      return;
    }
    case 'TRIGGER': {
      if (!store.triggers.has(k)) {
        if (stmt.ifExists) return;
        throw err(`no such trigger: ${stmt.name}`, stmt);
      }
      store.dropTrigger(k, ddl);
      return;
    }
  }
}

export function executeAlter(ctx: CompileContext, stmt: AlterTableStatement): void {
  const store = ctx.services.store;
  const action0 = stmt.action;
  const lower = stmt.table.toLowerCase();
  if (['sqlite_master', 'sqlite_schema', 'sqlite_temp_master', 'sqlite_temp_schema', 'sqlite_sequence'].includes(lower) || (lower.startsWith('sqlite_') && store.getTable(lower))) {
    throw err(`table ${stmt.table} may not be altered`, stmt);
  }
  if (store.views.has(lower)) {
    if (action0.kind === 'drop-column') throw err(`cannot drop column from view "${stmt.table}"`, stmt);
    if (action0.kind === 'rename-column') throw err(`cannot rename columns of view "${stmt.table}"`, stmt);
    if (action0.kind === 'add-column') throw err('Cannot add a column to a view', stmt);
  }
  const table: Table | undefined = store.getTable(stmt.table);
  if (!table) throw err(`no such table: ${stmt.table}`, stmt);
  const ddl = ctx.sql.slice(stmt.loc.start, stmt.loc.end).replace(/;\s*$/, '');
  const schema = table.schema;
  const action = stmt.action;
  switch (action.kind) {
    case 'rename-table': {
      if (store.objectExists(action.newName)) throw err(`there is already another table or index with this name: ${action.newName}`, stmt);
      checkName(action.newName, stmt);
      renameTable(store, table, action.newName, ddl);
      return;
    }
    case 'rename-column':
      renameColumn(store, table, action, ddl, ctx.sql, stmt.loc);
      return;
    case 'drop-column':
      dropColumn(store, table, action.column, ddl);
      return;
    case 'add-column': {
      const def = action.column;
      if (schema.columns.some((c) => c.name.toLowerCase() === def.name.toLowerCase())) throw err(`duplicate column name: ${def.name}`, def);
      if (def.constraints.some((c) => c.kind === 'primary-key')) throw err('Cannot add a PRIMARY KEY column', def);
      if (def.constraints.some((c) => c.kind === 'unique')) throw err('Cannot add a UNIQUE column', def);
      const col = columnSchema(ctx, def, 0);
      if (col.generated?.stored) throw err('cannot add a STORED column', def);
      if (col.generated) checkGeneratedColumns(schema.name, [...schema.columns, col], def, `error in table ${schema.name} after add column: `);
      if (col.notNull && col.defaultSql === null && !col.generated) throw err('Cannot add a NOT NULL column with default value NULL', def);
      // Existing rows take the default as one value, so SQLite wants a literal there (a time or an
      // expression would differ per row); an empty table may have any default.
      if (col.defaultSql !== null && table.tree.size > 0 && !isLiteral((require('../sql/parser') as typeof import('../sql/parser')).parseDefault(col.defaultSql))) {
        throw err('Cannot add a column with non-constant default', def);
      }
      const close = schema.sql.lastIndexOf(')');
      const sql = close >= 0 ? `${schema.sql.slice(0, close)}, ${ctx.sql.slice(def.loc.start, def.loc.end)}${schema.sql.slice(close)}` : schema.sql;
      store.alterTableSchema(table, { ...schema, columns: [...schema.columns, col], sql }, ddl);
      // Existing rows get the default value (evaluated once: it is constant).
      const { parseDefault } = require('../sql/parser') as typeof import('../sql/parser');
      let value: import('../value/types').SqlValue = null;
      if (col.defaultSql !== null) {
        const { Scope } = require('../plan/scope') as typeof import('../plan/scope');
        const { ExprCompiler } = require('./compile-expr') as typeof import('./compile-expr');
        value = new ExprCompiler(ctx).compile(parseDefault(col.defaultSql), new Scope(null, { next: 0 }), null)();
        value = applyAff(value, col.affinity);
      }
      const updates: [import('../storage/schema').Rowid, import('../storage/schema').Row][] = [];
      const cur = table.tree.cursor();
      for (let ok = cur.first(); ok; ok = cur.next()) updates.push([cur.key(), cur.value()]);
      if (col.generated) {
        // A VIRTUAL column is computed for the rows already there (NOT NULL checked on each).
        const { RowWriter } = require('./dml') as typeof import('./dml');
        const { SelectCompiler } = require('./select') as typeof import('./select');
        const writer = new RowWriter(ctx, table, new SelectCompiler(ctx), null);
        for (const [id, row] of updates) {
          const next = [...row, null];
          writer.checkRow(next, id, 'ABORT', null);
          store.replace(table, id, row, next);
        }
      } else for (const [id, row] of updates) store.replace(table, id, row, [...row, value]);
      return;
    }
  }
}

/** DEFAULT 5, -5, 'x', x'00', NULL, TRUE: what SQLite accepts as a constant default in ADD COLUMN. */
function isLiteral(e: import('../sql/ast').Expr): boolean {
  if (e.kind === 'unary' && (e.op === '-' || e.op === '+')) return e.operand.kind === 'number';
  return e.kind === 'number' || e.kind === 'string' || e.kind === 'blob' || e.kind === 'null' || e.kind === 'bool';
}
