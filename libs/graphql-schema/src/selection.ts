/**
 * selectionToQuery: a root field's whole selection set → the one Directus query the items service runs for it
 * (spec 3), so a GraphQL request becomes the same single-statement read as REST:
 * - fields: nested relations as dotted paths, `<field>_func { year }` as `year(field)` (`json(path: "a.b")` as
 *   `json(field, a.b)`), M2A inline fragments and
 *   fragment spreads on a union member as `item:<collection>.<field>` (plus the junction's collection field, which
 *   tells the union's members apart);
 * - root aliases as Directus `alias` (their values are read back under the alias by the field resolvers);
 * - arguments of relational fields as `deep` (`_filter`, `_sort`, `_limit`, `_offset`, `_page`, `_search`);
 * - named fragments, inline fragments, variables, `@include`/`@skip`; `__typename` needs nothing;
 * - `<c>_aggregated`: `aggregate` from the selected functions and `groupBy`;
 * - filters: `<field>_func: {year: {...}}` → `"year(field)": {...}`, M2A `<field>__<collection>` → `field:collection`.
 * The result is the raw query `sanitizeQuery` (libs/query) accepts, which then validates it and resolves dynamic
 * variables exactly as for REST.
 */
import {
  GraphQLIncludeDirective,
  GraphQLObjectType,
  GraphQLSkipDirective,
  Kind,
  getArgumentValues,
  getDirectiveValues,
  valueFromASTUntyped,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionNode,
} from 'graphql';
import { InvalidQueryError } from '@lib/errors';
import { AGGREGATE_FUNCTIONS } from '@lib/query';
import type { CollectionSnapshot, SchemaSnapshot } from '@lib/schema';
import { unionName } from './names';
import { jsonCallArgs, toPlain } from './resolvers';
import type { GraphqlItemsQuery, GraphqlOperation, SchemaExtension } from './types';

export interface SelectionInput {
  /** The root field's nodes (`info.fieldNodes`: several when the document repeats the response key). */
  readonly fieldNodes: readonly FieldNode[];
  readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  /** Coerced variable values (`info.variableValues`). */
  readonly variables: Readonly<Record<string, unknown>>;
  /** The role's read view: the snapshot the GraphQL schema's object types were built from. */
  readonly snapshot: SchemaSnapshot;
  /** The collection the root field returns. */
  readonly collection: string;
  /** `items` (default): fields, deep, alias; `aggregate`: aggregate and groupBy. */
  readonly mode?: 'items' | 'aggregate';
  /**
   * The GraphQL schema: arguments below the root are then coerced through their input types, as graphql-js coerces
   * the root's. Without it they are read untyped from the document.
   */
  readonly schema?: GraphQLSchema;
  /** The root field's definition: its arguments are coerced the same way (else read untyped). */
  readonly rootField?: GraphQLField<unknown, unknown>;
  /** Root aliases as Directus `alias` (default true). Off for a selection that is not a root item (subscriptions). */
  readonly alias?: boolean;
}

const LIST_ARGS = ['filter', 'sort', 'limit', 'offset', 'page', 'search'] as const;

/** The operation of a root field of a schema built by buildGraphqlSchema (`extensions.tessera`). */
export function operationOf(info: Pick<GraphQLResolveInfo, 'parentType' | 'fieldName'>): GraphqlOperation | undefined {
  return info.parentType.getFields()[info.fieldName]?.extensions?.tessera as GraphqlOperation | undefined;
}

/**
 * The query for the root field being resolved: everything comes from `info` (the operation from the field's
 * extensions, the read view from the schema's). `{}` when the operation reads nothing back (deletes, Boolean
 * results, auth and server fields); for `<c>_mutated` the selection of `data`.
 */
