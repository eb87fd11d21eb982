// Shared by the persistence tests: open a Database on an injected FileSystem (memory-fs,
// faulty-fs) through the engine-factory seam, a temp dir on the real disk, and a state dump.
import * as nodeFs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Database } from '../../src';
import type { DatabaseOptions } from '../../src';
import { setEngineFactory } from '../../src/api/engine-factory';
import { DurableEngine } from '../../src/api/persistence/durable-engine';
import type { FileLock, FileSystem } from '../../src/durability/fs/file-system';

export type Db = InstanceType<typeof Database>;

/** A Database whose DurableEngine uses `fs` (and small snapshot pages). */
export function openOn(fs: FileSystem, dir: string, options: DatabaseOptions = {}): Db {
  let engine: DurableEngine | null = null;
  setEngineFactory((o) => (engine = new DurableEngine(o, { fileSystem: fs, pageSize: 512 })));
  try {
    const db = new Database(dir, options);
    engines.set(db, engine!);
    return db;
  } finally {
    setEngineFactory(null);
  }
}

const engines = new WeakMap<Db, DurableEngine>();

/** The process dies (kill -9): nothing more reaches the disk; the OS keeps what was written. */
export function kill(db: Db): void {
  engines.get(db)?.simulateKill();
}

/** `fs` with locking switched off: reopening after kill() in the same process. */
export function withoutLocks(fs: FileSystem): FileSystem {
  const noLock = (p: string): FileLock => ({ path: p, release: () => undefined });
  return new Proxy(fs, {
    get(target, prop, receiver) {
      if (prop === 'lock') return noLock;
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

export function tempDir(): string {
  return nodeFs.mkdtempSync(path.join(os.tmpdir(), 'amber-persist-'));
}

export function removeDir(dir: string): void {
  nodeFs.rmSync(dir, { recursive: true, force: true });
}

/** Every user table's rows, ordered by rowid, as JSON-able values. */
export function dump(db: Db): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  const names = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  for (const n of names) {
    // WITHOUT ROWID tables have no rowid to show: their rows in PRIMARY KEY order.
    const withoutRowid = /\bWITHOUT\s+ROWID\b/i.test(String(db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').pluck().get(n)));
    const sql = withoutRowid ? `SELECT * FROM "${n}" ORDER BY 1` : `SELECT rowid AS _rowid_, * FROM "${n}" ORDER BY rowid`;
    out[n] = (db.prepare(sql).raw().all() as unknown[][]).map((r) =>
      r.map((v) => (Buffer.isBuffer(v) ? `x'${v.toString('hex')}'` : typeof v === 'bigint' ? `${v}n` : v)),
    );
  }
  return out;
}

export function tick(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

/** Waits until `cond()` holds (yielding the event loop), at most `ms`. */
export async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await tick();
  }
}

/**
 * Where the frames of a log segment end: the writer preallocates zeros after them (log-writer.ts),
 * so the file's length is not the end of what was written. Tests that damage "the last frame"
 * measure from here.
 */
export function framesEnd(segment: Uint8Array): number {
  const b = Buffer.from(segment.buffer, segment.byteOffset, segment.byteLength);
  let p = 32; // SEGMENT_HEADER_SIZE
  while (p + 20 <= b.length && b[p + 4] === 0xab) p += 20 + b.readUInt32LE(p + 8); // FRAME_HEADER_SIZE, FRAME_MAGIC
  return Math.min(p, b.length);
}
