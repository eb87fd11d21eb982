// Faults (faulty-fs: EIO and ENOSPC) at every write / fsync / async fsync / rename of the
// asynchronous machinery: transactionAsync group commits (frames written by the group, just before
// its fsync), automatic sliced checkpoints (the next segment prepared ahead off the event loop,
// rotation that fsyncs the old segment before the new one's first write, async directory fsyncs).
// The rules (DESIGN §6), as faults.test.ts states them for synchronous commits:
//   - a promise that resolved is never lost: after a power loss, reopening gives the acknowledged
//     commits, plus perhaps commits that failed after being written (never acknowledged);
//   - a failure that can lose logged data stops writes (SQLITE_IOERR) until reopened; a
//     checkpoint that could not prepare its segment for lack of space (SQLITE_FULL) does not;
//   - reads go on, and memory never holds a commit that was not made.
import { Database } from '../../src';
import { FaultyFileSystem } from '../../src/durability/fs/faulty-fs';
import type { FaultOp } from '../../src/durability/fs/faulty-fs';
import { errorCode } from '../crash/durable-api';
import type { Db } from './helpers';
import { dump, kill, openOn, tick } from './helpers';

const DIR = '/db';
const OPTS = { checkpointLogBytes: 1200 };
const SCHEMA = 'CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX t_v ON t(v)';
const N = 24;

function body(i: number): string {
  return `INSERT INTO t VALUES (${i}, '${'z'.repeat(30 + (i % 5) * 20)}'); UPDATE t SET v = v || 'u' WHERE id = ${i >> 1};` + (i % 7 === 0 ? ` DELETE FROM t WHERE id = ${i - 5};` : '');
}

function model(ids: readonly number[]): string {
  const m = new Database();
  m.exec(SCHEMA);
  for (const i of ids) m.exec(body(i));
  return JSON.stringify(dump(m));
}

interface Outcome {
  /** The schema's synchronous commit returned (a fault may hit the open or the schema first). */
  schema: boolean;
  /** Commits whose promise resolved, in order. */
  readonly acked: number[];
  /** Commits made in memory whose promise rejected (their frames may or may not be on disk). */
  readonly failed: number[];
  readonly errors: string[];
  checkpoints: number;
}

/** Commits N bodies four at a time with transactionAsync, letting checkpoint slices run between. */
async function run(fs: FaultyFileSystem): Promise<Outcome> {
  const out: Outcome = { schema: false, acked: [], failed: [], errors: [], checkpoints: 0 };
  let db: Db;
  try {
    db = openOn(fs, DIR, OPTS);
  } catch (e) {
    out.errors.push(String(e));
    return out;
  }
  try {
    db.exec(SCHEMA);
    out.schema = true;
  } catch (e) {
    out.errors.push(String(e));
    kill(db);
    return out;
  }
  let stopped = false;
  for (let i = 1; i <= N; i += 4) {
    const group: Array<Promise<void>> = [];
    for (let k = i; k < i + 4 && k <= N; k++) {
      const before = db.stats().commits;
      const p = db.transactionAsync(() => db.exec(body(k)));
      // Made in memory (the sink took it), or refused and rolled back (writes already stopped).
      const made = db.stats().commits > before;
      group.push(
        p.then(
          () => {
            expect(stopped).toBe(false); // nothing is acknowledged once writes were refused
            out.acked.push(k);
          },
          (e: unknown) => {
            expect(errorCode(e)).toMatch(/^SQLITE_IOERR/); // a group's write or fsync failed, or a refusal
            out.errors.push(String(e));
            if (made) out.failed.push(k);
            stopped = true;
          },
        ),
      );
    }
    await Promise.all(group);
    for (let t = 0; t < 4; t++) await tick();
    const ids = [...out.acked, ...out.failed].sort((a, b) => a - b);
    expect(JSON.stringify(dump(db))).toBe(model(ids)); // reads go on; memory holds what was made
  }
  for (let t = 0; t < 20 && db.stats().checkpoint.running; t++) await tick();
  const last = db.stats().checkpoint.lastError;
  if (last !== null) {
    out.errors.push(last);
    // Out of space for the next segment is survivable; anything else stopped writes.
    if (!/database or disk is full/.test(last)) expect(db.stats().failure).not.toBeNull();
  }
  out.checkpoints = db.stats().checkpoint.count;
  kill(db);
  return out;
}

/** After a power loss: every acknowledged commit, and of the failed ones at most a prefix of those written. */
function checkRecovered(fs: FaultyFileSystem, o: Outcome, label: string): void {
  fs.clearFaults();
  fs.crash();
  const db = openOn(fs, DIR);
  const got = JSON.stringify(dump(db));
  db.close();
  // Before the schema was acknowledged: an empty database, or the schema alone (written, not acked).
  const acceptable = o.schema ? [model(o.acked)] : ['{}', model([])];
  const failed = [...o.failed].sort((a, b) => a - b);
  for (let k = 1; k <= failed.length; k++) acceptable.push(model([...o.acked, ...failed.slice(0, k)].sort((a, b) => a - b)));
  if (!acceptable.includes(got)) {
    throw new Error(`${label}: recovered state is not the acknowledged prefix\n${got}\nacked ${o.acked.join(',')} failed ${o.failed.join(',')}\n${o.errors.join('\n')}`);
  }
}

function fresh(): FaultyFileSystem {
  const fs = new FaultyFileSystem();
  fs.mkdir(DIR);
  fs.syncDir('/');
  return fs;
}

test('without faults every commit is acknowledged, checkpoints run, and the directory reopens equal', async () => {
  const fs = fresh();
  const o = await run(fs);
  expect(o.errors).toEqual([]);
  expect(o.acked.length).toBe(N);
  expect(o.checkpoints).toBeGreaterThan(1);
  checkRecovered(fs, o, 'no faults');
});

describe.each(['write', 'sync', 'syncAsync', 'rename'] as FaultOp[])('a fault at every %s of group commits and automatic checkpoints', (op) => {
  test.each(['EIO', 'ENOSPC'] as const)('%s: every acknowledged commit survives a power loss after it', async (code) => {
    let fired = 0;
    for (let nth = 1; nth < 300; nth++) {
      const fs = fresh();
      fs.failAt({ op, nth, code, ...(op === 'write' ? { partialBytes: nth % 3 === 0 ? 0 : 13 } : {}) });
      const o = await run(fs);
      if (o.errors.length === 0) break; // the workload has fewer than nth calls of op
      fired++;
      checkRecovered(fs, o, `${op} #${nth} ${code}`);
    }
    expect(fired).toBeGreaterThan(op === 'rename' ? 2 : 5);
  });
});
