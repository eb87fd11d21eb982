import { CheckpointPolicy } from '../../src/durability/checkpoint-policy';
import type { CheckpointDecision, CheckpointPolicyOptions, CheckpointState } from '../../src/durability/checkpoint-policy';
import { MemoryFileSystem } from '../../src/durability/fs/memory-fs';
import { FaultyFileSystem, PowerLossError } from '../../src/durability/fs/faulty-fs';
import { decodeManifest, encodeManifest, readManifest, writeManifest } from '../../src/durability/manifest';
import { RedoLog } from '../../src/durability/redo-log';
import { SnapshotWriter } from '../../src/durability/snapshot-writer';

const DIR = '/db';
function newFs(): MemoryFileSystem {
  const fs = new MemoryFileSystem();
  fs.mkdir(DIR);
  fs.syncDir('/');
  return fs;
}

test('MANIFEST is four readable lines with a checksum', () => {
  const text = Buffer.from(encodeManifest({ snapshotLsn: 1234, firstSegment: 7 })).toString();
  expect(text).toBe('AMBERDB MANIFEST 1\nsnapshot 00001234.snap\nlog 00000007.log\ncrc32c ' + text.slice(-9));
  expect(decodeManifest(encodeManifest({ snapshotLsn: undefined, firstSegment: 1 }))).toEqual({ snapshotLsn: undefined, firstSegment: 1 });
});

test('a MANIFEST with a bad checksum is corruption', () => {
  const fs = newFs();
  RedoLog.open(fs, DIR).close();
  writeManifest(fs, DIR, { snapshotLsn: undefined, firstSegment: 1 });
  const bytes = fs.readFile(`${DIR}/MANIFEST`).slice();
  bytes[bytes.indexOf(0x31, 30)] = 0x32; // log 00000001 -> 00000002 ... a digit changed
  fs.writeFileDurable(`${DIR}/MANIFEST`, bytes);
  expect(() => readManifest(fs, DIR)).toThrow(expect.objectContaining({ code: 'SQLITE_CORRUPT', message: expect.stringMatching(/MANIFEST: MANIFEST checksum mismatch/) }));
});

test('a MANIFEST naming a missing file is corruption', () => {
  const fs = newFs();
  RedoLog.open(fs, DIR).close();
  writeManifest(fs, DIR, { snapshotLsn: 5, firstSegment: 1 });
  expect(() => readManifest(fs, DIR)).toThrow(/MANIFEST: names missing file snap\/00000005\.snap/);
  writeManifest(fs, DIR, { snapshotLsn: undefined, firstSegment: 3 });
  expect(() => readManifest(fs, DIR)).toThrow(/MANIFEST: names missing file log\/00000003\.log/);
  SnapshotWriter.begin(fs, DIR, 5, { ddl: [], tables: [] }, { pageSize: 512 }).finish();
  writeManifest(fs, DIR, { snapshotLsn: 5, firstSegment: 1 });
  expect(readManifest(fs, DIR)).toEqual({ snapshotLsn: 5, firstSegment: 1 });
});

test('no MANIFEST means a new database', () => {
  expect(readManifest(newFs(), DIR)).toBeUndefined();
});

test('a MANIFEST switch is atomic at every crash point', () => {
  const old = { snapshotLsn: undefined, firstSegment: 1 };
  const next = { snapshotLsn: 9, firstSegment: 2 };
  for (let n = 0; n < 8; n++) {
    const fs = new FaultyFileSystem();
    fs.mkdir(DIR);
    fs.syncDir('/');
    writeManifest(fs, DIR, old);
    fs.stopAfter(fs.mutations + n);
    try {
      writeManifest(fs, DIR, next);
    } catch (e) {
      if (!(e instanceof PowerLossError)) throw e;
    }
    fs.crash({ tear: { sectors: 1 } });
    const got = decodeManifest(fs.mem.readFile(`${DIR}/MANIFEST`));
    expect([old, next]).toContainEqual(got);
  }
});

describe('checkpoint policy', () => {
  const MiB = 1024 * 1024;
  const cases: Array<[string, CheckpointPolicyOptions, CheckpointState, CheckpointDecision]> = [
    ['nothing logged, long idle', {}, { logBytesSinceCheckpoint: 0, msSinceCheckpoint: 3_600_000 }, 'none'],
    ['below both thresholds', {}, { logBytesSinceCheckpoint: MiB, msSinceCheckpoint: 1000 }, 'none'],
    ['log bytes reached', {}, { logBytesSinceCheckpoint: 64 * MiB, msSinceCheckpoint: 0 }, 'log-bytes'],
    ['interval reached with something logged', {}, { logBytesSinceCheckpoint: 1, msSinceCheckpoint: 300_000 }, 'interval'],
    ['interval just short', {}, { logBytesSinceCheckpoint: 1, msSinceCheckpoint: 299_999 }, 'none'],
    ['both: log bytes wins', { checkpointLogBytes: 100, checkpointIntervalMs: 10 }, { logBytesSinceCheckpoint: 100, msSinceCheckpoint: 10 }, 'log-bytes'],
    ['already running', {}, { logBytesSinceCheckpoint: 1e12, msSinceCheckpoint: 1e12, checkpointRunning: true }, 'none'],
    ['0 disables the byte trigger', { checkpointLogBytes: 0 }, { logBytesSinceCheckpoint: 1e12, msSinceCheckpoint: 0 }, 'none'],
    ['0 disables the interval', { checkpointIntervalMs: 0 }, { logBytesSinceCheckpoint: 5, msSinceCheckpoint: 1e12 }, 'none'],
    ['small custom byte limit', { checkpointLogBytes: 4096 }, { logBytesSinceCheckpoint: 4096, msSinceCheckpoint: 0 }, 'log-bytes'],
  ];
  test.each(cases)('%s', (_name, opts, state, want) => {
    expect(new CheckpointPolicy(opts).decide(state)).toBe(want);
  });
  test('a negative option is a RangeError', () => {
    expect(() => new CheckpointPolicy({ checkpointLogBytes: -1 })).toThrow(RangeError);
  });
});
