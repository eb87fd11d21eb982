// Progress on standard error, only when it is a terminal and only for work that takes more than
// a moment: a one-line bar redrawn in place (`\r`), erased when the work ends, so it never mixes
// with results or lands in a log file. Twenty lines do it; no dependency needed.
//
//   importing big.csv [###########...................]  37%  12.0 MiB / 32.4 MiB
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from '../api/database';
import type { DatabaseOptions } from '../api/options';

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

/** Open a directory this large with a notice on a terminal (recovery reads all of it). */
export const LARGE_DIRECTORY_BYTES = 16 * 1024 * 1024;

/**
 * Opens a database directory. With `err` (standard error is a terminal) and a large directory,
 * shows `opening DIR (N MiB)...` while recovery runs. The constructor is synchronous and has no
 * progress hook, so this is a notice, not a bar.
 */
export function openWithProgress(dir: string, options: DatabaseOptions, err: ((text: string) => void) | null): Database {
  const bytes = err === null ? 0 : directoryBytes(dir);
  const notice = err !== null && bytes >= LARGE_DIRECTORY_BYTES;
  if (notice) err(`opening ${dir} (${formatBytes(bytes)}: reading the snapshot and replaying the log)...`);
  try {
    return new Database(dir, options);
  } finally {
    if (notice) err('\r\x1b[K');
  }
}
