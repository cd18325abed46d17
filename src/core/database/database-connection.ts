import { compileDatabaseExists, ddlCreateDatabase } from '@lib/query';
import { Client } from 'pg';
import type { Config } from '../../config/config';
import { startEmbeddedPostgres, type RunningPostgres } from './embedded-postgres';

const EMBEDDED_DATABASE = 'tessera';

/**
 * Where the database is: an external PostgreSQL (DATABASE_URL or DB_*), or the embedded PostgreSQL 18 started under
 * DATA_DIR. Resolved once at boot; `stop()` shuts the embedded cluster down with the server.
 */
export class DatabaseConnection {
  private constructor(
    readonly url: string,
    readonly embedded: RunningPostgres | null,
  ) {}

  static external(url: string): DatabaseConnection {
    return new DatabaseConnection(url, null);
  }

  static async open(config: Config, log: (message: string) => void): Promise<DatabaseConnection> {
    if (config.databaseUrl) return new DatabaseConnection(config.databaseUrl, null);
    const started = Date.now();
    const pg = await startEmbeddedPostgres({ dataDir: `${config.dataDir}/postgres`, log });
    await ensureDatabase(pg.url, EMBEDDED_DATABASE);
    log(
      `embedded PostgreSQL ${pg.initialised ? 'initialised and ' : ''}started in ${Date.now() - started} ms ` +
        `(data: ${pg.dataDir}, port: ${pg.port})`,
    );
    return new DatabaseConnection(pg.url.replace(/\/postgres$/, `/${EMBEDDED_DATABASE}`), pg);
  }

  async stop(): Promise<void> {
    await this.embedded?.stop();
  }
}

/** CREATE DATABASE when missing (it cannot run inside a transaction, so it is not a migration). */
export async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const exists = compileDatabaseExists(name);
    const found = await client.query(exists.sql, [...exists.params]);
    if (found.rowCount === 0) await client.query(ddlCreateDatabase(name));
  } finally {
    await client.end();
  }
}
