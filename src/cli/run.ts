// The amberdb command from start to exit status:
//   1. parse the arguments (args.ts);
//   2. open the database — a directory, or memory when none is given;
//   3. run the SQL of -c and the arguments, else standard input when it is not a terminal,
//      else the interactive REPL (repl.ts);
//   4. exit 1 when a statement or command failed (a script), or with `.exit CODE`.
// `amberdb check DIR` and `amberdb repair DIR OUT` are tools of their own (check.ts, repair.ts):
// a first word `check` or `repair` selects them (a database directory of that name: `./check`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from '../api/database';
import { EarlyExit, parseArguments } from './args';
import { runCheckCommand } from './check';
import { openWithProgress } from './progress';
import { runRepairCommand } from './repair';
import { runRepl } from './repl';
import { Shell, type ShellIo } from './shell';

/** The process around the shell; tests pass their own. */
export interface Terminal {
  readonly stdinIsTty: boolean;
  readonly stdoutIsTty: boolean;
  /** Standard error is a terminal: progress bars are drawn there (default false). */
  readonly stderrIsTty?: boolean;
  /** All of standard input (read only when it is not a terminal and no SQL was given). */
  readStdin(): string;
}

function packageVersion(): string {
  // src/cli and dist/cli both sit two levels below the package root.
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

export async function runCli(argv: readonly string[], io: ShellIo, terminal: Terminal): Promise<number> {
  const version = packageVersion();
  if (argv[0] === 'check') return runCheckCommand(argv.slice(1), version, io);
  if (argv[0] === 'repair') return runRepairCommand(argv.slice(1), version, io);
  let options;
  try {
    options = parseArguments(argv, version, io);
  } catch (e) {
    if (e instanceof EarlyExit) return e.code;
    throw e;
  }

  const progress = terminal.stderrIsTty === true;
  const open = (dir: string | undefined, readonly: boolean): Database =>
    dir === undefined ? new Database() : openWithProgress(dir, { readonly }, progress ? io.err : null);
  const dir = options.dir === undefined || options.dir === ':memory:' || options.dir.trim() === '' ? undefined : options.dir;
  let db: Database;
  try {
    db = open(dir, options.readonly);
  } catch (e) {
    io.err(`Error: unable to open database "${dir ?? ''}": ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }

  const interactive = options.commands.length === 0 && terminal.stdinIsTty;
  const shell = new Shell(
    db,
    {
      mode: options.mode ?? (terminal.stdoutIsTty ? 'box' : 'list'),
      headers: options.headers ?? null,
      nullValue: '',
      insertTable: 'table',
      timer: false,
      changes: false,
      bail: options.bail,
      widths: [],
      separator: null,
      echo: false,
    },
    io,
    interactive,
    { progress, open },
  );

  try {
    if (options.commands.length > 0) {
      for (const command of options.commands) {
        if (shell.stopped) break;
        // A word is one dot-command or one SQL text (which may hold several statements).
        await shell.runCommand(command);
      }
    } else if (interactive) {
      return await runRepl(shell, `AmberDB ${version}\nEnter ".help" for usage hints.\n`);
    } else {
      await shell.runText(terminal.readStdin());
    }
    return shell.exitCode ?? (shell.failed ? 1 : 0);
  } finally {
    shell.output.reset();
    shell.db.close();
  }
}
