import type { IncomingMessage } from 'node:http';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  subscribe,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLFieldResolver,
  type ValidationRule,
} from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { operationOf, selectionToQuery } from '@lib/graphql-schema';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import type { Accountability } from '../../core/context/accountability';
import type { MutationAction } from '../../core/events/items-events';
import { readCookie } from '../../core/http/cookies';
import { decodeJwt } from '../../core/security/jwt';
import { reject, UpgradeRouter } from '../../core/transport/upgrade-router';
import { AuthService } from '../auth/auth.service';
import { extractToken } from '../auth/token-extractor';
import { upgradeMeta } from '../auth/upgrade-meta';
import { ItemsContextFactory } from '../items/items-context.factory';
import { ItemsService } from '../items/items.service';
import type { GraphqlContext } from '../graphql/graphql-context';
import { formatResolverError } from '../graphql/graphql-errors';
import { depthLimitRule } from '../graphql/graphql-http';
import { GraphqlSchemas } from '../graphql/graphql-schemas.service';
import { MUTATION_FEED, type MutationFeed } from './mutation-feed';
import { GraphqlMutationHub } from './mutation-hub';

/** A connection's caller: from the token or cookie at the upgrade, replaced by connection_init's access_token. */
interface ConnectionState {
  accountability: Accountability | null;
  /** When the token expires (ms since epoch); null for a static token or none. */
  expires: number | null;
  socket: WebSocket | null;
  timer: NodeJS.Timeout | null;
}

interface Caller {
  readonly accountability: Accountability;
  readonly expires: number | null;
}

type Extra = { request: IncomingMessage };

/**
 * GraphQL over WebSockets on WEBSOCKETS_GRAPHQL_PATH (default `/graphql`; graphql-ws protocol, `graphql-transport-ws`),
 * registered with the HTTP server's UpgradeRouter while WEBSOCKETS_ENABLED and WEBSOCKETS_GRAPHQL_ENABLED are on.
 *
 * Auth (spec 9, WEBSOCKETS_GRAPHQL_AUTH):
 * - at the upgrade, a token from `?access_token=`, `Authorization: Bearer` or the session cookie: a bad one is
 *   answered `401` and the socket destroyed; in `strict` mode a user's token is required there (else 401), and
 *   connection_init's payload is not looked at;
 * - `handshake` (default): `connection_init.payload.access_token` authenticates, or re-authenticates, the connection;
 *   a bad one closes it with 4403 Forbidden, and so does connection_init from a connection with no user. Unlike
 *   Directus, a connection authenticated at the upgrade (a browser's session cookie, so GraphiQL's subscriptions)
 *   needs no access_token in connection_init. No connection_init within WEBSOCKETS_GRAPHQL_AUTH_TIMEOUT: graphql-ws
 *   closes with 4408;
 * - `public`: a connection without a token runs with the Public policies (an access_token still authenticates it);
 * - when the token expires the connection is closed with 4403;
 * - past WEBSOCKETS_GRAPHQL_CONN_LIMIT open connections, the upgrade is answered 403.
 *
 * Every operation gets an ItemsContext of the connection's caller and the executable schema of scope `items` that
 * caller has over HTTP (GraphqlSchemas.schemaFor), is parsed with GRAPHQL_QUERY_TOKEN_LIMIT and validated with the
 * HTTP rules (depth limit, GRAPHQL_INTROSPECTION). Queries and mutations run as over HTTP (same root resolvers);
 * `<c>_mutated(event)` subscribes to the {@link GraphqlMutationHub}, which reads each event as the subscriber.
 * Resolver errors are formatted as over HTTP (code and Directus extension fields).
 */
