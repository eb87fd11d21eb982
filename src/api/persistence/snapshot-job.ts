// One snapshot being written: the schema (DDL in creation order, AUTOINCREMENT sequences) first,
// then the rows in slices of a few thousand, so a checkpoint can yield the event loop between
// slices (DESIGN §6). Two sources of rows:
//   - 'fuzzy' reads the live B+trees with a cursor that re-seeks by the last rowid written, so
//     commits between slices are seen or not, row by row. Only valid with a redo log: replaying the
//     log from the begin LSN over it gives the exact state (records are row-level, idempotent).
//     Invariant: the caller never runs a slice while a transaction is open (uncommitted rows are in
//     the trees) and abandons the job if store.schemaVersion moved (tables may be gone).
//   - 'frozen' copies every (rowid, row) reference at begin (rows are immutable arrays, so this is
//     a consistent point in time at the cost of one pointer per row): the snapshot strategy, which
//     has no log to repair a fuzzy read, and backup().
import type { FileSystem } from '../../durability/fs/file-system';
import { SnapshotWriter } from '../../durability/snapshot-writer';
import type { SnapshotInfo, SnapshotWriterOptions } from '../../durability/snapshot-writer';
import type { SnapshotSchema, SnapshotTableMeta } from '../../durability/snapshot-format';
import type { Store } from '../../storage/store';
import type { MemoryEngine } from '../../exec/engine';
import { persistentSettingsSql } from '../../exec/pragma';
import type { Row, Rowid } from '../../storage/schema';
import type { Table } from '../../storage/table';

export type SnapshotSource = 'fuzzy' | 'frozen';

/** Rows written per slice of an automatic checkpoint (a few ms of work). */
export const SLICE_ROWS = 4096;

/**
 * The schema as DDL in creation order (objects without SQL, e.g. autoindexes, come with their
 * table), then the database's settings as the PRAGMA statements that restore them
 * (`PRAGMA user_version = 7`; docs/FORMAT.md): recovery runs the list in order.
 */
export function captureSchema(engine: MemoryEngine): { schema: SnapshotSchema; tables: Table[] } {
  const store = engine.store;
  const ddl: string[] = [];
  const tables: Table[] = [];
  const metas: SnapshotTableMeta[] = [];
  for (const o of store.schemaObjects()) {
    if (o.sql !== null) ddl.push(o.sql);
    if (o.type === 'table') {
      const t = store.getTable(o.name);
      if (t === undefined) continue;
      tables.push(t);
      metas.push(t.sequence !== 0 ? { name: t.name, sequence: t.sequence } : { name: t.name });
    }
  }
  ddl.push(...persistentSettingsSql(engine));
  return { schema: { ddl, tables: metas }, tables };
}

interface FrozenTable {
  readonly name: string;
  readonly keys: Rowid[];
  readonly rows: Row[];
}

export class SnapshotJob {
  readonly schemaVersion: number;
  readonly startedAt = performance.now();
  private readonly names: string[];
  private readonly live: Table[];
  private readonly frozen: FrozenTable[] | null;
  private at = 0;
  private lastKey: Rowid | undefined = undefined;
  private frozenPos = 0;
  rows = 0;

  private constructor(
    private readonly writer: SnapshotWriter,
    store: Store,
    tables: Table[],
    source: SnapshotSource,
    /** First log segment the snapshot needs (MANIFEST's `log` line). */
    readonly firstSegment: number,
  ) {
    this.schemaVersion = store.schemaVersion;
    this.names = tables.map((t) => t.name);
    this.live = tables;
    this.frozen = source === 'frozen' ? tables.map((t) => freeze(t)) : null;
  }

  /** Starts snapshot `snap/<beginLsn>.snap` of `dir` (the .tmp file is created and the header written). */
  static begin(
    fs: FileSystem,
    dir: string,
    engine: MemoryEngine,
    beginLsn: number,
    firstSegment: number,
    source: SnapshotSource,
    opts: SnapshotWriterOptions = {},
  ): SnapshotJob {
    const { schema, tables } = captureSchema(engine);
    const writer = SnapshotWriter.begin(fs, dir, beginLsn, schema, opts);
    return new SnapshotJob(writer, engine.store, tables, source, firstSegment);
  }

  get beginLsn(): number {
    return this.writer.beginLsn;
  }

  /** Writes up to `maxRows` rows; returns true when every table has been written. */
  step(maxRows: number): boolean {
    let budget = maxRows;
    const writer = this.writer;
    while (budget > 0 && this.at < this.names.length) {
      const table = writer.tableNumber(this.names[this.at]!);
      let written = 0;
      let more: boolean;
      if (this.frozen !== null) {
        const f = this.frozen[this.at]!;
        const end = Math.min(f.keys.length, this.frozenPos + budget);
        for (let i = this.frozenPos; i < end; i++) writer.addRow(table, f.keys[i]!, f.rows[i]!);
        written = end - this.frozenPos;
        this.frozenPos = end;
        more = end < f.keys.length;
      } else {
        // Re-seek by the last rowid written: the tree may have changed since the previous slice.
        const cur = this.live[this.at]!.tree.cursor();
        let ok = this.lastKey === undefined ? cur.first() : cur.seek(this.lastKey, true);
        let last: Rowid | undefined;
        while (ok && written < budget) {
          last = cur.key();
          writer.addRow(table, last, cur.value());
          written++;
          ok = cur.next();
        }
        more = ok;
        if (last !== undefined) this.lastKey = last;
      }
      this.rows += written;
      budget -= written;
      if (!more) {
        this.at++;
        this.lastKey = undefined;
        this.frozenPos = 0;
      }
    }
    return this.at >= this.names.length;
  }

  /** fsyncs the rows written so far off the event loop (finish() then has little left to flush). */
  flushAsync(): Promise<void> {
    return this.writer.flushAsync();
  }

  /** Last page and trailer written, not yet fsynced (flushAsync then covers them). */
  writeTrailer(): void {
    this.writer.writeTrailer();
  }

  /** Trailer (unless written), fsync (unless flushAsync covered it), rename, directory fsync. */
  finish(syncDirectory = true): SnapshotInfo {
    return this.writer.finish(syncDirectory);
  }

  /** Closes and removes the temporary file (best effort: it is never read anyway). */
  abort(): void {
    try {
      this.writer.abort();
    } catch {
      // a .tmp snapshot is ignored by recovery and removed by the next checkpoint
    }
  }
}

function freeze(t: Table): FrozenTable {
  const keys: Rowid[] = [];
  const rows: Row[] = [];
  const cur = t.tree.cursor();
  for (let ok = cur.first(); ok; ok = cur.next()) {
    keys.push(cur.key());
    rows.push(cur.value());
  }
  return { name: t.name, keys, rows };
}
