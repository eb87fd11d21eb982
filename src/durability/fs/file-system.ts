// The only door from the durability layer to the disk (STYLE practice 7). Synchronous, because the
// engine's API is (better-sqlite3 shape) and because a commit must be written before it returns —
// with one exception, `FileHandle.syncAsync`: group commit's fsync runs off the event loop (libuv's
// thread pool on Node) so that commits can keep writing their frames while it is in flight.
// Three implementations: node-fs.ts (the real disk), memory-fs.ts (fast tests, tracks what was
// fsynced), faulty-fs.ts (power loss, torn sectors, failing the N-th call).
//
// Paths are '/'-separated strings; callers build them with `joinPath`. Errors from an
// implementation carry a Node-style string `code` ('ENOENT', 'EEXIST', 'EIO', 'ENOSPC', ...), so
// the layers above handle the real and the simulated disk alike.

/** An open file. Offsets are byte positions in the file. */
export interface FileHandle {
  readonly path: string;
  /** Reads up to `length` bytes at `position` into `buf` at `bufOffset`; returns bytes read (0 at EOF). */
  read(buf: Uint8Array, bufOffset: number, length: number, position: number): number;
  /** Writes all of `data` at `position` (the file grows as needed). */
  write(data: Uint8Array, position: number): void;
  /** Writes all of `data` at the current end of the file; returns the offset it was written at. */
  append(data: Uint8Array): number;
  /** Makes the file's contents durable (fsync). */
  sync(): void;
  /**
   * fsync without blocking the caller. Promises what sync() promises for every byte written
   * *before the call*; bytes written while it is in flight may or may not be covered (POSIX says
   * nothing more, so callers must assume not). Never throws: a failure rejects the promise with an
   * FsError-shaped error. Writes, reads and sync() stay allowed while it runs, and so is close():
   * the implementation releases the descriptor only once every fsync on it has settled (an fd
   * closed under a running fsync could be reused by another open, and the fsync would then report
   * on the wrong file).
   */
  syncAsync(): Promise<void>;
  truncate(length: number): void;
  size(): number;
  close(): void;
}

export type OpenMode =
  | 'read' //        existing file, read only
  | 'readwrite' //   existing file
  | 'create' //      create or open, read/write
  | 'create-new'; // create, fail with EEXIST if it exists

/** A held exclusive lock; `release` is idempotent. */
export interface FileLock {
  readonly path: string;
  release(): void;
}

export interface FileSystem {
  open(path: string, mode: OpenMode): FileHandle;
  /** Makes a directory's entries (creations, renames, unlinks) durable. */
  syncDir(path: string): void;
  /** Atomically replaces `to` with `from` (POSIX rename). */
  rename(from: string, to: string): void;
  unlink(path: string): void;
  /**
   * Optional: unlink off the event loop. Removing a large file frees its blocks inside the unlink
   * call (tens of ms for a big snapshot); a checkpoint removes the files it replaced this way.
   */
  unlinkAsync?(path: string): Promise<void>;
  /**
   * Optional: syncDir off the event loop. A directory fsync commits the file system's journal and
   * waits behind every other writer of the disk (measured 10–35 ms while another process writes);
   * the end of a checkpoint uses it where nothing else may happen until it has settled anyway.
   * Promises what syncDir promises for every entry change made *before the call*.
   */
  syncDirAsync?(path: string): Promise<void>;
  /** Entry names of a directory, sorted. */
  readdir(path: string): string[];
  /** Optional: readdir off the event loop (a directory being changed can make it wait). */
  readdirAsync?(path: string): Promise<string[]>;
  /** Creates a directory and its missing parents; no error if it exists. */
  mkdir(path: string): void;
  exists(path: string): boolean;
  /** Size in bytes of a file. */
  fileSize(path: string): number;
  /**
   * Takes the exclusive lock file at `path` for this process, or throws AmberError SQLITE_BUSY
   * naming the holder. See node-fs.ts for how a stale lock is told from a live one.
   */
  lock(path: string): FileLock;
}

/** An error shaped like Node's system errors: `code` is 'ENOENT', 'EIO', 'ENOSPC', ... */
export class FsError extends Error {
  constructor(
    readonly code: string,
    readonly syscall: string,
    readonly path: string,
  ) {
    super(`${code}: ${syscall} '${path}'`);
  }
}
Object.defineProperty(FsError.prototype, 'name', { value: 'FsError' });

/** The `code` of an error thrown by a FileSystem, or undefined. */
export function fsErrorCode(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'code' in e) {
    const c = (e as { code: unknown }).code;
    return typeof c === 'string' ? c : undefined;
  }
  return undefined;
}

export function joinPath(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/').replace(/\/+/g, '/');
}

export function dirName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : path.slice(0, i);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Reads a whole file. */
export function readWholeFile(fs: FileSystem, path: string): Uint8Array {
  const f = fs.open(path, 'read');
  try {
    const n = f.size();
    const buf = new Uint8Array(n);
    let got = 0;
    while (got < n) {
      const r = f.read(buf, got, n - got, got);
      if (r === 0) break;
      got += r;
    }
    return got === n ? buf : buf.subarray(0, got);
  } finally {
    f.close();
  }
}

/**
 * Replaces `path` atomically and durably with `data`: write `path.tmp`, fsync, rename, fsync the
 * directory (LevelDB's CURRENT dance). After a crash at any point, `path` is the old or the new
 * content, never a mix; `path.tmp` may be left behind and is overwritten next time.
 */
export function writeFileAtomic(fs: FileSystem, path: string, data: Uint8Array): void {
  const tmp = `${path}.tmp`;
  const f = fs.open(tmp, 'create');
  try {
    f.truncate(0);
    f.write(data, 0);
    f.sync();
  } finally {
    f.close();
  }
  fs.rename(tmp, path);
  fs.syncDir(dirName(path));
}
