// The shell: lines of input -> dot-commands and SQL statements -> output. The same object
// serves a piped script, `-c` arguments, `.read` files and the interactive REPL, so they all
// behave alike (as in sqlite3):
//   - a line starting with `.` while no SQL is pending is a dot-command; `#` starts a comment line;
//   - other lines collect until the text is a complete statement (isComplete), then every
//     statement in it runs, one prepare at a time; an error skips the rest of that text;
//   - with bail set, the first error stops everything.
// Some work is asynchronous — .import streams its file, .backup awaits the engine, and in the REPL
// a query still printing rows after 50 ms yields so that Ctrl-C can stop it — so feedLine returns
// a promise for it and undefined otherwise: callers await what they get, and a long piped script
// is not slowed by a promise per line.
import type { Database } from '../api/database';
import { AmberError } from '../value/amber-error';
import { runDotCommand } from './dot-commands';
import { errorContext } from './error-context';
import { createFormatter, type Formatter, type Mode } from './modes';
import { OutputTarget } from './output';
import { isComplete, nextStatement, skipSpace } from './statements';
import type { CellValue } from './values';

export interface ShellIo {
  out(text: string): void;
  err(text: string): void;
}

export interface ShellSettings {
  mode: Mode;
  /** null: the mode decides (on for column, off for list and csv; box/table/markdown always show them). */
  headers: boolean | null;
  nullValue: string;
  insertTable: string;
  timer: boolean;
  changes: boolean;
  bail: boolean;
  /** `.width` figures for the columnar modes. */
  widths: number[];
  /** `.separator` (list and csv modes, and .import); null: the mode's own. */
  separator: string | null;
  /** `.echo on`: print each command before running it (scripts that show what they do). */
  echo: boolean;
}

/** What the shell knows of its surroundings. */
export interface ShellEnvironment {
  /** Standard error is a terminal: progress bars may be drawn there. */
  readonly progress: boolean;
  /** Opens a database for `.open` (run.ts decides the options). */
  readonly open: (dir: string | undefined, readonly: boolean) => Database;
}

export class Shell {
  /** Some statement or command failed (the exit status of a script). */
  failed = false;
  /** `.quit`/`.exit`, or an error under bail: read no more input. */
  stopped = false;
  /** Set by `.exit CODE` and bail; otherwise the status follows `failed`. */
  exitCode: number | null = null;
  private pending = '';
  private pendingLine = 0;
  private totalChanges = 0;
  private lastChanges = 0;
  /** Results go here (standard output unless .output/.once redirected them). */
  readonly output: OutputTarget;

  constructor(
    /** The open database; `.open` replaces it (closing the old one). */
    public db: Database,
    readonly settings: ShellSettings,
    readonly io: ShellIo,
    /** Interactive: errors say no line number. */
    readonly interactive: boolean,
    readonly env: ShellEnvironment = { progress: false, open: () => db },
  ) {
    this.output = new OutputTarget((text) => io.out(text));
  }

  /** Writes result text to the current output. */
  out(text: string): void {
    this.output.write(text);
  }

  /** SQL is waiting for more lines (the REPL shows its continuation prompt). */
  get hasPending(): boolean {
    return this.pending !== '';
  }

  /** Drops the pending SQL (Ctrl-C in the REPL). */
  cancelPending(): void {
    this.pending = '';
  }

  private interruptRequested = false;

  /**
   * Ctrl-C while an asynchronous dot-command runs: it stops at its next check (`.import` checks
   * between records and undoes what it did). A running SQL statement cannot be stopped: it holds
   * the event loop until it ends, so the key press is only read afterwards.
   */
  interrupt(): void {
    this.interruptRequested = true;
  }

  /** Throws when Ctrl-C was pressed since the command began (and forgets it). */
  checkInterrupt(): void {
    if (!this.interruptRequested) return;
    this.interruptRequested = false;
    throw new Error('interrupted');
  }

