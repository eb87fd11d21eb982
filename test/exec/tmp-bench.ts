import BetterSqlite3 from 'better-sqlite3';
import { Database } from '../../src';
function setup(db: any) {
  db.exec('CREATE TABLE small (nul, integer INTEGER, real REAL, text TEXT, blob BLOB)');
  const ins = db.prepare('INSERT INTO small VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => { for (let i = 0; i < 10000; i++) ins.run(null, i, i * 0.5, 'text ' + i, Buffer.alloc(16, i)); })();
}
for (const [name, db] of [['amber', new (Database as any)()], ['bs3', new BetterSqlite3(':memory:')]] as const) {
  setup(db);
  const get = db.prepare('SELECT * FROM small WHERE rowid = ?');
  const all = db.prepare('SELECT * FROM small WHERE rowid >= ? LIMIT 100');
  const ins = db.prepare('INSERT INTO small VALUES (?, ?, ?, ?, ?)');
  for (let round = 0; round < 2; round++) {
    let t = process.hrtime.bigint(); let n = 300000;
    for (let i = 0; i < n; i++) get.get((i % 10000) + 1);
    const getRate = n / (Number(process.hrtime.bigint() - t) / 1e9);
    t = process.hrtime.bigint(); n = 5000;
    for (let i = 0; i < n; i++) all.all((i % 9000) + 1);
    const allRate = n / (Number(process.hrtime.bigint() - t) / 1e9);
    t = process.hrtime.bigint(); n = 100000;
    for (let i = 0; i < n; i++) ins.run(null, i, i * 0.5, 'text', null);
    const insRate = n / (Number(process.hrtime.bigint() - t) / 1e9);
    console.log(name, 'get/s', Math.round(getRate), 'all100/s', Math.round(allRate), 'insert/s', Math.round(insRate));
  }
}
