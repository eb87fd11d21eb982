// Faults through faulty-fs: ENOSPC and EIO at every write / fsync / rename of a workload of
// commits and checkpoints, and power loss after every mutating call. The rules (DESIGN §6):
//   - a failed commit is never acknowledged and is rolled back in memory;
//   - ENOSPC from a write fails that commit only: the database stays readable and writable;
//   - any other failure stops writes (SQLITE_IOERR) until reopened; reads go on;
//   - after a power loss, reopening gives a committed prefix holding every acknowledged commit.
import { Database } from '../../src';
import { FaultyFileSystem, PowerLossError } from '../../src/durability/fs/faulty-fs';
import type { FaultOp } from '../../src/durability/fs/faulty-fs';
import { errorCode } from '../crash/durable-api';
import type { Db } from './helpers';
import { dump, kill, openOn } from './helpers';

const DIR = '/db';
const SCHEMA = 'CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, n INTEGER); CREATE INDEX t_v ON t(v)';

type Step = { readonly sql: string } | 'checkpoint';

function workload(): Step[] {
  const steps: Step[] = [];
  for (let i = 1; i <= 14; i++) {
    let sql = `INSERT INTO t VALUES (${i}, 'row ${i} ${'x'.repeat((i * 37) % 200)}', ${i}); UPDATE t SET n = n + 100 WHERE id = ${i - 1};`;
    if (i % 4 === 0) sql += ` DELETE FROM t WHERE id = ${i - 3};`;
    if (i === 9) sql += ' CREATE TABLE u (a); INSERT INTO u VALUES (9);';
    steps.push({ sql });
    if (i % 5 === 0) steps.push('checkpoint');
  }
  return steps;
}

interface Outcome {
  /** Bodies of the acknowledged commits, in order (the schema first). */
  readonly acked: string[];
  /** The first commit that failed with a non-ENOSPC error (it may or may not be in the log). */
  failed: string | null;
  readonly errors: string[];
}

/** Runs the workload on `fs`, recording what was acknowledged; checks the fault rules as it goes. */
function run(fs: FaultyFileSystem, options = {}): Outcome {
  const out: Outcome = { acked: [], failed: null, errors: [] };
  let db: Db;
  try {
    db = openOn(fs, DIR, options);
  } catch (e) {
    out.errors.push(String(e));
    return out;
  }
  let stopped = false;
  const commit = (sql: string): void => {
    try {
      db.transaction(() => db.exec(sql))();
      expect(stopped).toBe(false); // nothing is acknowledged after writes were refused
      out.acked.push(sql);
    } catch (e) {
      const code = errorCode(e) ?? '';
      out.errors.push(`${code} ${String(e)}`);
      if (code === 'SQLITE_FULL') return; // that commit only
      if (!/^SQLITE_IOERR/.test(code)) throw e;
      if (!stopped) out.failed = sql;
      stopped = true;
    }
  };
  commit(SCHEMA);
  for (const step of out.acked.length === 0 ? [] : workload()) {
    if (step === 'checkpoint') {
      try {
        db.checkpoint();
      } catch (e) {
        const code = errorCode(e) ?? '';
        out.errors.push(`${code} ${String(e)}`);
        if (code !== 'SQLITE_FULL') {
          expect(code).toMatch(/^SQLITE_IOERR/);
          stopped = true;
        }
      }
    } else {
      commit(step.sql);
    }
    // Reads always work, and memory holds exactly the acknowledged commits.
    expect(dump(db)).toEqual(model(out.acked));
  }
  kill(db);
  return out;
}

function model(bodies: readonly string[]): Record<string, unknown[]> {
  const m = new Database();
  for (const b of bodies) m.exec(b);
  return dump(m);
}

/** Reopens after a power loss; the state must be the acknowledged prefix (plus, perhaps, the failed commit). */
function checkRecovered(fs: FaultyFileSystem, o: Outcome, label: string): void {
  fs.clearFaults();
  fs.crash();
  const db = openOn(fs, DIR);
  const got = dump(db);
  const options = [model(o.acked)];
  if (o.failed !== null) options.push(model([...o.acked, o.failed]));
  if (!options.some((m) => JSON.stringify(m) === JSON.stringify(got))) {
    throw new Error(`${label}: recovered state is not the acknowledged prefix\n${JSON.stringify(got)}\nacked ${o.acked.length}, errors ${o.errors.join(' | ')}`);
  }
  db.close();
}

