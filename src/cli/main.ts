#!/usr/bin/env node
// Entry point of the `amberdb` command (package.json "bin"): wires run.ts to the process.
import { readFileSync } from 'node:fs';
import { runCli } from './run';

runCli(
  process.argv.slice(2),
  { out: (s) => void process.stdout.write(s), err: (s) => void process.stderr.write(s) },
  {
    stdinIsTty: process.stdin.isTTY === true,
    stdoutIsTty: process.stdout.isTTY === true,
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
