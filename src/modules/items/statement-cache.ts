/** Entries kept per scope; the oldest is dropped first. */
const CAPACITY = 1000;
/** Longer shapes (a filter with thousands of values, say) are compiled each time rather than kept. */
const MAX_KEY_LENGTH = 4096;

/**
 * Compiled statements by query shape, so that a repeated request skips the AST and SQL building (about a tenth of
 * the server's CPU for a read by id). Entries belong to a scope object — whatever besides the query the statement
 * was compiled from: the schema snapshot for admins, the caller's read view for others — and go with it when it is
 * replaced (a schema change publishes a new snapshot; an access change, new views).
 *
 * The key must name the whole query: see {@link shapeKey}.
 */
export class StatementCache<T> {
  private readonly byScope = new WeakMap<object, Map<string, T>>();

  get(scope: object, key: string): T | undefined {
    return this.byScope.get(scope)?.get(key);
  }

  set(scope: object, key: string, value: T): void {
    let entries = this.byScope.get(scope);
    if (!entries) this.byScope.set(scope, (entries = new Map()));
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
