// The real process: arguments, standard input, exit status, and values checked against SQLite
// (better-sqlite3) where SQLite's semantics decide the text.
import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInProcess, spawnCli } from './harness';

describe('amberdb as a process', () => {
  test('reads a script from a pipe, prints list mode, exits 0', () => {
    const r = spawnCli([], 'CREATE TABLE t(a);\nINSERT INTO t VALUES (1), (2.5);\nSELECT a, typeof(a) FROM t;\n');
    expect(r).toEqual({ stdout: '1|integer\n2.5|real\n', stderr: '', code: 0 });
  });

  test('an error goes to stderr with its caret and makes the exit status 1; later statements run', () => {
    const r = spawnCli([], 'SELECT * FROM nosuch;\nSELECT 2;\n');
    expect(r.stdout).toBe('2\n');
    expect(r.stderr).toBe('Error: near line 1: no such table: nosuch\n  SELECT * FROM nosuch;\n                ^--- error here\n');
    expect(r.code).toBe(1);
  });

  test('-c runs each argument in order and does not read standard input', () => {
    const r = spawnCli(['-c', 'SELECT 1 AS x', '-c', '.mode json', '-c', 'SELECT 2 AS y; SELECT 3 AS z'], 'SELECT 99;');
    expect(r).toEqual({ stdout: '1\n[{"y":2}]\n[{"z":3}]\n', stderr: '', code: 0 });
  });

  test('--bail stops at the first failing -c statement', () => {
    const r = spawnCli(['--bail', '-c', 'SELECT 1; SELECT * FROM nope; SELECT 2', '-c', 'SELECT 3']);
    expect(r.stdout).toBe('1\n');
    expect(r.code).toBe(1);
  });

  test('--version and --help', () => {
    const v = spawnCli(['--version']);
    expect(v.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(v.code).toBe(0);
    const h = spawnCli(['--help']);
    expect(h.stdout).toContain('Usage: amberdb [options] [DIR] [SQL...]');
    expect(h.code).toBe(0);
  });
});

describe('arguments (in process)', () => {
  test('positional SQL after the database, with --json and --csv --header', async () => {
    expect((await runInProcess(['--json', ':memory:', "SELECT 1 AS a, 'x' AS b"])).stdout).toBe('[{"a":1,"b":"x"}]\n');
    expect((await runInProcess(['--csv', '--header', '', "SELECT 1 AS a, 'x y' AS b"])).stdout).toBe('a,b\n1,"x y"\n');
  });

  test('--mode and --no-header', async () => {
    expect((await runInProcess(['--mode', 'column', '--no-header', '-c', 'SELECT 1 AS a'])).stdout).toBe('1\n');
    expect((await runInProcess(['--mode', 'markdown', '-c', 'SELECT 1 AS a'])).stdout).toBe('| a |\n|---|\n| 1 |\n');
  });

  test('an unknown mode is a usage error (exit 1)', async () => {
    const r = await runInProcess(['--mode', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("argument 'nope' is invalid");
  });

  test('box is the default on a terminal, list otherwise', async () => {
    expect((await runInProcess(['-c', 'SELECT 1 AS a'], '', true)).stdout).toBe('┌───┐\n│ a │\n├───┤\n│ 1 │\n└───┘\n');
    expect((await runInProcess(['-c', 'SELECT 1 AS a'])).stdout).toBe('1\n');
  });

  test('.exit CODE sets the exit status', async () => {
    expect((await runInProcess([], '.exit 3\nSELECT 1;\n')).code).toBe(3);
  });

  test('.timer prints a Run Time line after each statement', async () => {
    const r = await runInProcess([], '.timer on\nSELECT 1;\n');
    expect(r.stdout).toMatch(/^1\nRun Time: real \d+\.\d{3} user \d+\.\d{6} sys \d+\.\d{6}\n$/);
  });
});

describe('values as SQLite prints them (better-sqlite3 decides)', () => {
  const expressions = [
    '1', '-1', '2.0', '0.1', '0.1 + 0.2', '1.0 / 3', '1e15', '1e16', '1e17', '1e100', '-1e-7', '123.456', '100.0 * 3',
    '9223372036854775807', '-9223372036854775808', '9223372036854775807 + 1', '5 / 2', '5.0 / 2', '1 / 0',
    "'text'", "'a''b'", "x'414243'", 'NULL', "CAST('12' AS REAL)", "CAST(2.5 AS INTEGER)", '0.5e-4', '2e-5',
  ];
  test.each(expressions)('%s', async (expr) => {
    const sqlite = new BetterSqlite3(':memory:');
    const expected = sqlite.prepare(`SELECT CAST((${expr}) AS TEXT)`).pluck().get() as string | null;
    sqlite.close();
    const r = await runInProcess(['-c', `SELECT ${expr}`]);
    expect(r.stdout).toBe(`${expected ?? ''}\n`);
  });
});

describe('more arguments', () => {
  test('a flag per mode (--line, --markdown...), and only one mode at a time', async () => {
    expect((await runInProcess(['--line', '', 'SELECT 1 AS a'])).stdout).toBe('    a = 1\n');
    expect((await runInProcess(['--table', '', 'SELECT 1 AS a'])).stdout).toBe('+---+\n| a |\n+---+\n| 1 |\n+---+\n');
    const both = await runInProcess(['--box', '--json', '', 'SELECT 1']);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('choose one output mode');
  });

  test('--readonly refuses writes and keeps the rows', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'amberdb-ro-')), 'db');
    expect((await runInProcess([dir, 'CREATE TABLE t(x)', 'INSERT INTO t VALUES (1)'])).code).toBe(0);
    const r = await runInProcess(['--readonly', dir, 'INSERT INTO t VALUES (2)', 'SELECT count(*) FROM t']);
    expect(r.stderr).toContain('attempt to write a readonly database');
    expect(r.stdout).toBe('1\n');
    expect(r.code).toBe(1);
  });

  test('--help names check and repair', async () => {
    const r = await runInProcess(['--help']);
    expect(r.stdout).toContain('amberdb check DIR');
    expect(r.stdout).toContain('amberdb repair DIR OUT');
  });
});
