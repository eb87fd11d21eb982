// Members better-sqlite3 has that AmberDB does not support (yet). Arguments are still checked
// as better-sqlite3 checks them, so a wrong call fails the same way; a right one fails clearly.
import { AmberError } from '../../value/amber-error';
import { expectedArgument } from '../errors';
import type { DatabaseState } from '../state';

export function loadExtension(state: DatabaseState, args: readonly unknown[]): never {
  if (typeof args[0] !== 'string') throw expectedArgument(0, 'a string');
  if (args.length > 1 && typeof args[1] !== 'string') throw expectedArgument(1, 'a string');
  state.requireIdle();
  throw new AmberError('loadExtension() is not supported: AmberDB cannot load SQLite extensions', 'SQLITE_ERROR');
}
