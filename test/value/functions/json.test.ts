// The JSON functions against SQLite: random JSON/JSON5 documents (and broken ones), paths drawn
// from each document (and broken paths), every scalar function, the subtype rule on nested
// calls, the aggregates (also as sliding windows) and json_each/json_tree rows.

import Database from 'better-sqlite3';
import { getAggregateFunction } from '../../../src/value/functions/aggregate';
import { JSON_SCALAR_FUNCTIONS, JSON_SUBTYPE_FUNCTIONS, jsonArrow, jsonArrow2, jsonEachRows, lastJsonSubtype } from '../../../src/value/functions/json';
import { getScalarFunction, type ScalarFunction } from '../../../src/value/functions/scalar';
import { RealBox, type SqlValue } from '../../../src/value/types';
import { Mismatches, Oracle, bindable, comparable, ours, pick, rng, show } from './oracle';

const oracle = new Oracle();
const db = new Database(':memory:');
afterAll(() => {
  oracle.close();
  db.close();
});

function fn(name: string, argc: number): ScalarFunction {
  const f = getScalarFunction(name, argc);
  if (f === undefined) throw new Error(`no ${name}/${argc}`);
  return f;
}

// ---- random documents -------------------------------------------------------------------------

const KEYS = ['a', 'b', 'c', 'a b', 'x.y', '1', 'é', '', 'k"q', 'A1', '_u', '$d', 'a\\b', 'tab\t'];

function ws(r: () => number, json5: boolean): string {
  const x = r();
  if (x < 0.6) return '';
  if (x < 0.8) return pick(r, [' ', '\n', '\t ', '\r\n']);
  return json5 ? pick(r, ['/* c */', '// line\n', '\u00a0', '\v', '\ufeff', ' /**/ ']) : ' ';
}

function randomString(r: () => number, json5: boolean): string {
  const parts: string[] = [];
  const n = Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    parts.push(pick(r, ['a', 'xyz', ' ', 'é', '😀', '\\n', '\\"', '\\\\', '\\/', '\\u0041', '\\u00e9', '\\ud83d\\ude00', '\\t', "'"]));
    if (json5) parts.push(pick(r, ['', '', "\\'", '\\x41', '\\v', '\\0', '\\\n', '\t', '"']));
  }
  const body = parts.join('');
  if (json5 && r() < 0.3) return "'" + body.replace(/(^|[^\\])'/g, "$1\\'") + "'";
  return '"' + body.replace(/(^|[^\\])"/g, '$1\\"').replace(/\t/g, '\\t') + '"';
}

function randomNumber(r: () => number, json5: boolean): string {
  const std = pick(r, ['0', '1', '-1', '42', '3.25', '-0.5', '1e3', '1.5E-2', '2.0', '1e999', '-1e999', '9223372036854775807',
    '-9223372036854775808', '9223372036854775808', '123456789012345678901234', '0.1', '1.0e+10', '-0']);
  if (!json5 || r() < 0.5) return std;
  return pick(r, ['0x1F', '0XaB', '-0x10', '+5', '.5', '5.', '-.25', '+.5e2', '1.e3', 'Infinity', '-Infinity', '+Infinity', 'NaN',
    'inf', '-inf', 'QNaN', '0xFFFFFFFFFFFFFFFF', '0x10000000000000000']);
}

function randomDoc(r: () => number, depth: number, json5: boolean): string {
  const x = r();
  if (depth > 3 || x < 0.35) {
    const y = r();
    if (y < 0.35) return randomNumber(r, json5);
    if (y < 0.7) return randomString(r, json5);
    return pick(r, ['true', 'false', 'null']);
  }
  const n = Math.floor(r() * 4);
  const items: string[] = [];
  if (x < 0.65) {
    for (let i = 0; i < n; i++) items.push(ws(r, json5) + randomDoc(r, depth + 1, json5) + ws(r, json5));
    const trail = json5 && n > 0 && r() < 0.2 ? ',' : '';
    return '[' + items.join(',') + trail + ws(r, json5) + ']';
  }
  for (let i = 0; i < n; i++) {
    const k = pick(r, KEYS);
    let key = JSON.stringify(k);
    if (json5 && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) && r() < 0.5) key = k;
    items.push(ws(r, json5) + key + ws(r, json5) + ':' + ws(r, json5) + randomDoc(r, depth + 1, json5) + ws(r, json5));
  }
  const trail = json5 && n > 0 && r() < 0.2 ? ',' : '';
  return '{' + items.join(',') + trail + ws(r, json5) + '}';
}

