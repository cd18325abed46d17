import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { SERVER_URL_ENV, TEMPLATE_DATABASE } from './constants';

export interface TestDatabase {
  /** Connection string of this test file's own database. */
  readonly url: string;
  readonly name: string;
  /** A plain pg client on it, for asserting rows and catalogue state directly. */
  readonly client: Client;
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env[SERVER_URL_ENV];
  if (!url) throw new Error(`${SERVER_URL_ENV} is not set: run e2e tests through jest (globalSetup starts PostgreSQL)`);
  return url;
}

/**
 * A fresh database cloned from the migrated template (system tables + admin user), dropped by `drop()`. With
 * `{empty: true}` it is an empty database instead (PostgreSQL's pristine `template0`: no table at all), for loading
 * a dump such as a database Directus made.
 */
export async function createTestDatabase(prefix = 't', options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${options.empty ? 'template0' : TEMPLATE_DATABASE}"`);
  } finally {
    await admin.end();
  }
  const url = serverUrl().replace(/\/postgres$/, `/${name}`);
  const client = new Client({ connectionString: url });
  await client.connect();
  return {
    url,
    name,
    client,
    async drop() {
      await client.end().catch(() => undefined);
      const c = new Client({ connectionString: serverUrl() });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
