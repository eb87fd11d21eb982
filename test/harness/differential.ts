// Differential testing: the same statements on two better-sqlite3-shaped databases (AmberDB and
// SQLite, or SQLite and SQLite to prove the harness), compared statement by statement.
//
// In: statements (one per string), each tagged with a category. Out: per-category counts of
// agreements and the first disagreements with both sides' outcomes. What "agree" means:
//   - rows: same values with the same storage class (INTEGER is bigint, REAL is number: both sides
//     run with safeIntegers), in the same order when the SQL has a top-level ORDER BY, else as
//     multisets;
//   - run (non-reader statements): same `changes` and `lastInsertRowid`;
//   - errors: both fail with the same `code`. A different message is counted (messageDiffs) and
//     shown, but does not count as a disagreement; an exception without an SQLITE_* `code` (a
//     TypeError from an engine bug) is a crash and never agrees.

import { isSqlError, type DatabaseFactory, type DatabaseLike } from './engines';
import { SqlGenerator, tableStateQuery } from './sql-generator';

export type Outcome =
  | { readonly kind: 'rows'; readonly rows: unknown[][] }
  | { readonly kind: 'run'; readonly changes: number; readonly lastInsertRowid: string }
  | { readonly kind: 'error'; readonly code: string; readonly message: string }
  | { readonly kind: 'crash'; readonly message: string };

/** Run one statement and describe what happened. */
export function runStatement(db: DatabaseLike, sql: string): Outcome {
  try {
    const stmt = db.prepare(sql);
    stmt.safeIntegers(true);
    if (stmt.reader) {
      stmt.raw(true);
      return { kind: 'rows', rows: stmt.all() as unknown[][] };
    }
    const r = stmt.run();
    return { kind: 'run', changes: r.changes, lastInsertRowid: String(r.lastInsertRowid) };
  } catch (e) {
    const obj = (typeof e === 'object' && e !== null ? e : {}) as { name?: unknown; code?: unknown; message?: unknown };
    const message = (typeof obj.message === 'string' ? obj.message : String(e)).split('\n')[0]!;
    if (isSqlError(e)) return { kind: 'error', code: e.code, message };
    const name = typeof obj.name === 'string' ? obj.name : typeof e;
    return { kind: 'crash', message: `${name}${typeof obj.code === 'string' ? ` ${obj.code}` : ''}: ${message}` };
  }
}

/** A value with its storage class, as a string that sorts and compares exactly. */
export function valueKey(v: unknown): string {
  if (v === null) return 'N';
  if (typeof v === 'bigint') return `I:${v}`;
  if (typeof v === 'number') return `R:${Object.is(v, -0) ? '-0' : String(v)}`;
  if (typeof v === 'string') return `T:${JSON.stringify(v)}`;
  if (v instanceof Uint8Array) return `B:${Buffer.from(v).toString('hex')}`;
  return `?:${typeof v}:${String(v)}`;
}

/** The same, but with INTEGER and REAL merged (2 and 2.0 alike): tells class errors from value errors. */
function looseKey(v: unknown): string {
  if (typeof v === 'bigint') return `num:${v}`;
  if (typeof v === 'number') {
    if (Object.is(v, -0)) return 'num:-0'; // -0.0 vs 0.0 is a value difference, not a class one
    return Number.isInteger(v) && Math.abs(v) < 2 ** 63 ? `num:${BigInt(v)}` : `num:${v}`;
  }
  return valueKey(v);
}

/**
 * Does the statement end with an ORDER BY at nesting depth 0 (outside parentheses, strings,
 * quoted names and comments)? Then row order is part of the answer.
 */
export function hasTopLevelOrderBy(sql: string): boolean {
  let depth = 0;
  let i = 0;
  let found = false;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      i++;
      while (i < n && sql[i] !== close) i++;
      i++;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && /[Oo]/.test(c) && /^order\s+by\b/i.test(sql.slice(i, i + 20)) && !/[\w$]/.test(sql[i - 1] ?? ' ')) found = true;
    i++;
  }
  return found;
}

export type Reason = 'rows' | 'class' | 'order' | 'changes' | 'error-code' | 'outcome' | 'crash';

export interface Comparison {
  readonly agree: boolean;
  readonly reason?: Reason;
  /** Both failed with the same code but different messages. */
  readonly messageDiff: boolean;
}

function rowKeys(rows: unknown[][], key: (v: unknown) => string): string[] {
  return rows.map((r) => r.map(key).join('|'));
}

/** Compare two outcomes of the same SQL (`a` is the engine under test, `b` the oracle). */
export function compareOutcomes(sql: string, a: Outcome, b: Outcome): Comparison {
  if (a.kind === 'crash' || b.kind === 'crash') return { agree: false, reason: 'crash', messageDiff: false };
  if (a.kind !== b.kind) return { agree: false, reason: 'outcome', messageDiff: false };
  if (a.kind === 'error' && b.kind === 'error') {
    if (a.code !== b.code) return { agree: false, reason: 'error-code', messageDiff: a.message !== b.message };
    return { agree: true, messageDiff: a.message !== b.message };
  }
  if (a.kind === 'run' && b.kind === 'run') {
    const same = a.changes === b.changes && a.lastInsertRowid === b.lastInsertRowid;
    return same ? { agree: true, messageDiff: false } : { agree: false, reason: 'changes', messageDiff: false };
  }
  if (a.kind === 'rows' && b.kind === 'rows') {
    const ordered = hasTopLevelOrderBy(sql);
    const ka = rowKeys(a.rows, valueKey);
    const kb = rowKeys(b.rows, valueKey);
    const eq = (x: string[], y: string[]): boolean => x.length === y.length && x.every((v, i) => v === y[i]);
    if (eq(ka, kb)) return { agree: true, messageDiff: false };
    const sa = [...ka].sort();
    const sb = [...kb].sort();
    if (eq(sa, sb)) return ordered ? { agree: false, reason: 'order', messageDiff: false } : { agree: true, messageDiff: false };
    const la = rowKeys(a.rows, looseKey).sort();
    const lb = rowKeys(b.rows, looseKey).sort();
    return { agree: false, reason: eq(la, lb) ? 'class' : 'rows', messageDiff: false };
  }
  return { agree: false, reason: 'outcome', messageDiff: false };
}

