// Child-process helper for datetime.test.ts: Jest's sandboxed process.env does not reach Node's
// time-zone hook, so the localtime/utc comparison in real zones runs here, in a plain Node
// process where assigning process.env.TZ re-reads the zone for both V8 and SQLite's localtime_r.
// Prints {"zonesApplied": n, "checked": n, "mismatches": [...]} as JSON.

import * as dt from '../../../src/value/functions/datetime';
import type { SqlValue } from '../../../src/value/types';
import { Mismatches, Oracle, ours, show } from './oracle';

const oracle = new Oracle();
const m = new Mismatches();
const FUNCTIONS = ['date', 'time', 'datetime', 'julianday', 'unixepoch'] as const;
const noClock = (): number => {
  throw new Error('no clock');
};
let zonesApplied = 0;
for (const zone of ['America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Europe/London', 'Pacific/Chatham']) {
  process.env.TZ = zone;
  if (new Date(Date.UTC(2024, 6, 1, 12)).getHours() !== 12) zonesApplied++;
  const tvs: SqlValue[] = ['2024-03-10 06:59:59', '2024-03-10 07:00:00', '2024-11-03 05:30', '2024-11-03 06:30', '2024-07-01 12:00', '1950-07-01 12:00', '2100-12-31 23:00', '1969-12-31 23:59:59', '2024-10-27 01:30', '2024-04-07 02:30', '1800-06-01 00:00'];
  for (const tv of tvs) {
    for (const mods of [['localtime'], ['utc'], ['localtime', 'utc'], ['utc', 'localtime'], ['localtime', 'start of day', 'utc'], ['localtime', '+1 month', 'utc'], ['localtime', 'localtime']]) {
      const args: SqlValue[] = [tv, ...mods];
      for (const fn of FUNCTIONS) m.check(`${zone} ${fn}(${args.map(show).join(', ')})`, oracle.call(fn, args), ours(() => dt[fn](args, noClock)));
      const sa: SqlValue[] = ['%H:%M %s', ...args];
      m.check(`${zone} strftime(${sa.map(show).join(', ')})`, oracle.call('strftime', sa), ours(() => dt.strftime(sa, noClock)));
    }
  }
}
oracle.close();
process.stdout.write(JSON.stringify({ zonesApplied, checked: m.count, mismatches: m.report() }));
