import { Injectable } from '@nestjs/common';
import { ForbiddenError } from '@lib/errors';
import type { CollectionSnapshot } from '@lib/schema';
import type { ItemsContext } from '../../core/context/items-context';
import { systemWriteForbidden } from '../permissions/system-writes';
import { ItemsService } from './items.service';

/**
 * The same façade over the system collections (`directus_users`, `directus_roles`, `directus_policies`,
 * `directus_access`, `directus_permissions`, ...), for /users, /roles, ... and GraphQL's /graphql/system. Reads follow
 * the caller's permissions like any collection; every write is admin-only, checked here before anything runs (and
 * again by the write engine at every nesting level), except what `systemWriteForbidden` leaves open to permissions
 * (`update` on directus_users: a user's own profile, as Directus allows). `directus_activity` and
 * `directus_revisions` are written by no caller at all: only the change capture (revisions module) writes them.
 */
@Injectable()
export class SystemItemsService extends ItemsService {
  protected override serves(name: string): boolean {
    return name.startsWith('directus_');
  }

  protected override writable(ctx: ItemsContext, name: string): CollectionSnapshot {
    const c = this.collection(ctx, name);
    if (systemWriteForbidden(name, ctx.accountability.admin)) throw new ForbiddenError();
    return c;
  }
}
