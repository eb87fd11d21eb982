// Snapshot pages (src/durability/snapshot-writer.ts): rules of the format, one test each.
import { MemoryFileSystem } from '../../src/durability/fs/memory-fs';
import { FaultyFileSystem, PowerLossError } from '../../src/durability/fs/faulty-fs';
import { listSnapshots, snapshotPath } from '../../src/durability/layout';
import { SnapshotReader, readSnapshot } from '../../src/durability/snapshot-reader';
import { SnapshotWriter } from '../../src/durability/snapshot-writer';
import type { SnapshotSchema } from '../../src/durability/snapshot-format';
import type { SqlValue } from '../../src/value/types';
import { Rng, normalize, randomRow } from './random';

const DIR = '/db';
const SCHEMA: SnapshotSchema = {
  ddl: ['CREATE TABLE a (x INTEGER PRIMARY KEY AUTOINCREMENT, y)', 'CREATE TABLE b (k TEXT, v BLOB)', 'CREATE INDEX bk ON b (k)'],
  tables: [{ name: 'a', sequence: 42 }, { name: 'b' }],
};

function newFs(): MemoryFileSystem {
  const fs = new MemoryFileSystem();
  fs.mkdir(DIR);
  fs.syncDir('/');
  return fs;
}

type Rows = Array<[number | bigint, SqlValue[]]>;

function write(fs: MemoryFileSystem | FaultyFileSystem, lsn: number, a: Rows, b: Rows, pageSize = 512, schema = SCHEMA): void {
  const w = SnapshotWriter.begin(fs, DIR, lsn, schema, { pageSize });
  // In slices, interleaved, as a fuzzy checkpoint does.
  for (let i = 0; i < Math.max(a.length, b.length); i += 7) {
    w.addRows('a', a.slice(i, i + 7));
    w.addRows('b', b.slice(i, i + 7));
  }
  w.finish();
}

function sample(seed: number, n: number): { a: Rows; b: Rows } {
  const rng = new Rng(seed);
  const a: Rows = [];
  const b: Rows = [];
  for (let i = 0; i < n; i++) a.push([i + 1, randomRow(rng, 4)]);
  for (let i = 0; i < n / 2; i++) b.push([BigInt(2) ** 62n + BigInt(i), [`k${i}`, rng.bytes(rng.int(40))]]);
  return { a, b };
}

function sortRows(rows: Array<{ table: string; rowid: number | bigint; row: SqlValue[] }>): unknown {
  return normalize(rows.map((r) => [r.table, r.rowid, r.row]).sort((x, y) => String(x[0]).localeCompare(String(y[0])) || (x[1]! < y[1]! ? -1 : 1)));
}
function expected(a: Rows, b: Rows): unknown {
  return sortRows([...a.map(([rowid, row]) => ({ table: 'a', rowid, row })), ...b.map(([rowid, row]) => ({ table: 'b', rowid, row }))]);
}

test('a snapshot reads back its LSN, schema and every row', () => {
  const fs = newFs();
  const { a, b } = sample(1, 300);
  write(fs, 1234, a, b);
  expect(listSnapshots(fs, DIR)).toEqual([1234]);
  expect(fs.readdir(`${DIR}/snap`)).toEqual(['00001234.snap']); // no .tmp left
  const { reader, rows } = readSnapshot(fs, snapshotPath(DIR, 1234));
  expect(reader.beginLsn).toBe(1234);
  expect(reader.pageSize).toBe(512);
  expect(reader.schema).toEqual(SCHEMA);
  expect(sortRows(rows)).toEqual(expected(a, b));
  expect(reader.report).toMatchObject({ rows: 450, skipped: [], trailerVerified: true });
  expect(fs.fileSize(snapshotPath(DIR, 1234)) % 512).toBe(0);
});

test('a row larger than a page spans OVERFLOW pages; so does a large schema', () => {
  const fs = newFs();
  const big: Rows = [[1, ['x'.repeat(5000), new Uint8Array(3000).fill(7)]], [2, ['small']], [3, ['y'.repeat(1500)]]];
  const schema: SnapshotSchema = { ddl: Array.from({ length: 40 }, (_, i) => `CREATE TABLE t${i} (a, b, c)`), tables: SCHEMA.tables };
  write(fs, 5, big, [], 512, schema);
  const { reader, rows } = readSnapshot(fs, snapshotPath(DIR, 5));
  expect(reader.schema).toEqual(schema);
  expect(sortRows(rows)).toEqual(expected(big, []));
  // page types: 1 HEADER, OVERFLOW..., DATA, OVERFLOW..., TRAILER
  const data = fs.readFile(snapshotPath(DIR, 5));
  const types = Array.from({ length: data.length / 512 }, (_, i) => data[i * 512 + 4]);
  expect(types[0]).toBe(1);
  expect(types[1]).toBe(3);
  expect(types.filter((t) => t === 3).length).toBeGreaterThan(15);
  expect(types[types.length - 1]).toBe(4);
});

