// The database in memory: catalog, tables, indexes, and the undo log that makes statements and
// transactions atomic. Every change to a table goes through insert/remove/replace here, so index
// maintenance, undo and the change sink (the redo log's source) can never be bypassed.
//
// Transactions: `undo` records each change with the row before and after. A statement marks the
// undo length when it starts and rolls back to the mark if it fails; SAVEPOINTs are named marks;
// COMMIT hands the change set to the sink and clears the log. Outside an explicit transaction each
// statement commits on its own (autocommit).
import { AmberError } from '../value/amber-error';
import { SecondaryIndex, Table } from './table';
import type { IndexSchema, Row, Rowid, TableSchema, TriggerSchema, ViewSchema } from './schema';

export type ChangeRecord =
  | { readonly kind: 'put'; readonly table: string; readonly rowid: Rowid; readonly row: Row }
  | { readonly kind: 'delete'; readonly table: string; readonly rowid: Rowid }
  | { readonly kind: 'ddl'; readonly sql: string }
  | { readonly kind: 'sequence'; readonly table: string; readonly value: Rowid };

/** Receives each committed transaction's changes (the durability layer connects the redo log). */
export interface ChangeSink {
  commit(changes: readonly ChangeRecord[]): void;
}

const ROW = 0;
const CATALOG = 1;
const SEQUENCE = 2;

/**
 * One undo-log record. Records are pooled: the log keeps its record objects between transactions
 * and overwrites their fields, so an autocommit insert or a 100-row transaction allocates no
 * undo record at all (the insert path was GC-bound; see bench/README.md). One class for all three
 * kinds keeps every access monomorphic.
 *   ROW       table/name/rowid, `before` and `after` (null for an insert / a delete)
 *   CATALOG   `ddl` (null: not logged) and `revert`
 *   SEQUENCE  table/name and the previous high-water mark in `rowid`
 * `name` is the table's name when the change was made: a later ALTER TABLE RENAME in the same
 * transaction must not relabel it (the redo log replays records in order, before the rename).
 * Invariant: records at index >= undoLen hold no references (cleared when released), so the pool
 * never keeps a deleted row or a dropped table alive.
 */
class UndoRecord {
  kind = ROW;
  table: Table | null = null;
  name = '';
  rowid: Rowid = 0;
  before: Row | null = null;
  after: Row | null = null;
  ddl: string | null = null;
  revert: (() => void) | null = null;
}

/** A transaction larger than this gives its pooled records back to the GC when it ends. */
const MAX_POOLED_UNDO = 4096;

export type CatalogObject = Table | SecondaryIndex | ViewSchema | TriggerSchema;

const NO_CHANGES: readonly ChangeRecord[] = [];

export class Store {
  readonly tables = new Map<string, Table>();
  readonly indexes = new Map<string, SecondaryIndex>();
  readonly views = new Map<string, ViewSchema>();
  readonly triggers = new Map<string, TriggerSchema>();
  /** Bumped by every catalog change; prepared statements recompile when it moved. */
  schemaVersion = 0;
  /** Order in which objects were created (sqlite_schema lists them in this order). */
  private creationOrder: string[] = [];

  /** Records [0, undoLen) are the live log; the rest are pooled (see UndoRecord). */
  private undo: UndoRecord[] = [];
  private undoLen = 0;
  private savepoints: { name: string; mark: number }[] = [];
  /** True inside BEGIN ... COMMIT (or a SAVEPOINT opened outside a transaction). */
  explicitTransaction = false;
  /** True when the transaction was opened by a SAVEPOINT (RELEASE of the outermost commits it). */
  private savepointOpened = false;
  sink: ChangeSink | null = null;
  /**
   * A read-only database (opened with `readonly`): every change is refused before it touches
   * anything, as SQLite refuses the statement — not at COMMIT, where an explicit transaction would
   * have shown its own writes first.
   */
  readonly = false;

  // ---- catalog --------------------------------------------------------------------------

  getTable(name: string): Table | undefined {
    return this.tables.get(name.toLowerCase());
  }

