import '../../src/register-paths';
import { mkdir, writeFile } from 'node:fs/promises';
import { Logger } from '@nestjs/common';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../src/core/database/embedded-postgres';
import { DatabaseConnection, ensureDatabase } from '../../src/core/database/database-connection';
import { openOrm } from '../../src/core/database/database.module';
import { Database } from '../../src/core/database/database.service';
import { bootstrapAdmin } from '../../src/core/database/bootstrap';
import { loadConfig } from '../../src/config/config';
import { ADMIN_EMAIL, ADMIN_PASSWORD, ADMIN_TOKEN, SERVER_URL_ENV, TEMPLATE_DATABASE } from './constants';

/**
 * One embedded PostgreSQL 18 cluster for the whole run (fsync off), and a migrated, bootstrapped template database
 * from which every test file clones its own database in ~100 ms.
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  Logger.overrideLogger(['error', 'warn']);
  const root = join(__dirname, '..', '..', '.tmp');
  await mkdir(root, { recursive: true });
  const dataDir = join(root, `test-pg-${process.pid}`);
  const pg = await startEmbeddedPostgres({
    dataDir,
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '300' },
  });
  (globalThis as { __TESSERA_PG__?: unknown }).__TESSERA_PG__ = pg;
  await ensureDatabase(pg.url, TEMPLATE_DATABASE);
  const templateUrl = pg.url.replace(/\/postgres$/, `/${TEMPLATE_DATABASE}`);
  const config = loadConfig({
    DATABASE_URL: templateUrl,
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    ADMIN_TOKEN,
  });
  const connection = DatabaseConnection.external(templateUrl);
  const orm = await openOrm(connection, config);
  const db = new Database(orm, connection);
  await db.init();
  await bootstrapAdmin(db, config, () => undefined);
  await orm.close(true);
  process.env[SERVER_URL_ENV] = pg.url;
  await writeFile(join(root, 'test-pg.json'), JSON.stringify({ url: pg.url, dataDir }));
  process.stdout.write(`\n[tests] embedded PostgreSQL ready in ${Date.now() - started} ms (${dataDir})\n`);
}
