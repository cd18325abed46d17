import { Injectable } from '@nestjs/common';
import { InvalidCredentialsError } from '@lib/errors';
import type { Accountability } from '../../core/context/accountability';
import { Database } from '../../core/database/database.service';

/** GET /users/me: the caller's own record without secrets; no user → 401 INVALID_CREDENTIALS (spec 8). */
@Injectable()
export class UsersMeService {
  constructor(private readonly db: Database) {}

  async me(accountability: Accountability): Promise<Record<string, unknown>> {
    if (!accountability.user) throw new InvalidCredentialsError();
    const [user] = await this.db.query<Record<string, unknown>>(
      `SELECT "id", "first_name", "last_name", "email", "location", "title", "description", "tags", "avatar",
              "language", "status", "role", "provider", "external_identifier", "email_notifications", "appearance",
              "theme_dark", "theme_light", "theme_light_overrides", "theme_dark_overrides", "text_direction",
              to_char("last_access" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "last_access", "last_page",
              CASE WHEN "token" IS NULL THEN NULL ELSE '**********' END AS "token",
              CASE WHEN "password" IS NULL THEN NULL ELSE '**********' END AS "password",
              CASE WHEN "tfa_secret" IS NULL THEN NULL ELSE '**********' END AS "tfa_secret"
       FROM "directus_users" WHERE "id" = $1`,
      [accountability.user],
    );
    if (!user) throw new InvalidCredentialsError();
    return user;
  }
}
