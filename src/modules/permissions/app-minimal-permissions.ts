import type { PermissionRow } from '@lib/permissions';

/**
 * The policy id of the rows below: none (Directus's minimal rows have `policy: null`). Sorted after every real
 * policy, so their presets never win over a policy's.
 */
export const APP_MINIMAL_POLICY = '';

type MinimalRow = Pick<PermissionRow, 'collection' | 'action'> & Partial<PermissionRow>;

/**
 * Directus's minimal app permissions (`@directus/system-data` app-access-permissions: schema-access-permissions.yaml
 * then app-access-permissions.yaml, in that order; `api/src/permissions/lib/with-app-minimal-permissions.ts`): every
 * caller whose policies grant app access gets these rows besides its own, with Directus's defaults (all fields, no
 * item filter, validation or presets). They name system collections Tessera does not serve too
 * (`directus_comments`, `directus_presets`, ...), as `GET /permissions/me` lists them in Directus; they grant nothing
 * there.
 *
 * Left out: Directus's `directus_permissions` read row filters on `role`, a column directus_permissions no longer has
 * since policies (11.0); an app user reads /permissions by its own permission rows only.
 */
const ROWS: readonly MinimalRow[] = [
  // schema-access-permissions.yaml
  { collection: 'directus_collections', action: 'read' },
  { collection: 'directus_fields', action: 'read' },
  { collection: 'directus_relations', action: 'read' },
  // app-access-permissions.yaml
  { collection: 'directus_activity', action: 'read', permissions: { user: { _eq: '$CURRENT_USER' } } },
  { collection: 'directus_comments', action: 'read', permissions: { user_created: { _eq: '$CURRENT_USER' } } },
  { collection: 'directus_comments', action: 'create', validation: { comment: { _nnull: true } } },
  {
    collection: 'directus_comments',
    action: 'update',
    permissions: { user_created: { _eq: '$CURRENT_USER' } },
    fields: ['comment'],
  },
  { collection: 'directus_comments', action: 'delete', permissions: { user_created: { _eq: '$CURRENT_USER' } } },
  {
    collection: 'directus_presets',
    action: 'read',
    permissions: {
      _or: [
        { user: { _eq: '$CURRENT_USER' } },
        { _and: [{ user: { _null: true } }, { role: { _eq: '$CURRENT_ROLE' } }] },
        { _and: [{ user: { _null: true } }, { role: { _null: true } }] },
      ],
    },
  },
  { collection: 'directus_presets', action: 'create', validation: { user: { _eq: '$CURRENT_USER' } } },
  {
    collection: 'directus_presets',
    action: 'update',
    permissions: { user: { _eq: '$CURRENT_USER' } },
    validation: { user: { _eq: '$CURRENT_USER' } },
  },
  { collection: 'directus_presets', action: 'delete', permissions: { user: { _eq: '$CURRENT_USER' } } },
  { collection: 'directus_roles', action: 'read', permissions: { id: { _in: '$CURRENT_ROLES' } } },
  { collection: 'directus_settings', action: 'read' },
  { collection: 'directus_translations', action: 'read' },
  { collection: 'directus_notifications', action: 'read', permissions: { recipient: { _eq: '$CURRENT_USER' } } },
  {
    collection: 'directus_notifications',
    action: 'update',
    permissions: { recipient: { _eq: '$CURRENT_USER' } },
    fields: ['status'],
  },
  { collection: 'directus_shares', action: 'read', permissions: { user_created: { _eq: '$CURRENT_USER' } } },
  {
    collection: 'directus_users',
    action: 'read',
    permissions: { id: { _eq: '$CURRENT_USER' } },
    fields: [
      'id',
      'first_name',
      'last_name',
      'last_page',
      'email',
      'password',
      'location',
      'title',
      'description',
      'tags',
      'provider',
      'preferences_divider',
      'avatar',
      'language',
      'appearance',
      'theme_light',
      'theme_dark',
      'tfa_secret',
      'status',
      'role',
    ],
  },
];

/** The minimal rows, in Directus's order, as permission rows of no policy. */
export const APP_MINIMAL_PERMISSIONS: readonly PermissionRow[] = Object.freeze(
  ROWS.map((row) =>
    Object.freeze({
      permissions: null,
      validation: null,
      presets: null,
      fields: ['*'],
      ...row,
      policy: APP_MINIMAL_POLICY,
    }),
  ),
);
