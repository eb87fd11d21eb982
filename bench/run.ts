// AmberDB's benchmark suite (DESIGN §8, STYLE 14): every workload in bench/workloads/ on AmberDB and
// on better-sqlite3 in this process, results checked for equality before anything is timed, rounds
// interleaved (A B, B A, ...), median and min–max of ops/s per engine, then a table, a JSON record
// and an SVG chart under bench/results/, and the same table as Markdown (README.md's Benchmarks section).
//
//   npm run bench                      full run (7 rounds, 1M-row analytics, every strategy)
//   npm run bench -- --quick           about a minute: 3 short rounds, no 1M-row workloads
//   npm run bench -- --smoke           a few seconds, tiny sizes, 1 round (the test suite's mode)
//   npm run bench -- --filter group    only workloads whose name contains "group" (repeatable, or a,b)
//   npm run bench -- --only amberdb    time one engine only (no equality check), e.g. under --cpu-prof
//   npm run bench -- --out DIR         where the JSON and SVG go (default bench/results; smoke: a temp dir)
//   npm run bench -- --rounds N        override the number of rounds
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { firstDifference } from './lib/compare';
import { amberUnavailable, openDurable, openMemory, tempPath, versions } from './lib/engines';
import { measureAsync, measureSync, spread, type MeasureConfig, type Spread } from './lib/measure';
import { markdown, rowLabel, svg, table, type RowResult, type RunRecord } from './lib/report';
import { ENGINES, MODES, type EngineName, type Mode, type Target, type Workload } from './lib/types';
import { WORKLOADS } from './workloads';

interface Options {
  mode: Mode;
  filters: string[];
  only: EngineName | null;
  out: string | null;
  rounds: number | null;
}

const SETTINGS: Record<Mode, MeasureConfig & { rounds: number }> = {
  smoke: { rounds: 1, warmupMs: 2, budgetMs: 10, minCalls: 1 },
  quick: { rounds: 3, warmupMs: 50, budgetMs: 400, minCalls: 2 },
  full: { rounds: 7, warmupMs: 200, budgetMs: 1000, minCalls: 5 },
};

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { mode: 'full', filters: [], only: null, out: null, rounds: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--quick' || a === '--smoke' || a === '--full') o.mode = a.slice(2) as Mode;
    else if (a === '--filter') o.filters.push(...value().split(',').filter((s) => s !== ''));
    else if (a === '--only') {
      const v = value();
      if (!(ENGINES as readonly string[]).includes(v)) throw new Error(`--only takes one of ${ENGINES.join(', ')}`);
      o.only = v as EngineName;
    } else if (a === '--out') o.out = value();
    else if (a === '--rounds') o.rounds = Math.max(1, Number.parseInt(value(), 10));
    else throw new Error(`unknown argument ${a} (modes: ${MODES.map((m) => `--${m}`).join(', ')}; --filter NAME, --only ENGINE, --out DIR, --rounds N)`);
  }
  return o;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function open(w: Workload, engine: EngineName): Target {
  return w.storage === undefined ? openMemory(engine) : openDurable(engine, w.storage, w.name.replace(/\W+/g, '-'));
}

