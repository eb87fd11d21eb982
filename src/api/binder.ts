// Binds a statement's JS arguments into its parameter slots, exactly as better-sqlite3's Binder
// (src/util/binder.cpp) does, including which error wins when several apply:
//
//   - arguments are read left to right; an array is spread in place (one level only);
//   - a plain object (prototype Object.prototype or null) binds every named parameter (`:a`, `@a`,
//     `$a` and `?NNN` all from key `a` / `NNN`); a missing key is `Missing named parameter "a"`;
//   - anything else fills the next anonymous `?` slot; one past the last is `Too many ...`;
//   - at the end, fewer values than slots is `Too few ...` (or `Missing named parameters` when the
//     statement has named slots and no object was given).
//
// The slot layout is computed once per statement (ParameterMap), so a call costs one pass over
// its arguments and writes into a parameter array the statement reuses.
import type { ParameterSlots } from '../exec/compiled-statement';
import type { SqlValue } from '../value/types';
import {
  BAD_BIND_TYPE,
  MISSING_NAMED,
  PLAIN_OBJECTS,
  TOO_BIG as TOO_BIG_MESSAGE,
  TOO_FEW,
  TOO_MANY,
  TWO_OBJECTS,
} from './errors';
import { fromJs, INVALID, TOO_BIG } from './values';

export class ParameterMap {
  readonly count: number;
  /** 0-based slots of anonymous parameters (`?`), in order. */
  readonly anonymous: readonly number[];
  /** Names without their prefix, and their 0-based slots, in slot order. */
  readonly namedKeys: readonly string[];
  readonly namedSlots: readonly number[];

  constructor(slots: ParameterSlots) {
    const anonymous: number[] = [];
    const namedKeys: string[] = [];
    const namedSlots: number[] = [];
    for (let i = 0; i < slots.count; i++) {
      const name = slots.names[i];
      if (name == null) anonymous.push(i);
      else {
        namedKeys.push(name.slice(1));
        namedSlots.push(i);
      }
    }
    this.count = slots.count;
    this.anonymous = anonymous;
    this.namedKeys = namedKeys;
    this.namedSlots = namedSlots;
  }
}

const hasOwn = Object.prototype.hasOwnProperty;
const objectSource = Function.prototype.toString.call(Object);

/** better-sqlite3's IsPlainObject: the prototype is Object.prototype (of any realm) or null. */
function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return true;
  // An object from another realm (vm context, jest sandbox) has that realm's Object.prototype.
  if (typeof proto !== 'object' || Object.getPrototypeOf(proto) !== null) return false;
  const ctor: unknown = (proto as { constructor?: unknown }).constructor;
  return typeof ctor === 'function' && Function.prototype.toString.call(ctor) === objectSource;
}

function convert(value: unknown): SqlValue {
  const v = fromJs(value);
  if (v === INVALID) throw new TypeError(BAD_BIND_TYPE);
  if (v === TOO_BIG) throw new RangeError(TOO_BIG_MESSAGE);
  return v;
}

/**
 * `convert` for a slot the engine marked integral (1 in `integral`): a safe JS integer is bound as
 * the INTEGER itself, not as a REAL that the column's affinity would turn back into it (see
 * DmlProgram.integerParams). -0 keeps the REAL path.
 */
function convertAt(value: unknown, slot: number, integral: Uint8Array | null): SqlValue {
  if (integral !== null && integral[slot] === 1 && typeof value === 'number' && Number.isSafeInteger(value) && (value !== 0 || 1 / value > 0)) return value;
  return convert(value);
}

/**
 * Fills `out` (length map.count) from `args`. Throws better-sqlite3's TypeError / RangeError.
 * Invariant relied on by the statement's reuse of `out`: on success every slot was written.
 * `integral`: per slot, 1 where the engine takes a JS integer as is (null: nowhere).
 */
export function bindArguments(map: ParameterMap, args: readonly unknown[], out: SqlValue[], integral: Uint8Array | null = null): void {
  const anonymous = map.anonymous;
  const anonCount = anonymous.length;
  let next = 0; // index into `anonymous` of the next `?`
  let count = 0;
  let boundObject = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (typeof arg === 'object' && arg !== null) {
      if (Array.isArray(arg)) {
        const items: readonly unknown[] = arg;
        for (let j = 0; j < items.length; j++) {
          if (next >= anonCount) {
            convert(items[j]); // a bad value's TypeError wins over TOO_MANY
            throw new RangeError(TOO_MANY);
          }
          const slot = anonymous[next++] as number;
          out[slot] = convertAt(items[j], slot, integral);
        }
        count += items.length;
        continue;
      }
      if (!ArrayBuffer.isView(arg)) {
        if (isPlainObject(arg)) {
          if (boundObject) throw new TypeError(TWO_OBJECTS);
          boundObject = true;
          const keys = map.namedKeys;
          const slots = map.namedSlots;
          const record = arg as Record<string, unknown>;
          for (let k = 0; k < keys.length; k++) {
            const key = keys[k] as string;
            if (!hasOwn.call(record, key)) throw new RangeError(`Missing named parameter "${key}"`);
            const slot = slots[k] as number;
            out[slot] = convertAt(record[key], slot, integral);
          }
          count += keys.length;
          continue;
        }
        if (map.namedKeys.length !== 0) throw new TypeError(PLAIN_OBJECTS);
      }
    }
    if (next >= anonCount) {
      convert(arg); // a bad value's TypeError wins over TOO_MANY
      throw new RangeError(TOO_MANY);
    }
    const slot = anonymous[next++] as number;
    out[slot] = convertAt(arg, slot, integral);
    count += 1;
  }
  if (count !== map.count) {
    if (count > map.count) throw new RangeError(TOO_MANY);
    if (!boundObject && map.namedKeys.length !== 0) throw new TypeError(MISSING_NAMED);
    throw new RangeError(TOO_FEW);
  }
}
