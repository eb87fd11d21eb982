// Statement results, modes, run results, iterators and misuse errors, against better-sqlite3
// wherever the fake engine can mimic the statement.
import { RealBox } from '../../src/value/types';
import { BetterSqlite3, open, outcome } from './helpers';

const oracle = new BetterSqlite3(':memory:');
afterAll(() => oracle.close());

function both<T>(f: (db: { prepare(sql: string): any }) => T): [unknown, unknown] {
  const { db } = open();
  return [outcome(() => f(db as never)), outcome(() => f(oracle as never))];
}

describe('result shapes match better-sqlite3', () => {
  const calls: [string, (db: any) => unknown][] = [
    ['object row', (db) => db.prepare("SELECT 1 AS a, 2.5 AS b, 'x' AS c, NULL AS d").get()],
    ['duplicate names: later wins', (db) => db.prepare('SELECT 1 AS a, 2 AS a, 3 AS b').get()],
    ['names differing in case', (db) => db.prepare('SELECT 1 AS a, 2 AS A').get()],
    ['raw keeps duplicates', (db) => db.prepare('SELECT 1 AS a, 2 AS a').raw().get()],
    ['pluck', (db) => db.prepare('SELECT 1 AS a, 2 AS b').pluck().get()],
    ['pluck then raw', (db) => db.prepare('SELECT 1 AS a, 2 AS b').pluck().raw().get()],
    ['raw then pluck(false)', (db) => db.prepare('SELECT 1 AS a, 2 AS b').raw().pluck(false).get()],
    ['pluck then raw(false)', (db) => db.prepare('SELECT 1 AS a, 2 AS b').pluck().raw(false).get()],
    ['expand of computed columns', (db) => db.prepare('SELECT 1 AS a, 2 AS b').expand().get()],
    ['all', (db) => db.prepare('SELECT ? AS a').all(3)],
    ['integral REAL is a number', (db) => db.prepare('SELECT 2.0 AS r').get()],
    ['int64 max without safeIntegers is a lossy number', (db) => db.prepare('SELECT 9223372036854775807 AS v').get()],
    ['int64 max with safeIntegers is a bigint', (db) => db.prepare('SELECT 9223372036854775807 AS v').safeIntegers().get()],
    ['safeIntegers: INTEGER bigint, REAL number', (db) => db.prepare('SELECT 5, 5.0, 2.5').raw().safeIntegers().get()],
    ['safeIntegers(false)', (db) => db.prepare('SELECT 5').pluck().safeIntegers().safeIntegers(false).get()],
    ['blob is a Buffer', (db) => Buffer.isBuffer(db.prepare("SELECT x'0102' AS b").pluck().get())],
    ['columns of computed columns', (db) => db.prepare('SELECT 1 AS a, ? AS b').columns()],
    ['statement properties', (db) => { const s = db.prepare('SELECT 1'); return [s.reader, s.readonly, s.source, s.busy]; }],
    ['run on a reader', (db) => Object.keys(db.prepare('SELECT 1').run())],
    ['source keeps trailing trivia', (db) => db.prepare('SELECT 1; -- x\n /* y */ ;').source],
    ['prepare: no statements', (db) => db.prepare('  -- hi\n')],
    ['prepare: empty', (db) => db.prepare('')],
    ['prepare: two statements', (db) => db.prepare('SELECT 1; SELECT 2')],
    ['prepare: not a string', (db) => db.prepare(5)],
    ['prepare: syntax error', (db) => db.prepare('SELE 1')],
    ['get on a writer', (db) => db.prepare('CREATE TABLE t(a)').get()],
    ['all on a writer', (db) => db.prepare('CREATE TABLE t(a)').all()],
    ['iterate on a writer', (db) => db.prepare('CREATE TABLE t(a)').iterate()],
    ['pluck on a writer', (db) => db.prepare('CREATE TABLE t(a)').pluck()],
    ['raw on a writer', (db) => db.prepare('CREATE TABLE t(a)').raw()],
    ['expand on a writer', (db) => db.prepare('CREATE TABLE t(a)').expand()],
    ['columns on a writer', (db) => db.prepare('CREATE TABLE t(a)').columns()],
    ['pluck(1)', (db) => db.prepare('SELECT 1').pluck(1)],
    ['pluck(undefined)', (db) => db.prepare('SELECT 1').pluck(undefined)],
    ['safeIntegers(1)', (db) => db.prepare('SELECT 1').safeIntegers(1)],
    ['bind twice', (db) => db.prepare('SELECT ?').bind(1).bind(2)],
    ['bound, then args', (db) => db.prepare('SELECT ?').bind(1).get(3)],
    ['bound, then get', (db) => db.prepare('SELECT ? AS x').bind(1).get()],
    ['failed bind leaves it unbound', (db) => { const s = db.prepare('SELECT ? AS x'); try { s.bind(); } catch { /* expected */ } return s.get(4); }],
    ['a failing statement', (db) => db.prepare('SELECT fail()').get()],
  ];
  test.each(calls)('%s', (_name, call) => {
    const [ours, theirs] = both(call);
    if (_name === 'a failing statement') {
      // Same class and code; the message is the engine's.
      expect((ours as { error: string }).error).toBe('SqliteError');
      expect((ours as { code: string }).code).toBe((theirs as { code: string }).code);
      return;
    }
    if (_name === 'prepare: syntax error') {
      expect(ours).toEqual({ error: 'SqliteError', message: 'near "SELE": syntax error', code: 'SQLITE_ERROR' });
      return;
    }
    expect(ours).toEqual(theirs);
  });
});

