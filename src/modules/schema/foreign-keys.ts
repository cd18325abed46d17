import type { Database } from '../../core/database/database.service';

/** A single-column foreign key as Directus's schema inspector reports it (the `schema` of a relation). */
export interface ForeignKeyRow {
  readonly table: string;
  readonly column: string;
  readonly foreign_key_schema: string;
  readonly foreign_key_table: string;
  readonly foreign_key_column: string;
  readonly constraint_name: string;
  readonly on_update: string;
  readonly on_delete: string;
}

const ACTIONS: Readonly<Record<string, string>> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

/**
 * Every single-column foreign key between tables of schema `public`, in table order then creation order: what
 * Directus stitches with the `directus_relations` rows to list relations (a key without a row is a relation with
 * `meta: null`). A catalogue read, like the schema loader's.
 */
const FOREIGN_KEYS_SQL = `
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

export async function loadForeignKeys(db: Database): Promise<ForeignKeyRow[]> {
  const rows = await db.query<Omit<ForeignKeyRow, 'foreign_key_schema'>>(FOREIGN_KEYS_SQL);
  return rows.map((row) => ({
    table: row.table,
    column: row.column,
    foreign_key_schema: 'public',
    foreign_key_table: row.foreign_key_table,
    foreign_key_column: row.foreign_key_column,
    constraint_name: row.constraint_name,
    on_update: ACTIONS[row.on_update] ?? 'NO ACTION',
    on_delete: ACTIONS[row.on_delete] ?? 'NO ACTION',
  }));
}
