/**
 * System collections served through the same items machinery as user collections (/users, /roles, /policies,
 * /access, /permissions): the tables are real (created by migrations); what the catalogue cannot tell — specials,
 * alias fields and relations — is declared here, as Directus's system-data package declares it.
 */

export interface SystemFieldMeta {
  readonly special?: readonly string[];
  /** Alias fields (no column): o2m relations seen from the one side. */
  readonly alias?: boolean;
  readonly searchable?: boolean;
}

export interface SystemRelation {
  readonly many_collection: string;
  readonly many_field: string;
  readonly one_collection: string;
  readonly one_field: string | null;
  readonly junction_field: string | null;
  readonly one_deselect_action: 'nullify' | 'delete';
}

/** The system collections the API serves, with field metadata keyed by field. */
export const SYSTEM_COLLECTIONS: Readonly<Record<string, Readonly<Record<string, SystemFieldMeta>>>> = {
  directus_users: {
    password: { special: ['hash', 'conceal'], searchable: false },
    token: { special: ['conceal'], searchable: false },
    tfa_secret: { special: ['conceal'], searchable: false },
    tags: { special: ['cast-json'] },
    auth_data: { special: ['cast-json'], searchable: false },
    theme_light_overrides: { special: ['cast-json'] },
    theme_dark_overrides: { special: ['cast-json'] },
    role: { special: ['m2o'] },
    policies: { alias: true, special: ['m2m'] },
  },
  directus_roles: {
    parent: { special: ['m2o'] },
    children: { alias: true, special: ['o2m'] },
    users: { alias: true, special: ['o2m'] },
    policies: { alias: true, special: ['m2m'] },
  },
  directus_policies: {
    ip_access: { special: ['cast-csv'] },
    permissions: { alias: true, special: ['o2m'] },
  },
  directus_access: {
    role: { special: ['m2o'] },
    user: { special: ['m2o'] },
    policy: { special: ['m2o'] },
  },
  directus_permissions: {
    permissions: { special: ['cast-json'] },
    validation: { special: ['cast-json'] },
    presets: { special: ['cast-json'] },
    fields: { special: ['cast-csv'] },
    policy: { special: ['m2o'] },
  },
  // Read-only through the API (spec 7): written by the revisions module's change capture, read by /activity and
  // /revisions over the same items read path.
  directus_activity: {
    user: { special: ['m2o'] },
    revisions: { alias: true, special: ['o2m'] },
  },
  directus_revisions: {
    activity: { special: ['m2o'] },
    data: { special: ['cast-json'] },
    delta: { special: ['cast-json'] },
    parent: { special: ['m2o'] },
  },
};

/** System collections nobody writes through the items API, admins included (Directus: read-only routes only). */
export const READ_ONLY_SYSTEM_COLLECTIONS: ReadonlySet<string> = new Set(['directus_activity', 'directus_revisions']);

export const SYSTEM_RELATIONS: readonly SystemRelation[] = [
  {
    many_collection: 'directus_users',
    many_field: 'role',
    one_collection: 'directus_roles',
    one_field: 'users',
    junction_field: null,
    one_deselect_action: 'nullify',
  },
  {
    many_collection: 'directus_roles',
    many_field: 'parent',
    one_collection: 'directus_roles',
    one_field: 'children',
    junction_field: null,
    one_deselect_action: 'nullify',
  },
  {
    many_collection: 'directus_access',
    many_field: 'role',
    one_collection: 'directus_roles',
    one_field: 'policies',
    junction_field: 'policy',
    one_deselect_action: 'delete',
  },
  {
    many_collection: 'directus_access',
    many_field: 'user',
    one_collection: 'directus_users',
    one_field: 'policies',
    junction_field: 'policy',
    one_deselect_action: 'delete',
  },
  {
    many_collection: 'directus_access',
    many_field: 'policy',
    one_collection: 'directus_policies',
    one_field: null,
    junction_field: null,
    one_deselect_action: 'nullify',
  },
  {
    many_collection: 'directus_permissions',
    many_field: 'policy',
    one_collection: 'directus_policies',
    one_field: 'permissions',
    junction_field: null,
    one_deselect_action: 'delete',
  },
  {
    many_collection: 'directus_activity',
    many_field: 'user',
    one_collection: 'directus_users',
    one_field: null,
    junction_field: null,
    one_deselect_action: 'nullify',
  },
  {
    many_collection: 'directus_revisions',
    many_field: 'activity',
    one_collection: 'directus_activity',
    one_field: 'revisions',
    junction_field: null,
    one_deselect_action: 'nullify',
  },
  {
    many_collection: 'directus_revisions',
    many_field: 'parent',
    one_collection: 'directus_revisions',
    one_field: null,
    junction_field: null,
    one_deselect_action: 'nullify',
  },
];

export function isSystemCollection(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(SYSTEM_COLLECTIONS, name);
}
