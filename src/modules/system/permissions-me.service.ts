import { Injectable } from '@nestjs/common';
import { ForbiddenError } from '@lib/errors';
import type { PermissionAction, PermissionRow } from '@lib/permissions';
import type { Filter } from '@lib/query';
import { SYSTEM_ACCOUNTABILITY } from '../../core/context/accountability';
import type { ItemsContext } from '../../core/context/items-context';
import { ItemsContextFactory } from '../items/items-context.factory';
import { ItemsService } from '../items/items.service';
import { SystemItemsService } from '../items/system-items.service';
import { ItemsAccess } from '../permissions/items-access.service';
import { PermissionsService } from '../permissions/permissions.service';

type Row = Record<string, unknown>;

/** Directus's PERMISSION_ACTIONS, in its order. */
const ACTIONS: readonly PermissionAction[] = ['create', 'read', 'update', 'delete', 'share'];

/** One action of `GET /permissions/me`: none, full (every row), or partial (an item filter). */
export interface CollectionAccess {
  access: 'none' | 'full' | 'partial';
  fields?: string[];
  presets?: Row;
}

/** One action of `GET /permissions/me/:collection/:id`. */
export interface ItemAccess {
  access: boolean;
  fields?: string[];
  presets?: Row;
}

/**
 * The caller's own permissions, as Directus 11+ reports them:
 * - `GET /permissions/me` (fetchAccountabilityCollectionAccess): per collection with any permission row, per action,
 *   `none`/`full`/`partial` with the union of allowed fields and the merged presets; an admin gets every collection
 *   with `full` and `['*']`;
 * - `GET /permissions/me/:collection/:id` (PermissionsService.getItemPermissions): whether it may update, delete
 *   and share that item (the row exists and matches the action's item filter); a singleton's update becomes create
 *   while it has no row, and carries the allowed fields and presets.
 * Presets and item filters resolve their dynamic variables for the caller, as Directus's processPermissions does.
 */
@Injectable()
export class PermissionsMeService {
  constructor(
    private readonly permissions: PermissionsService,
    private readonly access: ItemsAccess,
    private readonly contexts: ItemsContextFactory,
    private readonly items: ItemsService,
    private readonly systemItems: SystemItemsService,
  ) {}

  async collections(ctx: ItemsContext): Promise<Record<string, Record<string, CollectionAccess>>> {
    const acc = ctx.accountability;
    if (!acc.user && !acc.role) throw new ForbiddenError();
    if (acc.admin) {
      return Object.fromEntries(
        Object.keys(ctx.schema.collections).map((c) => [
          c,
          Object.fromEntries(ACTIONS.map((a) => [a, { access: 'full', fields: ['*'] }])),
        ]),
      );
    }
    const rows = await this.rows(ctx);
    const out: Record<string, Record<string, CollectionAccess>> = {};
    for (const row of rows) {
      out[row.collection] ??= Object.fromEntries(ACTIONS.map((a) => [a, { access: 'none' }]));
      const info = out[row.collection][row.action];
      if (!info) continue;
      if (info.access === 'none') info.access = 'full';
      if (info.access === 'full' && row.permissions && Object.keys(row.permissions).length > 0) {
        info.access = 'partial';
      }
      if (row.fields && info.fields?.[0] !== '*') {
        info.fields = [...new Set([...(info.fields ?? []), ...row.fields])];
        if (info.fields.includes('*')) info.fields = ['*'];
      }
      if (row.presets) info.presets = { ...(info.presets ?? {}), ...row.presets };
    }
    // Presets with dynamic variables resolve for the caller (create/update/delete, where presets apply).
    for (const [collection, actions] of Object.entries(out)) {
      for (const action of ['create', 'update', 'delete'] as const) {
        const info = actions[action];
        if (!info.presets || !ctx.schema.collections[collection]) continue;
        const permission = await this.access.writePermission(acc, ctx.schema, collection, action);
        if (permission) info.presets = { ...permission.presets };
      }
    }
    return out;
  }

