// A small fake Engine for the API tests, until the real one lands. It understands just enough SQL
// to stand in for SQLite in differential tests of the API layer:
//
//   SELECT item, item, ...        item: a parameter (?, ?NNN, :a, @a, $a), typeof(param), an
//                                 integer/real/'text' literal, or f(params) for a registered
//                                 function; optional `AS name`. `SELECT agg(n) FROM nums` runs a
//                                 registered aggregate over 1, 2, 3; `fail()` throws SQLITE_ERROR.
//   BEGIN [DEFERRED|IMMEDIATE|EXCLUSIVE], COMMIT, ROLLBACK, SAVEPOINT x, RELEASE x, ROLLBACK TO x
//   INSERT ... (one change, growing rowid), CREATE ... (no change), PRAGMA user_version [= N]
//   anything in `canned` (exact text), for shapes the above cannot express.
//
// Every statement the API executes is appended to `log`, so tests can assert the exact sequence
// (transactions) and compare it with better-sqlite3's `verbose` output.
import type {
  CompiledStatement,
  Engine,
  ParameterSlots,
  ResultColumnInfo,
  RowCursor,
  RunResult,
  UserAggregate,
  UserFunction,
} from '../../src/exec/compiled-statement';
import { AmberError } from '../../src/value/amber-error';
import { RealBox, storageClass, type SqlValue } from '../../src/value/types';

export interface CannedStatement {
  readonly reader: boolean;
  readonly readonly?: boolean;
  readonly columns?: readonly ResultColumnInfo[];
  readonly rows?: readonly SqlValue[][];
  readonly run?: RunResult;
}

const PARAM = /\?(\d+)?|[:@$][A-Za-z_][A-Za-z0-9_]*/g;

function column(name: string): ResultColumnInfo {
  return { name, column: null, table: null, database: null, type: null };
}

export class FakeEngine implements Engine {
  readonly log: string[] = [];
  readonly canned = new Map<string, CannedStatement>();
  readonly functions = new Map<string, UserFunction>();
  readonly aggregates = new Map<string, UserAggregate>();
  closed = false;
  private savepoints: string[] = [];
  private explicit = false;
  private rowid = 0;
  private userVersion = 0;
  openCursors = 0;

  get inTransaction(): boolean {
    return this.explicit || this.savepoints.length > 0;
  }

  prepare(sql: string, offset = 0): { statement: CompiledStatement | null; end: number } {
    let i = offset;
    for (;;) {
      while (i < sql.length && /[\s;]/.test(sql[i] as string)) i++;
      if (sql.startsWith('--', i)) {
        const nl = sql.indexOf('\n', i);
        i = nl < 0 ? sql.length : nl + 1;
      } else if (sql.startsWith('/*', i)) {
        const close = sql.indexOf('*/', i + 2);
        i = close < 0 ? sql.length : close + 2;
      } else break;
    }
    if (i >= sql.length) return { statement: null, end: sql.length };
    const semi = sql.indexOf(';', i);
    const end = semi < 0 ? sql.length : semi + 1;
    const text = sql.slice(i, semi < 0 ? sql.length : semi).trim();
    return { statement: this.compile(text), end };
  }

  registerFunction(fn: UserFunction): void {
    this.functions.set(fn.name.toLowerCase(), fn);
  }

  registerAggregate(agg: UserAggregate): void {
    this.aggregates.set(agg.name.toLowerCase(), agg);
  }

  close(): void {
    this.closed = true;
  }

