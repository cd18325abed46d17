import {
  CATALOG_COLUMNS_SQL,
  COLLECTION_META_ROWS_SQL,
  FIELD_META_ROWS_SQL,
  READ_ONLY_SNAPSHOT_SQL,
  RELATION_META_ROWS_SQL,
  SCHEMA_VERSION_SQL,
} from '@lib/query';
import {
  buildSnapshot,
  makeField,
  type CollectionInput,
  type FieldSnapshot,
  type RelationSnapshot,
  type SchemaSnapshot,
} from '@lib/schema';
import type { Database } from '../../core/database/database.service';
import { localType } from './field-types';
import { systemFieldRows, systemRelationRows } from './system-catalog';

interface ColumnRow {
  table_name: string;
  /** A view, materialized view or foreign table (read-only). */
  is_view: boolean;
  column_name: string;
  data_type: string;
  column_default: string | null;
  is_nullable: boolean;
  max_length: number | null;
  numeric_precision: number | null;
  numeric_scale: number | null;
  is_identity: boolean;
  is_generated: boolean;
  generation_expression: string | null;
  is_primary_key: boolean;
  is_unique: boolean;
  is_indexed: boolean;
  comment: string | null;
  fk_table: string | null;
  fk_column: string | null;
  fk_constraint: string | null;
  fk_on_update: string | null;
  fk_on_delete: string | null;
}

type MetaRow = Record<string, unknown> & {
  collection: string;
  field: string;
  special: string | null;
  sort: number | null;
};

export interface SchemaCatalog {
  readonly snapshot: SchemaSnapshot;
  /** `directus_collections` rows without a table (folders), for the /collections API. */
  readonly folders: readonly Record<string, unknown>[];
  /**
   * Every field of each collection in /fields order: the snapshot's fields plus the `no-data` aliases (dividers,
   * groups, notices), which Directus keeps out of its schema but lists, updates and deletes through /fields.
   */
  readonly fieldLists: Readonly<Record<string, readonly FieldSnapshot[]>>;
  /** Views without an `id` column: no primary key, so no collection (the registry warns once about each). */
  readonly ignoredViews: readonly string[];
}

const FK_ACTIONS: Record<string, string> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

/** Reads a column default into the JSON value Directus reports (`'x'::character varying` → "x"). */
export function parseDefault(raw: string | null, autoIncrement: boolean): unknown {
  if (raw === null || autoIncrement) return null;
  if (/^nextval\(/i.test(raw)) return null;
  if (/^(now\(\)|CURRENT_TIMESTAMP)/i.test(raw)) return 'CURRENT_TIMESTAMP';
  if (/^NULL(::|$)/i.test(raw)) return null;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  const text = /^'((?:[^']|'')*)'(::.*)?$/.exec(raw);
  if (text) {
    const value = text[1].replace(/''/g, "'");
    const cast = text[2] ?? '';
    if (/::(json|jsonb)$/.test(cast)) {
      try {
        return JSON.parse(value);
      } catch {
        return value;
      }
    }
    if (/::numeric/.test(cast) && value !== '' && !Number.isNaN(Number(value))) return Number(value);
    return value;
  }
  const numeric = /^\(?(-?\d+(\.\d+)?)\)?(::[a-z ]+)?$/.exec(raw);
  if (numeric) return Number(numeric[1]);
  return raw;
}

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** The field `meta` object as the API shows it (spec 15: `special` null when empty, no clear_hidden_value_on_save). */
function formatFieldMeta(row: MetaRow): Record<string, unknown> {
  const special = row.special ? String(row.special).split(',').filter(Boolean) : [];
  return {
    id: row.id,
    collection: row.collection,
    field: row.field,
    special: special.length ? special : null,
    interface: row.interface ?? null,
    options: parseJson(row.options),
    display: row.display ?? null,
    display_options: parseJson(row.display_options),
    readonly: row.readonly ?? false,
    hidden: row.hidden ?? false,
    sort: row.sort ?? null,
    width: row.width ?? 'full',
    translations: parseJson(row.translations),
    note: row.note ?? null,
    conditions: parseJson(row.conditions),
    required: row.required ?? false,
    group: row.group ?? null,
    validation: parseJson(row.validation),
    validation_message: row.validation_message ?? null,
    searchable: row.searchable ?? true,
  };
}

