// DurableEngine: the MemoryEngine with a database directory behind it (DESIGN §2, §6). It is the
// Store's ChangeSink: each committed change set becomes one redo-log frame, *written* to the OS
// before the commit returns (so kill -9 never loses an acknowledged commit) and fsynced according
// to `durability`:
//   'commit'    fsync before run()/transaction() returns; transactionAsync() commits share the
//               group-commit fsync and resolve after it (below);
//   'interval'  fsync every syncIntervalMs (an unref'd timer); a power loss may take that much;
//   'none'      the OS decides; flush() still forces an fsync.
//
// Group commit, a two-stage pipeline. Stage 1, synchronous, in the commit: the frame is encoded
// and kept in memory (RedoLog.append with deferWrite — nobody is told the commit is durable until
// stage 2 covers it, so a kill -9 can only lose commits that were never acknowledged). Stage 2: the
// pending frames go to the OS in one write(), then one fsync (RedoLog.syncAsync → fs.fsync on
// libuv's thread pool) covers them. While it runs, new commits keep queueing their frames and wait
// for the *next* write + fsync, which starts the moment this one completes; so every commit made
// during an fsync shares the following one, and the disk is never idle while commits wait. (One
// write per group, not per commit: a write() syscall cost about as much CPU as the rest of a small
// commit.) The first fsync after a quiet spell starts on the next event-loop turn (setImmediate),
// so a synchronous burst of commits shares it. A promise resolves only once the fsync that covers
// its frame has succeeded (waiters are settled by LSN); if the write or the fsync fails, every
// waiting promise is rejected and the engine refuses writes (never retried: see Faults). A
// synchronous commit ('commit' mode, run()) writes the pending frames before its own and, if an
// async fsync is in flight, does its own fsync before it returns — the one in flight may have
// started before its frame was written — and that fsync settles every waiter it covers too.
// Strategies: 'hybrid' and 'log' (log + checkpoints; 'log' checkpoints on log size only),
// 'snapshot' (no log: a point-in-time snapshot every snapshotIntervalMs and on close; a crash
// loses everything since the last one, by design).
//
// Faults: a write or fsync error is never acknowledged and never retried: the engine keeps the
// error and refuses every later write with SQLITE_IOERR until reopened (reads go on). ENOSPC on a
// commit's own write fails only that commit (SQLITE_FULL): the log writer cuts the partial frame
// off, the Store rolls the commit back in memory, and the database stays readable and writable.
// ENOSPC on the write of a group's pending frames is an I/O error like a failed fsync: those
// commits are already visible in memory and can no longer be logged (their promises reject).
//
// Checkpoints (hybrid/log): CheckpointPolicy is asked after each commit and by a timer; a
// checkpoint rotates the log (its first segment), captures the schema and writes the tables in
// slices of ~SLICE_MS between event-loop turns (never while a transaction is open; abandoned if
// the schema changes), then finishAsync: the snapshot's pages fsynced off the event loop, the log
// made durable through group commit, trailer and MANIFEST.tmp fsynced off the loop, then:
// snapshot rename, snap/ fsynced off the loop → MANIFEST rename, directory fsynced off the loop →
// old segments and snapshots removed (unlinks and directory fsyncs off the loop). db.checkpoint()
// does it all synchronously (finishing a running one first, and fsyncing any directory whose
// async fsync was still in flight before relying on it).
import { resolve as resolvePath } from 'node:path';
import { AmberError } from '../../value/amber-error';
import { MemoryEngine } from '../../exec/engine';
import type { ChangeRecord, ChangeSink } from '../../storage/store';
import type { FileLock, FileSystem } from '../../durability/fs/file-system';
import { dirName, fsErrorCode, joinPath } from '../../durability/fs/file-system';
import { NodeFileSystem } from '../../durability/fs/node-fs';
import { CheckpointPolicy } from '../../durability/checkpoint-policy';
import { LOCK_NAME, LOG_DIR, SNAP_DIR, ensureDir, listSnapshots, numberedNames, segmentPath, snapshotPath } from '../../durability/layout';
import { LogWriter } from '../../durability/log-writer';
import { prepareManifest, renameManifest, writeManifest } from '../../durability/manifest';
import type { SnapshotInfo } from '../../durability/snapshot-writer';
import type { RedoLog } from '../../durability/redo-log';
import type { EngineOptions } from '../engine-factory';
import { CountingFileSystem } from './counting-fs';
import { ReadOnlyFileSystem } from './readonly-fs';
import { recover } from './recovery';
import type { RecoveryReport } from './recovery';
import { SLICE_ROWS, SnapshotJob } from './snapshot-job';
import { estimateMemory } from './memory-estimate';

