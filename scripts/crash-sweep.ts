// The wide kill -9 sweep (`npm run test:crash`): seeds × modes × strategies, each scenario a fresh
// directory killed CRASH_KILLS times at random moments (after N ACKs, after a delay, inside a
// checkpoint, at the worker's own N-th write/fsync/rename/unlink/truncate, torn or not), reopened
// and checked after every kill (test/crash/harness.ts). Prints a summary table and every failure
// with the command that reproduces it; exits 1 if anything acknowledged was lost or broken.
//
// Environment:
//   CRASH_SEEDS       number of seeds (default 6) or a comma list of seeds
//   CRASH_KILLS       kills (rounds) per scenario (default 4)
//   CRASH_MODES       default commit-sync,commit-async,interval,none
//   CRASH_STRATEGIES  default hybrid,log (snapshot may lose acknowledged commits by design: its
//                     scenarios check consistency only)
//   CRASH_KINDS       kill plans, default acks,delay,checkpoint,fault
//   CRASH_JOBS        scenarios run in parallel (default: number of CPUs)
//   CRASH_TIMEOUT_MS  a worker still alive after this is killed anyway (default 8000)
//   CRASH_ONLY        mode:strategy:seed — one scenario (the repro line of a failure)
//   CRASH_KEEP        1: keep the directories of failed scenarios for inspection
//   CRASH_VERBOSE     1: print every round (plan, how it ended, acks, recovered)
//   CRASH_FORCE       1: sweep even when the probe says persistence is not wired (harness check)
//   CRASH_CORRUPTION  the corruption sweep run first (test/persistence/corruption-cases.ts): 'full'
//                     (default: every bit of the snapshot, log and MANIFEST flipped, the log cut at
//                     every byte, each opened writable and readonly), N (every N-th bit), 'off',
//                     or 'only' (full, then no kill sweep)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MODES } from '../test/crash/bank';
import type { WorkerMode } from '../test/crash/bank';
import { probePersistence } from '../test/crash/durable-api';
import type { StrategyName } from '../test/crash/durable-api';
import { describePlan, killAll, planKind, reproCommand, runScenario } from '../test/crash/harness';
import { buildFixture, checkFlip, checkTruncate } from '../test/persistence/corruption-cases';
import type { KillPlan, RoundReport } from '../test/crash/harness';

interface Scenario {
  readonly mode: WorkerMode;
  readonly strategy: StrategyName;
  readonly seed: number;
}

