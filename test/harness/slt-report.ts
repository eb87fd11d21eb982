// Summaries of sqllogictest runs: totals and a per-file table for test logs.

import type { SltFileResult } from './slt-runner';
import { formatFailure } from './slt-runner';

export interface SltTotals {
  passed: number;
  failed: number;
  skipped: number;
  notRun: number;
  ms: number;
}

export function totals(results: readonly SltFileResult[]): SltTotals {
  const t: SltTotals = { passed: 0, failed: 0, skipped: 0, notRun: 0, ms: 0 };
  for (const r of results) {
    t.passed += r.passed;
    t.failed += r.failed;
    t.skipped += r.skipped;
    t.notRun += r.notRun;
    t.ms += r.ms;
  }
  return t;
}

/** passed / (passed + failed), as a percentage; 100 when nothing ran. */
export function passRate(t: { passed: number; failed: number }): number {
  const ran = t.passed + t.failed;
  return ran === 0 ? 100 : (100 * t.passed) / ran;
}

export function formatTable(results: readonly SltFileResult[]): string {
  const w = Math.max(4, ...results.map((r) => r.file.length));
  const line = (f: string, p: string, fl: string, s: string, n: string, rate: string, ms: string): string =>
    `${f.padEnd(w)}  ${p.padStart(7)}  ${fl.padStart(7)}  ${s.padStart(7)}  ${n.padStart(7)}  ${rate.padStart(7)}  ${ms.padStart(7)}`;
  const rows = [line('file', 'passed', 'failed', 'skipped', 'not run', 'rate %', 'ms')];
  for (const r of results) {
    rows.push(line(r.file, String(r.passed), String(r.failed), String(r.skipped), String(r.notRun), passRate(r).toFixed(2), String(r.ms)));
  }
  const t = totals(results);
  rows.push(line('TOTAL', String(t.passed), String(t.failed), String(t.skipped), String(t.notRun), passRate(t).toFixed(2), String(t.ms)));
  return rows.join('\n');
}

export function formatFailures(results: readonly SltFileResult[], perFile = 3): string {
  const out: string[] = [];
  for (const r of results) for (const f of r.failures.slice(0, perFile)) out.push(formatFailure(r.file, f));
  return out.join('\n\n');
}
