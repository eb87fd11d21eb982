// Window functions. A query with `f(...) OVER (...)` runs its FROM/WHERE/GROUP BY as usual, but
// instead of projecting each row at once it captures a record (the row's sources, its aggregate
// values, and for every window call its partition key, order key and arguments). When all rows
// are in, each window sorts the records by (partition, order), computes its function over the
// frame of every row, and the rows are projected in the order of the first window.
//
// Frames follow SQLite (lang_windowfunc): ROWS, RANGE and GROUPS, every bound form, EXCLUDE.
// The default frame is RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW with ORDER BY, and the
// whole partition without. Frames that start at UNBOUNDED PRECEDING without EXCLUDE are computed
// incrementally; other frames recompute their aggregate per row (O(rows × frame)).
import { AmberError } from '../value/amber-error';
import { compareValues, groupKey } from '../value/compare';
import type { Collation } from '../value/collation';
import { toInteger, toBoolean } from '../value/convert';
import { RealBox, type SqlValue } from '../value/types';
import type { Expr, FunctionCall, NamedWindow, WindowFrame, WindowSpec, FrameBound } from '../sql/ast';
import type { Scope } from '../plan/scope';
import type { AggregateCollector } from './compile-context';
import { exprCollation, lookupCollation, positionOf, type ExprCompiler } from './compile-expr';
import { createAggregate, type AggregateInstance } from './aggregate-glue';
import type { Ev } from './env';

const RANKING = new Set(['row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile']);
const VALUE = new Set(['lag', 'lead', 'first_value', 'last_value', 'nth_value']);
export const WINDOW_ONLY = new Set([...RANKING, ...VALUE]);

interface OrderKey {
  readonly ev: Ev;
  readonly desc: boolean;
  readonly nullsFirst: boolean;
  readonly coll: Collation;
}

interface WindowCall {
  readonly call: FunctionCall;
  readonly name: string;
  readonly args: Ev[];
  readonly filter: Ev | null;
  readonly partition: Ev[];
  readonly order: OrderKey[];
  readonly frame: WindowFrame | null;
  /** Frame offsets (evaluated once per execution). */
  readonly startOffset: Ev | null;
  readonly endOffset: Ev | null;
}

/** One captured row: per window call, its partition key, order key and argument values. */
export interface WindowRecord {
  part: SqlValue[][];
  order: SqlValue[][];
  args: SqlValue[][];
  /** False when the call's FILTER rejected this row. */
  passes: boolean[];
  values: SqlValue[];
}

function err(msg: string, at: { loc: { start: number; line: number; column: number } }): AmberError {
  return new AmberError(msg, 'SQLITE_ERROR', positionOf(at));
}

export class WindowCollector {
  private readonly calls: WindowCall[] = [];
  /** The current row's window values, read by the compiled output expressions. */
  private current: SqlValue[] = [];

  constructor(
    private readonly exprs: ExprCompiler,
    private readonly named: readonly NamedWindow[],
    /** Resolves aggregates inside window expressions (a grouped query), or null. */
    private readonly aggs: AggregateCollector | null,
  ) {}

  get size(): number {
    return this.calls.length;
  }

  add(call: FunctionCall, scope: Scope): () => SqlValue {
    const spec = this.resolveSpec(call.over!, call);
    const name = call.name.toLowerCase();
    const compile = (e: Expr) => this.exprs.compile(e, scope, this.aggs);
    const frame = spec.frame;
    const offsetOf = (b: FrameBound | null | undefined): Ev | null => (b && (b.kind === 'preceding' || b.kind === 'following') ? compile(b.offset) : null);
    if (frame && frame.units === 'RANGE' && spec.orderBy.length !== 1 && (offsetOf(frame.start) || offsetOf(frame.end))) {
      throw err('RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY term', frame);
    }
    const i = this.calls.length;
    this.calls.push({
      call,
      name,
      args: call.args.map(compile),
      filter: call.filter ? compile(call.filter) : null,
      partition: spec.partitionBy.map(compile),
      order: spec.orderBy.map((t) => ({
        ev: compile(t.expr),
        desc: t.direction === 'DESC',
        nullsFirst: t.nulls ? t.nulls === 'FIRST' : t.direction !== 'DESC',
        coll: lookupCollation(exprCollation(t.expr, scope)?.name ?? 'BINARY', t.expr),
      })),
      frame,
      startOffset: offsetOf(frame?.start),
      endOffset: offsetOf(frame?.end),
    });
    this.validate(name, call);
    return () => this.current[i]!;
  }

