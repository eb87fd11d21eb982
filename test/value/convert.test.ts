// Differential tests of convert.ts: every conversion against SQLite on the sample values plus
// generated numeric-looking texts and random doubles.

import {
  castTo,
  parseNumberLiteral,
  realToText,
  toArithmetic,
  toBoolean,
  toNumeric,
  toText,
} from '../../src/value/convert';
import { AmberError } from '../../src/value/amber-error';
import { real, type SqlValue } from '../../src/value/types';
import { SAMPLE_VALUES, ask, askOrError, describe as show, blob, db, rng } from './oracle';

function numericTexts(n: number): string[] {
  const r = rng(42);
  const pieces = [' ', '  ', '\t', '+', '-', '0', '00', '1', '7', '9', '12', '123456789', '9223372036854775807',
    '9223372036854775808', '4503599627370496', '.', 'e', 'E', 'e+', 'e-', '5', '99', 'x', 'a', '_', '1e308', '0.'];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let s = '';
    const k = 1 + Math.floor(r() * 5);
    for (let j = 0; j < k; j++) s += pieces[Math.floor(r() * pieces.length)];
    out.push(s);
  }
  return out;
}

function randomDoubles(n: number): number[] {
  const r = rng(7);
  const out: number[] = [];
  const buf = new DataView(new ArrayBuffer(8));
  for (let i = 0; i < n; i++) {
    switch (i % 4) {
      case 0:
        buf.setUint32(0, Math.floor(r() * 4294967296));
        buf.setUint32(4, Math.floor(r() * 4294967296));
        out.push(buf.getFloat64(0));
        break;
      case 1:
        out.push((r() - 0.5) * 10 ** Math.floor(r() * 40 - 20));
        break;
      case 2:
        out.push(Math.round(r() * 1e6) / 10 ** Math.floor(r() * 8));
        break;
      default:
        out.push(Math.floor(r() * 1e6) * 10 ** Math.floor(r() * 30));
    }
  }
  return out.filter((d) => !Number.isNaN(d));
}

const texts = numericTexts(1500);
const values: SqlValue[] = [...SAMPLE_VALUES, ...texts, ...texts.slice(0, 200).map((t) => new Uint8Array(Buffer.from(t)))];

function check(name: string, fn: (v: SqlValue) => SqlValue, expr: string, inputs: SqlValue[] = values): void {
  test(name, () => {
    const bad: string[] = [];
    for (const v of inputs) {
      const want = show(askOrError(expr, v));
      const got = show(fn(v));
      if (want !== got) bad.push(`${show(v)}: want ${want}, got ${got}`);
    }
    expect(bad.slice(0, 20)).toEqual([]);
  });
}

describe('CAST', () => {
  check('CAST AS INTEGER', (v) => castTo(v, 'INTEGER'), 'CAST(? AS INTEGER)');
  check('CAST AS REAL', (v) => castTo(v, 'REAL'), 'CAST(? AS REAL)');
  check('CAST AS NUMERIC', (v) => castTo(v, 'NUMERIC'), 'CAST(? AS NUMERIC)');
  check('CAST AS TEXT', (v) => castTo(v, 'TEXT'), 'CAST(? AS TEXT)', values.filter((v) => !(v instanceof Uint8Array) || v.every((b) => b < 0x80)));
  check('CAST AS BLOB', (v) => castTo(v, 'BLOB'), 'CAST(? AS BLOB)');
  check('toNumeric is CAST AS NUMERIC', toNumeric, 'CAST(? AS NUMERIC)');
});

describe('operands', () => {
  // `? + 0` exposes the operand's numeric value; reals near int64 edges cannot overflow here.
  check('toArithmetic is what + sees', toArithmetic, '? + 0');
  check('toBoolean is what WHERE sees', (v) => {
    const b = toBoolean(v);
    return b === null ? null : b ? 1 : 0;
  }, '(SELECT CASE WHEN x THEN 1 WHEN NOT x THEN 0 END FROM (SELECT ? AS x))');
});

describe('realToText', () => {
  test('renders like CAST(real AS TEXT)', () => {
    const ds = [...randomDoubles(4000), 0, -0, 1, 0.1, 1 / 3, 1e15, 1e16, 1e17, 123456789012345678, 2.5e-7, 0.1 + 0.2,
      1e-4, 1e-5, Infinity, -Infinity, Number.MIN_VALUE, Number.MAX_VALUE, 9007199254740993, 5e-324];
    for (let e = -30; e <= 30; e++) ds.push(10 ** e, 1.5 * 10 ** e, -(10 ** e) / 3);
    // SQLite scales by 64-bit truncated powers of ten; we scale exactly. The two agree except
    // when the scaled value is within ~2^-60 of a rounding half: then the 17th digit may differ
    // by one. Allow that, rarely, and nothing else.
    const bad: string[] = [];
    let lastDigitOff = 0;
    for (const d of ds) {
      const want = ask('CAST(? AS TEXT)', real(d)) as string;
      const got = realToText(d);
      if (want === got) continue;
      const wm = /^(-?[0-9.]+)(e.*)?$/.exec(want);
      const gm = /^(-?[0-9.]+)(e.*)?$/.exec(got);
      const wd = wm?.[1]?.replace(/[-.]/g, '') ?? '';
      const gd = gm?.[1]?.replace(/[-.]/g, '') ?? '';
      if (wm?.[2] === gm?.[2] && wd.length === gd.length && wd.length >= 17 && Math.abs(Number(wd.slice(-3)) - Number(gd.slice(-3))) === 1) lastDigitOff++;
      else bad.push(`${d}: want ${want}, got ${got}`);
    }
    expect(bad.slice(0, 20)).toEqual([]);
    expect(lastDigitOff).toBeLessThanOrEqual(ds.length / 500);
  });
  test('toText of integral reals keeps ".0"', () => {
    expect(toText(real(2))).toBe('2.0');
    expect(toText(real(1e20))).toBe('1.0e+20');
    expect(toText(2)).toBe('2');
    expect(toText(blob('6162'))).toBe('ab');
  });
});

describe('parseNumberLiteral', () => {
  const lits = ['0', '1', '00012', '123', '9007199254740991', '9007199254740992', '9223372036854775807', '9223372036854775808',
    '99999999999999999999', '1.5', '1.', '.5', '1e3', '1E+3', '2.5e-7', '1e400', '0x0', '0x10', '0XfF', '0x7fffffffffffffff',
    '0xffffffffffffffff', '0x8000000000000000', '0x00000000000000000001', '1_000', '0x1_0', '1_0.5e1_0', '123456789012345678901234'];
  test.each(lits)('%s', (lit) => {
    expect(show(parseNumberLiteral(lit))).toBe(show(ask(lit)));
  });
  test('negative literals fold like the parser: -9223372036854775808 is INT64_MIN', () => {
    expect(show(parseNumberLiteral('-9223372036854775808'))).toBe(show(ask('-9223372036854775808')));
    expect(show(parseNumberLiteral('-9223372036854775809'))).toBe(show(ask('-9223372036854775809')));
    expect(show(parseNumberLiteral('-5'))).toBe('integer -5');
  });
  test('hex literal too big', () => {
    const lit = '0x10000000000000000';
    expect(() => db.prepare(`SELECT ${lit}`)).toThrow(`hex literal too big: ${lit}`);
    expect(() => parseNumberLiteral(lit)).toThrow(AmberError);
    expect(() => parseNumberLiteral(lit)).toThrow(`hex literal too big: ${lit}`);
  });
});
