// Builds SQLite b-trees bottom-up from entries already in key order: leaves are packed full, then
// each interior level is built over the level below until one page (the root) remains. Used by
// the writer only; there is no insert or delete, so pages never need rebalancing.
//
// Both kinds of tree are built the same way above the leaves: a level is a list of child pages and
// the separators between them (sep[i] sits between child[i] and child[i+1]); an interior page takes
// cells (child[i], sep[i]) for a run of i, its right-most pointer is the child of the first cell that
// did not fit, and that cell's separator moves up a level.
//   - table tree: leaves hold (rowid, record) cells; sep[i] is the largest rowid under child[i].
//   - index tree: every entry lives once in the tree, so the entry between two leaves is not in a
//     leaf at all: it is promoted into the interior page as the separator.
import {
  PAGE_INDEX_INTERIOR,
  PAGE_INDEX_LEAF,
  PAGE_TABLE_INTERIOR,
  PAGE_TABLE_LEAF,
  HEADER_SIZE,
  encodeVarint,
  localPayloadSize,
} from './format';

/** The file being built, page by page; page 1 (header + sqlite_schema root) is reserved. */
export class PageFile {
  /** pages[n] is page n; index 0 is unused. */
  readonly pages: (Uint8Array | undefined)[] = [undefined, undefined];

  constructor(readonly pageSize: number) {}

  alloc(): number {
    this.pages.push(undefined);
    return this.pages.length - 1;
  }

  get pageCount(): number {
    return this.pages.length - 1;
  }

  /** The whole file; unwritten pages (there should be none) stay zero. */
  bytes(): Uint8Array {
    const out = new Uint8Array(this.pageCount * this.pageSize);
    for (let n = 1; n < this.pages.length; n++) {
      const p = this.pages[n];
      if (p) out.set(p, (n - 1) * this.pageSize);
    }
    return out;
  }
}

/** A cell takes its bytes (at least 4: SQLite never counts a cell as smaller) and a 2-byte pointer. */
function cellCost(cell: Uint8Array): number {
  return 2 + Math.max(4, cell.length);
}

function fits(cells: readonly Uint8Array[], headerSize: number, capacity: number): boolean {
  let used = headerSize;
  for (const c of cells) {
    used += cellCost(c);
    if (used > capacity) return false;
  }
  return true;
}

function capacityOf(file: PageFile, pageNo: number | null): number {
  return file.pageSize - (pageNo === 1 ? HEADER_SIZE : 0);
}

function writePage(file: PageFile, pageNo: number, type: number, cells: readonly Uint8Array[], right: number | null): void {
  const size = file.pageSize;
  const page = new Uint8Array(size);
  const view = new DataView(page.buffer);
  const hdr = pageNo === 1 ? HEADER_SIZE : 0;
  const headerSize = right === null ? 8 : 12;
  let content = size;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i]!;
    content -= Math.max(4, c.length);
    page.set(c, content);
    view.setUint16(hdr + headerSize + 2 * i, content);
  }
  // Invariant: callers checked with fits(), so the pointer array ends before the cell content.
  if (hdr + headerSize + 2 * cells.length > content) throw new Error(`sqlite-file: page ${pageNo} overfilled`);
  page[hdr] = type;
  view.setUint16(hdr + 3, cells.length);
  view.setUint16(hdr + 5, content === 65536 ? 0 : content);
  if (right !== null) view.setUint32(hdr + 8, right);
  file.pages[pageNo] = page;
}

/** Writes the part of `payload` past `local` to a chain of overflow pages; returns the first. */
function spill(file: PageFile, payload: Uint8Array, local: number): number {
  const chunk = file.pageSize - 4;
  const first = file.alloc();
  let pageNo = first;
  for (let at = local; at < payload.length; at += chunk) {
    const page = new Uint8Array(file.pageSize);
    const end = Math.min(payload.length, at + chunk);
    const next = end < payload.length ? file.alloc() : 0;
    new DataView(page.buffer).setUint32(0, next);
    page.set(payload.subarray(at, end), 4);
    file.pages[pageNo] = page;
    pageNo = next;
  }
  return first;
}

