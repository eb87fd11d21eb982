// Differential tests of the aggregate registry: random sequences of values, against SQLite.

import { getAggregateFunction } from '../../src/value/functions/aggregate';
import type { SqlValue } from '../../src/value/types';
import { SAMPLE_VALUES, db, describe as show, fromSqlite, rng, toParam } from './oracle';

const pool = SAMPLE_VALUES.filter((v) => !(v instanceof Uint8Array) || v.every((b) => b < 0x80));
const nums: SqlValue[] = [0, 1, -1, 7, 1.5, 0.1, 0.2, 1e16, -1e16, 9223372036854775807n, -9223372036854775808n, 100, null, '3', 'x'];

function sequences(from: SqlValue[], count: number, seed: number): SqlValue[][] {
  const r = rng(seed);
  const out: SqlValue[][] = [[], [null], [null, null]];
  for (let i = 0; i < count; i++) {
    const len = 1 + Math.floor(r() * 6);
    out.push(Array.from({ length: len }, () => from[Math.floor(r() * from.length)] as SqlValue));
  }
  return out;
}

db.exec('CREATE TABLE agg(x)');
const ins = db.prepare('INSERT INTO agg VALUES (?)');

function oracleAgg(expr: string, seq: SqlValue[]): string {
  db.exec('DELETE FROM agg');
  for (const v of seq) ins.run(toParam(v));
  try {
    return show(fromSqlite((db.prepare(`SELECT ${expr} FROM agg`).raw(true).get() as unknown[])[0]));
  } catch (e) {
    return `error ${(e as Error).message}`;
  }
}

const CASES: Array<[string, string, SqlValue[]]> = [
  ['count(*)', 'count', []], ['count(x)', 'count', [0]], ['sum(x)', 'sum', [0]], ['total(x)', 'total', [0]],
  ['avg(x)', 'avg', [0]], ['min(x)', 'min', [0]], ['max(x)', 'max', [0]], ['group_concat(x)', 'group_concat', [0]],
  ["group_concat(x, ' | ')", 'group_concat', [0, ' | ']], ["string_agg(x, '')", 'string_agg', [0, '']],
];

describe.each(CASES)('%s', (expr, name, argShape) => {
  test('matches SQLite on random sequences', () => {
    const f = getAggregateFunction(name, argShape.length);
    expect(f).toBeDefined();
    const bad: string[] = [];
    for (const seq of [...sequences(pool, 150, 1), ...sequences(nums, 150, 2)]) {
      const st = f!.create();
      let got: string;
      try {
        for (const v of seq) st.step(argShape.map((a, i) => (i === 0 ? v : a)));
        got = show(st.final());
      } catch (e) {
        got = `error ${(e as Error).message}`;
      }
      const want = oracleAgg(expr, seq);
      if (want !== got) bad.push(`[${seq.map(show).join(', ')}]: want ${want}, got ${got}`);
    }
    expect(bad.slice(0, 10)).toEqual([]);
  });
});

test('inverse makes a sliding window: sum over the last 3 rows', () => {
  const seq: SqlValue[] = [1, 2, 3.5, null, 4, 9223372036854775807n, -5, 'abc', 6];
  const st = getAggregateFunction('sum', 1)!.create();
  const gc = getAggregateFunction('group_concat', 1)!.create();
  db.exec('DELETE FROM agg');
  for (const v of seq) ins.run(toParam(v));
  const want = db
    .prepare('SELECT sum(x) OVER w, group_concat(x) OVER w FROM agg WINDOW w AS (ORDER BY rowid ROWS 2 PRECEDING)')
    .raw(true)
    .all()
    .map((r) => `${show(fromSqlite((r as unknown[])[0]))}/${show(fromSqlite((r as unknown[])[1]))}`);
  const got: string[] = [];
  for (let i = 0; i < seq.length; i++) {
    st.step([seq[i] as SqlValue]);
    gc.step([seq[i] as SqlValue]);
    if (i >= 3) {
      st.inverse?.([seq[i - 3] as SqlValue]);
      gc.inverse?.([seq[i - 3] as SqlValue]);
    }
    got.push(`${show(st.value())}/${show(gc.value())}`);
  }
  expect(got).toEqual(want);
});
