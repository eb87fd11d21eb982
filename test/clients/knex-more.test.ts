// More Knex scenarios (its better-sqlite3 client), on better-sqlite3 and on AmberDB: alterTable
// with foreign keys and indexes (Knex recreates the table for these on SQLite), schema
// inspection after each step, query-builder features (CTEs, whereExists, json, dates, modify,
// truncate), and transactions with savepoints and an explicit rollback.
import knexFactory, { type Knex } from 'knex';
import { scenario, type Db } from './harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ClientBetterSqlite3 = require('knex/lib/dialects/better-sqlite3') as new (config: Knex.Config) => object;

function knexOn(db: Db): Knex {
  class InjectedClient extends (ClientBetterSqlite3 as unknown as new (config: Knex.Config) => { driver: unknown }) {
    _driver(): unknown {
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

const codeOf = (e: unknown): unknown => (e as { code?: string }).code ?? (e as Error).message;

/** What an app checks after a schema change: tables, columns, indexes, foreign keys, DDL. */
async function inspect(k: Knex, table: string) {
  return {
    columns: await k(table).columnInfo(),
    indexes: await k.raw(`SELECT name, "unique", origin, partial FROM pragma_index_list('${table}') ORDER BY name`),
    foreignKeys: await k.raw(`SELECT "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list('${table}') ORDER BY id, seq`),
    ddl: await k('sqlite_master').where({ tbl_name: table }).orderBy(['type', 'name']).select('type', 'name', 'sql'),
  };
}

describe('knex (more)', () => {
  scenario('knex', 'alterTable: foreign keys, indexes, renameColumn, dropColumn, nullability', async (db) =>
    withKnex(db, async (k) => {
      await k.raw('PRAGMA foreign_keys = ON');
      await k.schema.createTable('teams', (t) => {
        t.increments('id');
        t.string('name').notNullable().unique();
      });
      await k.schema.createTable('players', (t) => {
        t.increments('id');
        t.string('nick').notNullable();
        t.integer('score').defaultTo(0);
        t.string('legacy');
      });
      await k('teams').insert([{ name: 'red' }, { name: 'blue' }]);
      await k('players').insert([
        { nick: 'ann', score: 5, legacy: 'x' },
        { nick: 'ben', score: 7, legacy: null },
      ]);
      const before = await inspect(k, 'players');
      await k.schema.alterTable('players', (t) => {
        t.integer('team_id').unsigned().references('id').inTable('teams').onDelete('SET NULL');
        t.index(['score'], 'players_score_idx');
        t.unique(['nick'], { indexName: 'players_nick_unique' });
      });
      const withFk = await inspect(k, 'players');
      await k('players').where({ nick: 'ann' }).update({ team_id: 1 });
      const badFk = await k('players').where({ nick: 'ben' }).update({ team_id: 9 }).then(() => 'updated', codeOf);
      const dupNick = await k('players').insert({ nick: 'ann' }).then(() => 'inserted', codeOf);
      await k.schema.alterTable('players', (t) => {
        t.renameColumn('score', 'points');
        t.dropColumn('legacy');
      });
      await k.schema.alterTable('players', (t) => {
        t.string('nick', 40).nullable().alter();
        t.integer('points').notNullable().defaultTo(1).alter();
      });
      const altered = await inspect(k, 'players');
      await k('teams').where({ id: 1 }).del();
      const afterDelete = await k('players').select('*').orderBy('id');
      const has = {
        points: await k.schema.hasColumn('players', 'points'),
        score: await k.schema.hasColumn('players', 'score'),
        legacy: await k.schema.hasColumn('players', 'legacy'),
        players: await k.schema.hasTable('players'),
      };
      await k.schema.alterTable('players', (t) => {
        t.dropForeign(['team_id']);
        t.dropIndex(['score'], 'players_score_idx');
      });
      const dropped = await inspect(k, 'players');
      await k.schema.renameTable('players', 'members');
      const renamed = { old: await k.schema.hasTable('players'), now: await k.schema.hasTable('members'), rows: await k('members').orderBy('id') };
      await k.schema.dropTableIfExists('members');
      const integrity = await k.raw('PRAGMA integrity_check');
      return { before, withFk, badFk, dupNick, altered, afterDelete, has, dropped, renamed, integrity };
    }),
  );

  scenario('knex', 'query builder: CTEs, whereExists, whereIn subqueries, modify, distinct, union', async (db) =>
    withKnex(db, async (k) => {
      await k.schema.createTable('emp', (t) => {
        t.increments('id');
        t.string('name');
        t.integer('boss_id').references('emp.id');
        t.string('dept');
        t.decimal('salary', 10, 2);
      });
      await k('emp').insert([
        { name: 'root', boss_id: null, dept: 'exec', salary: 300 },
        { name: 'ann', boss_id: 1, dept: 'eng', salary: 200.5 },
        { name: 'bo', boss_id: 2, dept: 'eng', salary: 120 },
        { name: 'cy', boss_id: 2, dept: 'eng', salary: 110 },
        { name: 'di', boss_id: 1, dept: 'ops', salary: 90.25 },
      ]);
      const chain = await k
        .withRecursive('chain', ['id', 'name', 'depth'], (qb) => {
          qb.select('id', 'name', k.raw('0')).from('emp').whereNull('boss_id').unionAll((u) => {
            u.select('e.id', 'e.name', k.raw('chain.depth + 1')).from('emp as e').join('chain', 'e.boss_id', 'chain.id');
          });
        })
        .select('*')
        .from('chain')
        .orderBy(['depth', 'name']);
      const deptTotals = await k
        .with('totals', (qb) => qb.select('dept').sum({ total: 'salary' }).count({ n: '*' }).from('emp').groupBy('dept'))
        .select('*')
        .from('totals')
        .where('n', '>', 1)
        .orderBy('total', 'desc');
      const bosses = await k('emp as b')
        .whereExists(k('emp as e').select(k.raw(1)).whereRaw('e.boss_id = b.id'))
        .orderBy('b.id')
        .pluck('b.name');
      const inSub = await k('emp').whereIn('boss_id', k('emp').select('id').where('dept', 'exec')).orderBy('id').pluck('name');
      const withFilters = (qb: Knex.QueryBuilder, dept?: string) => {
        if (dept) void qb.where({ dept });
        void qb.whereBetween('salary', [100, 250]);
      };
      const modified = await k('emp').select('name', 'salary').modify(withFilters, 'eng').orderBy('salary');
      const depts = await k('emp').distinct('dept').orderBy('dept').pluck('dept');
      const unioned = await k('emp').select('name').where('dept', 'ops').union((u) => u.select('name').from('emp').where('salary', '>', 250)).orderBy('name');
      const paged = await k('emp').select('id', 'name').orderBy('salary', 'desc').limit(2).offset(1);
      const counted = await k('emp').count({ c: 'id' }).countDistinct({ d: 'dept' }).max({ top: 'salary' }).avg({ mean: 'salary' }).first();
      const caseWhen = await k('emp')
        .select('name', k.raw("CASE WHEN salary >= ? THEN 'high' ELSE 'low' END AS band", [150]))
        .orderBy('id');
      return { chain, deptTotals, bosses, inSub, modified, depts, unioned, paged, counted, caseWhen };
    }),
  );

  scenario('knex', 'json text columns, dates, booleans, truncate, upsert merge of chosen columns', async (db) =>
    withKnex(db, async (k) => {
      await k.schema.createTable('events', (t) => {
        t.increments('id');
        t.string('kind').notNullable();
        t.json('payload');
        t.date('day');
        t.datetime('at', { useTz: false });
        t.boolean('done').defaultTo(false);
        t.unique(['kind', 'day']);
      });
      const at = new Date('2024-05-06T07:08:09.000Z');
      await k('events').insert([
        { kind: 'signup', payload: JSON.stringify({ plan: 'pro', seats: 3 }), day: '2024-05-06', at, done: true },
        { kind: 'login', payload: JSON.stringify({ ip: '10.0.0.1' }), day: '2024-05-06', at: at.getTime() + 60000 },
        { kind: 'login', payload: null, day: '2024-05-07', at: at.getTime() + 86400000 },
      ]);
      const json = await k('events')
        .select('kind', k.raw("json_extract(payload, '$.plan') AS plan"), k.raw("payload ->> '$.seats' AS seats"))
        .whereRaw("json_type(payload) = 'object'")
        .orderBy('id');
      const byDay = await k('events').select('day').count({ n: '*' }).groupBy('day').orderBy('day');
      const recent = await k('events').where('at', '>', at.getTime()).orderBy('at').pluck('id');
      const dates = await k('events').select(k.raw("date(at / 1000, 'unixepoch') AS d"), k.raw("strftime('%H:%M', at / 1000, 'unixepoch') AS hm")).orderBy('id');
      const merged = await k('events')
        .insert([
          { kind: 'login', day: '2024-05-07', payload: JSON.stringify({ ip: '10.0.0.2' }), done: true },
          { kind: 'logout', day: '2024-05-07', done: false },
        ])
        .onConflict(['kind', 'day'])
        .merge(['payload', 'done'])
        .returning(['id', 'kind', 'payload', 'done']);
      const ignored = await k('events').insert({ kind: 'signup', day: '2024-05-06' }).onConflict(['kind', 'day']).ignore().returning('id');
      const all = await k('events').select('id', 'kind', 'payload', 'done').orderBy('id');
      await k('events').truncate();
      const afterTruncate = await k('events').count({ n: '*' }).first();
      const [fresh] = await k('events').insert({ kind: 'again', day: '2024-06-01' }).returning('id');
      return { json, byDay, recent, dates, merged, ignored, all, afterTruncate, fresh };
    }),
  );

  scenario('knex', 'transactions: trx.rollback(), nested savepoint rolled back, isolation of failures', async (db) =>
    withKnex(db, async (k) => {
      await k.schema.createTable('acct', (t) => {
        t.increments('id');
        t.string('owner').unique();
        t.integer('balance').notNullable();
      });
      await k('acct').insert([{ owner: 'a', balance: 100 }, { owner: 'b', balance: 50 }]);
      const transfer = (trx: Knex.Transaction, from: string, to: string, amount: number) =>
        trx('acct').where({ owner: from }).decrement('balance', amount).then(() => trx('acct').where({ owner: to }).increment('balance', amount));
      await k.transaction(async (trx) => transfer(trx, 'a', 'b', 30));
      const explicit = await k
        .transaction(async (trx) => {
          await transfer(trx, 'b', 'a', 10);
          await trx.rollback(new Error('changed my mind'));
        })
        .then(() => 'committed', (e: Error) => e.message);
      const nested = await k.transaction(async (trx) => {
        await trx('acct').insert({ owner: 'c', balance: 0 });
        const inner = await trx
          .transaction(async (sp) => {
            await sp('acct').where({ owner: 'c' }).increment('balance', 5);
            await sp('acct').insert({ owner: 'a', balance: 1 });
          })
          .then(() => 'ok', codeOf);
        const seen = await trx('acct').where({ owner: 'c' }).first();
        return { inner, seen };
      });
      const manual = await k.transaction();
      await manual('acct').where({ owner: 'a' }).update({ balance: 0 });
      await manual.rollback();
      const afterManual = await k('acct').select('owner', 'balance').orderBy('owner');
      const failed = await k.transaction(async (trx) => {
        await trx('acct').insert({ owner: 'd', balance: 1 });
        await trx('acct').insert({ owner: 'd', balance: 2 });
      }).then(() => 'committed', codeOf);
      const final = await k('acct').select('owner', 'balance').orderBy('owner');
      return { explicit, nested, afterManual, failed, final };
    }),
  );
});
