// db.table(name, definition | factory): table-valued functions, as better-sqlite3 defines them.
// A definition `{ columns, parameters?, rows: function* (...params) {}, safeIntegers?, directOnly? }`
// is usable at once as `SELECT * FROM name(args)` or `SELECT * FROM name WHERE param = ?` (an
// eponymous virtual table). A factory `(...args) => definition` is called by
// `CREATE VIRTUAL TABLE t USING name(args)` (see virtual-table.ts), with `this` = { module,
// database, table }. Parameters default to `$1, $2, ...` from `rows.length`.
//
// Here: the argument checks with better-sqlite3's exact messages, and the row conversion (each
// yielded array or object becomes parameters' values, then columns'). The engine side, which
// feeds parameters and plans joins, is src/exec/table-functions.ts.
import type { UserTableFunction } from '../../exec/table-functions';
import type { SqlValue } from '../../value/types';
import { expectedArgument } from '../errors';
import type { DatabaseState } from '../state';
import { fromJs, INVALID, toJs, TOO_BIG } from '../values';

const GeneratorFunctionPrototype: unknown = Object.getPrototypeOf(function* () {});
const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** A checked definition, before it is bound to a name. */
export interface TableDefinition {
  readonly columns: readonly string[];
  readonly parameters: readonly string[];
  readonly rows: (...args: unknown[]) => Iterator<unknown>;
  /** null: the database's default when registered. */
  readonly safeIntegers: boolean | null;
  readonly directOnly: boolean;
}

export type TableFactory = (this: { module: string; database: string; table: string }, ...args: string[]) => unknown;

/** Registered modules that only CREATE VIRTUAL TABLE can use (the factory form), by lower-cased name. */
const factories = new WeakMap<DatabaseState, Map<string, { name: string; factory: TableFactory }>>();

/** Whether prepare() and exec() must look for CREATE VIRTUAL TABLE (a factory was registered). */
export function hasFactories(state: DatabaseState): boolean {
  return (factories.get(state)?.size ?? 0) > 0;
}

export function factoryFor(state: DatabaseState, module: string): { name: string; factory: TableFactory } | undefined {
  return factories.get(state)?.get(module.toLowerCase());
}

export function defineTable(state: DatabaseState, name: unknown, factory: unknown): void {
  if (typeof name !== 'string') throw expectedArgument(0, 'a string');
  if (!name) throw new TypeError('Virtual table module name cannot be an empty string');
  if (typeof factory === 'object' && factory !== null) {
    const def = parseTableDefinition(factory, 'used', name);
    state.requireIdle();
    registerTable(state, name, def);
    return;
  }
  if (typeof factory !== 'function') throw new TypeError('Expected second argument to be a function or a table definition object');
  state.requireIdle();
  let map = factories.get(state);
  if (!map) factories.set(state, (map = new Map()));
  map.set(name.toLowerCase(), { name, factory: factory as TableFactory });
}

/** Makes `def` usable in FROM under `name` (a module's own name, or a virtual table's). */
export function registerTable(state: DatabaseState, name: string, def: TableDefinition, moduleName = name): void {
  const engine = state.engine;
  if (!engine.registerTableFunction) throw new Error('This engine has no table-valued functions');
  // Without the option, the database's default when the table is first used (when SQLite
  // connects an eponymous table), as in better-sqlite3.
  engine.registerTableFunction(bindDefinition(name, def, () => def.safeIntegers ?? state.safeIntegers, moduleName));
}

