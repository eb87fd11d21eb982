// A SQLite file's contents -> this database, in one transaction: the schema rows' SQL replayed in
// the file's order, each table's rows inserted with their rowids right after its CREATE TABLE by
// prepared INSERTs (affinity and constraints apply as for any insert), then sqlite_sequence and
// user_version. Foreign keys are off while rows arrive in rowid order, as a dump would load them.
import type { Store } from '../../storage/store';
import { AmberError } from '../../value/amber-error';
import type { SqlValue } from '../../value/types';
import type { Database } from '../database';
import type { DatabaseState } from '../state';
import { SqliteFileReader, type SchemaRow } from './reader';

export interface ImportResult {
  tables: number;
  indexes: number;
  views: number;
  triggers: number;
  rows: number;
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** SQLite's own bookkeeping tables: their contents are settings, not user tables. */
function isInternal(name: string): boolean {
  return name.toLowerCase().startsWith('sqlite_');
}

export function importSqliteBytes(db: Database, state: DatabaseState, store: Store, bytes: Uint8Array): ImportResult {
  const result: ImportResult = { tables: 0, indexes: 0, views: 0, triggers: 0, rows: 0 };
  if (bytes.length === 0) return result; // SQLite treats an empty file as an empty database
  const reader = new SqliteFileReader(bytes);
  const schema = reader.schema();
  if (state.engine.inTransaction) throw new AmberError('cannot import a SQLite file within a transaction', 'SQLITE_ERROR');

  const byType = (type: string): SchemaRow[] => schema.filter((r) => r.type === type && r.sql !== null && !isInternal(r.name));
  const tables = byType('table');
  for (const t of tables) {
    if (/^\s*CREATE\s+VIRTUAL\b/i.test(t.sql!)) throw new AmberError(`cannot import virtual table ${t.name}`, 'SQLITE_ERROR');
  }
  const sequence = schema.find((r) => r.type === 'table' && r.name.toLowerCase() === 'sqlite_sequence');

  const foreignKeys = db.pragma('foreign_keys', { simple: true });
  if (foreignKeys) db.pragma('foreign_keys = OFF');
  db.exec('BEGIN');
  try {
    // Schema rows in the file's order, so sqlite_master lists them as the file does; each table's
    // rows go in right after its CREATE TABLE: its own indexes come later (built once from the
    // rows) and so do its triggers (which SQLite only lets exist after the table), so none fires.
    for (const r of schema) {
      if (r.sql === null || isInternal(r.name)) continue;
      db.exec(r.sql);
      if (r.type === 'table') result.rows += insertRows(state, store, reader, r);
    }
    if (sequence && sequence.rootpage > 0) {
      for (const [, rec] of reader.tableRows(sequence.rootpage)) {
        const [name, seq] = rec;
        const table = typeof name === 'string' ? store.getTable(name) : undefined;
        if (table && (typeof seq === 'number' || typeof seq === 'bigint')) store.setSequence(table, seq);
      }
    }
    db.exec('COMMIT');
  } catch (e) {
    if (state.engine.inTransaction) db.exec('ROLLBACK');
    throw e;
  } finally {
    if (foreignKeys) db.pragma('foreign_keys = ON');
  }
  if (reader.header.userVersion !== 0) db.pragma(`user_version = ${reader.header.userVersion}`);
  if (reader.header.applicationId !== 0) db.pragma(`application_id = ${reader.header.applicationId}`);
  result.tables = tables.length;
  result.indexes = byType('index').length;
  result.views = byType('view').length;
  result.triggers = byType('trigger').length;
  return result;
}

function insertRows(state: DatabaseState, store: Store, reader: SqliteFileReader, t: SchemaRow): number {
  const table = store.getTable(t.name);
  if (!table) throw new Error(`sqlite-file: table ${t.name} was not created`);
  const columns = table.schema.columns;
  const alias = table.schema.rowidAlias;
  const taken = new Set(columns.map((c) => c.name.toLowerCase()));
  const rowidName = ['rowid', '_rowid_', 'oid'].find((n) => !taken.has(n));
  if (rowidName === undefined && alias < 0) throw new AmberError(`cannot import ${t.name}: its columns hide every rowid name`, 'SQLITE_ERROR');
  // Statements are prepared per record width: a file may hold rows written before an ALTER TABLE
  // ADD COLUMN, shorter than the table (the missing columns take their DEFAULT, as SQLite reads them).
  // A record holds the columns but VIRTUAL generated ones, in table order; generated columns (STORED
  // too) are computed again by the INSERT, so their record fields are skipped.
  const storage = columns.flatMap((c, i) => (c.generated && !c.generated.stored ? [] : [i]));
  const statements = new Map<number, ReturnType<typeof prepareInsert>>();
  const prepareInsert = (width: number) => {
    const fields = storage.slice(0, width).flatMap((i, k) => (columns[i]!.generated ? [] : [k]));
    const names = fields.map((k) => quote(columns[storage[k]!]!.name));
    const aliasField = alias >= 0 ? storage.indexOf(alias) : -1;
    const withRowid = alias < 0 || aliasField < 0 || aliasField >= width;
    if (withRowid) names.unshift(rowidName!);
    const sql = `INSERT INTO ${quote(table.name)}(${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
    const { statement } = state.engine.prepare(sql);
    if (!statement) throw new Error('sqlite-file: empty INSERT');
    return { statement, withRowid, fields, aliasField };
  };
  let n = 0;
  for (const [rowid, rec] of reader.tableRows(t.rootpage)) {
    const width = Math.min(rec.length, storage.length);
    let ins = statements.get(width);
    if (!ins) statements.set(width, (ins = prepareInsert(width)));
    if (ins.aliasField >= 0 && ins.aliasField < width) rec[ins.aliasField] = rowid;
    const params: SqlValue[] = ins.fields.map((k) => rec[k]!);
    if (ins.withRowid) params.unshift(rowid);
    ins.statement.run(params);
    n++;
  }
  return n;
}
