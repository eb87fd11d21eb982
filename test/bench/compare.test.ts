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
