// Scenarios AmberDB is known to fail, keyed `client/scenario`. Each is registered with
// test.failing, so it turns red once the engine gap is closed: then delete its entry here.
// `sql` is the first statement AmberDB rejected or answered differently; `error` its answer
// (the test's failure message prints the full trace divergence).
export interface KnownGap {
  feature: string;
  sql: string;
  error: string;
}

export const KNOWN_GAPS: Record<string, KnownGap> = {
};
