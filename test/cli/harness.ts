// Two ways to run the amberdb command in tests: in this process through runCli (fast: most
// golden scripts), and as a real child process from the TypeScript sources (stdin pipe, exit
// status, the REPL in a pseudo-terminal).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run';

export const REPO = join(__dirname, '..', '..');
export const MAIN = join(REPO, 'src', 'cli', 'main.ts');
/** The command that runs the CLI from source (no build needed). */
export const NODE_ARGS = ['-r', 'ts-node/register/transpile-only', MAIN];

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

export async function runInProcess(args: readonly string[], stdin = '', stdoutIsTty = false): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    args,
    { out: (s) => void (stdout += s), err: (s) => void (stderr += s) },
    { stdinIsTty: false, stdoutIsTty, readStdin: () => stdin },
  );
  return { stdout, stderr, code };
}

export function spawnCli(args: readonly string[], stdin = '', env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [...NODE_ARGS, ...args], {
    cwd: REPO,
    input: stdin,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}
