// CREATE VIRTUAL TABLE t USING module(args) and DROP TABLE t for modules registered with a factory
// (`db.table(name, factory)`), as better-sqlite3 runs them. The SQL front end has no such
// statement, so the API recognizes it before the engine parses: prepare() and exec() ask
// `virtualTableStatement` first. Running it calls the factory with `this` = { module, database,
// table } and the module arguments as written (raw text between top-level commas, trimmed:
// `USING fs('/tmp', 2)` gives "'/tmp'" and "2"), checks the definition it returns, and registers it
// as a table function named `t` (so `SELECT * FROM t` and `t(params)` work).
//
// What differs from SQLite: the virtual table lives in this connection only (it is not written
// to sqlite_master, so it is not persisted, exported or introspected).
import type { CompiledStatement, RowCursor, RunResult } from '../../exec/compiled-statement';
import { MemoryEngine } from '../../exec/engine';
import { AmberError } from '../../value/amber-error';
import type { DatabaseState } from '../state';
import { factoryFor, hasFactories, parseTableDefinition, registerTable } from './table';

const IDENT = String.raw`(?:"(?:[^"]|"")*"|\[[^\]]*\]|` + '`(?:[^`]|``)*`' + String.raw`|[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*)`;
const LEAD = String.raw`(?:\s|--[^\n]*(?:\n|$)|/\*[\s\S]*?\*/)*`;
const TRIVIA = new RegExp(`^${LEAD}$`);
const CREATE = new RegExp(
  String.raw`${LEAD}CREATE\s+VIRTUAL\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?(?:(${IDENT})\s*\.\s*)?(${IDENT})\s+USING\s+(${IDENT})\s*`,
  'iy',
);
const DROP = new RegExp(String.raw`${LEAD}DROP\s+TABLE\s+(IF\s+EXISTS\s+)?(?:(${IDENT})\s*\.\s*)?(${IDENT})\s*(?:;|$)`, 'iy');

/** Virtual tables created by this connection, by lower-cased name. */
const created = new WeakMap<DatabaseState, Map<string, string>>();

function unquote(id: string): string {
  const q = id[0];
  if (q === '"' || q === '`') return id.slice(1, -1).replaceAll(q + q, q);
  if (q === '[') return id.slice(1, -1);
  return id;
}

/** Module arguments: `(a, 'b c', f(1, 2))` -> ["a", "'b c'", "f(1, 2)"]; the end offset after `)`. */
function moduleArguments(sql: string, at: number): { args: string[]; end: number } {
  if (sql[at] !== '(') return { args: [], end: at };
  const args: string[] = [];
  let depth = 0;
  let start = at + 1;
  for (let i = at + 1; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"' || c === '`') {
      const close = sql.indexOf(c, i + 1);
      if (close < 0) break;
      i = close;
    } else if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    else if ((c === ',' || c === ')') && depth === 0) {
      const text = sql.slice(start, i).trim();
      if (text !== '' || c === ',' || args.length > 0) args.push(text);
      start = i + 1;
      if (c === ')') return { args, end: i + 1 };
    }
  }
  throw new AmberError(`unrecognized token: "${sql.slice(at)}"`);
}

/** End of the statement at `at`: past white space and one `;`. */
function statementEnd(sql: string, at: number): number | null {
  let i = at;
  while (i < sql.length && /\s/.test(sql[i]!)) i++;
  if (i < sql.length && sql[i] === ';') return i + 1;
  return i === sql.length ? i : null;
}

/**
 * A CREATE VIRTUAL TABLE statement at `offset`, or a DROP TABLE of a virtual table this
 * connection created, compiled; null for anything else (the engine's to parse).
 */