  objectExists(name: string): boolean {
    const k = name.toLowerCase();
    return this.tables.has(k) || this.indexes.has(k) || this.views.has(k) || this.triggers.has(k);
  }

  /** Catalog entries in creation order, for sqlite_schema. */
  schemaObjects(): { type: string; name: string; tblName: string; sql: string | null }[] {
    const out: { type: string; name: string; tblName: string; sql: string | null }[] = [];
    for (const k of this.creationOrder) {
      const t = this.tables.get(k);
      if (t) out.push({ type: 'table', name: t.name, tblName: t.name, sql: t.schema.sql });
      const i = this.indexes.get(k);
      if (i) out.push({ type: 'index', name: i.name, tblName: i.schema.table, sql: i.schema.sql });
      const v = this.views.get(k);
      if (v) out.push({ type: 'view', name: v.name, tblName: v.name, sql: v.sql });
      const tr = this.triggers.get(k);
      if (tr) out.push({ type: 'trigger', name: tr.name, tblName: tr.table, sql: tr.sql });
    }
    return out;
  }

  private writable(): void {
    if (this.readonly) throw new AmberError('attempt to write a readonly database', 'SQLITE_READONLY');
  }

  private catalogChanged(ddl: string | null, undo: () => void): void {
    this.schemaVersion++;
    const e = this.record(CATALOG, null, '');
    e.ddl = ddl;
    e.revert = () => { undo(); this.schemaVersion++; };
  }
  /**
   * A database setting changed (PRAGMA user_version, application_id): undone on rollback and
   * handed to the sink as the SQL that sets it — a `ddl` record, replayed by recovery like one.
   */
  settingChanged(sql: string, undo: () => void): void {
    this.writable();
    this.catalogChanged(sql, undo);
  }


  private addToOrder(key: string): void {
    this.creationOrder.push(key);
  }
  private removeFromOrder(key: string): () => void {
    const at = this.creationOrder.indexOf(key);
    if (at >= 0) this.creationOrder.splice(at, 1);
    return () => { if (at >= 0) this.creationOrder.splice(at, 0, key); };
  }

  createTable(schema: TableSchema, ddl: string | null): Table {
    this.writable();
    const key = schema.name.toLowerCase();
    const table = new Table(schema);
    this.tables.set(key, table);
    this.addToOrder(key);
    this.catalogChanged(ddl, () => { this.tables.delete(key); this.removeFromOrder(key); });
    return table;
  }

  createIndex(table: Table, schema: IndexSchema, ddl: string | null, extract?: SecondaryIndex['extract']): SecondaryIndex {
    this.writable();
    const key = schema.name.toLowerCase();
    const index = new SecondaryIndex(schema);
    if (extract) index.extract = extract;
    // Build from the table's rows (sorted by key, then bulk-loaded would be faster; insert is fine for v1).
    const cur = table.tree.cursor();
    for (let ok = cur.first(); ok; ok = cur.next()) {
      const k = index.entryKey(cur.value(), cur.key());
      if (k !== null) index.tree.set(k, cur.key());
    }
    this.indexes.set(key, index);
    table.indexes.push(index);
    this.addToOrder(key);
    this.catalogChanged(ddl, () => {
      this.indexes.delete(key);
      table.indexes = table.indexes.filter((i) => i !== index);
      this.removeFromOrder(key);
    });
    return index;
  }

  dropIndex(index: SecondaryIndex, ddl: string | null): void {
    this.writable();
    const key = index.name.toLowerCase();
    const table = this.getTable(index.schema.table);
    this.indexes.delete(key);
    const before = table ? table.indexes : [];
    if (table) table.indexes = table.indexes.filter((i) => i !== index);
    const restoreOrder = this.removeFromOrder(key);
    this.catalogChanged(ddl, () => {
      this.indexes.set(key, index);
      if (table) table.indexes = before;
      restoreOrder();
    });
  }

