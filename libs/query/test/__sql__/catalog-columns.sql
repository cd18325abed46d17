
SELECT c.relname AS table_name, c.relkind IN ('v', 'm', 'f') AS is_view, a.attname AS column_name,
       format_type(a.atttypid, NULL) AS raw_type,
       CASE WHEN t.typname = 'varchar' THEN 'character varying' WHEN t.typname = 'bpchar' THEN 'character'
            ELSE format_type(a.atttypid, NULL) END AS data_type,
       pg_get_expr(d.adbin, d.adrelid) AS column_default,
       NOT a.attnotnull AS is_nullable,
       CASE WHEN a.atttypmod > 0 AND t.typname IN ('varchar','bpchar') THEN a.atttypmod - 4 END AS max_length,
       CASE WHEN t.typname = 'numeric' AND a.atttypmod > 0 THEN ((a.atttypmod - 4) >> 16) & 65535
            WHEN t.typname IN ('int4','int2','int8','float4','float8') THEN information_schema._pg_numeric_precision(a.atttypid, a.atttypmod) END AS numeric_precision,
       CASE WHEN t.typname = 'numeric' AND a.atttypmod > 0 THEN (a.atttypmod - 4) & 65535
            WHEN t.typname IN ('int4','int2','int8') THEN 0 END AS numeric_scale,
       a.attidentity <> '' AS is_identity,
       a.attgenerated <> '' AS is_generated,
       CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END AS generation_expression,
       EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary AND a.attnum = ANY(i.indkey)) AS is_primary_key,
       EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisunique AND i.indnatts = 1 AND i.indkey[0] = a.attnum) AS is_unique,
       EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND a.attnum = ANY(i.indkey)) AS is_indexed,
       col_description(c.oid, a.attnum) AS comment,
       fk.fk_table, fk.fk_column, fk.conname AS fk_constraint, fk.confupdtype AS fk_on_update, fk.confdeltype AS fk_on_delete
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
LEFT JOIN LATERAL (
  SELECT rc.relname AS fk_table, ra.attname AS fk_column, con.conname, con.confupdtype, con.confdeltype
  FROM pg_constraint con
  JOIN pg_class rc ON rc.oid = con.confrelid
  JOIN pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = con.confkey[1]
  WHERE con.conrelid = c.oid AND con.contype = 'f' AND array_length(con.conkey, 1) = 1 AND con.conkey[1] = a.attnum
  LIMIT 1
) fk ON true
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relname NOT LIKE 'tessera\_%'
  AND (c.relname NOT LIKE 'directus\_%' OR c.relname IN ('directus_users', 'directus_roles', 'directus_policies', 'directus_access', 'directus_permissions', 'directus_activity', 'directus_revisions'))
ORDER BY c.relname, a.attnum
-- params: []
