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
 * null, an undefined array element as null — or when the key is too long to be worth keeping.
 */
export function shapeKey(parts: readonly string[], query: object): string | null {
  if (!isPlain(query)) return null;
  const key = `${parts.join('\u0000')}\u0000${JSON.stringify(query)}`;
  return key.length <= MAX_KEY_LENGTH ? key : null;
}

/**
 * Whether JSON names this value exactly: plain objects and arrays of strings, finite numbers, booleans and null. An
 * undefined property is fine (JSON leaves it out, and a sanitized query means the same without it). Checked apart
 * from the native JSON.stringify: a replacer doing the same costs a call per value, about twice the time in all.
 */
function isPlain(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (const item of value) if (item === undefined || !isPlain(item)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return false;
      for (const name in value) if (!isPlain((value as Record<string, unknown>)[name])) return false;
      return true;
    }
    default:
      return false; // bigint, function, symbol
  }
}
