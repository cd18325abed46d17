import { parse } from 'qs';

export interface QueryStringLimits {
  /** QUERYSTRING_MAX_PARSE_DEPTH: how deep bracket nesting goes (Directus's default 10). */
  readonly depth: number;
  /** QUERYSTRING_ARRAY_LIMIT: the most elements an array may have (Directus's default 500). */
  readonly arrayLimit: number;
}

/**
 * Parses a query string as Directus 12 does (qs 6.16 with its QUERYSTRING_* settings): `arrayLimit` is the most
 * elements an array may have — an array that would have more (by `a[]=`, repeated keys or indexes) is an object
 * keyed by index instead, and an index at or past the limit makes its array an object too. The qs Tessera ships
 * (6.14) reads the limit as the highest index and doesn't apply it to `a[]=` or repeated keys, hence the
 * `arrayLimit - 1` and the walk over the result.
 */
export function parseQueryString(query: string, limits: QueryStringLimits): Record<string, unknown> {
  const parsed = parse(query, { depth: limits.depth, arrayLimit: limits.arrayLimit - 1 });
  return capArrays(parsed, limits.arrayLimit) as Record<string, unknown>;
}

function capArrays(value: unknown, limit: number): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => capArrays(v, limit));
    return items.length > limit ? Object.fromEntries(items.map((v, i) => [String(i), v])) : items;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, v] of Object.entries(value)) (value as Record<string, unknown>)[key] = capArrays(v, limit);
  }
  return value;
}
