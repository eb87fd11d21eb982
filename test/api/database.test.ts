// Database: constructor, properties, closed-database errors, exec, pragma, transactions, user
// functions — each compared with better-sqlite3 where the fake engine can mimic the statements.
import { Database } from '../../src/api/database';
import { setEngineFactory, type EngineOptions } from '../../src/api/engine-factory';
import { FakeEngine } from './fake-engine';
import { BetterSqlite3, open, outcome } from './helpers';

describe('constructor', () => {
  test('callable with or without new; instanceof holds; subclasses work', () => {
    const a = open().db;
    setEngineFactory(() => new FakeEngine());
    try {
      const b = (Database as unknown as (f?: string) => Database)(':memory:');
      class MyDb extends Database {
        hello(): string {
          return 'hi';
        }
      }
      const c = new MyDb();
      expect(a).toBeInstanceOf(Database);
      expect(b).toBeInstanceOf(Database);
      expect(c).toBeInstanceOf(Database);
      expect(c.hello()).toBe('hi');
      expect(Database.name).toBe('Database');
      expect(Object.getPrototypeOf(b).constructor).toBe(Database);
    } finally {
      setEngineFactory(null);
    }
  });

  test('properties and Object.keys match better-sqlite3', () => {
    for (const name of [undefined, '', ':memory:', ' :memory: ']) {
      const ours = open(name).db;
      const theirs = new BetterSqlite3(name);
      const view = (d: any) => ({ keys: Object.keys(d), name: d.name, memory: d.memory, open: d.open, readonly: d.readonly, inTransaction: d.inTransaction });
      expect(view(ours)).toEqual(view(theirs));
      theirs.close();
    }
  });

  test.each([
    ['number filename', [5]],
    ['options not an object', [':memory:', 'x']],
    ['readOnly', [':memory:', { readOnly: true }]],
    ['memory option', [':memory:', { memory: true }]],
    ['readonly memory', [':memory:', { readonly: true }]],
    ['readonly not boolean', [':memory:', { readonly: 1 }]],
    ['fileMustExist not boolean', [':memory:', { fileMustExist: 'yes' }]],
    ['negative timeout', [':memory:', { timeout: -1 }]],
    ['fractional timeout', [':memory:', { timeout: 1.5 }]],
    ['huge timeout', [':memory:', { timeout: 2 ** 31 }]],
    ['verbose not a function', [':memory:', { verbose: 1 }]],
    ['null options', [':memory:', null]],
  ])('constructor error: %s', (_name, args) => {
    const ours = outcome(() => {
      setEngineFactory(() => new FakeEngine());
      try {
        return (Database as unknown as (...a: unknown[]) => Database)(...args).open;
      } finally {
        setEngineFactory(null);
      }
    });
    const theirs = outcome(() => (BetterSqlite3 as unknown as (...a: unknown[]) => BetterSqlite3.Database)(...args).open);
    expect(ours).toEqual(theirs);
  });

  test('a path opens a directory database; options pass through to the engine', () => {
    let seen: EngineOptions | null = null;
    setEngineFactory((o) => ((seen = o), new FakeEngine()));
    const verbose = () => undefined;
    try {
      const db = new Database('data/shop', { durability: 'interval', syncIntervalMs: 100, fileMustExist: true, timeout: 10, verbose });
      expect([db.name, db.memory]).toEqual(['data/shop', false]);
      expect(seen).toEqual({
        path: 'data/shop', strategy: 'hybrid', durability: 'interval', recovery: 'strict',
        checkpointLogBytes: undefined, checkpointIntervalMs: undefined, snapshotIntervalMs: undefined, syncIntervalMs: 100,
        readonly: false, fileMustExist: true, timeout: 10, verbose,
      });
      new Database();
      expect(seen).toMatchObject({ path: null, strategy: 'memory', durability: 'commit' });
      expect(outcome(() => new Database('x', { strategy: 'disk' as never }))).toEqual({ error: 'TypeError', message: 'Expected the "strategy" option to be one of "hybrid", "snapshot", "log", "memory"' });
      expect(outcome(() => new Database(':memory:', { strategy: 'log' }))).toEqual({ error: 'TypeError', message: 'In-memory databases cannot use the "log" strategy' });
    } finally {
      setEngineFactory(null);
    }
  });
});

