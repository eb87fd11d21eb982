// ALTER TABLE, asked of SQLite: each script runs on AmberDB and on SQLite (better-sqlite3); every
// statement's outcome (rows, or error message) must agree, and so must sqlite_schema afterwards.
import BetterSqlite3 from 'better-sqlite3';
import { Database } from '../../src';

type Outcome = { rows: unknown[][] } | { error: string };

interface Conn {
  prepare(sql: string): { reader: boolean; raw(on?: boolean): unknown; all(): unknown[]; run(): unknown };
}

function runOn(db: Conn, sql: string): Outcome {
  try {
    const st = db.prepare(sql);
    if (!st.reader) {
      st.run();
      return { rows: [] };
    }
    st.raw(true);
    return { rows: st.all() as unknown[][] };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const SCHEMA = 'SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name';

function script(text: string): void {
  const statements = text.split(';;').map((s) => s.trim()).filter((s) => s.length > 0);
  const ours = new (Database as unknown as new () => Conn)();
  const theirs = new BetterSqlite3(':memory:') as unknown as Conn;
  for (const sql of [...statements, SCHEMA]) {
    expect({ sql, outcome: runOn(ours, sql) }).toEqual({ sql, outcome: runOn(theirs, sql) });
  }
}

describe('ALTER TABLE RENAME COLUMN', () => {
  test('rewrites the table, its CHECKs and constraints, indexes, views and triggers', () => script(`
    create table t(a integer primary key, b text check(b<>'x'), [c d] int, unique(b,[c d]), check(a>0));;
    create index i1 on t(b, "c d" desc);;
    create view v as select a, b as bb, t.[c d] from t where b > 1 order by b;;
    create view v2 as select * from t;;
    create table u(x, y);;
    create view v3 as select b, (select count(*) from u where u.y = b) from u, t where u.x=t.a;;
    create trigger tr after update of b on t begin insert into u(x,y) values(new.b, old.b); update t set b=1 where b=2; end;;
    insert into t values(1, 'p', 2);;
    alter table t rename column b to "new col";;
    ${SCHEMA};;
    alter table t rename column a to abc;;
    alter table t rename column "c d" to cd;;
    select * from v;; select * from v2;; select * from v3;;
    update t set "new col" = 'q';;
    select * from u;;
    select abc, "new col", cd from t where "new col" = 'q'`));

  test('keeps a bare name bare only where it was bare and is written bare', () => script(`
    create table t(a, "b", [c], \`d\`);;
    create index i on t(a, b, c, d);;
    alter table t rename column a to a2;;
    alter table t rename column b to b2;;
    alter table t rename column c to "c2";;
    alter table t rename column d to [d 2]`));

  test('errors as SQLite words them', () => script(`
    create table t(a, b);;
    create view v as select a from t;;
    alter table t rename column zz to y;;
    alter table t rename column a to B;;
    alter table v rename column a to q;;
    alter table sqlite_master rename column sql to x;;
    alter table nope rename column a to b;;
    alter table t rename column A to sqlite_x;;
    create table t3(a, b, c);;
    alter table t3 rename column c to A;;
    select * from v`));

  test('views with aliases, joins, CTEs and subqueries', () => script(`
    create table t(a, b);;
    create table u(a, c);;
    create view v1 as select x.b, y.c from t as x join u as y on x.a = y.a;;
    create view v2 as with w(k) as (select b from t) select k, (select count(*) from u where u.c = k) from w;;
    create view v3 as select s.b from (select b as b from t where b > 0) as s;;
    create view v4 as select a from u where exists (select 1 from t where t.b = u.a);;
    insert into t values(1, 2);; insert into u values(1, 2);;
    alter table t rename column b to bee;;
    alter table t rename column a to aa;;
    select * from v1;; select * from v2;; select * from v3;; select * from v4`));

  test('foreign keys: child and parent columns', () => script(`
    create table p(x primary key, y);;
    create table c(a references p(x), b, foreign key(b) references p(x));;
    alter table p rename column x to xx;;
    alter table c rename column b to bb`));
});

describe('ALTER TABLE DROP COLUMN', () => {
  test('refuses what SQLite refuses, with its messages', () => script(`
    create table t(a integer primary key, b text check(b<>'x'), c int unique, d, e references p(x), f, g, h  , CONSTRAINT ck CHECK (f > 0), foreign key(g) references p(x));;
    create table p(x primary key, y);;
    create index i1 on t(d);;
    create table w(only1);;
    create view v as select f from t;;
    alter table t drop column a;;
    alter table t drop column c;;
    alter table t drop column d;;
    alter table t drop column f;;
    alter table t drop column g;;
    alter table w drop column only1;;
    alter table t drop column zz;;
    alter table v drop column f;;
    alter table t drop column b;;
    alter table t drop column e;;
    create table r(a,b);;
    create trigger trr after insert on r begin select new.b; end;;
    alter table r drop column b;;
    create table s(a,b,c);;
    create view vs as select s.c from s;;
    alter table s drop column c`));

  test('cuts the definition as SQLite does and rewrites every row', () => script(`
    create table q(a, b /* hi */ , c, d integer default 4, e);;
    insert into q values(1,2,3,4,5),(6,7,8,9,10);;
    create index qi on q(d, e);;
    create unique index qu on q(e);;
    alter table q drop column b;;
    select * from q;;
    alter table q drop column "e";;
    alter table q drop column c;;
    select * from q where d = 9;;
    insert into q values(11, 12);;
    select * from q order by d;;
    create table k(a integer primary key, b, c, check (c > 0));;
    insert into k values(5, 'x', 1);;
    alter table k drop column b;;
    select rowid, * from k;;
    insert into k(c) values(0)`));
});

describe('ALTER TABLE RENAME TO', () => {
  test('rewrites the table, its indexes, views, triggers and references', () => script(`
    create table t(a integer primary key, b unique, c);;
    create index i on t(c);;
    create table f(x references t(a));;
    create view v as select t.a, c from t where t.b > 0;;
    create trigger tr after insert on t begin insert into t(c) select new.c + 1 from t where 0; end;;
    insert into t values(1, 2, 3);;
    alter table t rename to "T 2";;
    select * from v;;
    insert into "T 2" values(2, 3, 4);;
    select * from "T 2" where b = 3;;
    alter table "T 2" rename to xy;;
    alter table xy rename to i;;
    alter table xy rename to sqlite_x;;
    alter table xy rename to "XY2"`));
});

describe('ALTER inside a transaction rolls back', () => {
  test.each([
    ['rename column', 'alter table t rename column b to bb'],
    ['drop column', 'alter table t drop column c'],
    ['rename table', 'alter table t rename to t2'],
    ['add column', "alter table t add column z default 'zz'"],
  ])('%s', (_name, alter) => script(`
    create table t(a integer primary key, b unique, c, d);;
    create index i on t(d, b);;
    create view v as select b, c from t;;
    create trigger tr after update on t begin select new.b; end;;
    insert into t values(1, 2, 3, 4), (2, 3, 4, 5);;
    begin;;
    ${alter};;
    ${SCHEMA};;
    rollback;;
    select * from t;;
    select * from t where b = 3;;
    select * from t where d = 5;;
    select * from v;;
    pragma integrity_check;;
    insert into t values(3, 4, 5, 6);;
    select * from t where b = 4`));

  test('a failed ALTER changes nothing', () => script(`
    create table t(a, b, c);;
    create view v as select c from t;;
    insert into t values(1,2,3);;
    begin;;
    alter table t drop column b;;
    alter table t drop column c;;
    select * from t;;
    commit;;
    select * from t`));
});