function concat(parts: readonly (readonly number[] | Uint8Array)[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function u32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

/** varint(P) [varint(rowid)] local-bytes [first overflow page]. */
function payloadCell(file: PageFile, payload: Uint8Array, rowid: number | bigint | null): Uint8Array {
  const usable = file.pageSize;
  const local = localPayloadSize(usable, payload.length, rowid !== null);
  const head = rowid === null ? encodeVarint(payload.length) : [...encodeVarint(payload.length), ...encodeVarint(rowid)];
  if (local === payload.length) return concat([head, payload]);
  return concat([head, payload.subarray(0, local), u32(spill(file, payload, local))]);
}

/**
 * Splits cells into pages of `capacity` (after a `headerSize` header) where the cell between two
 * pages is promoted (kept out of both). Each range is [start, end); promoted[k] = end of range k.
 * Invariant: no page is empty (the last one included), so every interior page has a cell.
 */
function splitPromoting(cells: readonly Uint8Array[], headerSize: number, capacity: number): { ranges: [number, number][]; promoted: number[] } {
  const ranges: [number, number][] = [];
  const promoted: number[] = [];
  let start = 0;
  let used = headerSize;
  let i = 0;
  while (i < cells.length) {
    const cost = cellCost(cells[i]!);
    if (used + cost <= capacity) {
      used += cost;
      i++;
      continue;
    }
    let sep = i;
    if (sep === cells.length - 1) sep = i - 1; // promoting the last cell would leave an empty page
    if (sep <= start) throw new Error('sqlite-file: a cell too large for its page');
    ranges.push([start, sep]);
    promoted.push(sep);
    start = sep + 1;
    i = start;
    used = headerSize;
  }
  ranges.push([start, cells.length]);
  return { ranges, promoted };
}

function buildInterior(file: PageFile, type: number, children: number[], seps: Uint8Array[], root: number | null): number {
  for (;;) {
    const cells = seps.map((s, i) => concat([u32(children[i]!), s]));
    if (fits(cells, 12, capacityOf(file, root))) {
      const pageNo = root ?? file.alloc();
      writePage(file, pageNo, type, cells, children[children.length - 1]!);
      return pageNo;
    }
    const { ranges, promoted } = splitPromoting(cells, 12, file.pageSize);
    const nextChildren: number[] = [];
    for (let k = 0; k < ranges.length; k++) {
      const [a, b] = ranges[k]!;
      const right = k < promoted.length ? children[b]! : children[children.length - 1]!;
      const pageNo = file.alloc();
      writePage(file, pageNo, type, cells.slice(a, b), right);
      nextChildren.push(pageNo);
    }
    seps = promoted.map((p) => seps[p]!);
    children = nextChildren;
  }
}

/**
 * A table b-tree from (rowid, record) pairs in ascending rowid order. `root` forces the root page
 * number (1 for sqlite_schema); otherwise it is allocated last. Returns the root page.
 */
export function buildTableTree(file: PageFile, rows: Iterable<readonly [number | bigint, Uint8Array]>, root: number | null = null): number {
  const cells: Uint8Array[] = [];
  const keys: (number | bigint)[] = [];
  for (const [rowid, record] of rows) {
    cells.push(payloadCell(file, record, rowid));
    keys.push(rowid);
  }
  if (fits(cells, 8, capacityOf(file, root))) {
    const pageNo = root ?? file.alloc();
    writePage(file, pageNo, PAGE_TABLE_LEAF, cells, null);
    return pageNo;
  }
  const children: number[] = [];
  const seps: Uint8Array[] = [];
  let start = 0;
  let used = 8;
  const flush = (end: number): void => {
    const pageNo = file.alloc();
    writePage(file, pageNo, PAGE_TABLE_LEAF, cells.slice(start, end), null);
    children.push(pageNo);
    seps.push(Uint8Array.from(encodeVarint(keys[end - 1]!)));
    start = end;
    used = 8;
  };
  for (let i = 0; i < cells.length; i++) {
    const cost = cellCost(cells[i]!);
    if (used + cost > file.pageSize) flush(i);
    used += cost;
  }
  flush(cells.length);
  seps.pop(); // the last leaf is the right-most child: no separator after it
  return buildInterior(file, PAGE_TABLE_INTERIOR, children, seps, root);
}

/** An index b-tree from records in index order. Returns the root page. */
export function buildIndexTree(file: PageFile, records: Iterable<Uint8Array>, root: number | null = null): number {
  const cells: Uint8Array[] = [];
  for (const record of records) cells.push(payloadCell(file, record, null));
  if (fits(cells, 8, capacityOf(file, root))) {
    const pageNo = root ?? file.alloc();
    writePage(file, pageNo, PAGE_INDEX_LEAF, cells, null);
    return pageNo;
  }
  const { ranges, promoted } = splitPromoting(cells, 8, file.pageSize);
  const children: number[] = [];
  for (const [a, b] of ranges) {
    const pageNo = file.alloc();
    writePage(file, pageNo, PAGE_INDEX_LEAF, cells.slice(a, b), null);
    children.push(pageNo);
  }
  return buildInterior(file, PAGE_INDEX_INTERIOR, children, promoted.map((p) => cells[p]!), root);
}