  private validate(name: string, call: FunctionCall): void {
    const n = call.args.length;
    const bad = () => err(`wrong number of arguments to function ${call.name}()`, call);
    if (name === 'row_number' || name === 'rank' || name === 'dense_rank' || name === 'percent_rank' || name === 'cume_dist') {
      if (n !== 0) throw bad();
    } else if (name === 'ntile') {
      if (n !== 1) throw bad();
    } else if (name === 'lag' || name === 'lead') {
      if (n < 1 || n > 3) throw bad();
    } else if (name === 'first_value' || name === 'last_value') {
      if (n !== 1) throw bad();
    } else if (name === 'nth_value') {
      if (n !== 2) throw bad();
    } else {
      createAggregate(this.exprs, call); // an aggregate used as a window function: checks name and arity
    }
  }

  /** OVER name / OVER (name ...) merged with the WINDOW clause, as SQLite allows. */
  private resolveSpec(spec: WindowSpec, at: FunctionCall): WindowSpec {
    if (spec.base === null) return spec;
    const base = this.named.find((w) => w.name.toLowerCase() === spec.base!.toLowerCase());
    if (!base) throw err(`no such window: ${spec.base}`, at);
    const b = this.resolveSpec(base.spec, at);
    if (spec.partitionBy.length > 0) throw err(`cannot override PARTITION clause of window ${spec.base}`, at);
    if (spec.orderBy.length > 0 && b.orderBy.length > 0) throw err(`cannot override ORDER BY clause of window ${spec.base}`, at);
    if (b.frame !== null) throw err(`cannot override frame specification of window ${spec.base}`, at);
    return { ...spec, base: null, partitionBy: b.partitionBy, orderBy: spec.orderBy.length > 0 ? spec.orderBy : b.orderBy, frame: spec.frame ?? b.frame };
  }

  /** Evaluates every window call's keys and arguments for the current row. */
  capture(): WindowRecord {
    const part: SqlValue[][] = [];
    const order: SqlValue[][] = [];
    const args: SqlValue[][] = [];
    const passes: boolean[] = [];
    for (const c of this.calls) {
      part.push(c.partition.map((e) => e()));
      order.push(c.order.map((o) => o.ev()));
      args.push(c.args.map((e) => e()));
      passes.push(c.filter ? toBoolean(c.filter()) === true : true);
    }
    return { part, order, args, passes, values: new Array(this.calls.length).fill(null) };
  }

  /** Makes `rec`'s window values the ones output expressions read. */
  use(rec: WindowRecord): void {
    this.current = rec.values;
  }

  /** Computes every window value; returns the records in output order (the first window's). */
  compute(records: WindowRecord[]): WindowRecord[] {
    let output = records;
    for (let w = this.calls.length - 1; w >= 0; w--) {
      const sorted = this.sortFor(w, records);
      this.computeOne(w, sorted);
      output = sorted;
    }
    return output;
  }

