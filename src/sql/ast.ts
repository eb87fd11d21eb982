// The typed AST: what the parser (grammar/sql.peggy) produces and the only thing later stages see.
//
// Invariants every node keeps:
// - `kind` tags a readonly discriminated union; stages switch on it exhaustively (see unreachable()).
// - `loc` is the node's source span: [start, end) offsets into the SQL text, with the 1-based line
//   and column of `start`. Errors point at it; CREATE statements keep their exact text through it.
// - Literals keep their exact source text: `9223372036854775807`, `1e3`, `0x1F` and `x'AB'` keep
//   their meaning because the binder, not the parser, decides what number or blob they are.
// - Identifiers arrive unquoted (`"a""b"` -> `a"b`, `[x]` -> `x`, `` `y` `` -> `y`) with their case
//   kept; name resolution is case-insensitive and happens in the binder.

export interface Loc {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
}

interface Node {
  readonly loc: Loc;
}

// ---------------------------------------------------------------------------------------------
// Expressions

export type Expr =
  | NumberLiteral
  | StringLiteral
  | BlobLiteral
  | NullLiteral
  | BoolLiteral
  | CurrentTimeLiteral
  | Parameter
  | ColumnRef
  | UnaryExpr
  | BinaryExpr
  | CollateExpr
  | LikeExpr
  | BetweenExpr
  | InExpr
  | IsNullExpr
  | ExistsExpr
  | SubqueryExpr
  | CaseExpr
  | CastExpr
  | FunctionCall
  | RaiseExpr
  | RowValue;

/** An integer or real literal exactly as written: `12`, `0x1F`, `1.5`, `1e3`, `.5`. No sign. */
export interface NumberLiteral extends Node {
  readonly kind: 'number';
  readonly text: string;
}
/** A string literal; `value` has the quotes removed and `''` folded to `'`. */
export interface StringLiteral extends Node {
  readonly kind: 'string';
  readonly value: string;
}
/** `x'ABCD'`: `hex` is the digits between the quotes (even count, checked by the parser). */
export interface BlobLiteral extends Node {
  readonly kind: 'blob';
  readonly hex: string;
}
export interface NullLiteral extends Node {
  readonly kind: 'null';
}
/** TRUE / FALSE (SQLite reads them as 1 / 0 when no column of that name is in scope). */
export interface BoolLiteral extends Node {
  readonly kind: 'bool';
  readonly value: boolean;
}
export interface CurrentTimeLiteral extends Node {
  readonly kind: 'current-time';
  readonly which: 'CURRENT_TIME' | 'CURRENT_DATE' | 'CURRENT_TIMESTAMP';
}
/**
 * A bind parameter as written. `?` has name null and number null (the binder numbers it);
 * `?7` has number 7; `:a`, `@a`, `$a` have name with the prefix (`:a`), as SQLite names them.
 */
export interface Parameter extends Node {
  readonly kind: 'param';
  readonly text: string;
  readonly name: string | null;
  readonly number: number | null;
}
export interface ColumnRef extends Node {
  readonly kind: 'column';
  readonly schema: string | null;
  readonly table: string | null;
  readonly name: string;
  /** Written as "name" (only set then): SQLite's "no such column" error then adds its DQS hint. */
  readonly doubleQuoted?: true;
}
export interface UnaryExpr extends Node {
  readonly kind: 'unary';
  readonly op: '-' | '+' | '~' | 'NOT';
  readonly operand: Expr;
}
/**
 * Binary operators, normalized: `==` -> `=`, `<>` -> `!=`, `IS NOT DISTINCT FROM` -> `IS`,
 * `IS DISTINCT FROM` -> `IS NOT`.
 */
export type BinaryOp =
  | '||' | '->' | '->>'
  | '*' | '/' | '%'
  | '+' | '-'
  | '&' | '|' | '<<' | '>>'
  | '<' | '<=' | '>' | '>='
  | '=' | '!=' | 'IS' | 'IS NOT'
  | 'AND' | 'OR';
