import { InvalidQueryError } from '@lib/errors';
import { checkRelationalDepth } from './depth';
import { parseFunctionCall } from './functions';
import { isPlainObject, parseFilter } from './parse-filter';
import { splitList } from './split';
import { checkNesting } from './nesting';
import {
  AGGREGATE_FUNCTIONS,
  META_KINDS,
  type AggregateFunction,
  type Deep,
  type DeepEntry,
  type MetaKind,
  type Query,
  type QueryContext,
  type QueryLimits,
  type SubQuery,
} from './types';

const DEEP_KEYS = ['_filter', '_sort', '_limit', '_offset', '_page', '_search'] as const;

/**
 * Turns `req.query` (parsed by qs) or a SEARCH body's `query` object into a validated {@link Query} (spec 1.6).
 * Unknown parameters are ignored; every malformed one throws INVALID_QUERY. Defaults (limit, sort, fields) are
 * applied later, when the AST is built.
 */
export function sanitizeQuery(raw: unknown, ctx: QueryContext, limits: QueryLimits): Query {
  if (raw === undefined || raw === null) return {};
  if (!isPlainObject(raw)) throw new InvalidQueryError('"query" must be of type object');
  checkNesting(raw);
  const query: Query = sanitizeSubQuery(raw, ctx, limits, '');
  // An object is no list of fields (qs makes `fields[101]=id` past QUERYSTRING_ARRAY_LIMIT one keyed by index):
  // Directus's sanitizeFields reads it as none, so the default fields apply (blackbox field-selection.test.ts).
  if (has(raw, 'fields') && !isPlainObject(raw.fields)) query.fields = sanitizeList(raw.fields, 'fields');
  if (has(raw, 'meta')) query.meta = sanitizeMeta(raw.meta);
  if (has(raw, 'deep')) query.deep = sanitizeDeep(parseJsonObject(raw.deep, 'deep'), ctx, limits);
  if (has(raw, 'alias')) query.alias = sanitizeAlias(parseJsonObject(raw.alias, 'alias'));
  if (has(raw, 'aggregate')) query.aggregate = sanitizeAggregate(parseJsonObject(raw.aggregate, 'aggregate'));
  if (has(raw, 'groupBy')) query.group = sanitizeList(raw.groupBy, 'groupBy');
  if (has(raw, 'backlink')) query.backlink = raw.backlink !== false && raw.backlink !== 'false';
  checkRelationalDepth(query, limits.maxRelationalDepth);
  return query;
}

function has(raw: Record<string, unknown>, key: string): boolean {
  return Object.hasOwn(raw, key) && raw[key] !== undefined;
}

/** The parameters shared by the root query and `deep` levels; `prefix` is `_` inside deep. */
function sanitizeSubQuery(raw: Record<string, unknown>, ctx: QueryContext, limits: QueryLimits, prefix: string) {
  const query: SubQuery = {};
  const key = (name: string) => `${prefix}${name}`;
  if (has(raw, key('filter'))) query.filter = parseFilter(raw[key('filter')], ctx);
  if (has(raw, key('sort'))) query.sort = sanitizeList(raw[key('sort')], key('sort'));
  if (has(raw, key('limit'))) query.limit = sanitizeLimit(raw[key('limit')], key('limit'), limits.maxLimit);
  if (has(raw, key('offset'))) query.offset = sanitizeInteger(raw[key('offset')], key('offset'), 0);
  if (has(raw, key('page'))) query.page = sanitizeInteger(raw[key('page')], key('page'), 1);
  if (has(raw, key('search'))) {
    const search = sanitizeSearch(raw[key('search')], key('search'));
    if (search !== '') query.search = search;
  }
  return query;
}

/** `fields`, `sort`, `groupBy`: comma strings (parenthesis-aware) or arrays of them. */
function sanitizeList(value: unknown, param: string): string[] {
  const items = Array.isArray(value) ? value : [value];
  return items.flatMap((item, index) => {
    if (typeof item !== 'string') {
      throw new InvalidQueryError(
        Array.isArray(value) ? `"${param}[${index}]" must be a string` : `"${param}" must be a string or an array`,
      );
    }
    return splitList(item, param);
  });
}

function toNumber(value: unknown, param: string): number {
  const number = typeof value === 'string' || typeof value === 'number' ? Number(value) : NaN;
  if (Number.isNaN(number)) throw new InvalidQueryError(`"${param}" must be a number`);
  if (!Number.isInteger(number)) throw new InvalidQueryError(`"${param}" must be an integer`);
  if (!Number.isSafeInteger(number)) throw new InvalidQueryError(`"${param}" must be a safe number`);
  return number;
}

