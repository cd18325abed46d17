/** Naming rules: which collections and fields can appear in a GraphQL schema, and under which names. */
import type { GraphqlScope } from './types';

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** A valid GraphQL name that is not reserved for introspection (`__*`). Field names with `-` are skipped. */
export function isGraphqlName(name: string): boolean {
  return GRAPHQL_NAME.test(name) && !name.startsWith('__');
}

export const SYSTEM_PREFIX = 'directus_';

/** System collections Directus serves through custom resolvers, never through the generated CRUD (spec 9). */
export const SYSTEM_DENY_LIST: ReadonlySet<string> = new Set([
  'directus_collections',
  'directus_fields',
  'directus_relations',
  'directus_migrations',
  'directus_sessions',
  'directus_extensions',
]);

/** System collections without mutations. */
export const READ_ONLY: ReadonlySet<string> = new Set(['directus_activity', 'directus_revisions']);

export function isSystemCollection(collection: string): boolean {
  return collection.startsWith(SYSTEM_PREFIX);
}

/** Whether a collection gets root fields in this scope (object types exist for every readable collection). */
export function inScope(scope: GraphqlScope, collection: string): boolean {
  return scope === 'items' ? !isSystemCollection(collection) : isSystemCollection(collection);
}

/** The root field stem: the collection, or in the system scope the collection without `directus_`. */
export function rootName(scope: GraphqlScope, collection: string): string {
  return scope === 'system' ? collection.slice(SYSTEM_PREFIX.length) : collection;
}

/** The type names every collection may generate; a collection whose names clash with another's is left out. */
export function generatedTypeNames(collection: string, unionFields: readonly string[]): string[] {
  return [
    collection,
    `${collection}_filter`,
    `${collection}_quantifier_filter`,
    `${collection}_aggregated`,
    `${collection}_aggregated_count`,
    `${collection}_aggregated_fields`,
    `create_${collection}_input`,
    `update_${collection}_input`,
    `${collection}_mutated`,
    ...unionFields.map((field) => unionName(collection, field)),
  ];
}

/** The M2A union of an any-to-one field, named as Directus names it: `<junction>_<field>_union`. */
export function unionName(collection: string, field: string): string {
  return `${collection}_${field}_union`;
}

/** Type names of the schema itself (built-in and shared types). */
export const STATIC_TYPE_NAMES: ReadonlySet<string> = new Set([
  'Query',
  'Mutation',
  'Subscription',
  'Int',
  'Float',
  'String',
  'Boolean',
  'ID',
  'Date',
  'JSON',
  'GraphQLBigInt',
  'Hash',
  'GraphQLStringOrFloat',
  'GraphQLGeoJSON',
  'GraphQLJsonFilter',
  'Void',
  'DateTime',
  'id_filter_operators',
  'string_filter_operators',
  'number_filter_operators',
  'big_int_filter_operators',
  'date_filter_operators',
  'boolean_filter_operators',
  'geometry_filter_operators',
  'hash_filter_operators',
  'json_filter_operators',
  'count_function_filter_operators',
  'date_function_filter_operators',
  'time_function_filter_operators',
  'datetime_function_filter_operators',
  'count_functions',
  'json_functions',
  'date_functions',
  'time_functions',
  'datetime_functions',
  'delete_one',
  'delete_many',
  'EventEnum',
  'auth_tokens',
  'auth_mode',
  'server_info',
  'server_info_project',
]);