export interface BinaryExpr extends Node {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
}
export interface CollateExpr extends Node {
  readonly kind: 'collate';
  readonly expr: Expr;
  readonly collation: string;
}
export interface LikeExpr extends Node {
  readonly kind: 'like';
  readonly op: 'LIKE' | 'GLOB' | 'REGEXP' | 'MATCH';
  readonly not: boolean;
  readonly left: Expr;
  readonly right: Expr;
  readonly escape: Expr | null;
}
export interface BetweenExpr extends Node {
  readonly kind: 'between';
  readonly not: boolean;
  readonly expr: Expr;
  readonly low: Expr;
  readonly high: Expr;
}
export type InSource =
  | { readonly kind: 'list'; readonly items: readonly Expr[] }
  | { readonly kind: 'select'; readonly select: SelectStatement }
  | { readonly kind: 'table'; readonly schema: string | null; readonly name: string; readonly args: readonly Expr[] | null };
export interface InExpr extends Node {
  readonly kind: 'in';
  readonly not: boolean;
  readonly expr: Expr;
  readonly source: InSource;
}
/** `x ISNULL`, `x NOTNULL`, `x NOT NULL` (postfix forms; `x IS NULL` is a BinaryExpr `IS`). */
export interface IsNullExpr extends Node {
  readonly kind: 'isnull';
  readonly not: boolean;
  readonly expr: Expr;
}
export interface ExistsExpr extends Node {
  readonly kind: 'exists';
  readonly not: boolean;
  readonly select: SelectStatement;
}
export interface SubqueryExpr extends Node {
  readonly kind: 'subquery';
  readonly select: SelectStatement;
}
export interface CaseExpr extends Node {
  readonly kind: 'case';
  readonly operand: Expr | null;
  readonly whens: readonly { readonly when: Expr; readonly then: Expr }[];
  readonly else: Expr | null;
}
export interface CastExpr extends Node {
  readonly kind: 'cast';
  readonly expr: Expr;
  readonly type: TypeName;
}
export interface FunctionCall extends Node {
  readonly kind: 'call';
  /** As written; resolution is case-insensitive. */
  readonly name: string;
  /** `count(*)` has star true and no args. */
  readonly star: boolean;
  readonly args: readonly Expr[];
  readonly distinct: boolean;
  /** `group_concat(x ORDER BY y)` (SQLite 3.44+). */
  readonly orderBy: readonly OrderingTerm[] | null;
  readonly filter: Expr | null;
  /** OVER (...) or OVER name. */
  readonly over: WindowSpec | null;
}
export interface RaiseExpr extends Node {
  readonly kind: 'raise';
  readonly action: 'IGNORE' | 'ROLLBACK' | 'ABORT' | 'FAIL';
  readonly message: Expr | null;
}
/** `(a, b)` with two or more items; `(a)` is just `a`. */
export interface RowValue extends Node {
  readonly kind: 'row';
  readonly items: readonly Expr[];
}

