// What a run produces: the terminal table, the JSON record and the SVG chart of the ratios.
import type { Spread } from './measure';
import type { Group, Mode } from './types';

export type RowStatus = 'ok' | 'one-side' | 'failed';

export interface RowResult {
  readonly name: string;
  readonly group: Group;
  readonly description: string;
  readonly size: number;
  readonly status: RowStatus;
  /** True when both engines ran the check and agreed. */
  readonly agreed: boolean;
  readonly amberdb: Spread | null;
  readonly betterSqlite3: Spread | null;
  /** AmberDB median ops/s ÷ better-sqlite3 median ops/s. */
  readonly ratio: number | null;
  /** Why a side did not run, or why the row failed. */
  readonly note: string | null;
  /** Figures beside ops/s per engine (Workload.metrics): fsyncs per commit, bytes per row, ... */
  readonly metrics?: { readonly amberdb?: Readonly<Record<string, number>>; readonly betterSqlite3?: Readonly<Record<string, number>> };
}

export interface RunRecord {
  readonly date: string;
  readonly mode: Mode;
  readonly partial: boolean;
  readonly machine: { readonly cpu: string; readonly cores: number; readonly memoryGiB: number; readonly platform: string; readonly arch: string };
  readonly node: string;
  readonly versions: { readonly sqlite: string; readonly betterSqlite3: string; readonly amberdbCommit: string };
  readonly tempDir: { readonly path: string; readonly fs: string };
  readonly config: { readonly rounds: number; readonly warmupMs: number; readonly budgetMs: number; readonly gcBetweenRuns: boolean };
  readonly caveat: string;
  readonly workloads: readonly RowResult[];
}

export function formatOps(x: number): string {
  if (!Number.isFinite(x)) return '—';
  if (x >= 100) return Math.round(x).toLocaleString('en-US');
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

function compact(x: number): string {
  if (x >= 1e6) return `${(x / 1e6).toFixed(1)}M`;
  if (x >= 1e4) return `${Math.round(x / 1e3)}k`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)}k`;
  return formatOps(x);
}

function cell(s: Spread | null): string {
  if (s === null) return '—';
  return `${formatOps(s.median)} (${compact(s.min)}–${compact(s.max)})`;
}

export function rowLabel(r: { name: string; size: number }, showSize: boolean): string {
  if (!showSize) return r.name;
  const n = r.size >= 1e6 && r.size % 1e6 === 0 ? `${r.size / 1e6}M` : r.size >= 1e3 && r.size % 1e3 === 0 ? `${r.size / 1e3}k` : String(r.size);
  return `${r.name}/${n}`;
}

/** ◀ where AmberDB is slower; "(noise)" when the two min–max ranges overlap. */
export function mark(r: RowResult): string {
  if (r.status === 'failed') return 'FAILED';
  if (r.ratio === null || r.amberdb === null || r.betterSqlite3 === null) return '';
  const overlap = r.amberdb.max >= r.betterSqlite3.min && r.betterSqlite3.max >= r.amberdb.min;
  const noise = overlap ? ' (ranges overlap)' : '';
  return r.ratio < 1 ? `◀ AmberDB slower${noise}` : noise.trim();
}

export function table(rows: readonly RowResult[]): string {
  const head = ['workload', 'AmberDB ops/s (min–max)', 'better-sqlite3 ops/s (min–max)', 'ratio', ''];
  const body = rows.map((r) => {
    const ratio = r.ratio === null ? '—' : `${r.ratio >= 10 ? r.ratio.toFixed(1) : r.ratio.toFixed(2)}×`;
    const amber = r.amberdb === null && r.status !== 'failed' && r.note !== null ? 'n/a' : cell(r.amberdb);
    return [r.name, amber, cell(r.betterSqlite3), ratio, mark(r)];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cols: readonly string[]): string =>
    cols.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  const out = [line(head), widths.map((w) => '─'.repeat(w)).join('  ')];
  for (const b of body) out.push(line(b));
  const figures = rows.filter((r) => r.metrics !== undefined);
  if (figures.length > 0) {
    out.push('');
    const fmt = (m: Readonly<Record<string, number>> | undefined): string =>
      m === undefined ? '' : Object.entries(m).map(([k, v]) => `${k} ${Number.isInteger(v) ? v.toLocaleString('en-US') : v < 0.01 ? v.toPrecision(2) : v.toFixed(2)}`).join(', ');
    for (const r of figures) {
      const sides = [r.metrics?.amberdb && `AmberDB: ${fmt(r.metrics.amberdb)}`, r.metrics?.betterSqlite3 && `better-sqlite3: ${fmt(r.metrics.betterSqlite3)}`].filter(Boolean);
      out.push(`figures  ${r.name}: ${sides.join(' · ')}`);
    }
  }
  const notes = rows.filter((r) => r.note !== null);
  if (notes.length > 0) {
    out.push('');
    for (const r of notes) out.push(`${r.status === 'failed' ? 'FAILED' : 'note'}  ${r.name}: ${r.note}`);
  }
  return out.join('\n');
}

/**
 * Issue 8's speed targets (ratios against better-sqlite3, measured in one run), by row name:
 * what the Markdown table checks each ratio against. The durable rows are against WAL+FULL.
 */
export const TARGETS: Readonly<Record<string, number>> = {
  'select-get': 2.0,
  insert: 2.0,
  'select-all': 1.0,
  'select-iterate': 1.0,
  transaction: 1.0,
  'group-by/100k': 1.0,
  'join-indexed/10k': 1.0,
  'commit/hybrid/commit': 1.0,
  'commit-async/64-in-flight': 10.0,
};

function ratioText(r: number): string {
  return `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}

