// The shape of what the parser builds: precedence, joins, literal texts, names, parameters and
// positions. Expressions are compared as S-expressions (src/sql/print-ast.ts).
import type { Expr, SelectStatement, Statement, SelectCore, JoinClause, TableRef, ResultColumn } from '../../src/sql/ast';
import { parseExpression, parseNext, parseScript } from '../../src/sql/parser';
import { printExpr } from '../../src/sql/print-ast';

function one(sql: string): Statement {
  const all = parseScript(sql);
  expect(all).toHaveLength(1);
  return all[0]!;
}
function core(sql: string): SelectCore {
  const s = one(sql) as SelectStatement;
  expect(s.body.kind).toBe('select-core');
  return s.body as SelectCore;
}
function firstColumn(sql: string): Expr {
  const c = core(sql).columns[0] as Extract<ResultColumn, { kind: 'result-expr' }>;
  return c.expr;
}
const expr = (sql: string): string => printExpr(parseExpression(sql));

describe('operator precedence (SQLite lang_expr)', () => {
  test.each([
    ['a = 1 OR b = 2 AND c = 3', '(OR (= a 1) (AND (= b 2) (= c 3)))'],
    ['a OR b OR c', '(OR (OR a b) c)'],
    ['NOT a AND b', '(AND (NOT a) b)'],
    ['NOT a = b', '(NOT (= a b))'],
    ['a AND NOT b OR c', '(OR (AND a (NOT b)) c)'],
    ['1 + NOT 0 = 0', '(+ 1 (NOT (= 0 0)))'],
    ['a = b < c', '(= a (< b c))'],
    ['a < b = c', '(= (< a b) c)'],
    ['a == b <> c', '(!= (= a b) c)'],
    ['a < b & c', '(< a (& b c))'],
    ['a & b + c', '(& a (+ b c))'],
    ['a << 1 | b >> 2', '(>> (| (<< a 1) b) 2)'],
    ['1 + 2 * 3', '(+ 1 (* 2 3))'],
    ['1 - 2 - 3', '(- (- 1 2) 3)'],
    ['a * b || c', '(* a (|| b c))'],
    ['a || b -> c ->> d', '(->> (-> (|| a b) c) d)'],
    ['-a || b', '(|| (- a) b)'],
    ['-a COLLATE nocase', '(COLLATE (- a) nocase)'],
    ['a || b COLLATE x', '(|| a (COLLATE b x))'],
    ['~a + 1', '(+ (~ a) 1)'],
    ['- - 1', '(- (- 1))'],
    ['a IS NOT b', '(IS NOT a b)'],
    ['a IS DISTINCT FROM b', '(IS NOT a b)'],
    ['a IS NOT DISTINCT FROM b', '(IS a b)'],
    ['a IS NULL', '(IS a NULL)'],
    ['a ISNULL', '(ISNULL a)'],
    ['a NOTNULL', '(NOTNULL a)'],
    ['a NOT NULL', '(NOTNULL a)'],
    ['a = 1 IS NULL', '(IS (= a 1) NULL)'],
    ["a LIKE 'x' || y ESCAPE '!'", "(LIKE a (|| 'x' y) '!')"],
    ["a NOT GLOB 'x'", "(NOT GLOB a 'x')"],
    ['a REGEXP b AND c MATCH d', '(AND (REGEXP a b) (MATCH c d))'],
    ['a BETWEEN 1 AND 2 AND b', '(AND (BETWEEN a 1 2) b)'],
    ['a NOT BETWEEN b + 1 AND c * 2', '(NOT BETWEEN a (+ b 1) (* c 2))'],
    ['a IN (1, 2) = 0', '(= (IN a (1 2)) 0)'],
    ['a NOT IN ()', '(NOT IN a ())'],
    ['a IN t', '(IN a t)'],
    ['a IN main.f(1)', '(IN a main.f(1))'],
    ['a IN (SELECT 1)', '(IN a (SELECT ...))'],
    ['NOT EXISTS (SELECT 1)', '(NOT EXISTS (SELECT ...))'],
    ['NOT EXISTS (SELECT 1) = 0', '(NOT (= (EXISTS (SELECT ...)) 0))'],
    ['(a, b) = (1, 2)', '(= (ROW a b) (ROW 1 2))'],
    ['((a))', 'a'],
    ['CASE a WHEN 1 THEN 2 ELSE 3 END', '(CASE a (WHEN 1 2) (ELSE 3))'],
    ['CASE WHEN a THEN b END', '(CASE (WHEN a b))'],
    ['CAST(a AS VARCHAR(10))', '(CAST a VARCHAR(10))'],
    ['count(*)', '(count *)'],
    ['count(DISTINCT a)', '(count a DISTINCT)'],
    ['f(a, b) FILTER (WHERE c)', '(f a b (FILTER c))'],
    ["RAISE(ABORT, 'x')", "(RAISE ABORT 'x')"],
    ['RAISE(IGNORE)', '(RAISE IGNORE)'],
    ['s.t.c + t.c', '(+ s.t.c t.c)'],
  ])('%s', (sql, printed) => {
    expect(expr(sql)).toBe(printed);
  });
});

