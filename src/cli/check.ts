// `amberdb check DIR`: verifies a database directory without changing it and without taking its
// LOCK (a running writer may hold it), and says what it found:
//   1. MANIFEST: format and checksum, and that the files it names exist;
//   2. the current snapshot: every page (CRC, type, number, `used`), every entry, the trailer's
//      counts and file checksum — read in salvage mode so that every bad page is listed, not only
//      the first;
//   3. the log from the first live segment: every frame (salted CRC, sequence of LSNs) and every
//      change set decoded; a torn tail is reported as what it is, a clean end of unacknowledged
//      writes that the next open cuts off, not damage;
//   4. if all of that holds, a read-only open (the real recovery) and PRAGMA integrity_check.
// Exit status: 0 nothing wrong, 1 damage found (each named with its file and offset), 2 the
// directory could not be read as a database at all.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { Database } from '../api/database';
import { ByteReader, DecodeError } from '../durability/bytes';
import { readChangeSet } from '../durability/codec';
import { joinPath } from '../durability/fs/file-system';
import { NodeFileSystem } from '../durability/fs/node-fs';
import { LOCK_NAME, LOG_DIR, MANIFEST_NAME, SNAP_DIR, listSegments, listSnapshots, segmentFileName, segmentPath, snapshotFileName, snapshotPath } from '../durability/layout';
import { isPreparedSegment, readLogFrom } from '../durability/log-reader';
import { readManifest, type Manifest } from '../durability/manifest';
import { SnapshotReader } from '../durability/snapshot-reader';
import { AmberError } from '../value/amber-error';
import { parseToolArguments } from './args';
import { formatBytes } from './progress';
import type { ShellIo } from './shell';

export interface CheckLine {
  /** The file (relative to DIR) or step the line is about. */
  readonly subject: string;
  readonly state: 'ok' | 'note' | 'damage';
  readonly text: string;
}

