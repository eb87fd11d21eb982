// ALTER TABLE RENAME TO / RENAME COLUMN / DROP COLUMN: rewrite the stored CREATE texts of every
// catalog object that names the table or column (SQLite's alter.c does the same with its own
// token map), then swap the new catalog objects in. Every swap is undoable, so a failed statement
// or a ROLLBACK restores the old catalog and rows exactly.
//
// Quoting, as SQLite writes it (checked against 3.53): a renamed table is always written `"new"`;
// a renamed column keeps the bare name where the old token was bare and the new name was written
// bare in the ALTER statement, and is written `"new"` otherwise.
import { AmberError } from '../value/amber-error';
import type { AlterTableStatement, CreateTableStatement, Statement } from '../sql/ast';
import { parseNext } from '../sql/parser';
import type { ColumnSchema, IndexColumnSchema, IndexSchema, TableSchema, TriggerSchema, ViewSchema } from '../storage/schema';
import type { Store } from '../storage/store';
import { SecondaryIndex, type Table } from '../storage/table';
import { RefCollector, tokensIn, type ColumnsOf, type NameRef } from './alter-refs';

type Action = AlterTableStatement['action'];

function err(msg: string): AmberError {
  return new AmberError(msg, 'SQLITE_ERROR');
}

const dq = (name: string): string => `"${name.replace(/"/g, '""')}"`;

// ---- undoable catalog edits ----------------------------------------------------------------------
// Store has undoable swaps for tables only; indexes, views and triggers are swapped here through its
// catalog undo hook (kept private to storage so that ordinary statements cannot bypass it).

function onUndo(store: Store, undo: () => void): void {
  store['catalogChanged'](null, undo);
}

function setIndexSchema(store: Store, idx: SecondaryIndex, schema: IndexSchema): void {
  const before = idx.schema;
  const beforeExtract = idx.extract;
  const oldKey = before.name.toLowerCase();
  const newKey = schema.name.toLowerCase();
  const order = store['creationOrder'];
  idx.schema = schema;
  idx.extract = new SecondaryIndex(schema).extract;
  const at = order.indexOf(oldKey);
  if (oldKey !== newKey) {
    store.indexes.delete(oldKey);
    store.indexes.set(newKey, idx);
    if (at >= 0) order[at] = newKey;
  }
  onUndo(store, () => {
    idx.schema = before;
    idx.extract = beforeExtract;
    if (oldKey !== newKey) {
      store.indexes.delete(newKey);
      store.indexes.set(oldKey, idx);
      if (at >= 0) order[at] = oldKey;
    }
  });
}

function setView(store: Store, view: ViewSchema): void {
  const key = view.name.toLowerCase();
  const before = store.views.get(key);
  store.views.set(key, view);
  onUndo(store, () => { if (before) store.views.set(key, before); });
}

function setTrigger(store: Store, trigger: TriggerSchema): void {
  const key = trigger.name.toLowerCase();
  const before = store.triggers.get(key);
  store.triggers.set(key, trigger);
  onUndo(store, () => { if (before) store.triggers.set(key, before); });
}

// ---- reading the catalog ---------------------------------------------------------------------------

function columnsOf(store: Store): ColumnsOf {
  const viewCols = new Map<string, readonly string[]>();
  const f: ColumnsOf = (name) => {
    const t = store.tables.get(name);
    if (t) return { table: true, columns: t.schema.columns.map((c) => c.name) };
    const v = store.views.get(name);
    if (!v) return null;
    if (v.columns) return { table: false, columns: v.columns };
    let cols = viewCols.get(name);
    if (!cols) {
      viewCols.set(name, []); // a view that names itself stops here
      const st = parseNext(v.selectSql, 0).statement;
      cols = st && st.kind === 'select' ? new RefCollector(v.selectSql, f).select(st, []) : [];
      viewCols.set(name, cols);
    }
    return { table: false, columns: cols };
  };
  return f;
}

interface SchemaText {
  readonly type: string;
  readonly name: string;
  readonly sql: string;
  readonly stmt: Statement;
  readonly refs: readonly NameRef[];
}