  /**
   * Feeds one line of input (without its line break); `lineNo` is 1-based, for error messages.
   * Returns a promise when the line started something asynchronous — a dot-command such as
   * .import, or in the REPL a query whose rows take a while — to await before the next line.
   */
  feedLine(line: string, lineNo: number): Promise<void> | undefined {
    if (this.stopped) return undefined;
    if (this.settings.echo) this.out(line + '\n');
    if (this.pending === '') {
      // As sqlite3: lines of only white space and comments are skipped while nothing is pending.
      if (skipSpace(line, 0) === line.length) return undefined;
      if (line.startsWith('.')) return this.dotCommand(line);
      if (line.startsWith('#')) return undefined;
      this.pendingLine = lineNo;
    }
    this.pending += line + '\n';
    if (line.includes(';') && isComplete(this.pending)) return this.flushPending();
    return undefined;
  }

  /** End of input: runs what is left even without its `;` (`echo 'select 1' | amberdb`). */
  finish(): void | Promise<void> {
    const rest = this.pending.trim() !== '' && !this.stopped;
    if (!rest) this.pending = '';
    return rest ? this.flushPending() : undefined;
  }

  /**
   * Runs a whole text (a script, a `.read` file, one `-c` argument) line by line. Synchronous
   * unless a line is an asynchronous dot-command: then the rest runs after it, and the returned
   * promise settles when the text is done.
   */
  runText(text: string): void | Promise<void> {
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const from = (start: number): void | Promise<void> => {
      for (let i = start; i < lines.length; i++) {
        const line = lines[i] ?? '';
        const running = this.feedLine(line.endsWith('\r') ? line.slice(0, -1) : line, i + 1);
        if (running !== undefined) return running.then(() => from(i + 1));
      }
      return this.finish();
    };
    return from(0);
  }

  /** Runs one `-c` word: a dot-command line, or an SQL text of any number of statements. */
  async runCommand(command: string): Promise<void> {
    if (command.startsWith('.')) await this.feedLine(command, 1);
    else {
      await this.runSql(command);
      this.output.commandDone();
    }
  }

  /** Replaces the database (`.open`): the old one is closed only once the new one opened. */
  replaceDatabase(db: Database): void {
    const old = this.db;
    this.db = db;
    this.totalChanges = 0;
    this.lastChanges = 0;
    old.close();
  }

  /** Whether headers show in the current mode. */
  get showHeaders(): boolean {
    const { mode, headers } = this.settings;
    if (mode === 'box' || mode === 'table' || mode === 'markdown') return true;
    return headers ?? mode === 'column';
  }

  reportError(e: unknown, sql?: string, lineNo?: number): void {
    this.failed = true;
    const message = e instanceof Error ? e.message : String(e);
    const where = lineNo !== undefined && !this.interactive ? `near line ${lineNo}: ` : '';
    let text = `Error: ${where}${message}\n`;
    if (sql !== undefined && e instanceof AmberError && e.position) text += errorContext(sql, e.position.offset);
    this.io.err(text);
    if (this.settings.bail) this.stop(1);
  }

  /** Reads no more input; `code` overrides the exit status (`.exit 3`), null keeps it (`.quit`). */
  stop(code: number | null): void {
    this.stopped = true;
    this.exitCode = code;
  }

  /** Runs a dot-command; a promise only when the command is asynchronous (.import, .backup). */
  private dotCommand(line: string): Promise<void> | undefined {
    let running: void | Promise<void>;
    this.interruptRequested = false;
    try {
      running = runDotCommand(this, line);
    } catch (e) {
      this.reportError(e);
      this.output.commandDone();
      return undefined;
    }
    if (running === undefined) {
      this.output.commandDone();
      return undefined;
    }
    return running.then(
      () => this.output.commandDone(),
      (e: unknown) => {
        this.reportError(e);
        this.output.commandDone();
      },
    );
  }

  private flushPending(): Promise<void> | undefined {
    const text = this.pending;
    const line = this.pendingLine;
    this.pending = '';
    this.interruptRequested = false;
    const running = this.runSql(text, line);
    if (running === undefined) {
      this.output.commandDone();
      return undefined;
    }
    return running.then(() => this.output.commandDone());
  }

