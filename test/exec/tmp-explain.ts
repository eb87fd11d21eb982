import BetterSqlite3 from 'better-sqlite3';
import { Database } from '../../src';
const setup = `CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT, city TEXT);
CREATE TABLE orders(id INTEGER PRIMARY KEY, customer_id INT, qty INT, item TEXT);
CREATE INDEX orders_customer ON orders(customer_id);
CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT, price REAL); CREATE INDEX items_name ON items(name);`;
const qs = ['SELECT c.name, sum(o.qty) FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id',
 'SELECT * FROM orders o, customers c WHERE c.id = o.customer_id AND c.city = ?',
 'SELECT * FROM customers c JOIN orders o ON o.customer_id = c.id JOIN items i ON i.name = o.item WHERE c.id = 5',
 'SELECT * FROM customers c LEFT JOIN orders o ON o.customer_id = c.id',
 'SELECT * FROM items, orders WHERE items.name = orders.item'];
for (const [n, db] of [['amber', new (Database as any)()], ['sqlite', new BetterSqlite3(':memory:')]] as const) {
  db.exec(setup);
  const ins = db.prepare('INSERT INTO customers(name, city) VALUES (?, ?)'); for (let i = 0; i < 1000; i++) ins.run('c' + i, 'x');
  const o = db.prepare('INSERT INTO orders(customer_id, qty, item) VALUES (?, ?, ?)'); for (let i = 0; i < 5000; i++) o.run(i % 1000, i, 'it' + (i % 50));
  for (const q of qs) console.log(n, q.slice(0, 60), JSON.stringify(db.prepare('EXPLAIN QUERY PLAN ' + q).all(...(q.includes('?') ? ['x'] : [])).map((r: any) => r.detail)));
}
