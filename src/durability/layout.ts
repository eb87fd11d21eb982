// Names of the files in a database directory (DESIGN §6, docs/FORMAT.md "Directory layout"):
//   MANIFEST            current snapshot + first live log segment
//   LOCK                held while open
//   snap/NNNNNNNN.snap  snapshot whose begin LSN is NNNNNNNN
//   log/NNNNNNNN.log    redo log segment number NNNNNNNN
// Numbers are decimal, zero-padded to at least 8 digits (more when they outgrow them); readers
// parse any width and sort numerically.
import { joinPath } from './fs/file-system';
import type { FileSystem } from './fs/file-system';
import { dirName } from './fs/file-system';

export const MANIFEST_NAME = 'MANIFEST';
export const LOCK_NAME = 'LOCK';
export const LOG_DIR = 'log';
export const SNAP_DIR = 'snap';

export function pad8(n: number): string {
  return String(n).padStart(8, '0');
}
export function segmentFileName(segment: number): string {
  return `${pad8(segment)}.log`;
}
export function snapshotFileName(lsn: number): string {
  return `${pad8(lsn)}.snap`;
}
export function segmentPath(dir: string, segment: number): string {
  return joinPath(dir, LOG_DIR, segmentFileName(segment));
}
export function snapshotPath(dir: string, lsn: number): string {
  return joinPath(dir, SNAP_DIR, snapshotFileName(lsn));
}

function numbered(fs: FileSystem, path: string, ext: string): number[] {
  if (!fs.exists(path)) return [];
  return numberedNames(fs.readdir(path), ext);
}

/** The numbers of the names NNNNNNNN.<ext> among `names`, ascending. */
export function numberedNames(names: readonly string[], ext: string): number[] {
  const re = new RegExp(`^(\\d{8,})\\.${ext}$`);
  const out: number[] = [];
  for (const name of names) {
    const m = re.exec(name);
    if (m !== null) out.push(Number(m[1]));
  }
  return out.sort((a, b) => a - b);
}

/** Segment numbers present in DIR/log, ascending. */
export function listSegments(fs: FileSystem, dir: string): number[] {
  return numbered(fs, joinPath(dir, LOG_DIR), 'log');
}
/** Snapshot LSNs present in DIR/snap, ascending (temporary files excluded). */
export function listSnapshots(fs: FileSystem, dir: string): number[] {
  return numbered(fs, joinPath(dir, SNAP_DIR), 'snap');
}

/** mkdir, then make the new entry durable in its parent (a new directory is an entry too). */
export function ensureDir(fs: FileSystem, path: string): void {
  if (fs.exists(path)) return;
  fs.mkdir(path);
  fs.syncDir(dirName(path));
}
