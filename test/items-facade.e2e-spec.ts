import { Client } from 'pg';
import { ConfigError } from '../src/config/config';
import { publicAccountability, SYSTEM_ACCOUNTABILITY } from '../src/core/context/accountability';
import type { ItemsContext } from '../src/core/context/items-context';
import { Database } from '../src/core/database/database.service';
import { ItemsEventBus } from '../src/core/events/items-event-bus';
import type { MutationEvent } from '../src/core/events/items-events';
import { loadExtensions } from '../src/core/extensions/load-extensions';
import { ItemsContextFactory } from '../src/modules/items/items-context.factory';
import { ItemsService } from '../src/modules/items/items.service';
import { SystemItemsService } from '../src/modules/items/system-items.service';
import { SchemaRegistry } from '../src/modules/schema/schema-registry.service';
import { AcmeModule } from './fixtures/acme-extension';
import { admin, alias, collection, PUBLIC_POLICY, relation, rows, userWith } from './permissions.helpers';
import { createTestApp, type TestApp } from './support/app';
import { SERVER_URL_ENV } from './support/constants';

/**
 * The transport-neutral domain façade (issue 12): an ItemsContext per request, every access rule inside the domain
 * whatever the caller, change events fit for recording (parent, request id, outermost commit), the extension seam.
 */
