import { createReadsSchema, seedReads } from './items-reads.schema';
import { createTestApp, type TestApp } from './support/app';

/**
 * Issue 4: QUERY_LIMIT_DEFAULT / QUERY_LIMIT_MAX and MAX_RELATIONAL_DEPTH over HTTP (spec 1.6, 3). The app runs with
 * QUERY_LIMIT_DEFAULT=4, QUERY_LIMIT_MAX=3 and MAX_RELATIONAL_DEPTH=1 (raised to the minimum, 2).
 */

const invalidQuery = (reason: string) => ({
  status: 400,
  body: { errors: [{ message: `Invalid query. ${reason}.`, extensions: { code: 'INVALID_QUERY', reason } }] },
});

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ QUERY_LIMIT_DEFAULT: '4', QUERY_LIMIT_MAX: '3', MAX_RELATIONAL_DEPTH: '1' });
  await createReadsSchema(t);
  await seedReads(t);
});
afterAll(() => t.close());

async function get(url: string) {
  const res = await t.http.get(url).set(t.admin);
  return { status: res.status, body: res.body as unknown };
}

const rows = (...ids: number[]) => ({ status: 200, body: { data: ids.map((id) => ({ id })) } });

describe('QUERY_LIMIT_MAX', () => {
  it('an absent limit is min(default, max)', async () => {
    expect(await get('/items/articles?fields=id')).toEqual(rows(1, 2, 3));
    expect(await get('/items/articles?fields=id&page=2')).toEqual(rows(4, 5));
  });

  it('limit=-1 means the max', async () => {
    expect(await get('/items/articles?fields=id&limit=-1')).toEqual(rows(1, 2, 3));
    expect(await get('/items/articles?fields=id&limit=-1&offset=3')).toEqual(rows(4, 5));
  });

  it('limits up to the max are honoured, more is INVALID_QUERY', async () => {
    expect(await get('/items/articles?fields=id&limit=2')).toEqual(rows(1, 2));
    expect(await get('/items/articles?fields=id&limit=3')).toEqual(rows(1, 2, 3));
    expect(await get('/items/articles?fields=id&limit=0')).toEqual(rows());
    expect(await get('/items/articles?fields=id&limit=4')).toEqual(
      invalidQuery('"limit" must be less than or equal to 3'),
    );
    const search = await t.http
      .search('/items/articles')
      .set(t.admin)
      .send({ query: { limit: 100 } });
    expect({ status: search.status, body: search.body as unknown }).toEqual(
      invalidQuery('"limit" must be less than or equal to 3'),
    );
  });

  it('applies to deep _limit and to the per-parent O2M default', async () => {
    expect(await get('/items/articles?fields=id,comments&filter[id][_eq]=4')).toEqual({
      status: 200,
      body: { data: [{ id: 4, comments: [5, 6, 7] }] },
    });
    expect(await get('/items/articles?fields=id,comments&filter[id][_eq]=4&deep[comments][_limit]=-1')).toEqual({
      status: 200,
      body: { data: [{ id: 4, comments: [5, 6, 7] }] },
    });
    expect(await get('/items/articles?fields=id,comments&deep[comments][_limit]=4')).toEqual(
      invalidQuery('"_limit" must be less than or equal to 3'),
    );
  });

  it('meta counts are not capped', async () => {
    expect(await get('/items/articles?fields=id&meta=*')).toEqual({
      status: 200,
      body: { data: [{ id: 1 }, { id: 2 }, { id: 3 }], meta: { total_count: 5, filter_count: 5 } },
    });
  });
});

describe('MAX_RELATIONAL_DEPTH below 2 counts as 2', () => {
  it('two levels pass, three are INVALID_QUERY', async () => {
    expect(await get('/items/articles?fields=id,author.name&filter[id][_eq]=2')).toEqual({
      status: 200,
      body: { data: [{ id: 2, author: { name: 'Bob' } }] },
    });
    expect(await get('/items/articles?fields=author.articles.id')).toEqual(
      invalidQuery('Max relational depth exceeded'),
    );
    expect(await get('/items/articles?filter[author][articles][_some][id][_eq]=1')).toEqual(
      invalidQuery('Max relational depth exceeded'),
    );
    expect(await get('/items/comments?sort=article.author.name')).toEqual(
      invalidQuery('Max relational depth exceeded'),
    );
    // deep counts relation keys (Directus's calculateFieldDepth): two levels pass, three don't
    expect((await get('/items/articles?fields=id&deep[author][articles][_limit]=1')).status).toBe(200);
    expect(await get('/items/articles?deep[author][articles][comments][_limit]=1')).toEqual(
      invalidQuery('Max relational depth exceeded'),
    );
    expect(await get('/items/articles?deep[comments][_filter][article][author][name][_eq]=x')).toEqual(
      invalidQuery('Max relational depth exceeded'),
    );
  });
});