export const DEFAULT_SYNC_INTERVAL_MS = 1000;
export const DEFAULT_SNAPSHOT_INTERVAL_MS = 60_000;
/** An automatic checkpoint's slice writes rows in chunks of SLICE_CHUNK_ROWS for about SLICE_MS. */
const SLICE_MS = 2;
const SLICE_CHUNK_ROWS = 256;
/** A sliced checkpoint prepares the next log segment off the event loop up to this many times. */
const PREPARE_ATTEMPTS = 3;
/** After a failed or abandoned automatic checkpoint, wait this long before the next. */
const CHECKPOINT_BACKOFF_MS = 100;

export interface CheckpointResult {
  readonly lsn: number;
  readonly rows: number;
  readonly bytes: number;
  readonly ms: number;
  readonly reason: string;
  /** Date.now() when it completed. */
  readonly at: number;
}

export interface PersistenceStats {
  readonly path: string | null;
  readonly strategy: string;
  readonly durability: string;
  /** Rough bytes held by rows and indexes (sampled). */
  readonly memoryBytes: number;
  readonly tables: Record<string, number>;
  readonly rows: number;
  readonly commits: number;
  readonly fsyncs: number;
  readonly log: {
    readonly bytes: number;
    readonly bytesSinceCheckpoint: number;
    readonly segments: number;
    readonly lastLsn: number;
    readonly durableLsn: number;
  } | null;
  readonly checkpoint: {
    readonly count: number;
    readonly running: boolean;
    readonly last: CheckpointResult | null;
    readonly lastError: string | null;
  };
  readonly recovery: RecoveryReport | null;
  /** Why writes are refused, when they are. */
  readonly failure: string | null;
}

interface Waiter {
  readonly lsn: number;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

interface Running {
  readonly job: SnapshotJob;
  readonly reason: string;
  readonly fuzzy: boolean;
  /** log.bytesAppended when it began (bytes after that are still needed). */
  readonly bytesAtBegin: number;
  readonly commitsAtBegin: number;
  /** Every row is written; from here the checkpoint only finishes (finishAsync / finishCheckpoint). */
  finishing: boolean;
  /** The last LSN whose rows the snapshot may hold: durable before MANIFEST names the snapshot. */
  rowsLsn: number;
  /** Set once the snapshot is under its final name; `switched` once MANIFEST names it. */
  info: SnapshotInfo | undefined;
  /** The snapshot's rename is durable (snap/ fsynced); until then no MANIFEST names it. */
  snapDurable: boolean;
  switched: boolean;
  /** The MANIFEST rename is durable (its directory fsynced); until then nothing old is removed. */
  manifestDurable: boolean;
  /** The files it replaced are being (or have been) removed by finishAsync. */
  cleaned: boolean;
}

/** Hidden option: the FileSystem to use instead of Node's (tests: memory-fs, faulty-fs). */
export interface DurableOpenOptions {
  readonly fileSystem?: FileSystem;
  /** Snapshot page size (tests use small pages). */
  readonly pageSize?: number;
}

export class DurableEngine extends MemoryEngine implements ChangeSink {
  readonly fs: CountingFileSystem;
  readonly dir: string;
  readonly options: EngineOptions;
  private readonly pageSize: number | undefined;
  /** True on Node's file system (paths are resolved against the working directory). */
  private readonly real: boolean;
  private lock: FileLock | null = null;
  private readonly readOnlyFs: ReadOnlyFileSystem | null;
  private log: RedoLog | undefined;
  private readonly policy: CheckpointPolicy;
  recovery: RecoveryReport | null = null;

  private failure: AmberError | null = null;
  private isClosed = false;
  /** >0 while transactionAsync runs its function: commits skip the synchronous fsync. */
  private deferDepth = 0;
  private lastCommitLsn = 0;
  private commits = 0;
  private waiters: Waiter[] = [];
  /** An fsync is scheduled for the next event-loop turn (the pipeline was idle). */
  private syncScheduled = false;
  /** The group-commit fsync is running (at most one at a time). */
  private syncInFlight = false;
  /** Start another fsync as soon as the one in flight completes (frames were written meanwhile). */
  private syncAgain = false;
  private timers: NodeJS.Timeout[] = [];

  private running: Running | null = null;
  private checkpointScheduled = false;
  private checkpointRetryAt = 0;
  private bytesAtCheckpoint = 0;
  private lastCheckpointAt = Date.now();
  private commitsAtCheckpoint = 0;
  private checkpointCount = 0;
  private lastCheckpoint: CheckpointResult | null = null;
  private lastCheckpointError: string | null = null;