describe('a closed database', () => {
  function calls(d: any, stmt: any): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    o.closeAgain = outcome(() => d.close() === d);
    o.prepare = outcome(() => d.prepare('SELECT 1'));
    o.exec = outcome(() => d.exec('SELECT 1'));
    o.get = outcome(() => stmt.get());
    o.all = outcome(() => stmt.all());
    o.run = outcome(() => stmt.run());
    o.iterate = outcome(() => stmt.iterate());
    o.pluck = outcome(() => stmt.pluck() === stmt);
    o.columns = outcome(() => stmt.columns());
    o.bind = outcome(() => stmt.bind());
    o.pragma = outcome(() => d.pragma('user_version'));
    o.function = outcome(() => d.function('f', () => 1));
    o.aggregate = outcome(() => d.aggregate('f', { step() {} }));
    o.transaction = outcome(() => typeof d.transaction(() => 1));
    o.props = [d.open, d.inTransaction, d.name, d.memory, d.readonly];
    o.defaultSafe = outcome(() => d.defaultSafeIntegers() === d);
    o.unsafe = outcome(() => d.unsafeMode() === d);
    o.loadExtension = outcome(() => d.loadExtension('x'));
    o.serialize = outcome(() => d.serialize());
    return o;
  }

  test('errors match better-sqlite3', () => {
    const { db, engine } = open(':memory:');
    const stmt = db.prepare('SELECT 1');
    const txBeforeClose = db.transaction(() => 1);
    expect(db.close()).toBe(db);
    expect(engine.closed).toBe(true);
    const odb = new BetterSqlite3(':memory:');
    const ostmt = odb.prepare('SELECT 1');
    const otx = odb.transaction(() => 1);
    odb.close();
    expect(calls(db, stmt)).toEqual(calls(odb, ostmt));
    expect(outcome(() => txBeforeClose())).toEqual(outcome(() => otx()));
  });
});

describe('exec', () => {
  test('runs each statement, returns the database, and matches argument errors', () => {
    const { db, engine } = open();
    expect(db.exec('CREATE TABLE t(a); INSERT INTO t VALUES (1);\n-- done\n')).toBe(db);
    expect(engine.log).toEqual(['CREATE TABLE t(a)', 'INSERT INTO t VALUES (1)']);
    expect(db.exec('')).toBe(db);
    const odb = new BetterSqlite3(':memory:');
    expect(outcome(() => db.exec(5 as never))).toEqual(outcome(() => odb.exec(5 as never)));
    odb.close();
  });

  test('a failing statement stops the rest', () => {
    const { db, engine } = open();
    expect(() => db.exec('INSERT INTO t VALUES (1); SELECT fail(); INSERT INTO t VALUES (2)')).toThrow('fake failure');
    expect(engine.log).toEqual(['INSERT INTO t VALUES (1)', 'SELECT fail()']);
  });
});

describe('pragma', () => {
  test('results and argument errors match better-sqlite3', () => {
    const { db } = open();
    const odb = new BetterSqlite3(':memory:');
    const run = (d: any) => [
      outcome(() => d.pragma('user_version')),
      outcome(() => d.pragma('user_version', { simple: true })),
      outcome(() => d.pragma('user_version = 5')),
      outcome(() => d.pragma('user_version', { simple: true })),
      outcome(() => d.pragma(5)),
      outcome(() => d.pragma('x', 5)),
      outcome(() => d.pragma('user_version', { simple: 1 })),
    ];
    expect(run(db)).toEqual(run(odb));
    odb.close();
  });
});

