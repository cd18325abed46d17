import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { durationMs } from '../core/security/jwt';
import { loadGraphqlWsConfig, type GraphqlWsConfig } from './graphql-ws-config';
import { loadRealtimeConfig, type RealtimeConfig } from './realtime-config';

/**
 * The one validated configuration, read from the environment. Names follow Directus where one exists.
 * Nothing else in the application reads process.env.
 */
export interface Config {
  readonly nodeEnv: string;
  readonly host: string;
  readonly port: number;
  /** External PostgreSQL connection string, or null to run the embedded PostgreSQL under `dataDir`. */
  readonly databaseUrl: string | null;
  readonly dataDir: string;
  readonly dbPoolMax: number;
  readonly secret: string;
  readonly secretGenerated: boolean;
  readonly adminEmail: string;
  readonly adminPassword: string | null;
  readonly adminToken: string | null;
  readonly queryLimitDefault: number;
  readonly queryLimitMax: number | null;
  readonly maxBatchMutation: number;
  readonly maxRelationalDepth: number;
  readonly maxPayloadSize: string;
  /** QUERYSTRING_ARRAY_LIMIT: the most elements an array in a query string may have (Directus's default 500). */
  readonly queryStringArrayLimit: number;
  /** QUERYSTRING_MAX_PARSE_DEPTH: how deep query-string brackets nest (Directus's default 10). */
  readonly queryStringMaxParseDepth: number;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  readonly accessTokenTtl: string;
  readonly refreshTokenTtl: string;
  readonly sessionCookieTtl: string;
  readonly refreshTokenCookieName: string;
  readonly sessionCookieName: string;
  /** Every login answer takes at least this long, so timing tells nothing about accounts. */
  readonly loginStallTime: number;
  /** How long a rotated refresh token keeps working (SESSION_REFRESH_GRACE_PERIOD). */
  readonly refreshGracePeriod: string;
  readonly websocketsEnabled: boolean;
  /** The /websocket settings (WEBSOCKETS_REST_*, WEBSOCKETS_HEARTBEAT_*, limits; realtime issue). */
  readonly realtime: RealtimeConfig;
  /** GraphQL: the parser's token limit (GRAPHQL_QUERY_TOKEN_LIMIT, Directus's default 5000). */
  readonly graphqlQueryTokenLimit: number;
  /** GraphQL: the deepest selection a document may have (GRAPHQL_QUERY_DEPTH_LIMIT; fields count, fragments don't). */
  readonly graphqlQueryDepthLimit: number;
  /** GraphQL: introspection allowed (GRAPHQL_INTROSPECTION, default true). */
  readonly graphqlIntrospection: boolean;
  /** GraphQL subscriptions over graphql-ws (WEBSOCKETS_GRAPHQL_*). */
  readonly graphqlWs: GraphqlWsConfig;
  /**
   * Extension modules the packaged server loads (EXTENSIONS: comma-separated module paths, relative to the working
   * directory, each optionally `#ExportName`; default export or the module's only exported class otherwise).
   */
  readonly extensions: readonly string[];
  /** Activity rows older than this are pruned in the background (ACTIVITY_RETENTION, a duration; null: kept). */
  readonly activityRetentionMs: number | null;
  /** Revision rows older than this (by their activity's timestamp) are pruned (REVISIONS_RETENTION; null: kept). */
  readonly revisionsRetentionMs: number | null;
  /** The realtime change log (`tessera_changes`) keeps this long (WEBSOCKETS_EVENT_RETENTION, default 24h). */
  readonly websocketsEventRetentionMs: number;
  /** Rows deleted per retention statement (RETENTION_BATCH, default 1000). */
  readonly retentionBatch: number;
  /** Pause between retention passes (RETENTION_INTERVAL, a duration, default 1h). */
  readonly retentionIntervalMs: number;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min = Number.MIN_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`);
  return n;
}

/** A Directus-style duration (`30d`, `24h`, ...) in ms; `fallback` when unset; `false`/`0`/`off` as null. */
function duration(env: Env, name: string, fallback: number | null): number | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['false', 'off', '0'].includes(raw.trim().toLowerCase())) return null;
  let ms: number;
  try {
    ms = durationMs(raw);
  } catch {
    throw new ConfigError(`${name} must be a duration such as 30d, 12h or 90m, got "${raw}"`);
  }
  if (ms <= 0) throw new ConfigError(`${name} must be a positive duration, got "${raw}"`);
  return ms;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes'].includes(raw.toLowerCase())) return true;
  if (['false', '0', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

/** DATABASE_URL wins; otherwise Directus's DB_* variables; otherwise null (embedded). */
function databaseUrl(env: Env): string | null {
  if (env.DATABASE_URL) return env.DATABASE_URL;
  if (!env.DB_HOST) return null;
  const user = encodeURIComponent(env.DB_USER ?? 'postgres');
  const password = env.DB_PASSWORD ? `:${encodeURIComponent(env.DB_PASSWORD)}` : '';
  const port = int(env, 'DB_PORT', 5432, 1);
  const database = encodeURIComponent(env.DB_DATABASE ?? 'directus');
  return `postgres://${user}${password}@${env.DB_HOST}:${port}/${database}`;
}

