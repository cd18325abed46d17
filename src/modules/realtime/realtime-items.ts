import { Injectable } from '@nestjs/common';
import { InvalidPayloadError } from '@lib/errors';
import type { Query } from '@lib/query';
import type { ItemsContext } from '../../core/context/items-context';
import type { PrimaryKey } from '../../core/events/items-events';
import { isKeyList, isObject } from '../items/items-input';
import type { ItemsResult } from '../items/items-result';
import { ItemsService, type Item } from '../items/items.service';
import { INVALID_COLLECTION_MESSAGE, RealtimeError, type Message } from './realtime-messages';

export interface ItemsReply {
  data: unknown;
  meta?: unknown;
}

const ACTIONS = ['create', 'read', 'update', 'delete'] as const;
type Action = (typeof ACTIONS)[number];

/**
 * `type: "items"` messages (spec 10, seeds "WebSockets Operations"): one ItemsService call per message with the
 * connection's ItemsContext, exactly as REST makes it; this class only checks the message's shape and picks the
 * method. Measured 12.4.1 details (spec 15): an `update` with a single `id` answers every readable field whatever the
 * query; a single-`id` delete answers the id itself.
 */
@Injectable()
export class RealtimeItems {
  constructor(private readonly items: ItemsService) {}

  async handle(ctx: ItemsContext, message: Message): Promise<ItemsReply> {
    const { collection, action } = message;
    if (typeof collection !== 'string' || collection === '') {
      throw new InvalidPayloadError('"collection" is required');
    }
    if (typeof action !== 'string' || !ACTIONS.includes(action as Action)) {
      throw new InvalidPayloadError(`"action" must be one of [${ACTIONS.join(', ')}]`);
    }
    if (collection.startsWith('directus_')) throw new RealtimeError('INVALID_COLLECTION', INVALID_COLLECTION_MESSAGE);
    const id = key(message.id, 'id');
    const ids = message.ids === undefined ? undefined : keys(message.ids);
    if (message.query !== undefined && !isObject(message.query)) {
      throw new InvalidPayloadError('"query" must be of type object');
    }
    const query: Query = this.items.sanitize(ctx, message.query ?? {});
    const c = this.items.collection(ctx, collection);
    const data = message.data;

    switch (action as Action) {
      case 'create': {
        if (Array.isArray(data)) return reply(await this.items.createMany(ctx, collection, data as Item[], query));
        if (!isObject(data)) throw new InvalidPayloadError('"data" must be an object or an array of objects');
        return reply(await this.items.createOne(ctx, collection, data, query));
      }
      case 'read': {
        if (id !== undefined) return reply(await this.items.readOne(ctx, collection, id, query));
        if (ids !== undefined) return reply(await this.items.readMany(ctx, collection, ids, query));
        return reply(await this.items.read(ctx, collection, query));
      }
      case 'update': {
        if (Array.isArray(data)) return reply(await this.items.updateBatch(ctx, collection, data as Item[], query));
        if (!isObject(data)) throw new InvalidPayloadError('"data" must be an object or an array of objects');
        if (c.singleton) return reply(await this.items.updateSingleton(ctx, collection, data, query));
        if (id !== undefined) return reply(await this.items.updateOne(ctx, collection, id, data, {}));
        if (ids !== undefined) return reply(await this.items.updateMany(ctx, collection, ids, data, query));
        if (message.query !== undefined) {
          return reply(await this.items.updateByQuery(ctx, collection, query, data, query));
        }
        throw new RealtimeError('INVALID_PAYLOAD', "Either 'ids', 'id' or 'query' is required for a UPDATE request.");
      }
      case 'delete': {
        if (id !== undefined) {
          await this.items.deleteOne(ctx, collection, id);
          return { data: id };
        }
        if (ids !== undefined) {
          await this.items.deleteMany(ctx, collection, ids);
          return { data: ids };
        }
        if (message.query !== undefined) return { data: await this.items.deleteByQuery(ctx, collection, query) };
        throw new RealtimeError('INVALID_PAYLOAD', "Either 'ids', 'id' or 'query' is required for a DELETE request.");
      }
    }
  }
}

function reply(result: ItemsResult | null): ItemsReply {
  if (result === null) return { data: null };
  return result.meta ? { data: result.data, meta: result.meta } : { data: result.data };
}

function key(value: unknown, name: string): PrimaryKey | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'number') return value;
  throw new InvalidPayloadError(`"${name}" must be a string or a number`);
}

function keys(value: unknown): PrimaryKey[] {
  if (!isKeyList(value)) throw new InvalidPayloadError('"ids" must be an array of keys');
  return value;
}
