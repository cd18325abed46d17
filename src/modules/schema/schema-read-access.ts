import { Injectable } from '@nestjs/common';
import { ForbiddenError } from '@lib/errors';
import type { SchemaSnapshot } from '@lib/schema';
import type { Accountability } from '../../core/context/accountability';
import { PermissionsService, type PermissionSet } from '../permissions/permissions.service';

/** The system collections whose read permission lets a non-admin use /collections, /fields and /relations. */
export type SchemaMetaCollection = 'directus_collections' | 'directus_fields' | 'directus_relations';

/**
 * What a non-admin may see of the schema, from its read permissions, as Directus's collections, fields and
 * relations services decide it: a collection is listed when some read permission names it, a field when a read
 * permission on its collection allows it (`*` or by name).
 */
export class SchemaReadRules {
  constructor(
    private readonly set: PermissionSet,
    private readonly schema: SchemaSnapshot,
    private readonly app: boolean,
  ) {}

  /** Collections with at least one read permission. */
  collections(): string[] {
    return this.set.collections('read');
  }

  /** The fields of `collection` it may read: '*', a set, or null when it may not read the collection. */
  fields(collection: string): '*' | ReadonlySet<string> | null {
    return this.set.get(this.schema, collection, 'read')?.fields ?? null;
  }

  fieldAllowed(collection: string, field: string): boolean {
    const fields = this.fields(collection);
    return fields === '*' || (fields !== null && fields.has(field));
  }

  /**
   * Reading the schema's own metadata needs a read permission on it, which app access grants implicitly (Directus's
   * minimal app permissions).
   */
  metaReadable(collection: SchemaMetaCollection): boolean {
    return this.app || this.set.collections('read').includes(collection);
  }

  /** 403 unless some read permission names `collection` (Directus's collection-level `validateAccess`). */
  assertCollectionReadable(collection: string): void {
    if (!this.collections().includes(collection)) throw cannotRead(collection);
  }
}

/** Directus's `validateAccess` message for a collection the caller has no read permission on. */
export function cannotRead(collection: string): ForbiddenError {
  return new ForbiddenError(
    `You don't have permission to perform "read" for collection "${collection}" or it does not exist.`,
  );
}

@Injectable()
export class SchemaReadAccess {
  constructor(private readonly permissions: PermissionsService) {}

  /** null for admins (everything is listed). */
  async rules(accountability: Accountability, schema: SchemaSnapshot): Promise<SchemaReadRules | null> {
    if (accountability.admin) return null;
    const set = await this.permissions.forAccountability(accountability);
    return new SchemaReadRules(set, schema, accountability.app);
  }
}