describe('run results', () => {
  test('changes and lastInsertRowid, number or bigint per safeIntegers', () => {
    const { db } = open();
    const ins = db.prepare('INSERT INTO t VALUES (1)');
    expect(ins.run()).toEqual({ changes: 1, lastInsertRowid: 1 });
    expect(ins.safeIntegers().run()).toEqual({ changes: 1, lastInsertRowid: 2n });
  });

  test('defaultSafeIntegers applies to statements prepared afterwards', () => {
    const { db } = open();
    const before = db.prepare('SELECT 1').pluck();
    db.defaultSafeIntegers();
    expect(db.prepare('SELECT 1').pluck().get()).toBe(1n);
    expect(before.get()).toBe(1);
    db.defaultSafeIntegers(false);
    expect(db.prepare('SELECT 1').pluck().get()).toBe(1);
  });
});

describe('expand groups columns by table', () => {
  test('table columns under the table, computed ones under $', () => {
    const { db, engine } = open();
    const col = (name: string, table: string | null) => ({ name, column: table ? name : null, table, database: table ? 'main' : null, type: null });
    engine.canned.set('SELECT t.a, t.b, 5 AS c, t.a AS x FROM t', {
      reader: true,
      columns: [col('a', 't'), col('b', 't'), col('c', null), col('x', 't')],
      rows: [[1, 2, 5, 1]],
    });
    const oracleDb = new BetterSqlite3(':memory:');
    oracleDb.exec('CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 2)');
    const sql = 'SELECT t.a, t.b, 5 AS c, t.a AS x FROM t';
    expect(db.prepare(sql).expand().get()).toEqual(oracleDb.prepare(sql).expand().get());
    oracleDb.close();
  });
});

describe('values out of the engine', () => {
  test('RealBox unboxes, blobs are fresh Buffers', () => {
    const { db, engine } = open();
    const stored = new Uint8Array([1, 2]);
    engine.canned.set('SELECT v', { reader: true, columns: [{ name: 'v', column: null, table: null, database: null, type: null }], rows: [[new RealBox(3)], [stored]] });
    const [a, b] = db.prepare('SELECT v').pluck().all() as [number, Buffer];
    expect(a).toBe(3);
    expect(Buffer.isBuffer(b)).toBe(true);
    b[0] = 9;
    expect(stored[0]).toBe(1);
  });
});