  private compile(text: string): CompiledStatement {
    if (/^SELE\b/i.test(text)) throw new AmberError('near "SELE": syntax error', 'SQLITE_ERROR', { offset: 0, line: 1, column: 1 });
    const parameters = parameterSlots(text);
    const canned = this.canned.get(text);
    if (canned !== undefined) {
      return this.statement(text, parameters, canned.reader, canned.readonly ?? !canned.reader, canned.columns ?? [], () => canned.rows ?? [], () => canned.run ?? { changes: 0, lastInsertRowid: this.rowid });
    }
    const select = /^SELECT\s+([\s\S]*?)(?:\s+FROM\s+nums)?$/i.exec(text);
    if (select !== null) return this.compileSelect(text, parameters, select[1] as string, /\sFROM\s+nums$/i.test(text));
    const upper = text.toUpperCase();
    if (/^PRAGMA USER_VERSION$/.test(upper)) {
      return this.statement(text, parameters, true, true, [column('user_version')], () => [[this.userVersion]], () => ({ changes: 0, lastInsertRowid: this.rowid }));
    }
    const setVersion = /^PRAGMA USER_VERSION\s*=\s*(\d+)$/.exec(upper);
    if (setVersion !== null) {
      return this.action(text, parameters, false, () => {
        this.userVersion = Number(setVersion[1]);
        return 0;
      });
    }
    if (upper.startsWith('INSERT')) return this.action(text, parameters, false, () => (this.rowid++, 1));
    if (upper.startsWith('CREATE')) return this.action(text, parameters, false, () => 0);
    if (/^BEGIN\b/.test(upper)) {
      return this.action(text, parameters, false, () => {
        if (this.inTransaction) throw new AmberError('cannot start a transaction within a transaction');
        this.explicit = true;
        return 0;
      });
    }
    if (upper === 'COMMIT' || upper === 'END') {
      return this.action(text, parameters, false, () => {
        if (!this.inTransaction) throw new AmberError('cannot commit - no transaction is active');
        this.explicit = false;
        this.savepoints = [];
        return 0;
      });
    }
    if (upper === 'ROLLBACK') {
      return this.action(text, parameters, false, () => {
        if (!this.inTransaction) throw new AmberError('cannot rollback - no transaction is active');
        this.explicit = false;
        this.savepoints = [];
        return 0;
      });
    }
    const sp = /^(SAVEPOINT|RELEASE|ROLLBACK TO)\s+([\s\S]+)$/i.exec(text);
    if (sp !== null) {
      const kind = (sp[1] as string).toUpperCase();
      const name = sp[2] as string;
      return this.action(text, parameters, false, () => {
        if (kind === 'SAVEPOINT') this.savepoints.push(name);
        else {
          const at = this.savepoints.lastIndexOf(name);
          if (at < 0) throw new AmberError(`no such savepoint: ${name}`);
          if (kind === 'RELEASE') this.savepoints.length = at;
          else this.savepoints.length = at + 1;
        }
        return 0;
      });
    }
    throw new AmberError(`fake engine cannot compile: ${text}`);
  }