describe('literals keep their text', () => {
  test.each([
    ['9223372036854775807', 'number', '9223372036854775807'],
    ['1e3', 'number', '1e3'],
    ['0x1F', 'number', '0x1F'],
    ['.5', 'number', '.5'],
    ['5.', 'number', '5.'],
    ['1_000', 'number', '1_000'],
  ])('%s', (sql, kind, text) => {
    expect(parseExpression(sql)).toMatchObject({ kind, text });
  });
  test('strings, blobs, NULL, booleans, time', () => {
    expect(parseExpression("'it''s'")).toMatchObject({ kind: 'string', value: "it's" });
    expect(parseExpression("x'ABCD'")).toMatchObject({ kind: 'blob', hex: 'ABCD' });
    expect(parseExpression("X''")).toMatchObject({ kind: 'blob', hex: '' });
    expect(parseExpression('null')).toMatchObject({ kind: 'null' });
    expect(parseExpression('True')).toMatchObject({ kind: 'bool', value: true });
    expect(parseExpression('FALSE')).toMatchObject({ kind: 'bool', value: false });
    expect(parseExpression('"true"')).toMatchObject({ kind: 'column', name: 'true' });
    expect(parseExpression('current_timestamp')).toMatchObject({ kind: 'current-time', which: 'CURRENT_TIMESTAMP' });
    expect(parseExpression('-9223372036854775808')).toMatchObject({ kind: 'unary', op: '-', operand: { kind: 'number', text: '9223372036854775808' } });
  });
});

describe('names', () => {
  test('all four quotings arrive unquoted, case kept', () => {
    const cols = core('SELECT "a""b", [c d], `e``f`, Gh FROM t').columns;
    expect(cols.map((c) => (c.kind === 'result-expr' && c.expr.kind === 'column' ? c.expr.name : null))).toEqual(['a"b', 'c d', 'e`f', 'Gh']);
  });
  test('a string is a name where SQLite takes one', () => {
    expect(one("CREATE TABLE 'x' ('a' TEXT)")).toMatchObject({ name: 'x', columns: [{ name: 'a' }] });
    expect(core("SELECT 1 AS 'one', 2 'two'").columns).toMatchObject([{ alias: 'one' }, { alias: 'two' }]);
  });
  test('keywords that fall back to names', () => {
    expect(one('CREATE TABLE key (action, replace, temp, first, last, filter, window)')).toMatchObject({
      name: 'key', columns: [{ name: 'action' }, { name: 'replace' }, { name: 'temp' }, { name: 'first' }, { name: 'last' }, { name: 'filter' }, { name: 'window' }],
    });
    expect(firstColumn('SELECT key FROM t')).toMatchObject({ kind: 'column', name: 'key' });
  });
  test('qualified column references', () => {
    expect(firstColumn('SELECT main.t.a FROM t')).toMatchObject({ kind: 'column', schema: 'main', table: 't', name: 'a' });
    expect(core('SELECT t.* FROM t').columns[0]).toMatchObject({ kind: 'table-star', table: 't' });
  });
});

