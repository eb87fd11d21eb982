// RedoLog: the log as the engine uses it. open() scans and verifies the live segments (handing
// each committed change set after `fromLsn` to `onTransaction` — the replay half of recovery),
// repairs the tail, and leaves a writer positioned after the last valid frame. Then
// append(records) per commit, sync() to make them durable (group commit calls syncAsync() once for
// many, and appends go on while it runs),
// rotate() when a checkpoint begins, dropSegmentsBefore() once MANIFEST no longer needs them.
//
// Recovery modes (DESIGN §2 `recovery`):
//   every mode    a torn tail (log-reader.ts rule 3) is cut off and reported in `report.torn`;
//   'strict'      corruption throws SQLITE_CORRUPT naming file and offset; nothing is changed;
//   'truncate-tail', 'salvage'
//                 corruption ends the log there: the segment is cut at the last valid frame, later
//                 segments are renamed NNNNNNNN.log.damaged (kept for inspection, never read),
//                 and `report.dropped` says what was lost. Transactions after a gap cannot be
//                 replayed safely, so salvage of the log stops at the first damage too.
import { ByteWriter } from './bytes';
import type { ChangeRecord } from './change-record';
import { writeChangeSet } from './codec';
import type { FileSystem } from './fs/file-system';
import { joinPath } from './fs/file-system';
import { LOG_DIR, ensureDir, listSegments, segmentPath } from './layout';
import { LogScan } from './log-reader';
import type { LogEnd } from './log-reader';
import { LogWriter } from './log-writer';
import type { PreparedSegment } from './log-writer';
import type { LogWriterOptions } from './log-writer';

export type RecoveryMode = 'strict' | 'truncate-tail' | 'salvage';

export interface RedoLogOptions extends LogWriterOptions {
  /** First live segment, from MANIFEST. Undefined: a new database (or every segment present). */
  readonly firstSegment?: number;
  /** Replay only transactions after this LSN (the snapshot's begin LSN). */
  readonly fromLsn?: number;
  readonly recovery?: RecoveryMode;
  /** Start a new segment once the current one reaches this size (bytes). Default 64 MiB. */
  readonly maxSegmentBytes?: number;
  /** Receives every committed change set after fromLsn, in LSN order, during open. */
  readonly onTransaction?: (lsn: number, records: ChangeRecord[]) => void;
}

export interface LogRecoveryReport {
  /** Transactions handed to onTransaction. */
  readonly replayed: number;
  /** LSN of the last valid transaction in the log. */
  readonly lastLsn: number;
  /** A torn tail that was cut off. */
  readonly torn?: { readonly segment: number; readonly offset: number; readonly reason: string };
  /** Corruption that was cut off ('truncate-tail' / 'salvage' only). */
  readonly dropped?: { readonly segment: number; readonly offset: number; readonly reason: string; readonly segmentsMovedAside: number[] };
}

export const DEFAULT_MAX_SEGMENT_BYTES = 64 * 1024 * 1024;

export class RedoLog {
  private readonly scratch = new ByteWriter(64 * 1024);
  private bytes = 0;
  /**
   * Bytes on disk of each segment file before the current one, kept up to date by rotate() and
   * the removals, so that db.stats() never lists the directory (a readdir can wait behind another
   * directory operation for milliseconds on a busy disk).
   */
  private readonly olderSegments = new Map<number, number>();
  /** The next segment, created ahead (prepareNextSegment); `preparing` until it is durable. */
  private prepared: PreparedSegment | undefined;
  private preparing: Promise<void> | undefined;

  private constructor(
    private readonly fs: FileSystem,
    private readonly dir: string,
    private writer: LogWriter,
    private readonly opts: RedoLogOptions,
    readonly report: LogRecoveryReport,
  ) {}