export function loadConfig(env: Env = process.env): Config {
  const logLevel = (env.LOG_LEVEL ?? 'info').toLowerCase();
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of debug, info, warn, error, got "${env.LOG_LEVEL}"`);
  }
  const maxBatch = env.MAX_BATCH_MUTATION;
  const queryLimitMax = env.QUERY_LIMIT_MAX ? int(env, 'QUERY_LIMIT_MAX', 0, 1) : null;
  return Object.freeze({
    nodeEnv: env.NODE_ENV ?? 'production',
    host: env.HOST ?? '0.0.0.0',
    port: int(env, 'PORT', 8055, 0),
    databaseUrl: databaseUrl(env),
    dataDir: resolve(env.DATA_DIR ?? '.data'),
    dbPoolMax: int(env, 'DB_POOL_MAX', 10, 1),
    secret: env.SECRET ?? randomBytes(32).toString('hex'),
    secretGenerated: !env.SECRET,
    adminEmail: env.ADMIN_EMAIL ?? 'admin@example.com',
    adminPassword: env.ADMIN_PASSWORD ?? null,
    adminToken: env.ADMIN_TOKEN ?? null,
    queryLimitDefault: int(env, 'QUERY_LIMIT_DEFAULT', 100, 1),
    queryLimitMax,
    maxBatchMutation:
      maxBatch === undefined || maxBatch === '' || maxBatch === 'Infinity'
        ? Infinity
        : int(env, 'MAX_BATCH_MUTATION', 0, 1),
    maxRelationalDepth: Math.max(2, int(env, 'MAX_RELATIONAL_DEPTH', 10, 0)),
    maxPayloadSize: env.MAX_PAYLOAD_SIZE ?? '1mb',
    queryStringArrayLimit: int(env, 'QUERYSTRING_ARRAY_LIMIT', 500, 0),
    queryStringMaxParseDepth: int(env, 'QUERYSTRING_MAX_PARSE_DEPTH', 10, 1),
    logLevel: logLevel as Config['logLevel'],
    accessTokenTtl: env.ACCESS_TOKEN_TTL ?? '15m',
    refreshTokenTtl: env.REFRESH_TOKEN_TTL ?? '7d',
    sessionCookieTtl: env.SESSION_COOKIE_TTL ?? '1d',
    refreshTokenCookieName: env.REFRESH_TOKEN_COOKIE_NAME ?? 'directus_refresh_token',
    sessionCookieName: env.SESSION_COOKIE_NAME ?? 'directus_session_token',
    loginStallTime: int(env, 'LOGIN_STALL_TIME', 500, 0),
    refreshGracePeriod: env.SESSION_REFRESH_GRACE_PERIOD ?? '10s',
    websocketsEnabled: bool(env, 'WEBSOCKETS_ENABLED', false),
    realtime: loadRealtimeConfig(env, int, bool),
    graphqlQueryTokenLimit: int(env, 'GRAPHQL_QUERY_TOKEN_LIMIT', 5000, 1),
    graphqlQueryDepthLimit: int(env, 'GRAPHQL_QUERY_DEPTH_LIMIT', 20, 2),
    graphqlIntrospection: bool(env, 'GRAPHQL_INTROSPECTION', true),
    graphqlWs: loadGraphqlWsConfig(env, int, bool),
    extensions: (env.EXTENSIONS ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean),
    activityRetentionMs: duration(env, 'ACTIVITY_RETENTION', null),
    revisionsRetentionMs: duration(env, 'REVISIONS_RETENTION', null),
    websocketsEventRetentionMs: duration(env, 'WEBSOCKETS_EVENT_RETENTION', 86_400_000) ?? 86_400_000,
    retentionBatch: int(env, 'RETENTION_BATCH', 1000, 1),
    retentionIntervalMs: duration(env, 'RETENTION_INTERVAL', 3_600_000) ?? 3_600_000,
  });
}
