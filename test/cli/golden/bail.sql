-- args: ["--bail"]
SELECT 'before';
SELECT * FROM nosuch;
SELECT 'never printed';
