// better-sqlite3 benchmark/types/select-all.js, default trial: "reading 100 rows into an array".
import { seedSmall } from '../lib/fixtures';
import type { Workload } from '../lib/types';

const SQL = 'SELECT nul, integer, real, text FROM small WHERE rowid >= ? LIMIT 100';

export default {
  name: 'select-all',
  group: 'better-sqlite3',
  description: 'reading 100 rows into an array (.all)',
  origin: 'WiseLibs/better-sqlite3 benchmark/types/select-all.js',
  sizes: { smoke: [500], quick: [10_000], full: [10_000] },
  showSize: false,
  setup: ({ db }, n) => seedSmall(db, n),
  check: ({ db }, n) => [1, n - 50, n + 1].map((rowid) => db.prepare(SQL).all(rowid)),
  op: ({ db }, n) => {
    const stmt = db.prepare(SQL);
    let rowid = -100;
    return () => stmt.all(((rowid += 100) % n) + 1);
  },
} satisfies Workload;
