// Persistence: recovery time (DESIGN §8, "recovery time per million rows"). One op = opening the
// database directory (recovery: newest snapshot, then replay of the log after it, indexes
// bulk-loaded) and closing it. Two rows: everything in a checkpoint's snapshot, and everything in
// the log (replayed frame by frame). AmberDB only: better-sqlite3 opens lazily and reads pages on
// demand, so it has no comparable figure. The figure to read is `ms/1M rows` (median open time
// scaled linearly to a million rows); quick runs use 100k rows, full runs 1M.
import { reopenAmber } from '../lib/engines';
import type { DurableStorage, Target, Workload } from '../lib/types';

const BATCH = 1000;
/** Open times (ms) of each row's timed opens, by directory. */
const times = new Map<string, number[]>();

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : ((s[(s.length - 1) >> 1] ?? NaN) + (s[s.length >> 1] ?? NaN)) / 2;
}

function recovery(from: 'snapshot' | 'log'): Workload {
  // 'none' while loading (close() fsyncs everything); the log row never reaches the 64 MiB trigger.
  const storage: DurableStorage = { amberdb: { strategy: 'hybrid', durability: 'none' }, sqlite: null };
  return {
    name: `recovery/${from}`,
    group: 'persistence',
    description: `open (recover) and close a hybrid database whose rows are all in ${from === 'snapshot' ? 'a checkpoint snapshot' : 'the redo log'}`,
    sizes: { smoke: [2000], quick: [100_000], full: [1_000_000] },
    showSize: true,
    storage,
    setup: ({ db }: Target, size: number) => {
      db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price REAL, qty INTEGER)');
      db.exec('CREATE INDEX items_name ON items (name)');
      const ins = db.prepare('INSERT INTO items VALUES (?, ?, ?, ?)');
      const batch = db.transaction((start: number, end: number) => {
        for (let i = start; i < end; i++) ins.run(i, `item ${i % 9973}`, (i % 1000) / 7, i % 17);
      });
      for (let i = 0; i < size; i += BATCH) batch(i, Math.min(size, i + BATCH));
      if (from === 'snapshot') {
        if (db.checkpoint === undefined) throw new Error('db.checkpoint() is missing');
        db.checkpoint();
      }
      db.close();
    },
    check: ({ path }: Target) => {
      if (path === undefined) throw new Error('no directory');
      const db = reopenAmber(path, storage);
      try {
        return db.prepare('SELECT count(*) AS n, sum(qty) AS q FROM items').get();
      } finally {
        db.close();
      }
    },
    op: ({ path }: Target) => {
      if (path === undefined) throw new Error('no directory');
      const list: number[] = [];
      times.set(path, list);
      return () => {
        const t0 = performance.now();
        reopenAmber(path, storage).close();
        list.push(performance.now() - t0);
      };
    },
    metrics: ({ path }: Target, size: number) => {
      const list = path === undefined ? undefined : times.get(path);
      if (list === undefined || list.length === 0) return null;
      const ms = median(list);
      return { 'open ms': Math.round(ms * 10) / 10, 'ms/1M rows': Math.round((ms * 1e6) / size) };
    },
  };
}

export default [recovery('snapshot'), recovery('log')];
