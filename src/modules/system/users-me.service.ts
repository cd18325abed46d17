import { Injectable } from '@nestjs/common';
import { ForbiddenError, InvalidCredentialsError, InvalidPayloadError } from '@lib/errors';
import { SYSTEM_ACCOUNTABILITY } from '../../core/context/accountability';
import type { ItemsContext } from '../../core/context/items-context';
import { ItemsContextFactory } from '../items/items-context.factory';
import { objectPayload } from '../items/items-input';
import type { ItemsResult } from '../items/items-result';
import { SystemItemsService } from '../items/system-items.service';

/**
 * The caller's own directus_users row (spec 8, Directus's users controller), over the system items façade so that
 * `fields` (relational paths included), `deep` and the other query parameters apply and permissions hold:
 * - GET /users/me: no user → 401 INVALID_CREDENTIALS; a user who may not read that row (or a field asked for) gets
 *   `{id}` only;
 * - PATCH /users/me: an update of that row under the caller's `update` permission on directus_users (fields, item
 *   filter, validation, presets; admins unrestricted), then the row read back with the query. As in Directus, a
 *   caller who may update but not read it gets 403 after the update has been made;
 * - PATCH /users/me/track/page: `{last_page}` stored whatever the permissions (Directus writes it without
 *   accountability), 204.
 */
@Injectable()
export class UsersMeService {
  constructor(
    private readonly users: SystemItemsService,
    private readonly contexts: ItemsContextFactory,
  ) {}

  async me(ctx: ItemsContext, rawQuery: unknown): Promise<{ json: string }> {
    const query = this.users.sanitize(ctx, rawQuery);
    const user = this.user(ctx);
    try {
      return await this.users.readOne(ctx, 'directus_users', user, query);
    } catch (error) {
      if (error instanceof ForbiddenError) return { json: JSON.stringify({ id: user }) };
      throw error;
    }
  }

  async update(ctx: ItemsContext, rawQuery: unknown, body: unknown): Promise<ItemsResult> {
    const user = this.user(ctx);
    const query = this.users.sanitize(ctx, rawQuery);
    const written = await this.users.updateOne(ctx, 'directus_users', user, objectPayload(body), query);
    if (written === null) throw new ForbiddenError();
    return written;
  }

  async trackPage(ctx: ItemsContext, body: unknown): Promise<void> {
    const user = this.user(ctx);
    const lastPage = (body as { last_page?: unknown } | null)?.last_page;
    if (!lastPage) throw new InvalidPayloadError('"last_page" key is required');
    const system = this.contexts.create(SYSTEM_ACCOUNTABILITY, { transport: 'internal', schema: ctx.schema });
    await this.users.updateOne(system, 'directus_users', user, { last_page: lastPage }, { fields: ['id'] });
  }

  private user(ctx: ItemsContext): string {
    const user = ctx.accountability.user;
    if (!user) throw new InvalidCredentialsError();
    return user;
  }
}