describe('parameters', () => {
  test.each([
    ['?', null, null],
    ['?7', null, 7],
    [':a', ':a', null],
    ['@b', '@b', null],
    ['$c', '$c', null],
  ])('%s', (text, name, number) => {
    expect(parseExpression(text)).toEqual({ kind: 'param', text, name, number, loc: expect.anything() });
  });
});

describe('FROM and joins', () => {
  const from = (sql: string) => core(sql).from;
  test('CROSS JOIN is a join, not an alias', () => {
    expect(from('SELECT * FROM t CROSS JOIN u')).toMatchObject({
      kind: 'join', joinType: 'CROSS', left: { name: 't', alias: null }, right: { name: 'u' },
    });
  });
  test.each([
    ['t JOIN u', 'INNER', false],
    ['t INNER JOIN u', 'INNER', false],
    ['t LEFT JOIN u', 'LEFT', false],
    ['t LEFT OUTER JOIN u', 'LEFT', false],
    ['t RIGHT JOIN u', 'RIGHT', false],
    ['t FULL OUTER JOIN u', 'FULL', false],
    ['t NATURAL JOIN u', 'INNER', true],
    ['t NATURAL LEFT JOIN u', 'LEFT', true],
    ['t, u', 'COMMA', false],
  ])('%s', (sql, joinType, natural) => {
    expect(from(`SELECT * FROM ${sql}`)).toMatchObject({ kind: 'join', joinType, natural });
  });
  test('joins are left-deep; parentheses nest', () => {
    const j = from('SELECT * FROM a JOIN b ON 1 JOIN c USING (x, y)') as JoinClause;
    expect(j).toMatchObject({ using: ['x', 'y'], right: { name: 'c' }, left: { kind: 'join', left: { name: 'a' }, right: { name: 'b' } } });
    expect(printExpr((j.left as JoinClause).on!)).toBe('1');
    expect(from('SELECT * FROM a JOIN (b JOIN c ON 2) ON 1')).toMatchObject({ left: { name: 'a' }, right: { kind: 'join', left: { name: 'b' }, right: { name: 'c' } } });
  });
  test('aliases, INDEXED BY, table-valued functions, subqueries', () => {
    expect(from('SELECT * FROM main.t AS x INDEXED BY i')).toMatchObject({ schema: 'main', name: 't', alias: 'x', indexedBy: 'i', args: null });
    expect(from('SELECT * FROM t y NOT INDEXED')).toMatchObject({ alias: 'y', indexedBy: false });
    expect((from("SELECT * FROM json_each('[1]') j") as TableRef)).toMatchObject({ name: 'json_each', alias: 'j', args: [{ kind: 'string' }] });
    expect(from('SELECT * FROM (SELECT 1) s')).toMatchObject({ kind: 'subquery-ref', alias: 's' });
  });
});

describe('SELECT clauses', () => {
  test('LIMIT a, b is OFFSET a LIMIT b', () => {
    const s = one('SELECT 1 LIMIT 5, 10') as SelectStatement;
    expect(s.limit).toMatchObject({ offset: { text: '5' }, limit: { text: '10' } });
    const t = one('SELECT 1 LIMIT 10 OFFSET 5') as SelectStatement;
    expect(t.limit).toMatchObject({ offset: { text: '5' }, limit: { text: '10' } });
  });
  test('compounds are left-associative and own ORDER BY / LIMIT at the statement', () => {
    const s = one('SELECT 1 UNION SELECT 2 EXCEPT SELECT 3 ORDER BY 1') as SelectStatement;
    expect(s.body).toMatchObject({ kind: 'compound', op: 'EXCEPT', left: { kind: 'compound', op: 'UNION' }, right: { kind: 'select-core' } });
    expect(s.orderBy).toHaveLength(1);
  });
  test('ORDER BY terms', () => {
    const s = one('SELECT a FROM t ORDER BY a COLLATE nocase DESC NULLS LAST, b') as SelectStatement;
    expect(s.orderBy).toMatchObject([{ expr: { kind: 'collate', collation: 'nocase' }, direction: 'DESC', nulls: 'LAST' }, { direction: null, nulls: null }]);
  });
  test('WITH and windows', () => {
    const s = one('WITH RECURSIVE c(n) AS NOT MATERIALIZED (SELECT 1) SELECT sum(n) OVER (w ROWS BETWEEN 1 PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE TIES) FROM c WINDOW w AS (PARTITION BY n)') as SelectStatement;
    expect(s.with).toMatchObject({ recursive: true, ctes: [{ name: 'c', columns: ['n'], materialized: false }] });
    const call = (s.body as SelectCore).columns[0] as Extract<ResultColumn, { kind: 'result-expr' }>;
    expect(call.expr).toMatchObject({
      kind: 'call', over: { base: 'w', frame: { units: 'ROWS', start: { kind: 'preceding' }, end: { kind: 'unbounded-following' }, exclude: 'TIES' } },
    });
    expect((s.body as SelectCore).windows).toMatchObject([{ name: 'w', spec: { partitionBy: [{ name: 'n' }] } }]);
  });
  test('VALUES', () => {
    expect((one('VALUES (1, 2), (3, 4)') as SelectStatement).body).toMatchObject({ kind: 'values', rows: [[{ text: '1' }, { text: '2' }], [{ text: '3' }, { text: '4' }]] });
  });
});

