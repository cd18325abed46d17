import { Injectable } from '@nestjs/common';
import { InvalidCredentialsError } from '@lib/errors';
import { Database } from '../../core/database/database.service';
import type { Accountability } from '../../core/context/accountability';
import { PolicyResolver } from '../permissions/policy-resolver.service';
import { AccountabilityCache } from './accountability-cache.service';

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  origin: string | null;
}

/** Cache key of requests without a token (the Public policies). */
const PUBLIC = '\u0000public';

/**
 * Turns a token into an accountability. Static tokens are looked up on active users (spec 8); no token means the
 * Public policies. JWT sessions (login/refresh) come with the access-control issue; until then a token that is not a
 * known static token is 401 INVALID_CREDENTIALS, as Directus answers for unknown static tokens.
 */
@Injectable()
export class AuthService {
  constructor(
    private readonly db: Database,
    private readonly policies: PolicyResolver,
    private readonly cache: AccountabilityCache,
  ) {}

  async accountabilityFor(token: string | null, meta: RequestMeta): Promise<Accountability> {
    const key = token ?? PUBLIC;
    const cached = this.cache.get(key);
    if (cached) return { ...cached, ...meta };
    const identity = token
      ? await this.staticToken(token)
      : { user: null, role: null, ...(await this.policies.resolve(null, null)) };
    this.cache.set(key, identity);
    return { ...identity, ...meta };
  }

  private async staticToken(token: string) {
    const users = await this.db.query<{ id: string; role: string | null }>(
      `SELECT "id", "role" FROM "directus_users" WHERE "token" = $1 AND "status" = 'active'`,
      [token],
    );
    if (users.length === 0) throw new InvalidCredentialsError();
    const { id, role } = users[0];
    return { user: id, role, ...(await this.policies.resolve(id, role)) };
  }
}
