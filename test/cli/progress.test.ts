// The progress bar (progress.ts) on a fake clock: nothing for quick work, redrawn in place, erased at the end.
import { formatBytes, ProgressBar } from '../../src/cli/progress';

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
