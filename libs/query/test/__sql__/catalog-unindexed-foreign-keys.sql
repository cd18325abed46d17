
SELECT c.relname AS table_name, a.attname AS column_name,
       (SELECT pa.attname FROM pg_index pi
        JOIN pg_attribute pa ON pa.attrelid = pi.indrelid AND pa.attnum = pi.indkey[0]
        WHERE pi.indrelid = c.oid AND pi.indisprimary AND pi.indnatts = 1) AS primary_key
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid AND c.relkind IN ('r', 'p')
JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = con.conkey[1]
WHERE con.contype = 'f' AND array_length(con.conkey, 1) = 1
  AND left(c.relname, 9) <> 'directus_' AND left(c.relname, 8) <> 'tessera_'
  AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indkey[0] = con.conkey[1])
ORDER BY c.relname, a.attname
-- params: []
