import { createReadsSchema, seedReads, TOKEN_ID, UID } from './items-reads.schema';
import { createTestApp, type TestApp } from './support/app';

/**
 * Issue 4, Items reads over HTTP (spec 1.1–1.4, 1.6, 2, 3, 12, 14, 15) against the real server and embedded
 * PostgreSQL: whole response bodies for every route, format, relation kind, parameter and error. The app runs with
 * QUERY_LIMIT_DEFAULT=4 so the default limit (also per O2M parent) is visible with five articles.
 */

type Row = Record<string, unknown>;

const FORBIDDEN = {
  errors: [{ message: "You don't have permission to access this.", extensions: { code: 'FORBIDDEN' } }],
};

function reasoned(code: string, status: number, message: string, reason: string) {
  return { status, body: { errors: [{ message, extensions: { code, reason } }] } };
}
const invalidQuery = (reason: string) => reasoned('INVALID_QUERY', 400, `Invalid query. ${reason}.`, reason);
const invalidPayload = (reason: string) => reasoned('INVALID_PAYLOAD', 400, `Invalid payload. ${reason}.`, reason);
function forbiddenField(field: string, collection: string, path?: string) {
  const where = path === undefined ? 'root' : `"${path}"`;
  const message = `You don't have permission to access field "${field}" in collection "${collection}" or it does not exist. Queried in ${where}.`;
  return reasoned('FORBIDDEN', 403, message, message);
}
function forbiddenCollection(collection: string) {
  const message = `You don't have permission to access collection "${collection}" or it does not exist. Queried in root.`;
  return reasoned('FORBIDDEN', 403, message, message);
}
const ok = (data: unknown, meta?: Row) => ({ status: 200, body: meta ? { data, meta } : { data } });
const json = (value: unknown) => encodeURIComponent(JSON.stringify(value));

/** The articles as `fields=*` reads them (O2M key lists capped at QUERY_LIMIT_DEFAULT=4 per parent). */
const A1 = {
  id: 1,
  title: 'Hello World',
  body: 'First post',
  status: 'published',
  published_at: '2024-03-05T10:20:30',
  created_on: '2024-03-05T10:20:30.000Z',
  day: '2024-03-05',
  starts: '09:15:00',
  views: 100,
  rating: '4.50',
  big: '9007199254740993',
  data: { a: 1 },
  featured: true,
  uid: UID,
  author: 1,
  comments: [1, 2, 3],
  tags: [1, 2],
  blocks: [1, 2, 3],
};
const A2 = {
  id: 2,
  title: 'Second Post',
  body: 'More words',
  status: 'published',
  published_at: '2023-12-31T23:59:59',
  created_on: '2023-12-31T22:00:00.000Z',
  day: '2023-12-31',
  starts: '18:00:00',
  views: 250,
  rating: '3.25',
  big: '12',
  data: [1, 2],
  featured: false,
  uid: null,
  author: 2,
  comments: [4],
  tags: [3],
  blocks: [4],
};
const A3 = {
  id: 3,
  title: 'Draft Ideas',
  body: null,
  status: 'draft',
  published_at: null,
  created_on: null,
  day: null,
  starts: null,
  views: null,
  rating: null,
  big: null,
  data: null,
  featured: null,
  uid: null,
  author: 1,
  comments: [],
  tags: [],
  blocks: [],
};
const A4 = {
  id: 4,
  title: 'Zeta',
  body: 'zzz',
  status: 'archived',
  published_at: '2024-07-01T00:00:00',
  created_on: '2024-07-01T00:00:00.000Z',
  day: '2024-07-01',
  starts: '00:00:00',
  views: 50,
  rating: '1000.50',
  big: '-5',
  data: null,
  featured: true,
  uid: null,
  author: null,
  comments: [5, 6, 7, 8],
  tags: [4],
  blocks: [],
};
const A5 = {
  id: 5,
  title: 'alpha',
  body: 'lowercase hello',
  status: 'published',
  published_at: '2022-01-01T12:00:00',
  created_on: '2022-01-01T12:00:00.000Z',
  day: '2022-01-01',
  starts: '12:00:00',
  views: 0,
  rating: '0.00',
  big: '0',
  data: 's',
  featured: false,
  uid: null,
  author: 3,
  comments: [],
  tags: [],
  blocks: [],
};

const ANN = { id: 1, name: 'Ann', email: 'ann@example.com', born: '1980-01-02', articles: [1, 3] };
const BOB = { id: 2, name: 'Bob', email: 'bob@example.com', born: '1975-06-30', articles: [2] };
const CY = { id: 3, name: 'Cy', email: null, born: null, articles: [5] };

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ QUERY_LIMIT_DEFAULT: '4' });
  await createReadsSchema(t);
  await seedReads(t);
});
afterAll(() => t.close());

async function get(url: string) {
  const res = await t.http.get(url).set(t.admin);
  return { status: res.status, body: res.body as unknown };
}

async function search(url: string, body?: unknown) {
  const req = t.http.search(url).set(t.admin);
  const res = body === undefined ? await req : await req.send(body as object);
  return { status: res.status, body: res.body as unknown };
}

/** The `id`s of a list read (fields=id is added). */
async function ids(query: string): Promise<unknown> {
  const res = await get(`/items/articles?fields=id&${query}`);
  if (res.status !== 200) return res;
  return (res.body as { data: { id: number }[] }).data.map((row) => row.id);
}

// ---------------------------------------------------------------------------------------------------------------------

