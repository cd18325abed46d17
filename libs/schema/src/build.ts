import type {
  CollectionSnapshot,
  FieldSnapshot,
  RelationInfo,
  RelationSnapshot,
  SchemaSnapshot,
  Accountability,
} from './types';

export interface CollectionInput {
  collection: string;
  singleton?: boolean;
  sortField?: string | null;
  accountability?: Accountability;
  meta?: Record<string, unknown> | null;
  /** A view (materialized view, foreign table): read-only. */
  view?: boolean;
  fields: FieldSnapshot[];
}

/**
 * Assembles a snapshot from collections (with their fields) and relation rows, deriving each collection's
 * relational fields. Collections without a primary key are skipped, as Directus does.
 */
export function buildSnapshot(
  version: number,
  collections: CollectionInput[],
  relations: RelationSnapshot[],
): SchemaSnapshot {
  const pkOf = new Map<string, string>();
  for (const c of collections) {
    const pk = c.fields.find((f) => f.primaryKey);
    if (pk) pkOf.set(c.collection, pk.field);
  }
  const relationMap = new Map<string, Map<string, RelationInfo>>();
  const put = (collection: string, info: RelationInfo) => {
    if (!relationMap.has(collection)) relationMap.set(collection, new Map());
    relationMap.get(collection)!.set(info.field, info);
  };
  for (const r of relations) {
    if (!pkOf.has(r.collection)) continue;
    if (r.related_collection) {
      const relatedPk = pkOf.get(r.related_collection);
      if (!relatedPk) continue;
      put(r.collection, {
        kind: 'm2o',
        field: r.field,
        related: r.related_collection,
        relatedPrimaryKey: relatedPk,
        relation: r,
      });
      if (r.meta.one_field) {
        put(r.related_collection, {
          kind: 'o2m',
          field: r.meta.one_field,
          related: r.collection,
          foreignKey: r.field,
          relatedPrimaryKey: pkOf.get(r.collection)!,
          junctionField: r.meta.junction_field,
          sortField: r.meta.sort_field,
          deselectAction: r.meta.one_deselect_action,
          relation: r,
        });
      }
    } else if (r.meta.one_collection_field) {
      put(r.collection, {
        kind: 'a2o',
        field: r.field,
        allowedCollections: (r.meta.one_allowed_collections ?? []).filter((c) => pkOf.has(c)),
        collectionField: r.meta.one_collection_field,
        relation: r,
      });
    }
  }
  const out: Record<string, CollectionSnapshot> = {};
  for (const c of collections) {
    const primaryKey = pkOf.get(c.collection);
    if (!primaryKey) continue;
    const fields: Record<string, FieldSnapshot> = {};
    for (const f of c.fields) fields[f.field] = Object.freeze(f);
    const rel = relationMap.get(c.collection) ?? new Map<string, RelationInfo>();
    // An o2m alias only exists when its alias field exists (spec 4.1); m2o/a2o need their column.
    const relations: Record<string, RelationInfo> = {};
    for (const [field, info] of rel) if (fields[field]) relations[field] = Object.freeze(info);
    out[c.collection] = Object.freeze({
      collection: c.collection,
      primaryKey,
      singleton: c.singleton ?? false,
      sortField: c.sortField ?? null,
      accountability: c.accountability === undefined ? 'all' : c.accountability,
      fields: Object.freeze(fields),
      fieldOrder: Object.freeze(c.fields.map((f) => f.field)),
      relations: Object.freeze(relations),
      meta: c.meta ?? null,
      ...(c.view ? { view: true as const } : {}),
    });
  }
  return Object.freeze({ version, collections: Object.freeze(out), relations: Object.freeze([...relations]) });
}

/** A field snapshot with defaults for everything not given; used by tests and by the loader. */
export function makeField(
  partial: Partial<FieldSnapshot> & Pick<FieldSnapshot, 'collection' | 'field' | 'type'>,
): FieldSnapshot {
  return {
    dbType: null,
    nullable: true,
    defaultValue: null,
    maxLength: null,
    precision: null,
    scale: null,
    primaryKey: false,
    autoIncrement: false,
    unique: false,
    indexed: false,
    special: [],
    searchable: true,
    alias: partial.type === 'alias',
    meta: null,
    ...partial,
  };
}
