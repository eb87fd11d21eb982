// `{ readonly: true }` and the LOCK rules (docs/FORMAT.md "LOCK"), decided as SQLite's WAL mode
// does: readers may open while a writer holds the database, and they do not block writers. A
// readonly open takes no LOCK, loads the committed state of one instant (later commits of the
// writer are not seen), and never writes, truncates, creates, renames or removes a file.
import type { FileHandle, FileSystem, OpenMode } from '../../src/durability/fs/file-system';
import { joinPath } from '../../src/durability/fs/file-system';
import { MemoryFileSystem } from '../../src/durability/fs/memory-fs';
import { LOCK_NAME, listSegments, listSnapshots, segmentPath } from '../../src/durability/layout';
import * as nodeFs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Database } from '../../src';
import type { Db } from './helpers';
import { dump, framesEnd, kill, openOn, removeDir, tempDir, withoutLocks } from './helpers';

const DIR = '/db';

/** Every file under `dir` with its bytes (what must not change). */
function image(mem: MemoryFileSystem, dir = DIR): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (p: string): void => {
    for (const name of mem.readdir(p)) {
      const q = joinPath(p, name);
      try {
        out[q] = Buffer.from(mem.readFile(q)).toString('hex');
      } catch {
        walk(q);
      }
    }
  };
  walk(dir);
  return out;
}

/** `fs` recording every call that could change something. */
function recording(fs: FileSystem, calls: string[]): FileSystem {
  return new Proxy(fs, {
    get(target, prop, receiver) {
      const v: unknown = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      const f = (v as (...a: unknown[]) => unknown).bind(target);
      if (prop === 'open') {
        return (path: string, mode: OpenMode): FileHandle => {
          if (mode !== 'read') calls.push(`open ${mode} ${path}`);
          return f(path, mode) as FileHandle;
        };
      }
      if (['rename', 'unlink', 'mkdir', 'syncDir', 'lock'].includes(String(prop))) {
        return (...a: unknown[]) => {
          calls.push(`${String(prop)} ${a.join(' ')}`);
          return f(...a);
        };
      }
      return f;
    },
  });
}

function rows(db: Db): unknown {
  return db.prepare('SELECT * FROM t ORDER BY id').raw().all();
}

test('a readonly open while a writer holds LOCK loads the committed state; neither blocks the other', () => {
  const mem = new MemoryFileSystem();
  const writer = openOn(mem, DIR);
  writer.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v); INSERT INTO t VALUES (1, 'a'), (2, 'b')");
  // A second writer is refused; a reader is not.
  expect(() => openOn(mem, DIR)).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
  const reader = openOn(mem, DIR, { readonly: true });
  expect(reader.readonly).toBe(true);
  expect(rows(reader)).toEqual([[1, 'a'], [2, 'b']]);
  // The writer goes on; the reader keeps the state it opened.
  writer.exec("INSERT INTO t VALUES (3, 'c')");
  writer.checkpoint();
  writer.exec("DELETE FROM t WHERE id = 1");
  expect(rows(reader)).toEqual([[1, 'a'], [2, 'b']]);
  expect(() => reader.exec("INSERT INTO t VALUES (9, 'z')")).toThrow(expect.objectContaining({ code: 'SQLITE_READONLY' }));
  // A new reader sees the newer state; closing readers leaves the writer's LOCK alone.
  const reader2 = openOn(mem, DIR, { readonly: true });
  expect(rows(reader2)).toEqual([[2, 'b'], [3, 'c']]);
  reader2.close();
  reader.close();
  expect(() => openOn(mem, DIR)).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
  writer.exec("INSERT INTO t VALUES (4, 'd')");
  writer.close();
  const next = openOn(mem, DIR);
  expect(rows(next)).toEqual([[2, 'b'], [3, 'c'], [4, 'd']]);
  next.close();
});

test('a writer opens while a reader is open, and the reader stays on its state', () => {
  const mem = new MemoryFileSystem();
  let db = openOn(mem, DIR);
  db.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v); INSERT INTO t VALUES (1, 'a')");
  db.close();
  const reader = openOn(mem, DIR, { readonly: true });
  db = openOn(mem, DIR);
  db.exec("INSERT INTO t VALUES (2, 'b')");
  expect(rows(reader)).toEqual([[1, 'a']]);
  db.close();
  reader.close();
});

