// Memory (DESIGN §8, issue 8): resident bytes per row of AmberDB for a table of 1M rows, next to
// the size SQLite's file has for the same data. AmberDB keeps every row in the JS heap, so its
// figure is the growth of the heap (V8 heap + external memory, after a full GC) while the rows are
// loaded, and of the process's RSS, measured in a fresh child process (lib/memory-probe.ts): in the
// runner's process earlier workloads' tables and garbage move the figure by more than the rows do.
// SQLite's is page_count × page_size of the loaded database (what the file would weigh;
// better-sqlite3's native memory is not visible from JS). Values are distinct per row (no shared
// strings that would flatter the heap figure). The timed op is a full scan, so the row also says
// what that footprint costs to read.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Target, Workload } from '../lib/types';

const BATCH = 1000;
const SCAN = 'SELECT count(*) AS n, sum(qty) AS qty, sum(length(name)) AS chars, sum(price) AS price FROM items';

/** Heap and RSS growth (bytes) of loading each AmberDB target's rows, from the probe process. */
const loaded = new WeakMap<object, { heap: number; rss: number }>();

function probe(size: number): { rows: number; heap: number; rss: number } {
  const script = path.join(__dirname, '..', 'lib', 'memory-probe.ts');
  const run = spawnSync(process.execPath, ['--expose-gc', '-r', 'ts-node/register/transpile-only', script, String(size)], { cwd: path.join(__dirname, '..', '..'), encoding: 'utf8', timeout: 600_000 });
  if (run.status !== 0) throw new Error(`memory probe failed: ${run.stderr || run.stdout}`);
  return JSON.parse(run.stdout) as { rows: number; heap: number; rss: number };
}

export function loadItems({ db }: Target, size: number): void {
  db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price REAL, qty INTEGER, created TEXT)');
  const ins = db.prepare('INSERT INTO items (name, price, qty, created) VALUES (?, ?, ?, ?)');
  const batch = db.transaction((start: number, end: number) => {
    for (let i = start; i < end; i++) {
      ins.run(`item number ${i}`, (i % 100_000) / 8 + 0.125, i % 50, `2026-01-${String(1 + (i % 28)).padStart(2, '0')} 12:00:${String(i % 60).padStart(2, '0')}`);
    }
  });
  for (let i = 0; i < size; i += BATCH) batch(i, Math.min(size, i + BATCH));
}

export default {
  name: 'memory',
  group: 'analytics',
  description: 'resident bytes per row (AmberDB heap growth) vs SQLite file size for the same rows; timed: a full scan',
  sizes: { smoke: [2_000], quick: [100_000], full: [1_000_000] },
  showSize: true,
  setup: (t, size) => {
    loadItems(t, size);
    if (t.engine === 'amberdb') {
      const m = probe(size);
      if (m.rows !== size) throw new Error(`memory probe loaded ${m.rows} rows, not ${size}`);
      loaded.set(t.db, m);
    }
  },
  check: ({ db }) => db.prepare(SCAN).get(),
  op: ({ db }) => {
    const stmt = db.prepare(SCAN);
    return () => stmt.get();
  },
  metrics: (t, size): Readonly<Record<string, number>> | null => {
    if (t.engine === 'amberdb') {
      const m = loaded.get(t.db);
      return m === undefined ? null : { 'heap bytes/row': Math.round(m.heap / size), 'RSS bytes/row': Math.round(m.rss / size) };
    }
    const pages = t.db.pragma('page_count', { simple: true }) as number;
    const pageSize = t.db.pragma('page_size', { simple: true }) as number;
    return { 'file bytes/row': Math.round((pages * pageSize) / size) };
  },
} satisfies Workload;
