// Date and time functions against SQLite: every time-value format × every modifier (and chains
// of two or three), through all seven functions, plus strftime's full specifier set. Fixed times
// only, except the 'now' tests, which pass a fixed statement clock.

import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as dt from '../../../src/value/functions/datetime';
import { RealBox, real, type SqlValue } from '../../../src/value/types';
import { Mismatches, Oracle, ours, pick, rng, show } from './oracle';

const oracle = new Oracle();
afterAll(() => oracle.close());

const noClock = (): number => {
  throw new Error('the clock must not be read for a fixed time-value');
};

const TIME_VALUES: SqlValue[] = [
  '2024-02-29', '2023-02-29', '2023-02-31', '2023-04-31', '2024-01-31', '2000-01-01', '1970-01-01', '1969-12-31 23:59:59',
  '2024-03-10 12:34', '2024-03-10 12:34:56', '2024-03-10 12:34:56.789', '2024-03-10 12:34:56.7899', '2024-03-10 12:34:56.9999',
  '2024-03-10T12:34:56', '2024-03-10T12:34:56.5Z', '2024-03-10 12:34:56z', '2024-03-10 12:34:56+05:30', '2024-03-10 12:34-08:00',
  '2024-03-10 12:34:56 -14:00', '2024-03-10 12:34:56 +14:00', '2024-03-10 12:34:56+15:00', '2024-03-10   12:34', '2024-03-10T',
  '2024-03-10 24:00', '2024-03-10 24:00:00', '2024-03-10 25:00', '2024-03-10 12:60', '2024-03-10 12:34:60', '2024-13-01', '2024-00-10',
  '2024-01-00', '0000-01-01', '0000-01-01 00:00:00', '-0001-12-31', '-4713-11-24 12:00:00', '-4713-11-24 11:59:59', '-4714-01-01',
  '9999-12-31 23:59:59.999', '9999-12-31', '10000-01-01', '12:34', '12:34:56', '12:34:56.125', '23:59:59.999', '00:00', '12:34Z',
  '12:34+01:00', ' 2024-03-10', '2024-03-10 ', '2024-3-10', '24-03-10', 'now ', 'garbage', '', '2024-03-10 12', '2024-03-10 12:34:5',
  '2024-03-10 12:34:56.', '2024-03-10 12:34:56.1x', '2460000.5', '2460000', ' 2460000.5 ', '1e6', '-1', '5373484.4', '5373484.5',
  '1700000000', 'subsec', 'SUBSEC',
  2460000.5, 2460000, 0, 1, 1700000000, 1700000000.123, -1, 5373484.49, 5373484.5, -210866760000, 253402300799, 253402300800, 1e12, 86400,
  new RealBox(2451545), new RealBox(0), 9223372036854775807n, null, new Uint8Array([0x32, 0x30, 0x32, 0x34, 0x2d, 0x30, 0x31, 0x2d, 0x30, 0x32]),
];

const MODIFIERS: SqlValue[] = [
  '+1 day', '-1 day', '+1 days', '1 day', '+1.5 days', '-0.25 day', '+25 hours', '-90 minutes', '+3600 seconds', '+0.001 seconds',
  '+1.0005 seconds', '+1 month', '-1 month', '+13 months', '-25 months', '+1.5 months', '+1 year', '-1 year', '+0.5 years', '+10000 years',
  '-10000 years', '+5373485 days', '+1 DAY', '+1 Days', '+1days', '+1 day ', '+ 1 day', '+1 fortnight', '+1 d', '+1 secondss',
  'start of month', 'start of year', 'start of day', 'START OF MONTH', 'start of week', 'start of  day', 'weekday 0', 'weekday 1', 'weekday 6',
  'weekday 7', 'weekday 1.5', 'weekday -1', 'WEEKDAY 3', 'weekday  2', 'unixepoch', 'julianday', 'auto', 'UNIXEPOCH', 'localtime', 'utc',
  'subsec', 'subsecond', 'ceiling', 'floor', '+01:30', '-01:30', '+12:00:00.5', '-00:00:01', '01:00', '+24:00', '+1:30', '+01:30:60',
  '+0001-02-03', '-0001-02-03', '+0000-11-30', '+0000-12-00', '+0000-00-31', '+00001-00-00', '+0001-00-00 12:00', '-0000-00-01 01:02:03.5',
  '+0001-00-00 1:00', '0001-00-00', '+10', 'bogus', '', 5, real(1.5), null,
];

