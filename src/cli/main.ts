#!/usr/bin/env node
// Entry point of the `amberdb` command (package.json "bin"): wires run.ts to the process.
import { readFileSync } from 'node:fs';
import { isatty } from 'node:tty';
import { runCli } from './run';

// `amberdb < big.sql | head`: a closed pipe ends the output quietly, as for any Unix filter.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

runCli(
  process.argv.slice(2),
  { out: (s) => void process.stdout.write(s), err: (s) => void process.stderr.write(s) },
  {
    // isatty, not process.stdin.isTTY: touching process.stdin makes a pipe non-blocking, and
    // readFileSync(0) then fails with EAGAIN.
    stdinIsTty: isatty(0),
    stdoutIsTty: isatty(1),
    stderrIsTty: isatty(2),
    readStdin: () => readFileSync(0, 'utf8'),
  },
).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`amberdb: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 70;
  },
);
