// better-sqlite3 benchmark/types/select.js, default trial: "reading rows individually".
import { seedSmall } from '../lib/fixtures';
import type { Workload } from '../lib/types';

const SQL = 'SELECT nul, integer, real, text FROM small WHERE rowid = ?';

export default {
  name: 'select-get',
  group: 'better-sqlite3',
  description: 'reading rows individually (.get by rowid)',
  origin: 'WiseLibs/better-sqlite3 benchmark/types/select.js',
  sizes: { smoke: [500], quick: [10_000], full: [10_000] },
  showSize: false,
  setup: ({ db }, n) => seedSmall(db, n),
  check: ({ db }, n) => [1, 2, n, n + 1].map((rowid) => db.prepare(SQL).get(rowid)),
  op: ({ db }, n) => {
    const stmt = db.prepare(SQL);
    let rowid = -1;
    return () => stmt.get((++rowid % n) + 1);
  },
} satisfies Workload;
