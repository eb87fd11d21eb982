// PRAGMA statements: the introspection ORMs rely on and a few settings. Unknown pragmas do
// nothing and return no rows, as in SQLite.
import { AmberError } from '../value/amber-error';
import { toInteger, toText } from '../value/convert';
import type { SqlValue } from '../value/types';
import type { PragmaStatement } from '../sql/ast';
import { foreignKeysOf } from './foreign-keys';
import type { CompileContext } from './compile-context';
import type { MemoryEngine, Program } from './engine';
import type { ResultColumnInfo } from './compiled-statement';

const settings = new WeakMap<MemoryEngine, Map<string, SqlValue>>();

function cols(names: string[]): ResultColumnInfo[] {
  return names.map((name) => ({ name, column: null, table: null, database: null, type: null }));
}

function argText(stmt: PragmaStatement): string | null {
  const v = stmt.value;
  if (v === null) return null;
  if (v.kind === 'column') return v.name;
  if (v.kind === 'string') return v.value;
  if (v.kind === 'number') return v.text;
  if (v.kind === 'bool') return v.value ? '1' : '0';
  if (v.kind === 'unary' && v.operand.kind === 'number') return `${v.op === '-' ? '-' : ''}${v.operand.text}`;
  throw new AmberError('syntax error in PRAGMA value');
}

function rowsProgram(names: string[], produce: () => SqlValue[][], writes = false): Program {
  return {
    reader: true,
    writes,
    columns: cols(names),
    execute: (each) => {
      for (const r of produce()) if (each && !each(r)) break;
      return 0;
    },
  };
}

function boolSetting(text: string): number {
  const t = text.toLowerCase();
  if (t === 'on' || t === 'true' || t === 'yes') return 1;
  if (t === 'off' || t === 'false' || t === 'no') return 0;
  const n = toInteger(text);
  return n ? 1 : 0;
}

