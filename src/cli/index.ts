// The `amberdb` command line (DESIGN §7). In: argv, standard input, a terminal. Out: rows in
// sqlite3's output modes, errors with their position marked, an exit status. It drives the
// engine through the public Database API, plus the SQL front end to find statement ends and
// durability/'s readers for `check`; it never writes a database's files itself.
//   main.ts (process) -> run.ts (open, choose input) -> shell.ts (lines, statements) ->
//   modes.ts / columnar.ts / values.ts (formatting), output.ts (.output/.once), dot-commands.ts
//   (import.ts, dump.ts, stats.ts), repl.ts (completion.ts), args.ts, progress.ts;
//   check.ts and repair.ts for `amberdb check|repair`.
export { runCli, type Terminal } from './run';
export { Shell, type ShellIo, type ShellSettings } from './shell';