/** One workload at one size: setup, check, interleaved rounds. */
async function runRow(w: Workload, size: number, opt: Options, cfg: MeasureConfig & { rounds: number }): Promise<RowResult> {
  const name = rowLabel({ name: w.name, size }, w.showSize);
  const base = { name, group: w.group, description: w.description, size };
  const notes: string[] = [];
  let sides: EngineName[] = ENGINES.filter((e) => opt.only === null || opt.only === e);
  if (w.storage !== undefined) {
    if (sides.includes('amberdb')) {
      const why = amberUnavailable(w.storage);
      if (why !== null) {
        sides = sides.filter((e) => e !== 'amberdb');
        notes.push(w.storage.amberdb === null ? 'reference row, better-sqlite3 only' : `AmberDB persistence not available yet (${why})`);
      }
    }
    if (w.storage.sqlite === null) sides = sides.filter((e) => e !== 'better-sqlite3');
  }
  const failed = (why: string): RowResult => ({ ...base, status: 'failed', agreed: false, amberdb: null, betterSqlite3: null, ratio: null, note: why });

  const targets = new Map<EngineName, Target>();
  const closeAll = (): void => {
    for (const t of targets.values()) {
      try {
        t.db.close();
      } catch {
        // A failed row may leave a transaction open; the database is discarded anyway.
      }
    }
  };
  try {
    // Setup and check, outside the timed part.
    const checks = new Map<EngineName, unknown>();
    for (const engine of sides) {
      let t: Target;
      try {
        t = open(w, engine);
        targets.set(engine, t);
        w.setup(t, size);
        checks.set(engine, w.check(t, size));
      } catch (e) {
        return failed(`${engine} threw during setup/check: ${message(e)}`);
      }
    }
    let agreed = false;
    if (checks.has('amberdb') && checks.has('better-sqlite3')) {
      const diff = firstDifference(checks.get('amberdb'), checks.get('better-sqlite3'));
      if (diff !== null) return failed(`results differ (AmberDB ≠ better-sqlite3) at ${diff}`);
      agreed = true;
    }

    // Build the timed functions (statements are prepared here), then interleave the rounds.
    const fns = new Map<EngineName, () => unknown>();
    for (const [engine, t] of targets) {
      try {
        w.reset?.(t, size);
        fns.set(engine, w.op(t, size));
      } catch (e) {
        return failed(`${engine} threw preparing the timed op: ${message(e)}`);
      }
    }
    const rounds = new Map<EngineName, number[]>(sides.map((e) => [e, []]));
    for (let r = 0; r < cfg.rounds; r++) {
      const order = r % 2 === 0 ? sides : [...sides].reverse();
      for (const engine of order) {
        const t = targets.get(engine);
        const fn = fns.get(engine);
        if (t === undefined || fn === undefined) continue;
        try {
          if (r > 0) w.reset?.(t, size);
          const opsPerSec = w.async === true ? await measureAsync(fn, w.opsPerCall ?? 1, cfg) : measureSync(fn, w.opsPerCall ?? 1, cfg);
          rounds.get(engine)?.push(opsPerSec);
        } catch (e) {
          return failed(`${engine} threw while timed: ${message(e)}`);
        }
      }
    }
    // Figures beside ops/s (DESIGN §8), read before the targets are closed.
    let metrics: { amberdb?: Readonly<Record<string, number>>; betterSqlite3?: Readonly<Record<string, number>> } | undefined;
    if (w.metrics !== undefined) {
      for (const [engine, t] of targets) {
        try {
          const m = w.metrics(t, size);
          if (m !== null) metrics = { ...metrics, [engine === 'amberdb' ? 'amberdb' : 'betterSqlite3']: m };
        } catch (e) {
          notes.push(`${engine} metrics failed: ${message(e)}`);
        }
      }
    }
    const stat = (e: EngineName): Spread | null => {
      const xs = rounds.get(e);
      return xs === undefined || xs.length === 0 ? null : spread(xs);
    };
    const amberdb = stat('amberdb');
    const betterSqlite3 = stat('better-sqlite3');
    return {
      ...base,
      status: amberdb !== null && betterSqlite3 !== null ? 'ok' : 'one-side',
      agreed,
      amberdb,
      betterSqlite3,
      ratio: amberdb !== null && betterSqlite3 !== null ? amberdb.median / betterSqlite3.median : null,
      note: notes.length > 0 ? notes.join('; ') : null,
      ...(metrics === undefined ? {} : { metrics }),
    };
  } finally {
    closeAll();
  }
}

