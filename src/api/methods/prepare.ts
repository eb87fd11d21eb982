// db.prepare(source): compiles exactly one statement. Like better-sqlite3, white space, `;` and
// comments may follow it; anything else is "more than one statement".
import type { Database } from '../database';
import { expectedArgument } from '../errors';
import type { DatabaseState } from '../state';
import { kCreate, Statement } from '../statement';
import { virtualTableStatement } from './virtual-table';

function isSkipped(code: number): boolean {
  return code === 32 || code === 59 || (code >= 9 && code <= 13); // ' ', ';', \t..\r
}

/** True when only white space, `;` and comments follow `offset` (better-sqlite3's tail check). */
export function onlyTrivia(sql: string, offset: number): boolean {
  let i = offset;
  while (i < sql.length) {
    const c = sql.charCodeAt(i);
    if (isSkipped(c)) i++;
    else if (c === 47 && sql.charCodeAt(i + 1) === 42) {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? sql.length : close + 2;
    } else if (c === 45 && sql.charCodeAt(i + 1) === 45) {
      const nl = sql.indexOf('\n', i + 2);
      i = nl < 0 ? sql.length : nl + 1;
    } else return false;
  }
  return true;
}

/**
 * Prepares `source` for `db`. In pragma mode (db.pragma) the statement always counts as a reader,
 * as better-sqlite3's does, so `PRAGMA x = 1` answers [] from all().
 */
export function prepareStatement(db: Database, state: DatabaseState, source: unknown, pragmaMode: boolean): Statement {
  if (typeof source !== 'string') throw expectedArgument(0, 'a string');
  state.requireOpen();
  state.requireNotBusy();
  if (pragmaMode) state.requireNoIteratorsUnlessUnsafe();
  const { statement, end } = virtualTableStatement(state, source, 0) ?? state.engine.prepare(source, 0);
  if (statement === null) throw new RangeError('The supplied SQL string contains no statements');
  if (!onlyTrivia(source, end)) throw new RangeError('The supplied SQL string contains more than one statement');
  return new Statement(kCreate, state, db, statement, source, statement.reader || pragmaMode);
}
