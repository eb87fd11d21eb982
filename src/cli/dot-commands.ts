// Dot-commands: `.name arg...` lines, interpreted by the shell rather than the engine. Each entry
// has its usage line (shown by .help) and a function over the shell. Arguments split like
// sqlite3's: white space separates, '...' or "..." keep spaces.
import { readFileSync } from 'node:fs';
import { dumpDatabase } from './dump';
import { IMPORT_USAGE, importCsv } from './import';
import { isMode, MODES } from './modes';
import type { Shell } from './shell';
import { formatCheckpoint, formatStats } from './stats';

interface DotCommand {
  readonly usage: string;
  readonly help: string;
  /** Argument count accepted, [min, max]. */
  readonly args: readonly [number, number];
  /** May be asynchronous (.import, .backup): the shell awaits it before the next input. */
  readonly run: (shell: Shell, args: string[]) => void | Promise<void>;
}

function onOff(value: string): boolean {
  const v = value.toLowerCase();
  if (['on', 'yes', 'true', '1'].includes(v)) return true;
  if (['off', 'no', 'false', '0'].includes(v)) return false;
  throw new Error(`not a boolean value: "${value}". Assuming "no".`);
}

/** Names from a query in columns, column-major, as sqlite3's .tables does (80 characters wide). */
function inColumns(names: string[]): string {
  if (names.length === 0) return '';
  const width = Math.max(...names.map((n) => n.length));
  const perLine = Math.max(1, Math.floor(80 / (width + 2)));
  const lines = Math.ceil(names.length / perLine);
  let out = '';
  for (let i = 0; i < lines; i++) {
    for (let j = i; j < names.length; j += lines) out += (j < lines ? '' : '  ') + (names[j] ?? '').padEnd(width);
    out += '\n';
  }
  return out;
}

function names(shell: Shell, sql: string, pattern: string | undefined): string[] {
  const rows = shell.db.prepare(sql).pluck(true).all(pattern ?? '%') as unknown[];
  return rows.map(String);
}

