import type { FieldSnapshot } from '@lib/schema';

/**
 * How Directus shows its system collections, relations and fields in /collections, /relations and /fields: rows of
 * its own built-in metadata (`system: true`, no `id`), not rows of the `directus_*` meta tables. Tessera lists them
 * for every system collection its schema snapshot serves (src/modules/schema/system-catalog.ts).
 */

type Row = Record<string, unknown>;

/** Directus's defaults for a system collection's meta row; each row below overrides some of them. */
const COLLECTION_DEFAULTS = {
  hidden: false,
  singleton: false,
  icon: null,
  note: null,
  translations: null,
  display_template: null,
  accountability: 'all',
} as const;

/** Per system collection, what its meta row sets beyond the defaults (`note` is always its translation key). */
const SYSTEM_COLLECTIONS: Readonly<Record<string, Row>> = {
  directus_access: { icon: 'admin_panel_settings', display_template: '{{ policy.name }}', sort_field: 'sort' },
  directus_activity: { accountability: null },
  directus_collections: { icon: 'database' },
  directus_fields: { icon: 'input' },
  directus_permissions: { icon: 'admin_panel_settings' },
  directus_policies: { icon: 'admin_panel_settings' },
  directus_relations: { icon: 'merge_type' },
  directus_revisions: { accountability: null },
  directus_roles: { icon: 'supervised_user_circle' },
  directus_sessions: {},
  directus_users: {
    archive_field: 'status',
    archive_value: 'archived',
    unarchive_value: 'draft',
    icon: 'people_alt',
    display_template: '{{ first_name }} {{ last_name }}',
  },
};

/** The meta object GET /collections shows for a system collection, or null for any other collection. */
export function systemCollectionMeta(collection: string): Row | null {
  const own = Object.hasOwn(SYSTEM_COLLECTIONS, collection) ? SYSTEM_COLLECTIONS[collection] : null;
  if (!own) return null;
  return {
    collection,
    ...COLLECTION_DEFAULTS,
    note: `$t:directus_collection.${collection}`,
    ...own,
    system: true,
  };
}

/** Directus's defaults for a system relation's meta row. */
const RELATION_DEFAULTS = {
  one_field: null,
  one_allowed_collections: null,
  one_collection_field: null,
  one_deselect_action: 'nullify',
  junction_field: null,
  sort_field: null,
} as const;

/** The system relations between system collections, as Directus declares them (many side, field, one side, rest). */
const SYSTEM_RELATIONS: readonly [string, string, string, Row][] = [
  ['directus_collections', 'group', 'directus_collections', {}],
  ['directus_users', 'role', 'directus_roles', { one_field: 'users' }],
  ['directus_revisions', 'activity', 'directus_activity', { one_field: 'revisions' }],
  ['directus_revisions', 'parent', 'directus_revisions', {}],
  ['directus_fields', 'collection', 'directus_collections', { one_field: 'fields' }],
  ['directus_fields', 'group', 'directus_fields', {}],
  ['directus_activity', 'user', 'directus_users', {}],
  ['directus_sessions', 'user', 'directus_users', {}],
  ['directus_permissions', 'policy', 'directus_policies', { one_field: 'permissions', one_deselect_action: 'delete' }],
  [
    'directus_access',
    'policy',
    'directus_policies',
    { one_field: 'roles', one_deselect_action: 'delete', junction_field: 'role' },
  ],
  [
    'directus_access',
    'policy',
    'directus_policies',
    { one_field: 'users', one_deselect_action: 'delete', junction_field: 'user' },
  ],
  [
    'directus_access',
    'role',
    'directus_roles',
    { one_field: 'policies', one_deselect_action: 'delete', junction_field: 'policy', sort_field: 'sort' },
  ],
  [
    'directus_access',
    'user',
    'directus_users',
    { one_field: 'policies', one_deselect_action: 'delete', junction_field: 'policy', sort_field: 'sort' },
  ],
  ['directus_roles', 'parent', 'directus_roles', { one_field: 'children' }],
];

/** The system relation meta rows whose both sides are among `served` collections. */
export function systemRelationMetaRows(served: (collection: string) => boolean): Row[] {
  return SYSTEM_RELATIONS.filter(([many, , one]) => served(many) && served(one)).map(([many, field, one, own]) => ({
    many_collection: many,
    many_field: field,
    one_collection: one,
    ...RELATION_DEFAULTS,
    ...own,
    system: true,
  }));
}

/**
 * The meta object GET /fields shows for a field of a system collection that has no `directus_fields` row of its
 * own: Directus's system field shape (`system: true`, no `id`, no validation keys), with the field's specials and
 * its position in the collection.
 */
export function systemFieldMeta(field: FieldSnapshot, sort: number): Row {
  return {
    system: true,
    collection: field.collection,
    field: field.field,
    special: field.special.length ? [...field.special] : null,
    interface: null,
    options: null,
    display: null,
    display_options: null,
    readonly: false,
    hidden: false,
    sort,
    width: 'full',
    group: null,
    translations: null,
    note: null,
    conditions: null,
    required: false,
    searchable: field.searchable,
  };
}
