-- How values print in list mode (sqlite3_column_text) and as literals in insert mode.
SELECT 9223372036854775807, -9223372036854775808, 2.0, 0.1 + 0.2, 1.0 / 3, 1e100, -0.0, 1e15, 123456789012345678.0;
SELECT 5 / 2, 5.0 / 2, 9223372036854775807 + 1, 1 / 0, x'414243', 'a|b';
.nullvalue (null)
SELECT NULL, 'NULL', '';
.mode insert
SELECT 9223372036854775807, 2.0, 0.5, 'a''b', x'00ff', NULL, 1e308 * 10;
.mode csv
SELECT 'plain', 'with space', 'comma,here', 'quote"here', 'line
break', 'é', NULL, '';
