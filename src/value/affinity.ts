// Column affinity (datatype3 §3) and comparison affinity (§4.2).
// In: declared type names and SqlValues. Out: affinities and converted SqlValues.

export const AFFINITIES = ['INTEGER', 'TEXT', 'BLOB', 'REAL', 'NUMERIC'] as const;
/** 'BLOB' is SQLite's "no affinity" (formerly NONE). */
export type Affinity = (typeof AFFINITIES)[number];

/**
 * datatype3 §3.1, first match wins: contains INT → INTEGER; CHAR, CLOB or TEXT → TEXT;
 * BLOB or no type → BLOB; REAL, FLOA or DOUB → REAL; otherwise NUMERIC.
 */
export function affinityOfType(declType: string | null): Affinity {
  if (declType === null) return 'BLOB';
  const t = declType.toUpperCase();
  if (t.includes('INT')) return 'INTEGER';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'TEXT';
  if (t.includes('BLOB') || t.trim() === '') return 'BLOB';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'REAL';
  return 'NUMERIC';
}
