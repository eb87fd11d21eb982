// The one error class of the engine. `code` is SQLite's (extended) result code as a string, so
// code written against better-sqlite3's SqliteError keeps working; messages follow SQLite's text
// because ORMs match on them.

export interface SourcePosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

export class AmberError extends Error {
  readonly code: string;
  /** Where in the SQL text the error was found, for syntax and name-resolution errors. */
  readonly position: SourcePosition | undefined;

  constructor(message: string, code = 'SQLITE_ERROR', position?: SourcePosition) {
    super(message);
    this.code = code;
    this.position = position;
  }
}
Object.defineProperty(AmberError.prototype, 'name', { value: 'SqliteError', writable: true, configurable: true });
