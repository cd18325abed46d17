import { ForbiddenError, InvalidQueryError } from '@lib/errors';
import type { CollectionSnapshot, RelationSnapshot, SchemaSnapshot } from '@lib/schema';
import type { A2oRelation, Level, LevelQuery, SelectNode, SortNode } from './ast';
import { buildFilter, splitScope } from './build-filter';
import { buildSort } from './build-sort';
import { functionOutputKey, isFunctionCall, parseFunctionCall } from './functions';
import { functionOperand } from './operands';
import { hiddenRelationOf, joinPath, lookup, relationOf, requireCollection, requireField } from './schema-lookup';
import { buildSearch } from './search';
import type { Deep, DeepEntry, QueryLimits, SubQuery } from './types';
import { expandWildcards } from './wildcards';

/** How a level is reached: it decides the default sort and whether limit/offset apply. */
export type LevelKind =
  | { kind: 'root' }
  | { kind: 'o2m'; relation: RelationSnapshot; sortField: string | null }
  | { kind: 'm2o' | 'a2o'; relation: RelationSnapshot };

export interface LevelInput {
  collection: CollectionSnapshot;
  fields: readonly string[];
  query: SubQuery;
  deep: Deep;
  /** Root-level `alias` (nested levels have none). */
  alias: Readonly<Record<string, string>>;
  reachedBy: LevelKind;
  path: string | undefined;
}

export interface BuildContext {
  schema: SchemaSnapshot;
  limits: QueryLimits;
  backlink: boolean;
}

/** One output key's request before it is resolved: a field, or a relation with nested field lists. */
type Request =
  | { kind: 'plain'; name: string }
  | {
      kind: 'nested';
      name: string;
      fields: string[];
      scopes: Map<string, string[]> | null;
      /** The same key was also asked for as a plain field (`*,author.*`): it reads as the raw key if the nest can't. */
      plain: boolean;
    };

export function buildLevel(ctx: BuildContext, input: LevelInput): Level {
  const { collection } = input;
  checkDeepKeys(ctx, input);
  const requests = collectRequests(ctx, input);
  const selection = [...requests].flatMap(([key, request]) => {
    const node = request.kind === 'plain' ? plainNode(input, key, request.name) : nestedNode(ctx, input, key, request);
    return node ? [node] : [];
  });
  const query = buildLevelQuery(ctx, collection, input.query, input.reachedBy, input.path, input.alias);
  return { collection: collection.collection, selection, query };
}

/** Groups the expanded field list by output key (nested requests win over plain ones of the same key). */
function collectRequests(ctx: BuildContext, input: LevelInput): Map<string, Request> {
  const parentRelation = input.reachedBy.kind === 'root' ? null : input.reachedBy.relation;
  const fields = expandWildcards(input.collection, input.fields, input.alias, parentRelation, ctx.backlink);
  const requests = new Map<string, Request>();
  for (const requested of fields) {
    const fieldKey = relationalJson(input.collection, requested);
    const dot = isFunctionCall(fieldKey) && fieldKey.indexOf('(') < fieldKey.indexOf('.') ? -1 : fieldKey.indexOf('.');
    const head = dot === -1 ? fieldKey : fieldKey.slice(0, dot);
    const rest = dot === -1 ? null : fieldKey.slice(dot + 1);
    const [headKey, scope] = head.includes(':') ? splitScope(head) : [head, null];
    const name = lookup(input.alias, headKey) ?? headKey;
    const relation = isFunctionCall(name) ? undefined : relationOf(input.collection, name);
    if (rest === null && scope === null && relation?.kind !== 'o2m') {
      const existing = requests.get(headKey);
      if (!existing) requests.set(headKey, { kind: 'plain', name });
      else if (existing.kind === 'nested') existing.plain = true;
      continue;
    }
    let request = requests.get(headKey);
    if (request?.kind !== 'nested') {
      request = { kind: 'nested', name, fields: [], scopes: null, plain: request?.kind === 'plain' };
      requests.set(headKey, request);
    }
    if (scope !== null) {
      request.scopes ??= new Map();
      const scoped = request.scopes.get(scope) ?? [];
      if (rest !== null) scoped.push(rest);
      request.scopes.set(scope, scoped);
    } else if (rest !== null) {
      request.fields.push(rest);
    }
  }
  return requests;
}

