import { Injectable } from '@nestjs/common';
import { ForbiddenError, InvalidPayloadError, RouteNotFoundError } from '@lib/errors';
import type { Query } from '@lib/query';
import type { Accountability } from '../../core/context/accountability';
import type { PrimaryKey } from '../../core/events/items-events';
import { SchemaRegistry } from '../schema/schema-registry.service';
import { ItemsAccess } from './items-access.service';
import { ItemsReadService, type ReadResult } from './items-read.service';
import { ItemsWriteService, type ReadBack, type WrittenItem } from './items-write.service';
import type { Row } from './payload-caster';

/** What a transport sends back: a data envelope, or nothing (204). */
export type ItemsResponse = ReadResult | null;

function isObject(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The one domain façade for items. REST controllers, GraphQL resolvers and WebSocket handlers call these methods
 * with already-parsed input and an accountability; Directus's request semantics (re-read after write, 204 when the
 * result can't be read, singleton rules, batch body shapes) live here, not in the adapters.
 */
@Injectable()
export class ItemsService {
  constructor(
    private readonly reads: ItemsReadService,
    private readonly writes: ItemsWriteService,
    private readonly access: ItemsAccess,
    private readonly registry: SchemaRegistry,
  ) {}

  sanitize(raw: unknown, accountability: Accountability): Query {
    return this.reads.sanitize(raw, accountability);
  }

  /** GET /items/:c — a list, or the singleton object. */
  async list(collection: string, query: Query, accountability: Accountability): Promise<ReadResult> {
    const c = this.reads.collection(collection);
    return c.singleton
      ? this.reads.readSingleton(collection, query, accountability)
      : this.reads.readByQuery(collection, query, accountability);
  }

  /** SEARCH /items/:c — body `query` replaces the URL query; `keys` reads those keys. */
  async search(
    collection: string,
    body: unknown,
    urlQuery: Query,
    accountability: Accountability,
  ): Promise<ReadResult> {
    if (body !== undefined && body !== null && !isObject(body))
      throw new InvalidPayloadError('"value" must be of type object');
    const { query: rawQuery, keys } = (body ?? {}) as { query?: unknown; keys?: unknown };
    if (keys !== undefined && !isKeyList(keys)) throw new InvalidPayloadError('"keys" must be an array of keys');
    if (rawQuery !== undefined && !isObject(rawQuery)) throw new InvalidPayloadError('"query" must be of type object');
    const query = rawQuery !== undefined ? this.sanitize(rawQuery, accountability) : urlQuery;
    if (keys) return this.reads.readMany(collection, keys, query, accountability);
    return this.list(collection, query, accountability);
  }

  async readOne(collection: string, id: string, query: Query, accountability: Accountability): Promise<ReadResult> {
    return this.reads.readOne(collection, id, query, accountability);
  }

  /** POST /items/:c — object or array; re-read with the URL query. */
  async create(
    collection: string,
    body: unknown,
    query: Query,
    accountability: Accountability,
  ): Promise<ItemsResponse> {
    const c = this.reads.collection(collection);
    if (c.singleton) throw new RouteNotFoundError(`/${collection}`);
    if (Array.isArray(body)) {
      const keys = await this.writes.create(collection, body as Row[], accountability);
      return this.reread(() => this.reads.readMany(collection, keys, query, accountability));
    }
    if (!isObject(body)) throw new InvalidPayloadError('"value" must be of type object');
    const written = await this.writes.createOne(
      collection,
      body,
      accountability,
      this.readBack(collection, query, accountability),
    );
    return this.readWritten(collection, written, query, accountability);
  }

  /**
   * PATCH /items/:c — array → batch; `{keys, data}`; `{query, data}`; a singleton upserts. Beyond Directus: with a
   * `filter` in the URL and a plain patch as body, the patch applies to every matching row.
   */
  async update(
    collection: string,
    body: unknown,
    query: Query,
    accountability: Accountability,
  ): Promise<ItemsResponse> {
    const c = this.reads.collection(collection);
    if (c.singleton) {
      if (!isObject(body)) throw new InvalidPayloadError('"value" must be of type object');
      await this.writes.upsertSingleton(collection, body, accountability);
      return this.reread(() => this.reads.readSingleton(collection, query, accountability));
    }
    let keys: PrimaryKey[];
    if (Array.isArray(body)) {
      keys = await this.writes.updateBatch(collection, body as Row[], accountability);
    } else if (isObject(body) && !('keys' in body) && !('query' in body) && !('data' in body) && query.filter) {
      keys = await this.writes.updateByKeysOf(
        collection,
        () => this.keysOf(collection, query, accountability, 'update'),
        body,
        accountability,
      );
    } else {
      const batch = validateBatch(body, 'update');
      keys = batch.keys
        ? await this.writes.updateMany(collection, batch.keys, batch.data!, accountability)
        : await this.writes.updateByKeysOf(
            collection,
            () => this.keysOf(collection, this.sanitize(batch.query, accountability), accountability, 'update'),
            batch.data!,
            accountability,
          );
    }
    return this.reread(() => this.reads.readMany(collection, keys, query, accountability));
  }

  /** PATCH /items/:c/:id — 204 when the result can't be read, including an admin patching a missing id. */
  async updateOne(
    collection: string,
    id: string,
    body: unknown,
    query: Query,
    accountability: Accountability,
  ): Promise<ItemsResponse> {
    const c = this.reads.collection(collection);
    if (c.singleton) throw new RouteNotFoundError(`/${collection}/${id}`);
    if (!isObject(body)) throw new InvalidPayloadError('"value" must be of type object');
    const written = await this.writes.updateOne(
      collection,
      id,
      body,
      accountability,
      this.readBack(collection, query, accountability),
    );
    return this.readWritten(collection, written, query, accountability);
  }

  /** DELETE /items/:c — key array, `{keys}`, `{query}`, or (beyond Directus) a URL `filter`. */
  async delete(collection: string, rawBody: unknown, query: Query, accountability: Accountability): Promise<void> {
    this.reads.collection(collection);
    // No body at all reads as `{}`, as express.json leaves it in Directus.
    const body = rawBody === undefined ? {} : rawBody;
    if (Array.isArray(body)) {
      if (!isKeyList(body)) throw new InvalidPayloadError('"value" must be an array of keys');
      await this.writes.deleteMany(collection, body, accountability);
      return;
    }
    if (isObject(body) && Object.keys(body).length === 0 && query.filter) {
      await this.writes.deleteByKeysOf(
        collection,
        () => this.keysOf(collection, query, accountability, 'delete'),
        accountability,
      );
      return;
    }
    const batch = validateBatch(body, 'delete');
    if (batch.keys) await this.writes.deleteMany(collection, batch.keys, accountability);
    else {
      const q = this.sanitize(batch.query, accountability);
      await this.writes.deleteByKeysOf(
        collection,
        () => this.keysOf(collection, q, accountability, 'delete'),
        accountability,
      );
    }
  }

  /** DELETE /items/:c/:id — beyond Directus, `1,2,3` deletes those keys (integer and uuid keys only). */
  async deleteOne(collection: string, id: string, accountability: Accountability): Promise<void> {
    const c = this.reads.collection(collection);
    const pkType = c.fields[c.primaryKey].type;
    const keys =
      id.includes(',') && pkType !== 'string' && pkType !== 'text' ? id.split(',').map((k) => k.trim()) : [id];
    await this.writes.deleteMany(collection, keys, accountability);
  }

  /** The keys a query selects (all matching rows, no limit), for update/delete by query. */
  /**
   * The keys a query selects for update/delete by query: rows the caller can read AND may change (the action's item
   * filter is added), all of them unless the query pages.
   */
  private async keysOf(
    collection: string,
    query: Query,
    accountability: Accountability,
    action: 'update' | 'delete',
  ): Promise<PrimaryKey[]> {
    const c = this.reads.collection(collection);
    const filter = await this.access.scopeFilter(
      accountability,
      this.registry.snapshot,
      collection,
      action,
      query.filter,
    );
    const result = await this.reads.readByQuery(
      collection,
      {
        filter,
        search: query.search,
        sort: query.sort,
        limit: query.limit ?? -1,
        offset: query.offset,
        page: query.page,
        fields: [c.primaryKey],
      },
      accountability,
    );
    return (JSON.parse(result.data) as Row[]).map((row) => row[c.primaryKey] as PrimaryKey);
  }

  /**
   * How a one-item write folds its re-read (the URL's fields and deep, as this caller reads) into its statement. A
   * read that can't be built (a field that doesn't exist, say) is not folded: the write goes ahead alone and the
   * separate re-read answers as it always did (204 for a forbidden read, as Directus).
   */
  private readBack(collection: string, query: Query, accountability: Accountability): ReadBack {
    return async (write) => {
      try {
        return await this.reads.compileReadBack(collection, query, accountability, write);
      } catch {
        return null;
      }
    };
  }

  /** The written item as readOne returns it: the folded read when there was one, else a re-read. */
  private async readWritten(
    collection: string,
    written: WrittenItem,
    query: Query,
    accountability: Accountability,
  ): Promise<ItemsResponse> {
    if (written.read !== null) return written.read === 'null' ? null : { data: written.read };
    return this.reread(() => this.reads.readOne(collection, written.key, query, accountability));
  }

  private async reread(read: () => Promise<ReadResult>): Promise<ItemsResponse> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof ForbiddenError) return null;
      throw error;
    }
  }
}

