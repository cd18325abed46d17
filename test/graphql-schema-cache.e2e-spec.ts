import type { AddressInfo } from 'node:net';
import { GraphqlSchemas } from '../src/modules/graphql/graphql-schemas.service';
import { SchemaRegistry } from '../src/modules/schema/schema-registry.service';
import { createReadsSchema, seedReads } from './items-reads.schema';
import { admin, userWith, type TestUser } from './permissions.helpers';
import { createTestApp, type TestApp } from './support/app';

/**
 * Issue 13: the executable schema is cached by (schema snapshot, permission set); a schema or permission change —
 * through this instance's API or committed elsewhere and announced by NOTIFY — makes the next request see the new
 * schema without a restart; however many requests arrive right after a change, the schema is built once.
 */

type Auth = { Authorization: string };

let t: TestApp;
let reader: TestUser & { policies: string[] };
let url: string;

async function gql(query: string, auth: Auth = t.admin) {
  const res = await t.http.post('/graphql').set(auth).send({ query });
  return { status: res.status, body: res.body as unknown };
}

/** Over a real socket (the storm: supertest would open a server per request). */
async function fetchGql(query: string, auth: Auth): Promise<number> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  await res.arrayBuffer();
  return res.status;
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A schema change committed by "another instance": DDL, a version bump and its NOTIFY on a raw connection. */
async function foreignSchemaChange(ddl: string): Promise<void> {
  const registry = t.app.get(SchemaRegistry);
  await t.db.client.query(ddl);
  const [{ version }] = (
    await t.db.client.query(`UPDATE tessera_schema_state SET version = version + 1 RETURNING version::text`)
  ).rows;
  await t.db.client.query(`SELECT pg_notify('tessera_schema', $1)`, [version]);
  await until(async () => registry.version === Number(version), `schema version ${version}`);
}

const builds = () => t.app.get(GraphqlSchemas).builds;

beforeAll(async () => {
  t = await createTestApp();
  await createReadsSchema(t);
  await seedReads(t);
  reader = await userWith(t, [{ collection: 'articles', action: 'read', fields: ['id', 'title'] }]);
  await t.app.listen(0, '127.0.0.1');
  url = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
});
afterAll(() => t.close());

describe('schema changes', () => {
  it('a field added through the API is in the very next request', async () => {
    expect(await gql('{ site { theme } }')).toEqual({ status: 200, body: { data: { site: { theme: 'dark' } } } });
    await admin(t, 'post', '/fields/site', { field: 'motto', type: 'string', schema: { default_value: 'hi' } });
    expect(await gql('{ site { theme motto } }')).toEqual({
      status: 200,
      body: { data: { site: { theme: 'dark', motto: 'hi' } } },
    });
  });

  it('a change committed elsewhere (NOTIFY tessera_schema) is served without a restart', async () => {
    const before = builds();
    await foreignSchemaChange(`ALTER TABLE authors ADD COLUMN nickname varchar(255) DEFAULT 'nick'`);
    expect(await gql('{ authors_by_id(id: 1) { name nickname } }')).toEqual({
      status: 200,
      body: { data: { authors_by_id: { name: 'Ann', nickname: 'nick' } } },
    });
    expect(builds()).toBe(before + 1);
  });
});

describe('permission changes', () => {
  it('through the API: the role sees the new field list in its next request', async () => {
    const q = '{ articles_by_id(id: 1) { title views } }';
    expect((await gql(q, reader.auth)).status).toBe(400);
    const [permission] = await admin(t, 'get', `/permissions?filter[policy][_eq]=${reader.policies[0]}`);
    await admin(t, 'patch', `/permissions/${permission.id}`, { fields: ['id', 'title', 'views'] });
    expect(await gql(q, reader.auth)).toEqual({
      status: 200,
      body: { data: { articles_by_id: { title: 'Hello World', views: 100 } } },
    });
  });

  it('committed elsewhere (NOTIFY tessera_access): seen as soon as the notification arrives', async () => {
    const q = '{ articles_by_id(id: 1) { title body } }';
    expect((await gql(q, reader.auth)).status).toBe(400);
    await t.db.client.query(`UPDATE directus_permissions SET fields = 'id,title,views,body' WHERE policy = $1`, [
      reader.policies[0],
    ]);
    await t.db.client.query(`SELECT pg_notify('tessera_access', 'directus_permissions')`);
    await until(async () => (await gql(q, reader.auth)).status === 200, 'the new permissions');
    expect(await gql(q, reader.auth)).toEqual({
      status: 200,
      body: { data: { articles_by_id: { title: 'Hello World', body: 'First post' } } },
    });
  });
});

describe('single flight', () => {
  it('200 concurrent requests right after a schema change: each caller kind builds its schema once', async () => {
    const query = '{ articles(limit: 5) { id title } }';
    // Warm both schemas, then change the schema elsewhere.
    expect(await fetchGql(query, t.admin)).toBe(200);
    expect(await fetchGql(query, reader.auth)).toBe(200);
    await foreignSchemaChange(`ALTER TABLE tags ADD COLUMN color varchar(32)`);
    const before = builds();
    const statuses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => fetchGql(query, i % 2 === 0 ? t.admin : reader.auth)),
    );
    expect(statuses).toEqual(Array.from({ length: 200 }, () => 200));
    expect(builds() - before).toBe(2); // one for the admin, one for the reader's permission set
  });

  it('200 concurrent requests right after a permission change: the role builds once, the admin not at all', async () => {
    const query = '{ articles(limit: 5) { id title } }';
    expect(await fetchGql(query, reader.auth)).toBe(200);
    const [permission] = await admin(t, 'get', `/permissions?filter[policy][_eq]=${reader.policies[0]}`);
    await admin(t, 'patch', `/permissions/${permission.id}`, { fields: ['id', 'title'] });
    const before = builds();
    const statuses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => fetchGql(query, i % 2 === 0 ? t.admin : reader.auth)),
    );
    expect(statuses).toEqual(Array.from({ length: 200 }, () => 200));
    expect(builds() - before).toBe(1);
  });
});
