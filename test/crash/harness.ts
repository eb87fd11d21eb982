// The parent side of the crash tests: spawn the worker on a directory, SIGKILL it by a plan,
// reopen the directory here and check it (bank.ts checkBank). Used by kill9.test.ts (a small
// sample in `npm test`) and scripts/crash-sweep.ts (the wide sweep, `npm run test:crash`).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Rng, checkBank } from './bank';
import type { Observed, WorkerMode } from './bank';
import { errorCode, errorText, openDurable } from './durable-api';
import type { StrategyName } from './durable-api';

export const WORKER = path.join(__dirname, 'worker.ts');
const REPO = path.resolve(__dirname, '..', '..');

export const FAULT_OPS = ['write', 'fsync', 'rename', 'unlink', 'truncate', 'any'] as const;
export type FaultOp = (typeof FAULT_OPS)[number];
export type FaultWhen = 'before' | 'after' | 'torn';

/** When the worker dies. */
export type KillPlan =
  /** SIGKILL on reading the n-th ACK line of this round. */
  | { readonly kind: 'acks'; readonly n: number }
  /** SIGKILL ms after spawn (in a later round: often during recovery) or after READY. */
  | { readonly kind: 'delay'; readonly ms: number; readonly from: 'spawn' | 'ready' }
  /** SIGKILL when a *.tmp file appears in DIR, DIR/snap or DIR/log for the (skip+1)-th time: a snapshot or
   * MANIFEST being written, i.e. inside a checkpoint (polled every ms, so "around" it). */
  | { readonly kind: 'checkpoint'; readonly skip: number }
  /** The worker SIGKILLs itself at its n-th `op` on a file of DIR (worker.ts --fault). */
  | { readonly kind: 'fault'; readonly op: FaultOp; readonly n: number; readonly when: FaultWhen };

export function describePlan(p: KillPlan): string {
  switch (p.kind) {
    case 'acks':
      return `after ACK #${p.n}`;
    case 'delay':
      return `${p.ms} ms after ${p.from}`;
    case 'checkpoint':
      return `in checkpoint #${p.skip + 1}`;
    case 'fault':
      return `${p.when} ${p.op} #${p.n}`;
  }
}

export function planKind(p: KillPlan): string {
  return p.kind === 'delay' ? `delay-${p.from}` : p.kind;
}

function logUniform(rng: Rng, max: number): number {
  return Math.max(1, Math.floor(Math.exp(rng.next() * Math.log(max))));
}

/** A random kill plan; `kinds` restricts the choice. */
export function randomPlan(rng: Rng, kinds: readonly KillPlan['kind'][] = ['acks', 'delay', 'checkpoint', 'fault']): KillPlan {
  const kind = rng.pick(kinds);
  switch (kind) {
    case 'acks':
      return { kind, n: logUniform(rng, 1500) };
    case 'delay':
      return rng.next() < 0.3 ? { kind, ms: rng.int(0, 2500), from: 'spawn' } : { kind, ms: rng.int(0, 1500), from: 'ready' };
    case 'checkpoint':
      return { kind, skip: rng.int(0, 6) };
    case 'fault': {
      const op = rng.pick<FaultOp>(['write', 'write', 'write', 'fsync', 'fsync', 'rename', 'unlink', 'truncate', 'any']);
      const n = logUniform(rng, 600);
      const when = rng.pick<FaultWhen>(['before', 'after', 'torn']);
      // Only a write can be torn; for the others 'torn' means 'before'.
      return { kind, op, n, when: when === 'torn' && op !== 'write' && op !== 'any' ? 'before' : when };
    }
  }
}

export interface RoundResult {
  readonly plan: KillPlan;
  /** Who ended the worker: the plan, the worker's own fault kill, the round's time limit, or
   * the worker exiting by itself (a failure: see `errors`). */
  readonly end: 'killed' | 'self-killed' | 'timeout' | 'exited';
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly ready: boolean;
  readonly startSeq: number | null;
  readonly acked: number[];
  readonly maxTried: number;
  readonly errors: string[];
  readonly stats: string | null;
  readonly stderr: string;
  readonly ms: number;
}

const live = new Set<ChildProcess>();

/** SIGKILLs every worker still running (afterEach/afterAll, sweep exit). */
export function killAll(): void {
  for (const c of live) {
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
}

export function spawnWorker(dir: string, mode: WorkerMode, seed: number, extra: readonly string[] = []): ChildProcess {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', WORKER, dir, mode, String(seed), ...extra], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
  });
  live.add(child);
  child.on('close', () => live.delete(child));
  return child;
}

