// Drizzle ORM (better-sqlite3 driver) on better-sqlite3 and on AmberDB: migrate() from a
// drizzle-kit style folder (fixtures/drizzle), the query builder and relational queries.
import * as path from 'path';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { and, asc, avg, count, desc, eq, exists, gt, gte, inArray, isNull, like, max, ne, or, relations, sql, sum } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { scenario, type Db } from './harness';

// The app's migrations: written as drizzle-kit writes them (journal, breakpoints, the
// PRAGMA foreign_keys / __new_ table-recreate dance for a changed table).
const MIGRATIONS = path.join(__dirname, 'fixtures', 'drizzle');
// The same, except that 0002's CHECK is table-qualified (`"__new_posts"."views"`) exactly as
// drizzle-kit renders a check constraint in a recreated table; the RENAME TO must rewrite it.
const MIGRATIONS_QUALIFIED_CHECK = path.join(__dirname, 'fixtures', 'drizzle-kit-recreate');

export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    email: text('email').notNull(),
    role: text('role', { enum: ['admin', 'member', 'editor'] }).notNull().default('member'),
    settings: text('settings', { mode: 'json' }).$type<{ theme?: string; tags?: string[] }>().notNull().default({}),
    createdAt: text('created_at').notNull().default(sql`(CURRENT_TIMESTAMP)`),
    bio: text('bio'),
  },
  (t) => [uniqueIndex('users_email_unique').on(t.email)],
);

export const posts = sqliteTable(
  'posts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    authorId: integer('author_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    body: text('body'),
    views: integer('views').notNull().default(0),
    published: integer('published', { mode: 'boolean' }).notNull().default(false),
    publishedAt: integer('published_at', { mode: 'timestamp' }),
  },
  (t) => [
    index('posts_author_idx').on(t.authorId),
    uniqueIndex('posts_author_title_unique').on(t.authorId, t.title),
    check('views_non_negative', sql`${t.views} >= 0`),
  ],
);

export const comments = sqliteTable(
  'comments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    postId: integer('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    text: text('text').notNull(),
  },
  (t) => [index('comments_post_idx').on(t.postId)],
);

export const usersRelations = relations(users, ({ many }) => ({ posts: many(posts), comments: many(comments) }));
export const postsRelations = relations(posts, ({ one, many }) => ({
  author: one(users, { fields: [posts.authorId], references: [users.id] }),
  comments: many(comments),
}));
export const commentsRelations = relations(comments, ({ one }) => ({
  post: one(posts, { fields: [comments.postId], references: [posts.id] }),
  user: one(users, { fields: [comments.userId], references: [users.id] }),
}));

const schema = { users, posts, comments, usersRelations, postsRelations, commentsRelations };
type DB = BetterSQLite3Database<typeof schema>;

const orm = (db: Db): DB => drizzle({ client: db as never, schema });

const D1 = new Date('2024-03-01T10:00:00Z');
const D2 = new Date('2024-05-17T08:30:00Z');

function setup(db: Db): DB {
  db.pragma('foreign_keys = ON');
  const d = orm(db);
  migrate(d, { migrationsFolder: MIGRATIONS });
  d.insert(users)
    .values([
      { name: 'Ada', email: 'ada@example.com', role: 'admin', settings: { theme: 'dark', tags: ['math'] } },
      { name: 'Bob', email: 'bob@example.com' },
      { name: 'Cy', email: 'cy@example.com', bio: 'quiet' },
      { name: 'Dee', email: 'dee@example.com', role: 'editor' },
    ])
    .run();
  d.insert(posts)
    .values([
      { authorId: 1, title: 'Hello', body: 'first', published: true, publishedAt: D1, views: 100 },
      { authorId: 1, title: 'Second', published: true, publishedAt: D2, views: 40 },
      { authorId: 2, title: 'Bob writes', body: 'hi', views: 3 },
      { authorId: 2, title: 'Bob again', body: 'hey', published: true, publishedAt: D2, views: 12 },
      { authorId: 4, title: 'Dee draft' },
    ])
    .run();
  d.insert(comments)
    .values([
      { postId: 1, userId: 2, text: 'nice' },
      { postId: 1, userId: 3, text: '+1' },
      { postId: 2, userId: 2, text: 'hmm' },
      { postId: 4, userId: 1, text: 'welcome' },
    ])
    .run();
  return d;
}