/** A short printable form of an outcome for failure reports. */
export function describeOutcome(o: Outcome, maxRows = 8): string {
  switch (o.kind) {
    case 'error':
      return `error ${o.code}: ${o.message}`;
    case 'crash':
      return `crash ${o.message}`;
    case 'run':
      return `run changes=${o.changes} lastInsertRowid=${o.lastInsertRowid}`;
    case 'rows': {
      const shown = o.rows.slice(0, maxRows).map((r) => `(${r.map(valueKey).join(', ')})`);
      return `${o.rows.length} rows ${shown.join(' ')}${o.rows.length > maxRows ? ' ...' : ''}`;
    }
  }
}

export interface CategoryStats {
  total: number;
  agree: number;
  messageDiffs: number;
}

export interface Disagreement {
  readonly category: string;
  readonly context: string;
  readonly sql: string;
  readonly reason: Reason;
  readonly a: string;
  readonly b: string;
}

/** Two databases side by side; every statement goes to both and is compared. */
export class DiffSession {
  private readonly a: DatabaseLike;
  private readonly b: DatabaseLike;

  constructor(
    openA: DatabaseFactory,
    openB: DatabaseFactory,
    private readonly report: DiffReport,
    private readonly context: string,
  ) {
    this.a = openA();
    this.b = openB();
  }

  run(sql: string, category: string): Comparison {
    const oa = runStatement(this.a, sql);
    const ob = runStatement(this.b, sql);
    const cmp = compareOutcomes(sql, oa, ob);
    this.report.record(category, cmp, () => ({ category, context: this.context, sql, reason: cmp.reason!, a: describeOutcome(oa), b: describeOutcome(ob) }));
    return cmp;
  }

  close(): void {
    this.a.close();
    this.b.close();
  }
}

/** Agreement counts per category, plus the first disagreements. */
export class DiffReport {
  readonly categories = new Map<string, CategoryStats>();
  readonly disagreements: Disagreement[] = [];

  constructor(private readonly keep = 20) {}

  record(category: string, cmp: Comparison, detail: () => Disagreement): void {
    let s = this.categories.get(category);
    if (!s) {
      s = { total: 0, agree: 0, messageDiffs: 0 };
      this.categories.set(category, s);
    }
    s.total++;
    if (cmp.agree) s.agree++;
    if (cmp.messageDiff) s.messageDiffs++;
    if (!cmp.agree && this.disagreements.length < this.keep) this.disagreements.push(detail());
  }

  totals(): CategoryStats {
    const t: CategoryStats = { total: 0, agree: 0, messageDiffs: 0 };
    for (const s of this.categories.values()) {
      t.total += s.total;
      t.agree += s.agree;
      t.messageDiffs += s.messageDiffs;
    }
    return t;
  }

  static rate(s: CategoryStats): number {
    return s.total === 0 ? 100 : (100 * s.agree) / s.total;
  }

  format(): string {
    const names = [...this.categories.keys()].sort();
    const lines = [`${'category'.padEnd(14)} ${'agree'.padStart(7)} ${'total'.padStart(7)} ${'rate %'.padStart(7)} ${'msgdiff'.padStart(7)}`];
    const row = (name: string, s: CategoryStats): string =>
      `${name.padEnd(14)} ${String(s.agree).padStart(7)} ${String(s.total).padStart(7)} ${DiffReport.rate(s).toFixed(2).padStart(7)} ${String(s.messageDiffs).padStart(7)}`;
    for (const n of names) lines.push(row(n, this.categories.get(n)!));
    lines.push(row('TOTAL', this.totals()));
    return lines.join('\n');
  }

  formatDisagreements(): string {
    return this.disagreements
      .map((d) => `[${d.category}] ${d.context} (${d.reason})\n  sql:    ${d.sql}\n  amber:  ${d.a}\n  sqlite: ${d.b}`)
      .join('\n\n');
  }
}

/**
 * Run `count` generated cases (sql-generator.ts) from `seed` on both engines: each case's setup
 * (category 'schema'), its statements (the case's category), then every table's full contents
 * with rowids (category 'state').
 */
export function runGeneratedCases(
  openA: DatabaseFactory,
  openB: DatabaseFactory,
  seed: number,
  count: number,
  report: DiffReport,
): void {
  const gen = new SqlGenerator(seed);
  for (let i = 0; i < count; i++) {
    const c = gen.nextCase(i);
    const session = new DiffSession(openA, openB, report, `DIFF_SEED=${seed} case ${i}`);
    try {
      for (const sql of c.setup) session.run(sql, 'schema');
      for (const sql of c.statements) session.run(sql, c.category);
      for (const t of c.tables) session.run(tableStateQuery(t), 'state');
    } finally {
      session.close();
    }
  }
}