const FUNCTIONS = ['date', 'time', 'datetime', 'julianday', 'unixepoch'] as const;

const STRFTIME_ALL = '%d|%e|%f|%F|%G|%g|%H|%I|%j|%J|%k|%l|%m|%M|%p|%P|%R|%s|%S|%T|%u|%U|%V|%w|%W|%Y|%%';

function checkAll(m: Mismatches, args: SqlValue[]): void {
  for (const fn of FUNCTIONS) {
    m.check(`${fn}(${args.map(show).join(', ')})`, oracle.call(fn, args), ours(() => dt[fn](args, noClock)));
  }
}

describe('date and time functions', () => {
  test('every time-value, alone and with every single modifier, in all functions', () => {
    const m = new Mismatches();
    for (const tv of TIME_VALUES) {
      if (tv === 'subsec' || tv === 'SUBSEC') continue; // reads the clock: see the 'now' tests
      checkAll(m, [tv]);
      for (const mod of MODIFIERS) {
        if (mod === 'localtime' || mod === 'utc') continue; // below, with a known time zone
        checkAll(m, [tv, mod]);
      }
    }
    expect(m.report()).toEqual([]);
    expect(m.count).toBeGreaterThan(30000);
  });

  test('random chains of two and three modifiers', () => {
    const r = rng(31337);
    const m = new Mismatches();
    const tvs = TIME_VALUES.filter((v) => v !== 'subsec' && v !== 'SUBSEC');
    const mods = MODIFIERS.filter((v) => v !== 'localtime' && v !== 'utc');
    for (let i = 0; i < 4000; i++) {
      const args: SqlValue[] = [pick(r, tvs), pick(r, mods), pick(r, mods)];
      if (r() < 0.4) args.push(pick(r, mods));
      checkAll(m, args);
    }
    expect(m.report()).toEqual([]);
  });

  test('month and year overflow with ceiling and floor', () => {
    const m = new Mismatches();
    for (const d of ['2023-01-29', '2023-01-30', '2023-01-31', '2024-01-31', '2023-03-31', '2023-05-31', '2024-02-29', '2023-10-31']) {
      for (const mod of ['+1 month', '-1 month', '+1 year', '-1 year', '+0001-01-00', '-0000-01-00', '+13 months']) {
        for (const tail of [[], ['ceiling'], ['floor'], ['floor', 'floor'], ['ceiling', 'floor']]) {
          checkAll(m, [d, mod, ...tail]);
        }
      }
    }
    expect(m.report()).toEqual([]);
  });

  test('strftime: every specifier over many dates, and invalid formats', () => {
    const r = rng(5);
    const m = new Mismatches();
    const formats = [STRFTIME_ALL, '%Y-%m-%d', 'plain', '', '%', 'x%', '%q', '%E', '%%%d', 'é %d é', '%s.%f', '%J'];
    const dates: SqlValue[] = [...TIME_VALUES.filter((v) => v !== 'subsec' && v !== 'SUBSEC')];
    for (let y = 1998; y <= 2030; y++) for (const md of ['01-01', '01-04', '12-28', '12-29', '12-31', '06-15']) dates.push(`${y}-${md} 13:05:09.25`);
    for (let i = 0; i < 300; i++) dates.push(real(2440000 + r() * 40000));
    for (const d of dates) {
      for (const f of formats) {
        const args: SqlValue[] = [f, d];
        m.check(`strftime(${args.map(show).join(', ')})`, oracle.call('strftime', args), ours(() => dt.strftime(args, noClock)));
      }
      const sub: SqlValue[] = ['%s|%f|%J', d, 'subsec'];
      m.check(`strftime(${sub.map(show).join(', ')})`, oracle.call('strftime', sub), ours(() => dt.strftime(sub, noClock)));
    }
    for (const args of [[], [null], [null, '2024-01-01'], ['%Y', null], ['%Y', '2024-01-01', null]] as SqlValue[][]) {
      m.check(`strftime(${args.map(show).join(', ')})`, args.length === 0 ? null : oracle.call('strftime', args), ours(() => dt.strftime(args, noClock)));
    }
    expect(m.report()).toEqual([]);
  });

  test('timediff between many pairs', () => {
    const r = rng(8);
    const m = new Mismatches();
    const pool: SqlValue[] = [
      '2024-03-10 12:34:56.789', '2023-01-31', '2023-02-28', '2024-02-29', '2000-01-01', '1999-12-31 23:59:59.999', '0000-01-01', '9999-12-31',
      '2024-01-31 10:00', '2024-03-01 09:00', '-0001-06-15', '12:00', 2460000.5, 0, 'garbage', null, '2023-02-31',
    ];
    for (const a of pool) for (const b of pool) m.check(`timediff(${show(a)}, ${show(b)})`, oracle.call('timediff', [a, b]), ours(() => dt.timediff([a, b], noClock)));
    for (let i = 0; i < 1500; i++) {
      const a = real(2300000 + r() * 300000);
      const b = real(2300000 + r() * 300000);
      m.check(`timediff(${show(a)}, ${show(b)})`, oracle.call('timediff', [a, b]), ours(() => dt.timediff([a, b], noClock)));
    }
    expect(m.report()).toEqual([]);
  });

  test('localtime and utc agree with SQLite in this process\'s time zone', () => {
    const m = new Mismatches();
    for (const tv of ['2024-03-10 12:34:56', '2024-07-01 00:30', '1950-06-01 12:00', '2100-01-01', '1970-01-01', 1700000000]) {
      for (const mods of [['localtime'], ['utc'], ['localtime', 'utc'], ['utc', 'localtime'], ['localtime', 'localtime'], ['localtime', 'start of day', 'utc']]) {
        const args: SqlValue[] = typeof tv === 'number' ? [tv, 'unixepoch', ...mods] : [tv, ...mods];
        checkAll(m, args);
      }
    }
    expect(m.report()).toEqual([]);
  });

  test('localtime and utc in zones with DST and odd offsets (child process, TZ switched there)', () => {
    const probe = path.join(__dirname, 'tz-probe.ts');
    const res = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', probe], {
      cwd: path.join(__dirname, '../../..'),
      encoding: 'utf8',
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' },
    });
    expect(res.stderr).toBe('');
    const out = JSON.parse(res.stdout) as { zonesApplied: number; checked: number; mismatches: string[] };
    expect(out.zonesApplied).toBe(5); // the zones really were in effect
    expect(out.checked).toBeGreaterThan(1500);
    expect(out.mismatches).toEqual([]);
  });

  test("'now' is the statement clock: fixed within a call, within a second of Date.now()", () => {
    const fixed = Date.UTC(2024, 2, 10, 12, 34, 56, 789);
    const clock = (): number => fixed;
    expect(dt.datetime(['now'], clock)).toBe('2024-03-10 12:34:56');
    expect(dt.datetime([], clock)).toBe('2024-03-10 12:34:56');
    expect(dt.datetime(['NOW', 'subsec'], clock)).toBe('2024-03-10 12:34:56.789');
    expect(dt.datetime(['subsec'], clock)).toBe('2024-03-10 12:34:56.789');
    expect(dt.unixepoch(['now'], clock)).toBe(Math.floor(fixed / 1000));
    expect(dt.unixepoch(['now', 'subsec'], clock)).toBe(fixed / 1000);
    expect(dt.strftime(['%Y'], clock)).toBe('2024');
    expect(dt.julianday(['now'], clock)).toBe((fixed + 210866760000000) / 86400000);
    expect(dt.timediff(['now', '2024-03-09 12:34:56'], clock)).toBe('+0000-00-01 00:00:00.789');

    const real = dt.unixepoch(['now'], () => Date.now()) as number;
    expect(Math.abs(real - Date.now() / 1000)).toBeLessThan(1);
    const sqliteNow = Number(oracle.call('unixepoch', ['now']));
    expect(Math.abs(real - sqliteNow)).toBeLessThanOrEqual(1);
  });

  test('results are typed as SQLite types them', () => {
    expect(dt.julianday(['2000-01-01 12:00'], noClock)).toBeInstanceOf(RealBox); // REAL 2451545.0
    expect(dt.julianday(['2000-01-01'], noClock)).toBe(2451544.5);
    expect(dt.unixepoch(['2000-01-01'], noClock)).toBe(946684800);
    expect(dt.unixepoch(['2000-01-01', 'subsec'], noClock)).toBeInstanceOf(RealBox);
    expect(dt.date(['2023-02-31'], noClock)).toBe('2023-03-03');
  });
});
