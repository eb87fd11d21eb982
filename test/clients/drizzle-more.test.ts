// More Drizzle ORM scenarios (its better-sqlite3 driver), on better-sqlite3 and on AmberDB: a shop
// schema built with drizzle's column modes (json text and blob, bigint blob, timestamp_ms, real,
// boolean), three-level relational queries, $count, conflict targets with WHERE, prepared
// placeholders and iterators, and transactions that roll back part of their work.
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { and, asc, count, desc, eq, gt, inArray, isNotNull, lt, max, min, notInArray, relations, sql, sum } from 'drizzle-orm';
import { blob, integer, primaryKey, real, sqliteTable, sqliteView, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { scenario, type Db } from './harness';

const customers = sqliteTable('customers', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  tier: text('tier', { enum: ['free', 'pro'] }).notNull().default('free'),
  prefs: text('prefs', { mode: 'json' }).$type<{ lang: string; tags: string[] }>(),
  meta: blob('meta', { mode: 'json' }).$type<{ n: number }>(),
  credit: blob('credit', { mode: 'bigint' }),
  joinedAt: integer('joined_at', { mode: 'timestamp_ms' }).notNull(),
  vip: integer('vip', { mode: 'boolean' }).notNull().default(false),
});

const products = sqliteTable(
  'products',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sku: text('sku').notNull(),
    price: real('price').notNull(),
    stock: integer('stock').notNull().default(0),
    deletedAt: integer('deleted_at', { mode: 'timestamp' }),
  },
  (t) => [uniqueIndex('products_sku_live').on(t.sku).where(sql`deleted_at IS NULL`)],
);

const orders = sqliteTable('orders', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  customerId: integer('customer_id').notNull().references(() => customers.id, { onDelete: 'cascade' }),
  status: text('status').notNull().default('open'),
  placedAt: integer('placed_at', { mode: 'timestamp' }).notNull(),
});

const orderItems = sqliteTable(
  'order_items',
  {
    orderId: integer('order_id').notNull().references(() => orders.id, { onDelete: 'cascade' }),
    productId: integer('product_id').notNull().references(() => products.id),
    qty: integer('qty').notNull(),
    unitPrice: real('unit_price').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.productId] })],
);

const orderTotals = sqliteView('order_totals').as((qb) =>
  qb
    .select({ orderId: orderItems.orderId, total: sql<number>`sum(${orderItems.qty} * ${orderItems.unitPrice})`.as('total') })
    .from(orderItems)
    .groupBy(orderItems.orderId),
);

const customersRelations = relations(customers, ({ many }) => ({ orders: many(orders) }));
const ordersRelations = relations(orders, ({ one, many }) => ({
  customer: one(customers, { fields: [orders.customerId], references: [customers.id] }),
  items: many(orderItems),
}));
const orderItemsRelations = relations(orderItems, ({ one }) => ({
  order: one(orders, { fields: [orderItems.orderId], references: [orders.id] }),
  product: one(products, { fields: [orderItems.productId], references: [products.id] }),
}));
const productsRelations = relations(products, ({ many }) => ({ items: many(orderItems) }));

const schema = { customers, products, orders, orderItems, customersRelations, ordersRelations, orderItemsRelations, productsRelations };
type DB = BetterSQLite3Database<typeof schema>;

const T0 = new Date('2024-03-01T10:00:00.000Z');
const T1 = new Date('2024-03-02T11:30:00.000Z');
const T2 = new Date('2024-03-05T09:15:00.000Z');

