import { randomBytes, randomUUID } from 'node:crypto';
import type { Config } from '../../config/config';
import { hashPassword } from '../security/password';
import type { Database } from './database.service';

/**
 * First boot: create the Administrator role, an Administrator policy with admin and app access, the access row and
 * the admin user (ADMIN_EMAIL / ADMIN_PASSWORD, static token ADMIN_TOKEN). Later boots change nothing, except that
 * ADMIN_TOKEN, when given, is kept on the admin user so that the configured token always works.
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
    const roleId = randomUUID();
    const policyId = randomUUID();
    const password = config.adminPassword ?? randomBytes(12).toString('base64url');
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
