import { Client } from 'pg';
import { SYSTEM_ACCOUNTABILITY } from '../src/core/context/accountability';
import { ItemsContextFactory } from '../src/modules/items/items-context.factory';
import { SystemItemsService } from '../src/modules/items/system-items.service';
import { ChangeCapture } from '../src/modules/revisions/change-capture.service';
import { RetentionService } from '../src/modules/revisions/retention.service';
import { createTestApp, type TestApp } from './support/app';
import { ADMIN_EMAIL } from './support/constants';
import { createItemsSchema } from './items-writes.schema';
import { admin, collectionForbidden, FORBIDDEN, rows, userWith, type Row } from './permissions.helpers';

/**
 * Activity and revisions (spec 7, revisions issue): one change-capture step inside the writing transaction, the
 * /activity, /revisions and /utils/revert endpoints, retention, and the realtime change log the same step appends.
 * Rows are compared whole, with the column formats of a database Directus 12.4.1 wrote (shared/fixtures: `item` as
 * text, `data` / `delta` as compact JSON text in the read format).
 */
describe('activity and revisions', () => {
  let t: TestApp;
  let adminId: string;

  beforeAll(async () => {
    t = await createTestApp();
    await createItemsSchema(t);
    adminId = (await rows(t, `SELECT id FROM directus_users WHERE email = $1`, [ADMIN_EMAIL]))[0]!.id as string;
  });
  afterAll(() => t.close());

  beforeEach(async () => {
    await rows(
      t,
      `TRUNCATE directus_revisions, directus_activity, tessera_changes, articles_tags, articles_blocks, comments, notes,
       articles, authors, tags, kitchen, settings, codes RESTART IDENTITY CASCADE`,
    );
  });

  const activity = () =>
    rows(t, `SELECT id, action, "user", ip, user_agent, origin, collection, item FROM directus_activity ORDER BY id`);
  /** Revisions with data and delta as the JSON text stored. */
  const revisions = () =>
    rows(
      t,
      `SELECT id, activity, collection, item, data::text AS data, delta::text AS delta, parent, version
       FROM directus_revisions ORDER BY id`,
    );
  const act = (id: number, action: string, collection: string, item: string, over: Row = {}) => ({
    id,
    action,
    user: adminId,
    ip: '127.0.0.1',
    user_agent: null,
    origin: null,
    collection,
    item,
    ...over,
  });
  const rev = (
    id: number,
    activityId: number,
    collection: string,
    item: string,
    data: string | null,
    delta: string | null,
    parent: number | null = null,
  ) => ({ id, activity: activityId, collection, item, data, delta, parent, version: null });

  describe('what a write records', () => {
    it('a create: one activity row and a revision whose data = delta = the given non-relational fields', async () => {
      await t.http
        .post('/items/authors')
        .set(t.admin)
        .set('User-Agent', 'jest-agent')
        .set('Origin', 'https://app.example.com')
        .send({ name: 'Ada' })
        .expect(200);
      expect(await activity()).toEqual([
        act(1, 'create', 'authors', '1', { user_agent: 'jest-agent', origin: 'https://app.example.com' }),
      ]);
      expect(await revisions()).toEqual([rev(1, 1, 'authors', '1', '{"name":"Ada"}', '{"name":"Ada"}')]);
    });

    it('values are stored in the read format, generated values (uuid, date/user/role-created) left out', async () => {
      await t.http
        .post('/items/kitchen')
        .set(t.admin)
        .send({
          name: 'k',
          big: '9007199254740993',
          price: 12.5,
          flag: true,
          day: '2024-05-01',
          moment: '2024-05-01T18:00:00',
          doc: { room: 'A' },
          labels: ['a', 'b'],
        })
        .expect(200);
      const [r] = await revisions();
      expect(r).toEqual(
        rev(
          1,
          1,
          'kitchen',
          '1',
          '{"name":"k","big":"9007199254740993","price":"12.50","flag":true,"day":"2024-05-01","moment":"2024-05-01T18:00:00","doc":{"room":"A"},"labels":["a","b"]}',
          '{"name":"k","big":"9007199254740993","price":"12.50","flag":true,"day":"2024-05-01","moment":"2024-05-01T18:00:00","doc":{"room":"A"},"labels":["a","b"]}',
        ),
      );
    });

    it('an update: data is the whole row after the write (key first), delta the fields set', async () => {
      await admin(t, 'post', '/items/authors', { name: 'Ann' });
      await admin(t, 'post', '/items/articles', { title: 'One', author: 1 });
      await t.http.patch('/items/articles/1').set(t.admin).send({ title: 'Two', status: 'published' }).expect(200);
      expect((await activity()).slice(2)).toEqual([act(3, 'update', 'articles', '1')]);
      expect((await revisions()).slice(2)).toEqual([
        rev(
          3,
          3,
          'articles',
          '1',
          '{"id":1,"title":"Two","slug":null,"status":"published"}',
          '{"title":"Two","status":"published"}',
        ),
      ]);
    });

    it('an update of several keys: one activity and one revision per key, in the order of the keys', async () => {
      await admin(t, 'post', '/items/authors', [{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
      await admin(t, 'patch', '/items/authors', { keys: [3, 1], data: { name: 'z' } });
      expect((await activity()).slice(3)).toEqual([act(4, 'update', 'authors', '3'), act(5, 'update', 'authors', '1')]);
      expect((await revisions()).slice(3)).toEqual([
        rev(4, 4, 'authors', '3', '{"id":3,"name":"z"}', '{"name":"z"}'),
        rev(5, 5, 'authors', '1', '{"id":1,"name":"z"}', '{"name":"z"}'),
      ]);
    });

    it('an update by query records the rows it matched', async () => {
      await admin(t, 'post', '/items/authors', [{ name: 'a' }, { name: 'b' }, { name: 'a' }]);
      const res = await t.http.patch('/items/authors?filter[name][_eq]=a').set(t.admin).send({ name: 'x' });
      expect(res.status).toBe(200);
      expect((await activity()).slice(3).map((a) => [a.action, a.item])).toEqual([
        ['update', '1'],
        ['update', '3'],
      ]);
      expect((await revisions()).slice(3).map((r) => [r.item, r.delta])).toEqual([
        ['1', '{"name":"x"}'],
        ['3', '{"name":"x"}'],
      ]);
    });

    it('a delete (by keys, by query): activity only, no revision', async () => {
      await admin(t, 'post', '/items/authors', [{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
      await t.http.delete('/items/authors/2').set(t.admin).expect(204);
      await t.http
        .delete('/items/authors')
        .set(t.admin)
        .send({ query: { filter: { name: { _eq: 'c' } } } })
        .expect(204);
      expect((await activity()).slice(3)).toEqual([act(4, 'delete', 'authors', '2'), act(5, 'delete', 'authors', '3')]);
      expect(await revisions()).toHaveLength(3);
    });

    it('an update whose delta is empty (only relations changed) writes activity but no revision', async () => {
      await admin(t, 'post', '/items/articles', { title: 'One' });
      await admin(t, 'patch', '/items/articles/1', { comments: [{ body: 'c1' }] });
      expect(await activity()).toEqual([
        act(1, 'create', 'articles', '1'),
        act(2, 'update', 'articles', '1'),
        act(3, 'create', 'comments', '1'),
      ]);
      // No revision for activity 2; the comment's revision has the update's item as parent only when one exists.
      expect(await revisions()).toEqual([
        rev(1, 1, 'articles', '1', '{"title":"One"}', '{"title":"One"}'),
        rev(2, 3, 'comments', '1', '{"body":"c1","sort":1}', '{"body":"c1","sort":1}'),
      ]);
    });

    it('nested writes: every nested revision has the top-level revision as parent (M2O, O2M, M2M)', async () => {
      await admin(t, 'post', '/items/articles', {
        title: 'A',
        author: { name: 'Ann' },
        comments: [{ body: 'c1' }, { body: 'c2' }],
        tags: [{ tags_id: { name: 't1' } }],
      });
      expect((await activity()).map((a) => [a.id, a.action, a.collection, a.item])).toEqual([
        [1, 'create', 'authors', '1'],
        [2, 'create', 'articles', '1'],
        [3, 'create', 'comments', '1'],
        [4, 'create', 'comments', '2'],
        [5, 'create', 'tags', '1'],
        [6, 'create', 'articles_tags', '1'],
      ]);
      expect(await revisions()).toEqual([
        rev(1, 1, 'authors', '1', '{"name":"Ann"}', '{"name":"Ann"}', 2),
        rev(2, 2, 'articles', '1', '{"title":"A"}', '{"title":"A"}'),
        rev(3, 3, 'comments', '1', '{"body":"c1","sort":1}', '{"body":"c1","sort":1}', 2),
        rev(4, 4, 'comments', '2', '{"body":"c2","sort":2}', '{"body":"c2","sort":2}', 2),
        rev(5, 5, 'tags', '1', '{"name":"t1"}', '{"name":"t1"}', 2),
        // a junction row has no non-relational field: data and delta are NULL, as Directus stores them
        rev(6, 6, 'articles_tags', '1', null, null, 2),
      ]);
    });

    it('a batch create of 1,000 rows is recorded with a constant number of statements', async () => {
      const batch = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ name: `n${from + i}` }));
      await admin(t, 'get', '/items/authors?limit=1');
      const ten = await t.countStatements(() =>
        t.http.post('/items/authors?fields=id').set(t.admin).send(batch(10, 0)).expect(200),
      );
      const thousand = await t.countStatements(() =>
        t.http.post('/items/authors?fields=id').set(t.admin).send(batch(1000, 10)).expect(200),
      );
      expect(thousand).toBe(ten);
      // The INSERT with activity and revisions as CTEs of its own statement, then the re-read.
      expect(thousand).toBe(2);
      expect(
        await rows(t, `SELECT count(*)::int AS n, count(DISTINCT item)::int AS items FROM directus_activity`),
      ).toEqual([{ n: 1010, items: 1010 }]);
      expect(await rows(t, `SELECT count(*)::int AS n FROM directus_revisions`)).toEqual([{ n: 1010 }]);
      expect(
        await rows(
          t,
          `SELECT item, data::text AS data FROM directus_revisions WHERE item IN ('1', '1010') ORDER BY id`,
        ),
      ).toEqual([
        { item: '1', data: '{"name":"n0"}' },
        { item: '1010', data: '{"name":"n1009"}' },
      ]);
    });

    it('a batch create whose rows set different fields: every row recorded as given, in the order given', async () => {
      await rows(t, `INSERT INTO articles (title) VALUES ('A')`);
      const n = await t.countStatements(() =>
        t.http
          .post('/items/comments?fields=id')
          .set(t.admin)
          .send([{ body: 'a', article: 1 }, { body: 'b', sort: 2 }, { body: 'c' }])
          .expect(200),
      );
      // Not one revision SELECT for all rows: the capture is a statement of its own after the INSERT.
      expect(n).toBe(3);
      const same = await t.countStatements(() =>
        t.http
          .post('/items/comments?fields=id')
          .set(t.admin)
          .send([
            { body: 'd', article: 1 },
            { body: 'e', article: null },
          ])
          .expect(200),
      );
      expect(same).toBe(2);
      expect(await activity()).toEqual(
        ['1', '2', '3', '4', '5'].map((item, i) => act(i + 1, 'create', 'comments', item)),
      );
      expect(await revisions()).toEqual([
        rev(1, 1, 'comments', '1', '{"body":"a"}', '{"body":"a"}'),
        rev(2, 2, 'comments', '2', '{"body":"b","sort":2}', '{"body":"b","sort":2}'),
        rev(3, 3, 'comments', '3', '{"body":"c"}', '{"body":"c"}'),
        rev(4, 4, 'comments', '4', '{"body":"d"}', '{"body":"d"}'),
        rev(5, 5, 'comments', '5', '{"body":"e"}', '{"body":"e"}'),
      ]);
    });

    it('the one-statement admin create and patch stay ONE statement, activity and revision included', async () => {
      await admin(t, 'get', '/items/authors?limit=1');
      expect(
        await t.countStatements(() => t.http.post('/items/authors').set(t.admin).send({ name: 'a' }).expect(200)),
      ).toBe(1);
      expect(
        await t.countStatements(() => t.http.patch('/items/authors/1').set(t.admin).send({ name: 'b' }).expect(200)),
      ).toBe(1);
      expect(await activity()).toEqual([act(1, 'create', 'authors', '1'), act(2, 'update', 'authors', '1')]);
      expect(await revisions()).toEqual([
        rev(1, 1, 'authors', '1', '{"name":"a"}', '{"name":"a"}'),
        rev(2, 2, 'authors', '1', '{"id":1,"name":"b"}', '{"name":"b"}'),
      ]);
    });

    it('a rolled-back write leaves no activity or revision row', async () => {
      const res = await t.http
        .post('/items/articles')
        .set(t.admin)
        .send({ title: 'A', author: { name: 'Ann' }, comments: [{ body: null }] });
      expect(res.status).toBe(400);
      expect(await activity()).toEqual([]);
      expect(await revisions()).toEqual([]);
      expect(await rows(t, `SELECT count(*)::int AS n FROM authors`)).toEqual([{ n: 0 }]);
    });

    it('accountability per collection: all, activity (no revisions), null (nothing)', async () => {
      await admin(t, 'patch', '/collections/tags', { meta: { accountability: 'activity' } });
      await admin(t, 'patch', '/collections/codes', { meta: { accountability: null } });
      try {
        await admin(t, 'post', '/items/tags', { name: 't' });
        await admin(t, 'post', '/items/codes', { code: 'x', label: 'y' });
        await admin(t, 'patch', '/items/tags/1', { name: 'u' });
        await admin(t, 'post', '/items/authors', { name: 'a' });
        expect(await activity()).toEqual([
          act(1, 'create', 'tags', '1'),
          act(2, 'update', 'tags', '1'),
          act(3, 'create', 'authors', '1'),
        ]);
        expect(await revisions()).toEqual([rev(1, 3, 'authors', '1', '{"name":"a"}', '{"name":"a"}')]);
      } finally {
        await admin(t, 'patch', '/collections/tags', { meta: { accountability: 'all' } });
        await admin(t, 'patch', '/collections/codes', { meta: { accountability: 'all' } });
      }
    });

    it('a public (anonymous) write is recorded with user null; string keys are stored as given', async () => {
      const p = await admin(t, 'get', `/policies/abf8a154-5b1c-4a46-ac9c-7300570f4f17?fields=id`);
      const perm = await admin(t, 'post', '/permissions', {
        policy: p.id,
        collection: 'codes',
        action: 'create',
        fields: ['*'],
      });
      try {
        await t.http.post('/items/codes').send({ code: 'AbC', label: 'l' }).expect(204);
        // activity 1 is the admin's creation of the permission (system collections are recorded too)
        expect((await activity())[1]).toEqual(act(2, 'create', 'codes', 'AbC', { user: null }));
        expect((await revisions())[1]).toEqual(
          rev(2, 2, 'codes', 'AbC', '{"code":"AbC","label":"l"}', '{"code":"AbC","label":"l"}'),
        );
      } finally {
        await admin(t, 'delete', `/permissions/${perm.id}`);
      }
    });
  });

  describe('GET/SEARCH /activity and /revisions', () => {
    beforeEach(async () => {
      await admin(t, 'post', '/items/authors', [{ name: 'a' }, { name: 'b' }]);
      await admin(t, 'patch', '/items/authors/2', { name: 'bb' });
      await admin(t, 'delete', '/items/authors/1');
    });

    it('lists with the query DSL: filter, fields, sort, meta, relational fields', async () => {
      const res = await t.http
        .get('/activity?filter[action][_eq]=update&fields=id,action,collection,item,user.email,revisions.delta&meta=*')
        .set(t.admin)
        .expect(200);
      expect(res.body).toEqual({
        meta: { total_count: 4, filter_count: 1 },
        data: [
          {
            id: 3,
            action: 'update',
            collection: 'authors',
            item: '2',
            user: { email: ADMIN_EMAIL },
            revisions: [{ delta: { name: 'bb' } }],
          },
        ],
      });
      const revs = await t.http
        .get('/revisions?fields=id,item,data,delta,activity.action&sort=-id&filter[collection][_eq]=authors')
        .set(t.admin)
        .expect(200);
      expect(revs.body).toEqual({
        data: [
          { id: 3, item: '2', data: { id: 2, name: 'bb' }, delta: { name: 'bb' }, activity: { action: 'update' } },
          { id: 2, item: '2', data: { name: 'b' }, delta: { name: 'b' }, activity: { action: 'create' } },
          { id: 1, item: '1', data: { name: 'a' }, delta: { name: 'a' }, activity: { action: 'create' } },
        ],
      });
    });

    it('by id, SEARCH, and a missing id (403)', async () => {
      expect((await t.http.get('/activity/4?fields=action,item').set(t.admin).expect(200)).body).toEqual({
        data: { action: 'delete', item: '1' },
      });
      expect((await t.http.get('/revisions/1?fields=id,parent').set(t.admin).expect(200)).body).toEqual({
        data: { id: 1, parent: null },
      });
      const search = await t.http
        .search('/revisions')
        .set(t.admin)
        .send({ query: { fields: ['id'], filter: { item: { _eq: '2' } } } })
        .expect(200);
      expect(search.body).toEqual({ data: [{ id: 2 }, { id: 3 }] });
      expect((await t.http.get('/activity/999').set(t.admin)).body).toEqual(FORBIDDEN);
    });

    it('are read-only, admins included: no write route (404 as Directus)', async () => {
      for (const [method, path] of [
        ['post', '/activity'],
        ['patch', '/activity/1'],
        ['delete', '/activity/1'],
        ['post', '/revisions'],
        ['patch', '/revisions/1'],
        ['delete', '/revisions'],
      ] as const) {
        const res = await t.http[method](path).set(t.admin).send({});
        expect({ method, path, status: res.status, code: res.body.errors?.[0]?.extensions?.code }).toEqual({
          method,
          path,
          status: 404,
          code: 'ROUTE_NOT_FOUND',
        });
      }
      expect(await rows(t, `SELECT count(*)::int AS n FROM directus_activity`)).toEqual([{ n: 4 }]);
    });

    it('are read-only for every caller of the domain too: SystemItemsService refuses internal (system) writes', async () => {
      const system = t.app.get(SystemItemsService);
      const ctx = t.app.get(ItemsContextFactory).create(SYSTEM_ACCOUNTABILITY, { transport: 'internal' });
      const before = await rows(t, `SELECT id, action, item FROM directus_activity ORDER BY id`);
      const revisionsBefore = await rows(t, `SELECT id, data::text AS data FROM directus_revisions ORDER BY id`);
      for (const c of ['directus_activity', 'directus_revisions']) {
        const attempts: [string, () => Promise<unknown>][] = [
          ['createOne', () => system.createOne(ctx, c, { action: 'create', collection: 'authors', item: '9' })],
          ['createMany', () => system.createMany(ctx, c, [{ action: 'create', collection: 'authors', item: '9' }])],
          ['updateOne', () => system.updateOne(ctx, c, 1, { item: 'x' })],
          ['updateMany', () => system.updateMany(ctx, c, [1, 2], { item: 'x' })],
          ['updateByQuery', () => system.updateByQuery(ctx, c, { filter: { id: { _eq: 1 } } }, { item: 'x' })],
          ['deleteOne', () => system.deleteOne(ctx, c, 1)],
          ['deleteByQuery', () => system.deleteByQuery(ctx, c, { filter: { id: { _gt: 0 } } })],
        ];
        for (const [method, attempt] of attempts) {
          const outcome = await attempt().then(
            () => 'written',
            (error: { code?: string }) => error.code ?? String(error),
          );
          expect({ c, method, outcome }).toEqual({ c, method, outcome: 'FORBIDDEN' });
        }
      }
      // Reads stay open to it, and nothing changed.
      expect((await system.readByQuery(ctx, 'directus_activity', { fields: ['id'], limit: 1 })).data).toEqual([
        { id: 1 },
      ]);
      expect(await rows(t, `SELECT id, action, item FROM directus_activity ORDER BY id`)).toEqual(before);
      expect(await rows(t, `SELECT id, data::text AS data FROM directus_revisions ORDER BY id`)).toEqual(
        revisionsBefore,
      );
    });

    it('follow permissions: no read permission → 403; an item filter limits the rows', async () => {
      const none = await userWith(t, [{ collection: 'authors', action: 'read' }]);
      expect((await t.http.get('/activity').set(none.auth)).status).toBe(403);
      expect((await t.http.get('/revisions').set(none.auth)).status).toBe(403);
      const own = await userWith(t, [
        { collection: 'directus_activity', action: 'read', permissions: { user: { _eq: '$CURRENT_USER' } } },
        { collection: 'authors', action: 'create' },
      ]);
      expect((await t.http.get('/activity?fields=id').set(own.auth).expect(200)).body).toEqual({ data: [] });
      await t.http.post('/items/authors').set(own.auth).send({ name: 'mine' }).expect(204);
      expect((await t.http.get('/activity?fields=action,item,user').set(own.auth).expect(200)).body).toEqual({
        data: [{ action: 'create', item: '3', user: own.id }],
      });
      // no read on revisions for this role
      expect((await t.http.get('/revisions').set(own.auth)).status).toBe(403);
    });
  });

  describe('POST /utils/revert/:revision', () => {
    it('writes the revision data back as the caller: 204 and a new update revision', async () => {
      await admin(t, 'post', '/items/articles', { title: 'One', status: 'draft' });
      await admin(t, 'patch', '/items/articles/1', { title: 'Two', status: 'published' });
      // revision 2 is the update: data is the whole row after it; revert to revision 1 (the create)
      const res = await t.http.post('/utils/revert/1').set(t.admin);
      expect(res.status).toBe(204);
      expect(await admin(t, 'get', '/items/articles/1?fields=title,status')).toEqual({
        title: 'One',
        status: 'draft',
      });
      expect((await revisions()).slice(2)).toEqual([
        rev(
          3,
          3,
          'articles',
          '1',
          '{"id":1,"title":"One","slug":null,"status":"draft"}',
          '{"title":"One","status":"draft"}',
        ),
      ]);
      expect((await activity()).slice(2)).toEqual([act(3, 'update', 'articles', '1')]);
      // and back to the update's full snapshot
      await t.http.post('/utils/revert/2').set(t.admin).expect(204);
      expect(await admin(t, 'get', '/items/articles/1?fields=title,status')).toEqual({
        title: 'Two',
        status: 'published',
      });
    });

    it('400 when the revision holds no data; 403 for a missing revision or a caller who cannot read it', async () => {
      await admin(t, 'post', '/items/articles', { title: 'A', tags: [{ tags_id: { name: 't' } }] });
      const junction = (await rows(t, `SELECT id FROM directus_revisions WHERE collection = 'articles_tags'`))[0]!;
      const res = await t.http.post(`/utils/revert/${junction.id}`).set(t.admin);
      expect({ status: res.status, body: res.body }).toEqual({
        status: 400,
        body: {
          errors: [
            {
              message: expect.stringContaining(`Revision doesn't contain data to revert to`),
              extensions: { code: 'INVALID_PAYLOAD', reason: `Revision doesn't contain data to revert to` },
            },
          ],
        },
      });
      expect((await t.http.post('/utils/revert/999').set(t.admin)).body).toEqual(FORBIDDEN);
      // A malformed or out-of-range id names no revision: the same 403, never a database error.
      for (const id of ['abc', '1.5', '99999999999999999999'])
        expect((await t.http.post(`/utils/revert/${id}`).set(t.admin)).body).toEqual(FORBIDDEN);
      const reader = await userWith(t, [{ collection: 'articles', action: 'update' }]);
      expect((await t.http.post('/utils/revert/1').set(reader.auth)).body).toEqual(
        collectionForbidden('directus_revisions'),
      );
    });

    it('reverts as the caller: permissions on the item apply', async () => {
      await admin(t, 'post', '/items/authors', { name: 'a' });
      await admin(t, 'patch', '/items/authors/1', { name: 'b' });
      const u = await userWith(t, [
        { collection: 'directus_revisions', action: 'read' },
        { collection: 'authors', action: 'read' },
      ]);
      const res = await t.http.post('/utils/revert/1').set(u.auth);
      expect(res.status).toBe(403);
      expect(await admin(t, 'get', '/items/authors/1?fields=name')).toEqual({ name: 'b' });
      expect(await rows(t, `SELECT count(*)::int AS n FROM directus_revisions WHERE collection = 'authors'`)).toEqual([
        { n: 2 },
      ]);
    });
  });
});

describe('retention and the change log', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      ACTIVITY_RETENTION: '30d',
      REVISIONS_RETENTION: '7d',
      WEBSOCKETS_EVENT_RETENTION: '1h',
      RETENTION_BATCH: '2',
    });
    await createItemsSchema(t);
  });
  afterAll(() => t.close());

  it('prunes in batches: old activity (with its revisions), old revisions, old change-log rows; parents kept valid', async () => {
    await admin(t, 'post', '/items/articles', { title: 'A', comments: [{ body: 'c1' }, { body: 'c2' }] });
    await admin(t, 'post', '/items/authors', [{ name: 'x' }, { name: 'y' }, { name: 'z' }]);
    // 6 activity rows: articles 1 (+2 comments, children of revision 1) and 3 authors. Age them:
    //   the article's create 40 days (pruned with its revision, whose children lose their parent),
    //   the comments 10 days (activity kept, revisions pruned), author 1 10 days, the others fresh.
    await rows(
      t,
      `UPDATE directus_activity SET "timestamp" = now() - CASE WHEN id = 1 THEN interval '40 days' ELSE interval '10 days' END
       WHERE id IN (1, 2, 3, 4)`,
    );
    await rows(
      t,
      `INSERT INTO tessera_changes (request_id, collection, action, keys, created_at) VALUES
      ('r1', 'authors', 'create', '[1]', now() - interval '2 hours'),
      ('r2', 'authors', 'create', '[2]', now() - interval '3 hours'),
      ('r3', 'authors', 'create', '[3]', now() - interval '4 hours'),
      ('r4', 'authors', 'create', '[4]', now())`,
    );
    const report = await t.app.get(RetentionService).runOnce();
    expect(report).toEqual({ revisions: 4, activity: 1, changes: 3 });
    expect(await rows(t, `SELECT id, collection, item FROM directus_activity ORDER BY id`)).toEqual([
      { id: 2, collection: 'comments', item: '1' },
      { id: 3, collection: 'comments', item: '2' },
      { id: 4, collection: 'authors', item: '1' },
      { id: 5, collection: 'authors', item: '2' },
      { id: 6, collection: 'authors', item: '3' },
    ]);
    expect(await rows(t, `SELECT id, activity, parent FROM directus_revisions ORDER BY id`)).toEqual([
      { id: 5, activity: 5, parent: null },
      { id: 6, activity: 6, parent: null },
    ]);
    expect(await rows(t, `SELECT request_id FROM tessera_changes ORDER BY id`)).toEqual([{ request_id: 'r4' }]);
    // a second pass finds nothing
    expect(await t.app.get(RetentionService).runOnce()).toEqual({ revisions: 0, activity: 0, changes: 0 });
  });

  it('prunes a child revision whose parent stays, and a parent whose children stay', async () => {
    await rows(t, `TRUNCATE directus_revisions, directus_activity RESTART IDENTITY CASCADE`);
    await admin(t, 'post', '/items/articles', { title: 'B', comments: [{ body: 'c3' }] });
    // the parent (activity 1) is old, the child (activity 2) fresh: the child loses its parent, nothing fails
    await rows(t, `UPDATE directus_activity SET "timestamp" = now() - interval '8 days' WHERE id = 1`);
    expect(await t.app.get(RetentionService).runOnce()).toEqual({ revisions: 1, activity: 0, changes: 0 });
    expect(await rows(t, `SELECT id, parent FROM directus_revisions ORDER BY id`)).toEqual([{ id: 2, parent: null }]);
  });

  it('off by default: nothing but the change log has a window', async () => {
    const plain = await createTestApp();
    try {
      const windows = plain.app.get(RetentionService).windows(new Date('2026-01-02T00:00:00Z'));
      expect(windows).toEqual({ changes: new Date('2026-01-01T00:00:00Z') });
    } finally {
      await plain.close();
    }
  });
});

