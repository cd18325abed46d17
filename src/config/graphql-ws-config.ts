import { ConfigError } from './config';

/**
 * GraphQL subscriptions over graphql-ws (spec 9), Directus's WEBSOCKETS_GRAPHQL_* names and defaults; everything is
 * off while WEBSOCKETS_ENABLED is.
 */
export interface GraphqlWsConfig {
  /** WEBSOCKETS_GRAPHQL_ENABLED (default true). */
  readonly enabled: boolean;
  /** WEBSOCKETS_GRAPHQL_PATH (default /graphql). */
  readonly path: string;
  /**
   * WEBSOCKETS_GRAPHQL_AUTH: `public` (no authentication needed: the Public policies, unless a token authenticates
   * the connection), `handshake` (default: connection_init's access_token, or a token at the upgrade) or `strict` (a
   * user's token at the upgrade, else 401).
   */
  readonly auth: 'public' | 'handshake' | 'strict';
  /** WEBSOCKETS_GRAPHQL_AUTH_TIMEOUT, seconds (default 10) → ms: handshake mode's time to authenticate. */
  readonly authTimeoutMs: number;
  /** WEBSOCKETS_GRAPHQL_CONN_LIMIT (unset: unlimited). Over it, the upgrade is answered 403. */
  readonly connLimit: number;
}

type Env = Record<string, string | undefined>;
type Int = (env: Env, name: string, fallback: number, min?: number) => number;
type Bool = (env: Env, name: string, fallback: boolean) => boolean;

export function loadGraphqlWsConfig(env: Env, int: Int, bool: Bool): GraphqlWsConfig {
  const auth = (env.WEBSOCKETS_GRAPHQL_AUTH ?? 'handshake').toLowerCase();
  if (auth !== 'public' && auth !== 'handshake' && auth !== 'strict') {
    throw new ConfigError(
      `WEBSOCKETS_GRAPHQL_AUTH must be one of public, handshake, strict, got "${env.WEBSOCKETS_GRAPHQL_AUTH}"`,
    );
  }
  const path = env.WEBSOCKETS_GRAPHQL_PATH || '/graphql';
  if (!path.startsWith('/')) {
    throw new ConfigError(`WEBSOCKETS_GRAPHQL_PATH must start with "/", got "${path}"`);
  }
  const limit = env.WEBSOCKETS_GRAPHQL_CONN_LIMIT;
  return Object.freeze({
    enabled: bool(env, 'WEBSOCKETS_GRAPHQL_ENABLED', true),
    path: path.length > 1 ? path.replace(/\/+$/, '') : path,
    auth,
    authTimeoutMs: int(env, 'WEBSOCKETS_GRAPHQL_AUTH_TIMEOUT', 10, 0) * 1000,
    connLimit:
      limit === undefined || limit === '' || limit === 'Infinity'
        ? Infinity
        : int(env, 'WEBSOCKETS_GRAPHQL_CONN_LIMIT', 0, 0),
  });
}
