// An automatic checkpoint fsyncs its directories off the event loop (FileSystem.syncDirAsync):
// log/ after the next segment is prepared (before it begins), then at its end snap/ after the
// snapshot's rename, the database directory after MANIFEST's, log/ and snap/ after the old files
// are removed. Rules, each with a power loss while
// that fsync is still in flight:
//   - no MANIFEST names the snapshot before the snapshot's rename is durable;
//   - nothing the old MANIFEST named is removed before the new MANIFEST's rename is durable;
//   - db.checkpoint() taking the job over while one of them is in flight fsyncs synchronously
//     what it relies on.
// A memory file system whose syncDirAsync is held until the test releases it (then it makes the
// directory durable, as syncDir does); the power goes out with every held one still pending.
import { MemoryFileSystem } from '../../src/durability/fs/memory-fs';
import type { FileSystem } from '../../src/durability/fs/file-system';
import type { Db } from './helpers';
import { dump, kill, openOn, tick, until, withoutLocks } from './helpers';

interface Held {
  readonly path: string;
  release(): void;
}

function heldDirSyncs(mem: MemoryFileSystem): { fs: FileSystem; held: Held[] } {
  const held: Held[] = [];
  const base = withoutLocks(mem);
  const fs = new Proxy(base, {
    get(target, prop, receiver) {
      if (prop === 'syncDirAsync') {
        return (path: string): Promise<void> =>
          new Promise<void>((resolve) => {
            held.push({
              path,
              release: () => {
                mem.syncDir(path);
                resolve();
              },
            });
          });
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  return { fs, held };
}

const ACTIONS = ['power-loss', 'checkpoint-then-power-loss'] as const;

/** Power loss while the `k`-th held directory fsync is in flight; null if the checkpoint had fewer. */
async function scenario(action: (typeof ACTIONS)[number], k: number): Promise<string | null | 'finished'> {
  const mem = new MemoryFileSystem();
  const { fs, held } = heldDirSyncs(mem);
  const db: Db = openOn(fs, '/db', { checkpointIntervalMs: 1 });
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  const ins = db.prepare('INSERT INTO t (v) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 800; i++) ins.run(`row ${i} ${'x'.repeat(i % 30)}`);
  })();
  // A first checkpoint so that the one under test has an old snapshot and old segments to remove.
  db.checkpoint();
  ins.run('after the first checkpoint');
  const before = db.stats().checkpoint.count;
  // The held directory fsyncs, in order: log/ for the next segment, prepared before the checkpoint
  // begins (RedoLog.prepareNextSegment); then those of the checkpoint's end.
  let released = 0;
  for (;;) {
    await until(() => held.length > released || (db.stats().checkpoint.count > before && !db.stats().checkpoint.running));
    if (held.length === released) {
      kill(db);
      return 'finished';
    }
    if (released === k) break;
    held[released++]!.release();
  }
  if (action === 'checkpoint-then-power-loss') {
    db.checkpoint();
    ins.run('after the takeover');
  }
  const expected = dump(db); // every commit above was fsynced ('commit' durability)
  kill(db);
  mem.crash();
  let again: Db;
  try {
    again = openOn(withoutLocks(mem), '/db');
  } catch (e) {
    return `${action} at held dir fsync ${k} (${held[k]!.path}): reopen failed: ${(e as Error).message}`;
  }
  try {
    if (JSON.stringify(dump(again)) !== JSON.stringify(expected)) return `${action} at held dir fsync ${k}: rows differ after reopen`;
    if (again.pragma('integrity_check', { simple: true }) !== 'ok') return `${action} at held dir fsync ${k}: integrity_check failed`;
  } finally {
    again.close();
  }
  return null;
}

test.each(ACTIONS)('%s while each directory fsync of a checkpoint is in flight: every committed row survives', async (action) => {
  const problems: string[] = [];
  let k = 0;
  for (; k < 10; k++) {
    const r = await scenario(action, k);
    if (r === 'finished') break;
    if (r !== null) problems.push(r);
  }
  expect(problems).toEqual([]);
  expect(k).toBeGreaterThanOrEqual(3); // snap/, the database directory, log/ (and snap/ again)
  await tick();
});
