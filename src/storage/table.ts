// A row table: a B+tree from rowid to row, plus the secondary indexes that must agree with it.
// Rows are arrays of SqlValue in column order. Invariant: a stored row array is never mutated;
// an update stores a new array, so scans and undo entries can hold references safely. When the
// table has an INTEGER PRIMARY KEY, row[rowidAlias] holds the rowid itself.
import { BTree } from './btree';
import { indexKeyComparator, type IndexKey } from './index-key';
import { getCollation } from '../value/collation';
import type { IndexSchema, Row, Rowid, TableSchema } from './schema';
import type { SqlValue } from '../value/types';

export function compareRowids(a: Rowid, b: Rowid): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Computes an index entry's values from a row; null leaves the row out (partial index). */
export type KeyExtractor = (row: Row, rowid: Rowid) => SqlValue[] | null;

export class SecondaryIndex {
  schema: IndexSchema;
  readonly tree: BTree<IndexKey, Rowid>;
  readonly compare: (a: IndexKey, b: IndexKey) => number;
  /** Replaced by the planner for expression and partial indexes (it can evaluate SQL; storage cannot). */
  extract: KeyExtractor;

  constructor(schema: IndexSchema) {
    this.schema = schema;
    const collations = schema.columns.map((c) => getCollation(c.collation) ?? getCollation('BINARY')!);
    this.compare = indexKeyComparator(collations, schema.columns.map((c) => c.desc));
    this.tree = new BTree<IndexKey, Rowid>(this.compare);
    const cols = schema.columns.map((c) => c.column);
    this.cols = cols;
    this.extract = this.columnValues = (row) => {
      const key: SqlValue[] = new Array(cols.length);
      for (let i = 0; i < cols.length; i++) key[i] = row[cols[i]!]!;
      return key;
    };
  }

  /** Column positions of a plain-column index, and its default extractor (see entryKey). */
  private readonly cols: readonly number[];
  private readonly columnValues: KeyExtractor;

  get name(): string {
    return this.schema.name;
  }

  entryKey(row: Row, rowid: Rowid): IndexKey | null {
    if (this.extract === this.columnValues) {
      // Allocated at its final length: pushing the rowid onto an n-element array grows its
      // backing store to n + 17 slots (V8's growth rule), about 3x the memory per key, which a
      // million index entries pay for in heap and garbage-collection time.
      const cols = this.cols;
      const n = cols.length;
      // Literals for one and two columns: pretenured once they survive, as rows are (codec.ts
      // readRow); rebuilding a 1M-entry index after recovery spent ~60% less time in GC.
      if (n === 1) return [row[cols[0]!]!, rowid];
      if (n === 2) return [row[cols[0]!]!, row[cols[1]!]!, rowid];
      const key: SqlValue[] = new Array(n + 1);
      for (let i = 0; i < n; i++) key[i] = row[cols[i]!]!;
      key[n] = rowid;
      return key;
    }
    const values = this.extract(row, rowid);
    if (values === null) return null;
    values.push(rowid);
    return values;
  }

  /**
   * For a UNIQUE index: the rowid of another row holding the same key values, or null. NULLs
   * never conflict (SQLite treats them as distinct in UNIQUE).
   */
  findConflict(values: readonly SqlValue[], selfRowid: Rowid | null): Rowid | null {
    for (const v of values) if (v === null) return null;
    const cur = this.tree.cursor();
    if (!cur.seek(values)) return null;
    while (cur.valid) {
      const k = cur.key();
      if (this.compare(k.slice(0, values.length) as IndexKey, values) !== 0) return null;
      const r = cur.value();
      if (selfRowid === null || r !== selfRowid) return r;
      cur.next();
    }
    return null;
  }
}

export class Table {
  schema: TableSchema;
  readonly tree = new BTree<Rowid, Row>(compareRowids);
  indexes: SecondaryIndex[] = [];
  /** AUTOINCREMENT high-water mark (sqlite_sequence), 0 when none. */
  sequence: Rowid = 0;

  constructor(schema: TableSchema) {
    this.schema = schema;
  }

  get name(): string {
    return this.schema.name;
  }

  maxRowid(): Rowid {
    return this.tree.maxKey() ?? 0;
  }
}
