// The shapes a benchmark workload is written against. A workload is data (bench/workloads/*.ts):
// which tables to build, which statement to time and how to check that both engines agree.
// Both engines are driven through the same small better-sqlite3-shaped interface, so the timed
// code is the same JavaScript on both sides.

export const MODES = ['smoke', 'quick', 'full'] as const;
export type Mode = (typeof MODES)[number];

export const ENGINES = ['amberdb', 'better-sqlite3'] as const;
export type EngineName = (typeof ENGINES)[number];

export interface RunResultLike {
  changes: number;
  lastInsertRowid: number | bigint;
}

export interface BenchStatement {
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
  run(...params: unknown[]): RunResultLike;
}

/** The part of better-sqlite3's Database both engines are benchmarked through. */
export interface BenchDatabase {
  prepare(sql: string): BenchStatement;
  exec(sql: string): unknown;
  transaction<A extends unknown[]>(fn: (...args: A) => unknown): (...args: A) => unknown;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  close(): unknown;
  /** AmberDB only (DESIGN §2), absent until persistence is wired. */
  transactionAsync?: (fn: () => unknown) => unknown;
  flush?: () => Promise<unknown>;
  /** AmberDB only: db.stats() (fsyncs, commits, log, checkpoints). */
  stats?: () => unknown;
  /** AmberDB only: a complete checkpoint now. */
  checkpoint?: () => unknown;
}

export interface Target {
  readonly engine: EngineName;
  readonly db: BenchDatabase;
  /** Where a durable target lives: AmberDB's directory, better-sqlite3's file. */
  readonly path?: string;
}

export type Strategy = 'hybrid' | 'snapshot' | 'log';
export type Durability = 'commit' | 'interval' | 'none';

/** Where a persistence workload keeps its data on each side; null: that side has no such row. */
export interface DurableStorage {
  readonly amberdb: {
    readonly strategy: Strategy;
    readonly durability: Durability;
    readonly needs?: readonly ('transactionAsync' | 'flush')[];
    /** More constructor options (checkpointLogBytes, checkpointIntervalMs, ...). */
    readonly options?: Readonly<Record<string, number | string>>;
  } | null;
  readonly sqlite: { readonly journalMode: 'WAL' | 'DELETE'; readonly synchronous: 'OFF' | 'NORMAL' | 'FULL' } | null;
}

export type Group = 'better-sqlite3' | 'analytics' | 'persistence';

export interface Workload {
  /** Stable id: the --filter matches it, the JSON keys on it. */
  readonly name: string;
  readonly group: Group;
  readonly description: string;
  /** Where the workload comes from, when it copies someone else's. */
  readonly origin?: string;
  /** Data size (rows) per mode; one result row per size; an empty list skips the mode. */
  readonly sizes: Readonly<Record<Mode, readonly number[]>>;
  /** Whether the size is part of the row's name (false for fixed-size workloads). */
  readonly showSize: boolean;
  /** Absent: ':memory:' on both engines. */
  readonly storage?: DurableStorage;
  /** Operations one call of the timed function counts for (default 1). */
  readonly opsPerCall?: number;
  /** The timed function returns a promise that is awaited. */
  readonly async?: boolean;
  /** Schema and data, outside the timed part. */
  setup(t: Target, size: number): void;
  /** Before every round, outside the timed part (e.g. delete what the last round inserted). */
  reset?(t: Target, size: number): void;
  /** Run before timing on both engines; the results must be equal or the workload fails. */
  check(t: Target, size: number): unknown;
  /** Prepares (outside the timed part) and returns the function that is timed. */
  op(t: Target, size: number): () => unknown;
  /**
   * Figures beside ops/s (DESIGN §8: fsyncs per commit, bytes on disk per row, recovery time,
   * event-loop stalls), read after the timed rounds, before the target is closed. Null: none.
   */
  metrics?(t: Target, size: number): Readonly<Record<string, number>> | null;
}
