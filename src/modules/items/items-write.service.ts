import { Inject, Injectable } from '@nestjs/common';
import { ForbiddenError } from '@lib/errors';
import type { CollectionSnapshot } from '@lib/schema';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import type { ItemsContext } from '../../core/context/items-context';
import { Database } from '../../core/database/database.service';
import { ItemsEventBus } from '../../core/events/items-event-bus';
import type { PrimaryKey } from '../../core/events/items-events';
import { ItemsAccess } from '../permissions/items-access.service';
import type { Row } from './payload-caster';
import { WriteExecutor } from './write/executor';
import { isOneStatement } from './write/planner';
import { runWriteRequest } from './write/request-frame';
import { Runners } from './write/runners';
import type { ReadBack, WriteContext, WrittenItem } from './write/write-context';

export type { ReadBack, WrittenItem } from './write/write-context';

/**
 * Every write shape of the Items API (spec 1.1, 4.2), each request in ONE transaction (write/request-frame.ts):
 * nested M2O/A2O writes before the parent, O2M/M2M/M2A after, set-based SQL per collection and level (multi-row
 * INSERT … RETURNING, UPDATE/DELETE … WHERE pk = ANY($1)). The nested-write planner (write/planner.ts) decides what
 * each level writes; a runner per operation (write/*-runner.ts) runs it. Filter hooks run before each write,
 * in-transaction handlers with it, and after-commit listeners only once everything committed — through
 * ItemsEventBus, so items never know who listens. A one-row admin write is ONE statement with its re-read folded in
 * (write/folded-write.ts).
 */
@Injectable()
export class ItemsWriteService {
  private readonly runners: Runners;

  constructor(
    private readonly db: Database,
    private readonly bus: ItemsEventBus,
    access: ItemsAccess,
    @Inject(CONFIG) config: Config,
  ) {
    this.runners = new Runners(new WriteExecutor(db, bus, access, config));
  }

  // ---- public API (one transaction each) -------------------------------------------------------------------

  async create(request: ItemsContext, collection: string, items: Row[]): Promise<PrimaryKey[]> {
    const c = this.writable(request, collection);
    return this.request(request, (ctx) => this.runners.create.run(ctx, c, items, null));
  }

  /**
   * One item, re-read with `readBack`. When the create is provably one statement, it runs without BEGIN/COMMIT and
   * the re-read is folded into it: one round trip for the whole request.
   */
  async createOne(request: ItemsContext, collection: string, item: Row, readBack: ReadBack): Promise<WrittenItem> {
    const c = this.writable(request, collection);
    const one = this.isOneStatement(c, request, item, 'create');
    return this.request(
      request,
      async (ctx) => ({ key: (await this.runners.create.run(ctx, c, [item], null))[0]!, read: ctx.read ?? null }),
      one ? readBack : undefined,
    );
  }

  /** PATCH of one item, re-read with `readBack`: as {@link createOne}. */
  async updateOne(
    request: ItemsContext,
    collection: string,
    key: PrimaryKey,
    data: Row,
    readBack: ReadBack,
  ): Promise<WrittenItem> {
    const c = this.writable(request, collection);
    const one = this.isOneStatement(c, request, data, 'update');
    return this.request(
      request,
      async (ctx) => {
        await this.runners.update.runKeys(ctx, c, [key], data);
        return { key, read: ctx.read ?? null };
      },
      one ? readBack : undefined,
    );
  }

  async updateMany(
    request: ItemsContext,
    collection: string,
    keys: readonly PrimaryKey[],
    data: Row,
  ): Promise<PrimaryKey[]> {
    return this.request(request, async (ctx) => {
      await this.runners.update.runKeys(ctx, this.writable(request, collection), keys, data);
      return [...keys];
    });
  }

  /** Array body: each element carries its primary key and gets its own update. */
  async updateBatch(request: ItemsContext, collection: string, items: Row[]): Promise<PrimaryKey[]> {
    return this.request(request, (ctx) => this.runners.update.batch(ctx, this.writable(request, collection), items));
  }

  /**
   * Update by query: the action and the payload's fields are checked first, so a forbidden request is 403 even when
   * no row matches; then the keys, then an update of exactly those rows.
   */
  async updateByKeysOf(
    request: ItemsContext,
    collection: string,
    findKeys: () => Promise<PrimaryKey[]>,
    data: Row,
  ): Promise<PrimaryKey[]> {
    return this.request(request, (ctx) =>
      this.runners.update.byKeysOf(ctx, this.writable(request, collection), findKeys, data),
    );
  }

  async deleteMany(request: ItemsContext, collection: string, keys: readonly PrimaryKey[]): Promise<PrimaryKey[]> {
    return this.request(request, async (ctx) => {
      await this.runners.delete.runKeys(ctx, this.writable(request, collection), keys);
      return [...keys];
    });
  }

  /** Delete by query: the action is checked first (403 even when no row matches), then the keys. */
  async deleteByKeysOf(
    request: ItemsContext,
    collection: string,
    findKeys: () => Promise<PrimaryKey[]>,
  ): Promise<PrimaryKey[]> {
    return this.request(request, (ctx) =>
      this.runners.delete.byKeysOf(ctx, this.writable(request, collection), findKeys),
    );
  }

  /** Singleton PATCH: update the first row, or create it when the table is empty. */
  async upsertSingleton(request: ItemsContext, collection: string, data: Row): Promise<PrimaryKey> {
    return this.request(request, (ctx) => this.runners.singleton.run(ctx, this.writable(request, collection), data));
  }

  // ---- request frame ------------------------------------------------------------------------------------------------

  /** The collection to write, in the request's snapshot; permissions are checked per level and row. */
  private writable(request: ItemsContext, collection: string): CollectionSnapshot {
    const c = request.schema.collections[collection];
    if (!c) throw ForbiddenError.collection(collection);
    return c;
  }

  private isOneStatement(c: CollectionSnapshot, request: ItemsContext, row: Row, action: 'create' | 'update'): boolean {
    return isOneStatement(c, request.accountability, [row], action, (collection) => this.bus.quietFor(collection));
  }

  private request<T>(request: ItemsContext, fn: (ctx: WriteContext) => Promise<T>, readBack?: ReadBack): Promise<T> {
    return runWriteRequest(this.db, this.bus, request, fn, readBack);
  }
}
