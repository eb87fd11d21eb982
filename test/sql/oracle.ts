// SQLite (through better-sqlite3) as the oracle for what is valid syntax and how errors are worded.
import Database from 'better-sqlite3';

const db = new Database(':memory:');
// Tables some statements name, so that SQLite reaches its syntax checks (CREATE TRIGGER looks
// the table up before it parses the body).
db.exec('CREATE TABLE t (a, b, c); CREATE TABLE u (a, b, c); CREATE TABLE v (a, b, c)');

/** SQLite's error message for preparing `sql`, or null when it prepares. */
export function sqliteError(sql: string): string | null {
  try {
    db.prepare(sql);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/** True when SQLite's complaint (if any) is about syntax rather than names or semantics. */
export function isSyntaxMessage(message: string | null): boolean {
  return message !== null && /syntax error|incomplete input|unrecognized token/.test(message);
}
