import { InvalidPayloadError } from '@lib/errors';
import { Database } from '../src/core/database/database.service';
import { ItemsEventBus } from '../src/core/events/items-event-bus';
import type { MutationEvent } from '../src/core/events/items-events';
import { createItemsSchema } from './items-writes.schema';
import { createTestApp, type TestApp } from './support/app';
import { ADMIN_EMAIL } from './support/constants';

/**
 * Issue 5, Items writes (spec 1.1, 1.2, 1.4, 1.5, 4.2, 5.2, 11, 15) against the real embedded PostgreSQL: whole
 * response bodies, and the rows the writes leave behind.
 */

type Row = Record<string, unknown>;

const TABLES = [
  'articles_blocks',
  'articles_tags',
  'comments',
  'notes',
  'articles',
  'authors',
  'tags',
  'headings',
  'paragraphs',
  'kitchen',
  'settings',
  'codes',
];

const FORBIDDEN = {
  errors: [{ message: "You don't have permission to access this.", extensions: { code: 'FORBIDDEN' } }],
};

function invalid(reason: string) {
  return { errors: [{ message: `Invalid payload. ${reason}.`, extensions: { code: 'INVALID_PAYLOAD', reason } }] };
}

/** An article as `GET /items/articles/:id` (fields=*) shows it. */
function article(over: Row): Row {
  return {
    id: expect.any(Number),
    title: null,
    slug: null,
    status: 'draft',
    author: null,
    comments: [],
    notes: [],
    tags: [],
    blocks: [],
    ...over,
  };
}

