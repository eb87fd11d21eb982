// better-sqlite3 benchmark/trials.js "searchable" trial: select, large_blob, blob (32 KiB values).
// 1,000 rows instead of better-sqlite3's 10,000 (320 MB per engine); a rowid lookup does not
// depend on the row count.
import { seedLargeBlob } from '../lib/fixtures';
import type { Workload } from '../lib/types';

const SQL = 'SELECT blob FROM large_blob WHERE rowid = ?';

export default {
  name: 'select-get-large-blob',
  group: 'better-sqlite3',
  description: 'reading one 32 KiB blob by rowid (.get)',
  origin: 'WiseLibs/better-sqlite3 benchmark/types/select.js (large_blob)',
  sizes: { smoke: [50], quick: [1_000], full: [1_000] },
  showSize: false,
  setup: ({ db }, n) => seedLargeBlob(db, n),
  check: ({ db }, n) => [1, n].map((rowid) => db.prepare(SQL).get(rowid)),
  op: ({ db }, n) => {
    const stmt = db.prepare(SQL);
    let rowid = -1;
    return () => stmt.get((++rowid % n) + 1);
  },
} satisfies Workload;
