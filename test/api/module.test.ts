// The package's module shape: `require('amberdb')` is the constructor (as with better-sqlite3)
// and also carries the named exports; checked on the sources and, when built, on dist/ from JS.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

test('src/index: constructor with named exports and default', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('../../src/index') as Record<string, unknown> & ((...a: unknown[]) => unknown);
  expect(typeof mod).toBe('function');
  expect(mod.Database).toBe(mod);
  expect(mod.default).toBe(mod);
  expect(mod.SqliteError).toBe(mod.AmberError);
  expect(typeof mod.Statement).toBe('function');
  expect((mod.SqliteError as { prototype: { name: string } }).prototype.name).toBe('SqliteError');
});

const dist = join(__dirname, '../../dist/index.js');
(existsSync(join(__dirname, '../../dist/api/database.js')) ? test : test.skip)('dist/: plain JS, CommonJS and ESM', () => {
  const fake = `
    const ef = require(${JSON.stringify(join(__dirname, '../../dist/api/engine-factory.js'))});
    const stmt = { source: 'SELECT ?', reader: true, readonly: true, parameters: { count: 1, names: [null] },
      columns: [{ name: 'x', column: null, table: null, database: null, type: null }],
      run: () => ({ changes: 0, lastInsertRowid: 0 }),
      iterate: (p) => { let done = false; return { next: () => (done ? undefined : ((done = true), [p[0]])), close() {} }; } };
    ef.setEngineFactory(() => ({ inTransaction: false, registerFunction() {}, registerAggregate() {}, close() {},
      prepare: (sql, off = 0) => (off >= sql.length ? { statement: null, end: sql.length } : { statement: stmt, end: sql.length }) }));`;
  const cjs = `${fake}
    const Database = require(${JSON.stringify(dist)});
    const { Database: Named, SqliteError, AmberError, Statement } = require(${JSON.stringify(dist)});
    const a = Database(), b = new Named(':memory:');
    console.log(JSON.stringify([typeof Database, Named === Database, SqliteError === AmberError, a instanceof Database,
      b.prepare('SELECT ?').get(7), b.prepare('SELECT ?') instanceof Statement]));`;
  expect(JSON.parse(execFileSync(process.execPath, ['-e', cjs], { encoding: 'utf8' }))).toEqual(['function', true, true, true, { x: 7 }, true]);
  const esm = `import Database, { Database as Named, SqliteError } from ${JSON.stringify(dist)};
    console.log(JSON.stringify([typeof Database, Named === Database, typeof SqliteError]));`;
  expect(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', esm], { encoding: 'utf8' }))).toEqual(['function', true, 'function']);
});
