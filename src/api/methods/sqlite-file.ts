// The bridges to real SQLite database files: exportSqlite(file) writes one (write-temp, fsync,
// rename), importSqlite(file) loads one into this database. The byte work lives in ../sqlite-file/.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { MemoryEngine } from '../../exec/engine';
import type { Store } from '../../storage/store';
import { AmberError } from '../../value/amber-error';
import type { Database } from '../database';
import { expectedArgument } from '../errors';
import type { DatabaseState } from '../state';
import { importSqliteBytes, type ImportResult } from '../sqlite-file/importer';
import { writeSqliteFile } from '../sqlite-file/writer';

export function storeOf(state: DatabaseState): Store {
  if (!(state.engine instanceof MemoryEngine)) throw new AmberError('this engine has no Store to read', 'SQLITE_ERROR');
  return state.engine.store;
}

function pragmaNumber(db: Database, name: string): number {
  const v = db.pragma(name, { simple: true });
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0;
}

/** The SQLite file image of the database as it is now. */
export function sqliteBytes(db: Database, state: DatabaseState): Uint8Array {
  state.requireOpen();
  state.requireNotBusy();
  return writeSqliteFile(storeOf(state), {
    userVersion: pragmaNumber(db, 'user_version'),
    applicationId: pragmaNumber(db, 'application_id'),
  });
}

export function exportSqlite(db: Database, state: DatabaseState, file: unknown): void {
  if (typeof file !== 'string') throw expectedArgument(0, 'a string');
  if (!file.trim() || file.trim() === ':memory:') throw new TypeError('Invalid export filename');
  const bytes = sqliteBytes(db, state);
  // A reader never sees half a file: write a temporary sibling, fsync it, rename it over `file`.
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fd = openSync(temp, 'w');
    try {
      let at = 0;
      while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (e) {
    if (existsSync(temp)) unlinkSync(temp);
    throw e;
  }
}

export function importSqlite(db: Database, state: DatabaseState, file: unknown): ImportResult {
  if (typeof file !== 'string') throw expectedArgument(0, 'a string');
  state.requireIdle();
  const bytes = readFileSync(file);
  // A WAL-mode file whose -wal still holds frames is not the whole database: refuse it.
  if (bytes.length >= 20 && (bytes[18] === 2 || bytes[19] === 2)) {
    const wal = `${file}-wal`;
    if (existsSync(wal) && statSync(wal).size > 0) {
      throw new AmberError(`cannot import ${file}: it is in WAL mode and its -wal file holds changes (checkpoint it first: PRAGMA wal_checkpoint(TRUNCATE))`, 'SQLITE_CANTOPEN');
    }
  }
  return importSqliteBytes(db, state, storeOf(state), bytes);
}
