// db.exec(source): runs every statement of `source` in order, to completion, and returns nothing
// from them. A failing statement stops the rest (what ran before it stays done).
import { expectedArgument } from '../errors';
import type { DatabaseState } from '../state';
import { nextVirtualTable, virtualTableStatement } from './virtual-table';

const NO_PARAMS: readonly never[] = [];

export function execSql(state: DatabaseState, source: unknown): void {
  if (typeof source !== 'string') throw expectedArgument(0, 'a string');
  state.requireOpen();
  state.requireNotBusy();
  state.requireNoIteratorsUnlessUnsafe();
  state.busy = true;
  try {
    let offset = 0;
    for (;;) {
      // The parser reads ahead, so it is given the text only up to the next CREATE VIRTUAL TABLE.
      const { statement, end } = virtualTableStatement(state, source, offset) ?? state.engine.prepare(source.slice(0, nextVirtualTable(state, source, offset)), offset);
      if (statement === null) break;
      offset = end;
      if (state.verbose !== null) state.verbose(statement.source);
      if (statement.reader) {
        // SQLite steps a statement of exec() until done: every row is computed, then dropped.
        const cursor = statement.iterate(NO_PARAMS);
        try {
          while (cursor.next() !== undefined);
        } finally {
          cursor.close();
        }
      } else {
        statement.run(NO_PARAMS);
      }
    }
  } finally {
    state.busy = false;
  }
}
