// sql/: SQL text in, typed AST out (src/sql/ast.ts), or an AmberError (SQLITE_ERROR) with SQLite's
// message and the position of the offending token. It never looks at the schema or at data:
// names are resolved later, by the binder in plan/.
export { parseScript, parseNext, parseExpression, type NextStatement } from './parser';
export * from './ast';
