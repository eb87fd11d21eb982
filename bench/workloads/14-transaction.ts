// better-sqlite3 benchmark/types/transaction.js, default trial: "inserting 100 rows in a single
// transaction". One op = one transaction of 100 inserts.
import { seedSmall } from '../lib/fixtures';
import type { Workload } from '../lib/types';

const SQL = 'INSERT INTO small (nul, integer, real, text) VALUES (@nul, @integer, @real, @text)';

export default {
  name: 'transaction',
  group: 'better-sqlite3',
  description: 'inserting 100 rows in a single transaction',
  origin: 'WiseLibs/better-sqlite3 benchmark/types/transaction.js',
  sizes: { smoke: [500], quick: [10_000], full: [10_000] },
  showSize: false,
  setup: ({ db }, n) => seedSmall(db, n),
  reset: ({ db }) => void db.exec('DELETE FROM small WHERE rowid > 1'),
  check: ({ db }) => {
    const row = db.prepare('SELECT * FROM small LIMIT 1').get();
    const stmt = db.prepare(SQL);
    db.transaction(() => {
      for (let i = 0; i < 100; i++) stmt.run(row);
    })();
    return db.prepare('SELECT count(*) AS n, max(rowid) AS last, sum(integer) AS s FROM small').get();
  },
  op: ({ db }) => {
    const stmt = db.prepare(SQL);
    const row = db.prepare('SELECT * FROM small LIMIT 1').get();
    const trx = db.transaction((r: unknown) => {
      for (let i = 0; i < 100; i++) stmt.run(r);
    });
    return () => trx(row);
  },
} satisfies Workload;
