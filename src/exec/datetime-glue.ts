// Date and time functions with the statement's clock ('now' is fixed for one statement, as SQLite).
import type { SqlValue } from '../value/types';
import type { Env } from './env';

type DateTimeFn = (args: readonly SqlValue[], now: () => number) => SqlValue;

// Transitional: loaded lazily while the date/time module is being written.
let FUNCTIONS: Record<string, DateTimeFn | undefined> = {};
try {
  FUNCTIONS = require('../value/functions/datetime') as Record<string, DateTimeFn | undefined>;
} catch {
  FUNCTIONS = {};
}
const NAMES = new Set(['date', 'time', 'datetime', 'julianday', 'unixepoch', 'strftime', 'timediff']);

export function isDateTimeFunction(name: string): boolean {
  return NAMES.has(name) && typeof FUNCTIONS[name] === 'function';
}

export function callDateTime(name: string, args: readonly SqlValue[], env: Env): SqlValue {
  const f = FUNCTIONS[name];
  if (!f) return null;
  return f(args, () => {
    if (env.nowMs === 0) env.nowMs = Date.now();
    return env.nowMs;
  });
}