test('an empty database makes a valid snapshot', () => {
  const fs = newFs();
  write(fs, 0, [], [], 512, { ddl: [], tables: [] });
  const { reader, rows } = readSnapshot(fs, snapshotPath(DIR, 0));
  expect(rows).toEqual([]);
  expect(reader.report.trailerVerified).toBe(true);
});

test('flipping any bit of a snapshot is detected', () => {
  const fs = newFs();
  const { a, b } = sample(2, 12);
  write(fs, 9, a, b);
  const path = snapshotPath(DIR, 9);
  const good = fs.readFile(path).slice();
  expect(good.length).toBeGreaterThanOrEqual(3 * 512);
  let undetected = 0;
  for (let byte = 0; byte < good.length; byte++) {
    for (let bit = 0; bit < 8; bit++) {
      const bad = good.slice();
      bad[byte]! ^= 1 << bit;
      fs.writeFileDurable(path, bad);
      try {
        readSnapshot(fs, path);
        undetected++;
      } catch (e) {
        if ((e as { code?: string }).code !== 'SQLITE_CORRUPT') throw e;
      }
    }
  }
  expect(undetected).toBe(0);
});

test('a bad page names the file, page and offset', () => {
  const fs = newFs();
  const { a, b } = sample(3, 200);
  write(fs, 77, a, b);
  const path = snapshotPath(DIR, 77);
  const bad = fs.readFile(path).slice();
  bad[3 * 512 + 100]! ^= 0x20;
  fs.writeFileDurable(path, bad);
  expect(() => readSnapshot(fs, path)).toThrow(
    expect.objectContaining({
      code: 'SQLITE_CORRUPT',
      message: 'database disk image is malformed: snap/00000077.snap page 3 at offset 1536: page checksum mismatch',
    }),
  );
});

test('salvage skips a bad page, reports it and returns every other row', () => {
  const fs = newFs();
  const { a, b } = sample(4, 200);
  write(fs, 8, a, b);
  const path = snapshotPath(DIR, 8);
  const bad = fs.readFile(path).slice();
  bad[2 * 512 + 30]! ^= 0x01;
  fs.writeFileDurable(path, bad);
  const { reader, rows } = readSnapshot(fs, path, 'salvage');
  expect(reader.report.skipped).toEqual([{ page: 2, offset: 1024, reason: 'page checksum mismatch' }]);
  expect(reader.report.trailerVerified).toBe(false);
  const all = expected(a, b) as unknown[];
  expect(rows.length).toBeLessThan(all.length);
  expect(rows.length).toBeGreaterThan(all.length - 40);
  const want = new Set(all.map((r) => JSON.stringify(r)));
  for (const r of sortRows(rows) as unknown[]) expect(want.has(JSON.stringify(r))).toBe(true);
});

test('a snapshot cut short is corruption (missing trailer)', () => {
  const fs = newFs();
  const { a, b } = sample(5, 100);
  write(fs, 3, a, b);
  const path = snapshotPath(DIR, 3);
  const data = fs.readFile(path);
  fs.writeFileDurable(path, data.subarray(0, data.length - 512));
  expect(() => readSnapshot(fs, path)).toThrow(/missing trailer page/);
  fs.writeFileDurable(path, data.subarray(0, data.length - 100));
  expect(() => readSnapshot(fs, path)).toThrow(/not a whole number of pages/);
});

test('rows are streamed: the reader holds one page at a time', () => {
  const fs = newFs();
  const { a, b } = sample(6, 300);
  write(fs, 1, a, b);
  const reader = SnapshotReader.open(fs, snapshotPath(DIR, 1));
  const it = reader.rows();
  expect(it.next().done).toBe(false);
  expect(reader.report.pages).toBeLessThan(4);
  let n = 1;
  while (!it.next().done) n++;
  expect(n).toBe(450);
});

test('a power loss at any point of writing a snapshot leaves no snapshot or a complete one', () => {
  const { a, b } = sample(7, 60);
  let total = 0;
  {
    const fs = new FaultyFileSystem();
    fs.mkdir(DIR);
    fs.syncDir('/');
    const m0 = fs.mutations;
    write(fs, 10, a, b);
    total = fs.mutations - m0;
  }
  for (let n = 0; n <= total; n++) {
    const fs = new FaultyFileSystem();
    fs.mkdir(DIR);
    fs.syncDir('/');
    fs.stopAfter(fs.mutations + n);
    try {
      write(fs, 10, a, b);
    } catch (e) {
      if (!(e instanceof PowerLossError)) throw e;
    }
    fs.crash({ tear: { sectors: 1 } });
    const snaps = listSnapshots(fs, DIR);
    if (n === total) expect(snaps).toEqual([10]);
    for (const lsn of snaps) expect(sortRows(readSnapshot(fs, snapshotPath(DIR, lsn)).rows)).toEqual(expected(a, b));
  }
});

test('addRows refuses a table outside the schema', () => {
  const fs = newFs();
  const w = SnapshotWriter.begin(fs, DIR, 1, SCHEMA, { pageSize: 512 });
  expect(() => w.addRows('zz', [[1, []]])).toThrow(/table not in snapshot schema: zz/);
  w.abort();
  expect(fs.readdir(`${DIR}/snap`)).toEqual([]);
});