  dropTable(table: Table, ddl: string | null): void {
    this.writable();
    for (const idx of [...table.indexes]) this.dropIndex(idx, null);
    for (const [k, tr] of [...this.triggers]) {
      if (tr.table.toLowerCase() === table.name.toLowerCase()) this.dropTrigger(k, null);
    }
    const key = table.name.toLowerCase();
    this.tables.delete(key);
    const restoreOrder = this.removeFromOrder(key);
    this.catalogChanged(ddl, () => { this.tables.set(key, table); restoreOrder(); });
  }

  createView(view: ViewSchema, ddl: string | null): void {
    this.writable();
    const key = view.name.toLowerCase();
    this.views.set(key, view);
    this.addToOrder(key);
    this.catalogChanged(ddl, () => { this.views.delete(key); this.removeFromOrder(key); });
  }

  dropView(name: string, ddl: string | null): void {
    this.writable();
    const key = name.toLowerCase();
    const view = this.views.get(key);
    if (!view) return;
    this.views.delete(key);
    const restoreOrder = this.removeFromOrder(key);
    this.catalogChanged(ddl, () => { this.views.set(key, view); restoreOrder(); });
  }

  createTrigger(trigger: TriggerSchema, ddl: string | null): void {
    this.writable();
    const key = trigger.name.toLowerCase();
    this.triggers.set(key, trigger);
    this.addToOrder(key);
    this.catalogChanged(ddl, () => { this.triggers.delete(key); this.removeFromOrder(key); });
  }

  dropTrigger(name: string, ddl: string | null): void {
    this.writable();
    const key = name.toLowerCase();
    const trigger = this.triggers.get(key);
    if (!trigger) return;
    this.triggers.delete(key);
    const restoreOrder = this.removeFromOrder(key);
    this.catalogChanged(ddl, () => { this.triggers.set(key, trigger); restoreOrder(); });
  }

  /** Replaces a table's schema in place (ALTER TABLE); rows are rewritten by the caller. */
  alterTableSchema(table: Table, schema: TableSchema, ddl: string | null, newName?: string): void {
    this.writable();
    const before = table.schema;
    const oldKey = before.name.toLowerCase();
    table.schema = schema;
    if (newName !== undefined) {
      const newKey = newName.toLowerCase();
      this.tables.delete(oldKey);
      this.tables.set(newKey, table);
      const at = this.creationOrder.indexOf(oldKey);
      if (at >= 0) this.creationOrder[at] = newKey;
      this.catalogChanged(ddl, () => {
        this.tables.delete(newKey);
        this.tables.set(oldKey, table);
        if (at >= 0) this.creationOrder[at] = oldKey;
        table.schema = before;
      });
    } else {
      this.catalogChanged(ddl, () => { table.schema = before; });
    }
  }

  // ---- rows -------------------------------------------------------------------------------

  /** Inserts a row under a rowid that must be free. Constraint checks are the caller's. */
  insert(table: Table, rowid: Rowid, row: Row): void {
    this.writable();
    const indexes = table.indexes;
    for (let i = 0; i < indexes.length; i++) {
      const idx = indexes[i]!;
      const k = idx.entryKey(row, rowid);
      if (k !== null) idx.tree.set(k, rowid);
    }
    table.tree.set(rowid, row);
    const e = this.record(ROW, table, table.name);
    e.rowid = rowid;
    e.after = row;
  }

  remove(table: Table, rowid: Rowid, row: Row): void {
    this.writable();
    const indexes = table.indexes;
    for (let i = 0; i < indexes.length; i++) {
      const idx = indexes[i]!;
      const k = idx.entryKey(row, rowid);
      if (k !== null) idx.tree.delete(k);
    }
    table.tree.delete(rowid);
    const e = this.record(ROW, table, table.name);
    e.rowid = rowid;
    e.before = row;
  }

