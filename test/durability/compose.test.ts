// The pieces composed the way the engine will: commit → log, checkpoint → snapshot + MANIFEST,
// open → MANIFEST → snapshot → log replay. A toy "engine" (a Map per table) stands in for storage.
import type { ChangeRecord } from '../../src/durability/change-record';
import { FaultyFileSystem, PowerLossError } from '../../src/durability/fs/faulty-fs';
import type { FileSystem } from '../../src/durability/fs/file-system';
import { listSnapshots, snapshotPath } from '../../src/durability/layout';
import { readManifest, writeManifest } from '../../src/durability/manifest';
import { RedoLog } from '../../src/durability/redo-log';
import { SnapshotReader } from '../../src/durability/snapshot-reader';
import { SnapshotWriter } from '../../src/durability/snapshot-writer';
import type { SqlValue } from '../../src/value/types';

const DIR = '/db';
type State = Map<string, Map<string, SqlValue[]>>;

function apply(state: State, records: readonly ChangeRecord[]): void {
  for (const r of records) {
    if (r.kind === 'ddl') state.set(/TABLE (\w+)/.exec(r.sql)![1]!, new Map());
    else if (r.kind === 'put') state.get(r.table)!.set(String(r.rowid), [...r.row]);
    else if (r.kind === 'delete') state.get(r.table)!.delete(String(r.rowid));
  }
}

function open(fs: FileSystem): { log: RedoLog; state: State } {
  const state: State = new Map();
  const m = readManifest(fs, DIR);
  if (m?.snapshotLsn !== undefined) {
    const reader = SnapshotReader.open(fs, snapshotPath(DIR, m.snapshotLsn));
    for (const t of reader.schema.tables) state.set(t.name, new Map());
    for (const row of reader.rows()) state.get(row.table)!.set(String(row.rowid), row.row);
  }
  const log = RedoLog.open(fs, DIR, {
    firstSegment: m?.firstSegment,
    fromLsn: m?.snapshotLsn,
    onTransaction: (_lsn, records) => apply(state, records),
  });
  if (m === undefined) writeManifest(fs, DIR, { snapshotLsn: undefined, firstSegment: log.currentSegment });
  return { log, state };
}

function checkpoint(fs: FileSystem, log: RedoLog, state: State): void {
  const segment = log.rotate();
  const lsn = log.lastLsn;
  const w = SnapshotWriter.begin(fs, DIR, lsn, { ddl: [], tables: [...state.keys()].map((name) => ({ name })) }, { pageSize: 512 });
  for (const [table, rows] of state) w.addRows(table, [...rows].map(([k, row]) => [Number(k), row] as const));
  w.finish();
  writeManifest(fs, DIR, { snapshotLsn: lsn, firstSegment: segment });
  log.dropSegmentsBefore(segment);
  for (const old of listSnapshots(fs, DIR)) if (old < lsn) fs.unlink(snapshotPath(DIR, old));
}

const TXS: ChangeRecord[][] = [
  [{ kind: 'ddl', sql: 'CREATE TABLE t (a)' }],
  ...Array.from({ length: 9 }, (_, i): ChangeRecord[] => [
    { kind: 'put', table: 't', rowid: i, row: [i, 'v'.repeat(30 * i)] },
    ...(i > 2 ? [{ kind: 'delete' as const, table: 't', rowid: i - 3 }] : []),
  ]),
];

function run(fs: FaultyFileSystem, acked: number[]): void {
  const { log, state } = open(fs);
  TXS.forEach((tx, i) => {
    log.append(tx);
    log.sync();
    apply(state, tx);
    acked.push(i + 1);
    if (i === 5) checkpoint(fs, log, state);
  });
}

function expectedAfter(n: number): State {
  const s: State = new Map();
  for (const tx of TXS.slice(0, n)) apply(s, tx);
  return s;
}

test('after a power loss at any point of commits and a checkpoint, the state is a committed prefix holding every acknowledged commit', () => {
  let total = 0;
  {
    const fs = new FaultyFileSystem();
    fs.mkdir(DIR);
    fs.syncDir('/');
    const m0 = fs.mutations;
    run(fs, []);
    total = fs.mutations - m0;
  }
  expect(total).toBeGreaterThan(30);
  for (let n = 0; n <= total; n++) {
    for (const tear of [undefined, { sectors: 1 }]) {
      const fs = new FaultyFileSystem();
      fs.mkdir(DIR);
      fs.syncDir('/');
      fs.stopAfter(fs.mutations + n);
      const acked: number[] = [];
      try {
        run(fs, acked);
      } catch (e) {
        if (!(e instanceof PowerLossError)) throw e;
      }
      fs.crash(tear === undefined ? {} : { tear });
      const { log, state } = open(fs);
      const k = log.lastLsn;
      expect(k).toBeGreaterThanOrEqual(acked.length);
      expect(state).toEqual(expectedAfter(k));
      log.close();
    }
  }
});
