// Store -> the bytes of a SQLite database file. Every table becomes a table b-tree (rows in rowid
// order), every index (automatic ones included) an index b-tree of (key columns..., rowid) records
// in the index's own order (its collations and DESC columns are already the Store's order), and
// sqlite_schema on page 1 lists them in creation order. No free pages, no journal, no WAL.
import type { Store } from '../../storage/store';
import type { Table } from '../../storage/table';
import type { SqlValue } from '../../value/types';
import { AmberError } from '../../value/amber-error';
import { buildIndexTree, buildTableTree, PageFile } from './btree-builder';
import { MAGIC, PAGE_SIZE, SQLITE_VERSION_NUMBER, encodeRecord } from './format';

export interface FileSettings {
  readonly userVersion: number;
  readonly applicationId: number;
}

const SEQUENCE_SQL = 'CREATE TABLE sqlite_sequence(name,seq)';

function* tableRecords(table: Table): Generator<readonly [number | bigint, Uint8Array]> {
  const alias = table.schema.rowidAlias;
  // SQLite's record leaves VIRTUAL generated columns out (it computes them on read); AmberDB keeps them.
  const columns = table.schema.columns;
  const stored = columns.some((c) => c.generated && !c.generated.stored) ? columns.flatMap((c, i) => (c.generated && !c.generated.stored ? [] : [i])) : null;
  const cur = table.tree.cursor();
  for (let ok = cur.first(); ok; ok = cur.next()) {
    let row: readonly SqlValue[] = cur.value();
    if (alias >= 0) {
      // The INTEGER PRIMARY KEY is the rowid itself; SQLite stores NULL in its record slot.
      const copy = row.slice();
      copy[alias] = null;
      row = copy;
    }
    if (stored) row = stored.map((i) => row[i]!);
    yield [cur.key(), encodeRecord(row)];
  }
}

function isWithoutRowid(sql: string): boolean {
  return /\bWITHOUT\s+ROWID\s*;?\s*$/i.test(sql);
}

/** The SQLite file for the store's current contents (uncommitted changes included). */
export function writeSqliteFile(store: Store, settings: FileSettings): Uint8Array {
  const file = new PageFile(PAGE_SIZE);
  const schemaRows: SqlValue[][] = [];
  const objects = store.schemaObjects();
  const sequenceTables = [...store.tables.values()].filter((t) => t.schema.autoincrement);
  // SQLite creates sqlite_sequence with the first AUTOINCREMENT table, after that table's
  // automatic indexes; its rows are the tables that have handed out an id.
  let sequencePending = false;
  let sequenceDone = sequenceTables.length === 0;
  let pendingTable = '';
  const emitSequence = (): void => {
    const rows = sequenceTables
      .filter((t) => t.sequence !== 0)
      .map((t, i) => [i + 1, encodeRecord([t.name, t.sequence])] as const);
    const root = buildTableTree(file, rows);
    schemaRows.push(['table', 'sqlite_sequence', 'sqlite_sequence', root, SEQUENCE_SQL]);
    sequencePending = false;
    sequenceDone = true;
  };

  for (const o of objects) {
    if (sequencePending && !(o.type === 'index' && o.sql === null && o.tblName.toLowerCase() === pendingTable)) emitSequence();
    switch (o.type) {
      case 'table': {
        const table = store.getTable(o.name);
        if (!table) throw new Error(`sqlite-file: table ${o.name} missing from the store`);
        if (isWithoutRowid(table.schema.sql)) {
          throw new AmberError(`cannot export WITHOUT ROWID table ${table.name}: not supported by exportSqlite`, 'SQLITE_ERROR');
        }
        const root = buildTableTree(file, tableRecords(table));
        schemaRows.push(['table', o.name, o.tblName, root, o.sql]);
        if (table.schema.autoincrement && !sequenceDone) {
          sequencePending = true;
          pendingTable = table.name.toLowerCase();
        }
        break;
      }
      case 'index': {
        const index = store.indexes.get(o.name.toLowerCase());
        if (!index) throw new Error(`sqlite-file: index ${o.name} missing from the store`);
        const records = function* (): Generator<Uint8Array> {
          const cur = index.tree.cursor();
          for (let ok = cur.first(); ok; ok = cur.next()) yield encodeRecord(cur.key());
        };
        const root = buildIndexTree(file, records());
        schemaRows.push(['index', o.name, o.tblName, root, o.sql]);
        break;
      }
      default:
        schemaRows.push([o.type, o.name, o.tblName, 0, o.sql]);
    }
  }
  if (sequencePending) emitSequence();

  buildTableTree(file, schemaRows.map((r, i) => [i + 1, encodeRecord(r)] as const), 1);
  writeHeader(file, settings);
  return file.bytes();
}

function writeHeader(file: PageFile, settings: FileSettings): void {
  const page1 = file.pages[1]!;
  const view = new DataView(page1.buffer, page1.byteOffset, page1.byteLength);
  for (let i = 0; i < MAGIC.length; i++) page1[i] = MAGIC.charCodeAt(i);
  view.setUint16(16, file.pageSize === 65536 ? 1 : file.pageSize);
  page1[18] = 1; // legacy (rollback journal), not WAL
  page1[19] = 1;
  page1[20] = 0;
  page1[21] = 64;
  page1[22] = 32;
  page1[23] = 32;
  view.setUint32(24, 1); // file change counter
  view.setUint32(28, file.pageCount);
  view.setUint32(40, 1); // schema cookie
  view.setUint32(44, 4); // schema format 4
  view.setUint32(56, 1); // UTF-8
  view.setInt32(60, settings.userVersion | 0);
  view.setInt32(68, settings.applicationId | 0);
  view.setUint32(92, 1); // version-valid-for = change counter: the page count at 28 is valid
  view.setUint32(96, SQLITE_VERSION_NUMBER);
}
