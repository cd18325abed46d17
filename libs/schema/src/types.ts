/**
 * The schema snapshot: an immutable, versioned view of every collection, field and relation, loaded at runtime from
 * the system tables and PostgreSQL's catalogue. Everything that reads or writes items is checked against it.
 * Pure data: no Nest, no I/O.
 */

/** Directus field types (spec 5.2). Geometry types are accepted by name but not built yet. */
export const FIELD_TYPES = [
  'bigInteger',
  'boolean',
  'date',
  'dateTime',
  'decimal',
  'float',
  'integer',
  'json',
  'string',
  'text',
  'time',
  'timestamp',
  'binary',
  'uuid',
  'alias',
  'hash',
  'csv',
  'unknown',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Types accepted as `type` that create no column (spec 5.2). They are stored as `alias`. */
export const ALIAS_TYPES = ['alias', 'o2m', 'm2m', 'm2a', 'o2a', 'files', 'translations'] as const;

export interface FieldSnapshot {
  readonly collection: string;
  readonly field: string;
  readonly type: FieldType;
  /** PostgreSQL data type (`integer`, `character varying`, ...); null for alias fields. */
  readonly dbType: string | null;
  readonly nullable: boolean;
  /** The column default as PostgreSQL reports it, parsed to a JS value where it is a literal. */
  readonly defaultValue: unknown;
  readonly maxLength: number | null;
  readonly precision: number | null;
  readonly scale: number | null;
  readonly primaryKey: boolean;
  readonly autoIncrement: boolean;
  readonly unique: boolean;
  readonly indexed: boolean;
  /** `meta.special`, e.g. `['uuid']`, `['m2o']`, `['conceal','hash']`. Empty when none. */
  readonly special: readonly string[];
  /** `meta.searchable !== false` */
  readonly searchable: boolean;
  /** True for fields without a column (`type: alias`: o2m, m2m, m2a, ...). */
  readonly alias: boolean;
  /** The raw `directus_fields` row (null when the column has no meta row). */
  readonly meta: Readonly<Record<string, unknown>> | null;
  /** The column as the `/fields` API shows it (`schema` object of spec 5.2); null for alias fields. */
  readonly schema?: Readonly<Record<string, unknown>> | null;
}

export interface RelationMeta {
  readonly id: number | null;
  readonly many_collection: string;
  readonly many_field: string;
  readonly one_collection: string | null;
  readonly one_field: string | null;
  readonly one_collection_field: string | null;
  readonly one_allowed_collections: readonly string[] | null;
  readonly junction_field: string | null;
  readonly sort_field: string | null;
  readonly one_deselect_action: 'nullify' | 'delete';
}

export interface RelationSnapshot {
  /** many_collection */
  readonly collection: string;
  /** many_field */
  readonly field: string;
  /** one_collection (null for the `item` side of an M2A) */
  readonly related_collection: string | null;
  readonly meta: RelationMeta;
  /** Foreign key details as PostgreSQL reports them; null when there is no constraint (M2A). */
  readonly schema: {
    readonly table: string;
    readonly column: string;
    readonly foreign_key_table: string;
    readonly foreign_key_column: string;
    readonly foreign_key_schema: string;
    readonly constraint_name: string | null;
    readonly on_update: string | null;
    readonly on_delete: string | null;
  } | null;
}

/**
 * How a field reaches another collection, seen from the collection that owns the field.
 * - m2o: this collection holds the FK column `field` pointing at `related.pk`.
 * - o2m: alias field; rows of `related` hold FK `foreignKey` pointing at this collection's PK. M2M is an o2m into the
 *   junction (its `junctionField` names the junction's M2O to the far side); M2A is an o2m into a junction whose
 *   `junctionField` is an a2o.
 * - a2o: this collection holds `field` (the key, as text) and `collectionField` (the target's name).
 */
export type RelationInfo =
  | {
      readonly kind: 'm2o';
      readonly field: string;
      readonly related: string;
      readonly relatedPrimaryKey: string;
      readonly relation: RelationSnapshot;
    }
  | {
      readonly kind: 'o2m';
      readonly field: string;
      readonly related: string;
      readonly foreignKey: string;
      readonly relatedPrimaryKey: string;
      readonly junctionField: string | null;
      readonly sortField: string | null;
      readonly deselectAction: 'nullify' | 'delete';
      readonly relation: RelationSnapshot;
    }
  | {
      readonly kind: 'a2o';
      readonly field: string;
      readonly allowedCollections: readonly string[];
      readonly collectionField: string;
      readonly relation: RelationSnapshot;
    };

export type Accountability = 'all' | 'activity' | null;

export interface CollectionSnapshot {
  readonly collection: string;
  /** The primary key field name. */
  readonly primaryKey: string;
  readonly singleton: boolean;
  readonly sortField: string | null;
  readonly accountability: Accountability;
  /** Fields in `sort` order (meta sort, then column order). */
  readonly fields: Readonly<Record<string, FieldSnapshot>>;
  readonly fieldOrder: readonly string[];
  /** Relational fields of this collection, keyed by field name. */
  readonly relations: Readonly<Record<string, RelationInfo>>;
  /** The raw `directus_collections` row, or null. */
  readonly meta: Readonly<Record<string, unknown>> | null;
  /**
   * True for a database view, materialized view or foreign table: served read-only (no create, update or delete;
   * its columns are not altered through /fields). Absent for a table.
   */
  readonly view?: true;
  /**
   * In a role's view of the schema (libs/permissions restrictSnapshot): relational fields whose target the role
   * can't read, field → target collection. Filtering or sorting through them is 403 for that collection.
   */
  readonly hiddenRelations?: Readonly<Record<string, string>>;
}

export interface SchemaSnapshot {
  readonly version: number;
  readonly collections: Readonly<Record<string, CollectionSnapshot>>;
  readonly relations: readonly RelationSnapshot[];
}
