// Every statement in VALID_STATEMENTS parses, and SQLite agrees that it is valid syntax.
import { parseScript } from '../../src/sql/parser';
import { isSyntaxMessage, sqliteError } from './oracle';
import { VALID_STATEMENTS } from './valid-statements';

describe('valid statements', () => {
  test('SQLite accepts the syntax of every statement in the table', () => {
    const rejected = VALID_STATEMENTS.map((sql) => ({ sql, error: sqliteError(sql) })).filter((r) => isSyntaxMessage(r.error));
    expect(rejected).toEqual([]);
  });

  test.each(VALID_STATEMENTS.map((sql) => [sql]))('parses: %s', (sql) => {
    const statements = parseScript(sql);
    expect(statements).toHaveLength(1);
  });
});
