/**
 * libs/query against a real PostgreSQL: the fixture tables and rows, every feature compiled and executed, whole JSON
 * results compared.
 */
import { ForbiddenError, InvalidQueryError } from '@lib/errors';
import { buildFilter, buildReadAst, compileRead, sanitizeQuery, type AccessMap, type ReadOptions } from '@lib/query';
import fc from 'fast-check';
import { collectionAndQuery, readOptions } from '../libs/query/test/arbitraries';
import { context, DDL, limits, schema, SEED } from '../libs/query/test/fixture';
import { createTestDatabase, type TestDatabase } from './support/database';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('query');
  await db.client.query(DDL + SEED);
});

afterAll(async () => {
  await db?.drop();
});

interface Result {
  data: unknown;
  total_count?: number;
  filter_count?: number;
}

async function execute(ast: ReturnType<typeof buildReadAst>): Promise<Result> {
  const { sql, params } = compileRead(ast, schema);
  const { rows } = await db.client.query<{ data: string; total_count?: string; filter_count?: string }>(sql, params);
  expect(rows).toHaveLength(1);
  const [row] = rows;
  const result: Result = { data: JSON.parse(row!.data) };
  if (row!.total_count !== undefined) result.total_count = Number(row!.total_count);
  if (row!.filter_count !== undefined) result.filter_count = Number(row!.filter_count);
  return result;
}

function astFor(collection: string, raw: unknown, options: Partial<ReadOptions> = {}, access?: AccessMap) {
  const ast = buildReadAst(schema, collection, sanitizeQuery(raw, context, limits), {
    mode: 'list',
    limits,
    ...options,
  });
  return access ? { ...ast, access } : ast;
}

async function read(
  collection: string,
  raw: unknown,
  options: Partial<ReadOptions> = {},
  access?: AccessMap,
): Promise<Result> {
  return execute(astFor(collection, raw, options, access));
}

async function data(
  collection: string,
  raw: unknown,
  options: Partial<ReadOptions> = {},
  access?: AccessMap,
): Promise<unknown> {
  return (await read(collection, raw, options, access)).data;
}

/** The ids a filtered list returns, in order. */
async function ids(collection: string, raw: Record<string, unknown>): Promise<number[]> {
  const rows = (await data(collection, { fields: 'id', ...raw })) as { id: number }[];
  return rows.map((row) => row.id);
}