describe('items domain façade', () => {
  let t: TestApp;
  let items: ItemsService;
  let system: SystemItemsService;
  let contexts: ItemsContextFactory;
  let bus: ItemsEventBus;
  const offs: (() => void)[] = [];
  const tick = () => new Promise((r) => setTimeout(r, 20));

  beforeAll(async () => {
    t = await createTestApp({}, { extensions: [AcmeModule] });
    items = t.app.get(ItemsService);
    system = t.app.get(SystemItemsService);
    contexts = t.app.get(ItemsContextFactory);
    bus = t.app.get(ItemsEventBus);
    await collection(t, 'authors', [{ field: 'name', type: 'string' }]);
    await collection(t, 'posts', [
      { field: 'title', type: 'string' },
      { field: 'author', type: 'integer' },
      { field: 'owner', type: 'uuid' },
    ]);
    await relation(t, { collection: 'posts', field: 'author', related_collection: 'authors' });
    await relation(t, { collection: 'posts', field: 'owner', related_collection: 'directus_users' });
    await collection(t, 'notes', [
      { field: 'body', type: 'string' },
      { field: 'post', type: 'integer' },
    ]);
    await alias(t, 'posts', 'notes', 'o2m');
    await relation(t, {
      collection: 'notes',
      field: 'post',
      related_collection: 'posts',
      meta: { one_field: 'notes' },
    });
  });
  afterAll(() => t.close());
  afterEach(() => {
    while (offs.length) offs.pop()!();
  });

  const adminCtx = () => contexts.create(SYSTEM_ACCOUNTABILITY, { transport: 'internal' });

  describe('access rules hold in the domain, without HTTP', () => {
    let writer: ItemsContext;
    let writerAuth: { Authorization: string };

    beforeAll(async () => {
      // A role that may do everything on posts and even holds create/update/delete rows on directus_users and
      // directus_roles. Only update on directus_users follows permissions (as Directus's UsersService); every other
      // system write stays admin-only.
      const everything = (c: string) =>
        (['create', 'read', 'update', 'delete'] as const).map((action) => ({ collection: c, action }));
      const u = await userWith(t, [
        ...everything('posts'),
        ...everything('authors'),
        ...everything('directus_users'),
        ...everything('directus_roles'),
      ]);
      writerAuth = u.auth;
      writer = contexts.create(
        {
          ...publicAccountability(u.policies),
          user: u.id,
          role: u.role,
          roles: [u.role!],
        },
        { transport: 'internal' },
      );
    });

    it('a non-admin is refused a system-collection write, top level or nested', async () => {
      await expect(
        system.createOne(writer, 'directus_users', { email: 'x@example.com', password: 'secret-pw' }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
      await expect(
        system.updateMany(writer, 'directus_roles', [writer.accountability.role!], { name: 'x' }),
      ).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      expect(await rows(t, `SELECT count(*)::int AS n FROM directus_roles WHERE name = 'x'`)).toEqual([{ n: 0 }]);
      await expect(system.deleteMany(writer, 'directus_users', [writer.accountability.user!])).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      // A nested M2O object into directus_users from a user collection the role may write.
      await expect(
        items.createOne(writer, 'posts', { title: 'p', owner: { email: 'nested@example.com' } }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect(await rows(t, `SELECT count(*)::int AS n FROM directus_users WHERE email LIKE 'nested%'`)).toEqual([
        { n: 0 },
      ]);
      expect(await rows(t, `SELECT count(*)::int AS n FROM posts`)).toEqual([{ n: 0 }]);
    });

    it("an update of directus_users follows the role's permissions (the one system write that does)", async () => {
      await system.updateMany(writer, 'directus_users', [writer.accountability.user!], { title: 'by permission' });
      expect(await rows(t, `SELECT title FROM directus_users WHERE id = '${writer.accountability.user!}'`)).toEqual([
        { title: 'by permission' },
      ]);
    });

    it('the same non-admin may write its own collections through the same façade', async () => {
      const created = await items.createOne(
        writer,
        'posts',
        { title: 'mine', author: { name: 'Ann' } },
        {
          fields: ['title', 'author.name'],
        },
      );
      expect(created!.data).toEqual({ title: 'mine', author: { name: 'Ann' } });
      await admin(t, 'delete', '/items/posts', { query: { limit: -1 } });
      await admin(t, 'delete', '/items/authors', { query: { limit: -1 } });
    });

    it('ItemsService refuses every directus_* name with a bare 403, even for an admin', async () => {
      const forbidden = { code: 'FORBIDDEN', status: 403, message: "You don't have permission to access this." };
      await expect(items.readByQuery(adminCtx(), 'directus_users', {})).rejects.toMatchObject(forbidden);
      await expect(items.readOne(writer, 'directus_roles', 'x', {})).rejects.toMatchObject(forbidden);
      await expect(items.createOne(adminCtx(), 'directus_users', { email: 'a@b.c' })).rejects.toMatchObject(forbidden);
      await expect(items.deleteByQuery(adminCtx(), 'directus_permissions', {})).rejects.toMatchObject(forbidden);
    });

    it('SystemItemsService serves only system collections; its reads follow permissions', async () => {
      await expect(system.readByQuery(adminCtx(), 'posts', {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
      const me = await system.readOne(writer, 'directus_users', writer.accountability.user!, { fields: ['id'] });
      expect(me.data).toEqual({ id: writer.accountability.user });
      const anonymous = contexts.create(publicAccountability([PUBLIC_POLICY]), { transport: 'internal' });
      await expect(system.readByQuery(anonymous, 'directus_users', {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    });

    it('over HTTP the same rules answer as before: /items/directus_* is 403, /users writes are admin-only', async () => {
      const res = await t.http.get('/items/directus_users').set(t.admin);
      expect(res.status).toBe(403);
      expect(res.body.errors[0].extensions).toEqual({ code: 'FORBIDDEN' });
      const write = await t.http.post('/users').set(writerAuth).send({ email: 'y@example.com' });
      expect(write.status).toBe(403);
      expect(write.body.errors[0].extensions).toEqual({ code: 'FORBIDDEN' });
    });
  });

  describe('one schema snapshot per request', () => {
    it('a schema change in the middle of a write does not change the snapshot the request reads back with', async () => {
      const registry = t.app.get(SchemaRegistry);
      const ctx = adminCtx();
      const pinned = ctx.schema;
      offs.push(
        bus.onFilter('create', 'notes', async (payload) => {
          // Mid-request, committed from another connection as another instance would: a new column with a default
          // on the collection being written, a version bump and its NOTIFY; wait until this instance serves it.
          const before = registry.version;
          await t.db.client.query(`ALTER TABLE notes ADD COLUMN late varchar(255) DEFAULT 'L'`);
          const [{ version }] = (
            await t.db.client.query(`UPDATE tessera_schema_state SET version = version + 1 RETURNING version::text`)
          ).rows;
          await t.db.client.query(`SELECT pg_notify('tessera_schema', $1)`, [version]);
          for (let i = 0; i < 200 && registry.version === before; i++) await new Promise((r) => setTimeout(r, 10));
          expect(registry.version).toBe(Number(version));
          return payload;
        }),
      );
      const result = await items.createOne(ctx, 'notes', { body: 'b' }, { fields: ['*'] });
      expect(registry.snapshot).not.toBe(pinned);
      expect(registry.snapshot.collections.notes.fields.late).toBeDefined();
      // The row got the new column's default, but the request read it back against ITS snapshot.
      expect(ctx.schema).toBe(pinned);
      expect(result!.data).toEqual({ id: 1, body: 'b', post: null });
      const after = await items.readOne(adminCtx(), 'notes', 1, { fields: ['*'] });
      expect(after.data).toEqual({ id: 1, body: 'b', post: null, late: 'L' });
      await admin(t, 'delete', '/items/notes', { query: { limit: -1 } });
    });

    it('a REST request gets its own context, with the client request id when it sent a plain one', async () => {
      const seen: string[] = [];
      offs.push(bus.afterCommit((e) => void seen.push(e.requestId)));
      await t.http.post('/items/authors').set(t.admin).set('X-Request-Id', 'req-42').send({ name: 'A' }).expect(200);
      await t.http
        .post('/items/authors')
        .set(t.admin)
        .set('X-Request-Id', 'bad id with spaces')
        .send({ name: 'B' })
        .expect(200);
      await tick();
      expect(seen[0]).toBe('req-42');
      expect(seen[1]).toMatch(/^[0-9a-f-]{36}$/);
      await admin(t, 'delete', '/items/authors', { query: { limit: -1 } });
    });
  });

  describe('change events', () => {
    it('nested events carry their parent, and the request id, when in-transaction handlers see them', async () => {
      const seen: { collection: string; parent: string | null; requestId: string; inTx: boolean }[] = [];
      const db = t.app.get(Database);
      offs.push(
        bus.inTransaction(async (e: MutationEvent) => {
          seen.push({
            collection: e.collection,
            parent: e.parent ? `${e.parent.action}:${e.parent.collection}` : null,
            requestId: e.requestId,
            inTx: db.inTransaction,
          });
        }),
      );
      const ctx = adminCtx();
      await items.createOne(ctx, 'posts', { title: 'p', author: { name: 'Ann' }, notes: [{ body: 'n1' }] });
      expect(seen).toEqual([
        // The author is written before its post exists, and still names the post as its parent.
        { collection: 'authors', parent: 'create:posts', requestId: ctx.requestId, inTx: true },
        { collection: 'posts', parent: null, requestId: ctx.requestId, inTx: true },
        { collection: 'notes', parent: 'create:posts', requestId: ctx.requestId, inTx: true },
      ]);
    });

    it('a write inside a caller’s transaction emits its after-commit events once, on the outermost commit', async () => {
      const db = t.app.get(Database);
      const events: string[] = [];
      offs.push(bus.afterCommit((e) => void events.push(`${e.action}:${e.collection}`)));
      await db.transaction(async () => {
        await items.createOne(adminCtx(), 'authors', { name: 'inner-1' });
        await items.createMany(adminCtx(), 'authors', [{ name: 'inner-2' }]);
        await tick();
        expect(events).toEqual([]);
      });
      await tick();
      expect(events).toEqual(['create:authors', 'create:authors']);

      events.length = 0;
      await expect(
        db.transaction(async () => {
          await items.createOne(adminCtx(), 'authors', { name: 'rolled-back' });
          throw new Error('outer fails');
        }),
      ).rejects.toThrow('outer fails');
      await tick();
      expect(events).toEqual([]);
      expect(await rows(t, `SELECT count(*)::int AS n FROM authors WHERE name = 'rolled-back'`)).toEqual([{ n: 0 }]);
    });

    it('a handler scoped by a predicate on the request’s snapshot leaves other collections one statement', async () => {
      const calls: string[] = [];
      offs.push(
        bus.inTransaction(async (e) => void calls.push(e.collection), {
          collections: (c) => c.collection === 'posts' && c.accountability === 'all',
        }),
      );
      const one = await t.countStatements(() =>
        t.http.post('/items/authors').set(t.admin).send({ name: 'x' }).expect(200),
      );
      expect(one).toBe(1);
      await t.http.post('/items/posts').set(t.admin).send({ title: 'y' }).expect(200);
      expect(calls).toEqual(['posts']);
      // The predicate reads the collection as the schema has it now: turn accountability off and it no longer applies.
      await admin(t, 'patch', '/collections/posts', { meta: { accountability: null } });
      await t.http.post('/items/posts').set(t.admin).send({ title: 'z' }).expect(200);
      expect(calls).toEqual(['posts']);
      await admin(t, 'patch', '/collections/posts', { meta: { accountability: 'all' } });
    });
  });

  describe('extension seam', () => {
    it('an extension module given to createApp serves its endpoint and reads as the caller', async () => {
      await admin(t, 'post', '/items/posts', [{ title: 'b-title' }, { title: 'a-title' }]);
      const res = await t.http.get('/acme/titles/posts').set(t.admin).set('X-Request-Id', 'acme-1').expect(200);
      expect(res.body).toEqual({ titles: ['a-title', 'b-title', 'p', 'y', 'z'], requestId: 'acme-1' });
      // Public has no read permission on posts: the extension's read is refused like any other.
      const anon = await t.http.get('/acme/titles/posts');
      expect(anon.status).toBe(403);
    });

    it('EXTENSIONS module paths load the default export, a named export, or fail naming the entry', () => {
      const cwd = __dirname;
      expect(loadExtensions(['./fixtures/acme-extension'], cwd)).toEqual([AcmeModule]);
      expect(loadExtensions(['./fixtures/acme-extension#AcmeModule'], cwd)).toEqual([AcmeModule]);
      expect(() => loadExtensions(['./fixtures/nope'], cwd)).toThrow(ConfigError);
      expect(() => loadExtensions(['./fixtures/acme-extension#Nope'], cwd)).toThrow(/no export "Nope"/);
    });
  });

  describe('/server/health', () => {
    it('reports a schema that cannot be loaded as an error (503), and recovers', async () => {
      const ok = await t.http.get('/server/health').set(t.admin).expect(200);
      expect(ok.body).toMatchObject({ status: 'ok', releaseId: '0.1.0', serviceId: 'tessera' });
      await t.db.client.query('ALTER TABLE directus_relations RENAME TO directus_relations_gone');
      await t.db.client.query('UPDATE tessera_schema_state SET version = version + 1');
      try {
        const broken = await t.http.get('/server/health').set(t.admin).expect(503);
        expect(broken.headers['content-type']).toMatch(/^application\/health\+json/);
        expect(broken.body.status).toBe('error');
        expect(broken.body.checks['pg:responseTime'][0].status).toBe('ok');
        expect(broken.body.checks['schema:version'][0]).toMatchObject({ status: 'error', componentType: 'system' });
        expect(broken.body.checks['schema:version'][0].output).toMatch(
          /^Schema cannot be loaded: .*directus_relations/,
        );
      } finally {
        await t.db.client.query('ALTER TABLE directus_relations_gone RENAME TO directus_relations');
      }
      const again = await t.http.get('/server/health').set(t.admin).expect(200);
      expect(again.body.checks['schema:version'][0].status).toBe('ok');
    });

    it('reports a database that does not answer as an error (503), and recovers', async () => {
      const server = new Client({ connectionString: process.env[SERVER_URL_ENV] });
      await server.connect();
      const [{ pid }] = (await t.db.client.query('SELECT pg_backend_pid() AS pid')).rows;
      await server.query(`ALTER DATABASE "${t.db.name}" ALLOW_CONNECTIONS false`);
      await server.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> $2`, [
        t.db.name,
        pid,
      ]);
      try {
        const down = await t.http.get('/server/health').set(t.admin).expect(503);
        expect(down.body.status).toBe('error');
        expect(down.body.checks['pg:responseTime'][0]).toMatchObject({ status: 'error', componentType: 'datastore' });
        expect(down.body.checks['pg:responseTime'][0].output).toMatch(/^Database is not reachable: /);
      } finally {
        await server.query(`ALTER DATABASE "${t.db.name}" ALLOW_CONNECTIONS true`);
        await server.end();
      }
      const up = await t.http.get('/server/health').set(t.admin).expect(200);
      expect(up.body.status).toBe('ok');
    });
  });
});
