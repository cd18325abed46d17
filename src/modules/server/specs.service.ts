import { Injectable } from '@nestjs/common';
import type { Accountability } from '../../core/context/accountability';
import { ItemsAccess } from '../permissions/items-access.service';
import { PermissionsService } from '../permissions/permissions.service';
import { SchemaReadAccess } from '../schema/schema-read-access';
import { SchemaRegistry } from '../schema/schema-registry.service';
import { buildOas } from './oas';

/**
 * GET /server/specs/oas: the OpenAPI 3 document for the caller's role, generated from the schema snapshot through the
 * caller's read view (the collections and fields it may read) and its permissions (the methods it may use).
 */
@Injectable()
export class SpecsService {
  constructor(
    private readonly registry: SchemaRegistry,
    private readonly access: ItemsAccess,
    private readonly permissions: PermissionsService,
    private readonly schemaAccess: SchemaReadAccess,
  ) {}

  async oas(accountability: Accountability, server: string): Promise<Record<string, unknown>> {
    const snapshot = this.registry.snapshot;
    const view = await this.access.readView(accountability, snapshot);
    const set = accountability.admin ? null : await this.permissions.forAccountability(accountability);
    const rules = await this.schemaAccess.rules(accountability, snapshot);
    return buildOas({
      schema: view?.schema ?? snapshot,
      admin: accountability.admin,
      user: accountability.user !== null,
      can: (collection, action) => !set || set.get(snapshot, collection, action) !== null,
      metaReadable: (collection) => !rules || rules.metaReadable(collection),
      server,
      fingerprint: [
        snapshot.version,
        accountability.admin,
        accountability.user ?? '',
        accountability.role ?? '',
        accountability.policies.join(','),
      ].join('|'),
    });
  }
}
