// Opening each engine for a workload: ':memory:' on both, or a file (better-sqlite3) and a
// directory (AmberDB) under one temporary directory in os.tmpdir(), removed at exit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Database as AmberDatabase } from '../../src';
import type { BenchDatabase, DurableStorage, EngineName, Target } from './types';

let tempRoot: string | null = null;
let tempCount = 0;

/** A fresh path under this run's temporary directory (created on first use, removed at exit). */
export function tempPath(label: string): string {
  if (tempRoot === null) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'amberdb-bench-'));
    tempRoot = root;
    process.on('exit', () => fs.rmSync(root, { recursive: true, force: true }));
  }
  return path.join(tempRoot, `${++tempCount}-${label}`);
}

// Invariant: both classes have better-sqlite3's shape for every member BenchDatabase names; the
// casts are the one place where that is asserted rather than checked.
function amber(filename?: string, options?: object): BenchDatabase {
  return new AmberDatabase(filename, options) as unknown as BenchDatabase;
}
function sqlite(filename: string): BenchDatabase {
  return new BetterSqlite3(filename) as unknown as BenchDatabase;
}

export function openMemory(engine: EngineName): Target {
  return { engine, db: engine === 'amberdb' ? amber() : sqlite(':memory:') };
}

/** Why an AmberDB durable row cannot run yet, or null when it can. Cached per configuration. */
const probed = new Map<string, string | null>();

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Persistence counts as available only if a committed row survives close and reopen: the
 * constructor accepting a directory is not enough (an engine that ignores the path would be
 * measured as a memory database and reported as durable).
 */
export function amberUnavailable(storage: DurableStorage): string | null {
  const spec = storage.amberdb;
  if (spec === null) return 'no AmberDB row for this workload';
  const key = JSON.stringify(spec);
  const cached = probed.get(key);
  if (cached !== undefined) return cached;
  let reason: string | null = null;
  const dir = tempPath('probe');
  try {
    const db = amber(dir, { strategy: spec.strategy, durability: spec.durability });
    for (const method of spec.needs ?? []) {
      if (typeof db[method] !== 'function') reason = `db.${method}() is missing`;
    }
    db.exec('CREATE TABLE probe (x)');
    db.prepare('INSERT INTO probe VALUES (?)').run(42);
    db.close();
    if (reason === null) {
      const again = amber(dir, { strategy: spec.strategy, durability: spec.durability });
      let row: unknown;
      try {
        row = again.prepare('SELECT x FROM probe').get();
      } finally {
        again.close();
      }
      const x = typeof row === 'object' && row !== null ? (row as Record<string, unknown>).x : undefined;
      if (x !== 42) reason = 'a committed row did not survive close and reopen';
    }
  } catch (e) {
    reason = message(e);
  }
  probed.set(key, reason);
  return reason;
}

export function openDurable(engine: EngineName, storage: DurableStorage, label: string): Target {
  if (engine === 'amberdb') {
    const spec = storage.amberdb;
    if (spec === null) throw new Error('no AmberDB storage for this workload');
    const dir = tempPath(label);
    return { engine, db: amber(dir, { ...spec.options, strategy: spec.strategy, durability: spec.durability }), path: dir };
  }
  const spec = storage.sqlite;
  if (spec === null) throw new Error('no better-sqlite3 storage for this workload');
  const file = `${tempPath(label)}.db`;
  const db = sqlite(file);
  db.pragma(`journal_mode = ${spec.journalMode}`);
  db.pragma(`synchronous = ${spec.synchronous}`);
  return { engine, db, path: file };
}

/** Opens AmberDB on an existing directory (recovery rows), with the workload's options. */
export function reopenAmber(dir: string, storage: DurableStorage): BenchDatabase {
  const spec = storage.amberdb;
  if (spec === null) throw new Error('no AmberDB storage for this workload');
  return amber(dir, { ...spec.options, strategy: spec.strategy, durability: spec.durability });
}

export function versions(): { sqlite: string; betterSqlite3: string } {
  const db = new BetterSqlite3(':memory:');
  const row = db.prepare('SELECT sqlite_version() AS v').get() as { v: string };
  db.close();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require('better-sqlite3/package.json') as { version: string };
  return { sqlite: row.v, betterSqlite3: pkg.version };
}