describe('formats', () => {
  it('reads every type as Directus does', async () => {
    expect(await data('articles', { filter: { id: { _in: [1, 3] } } })).toEqual([
      {
        id: 1,
        title: 'Hello World',
        body: 'First post',
        status: 'published',
        published_at: '2024-03-01T10:00:00',
        views: 100,
        rating: '4.50',
        big: '9007199254740993',
        uid: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
        data: [1, 2, 3],
        labels: ['a', 'b'],
        secret: '**********',
        featured: true,
        starts: '09:30:00',
        author: 1,
        comments: [1, 2, 3],
        tags: [1, 2],
        blocks: [2, 1, 4],
      },
      {
        id: 3,
        title: 'Third 100%',
        body: null,
        status: 'published',
        published_at: '2023-12-31T23:59:59',
        views: null,
        rating: null,
        big: null,
        uid: null,
        data: null,
        labels: null,
        secret: null,
        featured: null,
        starts: null,
        author: null,
        comments: [],
        tags: [],
        blocks: [],
      },
    ]);
    expect(await data('articles', { fields: 'labels,data,rating,big', filter: { id: { _in: [2, 4, 5] } } })).toEqual([
      { labels: [], data: { k: 'v' }, rating: '3.25', big: '12' },
      { labels: ['x'], data: [], rating: '1000.50', big: '-5' },
      { labels: ['p', 'q', 'r'], data: 'text', rating: '0.00', big: '0' },
    ]);
    expect(await data('authors', { fields: 'born,created_on' })).toEqual([
      { born: '1815-12-10', created_on: '2024-01-02T03:04:05.678Z' },
      { born: '1906-12-09', created_on: '2024-02-03T04:05:06.000Z' },
      { born: null, created_on: null },
    ]);
  });

  it('reads function fields as strings', async () => {
    expect(
      await data('articles', {
        fields:
          'id,year(published_at),month(published_at),week(published_at),day(published_at),weekday(published_at),hour(published_at),minute(published_at),second(published_at),hour(starts),count(comments),count(data)',
        filter: { id: { _in: [1, 2, 3, 4] } },
      }),
    ).toEqual([
      {
        id: 1,
        published_at_year: '2024',
        published_at_month: '3',
        published_at_week: '9',
        published_at_day: '1',
        published_at_weekday: '5',
        published_at_hour: '10',
        published_at_minute: '0',
        published_at_second: '0.000000',
        starts_hour: '9',
        comments_count: '3',
        data_count: '3',
      },
      {
        id: 2,
        published_at_year: '2024',
        published_at_month: '6',
        published_at_week: '24',
        published_at_day: '15',
        published_at_weekday: '6',
        published_at_hour: '12',
        published_at_minute: '30',
        published_at_second: '45.000000',
        starts_hour: '18',
        comments_count: '1',
        data_count: null,
      },
      {
        id: 3,
        published_at_year: '2023',
        published_at_month: '12',
        published_at_week: '52',
        published_at_day: '31',
        published_at_weekday: '0',
        published_at_hour: '23',
        published_at_minute: '59',
        published_at_second: '59.000000',
        starts_hour: null,
        comments_count: '0',
        data_count: null,
      },
      {
        id: 4,
        published_at_year: null,
        published_at_month: null,
        published_at_week: null,
        published_at_day: null,
        published_at_weekday: null,
        published_at_hour: null,
        published_at_minute: null,
        published_at_second: null,
        starts_hour: '0',
        comments_count: '1',
        data_count: '0',
      },
    ]);
  });
});

