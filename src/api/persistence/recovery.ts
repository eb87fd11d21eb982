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
  // The decoder hands every record of a table the same name string, so a bulk insert looks its
  // table up once (getTable lower-cases the name each time). DDL may drop or rename: forget it.
  let lastName: string | undefined;
  let last: Table | undefined;
  const table = (name: string): Table => {
    if (name !== lastName || last === undefined) {
      last = tableFor(engine, name, where);
      lastName = name;
    }
    return last;
  };
  for (const r of records) {
    switch (r.kind) {
      case 'put':
        store.loadRow(table(r.table), r.rowid, r.row as ChangeRecordRow);
        break;
      case 'delete':
        store.unloadRow(table(r.table), r.rowid);
        break;
      case 'ddl':
        last = undefined;
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
        const t = table(r.table);
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
 * than rows. So a one-column index numbers the distinct values, sorts only those, and places every
 * key by counting sort (groupedOrder). Many distinct values, or several columns: a plain sort.
 */
function rebuildIndex(t: Table, idx: SecondaryIndex): void {
  // Sized up front and filled by position: a million pushes would regrow the array ~30 times.
  let keys: IndexKey[] = new Array<IndexKey>(t.tree.size);
  let n = 0;
  const cur = t.tree.cursor();
  let oneColumn = true;
  for (let ok = cur.first(); ok; ok = cur.next()) {
    const k = idx.entryKey(cur.value(), cur.key());
    if (k === null) continue;
    keys[n++] = k;
    if (k.length !== 2) oneColumn = false;
  }
  keys.length = n; // a partial index left some rows out
  const ordered = oneColumn ? groupedOrder(keys, idx.compare) : null;
  if (ordered === null) keys.sort(idx.compare);
  else keys = ordered;
  const rowids = new Array<Rowid>(n);
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    rowids[i] = k[k.length - 1] as Rowid;
  }
  // Invariant: full keys end in their rowid, so they are distinct and the sort (or the counting
  // sort, which keeps rowid order among equal values) made them strictly ascending: loadSorted need
  // not compare them again (a million comparator calls). integrity_check verifies index order.
  idx.tree.loadSorted(keys, rowids, true);
}

/**
 * One-column keys [value, rowid] in rowid order → index order, or null when grouping does not pay
 * (more than n/4 distinct values). Each distinct value gets a group; the groups are sorted by value
 * and numbered by rank, where values that differ but compare equal (NOCASE 'a'/'A', 2 and 2.0)
 * share a rank; then a counting sort by rank places the keys. The counting sort is stable and the
 * keys arrive in rowid order, so each rank comes out in rowid order: exactly index order.
 */
function groupedOrder(keys: readonly IndexKey[], compare: (a: IndexKey, b: IndexKey) => number): IndexKey[] | null {
  const n = keys.length;
  const ids = new Map<unknown, number>();
  const firsts: IndexKey[] = []; // the first key of each group
  const groupOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    let g = ids.get(k[0]);
    if (g === undefined) {
      if (ids.size > n >> 2) return null;
      g = firsts.length;
      ids.set(k[0], g);
      firsts.push(k);
    }
    groupOf[i] = g;
  }
  const groups = firsts.length;
  const byValue = Array.from({ length: groups }, (_, g) => g).sort((a, b) => compare(firsts[a]!, firsts[b]!));
  const rankOf = new Int32Array(groups);
  const start = new Int32Array(groups + 1); // per rank: how many keys, then where they begin
  let rank = -1;
  for (let j = 0; j < groups; j++) {
    const g = byValue[j]!;
    if (j === 0 || compare([firsts[byValue[j - 1]!]![0]!], [firsts[g]![0]!]) !== 0) rank++;
    rankOf[g] = rank;
  }
  for (let i = 0; i < n; i++) start[rankOf[groupOf[i]!]! + 1]!++;
  for (let r = 1; r <= rank + 1; r++) start[r]! += start[r - 1]!;
  const out = new Array<IndexKey>(n);
  for (let i = 0; i < n; i++) out[start[rankOf[groupOf[i]!]!]!++] = keys[i]!;
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
