// Pragmas that report settings (no effect on AmberDB's engine, but apps and tools read them):
// what db.pragma() answers must be what better-sqlite3 answers, before and after assignments.
import { Database } from '../../src';
import { BetterSqlite3, outcome } from './helpers';

const SEQUENCE = [
  'busy_timeout', 'busy_timeout = 100', 'busy_timeout',
  'synchronous', 'synchronous = NORMAL', 'synchronous', 'synchronous = extra', 'synchronous', 'synchronous = 0', 'synchronous',
  'page_size', 'encoding', 'legacy_alter_table', 'legacy_alter_table = ON', 'legacy_alter_table',
  'wal_checkpoint', 'wal_checkpoint(TRUNCATE)', 'cache_size', 'cache_size = -2000', 'cache_size',
  'temp_store', 'temp_store = MEMORY', 'temp_store', 'auto_vacuum', 'locking_mode', 'secure_delete',
  'automatic_index', 'journal_size_limit', 'wal_autocheckpoint', 'read_uncommitted', 'cell_size_check', 'trusted_schema',
  'journal_mode', 'foreign_keys', 'foreign_keys = OFF', 'foreign_keys', 'user_version = 5', 'user_version',
];

test('setting pragmas answer as in better-sqlite3', () => {
  const go = (db: any) => SEQUENCE.map((p) => [p, outcome(() => db.pragma(p)), outcome(() => db.pragma(p.split(' = ')[0]!, { simple: true }))]);
  const amber = go(new Database(':memory:'));
  expect(amber[1]).toEqual(['busy_timeout = 100', { ok: [{ timeout: 100 }] }, { ok: 100 }]);
  expect(amber).toEqual(go(new BetterSqlite3(':memory:')));
});
