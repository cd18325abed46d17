import { Injectable, OnModuleInit } from '@nestjs/common';
import { Database } from '../../core/database/database.service';
import { ItemsEventBus } from '../../core/events/items-event-bus';
import { AccountabilityCache } from '../auth/accountability-cache.service';
import { ACCESS_CHANNEL, PermissionsService } from '../permissions/permissions.service';

const ACCESS_COLLECTIONS = new Set([
  'directus_users',
  'directus_roles',
  'directus_policies',
  'directus_access',
  'directus_permissions',
]);

/**
 * Any write to users, roles, policies, access or permissions NOTIFYs `tessera_access` inside the writing transaction
 * (so it is delivered on commit only) and clears this instance's caches right after commit, so the caller's very
 * next request already sees the change; other instances clear when the NOTIFY arrives.
 */
@Injectable()
export class AccessChangeNotifier implements OnModuleInit {
  constructor(
    private readonly bus: ItemsEventBus,
    private readonly db: Database,
    private readonly identities: AccountabilityCache,
    private readonly permissions: PermissionsService,
  ) {}

  onModuleInit(): void {
    this.bus.inTransaction((event) => this.db.notify(ACCESS_CHANNEL, event.collection), {
      collections: ACCESS_COLLECTIONS,
    });
    this.bus.afterCommit((event) => {
      if (!ACCESS_COLLECTIONS.has(event.collection)) return;
      this.identities.clear();
      this.permissions.clear();
    });
  }
}
