// better-sqlite3 benchmark/types/insert.js, default trial: "inserting rows individually".
// As in better-sqlite3's benchmark.js, a write workload starts from `DELETE ... WHERE rowid > 1`.
import { seedSmall } from '../lib/fixtures';
import type { Workload } from '../lib/types';

const SQL = 'INSERT INTO small (nul, integer, real, text) VALUES (@nul, @integer, @real, @text)';

export default {
  name: 'insert',
  group: 'better-sqlite3',
  description: 'inserting rows individually (.run, autocommit)',
  origin: 'WiseLibs/better-sqlite3 benchmark/types/insert.js',
  sizes: { smoke: [500], quick: [10_000], full: [10_000] },
  showSize: false,
  setup: ({ db }, n) => seedSmall(db, n),
  reset: ({ db }) => void db.exec('DELETE FROM small WHERE rowid > 1'),
  check: ({ db }) => {
    const row = db.prepare('SELECT * FROM small LIMIT 1').get();
    const stmt = db.prepare(SQL);
    const results = [stmt.run(row), stmt.run(row)];
    return [results, db.prepare('SELECT count(*) AS n, max(rowid) AS last FROM small').get(), db.prepare('SELECT * FROM small ORDER BY rowid DESC LIMIT 1').get()];
  },
  op: ({ db }) => {
    const stmt = db.prepare(SQL);
    const row = db.prepare('SELECT * FROM small LIMIT 1').get();
    return () => stmt.run(row);
  },
} satisfies Workload;
