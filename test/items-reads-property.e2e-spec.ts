import fc from 'fast-check';
import { createReadsSchema, seedReads } from './items-reads.schema';
import { createTestApp, type TestApp } from './support/app';

/**
 * Issue 4: random and mutated query strings against GET /items/articles over HTTP. Every answer is 200, 400
 * INVALID_QUERY or 403 FORBIDDEN in the Directus envelope — never a 500 — and the server keeps answering afterwards.
 * The seed is fixed (FC_SEED overrides it) so a run is reproducible.
 */

const SEED = Number(process.env.FC_SEED ?? 20240305);

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ QUERY_LIMIT_DEFAULT: '4', MAX_RELATIONAL_DEPTH: '4' });
  await createReadsSchema(t);
  await seedReads(t);
});
afterAll(() => t.close());

const FIELDS = [
  'id',
  'title',
  'body',
  'status',
  'published_at',
  'created_on',
  'day',
  'starts',
  'views',
  'rating',
  'big',
  'data',
  'featured',
  'uid',
  'author',
  'comments',
  'tags',
  'blocks',
  'author.name',
  'author.articles.title',
  'comments.body',
  'comments.article.id',
  'tags.tags_id.name',
  'blocks.item:headings.title',
  'blocks.item.*',
  'year(published_at)',
  'count(comments)',
  'weekday(day)',
  'hour(starts)',
  'count(data)',
  '*',
  '*.*',
  'nope',
  'author.nope',
  '',
  '.',
  'year(',
  'count(nope)',
  'json(data, a)',
];

const OPERATORS = [
  '_eq',
  '_neq',
  '_lt',
  '_lte',
  '_gt',
  '_gte',
  '_in',
  '_nin',
  '_null',
  '_nnull',
  '_empty',
  '_nempty',
  '_contains',
  '_ncontains',
  '_icontains',
  '_nicontains',
  '_starts_with',
  '_istarts_with',
  '_ends_with',
  '_niends_with',
  '_between',
  '_nbetween',
  '_some',
  '_none',
  '_and',
  '_or',
  '_regex',
  '_json',
  '_intersects',
  '_ieq',
  '_submitted',
  '_foo',
];

const VALUES = fc.oneof(
  fc.constantFrom(
    '1',
    '0',
    '-1',
    '2',
    'true',
    'false',
    'null',
    'NULL',
    '',
    '1,2',
    '1,',
    ',',
    '2024-01-01',
    '2024-02-30',
    '10:00:00',
    '2024-01-01T00:00:00Z',
    '$NOW',
    '$NOW(-1 day)',
    '$NOW(bogus)',
    '$CURRENT_USER',
    '$CURRENT_USER.email',
    '$CURRENT_ROLES',
    '9007199254740993',
    '1e400',
    'NaN',
    '%',
    '_',
    '\\',
    "'",
    '"',
    '\u0000',
    'a\u0000b',
    '3f1c2f4e-8d4b-4c1a-9b7e-2a5d6c7e8f90',
    '{"a":1}',
    '[1,2]',
    '*',
  ),
  fc.string({ maxLength: 12, unit: 'binary' }),
  fc.integer().map(String),
  fc.double().map(String),
);

const pair = (key: string, value: string): [string, string] => [key, value];

/** One query parameter in qs bracket syntax. */
const PARAM: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.tuple(fc.constantFrom(...FIELDS), fc.constantFrom(...OPERATORS), VALUES).map(([field, op, value]) => {
    const path = field.split('.').join('][');
    return pair(`filter[${path}][${op}]`, value);
  }),
  fc.tuple(fc.constantFrom(...FIELDS), VALUES).map(([field, value]) => pair(`filter[${field}]`, value)),
  fc.tuple(fc.constantFrom('fields', 'sort', 'groupBy', 'fields[]', 'sort[]', 'groupBy[]'), fc.constantFrom(...FIELDS)),
  fc.tuple(
    fc.constantFrom('sort'),
    fc.constantFrom(...FIELDS).map((f) => `-${f}`),
  ),
  fc.tuple(fc.constantFrom('limit', 'offset', 'page', 'search', 'meta', 'backlink', 'export', 'version'), VALUES),
  fc.tuple(fc.constantFrom('meta'), fc.constantFrom('*', 'total_count', 'filter_count', 'total_count,x')),
  fc
    .tuple(
      fc.constantFrom(
        'count',
        'countDistinct',
        'countAll',
        'sum',
        'sumDistinct',
        'avg',
        'avgDistinct',
        'min',
        'max',
        'x',
      ),
      fc.constantFrom(...FIELDS),
    )
    .map(([fn, field]) => pair(`aggregate[${fn}]`, field)),
  fc
    .tuple(
      fc.constantFrom('comments', 'tags', 'blocks', 'author', 'author][articles', 'nope', 'blocks][item:headings'),
      fc.constantFrom('_filter][id][_eq', '_sort', '_limit', '_offset', '_page', '_search', '_bogus', 'x'),
      VALUES,
    )
    .map(([rel, key, value]) => pair(`deep[${rel}][${key}]`, value)),
  fc
    .tuple(fc.constantFrom('x', 'first', 'a.b'), fc.constantFrom(...FIELDS))
    .map(([key, target]) => pair(`alias[${key}]`, target)),
  fc
    .tuple(fc.constantFrom('filter', 'deep', 'alias', 'aggregate', 'fields', 'sort', 'meta'), fc.jsonValue())
    .map(([key, value]) => pair(key, JSON.stringify(value))),
);