function fresh(): FaultyFileSystem {
  const fs = new FaultyFileSystem();
  fs.mkdir(DIR);
  fs.syncDir('/');
  return fs;
}

test('without faults the workload acknowledges everything and reopens equal', () => {
  const fs = fresh();
  const o = run(fs);
  expect(o.errors).toEqual([]);
  checkRecovered(fs, o, 'no faults');
});

test('ENOSPC on the log write fails that commit only, rolled back; the database stays writable', () => {
  const fs = fresh();
  const db = openOn(fs, DIR);
  db.exec(SCHEMA);
  fs.failAt({ op: 'write', nth: 1, code: 'ENOSPC', partialBytes: 7 });
  expect(() => db.prepare("INSERT INTO t VALUES (1, 'a', 1)").run()).toThrow(expect.objectContaining({ code: 'SQLITE_FULL' }));
  expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(0);
  db.prepare("INSERT INTO t VALUES (2, 'b', 2)").run();
  kill(db);
  fs.crash();
  const again = openOn(fs, DIR);
  expect(again.prepare('SELECT id FROM t').pluck().all()).toEqual([2]);
  again.close();
});

test('EIO on the log fsync: the commit fails and is rolled back, later writes are refused, reads go on', () => {
  const fs = fresh();
  const db = openOn(fs, DIR);
  db.exec(SCHEMA);
  db.prepare("INSERT INTO t VALUES (1, 'a', 1)").run();
  fs.failAt({ op: 'sync', nth: 1, code: 'EIO' });
  expect(() => db.prepare("INSERT INTO t VALUES (2, 'b', 2)").run()).toThrow(expect.objectContaining({ code: 'SQLITE_IOERR' }));
  expect(db.prepare('SELECT id FROM t').pluck().all()).toEqual([1]);
  fs.clearFaults();
  expect(() => db.prepare("INSERT INTO t VALUES (3, 'c', 3)").run()).toThrow(/disk I\/O error.*reopened/);
  expect(() => db.checkpoint()).toThrow(expect.objectContaining({ code: 'SQLITE_IOERR' }));
  expect(db.stats().failure).toMatch(/fsync/);
  expect(() => db.close()).not.toThrow();
});

describe.each(['write', 'sync', 'rename'] as FaultOp[])('a fault at every %s of commits and checkpoints', (op) => {
  test.each(['EIO', 'ENOSPC'] as const)('%s: a committed prefix holding every acknowledged commit', (code) => {
    let fired = 0;
    for (let nth = 1; nth < 400; nth++) {
      const fs = fresh();
      fs.failAt({ op, nth, code, ...(op === 'write' ? { partialBytes: nth % 3 === 0 ? 0 : 11 } : {}) });
      const o = run(fs);
      if (o.errors.length === 0) break; // the workload has fewer than nth calls of op
      fired++;
      checkRecovered(fs, o, `${op} #${nth} ${code}`);
    }
    expect(fired).toBeGreaterThan(op === 'rename' ? 2 : 10);
  });
});

test('power loss after every mutating call (with and without a torn last write) keeps a committed prefix holding every acknowledged commit', () => {
  const total = (() => {
    const fs = fresh();
    const m0 = fs.mutations;
    run(fs);
    return fs.mutations - m0;
  })();
  expect(total).toBeGreaterThan(50);
  for (let n = 0; n <= total; n++) {
    for (const tear of [undefined, { sectors: 1 }]) {
      const fs = fresh();
      fs.stopAfter(fs.mutations + n);
      let o: Outcome;
      try {
        o = run(fs);
      } catch (e) {
        if (!(e instanceof PowerLossError)) throw e;
        throw new Error(`power loss escaped at n=${n}`);
      }
      fs.crash(tear === undefined ? {} : { tear });
      fs.clearFaults();
      const db = openOn(fs, DIR);
      const got = JSON.stringify(dump(db));
      const ok = [model(o.acked), ...(o.failed !== null ? [model([...o.acked, o.failed])] : [])].some((m) => JSON.stringify(m) === got);
      if (!ok) throw new Error(`n=${n} tear=${JSON.stringify(tear)}: not the acknowledged prefix (acked ${o.acked.length}): ${got}`);
      db.close();
    }
  }
});