  async item(ctx: ItemsContext, collection: string, key: string | undefined): Promise<Record<string, ItemAccess>> {
    const acc = ctx.accountability;
    if (!acc.user) throw new ForbiddenError();
    if (acc.admin) return { update: { access: true }, delete: { access: true }, share: { access: true } };
    const result: Record<string, ItemAccess> = {
      update: { access: false },
      delete: { access: false },
      share: { access: false },
    };
    const c = ctx.schema.collections[collection];
    if (!c) return result;
    const admin = this.contexts.create(SYSTEM_ACCOUNTABILITY, { transport: 'internal', schema: ctx.schema });
    let updateAction: PermissionAction = 'update';
    if (c.singleton && (await this.count(admin, collection, undefined, undefined)) === 0) updateAction = 'create';
    for (const action of ['update', 'delete', 'share'] as const) {
      result[action].access = await this.allowed(
        ctx,
        admin,
        collection,
        action === 'update' ? updateAction : action,
        key,
      );
    }
    if (c.singleton && result.update.access) {
      let fields: string[] = [];
      let presets: Row = {};
      for (const row of (await this.rows(ctx)).filter(
        (r) => r.collection === collection && r.action === updateAction,
      )) {
        if (row.fields && fields[0] !== '*') {
          fields = [...new Set([...fields, ...row.fields])];
          if (fields.includes('*')) fields = ['*'];
        }
        if (row.presets) presets = { ...presets, ...row.presets };
      }
      result.update.fields = fields;
      result.update.presets = presets;
    }
    return result;
  }

  /** The caller's permission rows, in policy order. */
  private async rows(ctx: ItemsContext): Promise<PermissionRow[]> {
    const set = await this.permissions.forAccountability(ctx.accountability);
    const collections = new Set(ACTIONS.flatMap((a) => set.collections(a)));
    const rank = new Map(ctx.accountability.policies.map((p, i) => [p, i]));
    const rows: PermissionRow[] = [];
    for (const collection of collections) {
      for (const action of ACTIONS) rows.push(...(set.get(ctx.schema, collection, action)?.cases ?? []));
    }
    return rows.sort((a, b) => (rank.get(a.policy) ?? Infinity) - (rank.get(b.policy) ?? Infinity));
  }

  /**
   * Directus's validateAccess: the action is granted on the collection and, for an item, the row exists and the
   * action's item filter selects it.
   */
  private async allowed(
    ctx: ItemsContext,
    admin: ItemsContext,
    collection: string,
    action: PermissionAction,
    key: string | undefined,
  ): Promise<boolean> {
    const acc = ctx.accountability;
    const set = await this.permissions.forAccountability(acc);
    if (!set.get(ctx.schema, collection, action)) return false;
    // Without a key, Directus checks the collection only (validateCollectionAccess), singletons included.
    if (key === undefined) return true;
    let filter: Row | undefined;
    try {
      filter = await this.access.scopeFilter(acc, ctx.schema, collection, action as 'update', undefined);
    } catch {
      return false;
    }
    return (await this.count(admin, collection, key, filter)) === 1;
  }

  /** How many rows (at most one) match `key` and `filter`, read with full access. */
  private async count(admin: ItemsContext, collection: string, key: string | undefined, filter: Row | undefined) {
    const service = collection.startsWith('directus_') ? this.systemItems : this.items;
    const pk = admin.schema.collections[collection].primaryKey;
    const query = { fields: [pk], limit: 1, ...(filter ? { filter: filter as Filter } : {}) };
    try {
      const rows =
        key === undefined
          ? (await service.readByQuery(admin, collection, query)).data
          : (await service.readMany(admin, collection, [key], query)).data;
      return Array.isArray(rows) ? rows.length : 0;
    } catch {
      return 0;
    }
  }
}
