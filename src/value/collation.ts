// Text collations: BINARY, NOCASE, RTRIM (datatype3 §7.1). In: two JS strings. Out: <0, 0, >0.
// SQLite compares UTF-8 bytes; JS compares UTF-16 code units. The two orders agree except that
// a surrogate pair (U+10000 and up: 0xD800–0xDFFF units) sorts above U+E000–U+FFFF in UTF-8
// but below in UTF-16, so the first differing unit is remapped when both are >= 0xD800.

export type Collation = (a: string, b: string) => number;

/** Remaps a UTF-16 unit >= 0xD800 so that unit order becomes code point (= UTF-8 byte) order. */
function fixup(c: number): number {
  return c >= 0xe000 ? c - 0x800 : c + 0x2000;
}

export const BINARY: Collation = (a, b) => {
  if (a === b) return 0;
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        x = fixup(x);
        y = fixup(y);
      }
      return x < y ? -1 : 1;
    }
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
};

/** ASCII-only case folding, as SQLite without ICU: 'a' = 'A', but 'é' ≠ 'É'. */
export const NOCASE: Collation = (a, b) => {
  if (a === b) return 0;
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 65 && x <= 90) x += 32;
      if (y >= 65 && y <= 90) y += 32;
      if (x === y) continue;
      if (x >= 0xd800 && y >= 0xd800) {
        x = fixup(x);
        y = fixup(y);
      }
      return x < y ? -1 : 1;
    }
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
};

function trimmedLength(s: string): number {
  let n = s.length;
  while (n > 0 && s.charCodeAt(n - 1) === 32) n--;
  return n;
}

/** BINARY after ignoring trailing spaces (U+0020 only). */
export const RTRIM: Collation = (a, b) => {
  const na = trimmedLength(a);
  const nb = trimmedLength(b);
  return BINARY(na === a.length ? a : a.slice(0, na), nb === b.length ? b : b.slice(0, nb));
};

/** A built-in collation by name, case-insensitively; undefined when there is none. */
export function getCollation(name: string): Collation | undefined {
  switch (name.toUpperCase()) {
    case 'BINARY':
      return BINARY;
    case 'NOCASE':
      return NOCASE;
    case 'RTRIM':
      return RTRIM;
    default:
      return undefined;
  }
}
