// Recovery: a database directory in, the tables in memory out. MANIFEST → the snapshot it names
// (schema replayed as DDL through the engine, rows loaded with Store.loadRow, AUTOINCREMENT
// sequences) → every log transaction after the snapshot's begin LSN, applied idempotently
// (put = loadRow, delete = unloadRow, ddl = the statement run through the engine, sequence = max).
// The sink is detached throughout: nothing recovered is logged again. It never guesses past
// damage: corruption is SQLITE_CORRUPT naming file and offset unless `recovery` asks otherwise.
import type { FileSystem } from '../../durability/fs/file-system';
import { snapshotPath } from '../../durability/layout';
import { readManifest } from '../../durability/manifest';
import type { Manifest } from '../../durability/manifest';
import { RedoLog } from '../../durability/redo-log';
import type { LogRecoveryReport, RecoveryMode } from '../../durability/redo-log';
import type { ChangeRecord } from '../../durability/change-record';
import { LogScan } from '../../durability/log-reader';
import { SnapshotReader } from '../../durability/snapshot-reader';
import type { MemoryEngine } from '../../exec/engine';
import type { SecondaryIndex, Table } from '../../storage/table';
import type { Rowid } from '../../storage/schema';
import type { IndexKey } from '../../storage/index-key';
import { AmberError } from '../../value/amber-error';

/** What recovery found and did; `db.stats().recovery`. */
export interface RecoveryReport {
  /** Begin LSN of the snapshot loaded, or null when there was none. */
  readonly snapshotLsn: number | null;
  readonly snapshotRows: number;
  /** Snapshot pages skipped by 'salvage'. */
  readonly snapshotPagesSkipped: number;
  /** Log transactions replayed over the snapshot. */
  readonly framesReplayed: number;
  /** LSN of the last transaction recovered. */
  readonly lastLsn: number;
  /** A torn last frame that was cut off (a clean end: it was never acknowledged). */
  readonly tornTail: { readonly segment: number; readonly offset: number; readonly reason: string } | null;
  /** Damage cut off in 'truncate-tail' / 'salvage' mode: what was lost. */
  readonly dropped: LogRecoveryReport['dropped'] | null;
  readonly ms: number;
}

export interface Recovered {
  readonly manifest: Manifest | undefined;
  /** The log, open for appending after the last valid frame (undefined when opened read-only). */
  readonly log: RedoLog | undefined;
  readonly report: RecoveryReport;
}

/** Runs one DDL statement through the engine's normal statement path (sink detached by the caller). */
export function runDdl(engine: MemoryEngine, sql: string): void {
  const { statement } = engine.prepare(sql);
  if (statement !== null) statement.run([]);
}

function tableFor(engine: MemoryEngine, name: string, where: string): Table {
  const t = engine.store.getTable(name);
  if (t === undefined) {
    throw new AmberError(`database disk image is malformed: ${where}: rows for unknown table ${name}`, 'SQLITE_CORRUPT');
  }
  return t;
}

/**
 * Applies one committed change set (idempotent: over a fuzzy snapshot, or twice, same state).
 * With `deferred`, secondary indexes are detached while rows load: DDL brings them back first
 * (a statement may read through them), and they are detached again after it.
 */
export function applyChangeSet(engine: MemoryEngine, records: readonly ChangeRecord[], where: string, deferred?: DeferredIndexes): void {
  const store = engine.store;
  for (const r of records) {
    switch (r.kind) {
      case 'put':
        store.loadRow(tableFor(engine, r.table, where), r.rowid, r.row as ChangeRecordRow);
        break;
      case 'delete':
        store.unloadRow(tableFor(engine, r.table, where), r.rowid);
        break;
      case 'ddl':
        deferred?.restore();
        try {
          runDdl(engine, r.sql);
        } catch (e) {
          const msg = e instanceof Error ? e.message : String(e);
          throw new AmberError(`recovery could not replay ${where}: ${r.sql}: ${msg}`, e instanceof AmberError ? e.code : 'SQLITE_ERROR');
        }
        deferred?.detach();
        break;
      case 'sequence': {
        const t = tableFor(engine, r.table, where);
        if (r.value > t.sequence) t.sequence = r.value;
        break;
      }
    }
  }
}
type ChangeRecordRow = import('../../storage/schema').Row;

