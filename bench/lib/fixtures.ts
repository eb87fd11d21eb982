// Tables the workloads share. Same rows on both engines, built with the same prepared INSERT in
// one transaction, before anything is timed.
import type { BenchDatabase } from './types';

/**
 * better-sqlite3's benchmark/seed.js: `small` (every storage class, 10,000 identical rows) and
 * `large_text` / `large_blob` (32 KiB values).
 */
export const SMALL_SCHEMA = 'CREATE TABLE small (nul, integer INTEGER, real REAL, text TEXT, blob BLOB)';
export const SMALL_ROW: readonly unknown[] = [null, 0x7fffffff, 1 / 3, 'this is the text', Buffer.from('this is the blob')];
export const LARGE_TEXT = 'this is the text'.repeat(2048);
export const LARGE_BLOB = Buffer.from('this is the blob'.repeat(2048));

export function fill(db: BenchDatabase, table: string, count: number, row: (i: number) => readonly unknown[]): void {
  const first = row(0);
  const insert = db.prepare(`INSERT INTO ${table} VALUES (${first.map(() => '?').join(', ')})`);
  db.transaction(() => {
    for (let i = 0; i < count; i++) insert.run(...row(i));
  })();
}

export function seedSmall(db: BenchDatabase, count: number): void {
  db.exec(SMALL_SCHEMA);
  fill(db, 'small', count, () => SMALL_ROW);
}

export function seedLargeText(db: BenchDatabase, count: number): void {
  db.exec('CREATE TABLE large_text (text TEXT)');
  fill(db, 'large_text', count, () => [LARGE_TEXT]);
}

export function seedLargeBlob(db: BenchDatabase, count: number): void {
  db.exec('CREATE TABLE large_blob (blob BLOB)');
  fill(db, 'large_blob', count, () => [LARGE_BLOB]);
}

/** A deterministic pseudo-random sequence (LCG), so both engines get the same "random" data. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
}

// Analytics data. Prices are multiples of 0.25 and quantities integers, so sums are exact in
// binary floating point whatever the summation order: a difference between the engines is a
// real difference, not rounding.

/** sales(id, region 0..49, product 0..999, qty 1..20, price 0.25..250.00), `count` rows. */
export function seedSales(db: BenchDatabase, count: number): void {
  db.exec('CREATE TABLE sales (id INTEGER PRIMARY KEY, region INTEGER, product INTEGER, qty INTEGER, price REAL)');
  const next = lcg(1);
  fill(db, 'sales', count, (i) => [i + 1, next() % 50, next() % 1000, 1 + (next() % 20), (1 + (next() % 1000)) / 4]);
}

/**
 * customers(id, name, tier 0..4) × `customers` rows, products(id, category 0..9, price) × 100,
 * orders(id, customer_id, product_id, qty) × `orders` rows, with indexes on the foreign keys.
 */
export function seedShop(db: BenchDatabase, customers: number, orders: number): void {
  db.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, tier INTEGER)');
  db.exec('CREATE TABLE products (id INTEGER PRIMARY KEY, category INTEGER, price REAL)');
  db.exec('CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, product_id INTEGER, qty INTEGER)');
  const next = lcg(7);
  fill(db, 'customers', customers, (i) => [i + 1, `customer ${i + 1}`, next() % 5]);
  fill(db, 'products', 100, (i) => [i + 1, next() % 10, (1 + (next() % 400)) / 4]);
  fill(db, 'orders', orders, (i) => [i + 1, 1 + (next() % customers), 1 + (next() % 100), 1 + (next() % 9)]);
  db.exec('CREATE INDEX orders_customer ON orders (customer_id)');
  db.exec('CREATE INDEX orders_product ON orders (product_id)');
}
