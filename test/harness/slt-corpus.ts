// Where the sqllogictest corpus lives and which files a run covers.
//
// In: environment variables. Out: the list of `.test` files (absolute path + label relative to the
// corpus folder, sorted) and the run options. Shared by the jest suites and scripts/slt-run.ts.
//
//   SLT_FILES        comma-separated substrings; only files whose label contains one of them run
//   SLT_MAX_RECORDS  records per file (after skipif/onlyif); 0 = the whole file
//   SLT_FILE_MS      time budget per file in milliseconds; 0 = none

import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const CORPUS_DIR = path.join(__dirname, '..', 'slt', 'files');

export interface CorpusFile {
  readonly path: string;
  readonly label: string;
}

export function listCorpus(dir = CORPUS_DIR): CorpusFile[] {
  const out: CorpusFile[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.test')) out.push({ path: p, label: path.relative(dir, p).split(path.sep).join('/') });
    }
  };
  walk(dir);
  return out.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

/** The corpus files selected by SLT_FILES (all when unset). */
export function selectCorpus(env: NodeJS.ProcessEnv = process.env): CorpusFile[] {
  const filter = (env.SLT_FILES ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  const all = listCorpus();
  return filter.length === 0 ? all : all.filter((f) => filter.some((s) => f.label.includes(s)));
}

/** A non-negative integer from the environment, or the default. */
export function envInt(name: string, dflt: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  return n;
}
