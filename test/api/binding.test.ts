// Binding: each case runs on better-sqlite3 and on AmberDB (fake engine), in raw mode, and must
// give the same row or the same error (class and message).
import { BetterSqlite3, open, outcome } from './helpers';

class Plain {
  a = 1;
}
const nullProto = Object.assign(Object.create(null) as object, { a: 7 });
const inherited = Object.create({ a: 1 }) as object;

const cases: [string, unknown[]][] = [
  ['SELECT typeof(?), ?', [2, 2]],
  ['SELECT typeof(?)', [2.5]],
  ['SELECT typeof(?)', [-0]],
  ['SELECT typeof(?)', [NaN]],
  ['SELECT ?', [Infinity]],
  ['SELECT ?', [-Infinity]],
  ['SELECT ?', [1e300]],
  ['SELECT ?', [true]],
  ['SELECT ?', [new Date(0)]],
  ['SELECT ?', [Symbol('x')]],
  ['SELECT ?', [() => 1]],
  ['SELECT ?', [2n ** 63n]],
  ['SELECT ?', [-(2n ** 63n) - 1n]],
  ['SELECT ?, typeof(?)', [2n ** 62n, 5n]],
  ['SELECT ?', [-(2n ** 63n)]],
  ['SELECT typeof(?)', [new Uint8Array([1, 2])]],
  ['SELECT ?', [Buffer.from('ab')]],
  ['SELECT ?', [new DataView(new ArrayBuffer(2))]],
  ['SELECT ?', [new ArrayBuffer(2)]],
  ['SELECT ?', ['héllo']],
  ['SELECT ?', [null]],
  ['SELECT ?', [undefined]],
  ['SELECT ?', []],
  ['SELECT ?', [1, 2]],
  ['SELECT ?, ?', [1]],
  ['SELECT ?', [1, true]],
  ['SELECT ?', [true, 1]],
  ['SELECT ?', [[1, 2]]],
  ['SELECT ?, ?', [[1, [2]]]],
  ['SELECT ?, ?', [[1], 2]],
  ['SELECT ?, ?', [[1, undefined]]],
  ['SELECT 1', []],
  ['SELECT 1', [1]],
  ['SELECT 1', [{}]],
  ['SELECT 1', [[]]],
  ['SELECT :a, @a, $a, :b', [{ a: 1, b: 2 }]],
  ['SELECT :a, :b', [{ a: 1 }]],
  ['SELECT :a', [1]],
  ['SELECT :a', []],
  ['SELECT :a', [{ ':a': 1 }]],
  ['SELECT :a, :b', [{ a: 1 }, { b: 2 }]],
  ['SELECT :a', [{ a: 1 }, { a: 2 }]],
  ['SELECT ?, :a, ?', [1, { a: 2 }, 3]],
  ['SELECT ?, :a, ?', [[1, 3], { a: 2 }]],
  ['SELECT :a', [{ a: 1, b: 2 }]],
  ['SELECT ?', [{ a: 1 }]],
  ['SELECT :a', [new Map([['a', 1]])]],
  ['SELECT :a', [new Plain()]],
  ['SELECT ?', [new Plain()]],
  ['SELECT :a', [nullProto]],
  ['SELECT :a', [inherited]],
  ['SELECT :a', [{ a: undefined }]],
  ['SELECT :a', [{ a: true }]],
  ['SELECT :a', [{ a: 2n ** 64n }]],
  ['SELECT :a', [[{ a: 1 }]]],
  ['SELECT ?, ?', [{}, 1]],
  ['SELECT ?1', [5]],
  ['SELECT ?1', [{ 1: 5 }]],
  ['SELECT ?1, ?', [5]],
  ['SELECT ?2', [5, 6]],
  ['SELECT ?2', [{ 2: 5 }]],
  ['SELECT :a, ?', [{ a: 1 }]],
  ['SELECT :a, ?', [2, { a: 1 }]],
  ['SELECT :a, :a', [{ a: 3 }]],
];

describe('binding matches better-sqlite3', () => {
  const oracle = new BetterSqlite3(':memory:');
  const { db } = open();
  afterAll(() => oracle.close());

  test.each(cases.map(([sql, args], i) => [i, sql, args] as const))('#%d %s', (_i, sql, args) => {
    const expected = outcome(() => oracle.prepare(sql).raw().get(...args));
    const actual = outcome(() => db.prepare(sql).raw().get(...args));
    expect(actual).toEqual(expected);
  });

  test('-0 stays -0, as a REAL', () => {
    expect(Object.is(db.prepare('SELECT ?').pluck().get(-0), -0)).toBe(true);
  });

  test('a bound buffer is copied: later writes to it do not reach the value', () => {
    const buf = Buffer.from([1, 2, 3]);
    const stmt = db.prepare('SELECT ?').pluck().bind(buf);
    buf[0] = 9;
    expect(stmt.get()).toEqual(Buffer.from([1, 2, 3]));
  });

  test('the parameter array is reused without leaking values between calls', () => {
    const stmt = db.prepare('SELECT ?, :a').raw();
    expect(stmt.get(1, { a: 2 })).toEqual([1, 2]);
    expect(outcome(() => stmt.get({ a: 2 }))).toEqual({ error: 'RangeError', message: 'Too few parameter values were provided' });
    expect(stmt.get('x', { a: null })).toEqual(['x', null]);
  });
});
