// db.pragma(source, { simple }): runs `PRAGMA <source>`; all rows, or with `simple` the first
// column of the first row.
import type { Database } from '../database';
import { booleanOption, expectedArgument } from '../errors';
import type { DatabaseState } from '../state';
import { prepareStatement } from './prepare';

export function runPragma(db: Database, state: DatabaseState, source: unknown, options: unknown): unknown {
  if (options == null) options = {};
  if (typeof source !== 'string') throw expectedArgument(0, 'a string');
  if (typeof options !== 'object') throw expectedArgument(1, 'an options object');
  const simple = booleanOption(options as object, 'simple');
  const stmt = prepareStatement(db, state, `PRAGMA ${source}`, true);
  return simple ? stmt.pluck().get() : stmt.all();
}
