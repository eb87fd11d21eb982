// FileSystem on Node's synchronous fs calls: the real disk. The one asynchronous call, syncAsync,
// is fs.fdatasync on libuv's thread pool; the event loop goes on (and may write the same fd)
// meanwhile. A file's sync is fdatasync, as SQLite's on Linux: the data and the metadata needed to
// read it back (the size of a grown log), not timestamps. Directories get a full fsync.
//
// The LOCK file. Node has no flock/fcntl lock without a native addon, so the lock is a file
// created with O_CREAT|O_EXCL ('wx') holding "pid hostname\n". Creating it is atomic on every
// local file system, so two processes can never both create it. A LOCK left by a process that
// died (kill -9, power loss) is stale: if its hostname is ours and `process.kill(pid, 0)` says no
// such process (ESRCH), we remove it and try once more. Honest limits, written down in FORMAT.md:
//   - a dead holder whose pid has been reused by an unrelated live process looks alive: the open
//     fails with SQLITE_BUSY naming the pid, and the user deletes LOCK by hand;
//   - two processes breaking the same stale lock at the same instant can race (both read the dead
//     pid, one unlinks and re-creates, the other unlinks that new file); we re-read the file just
//     before unlinking to make the window tiny, not zero;
//   - a LOCK from another host (network file systems) is never broken automatically.
// Within one process, a second open of the same directory is refused by an in-process registry,
// since our own pid is always alive.
import * as nodeFs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { AmberError } from '../../value/amber-error';
import type { FileHandle, FileLock, FileSystem, OpenMode } from './file-system';
import { fsErrorCode } from './file-system';

const FLAGS: Record<OpenMode, string> = { read: 'r', readwrite: 'r+', create: 'a+', 'create-new': 'wx+' };

class NodeFile implements FileHandle {
  private fd: number;
  /** fsyncs running on the thread pool; close() waits for them (see FileHandle.syncAsync). */
  private inflight = 0;
  private closeWanted = false;
  constructor(
    readonly path: string,
    mode: OpenMode,
  ) {
    // 'a+' would force every write to the end (O_APPEND), so 'create' opens with O_CREAT then r+.
    if (mode === 'create') {
      nodeFs.closeSync(nodeFs.openSync(path, 'a'));
      this.fd = nodeFs.openSync(path, 'r+');
    } else {
      this.fd = nodeFs.openSync(path, FLAGS[mode]);
    }
  }
  read(buf: Uint8Array, bufOffset: number, length: number, position: number): number {
    return nodeFs.readSync(this.fd, buf, bufOffset, length, position);
  }
  write(data: Uint8Array, position: number): void {
    let done = 0;
    while (done < data.length) {
      done += nodeFs.writeSync(this.fd, data, done, data.length - done, position + done);
    }
  }
  append(data: Uint8Array): number {
    const at = this.size();
    this.write(data, at);
    return at;
  }
  sync(): void {
    nodeFs.fdatasyncSync(this.fd);
  }
  syncAsync(): Promise<void> {
    if (this.fd < 0 || this.closeWanted) return Promise.reject(Object.assign(new Error(`EBADF: fsync '${this.path}'`), { code: 'EBADF', syscall: 'fsync', path: this.path }));
    this.inflight++;
    return new Promise<void>((resolve, reject) => {
      nodeFs.fdatasync(this.fd, (err) => {
        this.inflight--;
        if (this.inflight === 0 && this.closeWanted) this.closeNow();
        if (err === null) resolve();
        else reject(err);
      });
    });
  }
  truncate(length: number): void {
    nodeFs.ftruncateSync(this.fd, length);
  }
  size(): number {
    return nodeFs.fstatSync(this.fd).size;
  }
  close(): void {
    if (this.inflight > 0) this.closeWanted = true;
    else this.closeNow();
  }
  private closeNow(): void {
    if (this.fd >= 0) nodeFs.closeSync(this.fd);
    this.fd = -1;
    this.closeWanted = false;
  }
}

