import { Injectable } from '@nestjs/common';
import { InvalidCredentialsError } from '@lib/errors';
import { Database } from '../../core/database/database.service';
import type { Accountability } from '../../core/context/accountability';
import { PolicyResolver } from '../permissions/policy-resolver.service';

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  origin: string | null;
}

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
  ) {}

  async accountabilityFor(token: string | null, meta: RequestMeta): Promise<Accountability> {
    if (!token) {
      const resolved = await this.policies.resolve(null, null);
      return { user: null, role: null, ...resolved, ...meta };
    }
    const users = await this.db.query<{ id: string; role: string | null }>(
      `SELECT "id", "role" FROM "directus_users" WHERE "token" = $1 AND "status" = 'active'`,
      [token],
    );
    if (users.length === 0) throw new InvalidCredentialsError();
    const { id, role } = users[0];
    const resolved = await this.policies.resolve(id, role);
    return { user: id, role, ...resolved, ...meta };
  }
}