/**
 * Index maintenance switched off while recovery loads rows: a million rows put one by one into a
 * secondary index cost seconds of comparisons; sorting the entries once and appending them costs a
 * fraction. `detach()` takes every table's indexes out of `Table.indexes` (so loadRow/unloadRow
 * touch only the row tree); `restore()` puts them back, rebuilt from the rows, in their order.
 * Invariant: no statement runs while indexes are detached (the planner would read stale ones):
 * applyChangeSet restores them before DDL.
 */
export class DeferredIndexes {
  private detached = new Map<Table, SecondaryIndex[]>();

  constructor(private readonly engine: MemoryEngine) {}

  detach(): void {
    for (const t of this.engine.store.tables.values()) {
      if (t.indexes.length === 0 || this.detached.has(t)) continue;
      this.detached.set(t, t.indexes);
      t.indexes = [];
    }
  }

  restore(): void {
    const store = this.engine.store;
    for (const [t, indexes] of this.detached) {
      if (store.getTable(t.name) !== t) continue; // dropped meanwhile: nothing to rebuild
      const live = indexes.filter((idx) => store.indexes.get(idx.name.toLowerCase()) === idx);
      for (const idx of live) rebuildIndex(t, idx);
      t.indexes = [...live, ...t.indexes];
    }
    this.detached.clear();
  }
}

/**
 * Fills an index from its table: keys in index order, then bulk-built (BTree.loadSorted, O(n)).
 * A full key ends in its rowid, so the keys alone are the entries.
 *
 * Sorting a million keys costs ~20M comparator calls; most indexes have far fewer distinct values
 * than rows. So a one-column index groups rowids by value first (the table is scanned in rowid
 * order, so each group is already in rowid order), sorts the distinct values, and emits each
 * group in turn. Values that differ but compare equal (NOCASE 'a'/'A', 2 and 2.0) are separate
 * groups that the sort puts side by side: they are merged back into rowid order. Many distinct
 * values, or several columns: a plain sort of the keys.
 */
function rebuildIndex(t: Table, idx: SecondaryIndex): void {
  const keys: IndexKey[] = [];
  const cur = t.tree.cursor();
  let oneColumn = true;
  for (let ok = cur.first(); ok; ok = cur.next()) {
    const k = idx.entryKey(cur.value(), cur.key());
    if (k === null) continue;
    keys.push(k);
    if (k.length !== 2) oneColumn = false;
  }
  const ordered = oneColumn ? groupedOrder(keys, idx.compare) : null;
  if (ordered === null) keys.sort(idx.compare);
  const sorted = ordered ?? keys;
  const rowids = new Array<Rowid>(sorted.length);
  for (let i = 0; i < sorted.length; i++) {
    const k = sorted[i]!;
    rowids[i] = k[k.length - 1] as Rowid;
  }
  // Invariant: full keys end in their rowid, so they are distinct and the sort (or the grouping,
  // whose groups are in rowid order) made them strictly ascending: loadSorted need not compare
  // them again (a million comparator calls). integrity_check verifies index order.
  idx.tree.loadSorted(sorted, rowids, true);
}

/** One-column keys [value, rowid] in rowid order → index order, or null when grouping does not pay. */
function groupedOrder(keys: readonly IndexKey[], compare: (a: IndexKey, b: IndexKey) => number): IndexKey[] | null {
  const groups = new Map<unknown, IndexKey[]>();
  for (const k of keys) {
    const g = groups.get(k[0]);
    if (g === undefined) {
      if (groups.size > keys.length >> 2) return null;
      groups.set(k[0], [k]);
    } else {
      g.push(k);
    }
  }
  // Sort by each group's first key: equal values order by that rowid, which is what merging needs.
  const sorted = [...groups.values()].sort((a, b) => compare(a[0]!, b[0]!));
  const out: IndexKey[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    const head = sorted[i]![0]!;
    while (j < sorted.length && compare([head[0]!], [sorted[j]![0]![0]!]) === 0) j++;
    if (j === i + 1) {
      for (const k of sorted[i]!) out.push(k);
    } else {
      const merged = sorted.slice(i, j).flat();
      merged.sort((a, b) => compare(a, b));
      for (const k of merged) out.push(k);
    }
    i = j;
  }
  return out;
}

