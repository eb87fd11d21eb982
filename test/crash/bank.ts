// The bank-transfer workload of the crash tests, as pure functions of (seed, seq), shared by the
// child worker (which runs it) and the parent (which checks what survived a kill -9).
//
// Schema: accounts(id INTEGER PRIMARY KEY, balance INTEGER NOT NULL) with ACCOUNT_COUNT(seed) rows
// of INITIAL_BALANCE each, created in one transaction; ledger(id INTEGER PRIMARY KEY, from_id,
// to_id, amount, seq UNIQUE, note). Transfer number `seq` (1, 2, 3, ...) is one transaction:
// debit, credit, ledger row. Everything about it (accounts, amount, note) is a function of
// (seed, seq), so the checker can recompute every row and balance from the seed alone, and a
// restarted worker continues at max(seq) + 1 without any state of its own.
//
// Invariants the checker relies on (why a kill -9 must never break them):
//   - commits are applied in seq order by one writer, so what recovery returns is a prefix
//     1..M of the transfers: a hole is a lost commit, whatever was acknowledged;
//   - money is conserved by every committed transaction, and an aborted one (abortBefore) debits
//     without crediting and writes seq = -seq, so any trace of it shows;
//   - every acknowledged seq is <= M (nothing acknowledged is lost), M <= the last attempted seq.
import type { Database } from '../../src';

export const INITIAL_BALANCE = 1000;

/** The worker's modes (worker.ts says what each acknowledges); 'hold' only holds the directory. */
export const MODES = ['commit-sync', 'commit-async', 'interval', 'none', 'hold'] as const;
export type WorkerMode = (typeof MODES)[number];

/** 32-bit mix of a few integers (murmur3 finaliser over a running hash); deterministic. */
export function hash32(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p | 0), 0x01000193);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** A small seeded PRNG (mulberry32) for the parts of a run that are not per-seq. */
export class Rng {
  private state: number;
  constructor(...seed: number[]) {
    this.state = hash32(...seed);
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
}

export function accountCount(seed: number): number {
  return 8 + (hash32(seed, 0x5eed) % 9);
}

export interface Transfer {
  readonly seq: number;
  readonly from: number;
  readonly to: number;
  readonly amount: number;
  readonly note: string;
}

/** Transfer number `seq` of a seed's run. Now and then a large note (tens of KB) makes a frame
 * far bigger than the tiny checkpoint thresholds (continuation frames, checkpoints mid-way). */
export function transferFor(seed: number, seq: number): Transfer {
  const n = accountCount(seed);
  const h1 = hash32(seed, seq, 1);
  const h2 = hash32(seed, seq, 2);
  const from = 1 + (h1 % n);
  const to = 1 + ((from - 1 + 1 + (h2 % (n - 1))) % n);
  const amount = 1 + (hash32(seed, seq, 3) % 100);
  const big = hash32(seed, seq, 4) % 97 === 0;
  const len = big ? 5_000 + (hash32(seed, seq, 5) % 60_000) : hash32(seed, seq, 5) % 40;
  const note = String.fromCharCode(97 + (seq % 26)).repeat(len);
  return { seq, from, to, amount, note };
}

/** Before transfer `seq`, does the worker run (and roll back) a half-done transaction? */
export function abortBefore(seed: number, seq: number): boolean {
  return hash32(seed, seq, 6) % 23 === 0;
}

/** Before transfer `seq`, does the worker create or drop the secondary index ledger_to (DDL
 * in the log, index rebuilt by recovery)? */
export function ddlBefore(seq: number): boolean {
  return seq % 250 === 0;
}

export const SCHEMA_SQL = [
  'CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)',
  'CREATE TABLE ledger (id INTEGER PRIMARY KEY, from_id INTEGER NOT NULL, to_id INTEGER NOT NULL, amount INTEGER NOT NULL, seq INTEGER UNIQUE, note TEXT)',
];

/** What the parent knows about one or more rounds of a worker on a directory. */
export interface Observed {
  /** The schema and accounts were acknowledged (the worker printed READY at least once). */
  readonly setupAcked: boolean;
  /** Every seq acknowledged in any round so far. */
  readonly acked: ReadonlySet<number>;
  /** Highest seq the worker began (TRY) in any round; 0 if none. */
  readonly maxAttempted: number;
  /** false for strategy 'snapshot', which may lose everything since its last snapshot by design. */
  readonly ackedMustSurvive: boolean;
}

export interface BankCheck {
  readonly problems: string[];
  /** Highest seq present (M); 0 when the ledger is empty or missing. */
  readonly maxSeq: number;
  /** Acknowledged seqs missing from the ledger. */
  readonly lost: number[];
}

type Row = Record<string, unknown>;

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return Number.NaN;
}

