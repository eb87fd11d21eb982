// An in-memory FileSystem that remembers, for every file, what has been fsynced and what has only
// been written, and for every directory, which entries (creations, renames, unlinks) have been made
// durable by syncDir. `crash()` (used through faulty-fs.ts) returns it to the state a power loss
// would leave: the strictest POSIX reading, where nothing is durable until it is fsynced — file
// contents by sync(), directory entries by syncDir() of the directory that holds them.
//
// syncAsync() takes its picture of the file when it is called and makes exactly that durable when
// it completes (writes made while it is in flight stay unsynced: the strictest reading again). It
// completes on a later event-loop turn, or — after holdSyncs() — only when a test says so
// (completeSync / failSync), which is how tests observe group commit's pipeline step by step.
import { AmberError } from '../../value/amber-error';
import type { FileHandle, FileLock, FileSystem, OpenMode } from './file-system';
import { FsError } from './file-system';

export const SECTOR_SIZE = 512;

class Inode {
  readonly kind = 'file';
  data: Uint8Array = new Uint8Array(0);
  length = 0;
  /** Contents as of the last sync (exact length). */
  synced: Uint8Array = new Uint8Array(0);
  /** Writes since the last sync, in order: [offset, bytes], each numbered by `seq`. */
  pending: Array<({ offset: number; bytes: Uint8Array } | { truncate: number }) & { seq: number }> = [];
  /** Number of the last write or truncate; `syncedSeq`: the last one `synced` includes. */
  seq = 0;
  syncedSeq = 0;

  ensure(cap: number): void {
    if (cap <= this.data.length) return;
    const next = new Uint8Array(Math.max(cap, this.data.length * 2, 64));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  writeAt(bytes: Uint8Array, offset: number): void {
    this.ensure(offset + bytes.length);
    if (offset > this.length) this.data.fill(0, this.length, offset);
    this.data.set(bytes, offset);
    this.length = Math.max(this.length, offset + bytes.length);
  }
  truncateTo(n: number): void {
    if (n > this.length) {
      this.ensure(n);
      this.data.fill(0, this.length, n);
    }
    this.length = n;
  }
  contents(): Uint8Array {
    return this.data.slice(0, this.length);
  }
}

class Dir {
  readonly kind = 'dir';
  entries = new Map<string, Node>();
  synced = new Map<string, Node>();
}

type Node = Inode | Dir;

/** An async fsync that has been called and not yet completed. */
export interface HeldSync {
  readonly path: string;
  /** Completes it: durable (no error) or failed with `error`. */
  settle(error?: Error): void;
}

/** What crash() keeps beyond the fsynced state. */
export interface CrashOptions {
  /**
   * Tear the last unsynced write: the file that received it keeps its unsynced writes in order,
   * the last one cut after `sectors` whole 512-byte sectors (counted in file offsets from the
   * sector the write starts in). Without it, every unsynced byte is lost.
   */
  readonly tear?: { readonly sectors: number };
}

function parts(path: string): string[] {
  return path.split('/').filter((p) => p !== '' && p !== '.');
}

export class MemoryFileSystem implements FileSystem {
  private root = new Dir();
  private locks = new Set<string>();
  private lastWrite: { inode: Inode; offset: number; length: number } | undefined;
  /** Bumped by crash(): an fsync begun before a power loss can no longer complete. */
  private epoch = 0;
  private holding = false;
  private held: HeldSync[] = [];
  /**
   * @internal Called as an async fsync is about to complete; throwing fails it (faulty-fs uses
   * this to lose an fsync that was in flight when the power went out).
   */
  asyncSyncGate: ((path: string) => void) | undefined;

  private lookup(path: string): Node | undefined {
    let node: Node = this.root;
    for (const p of parts(path)) {
      if (node.kind !== 'dir') return undefined;
      const next: Node | undefined = node.entries.get(p);
      if (next === undefined) return undefined;
      node = next;
    }
    return node;
  }
  private parent(path: string, syscall: string): { dir: Dir; name: string } {
    const ps = parts(path);
    const name = ps.pop();
    if (name === undefined) throw new FsError('EISDIR', syscall, path);
    const dir = this.lookup(ps.join('/'));
    if (dir === undefined) throw new FsError('ENOENT', syscall, path);
    if (dir.kind !== 'dir') throw new FsError('ENOTDIR', syscall, path);
    return { dir, name };
  }
  private file(path: string, syscall: string): Inode {
    const n = this.lookup(path);
    if (n === undefined) throw new FsError('ENOENT', syscall, path);
    if (n.kind !== 'file') throw new FsError('EISDIR', syscall, path);
    return n;
  }

