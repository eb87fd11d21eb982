// Result rows in better-sqlite3's four shapes: objects keyed by column name (a later duplicate
// name overwrites an earlier one), raw arrays, the first column alone (pluck), and objects nested
// by source table with '$' for computed columns (expand).
//
// Object rows come from a function generated once per list of column names (and cached across
// statements): an object literal with fixed keys, so every row of a statement shares one hidden
// class and building it is a handful of stores.
import type { ResultColumnInfo } from '../exec/compiled-statement';
import type { SqlValue } from '../value/types';
import { toJs } from './values';

export const RowMode = { Flat: 0, Pluck: 1, Expand: 2, Raw: 3 } as const;
export type RowMode = (typeof RowMode)[keyof typeof RowMode];

type Convert = (value: SqlValue, safeIntegers: boolean) => unknown;
type FlatBuilder = (row: readonly SqlValue[], convert: Convert, safeIntegers: boolean) => Record<string, unknown>;
export type RowShaper = (row: readonly SqlValue[]) => unknown;

const builders = new Map<string, FlatBuilder>();

function flatBuilder(names: readonly string[]): FlatBuilder {
  const key = JSON.stringify(names);
  let builder = builders.get(key);
  if (builder === undefined) {
    // A computed key for __proto__: in a literal, `"__proto__": v` would set the prototype.
    const fields = names.map((n, i) => `${n === '__proto__' ? `[${JSON.stringify(n)}]` : JSON.stringify(n)}: c(r[${i}], s)`);
    builder = new Function('r', 'c', 's', `return { ${fields.join(', ')} };`) as FlatBuilder;
    if (builders.size < 10000) builders.set(key, builder);
  }
  return builder;
}

export function rowShaper(columns: readonly ResultColumnInfo[], mode: RowMode, safeIntegers: boolean): RowShaper {
  switch (mode) {
    case RowMode.Pluck:
      return (row) => toJs(row[0] ?? null, safeIntegers);
    case RowMode.Raw:
      return (row) => {
        const out = new Array<unknown>(row.length);
        for (let i = 0; i < row.length; i++) out[i] = toJs(row[i] as SqlValue, safeIntegers);
        return out;
      };
    case RowMode.Expand: {
      const tables = columns.map((c) => c.table ?? '$');
      const names = columns.map((c) => c.name);
      return (row) => {
        const out: Record<string, Record<string, unknown>> = {};
        for (let i = 0; i < names.length; i++) {
          const table = tables[i] as string;
          const nested = Object.prototype.hasOwnProperty.call(out, table) ? (out[table] as Record<string, unknown>) : (out[table] = {});
          nested[names[i] as string] = toJs(row[i] ?? null, safeIntegers);
        }
        return out;
      };
    }
    case RowMode.Flat: {
      const build = flatBuilder(columns.map((c) => c.name));
      return (row) => build(row, toJs, safeIntegers);
    }
  }
}
