import { Injectable, Logger } from '@nestjs/common';
import { ForbiddenError } from '@lib/errors';
import { compileRestoreBefore, type ChangeRow, type Query } from '@lib/query';
import type { Accountability } from '../../core/context/accountability';
import type { ItemsContext } from '../../core/context/items-context';
import { Database } from '../../core/database/database.service';
import type { PrimaryKey } from '../../core/events/items-events';
import { ItemsContextFactory } from '../items/items-context.factory';
import { ItemsService } from '../items/items.service';
import { SystemItemsService } from '../items/system-items.service';

export type Row = Record<string, unknown>;

/** What a read needs of a subscription group: its collection, item, query and (any member's) accountability. */
export interface ReadGroup {
  readonly collection: string;
  readonly query: Query;
  readonly item: PrimaryKey | undefined;
  readonly accountability: Accountability;
}

const ROLLBACK = new Error('realtime: restore rolled back');

/**
 * The reads behind a subscription event, each as a group's members would make it (the same ItemsService call and
 * ItemsContext as any read of that caller): the changed rows, the keys an update moved out of a group's scope, and
 * the keys a group could see BEFORE a change (its before images put back in a transaction that is rolled back).
 */
@Injectable()
export class RealtimeGroupReads {
  private readonly logger = new Logger('Realtime');

  constructor(
    private readonly items: ItemsService,
    private readonly systemItems: SystemItemsService,
    private readonly contexts: ItemsContextFactory,
    private readonly db: Database,
  ) {}

  private service(collection: string): ItemsService {
    return collection.startsWith('directus_') ? this.systemItems : this.items;
  }

  private context(accountability: Accountability): ItemsContext {
    return this.contexts.create(accountability, { transport: 'websocket' });
  }

  /**
   * The group's read of the changed keys, as its members would read them: `readOne(item)` for an item subscription
   * (an object), `readMany(keys, query)` otherwise. `json` is null when nothing is readable.
   */
  async read(
    g: ReadGroup,
    keys: readonly PrimaryKey[],
  ): Promise<{ json: string | null; meta?: unknown; rows: Row[] | null }> {
    const ctx = this.context(g.accountability);
    const service = this.service(g.collection);
    try {
      if (g.item !== undefined) {
        const one = await service.readOne(ctx, g.collection, g.item, g.query);
        return { json: one.json, rows: [one.data as Row] };
      }
      const many = await service.readMany(ctx, g.collection, keys, g.query);
      if (many.json === '[]') return { json: null, rows: [] };
      return { json: many.json, meta: many.meta, rows: null };
    } catch (error) {
      if (error instanceof ForbiddenError) return { json: null, rows: [] };
      throw error;
    }
  }

  /** Keys of an update that the group's read did not return (candidates for a scope-exit delete). */
  async missing(
    g: ReadGroup,
    keys: readonly PrimaryKey[],
    read: { json: string | null; rows: Row[] | null },
  ): Promise<PrimaryKey[]> {
    if (g.item !== undefined) return read.json === null ? [g.item] : [];
    if (read.json === null) return [...keys];
    const rows = read.rows ?? (JSON.parse(read.json) as Row[]);
    if (rows.length >= keys.length) return [];
    const c = this.context(g.accountability).schema.collections[g.collection];
    if (!c) return [];
    let seen: Set<string>;
    if (rows.every((r) => c.primaryKey in r)) {
      seen = new Set(rows.map((r) => String(r[c.primaryKey])));
    } else {
      seen = await this.visibleKeys(g, keys);
    }
    return keys.filter((k) => !seen.has(String(k)));
  }

  /** Which of `keys` the group can read now, by its filter and permissions (a key-only read). */
  async visibleKeys(g: ReadGroup, keys: readonly PrimaryKey[]): Promise<Set<string>> {
    const ctx = this.context(g.accountability);
    const c = ctx.schema.collections[g.collection]!;
    const result = await this.service(g.collection).readMany(ctx, g.collection, keys, {
      filter: g.query.filter,
      search: g.query.search,
      fields: [c.primaryKey],
      limit: -1,
    });
    return new Set((result.data as Row[]).map((r) => String(r[c.primaryKey])));
  }

  /**
   * For each group, the keys of `change` (or of `only`) it could read BEFORE the change: the before images are put
   * back in a transaction that is always rolled back, and each group's key-only read runs in it. Groups that see
   * every row (admins without filter or search) need no SQL. When before images are missing or can't be put back
   * (a constraint, a generated column), every key counts as visible, as Directus sends every deleted key.
   */
  async visibleBefore<G extends ReadGroup>(
    change: ChangeRow,
    groups: G[],
    only: Map<G, PrimaryKey[]> | null,
  ): Promise<Map<G, PrimaryKey[]>> {
    const keysOf = (g: G): PrimaryKey[] =>
      only?.get(g) ?? (g.item !== undefined ? change.keys.filter((k) => same(k, g.item!)) : change.keys);
    const out = new Map<G, PrimaryKey[]>();
    const checked: G[] = [];
    for (const g of groups) {
      if (g.accountability.admin && !g.query.filter && !g.query.search) out.set(g, keysOf(g));
      else checked.push(g);
    }
    if (!checked.length) return out;
    const ctx = this.context(checked[0].accountability);
    const c = ctx.schema.collections[change.collection];
    const wanted = new Set(checked.flatMap((g) => keysOf(g).map(String)));
    const before = (change.before ?? []).filter((row) => c && wanted.has(String(row[c.primaryKey])));
    if (!c || !before.length || change.action === 'create') {
      for (const g of checked) out.set(g, keysOf(g));
      return out;
    }
    const restore = compileRestoreBefore(c, change.action, before);
    try {
      await this.db.transaction(async () => {
        await this.db.query(restore.sql, restore.params);
        for (const g of checked) {
          const keys = keysOf(g);
          const seen = await this.visibleKeys(g, keys);
          out.set(
            g,
            keys.filter((k) => seen.has(String(k))),
          );
        }
        throw ROLLBACK;
      });
    } catch (error) {
      if (error !== ROLLBACK) {
        this.logger.warn({
          msg: 'before images could not be evaluated; every key counts as visible',
          error: String(error),
        });
        for (const g of checked) out.set(g, keysOf(g));
      }
    }
    return out;
  }
}

export function same(a: PrimaryKey, b: PrimaryKey): boolean {
  return String(a) === String(b);
}
