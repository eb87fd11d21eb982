// FOREIGN KEY constraints, enforced while `PRAGMA foreign_keys = ON` (SQLite's rules, foreignkeys.html):
//
// - A child row whose key columns are all non-NULL needs a parent row with an equal parent key
//   (the named columns, or the parent's PRIMARY KEY). Violations are counted as obligations and
//   checked when the statement ends (NO ACTION), or at COMMIT for DEFERRABLE INITIALLY DEFERRED.
// - Deleting or re-keying a parent row applies the child's ON DELETE / ON UPDATE action at once:
//   CASCADE, SET NULL and SET DEFAULT change the child rows; RESTRICT fails immediately; NO ACTION
//   records an obligation that no child refers to the old key at the end of the statement.
//
// The constraints are read from each table's CREATE TABLE text (kept in the catalog).
import { AmberError } from '../value/amber-error';
import { applyAffinity } from '../value/affinity';
import { compareValues } from '../value/compare';
import { getCollation } from '../value/collation';
import type { SqlValue } from '../value/types';
import type { CreateTableStatement, ForeignKeyAction } from '../sql/ast';
import { parseNext } from '../sql/parser';
import type { Row, Rowid, TableSchema } from '../storage/schema';
import type { Store } from '../storage/store';
import type { Table } from '../storage/table';

export interface ForeignKey {
  readonly child: string;
  /** Child column indexes. */
  readonly columns: readonly number[];
  readonly parent: string;
  /** Parent column names as written, or null for the parent's PRIMARY KEY. */
  readonly parentColumns: readonly string[] | null;
  readonly onDelete: ForeignKeyAction;
  readonly onUpdate: ForeignKeyAction;
  readonly deferred: boolean;
}

const cache = new WeakMap<TableSchema, ForeignKey[]>();
const NONE: ForeignKey[] = [];

/** The foreign keys declared by a table. */
export function foreignKeysOf(schema: TableSchema): ForeignKey[] {
  let fks = cache.get(schema);
  if (fks) return fks;
  fks = [];
  let stmt: CreateTableStatement | null = null;
  try {
    const parsed = parseNext(schema.sql, 0).statement;
    if (parsed && parsed.kind === 'create-table') stmt = parsed;
  } catch {
    stmt = null;
  }
  const colIndex = (name: string) => schema.columns.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
  if (stmt) {
    stmt.columns.forEach((c) => {
      for (const k of c.constraints) {
        if (k.kind !== 'references') continue;
        fks!.push(make(schema.name, [colIndex(c.name)], k.fk));
      }
    });
    for (const k of stmt.constraints) {
      if (k.kind !== 'foreign-key') continue;
      fks.push(make(schema.name, k.columns.map(colIndex), k.fk));
    }
  }
  cache.set(schema, fks);
  return fks;
}

function make(child: string, columns: number[], fk: import('../sql/ast').ForeignKeyClause): ForeignKey {
  return {
    child,
    columns,
    parent: fk.table,
    parentColumns: fk.columns,
    onDelete: fk.onDelete ?? 'NO ACTION',
    onUpdate: fk.onUpdate ?? 'NO ACTION',
    deferred: fk.deferrable === 'deferred',
  };
}

/** Resolves the parent key columns; throws SQLite's "foreign key mismatch" when they are no key. */
function parentKey(store: Store, fk: ForeignKey): { table: Table; columns: number[] } | null {
  const parent = store.getTable(fk.parent);
  if (!parent) return null;
  const s = parent.schema;
  let cols: number[];
  if (fk.parentColumns === null) {
    cols = s.rowidAlias >= 0 ? [s.rowidAlias] : s.columns.map((c, i) => (c.pkPosition > 0 ? i : -1)).filter((i) => i >= 0);
    if (cols.length === 0) cols = [-1]; // the rowid
  } else {
    cols = fk.parentColumns.map((n) => s.columns.findIndex((c) => c.name.toLowerCase() === n.toLowerCase()));
  }
  const isKey = (cols.length === 1 && (cols[0] === -1 || cols[0] === s.rowidAlias)) ||
    parent.indexes.some((i) => i.schema.unique && i.schema.whereSql === null && sameSet(i.schema.columns.map((c) => c.column), cols));
  if (cols.some((c) => c < -1) || !isKey || cols.length !== fk.columns.length) {
    throw new AmberError(`foreign key mismatch - "${fk.child}" referencing "${fk.parent}"`);
  }
  return { table: parent, columns: cols };
}

