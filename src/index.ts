// Public surface of AmberDB: Database, Statement, AmberError (alias SqliteError) and types.
export { AmberError, AmberError as SqliteError } from './value/amber-error';
