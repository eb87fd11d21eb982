// The columnar modes — box, table, markdown, column — as sqlite3 3.4x draws them: every column
// as wide as its widest cell or header (among the first SIZING_ROWS rows), headers centred (extra space on the right), cells
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
/**
 * Rows held to size the columns. A longer result is not held: once this many rows arrived, the
 * widths are fixed from them, the head is printed, and later rows stream through (a later, wider
 * value widens its own line only). Memory stays bounded whatever the result's length.
 */
export const SIZING_ROWS = 1000;

export function columnarFormatter(
  mode: ColumnarMode,
  headers: boolean,
  text: (v: CellValue) => string,
  fixed: readonly number[] = [],
  sizingRows = SIZING_ROWS,
): Formatter {
  let columns: readonly string[] = [];
  let held: string[][] = [];
  /** Set once the widths are decided (at the end, or when `sizingRows` rows arrived). */
  let widths: number[] | null = null;
  const cell = (v: string, i: number): string => {
    const w = widths?.[i] ?? 0;
    return (fixed[i] ?? 0) < 0 ? padLeft(v, w) : pad(v, w);
  };
  const line = (cells: string[], left: string, sep: string, right: string): string => left + cells.join(sep) + right + '\n';
  const rowLine = (row: string[]): string => {
    if (mode === 'column') return line(row.map(cell), '', '  ', '');
    const f = FRAMES[mode];
    return line(row.map(cell), f.left, f.sep, f.right);
  };
  /** Decides the widths from the held rows; returns the head and those rows. */
  const head = (): string => {
    const w = columns.map((name, i) =>
      held.reduce((m, row) => Math.max(m, displayWidth(row[i] ?? '')), Math.max(displayWidth(name), Math.abs(fixed[i] ?? 0))),
    );
    widths = w;
    let out = '';
    if (mode === 'column') {
      if (headers) {
        out += line(columns.map(cell), '', '  ', '');
        out += line(w.map((n) => '-'.repeat(n)), '', '  ', '');
      }
    } else {
      const f = FRAMES[mode];
      if (f.top) out += f.top(w);
      out += line(columns.map((n, i) => centre(n, w[i] ?? 0)), f.left, f.sep, f.right);
      out += f.middle(w);
    }
    for (const row of held) out += rowLine(row);
    held = [];
    return out;
  };
  return {
    begin(c) {
      columns = c;
      return '';
    },
    row(r) {
      const cells = columns.map((_, i) => text(r[i] ?? null));
      if (widths !== null) return rowLine(cells);
      held.push(cells);
      return held.length >= sizingRows ? head() : '';
    },
    end() {
      let out = widths === null ? head() : '';
      if (mode !== 'column' && mode !== 'markdown') {
        const bottom = FRAMES[mode].bottom;
        if (bottom) out += bottom(widths ?? []);
      }
      return out;
    },
  };
}