  constructor(options: EngineOptions, hidden: DurableOpenOptions = {}) {
    super();
    const path = options.path;
    if (path === null) throw new TypeError('DurableEngine needs a path');
    this.real = hidden.fileSystem === undefined;
    this.dir = this.real ? resolvePath(path) : path;
    const base = hidden.fileSystem ?? new NodeFileSystem();
    // Readonly: a view that cannot change the directory and reads one instant of it (readonly-fs.ts).
    this.readOnlyFs = options.readonly ? new ReadOnlyFileSystem(base, this.dir) : null;
    this.fs = new CountingFileSystem(this.readOnlyFs ?? base);
    this.options = options;
    this.pageSize = hidden.pageSize;
    const strategy = options.strategy;
    this.policy = new CheckpointPolicy({
      checkpointLogBytes: options.checkpointLogBytes,
      // 'log' compacts on size only; 0 disables the interval trigger.
      checkpointIntervalMs: strategy === 'log' && options.checkpointIntervalMs === undefined ? 0 : options.checkpointIntervalMs,
    });
    this.open();
  }

  // ---- open -----------------------------------------------------------------------------

  private open(): void {
    const fs = this.fs;
    const o = this.options;
    if (!fs.exists(this.dir)) {
      if (o.fileMustExist || o.readonly) throw new AmberError(`unable to open database file: ${this.dir} does not exist`, 'SQLITE_CANTOPEN');
      fs.mkdir(this.dir);
      fs.syncDir(dirName(this.dir));
    }
    // A readonly open takes no LOCK: readers may open while a writer holds it (docs/FORMAT.md).
    if (!o.readonly) this.lock = fs.lock(joinPath(this.dir, LOCK_NAME));
    try {
      this.readOnlyFs?.pin();
      const r = recover(this, fs, this.dir, o.recovery, !o.readonly);
      this.recovery = r.report;
      this.log = r.log;
      this.lastCommitLsn = r.report.lastLsn;
      if (r.manifest === undefined && this.log !== undefined) {
        writeManifest(fs, this.dir, { snapshotLsn: undefined, firstSegment: this.log.currentSegment });
      }
      // snap/ now, so that no checkpoint creates it (and fsyncs its parent) on the event loop.
      if (!o.readonly) ensureDir(fs, joinPath(this.dir, SNAP_DIR));
      this.bytesAtCheckpoint = 0;
    } catch (e) {
      try {
        this.log?.close();
      } catch {
        // the open error is the one to report
      }
      this.lock?.release();
      this.lock = null;
      throw e;
    } finally {
      this.readOnlyFs?.unpin();
    }
    this.store.sink = this;
    this.store.readonly = o.readonly === true;
    if (o.readonly) return;
    if (o.durability === 'interval' && o.strategy !== 'snapshot') {
      this.every(o.syncIntervalMs ?? DEFAULT_SYNC_INTERVAL_MS, () => {
        if (this.log !== undefined && this.log.lastLsn > this.log.syncedLsn) this.requestSync();
      });
    }
    if (o.strategy === 'snapshot') {
      this.every(o.snapshotIntervalMs ?? DEFAULT_SNAPSHOT_INTERVAL_MS, () => this.scheduleCheckpoint('interval'));
    } else if (Number.isFinite(this.policy.intervalMs)) {
      this.every(Math.min(this.policy.intervalMs, 60_000), () => this.maybeCheckpoint());
    }
  }

  private every(ms: number, f: () => void): void {
    const t = setInterval(f, Math.max(1, ms));
    t.unref();
    this.timers.push(t);
  }

  // ---- commit (the ChangeSink) -----------------------------------------------------------

  /** Store.commit hands each committed change set here; throwing makes the Store roll it back. */
  commit(changes: readonly ChangeRecord[]): void {
    if (this.failure !== null) throw this.refusal();
    if (this.options.readonly) throw new AmberError('attempt to write a readonly database', 'SQLITE_READONLY');
    if (this.options.strategy === 'snapshot' || this.log === undefined) {
      this.commits++;
      return;
    }
    const log = this.log;
    let lsn: number;
    // A transactionAsync commit is acknowledged only after a group-commit fsync, which writes its
    // frames first: so they wait in memory and the whole group takes one write() (kill -9 can only
    // lose commits nobody was told about). Every other commit is written before it returns.
    const deferWrite = this.deferDepth > 0 && this.options.durability === 'commit';
    try {
      lsn = log.append(changes, deferWrite);
    } catch (e) {
      throw this.ioError(e, 'write of the redo log');
    }
    this.commits++;
    this.lastCommitLsn = lsn;
    if (this.options.durability === 'commit' && this.deferDepth === 0) {
      this.syncLog(); // throws (and refuses writes from now on) if the fsync fails
    }
    this.maybeCheckpoint();
  }

  /** fsync of the log; on failure the engine refuses writes and the error is thrown. */
  private syncLog(): void {
    const log = this.log;
    if (log === undefined) return;
    try {
      log.sync();
    } catch (e) {
      throw this.ioError(e, 'fsync of the redo log');
    }
    this.settleWaiters();
  }