describe('the realtime change log (tessera_changes + NOTIFY)', () => {
  let t: TestApp;
  let listener: Client;
  const notes: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ WEBSOCKETS_ENABLED: 'true' });
    await createItemsSchema(t);
    listener = new Client({ connectionString: t.db.url });
    await listener.connect();
    listener.on('notification', (n) => {
      if (n.channel === 'tessera_changes') notes.push(n.payload ?? '');
    });
    await listener.query('LISTEN tessera_changes');
  });
  afterAll(async () => {
    await listener.end();
    await t.close();
  });

  const changes = () =>
    rows(t, `SELECT id::int AS id, collection, action, keys, before, "user" FROM tessera_changes ORDER BY id`);
  const settle = () => new Promise((r) => setTimeout(r, 100));

  it('every committed write appends one row per (collection, action) with its keys and before images', async () => {
    await t.http.post('/items/authors').set(t.admin).send({ name: 'a' }).expect(200);
    await t.http.patch('/items/authors/1').set(t.admin).send({ name: 'b' }).expect(200);
    await t.http
      .post('/items/authors')
      .set(t.admin)
      .send([{ name: 'c' }, { name: 'd' }])
      .expect(200);
    await t.http.delete('/items/authors').set(t.admin).send([2, 3]).expect(204);
    await admin(t, 'patch', '/collections/codes', { meta: { accountability: null } });
    await t.http.post('/items/codes').set(t.admin).send({ code: 'k' }).expect(200);
    await settle();
    const user = expect.any(String);
    expect(await changes()).toEqual([
      { id: 1, collection: 'authors', action: 'create', keys: [1], before: null, user },
      { id: 2, collection: 'authors', action: 'update', keys: [1], before: [{ id: 1, name: 'a' }], user },
      { id: 3, collection: 'authors', action: 'create', keys: [2, 3], before: null, user },
      {
        id: 4,
        collection: 'authors',
        action: 'delete',
        keys: [2, 3],
        before: [
          { id: 2, name: 'c' },
          { id: 3, name: 'd' },
        ],
        user,
      },
      // accountability null: no activity, but realtime still hears of it
      { id: 5, collection: 'codes', action: 'create', keys: ['k'], before: null, user },
    ]);
    expect(notes).toEqual(['1-1', '2-2', '3-3', '4-4', '5-5']);
    expect(await rows(t, `SELECT count(*)::int AS n FROM directus_activity WHERE collection = 'codes'`)).toEqual([
      { n: 0 },
    ]);
  });

  it('a rolled-back write appends nothing and announces nothing', async () => {
    notes.length = 0;
    const before = (await changes()).length;
    const res = await t.http
      .post('/items/articles')
      .set(t.admin)
      .send({ title: 'A', comments: [{ body: null }] });
    expect(res.status).toBe(400);
    await settle();
    expect((await changes()).length).toBe(before);
    expect(notes).toEqual([]);
  });

  it('enableChangeLog() turns it on for a server started without WEBSOCKETS_ENABLED, and off again', async () => {
    const plain = await createTestApp();
    try {
      await createItemsSchema(plain);
      const capture = plain.app.get(ChangeCapture);
      expect(capture.changeLog).toBe(false);
      await admin(plain, 'post', '/items/authors', { name: 'a' });
      const off = capture.enableChangeLog();
      await admin(plain, 'post', '/items/authors', { name: 'b' });
      off();
      await admin(plain, 'post', '/items/authors', { name: 'c' });
      expect(await rows(plain, `SELECT collection, keys FROM tessera_changes`)).toEqual([
        { collection: 'authors', keys: [2] },
      ]);
    } finally {
      await plain.close();
    }
  });
});
