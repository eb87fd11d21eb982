// Crash-test worker: a child process that opens a database directory and runs the bank-transfer
// workload (bank.ts) until it is killed. The parent (kill9.test.ts, scripts/crash-sweep.ts) kills
// it with SIGKILL at a random moment, reopens the directory and checks that nothing acknowledged
// is lost.
//
//   node -r ts-node/register/transpile-only test/crash/worker.ts DIR MODE SEED [--strategy=S] [--fault=OP:N:WHEN] [--round=N]
//
// MODE: commit-sync   durability 'commit', db.transaction — ACK once the call returns (fsynced)
//       commit-async  durability 'commit', db.transactionAsync with 1..64 in flight — ACK when
//                     its promise resolves (group commit)
//       interval      durability 'interval' (tiny syncIntervalMs), db.transaction — ACK when the
//                     call returns: DESIGN §6 has the frame written to the OS by then, so a kill -9
//                     (not a power loss) must not lose it; now and then `await db.flush()`
//       none          durability 'none', db.transaction — ACK when the call returns (same reason)
// --strategy: hybrid (default), log, snapshot (snapshot may lose acknowledged commits by design).
// --round=N: which restart on this directory this is; picks this round's options (thresholds).
// --fault=OP:N:WHEN  the worker SIGKILLs itself at the N-th OP on a file of DIR, OP one of
//                    write|fsync|rename|unlink|truncate|any, WHEN before|after|torn (torn: a
//                    write of a random prefix of the buffer, then the kill) — SQLite's "crash
//                    after the N-th write", swept over N by the parent.
//
// Output on stdout, one fs.writeSync per line so a line is in the pipe before the next step:
//   READY <startSeq> <options as JSON>   schema and accounts committed; transfers start at startSeq
//   STATS <json>                         db.stats() after open (recovery figures), if it exists
//   TRY <seq>                            transfer seq is about to begin
//   ACK <seq>                            transfer seq is acknowledged (see MODE)
//   ERR <text>                           unexpected error; the worker exits with status 1
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MODES, Rng, SCHEMA_SQL, INITIAL_BALANCE, abortBefore, accountCount, ddlBefore, transferFor } from './bank';
import { errorCode, errorText, openDurable } from './durable-api';
import type { DurableDatabase, StrategyName } from './durable-api';
import type { WorkerMode } from './bank';
import type { DatabaseOptions } from '../../src';

const rawWrite = fs.writeSync;
const pause = new Int32Array(new SharedArrayBuffer(4));
/** One line to stdout, whole, before returning. stdout is a non-blocking socket when the parent
 * pipes it, so a full buffer gives EAGAIN: wait a millisecond and write the rest. */
