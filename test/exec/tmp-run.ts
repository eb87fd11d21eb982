import BetterSqlite3 from 'better-sqlite3';
import { Database } from '../../src';
const stmts = require('fs').readFileSync(0, 'utf8').split('\n').filter((l: string) => l.trim());
const a: any = new (Database as any)(); const b: any = new BetterSqlite3(':memory:');
for (const sql of stmts) {
  const r = (db: any) => { try { const st = db.prepare(sql); st.safeIntegers(true); return st.reader ? JSON.stringify(st.raw(true).all(), (k, v) => typeof v === 'bigint' ? 'i' + v : v) : JSON.stringify(st.run(), (k, v) => typeof v === 'bigint' ? 'i' + v : v); } catch (e: any) { return 'ERR ' + e.message; } };
  const x = r(a), y = r(b);
  console.log(x === y ? 'same' : 'DIFF', sql.slice(0, 200)); console.log('  amber:', x.slice(0, 300)); if (x !== y) console.log('  sqlite:', y.slice(0, 300));
}
