import { Injectable } from '@nestjs/common';
import { ForbiddenError, InvalidPayloadError, RouteNotFoundError } from '@lib/errors';
import type { Query } from '@lib/query';
import type { CollectionSnapshot } from '@lib/schema';
import type { ItemsContext } from '../../core/context/items-context';
import { ItemsEventBus } from '../../core/events/items-event-bus';
import type { PrimaryKey } from '../../core/events/items-events';
import { ItemsAccess } from '../permissions/items-access.service';
import { ItemsReadService, type ReadResult } from './items-read.service';
import { objectPayload } from './items-input';
import { ItemsResult } from './items-result';
import { ItemsWriteService, type ReadBack, type WrittenItem } from './items-write.service';
import type { Row } from './payload-caster';

export type Item = Row;

/**
 * The one domain façade for items, whatever the transport: REST controllers, GraphQL resolvers, WebSocket handlers and
 * extension endpoints all call these methods with an {@link ItemsContext} first and typed input (keys, items, data, a
 * sanitized query). Every access rule holds here, not in an adapter:
 * - this service serves user collections only: a `directus_*` name is a bare 403 (spec 1.1), whoever asks;
 *   {@link SystemItemsService} serves the system collections (reads by permission, writes by admins only);
 * - a write to a system collection at any nesting level is admin-only (the write engine checks every level);
 * - a view (materialized view, foreign table) is read-only: a write to it is 400, at any nesting level;
 * - permissions (item filters, field lists, presets, validation) are applied by the read and write engines.
 * Directus's request semantics live here too: the re-read after a write with the caller's query, `null` when the
 * result can't be read (REST answers 204), singleton rules. Results carry the JSON text PostgreSQL produced and its
 * value on demand ({@link ItemsResult}).
 */
@Injectable()
export class ItemsService {
  constructor(
    protected readonly reads: ItemsReadService,
    protected readonly writes: ItemsWriteService,
    protected readonly access: ItemsAccess,
    protected readonly bus: ItemsEventBus,
  ) {}

  /** URL parameters (qs-parsed), a SEARCH body `query` or a message's `query` → a sanitized query (400 on bad input). */
  sanitize(ctx: ItemsContext, raw: unknown): Query {
    return this.reads.sanitize(ctx, raw);
  }

  /** The collection as this service serves it (403 for names it doesn't), in the request's snapshot. */
  collection(ctx: ItemsContext, name: string): CollectionSnapshot {
    if (!this.serves(name)) throw new ForbiddenError();
    return this.reads.collection(ctx, name);
  }

  /** Whether this façade serves `name` at all: user collections, never `directus_*`. */
  protected serves(name: string): boolean {
    return !name.startsWith('directus_');
  }

  /**
   * The collection to write: as {@link collection}, plus whatever this façade adds for writes. A view is read-only:
   * 400 for every caller, before permissions (the write engine refuses it again at every nesting level).
   */
  protected writable(ctx: ItemsContext, name: string): CollectionSnapshot {
    const c = this.collection(ctx, name);
    if (c.view) throw InvalidPayloadError.readOnlyView(name);
    return c;
  }

  // ---- reads --------------------------------------------------------------------------------------------------------

  // Every read runs the collection's `items.query` filter hooks on its query before compiling it and its
  // `items.read` hooks on the result rows (an array, also for one item) before answering, as Directus's readByQuery
  // does; without a hook for the collection the statement's JSON text is answered untouched.

  /** GET /items/:c — a list, or the singleton's object. */
  async read(ctx: ItemsContext, collection: string, query: Query): Promise<ItemsResult> {
    const c = this.collection(ctx, collection);
    if (this.hooked(collection)) {
      return c.singleton ? this.readSingleton(ctx, collection, query) : this.readByQuery(ctx, collection, query);
    }
    return result(
      c.singleton
        ? await this.reads.readSingleton(ctx, collection, query)
        : await this.reads.readByQuery(ctx, collection, query),
    );
  }

  async readByQuery(ctx: ItemsContext, collection: string, query: Query): Promise<ItemsResult<Item[]>> {
    this.collection(ctx, collection);
    return this.hookedRead(ctx, collection, query, 'list', (q) => this.reads.readByQuery(ctx, collection, q));
  }

  /** Rows by key in the query's sort; keys the caller can't read are left out. */
  async readMany(
    ctx: ItemsContext,
    collection: string,
    keys: readonly PrimaryKey[],
    query: Query,
  ): Promise<ItemsResult<Item[]>> {
    this.collection(ctx, collection);
    return this.hookedRead(ctx, collection, query, 'list', (q) => this.reads.readMany(ctx, collection, keys, q));
  }

  /** One item; missing or unreadable (or left out by an `items.read` hook) → bare 403 (spec 1.4). */
  async readOne(ctx: ItemsContext, collection: string, key: PrimaryKey, query: Query): Promise<ItemsResult<Item>> {
    this.collection(ctx, collection);
    return this.hookedRead(ctx, collection, query, 'one', (q) => this.reads.readOne(ctx, collection, key, q));
  }

