// The columnar modes — box, table, markdown, column — as sqlite3 3.4x draws them: every column
// as wide as its widest cell or header, headers centred (extra space on the right), cells
// left-aligned. box/table/markdown always show the header; column only with headers on.
//
//   box                 table               markdown         column
//   ┌───┬───────┐       +---+-------+       | a |   b   |    a  b
//   │ a │   b   │       | a |   b   |       |---|-------|    -  -----
//   ├───┼───────┤       +---+-------+       | 1 | hello |    1  hello
//   │ 1 │ hello │       | 1 | hello |
//   └───┴───────┘       +---+-------+
import type { Formatter } from './modes';
import { displayWidth, type CellValue } from './values';

type ColumnarMode = 'box' | 'table' | 'markdown' | 'column';

interface Frame {
  /** Rule above the header, below the header, below the last row (null: none). */
  readonly top: ((w: number[]) => string) | null;
  readonly middle: (w: number[]) => string;
  readonly bottom: ((w: number[]) => string) | null;
  readonly left: string;
  readonly sep: string;
  readonly right: string;
}

const rule = (l: string, h: string, m: string, r: string) => (w: number[]) => l + w.map((n) => h.repeat(n + 2)).join(m) + r + '\n';

const FRAMES: Record<Exclude<ColumnarMode, 'column'>, Frame> = {
  box: {
    top: rule('┌', '─', '┬', '┐'),
    middle: rule('├', '─', '┼', '┤'),
    bottom: rule('└', '─', '┴', '┘'),
    left: '│ ',
    sep: ' │ ',
    right: ' │',
  },
  table: {
    top: rule('+', '-', '+', '+'),
    middle: rule('+', '-', '+', '+'),
    bottom: rule('+', '-', '+', '+'),
    left: '| ',
    sep: ' | ',
    right: ' |',
  },
  markdown: { top: null, middle: rule('|', '-', '|', '|'), bottom: null, left: '| ', sep: ' | ', right: ' |' },
};

const pad = (s: string, width: number): string => s + ' '.repeat(Math.max(0, width - displayWidth(s)));

const padLeft = (s: string, width: number): string => ' '.repeat(Math.max(0, width - displayWidth(s))) + s;

function centre(s: string, width: number): string {
  const room = Math.max(0, width - displayWidth(s));
  return ' '.repeat(room >> 1) + s + ' '.repeat(room - (room >> 1));
}

/**
 * `fixed`: the `.width` figures. N > 0 makes column i at least N wide, -N also right-aligns it,
 * 0 (or none) sizes it to its content. A longer value widens the column rather than being cut
 * (sqlite3 wraps it instead): nothing a query returns is hidden.
 */
export function columnarFormatter(
  mode: ColumnarMode,
  headers: boolean,
  text: (v: CellValue) => string,
  fixed: readonly number[] = [],
): Formatter {
  let columns: readonly string[] = [];
  const rows: string[][] = [];
  return {
    begin(c) {
      columns = c;
      return '';
    },
    row(r) {
      rows.push(columns.map((_, i) => text(r[i] ?? null)));
      return '';
    },
    end() {
      const widths = columns.map((name, i) =>
        rows.reduce((w, row) => Math.max(w, displayWidth(row[i] ?? '')), Math.max(displayWidth(name), Math.abs(fixed[i] ?? 0))),
      );
      const cell = (v: string, i: number): string => ((fixed[i] ?? 0) < 0 ? padLeft(v, widths[i] ?? 0) : pad(v, widths[i] ?? 0));
      const line = (cells: string[], left: string, sep: string, right: string): string =>
        left + cells.join(sep) + right + '\n';
      let out = '';
      if (mode === 'column') {
        if (headers) {
          out += line(columns.map(cell), '', '  ', '');
          out += line(widths.map((w) => '-'.repeat(w)), '', '  ', '');
        }
        for (const row of rows) out += line(row.map(cell), '', '  ', '');
        return out;
      }
      const f = FRAMES[mode];
      if (f.top) out += f.top(widths);
      out += line(columns.map((n, i) => centre(n, widths[i] ?? 0)), f.left, f.sep, f.right);
      out += f.middle(widths);
      for (const row of rows) out += line(row.map(cell), f.left, f.sep, f.right);
      if (f.bottom) out += f.bottom(widths);
      return out;
    },
  };
}