const COMMANDS: Record<string, DotCommand> = {
  bail: {
    usage: '.bail on|off',
    help: 'Stop after hitting an error',
    args: [1, 1],
    run: (s, [v]) => void (s.settings.bail = onOff(v ?? '')),
  },
  backup: {
    usage: '.backup ?main? DIR',
    help: 'Write a consistent copy of the database to directory DIR',
    args: [1, 2],
    run: async (s, words) => {
      if (words.length === 2 && words[0] !== 'main') throw new Error(`unknown database ${words[0] ?? ''}`);
      const dir = words[words.length - 1] ?? '';
      const r = await s.db.backup(dir);
      s.out(`backup: ${r.totalPages} pages written to ${dir}\n`);
    },
  },
  changes: {
    usage: '.changes on|off',
    help: 'Show number of rows changed by SQL',
    args: [1, 1],
    run: (s, [v]) => void (s.settings.changes = onOff(v ?? '')),
  },
  checkpoint: {
    usage: '.checkpoint',
    help: 'Write a snapshot now and start a new log segment',
    args: [0, 0],
    run: (s) => s.out(formatCheckpoint(s.db.checkpoint())),
  },
  dump: {
    usage: '.dump ?TABLE?',
    help: 'Render the database (or tables matching the LIKE pattern TABLE) as SQL',
    args: [0, 1],
    run: (s, [table]) => dumpDatabase(s, table),
  },
  echo: {
    usage: '.echo on|off',
    help: 'Turn command echo on or off',
    args: [1, 1],
    run: (s, [v]) => void (s.settings.echo = onOff(v ?? '')),
  },
  exit: {
    usage: '.exit ?CODE?',
    help: 'Exit this program with return-code CODE',
    args: [0, 1],
    run: (s, [code]) => s.stop(code === undefined ? null : Number.parseInt(code, 10) || 0),
  },
  headers: {
    usage: '.headers on|off',
    help: 'Turn display of headers on or off',
    args: [1, 1],
    run: (s, [v]) => void (s.settings.headers = onOff(v ?? '')),
  },
  help: {
    usage: '.help',
    help: 'Show this message',
    args: [0, 1],
    run: (s) => s.out(helpText()),
  },
  import: {
    usage: IMPORT_USAGE,
    help: 'Import CSV data from FILE into TABLE (created from the header row if missing)',
    args: [2, 5],
    run: (s, args) => importCsv(s, args),
  },
  indexes: {
    usage: '.indexes ?TABLE?',
    help: 'Show names of indexes, of TABLE (a LIKE pattern) if given',
    args: [0, 1],
    run: (s, [table]) =>
      s.out(inColumns(names(s, "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name LIKE ? ORDER BY 1", table))),
  },
  mode: {
    usage: '.mode MODE ?TABLE?',
    help: `Set output mode: ${MODES.join(', ')} (TABLE: name for insert)`,
    args: [0, 2],
    run: (s, [mode, table]) => {
      if (mode === undefined) return s.out(`current output mode: ${s.settings.mode}\n`);
      if (!isMode(mode)) throw new Error(`mode should be one of: ${MODES.join(' ')}`);
      s.settings.mode = mode;
      s.settings.insertTable = table ?? 'table';
      s.settings.separator = null;
    },
  },
  nullvalue: {
    usage: '.nullvalue STRING',
    help: 'Use STRING in place of NULL values',
    args: [1, 1],
    run: (s, [v]) => void (s.settings.nullValue = v ?? ''),
  },
  once: {
    usage: '.once FILE',
    help: 'Output for the next SQL command only to FILE',
    args: [1, 1],
    run: (s, [file]) => s.output.redirect(file ?? '', true),
  },
  open: {
    usage: '.open ?--readonly? ?DIR?',
    help: 'Close this database and open DIR (none: a new in-memory database)',
    args: [0, 2],
    run: (s, args) => {
      const readonly = args[0] === '--readonly';
      const rest = readonly ? args.slice(1) : args;
      if (rest.length > 1 || rest.some((a) => a.startsWith('-'))) throw new Error('Usage: .open ?--readonly? ?DIR?');
      const dir = rest[0] === undefined || rest[0] === ':memory:' || rest[0].trim() === '' ? undefined : rest[0];
      if (readonly && dir === undefined) throw new Error('an in-memory database cannot be read-only');
      let db;
      try {
        db = s.env.open(dir, readonly);
      } catch (e) {
        throw new Error(`unable to open database "${dir ?? ''}": ${e instanceof Error ? e.message : String(e)}`);
      }
      s.replaceDatabase(db);
    },
  },
  output: {
    usage: '.output ?FILE?',
    help: 'Send output to FILE (none: back to standard output)',
    args: [0, 1],
    run: (s, [file]) => (file === undefined || file === 'stdout' ? s.output.reset() : s.output.redirect(file, false)),
  },
  print: {
    usage: '.print STRING...',
    help: 'Print literal STRING',
    args: [0, 1000],
    run: (s, words) => s.out(words.join(' ') + '\n'),
  },
  quit: {
    usage: '.quit',
    help: 'Exit this program',
    args: [0, 0],
    run: (s) => s.stop(null),
  },
  read: {
    usage: '.read FILE',
    help: 'Read input from FILE',
    args: [1, 1],
    run: (s, [file]) => {
      let text: string;
      try {
        text = readFileSync(file ?? '', 'utf8');
      } catch {
        throw new Error(`cannot open "${file ?? ''}"`);
      }
      return s.runText(text);
    },
  },
  schema: {
    usage: '.schema ?PATTERN?',
    help: 'Show the CREATE statements, of tables matching PATTERN (LIKE) if given',
    args: [0, 1],
    run: (s, [pattern]) => {
      const rows = names(
        s,
        "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND tbl_name LIKE ?",
        pattern,
      );
      s.out(rows.map((sql) => sql + ';\n').join(''));
    },
  },
  separator: {
    usage: '.separator SEP',
    help: 'Field separator for list and csv output and .import',
    args: [1, 1],
    run: (s, [sep]) => void (s.settings.separator = unescape(sep ?? '')),
  },
  show: {
    usage: '.show',
    help: 'Show the current values for various settings',
    args: [0, 0],
    run: (s) => {
      const st = s.settings;
      const q = (v: string): string => JSON.stringify(v);
      const pairs: [string, string][] = [
        ['echo', st.echo ? 'on' : 'off'],
        ['headers', s.showHeaders ? 'on' : 'off'],
        ['mode', st.mode],
        ['nullvalue', q(st.nullValue)],
        ['output', s.output.current ?? 'stdout'],
        ['separator', q(st.separator ?? (st.mode === 'csv' ? ',' : '|'))],
        ['timer', st.timer ? 'on' : 'off'],
        ['width', st.widths.join(' ')],
        ['database', s.db.memory ? ':memory:' : s.db.name],
      ];
      s.out(pairs.map(([k, v]) => `${k.padStart(12)}: ${v}\n`).join(''));
    },
  },
  stats: {
    usage: '.stats',
    help: 'Show memory, rows, log size, last checkpoint and recovery figures',
    args: [0, 1],
    run: (s) => s.out(formatStats(s.db.stats())),
  },
  tables: {
    usage: '.tables ?PATTERN?',
    help: 'List names of tables and views, matching PATTERN (LIKE) if given',
    args: [0, 1],
    run: (s, [pattern]) =>
      s.out(
        inColumns(
          names(
            s,
            "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name LIKE ? ORDER BY 1",
            pattern,
          ),
        ),
      ),
  },
  timer: {
    usage: '.timer on|off',
    help: 'Turn SQL timer on or off',
    args: [1, 1],
    run: (s, [v]) => void (s.settings.timer = onOff(v ?? '')),
  },
  width: {
    usage: '.width NUM1 NUM2 ...',
    help: 'Set minimum column widths for columnar output (negative: right-align; none: reset)',
    args: [0, 100],
    run: (s, words) => {
      const widths = words.map((w) => {
        if (!/^-?\d+$/.test(w)) throw new Error(`not a width: "${w}"`);
        return Number.parseInt(w, 10);
      });
      s.settings.widths = widths;
    },
  },
};
const ALIASES: Record<string, string> = { header: 'headers', index: 'indexes', indices: 'indexes' };

