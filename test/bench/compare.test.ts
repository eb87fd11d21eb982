// The equality check that gates every benchmark row: what counts as the same result.
import { firstDifference } from '../../bench/lib/compare';

test('equal rows, Buffers by content, -0 as 0', () => {
  expect(firstDifference([{ a: 1, b: Buffer.from('x') }], [{ a: 1, b: Buffer.from('x') }])).toBeNull();
  expect(firstDifference({ x: -0 }, { x: 0 })).toBeNull();
});

test('a different value, key order, row count or type is reported with its path', () => {
  expect(firstDifference([{ a: 1 }], [{ a: 2 }])).toBe('$[0].a: 1 ≠ 2');
  expect(firstDifference({ a: 1, b: 2 }, { b: 2, a: 1 })).toMatch(/keys/);
  expect(firstDifference([1, 2], [1])).toMatch(/keys/);
  expect(firstDifference({ n: 1 }, { n: '1' })).toBe('$.n: 1 ≠ "1"');
  expect(firstDifference({ n: 1 }, { n: 1n })).not.toBeNull();
  expect(firstDifference(undefined, null)).not.toBeNull();
});

test('the Markdown table names machine and versions, and checks each ratio against its target', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { markdown } = require('../../bench/lib/report') as typeof import('../../bench/lib/report');
  const spread = (x: number) => ({ median: x, min: x, max: x, q1: x, q3: x, rounds: [x] });
  const row = (name: string, a: number, b: number) => ({
    name, group: 'better-sqlite3' as const, description: '', size: 1, status: 'ok' as const, agreed: true,
    amberdb: spread(a), betterSqlite3: spread(b), ratio: a / b, note: null,
  });
  const md = markdown({
    date: '2026-01-02', mode: 'quick', partial: false,
    machine: { cpu: 'CPU X', cores: 2, memoryGiB: 8, platform: 'linux', arch: 'x64' },
    node: 'v20.0.0', versions: { sqlite: '3.50.0', betterSqlite3: '12.0.0', amberdbCommit: 'abc1234' },
    tempDir: { path: '/tmp', fs: 'tmpfs' }, config: { rounds: 3, warmupMs: 1, budgetMs: 400, gcBetweenRuns: true },
    caveat: 'noisy', workloads: [row('select-get', 3000, 1000), row('insert', 1500, 1000), row('join-3way/10k', 500, 1000)],
  });
  expect(md).toContain('2026-01-02 · `quick` run');
  expect(md).toContain('CPU X × 2 cores');
  expect(md).toContain('Node v20.0.0');
  expect(md).toContain('| select-get | 3,000 | 1,000 | 3.00× | ≥ 2× met |');
  expect(md).toContain('| insert | 1,500 | 1,000 | 1.50× | ≥ 2× **not met** |');
  expect(md).toContain('| join-3way/10k | 500 | 1,000 | **0.50×** |  |');
});
