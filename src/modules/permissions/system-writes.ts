/**
 * Writes to system collections are admin-only in Tessera, with one exception that Directus clients rely on: `update`
 * on `directus_users` follows the caller's permissions, as Directus's UsersService does, so a user edits their own
 * profile (`PATCH /users/me`, or `PATCH /users/:id` where a permission allows it) within the fields and item filter
 * an admin granted. Creating or deleting users, and every other system collection, stay admin-only.
 */
const BY_PERMISSION: Readonly<Record<string, readonly string[]>> = { directus_users: ['update'] };

/** Written by no caller at all, admins and internal calls included: only the change capture (revisions) writes them. */
const READ_ONLY: ReadonlySet<string> = new Set(['directus_activity', 'directus_revisions']);

/** Whether a non-admin's write to system collection `collection` is decided by its permissions (any action if none is named). */
function byPermission(collection: string, action?: 'create' | 'update' | 'delete'): boolean {
  const actions = Object.hasOwn(BY_PERMISSION, collection) ? BY_PERMISSION[collection] : undefined;
  return !!actions && (action === undefined || actions.includes(action));
}

/**
 * Whether a write (`action`, or any action if none is named) to `collection` is refused outright (403) before the
 * caller's permissions are looked at: the read-only collections for everyone, other system collections for
 * non-admins except what `BY_PERMISSION` opens. The one rule for the façade's entry check and the write engine's check
 * at every nesting level.
 */
export function systemWriteForbidden(
  collection: string,
  admin: boolean,
  action?: 'create' | 'update' | 'delete',
): boolean {
  if (READ_ONLY.has(collection)) return true;
  return !admin && collection.startsWith('directus_') && !byPermission(collection, action);
}
