// Further scenarios across the three clients, on better-sqlite3 and on AmberDB: an expression
// index and set operations in Drizzle, Knex's enum/timestamps/specificType
// DDL with case-insensitive search and multi-column increments, Kysely's sql helpers
// (sql.join, sql.id, sql.table, sql.val) and deletes returning all columns.
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { asc, eq, like, sql } from 'drizzle-orm';
import { except, index, integer, intersect, sqliteTable, text, union, unionAll } from 'drizzle-orm/sqlite-core';
import knexFactory, { type Knex } from 'knex';
import { Kysely, SqliteDialect, sql as ksql, type Generated } from 'kysely';
import { scenario, type Db } from './harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ClientBetterSqlite3 = require('knex/lib/dialects/better-sqlite3') as new (config: Knex.Config) => object;

async function withKnex<T>(db: Db, fn: (k: Knex) => Promise<T>): Promise<T> {
  class InjectedClient extends (ClientBetterSqlite3 as unknown as new (config: Knex.Config) => { driver: unknown }) {
    _driver(): unknown {
      return function InjectedDatabase() {
        return db;
      };
    }
  }
  const k = knexFactory({ client: InjectedClient as unknown as typeof Knex.Client, connection: { filename: ':memory:' }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
  try {
    return await fn(k);
  } finally {
    await k.destroy();
  }
}

const people = sqliteTable(
  'people',
  {
    id: integer('id').primaryKey(),
    first: text('first').notNull(),
    last: text('last').notNull(),
    email: text('email').notNull(),
    team: text('team'),
  },
  (t) => [index('people_email_lower').on(sql`lower(${t.email})`)],
);

describe('mixed clients (more)', () => {
  scenario('drizzle', 'expression indexes, set operations, raw run/all/get/values', async (db) => {
    db.exec(`CREATE TABLE people (id INTEGER PRIMARY KEY, first TEXT NOT NULL, last TEXT NOT NULL,
               email TEXT NOT NULL, team TEXT);
             CREATE INDEX people_email_lower ON people (lower(email));`);
    const d = drizzle({ client: db as never });
    d.insert(people)
      .values([
        { id: 1, first: 'Ada', last: 'Lovelace', email: 'ADA@x.org', team: 'math' },
        { id: 2, first: 'Alan', last: 'Turing', email: 'alan@x.org', team: 'math' },
        { id: 3, first: 'Grace', last: 'Hopper', email: 'Grace@Navy.mil', team: 'navy' },
        { id: 4, first: 'Linus', last: 'T', email: 'linus@x.org', team: null },
      ])
      .run();
    const full = d.select({ id: people.id, full: sql<string>`${people.first} || ' ' || ${people.last}`.as('full') }).from(people).orderBy(asc(sql`full`)).all();
    const byEmail = d.select({ id: people.id }).from(people).where(eq(sql`lower(${people.email})`, 'grace@navy.mil')).all();
    // Only whether the expression index is used (SQLite words this plan COVERING; AmberDB does not yet).
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT id FROM people WHERE lower(email) = 'grace@navy.mil'").all().some((r) => (r as { detail: string }).detail.includes('USING') && (r as { detail: string }).detail.includes('people_email_lower'));
    const setOps = {
      union: await union(d.select({ t: people.team }).from(people).where(eq(people.id, 1)), d.select({ t: people.team }).from(people)).orderBy(sql`1`),
      unionAll: await unionAll(d.select({ t: people.team }).from(people), d.select({ t: people.team }).from(people).where(eq(people.team, 'math'))).orderBy(sql`1`),
      intersect: await intersect(d.select({ id: people.id }).from(people).where(like(people.email, '%x.org')), d.select({ id: people.id }).from(people).where(eq(people.team, 'math'))).orderBy(sql`1`),
      except: await except(d.select({ id: people.id }).from(people), d.select({ id: people.id }).from(people).where(eq(people.team, 'math'))).orderBy(sql`1`),
    };
    const raw = {
      run: d.run(sql`UPDATE people SET team = ${'none'} WHERE team IS NULL`),
      all: d.all(sql`SELECT team, count(*) AS n FROM people GROUP BY team ORDER BY team`),
      get: d.get(sql`SELECT max(id) AS m FROM people`),
      values: d.values(sql`SELECT id, first FROM people WHERE id IN ${[1, 3]} ORDER BY id`),
    };
    return { full, byEmail, plan, setOps, raw };
  });

  // Known gap (known-gaps.ts): the engine refuses GENERATED ALWAYS AS columns.
  scenario('drizzle', 'generated columns (generatedAlwaysAs)', async (db) => {
    const withFull = sqliteTable('names', {
      id: integer('id').primaryKey(),
      first: text('first').notNull(),
      last: text('last').notNull(),
      full: text('full').generatedAlwaysAs(sql`first || ' ' || last`, { mode: 'virtual' }),
      initials: text('initials').generatedAlwaysAs(sql`substr(first, 1, 1) || substr(last, 1, 1)`, { mode: 'stored' }),
    });
    db.exec(`CREATE TABLE names (id INTEGER PRIMARY KEY, first TEXT NOT NULL, last TEXT NOT NULL,
               full TEXT GENERATED ALWAYS AS (first || ' ' || last) VIRTUAL,
               initials TEXT GENERATED ALWAYS AS (substr(first, 1, 1) || substr(last, 1, 1)) STORED)`);
    const d = drizzle({ client: db as never });
    d.insert(withFull).values([{ id: 1, first: 'Ada', last: 'Lovelace' }, { id: 2, first: 'Alan', last: 'Turing' }]).run();
    d.update(withFull).set({ last: 'King' }).where(eq(withFull.id, 1)).run();
    const rows = d.select().from(withFull).orderBy(withFull.id).all();
    const refused = (() => {
      try {
        db.prepare("UPDATE names SET full = 'x'").run();
        return 'updated';
      } catch (e) {
        return (e as Error).message;
      }
    })();
    const info = db.prepare("SELECT name, hidden FROM pragma_table_xinfo('names')").all();
    return { rows, refused, info };
  });

  scenario('knex', 'enum, timestamps, specificType, case-insensitive search, multi-column increment, views', async (db) =>
    withKnex(db, async (k) => {
      await k.schema.createTable('tickets', (t) => {
        t.increments('id');
        t.enu('state', ['open', 'closed', 'wontfix']).notNullable().defaultTo('open');
        t.specificType('tags', 'TEXT');
        t.string('title').notNullable();
        t.integer('votes').notNullable().defaultTo(0);
        t.integer('views').notNullable().defaultTo(0);
        t.float('score', 8, 2);
        t.bigInteger('big');
        t.timestamps(true, true);
      });
      await k('tickets').insert([
        { title: 'Crash on save', state: 'open', tags: 'bug', score: 1.25, big: 1 },
        { title: 'crash on load', state: 'closed', tags: 'bug', score: 2.5, big: 2 },
        { title: 'Dark mode', state: 'open', tags: 'feature', big: 3 },
      ]);
      const badEnum = await k('tickets').insert({ title: 'x', state: 'maybe' }).then(() => 'inserted', (e: { code?: string }) => e.code);
      const ilike = await k('tickets').whereILike('title', 'crash%').orderBy('id').pluck('id');
      const like = await k('tickets').whereLike('title', 'crash%').orderBy('id').pluck('id');
      await k('tickets').where({ id: 1 }).increment({ votes: 2, views: 10 });
      await k('tickets').where('id', '>', 1).decrement('views', 1);
      const counters = await k('tickets').select('id', 'votes', 'views').orderBy('id');
      const info = await k('tickets').columnInfo();
      const stamp = await k('tickets').select(k.raw('typeof(created_at) AS t'), k.raw('created_at = updated_at AS same')).first();
      await k.schema.createView('open_tickets', (v) => {
        v.columns(['id', 'title']);
        v.as(k('tickets').select('id', 'title').where('state', 'open'));
      });
      const view = await k('open_tickets').orderBy('id');
      const viewCols = await k('open_tickets').columnInfo();
      const identifiers = await k.raw('SELECT ?? AS t, ?? FROM ?? WHERE ?? = ? ORDER BY 1', ['title', 'tickets.id', 'tickets', 'state', 'open']);
      const grouped = await k('tickets').select('tags').sum({ s: 'score' }).groupBy('tags').havingRaw('count(*) > ?', [1]);
      await k.schema.dropView('open_tickets');
      const hasView = await k.schema.hasTable('open_tickets');
      return { badEnum, ilike, like, counters, info, stamp, view, viewCols, identifiers, grouped, hasView };
    }),
  );

  scenario('kysely', 'sql helpers (join, id, table, val, lit, ref), deleteFrom returningAll, selectAll of a join', async (db) => {
    interface S {
      items: { id: Generated<number>; name: string; qty: number; price: number | null };
      bins: { id: Generated<number>; item_id: number; label: string };
    }
    const k = new Kysely<S>({ dialect: new SqliteDialect({ database: db }) });
    await k.schema.createTable('items').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('name', 'text', (c) => c.notNull().unique()).addColumn('qty', 'integer', (c) => c.notNull()).addColumn('price', 'numeric').execute();
    await k.schema.createTable('bins').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('item_id', 'integer', (c) => c.references('items.id').onDelete('cascade').notNull()).addColumn('label', 'text', (c) => c.notNull()).execute();
    await k.insertInto('items').values([{ name: 'bolt', qty: 100, price: 0.1 }, { name: 'nut', qty: 250, price: 0.05 }, { name: 'gear', qty: 3, price: null }]).execute();
    await k.insertInto('bins').values([{ item_id: 1, label: 'A1' }, { item_id: 1, label: 'A2' }, { item_id: 3, label: 'C9' }]).execute();
    const names = ['bolt', 'gear'];
    const joined = await ksql<{ name: string; qty: number }>`select ${ksql.id('name')}, ${ksql.ref('qty')} from ${ksql.table('items')} where name in (${ksql.join(names)}) and qty > ${ksql.val(1)} order by ${ksql.lit('name')} desc`.execute(k);
    const star = await k.selectFrom('items').innerJoin('bins', 'bins.item_id', 'items.id').selectAll('bins').select(['items.name']).orderBy('bins.id').execute();
    const priceTypes = await ksql<{ t: string }>`select name, typeof(price) as t, price from items order by id`.execute(k);
    db.pragma('foreign_keys = ON');
    const removed = await k.deleteFrom('items').where('qty', '<', 200).returningAll().execute();
    const leftBins = await k.selectFrom('bins').selectAll().orderBy('id').execute();
    const agg = await k
      .selectFrom('items')
      .select((eb) => [eb.fn.count<number>('id').as('n'), eb.fn.sum<number>('qty').as('total'), eb.fn.avg<number>('price').as('avg'), eb.fn.coalesce(eb.fn.max('price'), eb.val(0)).as('max')])
      .executeTakeFirstOrThrow();
    return { joined: joined.rows, star, priceTypes: priceTypes.rows, removed, leftBins, agg };
  });
});
