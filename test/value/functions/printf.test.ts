// printf()/format() against SQLite: random format strings (flags, widths, precisions, '*',
// length modifiers, every conversion, invalid ones) × random arguments of every storage class,
// plus a dense sweep of doubles through the float conversions, where digits must match exactly.

import { compilePrintf, formatPrintf } from '../../../src/value/functions/printf';
import { RealBox, real, type SqlValue } from '../../../src/value/types';
import { Mismatches, Oracle, ours, pick, rng, show } from './oracle';

const oracle = new Oracle();
afterAll(() => oracle.close());

function randomDouble(r: () => number): number {
  switch (Math.floor(r() * 8)) {
    case 0:
      return (r() - 0.5) * 10 ** Math.floor(r() * 40 - 20);
    case 1: // short decimals, ties like 0.125 and 2.675
      return Math.round((r() - 0.5) * 100000) / 10 ** Math.floor(r() * 6);
    case 2:
      return Math.floor(r() * 1000) + 0.5;
    case 3: // anywhere in the double range
      return (r() < 0.5 ? -1 : 1) * r() * 10 ** Math.floor(r() * 616 - 308);
    case 4: // random bit patterns (subnormals included)
      return new Float64Array(new Uint32Array([Math.floor(r() * 2 ** 32), Math.floor(r() * 2 ** 31)]).buffer)[0] as number;
    case 5:
      return pick(r, [0.1, 0.2, 0.3, 1 / 3, 2 / 3, 49.47, 1e15, 1e16, 1e17, 123456789.123456789, 9.995, 0.05, 5e-324, 1.7976931348623157e308, 2 ** 53, 2 ** 63, -0.0]);
    case 6:
      return Math.floor((r() - 0.5) * 2 ** 53);
    default:
      return r() * 1e6;
  }
}

/** A REAL SqlValue (boxed when integral); NaN never occurs in SQLite values. */
function realValue(d: number): SqlValue {
  return Number.isNaN(d) ? 0.5 : real(d);
}

function randomValue(r: () => number): SqlValue {
  switch (Math.floor(r() * 10)) {
    case 0:
      return null;
    case 1:
    case 2:
      return Math.floor((r() - 0.5) * 2000);
    case 3:
      return pick(r, [0, 1, -1, 255, 1234567, -1234567, 9007199254740991, -9007199254740991, 9223372036854775807n, -9223372036854775808n, 9007199254740993n, 11, 12, 13, 111, 112, 21, 22, 23]);
    case 4:
    case 5:
      return realValue(randomDouble(r));
    case 6:
      return pick(r, ['abc', '', "it's", 'say "hi"', 'é', 'aé😀b', '12abc', '  42  ', '1e3', '-7.5', 'x\ty', 'a\\b', 'new\nline', 'ÀÉÎ', '0x1f', 'tab\u0001']);
    case 7:
      return pick(r, [new Uint8Array([0x41, 0x42]), new Uint8Array([]), new Uint8Array([0x31, 0x32])]);
    case 8:
      return new RealBox(pick(r, [0, 1, -1, 100, 1e20, -0]));
    default:
      return Math.floor(r() * 30) - 10;
  }
}

const CONVERSIONS = 'ddiuxXopfffeEgGgGcsszqQwr%n';

/** A random conversion spec; pushes the arguments it consumes ('*' ones kept small). */
function randomSpec(r: () => number, args: SqlValue[]): string {
  let s = '%';
  const nFlags = Math.floor(r() * 3);
  for (let i = 0; i < nFlags; i++) s += pick(r, ['-', '+', ' ', '#', '!', '0', ',']);
  const w = r();
  if (w < 0.3) s += String(1 + Math.floor(r() * 12));
  else if (w < 0.4) {
    s += '*';
    args.push(Math.floor(r() * 40) - 15);
  }
  const p = r();
  if (p < 0.3) s += '.' + String(Math.floor(r() * 22));
  else if (p < 0.35) s += '.';
  else if (p < 0.45) {
    s += '.*';
    args.push(Math.floor(r() * 40) - 15);
  }
  const l = r();
  if (l < 0.05) s += 'l';
  else if (l < 0.08) s += 'll';
  const conv = r() < 0.02 ? pick(r, ['y', 'k', 'T', 'S', 'j', '5', '-']) : pick(r, [...CONVERSIONS]);
  s += conv;
  if (conv !== '%' && conv !== 'n' && r() < 0.9) args.push(randomValue(r));
  return s;
}

function randomFormat(r: () => number, args: SqlValue[]): string {
  let f = '';
  const n = 1 + Math.floor(r() * 3);
  for (let i = 0; i < n; i++) {
    if (r() < 0.4) f += pick(r, ['x', '[', '] ', 'é', '|', 'ab ']);
    f += randomSpec(r, args);
  }
  if (r() < 0.05) f += '%';
  if (r() < 0.1) args.push(randomValue(r)); // an unused extra argument
  return f;
}

