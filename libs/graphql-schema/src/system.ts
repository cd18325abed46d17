/**
 * The root fields of `/graphql/system` that are not per-collection CRUD, as Directus has them (spec 9):
 * `server_ping`, `server_info`, `server_health`, `users_me`, `roles_me`; `auth_login`, `auth_refresh`,
 * `auth_logout`, `update_users_me`; `collections`, `fields`, `relations` and their `_by_name` / `_in_collection`
 * forms. Their resolvers are the adapter's, through the same `resolve` injection point.
 */
import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLString,
  type GraphQLFieldConfigMap,
  type GraphQLOutputType,
} from 'graphql';
import type { SystemContext } from './build';
import { GraphQLBigInt, GraphQLJSON } from './scalars';
import type { SystemOperation, SystemOperationKind } from './types';

export const AuthTokens = new GraphQLObjectType({
  name: 'auth_tokens',
  fields: {
    access_token: { type: GraphQLString },
    expires: { type: GraphQLBigInt },
    refresh_token: { type: GraphQLString },
  },
});

export const AuthMode = new GraphQLEnumType({
  name: 'auth_mode',
  values: { json: { value: 'json' }, cookie: { value: 'cookie' }, session: { value: 'session' } },
});

export const ServerInfo = new GraphQLObjectType({
  name: 'server_info',
  fields: {
    project: {
      type: new GraphQLObjectType({
        name: 'server_info_project',
        fields: {
          project_name: { type: GraphQLString },
          project_descriptor: { type: GraphQLString },
          project_logo: { type: GraphQLString },
          project_color: { type: GraphQLString },
          default_language: { type: GraphQLString },
          public_foreground: { type: GraphQLString },
          public_background: { type: GraphQLString },
          public_note: { type: GraphQLString },
          custom_css: { type: GraphQLString },
          public_registration: { type: GraphQLBoolean },
          public_registration_verify_email: { type: GraphQLBoolean },
        },
      }),
    },
  },
});

/** An object type of nullable fields: the meta rows are Directus's system tables, read as they are. */
function objectOf(name: string, fields: Record<string, GraphQLOutputType>): GraphQLObjectType {
  return new GraphQLObjectType({
    name,
    fields: () => Object.fromEntries(Object.entries(fields).map(([field, type]) => [field, { type }])),
  });
}

const CSV = new GraphQLList(GraphQLString);

/** Directus's `directus_collections` type: the meta fields are those of its system table. */
export const CollectionType = objectOf('directus_collections', {
  collection: GraphQLString,
  meta: objectOf('directus_collections_meta', {
    collection: GraphQLString,
    icon: GraphQLString,
    note: GraphQLString,
    display_template: GraphQLString,
    hidden: GraphQLBoolean,
    singleton: GraphQLBoolean,
    translations: GraphQLJSON,
    archive_field: GraphQLString,
    archive_app_filter: GraphQLBoolean,
    archive_value: GraphQLString,
    unarchive_value: GraphQLString,
    sort_field: GraphQLString,
    accountability: GraphQLString,
    color: GraphQLString,
    item_duplication_fields: GraphQLJSON,
    sort: GraphQLInt,
    group: GraphQLString,
    collapse: GraphQLString,
    preview_url: GraphQLString,
    versioning: GraphQLBoolean,
  }),
  schema: objectOf('directus_collections_schema', { name: GraphQLString, comment: GraphQLString }),
});

export const FieldType = objectOf('directus_fields', {
  collection: GraphQLString,
  field: GraphQLString,
  type: GraphQLString,
  meta: objectOf('directus_fields_meta', {
    id: GraphQLInt,
    collection: GraphQLString,
    field: GraphQLString,
    special: CSV,
    interface: GraphQLString,
    options: GraphQLJSON,
    display: GraphQLString,
    display_options: GraphQLJSON,
    readonly: GraphQLBoolean,
    hidden: GraphQLBoolean,
    sort: GraphQLInt,
    width: GraphQLString,
    translations: GraphQLJSON,
    note: GraphQLString,
    conditions: GraphQLJSON,
    required: GraphQLBoolean,
    group: GraphQLString,
    validation: GraphQLJSON,
    validation_message: GraphQLString,
    searchable: GraphQLBoolean,
  }),
  schema: objectOf('directus_fields_schema', {
    name: GraphQLString,
    table: GraphQLString,
    data_type: GraphQLString,
    default_value: GraphQLString,
    max_length: GraphQLInt,
    numeric_precision: GraphQLInt,
    numeric_scale: GraphQLInt,
    is_generated: GraphQLBoolean,
    generation_expression: GraphQLString,
    is_indexed: GraphQLBoolean,
    is_nullable: GraphQLBoolean,
    is_unique: GraphQLBoolean,
    is_primary_key: GraphQLBoolean,
    has_auto_increment: GraphQLBoolean,
    foreign_key_column: GraphQLString,
    foreign_key_table: GraphQLString,
    comment: GraphQLString,
  }),
});

