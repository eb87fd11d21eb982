// Date and time functions with the statement's clock ('now' is fixed for one statement, as SQLite).
import * as dt from '../value/functions/datetime';
import type { SqlValue } from '../value/types';
import type { Env } from './env';

type DateTimeFn = (args: readonly SqlValue[], now: () => number) => SqlValue;

const FUNCTIONS = new Map<string, DateTimeFn>([
  ['date', dt.date], ['time', dt.time], ['datetime', dt.datetime], ['julianday', dt.julianday],
  ['unixepoch', dt.unixepoch], ['strftime', dt.strftime], ['timediff', dt.timediff],
]);

export function isDateTimeFunction(name: string): boolean {
  return FUNCTIONS.has(name);
}

export function callDateTime(name: string, args: readonly SqlValue[], env: Env): SqlValue {
  const f = FUNCTIONS.get(name)!;
  return f(args, () => {
    if (env.nowMs === 0) env.nowMs = Date.now();
    return env.nowMs;
  });
}
