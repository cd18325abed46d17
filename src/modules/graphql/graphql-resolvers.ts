import { Inject, Injectable } from '@nestjs/common';
import type { GraphQLResolveInfo } from 'graphql';
import { selectionToQuery, toPlain, type GraphqlItemsQuery, type GraphqlOperation } from '@lib/graphql-schema';
import type { Query } from '@lib/query';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import type { ItemsContext } from '../../core/context/items-context';
import type { PrimaryKey } from '../../core/events/items-events';
import { readCookie } from '../../core/http/cookies';
import { AuthService, type AuthMode, type IssuedTokens, type RequestMeta } from '../auth/auth.service';
import type { ItemsResult } from '../items/items-result';
import { ItemsService } from '../items/items.service';
import { SystemItemsService } from '../items/system-items.service';
import { CollectionsService } from '../schema/collections.service';
import { FieldsService } from '../schema/fields.service';
import { RelationsService } from '../schema/relations.service';
import { ServerInfoService } from '../server/server-info.service';
import { ServerService } from '../server/server.service';
import type { GraphqlContext } from './graphql-context';

type Row = Record<string, unknown>;

/**
 * The root resolvers: adapters, nothing more. Each root field's whole selection set (nested relations, aliases,
 * arguments of relational fields, fragments, variables, @include/@skip) is translated by libs/graphql-schema into one
 * Directus query, sanitized as REST sanitizes it, and answered by ONE ItemsService call (ItemsContext first) — the same
 * single-statement read as REST. Fields below the root only shape the value returned here (ItemsResult.data); nothing
 * is resolved field by field. Mutations call the write façade, whose re-read takes the selection's query.
 */