async function tick(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

describe('items writes', () => {
  let t: TestApp;
  let adminId: string;
  let adminRole: string;

  beforeAll(async () => {
    t = await createTestApp();
    await createItemsSchema(t);
    const [admin] = await rows<{ id: string; role: string }>('SELECT id, role FROM directus_users WHERE email = $1', [
      ADMIN_EMAIL,
    ]);
    adminId = admin.id;
    adminRole = admin.role;
  });
  afterAll(() => t.close());

  beforeEach(async () => {
    await t.db.client.query(`TRUNCATE ${TABLES.map((n) => `"${n}"`).join(', ')} RESTART IDENTITY CASCADE`);
  });

  // ---------------------------------------------------------------------------------------------------------------
  // helpers

  async function rows<R = Row>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await t.db.client.query(sql, params)).rows as R[];
  }

  async function table(name: string, order = 'id'): Promise<Row[]> {
    return rows(`SELECT * FROM "${name}" ORDER BY "${order}"`);
  }

  async function count(name: string): Promise<number> {
    const [row] = await rows<{ n: string }>(`SELECT count(*) AS n FROM "${name}"`);
    return Number(row.n);
  }

  async function send(method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: unknown) {
    const req = t.http[method](path).set(t.admin);
    const res = body === undefined ? await req : await req.send(body as object);
    return { status: res.status, body: res.status === 204 ? res.text : res.body };
  }

  const post = (path: string, body: unknown) => send('post', path, body);
  const patch = (path: string, body: unknown) => send('patch', path, body);
  const del = (path: string, body?: unknown) => send('delete', path, body);
  const get = (path: string) => send('get', path);

  /** Seeds articles directly (not through the API under test). */
  async function seedArticles(n: number, extra: (i: number) => Row = () => ({})): Promise<void> {
    for (let i = 1; i <= n; i++) {
      const values = { title: `a${i}`, ...extra(i) };
      const cols = Object.keys(values);
      await rows(
        `INSERT INTO articles (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map((_, j) => `$${j + 1}`).join(', ')})`,
        Object.values(values),
      );
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

  describe('routes (spec 1.1)', () => {
    it('POST an object → 200 with the re-read item (not 201), defaults and empty relations included', async () => {
      expect(await post('/items/articles', { title: 'Hello', slug: 'hello' })).toEqual({
        status: 200,
        body: { data: article({ id: 1, title: 'Hello', slug: 'hello' }) },
      });
      expect(await table('articles')).toEqual([
        { id: 1, title: 'Hello', slug: 'hello', status: 'draft', author: null },
      ]);
    });

    it('POST re-reads with the URL fields and deep', async () => {
      const res = await post('/items/articles?fields=title,comments.body&deep[comments][_sort]=-body', {
        title: 'Deep',
        comments: [{ body: 'a' }, { body: 'c' }, { body: 'b' }],
      });
      expect(res).toEqual({
        status: 200,
        body: { data: { title: 'Deep', comments: [{ body: 'c' }, { body: 'b' }, { body: 'a' }] } },
      });
    });

    it('POST an array → 200 with the re-read items', async () => {
      expect(await post('/items/articles?fields=id,title', [{ title: 'one' }, { title: 'two' }])).toEqual({
        status: 200,
        body: {
          data: [
            { id: 1, title: 'one' },
            { id: 2, title: 'two' },
          ],
        },
      });
      expect(await count('articles')).toBe(2);
    });

    it('POST an empty array → 200 with an empty list, nothing written', async () => {
      expect(await post('/items/articles', [])).toEqual({ status: 200, body: { data: [] } });
      expect(await count('articles')).toBe(0);
    });

    it('POST with a non-object element or body → 400 INVALID_PAYLOAD, nothing written', async () => {
      const res = await post('/items/articles', [{ title: 'ok' }, 5]);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].extensions.code).toBe('INVALID_PAYLOAD');
      expect(await count('articles')).toBe(0);
    });

    it('POST with explicit auto-increment keys moves the sequence past them', async () => {
      // Directus creates the items one by one and resets the sequence after each explicit key: the row after it
      // takes the next key (blackbox no-relation.test.ts "Auto Increment Tests": 101111, 101112).
      expect((await post('/items/articles?fields=id', [{ id: 3, title: 'x' }, { title: 'y' }])).body).toEqual({
        data: [{ id: 3 }, { id: 4 }],
      });
      expect((await post('/items/articles?fields=id', [{ title: 'z' }, { title: 'w' }])).body).toEqual({
        data: [{ id: 5 }, { id: 6 }],
      });
      await post('/items/articles', {
        title: 'nested',
        author: { id: 7, name: 'A' },
        comments: [{ id: 9, body: 'c' }],
      });
      expect((await post('/items/authors', { name: 'B' })).body).toEqual({ data: { id: 8, name: 'B' } });
      expect((await post('/items/comments?fields=id', { body: 'd' })).body).toEqual({ data: { id: 10 } });
    });

    it('POST drops payload keys that are not fields (admin, spec 15)', async () => {
      expect(await post('/items/articles?fields=id,title', { title: 'x', nope: 1, 'a"b': 2 })).toEqual({
        status: 200,
        body: { data: { id: 1, title: 'x' } },
      });
    });

    it('PATCH /:id → 200 with the re-read item; the row changes', async () => {
      await seedArticles(2);
      expect(await patch('/items/articles/2', { title: 'changed', status: 'published' })).toEqual({
        status: 200,
        body: { data: article({ id: 2, title: 'changed', status: 'published' }) },
      });
      expect(await table('articles')).toEqual([
        { id: 1, title: 'a1', slug: null, status: 'draft', author: null },
        { id: 2, title: 'changed', slug: null, status: 'published', author: null },
      ]);
    });

    it('PATCH /:id of a missing id → 204 (admin), nothing created', async () => {
      expect(await patch('/items/articles/999', { title: 'ghost' })).toEqual({ status: 204, body: '' });
      expect(await count('articles')).toBe(0);
    });

    it('PATCH /:id with a malformed integer key → bare 403', async () => {
      expect(await patch('/items/articles/abc', { title: 'x' })).toEqual({ status: 403, body: FORBIDDEN });
    });

    it('PATCH {keys, data} → 200 with the updated items', async () => {
      await seedArticles(3);
      expect(await patch('/items/articles?fields=id,status', { keys: [1, 3], data: { status: 'x' } })).toEqual({
        status: 200,
        body: {
          data: [
            { id: 1, status: 'x' },
            { id: 3, status: 'x' },
          ],
        },
      });
      expect((await table('articles')).map((r) => r.status)).toEqual(['x', 'draft', 'x']);
    });

    it('PATCH {query, data} → 200 with the rows the query selected', async () => {
      await seedArticles(4);
      const res = await patch('/items/articles?fields=id,status', {
        query: { filter: { id: { _gt: 2 } } },
        data: { status: 'late' },
      });
      expect(res).toEqual({
        status: 200,
        body: {
          data: [
            { id: 3, status: 'late' },
            { id: 4, status: 'late' },
          ],
        },
      });
      expect((await table('articles')).map((r) => r.status)).toEqual(['draft', 'draft', 'late', 'late']);
    });

    it('PATCH a batch array: each element carries its key and its own data', async () => {
      await seedArticles(3);
      const res = await patch('/items/articles?fields=id,title', [
        { id: 3, title: 'three' },
        { id: 1, title: 'one' },
      ]);
      expect(res).toEqual({
        status: 200,
        body: {
          data: [
            { id: 1, title: 'one' },
            { id: 3, title: 'three' },
          ],
        },
      });
      expect((await table('articles')).map((r) => r.title)).toEqual(['one', 'a2', 'three']);
    });

    it('PATCH ?filter with the patch itself as body updates by query (beyond Directus)', async () => {
      await seedArticles(4);
      const res = await patch('/items/articles?filter[id][_in]=2,4&fields=id,status', { status: 'picked' });
      expect(res).toEqual({
        status: 200,
        body: {
          data: [
            { id: 2, status: 'picked' },
            { id: 4, status: 'picked' },
          ],
        },
      });
      expect((await table('articles')).map((r) => r.status)).toEqual(['draft', 'picked', 'draft', 'picked']);
    });

    it('PATCH by query that matches nothing → 200 with an empty list', async () => {
      await seedArticles(1);
      expect(await patch('/items/articles?filter[id][_eq]=99', { status: 'x' })).toEqual({
        status: 200,
        body: { data: [] },
      });
    });

    it('DELETE /:id → 204; a missing id → 204 as well', async () => {
      await seedArticles(2);
      expect(await del('/items/articles/1')).toEqual({ status: 204, body: '' });
      expect(await del('/items/articles/1')).toEqual({ status: 204, body: '' });
      expect((await table('articles')).map((r) => r.id)).toEqual([2]);
    });

    it('DELETE with a key array, {keys} and {query} bodies → 204', async () => {
      await seedArticles(6);
      expect(await del('/items/articles', [1, 2])).toEqual({ status: 204, body: '' });
      expect(await del('/items/articles', { keys: [3] })).toEqual({ status: 204, body: '' });
      expect(await del('/items/articles', { query: { filter: { title: { _eq: 'a5' } } } })).toEqual({
        status: 204,
        body: '',
      });
      expect((await table('articles')).map((r) => r.id)).toEqual([4, 6]);
    });

    it('DELETE ?filter deletes by query, DELETE /1,2,3 by keys (beyond Directus)', async () => {
      await seedArticles(6);
      expect(await del('/items/articles?filter[title][_in]=a1,a2')).toEqual({ status: 204, body: '' });
      expect(await del('/items/articles/3,5')).toEqual({ status: 204, body: '' });
      expect((await table('articles')).map((r) => r.id)).toEqual([4, 6]);
    });

    it('string primary keys: create, patch, delete; a comma is part of a string key', async () => {
      expect(await post('/items/codes', [{ code: 'a', label: 'A' }, { code: 'b,c' }])).toEqual({
        status: 200,
        body: {
          data: [
            { code: 'a', label: 'A' },
            { code: 'b,c', label: null },
          ],
        },
      });
      expect(await patch('/items/codes/a', { label: 'AA' })).toEqual({
        status: 200,
        body: { data: { code: 'a', label: 'AA' } },
      });
      expect(await del('/items/codes/b,c')).toEqual({ status: 204, body: '' });
      expect(await table('codes', 'code')).toEqual([{ code: 'a', label: 'AA' }]);
    });

    it('an unknown collection → 403 naming it; a system collection → bare 403', async () => {
      const reason = `You don't have permission to access collection "nope" or it does not exist. Queried in root.`;
      const named = { errors: [{ message: reason, extensions: { code: 'FORBIDDEN', reason } }] };
      expect(await post('/items/nope', { a: 1 })).toEqual({ status: 403, body: named });
      expect(await patch('/items/nope/1', { a: 1 })).toEqual({ status: 403, body: named });
      expect(await del('/items/nope', [1])).toEqual({ status: 403, body: named });
      expect(await post('/items/directus_users', { email: 'x@y.z' })).toEqual({ status: 403, body: FORBIDDEN });
    });

    it('writes without a token → 403, nothing written', async () => {
      const res = await t.http.post('/items/articles').send({ title: 'anon' });
      expect(res.status).toBe(403);
      expect(await count('articles')).toBe(0);
    });
  });

  describe('batch body validation (spec 1.1, 15)', () => {
    it.each([
      [
        'PATCH',
        { keys: [1], query: {}, data: {} },
        '"value" contains a conflict between exclusive peers [query, keys]',
      ],
      ['PATCH', { keys: [1] }, '"data" is required'],
      ['PATCH', {}, '"data" is required'],
      ['PATCH', { data: { title: 'x' } }, '"value" must contain at least one of [query, keys]'],
      ['PATCH', [{ id: 1, title: 'x' }, { title: 'y' }], 'Item in update misses primary key'],
      ['DELETE', { keys: [1], query: {} }, '"value" contains a conflict between exclusive peers [query, keys]'],
      ['DELETE', {}, '"value" must contain at least one of [query, keys]'],
    ])('%s %j → 400 INVALID_PAYLOAD', async (method, body, reason) => {
      await seedArticles(1);
      const res = method === 'PATCH' ? await patch('/items/articles', body) : await del('/items/articles', body);
      expect(res).toEqual({ status: 400, body: invalid(reason) });
      expect(await table('articles')).toEqual([{ id: 1, title: 'a1', slug: null, status: 'draft', author: null }]);
    });

    it('DELETE without a body and without a filter → 400 INVALID_PAYLOAD', async () => {
      expect(await del('/items/articles')).toEqual({
        status: 400,
        body: invalid('"value" must contain at least one of [query, keys]'),
      });
    });
  });

  describe('singletons (spec 1.2)', () => {
    it('PATCH creates the row when there is none, then updates that same row', async () => {
      expect(await get('/items/settings')).toEqual({ status: 200, body: { data: { id: null, site: 'Tessera' } } });
      expect(await patch('/items/settings', { site: 'first' })).toEqual({
        status: 200,
        body: { data: { id: 1, site: 'first' } },
      });
      expect(await patch('/items/settings', { site: 'second' })).toEqual({
        status: 200,
        body: { data: { id: 1, site: 'second' } },
      });
      expect(await table('settings')).toEqual([{ id: 1, site: 'second' }]);
    });

    it('POST → 404 ROUTE_NOT_FOUND with path "/<collection>"; PATCH /:id → 404; DELETE /:id is allowed', async () => {
      expect(await post('/items/settings', { site: 'x' })).toEqual({
        status: 404,
        body: {
          errors: [
            { message: "Route /settings doesn't exist.", extensions: { code: 'ROUTE_NOT_FOUND', path: '/settings' } },
          ],
        },
      });
      expect((await patch('/items/settings/1', { site: 'x' })).status).toBe(404);
      expect(await count('settings')).toBe(0);
      await patch('/items/settings', { site: 'x' });
      expect(await del('/items/settings/1')).toEqual({ status: 204, body: '' });
      expect(await count('settings')).toBe(0);
    });
  });

  // ---------------------------------------------------------------------------------------------------------------

  describe('nested writes: M2O (spec 4.2)', () => {
    it('creates the related item inline and sets the FK', async () => {
      expect(await post('/items/articles?fields=id,author.*', { title: 'x', author: { name: 'Ann' } })).toEqual({
        status: 200,
        body: { data: { id: 1, author: { id: 1, name: 'Ann' } } },
      });
      expect(await table('authors')).toEqual([{ id: 1, name: 'Ann' }]);
      expect((await table('articles'))[0].author).toBe(1);
    });

    it('creates inline M2O items for a batch in one grouped insert per level', async () => {
      const res = await post(
        '/items/articles?fields=title,author.name',
        Array.from({ length: 3 }, (_, i) => ({ title: `t${i}`, author: { name: `au${i}` } })),
      );
      expect(res.body.data).toEqual([
        { title: 't0', author: { name: 'au0' } },
        { title: 't1', author: { name: 'au1' } },
        { title: 't2', author: { name: 'au2' } },
      ]);
      expect(await table('authors')).toEqual([
        { id: 1, name: 'au0' },
        { id: 2, name: 'au1' },
        { id: 3, name: 'au2' },
      ]);
    });

    it('assigns by key, updates inline, keeps a key-only object, clears with null', async () => {
      await rows(`INSERT INTO authors (name) VALUES ('Ann'), ('Bob')`);
      await seedArticles(1);
      expect((await patch('/items/articles/1?fields=author', { author: 2 })).body).toEqual({ data: { author: 2 } });
      expect((await patch('/items/articles/1?fields=author.*', { author: { id: 1, name: 'Anna' } })).body).toEqual({
        data: { author: { id: 1, name: 'Anna' } },
      });
      expect((await patch('/items/articles/1?fields=author.*', { author: { id: 2 } })).body).toEqual({
        data: { author: { id: 2, name: 'Bob' } },
      });
      expect((await patch('/items/articles/1?fields=author', { author: null })).body).toEqual({
        data: { author: null },
      });
      expect(await table('authors')).toEqual([
        { id: 1, name: 'Anna' },
        { id: 2, name: 'Bob' },
      ]);
      expect((await table('articles'))[0].author).toBeNull();
    });

    it('an object with a key that does not exist creates the item with that key', async () => {
      expect(
        (await post('/items/articles?fields=author.*', { title: 'x', author: { id: 40, name: 'New' } })).body,
      ).toEqual({ data: { author: { id: 40, name: 'New' } } });
      expect(await table('authors')).toEqual([{ id: 40, name: 'New' }]);
    });
  });

  describe('nested writes: O2M (spec 4.2)', () => {
    it('creates children with the FK, filling sort_field with max + index + 1', async () => {
      const res = await post('/items/articles?fields=id,comments.*', {
        title: 'x',
        comments: [{ body: 'c1' }, { body: 'c2', sort: 10 }, { body: 'c3' }],
      });
      expect(res.body).toEqual({
        data: {
          id: 1,
          comments: [
            { id: 1, body: 'c1', article: 1, sort: 1 },
            { id: 3, body: 'c3', article: 1, sort: 3 },
            { id: 2, body: 'c2', article: 1, sort: 10 },
          ],
        },
      });
    });

    it('array form on update: keep by key, update inline, create, nullify the omitted', async () => {
      await post('/items/articles', { title: 'x', comments: [{ body: 'c1' }, { body: 'c2' }, { body: 'c3' }] });
      const res = await patch('/items/articles/1?fields=comments.id,comments.body,comments.sort', {
        comments: [1, { id: 2, body: 'c2!' }, { body: 'c4' }],
      });
      expect(res).toEqual({
        status: 200,
        body: {
          data: {
            comments: [
              { id: 1, body: 'c1', sort: 1 },
              { id: 2, body: 'c2!', sort: 2 },
              { id: 4, body: 'c4', sort: 4 },
            ],
          },
        },
      });
      expect(await table('comments')).toEqual([
        { id: 1, body: 'c1', article: 1, sort: 1 },
        { id: 2, body: 'c2!', article: 1, sort: 2 },
        { id: 3, body: 'c3', article: null, sort: 3 },
        { id: 4, body: 'c4', article: 1, sort: 4 },
      ]);
    });

    it('an object with a child key that does not exist creates the child with that key', async () => {
      await seedArticles(1);
      await patch('/items/articles/1', { comments: [{ id: 20, body: 'given key' }] });
      expect(await table('comments')).toEqual([{ id: 20, body: 'given key', article: 1, sort: 1 }]);
    });

    it('assigning an existing child of another parent re-points it', async () => {
      await post('/items/articles', [
        { title: 'a', comments: [{ body: 'c1' }] },
        { title: 'b', comments: [{ body: 'c2' }] },
      ]);
      await patch('/items/articles/2', { comments: [1, 2] });
      expect((await table('comments')).map((r) => r.article)).toEqual([2, 2]);
    });

    it('a scalar child key that does not exist → 403, nothing changed', async () => {
      await post('/items/articles', { title: 'a', comments: [{ body: 'c1' }] });
      expect(await patch('/items/articles/1', { title: 'changed', comments: [1, 99] })).toEqual({
        status: 403,
        body: FORBIDDEN,
      });
      expect(await post('/items/articles', { title: 'new', comments: [99] })).toEqual({ status: 403, body: FORBIDDEN });
      expect(await table('articles')).toEqual([{ id: 1, title: 'a', slug: null, status: 'draft', author: null }]);
    });

    it('null (or []) deselects every child', async () => {
      await post('/items/articles', { title: 'a', comments: [{ body: 'c1' }, { body: 'c2' }] });
      await patch('/items/articles/1', { comments: null });
      expect((await table('comments')).map((r) => r.article)).toEqual([null, null]);
    });

    it('detailed form: create (sorted after the max), update, delete (nullify) only what it lists', async () => {
      await post('/items/articles', { title: 'a', comments: [{ body: 'c1' }, { body: 'c2' }, { body: 'c3' }] });
      const res = await patch('/items/articles/1?fields=comments.id,comments.body,comments.sort', {
        comments: { create: [{ body: 'c4' }, { body: 'c5' }], update: [{ id: 1, body: 'c1!' }], delete: [2] },
      });
      expect(res.body).toEqual({
        data: {
          comments: [
            { id: 1, body: 'c1!', sort: 1 },
            { id: 3, body: 'c3', sort: 3 },
            { id: 4, body: 'c4', sort: 4 },
            { id: 5, body: 'c5', sort: 5 },
          ],
        },
      });
      expect((await table('comments')).map((r) => [r.id, r.article])).toEqual([
        [1, 1],
        [2, null],
        [3, 1],
        [4, 1],
        [5, 1],
      ]);
    });

    it('detailed form: delete only affects children of this parent', async () => {
      await post('/items/articles', [
        { title: 'a', comments: [{ body: 'c1' }] },
        { title: 'b', comments: [{ body: 'c2' }] },
      ]);
      await patch('/items/articles/1', { comments: { delete: [2] } });
      expect((await table('comments')).map((r) => r.article)).toEqual([1, 2]);
    });

    it('a malformed detailed form → 400 INVALID_PAYLOAD', async () => {
      await seedArticles(1);
      const res = await patch('/items/articles/1', { comments: { create: [], remove: [1] } });
      expect(res).toEqual({
        status: 400,
        body: invalid('Invalid one-to-many update structure: "remove" is not allowed'),
      });
    });

    it('one_deselect_action delete: omitted children are deleted; detailed delete deletes', async () => {
      await post('/items/articles', { title: 'a', notes: [{ text: 'n1' }, { text: 'n2' }, { text: 'n3' }] });
      expect((await patch('/items/articles/1?fields=notes', { notes: [1, 3] })).body).toEqual({
        data: { notes: [1, 3] },
      });
      expect((await table('notes')).map((r) => r.id)).toEqual([1, 3]);
      await patch('/items/articles/1', { notes: { delete: [3] } });
      expect(await table('notes')).toEqual([{ id: 1, text: 'n1', article: 1 }]);
    });

    it('update by keys applies the O2M value to every parent', async () => {
      await seedArticles(2);
      await patch('/items/articles', { keys: [1, 2], data: { notes: [{ text: 'n' }] } });
      expect(await table('notes')).toEqual([
        { id: 1, text: 'n', article: 1 },
        { id: 2, text: 'n', article: 2 },
      ]);
    });
  });

  describe('nested writes: M2M and M2A (spec 4.2)', () => {
    it('M2M: creates a new tag and links an existing one through junction rows', async () => {
      await rows(`INSERT INTO tags (name) VALUES ('old')`);
      const res = await post('/items/articles?fields=id,tags.tags_id.name', {
        title: 'x',
        tags: [{ tags_id: { name: 'new' } }, { tags_id: 1 }],
      });
      expect(res.body).toEqual({ data: { id: 1, tags: [{ tags_id: { name: 'new' } }, { tags_id: { name: 'old' } }] } });
      expect(await table('tags')).toEqual([
        { id: 1, name: 'old' },
        { id: 2, name: 'new' },
      ]);
      expect(await table('articles_tags')).toEqual([
        { id: 1, articles_id: 1, tags_id: 2 },
        { id: 2, articles_id: 1, tags_id: 1 },
      ]);
    });

    it('M2M: omitted junction rows are nullified (kept as orphans), kept ones stay, new ones are added', async () => {
      await post('/items/articles', { title: 'x', tags: [{ tags_id: { name: 't1' } }, { tags_id: { name: 't2' } }] });
      const res = await patch('/items/articles/1?fields=tags', { tags: [2, { tags_id: { name: 't3' } }] });
      expect(res.body).toEqual({ data: { tags: [2, 3] } });
      expect(await table('articles_tags')).toEqual([
        { id: 1, articles_id: null, tags_id: 1 },
        { id: 2, articles_id: 1, tags_id: 2 },
        { id: 3, articles_id: 1, tags_id: 3 },
      ]);
      expect(await count('tags')).toBe(3);
    });

    it('M2M: detailed form create / update / delete', async () => {
      await rows(`INSERT INTO tags (name) VALUES ('t1'), ('t2'), ('t3')`);
      await post('/items/articles', { title: 'x', tags: [{ tags_id: 1 }, { tags_id: 2 }] });
      await patch('/items/articles/1', {
        tags: { create: [{ tags_id: 3 }], update: [{ id: 1, tags_id: { id: 1, name: 'T1' } }], delete: [2] },
      });
      expect(await table('articles_tags')).toEqual([
        { id: 1, articles_id: 1, tags_id: 1 },
        { id: 2, articles_id: null, tags_id: 2 },
        { id: 3, articles_id: 1, tags_id: 3 },
      ]);
      expect((await table('tags')).map((r) => r.name)).toEqual(['T1', 't2', 't3']);
    });

    it('M2A: creates items in each target collection and junction rows with collection + item', async () => {
      const res = await post(
        '/items/articles?fields=blocks.collection,blocks.item:headings.title,blocks.item:paragraphs.body',
        {
          title: 'x',
          blocks: [
            { collection: 'headings', item: { title: 'H1' } },
            { collection: 'paragraphs', item: { body: 'P1' } },
            { collection: 'headings', item: { title: 'H2' } },
          ],
        },
      );
      expect(res.body).toEqual({
        data: {
          blocks: [
            { collection: 'headings', item: { title: 'H1' } },
            { collection: 'paragraphs', item: { body: 'P1' } },
            { collection: 'headings', item: { title: 'H2' } },
          ],
        },
      });
      expect(await table('headings')).toEqual([
        { id: 1, title: 'H1' },
        { id: 2, title: 'H2' },
      ]);
      expect(await table('paragraphs')).toEqual([{ id: 1, body: 'P1' }]);
      expect(await table('articles_blocks')).toEqual([
        { id: 1, articles_id: 1, item: '1', collection: 'headings' },
        { id: 2, articles_id: 1, item: '1', collection: 'paragraphs' },
        { id: 3, articles_id: 1, item: '2', collection: 'headings' },
      ]);
    });

    it('M2A: updates an existing item through its junction row and links by key', async () => {
      await post('/items/articles', { title: 'x', blocks: [{ collection: 'headings', item: { title: 'H1' } }] });
      await rows(`INSERT INTO paragraphs (body) VALUES ('P')`);
      await patch('/items/articles/1', {
        blocks: [
          { id: 1, collection: 'headings', item: { id: 1, title: 'H1!' } },
          { collection: 'paragraphs', item: 1 },
        ],
      });
      expect(await table('headings')).toEqual([{ id: 1, title: 'H1!' }]);
      expect(await table('articles_blocks')).toEqual([
        { id: 1, articles_id: 1, item: '1', collection: 'headings' },
        { id: 2, articles_id: 1, item: '1', collection: 'paragraphs' },
      ]);
    });

    it('M2A: an item object without its collection, or for a collection not allowed → 400, nothing written', async () => {
      expect(await post('/items/articles', { title: 'x', blocks: [{ item: { title: 'H' } }] })).toEqual({
        status: 400,
        body: invalid(
          `Can't update nested record "articles_blocks.item" without field "articles_blocks.collection" being set`,
        ),
      });
      const res = await post('/items/articles', {
        title: 'x',
        blocks: [{ collection: 'authors', item: { name: 'A' } }],
      });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].extensions.code).toBe('INVALID_PAYLOAD');
      expect(await count('articles')).toBe(0);
      expect(await count('authors')).toBe(0);
    });

    it('three levels deep: article → M2M tag → inline, with M2O author, in one request', async () => {
      const res = await post('/items/articles?fields=title,author.name,comments.body,tags.tags_id.name', {
        title: 'deep',
        author: { name: 'A' },
        comments: [{ body: 'c' }],
        tags: [{ tags_id: { name: 't' } }],
      });
      expect(res.body).toEqual({
        data: { title: 'deep', author: { name: 'A' }, comments: [{ body: 'c' }], tags: [{ tags_id: { name: 't' } }] },
      });
    });
  });

  // ---------------------------------------------------------------------------------------------------------------

  describe('field behaviour (spec 5.2, 15)', () => {
    const KITCHEN_NULLS = {
      big: null,
      price: null,
      ratio: null,
      flag: null,
      day: null,
      moment: null,
      stamp: null,
      clock: null,
      doc: null,
      labels: null,
      secret: null,
      date_updated: null,
      user_updated: null,
      role_updated: null,
      code: null,
    };

    it('create: schema defaults, casting, Directus read formats and every create special', async () => {
      const before = Date.now();
      const res = await post('/items/kitchen', {
        name: 'k',
        big: '9007199254740993',
        price: 1000.5,
        ratio: 1.5,
        flag: '1',
        day: '2024-01-02',
        moment: '2024-01-02T03:04:05',
        stamp: '2024-01-02T03:04:05+02:00',
        clock: '10:11:12',
        doc: { a: [1, 2] },
        labels: ['x', 'y'],
        secret: 'plain-secret',
        date_created: '1999-01-01T00:00:00Z',
      });
      expect(res).toEqual({
        status: 200,
        body: {
          data: {
            id: 1,
            name: 'k',
            label: 'unnamed',
            count: 7,
            big: '9007199254740993',
            price: '1000.50',
            ratio: 1.5,
            flag: true,
            day: '2024-01-02',
            moment: '2024-01-02T03:04:05',
            stamp: '2024-01-02T01:04:05.000Z',
            clock: '10:11:12',
            doc: { a: [1, 2] },
            labels: ['x', 'y'],
            secret: '**********',
            ref: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/),
            date_created: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
            date_updated: null,
            user_created: adminId,
            user_updated: null,
            role_created: adminRole,
            role_updated: null,
            code: null,
          },
        },
      });
      const created = Date.parse(res.body.data.date_created);
      expect(created).toBeGreaterThanOrEqual(before - 5);
      expect(created).toBeLessThanOrEqual(Date.now() + 5);
      const [row] = await rows(
        `SELECT big::text, price::text, labels, secret, doc, ref::text, day::text, moment::text, stamp FROM kitchen`,
      );
      expect(row).toEqual({
        big: '9007199254740993',
        price: '1000.50',
        labels: 'x,y',
        secret: expect.stringMatching(/^\$argon2id\$v=19\$m=65536,t=3,p=4\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/),
        doc: { a: [1, 2] },
        ref: res.body.data.ref,
        day: '2024-01-02',
        moment: '2024-01-02 03:04:05',
        stamp: new Date('2024-01-02T01:04:05Z'),
      });
      expect(JSON.stringify(await table('kitchen'))).not.toContain('plain-secret');
    });

    it('update: date/user/role-updated are stamped, create stamps stay, a hash is re-hashed', async () => {
      await post('/items/kitchen', { name: 'k', secret: 'one' });
      const [first] = await table('kitchen');
      const res = await patch('/items/kitchen/1', { secret: 'two', user_created: null });
      expect(res.body.data).toEqual({
        ...first,
        ...KITCHEN_NULLS,
        ref: first.ref,
        date_created: (first.date_created as Date).toISOString(),
        user_created: null, // user-created only stamps on create; an update may overwrite it (as Directus)
        role_created: adminRole,
        secret: '**********',
        date_updated: expect.stringMatching(/Z$/),
        user_updated: adminId,
        role_updated: adminRole,
      });
      const [second] = await table('kitchen');
      expect(second.secret).toMatch(/^\$argon2id\$/);
      expect(second.secret).not.toBe(first.secret);
    });

    it('an update that sets no column still stamps date/user/role-updated (as Directus)', async () => {
      await post('/items/kitchen', { name: 'k' });
      expect((await patch('/items/kitchen/1?fields=name,user_updated', { nope: 1 })).body).toEqual({
        data: { name: 'k', user_updated: adminId },
      });
      const [row] = await table('kitchen');
      expect(row.date_updated).toBeInstanceOf(Date);
    });

    it('a uuid given for a uuid special is kept; conceal reads a null hash as null', async () => {
      const ref = '6a0c4a34-1f1d-4b36-9a2a-5f3b1e0e8d11';
      expect((await post('/items/kitchen?fields=ref,secret', { name: 'k', ref })).body).toEqual({
        data: { ref, secret: null },
      });
    });

    it('cast-boolean: 0/"0" → false, 1/true → true, "" → null', async () => {
      const res = await post('/items/kitchen?fields=flag', [
        { name: 'a', flag: 0 },
        { name: 'b', flag: '0' },
        { name: 'c', flag: 1 },
        { name: 'd', flag: true },
        { name: 'e', flag: '' },
      ]);
      expect(res.body.data.map((r: Row) => r.flag)).toEqual([false, false, true, true, null]);
    });

    it('cast-csv: arrays are joined; a plain string is stored as is; "" reads as []', async () => {
      const res = await post('/items/kitchen?fields=labels', [
        { name: 'a', labels: ['a', 'b', 'c'] },
        { name: 'b', labels: 'x,y' },
        { name: 'c', labels: '' },
      ]);
      expect(res.body.data).toEqual([{ labels: ['a', 'b', 'c'] }, { labels: ['x', 'y'] }, { labels: [] }]);
      expect((await table('kitchen')).map((r) => r.labels)).toEqual(['a,b,c', 'x,y', '']);
    });

    it('json: objects, arrays, strings, numbers and booleans round-trip', async () => {
      const docs = [{ a: 1 }, [1, 'two'], 'text', 42, false];
      const res = await post(
        '/items/kitchen?fields=doc',
        docs.map((doc, i) => ({ name: `n${i}`, doc })),
      );
      expect(res.body.data.map((r: Row) => r.doc)).toEqual(docs);
    });

    it('dateTime with a zone is stored as UTC wall time; date from a full timestamp keeps the UTC day', async () => {
      const res = await post('/items/kitchen?fields=day,moment', {
        name: 'k',
        day: '2024-03-04T23:30:00Z',
        moment: '2024-03-04T23:30:00+01:00',
      });
      expect(res.body).toEqual({ data: { day: '2024-03-04', moment: '2024-03-04T22:30:00' } });
    });

    it.each([
      ['day', 'not a date', 'Invalid Date format in field "day"'],
      ['moment', '2024-13-45T99:00:00', 'Invalid DateTime format in field "moment"'],
      ['stamp', 'yesterday', 'Invalid Timestamp format in field "stamp"'],
      ['clock', '25 o clock', 'Invalid Time format in field "clock"'],
    ])('an invalid %s → 400 INVALID_PAYLOAD "%s"', async (field, value, reason) => {
      expect(await post('/items/kitchen', { name: 'k', [field]: value })).toEqual({
        status: 400,
        body: invalid(reason),
      });
      expect(await count('kitchen')).toBe(0);
    });

    it.each([
      ['count', 'abc', 'Invalid value for field "count": expected an integer'],
      ['count', 1.5, 'Invalid value for field "count": expected an integer'],
      ['big', 'x1', 'Invalid value for field "big": expected an integer'],
      ['price', 'cheap', 'Invalid value for field "price": expected a number'],
      ['flag', 'maybe', 'Invalid value for field "flag": expected a boolean'],
      ['ref', 'not-a-uuid', 'Invalid value for field "ref": expected a UUID'],
      ['labels', 5, 'Invalid value for field "labels": expected an array of strings'],
      ['secret', 5, 'Invalid value for field "secret": expected a string'],
    ])('a wrong type for %s (%j) → 400 INVALID_PAYLOAD naming the field', async (field, value, reason) => {
      expect(await post('/items/kitchen', { name: 'k', [field]: value })).toEqual({
        status: 400,
        body: invalid(reason),
      });
      expect(await count('kitchen')).toBe(0);
    });

    it('NOT NULL without a default, left out → 400 FAILED_VALIDATION "required" (spec 15)', async () => {
      expect(await post('/items/articles', { slug: 's' })).toEqual({
        status: 400,
        body: {
          errors: [
            {
              message: 'Validation failed for field "title". Value is required.',
              extensions: { code: 'FAILED_VALIDATION', field: 'title', path: [], type: 'required' },
            },
          ],
        },
      });
      expect(await count('articles')).toBe(0);
    });

    it('NOT NULL set to null → 400 FAILED_VALIDATION "nnull" on create, NOT_NULL_VIOLATION on update', async () => {
      expect(await post('/items/articles', { title: null })).toEqual({
        status: 400,
        body: {
          errors: [
            {
              message: `Validation failed for field "title". Value can't be null.`,
              extensions: { code: 'FAILED_VALIDATION', field: 'title', path: [], type: 'nnull' },
            },
          ],
        },
      });
      await seedArticles(1);
      expect(await patch('/items/articles/1', { title: null })).toEqual({
        status: 400,
        body: {
          errors: [
            {
              message: `Value for field "title" in collection "articles" can't be null.`,
              extensions: { code: 'NOT_NULL_VIOLATION', collection: 'articles', field: 'title' },
            },
          ],
        },
      });
    });

    it('a duplicate → 400 RECORD_NOT_UNIQUE', async () => {
      await seedArticles(1, () => ({ slug: 'taken' }));
      expect(await post('/items/articles', { title: 'x', slug: 'taken' })).toEqual({
        status: 400,
        body: {
          errors: [
            {
              message: 'Value "taken" for field "slug" in collection "articles" has to be unique.',
              extensions: { code: 'RECORD_NOT_UNIQUE', collection: 'articles', field: 'slug', value: 'taken' },
            },
          ],
        },
      });
    });

    it('an unknown FK → 400 INVALID_FOREIGN_KEY with the value as sent (spec 15)', async () => {
      await seedArticles(1);
      expect(await post('/items/articles', { title: 'x', author: 999 })).toEqual({
        status: 400,
        body: {
          errors: [
            {
              message: 'Invalid foreign key "999" for field "author" in collection "articles".',
              extensions: { code: 'INVALID_FOREIGN_KEY', collection: 'articles', field: 'author', value: 999 },
            },
          ],
        },
      });
      const res = await patch('/items/articles/1', { author: 998 });
      expect(res.body.errors[0].extensions).toEqual({
        code: 'INVALID_FOREIGN_KEY',
        collection: 'articles',
        field: 'author',
        value: 998,
      });
    });

    it('a value too long → 400 VALUE_TOO_LONG (spec 15 shape)', async () => {
      const body = {
        errors: [
          {
            message: 'Value in collection "articles" is too long.',
            extensions: { code: 'VALUE_TOO_LONG', collection: 'articles', field: null, value: null },
          },
        ],
      };
      await seedArticles(1);
      expect(await post('/items/articles', { title: 'x'.repeat(21) })).toEqual({ status: 400, body });
      expect(await patch('/items/articles/1', { title: 'y'.repeat(21) })).toEqual({ status: 400, body });
      expect(await table('articles')).toEqual([{ id: 1, title: 'a1', slug: null, status: 'draft', author: null }]);
    });
  });

  // ---------------------------------------------------------------------------------------------------------------

  describe('atomicity: one transaction per request', () => {
    it('a unique violation on the 3rd item of a batch create stores none of them', async () => {
      const res = await post('/items/articles', [
        { title: 'a', slug: 's1', author: { name: 'A' } },
        { title: 'b', slug: 's2', comments: [{ body: 'c' }] },
        { title: 'c', slug: 's1' },
        { title: 'd', slug: 's4' },
      ]);
      expect(res.body.errors[0].extensions.code).toBe('RECORD_NOT_UNIQUE');
      expect([await count('articles'), await count('authors'), await count('comments')]).toEqual([0, 0, 0]);
    });

    it('an invalid item deep in a nested write rolls back every level', async () => {
      const res = await post('/items/articles', {
        title: 'x',
        author: { name: 'A' },
        tags: [{ tags_id: { name: 't' } }],
        comments: [{ body: 'ok' }, { sort: 3 }],
      });
      expect(res.body).toEqual({
        errors: [
          {
            message: 'Validation failed for field "body". Value is required.',
            extensions: { code: 'FAILED_VALIDATION', field: 'body', path: [], type: 'required' },
          },
        ],
      });
      for (const name of ['articles', 'authors', 'tags', 'articles_tags', 'comments'])
        expect(await count(name)).toBe(0);
    });

    it('a failing nested write in an update rolls back the parent change and the deselects', async () => {
      await post('/items/articles', { title: 'x', comments: [{ body: 'c1' }], notes: [{ text: 'n1' }] });
      const res = await patch('/items/articles/1', {
        title: 'changed',
        notes: [],
        comments: [{ body: 'c2' }, { body: 'z'.repeat(300) }],
      });
      expect(res.body.errors[0].extensions.code).toBe('VALUE_TOO_LONG');
      expect((await table('articles'))[0].title).toBe('x');
      expect(await table('notes')).toEqual([{ id: 1, text: 'n1', article: 1 }]);
      expect(await table('comments')).toEqual([{ id: 1, body: 'c1', article: 1, sort: 1 }]);
    });

    it('a batch update that fails on a later element rolls back the earlier ones', async () => {
      await seedArticles(3);
      const res = await patch('/items/articles', [
        { id: 1, title: 'one' },
        { id: 2, title: 'two' },
        { id: 3, author: 5 },
      ]);
      expect(res.body.errors[0].extensions.code).toBe('INVALID_FOREIGN_KEY');
      expect((await table('articles')).map((r) => r.title)).toEqual(['a1', 'a2', 'a3']);
    });

    it('a thrown filter hook rolls back what the request already wrote', async () => {
      const off = t.app.get(ItemsEventBus).onFilter('create', 'comments', () => {
        throw new InvalidPayloadError('no comments today');
      });
      try {
        const res = await post('/items/articles', { title: 'x', author: { name: 'A' }, comments: [{ body: 'c' }] });
        expect(res).toEqual({ status: 400, body: invalid('no comments today') });
      } finally {
        off();
      }
      expect([await count('articles'), await count('authors'), await count('comments')]).toEqual([0, 0, 0]);
    });

    it('an in-transaction handler that throws rolls the write back', async () => {
      const off = t.app.get(ItemsEventBus).inTransaction(async (event) => {
        if (event.collection === 'tags') throw new Error('tag handler failed');
      });
      try {
        const res = await post('/items/articles', { title: 'x', tags: [{ tags_id: { name: 't' } }] });
        expect(res.status).toBe(500);
        expect(res.body.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
      } finally {
        off();
      }
      expect([await count('articles'), await count('tags'), await count('articles_tags')]).toEqual([0, 0, 0]);
    });
  });

  // ---------------------------------------------------------------------------------------------------------------

  describe('set-based SQL (statement counts)', () => {
    /** Statements a request costs, after one warm-up request so the auth cache is filled. */
    async function cost(fn: () => Promise<{ status: number }>, expected: number): Promise<number> {
      let status = 0;
      const n = await t.countStatements(async () => {
        status = (await fn()).status;
      });
      expect(status).toBe(expected);
      return n;
    }

    beforeEach(async () => {
      await get('/items/articles?limit=1');
    });

    const many = (n: number, offset = 0) => Array.from({ length: n }, (_, i) => ({ title: `t${i + offset}` }));

    describe('one-item writes that are provably one statement', () => {
      let transactions: jest.SpyInstance;
      beforeEach(() => {
        transactions = jest.spyOn(t.app.get(Database), 'transaction');
      });
      afterEach(() => transactions.mockRestore());

      it('an admin create or patch without nested values is ONE statement, re-read included, with no BEGIN/COMMIT', async () => {
        await rows(`INSERT INTO authors (name) VALUES ('ann')`);
        let body: unknown;
        const created = await cost(async () => {
          const res = await post('/items/articles?fields=id,title,status,author.name', { title: 'one', author: 1 });
          body = res.body;
          return res;
        }, 200);
        expect(body).toEqual({ data: { id: 1, title: 'one', status: 'draft', author: { name: 'ann' } } });
        const patched = await cost(async () => {
          const res = await patch('/items/articles/1?fields=id,title,comments', { title: 'two' });
          body = res.body;
          return res;
        }, 200);
        expect(body).toEqual({ data: { id: 1, title: 'two', comments: [] } });
        expect({ created, patched, transactions: transactions.mock.calls.length }).toEqual({
          created: 1,
          patched: 1,
          transactions: 0,
        });
        expect(await table('articles')).toEqual([{ id: 1, title: 'two', slug: null, status: 'draft', author: 1 }]);
      });

      it('a constraint failure on the one statement leaves nothing behind and answers as usual', async () => {
        await post('/items/articles', { title: 'a', slug: 's' });
        const res = await post('/items/articles', { title: 'b', slug: 's' });
        expect(res.status).toBe(400);
        expect((res.body as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(
          'RECORD_NOT_UNIQUE',
        );
        expect((await table('articles')).map((r) => r.title)).toEqual(['a']);
        expect(transactions).not.toHaveBeenCalled();
      });

      it('a re-read that cannot be built does not stop the write: 204, as with a separate re-read', async () => {
        const res = await post('/items/articles?fields=nope', { title: 'kept' });
        expect(res.status).toBe(204);
        expect((await table('articles')).map((r) => r.title)).toEqual(['kept']);
        expect((await patch('/items/articles/1?fields=nope', { title: 'kept too' })).status).toBe(204);
        expect((await table('articles')).map((r) => r.title)).toEqual(['kept too']);
      });

      it('a re-read that reaches the written collection again is not folded: it sees the write', async () => {
        await seedArticles(1);
        await rows(`INSERT INTO comments (body, article) VALUES ('c', 1)`);
        let body: unknown;
        const n = await cost(async () => {
          const res = await patch('/items/articles/1?fields=title,comments.article.title', { title: 'new' });
          body = res.body;
          return res;
        }, 200);
        // comments.article is the articles table read below the root: a folded read would see the old title
        expect(body).toEqual({ data: { title: 'new', comments: [{ article: { title: 'new' } }] } });
        expect({ n, transactions: transactions.mock.calls.length }).toEqual({ n: 2, transactions: 0 });
      });

      it('nested values, an explicit auto-increment key or a filter hook keep the transaction', async () => {
        await post('/items/articles', { title: 'a', comments: [{ body: 'c' }] });
        expect(transactions).toHaveBeenCalledTimes(1);
        await post('/items/articles', { id: 50, title: 'b' });
        expect(transactions).toHaveBeenCalledTimes(2);
        const next = await post('/items/articles?fields=id', { title: 'c' });
        expect(next.body).toEqual({ data: { id: 51 } }); // the sequence moved past the explicit key
        expect(transactions).toHaveBeenCalledTimes(2);
        const off = t.app.get(ItemsEventBus).onFilter('update', 'articles', (payload) => payload);
        try {
          await patch('/items/articles/51', { title: 'd' });
        } finally {
          off();
        }
        expect(transactions).toHaveBeenCalledTimes(3);
        expect((await table('articles')).map((r) => r.title)).toEqual(['a', 'b', 'd']);
      });
    });

    it('a 1,000-item create costs exactly what a 1-item create costs (one INSERT … RETURNING + the re-read)', async () => {
      const one = await cost(() => post('/items/articles', many(1)), 200);
      const thousand = await cost(() => post('/items/articles', many(1000, 1)), 200);
      // Activity and revisions (articles' accountability is `all`, issue 15) are CTEs of the INSERT itself.
      expect({ one, thousand }).toEqual({ one: 2, thousand: 2 });
      expect(await count('articles')).toBe(1001);
    });

    it('a 10,000-row create of a wide collection is chunked under the parameter limit, still all-or-nothing', async () => {
      const wide = Array.from({ length: 10_000 }, (_, i) => ({ name: `n${i}`, label: 'l', count: i, code: 'c' }));
      const n = await cost(() => post('/items/kitchen?fields=id&limit=1', wide), 200);
      expect(await count('kitchen')).toBe(10_000);
      process.stdout.write(`[statements] 10,000-row create of a 4+7-column collection: ${n}\n`);
      expect(n).toBeLessThanOrEqual(5); // + one statement recording activity and revisions (issue 15)
    });

    it('update and delete by keys and by query cost the same for 1 and 1,000 rows', async () => {
      await post('/items/articles', many(2000));
      const keys = Array.from({ length: 1000 }, (_, i) => i + 1);
      const measured = {
        updateKeys1: await cost(() => patch('/items/articles?fields=id', { keys: [1], data: { status: 'a' } }), 200),
        updateKeys1000: await cost(() => patch('/items/articles?fields=id', { keys, data: { status: 'b' } }), 200),
        updateQuery1: await cost(
          () => patch('/items/articles?fields=id', { query: { filter: { id: { _eq: 1 } } }, data: { status: 'c' } }),
          200,
        ),
        updateQuery1000: await cost(
          () =>
            patch('/items/articles?fields=id', { query: { filter: { id: { _lte: 1000 } } }, data: { status: 'd' } }),
          200,
        ),
        updateFilter1000: await cost(
          () => patch('/items/articles?fields=id&filter[id][_lte]=1000', { status: 'e' }),
          200,
        ),
        deleteKeys1: await cost(() => del('/items/articles', [2000]), 204),
        deleteKeys1000: await cost(() => del('/items/articles', keys), 204),
        deleteQuery1: await cost(() => del('/items/articles', { query: { filter: { id: { _eq: 1999 } } } }), 204),
        deleteQuery997: await cost(() => del('/items/articles?filter[id][_gt]=1001'), 204),
      };
      expect(measured).toEqual({
        // each + one statement recording activity and revisions (issue 15)
        updateKeys1: 3,
        updateKeys1000: 3,
        updateQuery1: 4,
        updateQuery1000: 4,
        updateFilter1000: 4,
        deleteKeys1: 2,
        deleteKeys1000: 2,
        deleteQuery1: 3,
        deleteQuery997: 3,
      });
      expect(await count('articles')).toBe(1);
    });

    it('nested writes are grouped per level: 50 articles with children cost what 1 does', async () => {
      const nested = (n: number, offset: number) =>
        Array.from({ length: n }, (_, i) => ({
          title: `t${i}`,
          author: { name: `a${i}` },
          comments: [{ body: 'x' }, { body: 'y' }],
          notes: [{ text: 'n' }],
          tags: [{ tags_id: { name: `tag${i + offset}` } }],
          blocks: [
            { collection: 'headings', item: { title: 'h' } },
            { collection: 'paragraphs', item: { body: 'p' } },
          ],
        }));
      const one = await cost(() => post('/items/articles?fields=id', nested(1, 0)), 200);
      const fifty = await cost(() => post('/items/articles?fields=id', nested(50, 1)), 200);
      process.stdout.write(`[statements] nested create: 1 article ${one}, 50 articles ${fifty}\n`);
      expect(fifty).toBe(one);
      expect(await count('comments')).toBe(102);
      expect(await count('headings')).toBe(51);
    });
  });

  // ---------------------------------------------------------------------------------------------------------------

  describe('hooks and events (spec 11)', () => {
    let bus: ItemsEventBus;
    const offs: (() => void)[] = [];
    beforeAll(() => {
      bus = t.app.get(ItemsEventBus);
    });
    afterEach(() => {
      while (offs.length) offs.pop()!();
    });

    it('a create filter hook may change the payload; the stored row shows it', async () => {
      offs.push(
        bus.onFilter('create', 'articles', (payload) => ({ ...(payload as Row), status: 'from-hook' })),
        bus.onFilter('create', 'authors', () => undefined),
      );
      expect((await post('/items/articles?fields=status', { title: 'x', status: 'mine' })).body).toEqual({
        data: { status: 'from-hook' },
      });
      expect((await table('articles'))[0].status).toBe('from-hook');
    });

    it('filter hooks chain, run per collection, and see nested items', async () => {
      const seen: string[] = [];
      offs.push(
        bus.onFilter('*', '*', (payload, meta) => {
          seen.push(`${meta.event}:${meta.collection}`);
          return payload;
        }),
        bus.onFilter('create', 'comments', (payload) => ({ ...(payload as Row), body: `${(payload as Row).body}!` })),
        bus.onFilter('create', 'comments', (payload) => ({ ...(payload as Row), body: `${(payload as Row).body}?` })),
      );
      await post('/items/articles', { title: 'x', author: { name: 'A' }, comments: [{ body: 'c' }] });
      expect(seen).toEqual(['items.create:articles', 'items.create:authors', 'items.create:comments']);
      expect((await table('comments'))[0].body).toBe('c!?');
    });

    it('an update filter hook gets the keys and may change the data', async () => {
      await seedArticles(3);
      const metas: unknown[] = [];
      offs.push(
        bus.onFilter('update', 'articles', (payload, meta) => {
          metas.push(meta);
          return { ...(payload as Row), title: 'hooked' };
        }),
      );
      await patch('/items/articles', { keys: [1, 3], data: { status: 'x' } });
      expect(metas).toEqual([{ event: 'items.update', collection: 'articles', keys: [1, 3] }]);
      expect((await table('articles')).map((r) => [r.status, r.title])).toEqual([
        ['x', 'hooked'],
        ['draft', 'a2'],
        ['x', 'hooked'],
      ]);
    });

    it('a delete filter hook may change the keys', async () => {
      await seedArticles(3);
      offs.push(bus.onFilter('delete', 'articles', (keys) => (keys as number[]).filter((k) => k !== 2)));
      expect(await del('/items/articles', [1, 2, 3])).toEqual({ status: 204, body: '' });
      expect((await table('articles')).map((r) => r.id)).toEqual([2]);
    });

    it('a filter hook rejecting an update or delete leaves the rows unchanged', async () => {
      await seedArticles(1);
      offs.push(
        bus.onFilter('*', 'articles', () => {
          throw new InvalidPayloadError('locked');
        }),
      );
      expect(await patch('/items/articles/1', { title: 'x' })).toEqual({ status: 400, body: invalid('locked') });
      expect(await del('/items/articles/1')).toEqual({ status: 400, body: invalid('locked') });
      expect(await table('articles')).toEqual([{ id: 1, title: 'a1', slug: null, status: 'draft', author: null }]);
    });

    it('in-transaction handlers run inside the write: they see the uncommitted rows', async () => {
      const db = t.app.get(Database);
      const seen: { inTx: boolean; count: unknown; outside: number }[] = [];
      offs.push(
        bus.inTransaction(async (event) => {
          if (event.collection !== 'articles') return;
          const [row] = await db.query<{ n: string }>('SELECT count(*) AS n FROM articles');
          seen.push({ inTx: db.inTransaction, count: Number(row.n), outside: await count('articles') });
        }),
      );
      await post('/items/articles', [{ title: 'a' }, { title: 'b' }]);
      expect(seen).toEqual([{ inTx: true, count: 2, outside: 0 }]);
    });

    it('after-commit listeners get one event per set-based write, with collection, keys, payload, after and parent', async () => {
      const events: MutationEvent[] = [];
      offs.push(bus.afterCommit((e) => void events.push(e)));
      await post('/items/articles', [
        { title: 'a', author: { name: 'A' }, comments: [{ body: 'c1' }, { body: 'c2' }] },
        { title: 'b', comments: [{ body: 'c3' }] },
      ]);
      await tick();
      const summary = events.map((e) => ({
        action: e.action,
        collection: e.collection,
        keys: e.keys,
        parent: e.parent ? `${e.parent.action}:${e.parent.collection}` : null,
      }));
      expect(summary).toEqual([
        { action: 'create', collection: 'authors', keys: [1], parent: 'create:articles' },
        { action: 'create', collection: 'articles', keys: [1, 2], parent: null },
        { action: 'create', collection: 'comments', keys: [1, 2, 3], parent: 'create:articles' },
      ]);
      const top = events[1];
      expect(top.payload).toEqual([{ title: 'a', author: 1 }, { title: 'b' }]);
      expect(top.after).toEqual([
        { id: 1, title: 'a', slug: null, status: 'draft', author: 1 },
        { id: 2, title: 'b', slug: null, status: 'draft', author: null },
      ]);
      expect(top.before).toBeNull();
      expect(top.accountability).toEqual(expect.objectContaining({ admin: true, user: adminId }));
      expect(events[2].after.map((r) => [r.body, r.article, r.sort])).toEqual([
        ['c1', 1, 1],
        ['c2', 1, 2],
        ['c3', 2, 1],
      ]);
    });

    it('update and delete events carry before images when a handler asked for them', async () => {
      await seedArticles(2);
      const events: MutationEvent[] = [];
      offs.push(bus.afterCommit((e) => void events.push(e), { needsBefore: true }));
      await patch('/items/articles', { keys: [1, 2], data: { status: 'x' } });
      await del('/items/articles/2');
      await tick();
      expect(events.map((e) => [e.action, e.keys])).toEqual([
        ['update', [1, 2]],
        ['delete', [2]],
      ]);
      expect(events[0].payload).toEqual({ status: 'x' });
      expect(events[0].before!.map((r) => r.status)).toEqual(['draft', 'draft']);
      expect(events[0].after.map((r) => r.status)).toEqual(['x', 'x']);
      // The payload is the keys as passed (a URL's "2"), as Directus's items.delete; keys are the cast ones.
      expect(events[1].payload).toEqual(['2']);
      expect(events[1].before).toEqual([{ id: 2, title: 'a2', slug: null, status: 'x', author: null }]);
      expect(events[1].after).toEqual([]);
    });

    it('without a needsBefore listener no before image is read', async () => {
      await seedArticles(1);
      const events: MutationEvent[] = [];
      offs.push(bus.afterCommit((e) => void events.push(e)));
      await patch('/items/articles/1', { status: 'x' });
      await tick();
      expect(events.map((e) => e.before)).toEqual([null]);
    });

    it('after-commit listeners never see a rolled-back request, and run only after the commit', async () => {
      const events: MutationEvent[] = [];
      let visibleAtEmit: number | null = null;
      offs.push(
        bus.afterCommit(async (e) => {
          events.push(e);
          if (e.collection === 'articles') visibleAtEmit = await count('articles');
        }),
      );
      await post('/items/articles', [
        { title: 'a', slug: 's' },
        { title: 'b', slug: 's' },
      ]);
      await post('/items/articles', { title: 'x', comments: [{ body: null }] });
      await tick();
      expect(events).toEqual([]);
      await post('/items/articles', { title: 'ok' });
      await new Promise((r) => setTimeout(r, 50));
      expect(events.map((e) => e.collection)).toEqual(['articles']);
      expect(visibleAtEmit).toBe(1);
    });

    it('a failing after-commit listener does not affect the response or the data', async () => {
      offs.push(
        bus.afterCommit(() => {
          throw new Error('listener broke');
        }),
      );
      expect((await post('/items/articles?fields=title', { title: 'x' })).body).toEqual({ data: { title: 'x' } });
      expect(await count('articles')).toBe(1);
    });

    it('unsubscribing twice does not remove another listener', async () => {
      const calls: string[] = [];
      const offA = bus.onFilter('create', 'articles', () => void calls.push('a'));
      const offB = bus.onFilter('create', 'articles', () => void calls.push('b'));
      offs.push(offB);
      offA();
      offA();
      await post('/items/articles', { title: 'x' });
      expect(calls).toEqual(['b']);
    });
  });
});

describe('items writes: MAX_BATCH_MUTATION (spec 1.5)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ MAX_BATCH_MUTATION: '5' });
    await createItemsSchema(t);
  });
  afterAll(() => t.close());

  const LIMIT = invalid('Exceeded max batch mutation limit of 5');
  const count = async (name: string) =>
    Number((await t.db.client.query(`SELECT count(*) AS n FROM "${name}"`)).rows[0].n);

  it('5 items pass, 6 are refused with nothing written', async () => {
    const items = (n: number) => Array.from({ length: n }, (_, i) => ({ title: `t${i}` }));
    expect((await t.http.post('/items/articles').set(t.admin).send(items(5))).status).toBe(200);
    const res = await t.http.post('/items/articles').set(t.admin).send(items(6));
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: LIMIT });
    expect(await count('articles')).toBe(5);
  });

  it('nested writes count too: 1 article + 5 comments is 6', async () => {
    const res = await t.http
      .post('/items/articles')
      .set(t.admin)
      .send({ title: 'x', comments: Array.from({ length: 5 }, () => ({ body: 'c' })) });
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: LIMIT });
    const ok = await t.http
      .post('/items/articles')
      .set(t.admin)
      .send({ title: 'y', author: { name: 'A' }, comments: [{ body: 'c' }, { body: 'd' }, { body: 'e' }] });
    expect(ok.status).toBe(200);
    expect([await count('articles'), await count('comments'), await count('authors')]).toEqual([6, 3, 1]);
  });

  it('a batch update counts every element', async () => {
    const batch = [1, 2, 3, 4, 5, 6].map((id) => ({ id, status: 'batch' }));
    const res = await t.http.patch('/items/articles').set(t.admin).send(batch);
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: LIMIT });
    expect((await t.db.client.query(`SELECT count(*)::int AS n FROM articles WHERE status = 'batch'`)).rows).toEqual([
      { n: 0 },
    ]);
  });

  it('updates and deletes count their keys', async () => {
    const keys = [1, 2, 3, 4, 5, 6];
    let res = await t.http
      .patch('/items/articles')
      .set(t.admin)
      .send({ keys, data: { status: 'x' } });
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: LIMIT });
    res = await t.http.delete('/items/articles').set(t.admin).send(keys);
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: LIMIT });
    res = await t.http.delete('/items/articles?filter[id][_gt]=0').set(t.admin);
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: LIMIT });
    const statuses = (await t.db.client.query(`SELECT DISTINCT status FROM articles`)).rows;
    expect(statuses).toEqual([{ status: 'draft' }]);
    expect(await count('articles')).toBe(6);
  });
});

describe('keys outside the primary key range', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await t.http
      .post('/collections')
      .set(t.admin)
      .send({ collection: 'ranged', schema: {}, fields: [{ field: 'name', type: 'string' }] })
      .expect(200);
    await t.http.post('/items/ranged').set(t.admin).send({ name: 'kept' }).expect(200);
  });
  afterAll(() => t.close());

  it('PATCH and DELETE of an id beyond int4 are 204 (no such row) and change nothing', async () => {
    await t.http.patch('/items/ranged/99999999999999999999').set(t.admin).send({ name: 'x' }).expect(204);
    await t.http.delete('/items/ranged/99999999999999999999').set(t.admin).expect(204);
    await t.http.delete('/items/ranged').set(t.admin).send([2147483648, 1]).expect(204);
    const rows = await t.db.client.query('SELECT count(*)::int AS n FROM ranged');
    expect(rows.rows[0].n).toBe(0);
  });
});
