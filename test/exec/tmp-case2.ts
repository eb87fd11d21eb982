import { SqlGenerator } from '../harness/sql-generator';
import BetterSqlite3 from 'better-sqlite3';
import { Database } from '../../src';
const [caseNo, table] = [Number(process.argv[2]), process.argv[3]];
const gen = new SqlGenerator(20240601);
let c: any; for (let i = 0; i <= caseNo; i++) c = gen.nextCase(i);
const a: any = new (Database as any)(); const b: any = new BetterSqlite3(':memory:');
const r = (db: any, sql: string) => { try { const st = db.prepare(sql); st.safeIntegers(true); return st.reader ? JSON.stringify(st.raw(true).all(), (k, v) => typeof v === 'bigint' ? 'i' + v : v) : JSON.stringify(st.run().changes); } catch (e: any) { return 'ERR ' + e.message; } };
for (const sql of [...c.setup, ...c.statements]) {
  r(a, sql); r(b, sql);
  const x = r(a, `SELECT rowid, * FROM ${table}`), y = r(b, `SELECT rowid, * FROM ${table}`);
  if (x !== y) { console.log('after:', sql, '\n amber:', x.slice(0, 600), '\n sqlite:', y.slice(0, 600)); break; }
}
