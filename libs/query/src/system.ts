/**
 * Statements on the system tables, whose shape is fixed (directus_collections / _fields / _relations, the schema
 * version row, roles, policies, access, permissions, users, settings, files): the schema module's metadata writes,
 * the schema loader's row reads, the policy resolver, the bootstrap of the first admin, /server/info. Values are bound
 * parameters; the column names a caller passes (metadata keys it has checked against a fixed list) go through
 * `ident()`. Pure: no Nest, no I/O.
 */
import type { WriteStatement } from './compile';
import { ident } from './sql';

const statement = (sql: string, params: readonly unknown[] = []): WriteStatement => ({ sql, params });

/** `"k1" = $<from>, "k2" = $<from + 1>, ...` */
function assignments(keys: readonly string[], from: number): string {
  return keys.map((k, i) => `${ident(k)} = $${i + from}`).join(', ');
}

// ---- schema version (tessera_schema_state) ----------------------------------------------------------------------

/** The schema version the database holds. One row: `version` (bigint, read as text). */
export const SCHEMA_VERSION_SQL = 'SELECT "version" FROM "tessera_schema_state" WHERE "id" = 1';

/** Serialises schema changes across instances: the version row is the lock (inside the changing transaction). */
export const LOCK_SCHEMA_STATE_SQL = 'SELECT 1 FROM "tessera_schema_state" WHERE "id" = 1 FOR UPDATE';

/** Bumps the schema version. One row: the new `version`. */
export const BUMP_SCHEMA_VERSION_SQL =
  'UPDATE "tessera_schema_state" SET "version" = "version" + 1, "updated_at" = now() WHERE "id" = 1 RETURNING "version"';

/** The schema loader's reads run in one snapshot, so the version and the rows it describes agree. */
export const READ_ONLY_SNAPSHOT_SQL = 'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY';

// ---- metadata rows, read by the schema loader ----------------------------------------------------------------------

export const FIELD_META_ROWS_SQL = 'SELECT * FROM "directus_fields" ORDER BY "collection", "sort" NULLS LAST, "id"';
export const COLLECTION_META_ROWS_SQL = 'SELECT * FROM "directus_collections" ORDER BY "sort" NULLS LAST, "collection"';
export const RELATION_META_ROWS_SQL = 'SELECT * FROM "directus_relations" ORDER BY "id"';

// ---- metadata rows, written by /collections, /fields and /relations ------------------------------------------------

/** Inserts one row into a system table from a column → value map (values bound). */
export function compileSystemInsert(table: string, row: Readonly<Record<string, unknown>>): WriteStatement {
  const keys = Object.keys(row);
  return statement(
    `INSERT INTO ${ident(table)} (${keys.map(ident).join(', ')}) VALUES (${keys.map((_, i) => `$${i + 1}`).join(', ')})`,
    keys.map((k) => row[k]),
  );
}

/** Inserts a collection's `directus_collections` row, or updates the given columns of the existing one. */
export function compileUpsertCollectionMeta(
  collection: string,
  row: Readonly<Record<string, unknown>>,
): WriteStatement {
  const keys = Object.keys(row);
  const update = keys.length
    ? `UPDATE SET ${keys.map((k) => `${ident(k)} = EXCLUDED.${ident(k)}`).join(', ')}`
    : 'NOTHING';
  return statement(
    `INSERT INTO "directus_collections" ("collection"${keys.map((k) => `, ${ident(k)}`).join('')}) ` +
      `VALUES ($1${keys.map((_, i) => `, $${i + 2}`).join('')}) ON CONFLICT ("collection") DO ${update}`,
    [collection, ...keys.map((k) => row[k])],
  );
}

export function compileDeleteCollectionMeta(collection: string): WriteStatement {
  return statement('DELETE FROM "directus_collections" WHERE "collection" = $1', [collection]);
}

/** Collections grouped under `group` (a folder or collection going away) become top-level. */
export function compileUngroupCollections(group: string): WriteStatement {
  return statement('UPDATE "directus_collections" SET "group" = NULL WHERE "group" = $1', [group]);
}

/** Clears a collection's `sort_field` or `archive_field` when it names `field` (a field going away). */
export function compileClearCollectionField(
  key: 'sort_field' | 'archive_field',
  collection: string,
  field: string,
): WriteStatement {
  return statement(
    `UPDATE "directus_collections" SET ${ident(key)} = NULL WHERE "collection" = $1 AND ${ident(key)} = $2`,
    [collection, field],
  );
}

/** One row when `directus_fields` has a row for the field. */
export function compileFieldMetaExists(collection: string, field: string): WriteStatement {
  return statement('SELECT 1 FROM "directus_fields" WHERE "collection" = $1 AND "field" = $2', [collection, field]);
}

/** Sets the given `directus_fields` columns of a field's row. */
export function compileUpdateFieldMeta(
  collection: string,
  field: string,
  columns: Readonly<Record<string, unknown>>,
): WriteStatement {
  const keys = Object.keys(columns);
  return statement(`UPDATE "directus_fields" SET ${assignments(keys, 3)} WHERE "collection" = $1 AND "field" = $2`, [
    collection,
    field,
    ...keys.map((k) => columns[k]),
  ]);
}