/** Every catalog object with stored text, parsed, with the names it refers to. */
function schemaTexts(store: Store): SchemaText[] {
  const cols = columnsOf(store);
  const out: SchemaText[] = [];
  for (const o of store.schemaObjects()) {
    if (o.sql === null) continue;
    const stmt = parseNext(o.sql, 0).statement;
    if (stmt === null) continue;
    const c = new RefCollector(o.sql, cols);
    c.statement(stmt);
    out.push({ type: o.type, name: o.name, sql: o.sql, stmt, refs: c.refs });
  }
  return out;
}

function applyEdits(sql: string, edits: readonly { start: number; end: number; text: string }[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  let out = sql;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.end > limit) continue; // the same token found twice
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    limit = e.start;
  }
  return out;
}

/** Generated columns' expressions as the rewritten CREATE TABLE now has them (names renamed). */
function generatedOf(sql: string, stmt: CreateTableStatement, columns: readonly ColumnSchema[]): ColumnSchema[] {
  return columns.map((c, i) => {
    const k = c.generated ? stmt.columns[i]?.constraints.find((x) => x.kind === 'generated') : undefined;
    return k && k.kind === 'generated' ? { ...c, generated: { sql: sql.slice(k.expr.loc.start, k.expr.loc.end), stored: k.stored } } : c;
  });
}

function checksOf(sql: string, stmt: CreateTableStatement): { name: string | null; sql: string }[] {
  const checks: { name: string | null; sql: string }[] = [];
  for (const c of stmt.columns) for (const k of c.constraints) if (k.kind === 'check') checks.push({ name: k.name, sql: sql.slice(k.expr.loc.start, k.expr.loc.end) });
  for (const k of stmt.constraints) if (k.kind === 'check') checks.push({ name: k.name, sql: sql.slice(k.expr.loc.start, k.expr.loc.end) });
  return checks;
}

function parseTable(sql: string): CreateTableStatement {
  const st = parseNext(sql, 0).statement;
  // Invariant: a table's stored text is the CREATE TABLE that made it (or its rewrite here).
  if (st === null || st.kind !== 'create-table') throw new AmberError(`malformed table schema: ${sql}`, 'SQLITE_CORRUPT');
  return st;
}

/** Writes rewritten texts back into the views, triggers and indexes that changed. */
function storeTexts(store: Store, texts: readonly SchemaText[], rewritten: Map<string, string>, renamed?: { from: string; to: string }): void {
  for (const o of texts) {
    const sql = rewritten.get(`${o.type}:${o.name}`);
    if (sql === undefined) continue;
    const key = o.name.toLowerCase();
    if (o.type === 'view') {
      const v = store.views.get(key);
      const st = parseNext(sql, 0).statement;
      if (v && st && st.kind === 'create-view') setView(store, { ...v, sql, selectSql: sql.slice(st.select.loc.start, st.select.loc.end) });
    } else if (o.type === 'trigger') {
      const t = store.triggers.get(key);
      if (t) setTrigger(store, { ...t, sql, table: renamed && t.table.toLowerCase() === renamed.from ? renamed.to : t.table });
    } else if (o.type === 'index') {
      const i = store.indexes.get(key);
      if (i) setIndexSchema(store, i, { ...i.schema, sql });
    }
  }
}

// ---- the three actions ---------------------------------------------------------------------------

