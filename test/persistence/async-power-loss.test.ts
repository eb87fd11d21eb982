// Power loss in the middle of the asynchronous machinery: group commits (transactionAsync) and
// automatic sliced checkpoints that interleave with commits. For every crash point N, reopening
// gives a committed prefix holding every transaction whose promise resolved.
import { Database } from '../../src';
import { FaultyFileSystem } from '../../src/durability/fs/faulty-fs';
import type { Db } from './helpers';
import { dump, kill, openOn, tick } from './helpers';

const DIR = '/db';
const OPTS = { checkpointLogBytes: 1500 };

function body(i: number): string {
  return `INSERT INTO t VALUES (${i}, '${'y'.repeat(20 + (i % 7) * 10)}'); UPDATE t SET v = v || 'u' WHERE id = ${Math.floor(i / 2)};` + (i % 6 === 0 ? ` DELETE FROM t WHERE id = ${i - 4};` : '');
}

/** Runs 40 async transactions 8 at a time; returns how many were submitted and which resolved. */
async function run(fs: FaultyFileSystem): Promise<{ submitted: number; acked: Set<number>; checkpoints: number }> {
  const acked = new Set<number>();
  let db: Db;
  try {
    db = openOn(fs, DIR, OPTS);
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  } catch {
    return { submitted: 0, acked, checkpoints: 0 };
  }
  acked.add(0);
  let submitted = 0;
  const inflight: Promise<unknown>[] = [];
  for (let i = 1; i <= 40; i++) {
    let p: Promise<unknown>;
    try {
      p = db.transactionAsync(() => db.exec(body(i)));
    } catch {
      break;
    }
    submitted = i;
    const n = i;
    inflight.push(p.then(() => acked.add(n), () => undefined));
    if (i % 8 === 0) {
      await Promise.all(inflight.splice(0));
      for (let k = 0; k < 3; k++) await tick(); // let checkpoint slices run
    }
  }
  await Promise.all(inflight);
  const checkpoints = db.stats().checkpoint.count;
  kill(db);
  return { submitted, acked, checkpoints };
}

function model(n: number): string {
  const m = new Database();
  m.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  for (let i = 1; i <= n; i++) m.exec(body(i));
  return JSON.stringify(dump(m));
}

test('power loss at every mutating call of group commits and sliced checkpoints', async () => {
  const base = new FaultyFileSystem();
  base.mkdir(DIR);
  base.syncDir('/');
  const m0 = base.mutations;
  const first = await run(base);
  expect(first.acked.size).toBe(41);
  expect(first.checkpoints).toBeGreaterThan(1);
  const total = base.mutations - m0;
  const models = Array.from({ length: 41 }, (_, n) => model(n));
  for (let n = 0; n <= total; n += 1) {
    const fs = new FaultyFileSystem();
    fs.mkdir(DIR);
    fs.syncDir('/');
    fs.stopAfter(fs.mutations + n);
    const r = await run(fs);
    fs.crash(n % 2 === 0 ? {} : { tear: { sectors: 1 } });
    const db = openOn(fs, DIR);
    const hasTable = db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 't'").pluck().get() === 1;
    if (!hasTable) {
      expect(r.acked.size).toBe(0);
      db.close();
      continue;
    }
    const got = JSON.stringify(dump(db));
    const k = models.indexOf(got);
    if (k < 0) throw new Error(`n=${n}: recovered state is not a committed prefix: ${got}`);
    const maxAcked = Math.max(...r.acked);
    if (k < maxAcked) throw new Error(`n=${n}: transaction ${maxAcked} was acknowledged but only ${k} survived`);
    db.close();
  }
});
