// A FileSystem that fails on purpose (STYLE practice 7), wrapping a MemoryFileSystem:
//   - failAt({ op, nth, code }): the nth call of that kind from now throws an FsError with code
//     'EIO' or 'ENOSPC' (optionally after writing a prefix of the data, as a short write does;
//     `sticky` keeps failing every later call of that kind, as a full disk does);
//   - stopAfter(n): the first n mutating calls (write, append, truncate, sync, syncDir, rename,
//     unlink, create) succeed, then the power goes out: the next and every later call throws
//     PowerLossError until crash() is called;
//   - crash(opts): the state after a power loss (memory-fs.ts), optionally tearing the last write.
// An async fsync (FileHandle.syncAsync) is two points of the sweep: its call (a mutating call, where
// an 'sync' or 'syncAsync' rule fires — as a rejection, never a throw) and its completion (counted
// too: the power may go out while it is in flight, and then it never completes — it rejects with
// PowerLossError and nothing it covered becomes durable).
// Tests sweep n over every mutating call of a scenario (SQLite's crash tests do the same).
import type { FileHandle, FileLock, FileSystem, OpenMode } from './file-system';
import { FsError } from './file-system';
import type { CrashOptions } from './memory-fs';
import { MemoryFileSystem } from './memory-fs';

/** 'sync' counts every fsync (file, directory, async); 'syncAsync' only the asynchronous ones. */
export type FaultOp = 'write' | 'sync' | 'syncAsync' | 'rename';

export interface FaultRule {
  readonly op: FaultOp;
  /** 1-based: the nth call of `op` counted from when the rule is added. */
  readonly nth: number;
  readonly code: 'EIO' | 'ENOSPC';
  /** For writes: bytes that reach the file before the error (a short write). */
  readonly partialBytes?: number;
  /** Keep failing every later call of `op` too. */
  readonly sticky?: boolean;
}

export class PowerLossError extends Error {
  readonly code = 'EPOWERLOSS';
  constructor(op: string) {
    super(`simulated power loss before ${op}`);
  }
}

export class FaultyFileSystem implements FileSystem {
  readonly mem: MemoryFileSystem;
  /** Mutating calls that have completed. */
  mutations = 0;
  private stopAt = Infinity;
  private dead = false;
  private rules: Array<{ rule: FaultRule; seen: number; fired: boolean }> = [];

  constructor(mem = new MemoryFileSystem()) {
    this.mem = mem;
    mem.asyncSyncGate = (path) => void this.gate('fsync-complete', undefined, path);
  }

  failAt(rule: FaultRule): void {
    this.rules.push({ rule, seen: 0, fired: false });
  }
  stopAfter(n: number): void {
    this.stopAt = n;
  }
  clearFaults(): void {
    this.rules = [];
    this.stopAt = Infinity;
  }
  get poweredOff(): boolean {
    return this.dead;
  }
  crash(opts: CrashOptions = {}): void {
    this.mem.crash(opts);
    this.dead = false;
    this.stopAt = Infinity;
    this.mutations = 0;
  }

  /** @internal Counts a mutating call; throws if the power is out or a rule fires. */
  gate(op: string, kind: FaultOp | readonly FaultOp[] | undefined, path: string): FaultRule | undefined {
    const kinds: readonly FaultOp[] = kind === undefined ? [] : typeof kind === 'string' ? [kind] : kind;
    if (this.dead) throw new PowerLossError(op);
    if (this.mutations >= this.stopAt) {
      this.dead = true;
      throw new PowerLossError(op);
    }
    let fire: FaultRule | undefined;
    if (kinds.length > 0) {
      for (const r of this.rules) {
        if (!kinds.includes(r.rule.op)) continue;
        r.seen++;
        if (r.seen === r.rule.nth || (r.fired && r.rule.sticky === true)) {
          r.fired = true;
          fire ??= r.rule;
        }
      }
    }
    if (fire !== undefined && (kind !== 'write' || fire.partialBytes === undefined)) {
      throw new FsError(fire.code, op, path);
    }
    this.mutations++;
    return fire;
  }
  private alive(op: string): void {
    if (this.dead) throw new PowerLossError(op);
  }

  open(path: string, mode: OpenMode): FileHandle {
    if (mode === 'create' || mode === 'create-new') {
      if (!this.mem.exists(path)) this.gate('open', undefined, path);
      else this.alive('open');
    } else this.alive('open');
    return new FaultyFile(this, this.mem.open(path, mode));
  }
  syncDir(path: string): void {
    this.gate('fsync', 'sync', path);
    this.mem.syncDir(path);
  }
  rename(from: string, to: string): void {
    this.gate('rename', 'rename', from);
    this.mem.rename(from, to);
  }
  unlink(path: string): void {
    this.gate('unlink', undefined, path);
    this.mem.unlink(path);
  }
  readdir(path: string): string[] {
    this.alive('readdir');
    return this.mem.readdir(path);
  }
  mkdir(path: string): void {
    if (!this.mem.exists(path)) this.gate('mkdir', undefined, path);
    this.mem.mkdir(path);
  }
  exists(path: string): boolean {
    this.alive('stat');
    return this.mem.exists(path);
  }
  fileSize(path: string): number {
    this.alive('stat');
    return this.mem.fileSize(path);
  }
  lock(path: string): FileLock {
    this.alive('lock');
    return this.mem.lock(path);
  }
}

class FaultyFile implements FileHandle {
  constructor(
    private readonly fs: FaultyFileSystem,
    private readonly inner: FileHandle,
  ) {}
  get path(): string {
    return this.inner.path;
  }
  read(buf: Uint8Array, bufOffset: number, length: number, position: number): number {
    if (this.fs.poweredOff) throw new PowerLossError('read');
    return this.inner.read(buf, bufOffset, length, position);
  }
  write(data: Uint8Array, position: number): void {
    const fire = this.fs.gate('write', 'write', this.path);
    if (fire !== undefined) {
      const n = Math.min(data.length, fire.partialBytes ?? 0);
      if (n > 0) this.inner.write(data.subarray(0, n), position);
      throw new FsError(fire.code, 'write', this.path);
    }
    this.inner.write(data, position);
  }
  append(data: Uint8Array): number {
    const at = this.inner.size();
    this.write(data, at);
    return at;
  }
  sync(): void {
    this.fs.gate('fsync', 'sync', this.path);
    this.inner.sync();
  }
  syncAsync(): Promise<void> {
    try {
      this.fs.gate('fsync', ['sync', 'syncAsync'], this.path);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.inner.syncAsync();
  }
  truncate(length: number): void {
    this.fs.gate('ftruncate', undefined, this.path);
    this.inner.truncate(length);
  }
  size(): number {
    return this.inner.size();
  }
  close(): void {
    this.inner.close();
  }
}
