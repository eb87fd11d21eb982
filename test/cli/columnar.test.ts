// Columnar modes on long results: widths come from the first rows, later rows stream through.
import { columnarFormatter, SIZING_ROWS } from '../../src/cli/columnar';
import { runInProcess } from './harness';

test('after the sizing rows, the head is printed and each further row comes out at once', () => {
  const f = columnarFormatter('table', true, String, [], 2);
  expect(f.begin(['a'])).toBe('');
  expect(f.row(['1'])).toBe('');
  expect(f.row(['22'])).toBe('+----+\n| a  |\n+----+\n| 1  |\n| 22 |\n');
  expect(f.row(['3'])).toBe('| 3  |\n');
  expect(f.row(['4444'])).toBe('| 4444 |\n'); // wider than the sized column: widens its own line
  expect(f.end()).toBe('+----+\n');
});

test('a short result is sized on all its rows, as before', () => {
  const f = columnarFormatter('box', true, String, [], 2);
  f.begin(['a']);
  expect(f.row(['1'])).toBe('');
  expect(f.end()).toBe('┌───┐\n│ a │\n├───┤\n│ 1 │\n└───┘\n');
});

test('the shell prints every row of a result longer than the sizing rows', async () => {
  const n = SIZING_ROWS + 500;
  const r = await runInProcess(['--box', '', `WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${n}) SELECT i FROM c`]);
  const lines = r.stdout.split('\n');
  expect(lines.filter((l) => l.startsWith('│ ')).length).toBe(n + 1); // rows and the header
  expect(lines[lines.length - 2]).toBe('└──────┘');
  expect(lines).toContain(`│ ${n} │`);
});
