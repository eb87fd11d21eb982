// better-sqlite3 benchmark/trials.js "searchable" trial: insert, large_text, text (32 KiB values).
// 1,000 seed rows (see 15-select-get-large-blob.ts); like every write workload it starts from
// `DELETE ... WHERE rowid > 1`.
import { seedLargeText } from '../lib/fixtures';
import type { Workload } from '../lib/types';

const SQL = 'INSERT INTO large_text (text) VALUES (@text)';

export default {
  name: 'insert-large-text',
  group: 'better-sqlite3',
  description: 'inserting one 32 KiB text row (.run, autocommit)',
  origin: 'WiseLibs/better-sqlite3 benchmark/types/insert.js (large_text)',
  sizes: { smoke: [50], quick: [1_000], full: [1_000] },
  showSize: false,
  setup: ({ db }, n) => seedLargeText(db, n),
  reset: ({ db }) => void db.exec('DELETE FROM large_text WHERE rowid > 1'),
  check: ({ db }) => {
    const row = db.prepare('SELECT * FROM large_text LIMIT 1').get();
    const result = db.prepare(SQL).run(row);
    return [result, db.prepare('SELECT count(*) AS n, sum(length(text)) AS len FROM large_text').get()];
  },
  op: ({ db }) => {
    const stmt = db.prepare(SQL);
    const row = db.prepare('SELECT * FROM large_text LIMIT 1').get();
    return () => stmt.run(row);
  },
} satisfies Workload;