  open(path: string, mode: OpenMode): FileHandle {
    const existing = this.lookup(path);
    if (existing !== undefined && existing.kind === 'dir') throw new FsError('EISDIR', 'open', path);
    let inode: Inode;
    if (existing === undefined) {
      if (mode === 'read' || mode === 'readwrite') throw new FsError('ENOENT', 'open', path);
      const { dir, name } = this.parent(path, 'open');
      inode = new Inode();
      dir.entries.set(name, inode);
    } else {
      if (mode === 'create-new') throw new FsError('EEXIST', 'open', path);
      inode = existing;
    }
    return new MemoryFile(this, path, inode, mode === 'read');
  }

  /**
   * @internal Runs `apply` (the fsync's effect) when an async fsync completes, then settles the
   * promise: on a later event-loop turn, or when a test releases it (holdSyncs).
   */
  scheduleSync(path: string, apply: () => void): Promise<void> {
    const epoch = this.epoch;
    return new Promise<void>((resolve, reject) => {
      const settle = (error?: Error): void => {
        try {
          if (error !== undefined) throw error;
          if (epoch !== this.epoch) throw new FsError('EIO', 'fsync', path); // the power went out meanwhile
          this.asyncSyncGate?.(path);
          apply();
        } catch (e) {
          reject(e);
          return;
        }
        resolve();
      };
      if (this.holding) this.held.push({ path, settle });
      else setImmediate(settle);
    });
  }

  /** From now on async fsyncs wait in a queue until completeSync()/failSync()/releaseSyncs(). */
  holdSyncs(): void {
    this.holding = true;
  }
  /** Async fsyncs called and not yet completed (only while holding). */
  get heldSyncs(): readonly HeldSync[] {
    return this.held;
  }
  /** Completes the oldest held async fsync successfully; false if none is held. */
  completeSync(): boolean {
    const h = this.held.shift();
    h?.settle();
    return h !== undefined;
  }
  /** Fails the oldest held async fsync with an FsError `code`; false if none is held. */
  failSync(code = 'EIO'): boolean {
    const h = this.held.shift();
    h?.settle(new FsError(code, 'fsync', h.path));
    return h !== undefined;
  }
  /** Stops holding: every held fsync completes (in order) on a later turn, as new ones will. */
  releaseSyncs(): void {
    this.holding = false;
    const hs = this.held;
    this.held = [];
    for (const h of hs) setImmediate(() => h.settle());
  }

  /** @internal Called by MemoryFile on every write, to know which write was the last. */
  noteWrite(inode: Inode, offset: number, length: number): void {
    this.lastWrite = { inode, offset, length };
  }

  syncDir(path: string): void {
    const d = this.lookup(path);
    if (d === undefined) throw new FsError('ENOENT', 'fsync', path);
    if (d.kind !== 'dir') throw new FsError('ENOTDIR', 'fsync', path);
    d.synced = new Map(d.entries);
  }
  rename(from: string, to: string): void {
    const src = this.parent(from, 'rename');
    const node = src.dir.entries.get(src.name);
    if (node === undefined) throw new FsError('ENOENT', 'rename', from);
    const dst = this.parent(to, 'rename');
    const target = dst.dir.entries.get(dst.name);
    if (target !== undefined && target.kind !== node.kind) throw new FsError('EISDIR', 'rename', to);
    src.dir.entries.delete(src.name);
    dst.dir.entries.set(dst.name, node);
  }
  unlink(path: string): void {
    const { dir, name } = this.parent(path, 'unlink');
    const n = dir.entries.get(name);
    if (n === undefined) throw new FsError('ENOENT', 'unlink', path);
    if (n.kind === 'dir') throw new FsError('EISDIR', 'unlink', path);
    dir.entries.delete(name);
  }
  readdir(path: string): string[] {
    const d = this.lookup(path);
    if (d === undefined) throw new FsError('ENOENT', 'scandir', path);
    if (d.kind !== 'dir') throw new FsError('ENOTDIR', 'scandir', path);
    return [...d.entries.keys()].sort();
  }
  mkdir(path: string): void {
    let node: Dir = this.root;
    for (const p of parts(path)) {
      let next = node.entries.get(p);
      if (next === undefined) {
        next = new Dir();
        node.entries.set(p, next);
      }
      if (next.kind !== 'dir') throw new FsError('ENOTDIR', 'mkdir', path);
      node = next;
    }
  }
  exists(path: string): boolean {
    return this.lookup(path) !== undefined;
  }
  fileSize(path: string): number {
    return this.file(path, 'stat').length;
  }
  lock(path: string): FileLock {
    const key = parts(path).join('/');
    if (this.locks.has(key)) throw new AmberError(`database is locked: ${path} is held by this process`, 'SQLITE_BUSY');
    this.locks.add(key);
    let held = true;
    return {
      path,
      release: (): void => {
        if (held) this.locks.delete(key);
        held = false;
      },
    };
  }

