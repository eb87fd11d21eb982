// The `amberdb` command line (DESIGN §7). In: argv, standard input, a terminal. Out: rows in
// sqlite3's output modes, errors with their position marked, an exit status. It drives the
// engine only through the public Database API, plus the SQL front end to find statement ends.
//   main.ts (process) -> run.ts (open, choose input) -> shell.ts (lines, statements) ->
//   modes.ts / columnar.ts / values.ts (formatting), dot-commands.ts, repl.ts, args.ts
export { runCli, type Terminal } from './run';
export { Shell, type ShellIo, type ShellSettings } from './shell';
