import { InvalidPayloadError } from '@lib/errors';
import type { PrimaryKey } from '../../core/events/items-events';
import type { Row } from './payload-caster';

/**
 * Untyped request payloads (a REST body, a WebSocket message's `data`/`ids`/`query`) checked into the typed inputs
 * of ItemsService, with Directus's error reasons. Transports share these; the domain never sees raw bodies.
 */

export function isObject(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isKeyList(value: unknown): value is PrimaryKey[] {
  return Array.isArray(value) && value.every((k) => typeof k === 'string' || typeof k === 'number');
}

export function objectPayload(value: unknown): Row {
  if (!isObject(value)) throw new InvalidPayloadError('"value" must be of type object');
  return value;
}

/** A SEARCH body: `{query?, keys?}` (spec 1.1). */
export function searchPayload(body: unknown): { query?: Row; keys?: PrimaryKey[] } {
  if (body !== undefined && body !== null && !isObject(body))
    throw new InvalidPayloadError('"value" must be of type object');
  const { query, keys } = (body ?? {}) as { query?: unknown; keys?: unknown };
  if (keys !== undefined && !isKeyList(keys)) throw new InvalidPayloadError('"keys" must be an array of keys');
  if (query !== undefined && !isObject(query)) throw new InvalidPayloadError('"query" must be of type object');
  return { query, keys };
}

/** `{keys}` / `{query}` (+ `data` for updates), as Directus validates a batch body. */
export interface BatchPayload {
  keys?: PrimaryKey[];
  query?: Row;
  data?: Row;
}

/**
 * validateBatch (spec 1.1, reasons as 12.4.1 sends them). Joi's order: each known key (keys, query, data), then
 * unknown keys, then the `xor` between query and keys.
 */
export function batchPayload(body: unknown, scope: 'update' | 'delete'): BatchPayload {
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

/** An array body of keys (DELETE), Directus's reason when it isn't one. */
export function keyListPayload(body: unknown[]): PrimaryKey[] {
  if (!isKeyList(body)) throw new InvalidPayloadError('"value" must be an array of keys');
  return body;
}