  /** Replaces the row stored under `rowid` (same rowid). */
  replace(table: Table, rowid: Rowid, before: Row, after: Row): void {
    this.writable();
    const indexes = table.indexes;
    for (let i = 0; i < indexes.length; i++) {
      const idx = indexes[i]!;
      const ko = idx.entryKey(before, rowid);
      const kn = idx.entryKey(after, rowid);
      if (ko !== null && kn !== null && idx.compare(ko, kn) === 0) continue;
      if (ko !== null) idx.tree.delete(ko);
      if (kn !== null) idx.tree.set(kn, rowid);
    }
    table.tree.set(rowid, after);
    const e = this.record(ROW, table, table.name);
    e.rowid = rowid;
    e.before = before;
    e.after = after;
  }

  setSequence(table: Table, value: Rowid): void {
    this.writable();
    const e = this.record(SEQUENCE, table, table.name);
    e.rowid = table.sequence;
    table.sequence = value;
  }

  /** Puts a row without undo or sink (recovery and snapshot loading only). */
  loadRow(table: Table, rowid: Rowid, row: Row): void {
    // No indexes (recovery detaches them): the old row is not needed, and set() replaces in place
    // or appends to the tail leaf without the descent that get() would pay for every row.
    if (table.indexes.length === 0) {
      table.tree.set(rowid, row);
      return;
    }
    const old = table.tree.get(rowid);
    if (old !== undefined) {
      for (const idx of table.indexes) {
        const k = idx.entryKey(old, rowid);
        if (k !== null) idx.tree.delete(k);
      }
    }
    for (const idx of table.indexes) {
      const k = idx.entryKey(row, rowid);
      if (k !== null) idx.tree.set(k, rowid);
    }
    table.tree.set(rowid, row);
  }

  /**
   * Loads many rows without undo or sink (recovery reading a snapshot): into an empty table
   * without indexes, rows in strictly ascending rowid order are bulk-built in O(n) (BTree.loadSorted),
   * no per-row descent or node splits; otherwise each goes through loadRow (same result: last wins).
   */
  loadRows(table: Table, rowids: readonly Rowid[], rows: readonly Row[]): void {
    if (table.tree.size === 0 && table.indexes.length === 0) {
      try {
        table.tree.loadSorted(rowids, rows);
        return;
      } catch (e) {
        if (!(e instanceof RangeError)) throw e; // not ascending: the tree was left empty
      }
    }
    for (let i = 0; i < rowids.length; i++) this.loadRow(table, rowids[i]!, rows[i]!);
  }

  /** Removes a row without undo or sink (recovery replaying a delete; absent is fine). */
  unloadRow(table: Table, rowid: Rowid): void {
    const old = table.tree.get(rowid);
    if (old === undefined) return;
    for (const idx of table.indexes) {
      const k = idx.entryKey(old, rowid);
      if (k !== null) idx.tree.delete(k);
    }
    table.tree.delete(rowid);
  }

  // ---- transactions -----------------------------------------------------------------------

  get inTransaction(): boolean {
    return this.explicitTransaction;
  }

  mark(): number {
    return this.undoLen;
  }

  /** Appends a record to the undo log, reusing a pooled one when there is one. */
  private record(kind: number, table: Table | null, name: string): UndoRecord {
    const undo = this.undo;
    const at = this.undoLen++;
    let e = undo[at];
    if (e === undefined) {
      e = new UndoRecord();
      undo.push(e);
    }
    e.kind = kind;
    e.table = table;
    e.name = name;
    return e;
  }

  /** Drops every reference a released record holds (the pool invariant). */
  private static clearRecord(e: UndoRecord): void {
    e.table = null;
    e.before = null;
    e.after = null;
    e.ddl = null;
    e.revert = null;
  }

  /** Empties the log; a very large transaction's records go back to the GC instead of the pool. */
  private resetUndo(): void {
    const n = this.undoLen;
    this.undoLen = 0;
    if (n > MAX_POOLED_UNDO) {
      this.undo = [];
      return;
    }
    const undo = this.undo;
    for (let i = 0; i < n; i++) Store.clearRecord(undo[i]!);
  }

