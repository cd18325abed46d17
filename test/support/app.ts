import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { loadConfig } from '../../src/config/config';
import { createApp } from '../../src/create-app';
import type { ExtensionModule } from '../../src/core/extensions/load-extensions';
import { Database } from '../../src/core/database/database.service';
import { ADMIN_EMAIL, ADMIN_PASSWORD, ADMIN_TOKEN } from './constants';
import { createTestDatabase, type TestDatabase } from './database';

export interface TestApp {
  readonly app: NestExpressApplication;
  readonly db: TestDatabase;
  /** supertest against the app, with no credentials. */
  readonly http: TestAgent;
  /** Authorization header value for the admin's static token. */
  readonly admin: { Authorization: string };
  /** SQL statements the server sent while `fn` ran. */
  countStatements(fn: () => Promise<unknown>): Promise<number>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /**
   * Boot on this database instead of a fresh clone of the template (e.g. one loaded from a Directus dump); `close()`
   * still drops it. An env value given as `undefined` removes that default (e.g. `ADMIN_TOKEN`).
   */
  readonly database?: TestDatabase;
  /** Extension modules, as `createApp(config, extensions)` takes them (none by default). */
  readonly extensions?: ExtensionModule[];
}

/** Boots the real application (same configureApp as main.ts) on a fresh database of its own. */
export async function createTestApp(
  env: Record<string, string | undefined> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const db = options.database ?? (await createTestDatabase());
  const config = loadConfig({
    DATABASE_URL: db.url,
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    ADMIN_TOKEN,
    SECRET: 'test-secret-test-secret-test-secret-0123',
    LOG_LEVEL: 'warn',
    DB_POOL_MAX: '4',
    ...env,
  });
  const app = await createApp(config, options.extensions ?? []);
  const database = app.get(Database);
  return {
    app,
    db,
    http: request(app.getHttpServer()),
    admin: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    async countStatements(fn) {
      const before = database.statements;
      await fn();
      return database.statements - before;
    },
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
