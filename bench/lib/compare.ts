// Equality of two engines' results, checked before anything is timed. Values are normalized to a
// JSON-able form first (undefined and Buffers tagged, bigints as strings, -0 as 0, NaN spelled out), then compared
// as text; the first difference is reported with its path.

export function normalize(value: unknown): unknown {
  if (value === null) return null;
  // `get()` on no row is undefined in better-sqlite3, never null: keep the two apart.
  if (value === undefined) return { undefined: true };
  if (Buffer.isBuffer(value)) return { blob: value.toString('hex') };
  if (typeof value === 'bigint') return { bigint: value.toString() };
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return { number: 'NaN' };
    if (!Number.isFinite(value)) return { number: String(value) };
    return Object.is(value, -0) ? 0 : value;
  }
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = normalize(v);
    return out;
  }
  return value;
}

/** The first place where a and b differ, or null when they are equal. */
export function firstDifference(a: unknown, b: unknown, at = '$'): string | null {
  const na = normalize(a);
  const nb = normalize(b);
  if (typeof na !== 'object' || na === null || typeof nb !== 'object' || nb === null) {
    return JSON.stringify(na) === JSON.stringify(nb) ? null : `${at}: ${JSON.stringify(na)} ≠ ${JSON.stringify(nb)}`;
  }
  if (Array.isArray(na) !== Array.isArray(nb)) return `${at}: array vs object`;
  const ka = Object.keys(na);
  const kb = Object.keys(nb);
  if (ka.join('\u0000') !== kb.join('\u0000')) return `${at}: keys [${ka.join(', ')}] ≠ [${kb.join(', ')}]`;
  for (const k of ka) {
    const d = firstDifference((na as Record<string, unknown>)[k], (nb as Record<string, unknown>)[k], Array.isArray(na) ? `${at}[${k}]` : `${at}.${k}`);
    if (d !== null) return d;
  }
  return null;
}
