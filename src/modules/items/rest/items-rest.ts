import type { Response } from 'express';
import type { ItemsContext } from '../../../core/context/items-context';
import { sendItemsResult } from '../../../core/http/send-envelope';
import { batchPayload, isObject, keyListPayload, searchPayload } from '../items-input';
import type { Item, ItemsService } from '../items.service';

/**
 * The REST translation shared by /items/:collection and the system routes (/users, /roles, ...): request bodies and
 * URL parameters into one typed ItemsService call, its result into Directus's envelope (the JSON text from PostgreSQL
 * spliced in, 204 when nothing can be read back).
 */
export class ItemsRest {
  constructor(private readonly items: ItemsService) {}

  // URL parameters are sanitized first (400), then the collection is checked (403), as Directus's global
  // sanitizeQuery middleware runs before its routes.

  async list(res: Response, ctx: ItemsContext, c: string, q: unknown): Promise<void> {
    sendItemsResult(res, await this.items.read(ctx, c, this.items.sanitize(ctx, q)));
  }

  /** SEARCH: body `query` replaces the URL query; `keys` reads those keys. */
  async search(res: Response, ctx: ItemsContext, c: string, q: unknown, body: unknown): Promise<void> {
    const urlQuery = this.items.sanitize(ctx, q);
    this.items.collection(ctx, c);
    const { query: raw, keys } = searchPayload(body);
    const query = raw !== undefined ? this.items.sanitize(ctx, raw) : urlQuery;
    sendItemsResult(res, keys ? await this.items.readMany(ctx, c, keys, query) : await this.items.read(ctx, c, query));
  }

  async readOne(res: Response, ctx: ItemsContext, c: string, id: string, q: unknown): Promise<void> {
    sendItemsResult(res, await this.items.readOne(ctx, c, id, this.items.sanitize(ctx, q)));
  }

  /** POST: an object or an array; re-read with the URL query. */
  async create(res: Response, ctx: ItemsContext, c: string, q: unknown, body: unknown): Promise<void> {
    const query = this.items.sanitize(ctx, q);
    sendItemsResult(
      res,
      Array.isArray(body)
        ? await this.items.createMany(ctx, c, body as Item[], query)
        : await this.items.createOne(ctx, c, body as Item, query),
    );
  }

  /**
   * PATCH: an array → batch; `{keys, data}`; `{query, data}`; a singleton upserts. Beyond Directus: with a `filter` in
   * the URL and a plain patch as body, the patch applies to every matching row.
   */
  async update(res: Response, ctx: ItemsContext, c: string, q: unknown, body: unknown): Promise<void> {
    const query = this.items.sanitize(ctx, q);
    if (this.items.collection(ctx, c).singleton) {
      sendItemsResult(res, await this.items.updateSingleton(ctx, c, body as Item, query));
      return;
    }
    if (Array.isArray(body)) {
      sendItemsResult(res, await this.items.updateBatch(ctx, c, body as Item[], query));
      return;
    }
    if (isObject(body) && !('keys' in body) && !('query' in body) && !('data' in body) && query.filter) {
      sendItemsResult(res, await this.items.updateByQuery(ctx, c, query, body, query));
      return;
    }
    const batch = batchPayload(body, 'update');
    sendItemsResult(
      res,
      batch.keys
        ? await this.items.updateMany(ctx, c, batch.keys, batch.data!, query)
        : await this.items.updateByQuery(ctx, c, this.items.sanitize(ctx, batch.query), batch.data!, query),
    );
  }

  /** PATCH /:id — 204 when the result can't be read. */
  async updateOne(res: Response, ctx: ItemsContext, c: string, id: string, q: unknown, body: unknown) {
    const query = this.items.sanitize(ctx, q);
    sendItemsResult(res, await this.items.updateOne(ctx, c, id, body as Item, query));
  }

  /** DELETE: a key array, `{keys}`, `{query}`, or (beyond Directus) a URL `filter` with no body. */
  async delete(ctx: ItemsContext, c: string, q: unknown, rawBody: unknown): Promise<void> {
    const query = this.items.sanitize(ctx, q);
    this.items.collection(ctx, c);
    // No body at all reads as `{}`, as express.json leaves it in Directus.
    const body = rawBody === undefined ? {} : rawBody;
    if (Array.isArray(body)) {
      await this.items.deleteMany(ctx, c, keyListPayload(body));
      return;
    }
    if (isObject(body) && Object.keys(body).length === 0 && query.filter) {
      await this.items.deleteByQuery(ctx, c, query);
      return;
    }
    const batch = batchPayload(body, 'delete');
    if (batch.keys) await this.items.deleteMany(ctx, c, batch.keys);
    else await this.items.deleteByQuery(ctx, c, this.items.sanitize(ctx, batch.query));
  }

  /** DELETE /:id — beyond Directus, `1,2,3` deletes those keys (integer and uuid keys only). */
  async deleteOne(ctx: ItemsContext, c: string, id: string): Promise<void> {
    const collection = this.items.collection(ctx, c);
    const pkType = collection.fields[collection.primaryKey].type;
    const keys =
      id.includes(',') && pkType !== 'string' && pkType !== 'text' ? id.split(',').map((k) => k.trim()) : [id];
    await this.items.deleteMany(ctx, c, keys);
  }
}
