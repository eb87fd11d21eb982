// Kysely 0.28 (SqliteDialect) on better-sqlite3 and on AmberDB.
import { Kysely, Migrator, SqliteDialect, sql, type Generated, type Migration, type MigrationProvider } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/sqlite';
import { scenario, type Db } from './harness';

interface UserTable {
  id: Generated<number>;
  email: string;
  name: string;
  role: Generated<string>;
  karma: Generated<number>;
  created_at: Generated<string>;
}
interface PostTable {
  id: Generated<number>;
  author_id: number;
  title: string;
  body: string | null;
  published: Generated<number>;
  views: Generated<number>;
}
interface CommentTable {
  id: Generated<number>;
  post_id: number;
  user_id: number;
  text: string;
}
interface Schema {
  users: UserTable;
  posts: PostTable;
  comments: CommentTable;
}

const kysely = (db: Db): Kysely<Schema> => new Kysely<Schema>({ dialect: new SqliteDialect({ database: db }) });

async function createSchema(k: Kysely<Schema>): Promise<void> {
  await k.schema
    .createTable('users')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('member'))
    .addColumn('karma', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
    .execute();
  await k.schema
    .createTable('posts')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text')
    .addColumn('published', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('views', 'integer', (c) => c.notNull().defaultTo(0))
    .addCheckConstraint('views_non_negative', sql`views >= 0`)
    .execute();
  await k.schema
    .createTable('comments')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('post_id', 'integer', (c) => c.notNull().references('posts.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .execute();
  await k.schema.createIndex('posts_author_idx').on('posts').column('author_id').execute();
  await k.schema.createIndex('comments_post_user_idx').on('comments').columns(['post_id', 'user_id']).execute();
  await k.schema.createIndex('users_name_uq').on('users').column('name').unique().execute();
}

async function seed(k: Kysely<Schema>): Promise<void> {
  await k
    .insertInto('users')
    .values([
      { email: 'ada@example.com', name: 'Ada', role: 'admin', karma: 50 },
      { email: 'bob@example.com', name: 'Bob', role: 'member', karma: 10 },
      { email: 'cy@example.com', name: 'Cy', role: 'member', karma: 0 },
      { email: 'dee@example.com', name: 'Dee', role: 'member', karma: 7 },
    ])
    .execute();
  await k
    .insertInto('posts')
    .values([
      { author_id: 1, title: 'Hello', body: 'first', published: 1, views: 100 },
      { author_id: 1, title: 'Second', body: null, published: 1, views: 40 },
      { author_id: 2, title: 'Bob writes', body: 'hi', published: 0, views: 3 },
      { author_id: 2, title: 'Bob again', body: 'hey', published: 1, views: 12 },
      { author_id: 4, title: 'Dee draft', body: null, published: 0, views: 0 },
    ])
    .execute();
  await k
    .insertInto('comments')
    .values([
      { post_id: 1, user_id: 2, text: 'nice' },
      { post_id: 1, user_id: 3, text: '+1' },
      { post_id: 2, user_id: 2, text: 'hmm' },
      { post_id: 4, user_id: 1, text: 'welcome' },
    ])
    .execute();
}

async function setup(db: Db): Promise<Kysely<Schema>> {
  db.pragma('foreign_keys = ON');
  const k = kysely(db);
  await createSchema(k);
  await seed(k);
  return k;
}

describe('kysely', () => {
  scenario('kysely', 'schema creation and introspection', async (db) => {
    const k = kysely(db);
    await createSchema(k);
    const tables = await k.introspection.getTables();
    const defaults = await k.insertInto('users').values({ email: 'x@y', name: 'X' }).returningAll().executeTakeFirstOrThrow();
    const dupe = await k
      .insertInto('users')
      .values({ email: 'x@y', name: 'Other' })
      .execute()
      .then(() => 'inserted', (e: { code?: string }) => e.code);
    const badFk = await k
      .insertInto('posts')
      .values({ author_id: 99, title: 't' })
      .execute()
      .then(() => 'inserted (foreign keys off)', (e: { code?: string }) => e.code);
    const indexes = await sql<{ name: string; tbl_name: string }>`
      select name, tbl_name from sqlite_master where type = 'index' and name not like 'sqlite_autoindex%' order by name`.execute(k);
    return {
      tables: tables.map((t) => ({ name: t.name, isView: t.isView, columns: t.columns })),
      defaults: { ...defaults, created_at: /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(defaults.created_at) },
      dupe,
      badFk,
      indexes: indexes.rows,
    };
  });

  scenario('kysely', 'foreign keys enforced with cascade', async (db) => {
    const k = await setup(db);
    const bad = await k
      .insertInto('posts')
      .values({ author_id: 99, title: 't' })
      .execute()
      .then(() => 'inserted', (e: { code?: string }) => e.code);
    const del = await k.deleteFrom('users').where('id', '=', 4).executeTakeFirst();
    const blocked = await k
      .deleteFrom('users')
      .where('id', '=', 3)
      .execute()
      .then(() => 'deleted', (e: { code?: string }) => e.code);
    const posts = await k.selectFrom('posts').select(['id', 'author_id']).orderBy('id').execute();
    return { bad, deleted: del.numDeletedRows, blocked, posts };
  });

  scenario('kysely', 'migrations with an in-memory provider', async (db) => {
    const k = new Kysely<any>({ dialect: new SqliteDialect({ database: db }) }); // eslint-disable-line @typescript-eslint/no-explicit-any
    const migrations: Record<string, Migration> = {
      '001_accounts': {
        async up(m) {
          await m.schema
            .createTable('accounts')
            .addColumn('id', 'integer', (c) => c.primaryKey())
            .addColumn('handle', 'text', (c) => c.notNull().unique())
            .execute();
        },
        async down(m) {
          await m.schema.dropTable('accounts').execute();
        },
      },
      '002_accounts_bio': {
        async up(m) {
          await m.schema.alterTable('accounts').addColumn('bio', 'text', (c) => c.defaultTo('')).execute();
          await m.schema.alterTable('accounts').renameColumn('handle', 'username').execute();
        },
        async down(m) {
          await m.schema.alterTable('accounts').renameColumn('username', 'handle').execute();
          await m.schema.alterTable('accounts').dropColumn('bio').execute();
        },
      },
      '003_follows': {
        async up(m) {
          await m.schema
            .createTable('follows')
            .addColumn('follower', 'integer', (c) => c.notNull().references('accounts.id'))
            .addColumn('followee', 'integer', (c) => c.notNull().references('accounts.id'))
            .addPrimaryKeyConstraint('follows_pk', ['follower', 'followee'])
            .execute();
          await m.schema.createIndex('follows_followee').on('follows').column('followee').execute();
        },
        async down(m) {
          await m.schema.dropTable('follows').execute();
        },
      },
    };
    const provider: MigrationProvider = { getMigrations: async () => migrations };
    const migrator = new Migrator({ db: k, provider });
    const up = await migrator.migrateToLatest();
    await k.insertInto('accounts').values({ username: 'ada' }).execute();
    const afterUp = await k.selectFrom('accounts').selectAll().execute();
    const down = await migrator.migrateDown();
    const down2 = await migrator.migrateDown();
    const afterDown = await k.selectFrom('accounts').selectAll().execute();
    const list = await migrator.getMigrations();
    const again = await migrator.migrateToLatest();
    const tables = (await k.introspection.getTables()).map((t) => [t.name, t.columns.map((c) => c.name)]);
    const bookkeeping = await k.selectFrom('kysely_migration').select('name').orderBy('name').execute();
    return {
      up: up.results,
      upError: up.error,
      afterUp,
      down: down.results,
      down2: down2.results,
      afterDown,
      list: list.map((m) => [m.name, m.executedAt !== undefined]),
      again: again.results,
      tables,
      bookkeeping,
    };
  });

  scenario('kysely', 'insert with returning and insertId', async (db) => {
    const k = await setup(db);
    const one = await k.insertInto('users').values({ email: 'eve@example.com', name: 'Eve' }).executeTakeFirst();
    const many = await k
      .insertInto('posts')
      .values([
        { author_id: 3, title: 'Cy 1', body: null, views: 0 },
        { author_id: 3, title: 'Cy 2', body: 'b', views: 5 },
      ])
      .returning(['id', 'title', 'published', 'views', sql<number>`views * 2`.as('double_views')])
      .execute();
    const fromSelect = await k
      .insertInto('comments')
      .columns(['post_id', 'user_id', 'text'])
      .expression((eb) => eb.selectFrom('posts').select(['id', 'author_id', sql<string>`'auto: ' || title`.as('t')]).where('author_id', '=', 3))
      .returningAll()
      .execute();
    return { insertId: one.insertId, rows: one.numInsertedOrUpdatedRows, many, fromSelect };
  });

  scenario('kysely', 'upserts: on conflict do update / do nothing', async (db) => {
    const k = await setup(db);
    const updated = await k
      .insertInto('users')
      .values({ email: 'bob@example.com', name: 'Robert', karma: 5 })
      .onConflict((oc) =>
        oc.column('email').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          karma: eb('users.karma', '+', eb.ref('excluded.karma')),
        })),
      )
      .returningAll()
      .executeTakeFirst();
    const guarded = await k
      .insertInto('users')
      .values({ email: 'cy@example.com', name: 'Cyrus', karma: 1 })
      .onConflict((oc) => oc.column('email').doUpdateSet({ name: 'Cyrus' }).where('users.karma', '>', 100))
      .returningAll()
      .execute();
    const nothing = await k
      .insertInto('users')
      .values([
        { email: 'ada@example.com', name: 'Ada2', karma: 0 },
        { email: 'fay@example.com', name: 'Fay', karma: 0 },
      ])
      .onConflict((oc) => oc.doNothing())
      .returning(['id', 'email'])
      .execute();
    const orReplace = await k
      .replaceInto('users')
      .values({ id: 4, email: 'dee@example.org', name: 'Dee' })
      .executeTakeFirst();
    const ignore = await k.insertInto('users').orIgnore().values({ email: 'ada@example.com', name: 'nope' }).executeTakeFirst();
    const all = await k.selectFrom('users').select(['id', 'email', 'name', 'karma']).orderBy('id').execute();
    return { updated: { ...updated, created_at: typeof updated?.created_at }, guarded, nothing, orReplace, ignore, all };
  });

  scenario('kysely', 'updates and deletes with returning', async (db) => {
    const k = await setup(db);
    const bumped = await k
      .updateTable('posts')
      .set((eb) => ({ views: eb('views', '+', 1), title: eb.fn('upper', ['title']) }))
      .where('published', '=', 1)
      .returning(['id', 'title', 'views'])
      .execute();
    const fromJoin = await k
      .updateTable('users')
      .set((eb) => ({
        karma: eb.selectFrom('posts').select((e) => e.fn.coalesce(e.fn.sum<number>('views'), e.lit(0)).as('v')).whereRef('posts.author_id', '=', 'users.id'),
      }))
      .returning(['id', 'karma'])
      .execute();
    const res = await k.updateTable('users').set({ role: 'editor' }).where('karma', '>', 20).executeTakeFirst();
    const deleted = await k
      .deleteFrom('comments')
      .where('post_id', 'in', (eb) => eb.selectFrom('posts').select('id').where('author_id', '=', 1))
      .returningAll()
      .execute();
    const delRes = await k.deleteFrom('posts').where('published', '=', 0).executeTakeFirst();
    return { bumped, fromJoin, updatedRows: res.numUpdatedRows, deleted, deletedRows: delRes.numDeletedRows };
  });

  scenario('kysely', 'joins: inner, left, self-style aliases', async (db) => {
    const k = await setup(db);
    const inner = await k
      .selectFrom('posts as p')
      .innerJoin('users as u', 'u.id', 'p.author_id')
      .select(['p.id', 'p.title', 'u.name as author'])
      .where('p.published', '=', 1)
      .orderBy('p.id')
      .execute();
    const left = await k
      .selectFrom('users')
      .leftJoin('posts', (j) => j.onRef('posts.author_id', '=', 'users.id').on('posts.published', '=', 1))
      .select(['users.name', 'posts.title'])
      .orderBy('users.id')
      .orderBy('posts.id')
      .execute();
    const threeWay = await k
      .selectFrom('comments as c')
      .innerJoin('posts as p', 'p.id', 'c.post_id')
      .innerJoin('users as author', 'author.id', 'p.author_id')
      .innerJoin('users as commenter', 'commenter.id', 'c.user_id')
      .select(['c.text', 'p.title', 'author.name as author', 'commenter.name as commenter'])
      .orderBy('c.id')
      .execute();
    return { inner, left, threeWay };
  });

  scenario('kysely', 'aggregates, group by, having, subqueries, pagination', async (db) => {
    const k = await setup(db);
    const perAuthor = await k
      .selectFrom('posts')
      .innerJoin('users', 'users.id', 'posts.author_id')
      .select((eb) => [
        'users.name',
        eb.fn.countAll<number>().as('posts'),
        eb.fn.sum<number>('posts.views').as('views'),
        eb.fn.avg<number>('posts.views').as('avg_views'),
        eb.fn.max('posts.views').as('max_views'),
        eb.fn.count<number>('posts.body').as('with_body'),
      ])
      .groupBy('users.name')
      .having((eb) => eb.fn.countAll(), '>=', 1)
      .orderBy('views', 'desc')
      .execute();
    const withCounts = await k
      .selectFrom('users')
      .select((eb) => [
        'name',
        eb.selectFrom('comments').select(eb.fn.countAll<number>().as('n')).whereRef('comments.user_id', '=', 'users.id').as('comment_count'),
      ])
      .where((eb) => eb.exists(eb.selectFrom('posts').select('posts.id').whereRef('posts.author_id', '=', 'users.id')))
      .orderBy('name')
      .execute();
    const notIn = await k
      .selectFrom('users')
      .select('name')
      .where('id', 'not in', (eb) => eb.selectFrom('comments').select('user_id'))
      .orderBy('name')
      .execute();
    const pages = [];
    for (let page = 0; page < 3; page++) {
      pages.push(
        await k
          .selectFrom('posts')
          .select(['id', 'title'])
          .orderBy('views', 'desc')
          .orderBy('id')
          .limit(2)
          .offset(page * 2)
          .execute(),
      );
    }
    const distinct = await k.selectFrom('comments').select('user_id').distinct().orderBy('user_id').execute();
    const cte = await k
      .with('popular', (qb) => qb.selectFrom('posts').select(['author_id', 'views']).where('views', '>', 10))
      .selectFrom('popular')
      .innerJoin('users', 'users.id', 'popular.author_id')
      .select(['users.email', (eb) => eb.fn.sum<number>('popular.views').as('total')])
      .groupBy('users.email')
      .orderBy('total')
      .execute();
    const total = await k.selectFrom('posts').select((eb) => eb.fn.countAll<number>().as('c')).executeTakeFirstOrThrow();
    const caseExpr = await k
      .selectFrom('posts')
      .select((eb) => ['id', eb.case().when('views', '>=', 50).then('hot').when('views', '>=', 10).then('warm').else('cold').end().as('heat')])
      .orderBy('id')
      .execute();
    return { perAuthor, withCounts, notIn, pages, distinct, cte, total, caseExpr };
  });

  scenario('kysely', 'json helpers: jsonArrayFrom / jsonObjectFrom', async (db) => {
    const k = await setup(db);
    const users = await k
      .selectFrom('users')
      .select((eb) => [
        'id',
        'name',
        jsonArrayFrom(eb.selectFrom('posts').select(['posts.id', 'posts.title', 'posts.views']).whereRef('posts.author_id', '=', 'users.id').orderBy('posts.id')).as('posts'),
      ])
      .orderBy('id')
      .execute();
    const posts = await k
      .selectFrom('posts')
      .select((eb) => [
        'id',
        jsonObjectFrom(eb.selectFrom('users').select(['users.name', 'users.karma']).whereRef('users.id', '=', 'posts.author_id')).as('author'),
      ])
      .orderBy('id')
      .execute();
    return { users, posts };
  });

  scenario('kysely', 'transactions commit and roll back', async (db) => {
    const k = await setup(db);
    const committed = await k.transaction().execute(async (trx) => {
      const u = await trx.insertInto('users').values({ email: 'gus@example.com', name: 'Gus' }).returning('id').executeTakeFirstOrThrow();
      await trx.insertInto('posts').values({ author_id: u.id, title: 'Gus post' }).execute();
      return u.id;
    });
    const rolledBack = await k
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('users').values({ email: 'hal@example.com', name: 'Hal' }).execute();
        await trx.updateTable('users').set({ karma: 999 }).execute();
        await trx.insertInto('users').values({ email: 'ada@example.com', name: 'Dup' }).execute(); // unique violation
      })
      .then(() => 'committed', (e: { code?: string }) => e.code);
    const thrown = await k
      .transaction()
      .execute(async (trx) => {
        await trx.deleteFrom('comments').execute();
        throw new Error('app says no');
      })
      .catch((e: Error) => e.message);
    const users = await k.selectFrom('users').select(['name', 'karma']).orderBy('id').execute();
    const comments = await k.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return { committed, rolledBack, thrown, users, comments };
  });

  scenario('kysely', 'controlled transaction with savepoints', async (db) => {
    const k = await setup(db);
    const trx = await k.startTransaction().execute();
    await trx.insertInto('users').values({ email: 'ivy@example.com', name: 'Ivy' }).execute();
    const sp1 = await trx.savepoint('sp1').execute();
    await sp1.insertInto('users').values({ email: 'jo@example.com', name: 'Jo' }).execute();
    const sp2 = await sp1.savepoint('sp2').execute();
    await sp2.deleteFrom('comments').execute();
    const inside = await sp2.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    const back = await sp2.rollbackToSavepoint('sp2').execute();
    const released = await back.releaseSavepoint('sp2').execute();
    await released.releaseSavepoint('sp1').execute();
    await trx.commit().execute();
    const trx2 = await k.startTransaction().execute();
    await trx2.insertInto('users').values({ email: 'kim@example.com', name: 'Kim' }).execute();
    await trx2.rollback().execute();
    const users = await k.selectFrom('users').select('name').orderBy('id').execute();
    const comments = await k.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return { inside, users, comments, inTransaction: db.inTransaction };
  });

  scenario('kysely', 'streaming a select', async (db) => {
    const k = await setup(db);
    await k
      .insertInto('posts')
      .values(Array.from({ length: 200 }, (_, i) => ({ author_id: (i % 4) + 1, title: `bulk ${i}`, published: i % 2, views: i })))
      .execute();
    const seen: unknown[] = [];
    let sum = 0;
    for await (const row of k.selectFrom('posts').select(['id', 'title', 'views']).where('views', '>', 5).orderBy('views', 'desc').stream(10)) {
      sum += row.views;
      if (seen.length < 5) seen.push(row);
    }
    const early: unknown[] = [];
    for await (const row of k.selectFrom('users').select('name').orderBy('name').stream()) {
      early.push(row);
      if (early.length === 2) break;
    }
    const after = await k.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return { seen, sum, early, after };
  });

  scenario('kysely', 'raw sql, views and introspection of views', async (db) => {
    const k = await setup(db);
    await k.schema
      .createView('published_posts')
      .as(k.selectFrom('posts').innerJoin('users', 'users.id', 'posts.author_id').select(['posts.id', 'posts.title', 'users.name as author']).where('published', '=', 1))
      .execute();
    const viaView = await sql<{ id: number; title: string; author: string }>`select * from published_posts order by id`.execute(k);
    const tables = (await k.introspection.getTables({ withInternalKyselyTables: false })).map((t) => ({
      name: t.name,
      isView: t.isView,
      columns: t.columns.map((c) => c.name),
    }));
    const ref = await sql<{ n: number }>`select count(*) as n from ${sql.table('posts')} where ${sql.ref('views')} > ${10}`.execute(k);
    const affected = await sql`update posts set views = views + ${1} where author_id = ${2}`.execute(k);
    await k.schema.dropView('published_posts').ifExists().execute();
    await k.schema.dropIndex('posts_author_idx').execute();
    await k.schema.alterTable('users').renameTo('members').execute();
    const after = (await k.introspection.getTables()).map((t) => t.name);
    const fk = await sql`select * from pragma_foreign_key_list('posts')`.execute(k);
    return { viaView: viaView.rows, tables, ref: ref.rows, affected: affected.numAffectedRows, after, fk: fk.rows };
  });
});
