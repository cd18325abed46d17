/** Entries kept in all, across scopes (a few MiB of statement text); the oldest is dropped first. */
const CAPACITY = 2000;
/** Longer shapes (a filter with thousands of values, say) are compiled each time rather than kept. */
const MAX_KEY_LENGTH = 4096;

/**
 * Compiled statements by query shape, so that a repeated request skips the AST and SQL building (about a tenth of
 * the server's CPU for a read by id). Entries belong to a scope object — whatever besides the query the statement
 * was compiled from: the schema snapshot for admins, the caller's read view for others. A replaced scope (a schema
 * change publishes a new snapshot; an access change, new views) is never asked for again, and its entries age out.
 *
 * One bound for all scopes together: however many callers and shapes there are, the cache holds CAPACITY entries.
 * The key must name the whole query: see {@link shapeKey}.
 */
export class StatementCache<T> {
  private readonly scopes = new WeakMap<object, number>();
  private nextScope = 0;
  private readonly entries = new Map<string, T>();

  constructor(private readonly capacity = CAPACITY) {}

  get(scope: object, key: string): T | undefined {
    const id = this.scopes.get(scope);
    return id === undefined ? undefined : this.entries.get(`${id}\u0000${key}`);
  }

  set(scope: object, key: string, value: T): void {
    let id = this.scopes.get(scope);
    if (id === undefined) this.scopes.set(scope, (id = this.nextScope++));
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(`${id}\u0000${key}`, value);
  }
}

/**
 * The cache key of a sanitized query: its JSON after the given prefix parts. Null (don't cache) when the query holds
 * a value that JSON can't tell from another — a Date (`$NOW`, resolved per request) reads as its ISO string, NaN as
 * null — or when the key is too long to be worth keeping.
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
