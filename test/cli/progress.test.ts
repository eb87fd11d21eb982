// The progress bar (progress.ts) on a fake clock: nothing for quick work, redrawn in place, erased at the end.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../../src/api/database';
import { formatBytes, openWithProgress, ProgressBar } from '../../src/cli/progress';

test('no bar before the delay; then one line redrawn with \\r at most every 100 ms; done() erases it', () => {
  let now = 0;
  let screen = '';
  const bar = new ProgressBar((t) => (screen += t), 'importing x.csv', 4096, 300, () => now);
  bar.update(1024);
  now = 299;
  bar.update(2048);
  expect(screen).toBe('');
  now = 300;
  bar.update(2048);
  expect(screen).toBe('\rimporting x.csv [###############...............]  50%  2.0 KiB / 4.0 KiB');
  now = 350;
  bar.update(3072); // too soon after the last draw
  expect(screen.split('\r')).toHaveLength(2);
  now = 400;
  bar.update(4096);
  expect(screen.endsWith('[##############################] 100%  4.0 KiB / 4.0 KiB')).toBe(true);
  bar.done();
  expect(screen.endsWith('\r\x1b[K')).toBe(true);
});

test('quick work never draws, so done() writes nothing', () => {
  let screen = '';
  const bar = new ProgressBar((t) => (screen += t), 'x', 10, 300, () => 0);
  bar.update(10);
  bar.done();
  expect(screen).toBe('');
});

test('formatBytes', () => {
  expect([0, 1023, 1536, 5 * 1024 * 1024, 3 * 1024 ** 3].map(formatBytes)).toEqual(['0 B', '1023 B', '1.5 KiB', '5.0 MiB', '3.0 GiB']);
});

test('opening a directory on a terminal: a bar of the bytes recovery reads, erased at the end; the rows are all there', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'amberdb-open-')), 'db');
  const db = new Database(dir);
  db.exec('CREATE TABLE t(x)');
  const ins = db.prepare('INSERT INTO t VALUES (?)');
  db.transaction(() => {
    for (let i = 1; i <= 2000; i++) ins.run(`row ${i}`);
  })();
  db.checkpoint();
  db.exec("INSERT INTO t VALUES ('after the checkpoint')");
  db.close();
  let screen = '';
  let clock = 0;
  const now = (): number => (clock += 1000); // every read may redraw
  const again = openWithProgress(dir, {}, (t) => (screen += t), { minBytes: 0, delayMs: 0, now });
  expect(again.prepare('SELECT count(*) FROM t').pluck().get()).toBe(2001);
  again.exec("INSERT INTO t VALUES ('writable')"); // an ordinary database: the log still works
  again.close();
  expect(screen).toMatch(new RegExp(`^\\ropening ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\[#*\\.*\\] +\\d+%`));
  // The snapshot was read through the counter: the last bar drawn is (nearly) full.
  const last = screen.split('\r').at(-2) ?? '';
  expect(Number(/(\d+)%/.exec(last)?.[1])).toBeGreaterThanOrEqual(90);
  expect(screen.endsWith('\r\x1b[K')).toBe(true);
  const reopened = new Database(dir, { readonly: true });
  expect(reopened.prepare('SELECT count(*) FROM t').pluck().get()).toBe(2002);
  reopened.close();
});

test('no terminal, or a small directory: a plain open, nothing drawn', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'amberdb-open-')), 'db');
  new Database(dir).close();
  let screen = '';
  openWithProgress(dir, {}, (t) => (screen += t)).close();
  openWithProgress(dir, {}, null, { minBytes: 0 }).close();
  expect(screen).toBe('');
});