  /** The singleton's row, or its defaults when the table is empty (spec 1.2). */
  async readSingleton(ctx: ItemsContext, collection: string, query: Query): Promise<ItemsResult<Item>> {
    this.collection(ctx, collection);
    return this.hookedRead(ctx, collection, query, 'singleton', (q) => this.reads.readSingleton(ctx, collection, q));
  }

  // ---- creates ------------------------------------------------------------------------------------------------------

  /** One item, re-read with `query`; null when the caller can't read it back (REST: 204). */
  async createOne(ctx: ItemsContext, collection: string, item: Item, query: Query = {}): Promise<ItemsResult | null> {
    this.notSingleton(ctx, collection, `/${collection}`);
    const written = await this.writes.createOne(
      ctx,
      collection,
      objectPayload(item),
      this.readBack(ctx, collection, query),
    );
    return this.readWritten(ctx, collection, written, query);
  }

  async createMany(
    ctx: ItemsContext,
    collection: string,
    items: Item[],
    query: Query = {},
  ): Promise<ItemsResult<Item[]> | null> {
    this.notSingleton(ctx, collection, `/${collection}`);
    const keys = await this.writes.create(ctx, collection, items);
    return this.reread(() => this.readMany(ctx, collection, keys, query));
  }

  // ---- updates ------------------------------------------------------------------------------------------------------

  /** PATCH of one item; null when the result can't be read, including an admin patching a missing key. */
  async updateOne(
    ctx: ItemsContext,
    collection: string,
    key: PrimaryKey,
    data: Item,
    query: Query = {},
  ): Promise<ItemsResult | null> {
    this.notSingleton(ctx, collection, `/${collection}/${key}`);
    const written = await this.writes.updateOne(
      ctx,
      collection,
      key,
      objectPayload(data),
      this.readBack(ctx, collection, query),
    );
    return this.readWritten(ctx, collection, written, query);
  }

  /** The same `data` on every key. */
  async updateMany(
    ctx: ItemsContext,
    collection: string,
    keys: readonly PrimaryKey[],
    data: Item,
    query: Query = {},
  ): Promise<ItemsResult<Item[]> | null> {
    this.writable(ctx, collection);
    const written = await this.writes.updateMany(ctx, collection, keys, data);
    return this.reread(() => this.readMany(ctx, collection, written, query));
  }

  /** Each item carries its own primary key and gets its own update; one transaction for all. */
  async updateBatch(
    ctx: ItemsContext,
    collection: string,
    items: Item[],
    query: Query = {},
  ): Promise<ItemsResult<Item[]> | null> {
    this.writable(ctx, collection);
    const keys = await this.writes.updateBatch(ctx, collection, items);
    return this.reread(() => this.readMany(ctx, collection, keys, query));
  }

  /** `data` on every row `selector` selects that the caller may read AND update (all of them unless it pages). */
  async updateByQuery(
    ctx: ItemsContext,
    collection: string,
    selector: Query,
    data: Item,
    query: Query = {},
  ): Promise<ItemsResult<Item[]> | null> {
    this.writable(ctx, collection);
    const keys = await this.writes.updateByKeysOf(
      ctx,
      collection,
      () => this.keysOf(ctx, collection, selector, 'update'),
      data,
    );
    return this.reread(() => this.readMany(ctx, collection, keys, query));
  }

  /** A singleton's PATCH: update its row, or create it when the table is empty. */
  async updateSingleton(
    ctx: ItemsContext,
    collection: string,
    data: Item,
    query: Query = {},
  ): Promise<ItemsResult | null> {
    this.writable(ctx, collection);
    await this.writes.upsertSingleton(ctx, collection, objectPayload(data));
    return this.reread(() => this.readSingleton(ctx, collection, query));
  }

  // ---- deletes ------------------------------------------------------------------------------------------------------

  async deleteOne(ctx: ItemsContext, collection: string, key: PrimaryKey): Promise<PrimaryKey[]> {
    return this.deleteMany(ctx, collection, [key]);
  }

  async deleteMany(ctx: ItemsContext, collection: string, keys: readonly PrimaryKey[]): Promise<PrimaryKey[]> {
    this.writable(ctx, collection);
    return this.writes.deleteMany(ctx, collection, keys);
  }

  /** Every row `selector` selects that the caller may read AND delete. */
  async deleteByQuery(ctx: ItemsContext, collection: string, selector: Query): Promise<PrimaryKey[]> {
    this.writable(ctx, collection);
    return this.writes.deleteByKeysOf(ctx, collection, () => this.keysOf(ctx, collection, selector, 'delete'));
  }

  // ---- internals ----------------------------------------------------------------------------------------------------

  /**
   * Whether an `items.read` filter hook may change what reads of `collection` answer (then the answer is no longer
   * the statement's JSON text as such: adapters that splice that text, like GraphQL's fast path, step aside).
   */
  hasReadHook(collection: string): boolean {
    return this.readHooks(collection) && this.bus.hasFilter('read', collection);
  }

