// db.aggregate(name, options): a user-defined aggregate, and a window function when `inverse` is
// given. The state starts as `start` (or what `start()` returns, per group), `step(state, ...args)`
// returns the next state (undefined keeps it), `result(state)` maps it to the value (default: the
// state itself). Argument count: the longer of step/inverse, less the state argument.
import type { UserAggregate } from '../../exec/compiled-statement';
import type { SqlValue } from '../../value/types';
import { booleanOption, expectedArgument } from '../errors';
import type { DatabaseState } from '../state';
import { argumentsToJs, resultToSql } from './function';

type Callback = (...args: unknown[]) => unknown;

export interface AggregateOptions {
  start?: unknown;
  step: (total: never, ...args: never[]) => unknown;
  inverse?: (total: never, ...args: never[]) => unknown;
  result?: (total: never) => unknown;
  deterministic?: boolean;
  directOnly?: boolean;
  varargs?: boolean;
  safeIntegers?: boolean;
}

function functionOption(options: Record<string, unknown>, key: string, required: boolean): Callback | null {
  const value = key in options ? options[key] : null;
  if (typeof value === 'function') return value as Callback;
  if (value != null) throw new TypeError(`Expected the "${key}" option to be a function`);
  if (required) throw new TypeError(`Missing required option "${key}"`);
  return null;
}

function lengthOf(fn: Callback): number {
  const { length } = fn;
  if (Number.isInteger(length) && length >= 0) return length;
  throw new TypeError('Expected function.length to be a positive integer');
}

export function defineAggregate(state: DatabaseState, name: unknown, options: unknown): void {
  if (typeof name !== 'string') throw expectedArgument(0, 'a string');
  if (typeof options !== 'object' || options === null) throw expectedArgument(1, 'an options object');
  if (!name) throw new TypeError('User-defined function name cannot be an empty string');

  const opts = options as Record<string, unknown>;
  const start: unknown = 'start' in opts ? opts.start : null;
  const step = functionOption(opts, 'step', true) as Callback;
  const inverse = functionOption(opts, 'inverse', false);
  const result = functionOption(opts, 'result', false);
  const safeIntegersOption = 'safeIntegers' in opts ? booleanOption(opts, 'safeIntegers') : null;
  const deterministic = booleanOption(opts, 'deterministic');
  const directOnly = booleanOption(opts, 'directOnly');
  const varargs = booleanOption(opts, 'varargs');
  let argCount = -1;
  if (!varargs) {
    argCount = Math.max(lengthOf(step), inverse ? lengthOf(inverse) : 0);
    if (argCount > 0) argCount -= 1;
    if (argCount > 100) throw new RangeError('User-defined functions cannot have more than 100 arguments');
  }
  state.requireIdle();
  const safeIntegers = safeIntegersOption ?? state.safeIntegers;

  const advance = (fn: Callback, total: unknown, args: readonly SqlValue[]): unknown => {
    const jsArgs = argumentsToJs(args, safeIntegers, 1);
    jsArgs[0] = total;
    const next = fn.apply(undefined, jsArgs);
    return next === undefined ? total : next;
  };
  const aggregate: UserAggregate = {
    name,
    argCount,
    deterministic,
    directOnly,
    start: typeof start === 'function' ? () => (start as Callback).call(undefined) : () => start,
    step: (total, args) => advance(step, total, args),
    inverse: inverse === null ? null : (total, args) => advance(inverse, total, args),
    result: (total) => resultToSql(name, result === null ? total : result.call(undefined, total)),
  };
  state.engine.registerAggregate(aggregate);
}