  /**
   * Classifies an I/O error: ENOSPC from a write fails that one operation (the log writer took
   * the partial frame back); anything else — an fsync, rename or other failure — stops all writes.
   */
  private ioError(e: unknown, what: string): AmberError {
    if (e instanceof AmberError) {
      if (e.code.startsWith('SQLITE_IOERR')) this.fail(e);
      return e;
    }
    const code = fsErrorCode(e);
    const msg = e instanceof Error ? e.message : String(e);
    // A poisoned log (a write of deferred frames failed) has lost committed transactions: stop.
    const poisoned = this.log?.failed !== undefined;
    if (code === 'ENOSPC' && !what.startsWith('fsync') && !poisoned) return new AmberError(`database or disk is full: ${what} failed (${msg})`, 'SQLITE_FULL');
    const err = new AmberError(`disk I/O error: ${what} failed (${msg}); the database refuses writes until it is reopened`, 'SQLITE_IOERR');
    this.fail(err);
    return err;
  }

  private fail(err: AmberError): void {
    if (this.failure === null) this.failure = err;
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w.reject(this.failure);
  }

  private refusal(): AmberError {
    const f = this.failure!;
    return new AmberError(`${f.message.startsWith('disk I/O error') ? '' : 'disk I/O error: '}${f.message}`, f.code);
  }

