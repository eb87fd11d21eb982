// serialize() and new Database(buffer), as better-sqlite3 has them: the serialized form is a
// SQLite database file image (what SQLite's sqlite3_serialize returns), so a buffer from
// better-sqlite3's db.serialize() opens here and ours opens there.
import { AmberError } from '../../value/amber-error';
import type { Database } from '../database';
import { expectedArgument } from '../errors';
import type { DatabaseState } from '../state';
import { importSqliteBytes } from '../sqlite-file/importer';
import { sqliteBytes, storeOf } from './sqlite-file';

export function serialize(db: Database, state: DatabaseState, options: unknown): Buffer {
  if (options == null) options = {};
  if (typeof options !== 'object') throw expectedArgument(0, 'an options object');
  const attached: unknown = 'attached' in (options as object) ? (options as { attached: unknown }).attached : 'main';
  if (typeof attached !== 'string') throw new TypeError('Expected the "attached" option to be a string');
  if (!attached) throw new TypeError('The "attached" option cannot be an empty string');
  state.requireIdle();
  if (attached.toLowerCase() !== 'main') throw new AmberError(`unknown database ${attached}`, 'SQLITE_ERROR');
  const bytes = sqliteBytes(db, state);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Loads a serialized image into a freshly opened (empty, memory) database. `readonly` then makes
 * every commit fail as SQLite fails a write to a read-only database (the store hands commits to a
 * sink that refuses them, and rolls each one back).
 */
export function deserialize(db: Database, state: DatabaseState, buffer: Uint8Array, readonly = false): void {
  const store = storeOf(state);
  importSqliteBytes(db, state, store, buffer);
  if (readonly) {
    store.readonly = true;
    store.sink = {
      commit(): void {
        throw new AmberError('attempt to write a readonly database', 'SQLITE_READONLY');
      },
    };
  }
}