export function selectionToQuery(info: GraphQLResolveInfo): GraphqlItemsQuery {
  const operation = operationOf(info);
  const extension = info.schema.extensions?.tessera as SchemaExtension | undefined;
  if (!operation || !extension) throw new Error(`"${info.fieldName}" is not a root field of a Tessera schema`);
  if (!operation.collection || !operation.returnsItems) return {};
  const base = {
    fragments: info.fragments,
    variables: info.variableValues,
    snapshot: extension.read,
    collection: operation.collection,
    schema: info.schema,
  };
  if (operation.kind === 'mutated') {
    const ctx = makeContext(base);
    const data = collectFields(ctx, selectionsOf(info.fieldNodes), null).get('data') ?? [];
    return translateSelection({ ...base, fieldNodes: data, alias: false });
  }
  const rootField = info.parentType.getFields()[info.fieldName];
  const mode = operation.kind === 'aggregated' ? 'aggregate' : 'items';
  return translateSelection({ ...base, fieldNodes: info.fieldNodes, rootField, mode });
}

/** The lower-level translation, from the document's nodes (see {@link SelectionInput}). */
export function translateSelection(input: SelectionInput): GraphqlItemsQuery {
  const ctx = makeContext(input);
  const query: GraphqlItemsQuery = {};
  const node = input.fieldNodes[0];
  if (node) {
    const args = argumentsOf(ctx, input.rootField, node);
    Object.assign(query, listArgs(ctx, args, input.collection, ''));
    if (input.mode === 'aggregate' && args.groupBy !== undefined && args.groupBy !== null) {
      query.groupBy = toPlain(args.groupBy) as string[];
    }
  }
  const selections = selectionsOf(input.fieldNodes);
  if (input.mode === 'aggregate') {
    query.aggregate = aggregateOf(ctx, selections);
    return query;
  }
  if (selections.length === 0) return query;
  const level: LevelOut = { fields: [], deep: {}, alias: {} };
  walkLevel(ctx, input.collection, selections, '', input.alias !== false, level);
  query.fields = [...new Set(level.fields)];
  if (Object.keys(level.deep).length > 0) query.deep = level.deep;
  if (Object.keys(level.alias).length > 0) query.alias = level.alias;
  return query;
}

interface Context {
  readonly snapshot: SchemaSnapshot;
  readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly schema: GraphQLSchema | undefined;
}

function makeContext(input: Omit<SelectionInput, 'fieldNodes' | 'collection'>): Context {
  return { snapshot: input.snapshot, fragments: input.fragments, variables: input.variables, schema: input.schema };
}

interface LevelOut {
  fields: string[];
  deep: Record<string, unknown>;
  alias: Record<string, string>;
}

function selectionsOf(nodes: readonly FieldNode[]): SelectionNode[] {
  return nodes.flatMap((node) => node.selectionSet?.selections ?? []);
}

function included(ctx: Context, node: SelectionNode): boolean {
  const skip = getDirectiveValues(GraphQLSkipDirective, node, ctx.variables as Record<string, unknown>);
  if (skip?.if === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node, ctx.variables as Record<string, unknown>);
  return include?.if !== false;
}

/**
 * Fields by response key, as graphql-js collects them: fragments expanded, `@skip`/`@include` applied. With
 * `typeName` set, fragments on another type are left out; `scopes` receives the selections of fragments on other
 * types (the members of a union).
 */
function collectFields(
  ctx: Context,
  selections: readonly SelectionNode[],
  typeName: string | null,
  scopes?: Map<string, SelectionNode[]>,
  out = new Map<string, FieldNode[]>(),
  visited = new Set<string>(),
): Map<string, FieldNode[]> {
  for (const selection of selections) {
    if (!included(ctx, selection)) continue;
    switch (selection.kind) {
      case Kind.FIELD: {
        const key = selection.alias?.value ?? selection.name.value;
        const nodes = out.get(key);
        if (nodes) nodes.push(selection);
        else out.set(key, [selection]);
        break;
      }
      case Kind.INLINE_FRAGMENT: {
        const condition = selection.typeCondition?.name.value ?? null;
        spread(ctx, condition, selection.selectionSet.selections, typeName, scopes, out, visited);
        break;
      }
      case Kind.FRAGMENT_SPREAD: {
        const name = selection.name.value;
        const fragment = ctx.fragments[name];
        if (!fragment || visited.has(name)) break;
        visited.add(name);
        spread(
          ctx,
          fragment.typeCondition.name.value,
          fragment.selectionSet.selections,
          typeName,
          scopes,
          out,
          visited,
        );
        visited.delete(name);
        break;
      }
    }
  }
  return out;
}

