// Statement: a compiled statement plus better-sqlite3's per-statement settings (pluck/raw/expand,
// safeIntegers, bound parameters). Every entry point checks the database state in the order
// better-sqlite3's STATEMENT_START does, binds, marks the database busy, and runs the engine.
import type { CompiledStatement, ResultColumnInfo, RowCursor } from '../exec/compiled-statement';
import type { SqlValue } from '../value/types';
import { bindArguments, ParameterMap } from './binder';
import type { Database } from './database';
import { ALREADY_BOUND, BIND_ONCE, DB_BUSY, expectedArgument, NO_DATA, STMT_BUSY } from './errors';
import { RowMode, rowShaper, type RowShaper } from './rows';
import type { DatabaseState } from './state';

export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

export interface ColumnDefinition {
  name: string;
  column: string | null;
  table: string | null;
  database: string | null;
  type: string | null;
}

/** Only Database#prepare may construct a Statement. */
export const kCreate: unique symbol = Symbol('Statement');

const EMPTY: readonly SqlValue[] = [];

const NO_ROWS: RowCursor = { next: () => undefined, close: () => undefined };

/**
 * A cursor over the statement's rows. A statement that returns none but is treated as a reader
 * (db.pragma's `PRAGMA x = 1`, as in better-sqlite3) just runs.
 */
function openCursor(compiled: CompiledStatement, params: readonly SqlValue[]): RowCursor {
  if (compiled.reader) return compiled.iterate(params);
  compiled.run(params);
  return NO_ROWS;
}
const MAX_ITERATORS = 65535;

/**
 * What the engine's statements offer beyond CompiledStatement: the parameter slots that take a JS
 * integer as is (src/exec/engine.ts, PreparedStatement#integerSlots). Absent on other engines.
 */
interface IntegerSlots {
  integerSlots(): Uint8Array | null;
}

function integerSlotsOf(compiled: CompiledStatement): IntegerSlots | null {
  const c = compiled as CompiledStatement & Partial<IntegerSlots>;
  return typeof c.integerSlots === 'function' ? (c as IntegerSlots) : null;
}

export class Statement<BindParameters extends unknown[] = unknown[], Result = unknown> {
  readonly reader: boolean;
  readonly readonly: boolean;
  readonly source: string;
  readonly database: Database;

  readonly #state: DatabaseState;
  readonly #compiled: CompiledStatement;
  readonly #map: ParameterMap;
  readonly #integerSlots: IntegerSlots | null;
  /** Reused by every call (Invariant: a successful bind writes every slot); fixed once bound. */
  readonly #params: SqlValue[];
  #mode: RowMode = RowMode.Flat;
  #safeIntegers: boolean;
  #shape: RowShaper | null = null;
  #bound = false;
  /** True while an iterator of this statement is alive (better-sqlite3's `locked`). */
  #locked = false;

  /** @internal */
  constructor(token: typeof kCreate, state: DatabaseState, database: Database, compiled: CompiledStatement, source: string, reader: boolean) {
    if (token !== kCreate) throw new TypeError('Statements can only be constructed by the db.prepare() method');
    this.reader = reader;
    this.readonly = compiled.readonly;
    this.source = source;
    this.database = database;
    this.#state = state;
    this.#compiled = compiled;
    this.#map = new ParameterMap(compiled.parameters);
    this.#integerSlots = compiled.parameters.count === 0 ? null : integerSlotsOf(compiled);
    this.#params = compiled.parameters.count === 0 ? (EMPTY as SqlValue[]) : new Array<SqlValue>(compiled.parameters.count).fill(null);
    this.#safeIntegers = state.safeIntegers;
  }

  /** True while an iterator of this statement is open. */
  get busy(): boolean {
    return this.#locked;
  }