describe('routes and envelopes (spec 1.1–1.4)', () => {
  it('GET /items/:c returns {data} only, default limit (QUERY_LIMIT_DEFAULT=4) in PK order', async () => {
    const res = await t.http.get('/items/articles').set(t.admin);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ data: [A1, A2, A3, A4] });
    expect(Object.keys(res.body as Row)).toEqual(['data']);
  });

  it('limit=-1 returns every row; limit=0 returns []', async () => {
    expect(await get('/items/articles?limit=-1')).toEqual(ok([A1, A2, A3, A4, A5]));
    expect(await get('/items/articles?limit=0')).toEqual(ok([]));
    expect(await get('/items/articles?limit=0&meta=*')).toEqual(ok([], { total_count: 5, filter_count: 5 }));
  });

  it('page and offset', async () => {
    expect(await ids('limit=2&page=1')).toEqual([1, 2]);
    expect(await ids('limit=2&page=2')).toEqual([3, 4]);
    expect(await ids('limit=2&page=3')).toEqual([5]);
    expect(await ids('limit=2&page=4')).toEqual([]);
    // page without limit pages by the default limit; page overrides offset; page is ignored with limit=-1
    expect(await ids('page=2')).toEqual([5]);
    expect(await ids('limit=2&page=2&offset=4')).toEqual([3, 4]);
    expect(await ids('limit=-1&page=2')).toEqual([1, 2, 3, 4, 5]);
    expect(await ids('offset=3')).toEqual([4, 5]);
    expect(await ids('limit=1&offset=4')).toEqual([5]);
    expect(await ids('offset=10')).toEqual([]);
  });

  it('meta: only with ?meta, counts are JSON numbers, filter_count follows filter and search', async () => {
    expect(await get('/items/articles?fields=id&limit=1&meta=*')).toEqual(
      ok([{ id: 1 }], { total_count: 5, filter_count: 5 }),
    );
    expect(await get('/items/articles?fields=id&filter[status][_eq]=published&meta=total_count')).toEqual(
      ok([{ id: 1 }, { id: 2 }, { id: 5 }], { total_count: 5 }),
    );
    expect(await get('/items/articles?fields=id&filter[status][_eq]=published&meta=filter_count&limit=1')).toEqual(
      ok([{ id: 1 }], { filter_count: 3 }),
    );
    expect(await get('/items/articles?fields=id&search=hello&meta[]=total_count&meta[]=filter_count')).toEqual(
      ok([{ id: 1 }, { id: 5 }], { total_count: 5, filter_count: 2 }),
    );
    expect(await get('/items/articles?fields=id&meta=total_count,filter_count&filter[id][_gt]=3')).toEqual(
      ok([{ id: 4 }, { id: 5 }], { total_count: 5, filter_count: 2 }),
    );
    const raw = await t.http.get('/items/articles?fields=id&limit=0&meta=*').set(t.admin);
    expect(raw.text).toBe('{"data":[],"meta":{"total_count":5,"filter_count":5}}');
  });

  it('GET /items/:c/:id returns the object; meta is ignored', async () => {
    expect(await get('/items/articles/1')).toEqual(ok(A1));
    expect(await get('/items/articles/5?meta=*')).toEqual(ok(A5));
    expect(await get('/items/articles/2?fields=id,title,author.name')).toEqual(
      ok({ id: 2, title: 'Second Post', author: { name: 'Bob' } }),
    );
    expect(await get(`/items/tokens/${TOKEN_ID}`)).toEqual(ok({ id: TOKEN_ID, label: 'only' }));
  });

  it('not found and malformed keys are a bare 403', async () => {
    for (const url of [
      '/items/articles/999',
      '/items/articles/abc',
      '/items/articles/1.5',
      '/items/articles/99999999999999999999',
      '/items/tokens/not-a-uuid',
      '/items/tokens/00000000-0000-4000-8000-000000000000',
    ]) {
      expect({ url, ...(await get(url)) }).toEqual({ url, status: 403, body: FORBIDDEN });
    }
  });

  it('string primary keys: read as written, default sort by key', async () => {
    expect(await get('/items/codes')).toEqual(
      ok([
        { code: 'a', label: 'ay' },
        { code: 'a,b', label: 'comma' },
        { code: 'b', label: 'bee' },
      ]),
    );
    expect(await get('/items/codes/a%2Cb')).toEqual(ok({ code: 'a,b', label: 'comma' }));
    expect(await get('/items/codes/c')).toEqual({ status: 403, body: FORBIDDEN });
    expect(await get('/items/codes/a%00')).toEqual({ status: 403, body: FORBIDDEN });
    expect(await search('/items/codes?fields=code', { keys: ['b', 'zz', 'a\u0000', 'a'] })).toEqual(
      ok([{ code: 'a' }, { code: 'b' }]),
    );
  });

  it('unknown collections get the collection 403 on every read route', async () => {
    expect(await get('/items/nope')).toEqual(forbiddenCollection('nope'));
    expect(await get('/items/nope/1')).toEqual(forbiddenCollection('nope'));
    expect(await search('/items/nope', { query: { fields: ['id'] } })).toEqual(forbiddenCollection('nope'));
  });

  it('directus_* collections are rejected on /items with a bare 403', async () => {
    expect(await get('/items/directus_users')).toEqual({ status: 403, body: FORBIDDEN });
    expect(await get('/items/directus_roles/1')).toEqual({ status: 403, body: FORBIDDEN });
    expect(await search('/items/directus_users', {})).toEqual({ status: 403, body: FORBIDDEN });
    expect(await get('/items/directus_nothing')).toEqual({ status: 403, body: FORBIDDEN });
  });

  it('default sort is the PK ascending, or the collection sort_field', async () => {
    expect(await get('/items/pages')).toEqual(
      ok([
        { id: 2, title: 'p-two', sort: 1 },
        { id: 3, title: 'p-three', sort: 2 },
        { id: 1, title: 'p-one', sort: 3 },
      ]),
    );
    expect(await get('/items/pages?fields=id&sort=id')).toEqual(ok([{ id: 1 }, { id: 2 }, { id: 3 }]));
    expect(await get('/items/pages?fields=title&sort=-title')).toEqual(
      ok([{ title: 'p-two' }, { title: 'p-three' }, { title: 'p-one' }]),
    );
  });
});

