// better-sqlite3 benchmark/types/select-iterate.js, default trial: "iterating over 100 rows".
import { seedSmall } from '../lib/fixtures';
import type { Workload } from '../lib/types';

const SQL = 'SELECT nul, integer, real, text FROM small WHERE rowid >= ? LIMIT 100';

export default {
  name: 'select-iterate',
  group: 'better-sqlite3',
  description: 'iterating over 100 rows (.iterate)',
  origin: 'WiseLibs/better-sqlite3 benchmark/types/select-iterate.js',
  sizes: { smoke: [500], quick: [10_000], full: [10_000] },
  showSize: false,
  setup: ({ db }, n) => seedSmall(db, n),
  check: ({ db }, n) => [1, n - 50].map((rowid) => [...db.prepare(SQL).iterate(rowid)]),
  op: ({ db }, n) => {
    const stmt = db.prepare(SQL);
    let rowid = -100;
    return () => {
      let last: unknown;
      for (const row of stmt.iterate(((rowid += 100) % n) + 1)) last = row;
      return last;
    };
  },
} satisfies Workload;
