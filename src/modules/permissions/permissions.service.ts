import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  resolvePermission,
  type EffectivePermission,
  type PermissionAction,
  type PermissionRow,
} from '@lib/permissions';
import { compilePermissionsOf } from '@lib/query';
import type { SchemaSnapshot } from '@lib/schema';
import type { Accountability } from '../../core/context/accountability';
import { Database } from '../../core/database/database.service';
import { APP_MINIMAL_PERMISSIONS } from './app-minimal-permissions';

/** NOTIFY channel that every change to users, roles, policies, access or permissions is announced on. */
export const ACCESS_CHANNEL = 'tessera_access';

/** The permissions in effect for one set of policies; shared by every accountability with that set. */
export class PermissionSet {
  private readonly memo = new Map<string, EffectivePermission | null>();

  constructor(
    readonly fingerprint: string,
    private readonly rows: readonly PermissionRow[],
    private readonly policies: readonly string[],
  ) {}

  /** null = the action is not granted on the collection at all. */
  get(schema: SchemaSnapshot, collection: string, action: PermissionAction): EffectivePermission | null {
    const key = `${schema.version}:${collection}:${action}`;
    if (!this.memo.has(key)) {
      const fields = schema.collections[collection]?.fieldOrder ?? [];
      this.memo.set(key, resolvePermission(this.rows, collection, action, this.policies, fields));
    }
    return this.memo.get(key)!;
  }

  /** Collections with at least one row for the action. */
  collections(action: PermissionAction): string[] {
    return [...new Set(this.rows.filter((r) => r.action === action).map((r) => r.collection))];
  }
}

function parseJson(value: unknown): Record<string, unknown> | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'object') return value as Record<string, unknown>;
  try {
    const parsed = JSON.parse(String(value));
    return parsed && typeof parsed === 'object' ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * Loads permission rows per policy set, cached by a fingerprint of the (ordered) policy ids, so that users who share
 * policies share one entry. Any access change NOTIFYs `tessera_access`; every instance drops its cache.
 */
@Injectable()
export class PermissionsService implements OnApplicationBootstrap {
  private readonly cache = new Map<string, Promise<PermissionSet>>();

  constructor(private readonly db: Database) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.db.listen(ACCESS_CHANNEL, () => this.cache.clear());
  }

  /**
   * The permissions of the accountability's policies; with app access, Directus's minimal app permissions after them
   * (with-app-minimal-permissions.ts), so reads, `/permissions/me` and schema listings all see them.
   */
  async forAccountability(accountability: Accountability): Promise<PermissionSet> {
    const app = accountability.app && !accountability.admin;
    const fingerprint = (app ? 'app:' : '') + accountability.policies.join(',');
    let entry = this.cache.get(fingerprint);
    if (!entry) {
      entry = this.load(fingerprint, accountability.policies, app);
      this.cache.set(fingerprint, entry);
      entry.catch(() => this.cache.delete(fingerprint));
    }
    return entry;
  }

  clear(): void {
    this.cache.clear();
  }

  private async load(fingerprint: string, policies: readonly string[], app: boolean): Promise<PermissionSet> {
    const rows = policies.length ? await this.db.run<Record<string, unknown>>(compilePermissionsOf(policies)) : [];
    const own: PermissionRow[] = rows.map((r) => ({
      collection: String(r.collection),
      action: r.action as PermissionAction,
      permissions: parseJson(r.permissions),
      validation: parseJson(r.validation),
      presets: parseJson(r.presets),
      fields:
        typeof r.fields === 'string'
          ? r.fields
              .split(',')
              .map((f) => f.trim())
              .filter(Boolean)
          : null,
      policy: String(r.policy),
    }));
    return new PermissionSet(fingerprint, app ? [...own, ...APP_MINIMAL_PERMISSIONS] : own, policies);
  }
}
