// Statement boundaries, found by the SQL front end itself (src/sql/parser.ts parseNext): a `;`
// inside a string, a quoted name, a comment or a trigger body never ends a statement early.
import { parseNext } from '../sql/parser';
import { scanToken } from '../sql/tokenizer';
import { AmberError } from '../value/amber-error';

/** Offset of the first token at or after `offset` (skipping white space and comments). */
export function skipSpace(sql: string, offset: number): number {
  let i = offset;
  while (i < sql.length) {
    const t = scanToken(sql, i);
    if (t.kind !== 'space') return t.start;
    i = t.end;
  }
  return sql.length;
}

/**
 * Whether `sql` is ready to run, as sqlite3_complete decides for the shell: it ends with `;`
 * (after comments) and the parser does not report `incomplete input` (as it does inside
 * `CREATE TRIGGER ... BEGIN ...;` before END). Text with any other error is complete: running
 * it reports that error.
 */
export function isComplete(sql: string): boolean {
  let last = '';
  for (let i = 0; i < sql.length; ) {
    const t = scanToken(sql, i);
    if (t.kind !== 'space') last = sql.slice(t.start, t.end);
    i = t.end;
  }
  if (last !== ';') return false;
  try {
    for (let offset = 0; ; ) {
      const next = parseNext(sql, offset);
      if (next.statement === null) return true;
      offset = next.end;
    }
  } catch (e) {
    return !(e instanceof AmberError && e.message === 'incomplete input');
  }
}

export interface StatementSpan {
  readonly start: number;
  readonly end: number;
}

/**
 * The next statement of `sql` at or after `offset`: its span (from its first token to just past
 * its `;`), or null at the end. Throws the parser's AmberError (position in the whole text).
 */
export function nextStatement(sql: string, offset: number): StatementSpan | null {
  const { statement, end } = parseNext(sql, offset);
  if (statement === null) return null;
  return { start: statement.loc.start, end };
}