function spread(
  ctx: Context,
  condition: string | null,
  selections: readonly SelectionNode[],
  typeName: string | null,
  scopes: Map<string, SelectionNode[]> | undefined,
  out: Map<string, FieldNode[]>,
  visited: Set<string>,
): void {
  if (condition === null || typeName === null || condition === typeName) {
    collectFields(ctx, selections, typeName, scopes, out, visited);
  } else if (scopes) {
    const scoped = scopes.get(condition) ?? [];
    scoped.push(...selections);
    scopes.set(condition, scoped);
  }
}

/** A field's arguments: coerced through its definition when there is one (schema mode), else read untyped. */
function argumentsOf(
  ctx: Context,
  definition: GraphQLField<unknown, unknown> | undefined,
  node: FieldNode,
): Record<string, unknown> {
  if (definition) return getArgumentValues(definition, node, ctx.variables as Record<string, unknown>);
  const args: Record<string, unknown> = {};
  for (const arg of node.arguments ?? []) {
    args[arg.name.value] = valueFromASTUntyped(arg.value, ctx.variables as Record<string, unknown>);
  }
  return args;
}

function fieldDefinition(ctx: Context, typeName: string, field: string): GraphQLField<unknown, unknown> | undefined {
  const type = ctx.schema?.getType(typeName);
  return type instanceof GraphQLObjectType ? type.getFields()[field] : undefined;
}

/** filter/sort/limit/offset/page/search: as root parameters (`prefix` '') or as a deep entry (`prefix` '_'). */
function listArgs(
  ctx: Context,
  args: Record<string, unknown>,
  collection: string,
  prefix: '' | '_',
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of LIST_ARGS) {
    const value = args[name];
    if (value === undefined || value === null) continue;
    out[`${prefix}${name}`] = name === 'filter' ? convertFilter(ctx, value, collection) : toPlain(value);
  }
  return out;
}

function walkLevel(
  ctx: Context,
  collectionName: string,
  selections: readonly SelectionNode[],
  prefix: string,
  aliases: boolean,
  out: LevelOut,
): void {
  const collection = ctx.snapshot.collections[collectionName];
  const grouped = collectFields(ctx, selections, collectionName);
  // Fields are emitted in document order; a relation fetched once under its own name (below the root, or with
  // aliases off) is emitted where it first appears, once all the response keys that read it are known.
  const steps: (() => void)[] = [];
  const merged = new Map<string, { nodes: FieldNode[]; args: string }>();
  for (const [responseKey, nodes] of grouped) {
    const name = nodes[0]!.name.value;
    if (name.startsWith('__')) continue;
    const field = collection ? lookup(collection.fields, name) : undefined;
    if (!field) {
      const base = name.endsWith('_func') ? name.slice(0, -5) : null;
      if (collection && base !== null && lookup(collection.fields, base)) {
        steps.push(() => {
          for (const call of functionCalls(ctx, nodes, base)) out.fields.push(`${prefix}${call}`);
        });
      } else {
        // Not a field of the view: let the query layer answer (FORBIDDEN naming it, as for REST).
        steps.push(() => out.fields.push(`${prefix}${name}`));
      }
      continue;
    }
    const relation = collection!.relations[name];
    const nested = nodes.some((n) => n.selectionSet);
    const aliased = aliases && responseKey !== name;
    if (!relation || !nested) {
      if (aliased) out.alias[responseKey] = name;
      steps.push(() => out.fields.push(`${prefix}${aliased ? responseKey : name}`));
      continue;
    }
    if (aliased) {
      out.alias[responseKey] = name;
      steps.push(() => relationalField(ctx, collection!, name, responseKey, nodes, prefix, out));
      continue;
    }
    const args = JSON.stringify(argumentsOf(ctx, fieldDefinition(ctx, collectionName, name), nodes[0]!));
    const seen = merged.get(name);
    if (!seen) {
      const entry = { nodes: [...nodes], args };
      merged.set(name, entry);
      steps.push(() => relationalField(ctx, collection!, name, name, entry.nodes, prefix, out));
    } else if (seen.args !== args) {
      throw new InvalidQueryError(
        `Aliases of "${name}" in "${collectionName}" must share their arguments below the root`,
      );
    } else seen.nodes.push(...nodes);
  }
  for (const step of steps) step();
}

