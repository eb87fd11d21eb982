// `amberdb check DIR` and `amberdb repair DIR OUT` on real directories: clean, with a flipped
// byte in a snapshot page, with a flipped byte in a log frame followed by valid frames, and with
// a damaged last frame (a torn tail, which is not damage). check never changes a file.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../../src/api/database';
import { NodeFileSystem } from '../../src/durability/fs/node-fs';
import { LogWriter } from '../../src/durability/log-writer';
import { framesEnd } from '../persistence/helpers';
import { runInProcess } from './harness';

/** A directory with a snapshot of 100 rows (table a) and 3 later commits in the log (table b). */
function makeDatabase(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'amberdb-check-')), 'db');
  const db = new Database(dir);
  db.exec('CREATE TABLE a(id INTEGER PRIMARY KEY, v TEXT)');
  const ins = db.prepare('INSERT INTO a VALUES (?, ?)');
  db.transaction(() => {
    for (let i = 1; i <= 100; i++) ins.run(i, `row ${i}`);
  })();
  db.checkpoint();
  db.exec('CREATE TABLE b(x)');
  for (let i = 1; i <= 3; i++) db.exec(`INSERT INTO b VALUES (${i})`);
  db.close();
  return dir;
}

function only(dir: string, sub: string): string {
  const names = readdirSync(join(dir, sub)).filter((n) => !n.startsWith('.'));
  expect(names).toHaveLength(1);
  return join(dir, sub, names[0] ?? '');
}

function flipByte(file: string, offset: number): void {
  const bytes = readFileSync(file);
  bytes[offset] = (bytes[offset] ?? 0) ^ 0xff;
  writeFileSync(file, bytes);
}

function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[p] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

describe('amberdb check', () => {
  test('a segment prepared ahead of a rotation (a kill before the checkpoint began) is reported as holding nothing: exit 0', async () => {
    const dir = makeDatabase();
    const last = readdirSync(join(dir, 'log')).filter((n) => n.endsWith('.log')).sort().pop()!;
    const { prepared, durable } = LogWriter.prepare(new NodeFileSystem(), dir, Number(last.slice(0, 8)) + 1);
    await durable;
    prepared.release();
    const before = fingerprint(dir);
    const r = await runInProcess(['check', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}log\/\d+\.log +ok +prepared ahead of the next rotation, holds nothing, 64\.0 KiB$/m);
    expect(r.stdout).toMatch(/^result: ok$/m);
    expect(fingerprint(dir)).toEqual(before);
  });

  test('a clean directory: every file ok, recovery ok, exit 0, nothing changed', async () => {
    const dir = makeDatabase();
    const before = fingerprint(dir);
    const r = await runInProcess(['check', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}MANIFEST +ok +snapshot \d+\.snap, log from \d+\.log$/m);
    expect(r.stdout).toMatch(/^ {2}snap\/\d+\.snap +ok +\d+ pages of .* verified, 100 rows, begin LSN \d+$/m);
    expect(r.stdout).toMatch(/^ {2}log\/\d+\.log +ok +4 transactions \(LSN \d+-\d+\), .*, every frame verified$/m);
    expect(r.stdout).toMatch(/^ {2}recovery +ok +read-only open: 103 rows in 2 tables; integrity_check ok$/m);
    expect(r.stdout.endsWith('result: ok\n')).toBe(true);
    expect(fingerprint(dir)).toEqual(before);
  });

  test('a flipped byte in a snapshot page is damage named by file, page and offset; exit 1; nothing changed', async () => {
    const dir = makeDatabase();
    const snap = only(dir, 'snap');
    const pageSize = statSync(snap).size / 3; // header page, one page of rows, trailer
    flipByte(snap, pageSize + 100);
    const before = fingerprint(dir);
    const r = await runInProcess(['check', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^ {2}snap/\\d+\\.snap +DAMAGE +page 1 at offset ${pageSize}: page checksum mismatch$`, 'm'));
    expect(r.stdout).toMatch(/^result: 1 problem found; `amberdb repair DIR OUT` salvages/m);
    expect(fingerprint(dir)).toEqual(before);
  });

  test('a flipped byte in a log frame followed by valid frames is damage; exit 1', async () => {
    const dir = makeDatabase();
    const log = only(dir, 'log');
    flipByte(log, Math.floor(framesEnd(readFileSync(log)) / 3));
    const r = await runInProcess(['check', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}log\/\d+\.log +DAMAGE +at offset \d+: .*followed by a valid frame/m);
  });

  test('a damaged last frame is a torn tail: a note, not damage; exit 0', async () => {
    const dir = makeDatabase();
    const log = only(dir, 'log');
    flipByte(log, framesEnd(readFileSync(log)) - 2);
    const r = await runInProcess(['check', dir]);
    expect(r.stdout).toMatch(/^ {2}log\/\d+\.log +note +torn tail at offset \d+/m);
    expect(r.code).toBe(0);
  });

  test('a directory that is not a database: exit 2; no argument: usage, exit 2', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'amberdb-check-'));
    const r = await runInProcess(['check', empty]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('is not an AmberDB database directory');
    const u = await runInProcess(['check']);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain("missing required argument 'DIR'");
  });
});

describe('amberdb repair', () => {
  test('a damaged snapshot page: OUT holds what verifies (the log replayed), opens cleanly, passes check; DIR unchanged', async () => {
    const dir = makeDatabase();
    const snap = only(dir, 'snap');
    flipByte(snap, statSync(snap).size / 3 + 100);
    const before = fingerprint(dir);
    const out = join(mkdtempSync(join(tmpdir(), 'amberdb-repair-')), 'out');
    const r = await runInProcess(['repair', dir, out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1); // written, with losses
    expect(r.stdout).toMatch(/^dropped: snap\/\d+\.snap page 1 at offset \d+: page checksum mismatch: the rows stored there$/m);
    expect(r.stdout).toMatch(/^wrote: +.* \(opens cleanly: 3 rows, integrity_check ok\)$/m);
    expect(fingerprint(dir)).toEqual(before);

    const db = new Database(out);
    expect(db.prepare('SELECT count(*) FROM a').pluck().get()).toBe(0);
    expect(db.prepare('SELECT group_concat(x) FROM b').pluck().get()).toBe('1,2,3');
    db.exec("INSERT INTO a VALUES (1, 'again')"); // an ordinary, writable database
    db.close();
    expect((await runInProcess(['check', out])).code).toBe(0);
  });

  test('a clean directory repairs with nothing lost: exit 0, every row', async () => {
    const dir = makeDatabase();
    const out = join(mkdtempSync(join(tmpdir(), 'amberdb-repair-')), 'out');
    const r = await runInProcess(['repair', dir, out]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('dropped:');
    const db = new Database(out, { readonly: true });
    expect(db.prepare('SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM b)').pluck().get()).toBe(103);
    db.close();
  });

  test('OUT already a database is refused (exit 2) and left as it was', async () => {
    const dir = makeDatabase();
    const other = makeDatabase();
    const before = fingerprint(other);
    const r = await runInProcess(['repair', dir, other]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Error: cannot write .*: backup destination already holds a database/);
    expect(fingerprint(other)).toEqual(before);
  });

  test('OUT the same as DIR is refused (exit 2)', async () => {
    const dir = makeDatabase();
    const r = await runInProcess(['repair', dir, dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('Error: OUT must be a new directory, not DIR itself\n');
  });
});
