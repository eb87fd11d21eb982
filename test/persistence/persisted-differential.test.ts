// Round trips of the SQL suites (issue 5: "every golden/differential SQL test also runs persisted,
// with close/reopen, and must agree"). Each script — the differential generator's cases
// (test/harness/sql-generator.ts) and the engine-vs-sqlite scripts (test/exec/engine-vs-sqlite.test.ts,
// read from its source) — runs on a memory database and on a persisted one (memory-fs; hybrid,
// with a checkpoint halfway, or log / snapshot strategy), statement by statement: every outcome must
// be the same. Then the persisted one is closed and reopened, and its schema (sqlite_schema in
// order), every table's rows with rowids and storage classes, and user_version must equal the
// memory database's; PRAGMA integrity_check must pass.
//   PERSIST_DIFF_COUNT=n   generated cases (default 120 here; the SQL suite runs 1000 in memory)
//   PERSIST_DIFF_SEED=n    the generator's seed
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { Database } from '../../src';
import { MemoryFileSystem } from '../../src/durability/fs/memory-fs';
import type { DatabaseLike } from '../harness/engines';
import { runStatement } from '../harness/differential';
import { SqlGenerator } from '../harness/sql-generator';
import { envInt } from '../harness/slt-corpus';
import type { Db } from './helpers';
import { openOn } from './helpers';

type Strategy = 'hybrid' | 'log' | 'snapshot';

function state(db: Db): unknown {
  const schema = db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema').raw().all() as unknown[][];
  const tables: Record<string, unknown> = {};
  for (const [type, name, , sql] of schema) {
    if (type !== 'table') continue;
    const withoutRowid = /\bWITHOUT\s+ROWID\b/i.test(String(sql));
    const q = db.prepare(withoutRowid ? `SELECT * FROM "${String(name)}"` : `SELECT rowid, * FROM "${String(name)}" ORDER BY rowid`);
    q.safeIntegers(true);
    const rows = q.raw().all() as unknown[][];
    const key = (v: unknown): string =>
      v === null ? 'null' : typeof v === 'bigint' ? `int:${v}` : typeof v === 'number' ? `real:${Object.is(v, -0) ? 0 : v}` : Buffer.isBuffer(v) ? `blob:${v.toString('hex')}` : `text:${String(v)}`;
    const shown = rows.map((r) => r.map(key));
    if (withoutRowid) shown.sort((a, b) => (a.join('\u0001') < b.join('\u0001') ? -1 : 1));
    tables[String(name)] = shown;
  }
  return { schema, tables, userVersion: db.pragma('user_version', { simple: true }) };
}

/** Runs `statements` on memory and persisted databases; returns what disagreed (empty: all agreed). */
function roundTrip(label: string, statements: readonly string[], strategy: Strategy): string[] {
  const problems: string[] = [];
  const mem = new Database() as unknown as Db;
  const fs = new MemoryFileSystem();
  let disk = openOn(fs, '/db', { strategy });
  try {
    statements.forEach((sql, i) => {
      const a = runStatement(mem as unknown as DatabaseLike, sql);
      const b = runStatement(disk as unknown as DatabaseLike, sql);
      if (JSON.stringify(a, big) !== JSON.stringify(b, big)) problems.push(`${label}: ${sql}\n  memory: ${JSON.stringify(a, big)}\n  persisted: ${JSON.stringify(b, big)}`);
      // Halfway, a checkpoint: the reopen then reads a snapshot and the log after it.
      if (strategy === 'hybrid' && i === statements.length >> 1 && !disk.inTransaction) disk.checkpoint();
    });
    // Closing discards an open transaction: so does the memory side.
    if (mem.inTransaction) mem.exec('ROLLBACK');
    const expected = state(mem);
    disk.close();
    disk = openOn(fs, '/db', { strategy });
    const got = state(disk);
    if (JSON.stringify(got, big) !== JSON.stringify(expected, big)) {
      problems.push(`${label}: after close and reopen (${strategy})\n  memory: ${JSON.stringify(expected, big)}\n  reopened: ${JSON.stringify(got, big)}`);
    }
    const check = disk.pragma('integrity_check', { simple: true });
    if (check !== 'ok') problems.push(`${label}: integrity_check after reopen: ${String(check)}`);
  } finally {
    disk.close();
    mem.close();
  }
  return problems;
}

function big(_k: string, v: unknown): unknown {
  if (typeof v === 'bigint') return `${v}n`;
  if (v !== null && typeof v === 'object' && (v as { type?: unknown }).type === 'Buffer') return `blob:${Buffer.from((v as { data: number[] }).data).toString('hex')}`;
  return v;
}

/** The statement lists of engine-vs-sqlite.test.ts: every `script([...])`, `...SCHEMA` expanded. */
function engineVsSqliteScripts(): { name: string; statements: string[] }[] {
  const file = path.join(__dirname, '..', 'exec', 'engine-vs-sqlite.test.ts');
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const consts = new Map<string, ts.ArrayLiteralExpression>();
  const out: { name: string; statements: string[] }[] = [];
  const strings = (arr: ts.ArrayLiteralExpression): string[] =>
    arr.elements.flatMap((e): string[] => {
      if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [e.text];
      if (ts.isSpreadElement(e) && ts.isIdentifier(e.expression)) {
        const c = consts.get(e.expression.text);
        if (c !== undefined) return strings(c);
      }
      throw new Error(`engine-vs-sqlite.test.ts: cannot read ${e.getText()} statically`);
    });
  let testName = '';
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer !== undefined && ts.isArrayLiteralExpression(n.initializer)) {
      consts.set(n.name.text, n.initializer);
    }
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression)) {
      if (n.expression.text === 'test' && n.arguments[0] !== undefined && ts.isStringLiteral(n.arguments[0])) testName = n.arguments[0].text;
      const arg = n.arguments[0];
      if (n.expression.text === 'script' && arg !== undefined && ts.isArrayLiteralExpression(arg)) out.push({ name: testName, statements: strings(arg) });
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return out;
}

const STRATEGIES: readonly Strategy[] = ['hybrid', 'hybrid', 'log', 'snapshot'];

test('the engine-vs-sqlite scripts agree persisted, across close and reopen', () => {
  const scripts = engineVsSqliteScripts();
  expect(scripts.length).toBeGreaterThanOrEqual(10);
  const problems = scripts.flatMap((s, i) => roundTrip(`engine-vs-sqlite "${s.name}"`, s.statements, STRATEGIES[i % STRATEGIES.length]!));
  expect(problems).toEqual([]);
});

test('generated differential cases agree persisted, across close and reopen', () => {
  const seed = envInt('PERSIST_DIFF_SEED', 20240601);
  const count = envInt('PERSIST_DIFF_COUNT', 120);
  const gen = new SqlGenerator(seed);
  const problems: string[] = [];
  for (let i = 0; i < count; i++) {
    const c = gen.nextCase(i);
    problems.push(...roundTrip(`PERSIST_DIFF_SEED=${seed} case ${i} (${c.category})`, [...c.setup, ...c.statements], STRATEGIES[i % STRATEGIES.length]!));
    if (problems.length > 10) break;
  }
  expect(problems).toEqual([]);
}, 120_000);