export function parseTableDefinition(def: object, verb: 'used' | 'returned', moduleName: string): TableDefinition {
  const bad = (what: string) => new TypeError(`Virtual table module "${moduleName}" ${verb} a table definition ${what}`);
  if (!hasOwn(def, 'rows')) throw bad('without a "rows" property');
  if (!hasOwn(def, 'columns')) throw bad('without a "columns" property');
  const d = def as Record<string, unknown>;
  const rows = d.rows;
  if (typeof rows !== 'function' || Object.getPrototypeOf(rows) !== GeneratorFunctionPrototype) {
    throw bad('with an invalid "rows" property (should be a generator function)');
  }
  let columns = d.columns;
  if (!Array.isArray(columns) || !(columns = [...(columns as unknown[])]).every((x: unknown) => typeof x === 'string')) {
    throw bad('with an invalid "columns" property (should be an array of strings)');
  }
  const cols = columns as string[];
  if (cols.length !== new Set(cols).size) throw bad('with duplicate column names');
  if (cols.length === 0) throw new RangeError(`Virtual table module "${moduleName}" ${verb} a table definition with zero columns`);

  let parameters: string[];
  if (hasOwn(def, 'parameters')) {
    const p = d.parameters;
    if (!Array.isArray(p) || !(p as unknown[]).every((x) => typeof x === 'string')) {
      throw bad('with an invalid "parameters" property (should be an array of strings)');
    }
    parameters = [...(p as string[])];
  } else {
    const length = (rows as { length: unknown }).length;
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 0) throw new TypeError('Expected function.length to be a positive integer');
    parameters = Array.from({ length }, (_, i) => `$${i + 1}`);
  }
  if (parameters.length !== new Set(parameters).size) throw bad('with duplicate parameter names');
  if (parameters.length > 32) {
    throw new RangeError(`Virtual table module "${moduleName}" ${verb} a table definition with more than the maximum number of 32 parameters`);
  }
  for (const p of parameters) {
    if (cols.includes(p)) throw bad(`with column "${p}" which was ambiguously defined as both a column and parameter`);
  }
  let safeIntegers: boolean | null = null;
  if (hasOwn(def, 'safeIntegers')) {
    if (typeof d.safeIntegers !== 'boolean') throw bad('with an invalid "safeIntegers" property (should be a boolean)');
    safeIntegers = d.safeIntegers;
  }
  let directOnly = false;
  if (hasOwn(def, 'directOnly')) {
    if (typeof d.directOnly !== 'boolean') throw bad('with an invalid "directOnly" property (should be a boolean)');
    directOnly = d.directOnly;
  }
  return { columns: cols, parameters, rows: rows as TableDefinition['rows'], safeIntegers, directOnly };
}

/** The engine's view of a definition: SqlValues in, rows of SqlValues out. */
function bindDefinition(tableName: string, def: TableDefinition, resolveSafeIntegers: () => boolean, name: string): UserTableFunction {
  let safeIntegers: boolean | null = null;
  const { columns, parameters } = def;
  const width = parameters.length + columns.length;
  const columnIndex = new Map(columns.map((c, i) => [c, parameters.length + i]));
  const value = (v: unknown): SqlValue => {
    const converted = fromJs(v);
    if (converted === INVALID) throw new TypeError(`Virtual table module "${name}" yielded an invalid value`);
    if (converted === TOO_BIG) throw new RangeError(`Virtual table module "${name}" yielded a bigint that was too big`);
    return converted;
  };
  return {
    name: tableName,
    columns,
    parameters,
    *rows(args) {
      safeIntegers ??= resolveSafeIntegers();
      const safe = safeIntegers;
      const jsArgs = args.map((a) => (a === undefined ? undefined : toJs(a, safe)));
      // The hidden columns show the arguments as the generator got them (a copy: it may mutate them).
      const hidden = jsArgs.map(value);
      const generator = def.rows(...jsArgs);
      for (let next = generator.next(); next.done !== true; next = generator.next()) {
        const row: unknown = next.value;
        const out: SqlValue[] = new Array<SqlValue>(width);
        for (let i = 0; i < hidden.length; i++) out[i] = hidden[i]!;
        if (Array.isArray(row)) {
          if (row.length !== columns.length) throw new TypeError(`Virtual table module "${name}" yielded a row with an incorrect number of columns`);
          for (let i = 0; i < columns.length; i++) out[parameters.length + i] = value(row[i]);
        } else if (typeof row === 'object' && row !== null) {
          let count = 0;
          for (const key of Object.keys(row)) {
            const at = columnIndex.get(key);
            if (at === undefined) throw new TypeError(`Virtual table module "${name}" yielded a row with an undeclared column "${key}"`);
            out[at] = value((row as Record<string, unknown>)[key]);
            count++;
          }
          if (count !== columns.length) throw new TypeError(`Virtual table module "${name}" yielded a row with missing columns`);
        } else {
          throw new TypeError(`Virtual table module "${name}" yielded something that isn't a valid row object`);
        }
        yield out;
      }
    },
  };
}

/** What a caller passes (the public type of a definition). */
export interface TableDefinitionOptions {
  columns: string[];
  parameters?: string[];
  rows: (...args: never[]) => Generator<unknown[] | Record<string, unknown>, void, undefined>;
  safeIntegers?: boolean;
  directOnly?: boolean;
}
