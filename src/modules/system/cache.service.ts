import { Injectable } from '@nestjs/common';
import { ForbiddenError } from '@lib/errors';
import type { Accountability } from '../../core/context/accountability';
import { Database } from '../../core/database/database.service';
import { AccountabilityCache } from '../auth/accountability-cache.service';
import { ACCESS_CHANNEL, PermissionsService } from '../permissions/permissions.service';
import { SchemaRegistry } from '../schema/schema-registry.service';

/**
 * `POST /utils/cache/clear` (admins only, as Directus's UtilsService.clearCache). Tessera keeps no response cache,
 * so what it clears is what Directus's `?system` clears: the permission and token caches on every instance (a
 * NOTIFY on `tessera_access`), and with `system` the schema too — the version is bumped, so every instance reloads
 * the snapshot from the database (picking up changes made behind the API's back) and every cache keyed by it starts
 * anew. Answers once this instance's caches are clear.
 */
@Injectable()
export class CacheService {
  constructor(
    private readonly db: Database,
    private readonly registry: SchemaRegistry,
    private readonly permissions: PermissionsService,
    private readonly identities: AccountabilityCache,
  ) {}

  async clear(accountability: Accountability, options: { system: boolean }): Promise<void> {
    if (accountability.admin !== true) throw new ForbiddenError();
    this.permissions.clear();
    this.identities.clear();
    await this.db.notify(ACCESS_CHANNEL, 'cache-clear');
    if (options.system) {
      await this.registry.bumpVersion();
      await this.registry.reload();
    }
  }
}
