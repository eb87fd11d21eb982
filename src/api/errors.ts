// Exact messages of API misuse errors. They are better-sqlite3's, word for word, because code
// written against better-sqlite3 matches on them; tests pin each one against better-sqlite3 itself.

export const NOT_OPEN = 'The database connection is not open';
export const DB_BUSY = 'This database connection is busy executing a query';
export const STMT_BUSY = 'This statement is busy executing a query';
export const NO_DATA = 'This statement does not return data. Use run() instead';
export const BAD_BIND_TYPE = 'SQLite3 can only bind numbers, strings, bigints, buffers, and null';
export const TOO_BIG = 'The bound string, buffer, or bigint is too big';
export const TOO_MANY = 'Too many parameter values were provided';
export const TOO_FEW = 'Too few parameter values were provided';
export const MISSING_NAMED = 'Missing named parameters';
export const TWO_OBJECTS = 'You cannot specify named parameters in two different objects';
export const PLAIN_OBJECTS = 'Named parameters can only be passed within plain objects';
export const ALREADY_BOUND = 'This statement already has bound parameters';
export const BIND_ONCE = 'The bind() method can only be invoked once per statement object';
export const TX_PROMISE = 'Transaction function cannot return a promise';

export const ordinal = ['first', 'second', 'third', 'fourth', 'fifth'] as const;

/** `Expected first argument to be a string`, as better-sqlite3 words argument errors. */
export function expectedArgument(index: number, what: string): TypeError {
  return new TypeError(`Expected ${ordinal[index] ?? `#${index + 1}`} argument to be ${what}`);
}

/** Reads a boolean option the way better-sqlite3's getBooleanOption does: absent means false. */
export function booleanOption(options: object, key: string): boolean {
  if (!(key in options)) return false;
  const value: unknown = (options as Record<string, unknown>)[key];
  if (typeof value !== 'boolean') throw new TypeError(`Expected the "${key}" option to be a boolean`);
  return value;
}
