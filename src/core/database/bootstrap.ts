import { randomBytes, randomUUID } from 'node:crypto';
import {
  ADMIN_ROLE_SQL,
  compileInsertAdminPolicy,
  compileInsertAdminRole,
  compileInsertAdminUser,
  compileInsertRoleAccess,
  compileSetUserToken,
  COUNT_USERS_SQL,
  LOCK_USERS_SQL,
} from '@lib/query';
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
    await db.query(LOCK_USERS_SQL);
    const [{ count }] = await db.query<{ count: string }>(COUNT_USERS_SQL);
    if (Number(count) > 0) {
      if (config.adminToken) {
        await db.run(compileSetUserToken(config.adminEmail, config.adminToken));
      }
      return;
    }
    const password = config.adminPassword ?? randomBytes(12).toString('base64url');
    const [adminRole] = await db.query<{ role: string }>(ADMIN_ROLE_SQL);
    const roleId = adminRole?.role ?? randomUUID();
    if (!adminRole) {
      const policyId = randomUUID();
      await db.run(compileInsertAdminRole(roleId));
      await db.run(compileInsertAdminPolicy(policyId));
      await db.run(compileInsertRoleAccess(randomUUID(), roleId, policyId));
    }
    await db.run(
      compileInsertAdminUser({
        id: randomUUID(),
        email: config.adminEmail,
        passwordHash: await hashPassword(password),
        role: roleId,
        token: config.adminToken,
      }),
    );
    log(
      `bootstrap: created admin user ${config.adminEmail}` +
        (config.adminPassword ? '' : ` with generated password ${password} (set ADMIN_PASSWORD to choose one)`),
    );
  });
}
