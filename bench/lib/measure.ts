// The timing loop. Why our own and not tinybench: tinybench times every call separately with
// performance.now(), which for a ~1 µs better-sqlite3 `get` is a large share of what is measured;
// here calls run in batches sized during warm-up so a batch lasts ≥ ~1 ms, and the clock is read
// once per batch. Rounds of the two engines are interleaved by the runner (A B, B A, ...), which
// a per-suite library does not do for us.
//
// One measurement: warm up for `warmupMs` (JIT, caches; not recorded), then run batches until
// `budgetMs` have passed and at least `minCalls` calls were made; ops/s = calls × opsPerCall / time.

export interface MeasureConfig {
  readonly warmupMs: number;
  readonly budgetMs: number;
  readonly minCalls: number;
}

/** Where results go so the JIT cannot drop the work as dead code. */
export let sink: unknown;

const now = (): number => Number(process.hrtime.bigint()) / 1e6;

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc !== undefined) gc();
}

export function measureSync(fn: () => unknown, opsPerCall: number, cfg: MeasureConfig): number {
  collect();
  let batch = 1;
  const warmEnd = now() + cfg.warmupMs;
  let calls = 0;
  for (;;) {
    const t0 = now();
    for (let i = 0; i < batch; i++) sink = fn();
    const dt = now() - t0;
    calls += batch;
    if (dt < 1 && batch < 1 << 20) batch *= 2;
    if (now() >= warmEnd && calls >= 1) break;
  }
  let done = 0;
  const start = now();
  let elapsed = 0;
  while (elapsed < cfg.budgetMs || done < cfg.minCalls) {
    for (let i = 0; i < batch; i++) sink = fn();
    done += batch;
    elapsed = now() - start;
  }
  return (done * opsPerCall * 1000) / elapsed;
}

export async function measureAsync(fn: () => unknown, opsPerCall: number, cfg: MeasureConfig): Promise<number> {
  collect();
  const warmEnd = now() + cfg.warmupMs;
  do sink = await fn();
  while (now() < warmEnd);
  let done = 0;
  const start = now();
  let elapsed = 0;
  while (elapsed < cfg.budgetMs || done < cfg.minCalls) {
    sink = await fn();
    done++;
    elapsed = now() - start;
  }
  return (done * opsPerCall * 1000) / elapsed;
}

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly q1: number;
  readonly q3: number;
  /** ops/s of every round, in the order they ran. */
  readonly rounds: readonly number[];
}

function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] ?? NaN;
  const b = sorted[hi] ?? NaN;
  return a + (b - a) * (pos - lo);
}

export function spread(rounds: readonly number[]): Spread {
  const sorted = [...rounds].sort((x, y) => x - y);
  return {
    median: quantile(sorted, 0.5),
    min: sorted[0] ?? NaN,
    max: sorted[sorted.length - 1] ?? NaN,
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
    rounds,
  };
}
