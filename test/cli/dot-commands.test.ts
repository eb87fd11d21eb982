// The dot-commands that read or write files and databases (.import, .dump, .output, .once,
// .open, .stats, .checkpoint, .backup, .width), run in process as a piped script would run them.
// Each test names what a user would see broken if it failed.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Database } from '../../src/api/database';
import { runInProcess } from './harness';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'amberdb-cli-'));

describe('.import', () => {
  test('without the table: the header row names TEXT columns; quoted commas, quotes and line breaks survive', async () => {
    const d = tmp();
    const csv = join(d, 'people.csv');
    writeFileSync(csv, 'id,name,note\n1,"Smith, Jo","said ""hi"""\n2,Ann,"two\nlines"\n');
    const r = await runInProcess([], `.import ${csv} people\n.mode json\nSELECT *, typeof(id) AS t FROM people;\n.schema people\n`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      '[{"id":"1","name":"Smith, Jo","note":"said \\"hi\\"","t":"text"},\n{"id":"2","name":"Ann","note":"two\\nlines","t":"text"}]\n' +
        'CREATE TABLE people(id TEXT, name TEXT, note TEXT);\n',
    );
    expect(r.code).toBe(0);
  });

  test('into an existing table: every row is data, converted by the column affinity; --skip 1 drops a header', async () => {
    const d = tmp();
    const csv = join(d, 'n.csv');
    writeFileSync(csv, 'a,b,c\n1,2.5,x\n007,1e3,\n');
    const r = await runInProcess(
      [],
      `CREATE TABLE n(a INTEGER, b REAL, c TEXT);\n.import --csv --skip 1 ${csv} n\nSELECT a, typeof(a), b, typeof(b), c, typeof(c) FROM n;\n`,
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('1|integer|2.5|real|x|text\n7|integer|1000.0|real||text\n');
  });

  test('a short row is filled with NULL and named by file and line', async () => {
    const d = tmp();
    const csv = join(d, 's.csv');
    writeFileSync(csv, '1,2\n3\n');
    const r = await runInProcess([], `CREATE TABLE s(a, b);\n.import ${csv} s\nSELECT a, quote(b) FROM s;\n`);
    expect(r.stdout).toBe("1|'2'\n3|NULL\n");
    expect(r.stderr).toBe(`${csv}:2: expected 2 columns but found 1 - filling the rest with NULL\n`);
  });

  test('a missing file: a clear message, exit 1, no table made, later statements run', async () => {
    const r = await runInProcess([], `.import /nonexistent/x.csv x\n.tables\nSELECT 'still here';\n`);
    expect(r.stderr).toBe('Error: cannot open "/nonexistent/x.csv"\n');
    expect(r.stdout).toBe('still here\n');
    expect(r.code).toBe(1);
  });

  test('a bad CSV (unclosed quote after good rows) changes nothing: no new table, no rows in an existing one', async () => {
    const d = tmp();
    const csv = join(d, 'bad.csv');
    writeFileSync(csv, 'a,b\n1,2\n3,"never closed\n4,5\n');
    const r = await runInProcess(
      [],
      `CREATE TABLE old(a, b);\nINSERT INTO old VALUES ('kept', 0);\n.import ${csv} fresh\n.import ${csv} old\n.tables\nSELECT * FROM old;\n`,
    );
    expect(r.stderr).toMatch(new RegExp(`^Error: ${csv.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: Quote Not Closed`, 'm'));
    expect(r.stderr.split('\n').filter((l) => l.startsWith('Error:'))).toHaveLength(2);
    expect(r.stdout).toBe('old\nkept|0\n');
    expect(r.code).toBe(1);
  });

  test('wrong arguments print the usage', async () => {
    const r = await runInProcess([], '.import onlyone\n');
    expect(r.stderr).toBe('Error: Usage: .import ?--csv? ?--skip N? FILE TABLE\n');
  });
});

describe('.dump', () => {
  const SETUP = `
CREATE TABLE kinds(id INTEGER PRIMARY KEY AUTOINCREMENT, i INTEGER, r REAL, t TEXT, b BLOB, n);
INSERT INTO kinds(i, r, t, b, n) VALUES
  (-9223372036854775808, 0.1, 'it''s', x'00ff10', NULL),
  (42, 1e300, 'two
lines', x'', 3.0),
  (0, -2.5e-10, '', NULL, 'x'),
  (7, 100.0, 'tab	and ''quotes''', x'41', 9223372036854775807);
DELETE FROM kinds WHERE i = 0;
CREATE TABLE "odd name"("a b" TEXT UNIQUE, c CHECK (c > 0), PRIMARY KEY ("a b", c)) WITHOUT ROWID;
INSERT INTO "odd name" VALUES ('x', 1), ('y', 2);
CREATE INDEX kinds_i ON kinds(i DESC);
CREATE VIEW v AS SELECT t FROM kinds WHERE i > 0;
CREATE TRIGGER kinds_ins AFTER INSERT ON kinds BEGIN UPDATE kinds SET n = 'trig' WHERE id = new.id; END;
`;

  function snapshot(db: { prepare(sql: string): { all(...a: unknown[]): unknown[]; raw?: unknown } }): unknown {
    const schema = db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_autoindex%' ORDER BY name").all();
    const kinds = db.prepare('SELECT id, quote(i), quote(r), quote(t), quote(b), quote(n), typeof(n) FROM kinds ORDER BY id').all();
    const odd = db.prepare('SELECT * FROM "odd name" ORDER BY 1').all();
    const seq = db.prepare('SELECT name, seq FROM sqlite_sequence').all();
    return { schema, kinds, odd, seq };
  }

  test('SQLite loads the dump into an identical database (schema, rows, storage classes, sqlite_sequence)', async () => {
    const r = await runInProcess([], `${SETUP}.dump\n`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n')).toBe(true);
    expect(r.stdout.endsWith('COMMIT;\n')).toBe(true);

    const lite = new BetterSqlite3(':memory:');
    lite.exec(r.stdout);
    expect(lite.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
    const original = new BetterSqlite3(':memory:');
    original.exec(SETUP);
    expect(snapshot(lite)).toEqual(snapshot(original));
    // The trigger came along and works.
    lite.exec('INSERT INTO kinds(i) VALUES (1)');
    expect(lite.prepare('SELECT n FROM kinds WHERE i = 1').pluck().get()).toBe('trig');
  });

  // With AUTOINCREMENT: the dump's `INSERT INTO sqlite_sequence VALUES(...)` loads too.
  test('AmberDB loads its own dump back into the same rows', async () => {
    const first = await runInProcess([], `${SETUP}.dump\n`);
    expect(first.stdout).toContain('INSERT INTO sqlite_sequence VALUES');
    const second = await runInProcess([], `${first.stdout}.dump\n`);
    expect(second.stderr).toBe('');
    expect(second.stdout).toBe(first.stdout);
  });

  test('.dump PATTERN writes only the matching tables and what belongs to them', async () => {
    const r = await runInProcess([], `${SETUP}.dump odd%\n`);
    expect(r.stdout).toBe(
      'PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n' +
        'CREATE TABLE "odd name"("a b" TEXT UNIQUE, c CHECK (c > 0), PRIMARY KEY ("a b", c)) WITHOUT ROWID;\n' +
        'INSERT INTO "odd name" VALUES(\'x\',1);\nINSERT INTO "odd name" VALUES(\'y\',2);\nCOMMIT;\n',
    );
  });
});

describe('.output and .once', () => {
  test('.once sends only the next command to the file; .output until .output alone', async () => {
    const d = tmp();
    const once = join(d, 'once.txt');
    const out = join(d, 'out.txt');
    const r = await runInProcess([], `.once ${once}\nSELECT 'a';\nSELECT 'b';\n.output ${out}\nSELECT 'c';\n.tables\nCREATE TABLE t(x);\n.tables\n.output\nSELECT 'd';\n`);
    expect(r.stdout).toBe('b\nd\n');
    expect(readFileSync(once, 'utf8')).toBe('a\n');
    expect(readFileSync(out, 'utf8')).toBe('c\nt\n');
  });

  test('a file that cannot be written: a message, output stays on standard output', async () => {
    const r = await runInProcess([], ".output /nonexistent/dir/x.txt\nSELECT 'here';\n");
    expect(r.stderr).toBe('Error: cannot open "/nonexistent/dir/x.txt" (ENOENT)\n');
    expect(r.stdout).toBe('here\n');
  });
});

describe('.open, .backup, .checkpoint, .stats', () => {
  test('.open switches to a directory database that keeps its rows; .open alone is a new memory database', async () => {
    const d = tmp();
    const dir = join(d, 'db');
    const r = await runInProcess([], `.open ${dir}\nCREATE TABLE t(x);\nINSERT INTO t VALUES (1), (2);\n.open\n.tables\n.open ${dir}\nSELECT count(*) FROM t;\n`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('2\n');
    const db = new Database(dir, { readonly: true });
    expect(db.prepare('SELECT sum(x) FROM t').pluck().get()).toBe(3);
    db.close();
  });

  test('.open of a path that cannot be a database: a message, the current database stays', async () => {
    const d = tmp();
    const file = join(d, 'plain-file');
    writeFileSync(file, 'not a directory');
    const r = await runInProcess([], `CREATE TABLE keep(x);\n.open ${file}\n.tables\n`);
    expect(r.stderr).toMatch(/^Error: unable to open database ".*plain-file": /);
    expect(r.stdout).toBe('keep\n');
  });

  test('.backup writes a directory that opens with the same rows', async () => {
    const d = tmp();
    const copy = join(d, 'copy');
    const r = await runInProcess([], `CREATE TABLE t(x);\nINSERT INTO t VALUES ('a'), ('b');\n.backup ${copy}\nINSERT INTO t VALUES ('after');\n`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^backup: \d+ pages written to /);
    const db = new Database(copy, { readonly: true });
    expect(db.prepare('SELECT group_concat(x) FROM t').pluck().get()).toBe('a,b');
    db.close();
  });

  test('.stats names memory, rows, log, last checkpoint and recovery; .checkpoint moves the last checkpoint', async () => {
    const dir = join(tmp(), 'db');
    const setup = await runInProcess([dir], 'CREATE TABLE t(x);\nINSERT INTO t VALUES (1), (2), (3);\n');
    expect(setup.code).toBe(0);
    const r = await runInProcess([dir], '.stats\n.checkpoint\n.stats\n');
    expect(r.stderr).toBe('');
    const [before = '', after = ''] = r.stdout.split(/^checkpoint: .*\n/m);
    for (const label of ['path:', 'memory:', 'rows:', 'log:', 'last checkpoint:', 'recovery:']) {
      expect(before).toContain(label);
    }
    expect(before).toMatch(/^rows: +3 in 1 table \(t 3\)$/m);
    expect(before).toMatch(/^last checkpoint: +none since open$/m);
    expect(before).toMatch(/^recovery: +no snapshot, 2 transactions replayed, last LSN 2, \d+ ms$/m);
    expect(r.stdout).toMatch(/^checkpoint: LSN 2, 3 rows, /m);
    expect(after).toMatch(/^last checkpoint: +LSN 2, 3 rows, .* \(forced\) at /m);
  });

  test('.stats and .checkpoint on a memory database', async () => {
    const r = await runInProcess([], '.checkpoint\n.stats\n');
    expect(r.stdout).toMatch(/^checkpoint: nothing to do/);
    expect(r.stdout).toMatch(/^path: +:memory:$/m);
  });
});

describe('.width and bad input', () => {
  test('.width sets minimum widths, negative right-aligns, no argument resets', async () => {
    const r = await runInProcess([], ".mode column\n.width 6 -4\nSELECT 'ab' AS a, 7 AS b;\n.width\nSELECT 'ab' AS a, 7 AS b;\n");
    expect(r.stdout).toBe('a          b\n------  ----\nab         7\na   b\n--  -\nab  7\n');
    const bad = await runInProcess([], '.width x\n');
    expect(bad.stderr).toBe('Error: not a width: "x"\n');
  });

  test('an unknown dot-command says so and changes nothing; the script goes on, exit 1', async () => {
    const r = await runInProcess([], "CREATE TABLE t(x);\nINSERT INTO t VALUES (1);\n.frobnicate t\nSELECT count(*) FROM t;\n");
    expect(r.stderr).toBe('Error: unknown command or invalid arguments:  "frobnicate". Enter ".help" for help\n');
    expect(r.stdout).toBe('1\n');
    expect(r.code).toBe(1);
  });
});

describe('.dump of generated columns and AUTOINCREMENT', () => {
  const SETUP = `
CREATE TABLE g(id INTEGER PRIMARY KEY AUTOINCREMENT, b INT, c AS (b * 2), d TEXT AS (id || ':' || c) STORED);
INSERT INTO g(b) VALUES (1), (2), (3);
DELETE FROM g WHERE b = 3;
CREATE INDEX g_c ON g(c);
`;
  const rows = (db: { prepare(sql: string): { all(): unknown[] } }) => ({
    g: db.prepare('SELECT * FROM g ORDER BY id').all(),
    seq: db.prepare('SELECT * FROM sqlite_sequence').all(),
  });

  test('the dump leaves generated columns out; SQLite and AmberDB both load it into the same rows and counter', async () => {
    const r = await runInProcess([], `${SETUP}.dump\n`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('INSERT INTO g VALUES(1,1);\n');
    const lite = new BetterSqlite3(':memory:');
    lite.exec(r.stdout);
    const original = new BetterSqlite3(':memory:');
    original.exec(SETUP);
    expect(rows(lite)).toEqual(rows(original));
    const again = await runInProcess([], `${r.stdout}.dump\n`);
    expect(again.stderr).toBe('');
    expect(again.stdout).toBe(r.stdout);
  });
});
