// sqllogictest script parser.
//
// In: the text of one `.test` file. Out: its records, in order, each with the line it starts on and
// its skipif/onlyif conditions. The format is the one described in test/slt/files/README.md:
// records are separated by blank lines (a line of white space is blank), a line starting with `#` is
// a comment anywhere, and a trailing `\r` is dropped from every line. The parser never decides
// whether a record runs; `recordApplies` does, for a given engine name.

export type SltSortMode = 'nosort' | 'rowsort' | 'valuesort';

export interface SltConditions {
  /** Engine names from `skipif` lines, lower case. */
  readonly skipif: readonly string[];
  /** Engine names from `onlyif` lines, lower case. */
  readonly onlyif: readonly string[];
}

export type SltExpected =
  | { readonly kind: 'values'; readonly values: readonly string[] }
  | { readonly kind: 'hash'; readonly count: number; readonly hash: string };

interface SltRecordBase {
  /** 1-based line number of the record's command line (after any skipif/onlyif lines). */
  readonly line: number;
  readonly conditions: SltConditions;
}

export type SltRecord =
  | (SltRecordBase & { readonly kind: 'statement'; readonly expectError: boolean; readonly sql: string })
  | (SltRecordBase & {
      readonly kind: 'query';
      readonly types: string;
      readonly sort: SltSortMode;
      readonly label: string | undefined;
      readonly sql: string;
      readonly expected: SltExpected;
    })
  | (SltRecordBase & { readonly kind: 'hash-threshold'; readonly threshold: number })
  | (SltRecordBase & { readonly kind: 'halt' });

const HASH_LINE = /^(\d+) values hashing to ([0-9a-f]{32})$/;

export class SltParseError extends Error {
  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}: ${message}`);
  }
}

/** Split a script into records. `file` only labels error messages. */
export function parseSlt(text: string, file = '<slt>'): SltRecord[] {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const records: SltRecord[] = [];
  let i = 0;
  const isBlank = (l: string): boolean => l.trim() === '';
  const isComment = (l: string): boolean => l.startsWith('#');

  while (i < lines.length) {
    // Gather one block: non-blank lines up to the next blank one, with comment lines dropped.
    while (i < lines.length && (isBlank(lines[i]!) || isComment(lines[i]!))) i++;
    if (i >= lines.length) break;
    const block: { text: string; line: number }[] = [];
    while (i < lines.length && !isBlank(lines[i]!)) {
      if (!isComment(lines[i]!)) block.push({ text: lines[i]!, line: i + 1 });
      i++;
    }
    if (block.length === 0) continue;

    const skipif: string[] = [];
    const onlyif: string[] = [];
    let k = 0;
    for (; k < block.length; k++) {
      const words = block[k]!.text.trim().split(/\s+/);
      if (words[0] === 'skipif' || words[0] === 'onlyif') {
        const engine = (words[1] ?? '').toLowerCase();
        (words[0] === 'skipif' ? skipif : onlyif).push(engine);
      } else break;
    }
    const head = block[k];
    if (!head) throw new SltParseError(file, block[0]!.line, 'condition lines with no record after them');
    const conditions: SltConditions = { skipif, onlyif };
    const words = head.text.trim().split(/\s+/);
    const body = block.slice(k + 1).map((b) => b.text);

    switch (words[0]) {
      case 'statement': {
        if (words[1] !== 'ok' && words[1] !== 'error') {
          throw new SltParseError(file, head.line, `unknown statement mode ${JSON.stringify(words[1])}`);
        }
        records.push({ kind: 'statement', line: head.line, conditions, expectError: words[1] === 'error', sql: body.join('\n') });
        break;
      }
      case 'query': {
        const types = words[1] ?? '';
        if (!/^[IRT]+$/.test(types)) throw new SltParseError(file, head.line, `bad query types ${JSON.stringify(types)}`);
        let sort: SltSortMode = 'nosort';
        let label: string | undefined;
        const rest = words.slice(2);
        if (rest[0] === 'nosort' || rest[0] === 'rowsort' || rest[0] === 'valuesort') {
          sort = rest[0];
          label = rest[1];
        } else {
          label = rest[0];
        }
        const sep = body.indexOf('----');
        const sqlLines = sep < 0 ? body : body.slice(0, sep);
        const resultLines = sep < 0 ? [] : body.slice(sep + 1);
        const hash = resultLines.length === 1 ? HASH_LINE.exec(resultLines[0]!) : null;
        const expected: SltExpected = hash
          ? { kind: 'hash', count: Number(hash[1]), hash: hash[2]! }
          : { kind: 'values', values: resultLines };
        records.push({ kind: 'query', line: head.line, conditions, types, sort, label, sql: sqlLines.join('\n'), expected });
        break;
      }
      case 'hash-threshold':
        records.push({ kind: 'hash-threshold', line: head.line, conditions, threshold: Number(words[1] ?? '0') });
        break;
      case 'halt':
        records.push({ kind: 'halt', line: head.line, conditions });
        break;
      default:
        throw new SltParseError(file, head.line, `unknown record ${JSON.stringify(head.text)}`);
    }
  }
  return records;
}

/** Does this record run for `engine` (compared case-insensitively)? */
export function recordApplies(record: SltRecord, engine: string): boolean {
  const name = engine.toLowerCase();
  if (record.conditions.skipif.includes(name)) return false;
  if (record.conditions.onlyif.some((e) => e !== name)) return false;
  return true;
}