const nonNullString = new GraphQLNonNull(GraphQLString);

export const RelationType = objectOf('directus_relations', {
  collection: GraphQLString,
  field: GraphQLString,
  related_collection: GraphQLString,
  schema: objectOf('directus_relations_schema', {
    table: nonNullString,
    column: nonNullString,
    foreign_key_table: nonNullString,
    foreign_key_column: nonNullString,
    constraint_name: GraphQLString,
    on_update: nonNullString,
    on_delete: nonNullString,
  }),
  meta: objectOf('directus_relations_meta', {
    id: GraphQLInt,
    many_collection: GraphQLString,
    many_field: GraphQLString,
    one_collection: GraphQLString,
    one_field: GraphQLString,
    one_collection_field: GraphQLString,
    one_allowed_collections: CSV,
    junction_field: GraphQLString,
    sort_field: GraphQLString,
    one_deselect_action: GraphQLString,
  }),
});

const listOf = (type: GraphQLObjectType) => new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(type)));

/** Directus's schema queries, each when the role may read the metadata table behind it. */
function schemaQueryFields<TContext>(ctx: SystemContext<TContext>): GraphQLFieldConfigMap<unknown, TContext> {
  const fields: GraphQLFieldConfigMap<unknown, TContext> = {};
  const byName = { collection: { type: nonNullString }, field: { type: nonNullString } };
  if (ctx.readsSchema('directus_collections')) {
    fields.collections = ctx.root(operation('collections'), { type: listOf(CollectionType) });
    fields.collections_by_name = ctx.root(operation('collections_by_name'), {
      type: CollectionType,
      args: { name: { type: nonNullString } },
    });
  }
  if (ctx.readsSchema('directus_fields')) {
    fields.fields = ctx.root(operation('fields'), { type: listOf(FieldType) });
    fields.fields_in_collection = ctx.root(operation('fields_in_collection'), {
      type: listOf(FieldType),
      args: { collection: { type: nonNullString } },
    });
    fields.fields_by_name = ctx.root(operation('fields_by_name'), { type: FieldType, args: byName });
  }
  if (ctx.readsSchema('directus_relations')) {
    fields.relations = ctx.root(operation('relations'), { type: listOf(RelationType) });
    fields.relations_in_collection = ctx.root(operation('relations_in_collection'), {
      type: listOf(RelationType),
      args: { collection: { type: nonNullString } },
    });
    fields.relations_by_name = ctx.root(operation('relations_by_name'), { type: RelationType, args: byName });
  }
  return fields;
}

function operation(kind: SystemOperationKind, collection: string | null = null, returnsItems = false): SystemOperation {
  return { kind, collection, returnsItems };
}

export function systemQueryFields<TContext>(ctx: SystemContext<TContext>): GraphQLFieldConfigMap<unknown, TContext> {
  const fields: GraphQLFieldConfigMap<unknown, TContext> = {
    server_ping: ctx.root(operation('server_ping'), { type: GraphQLString }),
    server_info: ctx.root(operation('server_info'), { type: ServerInfo }),
    server_health: ctx.root(operation('server_health'), { type: GraphQLJSON }),
    ...schemaQueryFields(ctx),
  };
  if (ctx.readable('directus_users')) {
    fields.users_me = ctx.root(operation('users_me', 'directus_users', true), {
      type: ctx.objectType('directus_users'),
    });
  }
  if (ctx.readable('directus_roles')) {
    fields.roles_me = ctx.root(operation('roles_me', 'directus_roles', true), {
      type: new GraphQLList(ctx.objectType('directus_roles')),
    });
  }
  return fields;
}

export function systemMutationFields<TContext>(ctx: SystemContext<TContext>): GraphQLFieldConfigMap<unknown, TContext> {
  const fields: GraphQLFieldConfigMap<unknown, TContext> = {
    auth_login: ctx.root(operation('auth_login'), {
      type: AuthTokens,
      args: {
        email: { type: new GraphQLNonNull(GraphQLString) },
        password: { type: new GraphQLNonNull(GraphQLString) },
        mode: { type: AuthMode },
        otp: { type: GraphQLString },
      },
    }),
    auth_refresh: ctx.root(operation('auth_refresh'), {
      type: AuthTokens,
      args: { refresh_token: { type: GraphQLString }, mode: { type: AuthMode } },
    }),
    auth_logout: ctx.root(operation('auth_logout'), {
      type: GraphQLBoolean,
      args: { refresh_token: { type: GraphQLString }, mode: { type: AuthMode } },
    }),
  };
  if (ctx.writable('directus_users', 'update')) {
    const readable = ctx.readable('directus_users');
    fields.update_users_me = ctx.root(operation('update_users_me', 'directus_users', readable), {
      type: readable ? ctx.objectType('directus_users') : GraphQLBoolean,
      args: { data: { type: ctx.inputType('directus_users', 'update') } },
    });
  }
  return fields;
}