/**
 * The run as Markdown (what README.md's Benchmarks section shows): a line with the date, mode,
 * machine and versions, then one table row per workload with both medians, the ratio and, where
 * issue 8 sets one, the target and whether this run meets it; then the extra figures.
 */
export function markdown(record: RunRecord): string {
  const v = record.versions;
  const m = record.machine;
  const out: string[] = [];
  out.push(
    `${record.date} · \`${record.mode}\` run (${record.config.rounds} round(s) × ${record.config.budgetMs} ms per engine) · ${m.cpu} × ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}/${m.arch} · Node ${record.node} · SQLite ${v.sqlite} (better-sqlite3 ${v.betterSqlite3}) · AmberDB ${v.amberdbCommit} · temp dir ${record.tempDir.fs}`,
  );
  out.push('');
  out.push('| workload | AmberDB ops/s | better-sqlite3 ops/s | ratio | target |');
  out.push('| --- | ---: | ---: | ---: | --- |');
  for (const r of record.workloads) {
    const target = TARGETS[r.name];
    let verdict = '';
    if (target !== undefined) verdict = r.ratio === null ? `≥ ${target}× (not measured)` : `≥ ${target}× ${r.ratio >= target ? 'met' : '**not met**'}`;
    const ratio = r.status === 'failed' ? 'FAILED' : r.ratio === null ? '—' : r.ratio < 1 ? `**${ratioText(r.ratio)}**` : ratioText(r.ratio);
    const amber = r.amberdb === null ? (r.note !== null && r.status !== 'failed' ? 'n/a' : '—') : formatOps(r.amberdb.median);
    const lite = r.betterSqlite3 === null ? '—' : formatOps(r.betterSqlite3.median);
    out.push(`| ${r.name} | ${amber} | ${lite} | ${ratio} | ${verdict} |`);
  }
  const figures = record.workloads.filter((r) => r.metrics !== undefined);
  if (figures.length > 0) {
    out.push('');
    const fmt = (x: Readonly<Record<string, number>> | undefined): string =>
      x === undefined ? '' : Object.entries(x).map(([k, n]) => `${k} ${Number.isInteger(n) ? n.toLocaleString('en-US') : n < 0.01 ? n.toPrecision(2) : n.toFixed(2)}`).join(', ');
    for (const r of figures) {
      const sides = [r.metrics?.amberdb && `AmberDB ${fmt(r.metrics.amberdb)}`, r.metrics?.betterSqlite3 && `better-sqlite3 ${fmt(r.metrics.betterSqlite3)}`].filter(Boolean);
      out.push(`- ${r.name}: ${sides.join(' · ')}`);
    }
  }
  const notes = record.workloads.filter((r) => r.note !== null);
  if (notes.length > 0) {
    out.push('');
    for (const r of notes) out.push(`- ${r.status === 'failed' ? 'FAILED' : 'note'} ${r.name}: ${r.note}`);
  }
  out.push('');
  out.push(`Ratio = AmberDB ÷ better-sqlite3 median ops/s (bold: AmberDB slower). ${record.caveat}.`);
  return out.join('\n') + '\n';
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * One horizontal bar per row from the 1.0× line to the ratio, on a log₂ scale (so 0.5× and 2×
 * are the same length), with a whisker from the worst to the best pairing of the two min–max ranges.
 */
export function svg(record: RunRecord): string {
  const rows = record.workloads;
  const rowH = 22;
  const labelW = 250;
  const plotW = 560;
  const valueW = 230;
  const top = 70;
  const width = labelW + plotW + valueW;
  const height = top + rows.length * rowH + 40;
  const logs = rows.flatMap((r) => (r.ratio === null ? [] : [Math.log2(r.ratio)]));
  const extent = Math.max(1, Math.ceil(Math.max(0, ...logs.map(Math.abs))));
  const x = (ratio: number): number => {
    const l = Math.max(-extent, Math.min(extent, Math.log2(ratio)));
    return labelW + ((l + extent) / (2 * extent)) * plotW;
  };
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">`);
  parts.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  parts.push(`<text x="10" y="20" font-size="15" font-weight="bold">AmberDB ÷ better-sqlite3, median ops/s (log scale; right of 1× = AmberDB faster)</text>`);
  parts.push(
    `<text x="10" y="38" fill="#444">${esc(`${record.date} · ${record.mode} run · ${record.config.rounds} round(s) · ${record.machine.cpu} × ${record.machine.cores} · Node ${record.node} · SQLite ${record.versions.sqlite}`)}</text>`,
  );
  parts.push(`<text x="10" y="54" fill="#888">${esc(record.caveat)}</text>`);
  for (let p = -extent; p <= extent; p++) {
    const gx = labelW + ((p + extent) / (2 * extent)) * plotW;
    const label = p >= 0 ? `${2 ** p}×` : `1/${2 ** -p}×`;
    parts.push(`<line x1="${gx}" y1="${top - 6}" x2="${gx}" y2="${top + rows.length * rowH}" stroke="${p === 0 ? '#000' : '#ddd'}" stroke-width="${p === 0 ? 1.5 : 1}"/>`);
    parts.push(`<text x="${gx}" y="${top + rows.length * rowH + 16}" text-anchor="middle" fill="#555">${label}</text>`);
  }
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const mid = y + rowH / 2;
    parts.push(`<text x="${labelW - 8}" y="${mid + 4}" text-anchor="end">${esc(r.name)}</text>`);
    if (r.ratio === null || r.amberdb === null || r.betterSqlite3 === null) {
      const sq = r.betterSqlite3 === null ? '' : ` · better-sqlite3 ${compact(r.betterSqlite3.median)} ops/s`;
      const why =
        r.status === 'failed'
          ? 'FAILED (engines disagree, or an error)'
          : r.amberdb === null && (r.note ?? '').startsWith('reference')
            ? `reference row${sq}`
            : r.amberdb === null
              ? `AmberDB: not available yet${sq}`
              : 'better-sqlite3 not run';
      parts.push(`<text x="${x(1) + 6}" y="${mid + 4}" fill="${r.status === 'failed' ? '#c0392b' : '#999'}" font-style="italic">${esc(why)}</text>`);
      return;
    }
    const x1 = x(1);
    const xr = x(r.ratio);
    const color = r.ratio < 1 ? '#c0392b' : '#27ae60';
    parts.push(`<rect x="${Math.min(x1, xr)}" y="${y + 4}" width="${Math.max(1, Math.abs(xr - x1))}" height="${rowH - 8}" fill="${color}" opacity="0.8"/>`);
    const lo = x(r.amberdb.min / r.betterSqlite3.max);
    const hi = x(r.amberdb.max / r.betterSqlite3.min);
    parts.push(`<line x1="${lo}" y1="${mid}" x2="${hi}" y2="${mid}" stroke="#333" stroke-width="1"/>`);
    parts.push(`<line x1="${lo}" y1="${mid - 4}" x2="${lo}" y2="${mid + 4}" stroke="#333"/><line x1="${hi}" y1="${mid - 4}" x2="${hi}" y2="${mid + 4}" stroke="#333"/>`);
    const text = `${r.ratio >= 10 ? r.ratio.toFixed(1) : r.ratio.toFixed(2)}×  (${compact(r.amberdb.median)} vs ${compact(r.betterSqlite3.median)} ops/s)`;
    parts.push(`<text x="${labelW + plotW + 8}" y="${mid + 4}" fill="${color}">${esc(text)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
