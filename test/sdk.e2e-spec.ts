import type { AddressInfo } from 'node:net';
import {
  aggregate,
  createDirectus,
  createItem,
  createItems,
  deleteItem,
  deleteItems,
  readItem,
  readItems,
  readSingleton,
  rest,
  staticToken,
  updateItem,
  updateItems,
  updateItemsBatch,
  updateSingleton,
  withSearch,
} from '@directus/sdk';
import { createReadsSchema, seedReads } from './items-reads.schema';
import { createTestApp, type TestApp } from './support/app';
import { ADMIN_TOKEN } from './support/constants';

/**
 * Issue 4: the official @directus/sdk (v26, unchanged) drives the main read paths and the write helpers against a
 * real listening server. Under jest the `import` above is compiled to `require` and loads the SDK's CJS build
 * (dist/index.cjs); the last test also loads the ESM build (dist/index.js) with a native dynamic import.
 */

type Row = Record<string, unknown>;

let t: TestApp;
let url: string;

function client() {
  return createDirectus(url).with(rest()).with(staticToken(ADMIN_TOKEN));
}

beforeAll(async () => {
  t = await createTestApp({ QUERY_LIMIT_DEFAULT: '4' });
  await createReadsSchema(t);
  await seedReads(t);
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  url = `http://127.0.0.1:${port}`;
});
afterAll(() => t.close());

/** The error an SDK request rejects with: `{errors, response}` (RequestError). */
async function failure(promise: Promise<unknown>): Promise<{ status: number; errors: unknown }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { errors: unknown; response: Response };
    return { status: e.response.status, errors: e.errors };
  }
  throw new Error('the request did not fail');
}

describe('reads through the SDK', () => {
  it('readItems with fields (nested object syntax), filter, sort, limit', async () => {
    const rows = await client().request(
      readItems('articles', {
        fields: ['id', 'title', { author: ['name'] }, { comments: ['body'] }],
        filter: { status: { _eq: 'published' }, views: { _gte: 100 } },
        sort: ['-views'],
        limit: 5,
      }),
    );
    expect(rows).toEqual([
      { id: 2, title: 'Second Post', author: { name: 'Bob' }, comments: [{ body: 'Nice' }] },
      {
        id: 1,
        title: 'Hello World',
        author: { name: 'Ann' },
        comments: [{ body: 'Great read' }, { body: 'Thanks' }, { body: 'great again' }],
      },
    ]);
  });

  it('readItems with deep, search, offset, M2M and M2A', async () => {
    const rows = await client().request(
      readItems('articles', {
        fields: ['id', { comments: ['id'] }, { tags: [{ tags_id: ['name'] }] }, { blocks: ['collection'] }],
        deep: { comments: { _sort: ['-id'], _limit: 2 }, tags: { _filter: { tags_id: { name: { _eq: 'tech' } } } } },
        search: 'o',
        sort: ['id'],
        offset: 1,
        limit: 2,
      }),
    );
    expect(rows).toEqual([
      { id: 2, comments: [{ id: 4 }], tags: [{ tags_id: { name: 'tech' } }], blocks: [{ collection: 'paragraphs' }] },
      { id: 5, comments: [], tags: [], blocks: [] },
    ]);
  });

  it('readItems with aggregate and groupBy (JSON aggregate, comma groupBy)', async () => {
    expect(
      await client().request(
        readItems('articles', {
          aggregate: { count: '*', sum: 'views' },
          groupBy: ['status'],
          sort: ['-count', 'status'],
        }),
      ),
    ).toEqual([
      { status: 'published', count: '3', sum: { views: '350' } },
      { status: 'archived', count: '1', sum: { views: '50' } },
      { status: 'draft', count: '1', sum: { views: null } },
    ]);
    expect(
      await client().request(
        aggregate('articles', {
          aggregate: { avg: 'views', max: ['rating', 'published_at'] },
          query: { filter: { featured: { _eq: true } } },
        }),
      ),
    ).toEqual([
      { avg: { views: '75.0000000000000000' }, max: { rating: '1000.50', published_at: '2024-07-01T00:00:00' } },
    ]);
  });

  it('readItems with functions and alias', async () => {
    expect(
      await client().request(
        readItems('articles', {
          fields: ['id', 'year(published_at)', 'count(comments)', 'headline'],
          alias: { headline: 'title' },
          filter: { 'year(published_at)': { _eq: 2024 } },
        }),
      ),
    ).toEqual([
      { id: 1, published_at_year: '2024', comments_count: '3', headline: 'Hello World' },
      { id: 4, published_at_year: '2024', comments_count: '5', headline: 'Zeta' },
    ]);
  });

  it('withSearch sends the query as a SEARCH body', async () => {
    expect(
      await client().request(
        withSearch(
          readItems('articles', { fields: ['id', { author: ['name'] }], filter: { author: { name: { _eq: 'Ann' } } } }),
        ),
      ),
    ).toEqual([
      { id: 1, author: { name: 'Ann' } },
      { id: 3, author: { name: 'Ann' } },
    ]);
  });

  it('readItem and readSingleton', async () => {
    expect(
      await client().request(readItem('articles', 2, { fields: ['id', 'rating', 'big', 'published_at'] })),
    ).toEqual({
      id: 2,
      rating: '3.25',
      big: '12',
      published_at: '2023-12-31T23:59:59',
    });
    expect(await client().request(readItem('tokens', '6b0e1a52-0c3e-4d9f-8a61-7f2b3c4d5e6f'))).toEqual({
      id: '6b0e1a52-0c3e-4d9f-8a61-7f2b3c4d5e6f',
      label: 'only',
    });
    expect(await client().request(readSingleton('settings'))).toEqual({ id: null, site_name: 'Tessera', per_page: 25 });
    expect(await client().request(readSingleton('site', { fields: ['site_name'] }))).toEqual({ site_name: 'My Site' });
  });

  it('errors reject with the Directus envelope', async () => {
    expect(await failure(client().request(readItem('articles', 999)))).toEqual({
      status: 403,
      errors: [{ message: "You don't have permission to access this.", extensions: { code: 'FORBIDDEN' } }],
    });
    expect(
      await failure(client().request(readItems('articles', { filter: { title: { _regex: 'x' } } as never }))),
    ).toEqual({
      status: 400,
      errors: [
        {
          message: 'Invalid query. "string" field type does not contain the "_regex" filter operator.',
          extensions: {
            code: 'INVALID_QUERY',
            reason: '"string" field type does not contain the "_regex" filter operator',
          },
        },
      ],
    });
    const reason = `You don't have permission to access field "nope" in collection "articles" or it does not exist. Queried in root.`;
    expect(await failure(client().request(readItems('articles', { fields: ['nope'] })))).toEqual({
      status: 403,
      errors: [{ message: reason, extensions: { code: 'FORBIDDEN', reason } }],
    });
  });
});

