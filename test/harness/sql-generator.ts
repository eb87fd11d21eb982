// Seeded random SQL for the differential tests.
//
// In: a seed. Out: test cases, each a small schema with rows (setup), a list of statements of one
// category (queries, DML, transactions), and the tables whose contents are compared afterwards.
// Everything is deterministic given the seed, and every query has one right answer in SQLite: no
// LIMIT without an ORDER BY over every output column, scalar subqueries are aggregates, no
// random()/date('now')/group_concat (whose order follows the scan).

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  /** Uniform in [0, 1): a 32-bit xorshift, enough for test generation. */
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.s = x;
    return x / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
}

export const CATEGORIES = ['expr', 'where', 'aggregate', 'order-limit', 'join', 'subquery', 'compound', 'dml', 'transaction'] as const;
export type Category = (typeof CATEGORIES)[number];

export interface DiffCase {
  readonly category: Category;
  readonly setup: readonly string[];
  readonly statements: readonly string[];
  readonly tables: readonly string[];
}

interface Column {
  readonly name: string;
  readonly type: string;
}
interface Table {
  readonly name: string;
  readonly cols: readonly Column[];
  /** c0 is INTEGER PRIMARY KEY (the rowid). */
  readonly ipk: boolean;
}

const TYPES = ['INTEGER', 'TEXT', 'REAL', 'BLOB', 'NUMERIC', '', 'INT', 'VARCHAR(10)', 'DOUBLE'];

const LITERALS = [
  'NULL', '0', '1', '-1', '2', '3', '7', '10', '-5', '100',
  '9223372036854775807', '-9223372036854775808', '9007199254740993', '4294967296', '2147483647',
  '0.5', '-2.5', '2.0', '1e20', '0.1', '3.75', '-0.0', '1.0',
  "'abc'", "''", "'10'", "' 12 '", "'1e3'", "'ABC'", "'a%b'", "'0x10'", "'2.0'", "'-7'", "'it''s'", "'Abc'",
  "x'00ff'", "x''", "x'41'",
];

// Values written into an INTEGER PRIMARY KEY. Never near the largest rowid: once a table holds
// rowid 9223372036854775807, SQLite picks new rowids at random, and no two runs agree.
const ROWID_LITERALS = ['NULL', '1', '2', '3', '5', '8', '-1', '2.0', "'4'", "'abc'", '2.5', '40'];

function literal(rng: Rng): string {
  return rng.pick(LITERALS);
}

function smallInt(rng: Rng): string {
  return String(rng.int(-3, 12));
}

export class SqlGenerator {
  private readonly rng: Rng;
  constructor(seed: number) {
    this.rng = new Rng(seed);
  }

  // ---- schema and rows ----

  private schema(): { tables: Table[]; setup: string[] } {
    const r = this.rng;
    const tables: Table[] = [];
    const setup: string[] = [];
    const nTables = r.int(1, 3);
    for (let t = 0; t < nTables; t++) {
      const name = `t${t}`;
      const cols: Column[] = [];
      const defs: string[] = [];
      let ipk = false;
      const nCols = r.int(2, 5);
      for (let c = 0; c < nCols; c++) {
        const cname = `c${c}`;
        if (c === 0 && r.chance(0.35)) {
          cols.push({ name: cname, type: 'INTEGER' });
          defs.push(`${cname} INTEGER PRIMARY KEY`);
          ipk = true;
          continue;
        }
        const type = r.pick(TYPES);
        cols.push({ name: cname, type });
        let def = type === '' ? cname : `${cname} ${type}`;
        if (r.chance(0.12)) def += ' NOT NULL';
        if (r.chance(0.12)) def += ' UNIQUE';
        if (r.chance(0.2)) def += ` DEFAULT ${r.pick(['0', "'d'", '1.5', 'NULL', '-1'])}`;
        if (r.chance(0.1)) def += r.pick([` CHECK (${cname} IS NULL OR length(${cname}) < 8)`, ` CHECK (${cname} <> 13)`]);
        defs.push(def);
      }
      setup.push(`CREATE TABLE ${name}(${defs.join(', ')})`);
      const nIdx = r.int(0, 2);
      for (let i = 0; i < nIdx; i++) {
        const a = r.pick(cols).name;
        const b = r.pick(cols).name;
        const on = r.chance(0.5) && a !== b ? `${a}, ${b} DESC` : a;
        setup.push(`CREATE ${r.chance(0.2) ? 'UNIQUE ' : ''}INDEX ${name}_i${i} ON ${name}(${on})`);
      }
      const table: Table = { name, cols, ipk };
      tables.push(table);
      const nRows = r.int(0, 8);
      for (let i = 0; i < nRows; i++) setup.push(this.insert(table, false));
    }
    return { tables, setup };
  }

