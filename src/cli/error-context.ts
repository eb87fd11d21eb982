// The two lines sqlite3 (3.41+) prints under an error that has a position: the statement, its
// white space flattened to spaces and cut to 78 characters, and a caret under the offending
// token. Far into a long statement the window slides (offset kept at 50) and the marker flips
// to `error here ---^` so it stays on screen — shell.c's shell_error_context, character for
// character (counted in UTF-16 units rather than bytes).
//
//     select * from nosuch;
//                   ^--- error here

/** `sql` starts at the statement; `offset` is the error's offset in it. '' when out of range. */
export function errorContext(sql: string, offset: number): string {
  if (offset < 0 || offset >= sql.length) return '';
  let start = 0;
  if (offset > 50) {
    start = offset - 50;
    offset = 50;
  }
  const code = sql.slice(start, start + 78).replace(/\s/g, ' ').trimEnd();
  if (offset < 25) return `  ${code}\n  ${' '.repeat(offset)}^--- error here\n`;
  return `  ${code}\n  ${' '.repeat(offset - 14)}error here ---^\n`;
}
