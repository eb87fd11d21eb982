// A transient hash on the join columns of a table that has no index for an equi-join: what SQLite
// calls an automatic index (EXPLAIN: `SEARCH u USING AUTOMATIC COVERING INDEX (q=?)`). Built from
// one scan of the table the first time a loop run looks it up, then each outer row costs one probe
// instead of a scan: a hash join, with the table as the build side.
//
// Keys follow `=`'s equality exactly as an index lookup does: the probe value has the comparison's
// affinity applied already (as for index lookups); the column side is the stored value; BINARY
// compares values as GROUP BY does (1 = 1.0, 1 <> '1'), NOCASE folds ASCII letters first. NULL
// never matches. Every WHERE/ON term is still evaluated on the rows a probe returns.
//
// Rows of one key come out in the order SQLite's automatic index holds them: by the other columns
// the query reads (in table order, each by its collation), then by rowid. A join without ORDER BY
// then returns its rows in SQLite's order.
import { compareValues, groupKey } from '../value/compare';
import type { Collation } from '../value/collation';
import type { SqlValue } from '../value/types';
import type { Row, Rowid } from '../storage/schema';
import type { Table } from '../storage/table';

export interface HashKeyColumn {
  readonly column: number;
  readonly nocase: boolean;
}

export interface HashBucket {
  readonly rows: Row[];
  readonly rowids: Rowid[];
}

const UPPER = /[A-Z]/;

function fold(v: SqlValue, nocase: boolean): SqlValue {
  return nocase && typeof v === 'string' && UPPER.test(v) ? v.replace(/[A-Z]+/g, (s) => s.toLowerCase()) : v;
}

export class HashJoin {
  private buckets: Map<string | number, HashBucket> | null = null;
  private readonly key: SqlValue[];

  constructor(
    private readonly table: Table,
    readonly columns: readonly HashKeyColumn[],
    /** The other columns the query reads: the order of rows within a key. */
    private readonly order: readonly { readonly column: number; readonly coll: Collation }[],
  ) {
    this.key = new Array(columns.length);
  }

  /** Forget the hash: the next lookup rebuilds it (once per run of the loop nest). */
  reset(): void {
    this.buckets = null;
  }

  /** Rows whose join columns equal `values` (in `columns` order), in rowid order. */
  lookup(values: readonly SqlValue[]): HashBucket | undefined {
    const cols = this.columns;
    const key = this.key;
    for (let i = 0; i < cols.length; i++) {
      const v = values[i]!;
      if (v === null) return undefined;
      key[i] = fold(v, cols[i]!.nocase);
    }
    return (this.buckets ??= this.build()).get(groupKey(key));
  }

  private build(): Map<string | number, HashBucket> {
    const buckets = new Map<string | number, HashBucket>();
    const cols = this.columns;
    const key: SqlValue[] = new Array(cols.length);
    const cur = this.table.tree.cursor();
    next: for (let ok = cur.first(); ok; ok = cur.next()) {
      const row = cur.value();
      for (let i = 0; i < cols.length; i++) {
        const v = row[cols[i]!.column] ?? null;
        if (v === null) continue next;
        key[i] = fold(v, cols[i]!.nocase);
      }
      const k = groupKey(key);
      let b = buckets.get(k);
      if (b === undefined) {
        b = { rows: [], rowids: [] };
        buckets.set(k, b);
      }
      b.rows.push(row);
      b.rowids.push(cur.key());
    }
    if (this.order.length > 0) for (const b of buckets.values()) if (b.rows.length > 1) this.sort(b);
    return buckets;
  }

  private sort(b: HashBucket): void {
    const order = this.order;
    const idx = b.rows.map((_, i) => i);
    idx.sort((i, j) => {
      const r = b.rows[i]!;
      const s = b.rows[j]!;
      for (const o of order) {
        const c = compareValues(r[o.column] ?? null, s[o.column] ?? null, o.coll);
        if (c !== 0) return c;
      }
      return i - j; // rowid order: the scan's
    });
    const rows = idx.map((i) => b.rows[i]!);
    const rowids = idx.map((i) => b.rowids[i]!);
    for (let i = 0; i < idx.length; i++) {
      b.rows[i] = rows[i]!;
      b.rowids[i] = rowids[i]!;
    }
  }
}