const heldLocks = new Set<string>();

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return fsErrorCode(e) !== 'ESRCH'; // EPERM: alive, owned by someone else
  }
}

export class NodeFileSystem implements FileSystem {
  open(path: string, mode: OpenMode): FileHandle {
    return new NodeFile(path, mode);
  }
  syncDir(path: string): void {
    if (process.platform === 'win32') return; // directories cannot be opened for fsync there
    const fd = nodeFs.openSync(path, 'r');
    try {
      nodeFs.fsyncSync(fd);
    } finally {
      nodeFs.closeSync(fd);
    }
  }
  rename(from: string, to: string): void {
    nodeFs.renameSync(from, to);
  }
  unlink(path: string): void {
    nodeFs.unlinkSync(path);
  }
  unlinkAsync(path: string): Promise<void> {
    return nodeFs.promises.unlink(path);
  }
  async syncDirAsync(path: string): Promise<void> {
    if (process.platform === 'win32') return; // as syncDir
    const dir = await nodeFs.promises.open(path, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  readdir(path: string): string[] {
    return nodeFs.readdirSync(path).sort();
  }
  async readdirAsync(path: string): Promise<string[]> {
    return (await nodeFs.promises.readdir(path)).sort();
  }
  mkdir(path: string): void {
    nodeFs.mkdirSync(path, { recursive: true });
  }
  exists(path: string): boolean {
    return nodeFs.existsSync(path);
  }
  fileSize(path: string): number {
    return nodeFs.statSync(path).size;
  }

  lock(path: string): FileLock {
    const key = nodePath.resolve(path);
    if (heldLocks.has(key)) throw new AmberError(`database is locked: ${path} is held by this process`, 'SQLITE_BUSY');
    const me = `${process.pid} ${os.hostname()}\n`;
    for (let attempt = 0; ; attempt++) {
      try {
        const fd = nodeFs.openSync(path, 'wx');
        try {
          nodeFs.writeSync(fd, me);
          nodeFs.fsyncSync(fd);
        } finally {
          nodeFs.closeSync(fd);
        }
        break;
      } catch (e) {
        if (fsErrorCode(e) !== 'EEXIST' || attempt > 0) {
          if (fsErrorCode(e) === 'EEXIST') throw busy(path, readHolder(path));
          throw e;
        }
        const holder = readHolder(path);
        if (!isStale(path, holder)) throw busy(path, holder);
        // Re-read just before removing: another process may have broken and re-taken it.
        if (readHolder(path) !== holder) throw busy(path, readHolder(path));
        try {
          nodeFs.unlinkSync(path);
        } catch (e2) {
          if (fsErrorCode(e2) !== 'ENOENT') throw e2;
        }
      }
    }
    heldLocks.add(key);
    let held = true;
    return {
      path,
      release(): void {
        if (!held) return;
        held = false;
        heldLocks.delete(key);
        // Only remove the file if it is still ours.
        if (readHolder(path) === me) nodeFs.rmSync(path, { force: true });
      },
    };
  }
}

function readHolder(path: string): string {
  try {
    return nodeFs.readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function isStale(path: string, holder: string): boolean {
  const m = /^(\d+) (.*)\n$/.exec(holder);
  // An empty or half-written LOCK: its creator died between create and write, or is writing it
  // right now. Only one older than a second is taken to be stale.
  if (m === null) {
    try {
      return Date.now() - nodeFs.statSync(path).mtimeMs > 1000;
    } catch {
      return true;
    }
  }
  if (m[2] !== os.hostname()) return false;
  return !pidAlive(Number(m[1]));
}

function busy(path: string, holder: string): AmberError {
  const who = holder.trim() === '' ? 'another process' : `pid ${holder.trim()}`;
  return new AmberError(`database is locked: ${path} is held by ${who}`, 'SQLITE_BUSY');
}