describe('iterators', () => {
  function setup() {
    const opened = open();
    opened.engine.canned.set('SELECT a FROM t', {
      reader: true,
      columns: [{ name: 'a', column: 'a', table: 't', database: 'main', type: null }],
      rows: [[1], [2], [3]],
    });
    const odb = new BetterSqlite3(':memory:');
    odb.exec('CREATE TABLE t(a); INSERT INTO t VALUES (1), (2), (3)');
    return { ...opened, odb };
  }

  test('busy rules while an iterator is open match better-sqlite3', () => {
    const { db, odb } = setup();
    const run = (d: any) => {
      const sel = d.prepare('SELECT a FROM t');
      const it = sel.iterate();
      const out: Record<string, unknown> = {};
      out.first = outcome(() => it.next());
      out.busy = sel.busy;
      out.sameGet = outcome(() => sel.get());
      out.sameIterate = outcome(() => sel.iterate());
      out.otherGet = outcome(() => d.prepare('SELECT 1').get());
      out.otherRun = outcome(() => d.prepare('INSERT INTO t VALUES (5)').run());
      out.exec = outcome(() => d.exec('SELECT 1'));
      out.prepare = outcome(() => d.prepare('SELECT 2').source);
      out.pragma = outcome(() => d.pragma('user_version'));
      out.fn = outcome(() => d.function('ff', () => 1));
      out.close = outcome(() => d.close());
      out.pluck = outcome(() => sel.pluck());
      out.safe = outcome(() => sel.safeIntegers());
      out.columns = outcome(() => sel.columns().length);
      out.tx = outcome(() => d.transaction(() => 1)());
      out.ret = outcome(() => it.return());
      out.after = outcome(() => it.next());
      out.busyAfter = sel.busy;
      out.keys = Object.keys(it);
      out.self = it[Symbol.iterator]() === it;
      out.brk = (() => { for (const _ of sel.iterate()) break; return sel.busy; })();
      out.all = [...sel.iterate()];
      out.notStarted = (() => { const i = sel.iterate(); const b = sel.busy; i.return(); return b; })();
      return out;
    };
    expect(run(db)).toEqual(run(odb));
    odb.close();
  });

  test('the cursor is closed on return(), on break and when rows run out', () => {
    const { db, engine, odb } = setup();
    odb.close();
    const sel = db.prepare('SELECT a FROM t');
    const it = sel.iterate();
    expect(engine.openCursors).toBe(0); // execution starts at the first next()
    it.next();
    expect(engine.openCursors).toBe(1);
    it.return();
    expect(engine.openCursors).toBe(0);
    for (const _ of sel.iterate()) break;
    expect(engine.openCursors).toBe(0);
    expect(() => {
      for (const _ of sel.iterate()) throw new Error('body');
    }).toThrow('body');
    expect(engine.openCursors).toBe(0);
    expect([...sel.pluck().iterate()]).toEqual([1, 2, 3]);
    expect(engine.openCursors).toBe(0);
    expect(db.open).toBe(true);
    db.close();
  });

  test('an engine error during iteration unlocks the statement', () => {
    const { db, odb } = setup();
    odb.close();
    const st = db.prepare('SELECT fail()');
    const it = st.iterate();
    expect(() => it.next()).toThrow('fake failure');
    expect(st.busy).toBe(false);
    expect(it.next()).toEqual({ value: undefined, done: true });
    db.close();
  });
});

test('Statement cannot be constructed directly', () => {
  const { Statement } = require('../../src/index') as typeof import('../../src/index');
  expect(outcome(() => new (Statement as any)())).toEqual({ error: 'TypeError', message: 'Statements can only be constructed by the db.prepare() method' });
});
