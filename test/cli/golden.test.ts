// Golden scripts: test/cli/golden/NAME.sql is fed to `amberdb` on standard input; NAME.out holds
// the expected standard output, then standard error and the exit status:
//
//   <stdout>
//   --- stderr
//   <stderr>
//   --- exit N
//
// A first line `-- args: ["--mode", "box"]` gives command-line arguments. The expectations were
// checked against sqlite3's shell where it has the same feature. To rewrite them after a change
// made on purpose: UPDATE_GOLDEN=1 npx jest test/cli/golden
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInProcess } from './harness';

const DIR = join(__dirname, 'golden');
const scripts = readdirSync(DIR).filter((f) => f.endsWith('.sql')).sort();

function argsOf(script: string): string[] {
  const m = /^-- args: (.*)\n/.exec(script);
  return m ? (JSON.parse(m[1] ?? '[]') as string[]) : [];
}

describe('golden scripts', () => {
  test.each(scripts)('%s', async (file) => {
    const script = readFileSync(join(DIR, file), 'utf8');
    const r = await runInProcess(argsOf(script), script);
    const actual = `${r.stdout}--- stderr\n${r.stderr}--- exit ${r.code}\n`;
    const expectedFile = join(DIR, file.replace(/\.sql$/, '.out'));
    if (process.env.UPDATE_GOLDEN) writeFileSync(expectedFile, actual);
    expect(actual).toBe(readFileSync(expectedFile, 'utf8'));
  });
});