/** An M2O, O2M or M2A field: its nested fields under `<prefix><key>.`, its arguments as `deep[key]`. */
function relationalField(
  ctx: Context,
  collection: CollectionSnapshot,
  name: string,
  key: string,
  nodes: FieldNode[],
  prefix: string,
  out: LevelOut,
): void {
  const relation = collection.relations[name]!;
  const selections = selectionsOf(nodes);
  if (relation.kind === 'a2o') {
    out.fields.push(`${prefix}${relation.collectionField}`);
    // Fragments on the union itself (or without a type) apply to every member; the others scope one member.
    const scopes = new Map<string, SelectionNode[]>();
    collectFields(ctx, selections, unionName(collection.collection, name), scopes);
    let scoped = false;
    for (const [target, targetSelections] of scopes) {
      if (!relation.allowedCollections.includes(target)) continue;
      scoped = true;
      const entry: LevelOut = { fields: out.fields, deep: {}, alias: {} };
      const scopeKey = `${key}:${target}`;
      nestedLevel(ctx, target, targetSelections, `${prefix}${scopeKey}.`, entry);
      if (Object.keys(entry.deep).length > 0) out.deep[scopeKey] = entry.deep;
    }
    if (!scoped) out.fields.push(`${prefix}${key}`);
    return;
  }
  const entry: LevelOut = { fields: out.fields, deep: {}, alias: {} };
  nestedLevel(ctx, relation.related, selections, `${prefix}${key}.`, entry);
  const args = argumentsOf(ctx, fieldDefinition(ctx, collection.collection, name), nodes[0]!);
  const deep = { ...listArgs(ctx, args, relation.related, '_'), ...entry.deep };
  if (Object.keys(deep).length > 0) out.deep[key] = deep;
}

/** A nested level; one that selects nothing but `__typename` fetches the primary key, so the item is an object. */
function nestedLevel(
  ctx: Context,
  collection: string,
  selections: readonly SelectionNode[],
  prefix: string,
  out: LevelOut,
): void {
  const before = out.fields.length;
  walkLevel(ctx, collection, selections, prefix, false, out);
  const primaryKey = ctx.snapshot.collections[collection]?.primaryKey;
  if (out.fields.length === before && primaryKey) out.fields.push(`${prefix}${primaryKey}`);
}

/** The functions selected under a `<field>_func` field. */
function functionNames(ctx: Context, nodes: FieldNode[]): string[] {
  const fields = collectFields(ctx, selectionsOf(nodes), null);
  return [...new Set([...fields.values()].map((n) => n[0]!.name.value).filter((n) => !n.startsWith('__')))];
}

/**
 * The function calls a `<field>_func` selection stands for: `year(field)`, ..., and for each `json(path: "a.b")`
 * (json fields) `json(field, a.b)`, which REST returns under the key `json_functions.json` reads.
 */