  run(...params: BindParameters): RunResult {
    const state = this.#state;
    state.requireOpen();
    state.requireNotBusy();
    if (this.#locked) throw new TypeError(STMT_BUSY);
    state.requireNoIteratorsUnlessUnsafe();
    const values = this.#bind(params);
    state.busy = true;
    try {
      if (state.verbose !== null) state.verbose(this.source);
      const result = this.#compiled.run(values);
      const id = result.lastInsertRowid;
      return {
        changes: result.changes,
        lastInsertRowid: this.#safeIntegers ? BigInt(id) : Number(id),
      };
    } finally {
      state.busy = false;
    }
  }

  get(...params: BindParameters): Result | undefined {
    const values = this.#start(params);
    const state = this.#state;
    state.busy = true;
    let cursor: RowCursor | null = null;
    try {
      if (state.verbose !== null) state.verbose(this.source);
      const compiled = this.#compiled;
      // Fast path: the engine can stop a query after its first row.
      const row = compiled.reader && compiled.first !== undefined ? compiled.first(values) : (cursor = openCursor(compiled, values)).next();
      return row === undefined ? undefined : (this.#shaper()(row) as Result);
    } finally {
      if (cursor !== null) cursor.close();
      state.busy = false;
    }
  }

  all(...params: BindParameters): Result[] {
    const values = this.#start(params);
    const state = this.#state;
    state.busy = true;
    let cursor: RowCursor | null = null;
    try {
      if (state.verbose !== null) state.verbose(this.source);
      cursor = openCursor(this.#compiled, values);
      const shape = this.#shaper();
      const rows: Result[] = [];
      for (let row = cursor.next(); row !== undefined; row = cursor.next()) rows.push(shape(row) as Result);
      return rows;
    } finally {
      if (cursor !== null) cursor.close();
      state.busy = false;
    }
  }

  iterate(...params: BindParameters): StatementIterator<Result> {
    if (!this.reader) throw new TypeError(NO_DATA);
    const state = this.#state;
    state.requireOpen();
    state.requireNotBusy();
    if (this.#locked) throw new TypeError(STMT_BUSY);
    if (state.iterators === MAX_ITERATORS) throw new RangeError('Too many active database iterators');
    const values = this.#bind(params);
    this.#locked = true;
    state.iterators += 1;
    return new StatementIterator<Result>(kCreate, this as unknown as Statement, state, this.#compiled, values, this.#shaper(), () => {
      this.#locked = false;
      state.iterators -= 1;
    });
  }

  bind(...params: BindParameters): this {
    if (this.#bound) throw new TypeError(BIND_ONCE);
    const state = this.#state;
    state.requireOpen();
    state.requireNotBusy();
    if (this.#locked) throw new TypeError(STMT_BUSY);
    if (this.#map.count !== 0 || params.length !== 0) bindArguments(this.#map, params, this.#params);
    this.#bound = true;
    return this;
  }

  pluck(toggle?: boolean): this {
    this.#setMode('pluck', RowMode.Pluck, arguments.length, toggle);
    return this;
  }

  expand(toggle?: boolean): this {
    this.#setMode('expand', RowMode.Expand, arguments.length, toggle);
    return this;
  }

  raw(toggle?: boolean): this {
    this.#setMode('raw', RowMode.Raw, arguments.length, toggle);
    return this;
  }

  safeIntegers(toggle?: boolean): this {
    this.#state.requireNotBusy();
    if (this.#locked) throw new TypeError(STMT_BUSY);
    if (arguments.length === 0) this.#safeIntegers = true;
    else if (typeof toggle !== 'boolean') throw expectedArgument(0, 'a boolean');
    else this.#safeIntegers = toggle;
    this.#shape = null;
    return this;
  }

  columns(): ColumnDefinition[] {
    if (!this.reader) throw new TypeError('The columns() method is only for statements that return data');
    this.#state.requireOpen();
    this.#state.requireNotBusy();
    return this.#compiled.columns.map((c: ResultColumnInfo) => ({
      name: c.name,
      column: c.column,
      table: c.table,
      database: c.database,
      type: c.type === null ? null : standardType(c.type),
    }));
  }

  /** The checks of get/all (better-sqlite3's STATEMENT_START with REQUIRE_STATEMENT_RETURNS_DATA), then bind. */
  #start(params: readonly unknown[]): readonly SqlValue[] {
    if (!this.reader) throw new TypeError(NO_DATA);
    const state = this.#state;
    state.requireOpen();
    state.requireNotBusy();
    if (this.#locked) throw new TypeError(STMT_BUSY);
    return this.#bind(params);
  }

  #bind(params: readonly unknown[]): readonly SqlValue[] {
    if (this.#bound) {
      if (params.length !== 0) throw new TypeError(ALREADY_BOUND);
      return this.#params;
    }
    if (params.length === 0 && this.#map.count === 0) return EMPTY;
    // Asked at every call: a schema change recompiles the statement and may change the answer.
    // (bind() does not use it: its values outlive any schema change.)
    const hints = this.#integerSlots;
    bindArguments(this.#map, params, this.#params, hints === null ? null : hints.integerSlots());
    return this.#params;
  }

  #setMode(method: string, mode: RowMode, argc: number, toggle: boolean | undefined): void {
    if (!this.reader) throw new TypeError(`The ${method}() method is only for statements that return data`);
    this.#state.requireNotBusy();
    if (this.#locked) throw new TypeError(STMT_BUSY);
    let use = true;
    if (argc !== 0) {
      if (typeof toggle !== 'boolean') throw expectedArgument(0, 'a boolean');
      use = toggle;
    }
    this.#mode = use ? mode : this.#mode === mode ? RowMode.Flat : this.#mode;
    this.#shape = null;
  }

  #shaper(): RowShaper {
    return (this.#shape ??= rowShaper(this.#compiled.columns, this.#mode, this.#safeIntegers));
  }
}

/**
 * What Statement#iterate returns. Execution starts at the first next() (as in better-sqlite3,
 * where sqlite3_step runs there); the statement stays locked until the rows run out, an error is
 * thrown, or return() is called — which `for...of` does on break and on a throw in its body.
 */
export class StatementIterator<Result = unknown> implements IterableIterator<Result> {
  readonly statement: Statement;

  readonly #state: DatabaseState;
  readonly #compiled: CompiledStatement;
  readonly #params: readonly SqlValue[];
  readonly #shape: RowShaper;
  readonly #release: () => void;
  #cursor: RowCursor | null = null;
  #alive = true;

  /** @internal */
  constructor(
    token: typeof kCreate,
    statement: Statement,
    state: DatabaseState,
    compiled: CompiledStatement,
    params: readonly SqlValue[],
    shape: RowShaper,
    release: () => void,
  ) {
    if (token !== kCreate) throw new TypeError('Disabled constructor');
    this.statement = statement;
    this.#state = state;
    this.#compiled = compiled;
    this.#params = params;
    this.#shape = shape;
    this.#release = release;
  }

  next(): IteratorResult<Result> {
    const state = this.#state;
    if (state.busy) throw new TypeError(DB_BUSY);
    if (!this.#alive) return { value: undefined, done: true };
    state.busy = true;
    let row: SqlValue[] | undefined;
    try {
      if (this.#cursor === null) {
        if (state.verbose !== null) state.verbose(this.statement.source);
        this.#cursor = openCursor(this.#compiled, this.#params);
      }
      row = this.#cursor.next();
    } catch (error) {
      state.busy = false;
      this.#cleanup();
      throw error;
    }
    state.busy = false;
    if (row === undefined) {
      this.#cleanup();
      return { value: undefined, done: true };
    }
    return { value: this.#shape(row) as Result, done: false };
  }

  return(): IteratorResult<Result> {
    if (this.#state.busy) throw new TypeError(DB_BUSY);
    if (this.#alive) this.#cleanup();
    return { value: undefined, done: true };
  }

  [Symbol.iterator](): this {
    return this;
  }

  #cleanup(): void {
    this.#alive = false;
    const cursor = this.#cursor;
    this.#cursor = null;
    this.#release();
    if (cursor !== null) cursor.close();
  }
}

/**
 * A declared type as SQLite reports it (sqlite3_column_decltype, since 3.37): the standard names
 * ANY, BLOB, INT, INTEGER, REAL and TEXT in upper case whatever the spelling (`integer` ->
 * `INTEGER`), any other type as written (`varchar(100)`, `bigint`). PRAGMA table_info does the same.
 */
function standardType(declType: string): string {
  const upper = declType.toUpperCase();
  return upper === 'ANY' || upper === 'BLOB' || upper === 'INT' || upper === 'INTEGER' || upper === 'REAL' || upper === 'TEXT' ? upper : declType;
}
