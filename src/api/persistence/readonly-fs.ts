// What a readonly open (`{ readonly: true }`) sees of its database directory. Two jobs:
//
// 1. It never writes. Every call that could change a file or an entry inside the database
//    directory — opening for writing, rename, unlink, mkdir, syncDir, lock — throws EROFS: a
//    readonly open neither truncates a torn tail, nor sets damaged segments aside, nor writes a
//    MANIFEST, nor breaks a stale LOCK. (Paths outside the directory, e.g. a backup's
//    destination, pass through.)
// 2. It reads one instant of the directory. A readonly open takes no LOCK (readers may open while
//    a writer holds it, as SQLite's WAL readers do; docs/FORMAT.md "LOCK"), so a writer's
//    checkpoint may switch MANIFEST and remove the snapshot and segments it replaced while we load
//    them. `pin()` reads MANIFEST, then opens the snapshot it names and every live segment, and
//    serves those from the open handles until `unpin()`: an unlinked file stays readable through a
//    handle opened before (POSIX). If a file vanishes between reading MANIFEST and opening it, the
//    MANIFEST has moved on: pin() starts again. What the handles hold is the state a MANIFEST named,
//    plus frames appended to the last segment since (a longer committed prefix, or a frame being
//    written, which reads as a torn tail: a clean end).
import { AmberError } from '../../value/amber-error';
import type { FileHandle, FileLock, FileSystem, OpenMode } from '../../durability/fs/file-system';
import { FsError, fsErrorCode, joinPath, readWholeFile } from '../../durability/fs/file-system';
import { LOG_DIR, MANIFEST_NAME, listSegments, segmentFileName, segmentPath, snapshotPath } from '../../durability/layout';
import { decodeManifest } from '../../durability/manifest';

/** How many times pin() starts again while a writer keeps replacing files under it. */
const PIN_ATTEMPTS = 100;

export class ReadOnlyFileSystem implements FileSystem {
  /** Files recovery reads, open since pin(): path → handle. */
  private pinned = new Map<string, FileHandle>();
  /** MANIFEST's bytes as pin() read them (null: no MANIFEST; undefined: not pinned). */
  private manifest: Uint8Array | null | undefined = undefined;
  /** log/ as pin() listed it. */
  private logNames: string[] | undefined = undefined;

  constructor(
    private readonly inner: FileSystem,
    /** The database directory: nothing in it is ever changed through this object. */
    readonly dir: string,
  ) {}

  /** Pins MANIFEST, its snapshot and the live log segments (see the header). */
  pin(): void {
    for (let attempt = 0; attempt < PIN_ATTEMPTS; attempt++) {
      if (this.tryPin()) return;
      this.unpin();
    }
    throw new AmberError(`database is locked: ${this.dir} kept changing while it was opened readonly`, 'SQLITE_BUSY');
  }

  private tryPin(): boolean {
    const dir = this.dir;
    const manifestPath = joinPath(dir, MANIFEST_NAME);
    let bytes: Uint8Array;
    try {
      bytes = readWholeFile(this.inner, manifestPath);
    } catch (e) {
      if (fsErrorCode(e) !== 'ENOENT') throw e;
      this.manifest = null; // a directory never opened: an empty database
      return true;
    }
    this.manifest = bytes;
    const m = decodeManifest(bytes);
    if (typeof m === 'string') return true; // recovery reports the damage
    try {
      if (m.snapshotLsn !== undefined) this.pinFile(snapshotPath(dir, m.snapshotLsn));
      const segments = listSegments(this.inner, dir).filter((s) => s >= m.firstSegment);
      // Invariant: the listing starts at MANIFEST's first segment; if a checkpoint already
      // removed it, this MANIFEST is out of date: start again.
      if (segments[0] !== m.firstSegment) return false;
      for (const s of segments) this.pinFile(segmentPath(dir, s));
      this.logNames = segments.map(segmentFileName);
    } catch (e) {
      if (fsErrorCode(e) === 'ENOENT') return false; // removed after MANIFEST named it
      throw e;
    }
    return true;
  }

  private pinFile(path: string): void {
    this.pinned.set(path, this.inner.open(path, 'read'));
  }

  /** Closes the pinned handles; later calls read the directory as it is then. */
  unpin(): void {
    const handles = [...this.pinned.values()];
    this.pinned.clear();
    this.manifest = undefined;
    this.logNames = undefined;
    for (const h of handles) h.close();
  }

