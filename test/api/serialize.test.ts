// serialize() returns a SQLite file image; new Database(buffer) opens one (ours or SQLite's), as
// better-sqlite3's db.serialize() and new Database(buffer) do.
import { Database } from '../../src';
import { BetterSqlite3, buildTricky, expectSameDatabase, integrity, rows } from './sqlite-file-helpers';

describe('serialize / new Database(buffer)', () => {
  test('serialize() is a SQLite file image that better-sqlite3 opens', () => {
    const amber = new Database(':memory:');
    buildTricky(amber, 3000);
    const image = amber.serialize();
    expect(Buffer.isBuffer(image)).toBe(true);
    expect(image.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    const sqlite = new BetterSqlite3(image);
    expect(integrity(sqlite)).toBe('ok');
    expectSameDatabase(amber, sqlite);
    sqlite.close();
  });

  test("new Database(buffer) opens better-sqlite3's serialize() output", () => {
    const sqlite = new BetterSqlite3(':memory:');
    sqlite.transaction(() => buildTricky(sqlite, 3000))();
    const amber = new Database(sqlite.serialize());
    expect(amber.memory).toBe(true);
    expect(amber.name).toBe(':memory:');
    expectSameDatabase(sqlite, amber);
    // The opened database is an ordinary, writable memory database.
    amber.exec("INSERT INTO log(msg) VALUES ('new')");
    expect(rows(amber, "SELECT count(*) FROM log WHERE msg = 'new'")).toEqual([[1n]]);
    sqlite.close();
  });

  test('AmberDB -> serialize -> new Database(buffer) round trip, callable without new', () => {
    const a = new Database(':memory:');
    buildTricky(a, 2000);
    const b = (Database as unknown as (b: Buffer) => Database)(a.serialize());
    expectSameDatabase(a, b);
    expect(Buffer.compare(b.serialize(), a.serialize())).toBe(0);
  });

  test('argument and state errors match better-sqlite3', () => {
    const db = new Database(':memory:');
    expect(() => db.serialize(5 as never)).toThrow(new TypeError('Expected first argument to be an options object'));
    expect(() => db.serialize({ attached: 5 } as never)).toThrow(new TypeError('Expected the "attached" option to be a string'));
    expect(() => db.serialize({ attached: '' })).toThrow(new TypeError('The "attached" option cannot be an empty string'));
    expect(() => db.serialize({ attached: 'other' })).toThrow(/unknown database other/);
    expect(Buffer.isBuffer(db.serialize({ attached: 'main' }))).toBe(true);
    db.close();
    expect(() => db.serialize()).toThrow(new TypeError('The database connection is not open'));
    expect(() => new Database(Buffer.from('not a database at all, clearly not'))).toThrow(/not a database/);
  });

  test('an empty memory database serializes and reopens', () => {
    const image = new Database(':memory:').serialize();
    expect(image.length).toBe(4096);
    const db = new Database(image);
    expect(rows(db, 'SELECT count(*) FROM sqlite_master')).toEqual([[0n]]);
  });
});