function list(name: string, fallback: string): string[] {
  return (process.env[name] ?? fallback)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function int(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, not ${v}`);
  return n;
}

function scenarios(): Scenario[] {
  const only = process.env.CRASH_ONLY;
  if (only !== undefined && only !== '') {
    const [mode, strategy, seed] = only.split(':');
    const m = MODES.find((x) => x === mode);
    if (m === undefined || (strategy !== 'hybrid' && strategy !== 'log' && strategy !== 'snapshot') || !Number.isInteger(Number(seed))) {
      throw new Error(`CRASH_ONLY must be mode:strategy:seed, not ${only}`);
    }
    return [{ mode: m, strategy, seed: Number(seed) }];
  }
  const seedsText = process.env.CRASH_SEEDS ?? '6';
  const seeds = seedsText.includes(',') ? seedsText.split(',').map(Number) : Array.from({ length: int('CRASH_SEEDS', 6) }, (_, i) => 1000 + i);
  const modes = list('CRASH_MODES', 'commit-sync,commit-async,interval,none').map((m) => {
    const found = MODES.find((x) => x === m && x !== 'hold');
    if (found === undefined) throw new Error(`unknown mode ${m}`);
    return found;
  });
  const strategies = list('CRASH_STRATEGIES', 'hybrid,log').map((s): StrategyName => {
    if (s !== 'hybrid' && s !== 'log' && s !== 'snapshot') throw new Error(`unknown strategy ${s}`);
    return s;
  });
  const out: Scenario[] = [];
  for (const seed of seeds) for (const mode of modes) for (const strategy of strategies) out.push({ mode, strategy, seed });
  return out;
}

interface Row {
  scenarios: number;
  kills: number;
  self: number;
  timeouts: number;
  acked: number;
  recovered: number;
  failed: number;
  ms: number;
  /** Reopens that cut a torn last frame off / loaded a snapshot. */
  torn: number;
  snap: number;
}
const emptyRow = (): Row => ({ scenarios: 0, kills: 0, self: 0, timeouts: 0, acked: 0, recovered: 0, failed: 0, ms: 0, torn: 0, snap: 0 });

function table(title: string, rows: Map<string, Row>, withScenarios: boolean): string {
  const head = [title, ...(withScenarios ? ['scenarios'] : []), 'kills', 'self-kills', 'timeouts', 'acked', 'max recovered', 'torn tails', 'from snapshot', 'failed', 'time s'];
  const body = [...rows.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, r]) =>
      [k, ...(withScenarios ? [r.scenarios] : []), r.kills, r.self, r.timeouts, r.acked, r.recovered, r.torn, r.snap, r.failed, (r.ms / 1000).toFixed(1)].map(String),
    );
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** Flips every (or every N-th) bit of each file and cuts the log at every byte; returns failures. */
function corruptionSweep(step: number): string[] {
  const t0 = Date.now();
  const f = buildFixture();
  const failures: string[] = [];
  let cases = 0;
  const run = (r: string | null): void => {
    cases++;
    if (r !== null) failures.push(r);
  };
  for (const kind of ['snapshot', 'log', 'manifest'] as const) {
    const bits = f.files.get(f.paths[kind])!.length * 8;
    for (let bit = 0; bit < bits; bit += step) {
      run(checkFlip(f, kind, bit, false));
      run(checkFlip(f, kind, bit, true));
    }
  }
  const logLength = f.files.get(f.paths.log)!.length;
  for (let length = 0; length <= logLength; length++) {
    run(checkTruncate(f, length, false));
    run(checkTruncate(f, length, true));
  }
  const sizes = [...f.files].map(([p, b]) => `${p.slice(p.lastIndexOf('/') + 1)} ${b.length} B`).join(', ');
  console.log(`corruption sweep: ${cases} opens (${sizes}; every ${step === 1 ? '' : `${step}th `}bit flipped, the log cut at every byte; writable and readonly), ${failures.length} failed, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return failures;
}

async function main(): Promise<void> {
  const corruption = process.env.CRASH_CORRUPTION ?? 'full';
  if (corruption !== 'off') {
    const step = corruption === 'full' || corruption === 'only' ? 1 : int('CRASH_CORRUPTION', 1);
    const failed = corruptionSweep(step);
    if (failed.length > 0) {
      console.log(`\nCORRUPTION FAILURES\n${failed.slice(0, 50).join('\n')}${failed.length > 50 ? `\n... and ${failed.length - 50} more` : ''}\n`);
      process.exitCode = 1;
    }
    if (corruption === 'only') return;
  }
  const probe = probePersistence();
  if (!probe.available && !probe.landed && process.env.CRASH_FORCE !== '1') {
    console.log(`crash sweep: persistence is not wired into new Database(dir) yet (${probe.reason}); nothing to sweep.`);
    return;
  }
  if (!probe.available) console.log(`crash sweep: persistence probe FAILED: ${probe.reason} (sweeping anyway)`);

  const all = scenarios();
  const kills = int('CRASH_KILLS', 4);
  const jobs = int('CRASH_JOBS', Math.max(1, os.cpus().length));
  const timeoutMs = int('CRASH_TIMEOUT_MS', 8000);
  const kinds = list('CRASH_KINDS', 'acks,delay,checkpoint,fault').map((k): KillPlan['kind'] => {
    if (k !== 'acks' && k !== 'delay' && k !== 'checkpoint' && k !== 'fault') throw new Error(`unknown kill plan ${k}`);
    return k;
  });
  const keep = process.env.CRASH_KEEP === '1';
  console.log(`crash sweep: ${all.length} scenarios × ${kills} kills, ${jobs} at a time, plans ${kinds.join('/')}`);

  const byScenario = new Map<string, Row>();
  const byPlan = new Map<string, Row>();
  const failures: string[] = [];
  const notes: string[] = [];
  const t0 = Date.now();
  let next = 0;
  let done = 0;

  const runOne = async (s: Scenario): Promise<void> => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), `amber-sweep-${s.mode}-${s.seed}-`));
    let reports: RoundReport[] = [];
    try {
      reports = await runScenario({ dir: path.join(root, 'db'), mode: s.mode, strategy: s.strategy, seed: s.seed, rounds: kills, timeoutMs, kinds });
    } catch (e) {
      failures.push(`${s.mode}/${s.strategy} seed ${s.seed}: harness error ${String(e)}`);
    }
    const failed = reports.some((r) => r.check.problems.length > 0);
    const key = `${s.mode}/${s.strategy}`;
    const row = byScenario.get(key) ?? emptyRow();
    byScenario.set(key, row);
    row.scenarios++;
    if (failed) row.failed++;
    for (const r of reports) {
      const res = r.result;
      const pr = byPlan.get(planKind(res.plan)) ?? emptyRow();
      byPlan.set(planKind(res.plan), pr);
      for (const x of [row, pr]) {
        x.kills++;
        if (res.end === 'self-killed') x.self++;
        if (res.end === 'timeout') x.timeouts++;
        x.acked += res.acked.length;
        x.recovered = Math.max(x.recovered, r.check.maxSeq);
        x.ms += res.ms;
        if (r.check.recovery?.tornTail === true) x.torn++;
        if (r.check.recovery?.fromSnapshot === true) x.snap++;
      }
      for (const n of r.check.notes) notes.push(`${s.mode}/${s.strategy} seed ${s.seed} round ${r.round} (${describePlan(res.plan)}): ${n}`);
      if (r.check.problems.length > 0) {
        pr.failed++;
        failures.push(
          [
            `${s.mode}/${s.strategy} seed ${s.seed} round ${r.round}: killed ${describePlan(res.plan)} (${res.end} after ${res.ms} ms; ${res.acked.length} acks this round, ${r.ackedTotal} in all; tried up to ${res.maxTried}; recovered up to ${r.check.maxSeq})`,
            ...r.check.problems.map((p) => `    - ${p}`),
            ...(res.stats !== null ? [`    stats at open: ${res.stats.slice(0, 400)}`] : []),
            ...(res.stderr.trim() !== '' ? [`    worker stderr: ${res.stderr.trim().slice(-600)}`] : []),
            `    repro: ${reproCommand(s)}${keep ? `  (directory kept: ${root})` : ''}`,
          ].join('\n'),
        );
      }
    }
    if (!(failed && keep)) fs.rmSync(root, { recursive: true, force: true });
    done++;
    if (process.env.CRASH_VERBOSE === '1') {
      for (const r of reports) {
        const res = r.result;
        process.stdout.write(
          `    round ${r.round}: ${describePlan(res.plan)} -> ${res.end} after ${res.ms} ms, ready ${res.ready} at seq ${res.startSeq}, ${res.acked.length} acks, tried up to ${res.maxTried}, recovered up to ${r.check.maxSeq}\n`,
        );
      }
    }
    const last = reports[reports.length - 1];
    process.stdout.write(
      `[${done}/${all.length}] ${s.mode}/${s.strategy} seed ${s.seed}: ${failed ? 'FAILED' : 'ok'} (${reports.length} kills, ${reports.reduce((n, r) => n + r.result.acked.length, 0)} acks, recovered up to ${last?.check.maxSeq ?? 0})\n`,
    );
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      const s = all[next++];
      if (s === undefined) return;
      await runOne(s);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, all.length) }, worker));

  console.log(`\n${table('mode/strategy', byScenario, true)}\n\n${table('kill plan', byPlan, false)}\n`);
  console.log(`${all.length} scenarios, ${failures.length} failed rounds, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  if (notes.length > 0) console.log(`\nNOTES (not failures)\n${notes.join('\n')}`);
  if (failures.length > 0) {
    console.log(`\nFAILURES\n${failures.join('\n\n')}`);
    process.exitCode = 1;
  }
}

process.on('SIGINT', () => {
  killAll();
  process.exit(130);
});
main()
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(killAll);
