// `amberdb repair DIR OUT`: salvages a damaged database into a new directory, leaving DIR as it
// was. DIR is checked (check.ts) to name the damage, then opened read-only with
// `recovery: 'salvage'` — bad snapshot pages are skipped with the rows they held, the log is
// replayed up to its first damage — and that state is written to OUT with db.backup(), an
// ordinary database directory, which is then opened once more to prove it reads cleanly.
// Exit status: 0 OUT written and nothing was lost, 1 OUT written but data was dropped (listed),
// 2 nothing written (DIR unreadable, OUT already a database, the snapshot header unreadable).
import { resolve } from 'node:path';
import { Command } from 'commander';
import { Database } from '../api/database';
import { parseToolArguments } from './args';
import { checkDirectory, formatReport } from './check';
import type { ShellIo } from './shell';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export async function repairDirectory(dirGiven: string, outGiven: string, io: ShellIo): Promise<number> {
  const dir = resolve(dirGiven);
  const out = resolve(outGiven);
  io.out(`amberdb repair ${dir} -> ${out}\n`);
  if (dir === out) {
    io.err('Error: OUT must be a new directory, not DIR itself\n');
    return 2;
  }
  const report = checkDirectory(dir, { replay: false });
  io.out(formatReport(report, 'found:'));
  if (report.status === 2) {
    io.err('Error: nothing to repair from\n');
    return 2;
  }

  let db: Database;
  try {
    db = new Database(dir, { readonly: true, fileMustExist: true, recovery: 'salvage' });
  } catch (e) {
    io.err(`Error: cannot salvage ${dirGiven}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  let kept: string;
  const dropped: string[] = [];
  try {
    const stats = db.stats();
    const r = stats.recovery;
    const tables = Object.entries(stats.tables);
    kept = `${plural(stats.rows, 'row')} in ${plural(tables.length, 'table')}${tables.length > 0 ? ` (${tables.map(([t, n]) => `${t} ${n}`).join(', ')})` : ''}, up to LSN ${r?.lastLsn ?? 0}`;
    for (const line of report.lines) {
      if (line.state !== 'damage') continue;
      if (line.subject.startsWith('snap/')) dropped.push(`${line.subject} ${line.text}: the rows stored there`);
    }
    if (r?.dropped != null) {
      dropped.push(`log segment ${r.dropped.segment} from offset ${r.dropped.offset} on (${r.dropped.reason}): every transaction after LSN ${r.lastLsn}`);
    }
    if (r?.tornTail != null) {
      io.out(`note:    torn tail in log segment ${r.tornTail.segment} at offset ${r.tornTail.offset} left out (never acknowledged)\n`);
    }
    await db.backup(out);
  } catch (e) {
    io.err(`Error: cannot write ${outGiven}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  } finally {
    db.close();
  }

  // Prove the copy opens as an ordinary database.
  try {
    const copy = new Database(out, { readonly: true, fileMustExist: true });
    const rows = copy.stats().rows;
    const ok = copy.prepare('PRAGMA integrity_check').pluck(true).get();
    copy.close();
    io.out(`kept:    ${kept}\n`);
    for (const d of dropped) io.out(`dropped: ${d}\n`);
    io.out(`wrote:   ${out} (opens cleanly: ${plural(rows, 'row')}, integrity_check ${String(ok)})\n`);
  } catch (e) {
    io.err(`Error: the repaired copy does not open: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  return dropped.length > 0 || report.status !== 0 ? 1 : 0;
}

/** `amberdb repair DIR OUT` */
export async function runRepairCommand(argv: readonly string[], version: string, io: ShellIo): Promise<number> {
  const program = new Command('amberdb repair')
    .description(
      'Salvage what verifies in DIR into the new directory OUT (DIR is not changed)\n' +
        'exit status: 0 nothing lost, 1 written with losses (listed), 2 nothing written',
    )
    .argument('<DIR>', 'damaged database directory')
    .argument('<OUT>', 'new directory to write');
  const early = parseToolArguments(program, argv, version, io);
  if (early !== null) return early;
  const [dir = '', out = ''] = program.processedArgs as [string, string];
  return repairDirectory(dir, out, io);
}
