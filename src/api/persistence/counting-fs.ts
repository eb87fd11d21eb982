// A FileSystem that counts fsyncs (file and directory) on the way to another one, for
// db.stats().fsyncs — the figure group commit is judged by.
import type { FileHandle, FileLock, FileSystem, OpenMode } from '../../durability/fs/file-system';

export class CountingFileSystem implements FileSystem {
  fsyncs = 0;

  constructor(readonly inner: FileSystem) {}

  open(path: string, mode: OpenMode): FileHandle {
    const h = this.inner.open(path, mode);
    const self = this;
    return {
      path: h.path,
      read: (buf, off, len, pos) => h.read(buf, off, len, pos),
      write: (data, pos) => h.write(data, pos),
      append: (data) => h.append(data),
      sync(): void {
        h.sync();
        self.fsyncs++;
      },
      async syncAsync(): Promise<void> {
        await h.syncAsync();
        self.fsyncs++;
      },
      truncate: (n) => h.truncate(n),
      size: () => h.size(),
      close: () => h.close(),
    };
  }
  syncDir(path: string): void {
    this.inner.syncDir(path);
    this.fsyncs++;
  }
  rename(from: string, to: string): void {
    this.inner.rename(from, to);
  }
  unlink(path: string): void {
    this.inner.unlink(path);
  }
  /** The inner file system's async unlink, or its synchronous one. */
  unlinkAsync(path: string): Promise<void> {
    if (this.inner.unlinkAsync !== undefined) return this.inner.unlinkAsync(path);
    try {
      this.inner.unlink(path);
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }
  /** The inner file system's async directory fsync, or its synchronous one. */
  async syncDirAsync(path: string): Promise<void> {
    if (this.inner.syncDirAsync !== undefined) await this.inner.syncDirAsync(path);
    else this.inner.syncDir(path);
    this.fsyncs++;
  }
  readdir(path: string): string[] {
    return this.inner.readdir(path);
  }
  /** The inner file system's async readdir, or its synchronous one. */
  readdirAsync(path: string): Promise<string[]> {
    if (this.inner.readdirAsync !== undefined) return this.inner.readdirAsync(path);
    try {
      return Promise.resolve(this.inner.readdir(path));
    } catch (e) {
      return Promise.reject(e);
    }
  }
  mkdir(path: string): void {
    this.inner.mkdir(path);
  }
  exists(path: string): boolean {
    return this.inner.exists(path);
  }
  fileSize(path: string): number {
    return this.inner.fileSize(path);
  }
  lock(path: string): FileLock {
    return this.inner.lock(path);
  }
}