describe('SEARCH /items/:c', () => {
  it('without a body reads like GET with the URL query', async () => {
    expect(await search('/items/articles?fields=id,title&limit=2')).toEqual(
      ok([
        { id: 1, title: 'Hello World' },
        { id: 2, title: 'Second Post' },
      ]),
    );
  });

  it('body query replaces the URL query entirely', async () => {
    expect(
      await search('/items/articles?fields=title&filter[id][_eq]=1&limit=1', {
        query: { fields: ['id'], filter: { status: { _eq: 'published' } }, sort: ['-id'] },
      }),
    ).toEqual(ok([{ id: 5 }, { id: 2 }, { id: 1 }]));
    // the default limit applies again (URL limit=1 is gone)
    expect(await search('/items/articles?limit=1', { query: { fields: 'id' } })).toEqual(
      ok([{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }]),
    );
  });

  it('body query is sanitized and validated like URL parameters', async () => {
    expect(await search('/items/articles', { query: { limit: 'x' } })).toEqual(
      invalidQuery('"limit" must be a number'),
    );
    expect(await search('/items/articles', { query: { filter: '{bad' } })).toEqual(
      invalidQuery('Invalid JSON for filter object'),
    );
    expect(await search('/items/articles', { query: { filter: { title: { _regex: 'x' } } } })).toEqual(
      invalidQuery('"string" field type does not contain the "_regex" filter operator'),
    );
    expect(await search('/items/articles', { query: { fields: ['nope'] } })).toEqual(
      forbiddenField('nope', 'articles'),
    );
    // JSON-string parameters inside the body are parsed too
    expect(
      await search('/items/articles', { query: { fields: 'id', filter: JSON.stringify({ id: { _in: [2, 4] } }) } }),
    ).toEqual(ok([{ id: 2 }, { id: 4 }]));
  });

  it('body query meta, aggregate and deep', async () => {
    expect(
      await search('/items/articles', { query: { fields: ['id'], limit: 1, meta: '*', filter: { id: { _gt: 1 } } } }),
    ).toEqual(ok([{ id: 2 }], { total_count: 5, filter_count: 4 }));
    expect(await search('/items/articles', { query: { aggregate: { count: '*' }, groupBy: ['featured'] } })).toEqual(
      ok([
        { featured: false, count: '2' },
        { featured: true, count: '2' },
        { featured: null, count: '1' },
      ]),
    );
    expect(
      await search('/items/articles', {
        query: {
          fields: ['id', 'comments.id'],
          filter: { id: { _in: [1, 4] } },
          deep: { comments: { _sort: ['-id'], _limit: 2 } },
        },
      }),
    ).toEqual(
      ok([
        { id: 1, comments: [{ id: 3 }, { id: 2 }] },
        { id: 4, comments: [{ id: 9 }, { id: 8 }] },
      ]),
    );
  });

  it('malformed keys are a bare 403, as on GET /items/:c/:id', async () => {
    expect(await search('/items/articles', { keys: [1, 'abc'] })).toEqual({ status: 403, body: FORBIDDEN });
    expect(await search('/items/tokens', { keys: ['nope'] })).toEqual({ status: 403, body: FORBIDDEN });
  });

  it('keys: default sort, missing keys left out, URL query applies', async () => {
    expect(await search('/items/articles?fields=id,title', { keys: [3, 1, 999] })).toEqual(
      ok([
        { id: 1, title: 'Hello World' },
        { id: 3, title: 'Draft Ideas' },
      ]),
    );
    expect(await search('/items/articles?fields=id', { keys: ['5', '2'] })).toEqual(ok([{ id: 2 }, { id: 5 }]));
    expect(await search('/items/articles?fields=id', { keys: [] })).toEqual(ok([]));
    // keys no row can have (out of the integer range) are missing keys too
    expect(await search('/items/articles?fields=id', { keys: [2, '99999999999999999999', -3000000000] })).toEqual(
      ok([{ id: 2 }]),
    );
    // more keys than the default limit: every key is read
    expect(await search('/items/articles?fields=id', { keys: [5, 4, 3, 2, 1] })).toEqual(
      ok([{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }, { id: 5 }]),
    );
  });

  it('keys with a body query: its sort, filter and fields apply', async () => {
    expect(
      await search('/items/articles', { keys: [1, 2, 3, 4], query: { fields: ['id'], sort: ['-id'], limit: 3 } }),
    ).toEqual(ok([{ id: 4 }, { id: 3 }, { id: 2 }]));
    expect(
      await search('/items/articles', {
        keys: [1, 2, 3],
        query: { fields: ['id', 'status'], filter: { status: { _eq: 'draft' } } },
      }),
    ).toEqual(ok([{ id: 3, status: 'draft' }]));
    expect(await search('/items/tokens', { keys: [TOKEN_ID, '11111111-1111-4111-8111-111111111111'] })).toEqual(
      ok([{ id: TOKEN_ID, label: 'only' }]),
    );
  });

  it('malformed bodies are INVALID_PAYLOAD', async () => {
    expect(await search('/items/articles', { keys: 'x' })).toEqual(invalidPayload('"keys" must be an array of keys'));
    expect(await search('/items/articles', { query: 'x' })).toEqual(invalidPayload('"query" must be of type object'));
    expect(await search('/items/articles', [1, 2])).toEqual(invalidPayload('"value" must be of type object'));
  });
});

describe('singletons (spec 1.2)', () => {
  it('an empty singleton reads as the PK null plus fields with non-null defaults', async () => {
    expect(await get('/items/settings')).toEqual(ok({ id: null, site_name: 'Tessera', per_page: 25 }));
    expect(await search('/items/settings')).toEqual(ok({ id: null, site_name: 'Tessera', per_page: 25 }));
  });

  it('fields without * restrict the synthesized object', async () => {
    expect(await get('/items/settings?fields=site_name')).toEqual(ok({ site_name: 'Tessera' }));
    expect(await get('/items/settings?fields=id,theme')).toEqual(ok({ id: null }));
    expect(await get('/items/settings?fields=*')).toEqual(ok({ id: null, site_name: 'Tessera', per_page: 25 }));
    expect(await get('/items/settings?fields=nope')).toEqual(forbiddenField('nope', 'settings'));
  });

  it('a singleton with a row returns it as an object; meta is ignored', async () => {
    expect(await get('/items/site')).toEqual(ok({ id: 1, site_name: 'My Site', per_page: 10, theme: 'dark' }));
    expect(await get('/items/site?fields=site_name,theme&meta=*')).toEqual(ok({ site_name: 'My Site', theme: 'dark' }));
    expect(await get('/items/site/1')).toEqual(ok({ id: 1, site_name: 'My Site', per_page: 10, theme: 'dark' }));
    expect(await get('/items/site/2')).toEqual({ status: 403, body: FORBIDDEN });
  });
});

// ---------------------------------------------------------------------------------------------------------------------

