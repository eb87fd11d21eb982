// Shared by the API tests: an AmberDB Database on a FakeEngine, better-sqlite3 as the oracle, and
// `outcome()` to compare what a call returned or threw on each.
import BetterSqlite3 from 'better-sqlite3';
import { Database } from '../../src/api/database';
import { setEngineFactory } from '../../src/api/engine-factory';
import { FakeEngine } from './fake-engine';

export { BetterSqlite3 };

export interface Opened {
  readonly db: Database;
  readonly engine: FakeEngine;
}

/** Opens an AmberDB database on a fresh FakeEngine. */
export function open(filename?: string, options?: object): Opened {
  let engine: FakeEngine | null = null;
  setEngineFactory(() => (engine = new FakeEngine()));
  try {
    const db = new Database(filename, options);
    return { db, engine: engine as unknown as FakeEngine };
  } finally {
    setEngineFactory(null);
  }
}

export type Outcome = { ok: unknown } | { error: string; message: string; code?: unknown };

/** What `f` did, comparable across the two implementations (error class name + message). */
export function outcome(f: () => unknown): Outcome {
  try {
    return { ok: f() };
  } catch (e) {
    const err = e as Error & { code?: unknown };
    const result: Outcome = { error: err.constructor.name === 'AmberError' ? 'SqliteError' : err.constructor.name, message: err.message };
    if (err.code !== undefined) result.code = err.code;
    return result;
  }
}
