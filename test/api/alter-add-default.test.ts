// ALTER TABLE ... ADD COLUMN with a default, compared with better-sqlite3: on a table with rows the
// default must be a literal (SQLite: "Cannot add a column with non-constant default"); on an
// empty table anything goes. Knex's alterTable(t => t.timestamp('x').defaultTo(knex.fn.now())) hits this.
import { Database } from '../../src';
import { BetterSqlite3, outcome } from './helpers';

const CASES: [number, string][] = [
  [0, 'CURRENT_TIMESTAMP'], [1, 'CURRENT_TIMESTAMP'], [1, 'CURRENT_DATE'], [1, '(1+1)'], [1, '(unixepoch())'],
  [1, '-1'], [1, '+5'], [1, "'x'"], [1, 'NULL'], [1, '(NULL)'], [1, "x'00'"], [1, 'TRUE'], [1, '2.5'],
];

test.each(CASES)('rows: %d, DEFAULT %s', (rows, dflt) => {
  const go = (db: any) => {
    db.exec('CREATE TABLE t (a)');
    if (rows) db.exec('INSERT INTO t VALUES (1)');
    return [outcome(() => db.exec(`ALTER TABLE t ADD COLUMN b DEFAULT ${dflt}`) && 'added'), outcome(() => db.prepare('SELECT a, typeof(b) FROM t').raw().all())];
  };
  expect(go(new Database(':memory:'))).toEqual(go(new BetterSqlite3(':memory:')));
});
