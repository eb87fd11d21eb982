-- Statements span lines; a ';' inside a string, a quoted name or a comment does not end one.
SELECT 'a;b',
  'x;y' AS "q;r" -- comment ; here
  ;
SELECT 1 /* ; */ + 1; SELECT 3
;
;;
CREATE TABLE "semi;colon"(v);
INSERT INTO "semi;colon" VALUES ('one;'), ('two');
SELECT v FROM "semi;colon" ORDER BY v
