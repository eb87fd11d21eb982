// Recovery loads rows with secondary indexes detached and rebuilds them once at the end
// (DeferredIndexes in src/api/persistence/recovery.ts). DDL in the log brings them back before it
// runs: these tests replay logs whose DDL creates, drops and renames indexed objects between row
// changes, and check every index against its table afterwards.
import { MemoryFileSystem } from '../../src/durability/fs/memory-fs';
import type { Db } from './helpers';
import { dump, openOn } from './helpers';

function workload(db: Db): void {
  db.exec(`
    CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER);
    CREATE INDEX t_a ON t(a);
  `);
  const ins = db.prepare('INSERT INTO t (a, b) VALUES (?, ?)');
  db.transaction(() => {
    for (let i = 0; i < 300; i++) ins.run(`v${i % 37}`, i);
  })();
  db.exec('UPDATE t SET a = upper(a) WHERE b % 3 = 0; DELETE FROM t WHERE b % 11 = 0');
  db.exec('CREATE UNIQUE INDEX t_b ON t(b DESC)');
  db.exec("INSERT INTO t (a, b) VALUES ('late', 1000)");
  db.exec('DROP INDEX t_a');
  db.exec("UPDATE t SET a = 'x' || a WHERE b < 50");
  db.exec('CREATE INDEX t_ab ON t(a, b); ALTER TABLE t RENAME TO u');
  db.exec("DELETE FROM u WHERE a LIKE 'xV1%'; INSERT INTO u (a, b) VALUES ('after rename', 2000)");
  db.exec('CREATE TABLE gone (k PRIMARY KEY, v); INSERT INTO gone VALUES (1, 2); DROP TABLE gone');
}

function probe(db: Db): unknown {
  return {
    check: db.pragma('integrity_check', { simple: true }),
    byA: db.prepare("SELECT b FROM u WHERE a = 'V3' ORDER BY b").pluck().all(),
    byAB: db.prepare("SELECT b FROM u WHERE a = 'xv7' AND b > 0").pluck().all(),
    byB: db.prepare('SELECT a FROM u WHERE b = 1000').pluck().all(),
    plan: db.prepare("EXPLAIN QUERY PLAN SELECT b FROM u WHERE a = 'V3'").raw().all().map((r) => (r as unknown[])[3]),
  };
}

test.each([
  ['from the log alone', false],
  ['from a snapshot taken in the middle, then the log', true],
])('indexes rebuilt after recovery %s agree with their tables', (_name, checkpointFirst) => {
  const fs = new MemoryFileSystem();
  let db = openOn(fs, '/db');
  if (checkpointFirst) {
    db.exec('CREATE TABLE pre (x INTEGER PRIMARY KEY, y TEXT UNIQUE); INSERT INTO pre VALUES (1, 2), (2, 3)');
    db.checkpoint();
  }
  workload(db);
  const before = { rows: dump(db), probe: probe(db) };
  db.close();
  db = openOn(fs, '/db');
  expect({ rows: dump(db), probe: probe(db) }).toEqual(before);
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  if (checkpointFirst) expect(() => db.exec('INSERT INTO pre VALUES (3, 3)')).toThrow(/UNIQUE/);
  db.close();
});

test('a rebuilt index keeps index order where distinct values compare equal (NOCASE, 2 and 2.0, DESC, partial)', () => {
  const fs = new MemoryFileSystem();
  let db = openOn(fs, '/db');
  db.exec(`
    CREATE TABLE t (id INTEGER PRIMARY KEY, c TEXT COLLATE NOCASE, n, d);
    CREATE INDEX t_c ON t(c);
    CREATE INDEX t_n ON t(n DESC);
    CREATE INDEX t_d ON t(d) WHERE d > 3;
  `);
  const ins = db.prepare('INSERT INTO t (c, n, d) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < 400; i++) ins.run(['a', 'A', 'b', 'B', 'ä'][i % 5], i % 3 === 0 ? 2 : i % 3 === 1 ? 2.5 : 7, i % 9);
  })();
  db.exec('UPDATE t SET n = 2.0 WHERE id % 7 = 0');
  const queries = [
    "SELECT id FROM t WHERE c = 'a'",
    'SELECT id, c FROM t ORDER BY c',
    'SELECT id FROM t WHERE n = 2',
    'SELECT id, typeof(n) FROM t ORDER BY n DESC',
    'SELECT id FROM t WHERE d > 5 ORDER BY d',
  ];
  const run = (d: Db): unknown => queries.map((q) => d.prepare(q).raw().all());
  const before = run(db);
  for (const checkpointFirst of [true, false]) {
    if (checkpointFirst) db.checkpoint();
    db.close();
    db = openOn(fs, '/db');
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(run(db)).toEqual(before);
  }
  db.close();
});
