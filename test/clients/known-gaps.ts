// Scenarios AmberDB is known to fail, keyed `client/scenario`. Each is registered with
// test.failing, so it turns red once the engine gap is closed: then delete its entry here.
// `sql` is the statement AmberDB rejected or answered differently; `error` its answer.
export interface KnownGap {
  feature: string;
  sql: string;
  error: string;
}

export const KNOWN_GAPS: Record<string, KnownGap> = {};
