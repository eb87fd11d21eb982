// Finds, in the stored text of a catalog object, the exact tokens that name a given table or a given
// column of it: what ALTER TABLE RENAME / RENAME COLUMN rewrite and what DROP COLUMN refuses to
// break. In: the object's CREATE text, parsed again (`loc` offsets point into that text). Out: token
// spans with the table (and column) they resolve to. Never changes anything itself.
//
// Resolution follows SQLite's rules closely enough for schema text: an unqualified name belongs to
// the innermost FROM that has such a column; `x.c` belongs to the FROM item named or aliased x; a
// trigger sees NEW and OLD as its table. Names the AST keeps only as strings (INSERT column lists,
// UPDATE SET targets, UPDATE OF, FOREIGN KEY columns) are found by scanning the tokens of their
// statement's span.
import type {
  ColumnConstraint, CreateIndexStatement, CreateTableStatement, CreateTriggerStatement, CreateViewStatement, Expr, ForeignKeyClause,
  FromItem, ResultColumn, SelectBody, SelectStatement, Statement, TableConstraint,
} from '../sql/ast';
import { scanToken, type Token } from '../sql/tokenizer';

/** A token naming a table, or a column of a table (`table` is the real table name, lower case). */
export interface NameRef {
  readonly kind: 'table' | 'column';
  readonly table: string;
  /** Lower-case column name (kind 'column'). */
  readonly column: string;
  readonly start: number;
  readonly end: number;
  /** The whole reference as written (`new.b`, `t.c`), for error messages. */
  readonly text: string;
}

/** Column names of a table or view by lower-case name, or null when no such object. */
export type ColumnsOf = (name: string) => { readonly table: boolean; readonly columns: readonly string[] } | null;

interface Source {
  /** The name the FROM item is known by (alias, else table name), lower case. */
  readonly name: string;
  /** The real table (lower case) when the source is a table; null for views, subqueries, CTEs. */
  readonly table: string | null;
  readonly columns: readonly string[];
}
type Frame = readonly Source[];

/** Non-space tokens that start in [start, end). */
export function tokensIn(sql: string, start: number, end: number): Token[] {
  const out: Token[] = [];
  for (let i = start; i < end && i < sql.length;) {
    const t = scanToken(sql, i);
    if (t.kind !== 'space') out.push(t);
    i = t.end;
  }
  return out;
}

