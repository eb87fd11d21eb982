// An automatic checkpoint finishes off the event loop (DurableEngine.finishAsync: pages fsynced,
// log made durable, trailer and MANIFEST.tmp fsynced, then one turn each for the snapshot rename,
// the MANIFEST switch and the cleanup). Whatever happens at any of those turns — db.checkpoint()
// taking the job over, close(), a kill — the directory reopens with every committed row.
import { MemoryFileSystem } from '../../src/durability/fs/memory-fs';
import type { Db } from './helpers';
import { dump, kill, openOn, tick, until, withoutLocks } from './helpers';

const ACTIONS = ['checkpoint', 'close', 'kill'] as const;

async function scenario(action: (typeof ACTIONS)[number], turns: number): Promise<string | null> {
  const mem = new MemoryFileSystem();
  const fs = withoutLocks(mem);
  const db: Db = openOn(fs, '/db', { checkpointIntervalMs: 1 });
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  const ins = db.prepare('INSERT INTO t (v) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 1500; i++) ins.run(`row ${i} ${'x'.repeat(i % 40)}`);
  })();
  const before = db.stats().checkpoint.count;
  await until(() => db.stats().checkpoint.running);
  for (let i = 0; i < turns; i++) {
    ins.run(`during ${i}`);
    await tick();
  }
  const finishedAlready = db.stats().checkpoint.count > before;
  if (action === 'checkpoint') {
    db.checkpoint();
    ins.run('after');
  }
  const expected = dump(db);
  if (action === 'kill') kill(db);
  else db.close();
  const again = openOn(fs, '/db');
  try {
    const got = dump(again);
    if (JSON.stringify(got) !== JSON.stringify(expected)) return `${action} after ${turns} turns: rows differ after reopen`;
    if (again.pragma('integrity_check', { simple: true }) !== 'ok') return `${action} after ${turns} turns: integrity_check failed`;
    // And it keeps working: one more checkpoint and reopen.
    again.exec("INSERT INTO t (v) VALUES ('next')");
    again.checkpoint();
  } finally {
    again.close();
  }
  const third = openOn(fs, '/db');
  const n = third.prepare("SELECT count(*) FROM t WHERE v = 'next'").pluck().get();
  third.close();
  if (n !== 1) return `${action} after ${turns} turns: the commit after reopen was lost`;
  return finishedAlready ? 'finished' : null;
}

test.each(ACTIONS)('%s at every turn of a running automatic checkpoint: every committed row survives', async (action) => {
  const problems: string[] = [];
  let sawFinish = false;
  for (let turns = 0; turns < 60; turns++) {
    const r = await scenario(action, turns);
    if (r === 'finished') {
      sawFinish = true;
      break; // later turns only repeat a finished checkpoint
    }
    if (r !== null) problems.push(r);
  }
  expect(problems).toEqual([]);
  expect(sawFinish).toBe(true);
}, 60_000);
