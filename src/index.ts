// Public surface of AmberDB: Database, Statement, AmberError (alias SqliteError) and types.
// Everything else (the engine, the API's internals) stays private.
//
// Module shape: better-sqlite3 users write `const Database = require('better-sqlite3')`, so
// `require('amberdb')` is the Database constructor itself, carrying the named exports as
// properties: `const { Database } = require('amberdb')`, `import Database from 'amberdb'` and
// `import { Database } from 'amberdb'` all work, from TypeScript and from plain JS/ESM.
import { Database } from './api/database';
import { Statement, StatementIterator } from './api/statement';
import { AmberError } from './value/amber-error';

export { Database, Statement, StatementIterator, AmberError, AmberError as SqliteError };
export default Database;

export type { DatabaseConstructor, PragmaOptions, SerializeOptions, BackupOptions } from './api/database';
export type { RunResult, ColumnDefinition } from './api/statement';
export type { DatabaseOptions } from './api/options';
export type { Transaction } from './api/methods/transaction';
export type { FunctionOptions } from './api/methods/function';
export type { AggregateOptions } from './api/methods/aggregate';
export type { Strategy, Durability, Recovery } from './api/engine-factory';
export type { SourcePosition } from './value/amber-error';

// CommonJS: replace the exports object by the constructor, with every named export on it and
// `__esModule` so TypeScript's and bundlers' interop read `.default` / `.Database` from it.
Object.assign(Database, { Database, Statement, StatementIterator, AmberError, SqliteError: AmberError, default: Database });
Object.defineProperty(Database, '__esModule', { value: true });
module.exports = Database;
