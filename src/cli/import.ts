// `.import ?OPTIONS? FILE TABLE`: CSV rows into a table, as sqlite3 does it.
//   - The file is parsed by csv-parse (RFC 4180: quoted fields, `""`, line breaks inside quotes,
//     a BOM), streamed: a file larger than memory imports.
//   - Fields are separated by `,` or, in list mode for a file not named *.csv, by `|` (importDelimiter).
//   - TABLE missing: the first row names the columns, and the table is created with TEXT columns
//     (sqlite3's choice). TABLE present: every row is data (--skip 1 drops a header), inserted as
//     text so that the column affinity converts '42' to 42 in an INTEGER column.
//   - A short row is filled with NULL, a long one cut, each with a warning naming file and line;
//     a row the engine refuses is reported and skipped. Everything (the CREATE TABLE too) happens
//     inside one savepoint: a file csv-parse rejects part way changes nothing.
// A progress bar shows on a terminal while a large file imports.
import { createReadStream, statSync } from 'node:fs';
import { parse } from 'csv-parse';
import { ProgressBar } from './progress';
import type { Shell } from './shell';
import { quoteIdentifier } from './values';

// A savepoint rather than BEGIN: it also works inside a transaction the user opened, and a bad
// file (an unclosed quote on line 9000) rolls back to exactly the state before .import.
const SAVEPOINT = 'amberdb_import';

/**
 * The field separator: `,` with --csv, in csv mode, or for a file named *.csv; `|` otherwise
 * in list mode (sqlite3 takes list mode's separator); `,` in every other mode — box, the
 * interactive default, has no separator of its own to take.
 */
function importDelimiter(o: ImportOptions, mode: string): string {
  if (o.csv || mode === 'csv' || o.file.toLowerCase().endsWith('.csv')) return ',';
  return mode === 'list' ? '|' : ',';
}

export const IMPORT_USAGE = '.import ?--csv? ?--skip N? FILE TABLE';

interface ImportOptions {
  readonly file: string;
  readonly table: string;
  readonly csv: boolean;
  readonly skip: number;
}

function parseImportArguments(args: readonly string[]): ImportOptions {
  let csv = false;
  let skip = 0;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--csv') csv = true;
    else if (a === '--skip') {
      const n = Number(args[++i]);
      if (!Number.isInteger(n) || n < 0) throw new Error(`Usage: ${IMPORT_USAGE}`);
      skip = n;
    } else if (a.startsWith('-') && rest.length === 0) throw new Error(`unknown option: ${a}`);
    else rest.push(a);
  }
  const [file, table] = rest;
  if (rest.length !== 2 || file === undefined || table === undefined) throw new Error(`Usage: ${IMPORT_USAGE}`);
  return { file, table, csv, skip };
}

/** Column names from a header row: blanks become c1, c2...; repeats get _2, _3 (case-insensitive). */
export function headerColumns(row: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return row.map((raw, i) => {
    let name = raw.trim() === '' ? `c${i + 1}` : raw;
    const key = name.toLowerCase();
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n > 1) name = `${name}_${n}`;
    return name;
  });
}

export async function importCsv(shell: Shell, args: readonly string[]): Promise<void> {
  const o = parseImportArguments(args);
  let size: number;
  try {
    size = statSync(o.file).size;
  } catch {
    throw new Error(`cannot open "${o.file}"`);
  }
  const db = shell.db;
  const exists = db
    .prepare("SELECT 1 FROM sqlite_schema WHERE type IN ('table', 'view') AND name = ? COLLATE NOCASE")
    .pluck(true)
    .get(o.table);
  const table = quoteIdentifier(o.table);
  const delimiter = shell.settings.separator ?? importDelimiter(o, shell.settings.mode);
  const stream = createReadStream(o.file);
  const parser = stream.pipe(parse({ delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, info: true }));
  const bar = shell.env.progress ? new ProgressBar((t) => shell.io.err(t), `importing ${o.file}`, size) : null;
  const warn = (line: number, message: string): void => {
    bar?.done();
    shell.io.err(`${o.file}:${line}: ${message}\n`);
  };

  let insert: ReturnType<typeof db.prepare> | null = null;
  let columns = 0;
  let skip = o.skip;
  let began = false;
  let rows = 0;
  let failed = 0;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      shell.checkInterrupt();
      const { record } = item;
      const line = item.info.lines;
      if (skip > 0) {
        skip--;
        continue;
      }
      if (insert === null) {
        // Invariant: from here on every change is inside the savepoint, the CREATE TABLE too.
        db.exec(`SAVEPOINT ${SAVEPOINT}`);
        began = true;
        if (!exists) {
          const names = headerColumns(record);
          db.exec(`CREATE TABLE ${table}(${names.map((n) => `${quoteIdentifier(n)} TEXT`).join(', ')})`);
          columns = names.length;
          insert = prepareInsert(shell, table, columns);
          continue;
        }
        columns = (db.prepare(`SELECT * FROM ${table}`).columns() as unknown[]).length;
        insert = prepareInsert(shell, table, columns);
      }
      let values: (string | null)[] = record;
      if (record.length < columns) {
        warn(line, `expected ${columns} columns but found ${record.length} - filling the rest with NULL`);
        values = [...record, ...new Array<null>(columns - record.length).fill(null)];
      } else if (record.length > columns) {
        warn(line, `expected ${columns} columns but found ${record.length} - extras ignored`);
        values = record.slice(0, columns);
      }
      try {
        insert.run(values);
        rows++;
      } catch (e) {
        failed++;
        warn(line, `INSERT failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      if ((rows & 1023) === 0) bar?.update(stream.bytesRead);
    }
    if (began) db.exec(`RELEASE ${SAVEPOINT}`);
    began = false;
  } catch (e) {
    stream.destroy();
    if (began) {
      db.exec(`ROLLBACK TO ${SAVEPOINT}`);
      db.exec(`RELEASE ${SAVEPOINT}`);
    }
    const message = e instanceof Error ? e.message : String(e);
    // csv-parse's errors carry a code (CSV_QUOTE_NOT_CLOSED...) and say where.
    throw new Error(e instanceof Error && 'code' in e && String(e.code).startsWith('CSV_') ? `${o.file}: ${message}` : message);
  } finally {
    bar?.done();
  }
  if (failed > 0) throw new Error(`${o.file}: ${failed} row${failed === 1 ? '' : 's'} not imported, ${rows} imported`);
}

function prepareInsert(shell: Shell, table: string, columns: number): ReturnType<Shell['db']['prepare']> {
  if (columns === 0) throw new Error(`table ${table} has no columns`);
  return shell.db.prepare(`INSERT INTO ${table} VALUES(${new Array<string>(columns).fill('?').join(',')})`);
}