describe('printf', () => {
  test('random formats × random arguments agree with SQLite', () => {
    const r = rng(2024);
    const m = new Mismatches();
    for (let i = 0; i < 6000; i++) {
      const args: SqlValue[] = [];
      const fmt = randomFormat(r, args);
      m.check(`printf(${JSON.stringify(fmt)}, ${args.map(show).join(', ')})`, oracle.call('printf', [fmt, ...args]), ours(() => formatPrintf(fmt, args)));
    }
    expect(m.report()).toEqual([]);
  });

  test('float conversions: digits of many doubles match SQLite exactly', () => {
    const r = rng(7);
    const m = new Mismatches();
    const fmts = ['%!.15g', '%!.17g', '%.17g', '%!.20e', '%.16g', '%.15g', '%g', '%.3f', '%f', '%e', '%.0f', '%.10e', '%!.25f', '%#.3g', '%.1g', '%!.18g', '%!g', '%,.2f'];
    for (let i = 0; i < 2500; i++) {
      const d = randomDouble(r);
      const v = realValue(d);
      const fmt = fmts[i % fmts.length] as string;
      m.check(`printf(${JSON.stringify(fmt)}, ${d})`, oracle.call('printf', [fmt, v]), ours(() => formatPrintf(fmt, [v])));
    }
    expect(m.report()).toEqual([]);
  });

  test('hand-picked cases: rounding ties, NULL results, ordinals, %q family, width in bytes vs characters', () => {
    const m = new Mismatches();
    const cases: [string, SqlValue[]][] = [
      ['%.2f', [real(0.125)]],
      ['%.2f', [real(2.675)]],
      ['%.0f', [real(0.5)]],
      ['%.0f', [real(1.5)]],
      ['%.1f', [real(-0.01)]],
      ['%#.1f', [real(-0.01)]],
      ['%+.1f', [real(-0.01)]],
      ['%f', [new RealBox(-0)]],
      ['', []],
      ['%5-d', [3]],
      ['abc%yxyz', []],
      ['%s', ['']],
      ['%n', []],
      ['%c', ['']],
      ['%c', [null]],
      ['%.3c|%-6.3c|%6.3c', ['é', 'x', '😀']],
      ['%r %r %r %r %r %r %r', [1, 2, 3, 4, 11, 12, 113]],
      ['%r', [-1]],
      ['%q|%Q|%w', [null, null, null]],
      ['%#q|%#Q|%#Q|%#w', ["a\t'", 'b\\', 'c\u0001', 'd"\\']],
      ['%#q', ['\u001f\u0010\u000f']],
      ['%5s|%!5s|%-5s|%!-5s|', ['é', 'é', 'é', 'é']],
      ['%.1s|%!.1s|%.2s|%.3s|', ['é😀', 'é😀', 'é😀', '😀x']],
      ['%.3s', [new Uint8Array([0x41, 0xe2, 0x82, 0xac, 0x43])]],
      ['%.3q|%!.2Q', ["a'bcd", "éé'"]],
      ['%s', ['a\0b']],
      ['%*d|%-*d|%*d', [5, 1, 5, 2, -5, 3]],
      ['%.*f|%.*f', [2, real(3.14159), -2, real(3.14159)]],
      ['%*.*e', [12, 3, real(12345.678)]],
      ['%d %d %d', [1]],
      ['%s|%f|%c|%Q', []],
      ['%,d|%,d|%,010d|%,x', [1234567, -1234567, 1234567, 1234567]],
      ['%#x|%#X|%#o|%#x|%p|%#p', [255, 255, 8, 0, 255, 255]],
      ['%#010x|%010d|%-010d|%+05d', [255, -42, -42, 42]],
      ['%x|%u|%o', [-1, -1, -1]],
      ['%d', [9223372036854775807n]],
      ['%d', [-9223372036854775808n]],
      ['%e|%f|%g|%010f|%+e|% g', [real(Infinity), real(-Infinity), real(Infinity), real(Infinity), real(Infinity), real(Infinity)]],
      ['%d|%f|%s', ['12abc', '1e3x', real(1.5)]],
      ['%.0g|%.0g|%#.0f|%#.0e', [real(0.15), real(0.0015), real(3.5), real(4.5)]],
      ['%!.17g|%!.17g|%!.17g|%!.17g', [real(49.47), real(0.3), real(1e23), real(0.1 + 0.2)]],
      ['%5%|%-5%|', []],
      ['%lld %ld %lx %.3ld', [1, 2, 255, 3]],
      ['%l5d', [3]],
      ['%T', [1]],
      ['abc%', []],
      ['%', [1]],
      ['%.20f|%.2f', [real(0.1), real(1e20)]],
      ['%,.3f|%,g', [real(1234567.891), real(1234567.0)]],
    ];
    for (const [fmt, args] of cases) {
      m.check(`printf(${JSON.stringify(fmt)}, ${args.map(show).join(', ')})`, oracle.call('printf', [fmt, ...args]), ours(() => formatPrintf(fmt, args)));
    }
    expect(m.report()).toEqual([]);
  });

  test('a result longer than SQLITE_MAX_LENGTH is SQLITE_TOOBIG', () => {
    const expected = oracle.call('printf', ['%*d', 2000000000, 1]);
    expect(expected).toBe('ERR string or blob too big');
    expect(ours(() => formatPrintf('%*d', [2000000000, 1]))).toBe(expected);
    expect(() => formatPrintf('%.*c', [1500000000, 'x'])).toThrow(expect.objectContaining({ code: 'SQLITE_TOOBIG' }));
    expect(() => formatPrintf('%*.3c', [1500000000, 'x'])).toThrow(expect.objectContaining({ code: 'SQLITE_TOOBIG' }));
    // a random huge '*' width (low 32 bits of an int64) is TOOBIG in both
    expect(ours(() => formatPrintf('%*.14c', [real(-4379520974979072), 15]))).toBe(oracle.call('printf', ['%*.14c', real(-4379520974979072), 15]));
  });

  test('compilePrintf gives the same results as formatPrintf', () => {
    const f = compilePrintf('%05.1f|%s|%d');
    expect(f([real(3.14159), 'x', 7])).toBe(formatPrintf('%05.1f|%s|%d', [real(3.14159), 'x', 7]));
    expect(f([real(3.14159), 'x', 7])).toBe('003.1|x|7');
  });
});
