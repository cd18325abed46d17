/** The public types of libs/graphql-schema: options, permission input and the root operations resolvers receive. */
import type { GraphQLResolveInfo } from 'graphql';
import type { SchemaSnapshot } from '@lib/schema';

/** `/graphql` serves user collections (`items`), `/graphql/system` the `directus_*` ones (`system`). */
export type GraphqlScope = 'items' | 'system';

export type GraphqlAction = 'read' | 'create' | 'update' | 'delete';

/**
 * What one action allows on one collection. libs/permissions' EffectivePermission has this shape: `fields` are the
 * allowed fields, `fieldCases` the fields only some permission cases allow (they may read as null, so they are
 * never non-null in the schema).
 */
export interface ActionPermission {
  readonly fields: '*' | ReadonlySet<string>;
  readonly fieldCases?: Readonly<Record<string, unknown>>;
}

/** The role's permissions: null when the action is not granted on the collection. */
export type PermissionLookup = (collection: string, action: GraphqlAction) => ActionPermission | null;

/** Root fields generated per collection. */
export type ItemsOperationKind =
  | 'items' // <c>(filter, sort, ...): [<c>!]!
  | 'by_id' // <c>_by_id(id: ID!): <c>
  | 'singleton' // <singleton>: <c>
  | 'aggregated' // <c>_aggregated(groupBy, ...): [<c>_aggregated!]!
  | 'create_items'
  | 'create_item'
  | 'update_items'
  | 'update_batch'
  | 'update_item'
  | 'update_singleton' // update_<singleton>(data)
  | 'delete_items'
  | 'delete_item'
  | 'mutated'; // subscription <c>_mutated(event)

/** Root fields of the system scope that are not per-collection CRUD (spec 9, as Directus has them). */
export type SystemOperationKind =
  | 'server_ping'
  | 'server_info'
  | 'server_health'
  | 'users_me'
  | 'roles_me'
  | 'update_users_me'
  | 'auth_login'
  | 'auth_refresh'
  | 'auth_logout'
  | 'collections' // collections: [directus_collections!]!
  | 'collections_by_name' // collections_by_name(name: String!): directus_collections
  | 'fields' // fields: [directus_fields!]!
  | 'fields_in_collection' // fields_in_collection(collection: String!): [directus_fields!]!
  | 'fields_by_name' // fields_by_name(collection: String!, field: String!): directus_fields
  | 'relations' // relations: [directus_relations!]!
  | 'relations_in_collection' // relations_in_collection(collection: String!): [directus_relations!]!
  | 'relations_by_name'; // relations_by_name(collection: String!, field: String!): directus_relations

/** The system collections whose read permission adds the schema queries of `/graphql/system`. */
export type SchemaMetaCollection = 'directus_collections' | 'directus_fields' | 'directus_relations';

/**
 * What a root field does. `collection` is the real collection name (`directus_users` in the system scope).
 * `returnsItems` is false when the role may write but not read the collection: the field's type is then `Boolean`
 * and the resolver answers `true` without a re-read.
 */
export interface ItemsOperation {
  readonly kind: ItemsOperationKind;
  readonly collection: string;
  readonly returnsItems: boolean;
}

export interface SystemOperation {
  readonly kind: SystemOperationKind;
  /** The collection the selection set reads (`users_me` → directus_users), or null. */
  readonly collection: string | null;
  readonly returnsItems: boolean;
}

export type GraphqlOperation = ItemsOperation | SystemOperation;

/**
 * Called for every Query and Mutation root field. The adapter translates the selection with
 * `selectionToQuery(info)` and calls the items service; nothing below the root resolves anything on its own.
 */
export type RootResolver<TContext = unknown> = (
  operation: GraphqlOperation,
  args: Record<string, unknown>,
  context: TContext,
  info: GraphQLResolveInfo,
) => unknown;

/**
 * Called for every Subscription root field (`<c>_mutated`); returns the event stream. Each event is the field's value
 * as is: `{ key, event, data }` with `data` read as the subscriber (its query from `selectionToQuery(info)`).
 */
export type RootSubscriber<TContext = unknown> = (
  operation: ItemsOperation,
  args: Record<string, unknown>,
  context: TContext,
  info: GraphQLResolveInfo,
) => AsyncIterable<unknown> | Promise<AsyncIterable<unknown>>;

export interface GraphqlSchemaOptions<TContext = unknown> {
  readonly scope: GraphqlScope;
  /**
   * The role's permissions. Absent: an admin (everything in the snapshot, every action). When given, the snapshot
   * must be the full one: its read side is cut with libs/permissions' restrictSnapshot here, and create/update inputs
   * keep fields the role may write but not read.
   */
  readonly permissions?: PermissionLookup;
  /**
   * Whether the role may read the schema's own metadata (`directus_collections`, `_fields`, `_relations`), which adds
   * Directus's `collections`, `fields` and `relations` queries to `/graphql/system`. Absent: only when `permissions`
   * is (an admin).
   */
  readonly readsSchema?: (collection: SchemaMetaCollection) => boolean;
  readonly resolve?: RootResolver<TContext>;
  readonly subscribe?: RootSubscriber<TContext>;
}

/** Stored in `schema.extensions.tessera`: what `selectionToQuery(info)` needs besides `info`. */
export interface SchemaExtension {
  readonly scope: GraphqlScope;
  /** The schema as the role may read it (the snapshot the object types were built from). */
  readonly read: SchemaSnapshot;
}

/**
 * The Directus query a root field's selection set stands for, in the raw form `sanitizeQuery` (libs/query) accepts:
 * `deep` entries use `_filter`, `_sort`, `_limit`, ... and `groupBy` is the REST parameter name.
 */
export interface GraphqlItemsQuery {
  fields?: string[];
  filter?: Record<string, unknown>;
  sort?: string[];
  limit?: number;
  offset?: number;
  page?: number;
  search?: string;
  deep?: Record<string, unknown>;
  alias?: Record<string, string>;
  aggregate?: Record<string, string[]>;
  groupBy?: string[];
}
