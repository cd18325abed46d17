import { SYSTEM_COLLECTIONS, SYSTEM_RELATIONS } from '@lib/schema';

/**
 * The system collections' metadata as if it were `directus_fields` / `directus_relations` rows, so the loader builds
 * their snapshot exactly like user collections' (the tables themselves are read from the catalogue).
 */
export function systemFieldRows(): (Record<string, unknown> & {
  collection: string;
  field: string;
  special: string | null;
  sort: number | null;
})[] {
  return Object.entries(SYSTEM_COLLECTIONS).flatMap(([collection, fields]) =>
    Object.entries(fields).map(([field, meta]) => ({
      id: null,
      collection,
      field,
      special: meta.special?.join(',') ?? null,
      sort: null,
      searchable: meta.searchable ?? true,
      hidden: false,
      readonly: false,
      system: true,
    })),
  );
}

export function systemRelationRows(): Record<string, unknown>[] {
  return SYSTEM_RELATIONS.map((r) => ({
    id: null,
    ...r,
    one_collection_field: null,
    one_allowed_collections: null,
    sort_field: null,
  }));
}