describe('filter operators per type', () => {
  const cases: [string, Record<string, unknown>, number[]][] = [
    ['string _eq', { title: { _eq: 'Second' } }, [2]],
    ['string bare value', { title: 'Second' }, [2]],
    ['string _neq', { title: { _neq: 'Second' } }, [1, 3, 4, 5]],
    ['string _contains', { title: { _contains: 'e' } }, [1, 2, 4, 5]],
    ['string _contains escapes %', { title: { _contains: '%' } }, [3]],
    ['string _contains escapes _', { title: { _contains: '_' } }, [4]],
    ['string _ncontains', { title: { _ncontains: 'e' } }, [3]],
    ['string _icontains', { title: { _icontains: 'HELLO' } }, [1]],
    ['string _starts_with', { title: { _starts_with: 'S' } }, [2]],
    ['string _nstarts_with', { title: { _nstarts_with: 'S' } }, [1, 3, 4, 5]],
    ['string _istarts_with', { title: { _istarts_with: 'z' } }, [5]],
    ['string _nistarts_with', { title: { _nistarts_with: 'h' } }, [2, 3, 4, 5]],
    ['string _ends_with', { title: { _ends_with: '%' } }, [3]],
    ['string _nends_with', { title: { _nends_with: 'a' } }, [1, 2, 3, 4]],
    ['string _iends_with', { title: { _iends_with: 'WORLD' } }, [1]],
    ['string _niends_with', { title: { _niends_with: 'E' } }, [1, 2, 3, 5]],
    ['string _in (comma string)', { title: { _in: 'Zeta,Second' } }, [2, 5]],
    ['string _nin', { title: { _nin: ['Zeta', 'Second'] } }, [1, 3, 4]],
    ['string _null', { title: { _null: true } }, []],
    ['string _nnull', { title: { _nnull: true } }, [1, 2, 3, 4, 5]],
    ['text _empty', { body: { _empty: true } }, [3]],
    ['text _nempty', { body: { _nempty: true } }, [1, 2, 4, 5]],
    ['text _null: false', { body: { _null: false } }, [1, 2, 4, 5]],
    ['integer _eq', { views: { _eq: 100 } }, [1]],
    ['integer _eq string', { views: '100' }, [1]],
    ['integer _neq', { views: { _neq: 100 } }, [2, 4, 5]],
    ['integer _lt', { views: { _lt: 100 } }, [4]],
    ['integer _lte', { views: { _lte: 100 } }, [1, 4]],
    ['integer _gt', { views: { _gt: 1000 } }, [2, 5]],
    ['integer _gt fractional', { views: { _gt: 99.5 } }, [1, 2, 5]],
    ['integer _gte', { views: { _gte: 1362 } }, [2, 5]],
    ['integer _between', { views: { _between: [1, 100] } }, [1, 4]],
    ['integer _nbetween', { views: { _nbetween: '1,100' } }, [2, 5]],
    ['integer _null', { views: { _null: true } }, [3]],
    ['integer _nnull', { views: { _nnull: true } }, [1, 2, 4, 5]],
    ['integer _in', { views: { _in: '1,5000' } }, [2, 4]],
    ['integer _nin', { views: { _nin: [1] } }, [1, 2, 5]],
    ['integer _eq null', { views: { _eq: null } }, [3]],
    ['bigInteger _eq beyond 2^53', { big: { _eq: '9007199254740993' } }, [1]],
    ['bigInteger _gt', { big: { _gt: 0 } }, [1, 2]],
    ['bigInteger _lt', { big: { _lt: '0' } }, [4]],
    ['decimal _gte', { rating: { _gte: 3.25 } }, [1, 2, 4]],
    ['decimal _between', { rating: { _between: ['0', '4'] } }, [2, 5]],
    ['decimal _eq', { rating: { _eq: 1000.5 } }, [4]],
    ['dateTime _gt', { published_at: { _gt: '2024-03-01T09:00:00' } }, [1, 2]],
    ['dateTime _lt date only', { published_at: { _lt: '2024-01-01' } }, [3]],
    ['dateTime _between', { published_at: { _between: ['2024-03-01', '2024-03-31'] } }, [1, 5]],
    ['dateTime _null', { published_at: { _null: true } }, [4]],
    ['dateTime _lte $NOW', { published_at: { _lte: '$NOW' } }, [1, 3, 5]],
    ['dateTime _gt $NOW(-1 year)', { published_at: { _gt: '$NOW(-1 year)' } }, [1, 2, 3, 5]],
    ['dateTime _gt $NOW(-5 months)', { published_at: { _gt: '$NOW(-5 months)' } }, [1, 2, 5]],
    ['time _gt', { starts: { _gt: '12:00:00' } }, [2]],
    ['time _lte', { starts: { _lte: '09:30' } }, [1, 4]],
    ['boolean _eq true', { featured: { _eq: true } }, [1, 4]],
    ['boolean _eq "false"', { featured: 'false' }, [2, 5]],
    ['boolean _neq', { featured: { _neq: true } }, [2, 5]],
    ['boolean _null', { featured: { _null: true } }, [3]],
    ['uuid _eq', { uid: { _eq: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' } }, [1]],
    ['uuid _neq', { uid: { _neq: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' } }, [2, 4]],
    [
      'uuid _in',
      { uid: { _in: ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'c2aade11-2e2d-4ef8-bb6d-6bb9bd380a33'] } },
      [1, 4],
    ],
    ['uuid _nin', { uid: { _nin: ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'] } }, [2, 4]],
    ['uuid _null', { uid: { _null: true } }, [3, 5]],
    ['json _null', { data: { _null: true } }, [3]],
    ['json _nnull', { data: { _nnull: true } }, [1, 2, 4, 5]],
    ['csv _contains', { labels: { _contains: 'q' } }, [5]],
    ['csv _empty', { labels: { _empty: true } }, [2, 3]],
    ['csv _nempty', { labels: { _nempty: true } }, [1, 4, 5]],
    ['hash _empty', { secret: { _empty: true } }, [2, 3, 5]],
    ['hash _nnull', { secret: { _nnull: true } }, [1, 4]],
    ['year()', { 'year(published_at)': { _eq: 2024 } }, [1, 2, 5]],
    ['month()', { 'month(published_at)': { _eq: '3' } }, [1, 5]],
    ['week()', { 'week(published_at)': { _eq: 9 } }, [1, 5]],
    ['day()', { 'day(published_at)': { _eq: 31 } }, [3]],
    ['weekday()', { 'weekday(published_at)': { _eq: 5 } }, [1, 5]],
    ['hour()', { 'hour(published_at)': { _gte: 12 } }, [2, 3]],
    ['minute()', { 'minute(published_at)': { _eq: 30 } }, [2]],
    ['second()', { 'second(published_at)': { _eq: 59 } }, [3]],
    ['hour() on time', { 'hour(starts)': { _eq: 18 } }, [2]],
    ['count(o2m)', { 'count(comments)': { _gt: 1 } }, [1]],
    ['count(o2m) zero', { 'count(comments)': { _eq: 0 } }, [3, 5]],
    ['count(json)', { 'count(data)': { _eq: 3 } }, [1]],
    ['_and', { _and: [{ status: { _eq: 'published' } }, { views: { _nnull: true } }] }, [1, 5]],
    ['_or', { _or: [{ views: { _gt: 1000 } }, { author: { name: { _eq: 'Ada' } } }] }, [1, 2, 4, 5]],
    ['_or with {}', { _or: [{}, { id: { _eq: 1 } }] }, [1, 2, 3, 4, 5]],
    ['operators hoisted under a field', { title: { _or: [{ _eq: 'Zeta' }, { _starts_with: 'Sec' }] } }, [2, 5]],
  ];
  it.each(cases.map(([name, filter, expected]) => ({ name, filter, expected })))(
    '$name',
    async ({ filter, expected }) => {
      expect(await ids('articles', { filter })).toEqual(expected);
    },
  );

  it('filters dates and timestamps of authors', async () => {
    expect(await ids('authors', { filter: { born: { _lt: '1900-01-01' } } })).toEqual([1]);
    expect(await ids('authors', { filter: { born: { _gte: '1900-01-01' } } })).toEqual([2]);
    expect(await ids('authors', { filter: { created_on: { _gt: '2024-01-02T03:04:05Z' } } })).toEqual([1, 2]);
    expect(await ids('authors', { filter: { created_on: { _lt: '2024-02-01T00:00:00+01:00' } } })).toEqual([1]);
    expect(await ids('authors', { filter: { 'year(created_on)': { _eq: 2024 } } })).toEqual([1, 2]);
  });
});

describe('relational filters', () => {
  const cases: [string, string, Record<string, unknown>, number[]][] = [
    ['m2o', 'articles', { author: { name: { _eq: 'Ada' } } }, [1, 4]],
    ['m2o, absent row counts as null', 'articles', { author: { email: { _null: true } } }, [3, 5]],
    ['m2o _neq excludes absent rows', 'articles', { author: { name: { _neq: 'Ada' } } }, [2, 5]],
    ['m2o FK operators', 'articles', { author: { _null: true } }, [3]],
    ['m2o FK bare value', 'articles', { author: 2 }, [2]],
    ['m2o chain', 'comments', { article: { author: { name: { _eq: 'Grace' } } } }, [4]],
    ['o2m any child', 'articles', { comments: { body: { _contains: 'e' } } }, [1]],
    ['o2m _some', 'articles', { comments: { _some: { body: { _eq: 'Ok' } } } }, [2]],
    ['o2m _none', 'articles', { comments: { _none: { body: { _eq: 'Ok' } } } }, [1, 3, 4, 5]],
    ['o2m child null', 'articles', { comments: { created: { _null: true } } }, [1]],
    ['o2m from authors', 'authors', { articles: { _some: { title: { _eq: 'Zeta' } } } }, [3]],
    ['m2m', 'articles', { tags: { tags_id: { name: { _eq: 'tech' } } } }, [1, 2]],
    ['m2m _none', 'articles', { tags: { _none: { tags_id: { name: { _eq: 'fun' } } } } }, [1, 2, 3, 5]],
    ['m2a headings', 'articles', { blocks: { 'item:headings': { title: { _eq: 'Intro' } } } }, [1]],
    ['m2a paragraphs', 'articles', { blocks: { 'item:paragraphs': { body: { _eq: 'Lorem' } } } }, [1]],
    ['m2a other heading', 'articles', { blocks: { 'item:headings': { title: { _eq: 'Outro' } } } }, [2]],
    ['m2a collection column', 'articles', { blocks: { collection: { _eq: 'paragraphs' } } }, [1]],
  ];
  it.each(cases.map(([name, collection, filter, expected]) => ({ name, collection, filter, expected })))(
    '$name',
    async ({ collection, filter, expected }) => {
      expect(await ids(collection, { filter })).toEqual(expected);
    },
  );
});

describe('sort and paging', () => {
  const cases: [string, Record<string, unknown>, number[]][] = [
    ['default: primary key', {}, [1, 2, 3, 4, 5]],
    ['descending puts nulls first', { sort: '-views' }, [3, 2, 5, 1, 4]],
    ['ascending puts nulls last', { sort: 'views' }, [4, 1, 5, 2, 3]],
    ['through m2o', { sort: 'author.name' }, [1, 4, 2, 5, 3]],
    ['through m2o descending', { sort: '-author.name' }, [3, 5, 2, 1, 4]],
    ['several terms', { sort: 'status,-published_at' }, [4, 2, 1, 5, 3]],
    ['by count()', { sort: '-count(comments)' }, [1, 2, 4, 3, 5]],
    ['by year()', { sort: 'year(published_at)' }, [3, 1, 2, 5, 4]],
    ['limit + page', { limit: 2, page: 2 }, [3, 4]],
    ['offset', { offset: 3 }, [4, 5]],
    ['limit 0', { limit: 0 }, []],
    ['limit -1', { limit: -1, sort: '-id' }, [5, 4, 3, 2, 1]],
  ];
  it.each(cases.map(([name, query, expected]) => ({ name, query, expected })))('$name', async ({ query, expected }) => {
    expect(await ids('articles', query)).toEqual(expected);
  });
});

describe('search', () => {
  const cases: [string, Record<string, unknown>, number[]][] = [
    ['text, case-insensitive', { search: 'HELLO' }, [1, 4]],
    ['numbers and text', { search: '100' }, [1, 3]],
    ['uuid', { search: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' }, [1]],
    ['LIKE characters are literal', { search: '%' }, [3]],
    ['nothing', { search: 'nothing-matches' }, []],
    ['AND-ed with filter', { search: 'hello', filter: { status: { _eq: 'archived' } } }, [4]],
  ];
  it.each(cases.map(([name, query, expected]) => ({ name, query, expected })))('$name', async ({ query, expected }) => {
    expect(await ids('articles', query)).toEqual(expected);
  });
});

describe('relations in fields', () => {
  it('expands m2o, o2m, m2m', async () => {
    expect(
      await data('articles', {
        fields: 'id,author.name,comments.body,tags.tags_id.name',
        filter: { id: { _in: [1, 3] } },
      }),
    ).toEqual([
      {
        id: 1,
        author: { name: 'Ada' },
        comments: [{ body: 'Nice' }, { body: 'Great' }, { body: 'Meh' }],
        tags: [{ tags_id: { name: 'news' } }, { tags_id: { name: 'tech' } }],
      },
      { id: 3, author: null, comments: [], tags: [] },
    ]);
  });

  it('expands m2a per collection, in the relation sort order', async () => {
    expect(
      await data('articles', {
        fields: 'blocks.collection,blocks.item:headings.title,blocks.item:paragraphs.body',
        filter: { id: 1 },
      }),
    ).toEqual([
      {
        blocks: [
          { collection: 'paragraphs', item: { body: 'Lorem' } },
          { collection: 'headings', item: { title: 'Intro' } },
          { collection: 'headings', item: null },
        ],
      },
    ]);
    expect(await data('articles', { fields: 'blocks.item:headings.title', filter: { id: 1 } })).toEqual([
      { blocks: [{ item: '1' }, { item: { title: 'Intro' } }, { item: null }] },
    ]);
    expect(await data('articles', { fields: 'blocks.item.*', filter: { id: 2 } })).toEqual([
      { blocks: [{ item: { id: 2, title: 'Outro' } }] },
    ]);
  });

  it('nests o2m under m2o, and honours backlink=false', async () => {
    expect(await data('articles', { fields: 'id,author.articles.title', filter: { id: 4 } })).toEqual([
      { id: 4, author: { articles: [{ title: 'Hello World' }, { title: 'über_case' }] } },
    ]);
    const [withBacklink] = (await data('authors', { fields: '*.*', filter: { id: 2 } })) as {
      articles: { author: unknown }[];
    }[];
    expect(withBacklink!.articles[0]!.author).toEqual(2);
    const [ada] = (await data('authors', { fields: '*.*.*', backlink: false, filter: { id: 2 } })) as {
      articles: { author: unknown; comments: unknown }[];
    }[];
    expect(ada!.articles[0]!.author).toBe(2);
    expect(ada!.articles[0]!.comments).toEqual([{ id: 4, article: 2, body: 'Ok', created: '2024-06-16T09:00:00' }]);
  });

  it('fetches the same relation twice through alias', async () => {
    expect(
      await data('articles', {
        fields: 'id,featured.tags_id.name,tags,headline',
        alias: { featured: 'tags', headline: 'title' },
        deep: { featured: { _limit: 1 } },
        filter: { id: 1 },
      }),
    ).toEqual([{ id: 1, featured: [{ tags_id: { name: 'news' } }], tags: [1, 2], headline: 'Hello World' }]);
  });
});

describe('wide objects', () => {
  it('merges more than 50 keys', async () => {
    const keys = Array.from({ length: 60 }, (_, index) => `k${index}`);
    const alias = Object.fromEntries(keys.map((key) => [key, 'title']));
    const [row] = (await data('articles', { fields: keys.join(','), alias, filter: { id: 2 } })) as Record<
      string,
      unknown
    >[];
    expect(row).toEqual(Object.fromEntries(keys.map((key) => [key, 'Second'])));
  });
});

describe('deep (per parent)', () => {
  const comments = async (deep: Record<string, unknown>, options: Partial<ReadOptions> = {}) =>
    data('articles', { fields: 'id,comments.id', deep: { comments: deep } }, options);

  it('limits, offsets, pages and sorts per parent', async () => {
    expect(await comments({ _limit: 2 })).toEqual([
      { id: 1, comments: [{ id: 1 }, { id: 2 }] },
      { id: 2, comments: [{ id: 4 }] },
      { id: 3, comments: [] },
      { id: 4, comments: [{ id: 5 }] },
      { id: 5, comments: [] },
    ]);
    expect(((await comments({ _sort: '-id', _limit: 1 })) as unknown[])[0]).toEqual({ id: 1, comments: [{ id: 3 }] });
    expect(((await comments({ _offset: 1 })) as unknown[])[0]).toEqual({ id: 1, comments: [{ id: 2 }, { id: 3 }] });
    expect(((await comments({ _limit: 2, _page: 2 })) as unknown[])[0]).toEqual({ id: 1, comments: [{ id: 3 }] });
    expect(((await comments({ _sort: '-created' })) as unknown[])[0]).toEqual({
      id: 1,
      comments: [{ id: 3 }, { id: 2 }, { id: 1 }],
    });
  });

  it('filters and searches per relation', async () => {
    expect(((await comments({ _filter: { body: { _neq: 'Meh' } } })) as unknown[])[0]).toEqual({
      id: 1,
      comments: [{ id: 1 }, { id: 2 }],
    });
    expect(((await comments({ _search: 'ea' })) as unknown[])[0]).toEqual({ id: 1, comments: [{ id: 2 }] });
  });

  it('caps child lists at the default limit per parent, -1 lifts it', async () => {
    const small = { limits: { ...limits, defaultLimit: 2 } };
    expect(((await data('articles', { fields: 'id,comments', limit: -1 }, small)) as unknown[])[0]).toEqual({
      id: 1,
      comments: [1, 2],
    });
    expect(((await comments({ _limit: -1 }, small)) as unknown[])[0]).toEqual({
      id: 1,
      comments: [{ id: 1 }, { id: 2 }, { id: 3 }],
    });
  });

  it('applies nested deep and m2o filters', async () => {
    expect(
      await data('articles', {
        fields: 'id,comments.article.title',
        filter: { id: { _in: [1, 2] } },
        deep: { comments: { _limit: 1, article: { _filter: { status: { _eq: 'draft' } } } } },
      }),
    ).toEqual([
      { id: 1, comments: [{ article: null }] },
      { id: 2, comments: [{ article: { title: 'Second' } }] },
    ]);
    expect(
      await data('authors', { fields: 'id,articles.id', deep: { articles: { _sort: 'views' } }, filter: { id: 1 } }),
    ).toEqual([{ id: 1, articles: [{ id: 4 }, { id: 1 }] }]);
  });
});

describe('aggregate', () => {
  const cases: [string, Record<string, unknown>, unknown][] = [
    ['count=*', { aggregate: { count: '*' } }, [{ count: '5' }]],
    ['countAll', { aggregate: { countAll: '' } }, [{ countAll: '5' }]],
    ['count field', { aggregate: { count: 'id,views' } }, [{ count: { id: '5', views: '4' } }]],
    [
      'sum/avg/min/max',
      { aggregate: { sum: 'views', avg: 'views,rating', min: 'views,rating', max: 'published_at,big' } },
      [
        {
          sum: { views: '6463' },
          avg: { views: '1615.7500000000000000', rating: '252.0625000000000000' },
          min: { views: 1, rating: '0.00' },
          max: { published_at: '2024-06-15T12:30:45', big: '9007199254740993' },
        },
      ],
    ],
    [
      'distinct',
      { aggregate: { countDistinct: 'status', sumDistinct: 'author', avgDistinct: 'author' } },
      [{ countDistinct: { status: '3' }, sumDistinct: { author: '6' }, avgDistinct: { author: '2.0000000000000000' } }],
    ],
    [
      'with filter, fields ignored, sort dropped',
      { aggregate: { sum: 'views' }, filter: { status: 'published' }, fields: 'title', sort: '-id' },
      [{ sum: { views: '1462' } }],
    ],
    [
      'groupBy: default sort on the first group',
      { aggregate: { count: '*' }, groupBy: 'status' },
      [
        { status: 'archived', count: '1' },
        { status: 'draft', count: '1' },
        { status: 'published', count: '3' },
      ],
    ],
    [
      'groupBy function, nulls last',
      { aggregate: { count: '*' }, groupBy: 'year(published_at)' },
      [
        { published_at_year: '2023', count: '1' },
        { published_at_year: '2024', count: '3' },
        { published_at_year: null, count: '1' },
      ],
    ],
    [
      'sort by an aggregate',
      { aggregate: { sum: 'views' }, groupBy: 'author', sort: '-sum.views' },
      [
        { author: null, sum: { views: null } },
        { author: 2, sum: { views: '5000' } },
        { author: 3, sum: { views: '1362' } },
        { author: 1, sum: { views: '101' } },
      ],
    ],
    [
      'groupBy without aggregate, with limit',
      { groupBy: 'status', sort: '-status', limit: 2 },
      [{ status: 'published' }, { status: 'draft' }],
    ],
  ];
  it.each(cases.map(([name, query, expected]) => ({ name, query, expected })))('$name', async ({ query, expected }) => {
    expect(await data('articles', query)).toEqual(expected);
  });
});

describe('meta, single, singleton, keys', () => {
  it('counts total and filtered rows in the same statement', async () => {
    expect(await read('articles', { fields: 'id', filter: { status: 'published' }, search: 'e', meta: '*' })).toEqual({
      data: [{ id: 1 }, { id: 3 }, { id: 5 }],
      total_count: 5,
      filter_count: 3,
    });
    expect(await read('articles', { fields: 'id', limit: 1, meta: 'total_count' })).toEqual({
      data: [{ id: 1 }],
      total_count: 5,
    });
    expect(
      await read('articles', { aggregate: { count: '*' }, filter: { views: { _gt: 100 } }, meta: 'filter_count' }),
    ).toEqual({
      data: [{ count: '2' }],
      filter_count: 2,
    });
  });

  it('reads one item or null', async () => {
    expect(await data('articles', { fields: 'title,author.name' }, { mode: 'single', id: '2' })).toEqual({
      title: 'Second',
      author: { name: 'Grace' },
    });
    expect(await data('articles', { fields: 'title' }, { mode: 'single', id: 99 })).toBeNull();
    expect(
      await data('articles', { fields: 'title', filter: { status: 'draft' } }, { mode: 'single', id: 1 }),
    ).toBeNull();
  });

  it('reads a singleton, or its defaults when empty', async () => {
    expect(await data('settings', {}, { mode: 'singleton' })).toEqual({ id: 1, site_name: 'My Site' });
    await db.client.query('BEGIN');
    try {
      await db.client.query('DELETE FROM settings');
      expect(await data('settings', {}, { mode: 'singleton' })).toEqual({ id: null, site_name: 'Tessera' });
    } finally {
      await db.client.query('ROLLBACK');
    }
  });

  it('reads keys in the default order; filter_count ignores them', async () => {
    expect(await read('articles', { fields: 'id', meta: 'filter_count' }, { keys: [3, 1, 42] })).toEqual({
      data: [{ id: 1 }, { id: 3 }],
      filter_count: 5,
    });
    expect(await data('articles', { fields: 'id' }, { keys: [] })).toEqual([]);
  });
});

describe('permissions extension point', () => {
  const hideAda: AccessMap = { authors: { itemFilter: buildFilter(schema, 'authors', { name: { _neq: 'Ada' } }) } };

  it('treats a hidden related row as absent everywhere', async () => {
    expect(await data('articles', { fields: 'id,author.name', filter: { id: { _in: [1, 2] } } }, {}, hideAda)).toEqual([
      { id: 1, author: null },
      { id: 2, author: { name: 'Grace' } },
    ]);
    expect(await ids('articles', { filter: { author: { name: { _eq: 'Ada' } } } })).toEqual([1, 4]);
    expect(
      (await read('articles', { fields: 'id', filter: { author: { name: { _eq: 'Ada' } } } }, {}, hideAda)).data,
    ).toEqual([]);
    expect((await read('articles', { fields: 'id', sort: 'author.name', limit: 2 }, {}, hideAda)).data).toEqual([
      { id: 2 },
      { id: 5 },
    ]);
    expect(await read('authors', { fields: 'id', meta: '*' }, {}, hideAda)).toEqual({
      data: [{ id: 2 }, { id: 3 }],
      total_count: 2,
      filter_count: 2,
    });
  });

  it('reads a field as null where its case does not apply', async () => {
    const access: AccessMap = {
      articles: {
        itemFilter: null,
        fieldCases: { views: buildFilter(schema, 'articles', { status: { _eq: 'published' } }) },
      },
    };
    expect(await data('articles', { fields: 'id,views', filter: { id: { _in: [1, 2] } } }, {}, access)).toEqual([
      { id: 1, views: 100 },
      { id: 2, views: null },
    ]);
  });
});

describe('random queries that compile also execute', () => {
  it('runs them without a database error', async () => {
    await fc.assert(
      fc.asyncProperty(collectionAndQuery, readOptions, async ([collection, raw], options) => {
        let ast;
        try {
          ast = astFor(collection, raw, options);
        } catch (error) {
          if (error instanceof InvalidQueryError || error instanceof ForbiddenError) return;
          throw error;
        }
        const { sql, params } = compileRead(ast, schema);
        try {
          const { rows } = await db.client.query<{ data: string }>(sql, params);
          JSON.parse(rows[0]!.data);
        } catch (error) {
          throw new Error(`${(error as Error).message}\n${JSON.stringify(raw)}\n${sql}\n${JSON.stringify(params)}`);
        }
      }),
      { numRuns: 1500 },
    );
  }, 60_000);
});