describe('drizzle', () => {
  scenario('drizzle', 'migrate() applies a drizzle-kit folder, idempotently', async (db) => {
    const d = orm(db);
    migrate(d, { migrationsFolder: MIGRATIONS });
    migrate(d, { migrationsFolder: MIGRATIONS });
    const applied = db.prepare('SELECT id, hash, created_at FROM __drizzle_migrations ORDER BY created_at').all();
    const objects = db.prepare("SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all();
    const postsSql = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'posts'").pluck().get();
    const cols = db.prepare("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('posts')").all();
    const fks = db.prepare("SELECT \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list('comments') ORDER BY id").all();
    const check = (() => {
      try {
        db.prepare("INSERT INTO posts (author_id, title, views) VALUES (1, 'x', -1)").run();
        return 'inserted';
      } catch (e) {
        return (e as { code?: string }).code;
      }
    })();
    return { applied, objects, postsSql, cols, fks, check };
  });

  scenario('drizzle', 'migrate() with a table-qualified CHECK in a recreated table', async (db) => {
    const d = orm(db);
    migrate(d, { migrationsFolder: MIGRATIONS_QUALIFIED_CHECK });
    const postsSql = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'posts'").pluck().get();
    d.insert(users).values({ name: 'Ada', email: 'ada@example.com' }).run();
    const ok = d.insert(posts).values({ authorId: 1, title: 'first' }).returning({ id: posts.id, views: posts.views }).all();
    const rejected = (() => {
      try {
        db.prepare("INSERT INTO posts (author_id, title, views) VALUES (1, 'x', -1)").run();
        return 'inserted';
      } catch (e) {
        return (e as { code?: string }).code;
      }
    })();
    return { postsSql, ok, rejected };
  });

  scenario('drizzle', 'insert returning, defaults and column modes', async (db) => {
    const d = setup(db);
    const [eve] = d.insert(users).values({ name: 'Eve', email: 'eve@example.com', settings: { theme: 'light' } }).returning().all();
    const partial = d
      .insert(posts)
      .values([
        { authorId: 3, title: 'Cy one', published: true, publishedAt: D1 },
        { authorId: 3, title: 'Cy two', views: 7 },
      ])
      .returning({ id: posts.id, title: posts.title, published: posts.published, at: posts.publishedAt })
      .all();
    const res = d.insert(comments).values({ postId: 5, userId: 3, text: 'first!' }).run();
    const dupe = (() => {
      try {
        d.insert(users).values({ name: 'Ada again', email: 'ada@example.com' }).run();
        return 'inserted';
      } catch (e) {
        return (e as { code?: string }).code;
      }
    })();
    return {
      eve: { ...eve, createdAt: /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(eve?.createdAt ?? '') },
      partial,
      res,
      dupe,
    };
  });

  scenario('drizzle', 'upserts: onConflictDoUpdate / onConflictDoNothing', async (db) => {
    const d = setup(db);
    const up = d
      .insert(users)
      .values({ name: 'Robert', email: 'bob@example.com', role: 'editor' })
      .onConflictDoUpdate({ target: users.email, set: { name: sql`excluded.name`, bio: sql`coalesce(${users.bio}, 'updated')` } })
      .returning({ id: users.id, name: users.name, bio: users.bio, role: users.role })
      .all();
    const guarded = d
      .insert(users)
      .values({ name: 'Cyrus', email: 'cy@example.com' })
      .onConflictDoUpdate({ target: users.email, set: { name: 'Cyrus' }, setWhere: sql`${users.role} = 'admin'` })
      .returning()
      .all();
    const composite = d
      .insert(posts)
      .values({ authorId: 1, title: 'Hello', views: 5 })
      .onConflictDoUpdate({ target: [posts.authorId, posts.title], set: { views: sql`${posts.views} + excluded.views` } })
      .returning({ id: posts.id, views: posts.views })
      .all();
    const nothing = d
      .insert(users)
      .values([
        { name: 'Ada2', email: 'ada@example.com' },
        { name: 'Fay', email: 'fay@example.com' },
      ])
      .onConflictDoNothing({ target: users.email })
      .returning({ name: users.name })
      .all();
    const all = d.select({ id: users.id, name: users.name, email: users.email, bio: users.bio }).from(users).orderBy(users.id).all();
    return { up, guarded, composite, nothing, all };
  });

  scenario('drizzle', 'updates and deletes with returning', async (db) => {
    const d = setup(db);
    const bumped = d
      .update(posts)
      .set({ views: sql`${posts.views} + 1`, title: sql`upper(${posts.title})` })
      .where(eq(posts.published, true))
      .returning({ id: posts.id, title: posts.title, views: posts.views })
      .all();
    const promoted = d
      .update(users)
      .set({ role: 'editor', settings: { theme: 'solar' } })
      .where(inArray(users.id, d.select({ id: posts.authorId }).from(posts).where(gt(posts.views, 10))))
      .returning({ id: users.id, role: users.role, settings: users.settings })
      .all();
    const res = d.update(posts).set({ publishedAt: D2 }).where(isNull(posts.publishedAt)).run();
    const gone = d.delete(comments).where(or(eq(comments.userId, 2), like(comments.text, '%come'))).returning().all();
    const cascade = d.delete(users).where(eq(users.id, 4)).returning({ id: users.id }).all();
    const left = d.select({ id: posts.id, at: posts.publishedAt }).from(posts).orderBy(posts.id).all();
    return { bumped, promoted, res, gone, cascade, left };
  });

  scenario('drizzle', 'joins: inner and left into nested objects', async (db) => {
    const d = setup(db);
    const inner = d
      .select({ post: posts.title, author: users.name })
      .from(posts)
      .innerJoin(users, eq(posts.authorId, users.id))
      .where(eq(posts.published, true))
      .orderBy(asc(posts.id))
      .all();
    const left = d
      .select()
      .from(users)
      .leftJoin(posts, and(eq(posts.authorId, users.id), eq(posts.published, true)))
      .orderBy(users.id, posts.id)
      .all();
    const threeWay = d
      .select({ text: comments.text, post: posts.title, by: users.name })
      .from(comments)
      .innerJoin(posts, eq(comments.postId, posts.id))
      .innerJoin(users, eq(comments.userId, users.id))
      .orderBy(desc(comments.id))
      .all();
    return { inner, left: left.map((r) => ({ ...r, users: { ...r.users, createdAt: typeof r.users.createdAt } })), threeWay };
  });

  scenario('drizzle', 'aggregates, group by, having, subqueries, pagination', async (db) => {
    const d = setup(db);
    const perAuthor = d
      .select({ author: users.name, posts: count(), views: sum(posts.views), avgViews: avg(posts.views), top: max(posts.views) })
      .from(posts)
      .innerJoin(users, eq(users.id, posts.authorId))
      .groupBy(users.name)
      .having(({ posts: n }) => gte(n, 1))
      .orderBy(desc(sql`sum(${posts.views})`))
      .all();
    const total = await d.$count(posts, eq(posts.published, true));
    const sq = d.select({ authorId: posts.authorId, views: sql<number>`sum(${posts.views})`.as('total_views') }).from(posts).groupBy(posts.authorId).as('sq');
    const fromSub = d.select({ name: users.name, total: sq.views }).from(users).innerJoin(sq, eq(sq.authorId, users.id)).orderBy(desc(sq.views)).all();
    const withExists = d
      .select({ name: users.name })
      .from(users)
      .where(exists(d.select({ one: sql`1` }).from(comments).where(eq(comments.userId, users.id))))
      .orderBy(users.name)
      .all();
    const counts = d
      .select({
        name: users.name,
        commentCount: sql<number>`(select count(*) from ${comments} where ${comments.userId} = ${users.id})`,
      })
      .from(users)
      .where(ne(users.role, 'admin'))
      .orderBy(users.id)
      .all();
    const pages = [0, 1, 2].map((p) => d.select({ id: posts.id }).from(posts).orderBy(desc(posts.views), posts.id).limit(2).offset(p * 2).all());
    const distinct = d.selectDistinct({ userId: comments.userId }).from(comments).orderBy(comments.userId).all();
    const cte = d.$with('hot').as(d.select({ id: posts.id, authorId: posts.authorId }).from(posts).where(gt(posts.views, 10)));
    const fromCte = d.with(cte).select({ name: users.name, n: count(cte.id) }).from(cte).innerJoin(users, eq(users.id, cte.authorId)).groupBy(users.name).orderBy(users.name).all();
    return { perAuthor, total, fromSub, withExists, counts, pages, distinct, fromCte };
  });

  scenario('drizzle', 'relational queries: findMany with nested relations', async (db) => {
    const d = setup(db);
    const usersWithPosts = await d.query.users.findMany({
      columns: { id: true, name: true, settings: true },
      with: { posts: { columns: { title: true, published: true, publishedAt: true }, orderBy: (p, { asc: a }) => [a(p.id)] } },
      orderBy: (u, { asc: a }) => [a(u.id)],
    });
    const deep = await d.query.posts.findMany({
      where: (p, { eq: e }) => e(p.published, true),
      with: {
        author: { columns: { name: true } },
        comments: { with: { user: { columns: { email: true } } }, orderBy: (c, { desc: ds }) => [ds(c.id)] },
      },
      orderBy: (p, { desc: ds }) => [ds(p.views)],
      limit: 2,
    });
    const first = await d.query.users.findFirst({
      where: (u, { eq: e }) => e(u.email, 'bob@example.com'),
      columns: { name: true },
      with: { comments: { columns: { text: true } }, posts: { columns: { title: true }, where: (p, { gt: g }) => g(p.views, 5) } },
      extras: { upperName: sql<string>`upper(${users.name})`.as('upper_name') },
    });
    const none = await d.query.users.findFirst({ where: (u, { eq: e }) => e(u.id, 999) });
    return { usersWithPosts, deep, first, none: none ?? null };
  });

  scenario('drizzle', 'transactions: commit, rollback, nested savepoints', async (db) => {
    const d = setup(db);
    const committed = d.transaction((tx) => {
      const [u] = tx.insert(users).values({ name: 'Gus', email: 'gus@example.com' }).returning({ id: users.id }).all();
      tx.insert(posts).values({ authorId: u!.id, title: 'Gus post' }).run();
      return u!.id;
    });
    const rolledBack = (() => {
      try {
        d.transaction((tx) => {
          tx.insert(users).values({ name: 'Hal', email: 'hal@example.com' }).run();
          tx.rollback();
        });
        return 'committed';
      } catch (e) {
        return (e as Error).constructor.name;
      }
    })();
    const failed = (() => {
      try {
        d.transaction((tx) => {
          tx.update(users).set({ bio: 'changed' }).run();
          tx.insert(users).values({ name: 'Dup', email: 'ada@example.com' }).run();
        });
        return 'committed';
      } catch (e) {
        return (e as { code?: string }).code;
      }
    })();
    const nested = d.transaction((tx) => {
      tx.insert(users).values({ name: 'Ivy', email: 'ivy@example.com' }).run();
      const inner = (() => {
        try {
          tx.transaction((tx2) => {
            tx2.delete(comments).run();
            tx2.insert(users).values({ name: 'Jo', email: 'jo@example.com' }).run();
            tx2.rollback();
          });
          return 'inner committed';
        } catch (e) {
          return (e as Error).constructor.name;
        }
      })();
      tx.transaction((tx2) => {
        tx2.insert(users).values({ name: 'Kim', email: 'kim@example.com' }).run();
      });
      return inner;
    });
    const names = d.select({ name: users.name, bio: users.bio }).from(users).orderBy(users.id).all();
    const commentCount = await d.$count(comments);
    return { committed, rolledBack, failed, nested, names, commentCount, inTransaction: db.inTransaction };
  });

  scenario('drizzle', 'raw sql, prepared placeholders, get/values/all', async (db) => {
    const d = setup(db);
    const prepared = d
      .select({ id: posts.id, title: posts.title })
      .from(posts)
      .where(and(eq(posts.authorId, sql.placeholder('author')), gte(posts.views, sql.placeholder('min'))))
      .orderBy(posts.id)
      .prepare();
    const a = prepared.all({ author: 1, min: 50 });
    const b = prepared.all({ author: 2, min: 0 });
    const one = d.get<{ n: number }>(sql`select count(*) as n from ${posts} where ${posts.body} is null`);
    const values = d.values<[number, string]>(sql`select id, name from ${users} order by id desc limit 2`);
    const allRows = d.all(sql`select ${users.name} as name, json_extract(${users.settings}, '$.theme') as theme from ${users} order by ${users.id}`);
    const run = d.run(sql`update ${posts} set ${sql.identifier('views')} = views * ${2} where ${posts.authorId} = ${1}`);
    const got = d.select().from(posts).where(eq(posts.id, 1)).get();
    return { a, b, one, values, allRows, run, got };
  });
});