  private inside(path: string): boolean {
    return path === this.dir || path.startsWith(`${this.dir}/`);
  }

  private refuse(syscall: string, path: string): never {
    throw new FsError('EROFS', syscall, path);
  }

  open(path: string, mode: OpenMode): FileHandle {
    if (mode !== 'read' && this.inside(path)) this.refuse('open', path);
    if (mode === 'read') {
      if (this.manifest !== undefined && path === joinPath(this.dir, MANIFEST_NAME)) {
        if (this.manifest === null) throw new FsError('ENOENT', 'open', path);
        return new BytesHandle(path, this.manifest);
      }
      const h = this.pinned.get(path);
      if (h !== undefined) return new PinnedHandle(h);
    }
    return this.inner.open(path, mode);
  }

  exists(path: string): boolean {
    if (this.manifest !== undefined) {
      if (path === joinPath(this.dir, MANIFEST_NAME)) return this.manifest !== null;
      if (this.pinned.has(path)) return true;
      if (path === joinPath(this.dir, LOG_DIR) && this.logNames !== undefined) return true;
    }
    return this.inner.exists(path);
  }

  readdir(path: string): string[] {
    if (this.logNames !== undefined && path === joinPath(this.dir, LOG_DIR)) return [...this.logNames];
    return this.inner.readdir(path);
  }

  fileSize(path: string): number {
    const h = this.pinned.get(path);
    return h !== undefined ? h.size() : this.inner.fileSize(path);
  }

  syncDir(path: string): void {
    if (this.inside(path)) this.refuse('fsync', path);
    this.inner.syncDir(path);
  }

  rename(from: string, to: string): void {
    if (this.inside(from) || this.inside(to)) this.refuse('rename', to);
    this.inner.rename(from, to);
  }

  unlink(path: string): void {
    if (this.inside(path)) this.refuse('unlink', path);
    this.inner.unlink(path);
  }

  unlinkAsync(path: string): Promise<void> {
    if (this.inside(path)) return Promise.reject(new FsError('EROFS', 'unlink', path));
    return this.inner.unlinkAsync !== undefined ? this.inner.unlinkAsync(path) : Promise.resolve(this.inner.unlink(path));
  }

  mkdir(path: string): void {
    if (this.inside(path) || this.dir.startsWith(`${path}/`)) this.refuse('mkdir', path);
    this.inner.mkdir(path);
  }

  lock(path: string): FileLock {
    return this.refuse('open', path);
  }
}

/** A pinned file as recovery sees it: reads go to the pinned handle; close() leaves it open. */
class PinnedHandle implements FileHandle {
  constructor(private readonly h: FileHandle) {}
  get path(): string {
    return this.h.path;
  }
  read(buf: Uint8Array, bufOffset: number, length: number, position: number): number {
    return this.h.read(buf, bufOffset, length, position);
  }
  size(): number {
    return this.h.size();
  }
  write(): void {
    throw new FsError('EROFS', 'write', this.h.path);
  }
  append(): number {
    throw new FsError('EROFS', 'write', this.h.path);
  }
  truncate(): void {
    throw new FsError('EROFS', 'ftruncate', this.h.path);
  }
  sync(): void {
    // nothing written, nothing to make durable
  }
  syncAsync(): Promise<void> {
    return Promise.resolve();
  }
  close(): void {
    // the pin owns the descriptor (unpin closes it)
  }
}

/** MANIFEST as pin() read it. */
class BytesHandle implements FileHandle {
  constructor(
    readonly path: string,
    private readonly bytes: Uint8Array,
  ) {}
  read(buf: Uint8Array, bufOffset: number, length: number, position: number): number {
    const n = Math.max(0, Math.min(length, this.bytes.length - position));
    buf.set(this.bytes.subarray(position, position + n), bufOffset);
    return n;
  }
  size(): number {
    return this.bytes.length;
  }
  write(): void {
    throw new FsError('EROFS', 'write', this.path);
  }
  append(): number {
    throw new FsError('EROFS', 'write', this.path);
  }
  truncate(): void {
    throw new FsError('EROFS', 'ftruncate', this.path);
  }
  sync(): void {}
  syncAsync(): Promise<void> {
    return Promise.resolve();
  }
  close(): void {}
}