describe('transactions', () => {
  // better-sqlite3's verbose log shows the statements it runs; ours is the fake engine's log.
  // Parameters are expanded in theirs ("VALUES (2.0)"), so the test statements take none.
  function scenario(d: any, log: string[]): Record<string, unknown> {
    d.exec('CREATE TABLE t(a)');
    const insert = d.prepare('INSERT INTO t VALUES (1)');
    const tx = d.transaction((x: number) => {
      insert.run();
      if (x === 9) throw new Error('boom');
      return x * 2;
    });
    const out: Record<string, unknown> = {};
    const step = (name: string, f: () => unknown) => {
      log.length = 0;
      out[name] = { result: outcome(f), log: [...log], inTransaction: d.inTransaction };
    };
    step('ok', () => tx(2));
    step('throws', () => tx(9));
    step('nested', () => d.transaction(() => { tx(3); try { tx(9); } catch { /* swallowed */ } return d.inTransaction; })());
    step('deferred', () => tx.deferred(1));
    step('immediate', () => tx.immediate(1));
    step('exclusive', () => tx.exclusive(1));
    step('promise', () => d.transaction(async () => 1)());
    step('thenable', () => d.transaction(() => ({ then() {} }))());
    step('not a function', () => d.transaction(5));
    step('rollback inside', () => d.transaction(() => { d.exec('ROLLBACK'); return 1; })());
    step('rollback inside, then throw', () => d.transaction(() => { d.exec('ROLLBACK'); throw new Error('x'); })());
    step('inside a manual BEGIN', () => { d.exec('BEGIN'); const r = tx(1); d.exec('COMMIT'); return r; });
    step('this and arguments', () => { const o = { f: d.transaction(function (this: unknown, ...a: unknown[]) { return [this === o, a.length]; }) }; return o.f(1, 2, 3); });
    out.props = [typeof tx.deferred, typeof tx.immediate, typeof tx.exclusive, tx.database === d, Object.keys(tx), tx.deferred.immediate === tx.immediate, tx.default === tx, tx.name, tx.length];
    return out;
  }

  test('statements run and results match better-sqlite3 exactly', () => {
    const { db, engine } = open();
    const theirLog: string[] = [];
    const odb = new BetterSqlite3(':memory:', { verbose: (s) => theirLog.push(String(s)) });
    const ours = scenario(db, engine.log);
    const theirs = scenario(odb, theirLog);
    expect(ours).toEqual(theirs);
    expect((ours.nested as { log: string[] }).log).toEqual([
      'BEGIN', 'SAVEPOINT `\t_bs3.\t`', 'INSERT INTO t VALUES (1)', 'RELEASE `\t_bs3.\t`',
      'SAVEPOINT `\t_bs3.\t`', 'INSERT INTO t VALUES (1)', 'ROLLBACK TO `\t_bs3.\t`', 'RELEASE `\t_bs3.\t`', 'COMMIT',
    ]);
    odb.close();
  });
});

