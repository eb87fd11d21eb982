// db.stats().memoryBytes: a rough figure for what the tables and indexes hold, from a sample of
// rows per table (exact accounting would cost a walk of every row). V8 object sizes are
// approximations: an array costs its header plus 8 bytes a slot, a string 2 bytes a character.
import type { Store } from '../../storage/store';
import type { Row } from '../../storage/schema';
import type { SqlValue } from '../../value/types';

const SAMPLE = 64;
/** B+tree slot (key + value + node share) per entry. */
const TREE_ENTRY = 24;

function valueBytes(v: SqlValue): number {
  if (v === null) return 0;
  switch (typeof v) {
    case 'number':
      return Number.isInteger(v) && Math.abs(v) < 2 ** 30 ? 0 : 16;
    case 'string':
      return 16 + 2 * v.length;
    case 'bigint':
      return 24;
    default:
      return v instanceof Uint8Array ? 96 + v.byteLength : 24;
  }
}

function rowBytes(row: Row): number {
  let n = 32 + 8 * row.length;
  for (const v of row) n += valueBytes(v);
  return n;
}

export function estimateMemory(store: Store): { bytes: number; rows: number; tables: Record<string, number> } {
  let bytes = 0;
  let rows = 0;
  const tables: Record<string, number> = {};
  for (const t of store.tables.values()) {
    const n = t.tree.size;
    tables[t.name] = n;
    rows += n;
    if (n === 0) continue;
    let sampled = 0;
    let sum = 0;
    const cur = t.tree.cursor();
    for (let ok = cur.first(); ok && sampled < SAMPLE; ok = cur.next()) {
      sum += rowBytes(cur.value());
      sampled++;
    }
    const avg = sum / Math.max(1, sampled);
    bytes += n * (avg + TREE_ENTRY);
    for (const idx of t.indexes) bytes += idx.tree.size * (TREE_ENTRY + 32 + 8 * (idx.schema.columns.length + 1) + avg / Math.max(1, t.schema.columns.length));
  }
  return { bytes: Math.round(bytes), rows, tables };
}
