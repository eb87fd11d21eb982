// db.transaction(fn): better-sqlite3's transaction functions. Outside a transaction a call runs
// BEGIN [DEFERRED|IMMEDIATE|EXCLUSIVE] ... COMMIT, and ROLLBACK when fn throws; inside one (a nested
// call, or after a manual BEGIN) it runs SAVEPOINT ... RELEASE, and ROLLBACK TO + RELEASE on a throw.
// If fn itself ended the transaction before throwing, nothing is undone twice. The statements are
// prepared once per database and are the same text as better-sqlite3's.
import type { Database } from '../database';
import { expectedArgument, TX_PROMISE } from '../errors';
import type { DatabaseState } from '../state';
import type { Statement } from '../statement';
import { prepareStatement } from './prepare';

interface Controller {
  readonly begin: Statement;
  readonly commit: Statement;
  readonly rollback: Statement;
  readonly savepoint: Statement;
  readonly release: Statement;
  readonly rollbackTo: Statement;
}

interface Controllers {
  readonly default: Controller;
  readonly deferred: Controller;
  readonly immediate: Controller;
  readonly exclusive: Controller;
}

const controllers = new WeakMap<DatabaseState, Controllers>();

function getControllers(db: Database, state: DatabaseState): Controllers {
  let found = controllers.get(state);
  if (found === undefined) {
    const prepare = (sql: string): Statement => prepareStatement(db, state, sql, false);
    const shared = {
      commit: prepare('COMMIT'),
      rollback: prepare('ROLLBACK'),
      savepoint: prepare('SAVEPOINT `\t_bs3.\t`'),
      release: prepare('RELEASE `\t_bs3.\t`'),
      rollbackTo: prepare('ROLLBACK TO `\t_bs3.\t`'),
    };
    found = {
      default: { begin: prepare('BEGIN'), ...shared },
      deferred: { begin: prepare('BEGIN DEFERRED'), ...shared },
      immediate: { begin: prepare('BEGIN IMMEDIATE'), ...shared },
      exclusive: { begin: prepare('BEGIN EXCLUSIVE'), ...shared },
    };
    controllers.set(state, found);
  }
  return found;
}

/** A transaction function: call it directly, or pick the BEGIN flavour with a property. */
export interface Transaction<F extends (...args: never[]) => unknown> {
  (...args: Parameters<F>): ReturnType<F>;
  readonly default: Transaction<F>;
  readonly deferred: Transaction<F>;
  readonly immediate: Transaction<F>;
  readonly exclusive: Transaction<F>;
  readonly database: Database;
}

function wrap(fn: (...args: unknown[]) => unknown, state: DatabaseState, c: Controller): (...args: unknown[]) => unknown {
  const { begin, commit, rollback, savepoint, release, rollbackTo } = c;
  return function sqliteTransaction(this: unknown, ...args: unknown[]): unknown {
    const nested = state.open && state.engine.inTransaction;
    const before = nested ? savepoint : begin;
    const after = nested ? release : commit;
    const undo = nested ? rollbackTo : rollback;
    before.run();
    try {
      const result = fn.apply(this, args);
      if (result !== null && (typeof result === 'object' || typeof result === 'function') && typeof (result as { then?: unknown }).then === 'function') {
        throw new TypeError(TX_PROMISE);
      }
      after.run();
      return result;
    } catch (error) {
      if (state.open && state.engine.inTransaction) {
        undo.run();
        if (undo !== rollback) after.run();
      }
      throw error;
    }
  };
}

export function createTransaction<F extends (...args: never[]) => unknown>(db: Database, state: DatabaseState, fn: F): Transaction<F> {
  if (typeof fn !== 'function') throw expectedArgument(0, 'a function');
  const c = getControllers(db, state);
  const body = fn as unknown as (...args: unknown[]) => unknown;
  const variants = {
    default: wrap(body, state, c.default),
    deferred: wrap(body, state, c.deferred),
    immediate: wrap(body, state, c.immediate),
    exclusive: wrap(body, state, c.exclusive),
  };
  const properties: PropertyDescriptorMap = {
    default: { value: variants.default },
    deferred: { value: variants.deferred },
    immediate: { value: variants.immediate },
    exclusive: { value: variants.exclusive },
    database: { value: db, enumerable: true },
  };
  for (const f of Object.values(variants)) Object.defineProperties(f, properties);
  return variants.default as unknown as Transaction<F>;
}

/**
 * Calls `fn` as `db.transaction(fn)()` would, without building the transaction function and its
 * four variants (transactionAsync runs once per commit: that setup was ~6% of its time).
 */
export function runAsTransaction<T>(db: Database, state: DatabaseState, fn: () => T): T {
  return wrap(fn, state, getControllers(db, state).default)() as T;
}
