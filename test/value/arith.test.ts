// Differential tests of arith.ts: every operator on every pair of sample values, against SQLite.

import * as A from '../../src/value/arith';
import type { SqlValue } from '../../src/value/types';
import { SAMPLE_VALUES, askOrError, describe as show } from './oracle';

const BINARY_OPS: Array<[string, (a: SqlValue, b: SqlValue) => SqlValue]> = [
  ['+', A.add], ['-', A.subtract], ['*', A.multiply], ['/', A.divide], ['%', A.remainder],
  ['&', A.bitAnd], ['|', A.bitOr], ['<<', A.shiftLeft], ['>>', A.shiftRight], ['||', A.concat],
];

const vals = [...SAMPLE_VALUES.filter((v) => !(v instanceof Uint8Array) || v.every((b) => b < 0x80)), 64, -64, 63, 65, -1000];

describe.each(BINARY_OPS)('%s', (op, fn) => {
  test('matches SQLite on all pairs', () => {
    const bad: string[] = [];
    for (const a of vals) {
      for (const b of vals) {
        const want = show(askOrError(`(SELECT x ${op} y FROM (SELECT ? AS x, ? AS y))`, a, b));
        const got = show(fn(a, b));
        if (want !== got) bad.push(`${show(a)} ${op} ${show(b)}: want ${want}, got ${got}`);
      }
    }
    expect(bad.slice(0, 20)).toEqual([]);
  });
});

describe.each([['-', A.negate], ['~', A.bitNot]] as const)('unary %s', (op, fn) => {
  test('matches SQLite', () => {
    const bad: string[] = [];
    for (const a of vals) {
      const want = show(askOrError(`(SELECT ${op} x FROM (SELECT ? AS x))`, a));
      const got = show(fn(a));
      if (want !== got) bad.push(`${op}${show(a)}: want ${want}, got ${got}`);
    }
    expect(bad).toEqual([]);
  });
});

test('integer division of safe integers is exact', () => {
  const big = 9007199254740991;
  for (const d of [1, 2, 3, 7, 10, 94906265, 4503599627370496, -3]) {
    expect(A.divide(big, d)).toBe(Number(BigInt(big) / BigInt(d)));
  }
});
