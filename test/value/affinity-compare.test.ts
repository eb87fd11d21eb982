// Differential tests of affinity.ts, compare.ts and collation.ts against SQLite.

import { affinityOfType, applyAffinity, applyComparisonAffinity, comparisonAffinities, type Affinity } from '../../src/value/affinity';
import { BINARY, NOCASE, RTRIM, getCollation } from '../../src/value/collation';
import { compareValues, groupKey } from '../../src/value/compare';
import { RealBox, type SqlValue } from '../../src/value/types';
import { SAMPLE_VALUES, ask, db, describe as show, toParam } from './oracle';

const COLS: Array<[string, Affinity]> = [['a', 'INTEGER'], ['b', 'TEXT'], ['c', 'REAL'], ['d', 'NUMERIC'], ['e', 'BLOB']];

describe('affinityOfType', () => {
  const cases: Array<[string | null, Affinity]> = [
    ['INT', 'INTEGER'], ['integer', 'INTEGER'], ['BIGINT', 'INTEGER'], ['POINT', 'INTEGER'], ['VARCHAR(10)', 'TEXT'],
    ['CLOB', 'TEXT'], ['text', 'TEXT'], ['CHARINT', 'INTEGER'], ['BLOB', 'BLOB'], [null, 'BLOB'], ['', 'BLOB'],
    ['REAL', 'REAL'], ['FLOAT', 'REAL'], ['DOUBLE PRECISION', 'REAL'], ['NUMERIC', 'NUMERIC'], ['DECIMAL(10,5)', 'NUMERIC'],
    ['BOOLEAN', 'NUMERIC'], ['DATE', 'NUMERIC'], ['STRING', 'NUMERIC'], ['FLOATING POINT', 'INTEGER'],
  ];
  test.each(cases)('%s → %s', (t, a) => {
    expect(affinityOfType(t)).toBe(a);
    // the oracle: a CAST to that type name uses the same affinity rules
    if (t !== null && t !== '') {
      db.exec('DROP TABLE IF EXISTS ta');
      db.exec(`CREATE TABLE ta(x ${t})`);
      db.prepare('INSERT INTO ta VALUES (?)').run('  12  ');
      const got = db.prepare('SELECT typeof(x) FROM ta').pluck().get() as string;
      const expected = { INTEGER: 'integer', NUMERIC: 'integer', REAL: 'real', TEXT: 'text', BLOB: 'text' }[a];
      expect(got).toBe(expected);
    }
  });
});

describe('applyAffinity matches storing into a column', () => {
  db.exec('CREATE TABLE t(a INT, b TEXT, c REAL, d NUMERIC, e BLOB)');
  const ins = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?, ?)');
  const sel = db.prepare('SELECT a, b, c, d, e FROM t').raw(true);
  for (const [col, aff] of COLS) {
    test(`${col} ${aff}`, () => {
      const bad: string[] = [];
      for (const v of SAMPLE_VALUES) {
        db.exec('DELETE FROM t');
        const p = toParam(v);
        ins.run(p, p, p, p, p);
        const row = sel.get() as unknown[];
        const idx = COLS.findIndex(([c]) => c === col);
        const want = show(fromRow(row[idx]));
        const got = show(applyAffinity(v, aff));
        if (want !== got) bad.push(`${show(v)}: want ${want}, got ${got}`);
      }
      expect(bad).toEqual([]);
    });
  }
});

function fromRow(x: unknown): SqlValue {
  if (typeof x === 'bigint') return x >= -9007199254740991n && x <= 9007199254740991n ? Number(x) : x;
  if (typeof x === 'number') return Number.isInteger(x) ? new RealBox(x) : x;
  if (x instanceof Uint8Array) return new Uint8Array(x);
  return x as SqlValue;
}

describe('compareValues matches ORDER BY and =', () => {
  const vals = SAMPLE_VALUES;
  test('pairwise against SQLite (no affinity: both operands are expressions)', () => {
    const bad: string[] = [];
    for (const a of vals) {
      for (const b of vals) {
        const want = ask('CASE WHEN ?1 IS ?2 THEN 0 WHEN ?1 < ?2 THEN -1 WHEN ?1 > ?2 THEN 1 ELSE -2 END'.replace(/\?1/g, 'x').replace(/\?2/g, 'y').replace(/^/, '(SELECT ').concat(' FROM (SELECT ? AS x, ? AS y))'), a, b);
        // NULL IS NULL is 0; NULL vs value: ORDER BY puts NULL first
        const expected = a === null && b !== null ? -1 : b === null && a !== null ? 1 : want;
        const got = Math.sign(compareValues(a, b));
        if (got !== expected) bad.push(`${show(a)} vs ${show(b)}: want ${String(expected)}, got ${got}`);
      }
    }
    expect(bad.slice(0, 20)).toEqual([]);
  });
  test('int64 vs double is exact', () => {
    expect(compareValues(9007199254740993n, new RealBox(9007199254740992))).toBe(1);
    expect(compareValues(new RealBox(9007199254740992), 9007199254740992n)).toBe(0);
    expect(compareValues(9223372036854775807n, new RealBox(9223372036854775808))).toBe(-1);
    expect(compareValues(-9223372036854775808n, new RealBox(-9223372036854775808))).toBe(0);
    expect(compareValues(9007199254740993n, Infinity)).toBe(-1);
    expect(compareValues(-9007199254740993n, 0.5)).toBe(-1);
  });
});