  private compileSelect(text: string, parameters: ParameterSlots, list: string, fromNums: boolean): CompiledStatement {
    let slotOf = slotResolver(parameters);
    const items = splitTopLevel(list).map((raw) => {
      const m = /^\s*([\s\S]*?)(?:\s+AS\s+("?)([^"\s]+)\2)?\s*$/i.exec(raw) as RegExpExecArray;
      const expr = (m[1] as string).trim();
      return { expr, name: m[3] ?? expr };
    });
    const evaluate = (expr: string, params: readonly SqlValue[]): SqlValue => {
      if (/^(\?\d*|[:@$]\w+)$/.test(expr)) return params[slotOf(expr)] ?? null;
      const typeOf = /^typeof\((.*)\)$/i.exec(expr);
      if (typeOf !== null) return storageClass(evaluate(typeOf[1] as string, params));
      if (/^9223372036854775807$/.test(expr)) return 9223372036854775807n;
      if (/^-?\d+$/.test(expr)) return Number(expr);
      if (/^-?\d+\.\d*$/.test(expr)) return Number.isInteger(Number(expr)) ? new RealBox(Number(expr)) : Number(expr);
      if (/^'.*'$/.test(expr)) return expr.slice(1, -1);
      if (/^x'[0-9a-f]*'$/i.test(expr)) return Uint8Array.from(Buffer.from(expr.slice(2, -1), 'hex'));
      if (/^null$/i.test(expr)) return null;
      const call = /^(\w+)\((.*)\)$/.exec(expr);
      if (call !== null) {
        const name = (call[1] as string).toLowerCase();
        if (name === 'fail') throw new AmberError('fake failure', 'SQLITE_ERROR');
        const fn = this.functions.get(name);
        if (fn === undefined) throw new AmberError(`no such function: ${call[1]}`);
        const args = (call[2] as string).trim() === '' ? [] : splitTopLevel(call[2] as string).map((a) => a.trim()) .map((a) => evaluate(a, params));
        return fn.call(args);
      }
      throw new AmberError(`fake engine cannot evaluate: ${expr}`);
    };
    const rows = (params: readonly SqlValue[]): SqlValue[][] => {
      slotOf = slotResolver(parameters);
      if (!fromNums) return [items.map((it) => evaluate(it.expr, params))];
      return [
        items.map((it) => {
          const call = /^(\w+)\((\w*)\)$/.exec(it.expr) as RegExpExecArray;
          const agg = this.aggregates.get((call[1] as string).toLowerCase());
          if (agg === undefined) throw new AmberError(`no such function: ${call[1]}`);
          let state = agg.start();
          for (const n of [1, 2, 3]) state = agg.step(state, [n]);
          return agg.result(state);
        }),
      ];
    };
    const columns = items.map((it) => column(it.name));
    return this.statement(text, parameters, true, true, columns, rows, (params) => {
      rows(params);
      return { changes: 0, lastInsertRowid: this.rowid };
    });
  }

  private action(text: string, parameters: ParameterSlots, readonly: boolean, effect: () => number): CompiledStatement {
    return this.statement(text, parameters, false, readonly, [], () => [], () => ({ changes: effect(), lastInsertRowid: this.rowid }));
  }

  private statement(
    source: string,
    parameters: ParameterSlots,
    reader: boolean,
    readonly: boolean,
    columns: readonly ResultColumnInfo[],
    rows: (params: readonly SqlValue[]) => readonly SqlValue[][],
    run: (params: readonly SqlValue[]) => RunResult,
  ): CompiledStatement {
    const engine = this;
    return {
      source,
      reader,
      readonly,
      columns,
      parameters,
      run(params: readonly SqlValue[]): RunResult {
        engine.log.push(source);
        return run(params);
      },
      iterate(params: readonly SqlValue[]): RowCursor {
        engine.log.push(source);
        const all = rows(params);
        let at = 0;
        let open = true;
        engine.openCursors++;
        return {
          next: () => (open ? all[at++] : undefined),
          close: () => {
            if (open) engine.openCursors--;
            open = false;
          },
        };
      },
    };
  }
}

/** SQLite's numbering: `?` takes max+1, `?NNN` takes NNN, a repeated name reuses its slot. */
function parameterSlots(text: string): ParameterSlots {
  const names: (string | null)[] = [];
  const stripped = text.replace(/`[^`]*`|'[^']*'/g, (s) => ' '.repeat(s.length));
  for (const m of stripped.matchAll(PARAM)) {
    const token = m[0];
    if (token === '?') names.push(null);
    else if (m[1] !== undefined) {
      const n = Number(m[1]);
      while (names.length < n) names.push(null);
      names[n - 1] = token;
    } else if (!names.includes(token)) names.push(token);
  }
  return { count: names.length, names };
}

function slotResolver(parameters: ParameterSlots): (token: string) => number {
  let anon = 0;
  return (token) => {
    if (token === '?') {
      // the k-th bare ? in text order is the k-th slot without a name... close enough for tests
      while (parameters.names[anon] != null) anon++;
      return anon++;
    }
    if (/^\?\d+$/.test(token)) return Number(token.slice(1)) - 1;
    return parameters.names.indexOf(token);
  };
}

/** Splits on commas outside parentheses and quotes. */
function splitTopLevel(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === "'") quoted = !quoted;
    else if (quoted) continue;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(list.slice(start, i));
      start = i + 1;
    }
  }
  out.push(list.slice(start));
  return out;
}
