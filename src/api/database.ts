// Database: the better-sqlite3-shaped handle on one engine. It owns the DatabaseState its
// statements share; every member checks that state the way better-sqlite3 does, then delegates to
// one function in methods/. `Database` is callable with or without `new`, as better-sqlite3's is.
import { inspect } from 'node:util';
import type { Engine } from '../exec/compiled-statement';
import { createEngine } from './engine-factory';
import { expectedArgument } from './errors';
import { defineAggregate, type AggregateOptions } from './methods/aggregate';
import { execSql } from './methods/exec';
import * as persistence from './methods/persistence';
import { deserialize, serialize } from './methods/serialize';
import { exportSqlite, importSqlite } from './methods/sqlite-file';
import type { ImportResult } from './sqlite-file/importer';
import type { CheckpointResult, PersistenceStats } from './persistence/durable-engine';
import { defineFunction, type FunctionOptions } from './methods/function';
import { runPragma } from './methods/pragma';
import { defineTable, type TableDefinitionOptions } from './methods/table';
import { prepareStatement } from './methods/prepare';
import { createTransaction, type Transaction } from './methods/transaction';
import * as unsupported from './methods/unsupported';
import { parseOpenArguments, type DatabaseOptions } from './options';
import { DatabaseState } from './state';
import type { Statement } from './statement';

/** The engine and flags behind a Database; a symbol keeps them off the public surface. */
const kState: unique symbol = Symbol('state');

export interface PragmaOptions {
  simple?: boolean;
}

export interface SerializeOptions {
  attached?: string;
}

export interface BackupOptions {
  attached?: string;
  progress?: (info: { totalPages: number; remainingPages: number }) => number | void;
}

function getter<T>(read: (state: DatabaseState) => T): PropertyDescriptor {
  return {
    get(this: DatabaseImpl) {
      return read(this[kState]);
    },
    enumerable: true,
  };
}

// Own enumerable getters, as better-sqlite3 defines them: `Object.keys(db)` and `console.log(db)`
// show name, open, inTransaction, readonly, memory.
const GETTERS: PropertyDescriptorMap = {
  name: getter((s) => s.name),
  open: getter((s) => s.open),
  inTransaction: getter((s) => s.open && s.engine.inTransaction),
  readonly: getter((s) => s.readonly),
  memory: getter((s) => s.memory),
};

class DatabaseImpl {
  declare readonly name: string;
  declare readonly open: boolean;
  declare readonly inTransaction: boolean;
  declare readonly readonly: boolean;
  declare readonly memory: boolean;
  declare readonly [kState]: DatabaseState;

  constructor(filename?: string | Buffer, options?: DatabaseOptions) {
    // new Database(buffer): a serialized database (a SQLite file image) opened in memory.
    const image = Buffer.isBuffer(filename) ? filename : null;
    const parsed = parseOpenArguments(image !== null ? ':memory:' : filename, options, image !== null);
    const engine: Engine = createEngine(parsed.engine);
    const state = new DatabaseState(engine, parsed.name, parsed.memory, parsed.engine.readonly, parsed.engine.verbose);
    Object.defineProperty(this, kState, { value: state });
    Object.defineProperties(this, GETTERS);
    if (image !== null) deserialize(this, state, image, parsed.engine.readonly);
  }

  prepare<BindParameters extends unknown[] | {} = unknown[], Result = unknown>(
    source: string,
  ): Statement<BindParameters extends unknown[] ? BindParameters : [BindParameters], Result> {
    return prepareStatement(this, this[kState], source, false) as never;
  }

  exec(source: string): this {
    execSql(this[kState], source);
    return this;
  }

  transaction<F extends (...args: never[]) => unknown>(fn: F): Transaction<F> {
    return createTransaction(this, this[kState], fn);
  }

  pragma(source: string, options?: PragmaOptions): unknown {
    return runPragma(this, this[kState], source, options);
  }

  function(name: string, fn: (...args: never[]) => unknown): this;
  function(name: string, options: FunctionOptions, fn: (...args: never[]) => unknown): this;
  function(name: string, options: unknown, fn?: unknown): this {
    defineFunction(this[kState], name, options, fn);
    return this;
  }

  aggregate(name: string, options: AggregateOptions): this {
    defineAggregate(this[kState], name, options);
    return this;
  }

