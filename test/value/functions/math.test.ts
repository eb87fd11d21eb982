// Math functions against SQLite: every function over values of every class and edge.
import BetterSqlite3 from 'better-sqlite3';
import { Database } from '../../../src';

const VALUES = ['NULL', '0', '1', '-1', '2', '0.5', '-0.5', '2.0', '10', '100', '1e308', '-1e308', "'4'", "'abc'", "'2.5x'", 'x\'01\'', '9223372036854775807', '-9223372036854775808', '3.7', '-3.7'];
const UNARY = ['acos', 'acosh', 'asin', 'asinh', 'atan', 'atanh', 'cos', 'cosh', 'sin', 'sinh', 'tan', 'tanh', 'degrees', 'radians', 'exp', 'ln', 'log10', 'log2', 'log', 'sqrt', 'ceil', 'ceiling', 'floor', 'trunc'];
const BINARY = ['log', 'atan2', 'pow', 'power', 'mod'];

function ask(db: { prepare(sql: string): { raw(on: boolean): unknown; safeIntegers(on: boolean): unknown; get(): unknown } }, sql: string): unknown {
  const st = db.prepare(sql);
  st.safeIntegers(true);
  st.raw(true);
  return st.get();
}

test('math functions agree with SQLite', () => {
  const ours = new (Database as unknown as new () => Parameters<typeof ask>[0])();
  const sqlite = new BetterSqlite3(':memory:') as unknown as Parameters<typeof ask>[0];
  let checked = 0;
  const exprs: string[] = ['pi()'];
  for (const f of UNARY) for (const v of VALUES) exprs.push(`${f}(${v})`);
  for (const f of BINARY) for (const a of VALUES.slice(0, 12)) for (const b of VALUES.slice(0, 12)) exprs.push(`${f}(${a}, ${b})`);
  for (const e of exprs) {
    const sql = `SELECT ${e}, typeof(${e})`;
    const a = ask(ours, sql) as unknown[];
    const b = ask(sqlite, sql) as unknown[];
    expect({ e, typeof: a[1] }).toEqual({ e, typeof: b[1] });
    if (typeof a[0] === 'number' && typeof b[0] === 'number') {
      // libm and V8 may differ in the last bit of transcendental results.
      const close = a[0] === b[0] || Math.abs(a[0] - b[0]) <= 1e-12 * Math.max(1, Math.abs(b[0]));
      expect({ e, close, a: a[0], b: b[0] }).toEqual({ e, close: true, a: a[0], b: b[0] });
    }
    else expect({ e, v: a[0] }).toEqual({ e, v: b[0] });
    checked++;
  }
  expect(checked).toBeGreaterThan(600);
});
