// SQLite's tokenizer (tokenize.c, sqlite3GetToken), reduced to what error messages need: where a
// token starts and ends, and whether SQLite would call it illegal. The grammar does the real lexing;
// this only cuts the token a syntax error is "near", exactly as SQLite would cut it.

export type TokenKind = 'space' | 'token' | 'illegal';

export interface Token {
  readonly kind: TokenKind;
  readonly start: number;
  readonly end: number;
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isHex = (c: string): boolean => isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\f' || c === '\r';
/** sqlite3IsIdChar: letters, digits, `_`, `$` and every non-ASCII character. */
export const isIdChar = (c: string): boolean =>
  (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c === '_' || c === '$' || c > '\x7f';

/** The token starting at `start` (`start` < sql.length). */
export function scanToken(sql: string, start: number): Token {
  const n = sql.length;
  const at = (i: number): string => (i < n ? sql[i]! : '');
  const tok = (end: number, kind: TokenKind = 'token'): Token => ({ kind, start, end });
  const c = at(start);
  let i = start + 1;
  if (isSpace(c)) {
    while (isSpace(at(i))) i++;
    return tok(i, 'space');
  }
  switch (c) {
    case '-':
      if (at(i) === '-') {
        while (i < n && at(i) !== '\n') i++;
        return tok(i, 'space');
      }
      if (at(i) === '>') return tok(at(i + 1) === '>' ? i + 2 : i + 1);
      return tok(i);
    case '/':
      if (at(i) !== '*' || i + 1 >= n) return tok(i);
      i += 2;
      while (i < n && !(at(i - 1) === '*' && at(i) === '/')) i++;
      return tok(Math.min(i + 1, n), 'space');
    case '(': case ')': case ';': case '+': case '*': case '%': case ',': case '&': case '~':
      return tok(i);
    case '=':
      return tok(at(i) === '=' ? i + 1 : i);
    case '<':
      return tok(at(i) === '=' || at(i) === '>' || at(i) === '<' ? i + 1 : i);
    case '>':
      return tok(at(i) === '=' || at(i) === '>' ? i + 1 : i);
    case '!':
      return at(i) === '=' ? tok(i + 1) : tok(i, 'illegal');
    case '|':
      return tok(at(i) === '|' ? i + 1 : i);
    case "'": case '"': case '`': {
      for (; i < n; i++) {
        if (at(i) === c) {
          if (at(i + 1) === c) i++;
          else return tok(i + 1);
        }
      }
      return tok(n, 'illegal');
    }
    case '.':
      if (!isDigit(at(i))) return tok(i);
      return scanNumber(sql, start);
    case '[': {
      const close = sql.indexOf(']', i);
      return close < 0 ? tok(n, 'illegal') : tok(close + 1);
    }
    case '?':
      while (isDigit(at(i))) i++;
      return tok(i);
    case '$': case '@': case ':': case '#': {
      let named = 0;
      for (; i < n; i++) {
        if (isIdChar(at(i))) named++;
        else if (at(i) === ':' && at(i + 1) === ':') i++;
        else break;
      }
      return tok(i, named === 0 ? 'illegal' : 'token');
    }
    case 'x': case 'X':
      if (at(i) === "'") {
        i++;
        while (isHex(at(i))) i++;
        if (at(i) !== "'" || (i - start) % 2 !== 0) {
          while (i < n && at(i) !== "'") i++;
          return tok(i < n ? i + 1 : n, 'illegal');
        }
        return tok(i + 1);
      }
      break;
    default:
      if (isDigit(c)) return scanNumber(sql, start);
  }
  if (isIdChar(c) && !isDigit(c) && c !== '$') {
    while (isIdChar(at(i))) i++;
    return tok(i);
  }
  return tok(i, 'illegal');
}

// Digits may be separated by single underscores (SQLite 3.46+). A number running into identifier
// characters (`123abc`, `1e`, `0x`) is one illegal token.
function scanNumber(sql: string, start: number): Token {
  const n = sql.length;
  const at = (i: number): string => (i < n ? sql[i]! : '');
  let i = start;
  let illegal = false;
  const digits = (test: (c: string) => boolean): void => {
    while (test(at(i)) || (at(i) === '_' && test(at(i + 1)) && i > start && test(at(i - 1)))) i++;
  };
  if (at(i) === '0' && (at(i + 1) === 'x' || at(i + 1) === 'X') && isHex(at(i + 2))) {
    i += 2;
    digits(isHex);
  } else {
    digits(isDigit);
    if (at(i) === '.') {
      i++;
      digits(isDigit);
    }
    if ((at(i) === 'e' || at(i) === 'E') && (isDigit(at(i + 1)) || ((at(i + 1) === '+' || at(i + 1) === '-') && isDigit(at(i + 2))))) {
      i += 2;
      digits(isDigit);
    }
  }
  while (isIdChar(at(i))) {
    illegal = true;
    i++;
  }
  return { kind: illegal ? 'illegal' : 'token', start, end: i };
}