describe('writes through the SDK', () => {
  it('createItem and createItems return the re-read items (with the query)', async () => {
    const one = (await client().request(createItem('tags', { name: 'sdk-one' }, { fields: ['id', 'name'] }))) as Row;
    expect(one).toEqual({ id: 4, name: 'sdk-one' });
    const many = await client().request(
      createItems('articles', [
        { title: 'SDK A', rating: 1.5, author: 2, tags: [{ tags_id: 4 }] },
        { title: 'SDK B', big: '9007199254740995', comments: [{ body: 'from sdk' }] },
      ]),
    );
    expect(many).toEqual([
      expect.objectContaining({ id: 6, title: 'SDK A', status: 'draft', rating: '1.50', author: 2, tags: [5] }),
      expect.objectContaining({ id: 7, title: 'SDK B', big: '9007199254740995', comments: [10] }),
    ]);
    expect(
      await client().request(
        readItems('articles', { fields: ['id', { tags: [{ tags_id: ['name'] }] }], filter: { id: { _gte: 6 } } }),
      ),
    ).toEqual([
      { id: 6, tags: [{ tags_id: { name: 'sdk-one' } }] },
      { id: 7, tags: [] },
    ]);
  });

  it('updateItem, updateItems by keys and by query, updateItemsBatch', async () => {
    expect(await client().request(updateItem('articles', 6, { views: 7 }, { fields: ['id', 'views'] }))).toEqual({
      id: 6,
      views: 7,
    });
    expect(
      await client().request(updateItems('articles', [6, 7], { status: 'published' }, { fields: ['id', 'status'] })),
    ).toEqual([
      { id: 6, status: 'published' },
      { id: 7, status: 'published' },
    ]);
    expect(
      await client().request(
        updateItems(
          'articles',
          { filter: { title: { _starts_with: 'SDK' } } },
          { featured: true },
          { fields: ['id', 'featured'] },
        ),
      ),
    ).toEqual([
      { id: 6, featured: true },
      { id: 7, featured: true },
    ]);
    expect(
      await client().request(
        updateItemsBatch(
          'articles',
          [
            { id: 6, body: 'six' },
            { id: 7, body: 'seven' },
          ],
          { fields: ['id', 'body'] },
        ),
      ),
    ).toEqual([
      { id: 6, body: 'six' },
      { id: 7, body: 'seven' },
    ]);
  });

  it('updateSingleton upserts, readSingleton reads it back', async () => {
    expect(await client().request(updateSingleton('settings', { theme: 'light' }))).toEqual({
      id: 1,
      site_name: 'Tessera',
      per_page: 25,
      theme: 'light',
    });
    expect(await client().request(readSingleton('settings', { fields: ['theme'] }))).toEqual({ theme: 'light' });
  });

  it('deleteItem, deleteItems by keys and by query', async () => {
    expect(await client().request(deleteItem('comments', 10))).toBeNull();
    expect(await client().request(deleteItems('articles', [7]))).toBeNull();
    expect(await client().request(deleteItems('articles', { filter: { title: { _eq: 'SDK A' } } }))).toBeNull();
    expect(await client().request(readItems('articles', { fields: ['id'], filter: { id: { _gte: 6 } } }))).toEqual([]);
    expect(await failure(client().request(readItem('comments', 10)))).toMatchObject({ status: 403 });
  });
});

describe('module formats', () => {
  it('the ESM build loads with a native dynamic import and talks to the server too', async () => {
    // A real import(), not the require() swc emits for `import`.
    const load = new Function('specifier', 'return import(specifier)') as (
      s: string,
    ) => Promise<typeof import('@directus/sdk')>;
    const esm = await load('@directus/sdk');
    const c = esm.createDirectus(url).with(esm.rest()).with(esm.staticToken(ADMIN_TOKEN));
    expect(await c.request(esm.readItems('tags', { fields: ['name'], sort: ['name'], limit: 2 }))).toEqual([
      { name: 'life' },
      { name: 'news' },
    ]);
  });
});
