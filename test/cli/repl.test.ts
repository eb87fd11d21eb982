// The interactive shell in a real pseudo-terminal, made by util-linux `script` (present on
// Debian and most Linux machines; the test is skipped with a message where it is not). Input is
// typed only after the prompt it answers has appeared, as a person would.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE_ARGS, REPO } from './harness';

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
if (!hasScript) console.warn('repl.test.ts: skipped — util-linux `script` is not installed, so there is no pseudo-terminal to drive');
const maybe = hasScript ? test : test.skip;

const quote = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;

const running = new Set<Terminal>();
// A failed wait must not leave the shell running: jest would never exit.
afterEach(() => {
  for (const t of running) t.kill();
  running.clear();
});

class Terminal {
  output = '';
  private readonly child;
  readonly exited: Promise<number>;

  constructor(env: NodeJS.ProcessEnv) {
    const command = [process.execPath, ...NODE_ARGS].map(quote).join(' ');
    this.child = spawn('script', ['-qec', command, '/dev/null'], { cwd: REPO, env: { ...process.env, ...env } });
    this.child.stdout.on('data', (d: Buffer) => (this.output += d.toString('utf8')));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code ?? -1)));
    running.add(this);
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }

  /** Waits until the screen output has `count` occurrences of `text` (prompts repeat). */
  async waitFor(text: string, count = 1): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (this.output.split(text).length - 1 < count) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(text)}; screen so far:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Waits until `text` shows after what the screen held when it was called (a fresh echo). */
  async waitForNew(text: string, action: () => void): Promise<void> {
    const from = this.output.length;
    action();
    const deadline = Date.now() + 30_000;
    while (!this.output.slice(from).includes(text)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(text)}; screen so far:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Types `word`, waits for its echo, then presses Tab alone (readline ignores a pasted Tab). */
  async complete(word: string, expected: string): Promise<void> {
    await this.waitForNew(word, () => this.type(word));
    await this.waitForNew(expected, () => this.type('\t'));
  }

  type(keys: string): void {
    this.child.stdin.write(keys);
  }
}

maybe('REPL: prompts, continuation lines, box output, Ctrl-C cancels, Ctrl-D exits, history saved', async () => {
  const history = join(mkdtempSync(join(tmpdir(), 'amberdb-repl-')), 'history');
  const t = new Terminal({ AMBERDB_HISTORY: history });
  await t.waitFor('amberdb> ');
  t.type('SELECT 1 AS a;\r');
  await t.waitFor('│ a │');
  await t.waitFor('amberdb> ', 2);
  t.type('SELECT\r');
  await t.waitFor('   ...> ');
  t.type('2 AS b;\r');
  await t.waitFor('│ 2 │');
  await t.waitFor('amberdb> ', 3);
  t.type('SELECT 99 AS never\r');
  await t.waitFor('   ...> ', 2);
  t.type('\x03'); // Ctrl-C: drop the unfinished statement
  await t.waitFor('amberdb> ', 4);
  t.type('.mode list\rSELECT 7;\r');
  await t.waitFor('\n7\r\n');
  await t.waitFor('amberdb> ', 6);
  t.type('\x04'); // Ctrl-D on an empty line
  expect(await t.exited).toBe(0);
  expect(t.output).toContain('AmberDB ');
  expect(t.output).not.toContain('never\r\n'); // the cancelled statement never ran (no header/row)
  expect(readFileSync(history, 'utf8')).toBe('SELECT 1 AS a;\nSELECT\n2 AS b;\nSELECT 99 AS never\n.mode list\nSELECT 7;\n');
});

maybe('REPL: Tab completes keywords, table and column names, dot-commands', async () => {
  const history = join(mkdtempSync(join(tmpdir(), 'amberdb-repl-')), 'history');
  const t = new Terminal({ AMBERDB_HISTORY: history });
  await t.waitFor('amberdb> ');
  t.type("CREATE TABLE customers(email, name); INSERT INTO customers VALUES ('a@b.example', 'Ann');\r");
  await t.waitFor('amberdb> ', 2);
  await t.complete('.mo', 'de');
  t.type(' line\r');
  await t.waitFor('amberdb> ', 3);
  await t.complete('SEL', 'ECT');
  await t.complete(' ema', 'il');
  await t.complete(' FROM cust', 'omers');
  await t.complete(' WHERE customers.na', 'me');
  t.type(" = 'Ann';\r");
  await t.waitFor('email = a@b.example');
  await t.waitFor('amberdb> ', 4);
  t.type('\x04');
  expect(await t.exited).toBe(0);
  // What ran is the completed text, as history shows it.
  expect(readFileSync(history, 'utf8').split('\n').slice(1, 3)).toEqual([
    '.mode line',
    "SELECT email FROM customers WHERE customers.name = 'Ann';",
  ]);
});

maybe('REPL: a long .import draws a progress bar on the terminal; Ctrl-C stops it and leaves nothing behind', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'amberdb-repl-'));
  const csv = join(dir, 'big.csv');
  // Large enough that the import runs for seconds: the bar appears after 300 ms.
  const rows = ['id,name'];
  for (let i = 0; i < 300_000; i++) rows.push(`${i},name ${i}`);
  writeFileSync(csv, rows.join('\n') + '\n');
  const t = new Terminal({ AMBERDB_HISTORY: join(dir, 'history') });
  await t.waitFor('amberdb> ');
  t.type(`.import ${csv} big\r`);
  await t.waitFor(`importing ${csv} [`);
  t.type('\x03');
  await t.waitFor('Error: interrupted');
  await t.waitFor('amberdb> ', 2);
  t.type(".mode list\rSELECT 'tables: ' || count(*) FROM sqlite_schema;\r");
  await t.waitFor('tables: 0');
  t.type('\x04');
  expect(await t.exited).toBe(0);
});

maybe('REPL: Ctrl-C stops a query that is printing rows; the shell goes on', async () => {
  const t = new Terminal({ AMBERDB_HISTORY: join(mkdtempSync(join(tmpdir(), 'amberdb-repl-')), 'history') });
  await t.waitFor('amberdb> ');
  t.type('.mode list\r');
  t.type('CREATE TABLE t(x); INSERT INTO t WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000) SELECT x FROM c;\r');
  await t.waitFor('amberdb> ', 3);
  t.type('SELECT a.x, b.x FROM t a, t b;\r'); // 4 million rows
  await t.waitFor('\n1|1500\r\n');
  t.type('\x03');
  await t.waitFor('Error: interrupted');
  await t.waitForNew('still here', () => t.type("SELECT 'still ' || 'here';\r"));
  t.type('\x04');
  expect(await t.exited).toBe(0);
  expect(t.output).not.toContain('2000|2000');
});