/** The identifier a token spells, unquoted (`"a""b"` -> `a"b`, `[x]` -> `x`). */
export function identOf(sql: string, t: Token): string {
  const s = sql.slice(t.start, t.end);
  const q = s[0];
  if (q === '"' || q === '`' || q === "'") return s.slice(1, -1).split(q + q).join(q);
  if (q === '[') return s.slice(1, -1);
  return s;
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export class RefCollector {
  readonly refs: NameRef[] = [];
  /** Column names to resolve a CREATE TABLE's own references with, instead of its definitions. */
  selfColumns: readonly string[] | null = null;

  constructor(private readonly sql: string, private readonly columnsOf: ColumnsOf) {}

  private push(kind: 'table' | 'column', table: string, column: string, t: Token, text: string): void {
    this.refs.push({ kind, table: table.toLowerCase(), column: column.toLowerCase(), start: t.start, end: t.end, text });
  }

  /** The first token in [from, to) that spells `name` (unquoted), if any. */
  private findIdent(from: number, to: number, name: string): Token | undefined {
    return tokensIn(this.sql, from, to).find((t) => same(identOf(this.sql, t), name));
  }

  /** The first bare keyword token `word` in [from, to). */
  private findKeyword(from: number, to: number, word: string): Token | undefined {
    return tokensIn(this.sql, from, to).find((t) => /^[A-Za-z]/.test(this.sql[t.start] ?? '') && same(this.sql.slice(t.start, t.end), word));
  }

  private tableFrame(name: string, alias: string | null = null): Source[] {
    const c = this.columnsOf(name.toLowerCase());
    return [{ name: (alias ?? name).toLowerCase(), table: c?.table ? name.toLowerCase() : null, columns: c?.columns.map((x) => x.toLowerCase()) ?? [] }];
  }

  // ---- statements -----------------------------------------------------------------------------

  statement(stmt: Statement): void {
    switch (stmt.kind) {
      case 'create-table': return this.createTable(stmt);
      case 'create-index': return this.createIndex(stmt);
      case 'create-view': return this.createView(stmt);
      case 'create-trigger': return this.createTrigger(stmt);
      default: return;
    }
  }

  private createTable(stmt: CreateTableStatement): void {
    const frame: Frame = [{ name: stmt.name.toLowerCase(), table: stmt.name.toLowerCase(), columns: (this.selfColumns ?? stmt.columns.map((c) => c.name)).map((c) => c.toLowerCase()) }];
    const nameTok = this.findIdent(stmt.loc.start, stmt.columns[0]?.loc.start ?? stmt.loc.end, stmt.name);
    if (nameTok) this.push('table', stmt.name, '', nameTok, stmt.name);
    for (const def of stmt.columns) {
      const t = tokensIn(this.sql, def.loc.start, def.loc.end)[0];
      if (t) this.push('column', stmt.name, def.name, t, def.name);
      for (const k of def.constraints) this.columnConstraint(stmt.name, def.name, k, [frame]);
    }
    for (const k of stmt.constraints) this.tableConstraint(stmt.name, k, [frame]);
  }

  private columnConstraint(table: string, column: string, k: ColumnConstraint, frames: Frame[]): void {
    if (k.kind === 'check' || k.kind === 'default' || k.kind === 'generated') this.expr(k.expr, frames);
    else if (k.kind === 'references') this.foreignKey(k.fk);
    void table; void column;
  }

  private tableConstraint(table: string, k: TableConstraint, frames: Frame[]): void {
    switch (k.kind) {
      case 'primary-key':
      case 'unique':
        for (const c of k.columns) this.expr(c.expr, frames);
        return;
      case 'check':
        this.expr(k.expr, frames);
        return;
      case 'foreign-key': {
        const refs = this.findKeyword(k.loc.start, k.fk.loc.end, 'REFERENCES');
        const to = refs ? refs.start : k.fk.loc.start;
        for (const t of tokensIn(this.sql, k.loc.start, to)) {
          const name = identOf(this.sql, t);
          if (k.columns.some((c) => same(c, name))) this.push('column', table, name, t, name);
        }
        this.foreignKey(k.fk);
        return;
      }
    }
  }

  /** `REFERENCES parent(cols)`: the parent table and its columns. */
  private foreignKey(fk: ForeignKeyClause): void {
    const toks = tokensIn(this.sql, fk.loc.start, fk.loc.end);
    let i = toks.findIndex((t) => same(identOf(this.sql, t), fk.table) && !same(this.sql.slice(t.start, t.end), 'REFERENCES'));
    if (i < 0) return;
    this.push('table', fk.table, '', toks[i]!, fk.table);
    if (!fk.columns) return;
    if (this.sql.slice(toks[i + 1]?.start ?? 0, toks[i + 1]?.end ?? 0) !== '(') return;
    for (i += 2; i < toks.length; i++) {
      const t = toks[i]!;
      const s = this.sql.slice(t.start, t.end);
      if (s === ')') break;
      if (s !== ',') this.push('column', fk.table, identOf(this.sql, t), t, identOf(this.sql, t));
    }
  }

  private createIndex(stmt: CreateIndexStatement): void {
    const on = this.findKeyword(stmt.loc.start, stmt.loc.end, 'ON');
    const t = on ? this.findIdent(on.end, stmt.loc.end, stmt.table) : undefined;
    if (t) this.push('table', stmt.table, '', t, stmt.table);
    const frames = [this.tableFrame(stmt.table)];
    for (const c of stmt.columns) this.expr(c.expr, frames);
    if (stmt.where) this.expr(stmt.where, frames);
  }

  private createView(stmt: CreateViewStatement): void {
    this.select(stmt.select, []);
  }

  private createTrigger(stmt: CreateTriggerStatement): void {
    const on = this.findKeyword(stmt.loc.start, stmt.loc.end, 'ON');
    if (on) {
      const t = this.findIdent(on.end, stmt.loc.end, stmt.table);
      if (t) this.push('table', stmt.table, '', t, stmt.table);
      if (stmt.columns) {
        const of = this.findKeyword(stmt.loc.start, on.start, 'OF');
        for (const tok of tokensIn(this.sql, of ? of.end : on.start, on.start)) {
          const name = identOf(this.sql, tok);
          if (stmt.columns.some((c) => same(c, name))) this.push('column', stmt.table, name, tok, name);
        }
      }
    }
    const base = this.tableFrame(stmt.table);
    const pseudo: Frame = [{ ...base[0]!, name: 'new' }, { ...base[0]!, name: 'old' }];
    if (stmt.when) this.expr(stmt.when, [pseudo]);
    for (const s of stmt.body) {
      switch (s.kind) {
        case 'select':
          this.select(s, [pseudo]);
          break;
        case 'insert': {
          const into = this.findKeyword(s.loc.start, s.loc.end, 'INTO');
          const end = s.source ? s.source.loc.start : s.loc.end;
          const t = this.findIdent(into ? into.end : s.loc.start, end, s.table);
          if (t) {
            this.push('table', s.table, '', t, s.table);
            if (s.columns) {
              for (const tok of tokensIn(this.sql, t.end, end)) {
                const name = identOf(this.sql, tok);
                if (s.columns.some((c) => same(c, name))) this.push('column', s.table, name, tok, name);
              }
            }
          }
          if (s.source) this.select(s.source, [pseudo]);
          break;
        }
        case 'update': {
          const t = this.findIdent(s.loc.start, s.sets[0]?.loc.start ?? s.loc.end, s.table);
          if (t) this.push('table', s.table, '', t, s.table);
          const frames = [pseudo, this.tableFrame(s.table, s.alias)];
          for (const set of s.sets) {
            for (const tok of tokensIn(this.sql, set.loc.start, set.value.loc.start)) {
              const name = identOf(this.sql, tok);
              if (set.columns.some((c) => same(c, name))) this.push('column', s.table, name, tok, name);
            }
            this.expr(set.value, frames);
          }
          if (s.where) this.expr(s.where, frames);
          break;
        }
        case 'delete': {
          const from = this.findKeyword(s.loc.start, s.loc.end, 'FROM');
          const t = this.findIdent(from ? from.end : s.loc.start, s.loc.end, s.table);
          if (t) this.push('table', s.table, '', t, s.table);
          if (s.where) this.expr(s.where, [pseudo, this.tableFrame(s.table, s.alias)]);
          break;
        }
      }
    }
  }

  // ---- queries ----------------------------------------------------------------------------------

  /** Walks a SELECT; returns its result column names (lower case) for the scope of an outer query. */
  select(sel: SelectStatement, outer: Frame[], ctes: ReadonlyMap<string, readonly string[]> = new Map()): string[] {
    let names = ctes;
    if (sel.with) {
      const m = new Map(ctes);
      for (const cte of sel.with.ctes) {
        const cols = this.select(cte.select, outer, m);
        m.set(cte.name.toLowerCase(), cte.columns ? cte.columns.map((c) => c.toLowerCase()) : cols);
      }
      names = m;
    }
    const { columns, frame } = this.body(sel.body, outer, names);
    const inner = frame ? [frame, ...outer] : outer;
    for (const o of sel.orderBy) {
      // An ORDER BY name that is a result alias names the result column, not a table column.
      if (o.expr.kind === 'column' && o.expr.table === null && columns.includes(o.expr.name.toLowerCase()) && !frame?.some((s) => s.columns.includes(o.expr.kind === 'column' ? o.expr.name.toLowerCase() : ''))) continue;
      this.expr(o.expr, inner, names);
    }
    if (sel.limit) {
      this.expr(sel.limit.limit, outer, names);
      if (sel.limit.offset) this.expr(sel.limit.offset, outer, names);
    }
    return columns;
  }

  private body(b: SelectBody, outer: Frame[], ctes: ReadonlyMap<string, readonly string[]>): { columns: string[]; frame: Frame | null } {
    switch (b.kind) {
      case 'values':
        for (const r of b.rows) for (const e of r) this.expr(e, outer, ctes);
        return { columns: (b.rows[0] ?? []).map((_, i) => `column${i + 1}`), frame: null };
      case 'compound': {
        const left = this.body(b.left, outer, ctes);
        this.body(b.right, outer, ctes);
        return { columns: left.columns, frame: null };
      }
      case 'select-core': {
        const frame: Source[] = [];
        if (b.from) this.from(b.from, frame, outer, ctes);
        const frames = [frame, ...outer];
        const columns: string[] = [];
        for (const c of b.columns) columns.push(...this.resultColumn(c, frame, frames, ctes));
        if (b.where) this.expr(b.where, frames, ctes);
        for (const g of b.groupBy) this.expr(g, frames, ctes);
        if (b.having) this.expr(b.having, frames, ctes);
        return { columns, frame };
      }
    }
  }

  private resultColumn(c: ResultColumn, frame: Frame, frames: Frame[], ctes: ReadonlyMap<string, readonly string[]>): string[] {
    switch (c.kind) {
      case 'star':
        return frame.flatMap((s) => s.columns);
      case 'table-star':
        return frame.find((s) => same(s.name, c.table))?.columns.slice() ?? [];
      case 'result-expr':
        this.expr(c.expr, frames, ctes);
        return [(c.alias ?? (c.expr.kind === 'column' ? c.expr.name : this.sql.slice(c.expr.loc.start, c.expr.loc.end))).toLowerCase()];
    }
  }

  private from(f: FromItem, frame: Source[], outer: Frame[], ctes: ReadonlyMap<string, readonly string[]>): void {
    switch (f.kind) {
      case 'table-ref': {
        const k = f.name.toLowerCase();
        const cte = f.schema === null ? ctes.get(k) : undefined;
        if (cte) {
          frame.push({ name: (f.alias ?? f.name).toLowerCase(), table: null, columns: cte });
          return;
        }
        const toks = tokensIn(this.sql, f.loc.start, f.loc.end);
        const t = toks[f.schema !== null ? 2 : 0];
        if (t) this.push('table', f.name, '', t, f.name);
        if (f.args) for (const a of f.args) this.expr(a, outer, ctes);
        frame.push(...this.tableFrame(f.name, f.alias));
        return;
      }
      case 'subquery-ref': {
        const columns = this.select(f.select, outer, ctes);
        frame.push({ name: (f.alias ?? '').toLowerCase(), table: null, columns });
        return;
      }
      case 'join':
        this.from(f.left, frame, outer, ctes);
        this.from(f.right, frame, outer, ctes);
        if (f.on) this.expr(f.on, [frame, ...outer], ctes);
        return;
    }
  }

  expr(e: Expr, frames: readonly Frame[], ctes: ReadonlyMap<string, readonly string[]> = new Map()): void {
    const w = (x: Expr | null): void => { if (x) this.expr(x, frames, ctes); };
    switch (e.kind) {
      case 'column': return this.column(e, frames);
      case 'unary': return w(e.operand);
      case 'binary': w(e.left); w(e.right); return;
      case 'collate': return w(e.expr);
      case 'like': w(e.left); w(e.right); w(e.escape); return;
      case 'between': w(e.expr); w(e.low); w(e.high); return;
      case 'in':
        w(e.expr);
        if (e.source.kind === 'list') e.source.items.forEach(w);
        else if (e.source.kind === 'select') this.select(e.source.select, [...frames], ctes);
        else {
          const t = tokensIn(this.sql, e.expr.loc.end, e.loc.end).find((x) => same(identOf(this.sql, x), e.source.kind === 'table' ? e.source.name : ''));
          if (t) this.push('table', e.source.name, '', t, e.source.name);
        }
        return;
      case 'isnull': return w(e.expr);
      case 'exists':
      case 'subquery':
        this.select(e.select, [...frames], ctes);
        return;
      case 'case': w(e.operand); for (const c of e.whens) { w(c.when); w(c.then); } w(e.else); return;
      case 'cast': return w(e.expr);
      case 'call': e.args.forEach(w); w(e.filter); for (const o of e.orderBy ?? []) w(o.expr); return;
      case 'row': e.items.forEach(w); return;
      case 'raise': return w(e.message);
      default: return;
    }
  }

  private column(e: Extract<Expr, { kind: 'column' }>, frames: readonly Frame[]): void {
    const toks = tokensIn(this.sql, e.loc.start, e.loc.end);
    const nameTok = toks[toks.length - 1];
    if (!nameTok) return;
    const text = this.sql.slice(e.loc.start, e.loc.end);
    const col = e.name.toLowerCase();
    for (const frame of frames) {
      let hit: Source | undefined;
      if (e.table !== null) hit = frame.find((s) => same(s.name, e.table!));
      else hit = frame.find((s) => s.columns.includes(col));
      if (!hit) continue;
      if (hit.table !== null) {
        if (e.table !== null && same(e.table, hit.table)) {
          const qual = toks[toks.length - 3];
          if (qual) this.push('table', hit.table, '', qual, e.table);
        }
        this.push('column', hit.table, col, nameTok, text);
      }
      return;
    }
  }
}
