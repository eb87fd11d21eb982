// MANIFEST: the one file that says which snapshot and which log segments are live. Text, so a
// person can read it; four lines, each ending in "\n". FROZEN (version 1):
//
//   AMBERDB MANIFEST 1          format line; the number is the manifest format version
//   snapshot 00001234.snap      current snapshot in snap/, or "snapshot none" before the first
//   log 00000007.log            first live log segment in log/ (replay starts in it)
//   crc32c 1a2b3c4d             CRC32C of all the bytes before this line, 8 lowercase hex digits
//
// Replaced atomically and durably: MANIFEST.tmp is written, fsynced, renamed over MANIFEST, and
// the directory fsynced (writeFileAtomic). Reading verifies the format and checksum, and that the
// files it names exist: a MANIFEST naming a missing file is corruption (SQLITE_CORRUPT), never a
// reason to guess. No MANIFEST at all means a directory that has never been opened.
import { AmberError } from '../value/amber-error';
import { crc32c } from './crc32c';
import type { FileSystem } from './fs/file-system';
import { joinPath, readWholeFile, writeFileAtomic } from './fs/file-system';
import { LOG_DIR, MANIFEST_NAME, SNAP_DIR, segmentFileName, segmentPath, snapshotFileName, snapshotPath } from './layout';

export const MANIFEST_VERSION = 1;

export interface Manifest {
  /** Begin LSN of the current snapshot; undefined before the first checkpoint. */
  readonly snapshotLsn: number | undefined;
  /** First live log segment. */
  readonly firstSegment: number;
}

export function encodeManifest(m: Manifest): Uint8Array {
  const body =
    `AMBERDB MANIFEST ${MANIFEST_VERSION}\n` +
    `snapshot ${m.snapshotLsn === undefined ? 'none' : snapshotFileName(m.snapshotLsn)}\n` +
    `log ${segmentFileName(m.firstSegment)}\n`;
  const bytes = Buffer.from(body, 'utf8');
  return Buffer.concat([bytes, Buffer.from(`crc32c ${crc32c(bytes).toString(16).padStart(8, '0')}\n`)]);
}

/** Parses MANIFEST bytes; a string says what is wrong. */
export function decodeManifest(data: Uint8Array): Manifest | string {
  const text = Buffer.from(data).toString('latin1');
  const m = /^AMBERDB MANIFEST (\d+)\nsnapshot (none|(\d{8,})\.snap)\nlog (\d{8,})\.log\n/.exec(text);
  if (m === null) return 'unrecognized MANIFEST contents';
  if (Number(m[1]) !== MANIFEST_VERSION) return `unsupported MANIFEST version ${m[1]}`;
  const rest = text.slice(m[0].length);
  const c = /^crc32c ([0-9a-f]{8})\n$/.exec(rest);
  if (c === null) return 'MANIFEST checksum line missing or malformed';
  if (parseInt(c[1]!, 16) !== crc32c(data, 0, m[0].length)) return 'MANIFEST checksum mismatch';
  return { snapshotLsn: m[3] === undefined ? undefined : Number(m[3]), firstSegment: Number(m[4]) };
}

/** Reads and verifies DIR/MANIFEST; undefined if there is none. */
export function readManifest(fs: FileSystem, dir: string): Manifest | undefined {
  const path = joinPath(dir, MANIFEST_NAME);
  if (!fs.exists(path)) return undefined;
  const m = decodeManifest(readWholeFile(fs, path));
  const corrupt = (why: string): AmberError => new AmberError(`database disk image is malformed: ${MANIFEST_NAME}: ${why}`, 'SQLITE_CORRUPT');
  if (typeof m === 'string') throw corrupt(m);
  if (m.snapshotLsn !== undefined && !fs.exists(snapshotPath(dir, m.snapshotLsn))) {
    throw corrupt(`names missing file ${SNAP_DIR}/${snapshotFileName(m.snapshotLsn)}`);
  }
  if (!fs.exists(segmentPath(dir, m.firstSegment))) {
    throw corrupt(`names missing file ${LOG_DIR}/${segmentFileName(m.firstSegment)}`);
  }
  return m;
}

/**
 * The first half of writeManifest, off the event loop: MANIFEST.tmp written and fsynced
 * (FileHandle.syncAsync). Nothing changes until installManifest renames it: a MANIFEST.tmp left
 * behind is ignored and overwritten next time.
 */
export async function prepareManifest(fs: FileSystem, dir: string, m: Manifest): Promise<void> {
  const f = fs.open(`${joinPath(dir, MANIFEST_NAME)}.tmp`, 'create');
  try {
    f.truncate(0);
    f.write(encodeManifest(m), 0);
    await f.syncAsync();
  } finally {
    f.close();
  }
}

/** The second half: MANIFEST.tmp (prepared, durable) renamed over MANIFEST, directory fsynced. */
export function installManifest(fs: FileSystem, dir: string): void {
  renameManifest(fs, dir);
  fs.syncDir(dir);
}

/**
 * installManifest without its directory fsync: MANIFEST.tmp renamed over MANIFEST, not yet
 * durable. The caller fsyncs `dir` (syncDir or syncDirAsync) before removing anything the old
 * MANIFEST named: until then a power loss may bring the old MANIFEST back.
 */
export function renameManifest(fs: FileSystem, dir: string): void {
  const path = joinPath(dir, MANIFEST_NAME);
  fs.rename(`${path}.tmp`, path);
}

/** Replaces DIR/MANIFEST atomically and durably. */
export function writeManifest(fs: FileSystem, dir: string, m: Manifest): void {
  writeFileAtomic(fs, joinPath(dir, MANIFEST_NAME), encodeManifest(m));
}
