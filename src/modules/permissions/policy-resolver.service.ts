import { Injectable } from '@nestjs/common';
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
    const rows = await this.db.query<{
      roles: string[] | null;
      policies: string[] | null;
      admin: boolean;
      app: boolean;
    }>(
      `WITH RECURSIVE tree(id, parent, depth) AS (
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
       FROM access x JOIN "directus_policies" p ON p."id" = x."policy"`,
      [user, role],
    );
    const row = rows[0];
    return {
      roles: row?.roles ?? [],
      policies: row?.policies ?? [],
      admin: row?.admin ?? false,
      app: row?.app ?? false,
    };
  }
}
