import * as nodeFs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { FaultyFileSystem, PowerLossError } from '../../src/durability/fs/faulty-fs';
import type { FileSystem } from '../../src/durability/fs/file-system';
import { writeFileAtomic } from '../../src/durability/fs/file-system';
import { MemoryFileSystem } from '../../src/durability/fs/memory-fs';
import { NodeFileSystem } from '../../src/durability/fs/node-fs';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

function basics(fs: FileSystem, root: string): void {
  fs.mkdir(`${root}/d`);
  const f = fs.open(`${root}/d/a`, 'create');
  expect(f.append(bytes('hello'))).toBe(0);
  f.write(bytes('J'), 0);
  expect(f.append(bytes('!'))).toBe(5);
  f.sync();
  expect(f.size()).toBe(6);
  const buf = new Uint8Array(10);
  expect(f.read(buf, 0, 10, 1)).toBe(5);
  expect(text(buf.subarray(0, 5))).toBe('ello!');
  f.truncate(2);
  expect(f.size()).toBe(2);
  f.close();
  fs.rename(`${root}/d/a`, `${root}/d/b`);
  fs.syncDir(`${root}/d`);
  expect(fs.readdir(`${root}/d`)).toEqual(['b']);
  expect(fs.exists(`${root}/d/a`)).toBe(false);
  expect(fs.fileSize(`${root}/d/b`)).toBe(2);
  expect(() => fs.open(`${root}/d/b`, 'create-new')).toThrow(expect.objectContaining({ code: 'EEXIST' }));
  expect(() => fs.open(`${root}/d/zz`, 'read')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  fs.unlink(`${root}/d/b`);
  expect(fs.readdir(`${root}/d`)).toEqual([]);
  const lock = fs.lock(`${root}/LOCK`);
  expect(() => fs.lock(`${root}/LOCK`)).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
  lock.release();
  fs.lock(`${root}/LOCK`).release();
}

test('memory-fs behaves like a file system', () => basics(new MemoryFileSystem(), '/db'));

test('node-fs behaves like a file system (smoke, temp dir)', () => {
  const dir = nodeFs.mkdtempSync(nodePath.join(os.tmpdir(), 'amber-fs-'));
  try {
    basics(new NodeFileSystem(), dir);
  } finally {
    nodeFs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a LOCK left by a dead process is stale and is taken over', () => {
  const dir = nodeFs.mkdtempSync(nodePath.join(os.tmpdir(), 'amber-lock-'));
  try {
    // A pid that cannot be alive: above Linux's pid_max limit.
    nodeFs.writeFileSync(`${dir}/LOCK`, `99999999 ${os.hostname()}\n`);
    const l = new NodeFileSystem().lock(`${dir}/LOCK`);
    expect(nodeFs.readFileSync(`${dir}/LOCK`, 'utf8')).toBe(`${process.pid} ${os.hostname()}\n`);
    l.release();
    expect(nodeFs.existsSync(`${dir}/LOCK`)).toBe(false);
    // A live holder (our parent process) is respected.
    nodeFs.writeFileSync(`${dir}/LOCK`, `${process.ppid} ${os.hostname()}\n`);
    expect(() => new NodeFileSystem().lock(`${dir}/LOCK`)).toThrow(/database is locked/);
  } finally {
    nodeFs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a power loss drops unsynced contents and unsynced directory entries', () => {
  const fs = new FaultyFileSystem();
  fs.mkdir('/db');
  fs.syncDir('/');
  const a = fs.open('/db/a', 'create');
  a.append(bytes('durable'));
  a.sync();
  fs.syncDir('/db');
  a.append(bytes(' lost'));
  const b = fs.open('/db/b', 'create'); // entry never synced
  b.append(bytes('x'));
  b.sync();
  fs.crash();
  expect(fs.readdir('/db')).toEqual(['a']);
  expect(text(fs.mem.readFile('/db/a'))).toBe('durable');
});

test('a rename is durable only after the directory is synced', () => {
  const fs = new FaultyFileSystem();
  fs.mkdir('/db');
  fs.syncDir('/');
  writeFileAtomic(fs, '/db/M', bytes('one'));
  const f = fs.open('/db/M.tmp', 'create');
  f.write(bytes('two'), 0);
  f.sync();
  f.close();
  fs.rename('/db/M.tmp', '/db/M');
  fs.crash();
  expect(text(fs.mem.readFile('/db/M'))).toBe('one');
});

test('a torn write keeps whole sectors only', () => {
  const fs = new FaultyFileSystem();
  fs.mkdir('/db');
  fs.syncDir('/');
  const f = fs.open('/db/a', 'create');
  f.append(new Uint8Array(100).fill(1));
  f.sync();
  fs.syncDir('/db');
  f.append(new Uint8Array(2000).fill(2));
  fs.crash({ tear: { sectors: 2 } });
  const got = fs.mem.readFile('/db/a');
  expect(got.length).toBe(1024);
  expect(got[99]).toBe(1);
  expect(got[100]).toBe(2);
});

test('the nth write fails with the configured code; power loss stops every later call', () => {
  const fs = new FaultyFileSystem();
  fs.mkdir('/db');
  const f = fs.open('/db/a', 'create');
  fs.failAt({ op: 'write', nth: 2, code: 'ENOSPC', partialBytes: 3 });
  f.append(bytes('ok'));
  expect(() => f.append(bytes('full'))).toThrow(expect.objectContaining({ code: 'ENOSPC' }));
  expect(text(fs.mem.readFile('/db/a'))).toBe('okful');
  fs.failAt({ op: 'sync', nth: 1, code: 'EIO' });
  expect(() => f.sync()).toThrow(expect.objectContaining({ code: 'EIO' }));
  fs.stopAfter(fs.mutations);
  expect(() => f.append(bytes('z'))).toThrow(PowerLossError);
  expect(() => fs.readdir('/db')).toThrow(PowerLossError);
});