  // ---- test helpers ----

  /** The current (not necessarily durable) contents of a file. */
  readFile(path: string): Uint8Array {
    return this.file(path, 'open').contents();
  }
  /** Replaces a file's contents durably, as if written and fsynced: for corruption tests. */
  writeFileDurable(path: string, data: Uint8Array): void {
    const f = this.open(path, 'create');
    f.truncate(0);
    f.write(data, 0);
    f.sync();
    f.close();
  }

  /** The state after a power loss: only fsynced contents and fsynced directory entries survive. */
  crash(opts: CrashOptions = {}): void {
    const torn = opts.tear !== undefined && this.lastWrite !== undefined ? this.lastWrite : undefined;
    const seen = new Set<Node>();
    const walk = (d: Dir): void => {
      d.entries = new Map(d.synced);
      for (const n of d.entries.values()) {
        if (seen.has(n)) continue;
        seen.add(n);
        if (n.kind === 'dir') walk(n);
        else restore(n);
      }
    };
    const restore = (f: Inode): void => {
      const pending = f.pending;
      f.data = f.synced.slice();
      f.length = f.synced.length;
      f.pending = [];
      f.syncedSeq = f.seq;
      if (torn === undefined || torn.inode !== f || pending.length === 0) return;
      // Replay this file's unsynced writes in order; cut the last one at a sector boundary.
      pending.forEach((w, i) => {
        if ('truncate' in w) return f.truncateTo(w.truncate);
        if (i < pending.length - 1) return f.writeAt(w.bytes, w.offset);
        const sectors = opts.tear?.sectors ?? 0;
        const end = Math.floor(w.offset / SECTOR_SIZE) * SECTOR_SIZE + sectors * SECTOR_SIZE;
        const keep = Math.max(0, Math.min(w.bytes.length, end - w.offset));
        if (keep > 0) f.writeAt(w.bytes.subarray(0, keep), w.offset);
      });
      f.synced = f.contents();
    };
    walk(this.root);
    this.locks.clear();
    this.lastWrite = undefined;
    this.epoch++;
  }
}

class MemoryFile implements FileHandle {
  private closed = false;
  constructor(
    private readonly owner: MemoryFileSystem,
    readonly path: string,
    private readonly inode: Inode,
    private readonly readOnly: boolean,
  ) {}
  private check(syscall: string, writing: boolean): void {
    if (this.closed) throw new FsError('EBADF', syscall, this.path);
    if (writing && this.readOnly) throw new FsError('EBADF', syscall, this.path);
  }
  read(buf: Uint8Array, bufOffset: number, length: number, position: number): number {
    this.check('read', false);
    const n = Math.max(0, Math.min(length, this.inode.length - position));
    buf.set(this.inode.data.subarray(position, position + n), bufOffset);
    return n;
  }
  write(data: Uint8Array, position: number): void {
    this.check('write', true);
    this.inode.writeAt(data, position);
    // new Uint8Array(x) copies; Buffer#slice would be a view of a buffer the caller reuses.
    this.inode.pending.push({ offset: position, bytes: new Uint8Array(data), seq: ++this.inode.seq });
    this.owner.noteWrite(this.inode, position, data.length);
  }
  append(data: Uint8Array): number {
    const at = this.inode.length;
    this.write(data, at);
    return at;
  }
  sync(): void {
    this.check('fsync', false);
    if (this.inode.pending.length === 0 && this.inode.synced.length === this.inode.length) return;
    this.inode.synced = this.inode.contents();
    this.inode.pending = [];
    this.inode.syncedSeq = this.inode.seq;
  }
  syncAsync(): Promise<void> {
    try {
      this.check('fsync', false);
    } catch (e) {
      return Promise.reject(e);
    }
    // The picture is taken now: what was written before the call is what this fsync covers.
    const inode = this.inode;
    const seq = inode.seq;
    const contents = inode.contents();
    return this.owner.scheduleSync(this.path, () => {
      if (seq <= inode.syncedSeq) return; // a later sync() already covered it
      inode.synced = contents;
      inode.pending = inode.pending.filter((w) => w.seq > seq);
      inode.syncedSeq = seq;
    });
  }
  truncate(length: number): void {
    this.check('ftruncate', true);
    this.inode.truncateTo(length);
    this.inode.pending.push({ truncate: length, seq: ++this.inode.seq });
  }
  size(): number {
    this.check('fstat', false);
    return this.inode.length;
  }
  close(): void {
    this.closed = true;
  }
}
