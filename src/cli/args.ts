// Command-line arguments -> CliOptions, through commander. `amberdb [DIR] [SQL...]`: the first
// word is always the database (as sqlite3's first word is its file; '' or ':memory:' for memory),
// every further word is SQL or a dot-command, run in order like `-c`.
import { Command, Option } from 'commander';
import { isMode, MODES, type Mode } from './modes';

export interface CliOptions {
  readonly dir: string | undefined;
  /** SQL texts and dot-command lines from -c and the positional words, in order. */
  readonly commands: readonly string[];
  readonly bail: boolean;
  readonly mode: Mode | undefined;
  readonly headers: boolean | undefined;
  readonly readonly: boolean;
}

export interface ParseIo {
  out(text: string): void;
  err(text: string): void;
}

/** Thrown for --help, --version and usage errors: print nothing more, exit with `code`. */
export class EarlyExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/**
 * Parses the arguments of a tool subcommand (`amberdb check`, `amberdb repair`): output through
 * `io`; --help and --version end it with their own exit code, a usage error with 2 (exit codes 0
 * and 1 mean what the tool found). Returns the exit code to end with, or null to go on.
 */
export function parseToolArguments(program: Command, argv: readonly string[], version: string, io: ParseIo): number | null {
  program
    .version(version, '--version')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride((e) => {
      throw new EarlyExit(e.exitCode === 1 ? 2 : e.exitCode);
    });
  try {
    program.parse(argv as string[], { from: 'user' });
    return null;
  } catch (e) {
    if (e instanceof EarlyExit) return e.code;
    throw e;
  }
}

export function parseArguments(argv: readonly string[], version: string, io: ParseIo): CliOptions {
  const program = new Command('amberdb')
    .description('AmberDB shell: run SQL against a database directory (or memory), like sqlite3')
    .argument('[DIR]', "database directory ('' or :memory: for an in-memory database)")
    .argument('[SQL...]', 'SQL statements or dot-commands to run, then exit')
    .option('-c, --cmd <SQL>', 'run SQL or a dot-command (repeatable; no standard input is read)', collect)
    .option('--bail', 'stop at the first error')
    .addOption(new Option('--mode <MODE>', 'output mode').choices(MODES))
    .addOption(new Option('--json', 'same as --mode json').conflicts(['mode', 'csv']))
    .addOption(new Option('--csv', 'same as --mode csv').conflicts(['mode']))
    .option('--header', 'show column names')
    .option('--no-header', 'hide column names')
    .option('--readonly', 'open the database read-only')
    .addHelpText(
      'after',
      '\nAlso:\n  amberdb check DIR       verify every snapshot page and log frame, read-only (exit 1 on damage)\n' +
        '  amberdb repair DIR OUT  salvage what verifies in DIR into the new directory OUT\n' +
        '\nIn the shell, .help lists the dot-commands.\n',
    );
  for (const m of MODES) if (m !== 'json' && m !== 'csv') program.option(`--${m}`, `same as --mode ${m}`);
  program
    .version(version, '--version')
    .helpOption('-h, --help')
    .showHelpAfterError('(run amberdb --help for usage)')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride((e) => {
      throw new EarlyExit(e.exitCode);
    });
  program.parse(argv as string[], { from: 'user' });
  const opts = program.opts<{ cmd?: string[]; bail?: boolean; mode?: string; json?: boolean; csv?: boolean; header?: boolean; readonly?: boolean }>();
  const [dir, sql] = program.processedArgs as [string | undefined, string[] | undefined];
  const flagged = MODES.filter((m) => m !== 'json' && m !== 'csv' && (opts as Record<string, unknown>)[m] === true);
  if (flagged.length + (opts.json ? 1 : 0) + (opts.csv ? 1 : 0) + (opts.mode !== undefined ? 1 : 0) > 1) {
    io.err('error: choose one output mode\n(run amberdb --help for usage)\n');
    throw new EarlyExit(1);
  }
  const mode = opts.json ? 'json' : opts.csv ? 'csv' : (flagged[0] ?? opts.mode);
  return {
    dir,
    commands: [...(opts.cmd ?? []), ...(sql ?? [])],
    bail: opts.bail === true,
    mode: mode !== undefined && isMode(mode) ? mode : undefined,
    headers: opts.header,
    readonly: opts.readonly === true,
  };
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