  /** Not supported: AmberDB cannot load SQLite extensions (throws an AmberError). */
  loadExtension(path: string, entryPoint?: string): this {
    unsupported.loadExtension(this[kState], [path, entryPoint].slice(0, arguments.length));
  }

  /** The database as a SQLite file image (what `new Database(buffer)` and SQLite itself open). */
  serialize(options?: SerializeOptions): Buffer {
    return serialize(this, this[kState], options);
  }

  /** Writes the database as a real SQLite database file at `file` (write-temp, fsync, rename). */
  exportSqlite(file: string): this {
    exportSqlite(this, this[kState], file);
    return this;
  }

  /** Loads a SQLite database file's schema, rows, sqlite_sequence and user_version, in one transaction. */
  importSqlite(file: string): ImportResult {
    return importSqlite(this, this[kState], file);
  }

  /**
   * Writes a consistent copy of the database, as of this call, into directory `destination`
   * (created; must not already hold a database): a snapshot, an empty log and a MANIFEST.
   */
  backup(destination: string, options?: BackupOptions): Promise<{ totalPages: number; remainingPages: number }> {
    return persistence.backup(this[kState], destination, options);
  }

  /** Resolves once everything committed so far is durable (DESIGN §2 async durability). */
  flush(): Promise<void> {
    return persistence.flush(this[kState]);
  }

  /**
   * Runs `fn` synchronously as a transaction (like `transaction(fn)()`) and resolves with its
   * result once that commit is durable; concurrent calls share one fsync (group commit).
   */
  transactionAsync<T>(fn: () => T): Promise<T> {
    return persistence.transactionAsync(this, this[kState], fn);
  }

  /** Forces a checkpoint now (snapshot + MANIFEST switch + old log removed); null without a directory. */
  checkpoint(): CheckpointResult | null {
    return persistence.checkpoint(this[kState]);
  }

  /** Memory, rows per table, log size, last checkpoint, recovery figures. */
  stats(): PersistenceStats {
    return persistence.stats(this[kState]);
  }

  /** A table-valued function: a definition `{ columns, parameters?, rows: function* }`, or a factory for CREATE VIRTUAL TABLE. */
  table(name: string, definition: TableDefinitionOptions | ((...args: string[]) => TableDefinitionOptions)): this {
    defineTable(this[kState], name, definition);
    return this;
  }

  close(): this {
    const state = this[kState];
    if (state.open) {
      state.requireNotBusy();
      state.requireNoIterators();
      state.open = false;
      state.engine.close();
    }
    return this;
  }

  defaultSafeIntegers(toggle?: boolean): this {
    const state = this[kState];
    if (arguments.length === 0) state.safeIntegers = true;
    else if (typeof toggle !== 'boolean') throw expectedArgument(0, 'a boolean');
    else state.safeIntegers = toggle;
    return this;
  }

  unsafeMode(toggle?: boolean): this {
    const state = this[kState];
    if (arguments.length === 0) state.unsafe = true;
    else if (typeof toggle !== 'boolean') throw expectedArgument(0, 'a boolean');
    else state.unsafe = toggle;
    return this;
  }

  [inspect.custom](): object {
    // Same display as better-sqlite3: `Database { name: '', open: true, ... }`.
    return Object.assign(new DatabaseInspection(), this);
  }
}
Object.defineProperty(DatabaseImpl, 'name', { value: 'Database' });

const DatabaseInspection = function Database() {} as unknown as new () => object;

/** A Database; `Database` is also its constructor, callable without `new`. */
export type Database = DatabaseImpl;

export interface DatabaseConstructor {
  new (filename?: string | Buffer, options?: DatabaseOptions): Database;
  (filename?: string | Buffer, options?: DatabaseOptions): Database;
  readonly prototype: Database;
}

// A plain function in front of the class, so `Database(':memory:')` works like `new Database(...)`.
// Reflect.construct with new.target keeps subclasses (`class MyDb extends Database`) intact.
function DatabaseFunction(this: unknown, filename?: string | Buffer, options?: DatabaseOptions): Database {
  return Reflect.construct(DatabaseImpl, [filename, options], new.target ?? DatabaseImpl) as Database;
}
Object.defineProperty(DatabaseFunction, 'name', { value: 'Database' });
DatabaseFunction.prototype = DatabaseImpl.prototype;
Object.defineProperty(DatabaseImpl.prototype, 'constructor', { value: DatabaseFunction, writable: true, configurable: true });

export const Database = DatabaseFunction as unknown as DatabaseConstructor;
