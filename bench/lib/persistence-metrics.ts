// The figures the persistence rows report beside ops/s (DESIGN §8): fsyncs per commit (AmberDB's
// db.stats(); better-sqlite3 cannot count them — WAL with synchronous=FULL does one per commit by
// design, NORMAL/OFF none on commit) and bytes on disk per row (the whole database directory for
// AmberDB: log segments, snapshots, MANIFEST; the .db file plus -wal and -shm for better-sqlite3).
import fs from 'node:fs';
import path from 'node:path';
import type { BenchDatabase, Target } from './types';

/** Bytes of a file, or of every file under a directory. */
export function diskBytes(p: string): number {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const name of fs.readdirSync(p)) total += diskBytes(path.join(p, name));
  return total;
}

/** Rows in every user table. */
export function rowCount(db: BenchDatabase): number {
  const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>;
  let n = 0;
  for (const { name } of names) n += Number((db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number | bigint }).n);
  return n;
}

interface AmberStats {
  readonly commits: number;
  readonly fsyncs: number;
}

function amberStats(db: BenchDatabase): AmberStats | null {
  const s: unknown = db.stats?.();
  if (typeof s !== 'object' || s === null) return null;
  const { commits, fsyncs } = s as Record<string, unknown>;
  return typeof commits === 'number' && typeof fsyncs === 'number' ? { commits, fsyncs } : null;
}

/**
 * fsyncs per commit over the row's life (setup, check, warm-up and rounds; checkpoints included)
 * and bytes on disk per row, for a durable target.
 */
export function persistenceMetrics(t: Target): Record<string, number> | null {
  if (t.path === undefined) return null;
  const rows = rowCount(t.db);
  const bytes = t.engine === 'amberdb' ? diskBytes(t.path) : diskBytes(t.path) + diskBytes(`${t.path}-wal`) + diskBytes(`${t.path}-shm`);
  const out: Record<string, number> = { rows, 'bytes/row': rows === 0 ? 0 : Math.round((bytes / rows) * 10) / 10 };
  if (t.engine === 'amberdb') {
    const s = amberStats(t.db);
    if (s !== null && s.commits > 0) {
      out['fsyncs/commit'] = Number((s.fsyncs / s.commits).toPrecision(3));
      out.commits = s.commits;
    }
  }
  return out;
}