  /** Whether a read filter hook (`items.query` or `items.read`) applies to reads of `collection`. */
  private hooked(collection: string): boolean {
    return (
      this.readHooks(collection) && (this.bus.hasFilter('query', collection) || this.bus.hasFilter('read', collection))
    );
  }

  /** Whether reads of `collection` run Directus's `items.*` filter hooks (system collections have none). */
  protected readHooks(collection: string): boolean {
    return !collection.startsWith('directus_');
  }

  /**
   * A read through the collection's read filter hooks: `run` with the query after the `items.query` hooks, its result
   * after the `items.read` hooks; without a hook, `run` with the query as given and its JSON text untouched.
   */
  private async hookedRead<T>(
    ctx: ItemsContext,
    collection: string,
    query: Query,
    shape: 'list' | 'one' | 'singleton',
    run: (query: Query) => Promise<ReadResult>,
  ): Promise<ItemsResult<T>> {
    if (!this.hooked(collection)) return result(await run(query));
    const q = await this.filterQuery(ctx, collection, query);
    return this.filterRead(ctx, collection, q, await run(q), shape);
  }

  /** The query after the collection's `items.query` filter hooks (the query itself when none applies). */
  private async filterQuery(ctx: ItemsContext, collection: string, query: Query): Promise<Query> {
    if (!this.readHooks(collection) || !this.bus.hasFilter('query', collection)) return query;
    return this.bus.filter('query', collection, query, ctx);
  }

  /**
   * The result after the collection's `items.read` filter hooks, which get and give the result rows as an array (one
   * element for a read of one item: none left → 403 for readOne, null for a singleton). Without a hook the statement's
   * JSON text is the result, never parsed.
   */
  private async filterRead<T>(
    ctx: ItemsContext,
    collection: string,
    query: Query,
    read: ReadResult,
    shape: 'list' | 'one' | 'singleton',
  ): Promise<ItemsResult<T>> {
    if (!this.hasReadHook(collection)) return result(read);
    const value: unknown = JSON.parse(read.data);
    const rows = shape === 'list' ? value : value === null ? [] : [value];
    const filtered = await this.bus.filter('read', collection, rows, ctx, undefined, query);
    if (shape === 'list') return new ItemsResult<T>(JSON.stringify(filtered ?? null), read.meta);
    const first: unknown = Array.isArray(filtered) ? filtered[0] : filtered;
    if (first === undefined || first === null) {
      if (shape === 'one') throw new ForbiddenError();
      return new ItemsResult<T>('null');
    }
    return new ItemsResult<T>(JSON.stringify(first));
  }

  private notSingleton(ctx: ItemsContext, collection: string, route: string): void {
    if (this.writable(ctx, collection).singleton) throw new RouteNotFoundError(route);
  }

  /**
   * The keys a query selects for update/delete by query: rows the caller can read AND may change (the action's item
   * filter is added), all of them unless the query pages.
   */
  private async keysOf(
    ctx: ItemsContext,
    collection: string,
    query: Query,
    action: 'update' | 'delete',
  ): Promise<PrimaryKey[]> {
    const c = this.reads.collection(ctx, collection);
    const filter = await this.access.scopeFilter(ctx.accountability, ctx.schema, collection, action, query.filter);
    const read = await this.reads.readByQuery(ctx, collection, {
      filter,
      search: query.search,
      sort: query.sort,
      limit: query.limit ?? -1,
      offset: query.offset,
      page: query.page,
      fields: [c.primaryKey],
    });
    return (JSON.parse(read.data) as Row[]).map((row) => row[c.primaryKey] as PrimaryKey);
  }

  /**
   * How a one-item write folds its re-read (the query's fields and deep, as this caller reads) into its statement. A
   * read that can't be built (a field that doesn't exist, say) is not folded: the write goes ahead alone and the
   * separate re-read answers as it always did (null for a forbidden read, as Directus's 204).
   */
  private readBack(ctx: ItemsContext, collection: string, query: Query): ReadBack {
    return async (write) => {
      try {
        return await this.reads.compileReadBack(ctx, collection, query, write);
      } catch {
        return null;
      }
    };
  }

  /** The written item as readOne returns it: the folded read when there was one, else a re-read. */
  private async readWritten(
    ctx: ItemsContext,
    collection: string,
    written: WrittenItem,
    query: Query,
  ): Promise<ItemsResult | null> {
    if (written.read !== null) return written.read === 'null' ? null : new ItemsResult(written.read);
    return this.reread(() => this.readOne(ctx, collection, written.key, query));
  }

  private async reread<T>(read: () => Promise<ItemsResult<T>>): Promise<ItemsResult<T> | null> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof ForbiddenError) return null;
      throw error;
    }
  }
}

function result<T>(read: ReadResult): ItemsResult<T> {
  return new ItemsResult<T>(read.data, read.meta);
}
