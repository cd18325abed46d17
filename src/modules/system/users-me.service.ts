import { Injectable } from '@nestjs/common';
import { ForbiddenError, InvalidCredentialsError } from '@lib/errors';
import type { ItemsContext } from '../../core/context/items-context';
import { SystemItemsService } from '../items/system-items.service';

/**
 * GET /users/me (spec 8, Directus's users controller): the caller's own directus_users row read like any item, so
 * `fields` (relational paths included), `deep` and the other query parameters apply and its read permissions hold;
 * no user → 401 INVALID_CREDENTIALS; a user who may not read that row (or a field asked for) gets `{id}` only.
 */
@Injectable()
export class UsersMeService {
  constructor(private readonly users: SystemItemsService) {}

  async me(ctx: ItemsContext, rawQuery: unknown): Promise<{ json: string }> {
    const query = this.users.sanitize(ctx, rawQuery);
    const user = ctx.accountability.user;
    if (!user) throw new InvalidCredentialsError();
    try {
      return await this.users.readOne(ctx, 'directus_users', user, query);
    } catch (error) {
      if (error instanceof ForbiddenError) return { json: JSON.stringify({ id: user }) };
      throw error;
    }
  }
}
