import { randomBytes, randomUUID } from 'node:crypto';
import type { Config } from '../../config/config';
import { hashPassword } from '../security/password';
import type { Database } from './database.service';

/**
 * First boot: create the Administrator role, an Administrator policy with admin and app access, the access row and
 * the admin user (ADMIN_EMAIL / ADMIN_PASSWORD, static token ADMIN_TOKEN). Later boots change nothing, except that
 * ADMIN_TOKEN, when given, is kept on the admin user so that the configured token always works.
 *
 * On a database Directus made, users exist and nothing is created. Should one have no user at all, the admin joins
 * the role Directus's admin policy is attached to instead of a second Administrator role and policy (and the Public
 * policy is never created here: the migration makes it only in a new database).
 */
export async function bootstrapAdmin(db: Database, config: Config, log: (message: string) => void): Promise<void> {
  await db.transaction(async () => {
    await db.query('LOCK TABLE "directus_users" IN EXCLUSIVE MODE');
    const [{ count }] = await db.query<{ count: string }>('SELECT count(*) AS count FROM "directus_users"');
    if (Number(count) > 0) {
      if (config.adminToken) {
        await db.query('UPDATE "directus_users" SET "token" = $1 WHERE "email" = $2 AND "token" IS DISTINCT FROM $1', [
          config.adminToken,
          config.adminEmail,
        ]);
      }
      return;
    }
    const password = config.adminPassword ?? randomBytes(12).toString('base64url');
    const [adminRole] = await db.query<{ role: string }>(
      `SELECT a."role" FROM "directus_access" a JOIN "directus_policies" p ON p."id" = a."policy"
       WHERE p."admin_access" AND a."role" IS NOT NULL AND a."user" IS NULL
       ORDER BY a."sort" NULLS LAST, a."id" LIMIT 1`,
    );
    const roleId = adminRole?.role ?? randomUUID();
    if (!adminRole) {
      const policyId = randomUUID();
      await db.query(`INSERT INTO "directus_roles" ("id", "name", "icon", "description") VALUES ($1, $2, $3, $4)`, [
        roleId,
        'Administrator',
        'verified',
        '$t:admin_description',
      ]);
      await db.query(
        `INSERT INTO "directus_policies" ("id", "name", "icon", "description", "admin_access", "app_access")
         VALUES ($1, 'Administrator', 'verified', '$t:admin_description', true, true)`,
        [policyId],
      );
      await db.query(`INSERT INTO "directus_access" ("id", "role", "policy", "sort") VALUES ($1, $2, $3, 1)`, [
        randomUUID(),
        roleId,
        policyId,
      ]);
    }
    await db.query(
      `INSERT INTO "directus_users" ("id", "first_name", "last_name", "email", "password", "role", "token", "status")
       VALUES ($1, 'Admin', 'User', $2, $3, $4, $5, 'active')`,
      [randomUUID(), config.adminEmail, await hashPassword(password), roleId, config.adminToken],
    );
    log(
      `bootstrap: created admin user ${config.adminEmail}` +
        (config.adminPassword ? '' : ` with generated password ${password} (set ADMIN_PASSWORD to choose one)`),
    );
  });
}
