// Database-level corruption cases (issue 5, "Corruption"), shared by corruption.test.ts (a seeded
// sample, in `npm test`) and scripts/crash-sweep.ts (every bit and every byte, `npm run
// test:crash`). A small database — a snapshot, then a log segment of several transactions after
// it — is written on the in-memory file system; each case copies its files into a fresh one,
// damages one file (flips one bit, or cuts the log short) and opens it strictly. The rules:
//   - a flipped bit in the snapshot or MANIFEST: SQLITE_CORRUPT naming the file (and, for the
//     snapshot, the page and offset holding the bit);
//   - a flipped bit in the log: SQLITE_CORRUPT naming the segment and the offset of the damaged
//     frame — unless the damage is in the last transaction (a torn tail: nothing valid after it),
//     where the open may instead load exactly the transactions before it and report the tail;
//   - the log cut at any byte: exactly the transactions wholly before the cut;
//   - never anything else: every state that opens is compared with the state the database had
//     after that many commits (rows, rowids, storage classes, user_version), and must pass
//     PRAGMA integrity_check.
import { MemoryFileSystem } from '../../src/durability/fs/memory-fs';
import { dirName } from '../../src/durability/fs/file-system';
import { LogScan } from '../../src/durability/log-reader';
import { listSegments, listSnapshots, segmentPath, snapshotPath } from '../../src/durability/layout';
import type { Db } from './helpers';
import { dump, openOn } from './helpers';

export const DIR = '/db';
/** openOn's snapshot page size. */
export const PAGE_SIZE = 512;

export type FileKind = 'snapshot' | 'log' | 'manifest';

export interface Fixture {
  readonly files: ReadonlyMap<string, Uint8Array>;
  readonly paths: Readonly<Record<FileKind, string>>;
  /** states[k]: the database after the snapshot and the first k log transactions. */
  readonly states: readonly unknown[];
  /** Byte range of each log transaction after the snapshot, in the segment. */
  readonly txStart: readonly number[];
  readonly txEnd: readonly number[];
}

function state(db: Db): unknown {
  return { rows: dump(db), userVersion: db.pragma('user_version', { simple: true }) };
}

/** Builds the database once: ~60 rows in the snapshot (several pages), 9 transactions after it. */
export function buildFixture(): Fixture {
  const mem = new MemoryFileSystem();
  const db = openOn(mem, DIR);
  db.exec('CREATE TABLE acct (id INTEGER PRIMARY KEY AUTOINCREMENT, owner TEXT, balance REAL, note BLOB)');
  db.exec('CREATE INDEX acct_owner ON acct(owner)');
  const ins = db.prepare('INSERT INTO acct (owner, balance, note) VALUES (?, ?, ?)');
  for (let t = 0; t < 6; t++) {
    db.transaction(() => {
      for (let i = 0; i < 10; i++) ins.run(`owner ${t}-${i}`, t * 10 + i + 0.25, Buffer.from([t, i]));
    })();
  }
  db.checkpoint();
  const states: unknown[] = [state(db)];
  const after: ((d: Db) => void)[] = [
    () => ins.run('after 1', 2.0, null),
    (d) => d.exec("UPDATE acct SET balance = balance * 2 WHERE owner LIKE 'owner 1-%'"),
    (d) => d.exec('DELETE FROM acct WHERE id % 7 = 0'),
    (d) => d.exec('CREATE TABLE audit (k TEXT PRIMARY KEY, v) WITHOUT ROWID'),
    (d) => d.transaction(() => {
      for (let i = 0; i < 5; i++) d.prepare('INSERT INTO audit VALUES (?, ?)').run(`k${i}`, 9007199254740993n + BigInt(i));
    })(),
    (d) => d.pragma('user_version = 3'),
    (d) => d.exec("BEGIN; UPDATE acct SET owner = 'renamed' WHERE id = 3; DELETE FROM audit WHERE k = 'k2'; COMMIT"),
    (d) => d.exec('CREATE INDEX acct_balance ON acct(balance DESC)'),
    () => ins.run('last', -1.5, Buffer.alloc(40, 7)),
  ];
  for (const f of after) {
    f(db);
    states.push(state(db));
  }
  db.close();
  const snap = snapshotPath(DIR, listSnapshots(mem, DIR).at(-1)!);
  const segs = listSegments(mem, DIR);
  if (segs.length !== 1) throw new Error(`fixture: expected one live segment, found ${segs.length}`);
  const log = segmentPath(DIR, segs[0]!);
  const manifest = `${DIR}/MANIFEST`;
  const files = new Map<string, Uint8Array>();
  for (const p of [snap, log, manifest]) files.set(p, new Uint8Array(mem.readFile(p)));
  const scan = new LogScan(mem, DIR, {});
  const txs = [...scan.transactions()];
  // The writer leaves a preallocated zero tail after the frames; the fixture cuts it off so that
  // every byte flipped or cut here belongs to a header or a frame (the zero tail has its own tests).
  files.set(log, files.get(log)!.subarray(0, scan.end!.offset));
  if (txs.length !== after.length) throw new Error(`fixture: ${txs.length} log transactions, expected ${after.length}`);
  const logLen = files.get(log)!.length;
  const txStart = txs.map((t) => t.offset);
  const txEnd = txs.map((_, i) => txs[i + 1]?.offset ?? logLen);
  return { files, paths: { snapshot: snap, log, manifest }, states, txStart, txEnd };
}

