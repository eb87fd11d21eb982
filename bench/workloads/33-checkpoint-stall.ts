// Persistence: the longest event-loop stall during an automatic checkpoint (DESIGN §6, §8). One
// op = one automatic sliced checkpoint of the whole table (started by the interval trigger after
// a commit) while queries keep running: a point SELECT and a short range scan every event-loop
// turn, and a transactionAsync UPDATE every 8th turn. The figures: `max stall ms`, the longest gap
// between two turns of that loop, and `loop delay max ms` from perf_hooks.monitorEventLoopDelay
// (1 ms resolution), both the worst over every checkpoint of the row. AmberDB only. Quick runs use
// 100k rows, full runs 1M (the slices are bounded in time, and every fsync, unlink and directory
// listing of the checkpoint runs off the event loop, so the stall should not grow with the table).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { BenchDatabase, DurableStorage, Target, Workload } from '../lib/types';

const BATCH = 1000;
const TIMEOUT_MS = 120_000;

interface Figures {
  maxGapMs: number;
  loopDelayMaxMs: number;
  checkpoints: number;
  checkpointMs: number[];
}
const figures = new Map<string, Figures>();

function checkpointState(db: BenchDatabase): { count: number; running: boolean } {
  const s = db.stats?.() as { checkpoint?: { count?: unknown; running?: unknown } } | undefined;
  const c = s?.checkpoint;
  return { count: typeof c?.count === 'number' ? c.count : 0, running: c?.running === true };
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

const storage: DurableStorage = {
  amberdb: { strategy: 'hybrid', durability: 'commit', needs: ['transactionAsync'], options: { checkpointIntervalMs: 5 } },
  sqlite: null,
};

const workload: Workload = {
  name: 'checkpoint-stall',
  group: 'persistence',
  description: 'longest event-loop stall during an automatic checkpoint of the table while point queries, range scans and async commits keep running',
  sizes: { smoke: [2000], quick: [100_000], full: [1_000_000] },
  showSize: true,
  storage,
  async: true,
  setup: ({ db }: Target, size: number) => {
    db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price REAL, qty INTEGER)');
    const ins = db.prepare('INSERT INTO items VALUES (?, ?, ?, ?)');
    const batch = db.transaction((start: number, end: number) => {
      for (let i = start; i < end; i++) ins.run(i, `item ${i % 9973}`, (i % 1000) / 7, i % 17);
    });
    for (let i = 0; i < size; i += BATCH) batch(i, Math.min(size, i + BATCH));
  },
  check: ({ db }: Target) => db.prepare('SELECT count(*) AS n FROM items').get(),
  op: ({ db, path }: Target, size: number) => {
    const f: Figures = { maxGapMs: 0, loopDelayMaxMs: 0, checkpoints: 0, checkpointMs: [] };
    figures.set(path ?? '', f);
    const point = db.prepare('SELECT * FROM items WHERE id = ?');
    const range = db.prepare('SELECT id, qty FROM items WHERE id BETWEEN ? AND ? ');
    const upd = db.prepare('UPDATE items SET qty = qty + 1 WHERE id = ?');
    let k = 0;
    return async () => {
      const before = checkpointState(db).count;
      const h = monitorEventLoopDelay({ resolution: 1 });
      h.enable();
      const t0 = performance.now();
      upd.run(0); // something logged: the interval trigger starts a checkpoint within ~5 ms
      const pending: unknown[] = [];
      let last = performance.now();
      for (let i = 0; ; i++) {
        const s = checkpointState(db);
        if (s.count > before && !s.running) break;
        if (performance.now() - t0 > TIMEOUT_MS) throw new Error('no automatic checkpoint completed');
        k = (k + 7919) % size;
        point.get(k);
        range.all(k, k + 20);
        if (i % 8 === 0) pending.push(db.transactionAsync?.(() => upd.run(k)));
        await turn();
        const now = performance.now();
        f.maxGapMs = Math.max(f.maxGapMs, now - last);
        last = now;
      }
      f.checkpointMs.push(performance.now() - t0);
      h.disable();
      f.loopDelayMaxMs = Math.max(f.loopDelayMaxMs, h.max / 1e6);
      f.checkpoints++;
      await Promise.all(pending);
    };
  },
  metrics: ({ path }: Target) => {
    const f = figures.get(path ?? '');
    if (f === undefined || f.checkpoints === 0) return null;
    const sorted = [...f.checkpointMs].sort((a, b) => a - b);
    return {
      'max stall ms': Math.round(f.maxGapMs * 10) / 10,
      'loop delay max ms': Math.round(f.loopDelayMaxMs * 10) / 10,
      checkpoints: f.checkpoints,
      'checkpoint ms (median)': Math.round(sorted[sorted.length >> 1] ?? NaN),
    };
  },
};

export default workload;
