CREATE TABLE t(a, b);
INSERT INTO t VALUES (1, 'x');
selec 1;
SELECT * FROM nosuch;
-- an error skips the rest of its line's statements; the next line runs
SELECT 1; SELECT * FROM   nosuch2 WHERE x = 1; SELECT 2;
SELECT 3;
SELECT 1 FROM t WHERE aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa = bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb;
SELECT 'multi',
  nosuch_column
  FROM t;
INSERT INTO t VALUES (1, 2, 3);
SELECT 'still running';
.nosuchcommand
.mode nosuchmode
.headers
SELECT 'unterminated
