// When to checkpoint: a small pure class (pebble's style), so the decision is tested from a table
// of cases and the caller owns the clock and the counters.
//   - log bytes since the last checkpoint >= checkpointLogBytes → 'log-bytes' (bounds recovery time
//     and disk use);
//   - ms since the last checkpoint >= checkpointIntervalMs, and something was logged since → 'interval'
//     (an idle database is never rewritten);
//   - never while a checkpoint runs; 0 (or Infinity) disables a trigger.

export interface CheckpointPolicyOptions {
  /** Default 64 MiB. */
  readonly checkpointLogBytes?: number;
  /** Default 5 minutes. */
  readonly checkpointIntervalMs?: number;
}

export interface CheckpointState {
  readonly logBytesSinceCheckpoint: number;
  readonly msSinceCheckpoint: number;
  readonly checkpointRunning?: boolean;
}

export type CheckpointDecision = 'none' | 'log-bytes' | 'interval';

export const DEFAULT_CHECKPOINT_LOG_BYTES = 64 * 1024 * 1024;
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 5 * 60 * 1000;

export class CheckpointPolicy {
  readonly logBytes: number;
  readonly intervalMs: number;

  constructor(opts: CheckpointPolicyOptions = {}) {
    this.logBytes = orInfinity(opts.checkpointLogBytes ?? DEFAULT_CHECKPOINT_LOG_BYTES, 'checkpointLogBytes');
    this.intervalMs = orInfinity(opts.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS, 'checkpointIntervalMs');
  }

  decide(s: CheckpointState): CheckpointDecision {
    if (s.checkpointRunning === true) return 'none';
    if (s.logBytesSinceCheckpoint >= this.logBytes) return 'log-bytes';
    if (s.logBytesSinceCheckpoint > 0 && s.msSinceCheckpoint >= this.intervalMs) return 'interval';
    return 'none';
  }
}

function orInfinity(v: number, name: string): number {
  if (typeof v !== 'number' || Number.isNaN(v) || v < 0) throw new RangeError(`${name} must be a non-negative number`);
  return v === 0 ? Infinity : v;
}
