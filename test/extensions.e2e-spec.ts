import { join } from 'node:path';
import request from 'supertest';
import { Injectable, Logger, Module } from '@nestjs/common';
import { AcmeModule, AuditTrail } from '../examples/acme-extension/acme.module';
import {
  createApp,
  ForbiddenError,
  ItemsFilter,
  loadConfig,
  loadExtensions,
  TesseraModule,
  type FilterHook,
} from '../src/public-api';
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

type Row = Record<string, unknown>;
type Meta = Parameters<FilterHook>[1];

/** Read hooks of a test extension on `memos` (Directus's items.query / items.read filters). */
@Injectable()
class MemoReadHooks {
  readonly calls: { event: string; collection: string; query?: unknown; payload: unknown }[] = [];

  /** Archived memos are hidden from every read, whatever the caller's filter. */
  @ItemsFilter('items.query', { collection: 'memos' })
  hideArchived(query: Row, meta: Meta): Row {
    this.calls.push({ event: meta.event, collection: meta.collection, payload: query });
    const visible = { archived: { _eq: false } };
    return { ...query, filter: query.filter ? { _and: [query.filter, visible] } : visible };
  }

  /** The secret never leaves; a `shout` value is added to each row that has a title. */
  @ItemsFilter('items.read', { collection: 'memos' })
  mask(rows: Row[], meta: Meta): Row[] {
    this.calls.push({ event: meta.event, collection: meta.collection, query: meta.query, payload: rows });
    return rows.map(({ secret: _secret, ...row }) =>
      typeof row.title === 'string' ? { ...row, shout: row.title.toUpperCase() } : row,
    );
  }

  /** Runs after `mask` (higher priority value): a row titled "classified" refuses the whole read. */
  @ItemsFilter('items.read', { collection: 'memos', priority: 200 })
  refuse(rows: Row[]): void {
    if (rows.some((row) => row.title === 'classified')) throw new ForbiddenError();
  }
}

@Module({ providers: [MemoReadHooks] })
class MemoHooksModule {}

