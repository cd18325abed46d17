/**
 * Catalogue reads (pg_catalog, information_schema; schema `public`): the schema loader's one read of every user
 * table's columns, keys and indexes, the foreign keys /relations lists, and what the Directus adoption checks at boot.
 * Fixed text, no values but bound ones. Pure: no Nest, no I/O.
 */
import { SYSTEM_COLLECTIONS } from '@lib/schema';
import type { WriteStatement } from './compile';

/** The system tables the schema loader reads columns of, as an SQL list of string literals (fixed names). */
const SYSTEM_TABLES = Object.keys(SYSTEM_COLLECTIONS)
  .map((name) => `'${name}'`)
  .join(', ');

/**
 * One catalogue read of every user table's columns, keys, indexes and foreign keys (pg_catalog, schema public).
 * Views, materialized views and foreign tables come with the tables, `is_view` set: the loader serves them as
 * read-only collections (as Directus does since its view support).
 */
export const CATALOG_COLUMNS_SQL = `
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
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relname NOT LIKE 'tessera\\_%'
  AND (c.relname NOT LIKE 'directus\\_%' OR c.relname IN (${SYSTEM_TABLES}))
ORDER BY c.relname, a.attnum`;

/**
 * Every single-column foreign key between tables of schema `public`, in table order then creation order: what
 * Directus stitches with the `directus_relations` rows to list relations (a key without a row is a relation with
 * `meta: null`). A catalogue read, like the schema loader's.
 */
export const CATALOG_FOREIGN_KEYS_SQL = `
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
ORDER BY c.relname, con.oid`;

/** Single-column foreign keys of user tables whose column leads no index (PostgreSQL never indexes them itself). */
export const CATALOG_UNINDEXED_FOREIGN_KEYS_SQL = `
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
ORDER BY c.relname, a.attname`;

/** The columns of the `directus_*` base tables, in table then column order (Directus adoption). */
export const CATALOG_SYSTEM_COLUMNS_SQL = `SELECT c."table_name", c."column_name" FROM information_schema.columns c
     JOIN information_schema.tables t ON t."table_schema" = c."table_schema" AND t."table_name" = c."table_name"
     WHERE c."table_schema" = 'public' AND t."table_type" = 'BASE TABLE' AND left(c."table_name", 9) = 'directus_'
     ORDER BY c."table_name", c."ordinal_position"`;

/** One row when a relation (table, index, sequence, ...) of schema `public` is named `name`. */
export function compileRelationNameTaken(name: string): WriteStatement {
  return {
    sql: `SELECT 1 FROM pg_class WHERE "relname" = $1 AND "relnamespace" = 'public'::regnamespace`,
    params: [name],
  };
}

/** One row when the database `name` exists (asked on the maintenance database). */
export function compileDatabaseExists(name: string): WriteStatement {
  return { sql: 'SELECT 1 FROM pg_database WHERE datname = $1', params: [name] };
}
