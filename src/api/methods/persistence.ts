// The persistence members of Database (DESIGN §2): flush, transactionAsync, checkpoint, stats,
// backup. With a directory they reach the DurableEngine; on a memory database they still work
// (flush and transactionAsync resolve at once, checkpoint does nothing, backup writes a copy).
import { MemoryEngine } from '../../exec/engine';
import { NodeFileSystem } from '../../durability/fs/node-fs';
import { resolve as resolvePath } from 'node:path';
import { AmberError } from '../../value/amber-error';
import type { Database } from '../database';
import { expectedArgument } from '../errors';
import { DurableEngine, backupStore } from '../persistence/durable-engine';
import type { CheckpointResult, PersistenceStats } from '../persistence/durable-engine';
import { estimateMemory } from '../persistence/memory-estimate';
import type { DatabaseState } from '../state';
import { runAsTransaction } from './transaction';

function durable(state: DatabaseState): DurableEngine | null {
  return state.engine instanceof DurableEngine ? state.engine : null;
}

export function flush(state: DatabaseState): Promise<void> {
  if (!state.open) return Promise.reject(new TypeError('The database connection is not open'));
  return durable(state)?.flush() ?? Promise.resolve();
}

/**
 * Runs `fn` as db.transaction(fn)() does, synchronously, and returns a promise of its result that
 * resolves once the commit is durable (group commit: commits made before the fsync runs share it).
 * A throw from fn (the transaction rolled back) rejects the promise.
 */
export function transactionAsync<T>(db: Database, state: DatabaseState, fn: () => T): Promise<T> {
  if (typeof fn !== 'function') throw expectedArgument(0, 'a function');
  const tx = (): T => runAsTransaction(db, state, fn);
  const engine = durable(state);
  try {
    if (engine === null) return Promise.resolve(tx());
    const { result, durable: done } = engine.runAsyncCommit(() => tx());
    return done.then(() => result);
  } catch (e) {
    return Promise.reject(e);
  }
}

export function checkpoint(state: DatabaseState): CheckpointResult | null {
  state.requireOpen();
  state.requireNotBusy();
  return durable(state)?.checkpoint() ?? null;
}

export function stats(state: DatabaseState): PersistenceStats {
  state.requireOpen();
  const engine = durable(state);
  if (engine !== null) return engine.stats();
  const mem = state.engine instanceof MemoryEngine ? estimateMemory(state.engine.store) : { bytes: 0, rows: 0, tables: {} };
  return {
    path: null,
    strategy: 'memory',
    durability: 'none',
    memoryBytes: mem.bytes,
    tables: mem.tables,
    rows: mem.rows,
    commits: 0,
    fsyncs: 0,
    log: null,
    checkpoint: { count: 0, running: false, last: null, lastError: null },
    recovery: null,
    failure: null,
  };
}

/** better-sqlite3's backup(destination): here `destination` is a directory that must not hold a database. */
export async function backup(state: DatabaseState, destination: unknown, options: unknown): Promise<{ totalPages: number; remainingPages: number }> {
  if (options == null) options = {};
  if (typeof destination !== 'string') throw expectedArgument(0, 'a string');
  if (typeof options !== 'object') throw expectedArgument(1, 'an options object');
  if (!destination.trim()) throw new TypeError('Backup filename cannot be an empty string');
  if (destination.trim() === ':memory:') throw new TypeError('Invalid backup filename ":memory:"');
  state.requireOpen();
  const engine = durable(state);
  if (engine !== null) return engine.backup(destination);
  if (!(state.engine instanceof MemoryEngine)) throw new AmberError('backup() is not supported yet by this engine (it has no Store)', 'SQLITE_ERROR');
  return backupStore(state.engine, new NodeFileSystem(), resolvePath(destination), 0);
}
