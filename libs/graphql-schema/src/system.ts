/**
 * The root fields of `/graphql/system` that are not per-collection CRUD, as Directus has them (spec 9):
 * `server_ping`, `server_info`, `server_health`, `users_me`, `roles_me`; `auth_login`, `auth_refresh`,
 * `auth_logout`, `update_users_me`. Their resolvers are the adapter's, through the same `resolve` injection point.
 */
import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLString,
  type GraphQLFieldConfigMap,
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

function operation(kind: SystemOperationKind, collection: string | null = null, returnsItems = false): SystemOperation {
  return { kind, collection, returnsItems };
}

export function systemQueryFields<TContext>(ctx: SystemContext<TContext>): GraphQLFieldConfigMap<unknown, TContext> {
  const fields: GraphQLFieldConfigMap<unknown, TContext> = {
    server_ping: ctx.root(operation('server_ping'), { type: GraphQLString }),
    server_info: ctx.root(operation('server_info'), { type: ServerInfo }),
    server_health: ctx.root(operation('server_health'), { type: GraphQLJSON }),
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
