// PRAGMA user_version and application_id live in the database, as in SQLite's file header: they
// survive close/reopen (and a kill) in every strategy, through the log (a `ddl` record holding the
// PRAGMA statement) and through snapshots (the statement after the schema's DDL), and they are
// transactional: a rolled-back change is not persisted.
import { MemoryFileSystem } from '../../src/durability/fs/memory-fs';
import { readSnapshot } from '../../src/durability/snapshot-reader';
import { LogScan } from '../../src/durability/log-reader';
import { listSnapshots, snapshotPath } from '../../src/durability/layout';
import type { Db } from './helpers';
import { kill, openOn, withoutLocks } from './helpers';

const version = (db: Db): unknown => db.pragma('user_version', { simple: true });
const appId = (db: Db): unknown => db.pragma('application_id', { simple: true });

describe.each(['hybrid', 'log', 'snapshot'] as const)('%s strategy', (strategy) => {
  test('user_version and application_id survive close and reopen', () => {
    const fs = new MemoryFileSystem();
    let db = openOn(fs, '/db', { strategy });
    expect(version(db)).toBe(0);
    db.exec('CREATE TABLE t(a)');
    db.pragma('user_version = 7');
    db.pragma('application_id = -3');
    db.close();
    db = openOn(fs, '/db', { strategy });
    expect(version(db)).toBe(7);
    expect(appId(db)).toBe(-3);
    db.pragma('user_version = 8');
    db.close();
    db = openOn(fs, '/db', { strategy });
    expect(version(db)).toBe(8);
    db.close();
  });

  test('a rolled-back user_version is not persisted', () => {
    const fs = new MemoryFileSystem();
    let db = openOn(fs, '/db', { strategy });
    db.pragma('user_version = 1');
    db.exec('BEGIN');
    db.pragma('user_version = 99');
    expect(version(db)).toBe(99);
    db.exec('ROLLBACK');
    expect(version(db)).toBe(1);
    db.close();
    db = openOn(fs, '/db', { strategy });
    expect(version(db)).toBe(1);
    db.close();
  });

  test('after a checkpoint the snapshot holds it, and later changes replay from the log', () => {
    const fs = new MemoryFileSystem();
    let db = openOn(fs, '/db', { strategy });
    db.exec('CREATE TABLE t(a); INSERT INTO t VALUES (1)');
    db.pragma('user_version = 41');
    db.checkpoint();
    const snaps = listSnapshots(fs, '/db');
    expect(snaps.length).toBe(1);
    expect(readSnapshot(fs, snapshotPath('/db', snaps[0]!)).reader.schema.ddl).toContain('PRAGMA user_version = 41');
    db.pragma('user_version = 42');
    db.close();
    db = openOn(fs, '/db', { strategy });
    expect(version(db)).toBe(42);
    expect(db.prepare('SELECT a FROM t').pluck().all()).toEqual([1]);
    db.close();
  });
});

test('hybrid: a user_version change is one logged record and survives a kill', () => {
  const fs = new MemoryFileSystem();
  const unlocked = withoutLocks(fs);
  let db = openOn(unlocked, '/db');
  db.pragma('user_version = 12');
  const records = [...new LogScan(fs, '/db', {}).changeSets()].flatMap((t) => t.records);
  expect(records).toEqual([{ kind: 'ddl', sql: 'PRAGMA user_version = 12' }]);
  kill(db);
  db = openOn(unlocked, '/db');
  expect(version(db)).toBe(12);
  db.close();
});

test('values outside a 32-bit signed integer become 0, as in SQLite', () => {
  const fs = new MemoryFileSystem();
  let db = openOn(fs, '/db');
  db.pragma('user_version = 2147483648');
  expect(version(db)).toBe(0);
  db.pragma("user_version = '12'");
  expect(version(db)).toBe(12);
  db.pragma('user_version = -2147483648');
  db.close();
  db = openOn(fs, '/db');
  expect(version(db)).toBe(-2147483648);
  db.close();
});

test('backup() copies user_version; a readonly open sees it and cannot change it', async () => {
  const fs = new MemoryFileSystem();
  let db = openOn(fs, '/db');
  db.pragma('user_version = 5');
  await db.backup('/copy');
  db.close();
  db = openOn(fs, '/copy');
  expect(version(db)).toBe(5);
  db.close();
  db = openOn(fs, '/db', { readonly: true });
  expect(version(db)).toBe(5);
  expect(() => db.pragma('user_version = 6')).toThrow(expect.objectContaining({ code: 'SQLITE_READONLY' }));
  expect(version(db)).toBe(5);
  db.close();
});