function formatCollectionMeta(row: Record<string, unknown>): Record<string, unknown> {
  return {
    collection: row.collection,
    icon: row.icon ?? null,
    note: row.note ?? null,
    display_template: row.display_template ?? null,
    hidden: row.hidden ?? false,
    singleton: row.singleton ?? false,
    translations: parseJson(row.translations),
    archive_field: row.archive_field ?? null,
    archive_app_filter: row.archive_app_filter ?? true,
    archive_value: row.archive_value ?? null,
    unarchive_value: row.unarchive_value ?? null,
    sort_field: row.sort_field ?? null,
    accountability: row.accountability ?? null,
    color: row.color ?? null,
    item_duplication_fields: parseJson(row.item_duplication_fields),
    sort: row.sort ?? null,
    group: row.group ?? null,
    collapse: row.collapse ?? 'open',
    preview_url: row.preview_url ?? null,
    versioning: row.versioning ?? false,
  };
}

/**
 * Loads the whole schema in four catalogue reads inside one REPEATABLE READ snapshot, so the version and the rows
 * it describes always agree.
 */
export async function loadCatalog(db: Database): Promise<SchemaCatalog> {
  return db.transaction(async () => {
    await db.query(READ_ONLY_SNAPSHOT_SQL);
    const [{ version }] = await db.query<{ version: string }>(SCHEMA_VERSION_SQL);
    const columns = await db.query<ColumnRow>(CATALOG_COLUMNS_SQL);
    const fieldRows = await db.query<MetaRow>(FIELD_META_ROWS_SQL);
    const collectionRows = await db.query<Record<string, unknown> & { collection: string }>(COLLECTION_META_ROWS_SQL);
    const relationRows = await db.query<Record<string, unknown>>(RELATION_META_ROWS_SQL);
    fieldRows.push(...systemFieldRows());
    relationRows.push(...systemRelationRows());
    return assemble(Number(version), columns, fieldRows, collectionRows, relationRows);
  });
}

function assemble(
  version: number,
  columns: ColumnRow[],
  fieldRows: MetaRow[],
  collectionRows: (Record<string, unknown> & { collection: string })[],
  relationRows: Record<string, unknown>[],
): SchemaCatalog {
  const metaByKey = new Map(fieldRows.map((r) => [`${r.collection}.${r.field}`, r]));
  const tables = new Map<string, ColumnRow[]>();
  for (const col of columns) {
    if (!tables.has(col.table_name)) tables.set(col.table_name, []);
    tables.get(col.table_name)!.push(col);
  }
  const collectionMeta = new Map(collectionRows.map((r) => [r.collection, r]));
  const collections: CollectionInput[] = [];
  const fieldLists: Record<string, FieldSnapshot[]> = {};
  const ignoredViews: string[] = [];
  for (const [table, cols] of tables) {
    if (table.includes(' ')) continue;
    // A view has no primary key of its own: its `id` column is one (as Directus does); without one it is no collection.
    const view = cols[0].is_view;
    if (view && !cols.some((c) => c.column_name === 'id')) {
      ignoredViews.push(table);
      continue;
    }
    const fields: FieldSnapshot[] = [];
    for (const col of cols) {
      const key = view ? col.column_name === 'id' : col.is_primary_key;
      fields.push(
        columnField(table, { ...col, is_primary_key: key }, metaByKey.get(`${table}.${col.column_name}`) ?? null),
      );
    }
    for (const meta of fieldRows) {
      if (meta.collection !== table || cols.some((c) => c.column_name === meta.field)) continue;
      const special = meta.special ? String(meta.special).split(',').filter(Boolean) : [];
      fields.push(
        makeField({
          collection: table,
          field: meta.field,
          type: 'alias',
          alias: true,
          special,
          searchable: meta.searchable !== false,
          meta: formatFieldMeta(meta),
          schema: null,
        }),
      );
    }
    // meta.sort orders fields; a field without one keeps its column position (as created, in payload order)
    const position = new Map(fields.map((f, i) => [f.field, i]));
    fields.sort((a, b) => sortOf(a, position) - sortOf(b, position) || position.get(a.field)! - position.get(b.field)!);
    fieldLists[table] = fields;
    const meta = collectionMeta.get(table);
    collections.push({
      collection: table,
      singleton: meta?.singleton === true,
      sortField: (meta?.sort_field as string | null) ?? null,
      accountability: meta ? ((meta.accountability as 'all' | 'activity' | null) ?? null) : 'all',
      meta: meta ? formatCollectionMeta(meta) : null,
      view,
      // as in Directus's getSchema, the no-data aliases are no part of the schema
      fields: fields.filter((f) => !(f.alias && f.special.includes('no-data'))),
    });
  }
  const relations = relationRows.map((row) => relationSnapshot(row, columns));
  const folders = collectionRows.filter((r) => !tables.has(r.collection)).map(formatCollectionMeta);
  return { snapshot: buildSnapshot(version, collections, relations), folders, fieldLists, ignoredViews };
}

