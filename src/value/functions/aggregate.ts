// SQLite's built-in aggregate functions (lang_aggfunc) as a registry.
// In: per-row argument values via step(); DISTINCT filtering and NULL-row skipping for count(*)
// are the executor's. Out: value() (current result, callable repeatedly, for windows) and
// final(). inverse() is present where SQLite has one (sliding window frames).

import { AmberError } from '../amber-error';
import { applyComparisonAffinity } from '../affinity';
import { compareValues } from '../compare';
import { toReal, toText } from '../convert';
import { createJsonGroupArray, createJsonGroupObject } from './json';
import { INT64_MAX, INT64_MIN, RealBox, integer, real, type SqlValue } from '../types';

export interface AggregateState {
  step(args: SqlValue[]): void;
  /** json_group_*: `isJson[i]` tells that argument i carries SQLite's JSON subtype (json.ts). */
  stepJson?(args: SqlValue[], isJson: readonly boolean[]): void;
  inverse?(args: SqlValue[]): void;
  value(): SqlValue;
  final(): SqlValue;
}

export interface AggregateFunction {
  readonly name: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  create(): AggregateState;
}

const registry = new Map<string, AggregateFunction[]>();

function def(name: string, minArgs: number, maxArgs: number, create: () => AggregateState): void {
  const f: AggregateFunction = { name, minArgs, maxArgs, create };
  const list = registry.get(name);
  if (list) list.push(f);
  else registry.set(name, [f]);
}

/** The aggregate `name` (case-insensitive) accepting `argc` arguments, if any. */
export function getAggregateFunction(name: string, argc: number): AggregateFunction | undefined {
  const list = registry.get(name.toLowerCase());
  if (list === undefined) return undefined;
  for (const f of list) if (argc >= f.minArgs && argc <= f.maxArgs) return f;
  return undefined;
}

export function hasAggregateFunction(name: string): boolean {
  return registry.has(name.toLowerCase());
}

// ---- count -------------------------------------------------------------------------------

class CountStar implements AggregateState {
  n = 0;
  step(): void {
    this.n++;
  }
  inverse(): void {
    this.n--;
  }
  value(): SqlValue {
    return this.n;
  }
  final(): SqlValue {
    return this.n;
  }
}

class Count implements AggregateState {
  n = 0;
  step(args: SqlValue[]): void {
    if (args[0] !== null) this.n++;
  }
  inverse(args: SqlValue[]): void {
    if (args[0] !== null) this.n--;
  }
  value(): SqlValue {
    return this.n;
  }
  final(): SqlValue {
    return this.n;
  }
}
def('count', 0, 0, () => new CountStar());
def('count', 1, 1, () => new Count());

// ---- sum, total, avg ---------------------------------------------------------------------

/** The numeric class of an input as sqlite3_value_numeric_type sees it: text that looks numeric counts. */
function numericInput(v: SqlValue): SqlValue {
  return typeof v === 'string' ? applyComparisonAffinity(v, 'NUMERIC') : v;
}

function asDouble(v: SqlValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof RealBox) return v.value;
  return toReal(v) as number; // text that is not a well-formed number, or a blob: its real prefix
}

/**
 * SQLite's SumCtx: exact int64 sum until a non-integer arrives or the sum overflows, then a
 * Kahan-Babuska-Neumaier compensated double sum (so sum/total/avg round exactly as SQLite).
 */
class Sum implements AggregateState {
  iSum: bigint | number = 0;
  rSum = 0;
  rErr = 0;
  cnt = 0;
  approx = false;
  ovrfl = false;
  constructor(private readonly kind: 'sum' | 'total' | 'avg') {}

  private kbn(r: number): void {
    const s = this.rSum;
    const t = s + r;
    if (Math.abs(s) > Math.abs(r)) this.rErr += s - t + r;
    else this.rErr += r - t + s;
    this.rSum = t;
  }
  private kbnInt(i: bigint): void {
    if (i <= -4503599627370496n || i >= 4503599627370496n) {
      const big = i - (i % 16384n);
      this.kbn(Number(big));
      this.kbn(Number(i - big));
    } else this.kbn(Number(i));
  }
  private init(i: bigint): void {
    if (i <= -4503599627370496n || i >= 4503599627370496n) {
      const big = i - (i % 16384n);
      this.rSum = Number(big);
      this.rErr = Number(i - big);
    } else {
      this.rSum = Number(i);
      this.rErr = 0;
    }
  }