describe('other statements', () => {
  test('INSERT with upsert and RETURNING', () => {
    expect(one('INSERT OR IGNORE INTO s.t AS x (a, b) VALUES (1, 2) ON CONFLICT (a COLLATE nocase DESC) WHERE a > 0 DO UPDATE SET (a, b) = (1, 2), c = 3 WHERE 1 ON CONFLICT DO NOTHING RETURNING *')).toMatchObject({
      kind: 'insert', orAction: 'IGNORE', schema: 's', table: 't', alias: 'x', columns: ['a', 'b'],
      source: { body: { kind: 'values' } },
      upsert: [
        { target: { columns: [{ expr: { name: 'a' }, collation: 'nocase', direction: 'DESC' }], where: { op: '>' } }, action: { kind: 'update', sets: [{ columns: ['a', 'b'] }, { columns: ['c'] }] } },
        { target: null, action: { kind: 'nothing' } },
      ],
      returning: [{ kind: 'star' }],
    });
    expect(one('REPLACE INTO t DEFAULT VALUES')).toMatchObject({ orAction: 'REPLACE', source: null });
  });
  test('UPDATE and DELETE', () => {
    expect(one('UPDATE OR FAIL t AS x NOT INDEXED SET a = 1 FROM u WHERE 1 RETURNING a ORDER BY a LIMIT 1')).toMatchObject({
      kind: 'update', orAction: 'FAIL', alias: 'x', indexedBy: false, from: { name: 'u' }, limit: { limit: { text: '1' } },
    });
    expect(one('DELETE FROM t INDEXED BY i WHERE a')).toMatchObject({ kind: 'delete', table: 't', indexedBy: 'i' });
  });
  test('CREATE TABLE constraints', () => {
    expect(one("CREATE TEMP TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY DESC ON CONFLICT REPLACE AUTOINCREMENT, n VARCHAR(10, 2) CONSTRAINT nn NOT NULL DEFAULT -5, r REFERENCES p (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED, g AS (id * 2) STORED, UNIQUE (n), FOREIGN KEY (r) REFERENCES p) STRICT")).toMatchObject({
      kind: 'create-table', temporary: true, ifNotExists: true, strict: true, withoutRowid: false,
      columns: [
        { name: 'id', type: { name: 'INTEGER', args: [] }, constraints: [{ kind: 'primary-key', direction: 'DESC', onConflict: 'REPLACE', autoincrement: true }] },
        { name: 'n', type: { name: 'VARCHAR', args: ['10', '2'] }, constraints: [{ kind: 'not-null', name: 'nn' }, { kind: 'default', expr: { kind: 'unary', op: '-' } }] },
        { name: 'r', type: null, constraints: [{ kind: 'references', fk: { table: 'p', columns: ['id'], onDelete: 'CASCADE', deferrable: 'deferred' } }] },
        { name: 'g', constraints: [{ kind: 'generated', stored: true }] },
      ],
      constraints: [{ kind: 'unique' }, { kind: 'foreign-key', columns: ['r'], fk: { table: 'p', columns: null } }],
    });
  });
  test('CREATE TRIGGER keeps its body statements', () => {
    expect(one('CREATE TRIGGER tr INSTEAD OF UPDATE OF a, b ON v FOR EACH ROW WHEN 1 BEGIN UPDATE t SET a = 1; DELETE FROM t; END')).toMatchObject({
      kind: 'create-trigger', timing: 'INSTEAD OF', event: 'UPDATE', columns: ['a', 'b'], table: 'v', forEachRow: true,
      body: [{ kind: 'update' }, { kind: 'delete' }],
    });
  });
  test('transactions, pragma, explain', () => {
    expect(parseScript('BEGIN IMMEDIATE; SAVEPOINT s; RELEASE s; ROLLBACK TO SAVEPOINT s; END')).toMatchObject([
      { kind: 'begin', mode: 'IMMEDIATE' }, { kind: 'savepoint', name: 's' }, { kind: 'release', name: 's' }, { kind: 'rollback', savepoint: 's' }, { kind: 'commit' },
    ]);
    expect(one('PRAGMA main.journal_mode = WAL')).toMatchObject({ kind: 'pragma', schema: 'main', name: 'journal_mode', value: { kind: 'column', name: 'WAL' } });
    expect(one('PRAGMA cache_size = -100')).toMatchObject({ value: { kind: 'unary', op: '-', operand: { text: '100' } } });
    expect(one("PRAGMA table_info('t')")).toMatchObject({ value: { kind: 'string', value: 't' } });
    expect(one('EXPLAIN QUERY PLAN SELECT 1')).toMatchObject({ kind: 'explain', queryPlan: true, statement: { kind: 'select' } });
  });
});

