// Keys of secondary-index B+trees: [v1, ..., vn, rowid]. A search key may be a prefix, and may end
// in KEY_MIN / KEY_MAX so a seek lands before or after every entry that shares the prefix
// (`a > 5` seeks [5, KEY_MAX] exclusive; `a >= 5` seeks [5]).
import { compareValues } from '../value/compare';
import type { Collation } from '../value/collation';
import type { SqlValue } from '../value/types';

export const KEY_MIN: SqlValue = Object.freeze(['KEY_MIN']) as unknown as SqlValue;
export const KEY_MAX: SqlValue = Object.freeze(['KEY_MAX']) as unknown as SqlValue;

export type IndexKey = readonly SqlValue[];

/**
 * A comparator for index keys with per-column collation and direction. Rowid (the last element of
 * a full key) compares numerically. A shorter key that is a prefix of a longer one sorts first.
 */
export function indexKeyComparator(collations: readonly Collation[], desc: readonly boolean[]): (a: IndexKey, b: IndexKey) => number {
  const n = collations.length;
  return (a, b) => {
    const len = a.length < b.length ? a.length : b.length;
    for (let i = 0; i < len; i++) {
      const x = a[i]!;
      const y = b[i]!;
      if (x === y) continue;
      if (x === KEY_MIN || y === KEY_MAX) return -1;
      if (x === KEY_MAX || y === KEY_MIN) return 1;
      let c: number;
      if (i < n) {
        c = compareValues(x, y, collations[i]);
        if (desc[i]) c = -c;
      } else {
        // Invariant: position n holds the rowid, a number or bigint.
        c = (x as number) < (y as number) ? -1 : (x as number) > (y as number) ? 1 : 0;
      }
      if (c !== 0) return c;
    }
    return a.length - b.length;
  };
}
