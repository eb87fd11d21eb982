import { Database } from '../../src';
const db: any = new (Database as any)();
db.exec('CREATE TABLE small (nul, integer INTEGER, real REAL, text TEXT, blob BLOB)');
const ins = db.prepare('INSERT INTO small VALUES (?, ?, ?, ?, ?)');
db.transaction(() => { for (let i = 0; i < 10000; i++) ins.run(null, i, i * 0.5, 'text ' + i, Buffer.alloc(16, i)); })();
const get = db.prepare('SELECT * FROM small WHERE rowid = ?');
let t = process.hrtime.bigint(); const n = 2000000;
for (let i = 0; i < n; i++) get.get((i % 10000) + 1);
console.log('get/s', Math.round(n / (Number(process.hrtime.bigint() - t) / 1e9)));
