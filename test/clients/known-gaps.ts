// Scenarios AmberDB is known to fail, keyed `client/scenario`. Each is registered with
// test.failing, so it turns red once the engine gap is closed: then delete its entry here.
// `sql` is the first statement AmberDB rejected or answered differently; `error` its answer
// (the test's failure message prints the full trace divergence).
export interface KnownGap {
  feature: string;
  sql: string;
  error: string;
}

const UPDATE_PARAMS = 'UPDATE numbers WHERE `?` parameters before the SET ones (SET and WHERE values swap)';
const CASE_PARAMS = 'CASE WHEN ? THEN ? ... binds every `?` inside CASE to its first parameter';
const LIMIT_PARAMS = 'LIMIT ? after a WHERE ? gets the wrong parameter';
const TYPE_CASE = 'pragma_table_info().type is the declared type in its original case; SQLite upper-cases it';
const JSON_AGG = 'json_group_array / json_group_object aggregates missing';
const RENAME_QUALIFIED = 'ALTER TABLE RENAME TO does not rewrite table-qualified column references ("old"."col") in CHECK constraints';
const AUTOINC_BURN = 'AUTOINCREMENT: an INSERT that hits ON CONFLICT DO NOTHING/UPDATE does not consume a sqlite_sequence value (SQLite does)';

export const KNOWN_GAPS: Record<string, KnownGap> = {
  'kysely/schema creation and introspection': {
    feature: TYPE_CASE,
    sql: 'with "table_list" as (select "name", "sql", "type" from "sqlite_master" ...) select ... "p"."type" ... from "table_list" as "tl", pragma_table_info(tl.name) as "p"',
    error: 'type "integer"/"text" where SQLite answers "INTEGER"/"TEXT" (db.introspection.getTables() dataType)',
  },
  'kysely/raw sql, views and introspection of views': {
    feature: TYPE_CASE,
    sql: 'same introspection query as above (kysely introspection.getTables())',
    error: 'type "integer" where SQLite answers "INTEGER"',
  },
  'kysely/upserts: on conflict do update / do nothing': {
    feature: AUTOINC_BURN,
    sql: 'insert into "users" ("email", "name", "karma") values (?, ?, ?), (?, ?, ?) on conflict do nothing returning "id", "email"',
    error: 'returned id 5 where SQLite returns 8 (3 earlier conflicting inserts burnt ids 5..7)',
  },
  'kysely/updates and deletes with returning': {
    feature: UPDATE_PARAMS,
    sql: 'update "users" set "role" = ? where "karma" > ?   -- ["editor", 20]',
    error: '{ changes: 0 } where SQLite changes 1 row',
  },
  'kysely/aggregates, group by, having, subqueries, pagination': {
    feature: CASE_PARAMS,
    sql: 'select "id", case when "views" >= ? then ? when "views" >= ? then ? else ? end as "heat" from "posts" order by "id"   -- [50,"hot",10,"warm","cold"]',
    error: 'every heat is 50; SQLite: hot/warm/cold',
  },
  'kysely/json helpers: jsonArrayFrom / jsonObjectFrom': {
    feature: JSON_AGG,
    sql: 'select "id", "name", (select coalesce(json_group_array(json_object(\'id\', "agg"."id", ...)), \'[]\') from (...) as agg) as "posts" from "users"',
    error: 'AmberError [SQLITE_ERROR]: no such function: json_group_array',
  },
  'drizzle/migrate() applies a drizzle-kit folder, idempotently': {
    feature: TYPE_CASE,
    sql: 'SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(\'posts\')',
    error: 'type "integer" where SQLite answers "INTEGER"',
  },
  'drizzle/migrate() with a table-qualified CHECK in a recreated table': {
    feature: RENAME_QUALIFIED,
    sql: 'CREATE TABLE `__new_posts` (... CONSTRAINT "views_non_negative" CHECK("__new_posts"."views" >= 0)); ... ALTER TABLE `__new_posts` RENAME TO `posts`; then insert into "posts" (...) values (...)',
    error: 'AmberError [SQLITE_ERROR]: no such column: __new_posts.views (on every later INSERT into posts)',
  },
  'drizzle/upserts: onConflictDoUpdate / onConflictDoNothing': {
    feature: AUTOINC_BURN,
    sql: 'insert into "users" (...) values (...), (...) on conflict ("users"."email") do nothing returning "name"',
    error: 'Fay gets id 5 where SQLite gives 8',
  },
  'drizzle/updates and deletes with returning': {
    feature: UPDATE_PARAMS,
    sql: 'update "users" set "role" = ?, "settings" = ? where "users"."id" in (select "author_id" from "posts" where "posts"."views" > ?) returning "id", "role", "settings"',
    error: '[] where SQLite updates users 1 and 2',
  },
  'drizzle/relational queries: findMany with nested relations': {
    feature: JSON_AGG,
    sql: 'select "id", "name", "settings", (select coalesce(json_group_array(json_array("title", "published", "published_at")), json_array()) as "data" from (...) "users_posts") as "posts" from "users" "users" order by "users"."id" asc',
    error: 'AmberError [SQLITE_ERROR]: no such function: json_group_array',
  },
  'drizzle/raw sql, prepared placeholders, get/values/all': {
    feature: UPDATE_PARAMS,
    sql: 'update "posts" set "views" = views * ? where "posts"."author_id" = ?   -- [2, 1]',
    error: 'no row changed; SQLite doubles the views of author 1',
  },
  'knex/migrations with alterTable (add, rename, drop, alter columns)': {
    feature: UPDATE_PARAMS,
    sql: 'update `knex_migrations_lock` set `is_locked` = ? where `is_locked` = ?   -- [1, 0]',
    error: '{ changes: 0 } so knex throws LockError: Migration table is already locked (every knex migration fails)',
  },
  'knex/insert with returning, batch insert, first/pluck': {
    feature: LIMIT_PARAMS,
    sql: 'select `id`, `name`, `role`, `karma`, `active` from `users` where `email` = ? limit ?   -- ["eve@example.com", 1]  (knex .first())',
    error: 'AmberError [SQLITE_MISMATCH]: datatype mismatch',
  },
  'knex/upserts: onConflict merge / ignore': {
    feature: AUTOINC_BURN,
    sql: 'insert into `users` (`email`, `name`) select ? as `email`, ? as `name` union all select ? as `email`, ? as `name` where true on conflict (`email`) do nothing returning `id`, `email`',
    error: 'Fay gets id 5 where SQLite gives 9',
  },
  'knex/updates and deletes with returning, increment/decrement': {
    feature: UPDATE_PARAMS,
    sql: 'update `users` set `role` = ? where `karma` < ?   -- ["newbie", 20]',
    error: '{ changes: 4 } where SQLite changes 3 (the WHERE compares karma with "newbie")',
  },
  'knex/raw queries with positional and named bindings': {
    feature: UPDATE_PARAMS,
    sql: 'update posts set views = views * ? where author_id = ?   -- [2, 1]',
    error: 'no row changed; SQLite doubles the views of author 1',
  },
};
