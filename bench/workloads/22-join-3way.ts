// Analytics: orders ⋈ customers ⋈ products (n orders, n/10 customers, 100 products), filtered
// and grouped on columns of two different tables.
import { seedShop } from '../lib/fixtures';
import type { Workload } from '../lib/types';

const SQL = `SELECT c.tier, p.category, count(*) AS n, sum(o.qty * p.price) AS revenue
  FROM orders o
  JOIN customers c ON c.id = o.customer_id
  JOIN products p ON p.id = o.product_id
  WHERE c.tier < 3
  GROUP BY c.tier, p.category ORDER BY c.tier, p.category`;

export default {
  name: 'join-3way',
  group: 'analytics',
  description: 'orders JOIN customers JOIN products, WHERE + GROUP BY two tables',
  sizes: { smoke: [500], quick: [10_000], full: [10_000] },
  showSize: true,
  setup: ({ db }, n) => seedShop(db, Math.max(1, Math.floor(n / 10)), n),
  check: ({ db }) => db.prepare(SQL).all(),
  op: ({ db }) => {
    const stmt = db.prepare(SQL);
    return () => stmt.all();
  },
} satisfies Workload;
