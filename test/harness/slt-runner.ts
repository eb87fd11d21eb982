// sqllogictest runner.
//
// In: parsed records (slt-parser.ts) and an SltEngine, the three-method adapter every engine under
// test is wrapped in (slt-engines.ts). Out: per-file counts (passed, failed, skipped, not run) and
// the first few failures with their SQL, expected and actual values. It runs records as engine
// `sqlite` by default; values are rendered by sqlite-format.ts exactly as the reference harness
// prints them, so a pass here means "SQLite's answer, byte for byte".

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseSlt, recordApplies, type SltRecord } from './slt-parser';
import { asSqlValue, renderSltValue } from './sqlite-format';
import { isSqlError } from './engines';

/**
 * The engine under test. `query` returns raw rows (arrays of JS values) with integers as bigint and
 * reals as number (`safeIntegers(true)`), which is how INTEGER 2 and REAL 2.0 stay apart. An error
 * raised while rows are being produced ends the result early: return the rows produced so far (the
 * reference harness stops at the failing sqlite3_step and compares what it has). An error before any
 * row can be produced (bad SQL, unknown table) must throw.
 */
export interface SltEngine {
  exec(sql: string): void;
  query(sql: string): unknown[][];
  close(): void;
}

export interface SltRunOptions {
  /** Engine name for skipif/onlyif; default 'sqlite'. */
  readonly engineName?: string;
  /** Run at most this many statement/query records of the file (after skipif/onlyif); 0 = all. */
  readonly maxRecords?: number;
  /** Stop the file after this many milliseconds; 0 = no limit. The rest counts as not run. */
  readonly timeBudgetMs?: number;
  /** How many failures to keep in detail; default 5. */
  readonly keepFailures?: number;
}

export interface SltFailure {
  readonly line: number;
  readonly sql: string;
  readonly message: string;
  readonly expected?: readonly string[];
  readonly got?: readonly string[];
}

export interface SltFileResult {
  readonly file: string;
  passed: number;
  failed: number;
  /** Statement/query records that do not run for this engine (skipif/onlyif). */
  skipped: number;
  /** Records that would run but were cut off by maxRecords or the time budget. */
  notRun: number;
  ms: number;
  readonly failures: SltFailure[];
}

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function compareRows(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareStrings(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** MD5 of the values, each followed by a newline, as the reference harness hashes results. */
export function hashValues(values: readonly string[]): string {
  const h = createHash('md5');
  for (const v of values) h.update(`${v}\n`);
  return h.digest('hex');
}

/** One line: name, code and the first line of the message (errors may come from another realm). */
function errorMessage(e: unknown): string {
  if (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string') {
    const { name, code, message } = e as { name?: unknown; code?: unknown; message: string };
    return `${typeof name === 'string' ? name : 'Error'}${typeof code === 'string' ? ` ${code}` : ''}: ${message.split('\n')[0]}`;
  }
  return String(e);
}

type Outcome = { ok: true } | { ok: false; message: string; expected?: string[]; got?: string[] };

function runQuery(engine: SltEngine, record: Extract<SltRecord, { kind: 'query' }>): Outcome {
  let rows: unknown[][];
  try {
    rows = engine.query(record.sql);
  } catch (e) {
    return { ok: false, message: `query failed: ${errorMessage(e)}` };
  }
  const types = record.types;
  let rendered: string[][];
  try {
    rendered = rows.map((row) => {
      if (row.length !== types.length) {
        throw new Error(`wrong number of columns: expected ${types.length}, got ${row.length}`);
      }
      return row.map((v, c) => renderSltValue(asSqlValue(v), types[c]!));
    });
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  let values: string[];
  if (record.sort === 'rowsort') {
    values = rendered.sort(compareRows).flat();
  } else if (record.sort === 'valuesort') {
    values = rendered.flat().sort(compareStrings);
  } else {
    values = rendered.flat();
  }

  const exp = record.expected;
  if (exp.kind === 'hash') {
    const hash = hashValues(values);
    if (values.length === exp.count && hash === exp.hash) return { ok: true };
    return {
      ok: false,
      message: 'result mismatch',
      expected: [`${exp.count} values hashing to ${exp.hash}`],
      got: [`${values.length} values hashing to ${hash}`, ...values.slice(0, 20)],
    };
  }
  const expected = exp.values;
  if (expected.length === values.length && expected.every((v, i) => v === values[i])) return { ok: true };
  return { ok: false, message: 'result mismatch', expected: [...expected], got: values };
}

function runStatement(engine: SltEngine, record: Extract<SltRecord, { kind: 'statement' }>): Outcome {
  try {
    engine.exec(record.sql);
  } catch (e) {
    if (record.expectError && isSqlError(e)) return { ok: true };
    return { ok: false, message: `statement failed: ${errorMessage(e)}` };
  }
  return record.expectError ? { ok: false, message: 'statement succeeded but an error was expected' } : { ok: true };
}

/** Run parsed records on one engine (the caller opens and closes it). */
export function runSltRecords(records: readonly SltRecord[], engine: SltEngine, file: string, opts: SltRunOptions = {}): SltFileResult {
  const engineName = opts.engineName ?? 'sqlite';
  const maxRecords = opts.maxRecords ?? 0;
  const budget = opts.timeBudgetMs ?? 0;
  const keep = opts.keepFailures ?? 5;
  const start = Date.now();
  const result: SltFileResult = { file, passed: 0, failed: 0, skipped: 0, notRun: 0, ms: 0, failures: [] };
  let ran = 0;
  let stopped = false;

  for (const record of records) {
    const counted = record.kind === 'statement' || record.kind === 'query';
    if (!recordApplies(record, engineName)) {
      if (counted) result.skipped++;
      continue;
    }
    if (record.kind === 'halt') break;
    if (record.kind === 'hash-threshold') continue; // the form of the expected lines says which check applies
    if (!stopped && ((maxRecords > 0 && ran >= maxRecords) || (budget > 0 && Date.now() - start > budget))) stopped = true;
    if (stopped) {
      result.notRun++;
      continue;
    }
    ran++;
    let outcome: Outcome;
    try {
      outcome = record.kind === 'query' ? runQuery(engine, record) : runStatement(engine, record);
    } catch (e) {
      outcome = { ok: false, message: `runner error: ${errorMessage(e)}` };
    }
    if (outcome.ok) {
      result.passed++;
    } else {
      result.failed++;
      if (result.failures.length < keep) {
        result.failures.push({ line: record.line, sql: record.sql, message: outcome.message, expected: outcome.expected, got: outcome.got });
      }
    }
  }
  result.ms = Date.now() - start;
  return result;
}

/** Parse and run one file on a fresh engine from `makeEngine`. */
export function runSltFile(path: string, makeEngine: () => SltEngine, opts: SltRunOptions = {}, label = path): SltFileResult {
  const records = parseSlt(readFileSync(path, 'utf8'), label);
  const engine = makeEngine();
  try {
    return runSltRecords(records, engine, label, opts);
  } finally {
    engine.close();
  }
}

/** A failure as a few readable lines for a test log. */
export function formatFailure(file: string, f: SltFailure): string {
  const out = [`${file}:${f.line}: ${f.message}`, `  sql: ${f.sql.replace(/\n/g, '\n       ')}`];
  if (f.expected) out.push(`  expected: ${f.expected.slice(0, 12).join(' | ')}${f.expected.length > 12 ? ' ...' : ''}`);
  if (f.got) out.push(`  got:      ${f.got.slice(0, 12).join(' | ')}${f.got.length > 12 ? ' ...' : ''}`);
  return out.join('\n');
}