@Injectable()
export class GraphqlResolvers {
  constructor(
    private readonly items: ItemsService,
    private readonly system: SystemItemsService,
    private readonly auth: AuthService,
    private readonly serverInfo: ServerInfoService,
    private readonly server: ServerService,
    private readonly collections: CollectionsService,
    private readonly fields: FieldsService,
    private readonly relations: RelationsService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** The `resolve` hook of buildGraphqlSchema: every Query and Mutation root field lands here. */
  resolve(operation: GraphqlOperation, args: Record<string, unknown>, gql: GraphqlContext, info: GraphQLResolveInfo) {
    const ctx = gql.items;
    switch (operation.kind) {
      case 'server_ping':
        return 'pong';
      case 'server_info':
        return this.serverInfo.info(ctx.accountability);
      case 'server_health':
        return this.server.health(ctx.accountability.admin);
      case 'auth_login':
      case 'auth_refresh':
      case 'auth_logout':
        return this.authOperation(operation.kind, toPlain(args) as Row, gql);
      case 'collections':
        return this.collections.list(ctx.accountability);
      case 'collections_by_name':
        return this.collections.readOne(String(args.name), ctx.accountability);
      case 'fields':
        return this.fields.list(ctx.accountability);
      case 'fields_in_collection':
        return this.fields.list(ctx.accountability, String(args.collection));
      case 'fields_by_name':
        return this.fields.readOne(String(args.collection), String(args.field), ctx.accountability);
      case 'relations':
        return this.relations.list(ctx.accountability);
      case 'relations_in_collection':
        return this.relations.list(ctx.accountability, String(args.collection));
      case 'relations_by_name':
        return this.relations.readOne(String(args.collection), String(args.field), ctx.accountability);
      default:
        return this.itemsOperation(operation, toPlain(args) as Row, ctx, info);
    }
  }

  /**
   * The fast path's read of one root field (`<c>`, `<c>_by_id`, singleton; see graphql-fast-path.ts): the same one
   * ItemsService call as {@link resolve}, answering the JSON text the statement produced.
   */
  async readJson(
    operation: GraphqlOperation,
    ctx: ItemsContext,
    raw: GraphqlItemsQuery,
    key: PrimaryKey | undefined,
  ): Promise<string> {
    const c = operation.collection!;
    const service = c.startsWith('directus_') ? this.system : this.items;
    // An items.read hook changes the rows: the general path shapes them to the selection.
    if (service.hasReadHook(c)) throw new Error('read hooks: not on the fast path');
    const query = service.sanitize(ctx, raw);
    if (operation.kind === 'by_id') return (await service.readOne(ctx, c, key!, query)).json;
    if (operation.kind === 'singleton') return (await service.readSingleton(ctx, c, query)).json;
    return (await service.readByQuery(ctx, c, query)).json;
  }

  private async itemsOperation(
    operation: GraphqlOperation,
    args: Row,
    ctx: ItemsContext,
    info: GraphQLResolveInfo,
  ): Promise<unknown> {
    const c = operation.collection!;
    const service = c.startsWith('directus_') ? this.system : this.items;
    const query: Query = operation.returnsItems ? service.sanitize(ctx, selectionToQuery(info)) : {};
    /** A write's answer: the re-read items, or `true` for a Boolean field (the role may write but not read). */
    const written = <T>(result: ItemsResult<T> | null, empty: T | null): T | true | null =>
      operation.returnsItems ? (result?.data ?? empty) : true;
    switch (operation.kind) {
      case 'items':
      case 'aggregated':
        return (await service.readByQuery(ctx, c, query)).data;
      case 'by_id':
        return (await service.readOne(ctx, c, args.id as PrimaryKey, query)).data;
      case 'singleton':
        return (await service.readSingleton(ctx, c, query)).data;
      case 'users_me':
        if (!ctx.accountability.user) return null;
        return (await service.readOne(ctx, c, ctx.accountability.user, query)).data;
      case 'roles_me':
        if (ctx.accountability.roles.length === 0) return [];
        return (await service.readMany(ctx, c, ctx.accountability.roles, query)).data;
      case 'create_items':
        return written(await service.createMany(ctx, c, (args.data as Row[] | null) ?? [], query), []);
      case 'create_item':
        return written(await service.createOne(ctx, c, args.data as Row, query), null);
      case 'update_items':
        return written(await service.updateMany(ctx, c, args.ids as PrimaryKey[], args.data as Row, query), []);
      case 'update_batch':
        return written(await service.updateBatch(ctx, c, (args.data as Row[] | null) ?? [], query), []);
      case 'update_item':
        return written(await service.updateOne(ctx, c, args.id as PrimaryKey, args.data as Row, query), null);
      case 'update_singleton':
        return written(await service.updateSingleton(ctx, c, (args.data as Row | null) ?? {}, query), null);
      case 'update_users_me': {
        if (!ctx.accountability.user) return null;
        const data = (args.data as Row | null) ?? {};
        return written(await service.updateOne(ctx, c, ctx.accountability.user, data, query), null);
      }
      case 'delete_items':
        return { ids: await service.deleteMany(ctx, c, args.ids as PrimaryKey[]) };
      case 'delete_item':
        await service.deleteOne(ctx, c, args.id as PrimaryKey);
        return { id: args.id };
      default:
        throw new Error(`no resolver for the GraphQL operation "${operation.kind}"`);
    }
  }

  /** auth_login / auth_refresh / auth_logout as /auth answers them; cookies go on the HTTP response when there is one. */
  private async authOperation(kind: 'auth_login' | 'auth_refresh' | 'auth_logout', args: Row, gql: GraphqlContext) {
    const meta: RequestMeta = {
      ip: gql.items.ip,
      userAgent: gql.items.userAgent,
      origin: gql.items.origin,
    };
    if (kind === 'auth_login') {
      const mode = (args.mode as AuthMode | undefined) ?? 'json';
      return this.respond(gql, mode, await this.auth.login(String(args.email), String(args.password), mode, meta));
    }
    const explicit = typeof args.refresh_token === 'string' && args.refresh_token ? args.refresh_token : null;
    const mode = (args.mode as AuthMode | undefined) ?? (explicit ? 'json' : 'cookie');
    const token = explicit ?? this.cookieToken(gql, mode);
    if (kind === 'auth_refresh') return this.respond(gql, mode, await this.auth.refresh(token, mode, meta));
    await this.auth.logout(token);
    gql.res?.clearCookie(this.config.refreshTokenCookieName, { path: '/' });
    gql.res?.clearCookie(this.config.sessionCookieName, { path: '/' });
    return true;
  }

  private cookieToken(gql: GraphqlContext, mode: AuthMode): string | null {
    const cookies = gql.req?.headers.cookie;
    if (mode === 'session') return this.auth.sessionOf(readCookie(cookies, this.config.sessionCookieName));
    return readCookie(cookies, this.config.refreshTokenCookieName);
  }

  private respond(gql: GraphqlContext, mode: AuthMode, tokens: IssuedTokens) {
    const cookie = { httpOnly: true, path: '/', sameSite: 'lax' as const };
    if (mode === 'json') {
      return { access_token: tokens.accessToken, expires: tokens.expires, refresh_token: tokens.refreshToken };
    }
    if (mode === 'cookie') {
      gql.res?.cookie(this.config.refreshTokenCookieName, tokens.refreshToken, {
        ...cookie,
        maxAge: tokens.refreshExpires,
      });
      return { access_token: tokens.accessToken, expires: tokens.expires, refresh_token: null };
    }
    gql.res?.cookie(this.config.sessionCookieName, tokens.accessToken, { ...cookie, maxAge: tokens.expires });
    return { access_token: null, expires: tokens.expires, refresh_token: null };
  }
}