describe('formats (spec 3, 15)', () => {
  it('dateTime without zone, timestamp with Z, date, time, decimal padded, bigint as strings', async () => {
    expect(await get('/items/articles?fields=published_at,created_on,day,starts,rating,big&limit=-1&sort=id')).toEqual(
      ok(
        [A1, A2, A3, A4, A5].map(({ published_at, created_on, day, starts, rating, big }) => ({
          published_at,
          created_on,
          day,
          starts,
          rating,
          big,
        })),
      ),
    );
  });

  it('function fields are strings named <field>_<fn>; null in, null out', async () => {
    expect(
      await get(
        '/items/articles?fields=id,year(published_at),month(published_at),day(published_at),weekday(published_at),' +
          'hour(published_at),minute(published_at),second(published_at),week(day),count(comments),count(tags),' +
          'hour(starts),minute(created_on)&filter[id][_in]=1,2,3',
      ),
    ).toEqual(
      ok([
        {
          id: 1,
          published_at_year: '2024',
          published_at_month: '3',
          published_at_day: '5',
          published_at_weekday: '2',
          published_at_hour: '10',
          published_at_minute: '20',
          published_at_second: '30.000000',
          day_week: '10',
          comments_count: '3',
          tags_count: '2',
          starts_hour: '9',
          created_on_minute: '20',
        },
        {
          id: 2,
          published_at_year: '2023',
          published_at_month: '12',
          published_at_day: '31',
          published_at_weekday: '0',
          published_at_hour: '23',
          published_at_minute: '59',
          published_at_second: '59.000000',
          day_week: '52',
          comments_count: '1',
          tags_count: '1',
          starts_hour: '18',
          created_on_minute: '0',
        },
        {
          id: 3,
          published_at_year: null,
          published_at_month: null,
          published_at_day: null,
          published_at_weekday: null,
          published_at_hour: null,
          published_at_minute: null,
          published_at_second: null,
          day_week: null,
          comments_count: '0',
          tags_count: '0',
          starts_hour: null,
          created_on_minute: null,
        },
      ]),
    );
  });

  it('functions in filter and sort', async () => {
    expect(await ids('filter[year(published_at)][_eq]=2024')).toEqual([1, 4]);
    expect(await ids(`filter=${json({ 'count(comments)': { _gt: 2 } })}`)).toEqual([1, 4]);
    expect(await ids('filter[count(comments)][_eq]=0&sort=-id')).toEqual([5, 3]);
    expect(await ids('sort=-count(comments),id&limit=-1')).toEqual([4, 1, 2, 3, 5]);
    expect(await ids('sort=month(published_at),id&limit=-1')).toEqual([5, 1, 4, 2, 3]);
  });

  it('aggregates without groupBy are one DB-native row (count/sum/avg strings, min/max keep their type)', async () => {
    expect(await get('/items/articles?aggregate[count]=*')).toEqual(ok([{ count: '5' }]));
    expect(await get('/items/articles?aggregate[countAll]')).toEqual(ok([{ countAll: '5' }]));
    expect(
      await get(
        '/items/articles?aggregate[count]=views&aggregate[countDistinct]=status&aggregate[sum]=views' +
          '&aggregate[sumDistinct]=featured_none&fields=id',
      ),
    ).toEqual(forbiddenField('featured_none', 'articles'));
    expect(
      await get(
        '/items/articles?aggregate[count]=views&aggregate[countDistinct]=status&aggregate[sum]=views,rating' +
          '&aggregate[avg]=views&aggregate[min]=views,published_at,day&aggregate[max]=rating,title',
      ),
    ).toEqual(
      ok([
        {
          count: { views: '4' },
          countDistinct: { status: '3' },
          sum: { views: '400', rating: '1008.25' },
          avg: { views: '100.0000000000000000' },
          min: { views: 0, published_at: '2022-01-01T12:00:00', day: '2022-01-01' },
          max: { rating: '1000.50', title: 'alpha' },
        },
      ]),
    );
    expect(await get('/items/articles?aggregate[sumDistinct]=views&aggregate[avgDistinct]=views')).toEqual(
      ok([{ sumDistinct: { views: '400' }, avgDistinct: { views: '100.0000000000000000' } }]),
    );
  });

  it('aggregates: bracket, JSON and comma forms agree; filter and search apply', async () => {
    const expected = ok([{ sum: { views: '350', big: '9007199254741005' } }]);
    expect(
      await get('/items/articles?aggregate[sum]=views,big&filter[status][_eq]=published&filter[id][_lt]=5'),
    ).toEqual(expected);
    expect(
      await get(
        `/items/articles?aggregate=${json({ sum: ['views', 'big'] })}&filter=${json({ status: 'published', id: { _lt: 5 } })}`,
      ),
    ).toEqual(expected);
    expect(await get('/items/articles?aggregate[sum][]=views&aggregate[sum][]=big&filter[id][_in]=1,2')).toEqual(
      expected,
    );
    expect(await get('/items/articles?aggregate[count]=*&search=hello')).toEqual(ok([{ count: '2' }]));
    expect(await get('/items/articles?aggregate[count]=*&filter[id][_gt]=100')).toEqual(ok([{ count: '0' }]));
    expect(await get('/items/articles?aggregate[sum]=views&filter[id][_gt]=100')).toEqual(
      ok([{ sum: { views: null } }]),
    );
  });

  it('groupBy: group keys on top, default sort by the first group (nulls last), sort by aggregate', async () => {
    expect(await get('/items/articles?aggregate[count]=id&groupBy[]=status')).toEqual(
      ok([
        { status: 'archived', count: { id: '1' } },
        { status: 'draft', count: { id: '1' } },
        { status: 'published', count: { id: '3' } },
      ]),
    );
    expect(await get('/items/articles?aggregate[count]=*&groupBy=author&sort=-count,author')).toEqual(
      ok([
        { author: 1, count: '2' },
        { author: 2, count: '1' },
        { author: 3, count: '1' },
        { author: null, count: '1' },
      ]),
    );
    expect(
      await get(
        '/items/articles?aggregate[sum]=views&aggregate[max]=published_at&groupBy=status,featured&sort=-sum.views',
      ),
    ).toEqual(
      // descending puts nulls first
      ok([
        { status: 'draft', featured: null, sum: { views: null }, max: { published_at: null } },
        { status: 'published', featured: false, sum: { views: '250' }, max: { published_at: '2023-12-31T23:59:59' } },
        { status: 'published', featured: true, sum: { views: '100' }, max: { published_at: '2024-03-05T10:20:30' } },
        { status: 'archived', featured: true, sum: { views: '50' }, max: { published_at: '2024-07-01T00:00:00' } },
      ]),
    );
    expect(await get('/items/articles?groupBy=year(published_at)&aggregate[count]=*')).toEqual(
      ok([
        { published_at_year: '2022', count: '1' },
        { published_at_year: '2023', count: '1' },
        { published_at_year: '2024', count: '2' },
        { published_at_year: null, count: '1' },
      ]),
    );
    expect(await get('/items/articles?groupBy=status&limit=1&page=2&aggregate[count]=*')).toEqual(
      ok([{ status: 'draft', count: '1' }]),
    );
    // groupBy alone lists the distinct groups
    expect(await get('/items/articles?groupBy=featured')).toEqual(
      ok([{ featured: false }, { featured: true }, { featured: null }]),
    );
  });

  it('aggregate with meta', async () => {
    expect(await get('/items/articles?aggregate[count]=*&filter[featured][_eq]=true&meta=*')).toEqual(
      ok([{ count: '2' }], { total_count: 5, filter_count: 2 }),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------------

describe('relations: fields (spec 3)', () => {
  it('M2O: raw key, expanded, nested, null FK', async () => {
    expect(await get('/items/articles?fields=id,author&filter[id][_in]=3,4')).toEqual(
      ok([
        { id: 3, author: 1 },
        { id: 4, author: null },
      ]),
    );
    expect(await get('/items/articles?fields=id,author.*&filter[id][_in]=2,4')).toEqual(
      ok([
        { id: 2, author: BOB },
        { id: 4, author: null },
      ]),
    );
    expect(await get('/items/articles?fields=author.name,author.articles.title&filter[id][_eq]=3')).toEqual(
      ok([{ author: { name: 'Ann', articles: [{ title: 'Hello World' }, { title: 'Draft Ideas' }] } }]),
    );
  });

  it('O2M: raw keys, expanded, default per-parent cap, nested M2O back', async () => {
    expect(await get('/items/articles?fields=id,comments&filter[id][_in]=1,4')).toEqual(
      ok([
        { id: 1, comments: [1, 2, 3] },
        { id: 4, comments: [5, 6, 7, 8] },
      ]),
    );
    expect(await get('/items/articles?fields=id,comments.*&filter[id][_in]=2,3')).toEqual(
      ok([
        { id: 2, comments: [{ id: 4, article: 2, body: 'Nice', created: '2024-01-01T08:00:00' }] },
        { id: 3, comments: [] },
      ]),
    );
    expect(await get('/items/authors?fields=name,articles.title,articles.comments.body&filter[id][_eq]=2')).toEqual(
      ok([{ name: 'Bob', articles: [{ title: 'Second Post', comments: [{ body: 'Nice' }] }] }]),
    );
    expect(await get('/items/comments?fields=id,article.title&filter[id][_in]=4,5')).toEqual(
      ok([
        { id: 4, article: { title: 'Second Post' } },
        { id: 5, article: { title: 'Zeta' } },
      ]),
    );
  });

  it('M2M: junction rows and the related items through them', async () => {
    expect(await get('/items/articles?fields=id,tags.tags_id.name&filter[id][_in]=1,3')).toEqual(
      ok([
        { id: 1, tags: [{ tags_id: { name: 'news' } }, { tags_id: { name: 'tech' } }] },
        { id: 3, tags: [] },
      ]),
    );
    expect(await get('/items/articles?fields=tags.*,tags.tags_id.*&filter[id][_eq]=2')).toEqual(
      ok([{ tags: [{ id: 3, articles_id: 2, tags_id: { id: 2, name: 'tech' } }] }]),
    );
  });

  it('M2A: item.*, per-collection selectors, raw keys for other collections', async () => {
    expect(await get('/items/articles?fields=blocks.collection,blocks.item.*&filter[id][_eq]=1')).toEqual(
      ok([
        {
          blocks: [
            { collection: 'headings', item: { id: 1, title: 'Intro' } },
            { collection: 'paragraphs', item: { id: 1, body: 'Para one' } },
            { collection: 'headings', item: { id: 2, title: 'Outro' } },
          ],
        },
      ]),
    );
    expect(
      await get('/items/articles?fields=id,blocks.item:headings.title,blocks.collection&filter[id][_eq]=1'),
    ).toEqual(
      ok([
        {
          id: 1,
          blocks: [
            { item: { title: 'Intro' }, collection: 'headings' },
            { item: '1', collection: 'paragraphs' },
            { item: { title: 'Outro' }, collection: 'headings' },
          ],
        },
      ]),
    );
    expect(
      await get('/items/articles?fields=id,blocks.item:headings.title,blocks.item:paragraphs.body&filter[id][_in]=1,2'),
    ).toEqual(
      ok([
        {
          id: 1,
          blocks: [{ item: { title: 'Intro' } }, { item: { body: 'Para one' } }, { item: { title: 'Outro' } }],
        },
        { id: 2, blocks: [{ item: { body: 'Para two' } }] },
      ]),
    );
  });

  it('*.* expands one level of every relation; backlink=false does not go back', async () => {
    expect(await get('/items/comments?fields=*.*&filter[id][_eq]=4')).toEqual(
      ok([{ id: 4, body: 'Nice', created: '2024-01-01T08:00:00', article: A2 }]),
    );
    expect(await get('/items/authors?fields=*.*&filter[id][_eq]=3')).toEqual(
      ok([{ id: 3, name: 'Cy', email: null, born: null, articles: [A5] }]),
    );
    const backlinked = await get('/items/authors?fields=*.*.*&filter[id][_eq]=3');
    expect(backlinked.body).toMatchObject({ data: [{ articles: [{ author: { id: 3, name: 'Cy' } }] }] });
    expect(await get('/items/authors?fields=*.*.*&backlink=false&filter[id][_eq]=3')).toEqual(
      ok([{ id: 3, name: 'Cy', email: null, born: null, articles: [{ ...A5, author: 3 }] }]),
    );
    expect(await get('/items/authors?fields=*.*&backlink=true&filter[id][_eq]=2')).toEqual(
      ok([{ ...BOB, articles: [A2] }]),
    );
  });

  it('authors list reads O2M keys', async () => {
    expect(await get('/items/authors')).toEqual(ok([ANN, BOB, CY]));
  });
});

describe('relations: filters (spec 2.3)', () => {
  it('M2O filters, bracket and JSON forms', async () => {
    expect(await ids('filter[author][name][_eq]=Ann')).toEqual([1, 3]);
    expect(await ids(`filter=${json({ author: { name: { _eq: 'Ann' } } })}`)).toEqual([1, 3]);
    expect(await ids('filter[author][_null]=true')).toEqual([4]);
    // an article without author matches too: the M2O is a LEFT JOIN, as in Directus
    expect(await ids('filter[author][email][_null]=true&limit=-1')).toEqual([4, 5]);
    expect(await ids('filter[author][articles][_some][status][_eq]=draft')).toEqual([1, 3]);
  });

  it('O2M filters: any child matches, _some, _none', async () => {
    expect(await ids('filter[comments][body][_icontains]=great')).toEqual([1]);
    expect(await ids(`filter=${json({ comments: { _some: { body: { _starts_with: 'c' } } } })}`)).toEqual([4]);
    expect(await ids('filter[comments][_none][body][_eq]=Nice&limit=-1')).toEqual([1, 3, 4, 5]);
    expect(await ids('filter[comments][_none][id][_nnull]=true')).toEqual([3, 5]);
  });

  it('M2M filters through the junction', async () => {
    expect(await ids('filter[tags][tags_id][name][_eq]=tech')).toEqual([1, 2]);
    expect(await ids(`filter=${json({ tags: { _none: { tags_id: { name: { _in: ['tech', 'life'] } } } } })}`)).toEqual([
      3, 5,
    ]);
  });

  it('M2A filters scoped by collection', async () => {
    expect(await ids('filter[blocks][item:headings][title][_eq]=Outro')).toEqual([1]);
    expect(await ids(`filter=${json({ blocks: { 'item:paragraphs': { body: { _contains: 'two' } } } })}`)).toEqual([2]);
    expect(await ids('filter[blocks][collection][_eq]=paragraphs')).toEqual([1, 2]);
  });
});

describe('relations: sorts', () => {
  it('M2O sorts, nulls last ascending, first descending', async () => {
    expect(await ids('sort=author.name,-id&limit=-1')).toEqual([3, 1, 2, 5, 4]);
    expect(await ids('sort=-author.name,id&limit=-1')).toEqual([4, 5, 2, 1, 3]);
    expect(await get('/items/comments?fields=id&sort=-article.title,id&limit=3')).toEqual(
      ok([{ id: 5 }, { id: 6 }, { id: 7 }]),
    );
  });

  it('plain sorts with nulls last ascending', async () => {
    expect(await ids('sort=views&limit=-1')).toEqual([5, 4, 1, 2, 3]);
    expect(await ids('sort=-views&limit=-1')).toEqual([3, 2, 1, 4, 5]);
    expect(await ids('sort=status,-id&limit=-1')).toEqual([4, 3, 5, 2, 1]);
    expect(await ids('sort[]=-featured&sort[]=id&limit=-1')).toEqual([3, 1, 4, 2, 5]);
  });
});

describe('deep (spec 3)', () => {
  it('_filter, _sort, _limit, _offset, _page per parent (bracket form)', async () => {
    const fields = 'fields=id,comments.id&filter[id][_in]=1,4';
    expect(await get(`/items/articles?${fields}&deep[comments][_filter][body][_contains]=a`)).toEqual(
      ok([
        { id: 1, comments: [{ id: 1 }, { id: 2 }, { id: 3 }] },
        { id: 4, comments: [] },
      ]),
    );
    expect(await get(`/items/articles?${fields}&deep[comments][_sort]=-id&deep[comments][_limit]=2`)).toEqual(
      ok([
        { id: 1, comments: [{ id: 3 }, { id: 2 }] },
        { id: 4, comments: [{ id: 9 }, { id: 8 }] },
      ]),
    );
    expect(await get(`/items/articles?${fields}&deep[comments][_limit]=2&deep[comments][_offset]=1`)).toEqual(
      ok([
        { id: 1, comments: [{ id: 2 }, { id: 3 }] },
        { id: 4, comments: [{ id: 6 }, { id: 7 }] },
      ]),
    );
    expect(await get(`/items/articles?${fields}&deep[comments][_limit]=2&deep[comments][_page]=2`)).toEqual(
      ok([
        { id: 1, comments: [{ id: 3 }] },
        { id: 4, comments: [{ id: 7 }, { id: 8 }] },
      ]),
    );
    expect(await get(`/items/articles?${fields}&deep[comments][_limit]=-1`)).toEqual(
      ok([
        { id: 1, comments: [{ id: 1 }, { id: 2 }, { id: 3 }] },
        { id: 4, comments: [{ id: 5 }, { id: 6 }, { id: 7 }, { id: 8 }, { id: 9 }] },
      ]),
    );
    expect(await get(`/items/articles?${fields}&deep[comments][_search]=GREAT`)).toEqual(
      ok([
        { id: 1, comments: [{ id: 1 }, { id: 3 }] },
        { id: 4, comments: [] },
      ]),
    );
  });

  it('JSON form, nested levels, M2M and M2A', async () => {
    const deep = {
      author: { articles: { _filter: { status: { _eq: 'draft' } }, comments: { _limit: 1 } } },
      tags: { _filter: { tags_id: { name: { _neq: 'news' } } } },
      blocks: { _sort: ['-sort'], _limit: 1 },
    };
    expect(
      await get(
        `/items/articles?fields=id,author.articles.title,tags.tags_id.name,blocks.collection&filter[id][_eq]=1&deep=${json(deep)}`,
      ),
    ).toEqual(
      ok([
        {
          id: 1,
          author: { articles: [{ title: 'Draft Ideas' }] },
          tags: [{ tags_id: { name: 'tech' } }],
          blocks: [{ collection: 'headings' }],
        },
      ]),
    );
    expect(
      await get(
        `/items/articles?fields=id,blocks.item:headings.title&filter[id][_eq]=1&deep=${json({ blocks: { 'item:headings': { _filter: { title: { _eq: 'Intro' } } } } })}`,
      ),
    ).toEqual(ok([{ id: 1, blocks: [{ item: { title: 'Intro' } }, { item: '1' }, { item: null }] }]));
  });

  it('deep on a field that is not requested changes nothing', async () => {
    expect(await get('/items/articles?fields=id&filter[id][_eq]=1&deep[comments][_limit]=1')).toEqual(ok([{ id: 1 }]));
  });
});

describe('alias (spec 1.6, 3)', () => {
  it('renames fields and fetches one relation twice (bracket and JSON forms)', async () => {
    expect(await get('/items/articles?alias[headline]=title&fields=id,headline&filter[id][_in]=1,2')).toEqual(
      ok([
        { id: 1, headline: 'Hello World' },
        { id: 2, headline: 'Second Post' },
      ]),
    );
    const alias = json({ first: 'comments', rest: 'comments' });
    const deep = json({ first: { _limit: 1 }, rest: { _offset: 1, _limit: -1 } });
    expect(
      await get(`/items/articles?alias=${alias}&deep=${deep}&fields=id,first.body,rest.id&filter[id][_eq]=1`),
    ).toEqual(ok([{ id: 1, first: [{ body: 'Great read' }], rest: [{ id: 2 }, { id: 3 }] }]));
  });

  it('an alias is covered by *, and can be sorted and filtered by its target', async () => {
    expect(await get('/items/tags?alias[label]=name&fields=*&sort=-label')).toEqual(
      ok([
        { id: 2, name: 'tech', label: 'tech' },
        { id: 1, name: 'news', label: 'news' },
        { id: 3, name: 'life', label: 'life' },
      ]),
    );
    expect(await get('/items/articles?alias[y]=year(published_at)&fields=id,y&filter[id][_eq]=2')).toEqual(
      ok([{ id: 2, y: '2023' }]),
    );
  });

  it('alias of an M2O', async () => {
    expect(await get('/items/articles?alias[writer]=author&fields=id,writer.name,author&filter[id][_eq]=2')).toEqual(
      ok([{ id: 2, writer: { name: 'Bob' }, author: 2 }]),
    );
  });
});

describe('search and filters (spec 2)', () => {
  it('search covers strings (case-insensitive), numbers and uuids', async () => {
    expect(await ids('search=HELLO')).toEqual([1, 5]);
    expect(await ids('search=250')).toEqual([2]);
    expect(await ids(`search=${UID}`)).toEqual([1]);
    expect(await ids('search=%20zzz%20')).toEqual([4]);
    expect(await ids('search=no-such-thing')).toEqual([]);
    expect(await ids('search=post&filter[id][_neq]=1')).toEqual([2]);
  });

  it('bracket and JSON filter forms agree; bare values mean _eq; strings are coerced', async () => {
    expect(await ids('filter[status]=draft')).toEqual([3]);
    expect(await ids(`filter=${json({ status: 'draft' })}`)).toEqual([3]);
    expect(await ids('filter[featured][_eq]=true')).toEqual([1, 4]);
    expect(await ids(`filter=${json({ featured: { _eq: 'false' } })}`)).toEqual([2, 5]);
    expect(await ids('filter[featured][_eq]=null')).toEqual([3]);
    expect(await ids('filter[views][_null]')).toEqual([3]);
    expect(await ids('filter[views][_nnull]=true&filter[views][_lt]=100')).toEqual([4, 5]);
  });

  it('list operators take arrays and comma strings', async () => {
    expect(await ids('filter[id][_in]=2,4')).toEqual([2, 4]);
    expect(await ids('filter[id][_in][]=2&filter[id][_in][]=4')).toEqual([2, 4]);
    expect(await ids(`filter=${json({ id: { _nin: [1, 2, 3] } })}`)).toEqual([4, 5]);
    expect(await ids('filter[views][_between]=50,100')).toEqual([1, 4]);
    expect(await ids('filter[views][_nbetween][]=50&filter[views][_nbetween][]=100')).toEqual([2, 5]);
    expect(await ids('filter[day][_between]=2023-01-01,2024-03-31')).toEqual([1, 2]);
  });

  it('string, date and logical operators', async () => {
    expect(await ids('filter[title][_icontains]=POST')).toEqual([2]);
    expect(await ids('filter[title][_starts_with]=Z')).toEqual([4]);
    expect(await ids('filter[title][_nistarts_with]=h&limit=-1')).toEqual([2, 3, 4, 5]);
    expect(await ids('filter[title][_ends_with]=World')).toEqual([1]);
    expect(await ids('filter[body][_empty]=true')).toEqual([3]);
    expect(await ids('filter[published_at][_gte]=2024-01-01')).toEqual([1, 4]);
    expect(await ids('filter[created_on][_lt]=2024-01-01T00:00:00Z')).toEqual([2, 5]);
    expect(await ids('filter[starts][_gt]=10:00:00')).toEqual([2, 5]);
    expect(await ids('filter[rating][_gte]=4.5')).toEqual([1, 4]);
    expect(await ids('filter[big][_eq]=9007199254740993')).toEqual([1]);
    expect(await ids('filter[uid][_eq]=' + UID)).toEqual([1]);
    expect(await ids(`filter=${json({ _or: [{ id: { _eq: 1 } }, { status: { _eq: 'archived' } }] })}`)).toEqual([1, 4]);
    expect(await ids('filter[_and][0][featured][_eq]=true&filter[_and][1][views][_lt]=100')).toEqual([4]);
    expect(await ids('filter[published_at][_lt]=$NOW&filter[published_at][_gt]=$NOW(-3 years)')).toEqual([1, 2, 4]);
  });
});

// ---------------------------------------------------------------------------------------------------------------------

describe('bad input → 400 INVALID_QUERY naming the parameter (spec 1.6, 15)', () => {
  const cases: [string, string][] = [
    ['limit=abc', '"limit" must be a number'],
    ['limit=-2', '"limit" must be greater than or equal to -1'],
    ['limit=1.5', '"limit" must be an integer'],
    ['offset=x', '"offset" must be a number'],
    ['offset=-1', '"offset" must be greater than or equal to 0'],
    ['page=0', '"page" must be greater than or equal to 1'],
    ['page=abc', '"page" must be a number'],
    ['meta=nope', '"meta[0]" must be one of [total_count, filter_count]'],
    ['meta=total_count,bogus', '"meta[1]" must be one of [total_count, filter_count]'],
    ['filter=notjson', 'Invalid JSON for filter object'],
    ['filter={"id":', 'Invalid JSON for filter object'],
    ['deep=notjson', 'Invalid JSON for deep object'],
    ['alias=notjson', 'Invalid JSON for alias object'],
    ['aggregate=notjson', 'Invalid JSON for aggregate object'],
    ['filter[title][_foo]=1', '"string" field type does not contain the "_foo" filter operator'],
    ['filter[views][_bogus]=1', '"integer" field type does not contain the "_bogus" filter operator'],
    ['filter[title][_regex]=x', '"string" field type does not contain the "_regex" filter operator'],
    ['filter[title][_nicontains]=x', '"string" field type does not contain the "_nicontains" filter operator'],
    ['filter[views][_contains]=1', '"integer" field type does not contain the "_contains" filter operator'],
    ['filter[featured][_gt]=1', '"boolean" field type does not contain the "_gt" filter operator'],
    ['filter[data][_eq]=1', '"json" field type does not contain the "_eq" filter operator'],
    ['filter[uid][_contains]=a', '"uuid" field type does not contain the "_contains" filter operator'],
    ['filter[views][_eq]=abc', 'Invalid numeric value for field "views"'],
    ['filter[title][_eq]=', `You can't filter for an empty string in "_eq". Use "_empty" or "_nempty" instead`],
    [`filter=${json({ id: { _in: [] } })}`, '"_in" has to be an array of values'],
    [`filter=${json({ id: { _in: 5 } })}`, '"_in" has to be an array of values'],
    [`filter=${json({ id: { _nin: true } })}`, '"_nin" has to be an array of values'],
    [`filter=${json({ id: { _nin: 'x' } })}`, 'Invalid numeric value for field "id"'],
    ['filter[views][_between]=1', '"_between" has to be an array of two values'],
    [`filter=${json({ views: { _nbetween: [1, 2, 3] } })}`, '"_nbetween" has to be an array of two values'],
    [`filter=${json({ _or: { id: 1 } })}`, '"_or" has to be an array of filter objects'],
    [`filter=${json({ _eq: 1 })}`, '"_eq" has to be used on a field'],
    ['aggregate[foo]=id', 'Unknown aggregate function "foo"'],
    ['deep[comments][_bar]=1', '"deep" contains an unknown key "_bar"'],
    ['deep[comments][_limit]=x', '"_limit" must be a number'],
    ['deep[comments][_page]=0', '"_page" must be greater than or equal to 1'],
    [`deep=${json({ comments: { _filter: 'x' } })}`, 'Invalid JSON for filter object'],
    [`deep=${json({ _limit: 1 })}`, '"deep" contains an unknown key "_limit"'],
    [`alias=${json({ 'a.b': 'title' })}`, 'Alias key "a.b" can\'t contain "."'],
    [`alias=${json({ a: 'author.name' })}`, 'Alias value "author.name" can\'t contain "."'],
    ['fields=year(count(comments))', 'Nested functions are not supported in "fields"'],
  ];

  it.each(cases)('%s', async (query, reason) => {
    expect(await get(`/items/articles?${query}`)).toEqual(invalidQuery(reason));
  });

  it('NUL characters in values are INVALID_QUERY, not a database error', async () => {
    expect(await get('/items/articles?filter[title][_eq]=a%00b')).toEqual(
      invalidQuery('"_eq" can\'t contain the NUL character'),
    );
    expect(await get('/items/articles?filter[title]=%00')).toEqual(
      invalidQuery('"_eq" can\'t contain the NUL character'),
    );
    expect(await get('/items/articles?filter[title][_in]=a,%00')).toEqual(
      invalidQuery('"_in" can\'t contain the NUL character'),
    );
    expect(await get(`/items/articles?filter=${json({ title: { _contains: '\u0000' } })}`)).toEqual(
      invalidQuery('"_contains" can\'t contain the NUL character'),
    );
    expect(await get('/items/articles?search=%00')).toEqual(invalidQuery('"search" can\'t contain the NUL character'));
    expect(await get('/items/articles?fields=comments.id&deep[comments][_search]=x%00')).toEqual(
      invalidQuery('"_search" can\'t contain the NUL character'),
    );
    // an alias key is an output name: NUL is dropped from it
    expect(await get('/items/articles?alias[a%00b]=title&fields=id,a%00b&limit=1')).toEqual(
      ok([{ id: 1, ab: 'Hello World' }]),
    );
  });

  it('relational depth over MAX_RELATIONAL_DEPTH (10) in fields, filter, sort and deep', async () => {
    const deepPath = Array.from({ length: 6 }, () => 'author.articles').join('.');
    expect(await get(`/items/articles?fields=${deepPath}.id`)).toEqual(invalidQuery('Max relational depth exceeded'));
    expect(await get(`/items/articles?filter[${deepPath.split('.').join('][')}][id][_eq]=1`)).toEqual(
      invalidQuery('Max relational depth exceeded'),
    );
    expect(await get(`/items/articles?sort=${Array.from({ length: 11 }, () => 'author').join('.')}.id`)).toEqual(
      invalidQuery('Max relational depth exceeded'),
    );
    const deep: Row = {};
    let level = deep;
    for (let i = 0; i < 11; i++) level = (level.comments = {}) as Row;
    expect(await get(`/items/articles?deep=${json(deep)}`)).toEqual(invalidQuery('Max relational depth exceeded'));
    // ten levels are fine
    expect((await get(`/items/articles?fields=${'author.articles.'.repeat(5).slice(0, -1)}&limit=1`)).status).toBe(200);
  });
});

describe('unknown fields → 403 naming field, collection and path (spec 15, admins too)', () => {
  const cases: [string, ReturnType<typeof forbiddenField>][] = [
    ['fields=nope', forbiddenField('nope', 'articles')],
    ['fields=id,author.nope', forbiddenField('nope', 'authors', 'author')],
    ['fields=comments.article.nope', forbiddenField('nope', 'articles', 'comments.article')],
    ['fields=tags.tags_id.nope', forbiddenField('nope', 'tags', 'tags.tags_id')],
    ['fields=blocks.item:headings.nope', forbiddenField('nope', 'headings', 'blocks.item:headings')],
    ['fields=year(nope)', forbiddenField('nope', 'articles')],
    ['filter[nope][_eq]=1', forbiddenField('nope', 'articles')],
    ['filter[author][nope][_eq]=1', forbiddenField('nope', 'authors', 'author')],
    ['filter[comments][_some][nope][_eq]=1', forbiddenField('nope', 'comments', 'comments')],
    ['filter[blocks][item:headings][nope][_eq]=1', forbiddenField('nope', 'headings', 'blocks.item:headings')],
    ['sort=nope', forbiddenField('nope', 'articles')],
    ['sort=-author.nope', forbiddenField('nope', 'authors', 'author')],
    ['aggregate[sum]=nope', forbiddenField('nope', 'articles')],
    ['aggregate[count]=id&groupBy=nope', forbiddenField('nope', 'articles')],
    ['alias[x]=nope&fields=x', forbiddenField('nope', 'articles')],
    ['deep[nope][_limit]=1', forbiddenField('nope', 'articles')],
    ['fields=comments.id&deep[comments][_filter][nope][_eq]=1', forbiddenField('nope', 'comments', 'comments')],
    ['fields=comments.id&deep[comments][_sort]=nope', forbiddenField('nope', 'comments', 'comments')],
  ];

  it.each(cases)('%s', async (query, expected) => {
    expect(await get(`/items/articles?${query}`)).toEqual(expected);
  });

  it('on readOne and SEARCH too', async () => {
    expect(await get('/items/articles/1?fields=nope')).toEqual(forbiddenField('nope', 'articles'));
    expect(await search('/items/articles', { keys: [1], query: { sort: ['nope'] } })).toEqual(
      forbiddenField('nope', 'articles'),
    );
  });

  it('an M2A collection outside the allowed list', async () => {
    const message = `You don't have permission to access collection "authors" or it does not exist. Queried in "blocks.item:authors".`;
    expect(await get('/items/articles?filter[blocks][item:authors][name][_eq]=x')).toEqual(
      reasoned('FORBIDDEN', 403, message, message),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------------

describe('one statement per read (spec 12)', () => {
  beforeAll(async () => {
    await get('/items/articles?limit=1'); // warm-up: token → identity cache
  });

  const reads: [string, string][] = [
    ['flat', '/items/articles'],
    ['flat with filter, sort, search, page', '/items/articles?filter[views][_gt]=1&sort=-title&search=o&page=1'],
    ['M2O', '/items/articles?fields=id,author.*'],
    ['O2M', '/items/articles?fields=id,comments.*'],
    ['M2M', '/items/articles?fields=id,tags.tags_id.*'],
    ['M2A', '/items/articles?fields=id,blocks.item.*'],
    ['all of them, nested', '/items/articles?fields=*,author.articles.comments.*,tags.tags_id.*,blocks.item.*'],
    [
      'deep',
      `/items/articles?fields=id,comments.id,author.articles.id&deep=${json({ comments: { _limit: 1, _sort: '-id' }, author: { articles: { _filter: { id: { _gt: 1 } } } } })}`,
    ],
    ['relational filter and sort', '/items/articles?filter[comments][body][_contains]=a&sort=author.name'],
    ['aggregate + groupBy', '/items/articles?aggregate[count]=*&groupBy=status'],
    ['readOne', '/items/articles/1?fields=*.*'],
    ['singleton (empty)', '/items/settings'],
    ['singleton', '/items/site'],
  ];

  it.each(reads)('%s costs 1 statement', async (_name, url) => {
    const n = await t.countStatements(async () => expect((await get(url)).status).toBe(200));
    expect(n).toBe(1);
  });

  it('meta adds no statement', async () => {
    const n = await t.countStatements(async () =>
      expect((await get('/items/articles?fields=id,comments.id&meta=*&filter[id][_gt]=1')).status).toBe(200),
    );
    expect(n).toBe(1);
  });

  it('SEARCH with keys costs 1 statement; rejected queries cost none', async () => {
    expect(
      await t.countStatements(async () =>
        expect((await search('/items/articles?fields=id,tags.*', { keys: [1, 2] })).status).toBe(200),
      ),
    ).toBe(1);
    expect(
      await t.countStatements(async () => expect((await get('/items/articles?fields=nope')).status).toBe(403)),
    ).toBe(0);
    expect(await t.countStatements(async () => expect((await get('/items/articles?limit=x')).status).toBe(400))).toBe(
      0,
    );
  });
});
