// DELETE and UPDATE on sqlite_sequence, the catalog of AUTOINCREMENT high-water marks. Apps and
// query builders reset a counter this way (Knex's truncate() runs
// `DELETE FROM sqlite_sequence WHERE name = ?`; others `UPDATE sqlite_sequence SET seq = 0 ...`).
// In: the statement. Out: a program that selects the matching (name, seq) rows through the
// ordinary SELECT compiler, then sets each table's counter through the store (undo, change set).
// Deleting a row is setting the counter to 0: the next rowid is then max(rowid) + 1, as SQLite's
// is when its row is gone. Only `seq` can be set. INSERT (a dump's `INSERT INTO sqlite_sequence
// VALUES('t', 5)`) sets the named table's counter; a name that is no AUTOINCREMENT table is
// dropped (SQLite would keep a row that nothing reads).
import type { DeleteStatement, Expr, InsertStatement, ResultColumn, SelectStatement, UpdateStatement } from '../sql/ast';
import { AmberError } from '../value/amber-error';
import { toInteger } from '../value/convert';
import type { SqlValue } from '../value/types';
import type { CompileContext } from './compile-context';
import type { SelectCompiler } from './select';

export function isSequenceTarget(ctx: CompileContext, stmt: { schema: string | null; table: string }): boolean {
  return stmt.table.toLowerCase() === 'sqlite_sequence' && (stmt.schema === null || stmt.schema.toLowerCase() === 'main') && !ctx.services.store.getTable(stmt.table);
}

export function compileSequenceWrite(
  ctx: CompileContext,
  select: SelectCompiler,
  stmt: DeleteStatement | UpdateStatement,
): { execute(returned: SqlValue[][] | null): number; readonly returning: null; readonly keepsPartialOnError: boolean } {
  const unsupported = stmt.returning !== null || stmt.orderBy.length > 0 || stmt.limit !== null || (stmt.kind === 'update' && stmt.from !== null);
  if (unsupported) throw new AmberError('only plain DELETE and UPDATE ... SET seq = ... are supported on sqlite_sequence');
  const values: Expr[] = [];
  if (stmt.kind === 'update') {
    for (const s of stmt.sets) {
      if (s.columns.length !== 1 || s.columns[0]!.toLowerCase() !== 'seq') throw new AmberError('only the seq column of sqlite_sequence can be updated');
      values.push(s.value);
    }
  }
  const at = { start: stmt.loc.start, end: stmt.loc.end, line: stmt.loc.line, column: stmt.loc.column };
  const col = (name: string): Expr => ({ kind: 'column', schema: null, table: null, name, loc: at }) as Expr;
  const columns: ResultColumn[] = [col('name'), ...values].map((expr) => ({ kind: 'result-expr', expr, alias: null, loc: at }) as ResultColumn);
  const query: SelectStatement = {
    kind: 'select',
    with: null,
    body: {
      kind: 'select-core',
      distinct: false,
      columns,
      from: { kind: 'table-ref', schema: null, name: 'sqlite_sequence', alias: stmt.alias, indexedBy: null, args: null, loc: at },
      where: stmt.where,
      groupBy: [],
      having: null,
      windows: [],
      loc: at,
    },
    orderBy: [],
    limit: null,
    loc: at,
  } as SelectStatement;
  const store = ctx.services.store;
  const hasSequence = [...store.tables.values()].some((t) => t.schema.autoincrement);
  if (!hasSequence) throw new AmberError('no such table: sqlite_sequence');
  const q = select.compileNested(query, null);
  ctx.writes = true;
  return {
    returning: null,
    keepsPartialOnError: false,
    execute(): number {
      const found: SqlValue[][] = [];
      q.run((r) => { found.push(r); return true; });
      let n = 0;
      for (const [name, ...set] of found) {
        const table = store.getTable(String(name));
        if (!table) continue;
        // SET seq = v: the last assignment wins, as in an UPDATE that names a column twice.
        const v = set.length > 0 ? toInteger(set[set.length - 1]!) : 0;
        store.setSequence(table, v ?? 0);
        n++;
      }
      return n;
    },
  };
}

export function compileSequenceInsert(
  ctx: CompileContext,
  select: SelectCompiler,
  stmt: InsertStatement,
): { execute(returned: SqlValue[][] | null): number; readonly returning: null; readonly keepsPartialOnError: boolean } {
  if (stmt.source === null || stmt.upsert.length > 0 || stmt.returning !== null) {
    throw new AmberError('only INSERT INTO sqlite_sequence VALUES / SELECT is supported');
  }
  const store = ctx.services.store;
  if (![...store.tables.values()].some((t) => t.schema.autoincrement)) throw new AmberError('no such table: sqlite_sequence');
  const cols = (stmt.columns ?? ['name', 'seq']).map((c) => c.toLowerCase());
  for (const c of cols) if (c !== 'name' && c !== 'seq') throw new AmberError(`table sqlite_sequence has no column named ${c}`);
  const q = select.compileNested(stmt.source, null);
  if (q.columns.length !== cols.length) {
    throw new AmberError(stmt.columns ? `${q.columns.length} values for ${cols.length} columns` : `table sqlite_sequence has 2 columns but ${q.columns.length} values were supplied`);
  }
  const nameAt = cols.indexOf('name');
  const seqAt = cols.indexOf('seq');
  ctx.writes = true;
  return {
    returning: null,
    keepsPartialOnError: false,
    execute(): number {
      const rows: SqlValue[][] = [];
      q.run((r) => { rows.push(r); return true; });
      for (const r of rows) {
        const table = nameAt >= 0 ? store.getTable(String(r[nameAt])) : undefined;
        if (!table || !table.schema.autoincrement) continue;
        store.setSequence(table, (seqAt >= 0 ? toInteger(r[seqAt]!) : null) ?? 0);
      }
      return rows.length;
    },
  };
}
