// Power loss at every point of the group-commit pipeline: 36 transactionAsync commits, two per
// event-loop turn with at most 6 in flight (so commits are written while an fsync runs and wait
// for the following one), small checkpoints rotating the log under in-flight fsyncs. Every
// async fsync is two sweep points in faulty-fs: its call and its completion. For every crash point
// N (every unsynced byte lost, or the last write torn), reopening gives a committed prefix that
// holds every transaction whose promise resolved.
import { Database } from '../../src';
import { FaultyFileSystem } from '../../src/durability/fs/faulty-fs';
import type { Db } from './helpers';
import { dump, kill, openOn, tick } from './helpers';

const DIR = '/db';
const OPTS = { checkpointLogBytes: 2000 };
const TOTAL = 36;
const IN_FLIGHT = 6;

function body(i: number): string {
  return `INSERT INTO t VALUES (${i}, '${'z'.repeat(10 + (i % 5) * 12)}'); UPDATE t SET v = v || 'p' WHERE id = ${Math.floor(i / 3)};`;
}

interface Outcome {
  readonly acked: Set<number>;
  readonly asyncFsyncs: number;
}

/** Keeps IN_FLIGHT commits in flight until TOTAL were submitted or the database stops taking them. */
async function run(fs: FaultyFileSystem): Promise<Outcome> {
  const acked = new Set<number>();
  let db: Db;
  try {
    db = openOn(fs, DIR, OPTS);
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  } catch {
    return { acked, asyncFsyncs: 0 };
  }
  acked.add(0);
  let stopped = false;
  let asyncFsyncs = 0;
  let outstanding = 0;
  const f0 = db.stats().fsyncs;
  const all: Promise<unknown>[] = [];
  // Two commits per event-loop turn, independent of acknowledgements: memory-fs completes an async
  // fsync a turn after its call, so commits keep arriving while one is in flight.
  for (let i = 1; i <= TOTAL && !stopped; i++) {
    while (outstanding >= IN_FLIGHT && !stopped) await tick();
    if (stopped) break;
    let p: Promise<unknown>;
    try {
      p = db.transactionAsync(() => db.exec(body(i)));
    } catch {
      break;
    }
    outstanding++;
    all.push(
      p.then(
        () => void acked.add(i),
        () => void (stopped = true),
      ).finally(() => outstanding--),
    );
    if (i % 2 === 0) await tick();
  }
  await Promise.all(all);
  asyncFsyncs = db.stats().fsyncs - f0;
  kill(db);
  return { acked, asyncFsyncs };
}

function model(n: number): string {
  const m = new Database();
  m.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  for (let i = 1; i <= n; i++) m.exec(body(i));
  return JSON.stringify(dump(m));
}

test('power loss at every call and completion of pipelined group-commit fsyncs keeps every acknowledged commit', async () => {
  const base = new FaultyFileSystem();
  base.mkdir(DIR);
  base.syncDir('/');
  const m0 = base.mutations;
  const first = await run(base);
  expect(first.acked.size).toBe(TOTAL + 1);
  // Shared fsyncs: far fewer than one per commit (checkpoints add some of their own).
  expect(first.asyncFsyncs).toBeLessThan(TOTAL);
  const total = base.mutations - m0;
  const models = Array.from({ length: TOTAL + 1 }, (_, n) => model(n));
  let survivedSomething = 0;
  for (let n = 0; n <= total; n++) {
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
    if (k > 0) survivedSomething++;
    db.close();
  }
  expect(survivedSomething).toBeGreaterThan(0);
}, 120_000);