  /** Opens (or creates) the log of database directory `dir`; see the header for the modes. */
  static open(fs: FileSystem, dir: string, opts: RedoLogOptions = {}): RedoLog {
    ensureDir(fs, joinPath(dir, LOG_DIR));
    const mode = opts.recovery ?? 'strict';
    const scan = new LogScan(fs, dir, {
      firstSegment: opts.firstSegment,
      fromLsn: opts.fromLsn,
      stopAtCorruption: mode !== 'strict',
    });
    let replayed = 0;
    for (const { lsn, records } of scan.changeSets()) {
      opts.onTransaction?.(lsn, records);
      replayed++;
    }
    const end = scan.end as LogEnd;
    let report: LogRecoveryReport = { replayed, lastLsn: scan.lastLsn };
    if (end.kind === 'torn') report = { ...report, torn: { segment: end.segment, offset: end.offset, reason: end.reason } };
    let moved: number[] = [];
    if (end.kind === 'corrupt') {
      moved = listSegments(fs, dir).filter((s) => s > end.segment);
      for (const s of moved) fs.rename(segmentPath(dir, s), `${segmentPath(dir, s)}.damaged`);
      report = { ...report, dropped: { segment: end.segment, offset: end.offset, reason: end.reason, segmentsMovedAside: moved } };
    }
    // A prepared segment after a torn or clean end in the one before it held nothing: removed, so
    // that the next rotation can create it again.
    let removed = false;
    if (end.kind !== 'corrupt') {
      for (const s of listSegments(fs, dir).filter((n) => n > end.segment)) {
        fs.unlink(segmentPath(dir, s));
        removed = true;
      }
    }
    // A segment whose header never became durable, or whose header is the damage, is replaced.
    const header = end.header;
    let writer: LogWriter;
    const fresh = header === undefined;
    if (fresh) {
      if (fs.exists(segmentPath(dir, end.segment))) {
        const p = segmentPath(dir, end.segment);
        if (end.kind === 'corrupt') fs.rename(p, `${p}.damaged`);
        else fs.unlink(p);
      }
      writer = LogWriter.create(fs, dir, end.segment, Math.max(scan.lastLsn, opts.fromLsn ?? 0), opts);
    } else {
      writer = LogWriter.reopen(fs, dir, header, end.offset, scan.lastLsn, opts, end.kind === 'clean');
    }
    if (moved.length > 0 || fresh || removed) fs.syncDir(joinPath(dir, LOG_DIR));
    const log = new RedoLog(fs, dir, writer, opts, report);
    for (const s of listSegments(fs, dir)) if (s < writer.segment) log.olderSegments.set(s, fs.fileSize(segmentPath(dir, s)));
    return log;
  }

  /** LSN of the last transaction appended. */
  get lastLsn(): number {
    return this.writer.lastLsn;
  }
  /** LSN of the last transaction known durable (fsynced). */
  get syncedLsn(): number {
    return this.writer.syncedLsn;
  }
  /** The segment being written. */
  get currentSegment(): number {
    return this.writer.segment;
  }
  /** Bytes appended since open (checkpoint policy input: subtract the value at the last checkpoint). */
  get bytesAppended(): number {
    return this.bytes;
  }

  /**
   * Logs one committed transaction and returns its LSN. Its frames are handed to the OS now (not
   * yet durable), or with `deferWrite` kept in memory until the next append or sync writes them
   * (LogWriter.append: group commit's commits, acknowledged only after a sync).
   */
  append(records: readonly ChangeRecord[], deferWrite = false): number {
    if (this.writer.size >= (this.opts.maxSegmentBytes ?? DEFAULT_MAX_SEGMENT_BYTES)) this.rotate();
    const before = this.writer.size;
    const lsn = this.writer.append(records, writeChangeSet, deferWrite);
    this.bytes += this.writer.size - before;
    return lsn;
  }

  /** The error that poisoned the log (a failed fsync, or a failed write of deferred frames). */
  get failed(): unknown {
    return this.writer.failed;
  }

  /** Makes every appended transaction durable; throws (and stays failed) if fsync fails. */
  sync(): void {
    this.writer.sync();
  }

  /**
   * Group commit's fsync: makes every transaction appended before the call durable, off the event
   * loop (pending frames written first); resolves with the last LSN covered. A rotation while it
   * runs leaves the old segment's writer behind the new one (LogWriter.follow): syncedLsn follows
   * the old segment until it is retired; its file is closed once this fsync has settled
   * (FileHandle.syncAsync).
   */
  syncAsync(): Promise<number> {
    return this.writer.syncAsync();
  }

