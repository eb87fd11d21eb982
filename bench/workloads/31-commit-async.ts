// Persistence: durable commits per second with 1, 8 and 64 transactionAsync calls in flight
// (group commit, DESIGN §2), against better-sqlite3 on WAL synchronous=FULL, which can only commit
// one at a time: its side runs the same number of autocommit INSERTs back to back.
// One op = one acknowledged durable commit.
// 'sustained' rows keep k commits in flight all the time, as k concurrent clients of a server do:
// each acknowledgement submits the next commit at once (a call completes CALL_OPS commits and then
// drains, so nothing runs while the other engine is timed). Here group commit's pipeline shows:
// commits arriving while an fsync runs are written and share the next one.
import { persistenceMetrics } from '../lib/persistence-metrics';
import type { BenchDatabase, Target, Workload } from '../lib/types';

const ROW = [null, 0x7fffffff, 1 / 3, 'this is the text'];
const SQL = 'INSERT INTO small (nul, integer, real, text) VALUES (?, ?, ?, ?)';

/** `db.transactionAsync(fn)`: a promise, or (like `transaction`) a function returning one. */
function commitAsync(db: BenchDatabase, fn: () => unknown): unknown {
  if (db.transactionAsync === undefined) throw new Error('db.transactionAsync() is missing');
  const r = db.transactionAsync(fn);
  return typeof r === 'function' ? (r as () => unknown)() : r;
}

function inFlight(k: number): Workload {
  return {
    name: `commit-async/${k}-in-flight`,
    group: 'persistence',
    description: `${k} transactionAsync INSERTs in flight (hybrid/commit) vs ${k} sequential commits on WAL synchronous=FULL`,
    sizes: { smoke: k === 8 ? [1] : [], quick: [1], full: [1] },
    showSize: false,
    storage: {
      amberdb: { strategy: 'hybrid', durability: 'commit', needs: ['transactionAsync'] },
      sqlite: { journalMode: 'WAL', synchronous: 'FULL' },
    },
    opsPerCall: k,
    async: true,
    setup: ({ db }: Target) => void db.exec('CREATE TABLE small (nul, integer INTEGER, real REAL, text TEXT, blob BLOB)'),
    check: ({ db }: Target) => db.prepare('SELECT count(*) AS n FROM small').get(),
    op: ({ engine, db }: Target) => {
      const stmt = db.prepare(SQL);
      if (engine === 'better-sqlite3') {
        return () => {
          for (let i = 0; i < k; i++) stmt.run(...ROW);
        };
      }
      return () => {
        const pending: unknown[] = [];
        for (let i = 0; i < k; i++) pending.push(commitAsync(db, () => stmt.run(...ROW)));
        return Promise.all(pending);
      };
    },
    metrics: persistenceMetrics,
  };
}

const CALL_OPS = 256;

function sustained(k: number): Workload {
  return {
    ...inFlight(k),
    name: `commit-async/${k}-sustained`,
    description: `${k} transactionAsync INSERTs kept in flight (each ack submits the next; ${CALL_OPS} per call) vs sequential commits on WAL synchronous=FULL`,
    sizes: { smoke: [], quick: [1], full: [1] },
    opsPerCall: CALL_OPS,
    op: ({ engine, db }: Target) => {
      const stmt = db.prepare(SQL);
      if (engine === 'better-sqlite3') {
        return () => {
          for (let i = 0; i < CALL_OPS; i++) stmt.run(...ROW);
        };
      }
      return () =>
        new Promise<void>((resolve, reject) => {
          let launched = 0;
          let acked = 0;
          const launch = (): void => {
            launched++;
            Promise.resolve(commitAsync(db, () => stmt.run(...ROW))).then(() => {
              if (++acked === CALL_OPS) resolve();
              else if (launched < CALL_OPS) launch();
            }, reject);
          };
          for (let i = 0; i < k; i++) launch();
        });
    },
  };
}

export default [inFlight(1), inFlight(8), inFlight(64), sustained(64)];
