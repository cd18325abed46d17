import { ConfigError } from './config';

/**
 * The WebSocket settings (realtime issue), read by loadConfig() from the same environment. Names follow Directus
 * (spec 10) where it has one; the extensions are WEBSOCKETS_MAX_SUBSCRIPTIONS, WEBSOCKETS_MAX_BUFFERED_BYTES,
 * WEBSOCKETS_SCOPE_EXIT_EVENTS and WEBSOCKETS_EVENT_IDS.
 */
export interface RealtimeConfig {
  /** WEBSOCKETS_REST_ENABLED (default true; WEBSOCKETS_ENABLED gates everything). */
  readonly restEnabled: boolean;
  /** WEBSOCKETS_REST_PATH (default /websocket). */
  readonly restPath: string;
  /** WEBSOCKETS_REST_AUTH: public, handshake (default) or strict. */
  readonly restAuth: 'public' | 'handshake' | 'strict';
  /** WEBSOCKETS_REST_AUTH_TIMEOUT, seconds (default 10) → ms. */
  readonly restAuthTimeoutMs: number;
  /** WEBSOCKETS_REST_CONN_LIMIT (unset: unlimited). Over it, the upgrade is answered 403. */
  readonly restConnLimit: number;
  /** WEBSOCKETS_HEARTBEAT_ENABLED (default true). */
  readonly heartbeatEnabled: boolean;
  /** WEBSOCKETS_HEARTBEAT_PERIOD, seconds (default 30) → ms. */
  readonly heartbeatPeriodMs: number;
  /** WEBSOCKETS_MAX_SUBSCRIPTIONS per connection (default 100). */
  readonly maxSubscriptions: number;
  /** WEBSOCKETS_MAX_BUFFERED_BYTES: a socket whose unsent data passes this is closed (default 4 MiB). */
  readonly maxBufferedBytes: number;
  /** WEBSOCKETS_SCOPE_EXIT_EVENTS: an update that moves a row out of a subscriber's scope sends a delete (default true). */
  readonly scopeExitEvents: boolean;
  /**
   * WEBSOCKETS_EVENT_IDS: every event message carries its change-log `id` (default false: messages are exactly
   * Directus's; a subscription with `after` gets ids either way).
   */
  readonly eventIds: boolean;
  /** RATE_LIMITER_ENABLED (default false): each message takes a point, per connection. */
  readonly rateLimiterEnabled: boolean;
  /** RATE_LIMITER_POINTS (default 50) per RATE_LIMITER_DURATION seconds (default 1). */
  readonly rateLimiterPoints: number;
  readonly rateLimiterDurationMs: number;
}

type Env = Record<string, string | undefined>;
type Int = (env: Env, name: string, fallback: number, min?: number) => number;
type Bool = (env: Env, name: string, fallback: boolean) => boolean;

export function loadRealtimeConfig(env: Env, int: Int, bool: Bool): RealtimeConfig {
  const auth = (env.WEBSOCKETS_REST_AUTH ?? 'handshake').toLowerCase();
  if (auth !== 'public' && auth !== 'handshake' && auth !== 'strict') {
    throw new ConfigError(
      `WEBSOCKETS_REST_AUTH must be one of public, handshake, strict, got "${env.WEBSOCKETS_REST_AUTH}"`,
    );
  }
  const path = env.WEBSOCKETS_REST_PATH || '/websocket';
  if (!path.startsWith('/')) {
    throw new ConfigError(`WEBSOCKETS_REST_PATH must start with "/", got "${path}"`);
  }
  const limit = env.WEBSOCKETS_REST_CONN_LIMIT;
  return Object.freeze({
    restEnabled: bool(env, 'WEBSOCKETS_REST_ENABLED', true),
    restPath: path,
    restAuth: auth,
    restAuthTimeoutMs: int(env, 'WEBSOCKETS_REST_AUTH_TIMEOUT', 10, 0) * 1000,
    restConnLimit:
      limit === undefined || limit === '' || limit === 'Infinity'
        ? Infinity
        : int(env, 'WEBSOCKETS_REST_CONN_LIMIT', 0, 0),
    heartbeatEnabled: bool(env, 'WEBSOCKETS_HEARTBEAT_ENABLED', true),
    heartbeatPeriodMs: int(env, 'WEBSOCKETS_HEARTBEAT_PERIOD', 30, 1) * 1000,
    maxSubscriptions: int(env, 'WEBSOCKETS_MAX_SUBSCRIPTIONS', 100, 1),
    maxBufferedBytes: int(env, 'WEBSOCKETS_MAX_BUFFERED_BYTES', 4 * 1024 * 1024, 1024),
    scopeExitEvents: bool(env, 'WEBSOCKETS_SCOPE_EXIT_EVENTS', true),
    eventIds: bool(env, 'WEBSOCKETS_EVENT_IDS', false),
    rateLimiterEnabled: bool(env, 'RATE_LIMITER_ENABLED', false),
    rateLimiterPoints: int(env, 'RATE_LIMITER_POINTS', 50, 1),
    rateLimiterDurationMs: int(env, 'RATE_LIMITER_DURATION', 1, 1) * 1000,
  });
}
