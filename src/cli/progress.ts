// Progress on standard error, only when it is a terminal and only for work that takes more than
// a moment (.import of a file, opening a large directory): a one-line bar redrawn in place (`\r`),
// erased when the work ends, so it never mixes with results or lands in a log file. Twenty lines
// do it; no dependency needed.
//
//   importing big.csv [###########...................]  37%  12.0 MiB / 32.4 MiB
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Database } from '../api/database';
import { setEngineFactory } from '../api/engine-factory';
import type { DatabaseOptions } from '../api/options';
import { DurableEngine } from '../api/persistence/durable-engine';
import type { FileHandle, FileSystem, OpenMode } from '../durability/fs/file-system';
import { NodeFileSystem } from '../durability/fs/node-fs';

/** 1536 -> "1.5 KiB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i] ?? 'TiB'}`;
}

const WIDTH = 30;

export class ProgressBar {
  private readonly started: number;
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly write: (text: string) => void,
    private readonly label: string,
    private readonly total: number,
    /** Nothing is drawn before this much time has passed (quick work shows no bar). */
    private readonly delayMs = 300,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  update(done: number): void {
    const t = this.now();
    if (t - this.started < this.delayMs || (this.drawn && t - this.lastDraw < 100)) return;
    this.lastDraw = t;
    const frac = this.total > 0 ? Math.min(1, done / this.total) : 0;
    const full = Math.round(frac * WIDTH);
    const pct = `${Math.floor(frac * 100)}%`.padStart(4);
    this.write(`\r${this.label} [${'#'.repeat(full)}${'.'.repeat(WIDTH - full)}] ${pct}  ${formatBytes(done)} / ${formatBytes(this.total)}`);
    this.drawn = true;
  }

  /** Erases the bar (if one was drawn). */
  done(): void {
    if (this.drawn) this.write('\r\x1b[K');
    this.drawn = false;
  }
}

/** Bytes of a database directory's snapshots and log: what opening it must read. */
export function directoryBytes(dir: string): number {
  let total = 0;
  for (const sub of ['snap', 'log']) {
    let names: string[];
    try {
      names = readdirSync(join(dir, sub));
    } catch {
      continue;
    }
    for (const name of names) {
      try {
        total += statSync(join(dir, sub, name)).size;
      } catch {
        // removed meanwhile: not ours to read
      }
    }
  }
  return total;
}

/** A directory this large gets a progress bar while it opens (recovery reads all of it). */
export const LARGE_DIRECTORY_BYTES = 8 * 1024 * 1024;

/**
 * Node's file system, counting the bytes read from the files of a directory while `counting`
 * holds: recovery reads the snapshot and the log through it, so the count is how far the open is.
 */
function countingReads(base: FileSystem, onRead: (bytes: number) => void): { fs: FileSystem; stop: () => void } {
  let counting = true;
  const fs = new Proxy(base, {
    get(target, prop, receiver) {
      if (prop !== 'open') return Reflect.get(target, prop, receiver) as unknown;
      return (path: string, mode: OpenMode): FileHandle => {
        const handle = target.open(path, mode);
        return new Proxy(handle, {
          get(h, p, r) {
            if (p !== 'read') {
              const v = Reflect.get(h, p, r) as unknown;
              return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(h) : v;
            }
            return (buf: Uint8Array, bufOffset: number, length: number, position: number): number => {
              const n = h.read(buf, bufOffset, length, position);
              if (counting) onRead(n);
              return n;
            };
          },
        });
      };
    },
  });
  return { fs, stop: () => void (counting = false) };
}

/**
 * Opens a database directory. With `err` (standard error is a terminal) and a directory of at
 * least `minBytes`, draws a bar of the bytes recovery has read while it runs. The constructor is
 * synchronous, so the bar is fed from inside it: the engine is given Node's file system wrapped
 * to count reads, through the engine-factory seam the persistence tests use.
 */
export function openWithProgress(
  dir: string,
  options: DatabaseOptions,
  err: ((text: string) => void) | null,
  tuning: { minBytes?: number; delayMs?: number; now?: () => number } = {},
): Database {
  const bytes = err === null ? 0 : directoryBytes(dir);
  if (err === null || bytes < (tuning.minBytes ?? LARGE_DIRECTORY_BYTES)) return new Database(dir, options);
  const bar = new ProgressBar(err, `opening ${dir}`, bytes, tuning.delayMs, tuning.now);
  let read = 0;
  const counted = countingReads(new NodeFileSystem(), (n) => bar.update((read += n)));
  setEngineFactory((o) => new DurableEngine({ ...o, path: o.path === null ? null : resolve(o.path) }, { fileSystem: counted.fs }));
  try {
    return new Database(dir, options);
  } finally {
    setEngineFactory(null);
    counted.stop();
    bar.done();
  }
}
