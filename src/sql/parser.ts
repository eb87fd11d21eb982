// SQL text -> AST statements, one at a time, with SQLite's syntax error messages.
//
// How statements are split: there is no separate splitter. The generated parser runs in peggy's
// library mode from the start rule NextStatement, beginning at `offset` (peggy's `peg$currPos`
// option) in the WHOLE text. The rule skips white space, comments and empty `;`, parses one
// statement and its terminating `;`, and peggy hands back where it stopped. Because the grammar
// itself does the splitting, a `;` inside a string, a quoted name, a comment or a CREATE TRIGGER
// ... BEGIN ... END body never ends a statement early, and every position in the AST is an
// offset into the whole text (line/column come from a line index of that text).
//
// How errors are worded: SQLite reports the first token at which its LALR parser cannot go on.
// peggy's farthest failure position is the analogue (lexical rules are named, so it is always a
// token start); src/sql/tokenizer.ts cuts the token there as SQLite's tokenizer would. An illegal
// token on the way (an unterminated string, `123abc`) is `unrecognized token: "..."`, reaching the
// end of the input is `incomplete input`, anything else `near "TOKEN": syntax error`.
//
// Some errors are not syntax errors but SQLite raises them while parsing, when it reduces a
// construct (`unknown table option: x`, `unknown join type: ...`, `a JOIN clause is required before
// ON`): the grammar reports them through options.deferError with the construct's span. Such an
// error wins over a syntax error only if the parser got past the token that follows the construct,
// because that lookahead token is what makes SQLite's parser reduce it.

import { AmberError } from '../value/amber-error';
import type { Loc, Statement, Expr } from './ast';
import { parse as peggyParse, type LibraryResult, type ParseOptions } from './generated-parser';
import { scanToken } from './tokenizer';

export interface NextStatement {
  readonly statement: Statement | null;
  /** Offset just past the statement's terminating `;` (or the end of the text). */
  readonly end: number;
}

/** Parses every statement of `sql` (empty statements are skipped). */
export function parseScript(sql: string): Statement[] {
  const statements: Statement[] = [];
  let offset = 0;
  for (;;) {
    const { statement, end } = parseNext(sql, offset);
    if (statement === null) return statements;
    statements.push(statement);
    offset = end;
  }
}

/**
 * Parses the one statement that starts at `offset` (after white space, comments and empty `;`).
 * `statement` is null when nothing but white space and comments remains.
 */
export function parseNext(sql: string, offset: number): NextStatement {
  const deferred: Deferred[] = [];
  const result = run(sql, 'NextStatement', offset, deferred);
  const first = deferred[0];
  if (first !== undefined) throw new AmberError(first.message, 'SQLITE_ERROR', position(sql, first.offset));
  return { statement: result.peg$result as Statement | null, end: result.peg$currPos };
}

interface Deferred {
  readonly message: string;
  readonly offset: number;
  readonly end: number;
}

/**
 * Parses a column's DEFAULT as written in its CREATE TABLE (ColumnSchema.defaultSql): a bare or
 * quoted name there is a string (`DEFAULT "q"` is 'q'), as the grammar's DefaultValue has it.
 */
export function parseDefault(sql: string): Expr {
  const e = parseExpression(sql);
  return e.kind === 'column' && e.table === null ? { kind: 'string', value: e.name, loc: e.loc } : e;
}

/** Parses `sql` as one expression (for tests and tools). */
export function parseExpression(sql: string): Expr {
  return run(sql, 'Expression', 0, []).peg$result as Expr;
}

function run(
  sql: string,
  startRule: 'NextStatement' | 'Expression',
  offset: number,
  deferred: Deferred[],
): LibraryResult {
  const lines = lineIndex(sql);
  const options: ParseOptions = {
    startRule,
    peg$currPos: offset,
    peg$library: true,
    locate: (start, end) => locate(lines, start, end),
    deferError: (message, at, end) => {
      deferred.push({ message, offset: at, end });
    },
  };
  let result: LibraryResult;
  try {
    result = peggyParse(sql, options) as LibraryResult;
  } catch (e) {
    // Deep nesting overflows the JavaScript stack, as SQLite's parser stack overflows.
    if (e instanceof RangeError) throw new AmberError('parser stack overflow', 'SQLITE_ERROR', position(sql, offset));
    throw e;
  }
  if (result.peg$result === result.peg$FAILED) {
    const failAt = result.peg$maxFailPos;
    const reduced = deferred.find((d) => nextTokenStart(sql, d.end) < failAt);
    if (reduced !== undefined) throw new AmberError(reduced.message, 'SQLITE_ERROR', position(sql, reduced.offset));
    throw syntaxError(sql, offset, failAt);
  }
  return result;
}

/** Where the first token at or after `from` starts (white space and comments skipped). */
function nextTokenStart(sql: string, from: number): number {
  let i = from;
  while (i < sql.length) {
    const token = scanToken(sql, i);
    if (token.kind !== 'space') return i;
    i = token.end;
  }
  return sql.length;
}

/** The error SQLite gives when its parser cannot continue at offset `failAt`. */
function syntaxError(sql: string, from: number, failAt: number): AmberError {
  let i = from;
  while (i < sql.length) {
    const token = scanToken(sql, i);
    if (token.kind === 'illegal') {
      return new AmberError(`unrecognized token: "${sql.slice(token.start, token.end)}"`, 'SQLITE_ERROR', position(sql, token.start));
    }
    if (token.kind === 'token' && token.end > failAt) {
      return new AmberError(`near "${sql.slice(token.start, token.end)}": syntax error`, 'SQLITE_ERROR', position(sql, token.start));
    }
    i = token.end;
  }
  return new AmberError('incomplete input', 'SQLITE_ERROR', position(sql, sql.length));
}

// ---------------------------------------------------------------------------------------------
// Positions. The line index of the last text parsed is kept, so that parsing a long script
// statement by statement does not rescan it for every statement.

let lastText: string | null = null;
let lastIndex: number[] = [];

function lineIndex(sql: string): number[] {
  if (sql !== lastText) {
    const starts = [0];
    for (let i = sql.indexOf('\n'); i >= 0; i = sql.indexOf('\n', i + 1)) starts.push(i + 1);
    lastText = sql;
    lastIndex = starts;
  }
  return lastIndex;
}

function locate(lines: readonly number[], start: number, end: number): Loc {
  // Binary search for the last line starting at or before `start`.
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines[mid]! <= start) lo = mid;
    else hi = mid - 1;
  }
  return { start, end, line: lo + 1, column: start - lines[lo]! + 1 };
}

function position(sql: string, offset: number): { offset: number; line: number; column: number } {
  const l = locate(lineIndex(sql), offset, offset);
  return { offset, line: l.line, column: l.column };
}
