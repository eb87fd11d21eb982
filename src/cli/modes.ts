// Output modes: a result set (column names + raw rows) -> text, as sqlite3's shell prints it.
// A formatter is fed one statement's rows; `begin` comes with the first row, so a statement that
// returns no rows prints nothing at all (sqlite3 prints no header then either). Row-at-a-time
// modes stream; the columnar ones (columnar.ts) must see every row to size their columns.
import { columnarFormatter } from './columnar';
import { csvField, displayText, displayWidth, jsonValue, quoteIdentifier, sqlLiteral, type CellValue } from './values';

export const MODES = ['box', 'table', 'column', 'markdown', 'csv', 'json', 'line', 'list', 'insert'] as const;
export type Mode = (typeof MODES)[number];

export function isMode(s: string): s is Mode {
  return (MODES as readonly string[]).includes(s);
}

/** What a formatter needs to know besides the rows. */
export interface FormatSettings {
  readonly mode: Mode;
  readonly headers: boolean;
  readonly nullValue: string;
  /** Table name written by insert mode. */
  readonly insertTable: string;
  /** `.width`: per column, 0 automatic, N at least N wide, -N at least N wide and right-aligned. */
  readonly widths?: readonly number[];
  /** `.separator`: between the fields of list and csv mode; null or absent, the mode's own (`|`, `,`). */
  readonly separator?: string | null;
}

export interface Formatter {
  begin(columns: readonly string[]): string;
  row(values: readonly CellValue[]): string;
  end(): string;
}

export function createFormatter(settings: FormatSettings): Formatter {
  const { headers, nullValue } = settings;
  let columns: readonly string[] = [];
  let count = 0;
  const text = (v: CellValue): string => displayText(v, nullValue);
  const listSep = settings.separator ?? '|';
  const csvSep = settings.separator ?? ',';
  switch (settings.mode) {
    case 'list':
      return {
        begin: (c) => ((columns = c), headers ? c.join(listSep) + '\n' : ''),
        row: (r) => r.map(text).join(listSep) + '\n',
        end: () => '',
      };
    case 'csv':
      // sqlite3 writes NULL as the null value unquoted, so NULL and '' stay apart ('' is `""`).
      return {
        begin: (c) => (headers ? c.map((n) => csvField(n, csvSep)).join(csvSep) + '\n' : ''),
        row: (r) => r.map((v) => (v === null ? nullValue : csvField(text(v), csvSep))).join(csvSep) + '\n',
        end: () => '',
      };
    case 'json':
      // sqlite3 -json: `[{...},\n{...}]\n`, one object per row, keys in column order.
      return {
        begin: (c) => ((columns = c), '['),
        row: (r) => (count++ > 0 ? ',\n' : '') + '{' + columns.map((n, i) => `${JSON.stringify(n)}:${jsonValue(r[i] ?? null)}`).join(',') + '}',
        end: () => ']\n',
      };
    case 'line': {
      // Names right-aligned to the longest, at least 5 wide (sqlite3's `    a = 1`).
      let width = 0;
      return {
        begin: (c) => ((columns = c), (width = Math.max(5, ...c.map(displayWidth))), ''),
        row: (r) =>
          (count++ > 0 ? '\n' : '') +
          columns.map((n, i) => `${' '.repeat(width - displayWidth(n))}${n} = ${text(r[i] ?? null)}\n`).join(''),
        end: () => '',
      };
    }
    case 'insert': {
      let prefix = '';
      return {
        begin: (c) => {
          const names = headers ? `(${c.map(quoteIdentifier).join(',')})` : '';
          prefix = `INSERT INTO ${quoteIdentifier(settings.insertTable)}${names} VALUES(`;
          return '';
        },
        row: (r) => prefix + r.map(sqlLiteral).join(',') + ');\n',
        end: () => '',
      };
    }
    case 'box':
    case 'table':
    case 'markdown':
    case 'column':
      return columnarFormatter(settings.mode, headers, (v) => caretNotation(text(v)), settings.widths ?? []);
  }
}

/**
 * Control characters shown as `^A`, `^J`, `^?` in the columnar modes, so that a value cannot
 * break the grid (sqlite3's `--escape ascii`, its default). Multi-line cells are not split yet.
 */
function caretNotation(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x1f\x7f]/g, (c) => '^' + String.fromCharCode(c.charCodeAt(0) ^ 0x40));
}