export interface TypeName extends Node {
  /** Words joined by one space, case kept: `VARCHAR`, `UNSIGNED BIG INT`. */
  readonly name: string;
  /** The signed-number arguments as written: `VARCHAR(10)` -> ['10']; `DECIMAL(10, 5)` -> ['10', '5']. */
  readonly args: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// SELECT

export interface OrderingTerm extends Node {
  /** A COLLATE on the term arrives as a CollateExpr around the expression. */
  readonly expr: Expr;
  readonly direction: 'ASC' | 'DESC' | null;
  readonly nulls: 'FIRST' | 'LAST' | null;
}

export interface SelectStatement extends Node {
  readonly kind: 'select';
  readonly with: WithClause | null;
  readonly body: SelectBody;
  readonly orderBy: readonly OrderingTerm[];
  readonly limit: { readonly limit: Expr; readonly offset: Expr | null } | null;
}

export type SelectBody = SelectCore | ValuesClause | CompoundSelect;

export interface SelectCore extends Node {
  readonly kind: 'select-core';
  readonly distinct: boolean;
  readonly columns: readonly ResultColumn[];
  readonly from: FromItem | null;
  readonly where: Expr | null;
  readonly groupBy: readonly Expr[];
  readonly having: Expr | null;
  readonly windows: readonly NamedWindow[];
}
export interface ValuesClause extends Node {
  readonly kind: 'values';
  readonly rows: readonly (readonly Expr[])[];
}
/** Left-associative: `a UNION b EXCEPT c` is compound(compound(a, b), c). */
export interface CompoundSelect extends Node {
  readonly kind: 'compound';
  readonly op: 'UNION' | 'UNION ALL' | 'INTERSECT' | 'EXCEPT';
  readonly left: SelectBody;
  readonly right: SelectCore | ValuesClause;
}

export type ResultColumn =
  | ({ readonly kind: 'star' } & Node)
  | ({ readonly kind: 'table-star'; readonly table: string } & Node)
  | ({ readonly kind: 'result-expr'; readonly expr: Expr; readonly alias: string | null } & Node);

export type FromItem = TableRef | SubqueryRef | JoinClause;

export interface TableRef extends Node {
  readonly kind: 'table-ref';
  readonly schema: string | null;
  readonly name: string;
  readonly alias: string | null;
  /** INDEXED BY name -> the name; NOT INDEXED -> false; neither -> null. */
  readonly indexedBy: string | false | null;
  /** Table-valued function call `json_each(x)`; null for a plain table. */
  readonly args: readonly Expr[] | null;
}
export interface SubqueryRef extends Node {
  readonly kind: 'subquery-ref';
  readonly select: SelectStatement;
  readonly alias: string | null;
}
export type JoinType = 'COMMA' | 'INNER' | 'CROSS' | 'LEFT' | 'RIGHT' | 'FULL';
/** Left-deep for `a JOIN b JOIN c`; parentheses in FROM give other shapes. */
export interface JoinClause extends Node {
  readonly kind: 'join';
  readonly joinType: JoinType;
  readonly natural: boolean;
  readonly left: FromItem;
  readonly right: FromItem;
  readonly on: Expr | null;
  readonly using: readonly string[] | null;
}

export interface WithClause extends Node {
  readonly recursive: boolean;
  readonly ctes: readonly CommonTableExpr[];
}
export interface CommonTableExpr extends Node {
  readonly name: string;
  readonly columns: readonly string[] | null;
  /** AS MATERIALIZED -> true, AS NOT MATERIALIZED -> false, neither -> null. */
  readonly materialized: boolean | null;
  readonly select: SelectStatement;
}

export interface WindowSpec extends Node {
  /** OVER w (a bare name) or OVER (w ...) refers to a named window. */
  readonly base: string | null;
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly OrderingTerm[];
  readonly frame: WindowFrame | null;
}
export interface NamedWindow extends Node {
  readonly name: string;
  readonly spec: WindowSpec;
}
export interface WindowFrame extends Node {
  readonly units: 'ROWS' | 'RANGE' | 'GROUPS';
  readonly start: FrameBound;
  /** null for the one-bound form `ROWS 5 PRECEDING` (end is CURRENT ROW). */
  readonly end: FrameBound | null;
  readonly exclude: 'NO OTHERS' | 'CURRENT ROW' | 'GROUP' | 'TIES' | null;
}
export type FrameBound =
  | { readonly kind: 'unbounded-preceding' }
  | { readonly kind: 'preceding'; readonly offset: Expr }
  | { readonly kind: 'current-row' }
  | { readonly kind: 'following'; readonly offset: Expr }
  | { readonly kind: 'unbounded-following' };

// ---------------------------------------------------------------------------------------------
// Statements

export type Statement =
  | SelectStatement
  | InsertStatement
  | UpdateStatement
  | DeleteStatement
  | CreateTableStatement
  | CreateIndexStatement
  | CreateViewStatement
  | CreateTriggerStatement
  | DropStatement
  | AlterTableStatement
  | BeginStatement
  | CommitStatement
  | RollbackStatement
  | SavepointStatement
  | ReleaseStatement
  | PragmaStatement
  | ExplainStatement
  | VacuumStatement
  | AnalyzeStatement
  | ReindexStatement
  | AttachStatement
  | DetachStatement;

export type ConflictAction = 'ROLLBACK' | 'ABORT' | 'FAIL' | 'IGNORE' | 'REPLACE';

export interface InsertStatement extends Node {
  readonly kind: 'insert';
  readonly with: WithClause | null;
  /** `REPLACE INTO` arrives as orAction 'REPLACE'. */
  readonly orAction: ConflictAction | null;
  readonly schema: string | null;
  readonly table: string;
  readonly alias: string | null;
  readonly columns: readonly string[] | null;
  /** VALUES (...) arrives as a SelectStatement whose body is a ValuesClause; null is DEFAULT VALUES. */
  readonly source: SelectStatement | null;
  readonly upsert: readonly UpsertClause[];
  readonly returning: readonly ResultColumn[] | null;
}
export interface UpsertClause extends Node {
  readonly target: { readonly columns: readonly IndexedColumn[]; readonly where: Expr | null } | null;
  readonly action:
    | { readonly kind: 'nothing' }
    | { readonly kind: 'update'; readonly sets: readonly SetClause[]; readonly where: Expr | null };
}
/** `a = 1` has columns ['a']; `(a, b) = (1, 2)` has columns ['a', 'b'] and a RowValue (or subquery). */
export interface SetClause extends Node {
  readonly columns: readonly string[];
  readonly value: Expr;
}
export interface UpdateStatement extends Node {
  readonly kind: 'update';
  readonly with: WithClause | null;
  readonly orAction: ConflictAction | null;
  readonly schema: string | null;
  readonly table: string;
  readonly alias: string | null;
  readonly indexedBy: string | false | null;
  readonly sets: readonly SetClause[];
  readonly from: FromItem | null;
  readonly where: Expr | null;
  readonly returning: readonly ResultColumn[] | null;
  readonly orderBy: readonly OrderingTerm[];
  readonly limit: { readonly limit: Expr; readonly offset: Expr | null } | null;
}
export interface DeleteStatement extends Node {
  readonly kind: 'delete';
  readonly with: WithClause | null;
  readonly schema: string | null;
  readonly table: string;
  readonly alias: string | null;
  readonly indexedBy: string | false | null;
  readonly where: Expr | null;
  readonly returning: readonly ResultColumn[] | null;
  readonly orderBy: readonly OrderingTerm[];
  readonly limit: { readonly limit: Expr; readonly offset: Expr | null } | null;
}

export interface IndexedColumn extends Node {
  /** Usually a ColumnRef; an expression for indexes on expressions. COLLATE arrives in `collation`. */
  readonly expr: Expr;
  readonly collation: string | null;
  readonly direction: 'ASC' | 'DESC' | null;
}

export interface CreateTableStatement extends Node {
  readonly kind: 'create-table';
  readonly temporary: boolean;
  readonly ifNotExists: boolean;
  readonly schema: string | null;
  readonly name: string;
  readonly columns: readonly ColumnDef[];
  readonly constraints: readonly TableConstraint[];
  readonly withoutRowid: boolean;
  readonly strict: boolean;
  /** CREATE TABLE ... AS SELECT: columns and constraints are empty. */
  readonly asSelect: SelectStatement | null;
}
export interface ColumnDef extends Node {
  readonly name: string;
  readonly type: TypeName | null;
  readonly constraints: readonly ColumnConstraint[];
}
export type ColumnConstraint = (
  | { readonly kind: 'primary-key'; readonly direction: 'ASC' | 'DESC' | null; readonly onConflict: ConflictAction | null; readonly autoincrement: boolean }
  | { readonly kind: 'not-null'; readonly onConflict: ConflictAction | null }
  | { readonly kind: 'null' }
  | { readonly kind: 'unique'; readonly onConflict: ConflictAction | null }
  | { readonly kind: 'check'; readonly expr: Expr }
  /** DEFAULT 5, DEFAULT -5, DEFAULT 'x', DEFAULT (expr), DEFAULT CURRENT_TIMESTAMP, DEFAULT name. */
  | { readonly kind: 'default'; readonly expr: Expr }
  | { readonly kind: 'collate'; readonly collation: string }
  | { readonly kind: 'references'; readonly fk: ForeignKeyClause }
  | { readonly kind: 'generated'; readonly expr: Expr; readonly stored: boolean }
) & Node & { readonly name: string | null };

export type TableConstraint = (
  | { readonly kind: 'primary-key'; readonly columns: readonly IndexedColumn[]; readonly onConflict: ConflictAction | null; readonly autoincrement: boolean }
  | { readonly kind: 'unique'; readonly columns: readonly IndexedColumn[]; readonly onConflict: ConflictAction | null }
  | { readonly kind: 'check'; readonly expr: Expr }
  | { readonly kind: 'foreign-key'; readonly columns: readonly string[]; readonly fk: ForeignKeyClause }
) & Node & { readonly name: string | null };

export type ForeignKeyAction = 'SET NULL' | 'SET DEFAULT' | 'CASCADE' | 'RESTRICT' | 'NO ACTION';
export interface ForeignKeyClause extends Node {
  readonly table: string;
  readonly columns: readonly string[] | null;
  readonly onDelete: ForeignKeyAction | null;
  readonly onUpdate: ForeignKeyAction | null;
  readonly match: string | null;
  /** DEFERRABLE INITIALLY DEFERRED -> 'deferred'; anything else that says DEFERRABLE -> 'immediate'. */
  readonly deferrable: 'deferred' | 'immediate' | null;
}

export interface CreateIndexStatement extends Node {
  readonly kind: 'create-index';
  readonly unique: boolean;
  readonly ifNotExists: boolean;
  readonly schema: string | null;
  readonly name: string;
  readonly table: string;
  readonly columns: readonly IndexedColumn[];
  readonly where: Expr | null;
}
export interface CreateViewStatement extends Node {
  readonly kind: 'create-view';
  readonly temporary: boolean;
  readonly ifNotExists: boolean;
  readonly schema: string | null;
  readonly name: string;
  readonly columns: readonly string[] | null;
  readonly select: SelectStatement;
}
export interface CreateTriggerStatement extends Node {
  readonly kind: 'create-trigger';
  readonly temporary: boolean;
  readonly ifNotExists: boolean;
  readonly schema: string | null;
  readonly name: string;
  readonly timing: 'BEFORE' | 'AFTER' | 'INSTEAD OF';
  readonly event: 'DELETE' | 'INSERT' | 'UPDATE';
  /** UPDATE OF a, b. */
  readonly columns: readonly string[] | null;
  readonly table: string;
  readonly forEachRow: boolean;
  readonly when: Expr | null;
  readonly body: readonly (InsertStatement | UpdateStatement | DeleteStatement | SelectStatement)[];
}
export interface DropStatement extends Node {
  readonly kind: 'drop';
  readonly objectType: 'TABLE' | 'INDEX' | 'VIEW' | 'TRIGGER';
  readonly ifExists: boolean;
  readonly schema: string | null;
  readonly name: string;
}
export interface AlterTableStatement extends Node {
  readonly kind: 'alter-table';
  readonly schema: string | null;
  readonly table: string;
  readonly action:
    | { readonly kind: 'rename-table'; readonly newName: string }
    | { readonly kind: 'rename-column'; readonly column: string; readonly newName: string }
    | { readonly kind: 'add-column'; readonly column: ColumnDef }
    | { readonly kind: 'drop-column'; readonly column: string };
}
export interface BeginStatement extends Node {
  readonly kind: 'begin';
  readonly mode: 'DEFERRED' | 'IMMEDIATE' | 'EXCLUSIVE' | null;
}
/** COMMIT and END. */
export interface CommitStatement extends Node {
  readonly kind: 'commit';
}
/** ROLLBACK, or ROLLBACK TO [SAVEPOINT] name when savepoint is set. */
export interface RollbackStatement extends Node {
  readonly kind: 'rollback';
  readonly savepoint: string | null;
}
export interface SavepointStatement extends Node {
  readonly kind: 'savepoint';
  readonly name: string;
}
export interface ReleaseStatement extends Node {
  readonly kind: 'release';
  readonly name: string;
}
/**
 * PRAGMA [schema.]name, PRAGMA name = value, PRAGMA name(value). A bare-word value (`ON`, `wal`,
 * `NORMAL`) arrives as a ColumnRef; numbers, strings and signed numbers as usual.
 */
export interface PragmaStatement extends Node {
  readonly kind: 'pragma';
  readonly schema: string | null;
  readonly name: string;
  readonly value: Expr | null;
}
export interface ExplainStatement extends Node {
  readonly kind: 'explain';
  readonly queryPlan: boolean;
  readonly statement: Statement;
}
export interface VacuumStatement extends Node {
  readonly kind: 'vacuum';
}
export interface AnalyzeStatement extends Node {
  readonly kind: 'analyze';
  readonly name: string | null;
}
export interface ReindexStatement extends Node {
  readonly kind: 'reindex';
  readonly name: string | null;
}
export interface AttachStatement extends Node {
  readonly kind: 'attach';
  readonly file: Expr;
  readonly schema: Expr;
}
export interface DetachStatement extends Node {
  readonly kind: 'detach';
  readonly schema: Expr;
}

/** For exhaustive switches: `default: return unreachable(node)`. */
export function unreachable(x: never): never {
  throw new Error(`internal error: unexpected ${JSON.stringify(x)}`);
}
