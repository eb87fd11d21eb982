// One interface over built-in aggregates (src/value/functions/aggregate.ts) and user aggregates
// registered through the API (`db.aggregate`), as the grouping operator uses them.
import { AmberError } from '../value/amber-error';
import { getAggregateFunction } from '../value/functions/aggregate';
import type { SqlValue } from '../value/types';
import type { FunctionCall } from '../sql/ast';
import type { ExprCompiler } from './compile-expr';
import { positionOf } from './compile-expr';

export interface AggregateInstance {
  step(args: readonly SqlValue[]): void;
  /** step() with a mask of arguments that carry the JSON subtype (json_group_array etc.). */
  stepJson?(args: readonly SqlValue[], isJson: readonly boolean[]): void;
  /** The result so far (window functions read it after each row). */
  value(): SqlValue;
  final(): SqlValue;
  /** Values already fed to a DISTINCT aggregate. */
  readonly seen: Set<string | number>;
}

export type UserAggregateLookup = (name: string, argc: number) => import('./compiled-statement').UserAggregate | undefined;

let userLookup: UserAggregateLookup = () => undefined;

/** The engine installs its registry of user aggregates here per compile. */
export function setUserAggregateLookup(f: UserAggregateLookup): void {
  userLookup = f;
}

export function createAggregate(_exprs: ExprCompiler, call: FunctionCall): AggregateInstance {
  const name = call.name.toLowerCase();
  const argc = call.star ? 0 : call.args.length;
  const user = userLookup(name, argc);
  if (user) {
    let state = user.start();
    return {
      seen: new Set(),
      step(args) { state = user.step(state, args); },
      value() { return user.result(state); },
      final() { return user.result(state); },
    };
  }
  const fn = getAggregateFunction(name, argc);
  if (!fn) throw new AmberError(`wrong number of arguments to function ${call.name}()`, 'SQLITE_ERROR', positionOf(call));
  const st = fn.create();
  return {
    seen: new Set(),
    step(args) { st.step(args as SqlValue[]); },
    ...(st.stepJson ? { stepJson: (args: readonly SqlValue[], isJson: readonly boolean[]) => st.stepJson!(args as SqlValue[], isJson) } : {}),
    value() { return st.value(); },
    final() { return st.final(); },
  };
}

