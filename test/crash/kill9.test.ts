// kill -9 a worker mid-commit and mid-checkpoint, reopen, check that nothing acknowledged is lost
// (DESIGN §6 "killing the process never loses an acknowledged commit", §9 crash tests).
// A small fixed sample for `npm test` (8 kills, each kind of kill plan at least once); the wide
// random sweep is `npm run test:crash` (scripts/crash-sweep.ts).
//
// Until persistence is wired into `new Database(dir)`, every test here is skipped with the reason.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { WorkerMode } from './bank';
import type { StrategyName } from './durable-api';
import { probePersistence } from './durable-api';
import { describePlan, killAll, reproCommand, runScenario } from './harness';
import type { KillPlan, RoundReport } from './harness';

const probe = probePersistence();
const run = probe.available || probe.landed;

interface Case {
  readonly name: string;
  readonly mode: WorkerMode;
  readonly strategy: StrategyName;
  readonly seed: number;
  readonly plans: readonly KillPlan[];
}

// Two rounds each: the second worker recovers what the first left (its own kill may land in
// recovery, or in the first checkpoint after it).
const CASES: readonly Case[] = [
  {
    name: 'commit-sync: killed after some ACKs, then inside a checkpoint',
    mode: 'commit-sync',
    strategy: 'hybrid',
    seed: 1,
    plans: [{ kind: 'acks', n: 120 }, { kind: 'checkpoint', skip: 2 }],
  },
  {
    name: 'commit-async (group commit): killed at a random moment, then at the 40th fsync',
    mode: 'commit-async',
    strategy: 'hybrid',
    seed: 2,
    plans: [
      { kind: 'delay', ms: 700, from: 'ready' },
      { kind: 'fault', op: 'fsync', n: 40, when: 'before' },
    ],
  },
  {
    name: 'interval: torn log write, then killed during recovery or right after',
    mode: 'interval',
    strategy: 'hybrid',
    seed: 3,
    plans: [
      { kind: 'fault', op: 'write', n: 150, when: 'torn' },
      { kind: 'delay', ms: 1900, from: 'spawn' },
    ],
  },
  {
    name: "none, strategy 'log': killed at the 3rd rename (log rewrite / MANIFEST switch), then after some ACKs",
    mode: 'none',
    strategy: 'log',
    seed: 4,
    plans: [
      { kind: 'fault', op: 'rename', n: 3, when: 'before' },
      { kind: 'acks', n: 200 },
    ],
  },
];

function explain(c: Case, reports: readonly RoundReport[]): string {
  return reports
    .map((r) => {
      const res = r.result;
      const head = `${c.mode}/${c.strategy} seed ${c.seed} round ${r.round} (${describePlan(res.plan)}, ended ${res.end} after ${res.ms} ms, ${res.acked.length} acks, tried up to ${res.maxTried}, recovered up to ${r.check.maxSeq})`;
      return [head, ...r.check.problems.map((p) => `  - ${p}`)].join('\n');
    })
    .concat(`repro: ${reproCommand(c)}`)
    .join('\n');
}

const dirs: string[] = [];
afterEach(() => killAll());
afterAll(() => {
  killAll();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

if (!run) {
  const reason = probe.available ? '' : probe.reason;
  console.warn(`kill -9 crash tests skipped: persistence is not wired into new Database(dir) yet (${reason})`);
  test.skip(`kill -9 crash tests SKIPPED: persistence is not wired into new Database(dir) yet (${reason})`, () => {});
} else {
  test('persistence probe: a row written, closed and reopened is still there', () => {
    expect(probe).toEqual({ available: true });
  });

  describe('kill -9 never loses an acknowledged transaction', () => {
    for (const c of CASES) {
      test(c.name, async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), `amber-crash-${c.mode}-`));
        dirs.push(dir);
        const reports = await runScenario({
          dir: path.join(dir, 'db'),
          mode: c.mode,
          seed: c.seed,
          strategy: c.strategy,
          rounds: c.plans.length,
          // Generous: on a loaded 2-core machine a ts-node worker can take several seconds to start.
          timeoutMs: 15_000,
          plans: c.plans,
        });
        const notes = reports.flatMap((r) => r.check.notes);
        if (notes.length > 0) console.warn(`${c.mode}/${c.strategy} seed ${c.seed}, notes (not failures):\n${notes.join('\n')}`);
        const text = explain(c, reports);
        const problems = reports.flatMap((r) => r.check.problems);
        // The message names seed, mode, plan and what was lost; the sweep reproduces it.
        expect({ problems, report: problems.length > 0 ? text : 'ok' }).toEqual({ problems: [], report: 'ok' });
        // Not vacuous: the worker got going and acknowledged transfers before dying.
        expect(reports[0]?.result.ready).toBe(true);
        expect(reports.reduce((n, r) => n + r.result.acked.length, 0)).toBeGreaterThan(0);
      }, 40_000);
    }
  });
}
