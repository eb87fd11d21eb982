// Deterministic printers for the AST: expressions as S-expressions (`(OR (= a 1) (AND ...))`, the
// shape precedence tests and golden files compare), and any node as indented JSON without `loc`.

import { unreachable, type Expr, type SelectStatement } from './ast';

/** An expression as an S-expression: operators first, names dotted, literals as written. */
export function printExpr(e: Expr): string {
  switch (e.kind) {
    case 'number': return e.text;
    case 'string': return `'${e.value.replace(/'/g, "''")}'`;
    case 'blob': return `x'${e.hex}'`;
    case 'null': return 'NULL';
    case 'bool': return e.value ? 'TRUE' : 'FALSE';
    case 'current-time': return e.which;
    case 'param': return e.text;
    case 'column': return [e.schema, e.table, e.name].filter((p) => p !== null).join('.');
    case 'unary': return `(${e.op} ${printExpr(e.operand)})`;
    case 'binary': return `(${e.op} ${printExpr(e.left)} ${printExpr(e.right)})`;
    case 'collate': return `(COLLATE ${printExpr(e.expr)} ${e.collation})`;
    case 'like': {
      const escape = e.escape === null ? '' : ` ${printExpr(e.escape)}`;
      return `(${e.not ? 'NOT ' : ''}${e.op} ${printExpr(e.left)} ${printExpr(e.right)}${escape})`;
    }
    case 'between': return `(${e.not ? 'NOT ' : ''}BETWEEN ${printExpr(e.expr)} ${printExpr(e.low)} ${printExpr(e.high)})`;
    case 'in': {
      const s = e.source;
      const source = s.kind === 'list' ? `(${s.items.map(printExpr).join(' ')})`
        : s.kind === 'select' ? printSelect(s.select)
        : [s.schema, s.name].filter((p) => p !== null).join('.') + (s.args === null ? '' : `(${s.args.map(printExpr).join(' ')})`);
      return `(${e.not ? 'NOT ' : ''}IN ${printExpr(e.expr)} ${source})`;
    }
    case 'isnull': return `(${e.not ? 'NOTNULL' : 'ISNULL'} ${printExpr(e.expr)})`;
    case 'exists': return `(${e.not ? 'NOT ' : ''}EXISTS ${printSelect(e.select)})`;
    case 'subquery': return printSelect(e.select);
    case 'case': {
      const parts = [e.operand === null ? '' : ` ${printExpr(e.operand)}`];
      for (const w of e.whens) parts.push(` (WHEN ${printExpr(w.when)} ${printExpr(w.then)})`);
      if (e.else !== null) parts.push(` (ELSE ${printExpr(e.else)})`);
      return `(CASE${parts.join('')})`;
    }
    case 'cast': return `(CAST ${printExpr(e.expr)} ${e.type.name}${e.type.args.length > 0 ? `(${e.type.args.join(', ')})` : ''})`;
    case 'call': {
      const args = e.star ? '*' : e.args.map(printExpr).join(' ');
      const extra = [e.distinct ? ' DISTINCT' : '', e.filter === null ? '' : ` (FILTER ${printExpr(e.filter)})`, e.over === null ? '' : ' OVER'];
      return `(${e.name} ${args}${extra.join('')})`.replace(/ \)$/, ')');
    }
    case 'raise': return `(RAISE ${e.action}${e.message === null ? '' : ` ${printExpr(e.message)}`})`;
    case 'row': return `(ROW ${e.items.map(printExpr).join(' ')})`;
    default: return unreachable(e);
  }
}

function printSelect(_select: SelectStatement): string {
  return '(SELECT ...)';
}

/** Any AST node (or list of nodes) as indented JSON with every `loc` left out. */
export function printAst(node: unknown): string {
  return JSON.stringify(node, (key, value: unknown) => (key === 'loc' ? undefined : value), 2);
}
