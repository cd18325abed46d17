/**
 * Writes to system collections are admin-only in Tessera, with one exception that Directus clients rely on: `update`
 * on `directus_users` follows the caller's permissions, as Directus's UsersService does, so a user edits their own
 * profile (`PATCH /users/me`, or `PATCH /users/:id` where a permission allows it) within the fields and item filter
 * an admin granted. Creating or deleting users, and every other system collection, stay admin-only.
 */
const BY_PERMISSION: Readonly<Record<string, readonly string[]>> = { directus_users: ['update'] };

/** Whether a non-admin's write to system collection `collection` is decided by its permissions (any action if none is named). */
export function systemWriteByPermission(collection: string, action?: 'create' | 'update' | 'delete'): boolean {
  const actions = Object.hasOwn(BY_PERMISSION, collection) ? BY_PERMISSION[collection] : undefined;
  return !!actions && (action === undefined || actions.includes(action));
}