/** Calls `onLine` for every complete stdout line of `child`. */
export function onLines(child: ChildProcess, onLine: (line: string) => void): void {
  let pending = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    pending += chunk;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      onLine(line);
    }
  });
}

export interface RoundOptions {
  readonly dir: string;
  readonly mode: WorkerMode;
  readonly seed: number;
  readonly strategy: StrategyName;
  readonly plan: KillPlan;
  readonly round: number;
  /** The worker is killed after this long whatever the plan (it never stops by itself). */
  readonly timeoutMs: number;
}

export function runRound(o: RoundOptions): Promise<RoundResult> {
  const extra = [`--strategy=${o.strategy}`, `--round=${o.round}`];
  if (o.plan.kind === 'fault') extra.push(`--fault=${o.plan.op}:${o.plan.n}:${o.plan.when}`);
  const t0 = Date.now();
  const child = spawnWorker(o.dir, o.mode, o.seed, extra);
  const acked: number[] = [];
  const errors: string[] = [];
  let maxTried = 0;
  let ready = false;
  let startSeq: number | null = null;
  let stats: string | null = null;
  let stderr = '';
  let killedByUs: 'killed' | 'timeout' | null = null;
  const timers: NodeJS.Timeout[] = [];

  const kill = (why: 'killed' | 'timeout'): void => {
    if (killedByUs !== null || child.exitCode !== null || child.signalCode !== null) return;
    killedByUs = why;
    child.kill('SIGKILL');
  };
  const plan = o.plan;
  const afterReady = (): void => {
    if (plan.kind === 'delay' && plan.from === 'ready') timers.push(setTimeout(() => kill('killed'), plan.ms));
  };
  if (plan.kind === 'delay' && plan.from === 'spawn') timers.push(setTimeout(() => kill('killed'), plan.ms));
  if (plan.kind === 'checkpoint') {
    let seenBefore = new Set<string>();
    let events = 0;
    const poll = setInterval(() => {
      const now = new Set<string>();
      for (const sub of ['', 'snap', 'log']) {
        let names: string[] = [];
        try {
          names = fs.readdirSync(path.join(o.dir, sub));
        } catch {
          continue; // not created yet
        }
        for (const name of names) if (name.endsWith('.tmp')) now.add(`${sub}/${name}`);
      }
      for (const name of now) if (!seenBefore.has(name) && ++events > plan.skip) kill('killed');
      seenBefore = now;
    }, 1);
    timers.push(poll);
  }
  timers.push(setTimeout(() => kill('timeout'), o.timeoutMs));

  onLines(child, (line) => {
    const sp = line.indexOf(' ');
    const tag = sp < 0 ? line : line.slice(0, sp);
    const rest = sp < 0 ? '' : line.slice(sp + 1);
    switch (tag) {
      case 'ACK': {
        acked.push(Number(rest));
        if (plan.kind === 'acks' && acked.length >= plan.n) kill('killed');
        break;
      }
      case 'TRY':
        maxTried = Math.max(maxTried, Number(rest));
        break;
      case 'READY':
        ready = true;
        startSeq = Number(rest.split(' ')[0]);
        afterReady();
        break;
      case 'STATS':
        stats = rest;
        break;
      case 'ERR':
        errors.push(rest);
        break;
      default:
        errors.push(`unexpected output: ${line}`);
    }
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    if (stderr.length < 20_000) stderr += chunk;
  });

  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      for (const t of timers) clearTimeout(t);
      const end = killedByUs ?? (signal === 'SIGKILL' ? 'self-killed' : 'exited');
      if (end === 'exited' && errors.length === 0) errors.push(`worker exited by itself (code ${code}, signal ${signal}): ${stderr.slice(-2000)}`);
      resolve({ plan, end, exitCode: code, signal, ready, startSeq, acked, maxTried, errors, stats, stderr, ms: Date.now() - t0 });
    });
  });
}

export interface CheckResult {
  readonly problems: string[];
  readonly lost: number[];
  readonly maxSeq: number;
  readonly openError: string | null;
  /** What the reopen's recovery reported (db.stats().recovery), when it opened. */
  readonly recovery: { readonly tornTail: boolean; readonly fromSnapshot: boolean; readonly framesReplayed: number } | null;
  /** Findings that are not failures (see checkDirectory). */
  readonly notes: string[];
}

const STALE_LOCK_WAIT_MS = 1100;

function readLock(dir: string): string {
  try {
    return fs.readFileSync(path.join(dir, 'LOCK'), 'utf8');
  } catch (e) {
    return `(unreadable: ${errorText(e)})`;
  }
}

