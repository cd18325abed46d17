
SELECT c.relname AS "table", a.attname AS "column", rc.relname AS "foreign_key_table",
       ra.attname AS "foreign_key_column", con.conname AS "constraint_name",
       con.confupdtype AS "on_update", con.confdeltype AS "on_delete"
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
JOIN pg_class rc ON rc.oid = con.confrelid
JOIN pg_namespace rn ON rn.oid = rc.relnamespace AND rn.nspname = 'public'
JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
JOIN pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = con.confkey[1]
WHERE con.contype = 'f' AND array_length(con.conkey, 1) = 1
ORDER BY c.relname, con.oid
-- params: []