export function renameTable(store: Store, table: Table, newName: string, ddl: string): void {
  const oldKey = table.name.toLowerCase();
  const texts = schemaTexts(store);
  const rewritten = new Map<string, string>();
  let tableSql = table.schema.sql;
  for (const o of texts) {
    const edits = o.refs.filter((r) => r.kind === 'table' && r.table === oldKey).map((r) => ({ start: r.start, end: r.end, text: dq(newName) }));
    if (edits.length === 0) continue;
    const sql = applyEdits(o.sql, edits);
    if (o.type === 'table' && o.name.toLowerCase() === oldKey) tableSql = sql;
    else if (o.type === 'table') {
      const other = store.tables.get(o.name.toLowerCase());
      if (other) store.alterTableSchema(other, { ...other.schema, sql }, null);
    } else rewritten.set(`${o.type}:${o.name}`, sql);
  }
  const oldName = table.name;
  // CHECK constraints are compiled from their own text: take them from the rewritten statement,
  // so `"old"."col"` qualifiers follow the rename.
  const renamed = parseTable(tableSql);
  store.alterTableSchema(table, { ...table.schema, name: newName, sql: tableSql, checks: checksOf(tableSql, renamed), columns: generatedOf(tableSql, renamed, table.schema.columns) }, ddl, newName);
  storeTexts(store, texts, rewritten, { from: oldKey, to: newName });
  for (const idx of [...table.indexes]) {
    const name = idx.schema.origin === 'c' ? idx.schema.name : idx.schema.name.replace(`sqlite_autoindex_${oldName}_`, `sqlite_autoindex_${newName}_`);
    setIndexSchema(store, idx, { ...idx.schema, table: newName, name, sql: rewritten.get(`index:${idx.schema.name}`) ?? idx.schema.sql });
  }
}