  /** Undoes every change after `mark`, newest first. */
  rollbackTo(mark: number): void {
    const undo = this.undo;
    while (this.undoLen > mark) {
      const e = undo[--this.undoLen]!;
      switch (e.kind) {
        case ROW: {
          const table = e.table!;
          const { rowid, before, after } = e;
          if (after !== null) {
            for (const idx of table.indexes) {
              const k = idx.entryKey(after, rowid);
              if (k !== null) idx.tree.delete(k);
            }
          }
          if (before !== null) {
            for (const idx of table.indexes) {
              const k = idx.entryKey(before, rowid);
              if (k !== null) idx.tree.set(k, rowid);
            }
            table.tree.set(rowid, before);
          } else {
            table.tree.delete(rowid);
          }
          break;
        }
        case CATALOG:
          e.revert!();
          break;
        case SEQUENCE:
          e.table!.sequence = e.rowid;
          break;
      }
      Store.clearRecord(e);
    }
  }

  begin(): void {
    if (this.explicitTransaction) throw new AmberError('cannot start a transaction within a transaction');
    this.explicitTransaction = true;
    this.savepointOpened = false;
  }

  /** Ends the explicit transaction (or an autocommit statement) and hands its changes to the sink. */
  commit(): void {
    if (this.undoLen === 0) {
      // Nothing to hand over (a read, or an empty transaction): the common case of autocommit reads.
      if (this.savepoints.length !== 0) this.savepoints.length = 0;
      this.explicitTransaction = false;
      return;
    }
    // A memory database has no sink: the change set is never built.
    const changes = this.sink ? this.changeSet() : NO_CHANGES;
    if (changes.length > 0 && this.sink) {
      // Invariant: a commit the sink refused (disk full, I/O error, read-only) is not applied: it
      // is rolled back here, so memory never holds what the log does not.
      try {
        this.sink.commit(changes);
      } catch (e) {
        this.rollback();
        throw e;
      }
    }
    this.resetUndo();
    if (this.savepoints.length !== 0) this.savepoints.length = 0;
    this.explicitTransaction = false;
  }

  rollback(): void {
    this.rollbackTo(0);
    this.resetUndo();
    this.savepoints = [];
    this.explicitTransaction = false;
  }

  /** Autocommit: called after each statement that ran outside an explicit transaction. */
  autocommit(): void {
    if (!this.explicitTransaction) this.commit();
  }

  savepoint(name: string): void {
    if (!this.explicitTransaction) {
      this.explicitTransaction = true;
      this.savepointOpened = true;
    }
    this.savepoints.push({ name, mark: this.undoLen });
  }

  private findSavepoint(name: string): number {
    const lower = name.toLowerCase();
    for (let i = this.savepoints.length - 1; i >= 0; i--) {
      if (this.savepoints[i]!.name.toLowerCase() === lower) return i;
    }
    throw new AmberError(`no such savepoint: ${name}`);
  }

  release(name: string): void {
    const at = this.findSavepoint(name);
    this.savepoints.length = at;
    if (at === 0 && this.savepointOpened) this.commit();
  }

  rollbackToSavepoint(name: string): void {
    const at = this.findSavepoint(name);
    this.rollbackTo(this.savepoints[at]!.mark);
    // The savepoint stays open (SQLite semantics): later RELEASE still names it.
    this.savepoints.length = at + 1;
  }

  private changeSet(): ChangeRecord[] {
    const out: ChangeRecord[] = [];
    const undo = this.undo;
    for (let i = 0; i < this.undoLen; i++) {
      const e = undo[i]!;
      if (e.kind === ROW) {
        out.push(e.after === null
          ? { kind: 'delete', table: e.name, rowid: e.rowid }
          : { kind: 'put', table: e.name, rowid: e.rowid, row: e.after });
      } else if (e.kind === CATALOG) {
        if (e.ddl !== null) out.push({ kind: 'ddl', sql: e.ddl });
      } else {
        out.push({ kind: 'sequence', table: e.name, value: e.table!.sequence });
      }
    }
    return out;
  }
}