export function compileDeleteFieldMeta(collection: string, field: string): WriteStatement {
  return statement('DELETE FROM "directus_fields" WHERE "collection" = $1 AND "field" = $2', [collection, field]);
}

export function compileDeleteCollectionFieldsMeta(collection: string): WriteStatement {
  return statement('DELETE FROM "directus_fields" WHERE "collection" = $1', [collection]);
}

/** Fields grouped under `group` (a field going away) leave the group. */
export function compileUngroupFields(collection: string, group: string): WriteStatement {
  return statement('UPDATE "directus_fields" SET "group" = NULL WHERE "collection" = $1 AND "group" = $2', [
    collection,
    group,
  ]);
}

/** Gives a field `special` when it has none. Returns the `id` of the row it updated (none: the field has no row). */
export function compileSetFieldSpecial(collection: string, field: string, special: string): WriteStatement {
  return statement(
    'UPDATE "directus_fields" SET "special" = coalesce("special", $3) WHERE "collection" = $1 AND "field" = $2 RETURNING "id"',
    [collection, field, special],
  );
}

/** A `directus_fields` row holding only the field's special (for a field that had no row). */
export function compileInsertFieldSpecial(collection: string, field: string, special: string): WriteStatement {
  return statement('INSERT INTO "directus_fields" ("collection", "field", "special") VALUES ($1, $2, $3)', [
    collection,
    field,
    special,
  ]);
}

/** Sets the given `directus_relations` columns of the relation of `collection.field`. */
export function compileUpdateRelationMeta(
  collection: string,
  field: string,
  row: Readonly<Record<string, unknown>>,
): WriteStatement {
  const keys = Object.keys(row);
  return statement(
    `UPDATE "directus_relations" SET ${assignments(keys, 3)} WHERE "many_collection" = $1 AND "many_field" = $2`,
    [collection, field, ...keys.map((k) => row[k])],
  );
}

/** Sets an M2A relation's `one_allowed_collections` (comma-separated, or null). */
export function compileSetAllowedCollections(
  collection: string,
  field: string,
  allowed: string | null,
): WriteStatement {
  return statement(
    'UPDATE "directus_relations" SET "one_allowed_collections" = $3 WHERE "many_collection" = $1 AND "many_field" = $2',
    [collection, field, allowed],
  );
}

export function compileDeleteRelationMeta(collection: string, field: string): WriteStatement {
  return statement('DELETE FROM "directus_relations" WHERE "many_collection" = $1 AND "many_field" = $2', [
    collection,
    field,
  ]);
}

/** The relations whose many side (`side: 'many'`) or one side (`side: 'one'`) is `collection`. */
export function compileDeleteRelationsOf(side: 'many' | 'one', collection: string): WriteStatement {
  return statement(`DELETE FROM "directus_relations" WHERE ${ident(`${side}_collection`)} = $1`, [collection]);
}

/** The O2M alias `one_field` of the relations pointing at `collection.field` (a field going away). */
export function compileClearRelationOneField(collection: string, field: string): WriteStatement {
  return statement(
    'UPDATE "directus_relations" SET "one_field" = NULL WHERE "one_collection" = $1 AND "one_field" = $2',
    [collection, field],
  );
}

// ---- access: policies and permissions ------------------------------------------------------------------------------

const POLICIES_SQL = `WITH RECURSIVE tree(id, parent, depth) AS (
         SELECT r."id", r."parent", 0 FROM "directus_roles" r WHERE r."id" = $2
         UNION ALL
         SELECT r."id", r."parent", t.depth + 1 FROM "directus_roles" r JOIN tree t ON r."id" = t.parent WHERE t.depth < 32
       ),
       access AS (
         SELECT a."policy", CASE WHEN a."user" IS NOT NULL THEN -1 ELSE coalesce(t.depth, -2) END AS rank, a."sort"
         FROM "directus_access" a
         LEFT JOIN tree t ON a."role" = t.id
         WHERE t.id IS NOT NULL
            OR ($1::uuid IS NOT NULL AND a."user" = $1::uuid)
            OR (NOT EXISTS (SELECT 1 FROM tree) AND a."role" IS NULL AND a."user" IS NULL)
       )
       SELECT (SELECT array_agg(id::text ORDER BY depth DESC) FROM tree) AS roles,
              (SELECT array_agg(x."policy"::text ORDER BY x.rank DESC, x."sort" NULLS LAST) FROM access x) AS policies,
              coalesce(bool_or(p."admin_access"), false) AS admin,
              coalesce(bool_or(p."app_access"), false) AS app
       FROM access x JOIN "directus_policies" p ON p."id" = x."policy"`;

/**
 * The policies in effect for a user (spec 6.2): the role tree (role + parents, at most 32 deep), the access rows of
 * those roles and of the user, and for a request without roles the Public access rows. One row: `roles` (root
 * first), `policies` (parent-role policies, then child-role, then user policies), `admin` and `app` (OR over them).
 */
