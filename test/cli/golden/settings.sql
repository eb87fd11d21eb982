.print hello   world
.separator ;
SELECT 1, 'a';
.headers on
.mode csv
SELECT 1 AS x, 'b c' AS y;
.separator \t
SELECT 2 AS x, 'tab' AS y;
.mode list
.nullvalue NULL
.width 3 -2
.show
.echo on
SELECT NULL AS n;
.echo off
.show extra
.bail on
SELECT * FROM missing;
SELECT 'not reached';
