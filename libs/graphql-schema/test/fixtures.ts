/**
 * Snapshots for the GraphQL tests: libs/query's realistic fixture (authors, articles with M2O/O2M/M2M/M2A, a
 * singleton) re-exported as `items`, plus small ones for nullability and naming rules and for the system scope.
 */
import { buildSnapshot, makeField, type FieldSnapshot, type RelationSnapshot, type SchemaSnapshot } from '@lib/schema';
import type { ActionPermission, GraphqlAction, PermissionLookup } from '@lib/graphql-schema';
export { schema as items, context, limits } from '../../query/test/fixture';

type FieldSpec = Partial<FieldSnapshot> & Pick<FieldSnapshot, 'field' | 'type'>;

function fields(collection: string, specs: FieldSpec[]): FieldSnapshot[] {
  return specs.map((spec) => makeField({ collection, ...spec }));
}

const serial: FieldSpec = { field: 'id', type: 'integer', primaryKey: true, autoIncrement: true, nullable: false };
const uuidKey: FieldSpec = { field: 'id', type: 'uuid', primaryKey: true, nullable: false, special: ['uuid'] };

export function relation(
  collection: string,
  field: string,
  related: string | null,
  extra: Partial<RelationSnapshot['meta']> = {},
): RelationSnapshot {
  return {
    collection,
    field,
    related_collection: related,
    meta: {
      id: null,
      many_collection: collection,
      many_field: field,
      one_collection: related,
      one_field: null,
      one_collection_field: null,
      one_allowed_collections: null,
      junction_field: null,
      sort_field: null,
      one_deselect_action: 'nullify',
      ...extra,
    },
    schema: null,
  };
}

/** Nullability, defaults, generated values, key kinds and names GraphQL can't carry. */
export const rules: SchemaSnapshot = buildSnapshot(
  1,
  [
    {
      collection: 'things',
      fields: fields('things', [
        serial,
        { field: 'code', type: 'string', nullable: false },
        { field: 'label', type: 'string', nullable: false, defaultValue: 'x' },
        { field: 'flag', type: 'boolean', nullable: false, defaultValue: false },
        { field: 'created', type: 'timestamp', nullable: false, special: ['date-created'] },
        { field: 'owner', type: 'uuid', nullable: false, special: ['user-created'] },
        { field: 'note', type: 'text', nullable: true, meta: { note: 'Free text' } },
        { field: 'bad-name', type: 'string' },
        { field: 'odd', type: 'unknown' },
        { field: 'divider', type: 'alias', special: ['alias', 'no-data'] },
      ]),
    },
    {
      collection: 'codes',
      fields: fields('codes', [{ field: 'code', type: 'string', primaryKey: true, nullable: false }]),
    },
    { collection: 'uuids', fields: fields('uuids', [uuidKey, { field: 'name', type: 'string' }]) },
    { collection: 'bad-collection', fields: fields('bad-collection', [serial]) },
    { collection: 'Query', fields: fields('Query', [serial]) },
    { collection: 'things_filter', fields: fields('things_filter', [serial]) },
  ],
  [],
);

/** directus_* collections as the loader presents them (a subset of their columns), plus two served elsewhere. */
export const system: SchemaSnapshot = buildSnapshot(
  1,
  [
    {
      collection: 'directus_users',
      fields: fields('directus_users', [
        uuidKey,
        { field: 'first_name', type: 'string' },
        { field: 'email', type: 'string' },
        { field: 'password', type: 'hash', special: ['hash', 'conceal'] },
        { field: 'status', type: 'string', nullable: false, defaultValue: 'active' },
        { field: 'role', type: 'uuid', special: ['m2o'] },
      ]),
    },
    {
      collection: 'directus_roles',
      fields: fields('directus_roles', [
        uuidKey,
        { field: 'name', type: 'string', nullable: false },
        { field: 'users', type: 'alias', special: ['o2m'] },
      ]),
    },
    {
      collection: 'directus_policies',
      fields: fields('directus_policies', [
        uuidKey,
        { field: 'name', type: 'string', nullable: false },
        { field: 'admin_access', type: 'boolean', nullable: false, defaultValue: false },
        { field: 'permissions', type: 'alias', special: ['o2m'] },
      ]),
    },
    {
      collection: 'directus_permissions',
      fields: fields('directus_permissions', [
        serial,
        { field: 'collection', type: 'string', nullable: false },
        { field: 'action', type: 'string', nullable: false },
        { field: 'fields', type: 'csv', special: ['cast-csv'] },
        { field: 'permissions', type: 'json', special: ['cast-json'] },
        { field: 'policy', type: 'uuid', special: ['m2o'] },
      ]),
    },
    {
      collection: 'directus_activity',
      fields: fields('directus_activity', [serial, { field: 'action', type: 'string' }]),
    },
    {
      collection: 'directus_collections',
      fields: fields('directus_collections', [{ field: 'collection', type: 'string', primaryKey: true }]),
    },
    { collection: 'notes', fields: fields('notes', [serial, { field: 'text', type: 'string' }]) },
  ],
  [
    relation('directus_users', 'role', 'directus_roles', { one_field: 'users' }),
    relation('directus_permissions', 'policy', 'directus_policies', { one_field: 'permissions' }),
  ],
);

type Grants = Partial<Record<GraphqlAction, '*' | string[]>>;

/** A permission lookup from `{collection: {action: fields}}`; `cases` marks fields only some cases allow. */
export function role(grants: Record<string, Grants>, cases: Record<string, string[]> = {}): PermissionLookup {
  return (collection, action): ActionPermission | null => {
    const fields = grants[collection]?.[action];
    if (fields === undefined) return null;
    const fieldCases = Object.fromEntries((cases[collection] ?? []).map((f) => [f, { id: { _eq: 1 } }]));
    return { fields: fields === '*' ? '*' : new Set(fields), fieldCases };
  };
}

/** A table and a view over it (served read-only: queries, aggregates and subscriptions, no mutations or inputs). */
export const views: SchemaSnapshot = buildSnapshot(
  1,
  [
    {
      collection: 'sources',
      fields: fields('sources', [serial, { field: 'name', type: 'string' }, { field: 'value', type: 'integer' }]),
    },
    {
      collection: 'source_report',
      view: true,
      fields: fields('source_report', [
        { field: 'id', type: 'integer', primaryKey: true },
        { field: 'name', type: 'string' },
        { field: 'value', type: 'integer' },
      ]),
    },
  ],
  [],
);
