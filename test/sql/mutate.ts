// Seeded random mutations of valid statements, for the fuzz tests.

/** A small deterministic PRNG (mulberry32), so a failing case can be replayed from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  '(', ')', ',', ';', "'", '"', '`', '[', ']', '.', '*', '-', '--', '/*', '*/', '?', ':x', '$', '@', '#', '!',
  '=', '<>', '||', '->>', ' ', '\n', '0x', '1e', '1.5', "x'", "x'AB'", "'s'", 'NOT', 'NULL', 'SELECT', 'FROM',
  'WHERE', 'JOIN', 'ON', 'AND', 'OR', 'IN', 'IS', 'BETWEEN', 'CASE', 'WHEN', 'END', 'AS', 'BEGIN', 'CREATE',
  'TABLE', 'VALUES', 'WITH', 'OVER', 'WINDOW', 'FILTER', 'COLLATE', 'ESCAPE', 'LIMIT', 'ORDER', 'BY', 'é', '\u0000',
];

export function mutate(sql: string, random: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const at = (): number => Math.floor(random() * (sql.length + 1));
  let s = sql;
  const rounds = 1 + Math.floor(random() * 3);
  for (let r = 0; r < rounds; r++) {
    const i = Math.min(at(), s.length);
    const j = Math.min(s.length, i + Math.floor(random() * 8));
    switch (Math.floor(random() * 5)) {
      case 0: s = s.slice(0, i) + s.slice(j); break;
      case 1: s = s.slice(0, i) + pick(PIECES) + s.slice(i); break;
      case 2: s = s.slice(0, i) + pick(PIECES) + s.slice(j); break;
      case 3: s = s.slice(0, i) + s.slice(i, j) + s.slice(i); break;
      default: s = s.slice(0, i); break;
    }
  }
  return s;
}