  /**
   * Prepares the next segment off the event loop (LogWriter.prepare), so that rotate() does not
   * wait for the disk; resolves when it is durable (at once if it already is). A failure
   * removes it (rotate() then creates the segment itself) and rejects.
   */
  prepareNextSegment(): Promise<void> {
    const next = this.writer.segment + 1;
    if (this.prepared?.segment === next) return this.preparing ?? Promise.resolve();
    const { prepared, durable } = LogWriter.prepare(this.fs, this.dir, next);
    this.prepared = prepared;
    this.preparing = durable.then(
      () => {
        if (this.preparing === p) this.preparing = undefined;
      },
      (e: unknown) => {
        if (this.prepared === prepared) this.prepared = undefined;
        if (this.preparing === p) this.preparing = undefined;
        throw e;
      },
    );
    const p = this.preparing;
    return p;
  }

  /** The next segment is prepared and durable: rotate() will not touch the disk beyond a write. */
  get nextSegmentReady(): boolean {
    return this.prepared?.segment === this.writer.segment + 1 && this.prepared.durable;
  }

  /**
   * Ends the current segment and starts the next; returns the new segment's number. A checkpoint
   * calls this at its begin LSN, so the new segment is the first one it needs. A prepared next
   * segment is adopted without touching the disk (the old segment is fsynced before the new one's
   * first write: LogWriter.follow); else the old segment is fsynced and the next one created.
   */
  rotate(): number {
    const old = this.writer;
    if (old.failed !== undefined) throw old.failed;
    const prepared = this.prepared;
    this.prepared = undefined;
    const segment = old.segment + 1;
    let next: LogWriter;
    if (prepared?.segment === segment) {
      // No disk access: the new writer makes the old segment durable before its first write.
      next = LogWriter.adopt(this.fs, prepared, old.lastLsn, this.opts);
      next.follow(old);
    } else {
      // create() writes and fsyncs the new header at once, so the old segment must be durable first.
      old.sync();
      next = LogWriter.create(this.fs, this.dir, segment, old.lastLsn, this.opts);
      old.close();
    }
    this.olderSegments.set(old.segment, old.fileBytes);
    this.writer = next;
    return next.segment;
  }

  /** The segment files on disk, from memory: how many, and their bytes (zero tails included). */
  diskUsage(): { segments: number; bytes: number } {
    let bytes = this.writer.fileBytes + (this.prepared !== undefined ? this.prepared.bytes : 0);
    for (const b of this.olderSegments.values()) bytes += b;
    return { segments: this.olderSegments.size + 1 + (this.prepared !== undefined ? 1 : 0), bytes };
  }

  /** Segments before `segment` still on disk (oldest first). */
  segmentsBefore(segment: number): number[] {
    return [...this.olderSegments.keys()].filter((s) => s < segment).sort((a, b) => a - b);
  }

  /** Segment `segment` was removed from disk (by the caller, e.g. off the event loop). */
  forgetSegment(segment: number): void {
    this.olderSegments.delete(segment);
  }

  /** Removes segments before `segment` (after a MANIFEST naming `segment` is durable). */
  dropSegmentsBefore(segment: number): void {
    let any = false;
    for (const s of listSegments(this.fs, this.dir)) {
      if (s >= segment) break;
      this.fs.unlink(segmentPath(this.dir, s));
      this.olderSegments.delete(s);
      any = true;
    }
    if (any) this.fs.syncDir(joinPath(this.dir, LOG_DIR));
  }

  /** Closes the files; a prepared segment stays on disk (recovery takes it for a clean end). */
  close(): void {
    this.writer.close();
    this.prepared?.release();
    this.prepared = undefined;
  }

  /** Scratch encoder exposed for callers that size change sets (e.g. statistics). */
  encodedSize(records: readonly ChangeRecord[]): number {
    this.scratch.reset();
    writeChangeSet(this.scratch, records);
    return this.scratch.pos;
  }
}
