// Analytics: customers ⋈ orders on an indexed foreign key, n × n rows, aggregated per tier.
import { seedShop } from '../lib/fixtures';
import type { Workload } from '../lib/types';

const SQL = `SELECT c.tier, count(*) AS n, sum(o.qty) AS qty
  FROM customers c JOIN orders o ON o.customer_id = c.id
  GROUP BY c.tier ORDER BY c.tier`;

export default {
  name: 'join-indexed',
  group: 'analytics',
  description: 'customers JOIN orders ON indexed customer_id, n × n, grouped by tier',
  sizes: { smoke: [500], quick: [10_000], full: [10_000] },
  showSize: true,
  setup: ({ db }, n) => seedShop(db, n, n),
  check: ({ db }) => db.prepare(SQL).all(),
  op: ({ db }) => {
    const stmt = db.prepare(SQL);
    return () => stmt.all();
  },
} satisfies Workload;
