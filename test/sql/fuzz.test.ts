// Fuzzing bad SQL: random mutations of valid statements either parse or throw an AmberError —
// never another exception, never a hang. A sample is also checked against SQLite: when SQLite calls
// the text a syntax error, so must we.
import { AmberError } from '../../src/value/amber-error';
import { parseScript } from '../../src/sql/parser';
import { mutate, rng } from './mutate';
import { isSyntaxMessage, sqliteError } from './oracle';
import { VALID_STATEMENTS } from './valid-statements';

const SEED = 20240611;
const CASES = 3000;

function outcome(sql: string): 'ok' | AmberError {
  try {
    parseScript(sql);
    return 'ok';
  } catch (e) {
    if (e instanceof AmberError) return e;
    throw new Error(`${String(e)} for ${JSON.stringify(sql)}`);
  }
}

describe('fuzz: mutated statements', () => {
  test(`${CASES} mutations parse or throw AmberError`, () => {
    const random = rng(SEED);
    for (let n = 0; n < CASES; n++) {
      const sql = mutate(VALID_STATEMENTS[n % VALID_STATEMENTS.length]!, random);
      const result = outcome(sql);
      if (result !== 'ok') {
        expect(result.code).toBe('SQLITE_ERROR');
        expect(result.position).toBeDefined();
      }
    }
  });

  test('whatever SQLite rejects as syntax, the parser rejects too', () => {
    const random = rng(SEED + 1);
    const accepted: string[] = [];
    for (let n = 0; n < 1500; n++) {
      const sql = mutate(VALID_STATEMENTS[n % VALID_STATEMENTS.length]!, random);
      // One statement at a time: better-sqlite3's prepare refuses several.
      if (sql.includes(';') || sql.includes('\u0000')) continue;
      if (isSyntaxMessage(sqliteError(sql)) && outcome(sql) === 'ok') accepted.push(sql);
    }
    expect(accepted).toEqual([]);
  });
});
