import { SqlGenerator, tableStateQuery } from '../harness/sql-generator';
import BetterSqlite3 from 'better-sqlite3';
import { Database } from '../../src';
const seed = 20240601;
const want = process.argv.slice(2).map(Number);
const gen = new SqlGenerator(seed);
for (let i = 0; i <= Math.max(...want); i++) {
  const c = gen.nextCase(i);
  if (!want.includes(i)) continue;
  const a: any = new (Database as any)(); const b: any = new BetterSqlite3(':memory:');
  for (const sql of [...c.setup, ...c.statements, ...c.tables.map(tableStateQuery)]) {
    const r = (db: any) => { try { const st = db.prepare(sql); st.safeIntegers(true); return st.reader ? JSON.stringify(st.raw(true).all(), (k, v) => typeof v === 'bigint' ? 'i' + v : v) : JSON.stringify(st.run(), (k, v) => typeof v === 'bigint' ? 'i' + v : v); } catch (e: any) { return 'ERR ' + e.message; } };
    const x = r(a), y = r(b);
    console.log(x === y ? 'same' : 'DIFF', sql.slice(0, 300)); if (x !== y) console.log('  amber:', x.slice(0, 400), '\n  sqlite:', y.slice(0, 400));
  }
}