describe('positions', () => {
  test('loc spans the node, with line and column of its start', () => {
    const sql = 'SELECT a,\n  b + 1 AS x\nFROM t;';
    const s = one(sql) as SelectStatement;
    expect(s.loc).toEqual({ start: 0, end: sql.length - 1, line: 1, column: 1 });
    const col = (s.body as SelectCore).columns[1]!;
    expect(col.loc).toEqual({ start: 12, end: 22, line: 2, column: 3 });
    expect(sql.slice(col.loc.start, col.loc.end)).toBe('b + 1 AS x');
  });
  test('a statement keeps its exact text (CREATE statements rely on it)', () => {
    const sql = '  CREATE TABLE t (a INT)  ; -- c';
    const s = one(sql);
    expect(sql.slice(s.loc.start, s.loc.end)).toBe('CREATE TABLE t (a INT)');
  });
  test('binary nodes span both operands', () => {
    const e = parseExpression('a  +  b * c');
    expect(e.loc).toMatchObject({ start: 0, end: 11 });
  });
});

describe('parseNext', () => {
  test('walks a script statement by statement, offsets into the whole text', () => {
    const sql = ';; SELECT 1; /* x */ SELECT \';\' ; CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END; -- end';
    const first = parseNext(sql, 0);
    expect(first.statement).toMatchObject({ kind: 'select', loc: { start: 3 } });
    expect(first.end).toBe(12);
    const second = parseNext(sql, first.end);
    expect(second.statement?.loc.start).toBe(21);
    const third = parseNext(sql, second.end);
    expect(third.statement).toMatchObject({ kind: 'create-trigger' });
    expect(parseNext(sql, third.end)).toEqual({ statement: null, end: sql.length });
  });
  test('statements before a syntax error parse', () => {
    const sql = 'SELECT 1; SELECT * FORM t; SELECT 2';
    const first = parseNext(sql, 0);
    expect(first.statement).not.toBeNull();
    expect(() => parseNext(sql, first.end)).toThrow('near "FORM": syntax error');
  });
  test('empty input', () => {
    expect(parseScript('')).toEqual([]);
    expect(parseScript(' ;; -- nothing\n /* at all */ ')).toEqual([]);
    expect(parseNext('', 0)).toEqual({ statement: null, end: 0 });
  });
});
