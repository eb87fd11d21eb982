// Tab completion for the REPL (node readline's `completer`): the word before the cursor is
// completed from dot-command names (at the start of a line), from `table.` column names, from
// table names after FROM/JOIN/INTO/UPDATE/TABLE, or else from SQL keywords, table and view names
// and column names; after .read/.import/.open/.output/.once/.backup, file names. Keywords follow the case of what was typed
// (`sel` -> `select`, `SEL` -> `SELECT`). Names are read from the schema on every Tab, so a table
// created a moment ago completes.
import { readdirSync } from 'node:fs';
import { dotCommandNames } from './dot-commands';
import { MODES } from './modes';
import type { Shell } from './shell';
import { quoteIdentifier } from './values';

export const SQL_KEYWORDS: readonly string[] = (
  'ABORT ACTION ADD AFTER ALL ALTER ALWAYS ANALYZE AND AS ASC ATTACH AUTOINCREMENT BEFORE BEGIN BETWEEN BY CASCADE CASE CAST ' +
  'CHECK COLLATE COLUMN COMMIT CONFLICT CONSTRAINT CREATE CROSS CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP DATABASE DEFAULT ' +
  'DEFERRABLE DEFERRED DELETE DESC DETACH DISTINCT DO DROP EACH ELSE END ESCAPE EXCEPT EXCLUSIVE EXISTS EXPLAIN FAIL FILTER ' +
  'FIRST FOLLOWING FOR FOREIGN FROM FULL GENERATED GLOB GROUP HAVING IF IGNORE IMMEDIATE IN INDEX INDEXED INITIALLY INNER ' +
  'INSERT INSTEAD INTERSECT INTO IS ISNULL JOIN KEY LAST LEFT LIKE LIMIT MATCH MATERIALIZED NATURAL NO NOT NOTHING NOTNULL ' +
  'NULL NULLS OF OFFSET ON OR ORDER OUTER OVER PARTITION PLAN PRAGMA PRECEDING PRIMARY QUERY RAISE RANGE RECURSIVE REFERENCES ' +
  'REGEXP REINDEX RELEASE RENAME REPLACE RESTRICT RETURNING RIGHT ROLLBACK ROW ROWS SAVEPOINT SELECT SET TABLE TEMP TEMPORARY ' +
  'THEN TO TRANSACTION TRIGGER UNBOUNDED UNION UNIQUE UPDATE USING VACUUM VALUES VIEW VIRTUAL WHEN WHERE WINDOW WITH WITHOUT ' +
  'INTEGER REAL TEXT BLOB NUMERIC ' +
  'ABS AVG COALESCE COUNT GROUP_CONCAT HEX IFNULL INSTR JSON JSON_EXTRACT LENGTH LOWER LTRIM MAX MIN NULLIF PRINTF QUOTE ' +
  'RANDOM ROUND RTRIM SUBSTR SUM TOTAL TRIM TYPEOF UPPER'
).split(' ');

/** Keywords after which a table name comes. */
const TABLE_CONTEXT = new Set(['from', 'join', 'into', 'update', 'table']);

function tableNames(shell: Shell): string[] {
  try {
    const rows = shell.db
      .prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
      .pluck(true)
      .all() as unknown[];
    return rows.map(String);
  } catch {
    return [];
  }
}

function columnNames(shell: Shell, table: string): string[] {
  try {
    const rows = shell.db.pragma(`table_info(${quoteIdentifier(table)})`) as { name?: unknown }[];
    return rows.map((r) => String(r.name));
  } catch {
    return [];
  }
}

/** Entries of the directory part of `partial` that start with its last part; directories end in `/`. */
function pathCandidates(partial: string): string[] {
  const slash = partial.lastIndexOf('/');
  const dir = slash < 0 ? '.' : partial.slice(0, slash + 1) || '/';
  const head = slash < 0 ? '' : partial.slice(0, slash + 1);
  const prefix = partial.slice(slash + 1);
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.name.startsWith(prefix) && (prefix.startsWith('.') || !e.name.startsWith('.')))
      .map((e) => head + e.name + (e.isDirectory() ? '/' : ''))
      .sort();
  } catch {
    return [];
  }
}

const startsWithCi = (s: string, prefix: string): boolean => s.toLowerCase().startsWith(prefix.toLowerCase());

/** Completions of `line` (the text before the cursor): [candidates, the word they replace]. */
export function complete(shell: Shell, line: string): [string[], string] {
  if (shell.hasPending === false && /^\.\S*$/.test(line)) {
    const hits = dotCommandNames().map((n) => '.' + n).filter((n) => n.startsWith(line));
    return [hits, line];
  }
  if (line.startsWith('.') && !shell.hasPending) {
    // The file argument of the dot-commands that take one.
    const m = /^\.(?:read|import|open|output|once|backup)\s(?:.*\s)?(\S*)$/.exec(line);
    if (m) return [pathCandidates(m[1] ?? ''), m[1] ?? ''];
    const mode = /^\.mode\s+(\S*)$/.exec(line);
    if (mode) return [MODES.filter((n) => n.startsWith(mode[1] ?? '')), mode[1] ?? ''];
    const flag = /^\.(?:headers?|changes|timer|echo|bail)\s+(\S*)$/.exec(line);
    if (flag) return [['off', 'on'].filter((n) => n.startsWith(flag[1] ?? '')), flag[1] ?? ''];
    return [[], line];
  }
  const word = /[A-Za-z0-9_$.]*$/.exec(line)?.[0] ?? '';
  const dot = word.lastIndexOf('.');
  if (dot > 0) {
    const table = word.slice(0, dot);
    const prefix = word.slice(dot + 1);
    const real = tableNames(shell).find((t) => t.toLowerCase() === table.toLowerCase());
    const hits = real === undefined ? [] : columnNames(shell, real).filter((c) => startsWithCi(c, prefix)).map((c) => `${table}.${c}`);
    return [hits, word];
  }
  if (word === '') return [[], word];
  // Where only a table can stand (`FROM ord`), offer only tables: ORDER would be noise there.
  const before = /([A-Za-z_]+)\s+[A-Za-z0-9_$]*$/.exec(line)?.[1]?.toLowerCase();
  if (before !== undefined && TABLE_CONTEXT.has(before)) {
    return [tableNames(shell).filter((t) => startsWithCi(t, word)).sort(), word];
  }
  const lower = word === word.toLowerCase();
  const keywords = SQL_KEYWORDS.map((k) => (lower ? k.toLowerCase() : k));
  const tables = tableNames(shell);
  const columns = tables.flatMap((t) => columnNames(shell, t));
  const seen = new Set<string>();
  const hits: string[] = [];
  for (const c of [...tables, ...columns, ...keywords]) {
    if (!startsWithCi(c, word) || seen.has(c)) continue;
    seen.add(c);
    hits.push(c);
  }
  return [hits.sort(), word];
}