describe('extensions: items.query and items.read filter hooks', () => {
  let t: TestApp;
  let hooks: MemoReadHooks;

  beforeAll(async () => {
    t = await createTestApp({}, { extensions: [MemoHooksModule] });
    hooks = t.app.get(MemoReadHooks);
    const fields = [
      { field: 'title', type: 'string' },
      { field: 'archived', type: 'boolean', schema: { default_value: false } },
      { field: 'secret', type: 'string' },
    ];
    await collection(t, 'memos', fields);
    await collection(t, 'plain', fields);
    await rows(
      t,
      `INSERT INTO memos (title, archived, secret) VALUES ('one', false, 's1'), ('two', true, 's2'), ('three', false, 's3')`,
    );
    await rows(t, `INSERT INTO plain (title, archived, secret) VALUES ('plain-row', true, 'p1')`);
  });
  afterAll(() => t.close());
  beforeEach(() => {
    hooks.calls.length = 0;
  });

  it('a list: the query hook changes the query before it is compiled, the read hook the rows answered', async () => {
    const res = await t.http.get('/items/memos?sort=id&fields=id,title,secret&meta=filter_count').set(t.admin);
    expect(res.status).toBe(200);
    // filter_count counts what the changed query selects.
    expect(res.body).toEqual({
      data: [
        { id: 1, title: 'one', shout: 'ONE' },
        { id: 3, title: 'three', shout: 'THREE' },
      ],
      meta: { filter_count: 2 },
    });
    expect(hooks.calls).toEqual([
      {
        event: 'items.query',
        collection: 'memos',
        payload: { sort: ['id'], fields: ['id', 'title', 'secret'], meta: ['filter_count'] },
      },
      {
        event: 'items.read',
        collection: 'memos',
        // The read hook is told the query as the query hooks left it.
        query: {
          sort: ['id'],
          fields: ['id', 'title', 'secret'],
          meta: ['filter_count'],
          filter: { archived: { _eq: false } },
        },
        payload: [
          { id: 1, title: 'one', secret: 's1' },
          { id: 3, title: 'three', secret: 's3' },
        ],
      },
    ]);
    // The caller's own filter is kept, AND-ed by the hook.
    const filtered = await t.http.get('/items/memos?filter[title][_eq]=two&fields=title').set(t.admin).expect(200);
    expect(filtered.body).toEqual({ data: [] });
  });

  it('one item: the read hook gets a one-row array; a row the query hook hides is a 403 as any unreadable one', async () => {
    const one = await t.http.get('/items/memos/3?fields=title').set(t.admin).expect(200);
    expect(one.body).toEqual({ data: { title: 'three', shout: 'THREE' } });
    expect(hooks.calls.find((c) => c.event === 'items.read')?.payload).toEqual([{ title: 'three' }]);
    const hidden = await t.http.get('/items/memos/2').set(t.admin).expect(403);
    expect(hidden.body.errors[0].extensions.code).toBe('FORBIDDEN');
    // SEARCH with keys (readMany) and GraphQL go through the same hooks.
    const many = await t.http
      .search('/items/memos')
      .set(t.admin)
      .send({ keys: [1, 2, 3], query: { fields: ['id'] } })
      .expect(200);
    expect(many.body).toEqual({ data: [{ id: 1 }, { id: 3 }] });
    const gql = await t.http
      .post('/graphql')
      .set(t.admin)
      .send({ query: '{ memos(sort: ["id"]) { id title secret } }' })
      .expect(200);
    expect(gql.body).toEqual({
      data: {
        memos: [
          { id: '1', title: 'one', secret: null },
          { id: '3', title: 'three', secret: null },
        ],
      },
    });
  });

  it('the re-read after a write runs the hooks too', async () => {
    const created = await t.http.post('/items/memos').set(t.admin).send({ title: 'four', secret: 's4' }).expect(200);
    expect(created.body).toEqual({ data: { id: 4, title: 'four', archived: false, shout: 'FOUR' } });
    const archived = await t.http.patch('/items/memos/4').set(t.admin).send({ archived: true });
    // The updated row is hidden by the query hook now: the write happened, the re-read can't see it (204, as Directus).
    expect(archived.status).toBe(204);
    expect(await rows(t, 'SELECT archived, secret FROM memos WHERE id = 4')).toEqual([
      { archived: true, secret: 's4' },
    ]);
  });

  it('a read hook that throws a Directus error answers its envelope', async () => {
    await rows(t, `INSERT INTO memos (title, archived) VALUES ('classified', false)`);
    try {
      const res = await t.http.get('/items/memos').set(t.admin).expect(403);
      expect(res.body).toEqual({
        errors: [{ message: "You don't have permission to access this.", extensions: { code: 'FORBIDDEN' } }],
      });
    } finally {
      await rows(t, `DELETE FROM memos WHERE title = 'classified'`);
    }
  });

  it('a collection without read hooks keeps the fast path: one statement, its JSON text never parsed', async () => {
    const parse = jest.spyOn(JSON, 'parse');
    try {
      let res: request.Response | undefined;
      const n = await t.countStatements(async () => {
        res = await t.http.get('/items/plain?fields=title,secret').set(t.admin).expect(200);
      });
      expect(n).toBe(1);
      // PostgreSQL's own JSON text (json_build_object's spacing), spliced into the envelope.
      expect(res!.text).toBe('{"data":[{"title" : "plain-row", "secret" : "p1"}]}');
      // The server parses no text holding the rows (the test client parses the response body, `{"data":…}`).
      const parsed = (marker: string) =>
        parse.mock.calls.filter(
          ([text]) => typeof text === 'string' && text.includes(marker) && !text.startsWith('{"data"'),
        );
      expect(parsed('plain-row')).toEqual([]);
      expect(hooks.calls).toEqual([]);
      // ... where the hooked collection's rows are parsed once, to hand them to the hook.
      await t.http.get('/items/memos?fields=title&limit=1').set(t.admin).expect(200);
      expect(parsed('"one"')).toHaveLength(1);
    } finally {
      parse.mockRestore();
    }
  });
});
