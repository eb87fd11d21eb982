// Dot-commands: `.name arg...` lines, interpreted by the shell rather than the engine. Each entry
// has its usage line (shown by .help) and a function over the shell. Arguments split like
// sqlite3's: white space separates, '...' or "..." keep spaces.
import { readFileSync } from 'node:fs';
import { isMode, MODES } from './modes';
import type { Shell } from './shell';

interface DotCommand {
  readonly usage: string;
  readonly help: string;
  /** Argument count accepted, [min, max]. */
  readonly args: readonly [number, number];
  readonly run: (shell: Shell, args: string[]) => void;
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
  changes: {
    usage: '.changes on|off',
    help: 'Show number of rows changed by SQL',
    args: [1, 1],
    run: (s, [v]) => (s.settings.changes = onOff(v ?? '')),
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
    run: (s, [v]) => (s.settings.headers = onOff(v ?? '')),
  },
  help: {
    usage: '.help',
    help: 'Show this message',
    args: [0, 1],
    run: (s) => s.io.out(helpText()),
  },
  indexes: {
    usage: '.indexes ?TABLE?',
    help: 'Show names of indexes, of TABLE (a LIKE pattern) if given',
    args: [0, 1],
    run: (s, [table]) =>
      s.io.out(inColumns(names(s, "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name LIKE ? ORDER BY 1", table))),
  },
  mode: {
    usage: '.mode MODE ?TABLE?',
    help: `Set output mode: ${MODES.join(', ')} (TABLE: name for insert)`,
    args: [0, 2],
    run: (s, [mode, table]) => {
      if (mode === undefined) return s.io.out(`current output mode: ${s.settings.mode}\n`);
      if (!isMode(mode)) throw new Error(`mode should be one of: ${MODES.join(' ')}`);
      s.settings.mode = mode;
      s.settings.insertTable = table ?? 'table';
    },
  },
  nullvalue: {
    usage: '.nullvalue STRING',
    help: 'Use STRING in place of NULL values',
    args: [1, 1],
    run: (s, [v]) => (s.settings.nullValue = v ?? ''),
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
      s.runText(text);
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
      s.io.out(rows.map((sql) => sql + ';\n').join(''));
    },
  },
  tables: {
    usage: '.tables ?PATTERN?',
    help: 'List names of tables and views, matching PATTERN (LIKE) if given',
    args: [0, 1],
    run: (s, [pattern]) =>
      s.io.out(
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
    run: (s, [v]) => (s.settings.timer = onOff(v ?? '')),
  },
};
const ALIASES: Record<string, string> = { header: 'headers', index: 'indexes', indices: 'indexes' };

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

export function runDotCommand(shell: Shell, line: string): void {
  const [word = '', ...args] = splitArguments(line.slice(1));
  const name = ALIASES[word] ?? word;
  const command = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined || args.length < command.args[0] || args.length > command.args[1]) {
    if (command !== undefined) throw new Error(`Usage: ${command.usage}`);
    throw new Error(`unknown command or invalid arguments:  "${word}". Enter ".help" for help`);
  }
  command.run(shell, args);
}
