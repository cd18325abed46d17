/**
 * Field-level resolvers: they only read the JSON the root resolver returned (the items service's answer to the
 * query `selectionToQuery` built), never fetch anything. They shape REST's answer into the GraphQL one: aliased root
 * fields read their alias key, `<field>_func` objects gather the function output keys, M2A items get their
 * `__typename` from the junction's collection field, and aggregate rows get their `group`.
 */
import type { GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';
import { AGGREGATE_FUNCTIONS, jsonOutputKey } from '@lib/query';

type Path = GraphQLResolveInfo['path'];
type Row = Record<string, unknown>;

function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null;
}

/** Whether `path` is a field of a root item: `[rootField, (index,) field]`, the only level with Directus aliases. */
function isRootItemField(path: Path): boolean {
  let strings = 0;
  for (let p = path.prev; p; p = p.prev) if (typeof p.key === 'string' && ++strings > 1) return false;
  return strings === 1;
}

/**
 * The value of a collection field. Root-level aliases are Directus `alias` keys (spec 3), so an aliased field of a
 * root item reads its response key; every other field reads its own name.
 */
export const readField: GraphQLFieldResolver<unknown, unknown> = (source, _args, _context, info) => {
  if (!isRow(source)) return undefined;
  const key = info.path.key;
  if (key !== info.fieldName && typeof key === 'string' && Object.hasOwn(source, key) && isRootItemField(info.path)) {
    return source[key];
  }
  return source[info.fieldName];
};

/**
 * The any-to-one field of an M2A junction: the item, tagged with its collection (read from the junction's collection
 * field, which the query always selects) as `__typename`, which the union's resolveType reads. A target the caller
 * may not read, or a missing item, is null.
 */
export function m2aItemResolver(
  collectionField: string,
  targets: ReadonlySet<string>,
): GraphQLFieldResolver<unknown, unknown> {
  return (source, args, context, info) => {
    if (!isRow(source)) return null;
    const value = readField(source, args, context, info);
    const collection = source[collectionField];
    if (value === null || value === undefined || typeof collection !== 'string' || !targets.has(collection)) {
      return null;
    }
    return isRow(value) ? { ...value, __typename: collection } : { __typename: collection };
  };
}

export function unionTypeName(value: unknown): string | undefined {
  return isRow(value) && typeof value.__typename === 'string' ? value.__typename : undefined;
}

/** Function results arrive as numeric strings in REST (spec 15): GraphQL answers integers. */
function toInt(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const number = Math.trunc(Number(value));
  return Number.isNaN(number) ? null : number;
}

/** `<field>_func { year month }`: the row's `<field>_year`, `<field>_month` keys (spec 2.5 output names). */
export function functionsResolver(field: string, functions: readonly string[]): GraphQLFieldResolver<unknown, unknown> {
  return (source) => {
    if (!isRow(source)) return null;
    const out: Record<string, number | null> = {};
    for (const fn of functions) out[fn] = toInt(source[`${field}_${fn}`]);
    return out;
  };
}

/** What `json_functions.json(path)` reads: the row and the json field of its `<field>_func`. */
const JSON_SOURCE = Symbol('json_functions source');

interface JsonFunctionsSource {
  readonly [JSON_SOURCE]: { readonly row: Row; readonly field: string };
}

/**
 * `<json field>_func { count json(path: "a.b") }`: `count` as for every function field; the object also carries the
 * row, from which each `json(path)` reads its own key.
 */
export function jsonFunctionsResolver(field: string): GraphQLFieldResolver<unknown, unknown> {
  return (source) => {
    if (!isRow(source)) return null;
    const out: Record<string | symbol, unknown> = { count: toInt(source[`${field}_count`]) };
    Object.defineProperty(out, JSON_SOURCE, { value: { row: source, field } });
    return out;
  };
}

/**
 * `json(path: "a.b")`: the value REST's `json(<field>, a.b)` selected, read under Directus's output key
 * (`<field>_a_b_json`); the selection translation emits that call for every `json(path)` it finds.
 */
export const jsonPathResolver: GraphQLFieldResolver<unknown, unknown, { path?: unknown }> = (source, args) => {
  if (!isRow(source) || typeof args.path !== 'string') return null;
  const origin = (source as Partial<JsonFunctionsSource>)[JSON_SOURCE];
  if (!origin) return null;
  return origin.row[jsonOutputKey(jsonCallArgs(origin.field, args.path))] ?? null;
};

/** The arguments of the `json()` call a `json(path)` selection stands for (the output key is made from them). */
export function jsonCallArgs(field: string, path: string): string {
  return `${field}, ${path.trim()}`;
}

const AGGREGATE_KEYS: ReadonlySet<string> = new Set(AGGREGATE_FUNCTIONS);

/** `<c>_aggregated.group`: the row's group-by keys (everything that is not an aggregate), or null without groupBy. */
export const groupResolver: GraphQLFieldResolver<unknown, unknown> = (source) => {
  if (!isRow(source)) return null;
  const group = Object.fromEntries(Object.entries(source).filter(([key]) => !AGGREGATE_KEYS.has(key)));
  return Object.keys(group).length > 0 ? group : null;
};

/** Input values arrive as null-prototype objects from graphql-js: plain copies for the write path and the DSL. */
export function toPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toPlain);
  if (isRow(value) && !(value instanceof Date)) {
    const out: Row = {};
    for (const [key, inner] of Object.entries(value)) {
      Object.defineProperty(out, key, { value: toPlain(inner), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}
