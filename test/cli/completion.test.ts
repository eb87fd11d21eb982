// Tab completion's candidates (completion.ts), over a real database: what readline is given.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../../src/api/database';
import { complete } from '../../src/cli/completion';
import { Shell } from '../../src/cli/shell';

function shellWith(sql: string): Shell {
  const db = new Database();
  db.exec(sql);
  const settings = { mode: 'list' as const, headers: null, nullValue: '', insertTable: 'table', timer: false, changes: false, bail: false, widths: [], separator: null, echo: false };
  return new Shell(db, settings, { out: () => undefined, err: () => undefined }, true);
}

describe('completion', () => {
  const shell = shellWith('CREATE TABLE orders(id, customer_id, total); CREATE TABLE customers(id, name); CREATE VIEW big AS SELECT 1 AS n');

  test('keywords follow the case typed', () => {
    expect(complete(shell, 'SEL')).toEqual([['SELECT'], 'SEL']);
    expect(complete(shell, 'sel')).toEqual([['select'], 'sel']);
  });

  test('table and view names, and column names of every table', () => {
    expect(complete(shell, 'SELECT * FROM ord')[0]).toEqual(['orders']);
    expect(complete(shell, 'SELECT * FROM bi')[0]).toEqual(['big']);
    expect(complete(shell, 'SELECT custo')[0]).toEqual(['customer_id', 'customers']);
  });

  test('table.column completes the columns of that table only', () => {
    expect(complete(shell, 'SELECT orders.')).toEqual([['orders.id', 'orders.customer_id', 'orders.total'], 'orders.']);
    expect(complete(shell, 'SELECT Customers.na')).toEqual([['Customers.name'], 'Customers.na']);
    expect(complete(shell, 'SELECT nosuch.')[0]).toEqual([]);
  });

  test('dot-commands at the start of a line', () => {
    expect(complete(shell, '.ch')).toEqual([['.changes', '.checkpoint'], '.ch']);
    expect(complete(shell, '.imp')[0]).toEqual(['.import']);
  });

  test('file names after the dot-commands that take a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'amberdb-complete-'));
    writeFileSync(join(dir, 'data.csv'), '');
    writeFileSync(join(dir, 'dump.sql'), '');
    mkdirSync(join(dir, 'db'));
    expect(complete(shell, `.import ${dir}/d`)).toEqual([[`${dir}/data.csv`, `${dir}/db/`, `${dir}/dump.sql`], `${dir}/d`]);
    expect(complete(shell, `.import --csv ${dir}/da`)[0]).toEqual([`${dir}/data.csv`]);
    expect(complete(shell, `.read ${dir}/du`)[0]).toEqual([`${dir}/dump.sql`]);
    expect(complete(shell, '.mode li')).toEqual([['line', 'list'], 'li']);
    expect(complete(shell, '.headers o')).toEqual([['off', 'on'], 'o']);
    expect(complete(shell, '.tables x')[0]).toEqual([]);
  });

  test('a table made a moment ago completes', () => {
    shell.db.exec('CREATE TABLE zebra(stripes)');
    expect(complete(shell, 'SELECT * FROM zeb')[0]).toEqual(['zebra']);
    expect(complete(shell, 'SELECT strip')[0]).toEqual(['stripes']);
  });
});
