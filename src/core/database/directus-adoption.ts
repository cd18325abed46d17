import {
  CATALOG_SYSTEM_COLUMNS_SQL,
  CATALOG_UNINDEXED_FOREIGN_KEYS_SQL,
  compileAdvisoryXactLock,
  compileRelationNameTaken,
  ddlCreateIndexIfMissing,
  indexName,
} from '@lib/query';
import type { Database } from './database.service';

/**
 * The Directus system tables and columns Tessera knows: those its migration creates (with Directus's names and
 * types) and reads or writes. Anything else a Directus database holds (directus_settings, directus_files, a column a
 * newer Directus added, ...) is left exactly as it is, with one warning line at boot.
 */
export const KNOWN_SYSTEM_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  directus_collections: [
    'collection',
    'icon',
    'note',
    'display_template',
    'hidden',
    'singleton',
    'translations',
    'archive_field',
    'archive_app_filter',
    'archive_value',
    'unarchive_value',
    'sort_field',
    'accountability',
    'color',
    'item_duplication_fields',
    'sort',
    'group',
    'collapse',
    'preview_url',
    'versioning',
  ],
  directus_fields: [
    'id',
    'collection',
    'field',
    'special',
    'interface',
    'options',
    'display',
    'display_options',
    'readonly',
    'hidden',
    'sort',
    'width',
    'translations',
    'note',
    'conditions',
    'required',
    'group',
    'validation',
    'validation_message',
    'searchable',
  ],
  directus_relations: [
    'id',
    'many_collection',
    'many_field',
    'one_collection',
    'one_field',
    'one_collection_field',
    'one_allowed_collections',
    'junction_field',
    'sort_field',
    'one_deselect_action',
  ],
  directus_roles: ['id', 'name', 'icon', 'description', 'parent'],
  directus_policies: ['id', 'name', 'icon', 'description', 'ip_access', 'enforce_tfa', 'admin_access', 'app_access'],
  directus_users: [
    'id',
    'first_name',
    'last_name',
    'email',
    'password',
    'location',
    'title',
    'description',
    'tags',
    'avatar',
    'language',
    'tfa_secret',
    'status',
    'role',
    'token',
    'last_access',
    'last_page',
    'provider',
    'external_identifier',
    'auth_data',
    'email_notifications',
    'appearance',
    'theme_dark',
    'theme_light',
    'theme_light_overrides',
    'theme_dark_overrides',
    'text_direction',
  ],
  directus_access: ['id', 'role', 'user', 'policy', 'sort'],
  directus_permissions: ['id', 'collection', 'action', 'permissions', 'validation', 'presets', 'fields', 'policy'],
  directus_sessions: ['token', 'user', 'expires', 'ip', 'user_agent', 'share', 'origin', 'next_token'],
  directus_activity: ['id', 'action', 'user', 'timestamp', 'ip', 'user_agent', 'collection', 'item', 'origin'],
  directus_revisions: ['id', 'activity', 'collection', 'item', 'data', 'delta', 'parent', 'version'],
};

export interface AdoptionLogger {
  warn(message: Record<string, unknown>): void;
  log(message: Record<string, unknown>): void;
}

export interface AdoptionReport {
  /** `directus_*` tables Tessera does not know, left as they are. */
  readonly unknownTables: string[];
  /** `table.column` in known tables that Tessera does not know, left as they are. */
  readonly unknownColumns: string[];
  /** `table.column` Tessera knows that this database lacks (an older Directus). */
  readonly missingColumns: string[];
  /** Foreign key indexes created at this boot, as `index (table.column)`. */
  readonly createdIndexes: string[];
}

interface ColumnRow {
  table_name: string;
  column_name: string;
}

interface ForeignKeyRow {
  table_name: string;
  column_name: string;
  primary_key: string | null;
}

/** Serialises the index creation of instances booting together (any constant works; this one reads "tessera"). */
const ADOPTION_LOCK = 0x7465737365726100n;

/**
 * Runs at every boot, after the migrations: compares the `directus_*` tables with what Tessera knows and warns once
 * per unknown table, unknown column and missing column (never an error: a newer or older Directus may have them), and
 * indexes the foreign keys of user collections that have no index (Directus's naming, `<table>_<column>_index`, on
 * the key and the primary key, as Tessera's own relations are indexed). Nothing else is created, altered or dropped.
 */
export async function adoptSystemTables(db: Database, logger: AdoptionLogger): Promise<AdoptionReport> {
  const columns = await db.query<ColumnRow>(CATALOG_SYSTEM_COLUMNS_SQL);
  const present = new Map<string, Set<string>>();
  for (const { table_name, column_name } of columns) {
    if (!present.has(table_name)) present.set(table_name, new Set());
    present.get(table_name)!.add(column_name);
  }
  const unknownTables: string[] = [];
  const unknownColumns: string[] = [];
  const missingColumns: string[] = [];
  for (const [table, cols] of present) {
    const known = KNOWN_SYSTEM_COLUMNS[table];
    if (!known) {
      unknownTables.push(table);
      logger.warn({ msg: 'Directus system table not served by Tessera, left as it is', table });
      continue;
    }
    for (const column of cols) {
      if (known.includes(column)) continue;
      unknownColumns.push(`${table}.${column}`);
      logger.warn({ msg: 'Directus system column not served by Tessera, left as it is', table, column });
    }
    for (const column of known) {
      if (cols.has(column)) continue;
      missingColumns.push(`${table}.${column}`);
      logger.warn({
        msg: 'Directus system column missing (an older Directus?); Tessera works without it',
        table,
        column,
      });
    }
  }
  const createdIndexes = await indexForeignKeys(db, logger);
  return { unknownTables, unknownColumns, missingColumns, createdIndexes };
}

async function indexForeignKeys(db: Database, logger: AdoptionLogger): Promise<string[]> {
  // Cheap check first, outside any lock: on every boot but the first there is nothing to do.
  if (!(await db.query<ForeignKeyRow>(CATALOG_UNINDEXED_FOREIGN_KEYS_SQL)).length) return [];
  return db.transaction(async () => {
    await db.run(compileAdvisoryXactLock(ADOPTION_LOCK.toString()));
    const created: string[] = [];
    for (const fk of await db.query<ForeignKeyRow>(CATALOG_UNINDEXED_FOREIGN_KEYS_SQL)) {
      const name = indexName(fk.table_name, fk.column_name);
      const taken = await db.run(compileRelationNameTaken(name));
      if (taken.length) continue; // the name is in use by something else: leave it (and the key) as they are
      const keys = [fk.column_name, ...(fk.primary_key && fk.primary_key !== fk.column_name ? [fk.primary_key] : [])];
      await db.query(ddlCreateIndexIfMissing(name, fk.table_name, keys));
      created.push(`${name} (${fk.table_name}.${fk.column_name})`);
      logger.log({
        msg: 'created missing foreign key index',
        index: name,
        table: fk.table_name,
        column: fk.column_name,
      });
    }
    return created;
  });
}
