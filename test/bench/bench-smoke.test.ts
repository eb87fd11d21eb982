// The benchmark suite runs end to end in its tiny mode (--smoke: 1 round, small tables, a few
// seconds), every workload completes, and wherever both engines ran they agreed. No timing
// assertions: the figures of a smoke run mean nothing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface Row {
  name: string;
  status: 'ok' | 'one-side' | 'failed';
  agreed: boolean;
  amberdb: unknown;
  betterSqlite3: unknown;
  note: string | null;
}

const root = path.resolve(__dirname, '../..');

test('bench --smoke completes and both engines agree on every workload they both ran', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'amberdb-bench-smoke-'));
  try {
    const run = spawnSync(process.execPath, ['--expose-gc', '-r', 'ts-node/register/transpile-only', 'bench/run.ts', '--smoke', '--out', out], {
      cwd: root,
      encoding: 'utf8',
      timeout: 110_000,
    });
    if (run.status !== 0) throw new Error(`bench --smoke exited with ${run.status}\n${run.stdout}\n${run.stderr}`);
    const files = fs.readdirSync(out);
    const json = files.find((f) => f.endsWith('-smoke.json'));
    expect(json).toBeDefined();
    expect(files.some((f) => f.endsWith('-smoke.svg'))).toBe(true);
    const md = files.find((f) => f.endsWith('-smoke.md'));
    expect(md).toBeDefined();
    expect(fs.readFileSync(path.join(out, md ?? ''), 'utf8')).toContain('| workload | AmberDB ops/s | better-sqlite3 ops/s | ratio | target |');
    const record = JSON.parse(fs.readFileSync(path.join(out, json ?? ''), 'utf8')) as { workloads: Row[]; machine: { cpu: string; cores: number }; node: string };
    expect(record.node).toBe(process.version);
    expect(record.machine.cores).toBeGreaterThan(0);
    expect(record.workloads.length).toBeGreaterThan(10);
    // The memory row reports resident bytes per row next to SQLite's file bytes per row.
    const memory = record.workloads.find((r) => r.name.startsWith('memory/')) as (Row & { metrics?: { amberdb?: Record<string, number>; betterSqlite3?: Record<string, number> } }) | undefined;
    // At smoke size (2,000 rows) the heap growth is within GC noise, so only its presence is checked.
    expect(memory?.metrics?.amberdb?.['heap bytes/row']).toEqual(expect.any(Number));
    expect(memory?.metrics?.betterSqlite3?.['file bytes/row']).toBeGreaterThan(0);
    expect(record.workloads.filter((r) => r.status === 'failed').map((r) => `${r.name}: ${r.note ?? ''}`)).toEqual([]);
    for (const r of record.workloads) {
      expect(r.betterSqlite3 !== null || r.amberdb !== null).toBe(true);
      if (r.status === 'ok') expect(r.agreed).toBe(true);
      // A row without an AmberDB figure must say why (e.g. "not available yet").
      if (r.amberdb === null) expect(r.note).toMatch(/not available yet|reference row/);
    }
    // The memory workloads have both sides today.
    expect(record.workloads.filter((r) => r.status === 'ok').map((r) => r.name)).toEqual(expect.arrayContaining(['select-get', 'select-all', 'select-iterate', 'insert', 'transaction']));
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
