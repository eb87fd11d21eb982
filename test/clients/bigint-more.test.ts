// Safe integers through the clients, on better-sqlite3 and on AmberDB: a handle with
// defaultSafeIntegers(true) under Drizzle (relational queries, returning, aggregates), Knex
// (insert ids, counts, raw) and Kysely (insertId, streamed rows), with values past 2^53.
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { count, eq, relations, sql, sum } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import knexFactory, { type Knex } from 'knex';
import { Kysely, SqliteDialect, type Generated } from 'kysely';
import { scenario, type Db } from './harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ClientBetterSqlite3 = require('knex/lib/dialects/better-sqlite3') as new (config: Knex.Config) => object;

const accounts = sqliteTable('accounts', {
  id: integer('id').primaryKey(),
  owner: text('owner').notNull(),
  balance: integer('balance', { mode: 'number' }).notNull(),
});
const entries = sqliteTable('entries', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  accountId: integer('account_id').notNull().references(() => accounts.id),
  amount: integer('amount').notNull(),
});
const accountsRelations = relations(accounts, ({ many }) => ({ entries: many(entries) }));
const entriesRelations = relations(entries, ({ one }) => ({ account: one(accounts, { fields: [entries.accountId], references: [accounts.id] }) }));
const schema = { accounts, entries, accountsRelations, entriesRelations };

const BIG = 9007199254740993n; // 2^53 + 1: not exact as a number

const DDL = `CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner TEXT NOT NULL, balance INTEGER NOT NULL);
  CREATE TABLE entries (id INTEGER PRIMARY KEY AUTOINCREMENT, account_id INTEGER NOT NULL REFERENCES accounts(id), amount INTEGER NOT NULL);`;

describe('safe integers through the clients', () => {
  scenario('drizzle', 'defaultSafeIntegers: selects, returning, aggregates, relational queries', async (db) => {
    db.exec(DDL);
    db.defaultSafeIntegers(true);
    const d = drizzle({ client: db as never, schema });
    d.insert(accounts).values([{ id: 1, owner: 'a', balance: 10 }, { id: 2, owner: 'b', balance: 0 }]).run();
    db.prepare('INSERT INTO accounts (id, owner, balance) VALUES (?, ?, ?)').run(BIG, 'big', BIG);
    const returned = d.insert(entries).values([{ accountId: 1, amount: 5 }, { accountId: 1, amount: -2 }]).returning().all();
    const rows = d.select().from(accounts).orderBy(accounts.id).all();
    const totals = d.select({ accountId: entries.accountId, n: count(), total: sum(entries.amount) }).from(entries).groupBy(entries.accountId).all();
    const big = d.select({ id: accounts.id, twice: sql<bigint>`${accounts.balance} * 2` }).from(accounts).where(eq(accounts.owner, 'big')).get();
    const rq = await d.query.accounts.findMany({ with: { entries: { columns: { amount: true } } }, orderBy: (a, { asc }) => [asc(a.id)] });
    const info = d.run(sql`UPDATE accounts SET balance = balance + 1 WHERE id = 1`);
    return { returned, rows, totals, big, rq, info };
  });

  scenario('knex', 'safe integers on the handle: insert ids, counts, raw, first', async (db) => {
    db.defaultSafeIntegers(true);
    class InjectedClient extends (ClientBetterSqlite3 as unknown as new (config: Knex.Config) => { driver: unknown }) {
      _driver(): unknown {
        return function InjectedDatabase() {
          return db;
        };
      }
    }
    const k = knexFactory({ client: InjectedClient as unknown as typeof Knex.Client, connection: { filename: ':memory:' }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
    try {
      await k.schema.createTable('counters', (t) => {
        t.bigIncrements('id');
        t.bigInteger('value').notNullable();
      });
      const ids = await k('counters').insert([{ value: 1 }, { value: BIG }]);
      const one = await k('counters').insert({ value: BIG * 2n }).returning(['id', 'value']);
      const cnt = await k('counters').count({ n: '*' }).first();
      const max = await k('counters').max({ m: 'value' }).first();
      const raw = await k.raw('SELECT value, typeof(value) AS t FROM counters ORDER BY id');
      const sumOverflow = await k.raw('SELECT sum(value) FROM counters').then(() => 'summed', (e: { code?: string; message: string }) => e.code ?? e.message);
      return { ids, one, cnt, max, raw, sumOverflow };
    } finally {
      await k.destroy();
    }
  });

  scenario('kysely', 'safe integers: insertId, numInsertedOrUpdatedRows, streamed bigints', async (db) => {
    db.defaultSafeIntegers(true);
    const k = new Kysely<{ t: { id: Generated<bigint>; v: bigint } }>({ dialect: new SqliteDialect({ database: db }) });
    await k.schema.createTable('t').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('v', 'integer', (c) => c.notNull()).execute();
    const r = await k.insertInto('t').values([{ v: BIG }, { v: -BIG }]).executeTakeFirst();
    const upd = await k.updateTable('t').set({ v: 7n }).where('v', '<', 0n).executeTakeFirst();
    const streamed: unknown[] = [];
    for await (const row of k.selectFrom('t').selectAll().orderBy('id').stream()) streamed.push(row);
    return { insertId: r.insertId, rows: r.numInsertedOrUpdatedRows, updated: upd.numUpdatedRows, streamed };
  });
});
