// Analytics: top 10 by an unindexed column over the whole table (a top-k sort, or a full sort).
// Full run only: 1M rows.
import { seedSales } from '../lib/fixtures';
import type { Workload } from '../lib/types';

const SQL = 'SELECT id, region, price FROM sales ORDER BY price DESC, id LIMIT 10';

export default {
  name: 'order-by-limit',
  group: 'analytics',
  description: 'ORDER BY an unindexed column DESC LIMIT 10',
  sizes: { smoke: [2_000], quick: [], full: [1_000_000] },
  showSize: true,
  setup: ({ db }, n) => seedSales(db, n),
  check: ({ db }) => db.prepare(SQL).all(),
  op: ({ db }) => {
    const stmt = db.prepare(SQL);
    return () => stmt.all();
  },
} satisfies Workload;
