// LIKE / GLOB against SQLite: random patterns and subjects over an alphabet rich in wildcards,
// escapes, case pairs, non-ASCII letters (which LIKE must NOT fold) and astral characters.

import { compileGlob, compileLike, globMatch, globPrefix, likeMatch, likePrefix } from '../../../src/value/functions/like';
import { Mismatches, Oracle, ours, pick, rng } from './oracle';

const oracle = new Oracle();
afterAll(() => oracle.close());

const LIKE_ALPHABET = ['a', 'b', 'A', 'B', 'c', '%', '_', '\\', 'é', 'É', 'ß', '😀', '[', ' ', '.', 'z', 'Z'];
const GLOB_ALPHABET = ['a', 'b', 'A', 'c', '*', '?', '[', ']', '^', '-', 'é', '😀', 'z', '!', '0', '9'];

function word(r: () => number, alphabet: readonly string[], max: number): string {
  const n = Math.floor(r() * (max + 1));
  let s = '';
  for (let i = 0; i < n; i++) s += pick(r, alphabet);
  return s;
}

/** A subject that often matches the pattern: wildcards filled in at random. */
function subjectFor(r: () => number, pattern: string): string {
  let s = '';
  for (const ch of pattern) {
    if (ch === '%' || ch === '*') s += word(r, ['a', 'b', 'é', 'x', '😀'], 3);
    else if (ch === '_' || ch === '?') s += pick(r, ['a', 'é', '😀', 'q']);
    else if (ch !== '\\' && ch !== '[' && ch !== ']') s += r() < 0.3 ? ch.toUpperCase() : ch;
  }
  return s;
}