export interface CheckReport {
  readonly dir: string;
  /** 0 ok, 1 damage found, 2 not readable as a database. */
  readonly status: 0 | 1 | 2;
  readonly lines: readonly CheckLine[];
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const isCorrupt = (e: unknown): e is AmberError => e instanceof AmberError && e.code === 'SQLITE_CORRUPT';
/** "database disk image is malformed: log/1.log at offset 7: x" -> "log/1.log at offset 7: x". */
const detail = (e: AmberError): string => e.message.replace(/^database disk image is malformed: /, '');

class Unreadable extends Error {}

export function checkDirectory(dirGiven: string, options: { replay?: boolean } = {}): CheckReport {
  const dir = resolve(dirGiven);
  const lines: CheckLine[] = [];
  const add = (subject: string, state: CheckLine['state'], text: string): void => void lines.push({ subject, state, text });
  const done = (status: 0 | 1 | 2): CheckReport => ({ dir, status, lines });
  const fs = new NodeFileSystem();

  try {
    let isDir = false;
    try {
      isDir = statSync(dir).isDirectory();
    } catch (e) {
      throw new Unreadable(`cannot read ${dirGiven}: ${e instanceof Error && 'code' in e ? String(e.code) : String(e)}`);
    }
    if (!isDir) throw new Unreadable(`${dirGiven} is not a directory`);
    if (!fs.exists(joinPath(dir, MANIFEST_NAME)) && listSegments(fs, dir).length === 0 && listSnapshots(fs, dir).length === 0) {
      throw new Unreadable(`${dirGiven} is not an AmberDB database directory (no MANIFEST, no log, no snapshot)`);
    }

    // 1. MANIFEST (when damaged, go on with the newest snapshot and the lowest segment).
    let manifest: Manifest | undefined;
    try {
      manifest = readManifest(fs, dir);
      if (manifest === undefined) add(MANIFEST_NAME, 'damage', 'missing (the directory holds a log or snapshots)');
      else {
        const snap = manifest.snapshotLsn === undefined ? 'no snapshot yet' : `snapshot ${snapshotFileName(manifest.snapshotLsn)}`;
        add(MANIFEST_NAME, 'ok', `${snap}, log from ${segmentFileName(manifest.firstSegment)}`);
      }
    } catch (e) {
      if (!isCorrupt(e)) throw e;
      add(MANIFEST_NAME, 'damage', detail(e).replace(/^MANIFEST: /, ''));
    }
    const snapshotLsn = manifest !== undefined ? manifest.snapshotLsn : listSnapshots(fs, dir).at(-1);
    const firstSegment = manifest?.firstSegment ?? listSegments(fs, dir)[0];

    // 2. The snapshot, every page.
    if (snapshotLsn !== undefined && fs.exists(snapshotPath(dir, snapshotLsn))) checkSnapshot(fs, dir, snapshotLsn, add);

    // 3. The log, every frame.
    if (firstSegment !== undefined) checkLog(fs, dir, firstSegment, snapshotLsn, add);

    // Files the database does not use (kept for a person to look at, or left by a crash).
    for (const s of listSnapshots(fs, dir)) {
      if (s !== snapshotLsn) add(`${SNAP_DIR}/${snapshotFileName(s)}`, 'note', 'not the current snapshot (removed by the next checkpoint)');
    }
    for (const s of listSegments(fs, dir)) {
      if (firstSegment !== undefined && s < firstSegment) add(`${LOG_DIR}/${segmentFileName(s)}`, 'note', 'before the first live segment: not used');
    }
    for (const name of safeReaddir(fs, joinPath(dir, LOG_DIR))) {
      if (name.endsWith('.damaged')) add(`${LOG_DIR}/${name}`, 'note', 'set aside by an earlier recovery; not used');
    }
    const lockPath = joinPath(dir, LOCK_NAME);
    if (fs.exists(lockPath)) {
      const holder = readFileSync(lockPath, 'utf8').trim();
      add(LOCK_NAME, 'note', `present (${holder === '' ? 'empty' : `pid and host: ${holder}`}); checked without taking it`);
    }

    // 4. The real recovery, read-only, and the engine's own integrity check.
    const damaged = lines.some((l) => l.state === 'damage');
    if (!damaged && options.replay !== false && manifest !== undefined) replay(dir, add);
    return done(lines.some((l) => l.state === 'damage') ? 1 : 0);
  } catch (e) {
    if (e instanceof Unreadable) {
      add(dirGiven, 'damage', e.message);
      return done(2);
    }
    if (isCorrupt(e)) {
      add('?', 'damage', detail(e));
      return done(1);
    }
    add(dirGiven, 'damage', `cannot read: ${e instanceof Error ? e.message : String(e)}`);
    return done(2);
  }
}

function safeReaddir(fs: NodeFileSystem, path: string): string[] {
  try {
    return fs.exists(path) ? fs.readdir(path) : [];
  } catch {
    return [];
  }
}

type Add = (subject: string, state: CheckLine['state'], text: string) => void;

function checkSnapshot(fs: NodeFileSystem, dir: string, lsn: number, add: Add): void {
  const name = `${SNAP_DIR}/${snapshotFileName(lsn)}`;
  let reader: SnapshotReader;
  try {
    reader = SnapshotReader.open(fs, snapshotPath(dir, lsn), 'salvage');
  } catch (e) {
    if (!isCorrupt(e)) throw e;
    add(name, 'damage', detail(e).replace(`${name} `, ''));
    return;
  }
  let rows = 0;
  try {
    for (const _ of reader.rows()) rows++;
  } catch (e) {
    if (!isCorrupt(e)) throw e;
    add(name, 'damage', detail(e).replace(`${name} `, ''));
    return;
  }
  const r = reader.report;
  for (const s of r.skipped) add(name, 'damage', `page ${s.page} at offset ${s.offset}: ${s.reason}`);
  if (r.skipped.length === 0 && !r.trailerVerified) add(name, 'damage', 'trailer missing or not verified');
  if (r.skipped.length === 0 && r.trailerVerified) {
    add(name, 'ok', `${plural(r.pages, 'page')} of ${formatBytes(reader.pageSize)} verified, ${plural(rows, 'row')}, begin LSN ${reader.beginLsn}`);
  }
}

function checkLog(fs: NodeFileSystem, dir: string, firstSegment: number, snapshotLsn: number | undefined, add: Add): void {
  const scan = readLogFrom(fs, dir, { firstSegment, fromLsn: snapshotLsn, stopAtCorruption: true });
  const perSegment = new Map<number, { count: number; first: number; last: number }>();
  const bad: { segment: number; offset: number; text: string }[] = [];
  try {
    for (const tx of scan.transactions()) {
      const s = perSegment.get(tx.segment) ?? { count: 0, first: tx.lsn, last: tx.lsn };
      s.count++;
      s.last = tx.lsn;
      perSegment.set(tx.segment, s);
      try {
        readChangeSet(new ByteReader(tx.payload));
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
        bad.push({ segment: tx.segment, offset: tx.offset, text: `at offset ${tx.offset}: transaction ${tx.lsn}: ${e.message}` });
      }
    }
  } catch (e) {
    if (!isCorrupt(e)) throw e;
    const m = /^(log\/\S+) (.*)$/s.exec(detail(e));
    add(m?.[1] ?? `${LOG_DIR}/`, 'damage', m?.[2] ?? detail(e));
    return;
  }
  const end = scan.end;
  const segments = listSegments(fs, dir).filter((s) => s >= firstSegment);
  let after = false;
  for (const seg of segments) {
    const name = `${LOG_DIR}/${segmentFileName(seg)}`;
    if (after) {
      add(name, 'damage', 'not read: it follows the damage above');
      continue;
    }
    const s = perSegment.get(seg);
    const size = fs.fileSize(segmentPath(dir, seg));
    const txs = s === undefined ? 'no transactions after the snapshot' : `${plural(s.count, 'transaction')} (LSN ${s.first}${s.last !== s.first ? `-${s.last}` : ''})`;
    const own = bad.filter((b) => b.segment === seg);
    for (const b of own) add(name, 'damage', b.text);
    if (end?.kind === 'corrupt' && end.segment === seg) {
      add(name, 'damage', `at offset ${end.offset}: ${end.reason}`);
      after = true;
    } else if (end?.kind === 'torn' && end.segment === seg) {
      add(name, 'ok', `${txs}, ${formatBytes(size)}`);
      add(name, 'note', `torn tail at offset ${end.offset} (${end.reason}): a write never acknowledged; the next open cuts it off`);
    } else if (end?.kind === 'clean' && end.segment === seg && end.header === undefined && isPreparedSegment(fs, segmentPath(dir, seg))) {
      add(name, 'ok', `prepared ahead of the next rotation, holds nothing, ${formatBytes(size)}`);
    } else if (own.length === 0) {
      add(name, 'ok', `${txs}, ${formatBytes(size)}, every frame verified`);
    }
  }
}

function replay(dir: string, add: Add): void {
  let db: Database;
  try {
    db = new Database(dir, { readonly: true, fileMustExist: true });
  } catch (e) {
    add('recovery', 'damage', e instanceof Error ? e.message : String(e));
    return;
  }
  try {
    const stats = db.stats();
    const result = db.prepare('PRAGMA integrity_check').pluck(true).all() as unknown[];
    const tables = Object.keys(stats.tables).length;
    if (result.length === 1 && result[0] === 'ok') add('recovery', 'ok', `read-only open: ${plural(stats.rows, 'row')} in ${plural(tables, 'table')}; integrity_check ok`);
    else for (const r of result) add('integrity_check', 'damage', String(r));
  } finally {
    db.close();
  }
}

export function formatReport(report: CheckReport, title: string): string {
  const width = Math.max(20, ...report.lines.map((l) => l.subject.length)) + 2;
  let out = `${title}\n`;
  for (const l of report.lines) {
    const mark = l.state === 'ok' ? 'ok' : l.state === 'note' ? 'note' : 'DAMAGE';
    out += `  ${l.subject.padEnd(width)}${mark.padEnd(8)}${l.text}\n`;
  }
  return out;
}

export function checkSummary(report: CheckReport): string {
  const problems = report.lines.filter((l) => l.state === 'damage').length;
  if (report.status === 0) return 'result: ok\n';
  if (report.status === 2) return 'result: cannot read the directory as a database\n';
  return `result: ${plural(problems, 'problem')} found; \`amberdb repair DIR OUT\` salvages what verifies into a new directory\n`;
}

/** `amberdb check [--no-replay] DIR` */
export function runCheckCommand(argv: readonly string[], version: string, io: ShellIo): number {
  const program = new Command('amberdb check')
    .description('Verify every page of the snapshot and every frame of the log of DIR, read-only\nexit status: 0 ok, 1 damage found, 2 cannot read')
    .argument('<DIR>', 'database directory')
    .option('--no-replay', 'skip the read-only open and PRAGMA integrity_check after the file checks');
  const early = parseToolArguments(program, argv, version, io);
  if (early !== null) return early;
  const [dir = ''] = program.processedArgs as [string];
  const report = checkDirectory(dir, { replay: program.opts<{ replay: boolean }>().replay });
  io.out(formatReport(report, `amberdb check ${report.dir}`) + checkSummary(report));
  return report.status;
}