/** Every dot-command name (aliases included), for completion. */
export function dotCommandNames(): string[] {
  return [...Object.keys(COMMANDS), ...Object.keys(ALIASES)].sort();
}

/** `\t`, `\n`, `\\` in a .separator argument, as sqlite3 reads them. */
function unescape(s: string): string {
  return s.replace(/\\([tnr\\])/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r' })[c] ?? '\\');
}

function helpText(): string {
  const width = Math.max(...Object.values(COMMANDS).map((c) => c.usage.length));
  return Object.values(COMMANDS)
    .map((c) => `${c.usage.padEnd(width)}  ${c.help}\n`)
    .join('');
}

/** Splits a dot-command line into words: white space separates, quotes group. */
export function splitArguments(line: string): string[] {
  const words: string[] = [];
  const re = /\s*(?:'([^']*)'?|"((?:[^"\\]|\\.)*)"?|(\S+))/gy;
  for (let m = re.exec(line); m !== null && m[0] !== ''; m = re.exec(line)) {
    words.push(m[1] ?? (m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '')));
  }
  return words;
}

/** Runs one dot-command line; returns the promise of an asynchronous command (.import, .backup). */
export function runDotCommand(shell: Shell, line: string): void | Promise<void> {
  const [word = '', ...args] = splitArguments(line.slice(1));
  const name = ALIASES[word] ?? word;
  const command = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined || args.length < command.args[0] || args.length > command.args[1]) {
    if (command !== undefined) throw new Error(`Usage: ${command.usage}`);
    throw new Error(`unknown command or invalid arguments:  "${word}". Enter ".help" for help`);
  }
  return command.run(shell, args);
}