export function compilePragma(engine: MemoryEngine, ctx: CompileContext | null, stmt: PragmaStatement): Program {
  const store = engine.store;
  let conf = settings.get(engine);
  if (!conf) settings.set(engine, (conf = new Map<string, SqlValue>([['user_version', 0], ['foreign_keys', 1], ['application_id', 0]])));
  const name = stmt.name.toLowerCase();
  const arg = argText(stmt);
  void ctx;
  switch (name) {
    case 'table_info':
    case 'table_xinfo': {
      const extra = name === 'table_xinfo';
      return rowsProgram(extra ? ['cid', 'name', 'type', 'notnull', 'dflt_value', 'pk', 'hidden'] : ['cid', 'name', 'type', 'notnull', 'dflt_value', 'pk'], () => {
        if (arg === null) return [];
        const t = store.getTable(arg);
        if (t) {
          // table_info leaves generated columns out; table_xinfo marks them hidden 2 (VIRTUAL) or 3 (STORED).
          return t.schema.columns.flatMap((c, i) => {
            if (c.generated && !extra) return [];
            const r: SqlValue[] = [i, c.name, reportedType(c.declType), c.notNull ? 1 : 0, c.defaultSql, c.pkPosition];
            if (extra) r.push(c.generated ? (c.generated.stored ? 3 : 2) : 0);
            return [r];
          });
        }
        const v = store.views.get(arg.toLowerCase());
        if (v) {
          const st = engine.prepare(`SELECT * FROM ${JSON.stringify(v.name)}`).statement!;
          return st.columns.map((c, i) => {
            const r: SqlValue[] = [i, c.name, reportedType(c.type ?? ''), 0, null, 0];
            if (extra) r.push(0);
            return r;
          });
        }
        return [];
      });
    }
    case 'index_list':
      return rowsProgram(['seq', 'name', 'unique', 'origin', 'partial'], () => {
        const t = arg === null ? undefined : store.getTable(arg);
        if (!t) return [];
        return [...t.indexes].reverse().map((idx, i) => [i, idx.name, idx.schema.unique ? 1 : 0, idx.schema.origin, idx.schema.whereSql ? 1 : 0]);
      });
    case 'index_info':
    case 'index_xinfo': {
      const extra = name === 'index_xinfo';
      return rowsProgram(extra ? ['seqno', 'cid', 'name', 'desc', 'coll', 'key'] : ['seqno', 'cid', 'name'], () => {
        const idx = arg === null ? undefined : store.indexes.get(arg.toLowerCase());
        if (!idx) return [];
        const t = store.getTable(idx.schema.table)!;
        const rows: SqlValue[][] = idx.schema.columns.map((c, i) => {
          const r: SqlValue[] = [i, c.column, c.column >= 0 ? t.schema.columns[c.column]!.name : null];
          if (extra) r.push(c.desc ? 1 : 0, c.collation, 1);
          return r;
        });
        if (extra) rows.push([rows.length, -1, null, 0, 'BINARY', 0]);
        return rows;
      });
    }
    case 'foreign_key_list':
      return rowsProgram(['id', 'seq', 'table', 'from', 'to', 'on_update', 'on_delete', 'match'], () => {
        const t = arg === null ? undefined : store.getTable(arg);
        if (!t) return [];
        // SQLite numbers the constraints last-declared first.
        const fks = foreignKeysOf(t.schema).slice().reverse();
        const rows: SqlValue[][] = [];
        fks.forEach((fk, id) => {
          fk.columns.forEach((c, seq) => {
            rows.push([id, seq, fk.parent, t.schema.columns[c]?.name ?? null, fk.parentColumns?.[seq] ?? null, fk.onUpdate, fk.onDelete, 'NONE']);
          });
        });
        return rows;
      });
    case 'integrity_check':
    case 'quick_check':
      return rowsProgram([name], () => {
        const problems: string[] = [];
        for (const t of store.tables.values()) {
          try {
            t.tree.check();
            for (const idx of t.indexes) {
              idx.tree.check();
              let n = 0;
              const cur = t.tree.cursor();
              for (let ok = cur.first(); ok; ok = cur.next()) {
                const k = idx.entryKey(cur.value(), cur.key());
                if (k === null) continue;
                n++;
                if (idx.tree.get(k) === undefined) problems.push(`row ${String(cur.key())} missing from index ${idx.name}`);
              }
              if (n !== idx.tree.size) problems.push(`wrong # of entries in index ${idx.name}`);
            }
          } catch (e) {
            problems.push(`${t.name}: ${(e as Error).message}`);
          }
        }
        return problems.length ? problems.map((p) => [p]) : [['ok']];
      });
    case 'journal_mode':
      return rowsProgram(['journal_mode'], () => [['memory']]);
    case 'wal_checkpoint':
      // No write-ahead log to checkpoint: SQLite's answer for a database not in WAL mode.
      return rowsProgram(['busy', 'log', 'checkpointed'], () => [[0, -1, -1]]);
    case 'database_list':
      return rowsProgram(['seq', 'name', 'file'], () => [[0, 'main', '']]);
    case 'user_version':
    case 'application_id':
    case 'foreign_keys':
    case 'recursive_triggers':
    case 'synchronous':
    case 'cache_size': {
      if (arg !== null) {
        const value = name === 'foreign_keys' || name === 'recursive_triggers' ? boolSetting(arg) : name === 'synchronous' ? levelSetting(arg) : (toInteger(arg) ?? 0);
        return {
          reader: false, writes: false, columns: [],
          execute: () => {
            // foreign_keys cannot change inside a transaction (SQLite ignores it there).
            if (name === 'foreign_keys') {
              if (store.inTransaction) return 0;
              engine.services.fk.enabled = value === 1;
            }
            if (name === 'user_version' || name === 'application_id') {
              // Stored in the database (SQLite's header): transactional, and persisted by logging
              // the statement that sets it (replayed by recovery; snapshots hold it via
              // persistentSettingsSql). SQLite keeps a 32-bit signed integer, 0 when out of range.
              const v = typeof value === 'number' && value === (value | 0) ? value : 0;
              const before = conf!.get(name) ?? 0;
              store.settingChanged(`PRAGMA ${name} = ${v}`, () => conf!.set(name, before)); // throws if read-only
              conf!.set(name, v);
              return 0;
            }
            conf!.set(name, value);
            return 0;
          },
        };
      }
      // SQLite's defaults as better-sqlite3 builds it: synchronous FULL, a 16000 KiB cache.
      return rowsProgram([name], () => [[conf!.get(name) ?? (name === 'synchronous' ? 2 : name === 'cache_size' ? -16000 : 0)]]);
    }
    default: {
      // Settings with no effect here, answered as SQLite answers them (apps and tools read them).
      const reported = REPORTED.get(name);
      if (reported === undefined) break;
      if (arg !== null) {
        const value = reported.parse ? reported.parse(arg) : null;
        return {
          reader: reported.echo === true, writes: false, columns: reported.echo ? cols([reported.column ?? name]) : [],
          execute: (each) => {
            if (value !== null) conf!.set(name, value);
            if (reported.echo && each) each([conf!.get(name) ?? reported.value]);
            return 0;
          },
        };
      }
      return rowsProgram([reported.column ?? name], () => [[conf!.get(name) ?? reported.value]]);
    }
  }
  void toText;
  return { reader: false, writes: false, columns: [], execute: () => 0 };
}