describe('collations', () => {
  const texts = SAMPLE_VALUES.filter((v): v is string => typeof v === 'string');
  for (const [name, coll] of [['BINARY', BINARY], ['NOCASE', NOCASE], ['RTRIM', RTRIM]] as const) {
    test(name, () => {
      expect(getCollation(name.toLowerCase())).toBe(coll);
      const st = db.prepare(`SELECT (? < ? COLLATE ${name}) - (? > ? COLLATE ${name})`).pluck();
      const bad: string[] = [];
      for (const a of texts) {
        for (const b of texts) {
          const want = -Number(st.get(a, b, a, b) as bigint);
          const got = Math.sign(coll(a, b));
          if (want !== got) bad.push(`${JSON.stringify(a)} vs ${JSON.stringify(b)}: want ${want}, got ${got}`);
        }
      }
      expect(bad.slice(0, 20)).toEqual([]);
    });
  }
  test('unknown collation', () => expect(getCollation('foo')).toBeUndefined());
});

describe('groupKey matches GROUP BY', () => {
  test('single and two-column keys', () => {
    db.exec('CREATE TABLE g(x, y)');
    const ins = db.prepare('INSERT INTO g VALUES (?, ?)');
    const vals = SAMPLE_VALUES;
    for (let i = 0; i < vals.length; i++) ins.run(toParam(vals[i] as SqlValue), toParam(vals[(i * 7) % 5] as SqlValue));
    const n1 = Number(db.prepare('SELECT count(*) FROM (SELECT x FROM g GROUP BY x)').pluck().get());
    const n2 = Number(db.prepare('SELECT count(*) FROM (SELECT DISTINCT x, y FROM g)').pluck().get());
    expect(new Set(vals.map((v) => groupKey([v]))).size).toBe(n1);
    expect(new Set(vals.map((v, i) => groupKey([v, vals[(i * 7) % 5] as SqlValue]))).size).toBe(n2);
    expect(groupKey([1])).toBe(groupKey([new RealBox(1)]));
    expect(groupKey([9007199254740992n])).toBe(groupKey([new RealBox(9007199254740992)]));
    expect(groupKey(['1'])).not.toBe(groupKey([1]));
    expect(groupKey([new Uint8Array([0x61])])).not.toBe(groupKey(['a']));
    expect(groupKey(['a', 'bc'])).not.toBe(groupKey(['ab', 'c']));
  });
});

describe('comparison affinity', () => {
  test('column vs expression and column vs column, against SQLite', () => {
    db.exec('CREATE TABLE ca(a INT, b TEXT, c REAL, d NUMERIC, e BLOB)');
    const probes: SqlValue[] = [1, '1', '1.0', ' 1 ', 'abc', 1.5, '1.5', new RealBox(1), new Uint8Array([0x31])];
    const bad: string[] = [];
    for (const stored of probes) {
      db.exec('DELETE FROM ca');
      const p = toParam(stored);
      db.prepare('INSERT INTO ca VALUES (?, ?, ?, ?, ?)').run(p, p, p, p, p);
      const row = (db.prepare('SELECT a, b, c, d, e FROM ca').raw(true).get() as unknown[]).map(fromRow);
      for (const [ci, [col, aff]] of COLS.entries()) {
        for (const probe of probes) {
          const want = Number(db.prepare(`SELECT ${col} = ? FROM ca`).pluck().get(toParam(probe)) as bigint);
          const [la, ra] = comparisonAffinities(aff, null);
          const l = applyComparisonAffinity(row[ci] as SqlValue, la);
          const r = applyComparisonAffinity(probe, ra);
          const got = compareValues(l, r) === 0 ? 1 : 0;
          if (want !== got) bad.push(`${col}(${show(stored)}) = ${show(probe)}: want ${want}, got ${got}`);
        }
        for (const [cj, [col2, aff2]] of COLS.entries()) {
          const want = Number(db.prepare(`SELECT ${col} = ${col2} FROM ca`).pluck().get() as bigint);
          const [la, ra] = comparisonAffinities(aff, aff2);
          const got = compareValues(applyComparisonAffinity(row[ci] as SqlValue, la), applyComparisonAffinity(row[cj] as SqlValue, ra)) === 0 ? 1 : 0;
          if (want !== got) bad.push(`${col}=${col2} (${show(stored)}): want ${want}, got ${got}`);
        }
      }
    }
    expect(bad.slice(0, 20)).toEqual([]);
  });
});