describe('a readonly open never writes, truncates, creates or removes a file', () => {
  function check(mem: MemoryFileSystem, options: object, expected: (db: Db) => void): void {
    const before = image(mem);
    const calls: string[] = [];
    const db = openOn(recording(mem, calls), DIR, { readonly: true, ...options });
    expected(db);
    expect(() => db.exec('CREATE TABLE x(a)')).toThrow(expect.objectContaining({ code: 'SQLITE_READONLY' }));
    expect(db.checkpoint()).toBeNull();
    db.close();
    expect(calls).toEqual([]);
    expect(image(mem)).toEqual(before);
  }

  function build(mem: MemoryFileSystem, strategy: 'hybrid' | 'snapshot' = 'hybrid'): void {
    const db = openOn(mem, DIR, { strategy });
    db.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v); INSERT INTO t VALUES (1, 'a')");
    db.checkpoint();
    db.exec("INSERT INTO t VALUES (2, 'b'); INSERT INTO t VALUES (3, 'c')");
    db.close();
  }

  const lastSegment = (mem: MemoryFileSystem): string => segmentPath(DIR, listSegments(mem, DIR).at(-1)!);

  test('a clean directory', () => {
    const mem = new MemoryFileSystem();
    build(mem);
    check(mem, {}, (db) => expect(rows(db)).toEqual([[1, 'a'], [2, 'b'], [3, 'c']]));
  });

  test('a torn tail is not truncated', () => {
    const mem = new MemoryFileSystem();
    build(mem);
    const p = lastSegment(mem);
    mem.writeFileDurable(p, mem.readFile(p).subarray(0, framesEnd(mem.readFile(p)) - 3));
    check(mem, {}, (db) => {
      expect(rows(db)).toEqual([[1, 'a'], [2, 'b']]);
      expect(db.stats().recovery!.tornTail).not.toBeNull();
    });
  });

  test.each(['truncate-tail', 'salvage'] as const)('damage is not set aside in %s mode', (recovery) => {
    const mem = new MemoryFileSystem();
    build(mem);
    const p = lastSegment(mem);
    const bytes = new Uint8Array(mem.readFile(p));
    bytes[40] = bytes[40]! ^ 0x10; // the first frame after the header: followed by a valid frame
    mem.writeFileDurable(p, bytes);
    check(mem, { recovery }, (db) => expect(rows(db)).toEqual([[1, 'a']]));
  });

  test('a LOCK left by a killed writer is left alone', () => {
    const mem = new MemoryFileSystem();
    build(mem);
    const w = openOn(withoutLocks(mem), DIR);
    mem.writeFileDurable(joinPath(DIR, LOCK_NAME), Buffer.from('999999 elsewhere\n'));
    w.exec("INSERT INTO t VALUES (4, 'd')");
    kill(w);
    check(mem, {}, (db) => expect(rows(db)).toEqual([[1, 'a'], [2, 'b'], [3, 'c'], [4, 'd']]));
  });

  test('a snapshot-strategy directory', () => {
    const mem = new MemoryFileSystem();
    build(mem, 'snapshot');
    check(mem, { strategy: 'snapshot' }, (db) => expect(rows(db)).toEqual([[1, 'a'], [2, 'b'], [3, 'c']]));
  });

  test('a directory never opened (no MANIFEST) opens empty and stays as it was', () => {
    const mem = new MemoryFileSystem();
    mem.mkdir(DIR);
    check(mem, {}, (db) => expect(dump(db)).toEqual({}));
  });

  test('a missing directory is SQLITE_CANTOPEN and is not created', () => {
    const mem = new MemoryFileSystem();
    expect(() => openOn(mem, DIR, { readonly: true })).toThrow(expect.objectContaining({ code: 'SQLITE_CANTOPEN' }));
    expect(mem.exists(DIR)).toBe(false);
  });
});