/** Whether the new name was quoted in the ALTER statement (it is the statement's last token). */
function lastTokenQuoted(sql: string, loc: { start: number; end: number }): boolean {
  const toks = tokensIn(sql, loc.start, loc.end).filter((t) => sql.slice(t.start, t.end) !== ';');
  const last = toks[toks.length - 1];
  return last !== undefined && /^["'`[]/.test(sql[last.start] ?? '');
}

export function renameColumn(store: Store, table: Table, action: Extract<Action, { kind: 'rename-column' }>, ddl: string, alterSql: string, alterLoc: { start: number; end: number }): void {
  const schema = table.schema;
  const k = schema.columns.findIndex((c) => c.name.toLowerCase() === action.column.toLowerCase());
  if (k < 0) throw err(`no such column: "${action.column}"`);
  const dup = schema.columns.findIndex((c, i) => i !== k && c.name.toLowerCase() === action.newName.toLowerCase());
  if (dup >= 0) {
    // SQLite re-parses the rewritten CREATE TABLE: the later of the two definitions is the duplicate.
    throw err(`error in table ${schema.name} after rename: duplicate column name: ${dup > k ? schema.columns[dup]!.name : action.newName}`);
  }
  const quoted = lastTokenQuoted(alterSql, alterLoc);
  const tkey = table.name.toLowerCase();
  const col = schema.columns[k]!.name.toLowerCase();
  const texts = schemaTexts(store);
  const rewritten = new Map<string, string>();
  let tableSql = schema.sql;
  for (const o of texts) {
    const edits = o.refs
      .filter((r) => r.kind === 'column' && r.table === tkey && r.column === col)
      .map((r) => {
        const bare = /^[A-Za-z_\u0080-\uffff]/.test(o.sql[r.start] ?? '');
        return { start: r.start, end: r.end, text: quoted || !bare ? dq(action.newName) : action.newName };
      });
    if (edits.length === 0) continue;
    const sql = applyEdits(o.sql, edits);
    if (o.type === 'table' && o.name.toLowerCase() === tkey) tableSql = sql;
    else if (o.type === 'table') {
      const other = store.tables.get(o.name.toLowerCase());
      if (other) store.alterTableSchema(other, { ...other.schema, sql }, null);
    } else rewritten.set(`${o.type}:${o.name}`, sql);
  }
  const columns = schema.columns.map((c, i) => (i === k ? { ...c, name: action.newName } : c));
  const parsed = parseTable(tableSql);
  store.alterTableSchema(table, { ...schema, columns: generatedOf(tableSql, parsed, columns), sql: tableSql, checks: checksOf(tableSql, parsed) }, ddl);
  storeTexts(store, texts, rewritten);
}

export function dropColumn(store: Store, table: Table, name: string, ddl: string): void {
  const schema = table.schema;
  const k = schema.columns.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
  if (k < 0) throw err(`no such column: "${name}"`);
  const col = schema.columns[k]!;
  if (col.pkPosition > 0) throw err(`cannot drop PRIMARY KEY column: "${name}"`);
  if (table.indexes.some((i) => i.schema.origin === 'u' && i.schema.columns.some((c) => c.column === k))) throw err(`cannot drop UNIQUE column: "${name}"`);
  if (schema.columns.length === 1) throw err(`cannot drop column "${name}": no other columns exist`);

  // The new CREATE TABLE text, cut as SQLite cuts it: from this column's name to the next one's; for
  // the last column, from the comma before it to the end of the column list.
  const stmt = parseTable(schema.sql);
  const sql = schema.sql;
  const def = stmt.columns[k]!;
  const nameStart = def.loc.start;
  let cut: { start: number; end: number };
  const next = stmt.columns[k + 1];
  if (next) cut = { start: nameStart, end: next.loc.start };
  else {
    let start = nameStart;
    while (start > 0 && sql[start] !== ',') start--;
    const endTok = tokensIn(sql, def.loc.end, stmt.loc.end).find((t) => sql[t.start] === ',' || sql[t.start] === ')');
    cut = { start, end: endTok ? endTok.start : def.loc.end };
  }
  const newSql = sql.slice(0, cut.start) + sql.slice(cut.end);
  const newStmt = parseTable(newSql);
  const tkey = table.name.toLowerCase();
  const lower = col.name.toLowerCase();

  // What would no longer compile, in catalog order, with SQLite's messages.
  for (const fk of newStmt.constraints) {
    if (fk.kind === 'foreign-key' && fk.columns.some((c) => c.toLowerCase() === lower)) {
      throw err(`error in table ${schema.name} after drop column: unknown column "${name}" in foreign key definition`);
    }
  }
  const cols = columnsOf(store);
  for (const o of schemaTexts(store)) {
    const isSelf = o.type === 'table' && o.name.toLowerCase() === tkey;
    if (o.type === 'table' && !isSelf) continue;
    let refs = o.refs;
    if (isSelf) {
      const c = new RefCollector(newSql, cols);
      c.selfColumns = schema.columns.map((x) => x.name);
      c.statement(newStmt);
      refs = c.refs;
    }
    const hit = refs.find((r) => r.kind === 'column' && r.table === tkey && r.column === lower);
    if (hit) {
      const where = isSelf ? `table ${o.name}` : `${o.type} ${o.name}`;
      throw err(`error in ${where} after drop column: no such column: ${hit.text}`);
    }
  }

  const columns = schema.columns.filter((_, i) => i !== k);
  const rowidAlias = schema.rowidAlias > k ? schema.rowidAlias - 1 : schema.rowidAlias;
  const newSchema: TableSchema = { ...schema, columns: generatedOf(newSql, newStmt, columns), rowidAlias, sql: newSql, checks: checksOf(newSql, newStmt) };
  // Order matters for the redo log and for undo: the DDL record comes first (replay runs the ALTER,
  // then the puts agree with it); rows are rewritten with the indexes set aside (the index keys do
  // not change: no index uses the dropped column); the indexes' column numbers move last, so that
  // undo restores them before it restores the rows.
  store.alterTableSchema(table, newSchema, ddl);
  const rows: [import('../storage/schema').Rowid, import('../storage/schema').Row][] = [];
  const cur = table.tree.cursor();
  for (let ok = cur.first(); ok; ok = cur.next()) rows.push([cur.key(), cur.value()]);
  const indexes = table.indexes;
  table.indexes = [];
  try {
    for (const [id, row] of rows) store.replace(table, id, row, row.filter((_, i) => i !== k));
  } finally {
    table.indexes = indexes;
  }
  for (const idx of indexes) {
    const shifted = idx.schema.columns.map((c): IndexColumnSchema => (c.column > k ? { ...c, column: c.column - 1 } : c));
    setIndexSchema(store, idx, { ...idx.schema, columns: shifted });
  }
}

