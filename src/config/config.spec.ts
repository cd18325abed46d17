import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('uses Directus defaults when nothing is set', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8055);
    expect(c.databaseUrl).toBeNull();
    expect(c.queryLimitDefault).toBe(100);
    expect(c.queryLimitMax).toBeNull();
    expect(c.maxBatchMutation).toBe(Infinity);
    expect(c.maxRelationalDepth).toBe(10);
    expect(c.maxPayloadSize).toBe('1mb');
    expect(c.secretGenerated).toBe(true);
    expect(c.dataDir).toMatch(/\.data$/);
  });

  it('prefers DATABASE_URL, else builds one from DB_*', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://a@b/c', DB_HOST: 'x' }).databaseUrl).toBe('postgres://a@b/c');
    expect(
      loadConfig({ DB_HOST: 'db', DB_PORT: '6543', DB_DATABASE: 'app', DB_USER: 'u', DB_PASSWORD: 'p@ss' }).databaseUrl,
    ).toBe('postgres://u:p%40ss@db:6543/app');
  });

  it('raises MAX_RELATIONAL_DEPTH below 2 to 2, as Directus does', () => {
    expect(loadConfig({ MAX_RELATIONAL_DEPTH: '1' }).maxRelationalDepth).toBe(2);
  });

  it('names the variable to fix', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(new ConfigError('PORT must be an integer >= 0, got "eighty"'));
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL must be one of/);
    expect(() => loadConfig({ WEBSOCKETS_ENABLED: 'maybe' })).toThrow(/WEBSOCKETS_ENABLED must be true or false/);
    expect(() => loadConfig({ QUERY_LIMIT_MAX: '0' })).toThrow(/QUERY_LIMIT_MAX/);
  });
});
