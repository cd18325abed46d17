import type { SchemaSnapshot } from '@lib/schema';

/** Entries kept per schema snapshot; the oldest is dropped first. */
const CAPACITY = 1000;
/** Longer shapes (a filter with thousands of values, say) are compiled each time rather than kept. */
const MAX_KEY_LENGTH = 4096;

/**
 * Compiled statements by query shape, so that a repeated request skips sanitize → AST → SQL (about a tenth of the
 * server's CPU for a read by id). Entries belong to the schema snapshot they were compiled against: a schema change
 * publishes a new snapshot, and the old entries go with the old snapshot.
 *
 * Only for callers whose statement depends on nothing but the query and the schema (admins: no permission filters,
 * no field cases, no dynamic variables). The key must then name the whole query: see {@link shapeKey}.
 */
export class StatementCache<T> {
  private readonly bySchema = new WeakMap<SchemaSnapshot, Map<string, T>>();

  get(schema: SchemaSnapshot, key: string): T | undefined {
    return this.bySchema.get(schema)?.get(key);
  }

  set(schema: SchemaSnapshot, key: string, value: T): void {
    let entries = this.bySchema.get(schema);
    if (!entries) this.bySchema.set(schema, (entries = new Map()));
    if (entries.size >= CAPACITY) entries.delete(entries.keys().next().value!);
    entries.set(key, value);
  }
}

/**
 * The cache key of a sanitized query: its JSON after the given prefix parts. Null (don't cache) when the query holds
 * a value that JSON can't tell from another — a Date (`$NOW`, resolved per request) reads as its ISO string, NaN as
 * null — or when
 * the key is too long to be worth keeping.
 */
export function shapeKey(parts: readonly string[], query: object): string | null {
  let plain = true;
  const json = JSON.stringify(query, function (this: Record<string, unknown>, key: string, value: unknown) {
    const original = this[key];
    if (original !== null && typeof original === 'object' && !Array.isArray(original)) {
      const proto = Object.getPrototypeOf(original) as unknown;
      if (proto !== Object.prototype && proto !== null) plain = false;
    } else if (
      typeof original === 'bigint' ||
      typeof original === 'function' ||
      typeof original === 'symbol' ||
      (typeof original === 'number' && !Number.isFinite(original)) // NaN and Infinity read as null
    ) {
      plain = false;
    }
    return plain ? value : undefined;
  });
  if (!plain) return null;
  const key = `${parts.join('\u0000')}\u0000${json}`;
  return key.length <= MAX_KEY_LENGTH ? key : null;
}
