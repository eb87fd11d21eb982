// Database-level corruption (issue 5): a snapshot and the log after it, damaged one bit or one
// cut at a time and opened strictly — exactly a committed prefix (a torn tail) or SQLITE_CORRUPT
// naming the file and offset, never altered data. The rules and the cases are in
// corruption-cases.ts; this is a seeded sample, the full sweep (every bit, writable and readonly)
// is `npm run test:crash` (scripts/crash-sweep.ts, CRASH_CORRUPTION).
import type { Fixture } from './corruption-cases';
import { buildFixture, checkFlip, checkTruncate, rng } from './corruption-cases';

let fixture: Fixture;
beforeAll(() => {
  fixture = buildFixture();
});

const SEED = 20261124;

function sample(bits: number, n: number, random: () => number): number[] {
  return Array.from({ length: n }, () => Math.floor(random() * bits));
}

test.each([
  ['snapshot', 400],
  ['log', 400],
  ['manifest', 80],
] as const)('a bit flipped in the %s: SQLITE_CORRUPT naming file and offset, or (last frame only) the prefix before it', (kind, n) => {
  const random = rng(SEED + kind.length);
  const bits = fixture.files.get(fixture.paths[kind])!.length * 8;
  const failures: string[] = [];
  sample(bits, n, random).forEach((bit, i) => {
    const r = checkFlip(fixture, kind, bit, i % 4 === 3);
    if (r !== null) failures.push(r);
  });
  expect(failures).toEqual([]);
});

test('a bit flipped in each frame of the log, header and payload: the damaged frame is named', () => {
  const failures: string[] = [];
  fixture.txStart.forEach((start, i) => {
    for (const at of [start, start + 4, start + 12, start + 20, fixture.txEnd[i]! - 1]) {
      const r = checkFlip(fixture, 'log', at * 8 + (i % 8), false);
      if (r !== null) failures.push(r);
    }
  });
  expect(failures).toEqual([]);
});

test('the log cut at every byte of its last three transactions (and of its header): a committed prefix', () => {
  const f = fixture;
  const tail = f.txStart[f.txStart.length - 3]!;
  const end = f.txEnd[f.txEnd.length - 1]!;
  const lengths = [...Array.from({ length: 33 }, (_, i) => i), ...Array.from({ length: end - tail + 1 }, (_, i) => tail + i)];
  const failures: string[] = [];
  lengths.forEach((length, i) => {
    const r = checkTruncate(f, length, i % 4 === 3);
    if (r !== null) failures.push(r);
  });
  expect(failures).toEqual([]);
});