const DDL = `
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, tier TEXT NOT NULL DEFAULT 'free',
  prefs TEXT, meta BLOB, credit BLOB, joined_at INTEGER NOT NULL, vip INTEGER NOT NULL DEFAULT 0);
CREATE TABLE products (id INTEGER PRIMARY KEY AUTOINCREMENT, sku TEXT NOT NULL, price REAL NOT NULL,
  stock INTEGER NOT NULL DEFAULT 0, deleted_at INTEGER);
CREATE UNIQUE INDEX products_sku_live ON products (sku) WHERE deleted_at IS NULL;
CREATE TABLE orders (id INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  status TEXT NOT NULL DEFAULT 'open', placed_at INTEGER NOT NULL);
CREATE TABLE order_items (order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  product_id INTEGER NOT NULL REFERENCES products(id), qty INTEGER NOT NULL, unit_price REAL NOT NULL,
  PRIMARY KEY (order_id, product_id));
CREATE VIEW order_totals AS SELECT order_id, sum(qty * unit_price) AS total FROM order_items GROUP BY order_id;
`;

function setup(db: Db): DB {
  db.pragma('foreign_keys = ON');
  db.exec(DDL);
  const d = drizzle({ client: db as never, schema });
  d.insert(customers)
    .values([
      { id: 1, name: 'Ada', tier: 'pro', prefs: { lang: 'en', tags: ['a', 'b'] }, meta: { n: 1 }, credit: 9007199254740993n, joinedAt: T0, vip: true },
      { id: 2, name: 'Bob', prefs: { lang: 'fr', tags: [] }, joinedAt: T1 },
      { id: 3, name: 'Cy', joinedAt: T2, credit: -5n },
    ])
    .run();
  d.insert(products)
    .values([
      { sku: 'PEN', price: 1.5, stock: 100 },
      { sku: 'INK', price: 7.25, stock: 3 },
      { sku: 'PAD', price: 4, stock: 0 },
      { sku: 'OLD', price: 2, stock: 1, deletedAt: T0 },
    ])
    .run();
  d.insert(orders)
    .values([
      { customerId: 1, placedAt: T0, status: 'paid' },
      { customerId: 1, placedAt: T1 },
      { customerId: 2, placedAt: T2, status: 'paid' },
    ])
    .run();
  d.insert(orderItems)
    .values([
      { orderId: 1, productId: 1, qty: 10, unitPrice: 1.5 },
      { orderId: 1, productId: 2, qty: 1, unitPrice: 7 },
      { orderId: 2, productId: 3, qty: 2, unitPrice: 4 },
      { orderId: 3, productId: 1, qty: 3, unitPrice: 1.5 },
    ])
    .run();
  return d;
}

const codeOf = (f: () => unknown): unknown => {
  try {
    f();
    return 'ok';
  } catch (e) {
    return (e as { code?: string }).code ?? (e as Error).message;
  }
};