function say(line: string): void {
  const buf = Buffer.from(`${line}\n`);
  let done = 0;
  while (done < buf.length) {
    try {
      done += rawWrite(1, buf, done, buf.length - done);
    } catch (e) {
      if (errorCode(e) !== 'EAGAIN') throw e;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}
function die(e: unknown): never {
  say(`ERR ${errorText(e).replace(/\n/g, ' | ')}`);
  process.exit(1);
}


// ---- fault injection: kill ourselves at the N-th file operation on the database directory ----

const FAULT_OPS = ['write', 'fsync', 'rename', 'unlink', 'truncate', 'any'] as const;
type FaultOp = (typeof FAULT_OPS)[number];
type FaultWhen = 'before' | 'after' | 'torn';

function selfKill(): never {
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL to ourselves is delivered before kill() returns to JS; never run past it.
  for (;;) {
    /* wait for the signal */
  }
}

function installFault(dir: string, spec: string): void {
  const [opText, nText, whenText] = spec.split(':');
  const op = FAULT_OPS.find((o) => o === opText);
  const n = Number(nText);
  const when: FaultWhen = whenText === 'after' || whenText === 'torn' ? whenText : 'before';
  if (op === undefined || !Number.isInteger(n) || n < 1) die(new Error(`bad --fault ${spec}`));
  const root = path.resolve(dir);
  const ours = (p: unknown): boolean => typeof p === 'string' && path.resolve(p).startsWith(root);
  const fds = new Set<number>();
  let count = 0;
  const rng = new Rng(n, 77);
  const hit = (kind: Exclude<FaultOp, 'any'>): boolean => (op === 'any' || op === kind) && ++count === n;

  // Node's fs module object is shared and the engine's `import * as nodeFs` reads its functions
  // through getters at call time, so replacing them on the module object itself (not on our own
  // getter-only import) reaches the engine's file layer. Only files of DIR count; our own stdout
  // writes do not.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('node:fs') as Record<string, (...args: unknown[]) => unknown>;
  const wrap = (name: string, make: (orig: (...args: unknown[]) => unknown) => (...args: unknown[]) => unknown): void => {
    const orig = mod[name];
    if (typeof orig !== 'function') return;
    mod[name] = make(orig.bind(mod));
  };
  wrap('openSync', (orig) => (...args) => {
    const fd = orig(...args);
    if (ours(args[0]) && typeof fd === 'number') fds.add(fd);
    return fd;
  });
  wrap('closeSync', (orig) => (...args) => {
    if (typeof args[0] === 'number') fds.delete(args[0]);
    return orig(...args);
  });
  const onFd = (kind: Exclude<FaultOp, 'any'>, name: string): void =>
    wrap(name, (orig) => (...args) => {
      if (typeof args[0] !== 'number' || !fds.has(args[0]) || !hit(kind)) return orig(...args);
      if (when === 'after') {
        orig(...args);
        selfKill();
      }
      if (when === 'torn' && kind === 'write' && args[1] instanceof Uint8Array) {
        // writeSync(fd, buffer, offset, length, position): write a strict prefix, then die.
        const buf = args[1];
        const offset = typeof args[2] === 'number' ? args[2] : 0;
        const length = typeof args[3] === 'number' ? args[3] : buf.length - offset;
        const cut = Math.floor(rng.next() * length);
        if (cut > 0) orig(args[0], buf, offset, cut, args[4]);
      }
      selfKill();
    });
  onFd('write', 'writeSync');
  onFd('fsync', 'fsyncSync');
  onFd('fsync', 'fdatasyncSync');
  onFd('truncate', 'ftruncateSync');
  const onPath = (kind: Exclude<FaultOp, 'any'>, name: string): void =>
    wrap(name, (orig) => (...args) => {
      if (!ours(args[0]) || !hit(kind)) return orig(...args);
      if (when === 'after') {
        orig(...args);
      }
      selfKill();
    });
  onPath('rename', 'renameSync');
  onPath('unlink', 'unlinkSync');
  onPath('unlink', 'rmSync');
  // Callback forms, in case the engine fsyncs off the main thread's synchronous path.
  const onFdAsync = (kind: Exclude<FaultOp, 'any'>, name: string): void =>
    wrap(name, (orig) => (...args) => {
      if (typeof args[0] !== 'number' || !fds.has(args[0]) || !hit(kind)) return orig(...args);
      if (when !== 'after') selfKill();
      const cb = args[args.length - 1];
      if (typeof cb !== 'function') return orig(...args);
      return orig(...args.slice(0, -1), () => selfKill());
    });
  onFdAsync('fsync', 'fsync');
  onFdAsync('fsync', 'fdatasync');
  onFdAsync('write', 'write');
}

// ---- the workload ----

interface Args {
  readonly dir: string;
  readonly mode: WorkerMode;
  readonly seed: number;
  readonly strategy: StrategyName;
  readonly fault: string | null;
  readonly round: number;
}

function parseArgs(argv: readonly string[]): Args {
  const [dir, modeText, seedText, ...flags] = argv;
  const mode = MODES.find((m) => m === modeText);
  const seed = Number(seedText);
  if (dir === undefined || mode === undefined || !Number.isInteger(seed)) {
    die(new Error(`usage: worker.ts DIR ${MODES.join('|')} SEED [--strategy=hybrid|log|snapshot] [--fault=OP:N:WHEN] [--round=N]`));
  }
  let strategy: StrategyName = 'hybrid';
  let fault: string | null = null;
  let round = 1;
  for (const f of flags) {
    if (f.startsWith('--strategy=')) {
      const s = f.slice('--strategy='.length);
      if (s !== 'hybrid' && s !== 'log' && s !== 'snapshot') die(new Error(`bad strategy ${s}`));
      strategy = s;
    } else if (f.startsWith('--fault=')) fault = f.slice('--fault='.length);
    else if (f.startsWith('--round=')) round = Number(f.slice('--round='.length));
    else die(new Error(`unknown flag ${f}`));
  }
  return { dir, mode, seed, strategy, fault, round };
}

function optionsFor(args: Args, rng: Rng): DatabaseOptions {
  const base: DatabaseOptions = {
    strategy: args.strategy,
    // Tiny thresholds: checkpoints start every few KB of log, so kills land inside them.
    checkpointLogBytes: rng.int(2, 24) * 1024,
    checkpointIntervalMs: rng.int(20, 400),
    snapshotIntervalMs: rng.int(20, 300),
  };
  switch (args.mode) {
    case 'commit-sync':
    case 'commit-async':
    case 'hold':
      return { ...base, durability: 'commit' };
    case 'interval':
      return { ...base, durability: 'interval', syncIntervalMs: rng.int(2, 50) };
    case 'none':
      return { ...base, durability: 'none' };
  }
}

function tableExists(db: DurableDatabase, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

const yieldNow = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.fault !== null) installFault(args.dir, args.fault);

  // Options vary with the seed and the round (a restarted worker gets other thresholds than the
  // one before it), deterministically.
  const rng = new Rng(args.seed, args.round, 0x0b5);
  const options = optionsFor(args, rng);
  const db = openDurable(args.dir, options);

  const n = accountCount(args.seed);
  if (!tableExists(db, 'accounts')) {
    db.transaction(() => {
      for (const sql of SCHEMA_SQL) db.exec(sql);
      const insert = db.prepare('INSERT INTO accounts (id, balance) VALUES (?, ?)');
      for (let id = 1; id <= n; id++) insert.run(id, INITIAL_BALANCE);
    })();
    if (args.mode !== 'commit-sync' && args.mode !== 'hold' && db.flush !== undefined) await db.flush();
  }
  const start = Number((db.prepare('SELECT coalesce(max(seq), 0) AS m FROM ledger').get() as { m: number | bigint }).m) + 1;
  say(`READY ${start} ${JSON.stringify(options)}`);
  if (db.stats !== undefined) {
    try {
      say(`STATS ${JSON.stringify(db.stats(), (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))}`);
    } catch (e) {
      say(`STATS error ${errorText(e)}`);
    }
  }

  // Named parameters: positional `?` in UPDATE ... SET x = x - ? WHERE id = ? bind in the wrong
  // order on the engine today (WHERE first), see the crash-test report.
  const debit = db.prepare('UPDATE accounts SET balance = balance - :amount WHERE id = :id');
  const credit = db.prepare('UPDATE accounts SET balance = balance + :amount WHERE id = :id');
  const record = db.prepare('INSERT INTO ledger (from_id, to_id, amount, seq, note) VALUES (?, ?, ?, ?, ?)');
  const hasIndex = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = 'ledger_to'");
  const abortMarker = new Error('crash-test abort');

  const body = (seq: number): void => {
    const t = transferFor(args.seed, seq);
    debit.run({ amount: t.amount, id: t.from });
    credit.run({ amount: t.amount, id: t.to });
    record.run(t.from, t.to, t.amount, t.seq, t.note);
  };
  /** Everything that happens before transfer seq that is not the transfer itself. */
  const before = (seq: number): void => {
    if (ddlBefore(seq)) {
      if (hasIndex.get() === undefined) db.exec('CREATE INDEX ledger_to ON ledger (to_id, amount)');
      else db.exec('DROP INDEX ledger_to');
    }
    if (abortBefore(args.seed, seq)) {
      // Half a transfer, then a throw: the rollback must leave no trace, in memory or in the log.
      try {
        db.transaction(() => {
          const t = transferFor(args.seed, seq);
          debit.run({ amount: t.amount, id: t.from });
          record.run(t.from, t.to, t.amount, -seq, 'aborted');
          throw abortMarker;
        })();
      } catch (e) {
        if (e !== abortMarker) throw e;
      }
    }
  };
  const checkpointEvery = rng.int(50, 400);
  const maybeCheckpoint = (seq: number): void => {
    if (db.checkpoint === undefined || seq % checkpointEvery !== 0) return;
    const r = db.checkpoint();
    if (r instanceof Promise) r.catch(die);
  };

  if (args.mode === 'hold') {
    // Hold the directory open (the lock test) while committing now and then.
    for (let seq = start; ; seq++) {
      say(`TRY ${seq}`);
      db.transaction(() => body(seq))();
      say(`ACK ${seq}`);
      await sleep(20);
    }
  }

  if (args.mode === 'commit-async') {
    if (db.transactionAsync === undefined) die(new Error('db.transactionAsync is missing'));
    const inFlightMax = rng.int(1, 64);
    const inFlight = new Set<Promise<void>>();
    for (let seq = start; ; seq++) {
      before(seq);
      say(`TRY ${seq}`);
      const s = seq;
      const p: Promise<void> = db.transactionAsync(() => body(s)).then(
        () => {
          say(`ACK ${s}`);
          inFlight.delete(p);
        },
        (e: unknown) => die(e),
      );
      inFlight.add(p);
      maybeCheckpoint(seq);
      if (inFlight.size >= inFlightMax) await Promise.race(inFlight);
      else if (rng.next() < 0.1) await yieldNow();
    }
  }

  const yieldEvery = rng.int(1, 16);
  for (let seq = start; ; seq++) {
    before(seq);
    say(`TRY ${seq}`);
    db.transaction(() => body(seq))();
    say(`ACK ${seq}`);
    maybeCheckpoint(seq);
    // The synchronous API never yields by itself; checkpoint slices, interval fsyncs and group
    // commit run between our turns, so give them some.
    if (seq % yieldEvery === 0) await yieldNow();
    if (args.mode === 'interval' && db.flush !== undefined && rng.next() < 0.01) await db.flush();
    if (rng.next() < 0.005) await sleep(rng.int(1, 10));
  }
}

process.on('unhandledRejection', die);
main().catch(die);