function sameSet(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function valueAt(row: Row, rowid: Rowid, col: number): SqlValue {
  return col === -1 ? rowid : row[col]!;
}

/** Does `table` hold a row whose `cols` equal `key` (compared with the parent's affinity and collation)? */
function hasRow(table: Table, cols: readonly number[], key: readonly SqlValue[], exceptRowid: Rowid | null): boolean {
  const s = table.schema;
  const probe = key.map((v, i) => {
    const c = cols[i]!;
    return c < 0 || c === s.rowidAlias ? applyAffinity(v, 'INTEGER') : applyAffinity(v, s.columns[c]!.affinity);
  });
  if (cols.length === 1 && (cols[0] === -1 || cols[0] === s.rowidAlias)) {
    const k = probe[0]!;
    if (typeof k !== 'number' && typeof k !== 'bigint') return false;
    return table.tree.get(k) !== undefined && k !== exceptRowid;
  }
  const colls = cols.map((c) => getCollation(c >= 0 ? s.columns[c]!.collation : 'BINARY'));
  const cur = table.tree.cursor();
  for (let ok = cur.first(); ok; ok = cur.next()) {
    if (cur.key() === exceptRowid) continue;
    const row = cur.value();
    let eq = true;
    for (let i = 0; i < cols.length && eq; i++) {
      const v = valueAt(row, cur.key(), cols[i]!);
      if (v === null || compareValues(v, probe[i]!, colls[i]) !== 0) eq = false;
    }
    if (eq) return true;
  }
  return false;
}

/** Child rows of `fk` whose key equals `key`. */
function childRows(store: Store, fk: ForeignKey, key: readonly SqlValue[]): [Rowid, Row][] {
  const child = store.getTable(fk.child);
  if (!child) return [];
  const out: [Rowid, Row][] = [];
  const cur = child.tree.cursor();
  for (let ok = cur.first(); ok; ok = cur.next()) {
    const row = cur.value();
    let eq = true;
    for (let i = 0; i < fk.columns.length && eq; i++) {
      const v = valueAt(row, cur.key(), fk.columns[i]!);
      if (v === null || compareValues(v, key[i]!) !== 0) eq = false;
    }
    if (eq) out.push([cur.key(), row]);
  }
  return out;
}

type Obligation =
  | { readonly kind: 'child'; readonly fk: ForeignKey; readonly rowid: Rowid }
  | { readonly kind: 'parent'; readonly fk: ForeignKey; readonly key: readonly SqlValue[] };

/** Per-connection foreign-key bookkeeping: obligations of the statement and of the transaction. */
export class ForeignKeyState {
  /** On by default, as in better-sqlite3 (built with SQLITE_DEFAULT_FOREIGN_KEYS=1). */
  enabled = true;
  private statement: Obligation[] = [];
  private deferred: Obligation[] = [];
  private byParent = new Map<string, ForeignKey[]>();
  private byParentVersion = -1;

  constructor(private readonly store: Store) {}

  /** Every foreign key (of any table) that refers to `parent`; cached per schema version. */
  private referencing(parent: string): ForeignKey[] {
    if (this.byParentVersion !== this.store.schemaVersion) {
      this.byParent = new Map();
      for (const t of this.store.tables.values()) {
        for (const fk of foreignKeysOf(t.schema)) {
          const k = fk.parent.toLowerCase();
          const list = this.byParent.get(k);
          if (list) list.push(fk);
          else this.byParent.set(k, [fk]);
        }
      }
      this.byParentVersion = this.store.schemaVersion;
    }
    return this.byParent.get(parent.toLowerCase()) ?? NONE;
  }

  private push(o: Obligation): void {
    (o.fk.deferred && this.store.inTransaction ? this.deferred : this.statement).push(o);
  }

  /** A row was inserted (or its key columns updated) in `table`: its parents must exist. */
  childWritten(table: Table, rowid: Rowid, row: Row, before: Row | null): void {
    if (!this.enabled) return;
    for (const fk of foreignKeysOf(table.schema)) {
      if (before && fk.columns.every((c) => compareValues(valueAt(before, rowid, c), valueAt(row, rowid, c)) === 0 && (valueAt(before, rowid, c) === null) === (valueAt(row, rowid, c) === null))) continue;
      const key = fk.columns.map((c) => valueAt(row, rowid, c));
      if (key.some((v) => v === null)) continue;
      const parent = parentKey(this.store, fk);
      if (parent === null || !hasRow(parent.table, parent.columns, key, null)) this.push({ kind: 'child', fk, rowid });
    }
  }

  /**
   * A parent row is being deleted (after === null) or updated: apply each referencing key's action.
   * `write` performs child changes through the DML layer (so their own constraints apply).
   */
  parentChanging(table: Table, rowid: Rowid, before: Row, after: Row | null, write: ChildWriter): void {
    if (!this.enabled) return;
    for (const fk of this.referencing(table.name)) {
      const parent = parentKey(this.store, fk);
      if (parent === null) continue;
      const oldKey = parent.columns.map((c) => valueAt(before, rowid, c));
      if (oldKey.some((v) => v === null)) continue;
      if (after !== null) {
        const newKey = parent.columns.map((c) => valueAt(after, rowid, c));
        if (newKey.every((v, i) => v !== null && compareValues(v, oldKey[i]!) === 0)) continue;
      }
      const action = after === null ? fk.onDelete : fk.onUpdate;
      const children = childRows(this.store, fk, oldKey);
      if (children.length === 0) continue;
      switch (action) {
        case 'RESTRICT':
          // SQLite implements RESTRICT with trigger machinery and reports it with that code.
          throw new AmberError('FOREIGN KEY constraint failed', 'SQLITE_CONSTRAINT_TRIGGER');
        case 'NO ACTION':
          this.push({ kind: 'parent', fk, key: oldKey });
          break;
        case 'CASCADE':
          for (const [id, row] of children) {
            if (after === null) write.remove(fk.child, id, row);
            else {
              const next = row.slice();
              fk.columns.forEach((c, i) => { next[c] = valueAt(after, rowid, parent.columns[i]!); });
              write.update(fk.child, id, row, next);
            }
          }
          break;
        case 'SET NULL':
        case 'SET DEFAULT':
          for (const [id, row] of children) {
            const next = row.slice();
            for (const c of fk.columns) next[c] = action === 'SET NULL' ? null : write.defaultValue(fk.child, c);
            write.update(fk.child, id, row, next);
          }
          break;
      }
    }
  }

  /** End of a statement: every immediate obligation must hold now. */
  checkStatement(): void {
    const list = this.statement;
    this.statement = [];
    if (!this.enabled) return;
    for (const o of list) if (!this.holds(o)) throw new AmberError('FOREIGN KEY constraint failed', 'SQLITE_CONSTRAINT_FOREIGNKEY');
  }

  /** Forgets the statement's obligations (it failed and was rolled back). */
  discardStatement(): void {
    this.statement = [];
  }

  /** COMMIT: the deferred obligations must hold. */
  checkCommit(): void {
    const list = this.deferred;
    if (!this.enabled) {
      this.deferred = [];
      return;
    }
    for (const o of list) if (!this.holds(o)) throw new AmberError('FOREIGN KEY constraint failed', 'SQLITE_CONSTRAINT_FOREIGNKEY');
    this.deferred = [];
  }

  discardTransaction(): void {
    this.deferred = [];
    this.statement = [];
  }

  private holds(o: Obligation): boolean {
    const parent = parentKey(this.store, o.fk);
    if (o.kind === 'child') {
      const child = this.store.getTable(o.fk.child);
      const row = child?.tree.get(o.rowid);
      if (!child || row === undefined) return true;
      const key = o.fk.columns.map((c) => valueAt(row, o.rowid, c));
      if (key.some((v) => v === null)) return true;
      return parent !== null && hasRow(parent.table, parent.columns, key, null);
    }
    if (parent !== null && hasRow(parent.table, parent.columns, o.key, null)) return true;
    return childRows(this.store, o.fk, o.key).length === 0;
  }
}

/** How the foreign-key layer changes child rows (through the DML layer's checks). */
export interface ChildWriter {
  remove(table: string, rowid: Rowid, row: Row): void;
  update(table: string, rowid: Rowid, before: Row, after: Row): void;
  defaultValue(table: string, column: number): SqlValue;
}
