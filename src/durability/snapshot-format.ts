// Snapshot file layout, shared by snapshot-writer.ts (which carries the full table) and
// snapshot-reader.ts. FROZEN (format version 1).
import type { SqlValue } from '../value/types';

export const SNAPSHOT_MAGIC = 'AMBERSNP';
export const TRAILER_MAGIC = 'AMBEREND';
export const SNAPSHOT_FORMAT_VERSION = 1;
export const DEFAULT_PAGE_SIZE = 64 * 1024;
export const MIN_PAGE_SIZE = 512;
export const MAX_PAGE_SIZE = 16 * 1024 * 1024;
export const PAGE_HEADER_SIZE = 24;
/** Fixed fields at the start of the header page's body: magic, version, page size, begin LSN. */
export const FILE_HEADER_SIZE = 24;

export const PAGE_HEADER = 1;
export const PAGE_DATA = 2;
export const PAGE_OVERFLOW = 3;
export const PAGE_TRAILER = 4;
/** Page flag: the page's last entry continues in the next page (an OVERFLOW page). */
export const FLAG_CONTINUES = 1;

export interface SnapshotTableMeta {
  readonly name: string;
  /** AUTOINCREMENT high-water mark (sqlite_sequence), if the table has one. */
  readonly sequence?: number | bigint;
}

/** The schema as of the snapshot's begin LSN. */
export interface SnapshotSchema {
  /**
   * CREATE statements, in an order that replays (tables before their indexes, views last), then the
   * database settings as PRAGMA statements (`PRAGMA user_version = 7`).
   */
  readonly ddl: readonly string[];
  /** Tables whose rows the snapshot holds; a row names its table by index in this list. */
  readonly tables: readonly SnapshotTableMeta[];
}

export interface SnapshotRow {
  readonly table: string;
  readonly rowid: number | bigint;
  readonly row: SqlValue[];
}

export function isValidPageSize(n: number): boolean {
  return Number.isInteger(n) && n >= MIN_PAGE_SIZE && n <= MAX_PAGE_SIZE && (n & (n - 1)) === 0;
}