  private compareOrder(w: number, a: WindowRecord, b: WindowRecord): number {
    const keys = this.calls[w]!.order;
    const x = a.order[w]!;
    const y = b.order[w]!;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const p = x[i]!;
      const q = y[i]!;
      if (p === null || q === null) {
        if (p === q) continue;
        return (p === null) === k.nullsFirst ? -1 : 1;
      }
      const c = compareValues(p, q, k.coll);
      if (c !== 0) return k.desc ? -c : c;
    }
    return 0;
  }

  private sortFor(w: number, records: WindowRecord[]): WindowRecord[] {
    const idx = records.map((_, i) => i);
    idx.sort((i, j) => {
      const a = records[i]!;
      const b = records[j]!;
      const pa = a.part[w]!;
      const pb = b.part[w]!;
      for (let k = 0; k < pa.length; k++) {
        const c = compareValues(pa[k]!, pb[k]!);
        if (c !== 0) return c;
      }
      return this.compareOrder(w, a, b) || i - j;
    });
    return idx.map((i) => records[i]!);
  }

  private computeOne(w: number, sorted: WindowRecord[]): void {
    let start = 0;
    while (start < sorted.length) {
      const key = groupKey(sorted[start]!.part[w]!);
      let end = start + 1;
      while (end < sorted.length && groupKey(sorted[end]!.part[w]!) === key) end++;
      this.computePartition(w, sorted.slice(start, end));
      start = end;
    }
  }

  private computePartition(w: number, rows: WindowRecord[]): void {
    const c = this.calls[w]!;
    const n = rows.length;
    // Peer groups: runs of rows with equal ORDER BY keys (all rows are peers without ORDER BY).
    const group: number[] = new Array(n);
    const groupStart: number[] = [];
    const groupEnd: number[] = [];
    for (let i = 0; i < n; i++) {
      if (i === 0 || c.order.length === 0 ? i === 0 : this.compareOrder(w, rows[i - 1]!, rows[i]!) !== 0) groupStart.push(i);
      group[i] = groupStart.length - 1;
    }
    for (let g = 0; g < groupStart.length; g++) groupEnd.push(g + 1 < groupStart.length ? groupStart[g + 1]! - 1 : n - 1);
    const set = (i: number, v: SqlValue) => { rows[i]!.values[w] = v; };

    switch (c.name) {
      case 'row_number':
        for (let i = 0; i < n; i++) set(i, i + 1);
        return;
      case 'rank':
        for (let i = 0; i < n; i++) set(i, groupStart[group[i]!]! + 1);
        return;
      case 'dense_rank':
        for (let i = 0; i < n; i++) set(i, group[i]! + 1);
        return;
      case 'percent_rank':
        for (let i = 0; i < n; i++) set(i, realOf(n > 1 ? groupStart[group[i]!]! / (n - 1) : 0));
        return;
      case 'cume_dist':
        for (let i = 0; i < n; i++) set(i, realOf((groupEnd[group[i]!]! + 1) / n));
        return;
      case 'ntile': {
        for (let i = 0; i < n; i++) {
          const t = toInteger(rows[i]!.args[w]![0]!);
          if (t === null || Number(t) <= 0) throw new AmberError('argument of ntile must be a positive integer');
          const buckets = Number(t);
          const size = Math.floor(n / buckets);
          const big = n % buckets;
          // The first `big` buckets hold size+1 rows.
          const bucket = i < big * (size + 1) ? Math.floor(i / (size + 1)) : big + Math.floor((i - big * (size + 1)) / Math.max(size, 1));
          set(i, bucket + 1);
        }
        return;
      }
      case 'lag':
      case 'lead': {
        for (let i = 0; i < n; i++) {
          const a = rows[i]!.args[w]!;
          const off = a.length > 1 ? toInteger(a[1]!) : 1;
          if (off === null) { set(i, null); continue; }
          const j = c.name === 'lag' ? i - Number(off) : i + Number(off);
          set(i, j >= 0 && j < n ? rows[j]!.args[w]![0]! : a.length > 2 ? a[2]! : null);
        }
        return;
      }
      default:
        break;
    }
    // Frame-based: first_value, last_value, nth_value and aggregates.
    const frame = c.frame;
    const units = frame?.units ?? 'RANGE';
    const startB: FrameBound = frame ? frame.start : { kind: 'unbounded-preceding' };
    const endB: FrameBound = frame ? (frame.end ?? { kind: 'current-row' }) : c.order.length > 0 ? { kind: 'current-row' } : { kind: 'unbounded-following' };
    const exclude = frame?.exclude ?? 'NO OTHERS';
    const startOff = c.startOffset ? offsetValue(c.startOffset()) : 0;
    const endOff = c.endOffset ? offsetValue(c.endOffset()) : 0;
    const bound = (b: FrameBound, i: number, isStart: boolean, off: number): number => {
      switch (b.kind) {
        case 'unbounded-preceding': return 0;
        case 'unbounded-following': return n - 1;
        case 'current-row':
          if (units === 'ROWS') return i;
          return isStart ? groupStart[group[i]!]! : groupEnd[group[i]!]!;
        case 'preceding':
        case 'following': {
          const sign = b.kind === 'preceding' ? -1 : 1;
          if (units === 'ROWS') return i + sign * off;
          if (units === 'GROUPS') {
            const g = group[i]! + sign * off;
            if (g < 0) return isStart ? 0 : -1;
            if (g >= groupStart.length) return isStart ? n : n - 1;
            return isStart ? groupStart[g]! : groupEnd[g]!;
          }
          return this.rangeBound(w, rows, i, sign * off, isStart);
        }
      }
    };
    const fresh = startB.kind === 'unbounded-preceding' && exclude === 'NO OTHERS';
    let agg: AggregateInstance | null = null;
    let fed = 0;
    for (let i = 0; i < n; i++) {
      let lo = Math.max(0, bound(startB, i, true, startOff));
      let hi = Math.min(n - 1, bound(endB, i, false, endOff));
      const inFrame = (j: number): boolean => {
        if (j < lo || j > hi) return false;
        if (exclude === 'CURRENT ROW') return j !== i;
        if (exclude === 'GROUP') return group[j] !== group[i];
        if (exclude === 'TIES') return j === i || group[j] !== group[i];
        return true;
      };
      if (c.name === 'first_value' || c.name === 'last_value' || c.name === 'nth_value') {
        const members: number[] = [];
        for (let j = lo; j <= hi; j++) if (inFrame(j)) members.push(j);
        if (c.name === 'first_value') set(i, members.length ? rows[members[0]!]!.args[w]![0]! : null);
        else if (c.name === 'last_value') set(i, members.length ? rows[members[members.length - 1]!]!.args[w]![0]! : null);
        else {
          const k = toInteger(rows[i]!.args[w]![1]!);
          if (k === null || Number(k) <= 0) throw new AmberError('second argument to nth_value must be a positive integer');
          const m = members[Number(k) - 1];
          set(i, m === undefined ? null : rows[m]!.args[w]![0]!);
        }
        continue;
      }
      if (fresh) {
        // Running aggregate: the frame only grows.
        if (agg === null) agg = createAggregate(this.exprs, c.call);
        while (fed <= hi) {
          const r = rows[fed]!;
          if (r.passes[w]) agg.step(r.args[w]!);
          fed++;
        }
        set(i, agg.value());
        continue;
      }
      const a = createAggregate(this.exprs, c.call);
      if (lo <= hi) for (let j = lo; j <= hi; j++) if (inFrame(j) && rows[j]!.passes[w]) a.step(rows[j]!.args[w]!);
      set(i, a.final());
      void lo; void hi;
      lo = hi = 0;
    }
  }

  /** RANGE n PRECEDING/FOLLOWING: the first (start) or last (end) row whose key is within reach. */
  private rangeBound(w: number, rows: WindowRecord[], i: number, delta: number, isStart: boolean): number {
    const key = this.calls[w]!.order[0]!;
    const n = rows.length;
    const v = rows[i]!.order[w]![0]!;
    if (v === null) {
      // NULL keys: the frame is the NULL peers.
      let lo = i;
      let hi = i;
      while (lo > 0 && rows[lo - 1]!.order[w]![0] === null) lo--;
      while (hi < n - 1 && rows[hi + 1]!.order[w]![0] === null) hi++;
      return isStart ? lo : hi;
    }
    const target = numeric(v) + (key.desc ? -delta : delta);
    const within = (j: number): boolean => {
      const x = rows[j]!.order[w]![0]!;
      if (x === null) return false;
      const d = numeric(x);
      return key.desc ? (isStart ? d <= target : d >= target) : isStart ? d >= target : d <= target;
    };
    if (isStart) {
      let j = 0;
      while (j < n && !within(j)) j++;
      return j;
    }
    let j = n - 1;
    while (j >= 0 && !within(j)) j--;
    return j;
  }
}

function numeric(v: SqlValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof RealBox) return v.value;
  return Number.NaN;
}

function offsetValue(v: SqlValue): number {
  const n = numeric(v);
  if (!(n >= 0)) throw new AmberError('frame starting offset must be a non-negative number');
  return n;
}

function realOf(d: number): SqlValue {
  return Number.isInteger(d) ? new RealBox(d) : d;
}