/**
 * Directus 12's relational `json(a.b.field, path)`: the call moves under its relational path one level at a time
 * (`a.json(b.field, path)`), so each value lands in the related item(s) as `field_path_json`. Each step must be a
 * relation of its collection (an M2A one scoped to one of its collections, `item:<collection>`), else a 400.
 */
function relationalJson(collection: CollectionSnapshot, key: string): string {
  if (!key.startsWith('json(') || !key.endsWith(')')) return key;
  const args = key.slice('json('.length, -1);
  const comma = args.indexOf(',');
  const field = (comma === -1 ? args : args.slice(0, comma)).trim();
  const dot = field.indexOf('.');
  if (comma === -1 || dot === -1) return key;
  const head = field.slice(0, dot);
  const [name, scope] = head.includes(':') ? splitScope(head) : [head, null];
  const relation = relationOf(collection, name);
  const valid =
    relation !== undefined &&
    (relation.kind === 'a2o' ? scope !== null && relation.allowedCollections.includes(scope) : scope === null);
  if (!valid) {
    throw new InvalidQueryError(`"${head}" in "${key}" is not a relation of collection "${collection.collection}"`);
  }
  return `${head}.json(${field.slice(dot + 1)},${args.slice(comma + 1)})`;
}

function plainNode(input: LevelInput, key: string, name: string): SelectNode | null {
  if (isFunctionCall(name)) {
    const outputKey = key === name ? functionOutputKey(parseFunctionCall(name)) : key;
    return { kind: 'function', key: outputKey, operand: functionOperand(input.collection, name, input.path) };
  }
  // An O2M into a collection the role can't read is left out, as Directus leaves it out (not a 403).
  if (!lookup(input.collection.fields, name) && hiddenRelationOf(input.collection, name)) return null;
  const field = requireField(input.collection, name, input.path);
  // Alias fields without a relation (dividers, groups) have no value to read.
  return field.alias ? null : { kind: 'field', key, field };
}

function nestedNode(ctx: BuildContext, input: LevelInput, key: string, request: Extract<Request, { kind: 'nested' }>) {
  // A relation into a collection the role can't read selects nothing (Directus's parseFields skips it); an M2O also
  // asked for as a plain field (`*,author.*`) keeps its raw key, as Directus keeps the plain field node then.
  if (hiddenRelationOf(input.collection, request.name)) {
    return request.plain ? plainNode(input, key, request.name) : null;
  }
  // A dotted path whose head is no field at all selects nothing either: Directus's parseFields finds no relation for
  // it and skips it (`ingredients.no_such_field.id` is not a 403; `no_such_field` alone still is).
  if (!lookup(input.collection.fields, request.name)) {
    return request.plain ? plainNode(input, key, request.name) : null;
  }
  const field = requireField(input.collection, request.name, input.path);
  const relation = relationOf(input.collection, field.field);
  const path = joinPath(input.path, field.field);
  const deep = lookup(input.deep, key);
  switch (relation?.kind) {
    case 'm2o': {
      const collection = requireCollection(ctx.schema, relation.related, path);
      const reachedBy = { kind: 'm2o', relation: relation.relation } as const;
      const level = childLevel(ctx, collection, request.fields, deep, reachedBy, path);
      return { kind: 'm2o', key, relation, level } satisfies SelectNode;
    }
    case 'o2m': {
      const collection = requireCollection(ctx.schema, relation.related, path);
      const reachedBy = { kind: 'o2m', relation: relation.relation, sortField: relation.sortField } as const;
      const level = childLevel(ctx, collection, request.fields, deep, reachedBy, path);
      return { kind: 'o2m', key, relation, level, keysOnly: request.fields.length === 0 } satisfies SelectNode;
    }
    case 'a2o':
      return a2oNode(ctx, input, key, relation, request, path);
    default:
      // A dotted path under a plain field selects nothing (as in Directus).
      return null;
  }
}

function a2oNode(
  ctx: BuildContext,
  input: LevelInput,
  key: string,
  relation: A2oRelation,
  request: Extract<Request, { kind: 'nested' }>,
  path: string,
): SelectNode {
  for (const scope of request.scopes?.keys() ?? []) {
    if (!relation.allowedCollections.includes(scope)) throw ForbiddenError.collection(scope, `${path}:${scope}`);
  }
  const targets = relation.allowedCollections.flatMap((target) => {
    const fields = request.scopes?.get(target) ?? request.fields;
    if (fields.length === 0) return [];
    const targetPath = `${path}:${target}`;
    const collection = requireCollection(ctx.schema, target, targetPath);
    const deep = lookup(input.deep, `${key}:${target}`);
    return [childLevel(ctx, collection, fields, deep, { kind: 'a2o', relation: relation.relation }, targetPath)];
  });
  return { kind: 'a2o', key, relation, targets };
}

