import { Injectable } from '@nestjs/common';
import { compileResolvePolicies } from '@lib/query';
import { Database } from '../../core/database/database.service';

export interface ResolvedPolicies {
  roles: string[];
  policies: string[];
  admin: boolean;
  app: boolean;
}

/**
 * Resolves the policies in effect for a user (spec 6.2): the role tree (role + parents), the access rows of those
 * roles and of the user, and for a request without roles the Public access rows. admin/app = OR over the policies.
 * Order: parent-role policies, then child-role, then user policies.
 */
@Injectable()
export class PolicyResolver {
  constructor(private readonly db: Database) {}

  async resolve(user: string | null, role: string | null): Promise<ResolvedPolicies> {
    const { sql, params } = compileResolvePolicies(user, role);
    const rows = await this.db.query<{
      roles: string[] | null;
      policies: string[] | null;
      admin: boolean;
      app: boolean;
    }>(sql, params);
    const row = rows[0];
    return {
      roles: row?.roles ?? [],
      policies: row?.policies ?? [],
      admin: row?.admin ?? false,
      app: row?.app ?? false,
    };
  }
}
