// Knex 3 (its better-sqlite3 client) on better-sqlite3 and on AmberDB. Knex's client
// `require`s the module 'better-sqlite3' by name; the scenario's database handle is injected
// through a Client subclass whose `_driver()` returns a constructor that hands it out.
import knexFactory, { type Knex } from 'knex';
import { scenario, type Db } from './harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ClientBetterSqlite3 = require('knex/lib/dialects/better-sqlite3') as new (config: Knex.Config) => object;

function knexOn(db: Db): Knex {
  class InjectedClient extends (ClientBetterSqlite3 as unknown as new (config: Knex.Config) => { driver: unknown }) {
    _driver(): unknown {
      // Knex calls `new this.driver(filename, { nativeBinding, readonly })`; a constructor
      // that returns an object yields that object: the scenario's (traced) handle.
      return function InjectedDatabase() {
        return db;
      };
    }
  }
  return knexFactory({
    client: InjectedClient as unknown as typeof Knex.Client,
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
    pool: { min: 1, max: 1 },
  });
}

async function withKnex<T>(db: Db, fn: (k: Knex) => Promise<T>): Promise<T> {
  const k = knexOn(db);
  try {
    return await fn(k);
  } finally {
    await k.destroy();
  }
}

async function createSchema(k: Knex): Promise<void> {
  await k.schema.createTable('users', (t) => {
    t.increments('id');
    t.string('email', 255).notNullable().unique();
    t.string('name').notNullable();
    t.string('role').notNullable().defaultTo('member');
    t.integer('karma').notNullable().defaultTo(0);
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamp('created_at').notNullable().defaultTo(k.fn.now());
  });
  await k.schema.createTable('posts', (t) => {
    t.increments('id');
    t.integer('author_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('title').notNullable();
    t.text('body');
    t.integer('views').notNullable().defaultTo(0);
    t.decimal('rating', 3, 1);
    t.unique(['author_id', 'title']);
    t.index(['views'], 'posts_views_idx');
  });
  await k.schema.createTable('comments', (t) => {
    t.increments('id');
    t.integer('post_id').notNullable().references('posts.id').onDelete('CASCADE');
    t.integer('user_id').notNullable().references('users.id');
    t.text('text').notNullable();
  });
}

async function seed(k: Knex): Promise<void> {
  await k('users').insert([
    { email: 'ada@example.com', name: 'Ada', role: 'admin', karma: 50, active: true },
    { email: 'bob@example.com', name: 'Bob', role: 'member', karma: 10, active: true },
    { email: 'cy@example.com', name: 'Cy', role: 'member', karma: 0, active: false },
    { email: 'dee@example.com', name: 'Dee', role: 'member', karma: 7, active: true },
  ]);
  await k('posts').insert([
    { author_id: 1, title: 'Hello', body: 'first', views: 100, rating: 4.5 },
    { author_id: 1, title: 'Second', body: null, views: 40, rating: 3 },
    { author_id: 2, title: 'Bob writes', body: 'hi', views: 3, rating: null },
    { author_id: 2, title: 'Bob again', body: 'hey', views: 12, rating: 2.5 },
    { author_id: 4, title: 'Dee draft', body: null, views: 0, rating: null },
  ]);
  await k('comments').insert([
    { post_id: 1, user_id: 2, text: 'nice' },
    { post_id: 1, user_id: 3, text: '+1' },
    { post_id: 2, user_id: 2, text: 'hmm' },
    { post_id: 4, user_id: 1, text: 'welcome' },
  ]);
}

async function setup(k: Knex): Promise<void> {
  await k.raw('PRAGMA foreign_keys = ON');
  await createSchema(k);
  await seed(k);
}

const codeOf = (e: unknown): unknown => (e as { code?: string }).code ?? (e as Error).message;

describe('knex', () => {
  scenario('knex', 'schema creation, hasTable, hasColumn, columnInfo', async (db) =>
    withKnex(db, async (k) => {
      await createSchema(k);
      const has = {
        users: await k.schema.hasTable('users'),
        nope: await k.schema.hasTable('nope'),
        email: await k.schema.hasColumn('users', 'email'),
        missing: await k.schema.hasColumn('users', 'missing'),
      };
      const info = await k('posts').columnInfo();
      const [id] = await k('users').insert({ email: 'x@y', name: 'X' });
      const row = await k('users').where({ id }).first();
      const dupe = await k('users').insert({ email: 'x@y', name: 'Y' }).then(() => 'inserted', codeOf);
      const objects = await k('sqlite_master').select('type', 'name', 'tbl_name').whereNot('name', 'like', 'sqlite_%').orderBy(['type', 'name']);
      return { has, info, id, row: { ...row, created_at: typeof row.created_at }, dupe, objects };
    }),
  );

  scenario('knex', 'migrations with alterTable (add, rename, drop, alter columns)', async (db) =>
    withKnex(db, async (k) => {
      const migrations: Record<string, { up(k: Knex): Promise<void>; down(k: Knex): Promise<void> }> = {
        '20240101_create_accounts': {
          up: (m) =>
            m.schema.createTable('accounts', (t) => {
              t.increments('id');
              t.string('handle').notNullable().unique();
              t.string('legacy_flag');
              t.integer('age');
            }),
          down: (m) => m.schema.dropTable('accounts'),
        },
        '20240201_alter_accounts': {
          up: async (m) => {
            await m('accounts').insert([
              { handle: 'ada', legacy_flag: 'y', age: 36 },
              { handle: 'bob', legacy_flag: 'n', age: 41 },
            ]).onConflict('handle').ignore();
            await m.schema.alterTable('accounts', (t) => {
              t.string('bio').defaultTo('');
              t.boolean('verified').notNullable().defaultTo(false);
              t.renameColumn('handle', 'username');
            });
            await m.schema.alterTable('accounts', (t) => {
              t.dropColumn('legacy_flag');
              t.index(['username', 'verified'], 'accounts_user_verified');
            });
          },
          down: async (m) => {
            await m.schema.alterTable('accounts', (t) => {
              t.dropIndex(['username', 'verified'], 'accounts_user_verified');
              t.string('legacy_flag');
            });
            await m.schema.alterTable('accounts', (t) => {
              t.renameColumn('username', 'handle');
              t.dropColumn('bio');
              t.dropColumn('verified');
            });
          },
        },
        '20240301_alter_age_type': {
          up: (m) =>
            m.schema.alterTable('accounts', (t) => {
              t.string('age').nullable().alter();
            }),
          down: (m) =>
            m.schema.alterTable('accounts', (t) => {
              t.integer('age').alter();
            }),
        },
      };
      const migrationSource: Knex.MigrationSource<string> = {
        getMigrations: async () => Object.keys(migrations),
        getMigrationName: (name) => name,
        getMigration: async (name) => migrations[name]!,
      };
      const cfg: Knex.MigratorConfig = { migrationSource };
      const latest = await k.migrate.latest(cfg);
      const version = await k.migrate.currentVersion(cfg);
      const list = await k.migrate.list(cfg);
      const afterUp = {
        rows: await k('accounts').select('*').orderBy('id'),
        cols: await k('accounts').columnInfo(),
        hasHandle: await k.schema.hasColumn('accounts', 'handle'),
        hasUsername: await k.schema.hasColumn('accounts', 'username'),
        sql: await k('sqlite_master').where({ tbl_name: 'accounts' }).orderBy('name').select('type', 'name', 'sql'),
      };
      const down1 = await k.migrate.down(cfg);
      const afterDown1 = { rows: await k('accounts').select('*').orderBy('id'), cols: await k('accounts').columnInfo() };
      const down2 = await k.migrate.down(cfg);
      const afterDown2 = { rows: await k('accounts').select('*').orderBy('id'), cols: await k('accounts').columnInfo() };
      const again = await k.migrate.latest(cfg);
      const afterAgain = await k('accounts').select('*').orderBy('id');
      const rolled = await k.migrate.rollback(cfg);
      const afterRollback = await k('accounts').select('*').orderBy('id');
      const final = await k.migrate.latest(cfg);
      const bookkeeping = await k('knex_migrations').select('name', 'batch').orderBy('id');
      const lock = await k('knex_migrations_lock').select('*');
      return { latest, version, list, afterUp, down1, afterDown1, down2, afterDown2, again, afterAgain, rolled, afterRollback, final, bookkeeping, lock };
    }),
  );

  scenario('knex', 'insert with returning, batch insert, first/pluck', async (db) =>
    withKnex(db, async (k) => {
      await setup(k);
      const ids = await k('users').insert({ email: 'eve@example.com', name: 'Eve' });
      const defaults = await k('posts').insert({ author_id: 3, title: 'defaults' }).returning('*');
      const returned = await k('posts').insert({ author_id: 3, title: 'Cy', views: 2 }, ['id', 'title', 'views']);
      const returnedStar = await k('comments').insert([{ post_id: 5, user_id: 3, text: 'a' }, { post_id: 5, user_id: 1, text: 'b' }], '*');
      const batch = await k.batchInsert('comments', Array.from({ length: 25 }, (_, i) => ({ post_id: 3, user_id: 4, text: `c${i}` })), 10);
      const first = await k('users').where('email', 'eve@example.com').first('id', 'name', 'role', 'karma', 'active');
      const pluck = await k('comments').where('post_id', 3).orderBy('id', 'desc').limit(3).pluck('text');
      const fromSelect = await k.into(k.raw('?? (??, ??, ??)', ['comments', 'post_id', 'user_id', 'text'])).insert(
        k('posts').select('id', 'author_id', k.raw("'auto ' || title")).where('views', '>', 50),
      );
      return { ids, defaults, returned, returnedStar, batch: batch.length, first, pluck, fromSelect };
    }),
  );

  scenario('knex', 'upserts: onConflict merge / ignore', async (db) =>
    withKnex(db, async (k) => {
      await setup(k);
      const merged = await k('users')
        .insert({ email: 'bob@example.com', name: 'Robert', karma: 5 })
        .onConflict('email')
        .merge()
        .returning(['id', 'name', 'karma']);
      const mergedCols = await k('users')
        .insert({ email: 'cy@example.com', name: 'Cyrus', karma: 99 })
        .onConflict('email')
        .merge(['name'])
        .returning('*');
      const mergedObj = await k('posts')
        .insert({ author_id: 1, title: 'Hello', views: 7 })
        .onConflict(['author_id', 'title'])
        .merge({ views: k.raw('?? + excluded.views', ['posts.views']) })
        .returning(['id', 'views']);
      const guarded = await k('users')
        .insert({ email: 'ada@example.com', name: 'Ada2' })
        .onConflict('email')
        .merge()
        .where('users.karma', '>', 1000)
        .returning('id');
      const ignored = await k('users')
        .insert([
          { email: 'ada@example.com', name: 'Nope' },
          { email: 'fay@example.com', name: 'Fay' },
        ])
        .onConflict('email')
        .ignore()
        .returning(['id', 'email']);
      const all = await k('users').select('id', 'email', 'name', 'karma').orderBy('id');
      return { merged, mergedCols: mergedCols.map((r: Record<string, unknown>) => ({ ...r, created_at: typeof r.created_at })), mergedObj, guarded, ignored, all };
    }),
  );

  scenario('knex', 'updates and deletes with returning, increment/decrement', async (db) =>
    withKnex(db, async (k) => {
      await setup(k);
      // SQLite documents the order of RETURNING rows as arbitrary: compare them sorted.
      // (AmberDB returns these in index order 4, 2, 1; SQLite in rowid order 1, 2, 4.)
      const updated = (await k('posts').where('views', '>', 10).update({ title: k.raw('upper(title)') }, ['id', 'title'])).sort(
        (a: { id: number }, b: { id: number }) => a.id - b.id,
      );
      const count = await k('users').where('karma', '<', 20).update({ role: 'newbie' });
      const inc = await k('posts').where({ author_id: 2 }).increment('views', 5);
      const dec = await k('users').whereIn('id', [1, 2]).decrement({ karma: 3 });
      const viaSub = await k('users')
        .update({ karma: k('posts').select(k.raw('coalesce(sum(views), 0)')).whereRaw('posts.author_id = users.id') })
        .returning(['id', 'karma']);
      const deleted = await k('comments').whereIn('post_id', k('posts').select('id').where('author_id', 1)).del(['id', 'text']);
      const cascade = await k('users').where({ id: 4 }).del();
      const fkBlocked = await k('users').where({ id: 3 }).del().then(() => 'deleted', codeOf);
      const posts = await k('posts').select('id', 'title', 'views').orderBy('id');
      return { updated, count, inc, dec, viaSub, deleted, cascade, fkBlocked, posts };
    }),
  );

  scenario('knex', 'joins, aggregates, group by/having, subqueries, pagination, union', async (db) =>
    withKnex(db, async (k) => {
      await setup(k);
      const inner = await k('posts as p').join('users as u', 'u.id', 'p.author_id').select('p.id', 'p.title', 'u.name as author').where('u.active', true).orderBy('p.id');
      const left = await k('users')
        .leftJoin('posts', function () {
          this.on('posts.author_id', '=', 'users.id').andOn('posts.views', '>', k.raw('?', [10]));
        })
        .select('users.name', 'posts.title')
        .orderBy([{ column: 'users.id' }, { column: 'posts.id' }]);
      const agg = await k('posts')
        .join('users', 'users.id', 'posts.author_id')
        .select('users.name')
        .count({ posts: '*' })
        .sum({ views: 'posts.views' })
        .avg({ avg_rating: 'posts.rating' })
        .max({ top: 'posts.views' })
        .groupBy('users.name')
        .havingRaw('count(*) >= ?', [1])
        .orderBy('views', 'desc');
      const sub = await k('users')
        .select('name', k('comments').count('*').whereRaw('comments.user_id = users.id').as('comment_count'))
        .whereExists(k('posts').select(1).whereRaw('posts.author_id = users.id'))
        .orderBy('name');
      const notIn = await k('users').whereNotIn('id', k('comments').select('user_id')).pluck('name');
      const pages = [];
      for (let p = 0; p < 3; p++) pages.push(await k('posts').select('id').orderBy([{ column: 'views', order: 'desc' }, 'id']).limit(2).offset(p * 2));
      const union = await k('users').select('name as label').where('karma', '>', 20).union(k('posts').select('title').where('views', '>', 20)).orderBy('label');
      const cte = await k
        .with('hot', k('posts').select('author_id', 'views').where('views', '>', 10))
        .select('users.email')
        .sum({ total: 'hot.views' })
        .from('hot')
        .join('users', 'users.id', 'hot.author_id')
        .groupBy('users.email')
        .orderBy('total');
      const distinct = await k('comments').distinct('user_id').orderBy('user_id');
      const counted = await k('posts').count({ n: 'id' }).countDistinct({ authors: 'author_id' }).first();
      const between = await k('posts').whereBetween('views', [5, 50]).orWhereNull('body').orderBy('id').pluck('id');
      return { inner, left, agg, sub, notIn, pages, union, cte, distinct, counted, between };
    }),
  );

  scenario('knex', 'transactions: commit, rollback, nested savepoints', async (db) =>
    withKnex(db, async (k) => {
      await setup(k);
      const committed = await k.transaction(async (trx) => {
        const [u] = await trx('users').insert({ email: 'gus@example.com', name: 'Gus' }, ['id']);
        await trx('posts').insert({ author_id: u.id, title: 'Gus post' });
        return u.id;
      });
      const thrown = await k
        .transaction(async (trx) => {
          await trx('comments').del();
          throw new Error('app says no');
        })
        .catch((e: Error) => e.message);
      const failed = await k
        .transaction(async (trx) => {
          await trx('users').update({ karma: 999 });
          await trx('users').insert({ email: 'ada@example.com', name: 'Dup' });
        })
        .then(() => 'committed', codeOf);
      const explicit = await k.transaction();
      await explicit('users').insert({ email: 'hal@example.com', name: 'Hal' });
      await explicit.rollback();
      const nested = await k.transaction(async (trx) => {
        await trx('users').insert({ email: 'ivy@example.com', name: 'Ivy' });
        const inner = await trx
          .transaction(async (t2) => {
            await t2('users').insert({ email: 'jo@example.com', name: 'Jo' });
            await t2('comments').del();
            throw new Error('inner fails');
          })
          .catch((e: Error) => e.message);
        await trx.transaction(async (t2) => {
          await t2('users').insert({ email: 'kim@example.com', name: 'Kim' });
        });
        return inner;
      });
      const users = await k('users').select('name', 'karma').orderBy('id');
      const comments = await k('comments').count({ n: '*' }).first();
      return { committed, thrown, failed, rolledBack: explicit.isCompleted(), nested, users, comments, inTransaction: db.inTransaction };
    }),
  );

  scenario('knex', 'streaming rows', async (db) =>
    withKnex(db, async (k) => {
      await setup(k);
      await k.batchInsert(
        'posts',
        Array.from({ length: 150 }, (_, i) => ({ author_id: (i % 4) + 1, title: `bulk ${i}`, body: null, views: i, rating: null })),
        50,
      );
      let sum = 0;
      const firstRows: unknown[] = [];
      const stream = k('posts').select('id', 'title', 'views').where('views', '>', 5).orderBy('views', 'desc').stream();
      for await (const row of stream as AsyncIterable<{ id: number; views: number }>) {
        sum += row.views;
        if (firstRows.length < 3) firstRows.push(row);
      }
      const count = await k('posts').count({ n: '*' }).first();
      return { sum, firstRows, count };
    }),
  );

  scenario('knex', 'raw queries with positional and named bindings', async (db) =>
    withKnex(db, async (k) => {
      await setup(k);
      const positional = await k.raw('select name, karma from users where karma >= ? and role != ? order by karma desc', [7, 'admin']);
      const named = await k.raw('select count(*) as n from ?? where ?? > :min', ['posts', 'views']).catch(() => 'mixed bindings rejected');
      const namedOnly = await k.raw('select title from posts where author_id = :author and views > :min order by id', { author: 1, min: 10 });
      const ident = await k.raw('select ?? as t from ?? where ?? = ?', ['title', 'posts', 'id', 2]);
      const update = await k.raw('update posts set views = views * ? where author_id = ?', [2, 1]);
      const after = await k('posts').where('author_id', 1).orderBy('id').pluck('views');
      const json = await k.raw("select json_object('name', name, 'karma', karma) as j from users where id = ?", [1]);
      return { positional, named, namedOnly, ident, update, after, json };
    }),
  );
});