function sanitizeInteger(value: unknown, param: string, min: number): number {
  const number = toNumber(value, param);
  if (number < min) throw new InvalidQueryError(`"${param}" must be greater than or equal to ${min}`);
  return number;
}

/** Integer ≥ -1 (-1: no limit). With QUERY_LIMIT_MAX set, -1 means the max and more than the max is an error. */
function sanitizeLimit(value: unknown, param: string, maxLimit: number | null): number {
  const limit = sanitizeInteger(value, param, -1);
  if (maxLimit === null) return limit;
  if (limit === -1) return maxLimit;
  if (limit > maxLimit) throw new InvalidQueryError(`"${param}" must be less than or equal to ${maxLimit}`);
  return limit;
}

function sanitizeSearch(value: unknown, param: string): string {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') throw new InvalidQueryError(`"${param}" must be a string`);
  if (value.includes('\0')) throw new InvalidQueryError(`"${param}" can't contain the NUL character`);
  return value.trim();
}

function sanitizeMeta(value: unknown): MetaKind[] {
  if (value === '*') return [...META_KINDS];
  const items = sanitizeList(value, 'meta');
  const kinds = items.map((item, index) => {
    if (item === '*') return [...META_KINDS];
    if (!(META_KINDS as readonly string[]).includes(item)) {
      throw new InvalidQueryError(`"meta[${index}]" must be one of [${META_KINDS.join(', ')}]`);
    }
    return [item as MetaKind];
  });
  return [...new Set(kinds.flat())];
}

function parseJsonObject(value: unknown, param: string): Record<string, unknown> {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new InvalidQueryError(`Invalid JSON for ${param} object`);
    }
  }
  if (!isPlainObject(parsed)) throw new InvalidQueryError(`"${param}" must be of type object`);
  return parsed;
}

function sanitizeDeep(raw: Record<string, unknown>, ctx: QueryContext, limits: QueryLimits): Deep {
  return Object.fromEntries(
    Object.entries(raw).map(([key, value]) => {
      if (key.startsWith('_')) throw new InvalidQueryError(`"deep" contains an unknown key "${key}"`);
      return [key, sanitizeDeepEntry(parseJsonObject(value, 'deep'), ctx, limits)];
    }),
  );
}

function sanitizeDeepEntry(raw: Record<string, unknown>, ctx: QueryContext, limits: QueryLimits): DeepEntry {
  const nested: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!key.startsWith('_')) Object.defineProperty(nested, key, { value, enumerable: true });
    else if (!(DEEP_KEYS as readonly string[]).includes(key)) {
      throw new InvalidQueryError(`"deep" contains an unknown key "${key}"`);
    }
  }
  return { query: sanitizeSubQuery(raw, ctx, limits, '_'), deep: sanitizeDeep(nested, ctx, limits) };
}

/** `{newKey: "field"}`: neither may contain a dot (spec 1.6), except inside a `json(field, a.b)` value. */
function sanitizeAlias(raw: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(raw).map(([key, value]) => {
      if (typeof value !== 'string' || value.trim() === '')
        throw new InvalidQueryError(`Alias "${key}" must be a field name`);
      if (key.includes('.')) throw new InvalidQueryError(`Alias key "${key}" can't contain "."`);
      if (value.trim().startsWith('json(')) parseFunctionCall(value);
      else if (value.includes('.')) throw new InvalidQueryError(`Alias value "${value}" can't contain "."`);
      return [key, value.trim()];
    }),
  );
}

function sanitizeAggregate(raw: Record<string, unknown>): Partial<Record<AggregateFunction, string[]>> {
  const entries = Object.entries(raw).map(([fn, value]) => {
    if (!(AGGREGATE_FUNCTIONS as readonly string[]).includes(fn)) {
      throw new InvalidQueryError(`Unknown aggregate function "${fn}"`);
    }
    const fields = fn === 'countAll' ? ['*'] : sanitizeList(value, `aggregate[${fn}]`);
    if (fields.length === 0) throw new InvalidQueryError(`"aggregate[${fn}]" must name at least one field`);
    return [fn, fields];
  });
  return Object.fromEntries(entries) as Partial<Record<AggregateFunction, string[]>>;
}
