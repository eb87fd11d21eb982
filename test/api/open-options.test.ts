// Constructor argument combinations, each tried on better-sqlite3 and on AmberDB: what one accepts,
// the other accepts with the same properties; what one refuses, the other refuses with the same error.
import { Database } from '../../src';
import { BetterSqlite3, outcome } from './helpers';

function image(): Buffer {
  const src = new BetterSqlite3(':memory:');
  src.exec('CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT); INSERT INTO t VALUES (1, \'one\'); PRAGMA user_version = 7');
  const buf = src.serialize();
  src.close();
  return buf;
}

/** What opening with these arguments gives: the handle's properties, or the error. */
function opened(make: (...a: unknown[]) => any, args: unknown[]) {
  return outcome(() => {
    const db = make(...args);
    const props = [db.name, db.memory, db.readonly, db.open];
    db.close();
    return props;
  });
}

const amber = (...a: unknown[]) => new (Database as any)(...a);
const sqlite = (...a: unknown[]) => new (BetterSqlite3 as any)(...a);

describe('new Database(...) argument combinations match better-sqlite3', () => {
  const buf = image();
  const cases: [string, unknown[]][] = [
    ['buffer, readonly', [buf, { readonly: true }]],
    ['buffer, readonly false', [buf, { readonly: false }]],
    ['buffer, fileMustExist + timeout + verbose null', [buf, { fileMustExist: true, timeout: 0, verbose: null }]],
    ['buffer, memory option', [buf, { memory: true }]],
    ['buffer, readonly not boolean', [buf, { readonly: 1 }]],
    ['memory, readonly', [':memory:', { readonly: true }]],
    ['no name, readonly', [undefined, { readonly: true }]],
    ['padded :memory:', ['  :memory:  ']],
    ['nativeBinding null', [':memory:', { nativeBinding: null }]],
    ['nativeBinding number', [':memory:', { nativeBinding: 5 }]],
    ['readonly undefined', [':memory:', { readonly: undefined }]],
    ['options function', [':memory:', () => 1]],
    ['options string', [':memory:', 'x']],
    ['timeout float', [':memory:', { timeout: 1.5 }]],
    ['timeout too big', [':memory:', { timeout: 2 ** 31 }]],
    ['verbose not a function', [':memory:', { verbose: 5 }]],
    ['Uint8Array', [new Uint8Array(4)]],
    ['empty Buffer', [Buffer.alloc(0)]],
    ['empty Buffer, readonly', [Buffer.alloc(0), { readonly: true }]],
    ['number', [5]],
    ['readOnly misspelt', [':memory:', { readOnly: true }]],
  ];
  test.each(cases)('%s', (_name, args) => {
    expect(opened(amber, args)).toEqual(opened(sqlite, args));
  });

  test('a readonly Buffer database reads, and refuses every write with SQLITE_READONLY', () => {
    const go = (make: (...a: unknown[]) => any) => {
      const db = make(image(), { readonly: true });
      const results = [
        outcome(() => db.prepare('SELECT * FROM t').all()),
        outcome(() => db.pragma('user_version', { simple: true })),
        outcome(() => db.prepare("INSERT INTO t (b) VALUES ('two')").run()),
        outcome(() => db.exec('CREATE TABLE u (x)')),
        outcome(() => db.exec('DELETE FROM t')),
        outcome(() => db.pragma('user_version = 3')),
        outcome(() => db.prepare('SELECT count(*) AS n FROM t').get()),
        outcome(() => db.prepare("SELECT name FROM sqlite_master").all()),
        db.readonly,
      ];
      db.close();
      return results;
    };
    const got = go(amber);
    expect(got[2]).toEqual({ error: 'SqliteError', code: 'SQLITE_READONLY', message: 'attempt to write a readonly database' });
    expect(got).toEqual(go(sqlite));
  });

  test('a Buffer that is not a database fails at open (better-sqlite3 fails at the first query)', () => {
    expect(outcome(() => new Database(Buffer.from('hello world, not a database')))).toEqual({ error: 'SqliteError', code: 'SQLITE_NOTADB', message: 'file is not a database' });
    const db = new BetterSqlite3(Buffer.from('hello world, not a database'));
    expect(outcome(() => db.prepare('SELECT 1').get())).toEqual({ error: 'SqliteError', code: 'SQLITE_NOTADB', message: 'file is not a database' });
  });

  test('nativeBinding is accepted and ignored', () => {
    const db = new Database(':memory:', { nativeBinding: '/nowhere/better_sqlite3.node' });
    expect(db.prepare('SELECT 1 AS x').get()).toEqual({ x: 1 });
    db.close();
  });
});
