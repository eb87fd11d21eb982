// docs/FORMAT.md stays true to the code: its hex examples decode with the real readers.
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';
import { MemoryFileSystem } from '../../src/durability/fs/memory-fs';
import { decodeManifest } from '../../src/durability/manifest';
import { readLogFrom } from '../../src/durability/log-reader';
import { RealBox } from '../../src/value/types';

const doc = nodeFs.readFileSync(nodePath.join(__dirname, '../../docs/FORMAT.md'), 'utf8');

function block(marker: string): string {
  const m = new RegExp(`<!-- ${marker} -->\\n\`\`\`\\n([\\s\\S]*?)\`\`\``).exec(doc);
  if (m === null) throw new Error(`no ${marker} block in FORMAT.md`);
  return m[1]!;
}

test('the log example in FORMAT.md is a valid segment holding the transaction it describes', () => {
  const hex = block('log-example')
    .split('\n')
    .map((l) => l.replace(/^[0-9a-f]{4}: /, '').replace(/ /g, ''))
    .join('');
  const fs = new MemoryFileSystem();
  fs.mkdir('/db/log');
  fs.writeFileDurable('/db/log/00000001.log', Buffer.from(hex, 'hex'));
  const scan = readLogFrom(fs, '/db');
  const txs = [...scan.changeSets()];
  expect(scan.end?.kind).toBe('clean');
  expect(txs).toEqual([
    {
      lsn: 1,
      records: [
        { kind: 'put', table: 't', rowid: 1, row: [42, 'hi', null, new RealBox(2), -1.5, Uint8Array.of(0xca, 0xfe)] },
        { kind: 'delete', table: 't', rowid: 7 },
      ],
    },
  ]);
});

test('the MANIFEST example in FORMAT.md verifies', () => {
  expect(decodeManifest(Buffer.from(block('manifest-example')))).toEqual({ snapshotLsn: 1234, firstSegment: 7 });
});