/** Reopens DIR in this process (it must open: never corrupt after a kill -9) and checks it. */
export async function checkDirectory(dir: string, seed: number, strategy: StrategyName, seen: Observed): Promise<CheckResult> {
  const notes: string[] = [];
  let db;
  for (let attempt = 1; ; attempt++) {
    try {
      db = openDurable(dir, { strategy });
      break;
    } catch (e) {
      const text = errorText(e);
      // A worker killed between creating LOCK and writing its pid into it leaves an empty LOCK,
      // which node-fs.ts takes to be stale only once it is a second old (documented limit): the
      // reopen is refused with SQLITE_BUSY meanwhile. Noted, waited out once; busy after that
      // is a failure.
      if (attempt === 1 && errorCode(e) === 'SQLITE_BUSY') {
        const lock = readLock(dir);
        notes.push(`reopen right after the kill: ${text} (LOCK holds ${JSON.stringify(lock)}); opened after waiting ${STALE_LOCK_WAIT_MS} ms`);
        await new Promise((r) => setTimeout(r, STALE_LOCK_WAIT_MS));
        continue;
      }
      return { problems: [`reopen failed: ${text}`], lost: [], maxSeq: 0, openError: text, recovery: null, notes };
    }
  }
  try {
    const rec = db.stats().recovery;
    const recovery = rec === null ? null : { tornTail: rec.tornTail !== null, fromSnapshot: rec.snapshotLsn !== null, framesReplayed: rec.framesReplayed };
    const r = checkBank(db, seed, seen);
    return { ...r, openError: null, recovery, notes };
  } catch (e) {
    return { problems: [`check threw: ${errorText(e)}`], lost: [], maxSeq: 0, openError: null, recovery: null, notes };
  } finally {
    try {
      db.close();
    } catch (e) {
      // A close that fails is a finding too, but the check above has the verdict on the data.
      process.emitWarning(`close after check failed: ${errorText(e)}`);
    }
  }
}

export interface ScenarioOptions {
  readonly dir: string;
  readonly mode: WorkerMode;
  readonly seed: number;
  readonly strategy: StrategyName;
  readonly rounds: number;
  readonly timeoutMs: number;
  /** Plans to use, round by round; random ones (from the seed) when missing. */
  readonly plans?: readonly KillPlan[];
  readonly kinds?: readonly KillPlan['kind'][];
}

export interface RoundReport {
  readonly round: number;
  readonly result: RoundResult;
  readonly check: CheckResult;
  /** The round's acked plus every earlier round's. */
  readonly ackedTotal: number;
}

/** Rounds of spawn, kill, reopen-and-check on one directory; stops after a round with problems. */
export async function runScenario(o: ScenarioOptions): Promise<RoundReport[]> {
  // Plans differ by mode and strategy too, so one seed kills each of them differently.
  const salt = [...`${o.mode}/${o.strategy}`].reduce((h, ch) => Math.imul(h ^ ch.charCodeAt(0), 0x01000193), 0x811c9dc5);
  const rng = new Rng(o.seed, salt, 0xc4a5);
  const acked = new Set<number>();
  let maxAttempted = 0;
  let setupAcked = false;
  const reports: RoundReport[] = [];
  for (let round = 1; round <= o.rounds; round++) {
    const plan = o.plans?.[round - 1] ?? randomPlan(rng, o.kinds);
    const result = await runRound({ dir: o.dir, mode: o.mode, seed: o.seed, strategy: o.strategy, plan, round, timeoutMs: o.timeoutMs });
    for (const s of result.acked) acked.add(s);
    maxAttempted = Math.max(maxAttempted, result.maxTried);
    setupAcked ||= result.ready;
    const seen: Observed = { setupAcked, acked, maxAttempted, ackedMustSurvive: o.strategy !== 'snapshot' };
    const check = await checkDirectory(o.dir, o.seed, o.strategy, seen);
    const problems = [...result.errors.map((e) => `worker: ${e}`), ...check.problems];
    reports.push({ round, result, check: { ...check, problems }, ackedTotal: acked.size });
    if (problems.length > 0) break;
    // What survived is now the truth a later round builds on; seqs above it were never acked
    // (else the check failed) and will be reused by the next worker with the same content.
    maxAttempted = check.maxSeq;
  }
  return reports;
}

export function reproCommand(o: { mode: WorkerMode; seed: number; strategy: StrategyName }): string {
  return `CRASH_ONLY=${o.mode}:${o.strategy}:${o.seed} npm run test:crash`;
}
