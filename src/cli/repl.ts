// The interactive loop: node's readline for line editing, the Shell for everything else.
// Prompt `amberdb> `, `   ...> ` while a statement is unfinished; Ctrl-C drops the current
// input, Ctrl-D (end of input) leaves; history persists in ~/.amberdb_history (newest last);
// Tab completes (completion.ts). Lines are handled one after another: a dot-command that awaits
// (.import, .backup) or a query still printing rows finishes before the next line typed or
// pasted runs, and Ctrl-C meanwhile stops it.
import { readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { complete } from './completion';
import type { Shell } from './shell';

const PROMPT = 'amberdb> ';
const CONTINUE = '   ...> ';
const HISTORY_SIZE = 1000;

export function historyFile(): string {
  return process.env.AMBERDB_HISTORY ?? join(homedir(), '.amberdb_history');
}

function loadHistory(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').slice(-HISTORY_SIZE).reverse();
  } catch {
    return [];
  }
}

/** Runs the REPL until Ctrl-D or .quit; resolves with the exit code. */
export function runRepl(shell: Shell, banner: string): Promise<number> {
  const file = historyFile();
  let history = loadHistory(file);
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: true,
    history,
    historySize: HISTORY_SIZE,
    removeHistoryDuplicates: true,
    completer: (line: string): [string[], string] => complete(shell, line),
  });
  rl.on('history', (h: string[]) => (history = h));
  process.stdout.write(banner);
  const prompt = (): void => {
    rl.setPrompt(shell.hasPending ? CONTINUE : PROMPT);
    rl.prompt();
  };
  // Lines run synchronously as readline delivers them, so the prompt and the output of each
  // appear in order even when several lines are pasted at once. Only an asynchronous dot-command
  // (.import, .backup) makes lines wait: those that arrive meanwhile queue behind it.
  const waiting: string[] = [];
  let busy: Promise<void> | null = null;
  const handle = (line: string): void => {
    if (busy !== null) {
      waiting.push(line);
      return;
    }
    if (shell.stopped) return;
    const running = shell.feedLine(line, 0);
    if (running === undefined) return afterLine();
    busy = running.then(() => {
      busy = null;
      afterLine();
      while (busy === null && waiting.length > 0) handle(waiting.shift() ?? '');
    });
  };
  let closed = false;
  const afterLine = (): void => {
    if (closed) return;
    if (shell.stopped) rl.close();
    else prompt();
  };
  return new Promise((resolve) => {
    rl.on('line', handle);
    rl.on('SIGINT', () => {
      if (busy !== null) {
        // An .import is running: stop it (it rolls back) and drop what was typed meanwhile.
        shell.interrupt();
        waiting.length = 0;
        process.stdout.write('^C\n');
        return;
      }
      // Like sqlite3: Ctrl-C abandons the statement being typed, not the shell.
      shell.cancelPending();
      rl.write(null, { ctrl: true, name: 'u' });
      process.stdout.write('^C\n');
      prompt();
    });
    rl.on('close', () => {
      closed = true;
      const finish = (): void => {
        if (!shell.stopped) process.stdout.write('\n');
        try {
          writeFileSync(file, [...history].reverse().join('\n') + '\n');
        } catch {
          // No writable home: history is a convenience, never a reason to fail.
        }
        resolve(shell.exitCode ?? 0); // interactive errors do not set the status, as in sqlite3
      };
      // Ctrl-D while an .import runs: leave once it has finished.
      if (busy === null) finish();
      else void busy.then(finish);
    });
    prompt();
  });
}
