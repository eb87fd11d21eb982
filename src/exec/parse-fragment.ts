// Parses the SQL fragments the catalog keeps as text (view bodies) back into AST.
import { AmberError } from '../value/amber-error';
import { parseNext } from '../sql/parser';
import type { SelectStatement } from '../sql/ast';

export function parseSelect(sql: string): SelectStatement {
  const { statement } = parseNext(sql, 0);
  if (statement === null || statement.kind !== 'select') throw new AmberError(`malformed view body: ${sql}`, 'SQLITE_CORRUPT');
  return statement;
}