function gitCommit(): string {
  try {
    const head = execSync('git rev-parse --short HEAD', { cwd: __dirname, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execSync('git status --porcelain -- src', { cwd: __dirname, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    return dirty === '' ? head : `${head}+uncommitted-src-changes`;
  } catch {
    return 'unknown';
  }
}

/** Where the durable rows write, and on what file system (fsync cost depends on it). */
function tempDirInfo(): { path: string; fs: string } {
  let fsType = 'unknown';
  try {
    fsType = execSync(`stat -f -c %T ${JSON.stringify(os.tmpdir())}`, { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    // Not Linux, or no stat(1): the type stays unknown.
  }
  return { path: os.tmpdir(), fs: fsType };
}

async function main(): Promise<number> {
  const opt = parseArgs(process.argv.slice(2));
  const base = SETTINGS[opt.mode];
  const cfg = { ...base, rounds: opt.rounds ?? base.rounds };
  const selected = WORKLOADS.filter((w) => opt.filters.length === 0 || opt.filters.some((f) => w.name.includes(f)));
  const jobs = selected.flatMap((w) => w.sizes[opt.mode].map((size) => ({ w, size })));
  if (jobs.length === 0) throw new Error(`no workload matches ${opt.filters.join(', ')} in ${opt.mode} mode`);

  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const cores = os.cpus().length;
  const started = Date.now();
  const gc = typeof (globalThis as { gc?: unknown }).gc === 'function';
  console.log(`AmberDB benchmark · ${opt.mode} · ${cfg.rounds} round(s) × ${cfg.budgetMs} ms per engine · ${cpu} × ${cores} · Node ${process.version}`);
  if (!gc) console.log('(run with node --expose-gc for a GC between measurements; `npm run bench` does)');

  const results: RowResult[] = [];
  for (const { w, size } of jobs) {
    const row = await runRow(w, size, opt, cfg);
    results.push(row);
    const summary =
      row.status === 'failed'
        ? `FAILED: ${row.note ?? ''}`
        : [row.amberdb && `AmberDB ${Math.round(row.amberdb.median)}`, row.betterSqlite3 && `better-sqlite3 ${Math.round(row.betterSqlite3.median)}`, row.ratio !== null && `${row.ratio.toFixed(2)}×`]
            .filter(Boolean)
            .join(', ');
    console.log(`  ${row.status === 'failed' ? '✗' : '·'} ${row.name}: ${summary}`);
  }

  const date = new Date().toISOString().slice(0, 10);
  const record: RunRecord = {
    date,
    mode: opt.mode,
    partial: opt.filters.length > 0 || opt.only !== null || opt.rounds !== null,
    machine: { cpu, cores, memoryGiB: Math.round(os.totalmem() / 2 ** 30), platform: os.platform(), arch: os.arch() },
    node: process.version,
    versions: { ...versions(), amberdbCommit: gitCommit() },
    tempDir: tempDirInfo(),
    config: { rounds: cfg.rounds, warmupMs: cfg.warmupMs, budgetMs: cfg.budgetMs, gcBetweenRuns: gc },
    caveat: `shared machine (${cores} cores, other jobs running): figures are noisy; compare ratios, read the min–max`,
    workloads: results,
  };
  console.log('');
  console.log(table(results));
  console.log('');
  console.log(`ratio = AmberDB ÷ better-sqlite3 median ops/s; ◀ marks rows where AmberDB is slower. ${record.caveat}.`);

  const outDir = opt.out ?? (opt.mode === 'smoke' ? tempPath('results') : path.join(__dirname, 'results'));
  fs.mkdirSync(outDir, { recursive: true });
  const stem = `${date}${opt.mode === 'full' ? '' : `-${opt.mode}`}${record.partial ? '-partial' : ''}`;
  fs.writeFileSync(path.join(outDir, `${stem}.json`), JSON.stringify(record, null, 2) + '\n');
  fs.writeFileSync(path.join(outDir, `${stem}.svg`), svg(record));
  fs.writeFileSync(path.join(outDir, `${stem}.md`), markdown(record));
  console.log(`wrote ${path.join(outDir, stem)}.json, .svg and .md (${((Date.now() - started) / 1000).toFixed(1)} s)`);

  const failures = results.filter((r) => r.status === 'failed');
  if (failures.length > 0) {
    console.error(`\n${failures.length} workload(s) FAILED: ${failures.map((r) => r.name).join(', ')}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exitCode = 2;
  },
);
