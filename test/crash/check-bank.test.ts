// The crash checker checks: a correct bank passes, and each kind of damage a crash could do is
// reported (on the memory engine, so this runs whether or not persistence is wired).
import { Database } from '../../src';
import { INITIAL_BALANCE, SCHEMA_SQL, accountCount, checkBank, transferFor } from './bank';
import type { Observed } from './bank';

const SEED = 11;

function bank(upTo: number): Database {
  const db = new Database();
  for (const sql of SCHEMA_SQL) db.exec(sql);
  const insert = db.prepare('INSERT INTO accounts (id, balance) VALUES (?, ?)');
  for (let id = 1; id <= accountCount(SEED); id++) insert.run(id, INITIAL_BALANCE);
  const debit = db.prepare('UPDATE accounts SET balance = balance - :amount WHERE id = :id');
  const credit = db.prepare('UPDATE accounts SET balance = balance + :amount WHERE id = :id');
  const record = db.prepare('INSERT INTO ledger (from_id, to_id, amount, seq, note) VALUES (?, ?, ?, ?, ?)');
  for (let seq = 1; seq <= upTo; seq++) {
    const t = transferFor(SEED, seq);
    db.transaction(() => {
      debit.run({ amount: t.amount, id: t.from });
      credit.run({ amount: t.amount, id: t.to });
      record.run(t.from, t.to, t.amount, t.seq, t.note);
    })();
  }
  return db;
}

const seen = (acked: number[], maxAttempted: number): Observed => ({
  setupAcked: true,
  acked: new Set(acked),
  maxAttempted,
  ackedMustSurvive: true,
});
const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);

test('transfers are well formed (distinct accounts, amount 1..100, some large notes)', () => {
  let big = 0;
  for (let seq = 1; seq <= 2000; seq++) {
    const t = transferFor(SEED, seq);
    expect(t.from).not.toBe(t.to);
    expect(t.from).toBeGreaterThanOrEqual(1);
    expect(t.to).toBeLessThanOrEqual(accountCount(SEED));
    expect(t.amount).toBeGreaterThanOrEqual(1);
    expect(t.amount).toBeLessThanOrEqual(100);
    if (t.note.length >= 5000) big++;
  }
  expect(big).toBeGreaterThan(5);
});

test('an intact bank passes; unacknowledged work beyond the last ack may be missing', () => {
  const db = bank(60);
  expect(checkBank(db, SEED, seen(range(1, 55), 64))).toEqual({ problems: [], maxSeq: 60, lost: [] });
});

test('a lost acknowledged transfer is reported with its seq', () => {
  const db = bank(60);
  const r = checkBank(db, SEED, seen(range(1, 62), 64));
  expect(r.lost).toEqual([61, 62]);
  expect(r.problems.join('\n')).toMatch(/LOST 2 acknowledged/);
});

test('a hole in the ledger, money created, a ledger that disagrees and a surviving rollback are each reported', () => {
  const db = bank(40);
  db.prepare('DELETE FROM ledger WHERE seq = 20').run();
  expect(checkBank(db, SEED, seen([], 40)).problems.join('\n')).toMatch(/not a prefix.*20/);

  const db2 = bank(40);
  db2.prepare('UPDATE accounts SET balance = balance + 1 WHERE id = 1').run();
  expect(checkBank(db2, SEED, seen([], 40)).problems.join('\n')).toMatch(/money not conserved/);

  const db3 = bank(40);
  db3.prepare('UPDATE ledger SET amount = amount + 1 WHERE seq = 7').run();
  expect(checkBank(db3, SEED, seen([], 40)).problems.join('\n')).toMatch(/ledger seq 7.*balances disagree/s);

  const db4 = bank(40);
  db4.prepare("INSERT INTO ledger (from_id, to_id, amount, seq, note) VALUES (1, 2, 5, -41, 'aborted')").run();
  expect(checkBank(db4, SEED, seen([], 41)).problems.join('\n')).toMatch(/rolled-back transaction survived/);
});

test('a seq beyond what the worker began, and tables gone after an acknowledged setup, are reported', () => {
  const db = bank(40);
  expect(checkBank(db, SEED, seen([], 39)).problems.join('\n')).toMatch(/only ever began up to 39/);
  const empty = new Database();
  expect(checkBank(empty, SEED, seen([1, 2], 3)).problems.join('\n')).toMatch(/tables are gone/);
  // Before READY nothing was promised: an empty directory is a clean state.
  expect(checkBank(empty, SEED, { setupAcked: false, acked: new Set(), maxAttempted: 0, ackedMustSurvive: true }).problems).toEqual([]);
});