describe('LIKE', () => {
  test('random patterns × subjects agree with SQLite (no ESCAPE, ESCAPE \\, ESCAPE % and _)', () => {
    const r = rng(1234);
    const m = new Mismatches();
    for (let i = 0; i < 3000; i++) {
      const pattern = word(r, LIKE_ALPHABET, 7);
      const subjects = [subjectFor(r, pattern), word(r, LIKE_ALPHABET, 8), ''];
      for (const text of subjects) {
        m.check(`${JSON.stringify(text)} LIKE ${JSON.stringify(pattern)}`, oracle.call('like', [pattern, text]), ours(() => compileLike(pattern, null)(text)));
        const esc = pick(r, ['\\', '\\', '%', '_', 'a', 'é']);
        m.check(
          `${JSON.stringify(text)} LIKE ${JSON.stringify(pattern)} ESCAPE ${JSON.stringify(esc)}`,
          oracle.call('like', [pattern, text, esc]),
          ours(() => likeMatch(pattern, text, esc)),
        );
      }
    }
    expect(m.report()).toEqual([]);
    expect(m.count).toBeGreaterThan(15000);
  });

  test('literal, prefix, suffix and infix shapes (the fast paths) agree with SQLite', () => {
    const r = rng(99);
    const m = new Mismatches();
    const lits = ['abc', 'ABC', 'aBc', 'é', 'É', 'x.y', 'ab', '', 'ß', '😀a'];
    const subjects = ['abc', 'ABC', 'xabc', 'abcx', 'xabcx', 'ab', 'é', 'É', 'xéx', 'a😀a', '😀abc', '', 'x.y', 'xxy', 'abc\0zz', 'zz\0abc'];
    for (const lit of lits) {
      for (const shape of ['%s', '%s%', '%%s', '%%s%']) {
        const pattern = shape.replace('%s', lit);
        for (const text of subjects) {
          m.check(`${JSON.stringify(text)} LIKE ${JSON.stringify(pattern)}`, oracle.call('like', [pattern, text]), ours(() => likeMatch(pattern, text, null)));
        }
      }
    }
    void r;
    expect(m.report()).toEqual([]);
  });

  test('NUL ends both the pattern and the subject, as in SQLite', () => {
    const m = new Mismatches();
    for (const [p, t] of [['ab', 'ab\0cd'], ['ab\0x', 'ab'], ['a%', 'a\0'], ['%d', 'ab\0cd'], ['a_\0', 'ab']] as const) {
      m.check(`${JSON.stringify(t)} LIKE ${JSON.stringify(p)}`, oracle.call('like', [p, t]), ours(() => likeMatch(p, t, null)));
    }
    expect(m.report()).toEqual([]);
  });

  test('ESCAPE must be a single character; the error text is SQLite\'s', () => {
    for (const esc of ['', 'ab', 'éé']) {
      const expected = oracle.call('like', ['a', 'a', esc]);
      expect(expected).toBe('ERR ESCAPE expression must be a single character');
      expect(ours(() => likeMatch('a', 'a', esc))).toBe(expected);
    }
    expect(ours(() => likeMatch('a😀', 'a😀', '😀'))).toBe(oracle.call('like', ['a😀', 'a😀', '😀']));
  });

  test('a pattern over 50000 bytes is too complex', () => {
    const pattern = 'a'.repeat(50001);
    const expected = oracle.call('like', [pattern, 'a']);
    expect(expected).toBe('ERR LIKE or GLOB pattern too complex');
    expect(ours(() => likeMatch(pattern, 'a', null))).toBe(expected);
    expect(ours(() => globMatch(pattern, 'a'))).toBe(oracle.call('glob', [pattern, 'a']));
    const ok = 'a'.repeat(50000);
    expect(ours(() => likeMatch(ok, ok, null))).toBe(oracle.call('like', [ok, ok]));
  });

  test('many % stay fast (no exponential backtracking)', () => {
    const pattern = '%a'.repeat(30) + '%b';
    const text = 'a'.repeat(200);
    const t0 = Date.now();
    expect(likeMatch(pattern, text, null)).toBe(false);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  test('likePrefix: the literal text before the first wildcard, escapes resolved', () => {
    expect(likePrefix('abc%', null)).toBe('abc');
    expect(likePrefix('abc_d%', null)).toBe('abc');
    expect(likePrefix('a\\%b%', '\\')).toBe('a%b');
    expect(likePrefix('%abc', null)).toBeNull();
    expect(likePrefix('', null)).toBeNull();
    expect(likePrefix('abc', null)).toBe('abc');
    expect(likePrefix('ab\\', '\\')).toBeNull(); // a trailing lone escape never matches
    expect(likePrefix('a%%b', '%')).toBe('a%b'); // ESCAPE '%' turns % into a literal
    expect(globPrefix('ab*')).toBe('ab');
    expect(globPrefix('[ab]c')).toBeNull();
    expect(globPrefix('a?')).toBe('a');
  });
});

describe('GLOB', () => {
  test('random patterns × subjects agree with SQLite (classes, ranges, negation)', () => {
    const r = rng(777);
    const m = new Mismatches();
    for (let i = 0; i < 3000; i++) {
      const pattern = word(r, GLOB_ALPHABET, 8);
      const subjects = [subjectFor(r, pattern), word(r, GLOB_ALPHABET, 6), word(r, ['a', 'b', 'c', ']', '-', '^', 'é', 'A'], 3)];
      for (const text of subjects) {
        m.check(`${JSON.stringify(text)} GLOB ${JSON.stringify(pattern)}`, oracle.call('glob', [pattern, text]), ours(() => globMatch(pattern, text)));
      }
    }
    expect(m.report()).toEqual([]);
  });

  test('class edge cases', () => {
    const m = new Mismatches();
    const patterns = ['[]]', '[]a]', '[^]]', '[^]a]', '[a-]', '[-a]', '[a-c]', '[c-a]', '[^a-c]x', '*[0-9]', '[a', '[', '*[', '[]', '[^]', '[é-ê]', '[😀]', '*[b-b]*', 'a[-]b'];
    const subjects = [']', 'a', 'b', 'c', 'd', '-', '^', 'ax', 'dx', '5', 'x9', 'é', 'ê', '😀', 'abc', 'a-b', '[', ''];
    for (const p of patterns) for (const t of subjects) m.check(`${JSON.stringify(t)} GLOB ${JSON.stringify(p)}`, oracle.call('glob', [p, t]), ours(() => compileGlob(p)(t)));
    expect(m.report()).toEqual([]);
  });
});
