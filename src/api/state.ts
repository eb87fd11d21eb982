// The mutable state one Database shares with its statements and iterators. better-sqlite3 keeps
// the same flags in C++ (`open`, `busy`, `iterators`, `safe_ints`, `unsafe_mode`); the checks
// below are its REQUIRE_* macros, in the same order, so the same misuse gives the same error.
import type { Engine } from '../exec/compiled-statement';
import { DB_BUSY, NOT_OPEN } from './errors';

export class DatabaseState {
  open = true;
  /** True while a statement runs: a user function that calls back into the database is refused. */
  busy = false;
  /** Iterators that have not finished; while any is alive, writes are refused unless unsafe. */
  iterators = 0;
  safeIntegers = false;
  unsafe = false;

  constructor(
    readonly engine: Engine,
    readonly name: string,
    readonly memory: boolean,
    readonly readonly: boolean,
    readonly verbose: ((message?: unknown, ...more: unknown[]) => void) | null,
  ) {}

  requireOpen(): void {
    if (!this.open) throw new TypeError(NOT_OPEN);
  }

  requireNotBusy(): void {
    if (this.busy) throw new TypeError(DB_BUSY);
  }

  requireNoIterators(): void {
    if (this.iterators !== 0) throw new TypeError(DB_BUSY);
  }

  requireNoIteratorsUnlessUnsafe(): void {
    if (this.iterators !== 0 && !this.unsafe) throw new TypeError(DB_BUSY);
  }

  /** open + not busy + no iterators: what every schema-changing Database method checks. */
  requireIdle(): void {
    this.requireOpen();
    this.requireNotBusy();
    this.requireNoIterators();
  }
}