export function virtualTableStatement(state: DatabaseState, sql: string, offset: number): { statement: CompiledStatement; end: number } | null {
  if (!hasFactories(state)) return null;
  CREATE.lastIndex = offset;
  const c = CREATE.exec(sql);
  if (c !== null) {
    const { args, end: argsEnd } = moduleArguments(sql, CREATE.lastIndex);
    const end = statementEnd(sql, argsEnd);
    if (end === null) return null; // let the engine report the syntax error
    const ifNotExists = c[1] !== undefined;
    const schema = c[2] === undefined ? 'main' : unquote(c[2]);
    const table = unquote(c[3]!);
    const module = unquote(c[4]!);
    const source = sql.slice(offset, end).trim();
    return { statement: writer(state, source, () => createVirtualTable(state, schema, table, module, args, ifNotExists)), end };
  }
  DROP.lastIndex = offset;
  const d = DROP.exec(sql);
  if (d !== null) {
    const table = unquote(d[3]!);
    const mine = created.get(state);
    if (!mine?.has(table.toLowerCase()) || (d[2] !== undefined && unquote(d[2]).toLowerCase() !== 'main')) return null;
    const source = sql.slice(offset, DROP.lastIndex).trim();
    return {
      statement: writer(state, source, () => {
        if (!mine.delete(table.toLowerCase())) {
          if (d[1] !== undefined) return;
          throw new AmberError(`no such table: ${table}`);
        }
        engineOf(state).services.tableFunctions.delete(table.toLowerCase());
        engineOf(state).store.schemaVersion++;
      }),
      end: DROP.lastIndex,
    };
  }
  return null;
}

/** Where the next CREATE VIRTUAL TABLE after `offset` starts (the text's length if none). */
export function nextVirtualTable(state: DatabaseState, sql: string, offset: number): number {
  if (!hasFactories(state)) return sql.length;
  const re = /\bCREATE\s+VIRTUAL\s+TABLE\b/gi;
  re.lastIndex = offset;
  for (let m = re.exec(sql); m !== null; m = re.exec(sql)) {
    // The statement at `offset` itself is virtualTableStatement's (or, malformed, the parser's).
    if (!TRIVIA.test(sql.slice(offset, m.index))) return m.index;
  }
  return sql.length;
}

function engineOf(state: DatabaseState): MemoryEngine {
  if (!(state.engine instanceof MemoryEngine)) throw new AmberError('virtual tables need the AmberDB engine');
  return state.engine;
}

function createVirtualTable(state: DatabaseState, schema: string, table: string, module: string, args: string[], ifNotExists: boolean): void {
  if (schema.toLowerCase() !== 'main') throw new AmberError(`unknown database ${schema}`);
  const engine = engineOf(state);
  const lower = table.toLowerCase();
  let mine = created.get(state);
  if (!mine) created.set(state, (mine = new Map()));
  const exists = engine.store.getTable(table) !== undefined || engine.store.views.has(lower) || mine.has(lower);
  if (exists) {
    if (ifNotExists) return;
    throw new AmberError(`table ${table} already exists`);
  }
  const factory = factoryFor(state, module);
  if (!factory) throw new AmberError(`no such module: ${module}`);
  const def: unknown = factory.factory.apply({ module: factory.name, database: schema, table }, args);
  if (typeof def !== 'object' || def === null) {
    throw new TypeError(`Virtual table module "${factory.name}" did not return a table definition object`);
  }
  registerTable(state, table, parseTableDefinition(def, 'returned', factory.name), factory.name);
  mine.set(lower, factory.name);
}

/** A statement without rows or parameters that runs `action`. */
function writer(state: DatabaseState, source: string, action: () => void): CompiledStatement {
  const run = (): RunResult => {
    action();
    // A schema statement reports the last write's figures, as sqlite3_changes() does.
    const services = engineOf(state).services;
    return { changes: services.lastChanges, lastInsertRowid: services.lastInsertRowid };
  };
  return {
    source,
    reader: false,
    readonly: false,
    columns: [],
    parameters: { count: 0, names: [] },
    run,
    iterate(): RowCursor {
      run();
      return { next: () => undefined, close: () => undefined };
    },
  };
}