export function compileResolvePolicies(user: string | null, role: string | null): WriteStatement {
  return statement(POLICIES_SQL, [user, role]);
}

/** The permission rows of the given policies, in id order (`policy` as text). */
export function compilePermissionsOf(policies: readonly string[]): WriteStatement {
  return statement(
    `SELECT "collection", "action", "permissions", "validation", "presets", "fields", "policy"::text AS "policy"
           FROM "directus_permissions" WHERE "policy" = ANY($1::uuid[]) ORDER BY "id"`,
    [policies],
  );
}

// ---- /server/info: the project settings ----------------------------------------------------------------------------

/** One row: whether `directus_settings` and `directus_files` exist (a database Directus made has them). */
export const SETTINGS_TABLES_SQL = `SELECT to_regclass('public.directus_settings') IS NOT NULL AS "settings",
              to_regclass('public.directus_files') IS NOT NULL AS "files"`;

/** The first `directus_settings` row as JSON (`settings`); its columns vary with the Directus version. */
export const SETTINGS_ROW_SQL =
  'SELECT row_to_json(s) AS "settings" FROM "directus_settings" s ORDER BY s."id" LIMIT 1';

/** The `{id, type}` of a file, by its id as text (no row for an id that isn't a uuid). */
export function compileFileType(id: string): WriteStatement {
  return statement('SELECT "id", "type" FROM "directus_files" WHERE "id"::text = $1', [id]);
}

// ---- first boot: the admin user (bootstrap) ------------------------------------------------------------------------

/** Held by the bootstrap's transaction: instances booting together create one admin, not one each. */
export const LOCK_USERS_SQL = 'LOCK TABLE "directus_users" IN EXCLUSIVE MODE';

/** One row: `count` (bigint, as text) of `directus_users`. */
export const COUNT_USERS_SQL = 'SELECT count(*) AS count FROM "directus_users"';

/** Keeps ADMIN_TOKEN on the admin user (no write when it is already set). */
export function compileSetUserToken(email: string, token: string): WriteStatement {
  return statement('UPDATE "directus_users" SET "token" = $1 WHERE "email" = $2 AND "token" IS DISTINCT FROM $1', [
    token,
    email,
  ]);
}

/** At most one row: the `role` an admin policy is attached to (a database Directus made). */
export const ADMIN_ROLE_SQL = `SELECT a."role" FROM "directus_access" a JOIN "directus_policies" p ON p."id" = a."policy"
       WHERE p."admin_access" AND a."role" IS NOT NULL AND a."user" IS NULL
       ORDER BY a."sort" NULLS LAST, a."id" LIMIT 1`;

/** The Administrator role Tessera creates on first boot. */
export function compileInsertAdminRole(id: string): WriteStatement {
  return statement('INSERT INTO "directus_roles" ("id", "name", "icon", "description") VALUES ($1, $2, $3, $4)', [
    id,
    'Administrator',
    'verified',
    '$t:admin_description',
  ]);
}

/** The Administrator policy (admin and app access). */
export function compileInsertAdminPolicy(id: string): WriteStatement {
  return statement(
    `INSERT INTO "directus_policies" ("id", "name", "icon", "description", "admin_access", "app_access")
         VALUES ($1, 'Administrator', 'verified', '$t:admin_description', true, true)`,
    [id],
  );
}

/** The access row attaching a policy to a role (first in sort order). */
export function compileInsertRoleAccess(id: string, role: string, policy: string): WriteStatement {
  return statement('INSERT INTO "directus_access" ("id", "role", "policy", "sort") VALUES ($1, $2, $3, 1)', [
    id,
    role,
    policy,
  ]);
}

/** The admin user (`Admin User`, active), with its password hash, role and static token (or null). */
export function compileInsertAdminUser(user: {
  readonly id: string;
  readonly email: string;
  readonly passwordHash: string;
  readonly role: string;
  readonly token: string | null;
}): WriteStatement {
  return statement(
    `INSERT INTO "directus_users" ("id", "first_name", "last_name", "email", "password", "role", "token", "status")
       VALUES ($1, 'Admin', 'User', $2, $3, $4, $5, 'active')`,
    [user.id, user.email, user.passwordHash, user.role, user.token],
  );
}

// ---- locks and notifications ---------------------------------------------------------------------------------------

/** Waits for the transaction-scoped advisory lock `key` (a bigint, as text). */
export function compileAdvisoryXactLock(key: string): WriteStatement {
  return { sql: 'SELECT pg_advisory_xact_lock($1)', params: [key] };
}

/** `LISTEN "channel"` (on the dedicated connection that receives the notifications). */
export function compileListen(channel: string): string {
  return `LISTEN ${ident(channel)}`;
}

/** `SELECT pg_notify(channel, payload)`: delivered on commit when run inside a transaction. */
export function compileNotify(channel: string, payload: string): WriteStatement {
  return { sql: 'SELECT pg_notify($1, $2)', params: [channel, payload] };
}
