// Log replay with secondary indexes detached puts each row straight into the row tree
// (Store.loadRow: a replace in place, or an append at the tail), looks a change set's table up
// once (forgotten at DDL), and rebuilds indexes by counting sort over their distinct values.
// These tests replay logs that mix sequential runs with out-of-order rowids, replaces, deletes
// and DDL inside one transaction, and compare every table and index with the state before close.
import { MemoryFileSystem } from '../../src/durability/fs/memory-fs';
import { LogScan } from '../../src/durability/log-reader';
import { applyChangeSet, DeferredIndexes, runDdl } from '../../src/api/persistence/recovery';
import { MemoryEngine } from '../../src/exec/engine';
import type { Db } from './helpers';
import { dump, openOn } from './helpers';

function workload(db: Db): void {
  db.exec(`
    CREATE TABLE w1 (v);
    CREATE TABLE w5 (id INTEGER PRIMARY KEY, a TEXT, b REAL, c INTEGER, d BLOB);
    CREATE INDEX w5_a ON w5(a);
    CREATE INDEX w5_bc ON w5(b, c);
    CREATE INDEX w5_abc ON w5(a, b DESC, c);
    CREATE TABLE w3 (k TEXT PRIMARY KEY, x, y) WITHOUT ROWID;
  `);
  const ins5 = db.prepare('INSERT OR REPLACE INTO w5 VALUES (?, ?, ?, ?, ?)');
  const ins1 = db.prepare('INSERT INTO w1 VALUES (?)');
  const ins3 = db.prepare('INSERT OR REPLACE INTO w3 VALUES (?, ?, ?)');
  db.transaction(() => {
    // A sequential run, interleaved with other tables (the cached table switches back and forth).
    for (let i = 1; i <= 3000; i++) {
      ins5.run(i, `n${i % 13}`, i / 4, i % 5, i % 50 === 0 ? Buffer.from([i & 255]) : null);
      if (i % 7 === 0) ins1.run(i);
      if (i % 11 === 0) ins3.run(`k${i % 97}`, i, 'y');
    }
    // Out of order, below the maximum, into gaps and over existing rowids (replaces).
    for (const id of [2500, 10, -4, 2 ** 40, 1500, 10, 3001, 7]) ins5.run(id, 'late', id, null, null);
  })();
  db.exec('DELETE FROM w5 WHERE id % 9 = 0; UPDATE w5 SET a = upper(a), c = c + 1 WHERE id % 4 = 0');
  // DDL inside a transaction between row changes of the same name: the cached Table must go.
  db.transaction(() => {
    for (let i = 3002; i <= 3100; i++) ins5.run(i, 'before drop', 0, i, null);
    db.exec('DROP TABLE w1; CREATE TABLE w1 (v, extra); CREATE INDEX w1_v ON w1(v)');
    db.prepare('INSERT INTO w1 VALUES (?, ?)').run('new', 1);
    db.exec("ALTER TABLE w5 RENAME TO w6; INSERT INTO w6 (a, b) VALUES ('renamed', 1.5)");
    db.exec('CREATE TABLE w5 (z); INSERT INTO w5 VALUES (1), (2)');
    db.exec('DELETE FROM w6 WHERE id BETWEEN 100 AND 200; INSERT INTO w6 VALUES (150, NULL, NULL, NULL, NULL)');
  })();
}

function probe(db: Db): unknown {
  return {
    check: db.pragma('integrity_check', { simple: true }),
    byA: db.prepare("SELECT id FROM w6 WHERE a = 'N3' ORDER BY id").pluck().all(),
    byBC: db.prepare('SELECT id FROM w6 WHERE b > 700 AND b < 710 ORDER BY b, c').pluck().all(),
    byABC: db.prepare("SELECT id, b FROM w6 WHERE a = 'n7' ORDER BY a, b DESC, c LIMIT 20").raw().all(),
    byV: db.prepare("SELECT extra FROM w1 WHERE v = 'new'").pluck().all(),
    plans: ["SELECT id FROM w6 WHERE a = 'N3'", 'SELECT id FROM w6 WHERE b > 700'].map((q) =>
      db.prepare(`EXPLAIN QUERY PLAN ${q}`).raw().all().map((r) => (r as unknown[])[3]),
    ),
  };
}

test('log replay of sequential runs mixed with out-of-order rowids, replaces, deletes and DDL restores every table and index', () => {
  const fs = new MemoryFileSystem();
  let db = openOn(fs, '/db');
  workload(db);
  const before = { rows: dump(db), probe: probe(db) };
  db.close();
  db = openOn(fs, '/db');
  expect(db.stats().recovery?.snapshotLsn).toBeNull();
  expect({ rows: dump(db), probe: probe(db) }).toEqual(before);
  db.close();
});

test('replaying the log twice over the same engine gives the same state (idempotent)', () => {
  const fs = new MemoryFileSystem();
  const db = openOn(fs, '/db');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT); CREATE INDEX t_a ON t(a)');
  const ins = db.prepare('INSERT OR REPLACE INTO t VALUES (?, ?)');
  db.transaction(() => {
    for (let i = 0; i < 500; i++) ins.run(i % 3 === 0 ? 499 - i : i, `a${i % 6}`);
  })();
  db.exec('DELETE FROM t WHERE id % 10 = 3; UPDATE t SET a = NULL WHERE id % 10 = 4');
  const expected = db.prepare('SELECT id, a FROM t ORDER BY id').raw().all();
  db.close();
  const changeSets = [...new LogScan(fs, '/db', {}).changeSets()].filter((cs) => !cs.records.some((r) => r.kind === 'ddl'));
  const engine = new MemoryEngine();
  runDdl(engine, 'CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT)');
  runDdl(engine, 'CREATE INDEX t_a ON t(a)');
  const t = engine.store.getTable('t')!;
  const entries = <K, V>(tree: { cursor(): { first(): boolean; next(): boolean; key(): K; value(): V } }): [K, V][] => {
    const out: [K, V][] = [];
    const cur = tree.cursor();
    for (let ok = cur.first(); ok; ok = cur.next()) out.push([cur.key(), cur.value()]);
    return out;
  };
  const contents = (): unknown => ({ rows: entries(t.tree), index: t.indexes.map((i) => entries(i.tree)) });
  const deferred = new DeferredIndexes(engine);
  const replay = (): void => {
    deferred.detach();
    for (const cs of changeSets) applyChangeSet(engine, cs.records, `log transaction ${cs.lsn}`, deferred);
    deferred.restore();
  };
  replay();
  const once = contents();
  replay();
  expect(contents()).toEqual(once);
  expect(entries(t.tree).map(([, row]) => row)).toEqual(expected);
  expect(t.indexes.map((i) => i.tree.size)).toEqual([expected.length]);
  t.tree.check();
  t.indexes[0]!.tree.check();
});
