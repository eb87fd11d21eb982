CREATE TABLE t(a, b);
CREATE TABLE longer_name(x);
CREATE VIEW v AS SELECT 1;
CREATE INDEX ti ON t(a);
CREATE INDEX tj ON t(b);
CREATE INDEX lx ON longer_name(x);
.tables
.tables l%
.indexes
.indexes t
.schema t
.schema
.changes on
INSERT INTO t VALUES (1, 2), (3, 4);
UPDATE t SET a = a + 1;
.changes off
.mode
.mode line
SELECT 1 AS a, 22 AS bbbbbbb;
.read test/cli/golden/included.sql.txt
.read test/cli/golden/no-such-file.sql
# a comment line
.help
.quit
SELECT 'after quit';
