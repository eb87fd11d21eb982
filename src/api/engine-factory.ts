// Where a Database gets its engine. The engine (src/exec/engine.ts, `createEngine(options)`) is
// loaded on first use so the API layer has no import cycle with it; tests swap in a fake. With a
// path (and a strategy other than 'memory') the engine is the DurableEngine, which recovers the
// directory and logs every commit (src/api/persistence/durable-engine.ts).
import type { Engine } from '../exec/compiled-statement';

export type Strategy = 'hybrid' | 'snapshot' | 'log' | 'memory';
export type Durability = 'commit' | 'interval' | 'none';
export type Recovery = 'strict' | 'truncate-tail' | 'salvage';

/** What the API passes to `createEngine` (DESIGN §2's persistence options, validated). */
export interface EngineOptions {
  /** The database directory, or null for a memory-only database. */
  readonly path: string | null;
  readonly strategy: Strategy;
  readonly durability: Durability;
  readonly recovery: Recovery;
  readonly checkpointLogBytes: number | undefined;
  readonly checkpointIntervalMs: number | undefined;
  readonly snapshotIntervalMs: number | undefined;
  readonly syncIntervalMs: number | undefined;
  readonly readonly: boolean;
  readonly fileMustExist: boolean;
  readonly timeout: number;
  readonly verbose: ((message?: unknown, ...more: unknown[]) => void) | null;
}

export type EngineFactory = (options: EngineOptions) => Engine;

let override: EngineFactory | null = null;
let loaded: EngineFactory | null = null;

/** For tests: every Database opened until the next call uses `factory` (null restores the real one). */
export function setEngineFactory(factory: EngineFactory | null): void {
  override = factory;
}

export function createEngine(options: EngineOptions): Engine {
  if (override !== null) return override(options);
  if (options.path !== null && options.strategy !== 'memory') {
    // A directory: the durable engine (src/api/persistence/), loaded lazily like the engine.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require('./persistence/durable-engine') as typeof import('./persistence/durable-engine');
    return new mod.DurableEngine(options);
  }
  if (loaded === null) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require('../exec/engine') as { createEngine?: unknown };
    if (typeof mod.createEngine !== 'function') throw new Error('AmberDB engine is missing createEngine()');
    loaded = mod.createEngine as EngineFactory;
  }
  return loaded(options);
}