function isKeyList(value: unknown): value is PrimaryKey[] {
  return Array.isArray(value) && value.every((k) => typeof k === 'string' || typeof k === 'number');
}

/**
 * validateBatch (spec 1.1, reasons as 12.4.1 sends them). Joi's order: each known key (keys, query, data), then
 * unknown keys, then the `xor` between query and keys.
 */
function validateBatch(body: unknown, scope: 'update' | 'delete'): { keys?: PrimaryKey[]; query?: Row; data?: Row } {
  if (!isObject(body)) throw new InvalidPayloadError('"value" must be of type object');
  const hasKeys = body.keys !== undefined;
  const hasQuery = body.query !== undefined;
  if (hasKeys && !isKeyList(body.keys)) throw new InvalidPayloadError('"keys" must be an array');
  if (hasQuery && !isObject(body.query)) throw new InvalidPayloadError('"query" must be of type object');
  if (scope === 'update') {
    if (body.data === undefined) throw new InvalidPayloadError('"data" is required');
    if (!isObject(body.data)) throw new InvalidPayloadError('"data" must be of type object');
  }
  const allowed = scope === 'update' ? ['keys', 'query', 'data'] : ['keys', 'query'];
  const unknown = Object.keys(body).find((key) => !allowed.includes(key));
  if (unknown !== undefined) throw new InvalidPayloadError(`"${unknown}" is not allowed`);
  if (hasKeys && hasQuery)
    throw new InvalidPayloadError('"value" contains a conflict between exclusive peers [query, keys]');
  if (!hasKeys && !hasQuery) throw new InvalidPayloadError('"value" must contain at least one of [query, keys]');
  return {
    keys: body.keys as PrimaryKey[] | undefined,
    query: body.query as Row | undefined,
    data: body.data as Row | undefined,
  };
}
