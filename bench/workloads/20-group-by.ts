// Analytics: a full scan with GROUP BY and several aggregates (50 groups).
import { seedSales } from '../lib/fixtures';
import type { Workload } from '../lib/types';

const SQL = `SELECT region, count(*) AS n, sum(qty) AS qty, sum(qty * price) AS revenue,
  avg(price) AS avg_price, min(price) AS lo, max(price) AS hi
  FROM sales GROUP BY region ORDER BY region`;

export default {
  name: 'group-by',
  group: 'analytics',
  description: 'GROUP BY region with count/sum/avg/min/max over sales',
  sizes: { smoke: [2_000], quick: [100_000], full: [100_000, 1_000_000] },
  showSize: true,
  setup: ({ db }, n) => seedSales(db, n),
  check: ({ db }) => db.prepare(SQL).all(),
  op: ({ db }) => {
    const stmt = db.prepare(SQL);
    return () => stmt.all();
  },
} satisfies Workload;