describe('a checkpoint that replaces the files while a readonly open loads them', () => {
  /** `mem` where the first read-open of a path matching `when` runs `hook` first (once). */
  function interfering(mem: MemoryFileSystem, when: RegExp, hook: () => void): FileSystem {
    let fired = false;
    return new Proxy(mem, {
      get(target, prop, receiver) {
        const v: unknown = Reflect.get(target, prop, receiver);
        if (typeof v !== 'function') return v;
        const f = (v as (...a: unknown[]) => unknown).bind(target);
        if (prop !== 'open') return f;
        return (path: string, mode: OpenMode): FileHandle => {
          if (!fired && mode === 'read' && when.test(path)) {
            fired = true;
            hook();
          }
          return f(path, mode) as FileHandle;
        };
      },
    });
  }

  function setup(): { mem: MemoryFileSystem; writer: Db; expected: unknown } {
    const mem = new MemoryFileSystem();
    const writer = openOn(mem, DIR);
    writer.exec('CREATE TABLE t(id INTEGER PRIMARY KEY, v)');
    writer.exec("INSERT INTO t VALUES (1, 'a')");
    writer.checkpoint();
    writer.exec("INSERT INTO t VALUES (2, 'b')");
    return { mem, writer, expected: dump(writer) };
  }

  test('the snapshot MANIFEST named is removed before it is opened: the open starts again', () => {
    const { mem, writer } = setup();
    const snapsBefore = listSnapshots(mem, DIR);
    const fs = interfering(mem, /\.snap$/, () => {
      writer.exec("INSERT INTO t VALUES (3, 'c')");
      writer.checkpoint();
    });
    const reader = openOn(fs, DIR, { readonly: true });
    expect(listSnapshots(mem, DIR)).not.toEqual(snapsBefore);
    expect(dump(reader)).toEqual(dump(writer));
    expect(rows(reader)).toEqual([[1, 'a'], [2, 'b'], [3, 'c']]);
    reader.close();
    writer.close();
  });

  test('the files are removed after they were opened: the open reads them anyway', () => {
    const { mem, writer, expected } = setup();
    // Once the reader has opened the snapshot and the live segment (pinned), two checkpoints
    // replace MANIFEST and unlink both before recovery reads them.
    const fs = interfering(mem, /\.log$/, () => undefined);
    const original = mem.open.bind(mem);
    let fired = false;
    mem.open = (path: string, mode: OpenMode): FileHandle => {
      const h = original(path, mode);
      if (!fired && mode === 'read' && /\.log$/.test(path)) {
        fired = true;
        writer.checkpoint();
        writer.exec("INSERT INTO t VALUES (3, 'c')");
        writer.checkpoint();
      }
      return h;
    };
    let reader: Db;
    try {
      reader = openOn(fs, DIR, { readonly: true });
    } finally {
      mem.open = original;
    }
    expect(fired).toBe(true);
    expect(dump(reader)).toEqual(expected);
    reader.close();
    writer.close();
  });
});

test('on the real disk: a writer\'s LOCK, and a stale one, are left as they are', () => {
  const root = tempDir();
  try {
    const dir = path.join(root, 'db');
    const writer = new Database(dir);
    writer.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v); INSERT INTO t VALUES (1, 'a')");
    const lock = path.join(dir, LOCK_NAME);
    const held = nodeFs.readFileSync(lock, 'utf8');
    const reader = new Database(dir, { readonly: true });
    expect(rows(reader)).toEqual([[1, 'a']]);
    reader.close();
    expect(nodeFs.readFileSync(lock, 'utf8')).toBe(held);
    writer.close();
    // A LOCK whose process is gone: a writer would break it; a reader opens and leaves it.
    nodeFs.writeFileSync(lock, `2147483646 ${os.hostname()}\n`);
    const r2 = new Database(dir, { readonly: true });
    expect(rows(r2)).toEqual([[1, 'a']]);
    r2.close();
    expect(nodeFs.readFileSync(lock, 'utf8')).toBe(`2147483646 ${os.hostname()}\n`);
  } finally {
    removeDir(root);
  }
});