  step(args: SqlValue[]): void {
    const v = numericInput(args[0] as SqlValue);
    if (v === null) return;
    this.cnt++;
    const isInt = typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
    if (!this.approx) {
      if (!isInt) {
        this.init(BigInt(this.iSum));
        this.approx = true;
        this.kbn(asDouble(v));
      } else if (typeof v === 'number' && typeof this.iSum === 'number' && Number.isSafeInteger(this.iSum + v)) {
        this.iSum += v;
      } else {
        const x = BigInt(this.iSum) + BigInt(v as number | bigint);
        if (x >= INT64_MIN && x <= INT64_MAX) this.iSum = integer(x);
        else {
          this.ovrfl = true;
          this.init(BigInt(this.iSum));
          this.approx = true;
          this.kbnInt(BigInt(v as number | bigint));
        }
      }
    } else if (isInt) {
      this.kbnInt(BigInt(v as number | bigint));
    } else {
      this.ovrfl = false;
      this.kbn(asDouble(v));
    }
  }

  inverse(args: SqlValue[]): void {
    const v = numericInput(args[0] as SqlValue);
    if (v === null) return;
    this.cnt--;
    const isInt = typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
    if (!this.approx) {
      const x = BigInt(this.iSum) - (isInt ? BigInt(v as number | bigint) : 0n);
      if (x >= INT64_MIN && x <= INT64_MAX) this.iSum = integer(x);
      else {
        this.ovrfl = true;
        this.approx = true;
      }
    } else if (isInt) {
      this.kbnInt(-BigInt(v as number | bigint));
    } else {
      this.kbn(-asDouble(v));
    }
  }

  private approxValue(): number {
    return Number.isFinite(this.rErr) ? this.rSum + this.rErr : this.rSum;
  }

  value(): SqlValue {
    switch (this.kind) {
      case 'sum':
        if (this.cnt === 0) return null;
        if (this.approx) {
          if (this.ovrfl) throw new AmberError('integer overflow');
          return real(this.approxValue());
        }
        return this.iSum;
      case 'total':
        return real(this.approx ? this.approxValue() : Number(this.iSum));
      case 'avg':
        if (this.cnt === 0) return null;
        return real((this.approx ? this.approxValue() : Number(this.iSum)) / this.cnt);
    }
  }
  final(): SqlValue {
    return this.value();
  }
}
def('sum', 1, 1, () => new Sum('sum'));
def('total', 1, 1, () => new Sum('total'));
def('avg', 1, 1, () => new Sum('avg'));

// ---- min, max ----------------------------------------------------------------------------

class MinMax implements AggregateState {
  best: SqlValue = null;
  constructor(private readonly sign: number) {}
  step(args: SqlValue[]): void {
    const v = args[0] as SqlValue;
    if (v === null) return;
    // ties keep the first value seen (SQLite's minmaxStep)
    if (this.best === null || compareValues(v, this.best) * this.sign > 0) this.best = v;
  }
  value(): SqlValue {
    return this.best;
  }
  final(): SqlValue {
    return this.best;
  }
}
def('min', 1, 1, () => new MinMax(-1));
def('max', 1, 1, () => new MinMax(1));

// ---- group_concat / string_agg -----------------------------------------------------------

/** Keeps each piece and the separator that precedes it, so inverse() can drop the oldest. */
class GroupConcat implements AggregateState {
  private seps: string[] = [];
  private parts: string[] = [];
  private head = 0;
  step(args: SqlValue[]): void {
    const v = args[0] as SqlValue;
    if (v === null) return;
    const sep = args.length > 1 ? args[1] as SqlValue : ',';
    this.seps.push(sep === null ? '' : (toText(sep) as string));
    this.parts.push(toText(v) as string);
  }
  inverse(args: SqlValue[]): void {
    if (args[0] === null) return;
    this.head++;
    if (this.head > 64 && this.head * 2 > this.parts.length) {
      this.parts = this.parts.slice(this.head);
      this.seps = this.seps.slice(this.head);
      this.head = 0;
    }
  }
  value(): SqlValue {
    if (this.head >= this.parts.length) return null;
    let out = this.parts[this.head] as string;
    for (let i = this.head + 1; i < this.parts.length; i++) out += (this.seps[i] as string) + (this.parts[i] as string);
    return out;
  }
  final(): SqlValue {
    return this.value();
  }
}
def('group_concat', 1, 2, () => new GroupConcat());
def('string_agg', 2, 2, () => new GroupConcat());

// ---- json_group_array / json_group_object (json.ts) -------------------------------------------

def('json_group_array', 1, 1, createJsonGroupArray);
def('json_group_object', 2, 2, createJsonGroupObject);