/** Every check of DESIGN §9's crash test on an opened database; returns the problems found. */
export function checkBank(db: Database, seed: number, seen: Observed): BankCheck {
  const problems: string[] = [];
  const lost: number[] = [];

  const integrity = (db.prepare('PRAGMA integrity_check').all() as Row[]).map((r) => String(Object.values(r)[0]));
  if (integrity.length !== 1 || integrity[0] !== 'ok') problems.push(`integrity_check: ${integrity.slice(0, 5).join('; ')}`);

  const tables = new Set(
    (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as Row[]).map((r) => String(r.name)),
  );
  const hasAccounts = tables.has('accounts');
  const hasLedger = tables.has('ledger');
  if (!hasAccounts || !hasLedger) {
    if (hasAccounts !== hasLedger) problems.push(`half a schema: accounts ${hasAccounts}, ledger ${hasLedger} (setup is one transaction)`);
    if (seen.setupAcked && seen.ackedMustSurvive) problems.push('setup was acknowledged (READY) but the tables are gone');
    if (seen.acked.size > 0 && seen.ackedMustSurvive) {
      lost.push(...[...seen.acked].sort((a, b) => a - b));
      problems.push(`all ${seen.acked.size} acknowledged transfers lost (no tables)`);
    }
    return { problems, maxSeq: 0, lost };
  }

  const n = accountCount(seed);
  const accounts = db.prepare('SELECT id, balance FROM accounts ORDER BY id').all() as Row[];
  const balances = new Map<number, number>();
  for (const a of accounts) balances.set(num(a.id), num(a.balance));
  if (accounts.length !== n) problems.push(`accounts: ${accounts.length} rows, expected ${n} (setup is one transaction)`);
  const total = [...balances.values()].reduce((s, b) => s + b, 0);
  if (accounts.length === n && total !== n * INITIAL_BALANCE) {
    problems.push(`money not conserved: sum(balance) = ${total}, expected ${n * INITIAL_BALANCE}`);
  }

  const ledger = db.prepare('SELECT id, from_id, to_id, amount, seq, note FROM ledger ORDER BY seq').all() as Row[];
  const expected = new Map<number, number>();
  for (let id = 1; id <= n; id++) expected.set(id, INITIAL_BALANCE);
  let maxSeq = 0;
  const present = new Set<number>();
  let rowProblems = 0;
  const rowProblem = (msg: string): void => {
    if (rowProblems++ < 10) problems.push(msg);
  };
  for (const r of ledger) {
    const seq = num(r.seq);
    if (!Number.isInteger(seq) || seq <= 0) {
      rowProblem(`ledger row id ${String(r.id)} has seq ${String(r.seq)}: a rolled-back transaction survived`);
      continue;
    }
    present.add(seq);
    maxSeq = Math.max(maxSeq, seq);
    const t = transferFor(seed, seq);
    const from = num(r.from_id);
    const to = num(r.to_id);
    const amount = num(r.amount);
    if (from !== t.from || to !== t.to || amount !== t.amount || r.note !== t.note) {
      const note = typeof r.note === 'string' ? `note of ${r.note.length} chars` : `note ${String(r.note)}`;
      rowProblem(
        `ledger seq ${seq}: (${from} -> ${to}, ${amount}, ${note}) but transfer is (${t.from} -> ${t.to}, ${t.amount}, note of ${t.note.length} chars)`,
      );
    }
    expected.set(from, (expected.get(from) ?? Number.NaN) - amount);
    expected.set(to, (expected.get(to) ?? Number.NaN) + amount);
  }
  const holes: number[] = [];
  for (let s = 1; s <= maxSeq; s++) if (!present.has(s)) holes.push(s);
  if (holes.length > 0) {
    problems.push(`ledger is not a prefix: ${holes.length} holes below seq ${maxSeq} (first ${holes.slice(0, 8).join(', ')})`);
  }
  const positive = ledger.filter((r) => num(r.seq) > 0).length;
  if (present.size !== positive) problems.push(`ledger has ${positive - present.size} duplicate seqs despite UNIQUE`);
  if (maxSeq > seen.maxAttempted) problems.push(`ledger has seq ${maxSeq} but the worker only ever began up to ${seen.maxAttempted}`);

  if (seen.ackedMustSurvive) {
    for (const s of seen.acked) if (!present.has(s)) lost.push(s);
    lost.sort((a, b) => a - b);
    if (lost.length > 0) {
      problems.push(
        `LOST ${lost.length} acknowledged transfers (of ${seen.acked.size}); ledger max seq ${maxSeq}, max acked ${Math.max(...seen.acked)}; lost: ${lost.slice(0, 10).join(', ')}${lost.length > 10 ? ', ...' : ''}`,
      );
    }
  }

  // Ledger ↔ balances: replaying the ledger from the initial balances gives the table.
  if (accounts.length === n) {
    const wrong: string[] = [];
    for (const [id, bal] of expected) {
      if (balances.get(id) !== bal) wrong.push(`account ${id}: ${String(balances.get(id))} in table, ${bal} from ledger`);
    }
    if (wrong.length > 0) problems.push(`balances disagree with the ledger: ${wrong.slice(0, 4).join('; ')}`);
  }

  // The UNIQUE index on seq must find what the table has (index rebuilt by recovery).
  const probe = db.prepare('SELECT count(*) AS c FROM ledger WHERE seq = ?');
  for (const s of [1, Math.ceil(maxSeq / 2), maxSeq]) {
    if (s < 1 || !present.has(s)) continue;
    const c = num((probe.get(s) as Row).c);
    if (c !== 1) problems.push(`index lookup of seq ${s} finds ${c} rows`);
  }
  return { problems, maxSeq, lost };
}