function childLevel(
  ctx: BuildContext,
  collection: CollectionSnapshot,
  fields: string[],
  deep: DeepEntry | undefined,
  reachedBy: LevelKind,
  path: string,
): Level {
  const input = { collection, fields, query: deep?.query ?? {}, deep: deep?.deep ?? {}, alias: {}, reachedBy, path };
  return buildLevel(ctx, input);
}

/**
 * Every `deep` key must name a relation of this level (a field, a root alias of one, or `field:collection`);
 * entries for relations that are not selected are checked too, then ignored.
 */
function checkDeepKeys(ctx: BuildContext, input: LevelInput): void {
  for (const [key, entry] of Object.entries(input.deep)) {
    const [head, scope] = key.includes(':') ? splitScope(key) : [key, null];
    const name = lookup(input.alias, head) ?? head;
    const field = requireField(input.collection, name, input.path);
    const relation = relationOf(input.collection, field.field);
    if (!relation) throw new InvalidQueryError(`"deep" key "${key}" is not a relational field`);
    const path = joinPath(input.path, scope === null ? field.field : `${field.field}:${scope}`);
    const related =
      relation.kind === 'a2o'
        ? scope !== null && relation.allowedCollections.includes(scope)
          ? scope
          : null
        : relation.related;
    if (related === null) throw ForbiddenError.collection(scope ?? key, path);
    const collection = requireCollection(ctx.schema, related, path);
    const reachedBy: LevelKind =
      relation.kind === 'o2m'
        ? { kind: 'o2m', relation: relation.relation, sortField: relation.sortField }
        : { kind: relation.kind, relation: relation.relation };
    buildLevelQuery(ctx, collection, entry.query, reachedBy, path, {});
  }
}

/** filter, search, sort and paging of a level (root query or deep entry), with the defaults for its kind. */
function buildLevelQuery(
  ctx: BuildContext,
  collection: CollectionSnapshot,
  query: SubQuery,
  reachedBy: LevelKind,
  path: string | undefined,
  alias: Readonly<Record<string, string>>,
): LevelQuery {
  const filter = query.filter ? buildFilter(ctx.schema, collection.collection, query.filter, path) : null;
  const search = query.search !== undefined ? buildSearch(collection, query.search) : null;
  const paged = reachedBy.kind === 'root' || reachedBy.kind === 'o2m';
  if (!paged) return { filter, search, sort: [], limit: null, offset: 0 };
  const sort = query.sort
    ? buildSort(ctx.schema, collection, query.sort, path, alias)
    : defaultSort(ctx.schema, collection, reachedBy);
  const { limit, offset } = paging(query, ctx.limits);
  return { filter, search, sort, limit, offset };
}

/** Default order: the relation's sort field (O2M), else the collection's sort field, else the primary key. */
function defaultSort(schema: SchemaSnapshot, collection: CollectionSnapshot, reachedBy: LevelKind): SortNode[] {
  const sortField = (reachedBy.kind === 'o2m' ? reachedBy.sortField : null) ?? collection.sortField;
  const name = sortField !== null && lookup(collection.fields, sortField) ? sortField : collection.primaryKey;
  return buildSort(schema, collection, [name]);
}

/** limit (default QUERY_LIMIT_DEFAULT, capped by QUERY_LIMIT_MAX), offset, and page overriding offset. */
export function paging(query: SubQuery, limits: QueryLimits): { limit: number | null; offset: number } {
  const fallback = limits.maxLimit === null ? limits.defaultLimit : Math.min(limits.defaultLimit, limits.maxLimit);
  const limit = query.limit ?? fallback;
  if (limit === -1) return { limit: null, offset: query.offset ?? 0 };
  const offset = query.page !== undefined ? limit * (query.page - 1) : (query.offset ?? 0);
  // Far past the last row anyway; keeps offset + limit within bigint.
  return { limit, offset: Math.min(offset, Number.MAX_SAFE_INTEGER - limit) };
}
