// Keys of expression and partial indexes. Storage cannot evaluate SQL, so the engine gives such an
// index an extractor: the index's expressions (and WHERE) compiled once, in a private context,
// over the table's row. It recompiles itself if the table's schema object changes (ALTER TABLE).
import { AmberError } from '../value/amber-error';
import { toBoolean } from '../value/convert';
import type { SqlValue } from '../value/types';
import type { Expr } from '../sql/ast';
import { parseExpression } from '../sql/parser';
import { Scope } from '../plan/scope';
import type { IndexSchema, TableSchema } from '../storage/schema';
import type { KeyExtractor, Table } from '../storage/table';
import { ParamRegistry, type CompileContext, type EngineServices } from './compile-context';
import { ExprCompiler, walkExpr } from './compile-expr';
import { Env, type Ev } from './env';

const NON_DETERMINISTIC = new Set(['random', 'randomblob', 'changes', 'total_changes', 'last_insert_rowid']);

/** Rejects what SQLite rejects in index expressions and partial-index WHERE clauses. */
export function checkIndexExpression(e: Expr, what: 'index expressions' | 'partial index WHERE clauses'): void {
  walkExpr(e, (x) => {
    if (x.kind === 'subquery' || x.kind === 'exists' || (x.kind === 'in' && x.source.kind === 'select')) {
      throw new AmberError(`subqueries prohibited in ${what}`);
    }
    if (x.kind === 'param') throw new AmberError(`parameters prohibited in ${what}`);
    if (x.kind === 'call' && NON_DETERMINISTIC.has(x.name.toLowerCase())) throw new AmberError(`non-deterministic functions prohibited in ${what}`);
    if (x.kind === 'current-time') throw new AmberError(`non-deterministic functions prohibited in ${what}`);
    return true;
  });
}

/** The row scope an index expression is compiled in: the table alone, at slot 0. */
export function indexScope(schema: TableSchema): Scope {
  const scope = new Scope(null, { next: 0 });
  const slot = scope.allocSlot();
  scope.add({
    name: schema.name,
    slot,
    columns: schema.columns.map((c) => ({ name: c.name, affinity: c.affinity, collation: c.collation, declType: c.declType || null, table: schema.name, column: c.name })),
    rowidAlias: schema.rowidAlias,
    hasRowid: !schema.withoutRowid,
  });
  return scope;
}

function compileExtractor(services: EngineServices, schema: TableSchema, index: IndexSchema): KeyExtractor {
  const env = new Env();
  const ctx: CompileContext = {
    env,
    params: new ParamRegistry(),
    services,
    sql: '',
    writes: false,
    minSlotRead: Number.MAX_SAFE_INTEGER,
    triggerDepth: 0,
    compileSubquery: () => { throw new AmberError('subqueries prohibited in index expressions'); },
  };
  const exprs = new ExprCompiler(ctx);
  const scope = indexScope(schema);
  const evs: Ev[] = index.columns.map((c) => {
    if (c.column >= 0) {
      const col = c.column;
      return () => env.rows[0]![col]!;
    }
    return exprs.compile(parseExpression(c.exprSql!), scope, null);
  });
  const where = index.whereSql === null ? null : exprs.compile(parseExpression(index.whereSql), scope, null);
  const n = evs.length;
  return (row, rowid) => {
    env.rows[0] = row;
    env.rowids[0] = rowid;
    if (where !== null && toBoolean(where()) !== true) return null;
    const key: SqlValue[] = new Array(n);
    for (let i = 0; i < n; i++) key[i] = evs[i]!();
    return key;
  };
}

/** An extractor for `index` on `table` that follows later schema changes of the table. */
export function indexExtractor(services: EngineServices, table: Table, index: IndexSchema): KeyExtractor {
  let compiledFor: TableSchema | null = null;
  let extract: KeyExtractor = () => null;
  return (row, rowid) => {
    if (table.schema !== compiledFor) {
      extract = compileExtractor(services, table.schema, index);
      compiledFor = table.schema;
    }
    return extract(row, rowid);
  };
}