  private settleWaiters(): void {
    if (this.waiters.length === 0) return;
    const durable = this.durableLsn();
    const keep: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.lsn <= durable) w.resolve();
      else keep.push(w);
    }
    this.waiters = keep;
  }

  private durableLsn(): number {
    return this.log?.syncedLsn ?? this.lastCommitLsn;
  }

  /**
   * Asks the pipeline for an fsync covering everything written so far: the next one if an fsync
   * is in flight (it may have started before the latest frames were written), else one on the
   * next event-loop turn.
   */
  private requestSync(): void {
    if (this.syncInFlight) {
      this.syncAgain = true;
      return;
    }
    if (this.syncScheduled) return;
    this.syncScheduled = true;
    setImmediate(() => {
      this.syncScheduled = false;
      if (!this.isClosed) this.startSync();
    });
  }

  /** Starts one async fsync for every frame written so far (stage 2 of the header's pipeline). */
  private startSync(): void {
    const log = this.log;
    if (this.failure !== null) return this.fail(this.failure);
    if (log === undefined || this.syncInFlight) return;
    if (log.lastLsn <= log.syncedLsn) return this.settleWaiters(); // a synchronous fsync got there first
    this.syncInFlight = true;
    this.syncAgain = false;
    log.syncAsync().then(
      () => this.syncDone(undefined),
      (e: unknown) => this.syncDone(e === undefined ? new Error('fsync failed') : e),
    );
  }

  private syncDone(error: unknown): void {
    this.syncInFlight = false;
    // close() settled every waiter with its own fsync; a killed process acknowledges nothing.
    if (this.isClosed) return;
    if (error !== undefined) {
      this.ioError(error, 'group commit (write and fsync of the redo log)'); // fail() rejects every waiting promise
      return;
    }
    this.settleWaiters();
    const log = this.log;
    if (this.failure !== null || log === undefined || log.lastLsn <= log.syncedLsn) return;
    // Frames written while this fsync ran: the next one starts now, not a turn later.
    if (this.syncAgain || this.waiters.length > 0) this.startSync();
  }

  /** A promise resolved once LSN `lsn` is durable (see the header for what each mode means). */
  private whenDurable(lsn: number, force: boolean): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.refusal());
    if (lsn <= this.durableLsn()) return Promise.resolve();
    if (!force && this.options.durability === 'none') return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ lsn, resolve, reject });
      if (force || this.options.durability === 'commit') this.requestSync();
    });
  }

  /**
   * Runs `body` (a transaction) with its commit's fsync deferred; returns its result and a promise
   * resolved when that commit is durable (group commit: the first fsync that starts after its
   * frame was written covers it — see the header).
   */
  runAsyncCommit<T>(body: () => T): { result: T; durable: Promise<void> } {
    const before = this.lastCommitLsn;
    this.deferDepth++;
    let result: T;
    try {
      result = body();
    } finally {
      this.deferDepth--;
    }
    // Inside an outer transaction nothing has committed yet: wait for the commit that ends it.
    const lsn = this.inTransaction ? this.lastCommitLsn + 1 : this.lastCommitLsn;
    if (lsn === before || this.options.strategy === 'snapshot') return { result, durable: Promise.resolve() };
    return { result, durable: this.whenDurable(lsn, false) };
  }

  /** Resolves when everything committed so far is durable (snapshot strategy: a snapshot is taken). */
  flush(): Promise<void> {
    if (this.isClosed) return Promise.resolve();
    if (this.failure !== null) return Promise.reject(this.refusal());
    if (this.options.strategy === 'snapshot') {
      try {
        if (this.commits !== this.commitsAtCheckpoint) this.checkpoint('flush');
      } catch (e) {
        return Promise.reject(e);
      }
      return Promise.resolve();
    }
    return this.whenDurable(this.lastCommitLsn, true);
  }

  // ---- checkpoints ----------------------------------------------------------------------

  private maybeCheckpoint(): void {
    if (this.log === undefined || this.running !== null || this.checkpointScheduled || this.isClosed) return;
    if (Date.now() < this.checkpointRetryAt) return;
    const d = this.policy.decide({
      logBytesSinceCheckpoint: this.log.bytesAppended - this.bytesAtCheckpoint,
      msSinceCheckpoint: Date.now() - this.lastCheckpointAt,
    });
    if (d !== 'none') this.scheduleCheckpoint(d);
  }

  private scheduleCheckpoint(reason: string): void {
    if (this.running !== null || this.checkpointScheduled || this.isClosed || this.failure !== null) return;
    if (this.options.strategy === 'snapshot' && this.commits === this.commitsAtCheckpoint) return;
    this.checkpointScheduled = true;
    setImmediate(() => {
      this.checkpointScheduled = false;
      this.startSliced(reason);
    });
  }

  /**
   * Begins a sliced checkpoint once nothing in its way needs the disk: the next log segment is
   * prepared off the event loop first (RedoLog.prepareNextSegment: created with a prepared header,
   * fsynced with log/), so that the rotation in beginCheckpoint touches no file. If a rotation
   * took the prepared segment meanwhile (the size trigger), another is prepared, up to
   * PREPARE_ATTEMPTS times; then rotate() creates the segment itself.
   */
  private startSliced(reason: string, attempt = 0): void {
    if (this.isClosed || this.running !== null || this.failure !== null) return;
    if (this.inTransaction) {
      // Never while a transaction is open: its uncommitted rows are in the trees. Wait.
      this.checkpointScheduled = true;
      const t = setTimeout(() => {
        this.checkpointScheduled = false;
        this.startSliced(reason, attempt);
      }, 1);
      t.unref();
      return;
    }
    const log = this.log;
    if (log !== undefined && this.options.strategy !== 'snapshot' && !log.nextSegmentReady && attempt < PREPARE_ATTEMPTS) {
      this.checkpointScheduled = true;
      let prepared: Promise<void>;
      try {
        prepared = log.prepareNextSegment();
      } catch (e) {
        prepared = Promise.reject(e);
      }
      prepared.then(
        () => {
          this.checkpointScheduled = false;
          this.startSliced(reason, attempt + 1);
        },
        (e: unknown) => {
          this.checkpointScheduled = false;
          if (!this.isClosed) this.noteCheckpointError(e);
        },
      );
      return;
    }
    try {
      this.running = this.beginCheckpoint(reason);
    } catch (e) {
      this.noteCheckpointError(e);
      return;
    }
    setImmediate(() => this.slice());
  }

  private slice(): void {
    const r = this.running;
    if (r === null || this.isClosed) return;
    if (this.failure !== null) return this.abandon(r, this.failure.message);
    if (r.fuzzy) {
      if (this.inTransaction) {
        const t = setTimeout(() => this.slice(), 1);
        t.unref();
        return;
      }
      if (this.store.schemaVersion !== r.job.schemaVersion) return this.abandon(r, 'schema changed during the checkpoint');
    }
    try {
      // A slice is bounded by time, not rows: a row costs more on a busy machine, and the stall
      // is what must stay small.
      const t0 = performance.now();
      let done = false;
      while (!done && performance.now() - t0 < SLICE_MS) done = r.job.step(SLICE_CHUNK_ROWS);
      if (!done) {
        setImmediate(() => this.slice());
        return;
      }
    } catch (e) {
      this.running = null;
      r.job.abort();
      this.noteCheckpointError(e);
      return;
    }
    r.rowsLsn = this.log!.lastLsn;
    r.finishing = true;
    void this.finishAsync(r);
  }

  /**
   * The end of an automatic checkpoint, with every wait for the disk off the event loop (for 1M
   * rows the snapshot is tens of MB; a synchronous end stalled the loop for tens of ms). Commits and
   * even DDL may run meanwhile: they are in the log after the begin LSN.
   *   1. fsync of the pages written so far (the bulk);
   *   2. the log durable up to rowsLsn, through group commit's fsync (every commit the snapshot
   *      may hold — the invariant finishCheckpoint states);
   *   3. trailer written; its fsync and MANIFEST.tmp's (written, not yet renamed) both off the loop;
   *   4. snapshot renamed, then snap/ fsynced off the loop (syncDirAsync: a directory fsync waits
   *      for the file system's journal, 10–35 ms on a busy disk); MANIFEST renamed, then its
   *      directory fsynced off the loop; older files removed. Each rename waits for the previous
   *      directory fsync: nothing names the snapshot before it is durable, and nothing the old
   *      MANIFEST named is removed before the new one is (test/persistence/checkpoint-dir-fsync).
   * After every wait the job must still be this engine's: close(), a kill, a failure or
   * db.checkpoint() (which finishes it synchronously from where it is) may have taken it over.
   */
  private async finishAsync(r: Running): Promise<void> {
    const ours = (): boolean => {
      if (this.running !== r || this.isClosed) return false;
      if (this.failure === null) return true;
      this.abandon(r, this.failure.message);
      return false;
    };
    const turn = (): Promise<void> => new Promise((res) => setImmediate(res));
    try {
      await r.job.flushAsync();
      if (!ours()) return;
      await this.whenDurable(r.rowsLsn, true);
      if (!ours()) return;
      r.job.writeTrailer();
      await Promise.all([r.job.flushAsync(), prepareManifest(this.fs, this.dir, { snapshotLsn: r.job.beginLsn, firstSegment: r.job.firstSegment })]);
      if (!ours()) return;
      await turn();
      if (!ours()) return;
      r.info = r.job.finish(false); // rename: the file's fsync is done; its directory's follows
      await this.fs.syncDirAsync(joinPath(this.dir, SNAP_DIR));
      if (!ours()) return;
      r.snapDurable = true;
      renameManifest(this.fs, this.dir);
      r.switched = true;
      await this.fs.syncDirAsync(this.dir); // off the loop: 10–35 ms when the disk is busy
      if (!ours()) return;
      r.manifestDurable = true;
      r.cleaned = true; // claimed: a takeover now leaves the old files to the next checkpoint
      await this.removeReplaced(r);
      if (!ours()) return;
      this.finishCheckpoint(r);
    } catch (e) {
      if (this.running !== r || this.isClosed) return;
      this.running = null;
      r.job.abort();
      this.noteCheckpointError(e);
    }
  }

  private abandon(r: Running, why: string): void {
    this.running = null;
    r.job.abort();
    this.lastCheckpointError = why;
    this.checkpointRetryAt = Date.now() + CHECKPOINT_BACKOFF_MS;
  }

  private noteCheckpointError(e: unknown): void {
    const err = this.ioError(e, 'checkpoint');
    this.lastCheckpointError = err.message;
    this.checkpointRetryAt = Date.now() + CHECKPOINT_BACKOFF_MS;
  }

  /**
   * Starts a checkpoint: hybrid/log rotate the log (the new segment is the first the snapshot
   * needs; its base LSN is the begin LSN); snapshot strategy captures every row reference now.
   */
  private beginCheckpoint(reason: string): Running {
    const log = this.log!;
    const fuzzy = this.options.strategy !== 'snapshot';
    let segment: number;
    if (fuzzy) {
      // Rotating to a prepared segment touches no file (the old one is fsynced before the new
      // one's first write); else rotate() fsyncs the log first: through syncLog, so that a failure
      // stops writes and the waiters it covers are settled.
      if (!log.nextSegmentReady) this.syncLog();
      try {
        segment = log.rotate();
      } catch (e) {
        // A half-created next segment would block every later rotate (create-new): remove it.
        const p = segmentPath(this.dir, log.currentSegment + 1);
        try {
          if (this.fs.exists(p)) this.fs.unlink(p);
        } catch {
          // recovery treats it as a torn tail
        }
        throw e;
      }
      this.settleWaiters();
    } else {
      segment = log.currentSegment;
    }
    const job = SnapshotJob.begin(this.fs, this.dir, this, log.lastLsn, segment, fuzzy ? 'fuzzy' : 'frozen', this.pageSize === undefined ? {} : { pageSize: this.pageSize });
    return { job, reason, fuzzy, bytesAtBegin: log.bytesAppended, commitsAtBegin: this.commits, finishing: false, rowsLsn: log.lastLsn, info: undefined, snapDurable: false, switched: false, manifestDurable: false, cleaned: false };
  }

  /**
   * Finishes a checkpoint whose rows are all written, synchronously, from wherever finishAsync
   * left it (nothing done yet, snapshot renamed, or MANIFEST switched).
   */
  private finishCheckpoint(r: Running): CheckpointResult {
    const log = this.log!;
    this.running = null;
    let info = r.info;
    if (!r.switched) {
      // Invariant: every commit whose rows the fuzzy snapshot may hold is durable in the log before
      // MANIFEST names the snapshot; otherwise a power loss could keep half of a transaction.
      try {
        if (log.syncedLsn < r.rowsLsn) this.syncLog();
        if (info === undefined) info = r.job.finish();
        // Invariant: the snapshot's rename is durable before MANIFEST names it (finishAsync renamed
        // it and was taken over while snap/'s fsync was in flight).
        else if (!r.snapDurable) this.fs.syncDir(joinPath(this.dir, SNAP_DIR));
      } catch (e) {
        r.job.abort();
        throw e;
      }
      writeManifest(this.fs, this.dir, { snapshotLsn: r.job.beginLsn, firstSegment: r.job.firstSegment });
    } else if (!r.manifestDurable) {
      // Invariant: the MANIFEST rename is durable before the files the old one named are removed
      // (finishAsync renamed it and was taken over while its directory fsync was in flight).
      this.fs.syncDir(this.dir);
    }
    r.manifestDurable = true;
    if (info === undefined) throw new Error('checkpoint: MANIFEST switched before the snapshot was installed');
    if (!r.cleaned) this.removeReplacedSync(r);
    this.bytesAtCheckpoint = r.bytesAtBegin;
    this.commitsAtCheckpoint = r.commitsAtBegin;
    this.lastCheckpointAt = Date.now();
    this.checkpointCount++;
    this.lastCheckpointError = null;
    const result: CheckpointResult = {
      lsn: r.job.beginLsn,
      rows: info.rows,
      bytes: info.bytes,
      ms: performance.now() - r.job.startedAt,
      reason: r.reason,
      at: Date.now(),
    };
    this.lastCheckpoint = result;
    return result;
  }

  /** After the MANIFEST switch: older segments and snapshots, and stale *.snap.tmp, removed. */
  private removeReplacedSync(r: Running): void {
    const log = this.log!;
    // Only now is anything older unneeded.
    log.dropSegmentsBefore(r.job.firstSegment);
    let removed = false;
    for (const old of listSnapshots(this.fs, this.dir)) {
      if (old < r.job.beginLsn) {
        this.fs.unlink(snapshotPath(this.dir, old));
        removed = true;
      }
    }
    for (const name of this.fs.readdir(joinPath(this.dir, SNAP_DIR))) {
      if (name.endsWith('.snap.tmp')) {
        this.fs.unlink(joinPath(this.dir, SNAP_DIR, name));
        removed = true;
      }
    }
    if (removed) this.fs.syncDir(joinPath(this.dir, SNAP_DIR));
  }

  /** removeReplacedSync off the event loop: each unlink on the thread pool (a snapshot is big). */
  private async removeReplaced(r: Running): Promise<void> {
    const fs = this.fs;
    // Stop as soon as the engine is closed or killed: the directory may be reopened meanwhile.
    const gone = (): boolean => this.running !== r || this.isClosed;
    const log = this.log!;
    const segments = log.segmentsBefore(r.job.firstSegment);
    for (const s of segments) {
      if (gone()) return;
      await fs.unlinkAsync(segmentPath(this.dir, s));
      log.forgetSegment(s);
    }
    if (gone()) return;
    if (segments.length > 0) await fs.syncDirAsync(joinPath(this.dir, LOG_DIR));
    const snaps = joinPath(this.dir, SNAP_DIR);
    const listed = await fs.readdirAsync(snaps);
    if (gone()) return;
    const names = [
      ...numberedNames(listed, 'snap').filter((lsn) => lsn < r.job.beginLsn).map((lsn) => snapshotPath(this.dir, lsn)),
      ...listed.filter((n) => n.endsWith('.snap.tmp')).map((n) => joinPath(snaps, n)),
    ];
    for (const p of names) {
      if (gone()) return;
      await fs.unlinkAsync(p);
    }
    if (names.length > 0 && !gone()) await fs.syncDirAsync(snaps);
  }

  /**
   * db.checkpoint(): a complete checkpoint now, synchronously (a running sliced one is finished
   * first, if still valid). Refused inside a transaction (SQLITE_BUSY).
   */
  checkpoint(reason = 'forced'): CheckpointResult | null {
    if (this.isClosed) throw new TypeError('The database connection is not open');
    if (this.failure !== null) throw this.refusal();
    if (this.options.readonly) return null;
    if (this.inTransaction) throw new AmberError('cannot checkpoint while a transaction is open', 'SQLITE_BUSY');
    let r = this.running;
    if (r !== null && r.fuzzy && !r.finishing && this.store.schemaVersion !== r.job.schemaVersion) {
      this.abandon(r, 'schema changed during the checkpoint');
      r = null;
    }
    try {
      if (r === null) r = this.beginCheckpoint(reason);
      this.running = r;
      if (!r.finishing) {
        r.job.step(Infinity);
        r.rowsLsn = this.log!.lastLsn;
        r.finishing = true;
      }
      return this.finishCheckpoint(r);
    } catch (e) {
      this.running = null;
      r?.job.abort();
      const err = this.ioError(e, 'checkpoint');
      this.lastCheckpointError = err.message;
      throw err;
    }
  }

  // ---- backup, stats, close ---------------------------------------------------------------

  /** A consistent copy in directory `dest`: a point-in-time snapshot, an empty log, a MANIFEST. */
  async backup(dest: string): Promise<{ totalPages: number; remainingPages: number }> {
    return backupStore(this, this.fs, this.real ? resolvePath(dest) : dest, this.log?.lastLsn ?? 0, this.pageSize);
  }

  stats(): PersistenceStats {
    const log = this.log;
    // From memory: stats() may be called every event-loop turn and must not wait for the disk.
    const { segments, bytes: logBytes } = log !== undefined && !this.isClosed ? log.diskUsage() : { segments: 0, bytes: 0 };
    const mem = estimateMemory(this.store);
    return {
      path: this.dir,
      strategy: this.options.strategy,
      durability: this.options.durability,
      memoryBytes: mem.bytes,
      tables: mem.tables,
      rows: mem.rows,
      commits: this.commits,
      fsyncs: this.fs.fsyncs,
      log:
        log === undefined
          ? null
          : {
              bytes: logBytes,
              bytesSinceCheckpoint: log.bytesAppended - this.bytesAtCheckpoint,
              segments,
              lastLsn: log.lastLsn,
              durableLsn: log.syncedLsn,
            },
      checkpoint: { count: this.checkpointCount, running: this.running !== null, last: this.lastCheckpoint, lastError: this.lastCheckpointError },
      recovery: this.recovery,
      failure: this.failure?.message ?? null,
    };
  }

  /** @internal For tests: stop as a kill -9 would — no fsync, no close, LOCK left — and never act again. */
  simulateKill(): void {
    this.isClosed = true;
    // A dead process acknowledges nothing more: its waiting promises never resolve (rejected
    // here only so that tests do not wait for them forever).
    const ws = this.waiters;
    this.waiters = [];
    const killed = new AmberError('the process was killed before the commit was durable', 'SQLITE_IOERR');
    for (const w of ws) w.reject(killed);
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.running = null;
    this.store.sink = null;
  }

  override close(): void {
    if (this.isClosed) return;
    let error: unknown = undefined;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    if (this.running !== null) {
      this.running.job.abort();
      this.running = null;
    }
    if (this.inTransaction) this.store.rollback(); // closing discards an open transaction
    if (this.failure === null && !this.options.readonly) {
      try {
        if (this.options.strategy === 'snapshot') {
          if (this.commits !== this.commitsAtCheckpoint) this.checkpoint('close');
        } else {
          this.syncLog();
        }
      } catch (e) {
        error = e;
      }
    }
    this.isClosed = true;
    this.fail(this.failure ?? new AmberError('The database connection was closed before the commit was durable', 'SQLITE_IOERR'));
    try {
      this.log?.close();
    } catch (e) {
      error ??= e;
    }
    this.lock?.release();
    this.lock = null;
    this.store.sink = null;
    super.close();
    if (error !== undefined) throw error;
  }
}

