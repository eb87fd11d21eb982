// Persistence: commits per second, one autocommit INSERT per commit, for each AmberDB strategy ×
// durability, each paired with the better-sqlite3 setting that promises the same thing:
//   commit   (fsync before the commit returns)        ↔ WAL, synchronous=FULL
//   interval (a power loss may take the last ~second) ↔ WAL, synchronous=NORMAL
//   none     (the OS decides)                         ↔ WAL, synchronous=OFF
// plus better-sqlite3's rollback journal (DELETE, FULL) as a reference with no AmberDB row.
// Quick runs time the default strategy (hybrid) only. Each row also reports fsyncs per commit and
// bytes on disk per row (lib/persistence-metrics.ts).
import { persistenceMetrics } from '../lib/persistence-metrics';
import type { DurableStorage, Durability, Mode, Strategy, Target, Workload } from '../lib/types';

const ROW = [null, 0x7fffffff, 1 / 3, 'this is the text'];
// The rowid cycles over KEYS values (INSERT OR REPLACE): the fastest settings commit over a million
// rows a second, and an ever-growing table ran the full suite out of heap. Each commit still
// writes one row, on both engines alike.
const KEYS = 100_000;
const SQL = 'INSERT OR REPLACE INTO small (rowid, nul, integer, real, text) VALUES (?, ?, ?, ?, ?)';
const PEER = { commit: 'FULL', interval: 'NORMAL', none: 'OFF' } as const;

function commits(name: string, description: string, storage: DurableStorage, modes: readonly Mode[]): Workload {
  const on = (m: Mode): number[] => (modes.includes(m) ? [1] : []);
  return {
    name,
    group: 'persistence',
    description,
    sizes: { smoke: on('smoke'), quick: on('quick'), full: on('full') },
    showSize: false,
    storage,
    setup: ({ db }: Target) => void db.exec('CREATE TABLE small (nul, integer INTEGER, real REAL, text TEXT, blob BLOB)'),
    check: ({ db }: Target) => {
      const stmt = db.prepare(SQL);
      return [stmt.run(1, ...ROW), stmt.run(2, ...ROW), stmt.run(1, ...ROW), db.prepare('SELECT count(*) AS n FROM small').get()];
    },
    op: ({ db }: Target) => {
      const stmt = db.prepare(SQL);
      let key = 0;
      return () => stmt.run((key = (key % KEYS) + 1), ...ROW);
    },
    metrics: persistenceMetrics,
  };
}

const workloads: Workload[] = [];
for (const strategy of ['hybrid', 'snapshot', 'log'] as const satisfies readonly Strategy[]) {
  for (const durability of ['commit', 'interval', 'none'] as const satisfies readonly Durability[]) {
    workloads.push(
      commits(
        `commit/${strategy}/${durability}`,
        `one-row autocommit INSERTs, ${strategy}/${durability} vs better-sqlite3 WAL synchronous=${PEER[durability]}`,
        { amberdb: { strategy, durability }, sqlite: { journalMode: 'WAL', synchronous: PEER[durability] } },
        strategy === 'hybrid' ? ['smoke', 'quick', 'full'] : ['full'],
      ),
    );
  }
}
workloads.push(
  commits(
    'commit/sqlite-delete-full',
    'one-row autocommit INSERTs, better-sqlite3 rollback journal (DELETE, synchronous=FULL); reference only',
    { amberdb: null, sqlite: { journalMode: 'DELETE', synchronous: 'FULL' } },
    ['smoke', 'quick', 'full'],
  ),
);

export default workloads;