  /**
   * Runs every statement of `text`; stops at the first error. `firstLine`: the line text starts on.
   * A promise only when a statement went asynchronous (a long query in the REPL, see pumpRows).
   */
  runSql(text: string, firstLine = 1): Promise<void> | undefined {
    let offset = 0;
    while (!this.stopped) {
      let span;
      try {
        span = nextStatement(text, offset);
      } catch (e) {
        // A syntax error: show the statement from its first token, the caret relative to it.
        const at = e instanceof AmberError && e.position ? e.position.offset : offset;
        const start = statementStart(text, offset, at);
        const shifted = e instanceof AmberError && e.position ? new AmberError(e.message, e.code, { ...e.position, offset: at - start }) : e;
        this.reportError(shifted, text.slice(start), firstLine + countLines(text, start));
        return undefined;
      }
      if (span === null) return undefined;
      const sql = text.slice(span.start, span.end);
      const ok = this.runStatement(sql, firstLine + countLines(text, span.start));
      offset = span.end;
      if (ok === false) return undefined;
      if (ok !== true) {
        const rest = offset;
        return ok.then((fine) => (fine ? this.runSql(text.slice(rest), firstLine + countLines(text, rest)) : undefined));
      }
    }
    return undefined;
  }

  /** Prepares and runs one statement, printing its rows. False when it failed. */
  private runStatement(sql: string, lineNo: number): boolean | Promise<boolean> {
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const out: string[] = [];
    const failed = (e: unknown): false => {
      this.out(out.join(''));
      this.reportError(e, sql, lineNo);
      return false;
    };
    const succeeded = (): true => {
      if (this.settings.changes) out.push(`changes: ${this.lastChanges}   total_changes: ${this.totalChanges}\n`);
      if (this.settings.timer) {
        const real = Number(process.hrtime.bigint() - started) / 1e9;
        const used = process.cpuUsage(cpu);
        out.push(`Run Time: real ${real.toFixed(3)} user ${(used.user / 1e6).toFixed(6)} sys ${(used.system / 1e6).toFixed(6)}\n`);
      }
      this.out(out.join(''));
      return true;
    };
    let running: Promise<void> | undefined;
    try {
      const stmt = this.db.prepare(sql);
      if (stmt.reader) {
        stmt.raw(true).safeIntegers(true);
        const columns = stmt.columns().map((c) => c.name);
        const formatter = createFormatter({ ...this.settings, headers: this.showHeaders });
        const rows = (stmt.iterate() as IterableIterator<CellValue[]>)[Symbol.iterator]();
        running = this.pumpRows(rows, columns, formatter, out);
      } else {
        const result = stmt.run();
        this.lastChanges = result.changes;
        this.totalChanges += result.changes;
      }
    } catch (e) {
      return failed(e);
    }
    return running === undefined ? succeeded() : running.then(succeeded, failed);
  }

  /**
   * Formats rows into `out`, writing it out every 512 pieces. In a script this runs to the end in
   * one go. In the REPL it gives the event loop a turn every 50 ms, so that Ctrl-C is read and
   * stops a query that prints and prints (`interrupted`); then it returns a promise. A query that
   * computes for long before its first row still holds the loop: the engine cannot be paused.
   */
  private pumpRows(rows: Iterator<CellValue[]>, columns: string[], formatter: Formatter, out: string[], begun = false): Promise<void> | undefined {
    const sliceStart = Date.now();
    let n = 0;
    for (let r = rows.next(); r.done !== true; r = rows.next()) {
      if (!begun) out.push(formatter.begin(columns));
      begun = true;
      out.push(formatter.row(r.value));
      if (out.length >= 512) this.out(out.splice(0).join(''));
      if (this.interactive && (++n & 255) === 0 && Date.now() - sliceStart > 50) {
        return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
          if (this.interruptRequested) {
            this.interruptRequested = false;
            rows.return?.();
            throw new Error('interrupted');
          }
          return this.pumpRows(rows, columns, formatter, out, true);
        });
      }
    }
    if (begun) out.push(formatter.end());
    return undefined;
  }
}

function countLines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Start of the statement holding a syntax error at `at`: the first token after `offset`, skipping empty `;`. */
function statementStart(text: string, offset: number, at: number): number {
  let i = skipSpace(text, offset);
  while (text[i] === ';' && i < at) i = skipSpace(text, i + 1);
  return Math.min(i, at);
}