/**
 * Rebuilds `engine` from directory `dir`. With `writable`, the log is opened for appending (torn
 * tail truncated, damage set aside per `mode`); read-only opens only scan it and change nothing.
 */
export function recover(engine: MemoryEngine, fs: FileSystem, dir: string, mode: RecoveryMode, writable: boolean): Recovered {
  const t0 = performance.now();
  const store = engine.store;
  const saved = store.sink;
  store.sink = null;
  const deferred = new DeferredIndexes(engine);
  try {
    const manifest = readManifest(fs, dir);
    let snapshotLsn: number | null = null;
    let snapshotRows = 0;
    let skipped = 0;
    if (manifest?.snapshotLsn !== undefined) {
      snapshotLsn = manifest.snapshotLsn;
      const reader = SnapshotReader.open(fs, snapshotPath(dir, manifest.snapshotLsn), mode === 'salvage' ? 'salvage' : 'strict');
      try {
        for (const sql of reader.schema.ddl) runDdl(engine, sql);
        for (const meta of reader.schema.tables) {
          if (meta.sequence !== undefined) tableFor(engine, meta.name, reader.name).sequence = meta.sequence;
        }
        // Rows arrive table by table in rowid order (the checkpoint writes them so): each table's
        // rows are collected and its B+tree bulk-built once (Store.loadRows), no per-row descent.
        // Indexes are detached (DeferredIndexes) until the log has been replayed too.
        deferred.detach();
        let table: Table | undefined;
        let tableName = '';
        let rowids: Rowid[] = [];
        let rows: ChangeRecordRow[] = [];
        const flush = (): void => {
          if (table !== undefined && rowids.length > 0) store.loadRows(table, rowids, rows);
          rowids = [];
          rows = [];
        };
        for (const b of reader.batches()) {
          for (let i = 0; i < b.length; i++) {
            const name = b.tables[i]!;
            if (name !== tableName) {
              flush();
              table = tableFor(engine, name, reader.name);
              tableName = name;
            }
            rowids.push(b.rowids[i]!);
            rows.push(b.rows[i]!);
          }
        }
        flush();
        snapshotRows = reader.report.rows;
        skipped = reader.report.skipped.length;
      } finally {
        reader.close();
      }
    }
    const fromLsn = manifest?.snapshotLsn;
    let replayed = 0;
    let lastLsn = fromLsn ?? 0;
    let torn: RecoveryReport['tornTail'] = null;
    let dropped: RecoveryReport['dropped'] = null;
    let log: RedoLog | undefined;
    if (writable) {
      deferred.detach();
      log = RedoLog.open(fs, dir, {
        firstSegment: manifest?.firstSegment,
        fromLsn,
        recovery: mode,
        onTransaction: (lsn, records) => applyChangeSet(engine, records, `log transaction ${lsn}`, deferred),
      });
      replayed = log.report.replayed;
      lastLsn = log.lastLsn;
      torn = log.report.torn ?? null;
      dropped = log.report.dropped ?? null;
    } else if (manifest !== undefined) {
      const scan = new LogScan(fs, dir, { firstSegment: manifest.firstSegment, fromLsn, stopAtCorruption: mode !== 'strict' });
      deferred.detach();
      for (const { lsn, records } of scan.changeSets()) {
        applyChangeSet(engine, records, `log transaction ${lsn}`, deferred);
        replayed++;
      }
      lastLsn = Math.max(lastLsn, scan.lastLsn);
      const end = scan.end;
      if (end?.kind === 'torn') torn = { segment: end.segment, offset: end.offset, reason: end.reason };
      if (end?.kind === 'corrupt') dropped = { segment: end.segment, offset: end.offset, reason: end.reason, segmentsMovedAside: [] };
    }
    deferred.restore();
    store.commit(); // clears the undo entries DDL replay left (the sink is detached)
    return {
      manifest,
      log,
      report: {
        snapshotLsn,
        snapshotRows,
        snapshotPagesSkipped: skipped,
        framesReplayed: replayed,
        lastLsn,
        tornTail: torn,
        dropped,
        ms: performance.now() - t0,
      },
    };
  } finally {
    store.sink = saved;
  }
}