describe('user functions and aggregates', () => {
  test('results and errors match better-sqlite3', () => {
    const { db } = open();
    const odb = new BetterSqlite3(':memory:');
    odb.exec('CREATE TABLE nums(n); INSERT INTO nums VALUES (1), (2), (3)');
    const many = new Function(...Array.from({ length: 101 }, (_, i) => `a${i}`), 'return 1') as () => unknown;
    const run = (d: any) => [
      outcome(() => d.function('plus', (a: number, b: number) => a + b) === d),
      outcome(() => d.prepare('SELECT plus(?, ?) AS r, typeof(plus(?, ?)) AS t').get(1, 2, 1, 2)),
      outcome(() => d.function(5, () => 1)),
      outcome(() => d.function('x')),
      outcome(() => d.function('x', 5, () => 1)),
      outcome(() => d.function('', () => 1)),
      outcome(() => d.function('x', { deterministic: 1 }, () => 1)),
      outcome(() => d.function('x', {}, many)),
      outcome(() => (d.function('bad', () => ({})), d.prepare('SELECT bad()').get())),
      outcome(() => (d.function('bb', () => true), d.prepare('SELECT bb()').get())),
      outcome(() => (d.function('bg', () => 2n ** 70n), d.prepare('SELECT bg()').get())),
      outcome(() => (d.function('ud', () => undefined), d.prepare('SELECT ud() AS x').get())),
      outcome(() => (d.function('th', () => { throw new Error('mine'); }), d.prepare('SELECT th()').get())),
      outcome(() => (d.function('ty', { varargs: true }, (...a: unknown[]) => a.map((x) => typeof x).join()), d.prepare("SELECT ty(1, 2.5, 'x', x'01', NULL) AS r").get())),
      outcome(() => (d.function('sf', { safeIntegers: true }, (a: unknown) => typeof a), d.prepare('SELECT sf(1) AS r').get())),
      outcome(() => (d.function('re', () => d.prepare('SELECT 1').pluck().get()), d.prepare('SELECT re()').get())),
      outcome(() => d.aggregate('sm', { start: 0, step: (s: number, x: number) => s + x }).prepare('SELECT sm(n) AS r FROM nums').get()),
      outcome(() => d.aggregate('sm2', { start: () => [], step: (s: number[], x: number) => { s.push(x); }, result: (s: number[]) => s.join(',') }).prepare('SELECT sm2(n) AS r FROM nums').get()),
      outcome(() => d.aggregate('ns', { step: (s: number | null, x: number) => (s ?? 0) + x }).prepare('SELECT ns(n) AS r FROM nums').get()),
      outcome(() => d.aggregate('x', {})),
      outcome(() => d.aggregate('x', { step: 5 })),
      outcome(() => d.aggregate('x', { step() {}, result: 5 })),
      outcome(() => d.aggregate('x', { step() {}, inverse: 5 })),
      outcome(() => d.aggregate('x', null)),
      outcome(() => d.aggregate('', { step() {} })),
    ];
    expect(run(db)).toEqual(run(odb));
    odb.close();
  });

  test('what the engine receives', () => {
    const { db, engine } = open();
    db.function('f', { deterministic: true, directOnly: true }, (a: unknown, b: unknown) => [a, b]);
    db.function('g', { varargs: true }, () => 1);
    db.aggregate('w', { start: 0, step: (s: number, x: number) => s + x, inverse: (s: number, x: number) => s - x });
    expect(engine.functions.get('f')).toMatchObject({ name: 'f', argCount: 2, deterministic: true, directOnly: true });
    expect(engine.functions.get('g')).toMatchObject({ argCount: -1, deterministic: false });
    const w = engine.aggregates.get('w');
    expect(w).toMatchObject({ argCount: 1 });
    expect(w?.inverse?.(w.step(w.start(), [5]), [2])).toBe(3);
    expect(w?.result(7)).toEqual({ value: 7 }); // a JS number comes back as a REAL
  });
});

describe('unsupported members fail clearly', () => {
  test('loadExtension, backup', async () => {
    const { db } = open();
    expect(outcome(() => db.loadExtension('x'))).toEqual({ error: 'SqliteError', message: 'loadExtension() is not supported: AmberDB cannot load SQLite extensions', code: 'SQLITE_ERROR' });
    expect(outcome(() => db.loadExtension(5 as never))).toEqual({ error: 'TypeError', message: 'Expected first argument to be a string' });
    await expect(db.backup('x')).rejects.toThrow('backup() is not supported yet');
    await expect(db.backup('')).rejects.toThrow('Backup filename cannot be an empty string');
  });

  test('defaultSafeIntegers / unsafeMode argument errors match better-sqlite3', () => {
    const { db } = open();
    const odb = new BetterSqlite3(':memory:');
    const run = (d: any) => [outcome(() => d.defaultSafeIntegers(1)), outcome(() => d.unsafeMode(1)), outcome(() => d.unsafeMode(false) === d)];
    expect(run(db)).toEqual(run(odb));
    odb.close();
  });
});