  private insert(t: Table, withConflict: boolean): string {
    const r = this.rng;
    const verb = withConflict ? r.pick(['INSERT', 'INSERT OR IGNORE', 'INSERT OR REPLACE', 'REPLACE', 'INSERT OR ABORT']) : 'INSERT';
    if (r.chance(0.1)) return `${verb} INTO ${t.name} DEFAULT VALUES`;
    const cols = t.cols.filter(() => r.chance(0.8));
    const use = cols.length > 0 ? cols : t.cols;
    const nRows = withConflict ? r.int(1, 3) : 1;
    const rows: string[] = [];
    for (let i = 0; i < nRows; i++) rows.push(`(${use.map((c) => (t.ipk && c === t.cols[0] ? r.pick(ROWID_LITERALS) : literal(r))).join(', ')})`);
    return `${verb} INTO ${t.name}(${use.map((c) => c.name).join(', ')}) VALUES ${rows.join(', ')}`;
  }

  // ---- expressions ----

  /** A scalar expression over the given column references. */
  expr(cols: readonly string[], depth = 2): string {
    const r = this.rng;
    if (depth <= 0 || r.chance(0.3)) return cols.length > 0 && r.chance(0.65) ? r.pick(cols) : literal(r);
    const e = (): string => this.expr(cols, depth - 1);
    switch (r.int(0, 13)) {
      case 0:
        return `(${e()} ${r.pick(['+', '-', '*', '/', '%'])} ${e()})`;
      case 1:
        return `(${e()} ${r.pick(['=', '<>', '<', '<=', '>', '>=', 'IS', 'IS NOT', '=='])} ${e()})`;
      case 2:
        return `(${this.pred(cols, depth - 1)} ${r.pick(['AND', 'OR'])} ${this.pred(cols, depth - 1)})`;
      case 3:
        return `(${r.pick(['-', 'NOT ', '+', '~'])}${e()})`;
      case 4:
        return `(${e()} ${r.chance(0.3) ? 'NOT ' : ''}IN (${[literal(r), literal(r), e()].join(', ')}))`;
      case 5:
        return `(${e()} ${r.chance(0.3) ? 'NOT ' : ''}BETWEEN ${e()} AND ${e()})`;
      case 6:
        return `(${e()} ${r.chance(0.2) ? 'NOT ' : ''}LIKE ${r.pick(["'a%'", "'%b%'", "'_'", "'1%'", "'ABC'", "'%'"])})`;
      case 7:
        return `CASE WHEN ${this.pred(cols, depth - 1)} THEN ${e()} ${r.chance(0.6) ? `ELSE ${e()} ` : ''}END`;
      case 8:
        return `CASE ${e()} WHEN ${literal(r)} THEN ${e()} WHEN ${literal(r)} THEN ${e()} ELSE ${e()} END`;
      case 9:
        return `CAST(${e()} AS ${r.pick(['INTEGER', 'REAL', 'TEXT', 'NUMERIC', 'BLOB'])})`;
      case 10:
        return `(${e()} || ${e()})`;
      case 11:
        return `(${e()} IS ${r.chance(0.5) ? 'NOT ' : ''}NULL)`;
      default: {
        const f = r.pick([
          'abs(#)', 'length(#)', 'lower(#)', 'upper(#)', 'typeof(#)', 'round(#)', 'round(#, 1)', 'hex(#)', 'quote(#)',
          'trim(#)', 'substr(#, 2)', 'substr(#, 1, 2)', 'coalesce(#, #)', 'ifnull(#, #)', 'nullif(#, #)', 'min(#, #)',
          'max(#, #)', 'instr(#, #)', 'replace(#, #, #)', 'iif(#, #, #)', 'sign(#)', 'unicode(#)',
        ]);
        return f.replace(/#/g, () => e());
      }
    }
  }

  pred(cols: readonly string[], depth = 2): string {
    const r = this.rng;
    const c = (): string => (cols.length > 0 ? r.pick(cols) : literal(r));
    switch (r.int(0, 5)) {
      case 0:
        return `${c()} ${r.pick(['=', '<>', '<', '<=', '>', '>='])} ${literal(r)}`;
      case 1:
        return `${c()} IS ${r.chance(0.5) ? 'NOT ' : ''}NULL`;
      case 2:
        return `${c()} IN (${literal(r)}, ${literal(r)}, ${smallInt(r)})`;
      case 3:
        return `${c()} BETWEEN ${smallInt(r)} AND ${smallInt(r)}`;
      case 4:
        return `NOT (${c()} > ${smallInt(r)})`;
      default:
        return this.expr(cols, depth);
    }
  }

  // ---- queries ----

  private colsOf(t: Table, alias?: string): string[] {
    return t.cols.map((c) => (alias ? `${alias}.${c.name}` : c.name));
  }

  private select(category: Category, tables: readonly Table[]): string {
    const r = this.rng;
    const t = r.pick(tables);
    const cols = this.colsOf(t);
    const where = (): string => (r.chance(0.6) ? ` WHERE ${this.pred(cols)}` : '');
    const proj = (n: number, cs: readonly string[]): string[] => Array.from({ length: n }, () => this.expr(cs, r.int(0, 2)));
    const orderAll = (n: number): string =>
      ` ORDER BY ${Array.from({ length: n }, (_, i) => `${i + 1}${r.pick(['', ' DESC', ' ASC', ' NULLS FIRST', ' DESC NULLS LAST'])}`).join(', ')}`;
    switch (category) {
      case 'expr':
        return `SELECT ${proj(r.int(1, 4), cols).join(', ')} FROM ${t.name}`;
      case 'where':
        return `SELECT ${cols.join(', ')} FROM ${t.name} WHERE ${this.pred(cols, 3)}`;
      case 'aggregate': {
        const agg = (): string =>
          r.pick([
            'count(*)', `count(${r.pick(cols)})`, `count(DISTINCT ${r.pick(cols)})`, `sum(${r.pick(cols)})`, `total(${r.pick(cols)})`,
            `avg(${r.pick(cols)})`, `min(${this.expr(cols, 1)})`, `max(${this.expr(cols, 1)})`, `sum(DISTINCT ${r.pick(cols)})`,
          ]);
        if (r.chance(0.3)) return `SELECT ${agg()}, ${agg()} FROM ${t.name}${where()}`;
        const g = r.chance(0.7) ? r.pick(cols) : this.expr(cols, 1);
        const having = r.chance(0.4) ? ` HAVING ${r.pick(['count(*) > 1', `${agg()} IS NOT NULL`, `min(${r.pick(cols)}) < 5`])}` : '';
        return `SELECT ${g}, ${agg()}, ${agg()} FROM ${t.name}${where()} GROUP BY ${g}${having}`;
      }
      case 'order-limit': {
        const n = r.int(1, 3);
        const limit = r.chance(0.7) ? ` LIMIT ${r.int(0, 6)}${r.chance(0.4) ? ` OFFSET ${r.int(0, 4)}` : ''}` : '';
        return `SELECT ${r.chance(0.3) ? 'DISTINCT ' : ''}${proj(n, cols).join(', ')} FROM ${t.name}${where()}${orderAll(n)}${limit}`;
      }
      case 'join': {
        const u = r.pick(tables);
        const ca = this.colsOf(t, 'a');
        const cb = this.colsOf(u, 'b');
        const kind = r.pick(['JOIN', 'INNER JOIN', 'LEFT JOIN', 'CROSS JOIN', 'LEFT OUTER JOIN']);
        const on = kind === 'CROSS JOIN' ? '' : ` ON ${r.pick(ca)} ${r.pick(['=', '<', '>=', 'IS'])} ${r.pick(cb)}`;
        const w = r.chance(0.4) ? ` WHERE ${this.pred([...ca, ...cb])}` : '';
        return `SELECT ${proj(r.int(1, 3), [...ca, ...cb]).join(', ')} FROM ${t.name} a ${kind} ${u.name} b${on}${w}`;
      }
      case 'subquery': {
        const u = r.pick(tables);
        const ca = this.colsOf(t, 'a');
        const cb = this.colsOf(u, 'b');
        const corr = r.chance(0.5) ? ` WHERE ${r.pick(cb)} ${r.pick(['=', '<', '>'])} ${r.pick(ca)}` : '';
        switch (r.int(0, 3)) {
          case 0:
            return `SELECT ${r.pick(ca)}, (SELECT ${r.pick(['max', 'min', 'count', 'sum'])}(${r.pick(cb)}) FROM ${u.name} b${corr}) FROM ${t.name} a`;
          case 1:
            return `SELECT ${ca.join(', ')} FROM ${t.name} a WHERE ${r.pick(ca)} ${r.chance(0.3) ? 'NOT ' : ''}IN (SELECT ${r.pick(cb)} FROM ${u.name} b${corr})`;
          case 2:
            return `SELECT ${ca.join(', ')} FROM ${t.name} a WHERE ${r.chance(0.3) ? 'NOT ' : ''}EXISTS (SELECT 1 FROM ${u.name} b${corr})`;
          default:
            return `SELECT ${r.pick(ca)} FROM ${t.name} a WHERE ${r.pick(ca)} ${r.pick(['>', '=', '<='])} (SELECT avg(${r.pick(cb)}) FROM ${u.name} b${corr})`;
        }
      }
      case 'compound': {
        const u = r.pick(tables);
        const n = r.int(1, 2);
        const left = `SELECT ${proj(n, cols).join(', ')} FROM ${t.name}${where()}`;
        const ucols = this.colsOf(u);
        const right = `SELECT ${proj(n, ucols).join(', ')} FROM ${u.name}${r.chance(0.5) ? ` WHERE ${this.pred(ucols)}` : ''}`;
        const op = r.pick(['UNION', 'UNION ALL', 'INTERSECT', 'EXCEPT']);
        return `${left} ${op} ${right}${r.chance(0.4) ? orderAll(n) : ''}`;
      }
      default:
        throw new Error(`not a query category: ${category}`);
    }
  }

  private dml(tables: readonly Table[]): string {
    const r = this.rng;
    const t = r.pick(tables);
    const cols = this.colsOf(t);
    switch (r.int(0, 4)) {
      case 0:
      case 1:
        return this.insert(t, true);
      case 2: {
        const sets = t.cols.filter(() => r.chance(0.5));
        const use = sets.length > 0 ? sets : [r.pick(t.cols)];
        const verb = r.pick(['UPDATE', 'UPDATE', 'UPDATE OR IGNORE', 'UPDATE OR REPLACE']);
        return `${verb} ${t.name} SET ${use.map((c) => `${c.name} = ${t.ipk && c === t.cols[0] ? r.pick(ROWID_LITERALS) : this.expr(cols, 1)}`).join(', ')}${r.chance(0.7) ? ` WHERE ${this.pred(cols)}` : ''}`;
      }
      case 3: {
        const u = r.pick(tables);
        const n = t.cols.length;
        const src = this.colsOf(u);
        return `INSERT OR IGNORE INTO ${t.name} SELECT ${Array.from({ length: n }, (_, i) => (t.ipk && i === 0 ? r.pick(ROWID_LITERALS) : this.expr(src, 1))).join(', ')} FROM ${u.name}`;
      }
      default:
        return `DELETE FROM ${t.name}${r.chance(0.85) ? ` WHERE ${this.pred(cols)}` : ''}`;
    }
  }

  private transaction(tables: readonly Table[]): string[] {
    const r = this.rng;
    const out: string[] = ['BEGIN'];
    const steps = r.int(1, 4);
    for (let i = 0; i < steps; i++) out.push(this.dml(tables));
    if (r.chance(0.5)) {
      out.push('SAVEPOINT sp1');
      out.push(this.dml(tables), this.dml(tables));
      out.push(r.pick(['ROLLBACK TO sp1', 'RELEASE sp1', 'ROLLBACK TO SAVEPOINT sp1']));
      out.push(`SELECT count(*) FROM ${r.pick(tables).name}`);
    }
    out.push(r.pick(['COMMIT', 'ROLLBACK', 'END']));
    return out;
  }

  /** The next test case; categories go round-robin so every run covers all of them. */
  nextCase(index: number): DiffCase {
    const category = CATEGORIES[index % CATEGORIES.length]!;
    const { tables, setup } = this.schema();
    const statements: string[] = [];
    const n = this.rng.int(3, 6);
    for (let i = 0; i < n; i++) {
      if (category === 'transaction') statements.push(...this.transaction(tables));
      else if (category === 'dml') statements.push(this.dml(tables));
      else statements.push(this.select(category, tables));
    }
    return { category, setup, statements, tables: tables.map((t) => t.name) };
  }
}

/** A follow-up query that reads a whole table, rowid included, for comparing end states. */
export function tableStateQuery(table: string): string {
  return `SELECT rowid, * FROM ${table}`;
}
