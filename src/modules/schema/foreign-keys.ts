import { CATALOG_FOREIGN_KEYS_SQL } from '@lib/query';
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

export async function loadForeignKeys(db: Database): Promise<ForeignKeyRow[]> {
  const rows = await db.query<Omit<ForeignKeyRow, 'foreign_key_schema'>>(CATALOG_FOREIGN_KEYS_SQL);
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
