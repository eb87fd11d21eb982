// The constructor's arguments, checked in better-sqlite3's order with its messages, plus
// AmberDB's persistence options (DESIGN §2).
import { booleanOption } from './errors';
import type { Durability, EngineOptions, Recovery, Strategy } from './engine-factory';

export interface DatabaseOptions {
  readonly?: boolean;
  fileMustExist?: boolean;
  timeout?: number;
  verbose?: ((message?: unknown, ...additionalArgs: unknown[]) => void) | null;
  /** Accepted for better-sqlite3 compatibility and ignored (there is no native addon). */
  nativeBinding?: string | object;
  strategy?: Strategy;
  durability?: Durability;
  recovery?: Recovery;
  checkpointLogBytes?: number;
  checkpointIntervalMs?: number;
  snapshotIntervalMs?: number;
  syncIntervalMs?: number;
}

export interface OpenArguments {
  readonly name: string;
  readonly memory: boolean;
  readonly engine: EngineOptions;
}

const STRATEGIES = ['hybrid', 'snapshot', 'log', 'memory'] as const;
const DURABILITIES = ['commit', 'interval', 'none'] as const;
const RECOVERIES = ['strict', 'truncate-tail', 'salvage'] as const;

function oneOf<T extends string>(options: Record<string, unknown>, key: string, allowed: readonly T[], fallback: T): T {
  if (!(key in options) || options[key] === undefined) return fallback;
  const value = options[key];
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new TypeError(`Expected the "${key}" option to be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  }
  return value as T;
}

function positiveNumber(options: Record<string, unknown>, key: string): number | undefined {
  if (!(key in options) || options[key] === undefined) return undefined;
  const value = options[key];
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) {
    throw new TypeError(`Expected the "${key}" option to be a positive number`);
  }
  return value;
}

/** `serialized`: the database comes from a Buffer (`new Database(buffer)`), which may be readonly. */
export function parseOpenArguments(filenameGiven: unknown, optionsGiven: unknown, serialized = false): OpenArguments {
  if (filenameGiven == null) filenameGiven = '';
  if (optionsGiven == null) optionsGiven = {};
  if (typeof filenameGiven !== 'string') {
    if (Buffer.isBuffer(filenameGiven)) throw new TypeError('Opening a serialized database from a Buffer is not supported yet');
    throw new TypeError('Expected first argument to be a string');
  }
  if (typeof optionsGiven !== 'object') throw new TypeError('Expected second argument to be an options object');
  const options = optionsGiven as Record<string, unknown>;
  if ('readOnly' in options) throw new TypeError('Misspelled option "readOnly" should be "readonly"');
  if ('memory' in options) throw new TypeError('Option "memory" was removed in v7.0.0 (use ":memory:" filename instead)');

  const filename = filenameGiven.trim();
  const memory = filename === '' || filename === ':memory:';
  const readonly = booleanOption(options, 'readonly');
  const fileMustExist = booleanOption(options, 'fileMustExist');
  const timeout: unknown = 'timeout' in options ? options.timeout : 5000;
  const verbose: unknown = 'verbose' in options ? options.verbose : null;

  if (readonly && memory && !serialized) throw new TypeError('In-memory/temporary databases cannot be readonly');
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 0) {
    throw new TypeError('Expected the "timeout" option to be a positive integer');
  }
  if (timeout > 0x7fffffff) throw new RangeError('Option "timeout" cannot be greater than 2147483647');
  if (verbose != null && typeof verbose !== 'function') throw new TypeError('Expected the "verbose" option to be a function');
  // Checked as better-sqlite3 checks it, then ignored: AmberDB has no native addon to load.
  const nativeBinding: unknown = 'nativeBinding' in options ? options.nativeBinding : null;
  if (nativeBinding != null && typeof nativeBinding !== 'string' && typeof nativeBinding !== 'object') {
    throw new TypeError('Expected the "nativeBinding" option to be a string or addon object');
  }

  const strategy = oneOf(options, 'strategy', STRATEGIES, memory ? 'memory' : 'hybrid');
  if (memory && strategy !== 'memory') {
    throw new TypeError(`In-memory databases cannot use the "${strategy}" strategy`);
  }
  return {
    name: filenameGiven,
    memory,
    engine: {
      path: memory ? null : filename,
      strategy,
      durability: oneOf(options, 'durability', DURABILITIES, 'commit'),
      recovery: oneOf(options, 'recovery', RECOVERIES, 'strict'),
      checkpointLogBytes: positiveNumber(options, 'checkpointLogBytes'),
      checkpointIntervalMs: positiveNumber(options, 'checkpointIntervalMs'),
      snapshotIntervalMs: positiveNumber(options, 'snapshotIntervalMs'),
      syncIntervalMs: positiveNumber(options, 'syncIntervalMs'),
      readonly,
      fileMustExist,
      timeout,
      verbose: (verbose ?? null) as EngineOptions['verbose'],
    },
  };
}