/** backup() for any store: `lsn` names the snapshot; the copy's log continues after it. */
export async function backupStore(
  engine: MemoryEngine,
  fs: FileSystem,
  dest: string,
  lsn: number,
  pageSize?: number,
): Promise<{ totalPages: number; remainingPages: number }> {
  const dir = dest;
  if (engine.inTransaction) throw new AmberError('cannot back up while a transaction is open', 'SQLITE_BUSY');
  if (fs.exists(joinPath(dir, 'MANIFEST'))) throw new AmberError(`backup destination already holds a database: ${dest}`, 'SQLITE_CANTOPEN');
  if (!fs.exists(dir)) {
    fs.mkdir(dir);
    fs.syncDir(dirName(dir));
  }
  // Frozen: the copy is the state at this instant, whatever commits run while it is written.
  const job = SnapshotJob.begin(fs, dir, engine, lsn, 1, 'frozen', pageSize === undefined ? {} : { pageSize });
  try {
    while (!job.step(SLICE_ROWS)) await new Promise<void>((r) => setImmediate(r));
    const info = job.finish();
    ensureDir(fs, joinPath(dir, LOG_DIR));
    if (!fs.exists(segmentPath(dir, 1))) LogWriter.create(fs, dir, 1, lsn).close();
    writeManifest(fs, dir, { snapshotLsn: lsn, firstSegment: 1 });
    return { totalPages: info.pages, remainingPages: 0 };
  } catch (e) {
    job.abort();
    throw e;
  }
}
