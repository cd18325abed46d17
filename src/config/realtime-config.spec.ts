import { ConfigError, loadConfig } from './config';

/** The /websocket settings (realtime issue): Directus's names and defaults (spec 10), and the extensions. */
describe('realtime config', () => {
  it('uses Directus defaults when nothing is set', () => {
    expect(loadConfig({}).realtime).toEqual({
      restEnabled: true,
      restPath: '/websocket',
      restAuth: 'handshake',
      restAuthTimeoutMs: 10_000,
      restConnLimit: Infinity,
      heartbeatEnabled: true,
      heartbeatPeriodMs: 30_000,
      maxSubscriptions: 100,
      maxBufferedBytes: 4 * 1024 * 1024,
      scopeExitEvents: true,
      eventIds: false,
      rateLimiterEnabled: false,
      rateLimiterPoints: 50,
      rateLimiterDurationMs: 1000,
    });
  });

  it('reads every variable', () => {
    expect(
      loadConfig({
        WEBSOCKETS_REST_ENABLED: 'false',
        WEBSOCKETS_REST_PATH: '/ws',
        WEBSOCKETS_REST_AUTH: 'Strict',
        WEBSOCKETS_REST_AUTH_TIMEOUT: '3',
        WEBSOCKETS_REST_CONN_LIMIT: '7',
        WEBSOCKETS_HEARTBEAT_ENABLED: 'false',
        WEBSOCKETS_HEARTBEAT_PERIOD: '5',
        WEBSOCKETS_MAX_SUBSCRIPTIONS: '2',
        WEBSOCKETS_MAX_BUFFERED_BYTES: '65536',
        WEBSOCKETS_SCOPE_EXIT_EVENTS: 'false',
        WEBSOCKETS_EVENT_IDS: 'true',
        RATE_LIMITER_ENABLED: 'true',
        RATE_LIMITER_POINTS: '9',
        RATE_LIMITER_DURATION: '2',
      }).realtime,
    ).toEqual({
      restEnabled: false,
      restPath: '/ws',
      restAuth: 'strict',
      restAuthTimeoutMs: 3000,
      restConnLimit: 7,
      heartbeatEnabled: false,
      heartbeatPeriodMs: 5000,
      maxSubscriptions: 2,
      maxBufferedBytes: 65536,
      scopeExitEvents: false,
      eventIds: true,
      rateLimiterEnabled: true,
      rateLimiterPoints: 9,
      rateLimiterDurationMs: 2000,
    });
    expect(loadConfig({ WEBSOCKETS_REST_AUTH: 'PUBLIC' }).realtime.restAuth).toBe('public');
    expect(loadConfig({ WEBSOCKETS_REST_CONN_LIMIT: 'Infinity' }).realtime.restConnLimit).toBe(Infinity);
    expect(loadConfig({ WEBSOCKETS_REST_CONN_LIMIT: '0' }).realtime.restConnLimit).toBe(0);
  });

  it('names the variable to fix', () => {
    expect(() => loadConfig({ WEBSOCKETS_REST_AUTH: 'open' })).toThrow(
      new ConfigError('WEBSOCKETS_REST_AUTH must be one of public, handshake, strict, got "open"'),
    );
    expect(() => loadConfig({ WEBSOCKETS_REST_PATH: 'websocket' })).toThrow(
      new ConfigError('WEBSOCKETS_REST_PATH must start with "/", got "websocket"'),
    );
    expect(() => loadConfig({ WEBSOCKETS_REST_CONN_LIMIT: 'lots' })).toThrow(/WEBSOCKETS_REST_CONN_LIMIT/);
    expect(() => loadConfig({ WEBSOCKETS_HEARTBEAT_PERIOD: '0' })).toThrow(/WEBSOCKETS_HEARTBEAT_PERIOD/);
    expect(() => loadConfig({ WEBSOCKETS_MAX_BUFFERED_BYTES: '10' })).toThrow(/WEBSOCKETS_MAX_BUFFERED_BYTES/);
    expect(() => loadConfig({ WEBSOCKETS_SCOPE_EXIT_EVENTS: 'sometimes' })).toThrow(/WEBSOCKETS_SCOPE_EXIT_EVENTS/);
  });
});
