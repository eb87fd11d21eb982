// The value rendering of the sqllogictest runner, checked against SQLite itself: CAST(x AS TEXT)
// for T, printf('%.3f') for R, and sqlite3_column_int's reading of text for I.

import BetterSqlite3 from 'better-sqlite3';
import { formatFixed3, realToText, renderSltValue, textToInt64, textToReal } from './sqlite-format';

const db = new BetterSqlite3(':memory:');
afterAll(() => db.close());

/** Deterministic pseudo-random doubles of the kinds SQL tests produce. */
function* niceDoubles(n: number): Generator<number> {
  let s = 12345;
  const next = (): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
  for (let i = 0; i < n; i++) {
    const k = i % 5;
    if (k === 0) yield Math.round((next() - 0.5) * 1e6) / 10000; // 4 decimals
    else if (k === 1) yield Math.round((next() - 0.5) * 1e5) / 16; // binary fractions
    else if (k === 2) yield Math.round((next() - 0.5) * 2 ** 62); // large integral reals
    else if (k === 3) yield (next() - 0.5) * 10 ** Math.floor(next() * 60 - 30); // any magnitude
    else yield Math.round(next() * 1e9) / 7; // long fractions
  }
}

test('realToText matches CAST(x AS TEXT) on worked examples', () => {
  const st = db.prepare('SELECT CAST(? AS TEXT)').pluck();
  for (const v of [0, 1, -1, 0.1, 0.1 + 0.2, 1e20, 1e16, 1e15, 1e-5, 0.000123, 123.456, -2.5, 1.5e300, 2 ** 63, -(2 ** 63)]) {
    expect(realToText(v)).toBe(st.get(v));
  }
});

test('realToText matches SQLite on values with up to 15 significant digits', () => {
  const st = db.prepare('SELECT CAST(? AS TEXT)').pluck();
  for (const v of niceDoubles(20000)) {
    const short = Number(v.toPrecision(12));
    expect([short, realToText(short)]).toEqual([short, st.get(short)]);
  }
});

test('formatFixed3 matches printf(%.3f) except at ulp-close ties', () => {
  const st = db.prepare("SELECT printf('%.3f', ?)").pluck();
  let tieMisses = 0;
  for (const v of [...niceDoubles(20000), -9223372036854775808, 9223372036854775807, 1e300, -0.0001, 0.0005, 123456789012345.67]) {
    const want = st.get(v) as string;
    const got = formatFixed3(v);
    if (got === want) continue;
    // The only accepted difference: a value (nearly) halfway between the two candidates, where
    // SQLite's approximate decoder may round either way (see formatFixed3).
    const mid = (Number(want) + Number(got)) / 2;
    expect([v, Math.abs(v - mid) <= Math.abs(v) * 1e-15 + 1e-12]).toEqual([v, true]);
    tieMisses++;
  }
  expect(tieMisses).toBeLessThan(200);
});

test('text and blob read as numbers the way sqlite3_column_int/double do', () => {
  expect(textToInt64('12abc')).toBe(12n);
  expect(textToInt64('  -7.9')).toBe(-7n);
  expect(textToInt64('abc')).toBe(0n);
  expect(textToInt64('99999999999999999999')).toBe(9223372036854775807n);
  expect(textToInt64('-99999999999999999999')).toBe(-9223372036854775808n);
  expect(textToReal('1.5x')).toBe(1.5);
  expect(textToReal(' 1e3')).toBe(1000);
  expect(textToReal('.5')).toBe(0.5);
  expect(textToReal('x')).toBe(0);
  expect(renderSltValue(4294967297n, 'I')).toBe('1'); // low 32 bits, like a C int cast
  expect(renderSltValue(-2.9, 'I')).toBe('-2');
  expect(renderSltValue(1e20, 'I')).toBe('-1'); // clamps to INT64_MAX, whose low 32 bits are -1
  expect(renderSltValue('', 'T')).toBe('(empty)');
  expect(renderSltValue('a\tb\u00e9', 'T')).toBe('a@b@@');
  expect(renderSltValue(Buffer.from([0x41, 0x00, 0x42]), 'T')).toBe('A');
  expect(renderSltValue(2n, 'T')).toBe('2');
  expect(renderSltValue(2, 'T')).toBe('2.0');
  expect(renderSltValue(null, 'R')).toBe('NULL');
  expect(renderSltValue(7n, 'R')).toBe('7.000');
});
