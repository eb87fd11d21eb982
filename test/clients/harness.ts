// Real-client harness: every scenario is app code written against a better-sqlite3 Database
// handle. It runs once on better-sqlite3 (the reference) and once on AmberDB, and the two
// results are deep-compared. Both handles are traced (every statement the client prepares,
// with its parameters and its answer) so that a divergence names the first statement on
// which AmberDB rejected or answered differently.
import BetterSqlite3 from 'better-sqlite3';
import Database from '../../src';
import { KNOWN_GAPS } from './known-gaps';

export type Engine = 'sqlite' | 'amber';
/** The better-sqlite3 surface the clients use; AmberDB's Database has the same shape. */
export type Db = BetterSqlite3.Database;
export type Scenario = (db: Db) => Promise<unknown>;

export interface TraceEntry {
  sql: string;
  method: string;
  args: unknown[];
  out?: unknown;
  error?: string;
}

const STATEMENT_METHODS = new Set(['run', 'get', 'all', 'iterate']);
const CHAINING_METHODS = new Set(['raw', 'pluck', 'expand', 'safeIntegers', 'bind']);

function errorText(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return `${e.constructor.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${e.message}`;
  }
  return String(e);
}

/** Wraps a Database so that prepare() and statement execution are recorded in `trace`. */
export function traced(db: Db, trace: TraceEntry[]): Db {
  const wrapStatement = (stmt: object, sql: string): object => {
    const proxy: object = new Proxy(stmt, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (typeof value !== 'function' || typeof prop !== 'string') return value;
        const fn = value as (...a: unknown[]) => unknown;
        if (CHAINING_METHODS.has(prop)) {
          return (...args: unknown[]) => {
            const r = fn.apply(target, args);
            return r === target ? proxy : r;
          };
        }
        if (!STATEMENT_METHODS.has(prop)) return fn.bind(target);
        return (...args: unknown[]) => {
          const entry: TraceEntry = { sql, method: prop, args };
          trace.push(entry);
          try {
            const r = fn.apply(target, args);
            if (prop === 'iterate') {
              const rows: unknown[] = [];
              entry.out = rows;
              const it = r as IterableIterator<unknown>;
              return {
                next(): IteratorResult<unknown> {
                  try {
                    const n = it.next();
                    if (!n.done) rows.push(n.value);
                    return n;
                  } catch (e) {
                    entry.error = errorText(e);
                    throw e;
                  }
                },
                return(v?: unknown): IteratorResult<unknown> {
                  return it.return ? it.return(v) : { done: true, value: v };
                },
                [Symbol.iterator]() {
                  return this;
                },
              };
            }
            entry.out = r;
            return r;
          } catch (e) {
            entry.error = errorText(e);
            throw e;
          }
        };
        void receiver;
      },
    });
    return proxy;
  };
  return new Proxy(db, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (prop === 'prepare') {
        return (sql: string) => {
          try {
            return wrapStatement((value as (s: string) => object).call(target, sql), sql);
          } catch (e) {
            trace.push({ sql, method: 'prepare', args: [], error: errorText(e) });
            throw e;
          }
        };
      }
      if (prop === 'exec') {
        return (sql: string) => {
          const entry: TraceEntry = { sql, method: 'exec', args: [] };
          trace.push(entry);
          try {
            (value as (s: string) => unknown).call(target, sql);
            return undefined;
          } catch (e) {
            entry.error = errorText(e);
            throw e;
          }
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  }) as Db;
}

export function openDb(engine: Engine): Db {
  return engine === 'sqlite' ? new BetterSqlite3(':memory:') : (new Database() as unknown as Db);
}

/** Only what must be normalized: Dates (compared as ISO text) and Error objects (by message). */
export function normalize(v: unknown): unknown {
  if (v instanceof Date) return { $date: Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString() };
  if (v instanceof Error) return { $error: v.message };
  if (Array.isArray(v)) return v.map(normalize);
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return Buffer.from(v);
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = normalize(x);
    return o;
  }
  return v;
}

export interface Outcome {
  ok: boolean;
  value?: unknown;
  error?: string;
  trace: TraceEntry[];
}

export async function runOn(engine: Engine, scenario: Scenario): Promise<Outcome> {
  const trace: TraceEntry[] = [];
  const raw = openDb(engine);
  const db = traced(raw, trace);
  try {
    const value = normalize(await scenario(db));
    return { ok: true, value, trace };
  } catch (e) {
    return { ok: false, error: errorText(e), trace };
  } finally {
    try {
      if (raw.open) raw.close();
    } catch {
      /* already closed by the client */
    }
  }
}

const show = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x))?.slice(0, 600) ?? 'undefined';

/** The first statement whose error or answer differs between the two traces. */
export function firstDivergence(ref: TraceEntry[], amber: TraceEntry[]): string | undefined {
  const n = Math.max(ref.length, amber.length);
  for (let i = 0; i < n; i++) {
    const a = ref[i];
    const b = amber[i];
    if (!a || !b) {
      const x = (a ?? b) as TraceEntry;
      return `statement #${i} only ran on ${a ? 'better-sqlite3' : 'AmberDB'}: ${x.sql}`;
    }
    if (a.sql !== b.sql) return `statement #${i} differs in SQL:\n  sqlite: ${a.sql}\n  amber:  ${b.sql}`;
    const sa = show({ out: normalize(a.out), error: a.error });
    const sb = show({ out: normalize(b.out), error: b.error });
    if (sa !== sb) {
      return (
        `statement #${i} (${b.method}) ${b.sql}\n  params: ${show(b.args)}\n` +
        `  better-sqlite3: ${a.error ?? show(normalize(a.out))}\n  AmberDB:        ${b.error ?? show(normalize(b.out))}`
      );
    }
  }
  return undefined;
}

export async function compare(scenario: Scenario): Promise<void> {
  const ref = await runOn('sqlite', scenario);
  if (!ref.ok) throw new Error(`scenario fails on better-sqlite3 itself: ${ref.error}`);
  const amber = await runOn('amber', scenario);
  const where = firstDivergence(ref.trace, amber.trace);
  if (!amber.ok) throw new Error(`AmberDB: ${amber.error}\nfirst divergence: ${where ?? '(none in trace)'}`);
  try {
    expect(amber.value).toEqual(ref.value);
  } catch (e) {
    (e as Error).message += `\nfirst divergence: ${where ?? '(none in trace)'}`;
    throw e;
  }
}

/** Registers one scenario; scenarios listed in known-gaps.ts are expected to fail on AmberDB. */
export function scenario(client: string, name: string, fn: Scenario): void {
  const key = `${client}/${name}`;
  if (KNOWN_GAPS[key]) test.failing(`${name} [known AmberDB gap]`, () => compare(fn));
  else test(name, () => compare(fn));
}
