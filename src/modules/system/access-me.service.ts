import { Injectable } from '@nestjs/common';
import { ForbiddenError } from '@lib/errors';
import type { Query } from '@lib/query';
import { SYSTEM_ACCOUNTABILITY } from '../../core/context/accountability';
import type { ItemsContext } from '../../core/context/items-context';
import { ItemsContextFactory } from '../items/items-context.factory';
import { SystemItemsService } from '../items/system-items.service';

/**
 * The caller's roles and policy globals, as Directus 11+ serves them:
 * - `GET /roles/me`: its role and the role's parents, read with its own permissions and the query (no limit); a
 *   caller who may not read them gets their ids only;
 * - `GET /policies/me/globals`: `{app_access, admin_access, enforce_tfa}` over the policies in effect.
 * Without a user or role: 403 for roles; `{app_access: false}` for the globals.
 */
@Injectable()
export class AccessMeService {
  constructor(
    private readonly items: SystemItemsService,
    private readonly contexts: ItemsContextFactory,
  ) {}

  async roles(ctx: ItemsContext, rawQuery: unknown): Promise<{ json: string }> {
    const query: Query = { ...this.items.sanitize(ctx, rawQuery), limit: -1 };
    const acc = ctx.accountability;
    if (!acc.user && !acc.role) throw new ForbiddenError();
    try {
      return await this.items.readMany(ctx, 'directus_roles', acc.roles, query);
    } catch (error) {
      if (error instanceof ForbiddenError) return { json: JSON.stringify(acc.roles.map((id) => ({ id }))) };
      throw error;
    }
  }

  async globals(ctx: ItemsContext): Promise<Record<string, boolean>> {
    const acc = ctx.accountability;
    if (!acc.user && !acc.role) return { app_access: false };
    const admin = this.contexts.create(SYSTEM_ACCOUNTABILITY, { transport: 'internal', schema: ctx.schema });
    const tfa = acc.policies.length
      ? await this.items.readByQuery(admin, 'directus_policies', {
          fields: ['id'],
          filter: { _and: [{ id: { _in: [...acc.policies] } }, { enforce_tfa: { _eq: true } }] },
          limit: 1,
        })
      : null;
    return { app_access: acc.app, admin_access: acc.admin, enforce_tfa: (tfa?.data.length ?? 0) > 0 };
  }
}
