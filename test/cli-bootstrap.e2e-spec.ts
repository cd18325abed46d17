import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { SERVER_URL_ENV } from './support/constants';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');

describe('npm run cli -- bootstrap (migrate + first-boot admin, no server)', () => {
  const name = `cli_${process.pid}`;
  let url: string;
  let admin: Client;

  beforeAll(async () => {
    admin = new Client({ connectionString: process.env[SERVER_URL_ENV] });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`); // empty: no system tables yet
    url = process.env[SERVER_URL_ENV]!.replace(/\/postgres$/, `/${name}`);
  });

  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  const bootstrap = () =>
    run(join(ROOT, 'node_modules', '.bin', 'node'), [join(ROOT, 'dist', 'src', 'cli.js'), 'bootstrap'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: url,
        ADMIN_EMAIL: 'cli@example.com',
        ADMIN_PASSWORD: 'cli-pass',
        ADMIN_TOKEN: 'cli-token',
        LOG_LEVEL: 'info',
      },
    });

  it('migrates an empty database and creates the admin once', async () => {
    const first = await bootstrap();
    expect(first.stdout).toContain('migrations applied: 20261123-system-tables');
    expect(first.stdout).toContain('bootstrap: created admin user cli@example.com');
    expect(first.stdout).toContain('bootstrap complete');

    const second = await bootstrap();
    expect(second.stdout).not.toContain('migrations applied');
    expect(second.stdout).not.toContain('created admin user');

    const db = new Client({ connectionString: url });
    await db.connect();
    try {
      const users = await db.query(`SELECT "email", "token", "role" FROM "directus_users"`);
      expect(users.rows).toHaveLength(1);
      expect(users.rows[0]).toMatchObject({ email: 'cli@example.com', token: 'cli-token' });
      const policy = await db.query(
        `SELECT p."admin_access", p."app_access" FROM "directus_access" a JOIN "directus_policies" p ON p."id" = a."policy"
         WHERE a."role" = $1`,
        [users.rows[0].role],
      );
      expect(policy.rows).toEqual([{ admin_access: true, app_access: true }]);
      const tables = await db.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
      );
      expect(tables.rows.map((r) => r.table_name)).toEqual([
        'directus_access',
        'directus_activity',
        'directus_collections',
        'directus_fields',
        'directus_permissions',
        'directus_policies',
        'directus_relations',
        'directus_revisions',
        'directus_roles',
        'directus_sessions',
        'directus_users',
        'tessera_changes',
        'tessera_migrations',
        'tessera_schema_state',
      ]);
      const publicAccess = await db.query(
        `SELECT count(*)::int AS n FROM "directus_access" WHERE "role" IS NULL AND "user" IS NULL AND "policy" = 'abf8a154-5b1c-4a46-ac9c-7300570f4f17'`,
      );
      expect(publicAccess.rows[0].n).toBe(1);
    } finally {
      await db.end();
    }
  }, 60_000);

  it('refuses unknown commands with usage', async () => {
    await expect(
      run(join(ROOT, 'node_modules', '.bin', 'node'), [join(ROOT, 'dist', 'src', 'cli.js'), 'frobnicate'], {
        cwd: ROOT,
      }),
    ).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('usage: npm run cli -- bootstrap') });
  });
});
