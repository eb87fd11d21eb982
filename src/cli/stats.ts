// `.stats` and `.checkpoint` output: db.stats() and db.checkpoint() as aligned `name: value`
// lines, one figure per line so that scripts can grep them.
//
//   path:             /data/shop
//   strategy:         hybrid, durability commit
//   memory:           1.2 MiB (estimated)
//   rows:             1200 in 2 tables (orders 1000, users 200)
//   commits:          14 (fsyncs 15)
//   log:              32.0 KiB in 1 segment, 4.1 KiB since the last checkpoint, LSN 14 (durable 14)
//   last checkpoint:  LSN 10, 1000 rows, 64.0 KiB in 3 ms (forced) at 2026-11-24T10:00:00.000Z
//   checkpoints:      1
//   recovery:         snapshot LSN 10 (1000 rows), 4 transactions replayed, last LSN 14, 12 ms
import type { CheckpointResult, PersistenceStats } from '../api/persistence/durable-engine';
import { formatBytes } from './progress';

function lines(pairs: readonly (readonly [string, string])[]): string {
  const width = Math.max(...pairs.map(([k]) => k.length)) + 2;
  return pairs.map(([k, v]) => `${(k + ':').padEnd(width)}${v}\n`).join('');
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function checkpointLine(c: CheckpointResult): string {
  return `LSN ${c.lsn}, ${plural(c.rows, 'row')}, ${formatBytes(c.bytes)} in ${Math.round(c.ms)} ms (${c.reason}) at ${new Date(c.at).toISOString()}`;
}

export function formatStats(s: PersistenceStats): string {
  const tables = Object.entries(s.tables);
  const pairs: [string, string][] = [
    ['path', s.path ?? ':memory:'],
    ['strategy', `${s.strategy}, durability ${s.durability}`],
    ['memory', `${formatBytes(s.memoryBytes)} (estimated)`],
    [
      'rows',
      `${s.rows} in ${plural(tables.length, 'table')}` +
        (tables.length > 0 ? ` (${tables.map(([name, n]) => `${name} ${n}`).join(', ')})` : ''),
    ],
    ['commits', `${s.commits} (fsyncs ${s.fsyncs})`],
  ];
  if (s.log !== null) {
    const l = s.log;
    pairs.push([
      'log',
      `${formatBytes(l.bytes)} in ${plural(l.segments, 'segment')}, ${formatBytes(l.bytesSinceCheckpoint)} since the last checkpoint, ` +
        `LSN ${l.lastLsn} (durable ${l.durableLsn})`,
    ]);
  }
  if (s.path !== null) {
    const c = s.checkpoint;
    pairs.push(['last checkpoint', c.last === null ? 'none since open' : checkpointLine(c.last)]);
    pairs.push(['checkpoints', `${c.count}${c.running ? ' (one running)' : ''}${c.lastError !== null ? `, last error: ${c.lastError}` : ''}`]);
  }
  const r = s.recovery;
  if (r !== null) {
    let text =
      (r.snapshotLsn === null ? 'no snapshot' : `snapshot LSN ${r.snapshotLsn} (${plural(r.snapshotRows, 'row')})`) +
      `, ${plural(r.framesReplayed, 'transaction')} replayed, last LSN ${r.lastLsn}, ${Math.round(r.ms)} ms`;
    if (r.snapshotPagesSkipped > 0) text += `; ${plural(r.snapshotPagesSkipped, 'snapshot page')} skipped`;
    if (r.tornTail != null) text += `; torn tail cut in log segment ${r.tornTail.segment} at offset ${r.tornTail.offset}`;
    if (r.dropped != null) text += `; damage dropped from log segment ${r.dropped.segment} at offset ${r.dropped.offset}: ${r.dropped.reason}`;
    pairs.push(['recovery', text]);
  }
  if (s.failure !== null) pairs.push(['writes refused', s.failure]);
  return lines(pairs);
}

export function formatCheckpoint(c: CheckpointResult | null): string {
  return c === null ? 'checkpoint: nothing to do (in-memory or read-only database)\n' : `checkpoint: ${checkpointLine(c)}\n`;
}