describe('drizzle (more)', () => {
  scenario('drizzle', 'column modes: json text and blob, bigint blob, timestamps, booleans', async (db) => {
    const d = setup(db);
    const all = d.select().from(customers).orderBy(customers.id).all();
    const byJson = d
      .select({ name: customers.name, lang: sql<string>`json_extract(${customers.prefs}, '$.lang')`, tags: sql<number>`json_array_length(${customers.prefs}, '$.tags')` })
      .from(customers)
      .where(isNotNull(customers.prefs))
      .orderBy(customers.name)
      .all();
    const types = db.prepare('SELECT typeof(prefs) AS p, typeof(meta) AS m, typeof(credit) AS c, typeof(joined_at) AS j, typeof(vip) AS v FROM customers ORDER BY id').all();
    const recent = d.select({ name: customers.name }).from(customers).where(gt(customers.joinedAt, T0)).orderBy(customers.joinedAt).all();
    d.update(customers).set({ prefs: sql`json_set(${customers.prefs}, '$.lang', 'de')`, credit: 1n }).where(eq(customers.id, 2)).run();
    const updated = d.select({ prefs: customers.prefs, credit: customers.credit }).from(customers).where(eq(customers.id, 2)).get();
    return { all, byJson, types, recent, updated };
  });

  scenario('drizzle', 'relational queries three levels deep, with columns, where, limit and extras', async (db) => {
    const d = setup(db);
    const tree = await d.query.customers.findMany({
      columns: { id: true, name: true, vip: true, joinedAt: true },
      with: {
        orders: {
          columns: { id: true, status: true, placedAt: true },
          orderBy: (o, { desc: ds }) => [ds(o.id)],
          with: { items: { columns: { qty: true }, with: { product: { columns: { sku: true, price: true } } }, orderBy: (i, { asc: a }) => [a(i.productId)] } },
        },
      },
      orderBy: (c, { asc: a }) => [a(c.id)],
    });
    const paid = await d.query.orders.findMany({
      where: (o, { eq: e }) => e(o.status, 'paid'),
      columns: { id: true },
      with: { customer: { columns: { name: true, prefs: true } }, items: { limit: 1, orderBy: (i, { desc: ds }) => [ds(i.qty)] } },
      extras: { itemCount: sql<number>`(select count(*) from order_items where order_items.order_id = ${orders.id})`.as('item_count') },
      orderBy: (o, { asc: a }) => [a(o.id)],
    });
    const one = await d.query.products.findFirst({
      where: (p, { eq: e }) => e(p.sku, 'PEN'),
      with: { items: { with: { order: { with: { customer: { columns: { name: true } } } } } } },
    });
    return { tree, paid, one };
  });

  scenario('drizzle', '$count, aggregates over joins, views and partial unique indexes', async (db) => {
    const d = setup(db);
    const counts = {
      all: await d.$count(customers),
      pro: await d.$count(customers, eq(customers.tier, 'pro')),
      inSelect: d
        .select({ name: customers.name, orders: d.$count(orders, eq(orders.customerId, customers.id)) })
        .from(customers)
        .orderBy(customers.id)
        .all(),
    };
    const revenue = d
      .select({ name: customers.name, spent: sum(sql`${orderItems.qty} * ${orderItems.unitPrice}`).mapWith(Number), items: count(orderItems.productId), first: min(orders.placedAt), last: max(orders.placedAt) })
      .from(customers)
      .leftJoin(orders, eq(orders.customerId, customers.id))
      .leftJoin(orderItems, eq(orderItems.orderId, orders.id))
      .groupBy(customers.id)
      .orderBy(desc(sql`2`), asc(customers.name))
      .all();
    const totals = d.select().from(orderTotals).orderBy(orderTotals.orderId).all();
    // The partial unique index lets a deleted SKU be reused, but not a live one.
    const reuse = codeOf(() => d.insert(products).values({ sku: 'OLD', price: 3 }).run());
    const clash = codeOf(() => d.insert(products).values({ sku: 'PEN', price: 3 }).run());
    const notIn = d.select({ sku: products.sku }).from(products).where(notInArray(products.id, d.select({ id: orderItems.productId }).from(orderItems))).orderBy(products.sku).all();
    const empty = d.select().from(products).where(inArray(products.id, [])).all();
    return { counts, revenue, totals, reuse, clash, notIn, empty };
  });

  scenario('drizzle', 'upserts on a composite key and on a partial unique index, with where clauses', async (db) => {
    const d = setup(db);
    const merged = d
      .insert(orderItems)
      .values([
        { orderId: 1, productId: 1, qty: 5, unitPrice: 1.4 },
        { orderId: 2, productId: 1, qty: 1, unitPrice: 1.5 },
      ])
      .onConflictDoUpdate({
        target: [orderItems.orderId, orderItems.productId],
        set: { qty: sql`${orderItems.qty} + excluded.qty`, unitPrice: sql`min(${orderItems.unitPrice}, excluded.unit_price)` },
      })
      .returning()
      .all();
    const restock = d
      .insert(products)
      .values({ sku: 'INK', price: 8, stock: 10 })
      .onConflictDoUpdate({
        target: products.sku,
        targetWhere: sql`deleted_at IS NULL`,
        set: { stock: sql`${products.stock} + excluded.stock`, price: sql`excluded.price` },
        setWhere: sql`excluded.price > ${products.price}`,
      })
      .returning({ sku: products.sku, stock: products.stock, price: products.price })
      .all();
    const skipped = d
      .insert(products)
      .values({ sku: 'INK', price: 1, stock: 10 })
      .onConflictDoUpdate({ target: products.sku, targetWhere: sql`deleted_at IS NULL`, set: { stock: 0 }, setWhere: sql`excluded.price > ${products.price}` })
      .returning()
      .all();
    const ignored = d.insert(customers).values({ id: 1, name: 'Dup', joinedAt: T2 }).onConflictDoNothing().run();
    const items = d.select().from(orderItems).orderBy(orderItems.orderId, orderItems.productId).all();
    return { merged, restock, skipped, ignored, items };
  });

  scenario('drizzle', 'prepared placeholders, iterator, values() and get()', async (db) => {
    const d = setup(db);
    const byStatus = d
      .select({ id: orders.id, customer: customers.name })
      .from(orders)
      .innerJoin(customers, eq(customers.id, orders.customerId))
      .where(and(eq(orders.status, sql.placeholder('status')), lt(orders.placedAt, sql.placeholder('before'))))
      .orderBy(orders.id)
      .prepare();
    // Placeholders bind raw driver values: a timestamp column's value is unix seconds.
    const paid = byStatus.all({ status: 'paid', before: T2.getTime() / 1000 });
    const open = byStatus.all({ status: 'open', before: Date.parse('2030-01-01') / 1000 });
    // Streaming as an app does it under drizzle: the driver's own iterate() on drizzle's SQL.
    const q = d.select({ sku: products.sku, price: products.price }).from(products).orderBy(desc(products.price)).toSQL();
    const streamed: unknown[] = [];
    for (const row of db.prepare(q.sql).iterate(...q.params)) streamed.push(row);
    const values = d.select({ id: products.id, sku: products.sku }).from(products).orderBy(products.id).values();
    const one = d.select({ n: count() }).from(orderItems).get();
    const insertOne = d.insert(orders).values({ customerId: sql.placeholder('c'), placedAt: T2 }).returning({ id: orders.id }).prepare();
    const made = [insertOne.get({ c: 3 }), insertOne.get({ c: 2 })];
    return { paid, open, streamed, values, one, made };
  });

  scenario('drizzle', 'transactions: tx.rollback(), a failing nested savepoint, cascade deletes', async (db) => {
    const d = setup(db);
    const rolled = (() => {
      try {
        d.transaction((tx) => {
          tx.update(products).set({ stock: sql`${products.stock} - 1` }).run();
          tx.rollback();
        });
        return 'committed';
      } catch (e) {
        return (e as Error).constructor.name;
      }
    })();
    const afterRollback = d.select({ stock: products.stock }).from(products).orderBy(products.id).all();
    const nested = d.transaction((tx) => {
      const [o] = tx.insert(orders).values({ customerId: 3, placedAt: T2 }).returning({ id: orders.id }).all();
      const inner = (() => {
        try {
          tx.transaction((sp) => {
            sp.insert(orderItems).values({ orderId: o!.id, productId: 2, qty: 1, unitPrice: 7 }).run();
            sp.insert(orderItems).values({ orderId: o!.id, productId: 99, qty: 1, unitPrice: 1 }).run();
          });
          return 'ok';
        } catch (e) {
          return (e as { code?: string }).code;
        }
      })();
      tx.insert(orderItems).values({ orderId: o!.id, productId: 3, qty: 4, unitPrice: 4 }).run();
      return { order: o!.id, inner };
    });
    const items = d.select().from(orderItems).where(eq(orderItems.orderId, nested.order)).all();
    const cascaded = d.delete(customers).where(eq(customers.id, 1)).returning({ id: customers.id }).all();
    const left = { orders: await d.$count(orders), items: await d.$count(orderItems) };
    return { rolled, afterRollback, nested, items, cascaded, left };
  });
});
