// db.function(name, [options], fn): a user-defined scalar function. Arguments reach `fn` as
// better-sqlite3 passes them (numbers, bigints under safeIntegers, strings, Buffers, null); its
// result goes back by the binding rules (a JS number is a REAL), and an exception from `fn`
// propagates out of the statement unchanged.
import type { UserFunction } from '../../exec/compiled-statement';
import type { SqlValue } from '../../value/types';
import { booleanOption, expectedArgument } from '../errors';
import type { DatabaseState } from '../state';
import { fromJs, INVALID, toJs, TOO_BIG } from '../values';

export interface FunctionOptions {
  deterministic?: boolean;
  directOnly?: boolean;
  varargs?: boolean;
  safeIntegers?: boolean;
}

export type UserCallback = (...args: never[]) => unknown;

/** safeIntegers as better-sqlite3 resolves it: the option, else the database default now. */
export function resolveSafeIntegers(state: DatabaseState, options: object): boolean {
  return 'safeIntegers' in options ? booleanOption(options, 'safeIntegers') : state.safeIntegers;
}

/** The JS result of a user function or aggregate as a SqlValue, or better-sqlite3's error. */
export function resultToSql(name: string, value: unknown): SqlValue {
  const v = fromJs(value);
  if (v === INVALID) throw new TypeError(`User-defined function ${name}() returned an invalid value`);
  if (v === TOO_BIG) throw new RangeError(`User-defined function ${name}() returned a bigint that was too big`);
  return v;
}

export function argumentsToJs(args: readonly SqlValue[], safeIntegers: boolean, offset: number): unknown[] {
  const out = new Array<unknown>(args.length + offset);
  for (let i = 0; i < args.length; i++) out[i + offset] = toJs(args[i] as SqlValue, safeIntegers);
  return out;
}

export function defineFunction(state: DatabaseState, name: unknown, options: unknown, fn: unknown): void {
  if (options == null) options = {};
  if (typeof options === 'function') {
    fn = options;
    options = {};
  }
  if (typeof name !== 'string') throw expectedArgument(0, 'a string');
  if (typeof fn !== 'function') throw new TypeError('Expected last argument to be a function');
  if (typeof options !== 'object' || options === null) throw expectedArgument(1, 'an options object');
  if (!name) throw new TypeError('User-defined function name cannot be an empty string');

  const opts = options as object;
  const safeIntegersOption = 'safeIntegers' in opts ? booleanOption(opts, 'safeIntegers') : null;
  const deterministic = booleanOption(opts, 'deterministic');
  const directOnly = booleanOption(opts, 'directOnly');
  const varargs = booleanOption(opts, 'varargs');
  let argCount = -1;
  if (!varargs) {
    argCount = (fn as UserCallback).length;
    if (!Number.isInteger(argCount) || argCount < 0) throw new TypeError('Expected function.length to be a positive integer');
    if (argCount > 100) throw new RangeError('User-defined functions cannot have more than 100 arguments');
  }
  state.requireIdle();
  const safeIntegers = safeIntegersOption ?? state.safeIntegers;
  const callback = fn as (...args: unknown[]) => unknown;
  const userFunction: UserFunction = {
    name,
    argCount,
    deterministic,
    directOnly,
    call(args: readonly SqlValue[]): SqlValue {
      return resultToSql(name, callback.apply(undefined, argumentsToJs(args, safeIntegers, 0)));
    },
  };
  state.engine.registerFunction(userFunction);
}