/** A fresh file system holding the fixture's files, `change` applied to one of them. */
function materialize(f: Fixture, path: string, change: (bytes: Uint8Array) => Uint8Array): MemoryFileSystem {
  const mem = new MemoryFileSystem();
  for (const [p, bytes] of f.files) {
    mem.mkdir(dirName(p));
    mem.writeFileDurable(p, p === path ? change(new Uint8Array(bytes)) : bytes);
  }
  return mem;
}

type Outcome = { readonly kind: 'open'; readonly state: unknown; readonly torn: boolean; readonly check: unknown } | { readonly kind: 'error'; readonly code: string; readonly message: string };

function open(mem: MemoryFileSystem, readonly: boolean, afterOpen?: (db: Db) => string | null): Outcome & { extra?: string | null } {
  let db: Db;
  try {
    db = openOn(mem, DIR, { readonly });
  } catch (e) {
    const err = e as { code?: unknown; message?: unknown };
    return { kind: 'error', code: String(err.code), message: String(err.message) };
  }
  try {
    const s = state(db);
    const torn = db.stats().recovery?.tornTail != null;
    const check = db.pragma('integrity_check', { simple: true });
    const extra = afterOpen?.(db) ?? null;
    return { kind: 'open', state: s, torn, check, extra };
  } finally {
    db.close();
  }
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const relative = (p: string): string => p.slice(DIR.length + 1);

/**
 * Flips bit `bit` of one file and opens strictly. Returns null when the outcome follows the rules
 * above, else what went wrong.
 */
export function checkFlip(f: Fixture, kind: FileKind, bit: number, readonly: boolean): string | null {
  const path = f.paths[kind];
  const byte = bit >> 3;
  const mem = materialize(f, path, (b) => {
    b[byte] = b[byte]! ^ (1 << (bit & 7));
    return b;
  });
  const r = open(mem, readonly);
  const where = `${kind} bit ${bit} (byte ${byte})${readonly ? ' readonly' : ''}`;
  const last = f.txStart.length - 1;
  if (r.kind === 'open') {
    // Only the last transaction's frame may be taken for a torn tail.
    if (kind === 'log' && byte >= f.txStart[last]! && r.torn && same(r.state, f.states[last]) && r.check === 'ok') return null;
    return `${where}: opened (torn tail ${r.torn}, integrity ${String(r.check)}) instead of failing`;
  }
  if (r.code !== 'SQLITE_CORRUPT') return `${where}: ${r.code} ${r.message}`;
  const name = relative(path);
  if (!r.message.includes(name)) return `${where}: message does not name ${name}: ${r.message}`;
  if (kind === 'manifest') return null;
  const m = /at offset (\d+)/.exec(r.message);
  if (m === null) return `${where}: message names no offset: ${r.message}`;
  const offset = Number(m[1]);
  if (kind === 'snapshot') {
    // The page holding the bit, or page 0 (whose header says how to read every page).
    const page = Math.floor(byte / PAGE_SIZE) * PAGE_SIZE;
    if (offset !== page && offset !== 0 && !/trailer|file checksum|page count/.test(r.message)) return `${where}: offset ${offset}, the bit is in the page at ${page}: ${r.message}`;
    return null;
  }
  // The log: the damaged frame's start (or the segment header, offset 0).
  const tx = f.txStart.findIndex((s, i) => byte >= s && byte < f.txEnd[i]!);
  const expected = tx < 0 ? 0 : f.txStart[tx]!;
  if (offset !== expected) return `${where}: offset ${offset}, the damaged frame starts at ${expected}: ${r.message}`;
  return null;
}

/**
 * Cuts the log to `length` bytes and opens strictly: exactly the transactions wholly before the
 * cut; a writable open then takes a new commit that survives a reopen.
 */
export function checkTruncate(f: Fixture, length: number, readonly: boolean): string | null {
  const path = f.paths.log;
  const mem = materialize(f, path, (b) => b.subarray(0, length));
  const k = f.txEnd.filter((e) => e <= length).length;
  const where = `log cut at ${length}${readonly ? ' readonly' : ''}`;
  const r = open(mem, readonly, readonly ? undefined : (db) => {
    db.exec("INSERT INTO acct (owner) VALUES ('after reopen')");
    return null;
  });
  if (r.kind === 'error') return `${where}: ${r.code} ${r.message}`;
  if (!same(r.state, f.states[k])) return `${where}: opened a state other than the first ${k} transactions`;
  if (r.check !== 'ok') return `${where}: integrity_check ${String(r.check)}`;
  if (!readonly) {
    const again = open(mem, true);
    if (again.kind === 'error') return `${where}: reopen after a commit failed: ${again.message}`;
    const rows = (again.state as { rows: Record<string, unknown[][]> }).rows.acct ?? [];
    if (!rows.some((row) => row.includes('after reopen'))) return `${where}: the commit after the reopen was lost`;
  }
  return null;
}

/** A small seeded generator (mulberry32), so a sample can be replayed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