/** Breaks a document: truncation, a stray character, a doubled separator. */
function mutate(r: () => number, doc: string): string {
  const at = Math.floor(r() * (doc.length + 1));
  switch (Math.floor(r() * 4)) {
    case 0: return doc.slice(0, at);
    case 1: return doc.slice(0, at) + pick(r, [',', ':', ']', '}', '"', "'", 'x', '\\', '01', '-', '.', '/*', '\u0001', '[']) + doc.slice(at);
    case 2: return doc.slice(0, at) + doc.slice(at + 1);
    default: return doc + pick(r, [' x', ',', ' /* ', ' // c', '\u00a0', '  ']);
  }
}

function docFor(r: () => number): string {
  const json5 = r() < 0.4;
  const d = ws(r, json5) + randomDoc(r, 0, json5) + ws(r, json5);
  return r() < 0.2 ? mutate(r, d) : d;
}

/** Paths reaching into a parsed (JSON.parse-able) document, plus random and broken ones. */
function pathsFor(r: () => number, doc: string): string[] {
  const out = ['$'];
  let v: unknown;
  try {
    v = JSON.parse(db.prepare('SELECT json(?)').pluck().get(doc) as string);
  } catch {
    v = null;
  }
  const walk = (x: unknown, p: string, depth: number): void => {
    if (depth > 4) return;
    if (Array.isArray(x)) {
      x.forEach((e, i) => {
        const q = r() < 0.3 ? `${p}[#-${x.length - i}]` : `${p}[${i}]`;
        out.push(q);
        walk(e, q, depth + 1);
      });
      out.push(`${p}[${x.length}]`, `${p}[#]`);
    } else if (x !== null && typeof x === 'object') {
      for (const [k, e] of Object.entries(x)) {
        const q = /^[^.[\]"]+$/.test(k) && r() < 0.6 ? `${p}.${k}` : `${p}."${k}"`;
        out.push(q);
        walk(e, q, depth + 1);
      }
      out.push(`${p}.zz`);
    }
  };
  walk(v, '$', 0);
  for (let i = 0; i < 2; i++) {
    out.push(pick(r, ['$.a', '$.a.b', '$[0]', '$[1].a', '$.a[0]', '$."a b"', '$[#-1]', '$[#-0]', '$.', '$[', '$x', 'a', '', '$[ 1]',
      '$."a', '$.a[', '$[0]x', '$[#-x]', '$.b[#]', '$.c[0].d', '$[01]', '$[99999999999]', '$.a"b', '$.A1']));
  }
  return out;
}

function randomSqlValue(r: () => number): SqlValue {
  switch (Math.floor(r() * 9)) {
    case 0: return null;
    case 1: return Math.floor((r() - 0.5) * 1000);
    case 2: return pick(r, [0.5, -2.25, 1 / 3, new RealBox(1e300), 0.1, 123456789.123456789, Infinity, -Infinity]);
    case 3: return new RealBox(pick(r, [2, -0, 1e20, 100]));
    case 4: return pick(r, [9223372036854775807n, -9223372036854775808n]);
    case 5: return pick(r, ['abc', '', '[1,2]', '{"a":1}', 'say "hi"', 'x\ty\n', 'é😀', '\u0001\u001f', 'back\\slash']);
    case 6: return pick(r, [new Uint8Array([0x00]), new Uint8Array([0x13, 0x31]), new Uint8Array([0xff]), new Uint8Array([0x41])]);
    default: return pick(r, ['1', 'null', 'true']);
  }
}

const DOCS: string[] = [];
{
  const r = rng(20260524);
  for (let i = 0; i < 1500; i++) DOCS.push(docFor(r));
  DOCS.push('', ' ', '[', '{', '[1,,2]', '{"a" 1}', '01', '-01', '[1] x', '{ 1:2}', '"\u0000"', '[1,]', '{a:1,}', '[,]', '{,}',
    '"\\q"', '"abc', "'abc'", '/* x', '1 /* x', '1 // x', '[1e5.0]', '[1.e]', '[-]', '[+]', '[.]', '[1.2.3]', '[1e1e1]', '[0x]',
    '[--1]', '{"a":}', '{:1}', '{"a"::1}', '{a b:1}', '{\\u0061:1}', '{"a":1 "b":2}', '[1 2]', 'tru', 'nulll', 'truex',
    '[' .repeat(1001) + ']'.repeat(1001), '['.repeat(999) + ']'.repeat(999), '"\\u12"', '"\\x4"', "'\\\r\nx'", '"a\u2028b"');
}

const CASES_PER_RUN = { docs: DOCS.length };

// ---- the tests --------------------------------------------------------------------------------

describe('JSON functions against SQLite', () => {
  test('json, json_valid (all flags), json_error_position, json_type, json_array_length, json_pretty on documents', () => {
    const m = new Mismatches();
    for (const d of DOCS) {
      m.check(`json(${show(d)})`, oracle.call('json', [d]), ours(() => fn('json', 1).call([d])));
      m.check(`json_error_position(${show(d)})`, oracle.call('json_error_position', [d]), ours(() => fn('json_error_position', 1).call([d])));
      for (const flags of [1, 2, 3, 6]) {
        m.check(`json_valid(${show(d)},${flags})`, oracle.call('json_valid', [d, flags]), ours(() => fn('json_valid', 2).call([d, flags])));
      }
      m.check(`json_type(${show(d)})`, oracle.call('json_type', [d]), ours(() => fn('json_type', 1).call([d])));
      m.check(`json_array_length(${show(d)})`, oracle.call('json_array_length', [d]), ours(() => fn('json_array_length', 1).call([d])));
      m.check(`json_pretty(${show(d)})`, oracle.call('json_pretty', [d]), ours(() => fn('json_pretty', 1).call([d])));
      m.check(`json_pretty(${show(d)},'\\t')`, oracle.call('json_pretty', [d, '\t']), ours(() => fn('json_pretty', 2).call([d, '\t'])));
    }
    expect(m.count).toBeGreaterThan(CASES_PER_RUN.docs * 9);
    expect(m.report()).toEqual([]);
  });

  test('non-text inputs: numbers, NULL, JSONB and non-JSONB blobs, bad flags', () => {
    const m = new Mismatches();
    const inputs: SqlValue[] = [null, 1, -5, 1.5, new RealBox(2), new RealBox(1e300), 9223372036854775807n, new Uint8Array([0x31]), new Uint8Array([0x00]),
      new Uint8Array([0x13, 0x31]), new Uint8Array([0xff]), new Uint8Array([0x0b]), new Uint8Array([0x2c, 0x17, 0x61, 0x13, 0x31])];
    for (const v of inputs) {
      for (const f of ['json', 'json_type', 'json_array_length', 'json_error_position', 'json_quote']) {
        m.check(`${f}(${show(v)})`, oracle.call(f, [v]), ours(() => fn(f, 1).call([v])));
      }
      for (const flags of [1, 2, 4, 8, 12, 15]) m.check(`json_valid(${show(v)},${flags})`, oracle.call('json_valid', [v, flags]), ours(() => fn('json_valid', 2).call([v, flags])));
      m.check(`json_array(${show(v)})`, oracle.call('json_array', [v]), ours(() => fn('json_array', 1).call([v])));
    }
    for (const flags of [0, 16, -1, null, 'x', 1.5]) m.check(`json_valid flags ${show(flags)}`, oracle.call('json_valid', ['1', flags]), ours(() => fn('json_valid', 2).call(['1', flags])));
    expect(m.report()).toEqual([]);
  });

  test('json_extract, json_type, json_array_length, -> and ->> with paths from each document', () => {
    const r = rng(7);
    const m = new Mismatches();
    const arrow = db.prepare('SELECT ? -> ?').pluck().safeIntegers(true);
    const arrow2 = db.prepare('SELECT ? ->> ?').pluck().safeIntegers(true);
    const viaStmt = (st: Database.Statement, a: SqlValue, b: SqlValue): unknown => {
      try {
        return st.get(bindable(a), bindable(b));
      } catch (e) {
        return `ERR ${(e as Error).message}`;
      }
    };
    for (const d of DOCS) {
      const paths = pathsFor(r, d);
      for (const p of paths) {
        for (const f of ['json_extract', 'json_type', 'json_array_length']) {
          m.check(`${f}(${show(d)}, ${show(p)})`, oracle.call(f, [d, p]), ours(() => fn(f, 2).call([d, p])));
        }
        m.check(`${show(d)} -> ${show(p)}`, viaStmt(arrow, d, p), ours(() => jsonArrow(d, p)));
        m.check(`${show(d)} ->> ${show(p)}`, viaStmt(arrow2, d, p), ours(() => jsonArrow2(d, p)));
      }
      const multi = [d, pick(r, paths), pick(r, paths), pick(r, paths)];
      m.check(`json_extract(${multi.map(show).join(', ')})`, oracle.call('json_extract', multi), ours(() => fn('json_extract', 4).call(multi)));
      // abbreviated arrow operands: integers (negative too), bare labels, [N], other text, reals
      for (const p of [0, 1, -1, -2, 5, 'a', 'a b', 'x.y', '[0]', '[#-1]', 'é', '1', 1.5, new RealBox(1), null, '']) {
        m.check(`${show(d)} -> ${show(p)}`, viaStmt(arrow, d, p), ours(() => jsonArrow(d, p)));
        m.check(`${show(d)} ->> ${show(p)}`, viaStmt(arrow2, d, p), ours(() => jsonArrow2(d, p)));
      }
    }
    expect(m.count).toBeGreaterThan(20000);
    expect(m.report()).toEqual([]);
  });

  test('json_set, json_insert, json_replace, json_remove, json_patch on documents', () => {
    const r = rng(99);
    const m = new Mismatches();
    for (const d of DOCS) {
      const paths = pathsFor(r, d);
      for (let k = 0; k < 4; k++) {
        const f = pick(r, ['json_set', 'json_insert', 'json_replace']);
        const args: SqlValue[] = [d];
        const n = 1 + Math.floor(r() * 2);
        for (let i = 0; i < n; i++) {
          let p = pick(r, paths);
          if (r() < 0.3) p += pick(r, ['.new', '[0]', '[#]', '.n[0]', '.n.m', '[1]', '[#-1]', '."q r"', '.n[1]', '.n[', '.n[#-1]']);
          args.push(p, randomSqlValue(r));
        }
        m.check(`${f}(${args.map(show).join(', ')})`, oracle.call(f, args), ours(() => fn(f, args.length).call(args)));
        const rm = [d, pick(r, paths), pick(r, paths)];
        m.check(`json_remove(${rm.map(show).join(', ')})`, oracle.call('json_remove', rm), ours(() => fn('json_remove', 3).call(rm)));
        const other = pick(r, DOCS);
        m.check(`json_patch(${show(d)}, ${show(other)})`, oracle.call('json_patch', [d, other]), ours(() => fn('json_patch', 2).call([d, other])));
      }
    }
    for (const f of ['json_set', 'json_insert', 'json_replace']) {
      m.check(`${f} even`, oracle.call(f, ['{}', '$.a']), ours(() => fn(f, 2).call(['{}', '$.a'])));
      m.check(`${f} null path`, oracle.call(f, ['{}', null, 1]), ours(() => fn(f, 3).call(['{}', null, 1])));
    }
    expect(m.report()).toEqual([]);
  });

  test('json_array, json_object, json_quote over every storage class', () => {
    const r = rng(3);
    const m = new Mismatches();
    for (let i = 0; i < 800; i++) {
      const n = Math.floor(r() * 5);
      const vals: SqlValue[] = [];
      for (let k = 0; k < n; k++) vals.push(randomSqlValue(r));
      m.check(`json_array(${vals.map(show).join(', ')})`, oracle.call('json_array', vals), ours(() => fn('json_array', n).call(vals)));
      const obj: SqlValue[] = [];
      for (let k = 0; k < n; k++) obj.push(r() < 0.9 ? pick(r, KEYS) : randomSqlValue(r), randomSqlValue(r));
      if (r() < 0.1) obj.push('odd');
      m.check(`json_object(${obj.map(show).join(', ')})`, oracle.call('json_object', obj), ours(() => fn('json_object', obj.length).call(obj)));
      const v = randomSqlValue(r);
      m.check(`json_quote(${show(v)})`, oracle.call('json_quote', [v]), ours(() => fn('json_quote', 1).call([v])));
    }
    expect(m.report()).toEqual([]);
  });
});

// ---- the subtype rule ---------------------------------------------------------------------------

/** A nested call: literals are SqlValues, calls are [name, ...args]. */
type Expr = SqlValue | { call: string; args: Expr[] };

function toSql(e: Expr, params: SqlValue[]): string {
  if (e !== null && typeof e === 'object' && 'call' in e) return `${e.call}(${e.args.map((a) => toSql(a, params)).join(', ')})`;
  params.push(e as SqlValue);
  return '?';
}

/** Evaluates as the executor is meant to: a call argument's subtype is read right after it. */
function evaluate(e: Expr): SqlValue {
  if (!(e !== null && typeof e === 'object' && 'call' in e)) return e as SqlValue;
  const vals: SqlValue[] = [];
  const isJson: boolean[] = [];
  for (const a of e.args) {
    vals.push(evaluate(a));
    isJson.push(a !== null && typeof a === 'object' && 'call' in a && JSON_SUBTYPE_FUNCTIONS.has(a.call) && lastJsonSubtype());
  }
  const f = fn(e.call, vals.length);
  return f.callJson ? f.callJson(vals, isJson) : f.call(vals);
}

describe('the JSON subtype rule', () => {
  test('named cases', () => {
    const m = new Mismatches();
    const cases: Expr[] = [
      { call: 'json_array', args: [{ call: 'json', args: ['[1]'] }] },
      { call: 'json_array', args: ['[1]'] },
      { call: 'json_array', args: [{ call: 'json_extract', args: ['{"a":[1,2]}', '$.a'] }] },
      { call: 'json_array', args: [{ call: 'json_extract', args: ['{"a":"[1]"}', '$.a'] }] },
      { call: 'json_array', args: [{ call: 'json_quote', args: ['x'] }] },
      { call: 'json_quote', args: [{ call: 'json', args: ['[1]'] }] },
      { call: 'json_object', args: ['a', { call: 'json_object', args: ['b', 1] }] },
      { call: 'json_set', args: ['{"a":1}', '$.a', { call: 'json', args: ['[1]'] }] },
      { call: 'json_set', args: ['{"a":1}', '$.a', '[1]'] },
      { call: 'json_array', args: [{ call: 'upper', args: [{ call: 'json', args: ['["a"]'] }] }] },
      { call: 'json_array', args: [{ call: 'json_remove', args: ['[1,2]', '$[0]'] }, { call: 'json_patch', args: ['{}', '{"a":1}'] }] },
      { call: 'json_array', args: [{ call: 'json_type', args: ['[1]'] }, { call: 'json_valid', args: ['[1]'] }] },
      { call: 'json_array', args: [{ call: 'json_pretty', args: ['[1]'] }] },
    ];
    for (const e of cases) {
      const params: SqlValue[] = [];
      const sql = toSql(e, params);
      let expected: unknown;
      try {
        expected = db.prepare(`SELECT ${sql}`).pluck().safeIntegers(true).get(...params.map(bindable));
      } catch (err) {
        expected = `ERR ${(err as Error).message}`;
      }
      m.check(sql + ' ' + params.map(show).join(','), expected, ours(() => evaluate(e)));
    }
    expect(m.report()).toEqual([]);
  });

  test('random nestings of JSON functions', () => {
    const r = rng(11);
    const m = new Mismatches();
    const gen = (depth: number): Expr => {
      if (depth > 2 || r() < 0.35) return r() < 0.5 ? randomSqlValue(r) : pick(r, DOCS.slice(0, 200));
      const f = pick(r, ['json', 'json_array', 'json_object', 'json_quote', 'json_extract', 'json_set', 'json_insert', 'json_patch', 'json_remove']);
      switch (f) {
        case 'json': return { call: f, args: [gen(depth + 1)] };
        case 'json_quote': return { call: f, args: [gen(depth + 1)] };
        case 'json_array': return { call: f, args: [gen(depth + 1), gen(depth + 1)] };
        case 'json_object': return { call: f, args: [pick(r, KEYS), gen(depth + 1)] };
        case 'json_extract': return { call: f, args: [gen(depth + 1), pick(r, ['$', '$[0]', '$.a', '$[1]'])] };
        case 'json_patch': return { call: f, args: [gen(depth + 1), gen(depth + 1)] };
        case 'json_remove': return { call: f, args: [gen(depth + 1), pick(r, ['$[0]', '$.a'])] };
        default: return { call: f, args: [gen(depth + 1), pick(r, ['$.a', '$[0]', '$[#]', '$']), gen(depth + 1)] };
      }
    };
    for (let i = 0; i < 1500; i++) {
      const e = gen(0);
      const params: SqlValue[] = [];
      const sql = toSql(e, params);
      let expected: unknown;
      try {
        expected = db.prepare(`SELECT ${sql}`).pluck().safeIntegers(true).get(...params.map(bindable));
      } catch (err) {
        expected = `ERR ${(err as Error).message}`;
      }
      m.check(sql + ' ' + params.map(show).join(','), expected, ours(() => evaluate(e)));
    }
    expect(m.report()).toEqual([]);
  });
});

// ---- aggregates ---------------------------------------------------------------------------------

describe('json_group_array and json_group_object', () => {
  test('grouped and as sliding windows (inverse)', () => {
    const r = rng(5);
    const m = new Mismatches();
    for (let t = 0; t < 150; t++) {
      const n = Math.floor(r() * 7);
      const rows: [SqlValue, SqlValue][] = [];
      for (let i = 0; i < n; i++) rows.push([r() < 0.8 ? pick(r, KEYS) : randomSqlValue(r), randomSqlValue(r)]);
      db.exec('DROP TABLE IF EXISTS t; CREATE TABLE t(i INTEGER PRIMARY KEY, k, v)');
      const ins = db.prepare('INSERT INTO t(k, v) VALUES (?, ?)');
      for (const [k, v] of rows) ins.run(bindable(k), bindable(v));
      const q = (sql: string): unknown[] => {
        try {
          return db.prepare(sql).pluck().safeIntegers(true).all();
        } catch (e) {
          return [`ERR ${(e as Error).message}`];
        }
      };
      const agg = (name: string, argc: number, pick2: (row: [SqlValue, SqlValue]) => SqlValue[], frame: number | null): unknown[] => {
        try {
          const f = getAggregateFunction(name, argc)!;
          if (frame === null) {
            const s = f.create();
            for (const row of rows) s.step(pick2(row));
            return [comparable(s.final())];
          }
          const s = f.create();
          const out: unknown[] = [];
          rows.forEach((row, i) => {
            s.step(pick2(row));
            if (i - frame - 1 >= 0) s.inverse!(pick2(rows[i - frame - 1]!));
            out.push(comparable(s.value()));
          });
          return out;
        } catch (e) {
          return [`ERR ${(e as Error).message}`];
        }
      };
      const data = rows.map(([k, v]) => `${show(k)}:${show(v)}`).join(' ');
      m.check(`json_group_array ${data}`, JSON.stringify(q('SELECT json_group_array(v) FROM t'), big), JSON.stringify(agg('json_group_array', 1, (x) => [x[1]], null), big));
      m.check(`json_group_object ${data}`, JSON.stringify(q('SELECT json_group_object(k, v) FROM t'), big), JSON.stringify(agg('json_group_object', 2, (x) => [x[0], x[1]], null), big));
      m.check(`json_group_array window ${data}`, JSON.stringify(q('SELECT json_group_array(v) OVER (ORDER BY i ROWS 2 PRECEDING) FROM t ORDER BY i'), big),
        JSON.stringify(agg('json_group_array', 1, (x) => [x[1]], 2), big));
      m.check(`json_group_object window ${data}`, JSON.stringify(q('SELECT json_group_object(k, v) OVER (ORDER BY i ROWS 1 PRECEDING) FROM t ORDER BY i'), big),
        JSON.stringify(agg('json_group_object', 2, (x) => [x[0], x[1]], 1), big));
    }
    expect(m.report()).toEqual([]);
  });

  test('subtype of the aggregated value', () => {
    const s = getAggregateFunction('json_group_array', 1)!.create();
    s.stepJson!(['[1]'], [true]);
    s.stepJson!(['[1]'], [false]);
    expect(s.final()).toBe('[[1],"[1]"]');
    expect(db.prepare(`SELECT json_group_array(json(x)) || json_group_array(x) FROM (SELECT '[1]' x)`).pluck().get()).toBe('[[1]]["[1]"]');
  });
});

function big(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? `${v}n` : Buffer.isBuffer(v) ? `x${v.toString('hex')}` : v;
}

// ---- json_each / json_tree ----------------------------------------------------------------------

describe('jsonEachRows', () => {
  test('json_each and json_tree rows, with and without a path', () => {
    const r = rng(17);
    const m = new Mismatches();
    for (const d of DOCS) {
      const paths = [undefined, ...pathsFor(r, d).slice(0, 6)];
      for (const p of paths) {
        for (const recursive of [false, true]) {
          const t = recursive ? 'json_tree' : 'json_each';
          let expected: unknown;
          try {
            const sql = `SELECT key, value, type, atom, id, parent, fullkey, path FROM ${t}(?${p === undefined ? '' : ', ?'})`;
            expected = db.prepare(sql).raw().safeIntegers(true).all(...(p === undefined ? [d] : [d, p]));
          } catch (e) {
            expected = `ERR ${(e as Error).message}`;
          }
          let actual: unknown;
          try {
            actual = jsonEachRows(d, p, recursive).map((row) => row.map(comparable));
          } catch (e) {
            actual = `ERR ${(e as Error).message}`;
          }
          m.check(`${t}(${show(d)}, ${show(p)})`, JSON.stringify(expected, big), JSON.stringify(actual, big));
        }
      }
    }
    expect(m.count).toBeGreaterThan(3000);
    expect(m.report()).toEqual([]);
  });
});

test('every JSON function is registered', () => {
  for (const f of JSON_SCALAR_FUNCTIONS) expect(getScalarFunction(f.name, f.minArgs)).toBe(f);
});