/** `PRAGMA synchronous = NORMAL`: SQLite's level names or a number. */
function levelSetting(text: string): number {
  const i = ['off', 'normal', 'full', 'extra'].indexOf(text.toLowerCase());
  return i >= 0 ? i : (toInteger(text) ?? 0) as number;
}

interface Reported {
  /** The value before any assignment. */
  readonly value: SqlValue;
  /** The result column, when it is not the pragma's name (busy_timeout answers `timeout`). */
  readonly column?: string;
  /** How an assignment is read; absent: assignments are accepted and ignored. */
  readonly parse?: (text: string) => SqlValue;
  /** An assignment answers with the new value (busy_timeout does). */
  readonly echo?: boolean;
}

const integer = (text: string): SqlValue => toInteger(text) ?? 0;
const REPORTED = new Map<string, Reported>([
  ['busy_timeout', { value: 5000, column: 'timeout', parse: integer, echo: true }],
  ['page_size', { value: 4096 }],
  ['encoding', { value: 'UTF-8' }],
  ['legacy_alter_table', { value: 0, parse: boolSetting }],
  ['temp_store', { value: 0, parse: (t) => { const i = ['default', 'file', 'memory'].indexOf(t.toLowerCase()); return i >= 0 ? i : integer(t); } }],
  ['auto_vacuum', { value: 0 }],
  ['locking_mode', { value: 'normal' }],
  ['secure_delete', { value: 0, parse: boolSetting }],
  ['automatic_index', { value: 1, parse: boolSetting }],
  ['journal_size_limit', { value: -1 }],
  ['wal_autocheckpoint', { value: 1000, parse: integer }],
  ['read_uncommitted', { value: 0, parse: boolSetting }],
  ['cell_size_check', { value: 0, parse: boolSetting }],
  ['trusted_schema', { value: 1, parse: boolSetting }],
]);

/**
 * The settings stored in the database (not in the connection), as the statements that restore
 * them: what a snapshot keeps next to the schema. Settings at their default are left out.
 */
export function persistentSettingsSql(engine: MemoryEngine): string[] {
  const conf = settings.get(engine);
  const out: string[] = [];
  for (const name of ['user_version', 'application_id']) {
    const v = conf?.get(name) ?? 0;
    if (v !== 0) out.push(`PRAGMA ${name} = ${String(v)}`);
  }
  return out;
}

/** The table-valued form: `SELECT * FROM pragma_table_info('t')`. Null for pragmas without rows. */
export function pragmaRows(engine: MemoryEngine, name: string, arg: SqlValue | null): { columns: string[]; rows: SqlValue[][] } | null {
  const loc = { start: 0, end: 0, line: 1, column: 1 };
  const value: PragmaStatement['value'] = arg === null ? null : { kind: 'string', value: toText(arg) ?? '', loc };
  const stmt: PragmaStatement = { kind: 'pragma', schema: null, name, value, loc };
  const program = compilePragma(engine, null, stmt);
  if (!program.reader) return null;
  const rows: SqlValue[][] = [];
  program.execute((r) => { rows.push(r); return true; });
  return { columns: program.columns.map((c) => c.name), rows };
}

/** SQLite reports its standard type names (ANY, BLOB, INT, INTEGER, REAL, TEXT) in upper case. */
function reportedType(declType: string): string {
  const upper = declType.toUpperCase();
  return upper === 'ANY' || upper === 'BLOB' || upper === 'INT' || upper === 'INTEGER' || upper === 'REAL' || upper === 'TEXT' ? upper : declType;
}
