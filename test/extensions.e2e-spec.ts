import { join } from 'node:path';
import request from 'supertest';
import { Logger } from '@nestjs/common';
import { AcmeModule, AuditTrail } from '../examples/acme-extension/acme.module';
import { createApp, loadConfig, loadExtensions, TesseraModule } from '../src/public-api';
import { ADMIN_TOKEN } from './support/constants';
import { createTestDatabase } from './support/database';
import { admin, collection, rows, userWith } from './permissions.helpers';
import { createTestApp, type TestApp } from './support/app';

/** The extension API (issue 15 points 4–5) through the example extension in examples/acme-extension. */
describe('extensions: the Acme example', () => {
  let t: TestApp;
  let audit: AuditTrail;
  let adminId: string;
  const settle = () => new Promise((r) => setTimeout(r, 50));

  beforeAll(async () => {
    t = await createTestApp({}, { extensions: [AcmeModule] });
    audit = t.app.get(AuditTrail);
    adminId = (await admin(t, 'get', '/users/me')).id;
    await collection(t, 'articles', [
      { field: 'title', type: 'string' },
      { field: 'slug', type: 'string' },
      { field: 'owner', type: 'uuid' },
    ]);
  });
  afterAll(() => t.close());
  beforeEach(() => {
    audit.lines.length = 0;
  });

  it('slugifies the title on create and update, after the higher-priority hook dropped "Draft:"', async () => {
    const created = await admin(t, 'post', '/items/articles', { title: 'Draft: Hello, Wörld!' });
    expect(created).toEqual({ id: created.id, title: 'Hello, Wörld!', slug: 'hello-world', owner: null });
    const updated = await admin(t, 'patch', `/items/articles/${created.id}`, { title: 'Second Take' });
    expect(updated).toEqual({ id: created.id, title: 'Second Take', slug: 'second-take', owner: null });
    const batch = await t.http
      .post('/items/articles')
      .set(t.admin)
      .send([{ title: 'A b' }, { title: 'draft: C d' }])
      .expect(200);
    expect(batch.body.data.map((r: { slug: string }) => r.slug)).toEqual(['a-b', 'c-d']);
    expect(await rows(t, 'SELECT title, slug FROM articles WHERE id = $1', [created.id])).toEqual([
      { title: 'Second Take', slug: 'second-take' },
    ]);
  });

  it('records an audit line after commit, and none when the write fails', async () => {
    const created = await admin(t, 'post', '/items/articles', { title: 'Audited' });
    await settle();
    expect(audit.lines).toEqual([`create articles ${created.id} by ${adminId}`]);
    audit.lines.length = 0;
    // A write that fails in the database (a string into the uuid column) commits nothing and is not audited.
    await t.http.post('/items/articles').set(t.admin).send({ title: 'x', owner: 'not-a-uuid' }).expect(400);
    await settle();
    expect(audit.lines).toEqual([]);
  });

  it('a rejecting filter hook answers its error envelope and writes nothing', async () => {
    const [{ n: before }] = await rows(t, 'SELECT count(*)::int AS n FROM articles');
    const res = await t.http
      .post('/items/articles')
      .set(t.admin)
      .send([{ title: 'fine' }, { title: 'forbidden' }])
      .expect(400);
    expect(res.body).toEqual({
      errors: [
        {
          message: 'Invalid payload. "forbidden" is not a title.',
          extensions: { code: 'INVALID_PAYLOAD', reason: '"forbidden" is not a title' },
        },
      ],
    });
    await settle();
    expect(await rows(t, 'SELECT count(*)::int AS n FROM articles')).toEqual([{ n: before }]);
    expect(audit.lines).toEqual([]);
  });

  it('a throwing action listener harms nothing', async () => {
    const created = await admin(t, 'post', '/items/articles', { title: 'Doomed' });
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    await t.http.delete(`/items/articles/${created.id}`).set(t.admin).expect(204);
    await settle();
    expect(audit.lines.at(-1)).toBe(`delete articles ${created.id} by ${adminId}`);
    expect(await rows(t, 'SELECT id FROM articles WHERE id = $1', [created.id])).toEqual([]);
    expect(logged.mock.calls).toContainEqual([
      expect.objectContaining({
        msg: 'after-commit listener failed',
        collection: 'articles',
        error: 'Error: acme audit sink is down',
      }),
    ]);
    logged.mockRestore();
    await t.http.get('/server/ping').expect(200);
  });

  it('the custom endpoint reads as the caller: a restricted role sees only its rows', async () => {
    const reader = await userWith(t, [
      { collection: 'articles', action: 'read', permissions: { owner: { _eq: '$CURRENT_USER' } } },
    ]);
    await admin(t, 'post', '/items/articles', [
      { title: 'Mine One', owner: reader.id },
      { title: 'Mine Two', owner: reader.id },
      { title: 'Not Mine' },
    ]);
    const mine = await t.http.get('/acme/articles').set(reader.auth).expect(200);
    expect(mine.body).toEqual({ slugs: ['mine-one', 'mine-two'] });
    const all = await t.http.get('/acme/articles').set(t.admin).expect(200);
    expect(all.body.slugs).toEqual(expect.arrayContaining(['mine-one', 'mine-two', 'not-mine']));
    const anon = await t.http.get('/acme/articles').expect(403);
    expect(anon.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('loads through EXTENSIONS module paths and TesseraModule.forRoot', () => {
    const root = join(__dirname, '..');
    expect(loadExtensions(['./examples/acme-extension/acme.module#AcmeModule'], root)).toEqual([AcmeModule]);
    const mod = TesseraModule.forRoot({} as never, { extensions: [AcmeModule] });
    expect(mod.imports).toContain(AcmeModule);
  });

  it('the packaged server path: createApp loads the EXTENSIONS module paths of its config', async () => {
    const db = await createTestDatabase();
    const app = await createApp(
      loadConfig({
        DATABASE_URL: db.url,
        ADMIN_TOKEN,
        SECRET: 'test-secret-test-secret-test-secret-0123',
        LOG_LEVEL: 'warn',
        DB_POOL_MAX: '2',
        EXTENSIONS: './examples/acme-extension/acme.module#AcmeModule',
      }),
    );
    try {
      const http = request(app.getHttpServer());
      const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
      await http
        .post('/collections')
        .set(auth)
        .send({
          collection: 'articles',
          schema: {},
          fields: [
            { field: 'title', type: 'string' },
            { field: 'slug', type: 'string' },
          ],
        })
        .expect(200);
      const res = await http.post('/items/articles').set(auth).send({ title: 'From Env' }).expect(200);
      expect(res.body.data).toEqual({ id: 1, title: 'From Env', slug: 'from-env' });
      expect((await http.get('/acme/articles').set(auth).expect(200)).body).toEqual({ slugs: ['from-env'] });
    } finally {
      await app.close();
      await db.drop();
    }
  });
});
