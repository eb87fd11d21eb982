-- Every output mode over the same rows: INTEGER, TEXT with quotes, REAL (2.0 stays 2.0), BLOB, NULL.
CREATE TABLE t(a INTEGER, b TEXT, c REAL, d BLOB);
INSERT INTO t VALUES (1, 'hello', 2.0, x'4142'), (NULL, 'it''s a "q"', 0.1, NULL), (-42, '', 1e20, x'41');
.headers on
.mode list
SELECT * FROM t;
.mode csv
SELECT * FROM t;
.mode json
SELECT * FROM t;
.mode line
SELECT * FROM t;
.mode markdown
SELECT * FROM t;
.mode table
SELECT * FROM t;
.mode box
SELECT * FROM t;
.mode column
SELECT * FROM t;
.mode insert
SELECT * FROM t;
.mode insert t2
.headers off
SELECT * FROM t;
.mode list
SELECT * FROM t;
.mode column
SELECT * FROM t;
-- no rows: nothing at all, not even a header
.mode box
SELECT * FROM t WHERE 0;
.mode json
SELECT * FROM t WHERE 0;