function functionCalls(ctx: Context, nodes: FieldNode[], field: string): string[] {
  const calls: string[] = [];
  for (const fieldNodes of collectFields(ctx, selectionsOf(nodes), null).values()) {
    for (const node of fieldNodes) {
      const fn = node.name.value;
      if (fn.startsWith('__')) continue;
      if (fn !== 'json') {
        calls.push(`${fn}(${field})`);
        continue;
      }
      const { path } = argumentsOf(ctx, fieldDefinition(ctx, 'json_functions', 'json'), node);
      if (typeof path === 'string') calls.push(`json(${jsonCallArgs(field, path)})`);
      else throw new InvalidQueryError(`"json" of "${field}_func" needs a "path" string`);
    }
  }
  return [...new Set(calls)];
}

/** `countAll`, `count { id }`, `sum { views }` ... → `aggregate`; `group` comes from `groupBy`. */
function aggregateOf(ctx: Context, selections: readonly SelectionNode[]): Record<string, string[]> {
  const aggregate: Record<string, string[]> = {};
  const functions: ReadonlySet<string> = new Set(AGGREGATE_FUNCTIONS);
  for (const nodes of collectFields(ctx, selections, null).values()) {
    const fn = nodes[0]!.name.value;
    if (!functions.has(fn)) continue;
    const fields = fn === 'countAll' ? ['*'] : functionNames(ctx, nodes);
    if (fields.length === 0) continue;
    aggregate[fn] = [...new Set([...(aggregate[fn] ?? []), ...fields])];
  }
  // Only `group` or `__typename` selected: still an aggregate query (one row per group, or one row), never items.
  if (Object.keys(aggregate).length === 0) aggregate.countAll = ['*'];
  return aggregate;
}

/**
 * A GraphQL filter → a Directus filter on `collection`: `<field>_func: {fn: ops}` → `"fn(field)": ops`,
 * `<field>__<target>` (M2A) → `field:target`, relations and `_and`/`_or`/`_some`/`_none` followed recursively.
 */
export function convertFilter(ctx: Pick<Context, 'snapshot'>, filter: unknown, collection: string): unknown {
  if (Array.isArray(filter)) return filter.map((item) => convertFilter(ctx, item, collection));
  if (typeof filter !== 'object' || filter === null) return filter;
  const c = ctx.snapshot.collections[collection];
  const out: Record<string, unknown> = {};
  const set = (key: string, value: unknown) =>
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  for (const [key, value] of Object.entries(filter)) {
    if (key === '_and' || key === '_or' || key === '_some' || key === '_none') {
      set(key, convertFilter(ctx, value, collection));
      continue;
    }
    const field = c ? lookup(c.fields, key) : undefined;
    if (field) {
      const relation = c!.relations[key];
      set(key, relation && relation.kind !== 'a2o' ? convertFilter(ctx, value, relation.related) : toPlain(value));
      continue;
    }
    if (c && key.endsWith('_func') && lookup(c.fields, key.slice(0, -5)) && typeof value === 'object' && value) {
      for (const [fn, operators] of Object.entries(value)) set(`${fn}(${key.slice(0, -5)})`, toPlain(operators));
      continue;
    }
    const scoped = c ? m2aKey(c, key) : null;
    if (scoped) {
      set(`${scoped.field}:${scoped.target}`, convertFilter(ctx, value, scoped.target));
      continue;
    }
    set(key, toPlain(value));
  }
  return out;
}

function m2aKey(collection: CollectionSnapshot, key: string): { field: string; target: string } | null {
  for (const relation of Object.values(collection.relations)) {
    if (relation.kind !== 'a2o' || !key.startsWith(`${relation.field}__`)) continue;
    const target = key.slice(relation.field.length + 2);
    if (relation.allowedCollections.includes(target)) return { field: relation.field, target };
  }
  return null;
}

function lookup<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