@Injectable()
export class GraphqlWsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('GraphQLSubscriptions');
  private readonly states = new WeakMap<IncomingMessage, ConnectionState>();
  private readonly rules: readonly ValidationRule[];
  private readonly settings: Config['graphqlWs'];
  private server: { dispose(): void | Promise<void> } | null = null;
  private unregister: (() => void) | null = null;
  /** Open connections and upgrades under way, against WEBSOCKETS_GRAPHQL_CONN_LIMIT. */
  private connections = 0;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly auth: AuthService,
    private readonly contexts: ItemsContextFactory,
    private readonly items: ItemsService,
    private readonly schemas: GraphqlSchemas,
    private readonly hub: GraphqlMutationHub,
    @Inject(MUTATION_FEED) private readonly feed: MutationFeed,
    @Inject(CONFIG) private readonly config: Config,
  ) {
    this.settings = config.graphqlWs;
    this.rules = [
      ...specifiedRules,
      depthLimitRule(config.graphqlQueryDepthLimit),
      ...(config.graphqlIntrospection ? [] : [NoSchemaIntrospectionCustomRule]),
    ];
  }

  get enabled(): boolean {
    return this.config.websocketsEnabled && this.settings.enabled;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.enabled) return;
    await this.feed.start();
    const wss = new WebSocketServer({ noServer: true });
    this.server = useServer<Record<string, unknown>, Extra>(
      {
        connectionInitWaitTimeout: this.settings.authTimeoutMs,
        onConnect: (ctx) => this.onConnect(ctx.extra.request, ctx.connectionParams),
        onSubscribe: (ctx, _id, payload) => this.onSubscribe(ctx.extra.request, payload),
        subscribe: (args) => subscribe({ ...args, subscribeFieldResolver: this.subscribeField }),
        onNext: (ctx, _id, _payload, _args, result) => {
          if (!result.errors?.length) return;
          const admin = this.states.get(ctx.extra.request)?.accountability?.admin === true;
          return { ...result, errors: result.errors.flatMap((e) => formatResolverError(e, admin)) };
        },
        onClose: (ctx) => this.forget(ctx.extra.request),
      },
      wss,
    );
    const httpServer = this.adapterHost.httpAdapter.getHttpServer();
    this.unregister = UpgradeRouter.for(httpServer).register(this.settings.path, (request, socket, head) => {
      if (this.connections >= this.settings.connLimit) return reject(socket, 403, 'Forbidden');
      this.connections++;
      let counted = true;
      const release = () => {
        if (counted) this.connections--;
        counted = false;
      };
      this.authenticateUpgrade(request).then(
        (caller) => {
          if (this.settings.auth === 'strict' && !caller?.accountability.user) {
            release();
            return reject(socket, 401, 'Unauthorized');
          }
          if (socket.destroyed) return release();
          const state: ConnectionState = {
            accountability: caller?.accountability ?? null,
            expires: caller?.expires ?? null,
            socket: null,
            timer: null,
          };
          this.states.set(request, state);
          wss.handleUpgrade(request, socket, head, (ws) => {
            state.socket = ws;
            ws.once('close', release);
            wss.emit('connection', ws, request);
          });
        },
        () => {
          release();
          reject(socket, 401, 'Unauthorized');
        },
      );
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.unregister?.();
    this.unregister = null;
    await this.server?.dispose();
    this.server = null;
  }

  /** The caller of the upgrade's token or session cookie; null without one; rejects on a bad token. */
  private async authenticateUpgrade(request: IncomingMessage): Promise<Caller | null> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const token =
      extractToken(Object.fromEntries(url.searchParams), request.headers.authorization) ??
      readCookie(request.headers.cookie, this.config.sessionCookieName);
    if (!token) return null;
    return this.callerOf(token, request);
  }

  private async callerOf(token: string, request: IncomingMessage): Promise<Caller> {
    const accountability = await this.auth.accountabilityFor(token, upgradeMeta(request));
    return { accountability, expires: expiryOf(token) };
  }

  private async onConnect(request: IncomingMessage, params: Readonly<Record<string, unknown>> | undefined) {
    const state = this.states.get(request);
    if (!state) return false;
    const mode = this.settings.auth;
    const token = params?.access_token;
    if (mode !== 'strict' && typeof token === 'string') {
      try {
        const caller = await this.callerOf(token, request);
        state.accountability = caller.accountability;
        state.expires = caller.expires;
      } catch {
        return false; // 4403 Forbidden
      }
    }
    if (mode === 'public' && !state.accountability) {
      state.accountability = await this.auth.accountabilityFor(null, upgradeMeta(request));
    }
    const accountability = state.accountability;
    if (!accountability) return false;
    if (mode !== 'public' && !accountability.user && !accountability.admin) return false;
    if (state.expires !== null) this.closeAt(state, state.expires);
    return true;
  }

  /** Closes the connection with 4403 when its token expires. */
  private closeAt(state: ConnectionState, expires: number): void {
    if (state.timer) clearTimeout(state.timer);
    const delay = Math.max(0, Math.min(expires - Date.now(), 2 ** 31 - 1));
    state.timer = setTimeout(() => state.socket?.close(CloseCode.Forbidden, 'Forbidden'), delay);
    state.timer.unref();
  }

  private forget(request: IncomingMessage): void {
    const state = this.states.get(request);
    if (state?.timer) clearTimeout(state.timer);
    this.states.delete(request);
  }

  private async onSubscribe(
    request: IncomingMessage,
    payload: { query: string; variables?: Record<string, unknown> | null; operationName?: string | null },
  ): Promise<ExecutionArgs | readonly GraphQLError[]> {
    const accountability = this.states.get(request)?.accountability;
    if (!accountability) return [new GraphQLError('Forbidden')];
    let document: DocumentNode;
    try {
      document = parse(payload.query, { maxTokens: this.config.graphqlQueryTokenLimit });
    } catch (error) {
      return [error instanceof GraphQLError ? error : new GraphQLError('Failed to parse GraphQL document.')];
    }
    const items = this.contexts.create(accountability, { transport: 'graphql' });
    const schema = await this.schemas.schemaFor(items, 'items');
    const errors = validate(schema, document, this.rules);
    if (errors.length > 0) return errors;
    const contextValue: GraphqlContext = { items, scope: 'items' };
    return {
      schema,
      document,
      variableValues: payload.variables ?? undefined,
      operationName: payload.operationName ?? undefined,
      contextValue,
    };
  }

  /**
   * `<c>_mutated(event)`: the selection of `data` becomes a query (libs/graphql-schema, sanitized as REST sanitizes
   * it, for the subscriber), and the hub streams `{key, event, data}` for the subscriber.
   */
  private readonly subscribeField: GraphQLFieldResolver<unknown, GraphqlContext> = (_source, args, gql, info) => {
    const operation = operationOf(info);
    if (operation?.kind !== 'mutated' || !operation.collection) {
      throw new Error(`"${info.fieldName}" is not a subscription of this server`);
    }
    const ctx = gql.items;
    const collection = operation.collection;
    const primaryKey = this.items.collection(ctx, collection).primaryKey;
    const query = this.items.sanitize(ctx, selectionToQuery(info));
    const fields = query.fields;
    const withKey = !fields
      ? [primaryKey]
      : fields.includes('*') || fields.includes(primaryKey)
        ? fields
        : [...fields, primaryKey];
    const event = (args as { event?: MutationAction | null }).event ?? null;
    return this.hub.subscribe({
      collection,
      event,
      accountability: ctx.accountability,
      query: { ...query, fields: withKey },
      primaryKey,
    });
  };
}

/** A Directus JWT's expiry (ms since epoch); null for a static token. */
function expiryOf(token: string): number | null {
  const exp = decodeJwt(token)?.payload.exp;
  return typeof exp === 'number' ? exp * 1000 : null;
}