const GENERATED = fc
  .array(PARAM, { minLength: 1, maxLength: 5 })
  .map((params) => params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));

/** Valid queries from the example-based tests, to be mutated character by character. */
const VALID = [
  'fields=*,author.*,comments.*,tags.tags_id.name,blocks.item:headings.title&filter[id][_eq]=1',
  'filter[comments][_some][body][_icontains]=great&sort=-author.name&limit=2&page=2',
  `filter=${encodeURIComponent(JSON.stringify({ _or: [{ views: { _between: [1, 100] } }, { status: 'draft' }] }))}`,
  'aggregate[count]=*&aggregate[sum]=views,rating&groupBy[]=status&sort=-count',
  `deep=${encodeURIComponent(JSON.stringify({ comments: { _filter: { body: { _contains: 'a' } }, _limit: 2, _sort: '-id' } }))}&fields=id,comments.body`,
  'alias[headline]=title&fields=id,headline,year(published_at),count(comments)&meta=*&search=hello',
  'filter[blocks][item:headings][title][_eq]=Intro&backlink=false&fields=*.*',
  'filter[published_at][_gte]=$NOW(-10 years)&filter[uid][_nnull]=true&offset=1',
];

const MUTATION_CHARS = fc.constantFrom(...'[]{}(),.:;-_*%&=$"\'\\!~+@/?0123456789aAzZ'.split(''));

const MUTATED = fc
  .tuple(
    fc.constantFrom(...VALID),
    fc.array(
      fc.tuple(fc.constantFrom('insert', 'delete', 'replace', 'duplicate'), fc.nat(), MUTATION_CHARS, fc.nat(8)),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([query, edits]) => {
    let text = query;
    for (const [kind, at, char, span] of edits) {
      const i = text.length === 0 ? 0 : at % text.length;
      if (kind === 'insert') text = text.slice(0, i) + char + text.slice(i);
      else if (kind === 'delete') text = text.slice(0, i) + text.slice(i + 1 + span);
      else if (kind === 'replace') text = text.slice(0, i) + char + text.slice(i + 1);
      else text = text.slice(0, i + span) + '&' + text.slice(i, i + span) + text.slice(i + span);
    }
    return text;
  });

const seen = { 200: 0, 400: 0, 403: 0 } as Record<number, number>;

async function check(query: string): Promise<void> {
  const res = await t.http.get(`/items/articles?${query}`).set(t.admin);
  seen[res.status] = (seen[res.status] ?? 0) + 1;
  const body = res.body as { data?: unknown; errors?: { message: string; extensions: Row }[] };
  const context = `GET /items/articles?${query} → ${res.status} ${res.text.slice(0, 300)}`;
  if (res.status === 200) {
    if (body.data === undefined) throw new Error(`no data: ${context}`);
    return;
  }
  const error = body.errors?.[0];
  const expected =
    res.status === 400
      ? error?.extensions.code === 'INVALID_QUERY' && error.message.startsWith('Invalid query. ')
      : res.status === 403 && error?.extensions.code === 'FORBIDDEN';
  if (!expected || body.errors?.length !== 1) throw new Error(`unexpected answer: ${context}`);
}

type Row = Record<string, unknown>;

describe('random and mutated queries over HTTP', () => {
  it('generated parameter combinations: 200, 400 INVALID_QUERY or 403 FORBIDDEN, never 500', async () => {
    await fc.assert(fc.asyncProperty(GENERATED, check), { numRuns: 300, seed: SEED });
  });

  it('mutated valid queries: 200, 400 INVALID_QUERY or 403 FORBIDDEN, never 500', async () => {
    await fc.assert(fc.asyncProperty(MUTATED, check), { numRuns: 300, seed: SEED });
  });

  it('every kind of answer was seen, and the server still answers', async () => {
    expect(seen[200]).toBeGreaterThan(20);
    expect(seen[400]).toBeGreaterThan(20);
    expect(seen[403]).toBeGreaterThan(20);
    expect(Object.keys(seen).sort()).toEqual(['200', '400', '403']);
    const ping = await t.http.get('/server/ping');
    expect(ping.status).toBe(200);
    const reads = await Promise.all(
      Array.from({ length: 12 }, () => t.http.get('/items/articles?fields=id&limit=1').set(t.admin)),
    );
    expect(reads.map((r) => [r.status, r.body as unknown])).toEqual(reads.map(() => [200, { data: [{ id: 1 }] }]));
  });
});
