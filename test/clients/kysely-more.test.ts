// More Kysely 0.28 scenarios (SqliteDialect), on better-sqlite3 and on AmberDB: introspection
// after schema changes (alterTable add/rename/drop column, views, indexes), CamelCasePlugin and
// ParseJSONResultsPlugin, window functions and CTEs through the expression builder, insert from
// select, upserts with a conflict WHERE, and bigints under defaultSafeIntegers.
import { CamelCasePlugin, Kysely, ParseJSONResultsPlugin, SqliteDialect, sql, type Generated, type KyselyPlugin } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/sqlite';
import { scenario, type Db } from './harness';

interface Schema {
  authors: { id: Generated<number>; full_name: string; born_on: string | null; rating: number | null };
  books: { id: Generated<number>; author_id: number; title: string; pages: number; tags: Generated<string>; sold: number | bigint };
  sales: { book_id: number; day: string; copies: number };
  archive: { id: number; title: string; note: string | null };
}

const kysely = <T = Schema>(db: Db, plugins: KyselyPlugin[] = []): Kysely<T> =>
  new Kysely<T>({ dialect: new SqliteDialect({ database: db }), plugins });

async function build(k: Kysely<Schema>): Promise<void> {
  await k.schema
    .createTable('authors')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('full_name', 'varchar(100)', (c) => c.notNull())
    .addColumn('born_on', 'date')
    .addColumn('rating', 'real')
    .execute();
  await k.schema
    .createTable('books')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('author_id', 'integer', (c) => c.notNull().references('authors.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('pages', 'integer', (c) => c.notNull().check(sql`pages > 0`))
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('sold', 'bigint', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('books_author_title', ['author_id', 'title'])
    .execute();
  await k.schema
    .createTable('sales')
    .addColumn('book_id', 'integer', (c) => c.notNull().references('books.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('copies', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('sales_pk', ['book_id', 'day'])
    .execute();
  await k.schema.createIndex('books_pages_idx').on('books').columns(['pages desc', 'title']).execute();
  await k.schema.createIndex('books_big_idx').on('books').column('title').where(sql.ref('pages'), '>', 300).execute();
  await k
    .insertInto('authors')
    .values([
      { full_name: 'Ursula Le Guin', born_on: '1929-10-21', rating: 4.8 },
      { full_name: 'Iain Banks', born_on: '1954-02-16', rating: 4.5 },
      { full_name: 'Anon', born_on: null, rating: null },
    ])
    .execute();
  await k
    .insertInto('books')
    .values([
      { id: 1, author_id: 1, title: 'The Dispossessed', pages: 387, tags: '["sf","utopia"]', sold: 9007199254740993n },
      { id: 2, author_id: 1, title: 'A Wizard of Earthsea', pages: 183, tags: '["fantasy"]', sold: 500 },
      { id: 3, author_id: 2, title: 'Excession', pages: 451, tags: '["sf"]', sold: 1200 },
      { id: 4, author_id: 2, title: 'The Wasp Factory', pages: 184, tags: '[]', sold: 300 },
    ])
    .execute();
  await k
    .insertInto('sales')
    .values([
      { book_id: 1, day: '2024-01-01', copies: 3 },
      { book_id: 1, day: '2024-01-02', copies: 5 },
      { book_id: 2, day: '2024-01-01', copies: 1 },
      { book_id: 3, day: '2024-01-02', copies: 7 },
      { book_id: 3, day: '2024-01-03', copies: 2 },
    ])
    .execute();
}

async function setup(db: Db): Promise<Kysely<Schema>> {
  db.pragma('foreign_keys = ON');
  const k = kysely(db);
  await build(k);
  return k;
}

describe('kysely (more)', () => {
  scenario('kysely', 'introspection through schema changes: alterTable, views, indexes, metadata', async (db) => {
    const k = await setup(db);
    const tables = async () => (await k.introspection.getTables()).map((t) => ({ name: t.name, isView: t.isView, columns: t.columns }));
    const initial = await tables();
    await k.schema.alterTable('authors').addColumn('country', 'text', (c) => c.defaultTo('n/a')).execute();
    await k.schema.alterTable('authors').renameColumn('rating', 'score').execute();
    await k.schema.alterTable('books').dropColumn('tags').execute();
    await k.schema
      .createView('prolific')
      .as(k.selectFrom('books').select(['author_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('author_id'))
      .execute();
    await k.schema.createTable('tmp').ifNotExists().addColumn('x', 'integer').execute();
    await k.schema.dropTable('tmp').ifExists().execute();
    await k.schema.dropIndex('books_big_idx').ifExists().execute();
    const changed = await tables();
    const meta = await k.introspection.getMetadata({ withInternalKyselyTables: false });
    const authors = await sql`select * from authors order by id`.execute(k);
    const view = await sql`select * from prolific order by author_id`.execute(k);
    const indexes = await sql`select name, tbl_name, sql from sqlite_master where type = 'index' order by name`.execute(k);
    const renamedGone = await sql`select rating from authors`.execute(k).then(() => 'selected', (e: Error) => e.message);
    return { initial, changed, metaTables: meta.tables.map((t) => t.name), authors: authors.rows, view: view.rows, indexes: indexes.rows, renamedGone };
  });

  scenario('kysely', 'CamelCasePlugin and ParseJSONResultsPlugin with nested json helpers', async (db) => {
    await setup(db);
    const k = kysely<{
      authors: { id: Generated<number>; fullName: string; bornOn: string | null; rating: number | null };
      books: { id: Generated<number>; authorId: number; title: string; pages: number; tags: string; sold: number };
      sales: { bookId: number; day: string; copies: number };
    }>(db, [new CamelCasePlugin(), new ParseJSONResultsPlugin()]);
    const nested = await k
      .selectFrom('authors')
      .select((eb) => [
        'authors.fullName',
        'authors.bornOn',
        jsonArrayFrom(
          eb
            .selectFrom('books')
            .select((b) => [
              'books.title',
              'books.tags',
              jsonArrayFrom(b.selectFrom('sales').select(['sales.day', 'sales.copies']).whereRef('sales.bookId', '=', 'books.id').orderBy('sales.day')).as('sales'),
            ])
            .whereRef('books.authorId', '=', 'authors.id')
            .orderBy('books.id'),
        ).as('books'),
        jsonObjectFrom(eb.selectFrom('books').select(['books.title', 'books.pages']).whereRef('books.authorId', '=', 'authors.id').orderBy('books.pages', 'desc').limit(1)).as('longest'),
      ])
      .orderBy('authors.id')
      .execute();
    const [inserted] = await k.insertInto('authors').values({ fullName: 'New Person', bornOn: '2000-01-01' }).returning(['id', 'fullName', 'bornOn']).execute();
    const updated = await k.updateTable('books').set({ tags: JSON.stringify(['x']) }).where('books.authorId', '=', 2).returning(['books.id', 'books.tags']).execute();
    return { nested, inserted, updated };
  });

  scenario('kysely', 'window functions, CTEs, CASE, and subqueries via the expression builder', async (db) => {
    const k = await setup(db);
    const ranked = await k
      .selectFrom('books')
      .innerJoin('authors', 'authors.id', 'books.author_id')
      .select((eb) => [
        'books.title',
        'authors.full_name',
        eb.fn.agg<number>('row_number').over((ob) => ob.partitionBy('books.author_id').orderBy('books.pages', 'desc')).as('rank_in_author'),
        eb.fn.sum<number>('books.pages').over((ob) => ob.partitionBy('books.author_id')).as('author_pages'),
        eb.fn.agg<number>('lag', ['books.title']).over((ob) => ob.orderBy('books.id')).as('previous'),
        eb.case().when('books.pages', '>', 400).then('long').when('books.pages', '>', 200).then('medium').else('short').end().as('size'),
      ])
      .orderBy('books.id')
      .execute();
    const daily = await k
      .with('per_day', (qb) => qb.selectFrom('sales').select((eb) => ['day', eb.fn.sum<number>('copies').as('copies')]).groupBy('day'))
      .with('running', (qb) =>
        qb.selectFrom('per_day').select((eb) => ['day', 'copies', eb.fn.sum<number>('copies').over((ob) => ob.orderBy('day')).as('total')]),
      )
      .selectFrom('running')
      .selectAll()
      .orderBy('day')
      .execute();
    const best = await k
      .selectFrom('books')
      .select(['title'])
      .where('id', 'in', (eb) => eb.selectFrom('sales').select('book_id').groupBy('book_id').having((h) => h.fn.sum('copies'), '>=', 8))
      .where((eb) => eb.exists(eb.selectFrom('authors').select(sql.lit(1).as('one')).whereRef('authors.id', '=', 'books.author_id').where('authors.rating', '>', 4)))
      .orderBy('title')
      .execute();
    const noFrom = await k.selectNoFrom((eb) => [eb.val(1).as('one'), sql<string>`sqlite_version() IS NOT NULL`.as('has_version')]).executeTakeFirst();
    const scalar = await k
      .selectFrom('authors')
      .select((eb) => ['full_name', eb.selectFrom('books').select((b) => b.fn.max('pages').as('m')).whereRef('books.author_id', '=', 'authors.id').as('max_pages')])
      .orderBy('authors.id')
      .execute();
    return { ranked, daily, best, noFrom, scalar };
  });

  scenario('kysely', 'insert from select, upserts with conflict WHERE, deletes with joins via subqueries', async (db) => {
    const k = await setup(db);
    await k.schema.createTable('archive').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('title', 'text', (c) => c.notNull()).addColumn('note', 'text').execute();
    const copied = await k
      .insertInto('archive')
      .columns(['id', 'title'])
      .expression((eb) => eb.selectFrom('books').select(['books.id', 'books.title']).where('books.pages', '<', 200))
      .executeTakeFirst();
    const upserted = await k
      .insertInto('sales')
      .values([
        { book_id: 1, day: '2024-01-02', copies: 10 },
        { book_id: 4, day: '2024-01-05', copies: 1 },
      ])
      .onConflict((oc) =>
        oc
          .columns(['book_id', 'day'])
          .doUpdateSet((eb) => ({ copies: eb(eb.ref('sales.copies'), '+', eb.ref('excluded.copies')) }))
          .where('excluded.copies', '>', 0),
      )
      .returning(['book_id', 'day', 'copies'])
      .execute();
    const archived = await k
      .insertInto('archive')
      .values({ id: 2, title: 'dup', note: 'second' })
      .onConflict((oc) => oc.column('id').doUpdateSet({ note: (eb) => eb.ref('excluded.note') }).where('archive.note', 'is', null))
      .returning(['id', 'title', 'note'])
      .execute();
    const unchanged = await k
      .insertInto('archive')
      .values({ id: 2, title: 'dup again', note: 'third' })
      .onConflict((oc) => oc.column('id').doUpdateSet({ note: (eb) => eb.ref('excluded.note') }).where('archive.note', 'is', null))
      .returning(['id'])
      .execute();
    const deleted = await k
      .deleteFrom('sales')
      .where('book_id', 'in', (eb) => eb.selectFrom('books').select('id').where('author_id', '=', 2))
      .returning(['book_id', 'day'])
      .execute();
    const updatedFrom = await k
      .updateTable('books')
      .set((eb) => ({ pages: eb('pages', '+', eb.selectFrom('sales').select((s) => s.fn.coalesce(s.fn.sum<number>('copies'), sql.lit(0)).as('c')).whereRef('sales.book_id', '=', 'books.id')) }))
      .returning(['id', 'pages'])
      .execute();
    const archive = await k.selectFrom('archive').selectAll().orderBy('id').execute();
    return { copied: { numInsertedOrUpdatedRows: copied.numInsertedOrUpdatedRows, insertId: copied.insertId }, upserted, archived, unchanged, deleted, updatedFrom, archive };
  });

  scenario('kysely', 'bigints under defaultSafeIntegers, and a streamed select', async (db) => {
    const k = await setup(db);
    db.defaultSafeIntegers(true);
    const big = await k.selectFrom('books').select(['id', 'sold', 'pages']).orderBy('id').execute();
    const sum = await k.selectFrom('books').select((eb) => eb.fn.sum<bigint>('sold').as('total')).executeTakeFirst().then((r) => r, (e: Error) => e.message);
    const inserted = await k.insertInto('books').values({ author_id: 3, title: 'Huge', pages: 1, sold: 9223372036854775807n }).executeTakeFirst();
    const max = await k.selectFrom('books').select((eb) => eb.fn.max('sold').as('m')).executeTakeFirst();
    db.defaultSafeIntegers(false);
    const streamed: unknown[] = [];
    for await (const row of k.selectFrom('books').select(['id', 'title']).where('pages', '>', 0).orderBy('id').stream(2)) streamed.push(row);
    const lossy = await k.selectFrom('books').select(['sold']).where('id', '=', 1).executeTakeFirst();
    return { big, sum, inserted: { insertId: inserted.insertId, rows: inserted.numInsertedOrUpdatedRows }, max, streamed, lossy };
  });
});