function sortOf(field: FieldSnapshot, position: Map<string, number>): number {
  const sort = field.meta?.sort;
  return typeof sort === 'number' ? sort : position.get(field.field)! + 1;
}

function columnField(table: string, col: ColumnRow, meta: MetaRow | null): FieldSnapshot {
  const special = meta?.special ? String(meta.special).split(',').filter(Boolean) : [];
  const autoIncrement = col.is_identity || /^nextval\(/i.test(col.column_default ?? '');
  const defaultValue = parseDefault(col.column_default, autoIncrement);
  return makeField({
    collection: table,
    field: col.column_name,
    type: localType(col.data_type, special),
    dbType: col.data_type,
    nullable: col.is_nullable,
    defaultValue,
    maxLength: col.max_length,
    precision: col.numeric_precision,
    scale: col.numeric_scale,
    primaryKey: col.is_primary_key,
    autoIncrement,
    unique: col.is_unique,
    indexed: col.is_indexed,
    special,
    searchable: meta ? meta.searchable !== false : true,
    alias: false,
    meta: meta ? formatFieldMeta(meta) : null,
    schema: {
      name: col.column_name,
      table,
      data_type: col.data_type,
      default_value: defaultValue,
      max_length: col.max_length,
      numeric_precision: col.numeric_precision,
      numeric_scale: col.numeric_scale,
      is_generated: col.is_generated,
      generation_expression: col.generation_expression,
      is_nullable: col.is_nullable,
      is_unique: col.is_unique,
      is_indexed: col.is_indexed,
      is_primary_key: col.is_primary_key,
      has_auto_increment: autoIncrement,
      foreign_key_schema: col.fk_table ? 'public' : null,
      foreign_key_table: col.fk_table,
      foreign_key_column: col.fk_column,
      comment: col.comment,
    },
  });
}

function relationSnapshot(row: Record<string, unknown>, columns: ColumnRow[]): RelationSnapshot {
  const many = String(row.many_collection);
  const field = String(row.many_field);
  const col = columns.find((c) => c.table_name === many && c.column_name === field);
  const allowed = row.one_allowed_collections ? String(row.one_allowed_collections).split(',').filter(Boolean) : null;
  return {
    collection: many,
    field,
    related_collection: (row.one_collection as string | null) ?? null,
    meta: {
      id: row.id as number,
      many_collection: many,
      many_field: field,
      one_collection: (row.one_collection as string | null) ?? null,
      one_field: (row.one_field as string | null) ?? null,
      one_collection_field: (row.one_collection_field as string | null) ?? null,
      one_allowed_collections: allowed,
      junction_field: (row.junction_field as string | null) ?? null,
      sort_field: (row.sort_field as string | null) ?? null,
      one_deselect_action: row.one_deselect_action === 'delete' ? 'delete' : 'nullify',
    },
    schema:
      col?.fk_table && col.fk_constraint
        ? {
            table: many,
            column: field,
            foreign_key_schema: 'public',
            foreign_key_table: col.fk_table,
            foreign_key_column: col.fk_column ?? 'id',
            constraint_name: col.fk_constraint,
            on_update: FK_ACTIONS[col.fk_on_update ?? 'a'] ?? 'NO ACTION',
            on_delete: FK_ACTIONS[col.fk_on_delete ?? 'a'] ?? 'NO ACTION',
          }
        : null,
  };
}
