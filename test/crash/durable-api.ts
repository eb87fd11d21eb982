// The persistence surface of Database (DESIGN §2) as the crash tests use it, and the probe that tells "not wired yet" (skip, with the reason) from "wired" (run for real).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Database } from '../../src';
import type { DatabaseOptions } from '../../src';

export type DurabilityMode = 'commit' | 'interval' | 'none';
export type StrategyName = 'hybrid' | 'snapshot' | 'log';

/** Database with DESIGN §2's persistence methods (transactionAsync, flush, checkpoint, stats). */
export type DurableDatabase = Database;

export function openDurable(dir: string, options: DatabaseOptions = {}): DurableDatabase {
  return new Database(dir, options);
}

/** The `code` of an error (AmberError, Node's system errors), or undefined. */
export function errorCode(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'code' in e) {
    const c = (e as { code: unknown }).code;
    return typeof c === 'string' ? c : undefined;
  }
  return undefined;
}

export function errorText(e: unknown): string {
  if (e instanceof Error) return `${errorCode(e) ?? e.name}: ${e.message}`;
  return String(e);
}

export type Probe =
  | { readonly available: true }
  /** `landed`: the database wrote files, so persistence is wired — a failed round trip is a bug,
   * not a reason to skip. */
  | { readonly available: false; readonly landed: boolean; readonly reason: string };

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

let cached: Probe | null = null;

/** Opens a temp dir, writes a row, closes, reopens, reads it back. Cached per process. */
export function probePersistence(): Probe {
  if (cached !== null) return cached;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amber-probe-'));
  const db0 = path.join(dir, 'db');
  let db: DurableDatabase | null = null;
  try {
    try {
      db = openDurable(db0);
    } catch (e) {
      return (cached = { available: false, landed: false, reason: `new Database(dir) throws ${errorText(e)}` });
    }
    db.exec('CREATE TABLE probe (x INTEGER)');
    db.prepare('INSERT INTO probe VALUES (42)').run();
    db.close();
    db = null;
    if (!fs.existsSync(db0) || filesUnder(db0).length === 0) {
      return (cached = { available: false, landed: false, reason: 'new Database(dir) writes nothing to disk (memory engine only)' });
    }
    try {
      db = openDurable(db0);
      const row = db.prepare('SELECT x FROM probe').get() as { x?: unknown } | undefined;
      if (row?.x !== 42) return (cached = { available: false, landed: true, reason: `reopened database has ${JSON.stringify(row)} instead of {x:42}` });
    } catch (e) {
      return (cached = { available: false, landed: true, reason: `reopening a written database fails: ${errorText(e)}` });
    }
    return (cached = { available: true });
  } finally {
    try {
      db?.close();
    } catch {
      // the probe's verdict stands
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
