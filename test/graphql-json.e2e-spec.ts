import { GraphqlHttp } from '../src/modules/graphql/graphql-http';
import { admin, userWith, type TestUser } from './permissions.helpers';
import { createTestApp, type TestApp } from './support/app';

/**
 * Issue #16, part 2, in GraphQL: Directus 12's `json(field, path)` as `<json field>_func { json(path: "...") }` and
 * the `_json` filter operator in `json_filter_operators` (spec 9), through `/graphql` end to end. Both translate to
 * exactly what REST runs (test/directus-json.e2e-spec.ts): the root field's one items query selects
 * `json(field, path)`, and `_json` reaches the same filter compiler. GraphQL object literals only take names as keys,
 * so dotted and indexed `_json` paths travel in variables. Every answer is compared whole.
 */

type Auth = { Authorization: string } | Record<string, never>;

let t: TestApp;
let reader: TestUser;
let redOnly: TestUser;
let noData: TestUser;

async function gql(query: string, variables?: Record<string, unknown>, auth: Auth = t.admin) {
  const res = await t.http
    .post('/graphql')
    .set(auth)
    .send({ query, ...(variables ? { variables } : {}) });
  return { status: res.status, body: res.body as unknown };
}

function validation(message: string, line: number, column: number) {
  return {
    status: 400,
    body: {
      errors: [
        {
          message: 'GraphQL validation error.',
          extensions: { code: 'GRAPHQL_VALIDATION', errors: [{ message, locations: [{ line, column }] }] },
        },
      ],
    },
  };
}

beforeAll(async () => {
  t = await createTestApp();
  await admin(t, 'post', '/collections', {
    collection: 'gj_people',
    schema: {},
    fields: [
      { field: 'name', type: 'string' },
      { field: 'profile', type: 'json' },
    ],
  });
  await admin(t, 'post', '/collections', {
    collection: 'gj_docs',
    schema: {},
    fields: [
      { field: 'title', type: 'string' },
      { field: 'data', type: 'json' },
      { field: 'owner', type: 'integer' },
    ],
  });
  await admin(t, 'post', '/relations', { collection: 'gj_docs', field: 'owner', related_collection: 'gj_people' });
  await admin(t, 'post', '/items/gj_people', [
    { name: 'Ada', profile: { city: 'Paris', langs: ['fr', 'en'] } },
    { name: 'Bo', profile: { city: 'Oslo' } },
  ]);
  await admin(t, 'post', '/items/gj_docs', [
    { title: 'a', owner: 1, data: { color: 'red', size: { w: 3, h: 4 }, tags: ['x', 'y'], n: 5 } },
    { title: 'b', owner: 2, data: { color: 'blue', size: { w: 1 }, tags: ['z'], n: 12 } },
    { title: 'c', owner: null, data: null },
    { title: 'd', owner: 1, data: [1, 2, { k: 'v' }] },
  ]);
  reader = await userWith(t, [
    { collection: 'gj_docs', action: 'read', fields: ['id', 'title', 'data', 'owner'] },
    { collection: 'gj_people', action: 'read', fields: ['id', 'name'] },
  ]);
  redOnly = await userWith(t, [
    {
      collection: 'gj_docs',
      action: 'read',
      fields: ['id', 'title', 'data'],
      permissions: { data: { _json: { color: { _eq: 'red' } } } },
    },
  ]);
  noData = await userWith(t, [{ collection: 'gj_docs', action: 'read', fields: ['id', 'title'] }]);
});
afterAll(() => t.close());

describe('<json field>_func { json(path) }', () => {
  it('dotted paths, [n] indexes, a leading index, objects as JSON, null for a missing path, count beside', async () => {
    expect(
      await gql(`{
        gj_docs(sort: ["id"]) {
          id
          data_func {
            color: json(path: "color")
            w: json(path: "size.w")
            size: json(path: "size")
            tag: json(path: "tags[1]")
            k: json(path: "[2].k")
            missing: json(path: "missing.x")
            count
          }
        }
      }`),
    ).toEqual({
      status: 200,
      body: {
        data: {
          gj_docs: [
            {
              id: '1',
              data_func: { color: 'red', w: 3, size: { w: 3, h: 4 }, tag: 'y', k: null, missing: null, count: null },
            },
            {
              id: '2',
              data_func: { color: 'blue', w: 1, size: { w: 1 }, tag: null, k: null, missing: null, count: null },
            },
            {
              id: '3',
              data_func: { color: null, w: null, size: null, tag: null, k: null, missing: null, count: null },
            },
            {
              id: '4',
              data_func: { color: null, w: null, size: null, tag: null, k: 'v', missing: null, count: 3 },
            },
          ],
        },
      },
    });
  });

  it('an unaliased json(path), a path in a variable, _by_id, and json() below an M2O', async () => {
    expect(
      await gql(
        `query($p: String!) {
          gj_docs_by_id(id: 1) {
            title
            data_func { json(path: $p) }
            owner { name profile_func { json(path: "langs[0]") } }
          }
        }`,
        { p: 'size.h' },
      ),
    ).toEqual({
      status: 200,
      body: {
        data: {
          gj_docs_by_id: { title: 'a', data_func: { json: 4 }, owner: { name: 'Ada', profile_func: { json: 'fr' } } },
        },
      },
    });
  });

  it('is one statement per root field', async () => {
    const query = `{
      a: gj_docs { id data_func { c: json(path: "color") t: json(path: "tags[0]") } owner { profile_func { json(path: "city") } } }
      b: gj_people { profile_func { json(path: "city") } }
    }`;
    await gql(query);
    expect(await t.countStatements(() => gql(query))).toBe(2);
  });

  it('an unsupported path is INVALID_QUERY, as in REST; a missing path argument a validation error', async () => {
    expect(await gql('{ gj_docs { data_func { json(path: "tags[*]") } } }')).toEqual({
      status: 200,
      body: {
        data: null,
        errors: [
          {
            message: 'Invalid query. Invalid JSON path: unsupported path expression.',
            extensions: { code: 'INVALID_QUERY', reason: 'Invalid JSON path: unsupported path expression' },
            locations: [{ line: 1, column: 3 }],
            path: ['gj_docs'],
          },
        ],
      },
    });
    // Whatever the path, it reaches REST's json() parser through `fields`, which answers as for REST.
    const reasons: [string, string][] = [
      ['a,b', 'Invalid JSON path: unsupported path expression'],
      ['$.a', 'Invalid JSON path: unsupported path expression'],
      ['', 'Invalid json() syntax: missing path'],
      ['a)', 'Unbalanced parentheses in "fields"'],
      ['a(b)', 'Nested functions are not supported in "fields"'],
    ];
    for (const [path, reason] of reasons) {
      expect([path, await gql(`{ gj_docs { data_func { json(path: ${JSON.stringify(path)}) } } }`)]).toEqual([
        path,
        {
          status: 200,
          body: {
            data: null,
            errors: [
              {
                message: `Invalid query. ${reason}.`,
                extensions: { code: 'INVALID_QUERY', reason },
                locations: [{ line: 1, column: 3 }],
                path: ['gj_docs'],
              },
            ],
          },
        },
      ]);
    }
    expect(await gql('{ gj_docs { data_func { json } } }')).toEqual(
      validation('Field "json" argument "path" of type "String!" is required, but it was not provided.', 1, 25),
    );
  });
});

describe('_json in json_filter_operators', () => {
  it('one path; several paths AND-ed (dotted and indexed, in a variable); _or inside; beside _nnull', async () => {
    expect(await gql('{ gj_docs(filter: {data: {_json: {color: {_eq: "red"}}}}) { id } }')).toEqual({
      status: 200,
      body: { data: { gj_docs: [{ id: '1' }] } },
    });
    const query = 'query($j: GraphQLJsonFilter) { gj_docs(filter: {data: {_json: $j}}, sort: ["id"]) { id title } }';
    expect(await gql(query, { j: { 'size.w': { _gte: 1 }, 'tags[0]': { _in: ['x', 'z'] }, n: { _gt: 6 } } })).toEqual({
      status: 200,
      body: { data: { gj_docs: [{ id: '2', title: 'b' }] } },
    });
    expect(
      await gql(query, {
        j: { _or: [{ color: { _eq: 'red' } }, { '[2].k': { _eq: 'v' } }], 'size.h': { _null: true } },
      }),
    ).toEqual({ status: 200, body: { data: { gj_docs: [{ id: '4', title: 'd' }] } } });
    expect(
      await gql('{ gj_docs(filter: {_and: [{data: {_nnull: true}}, {data: {_json: {n: {_lt: 10}}}}]}) { id } }'),
    ).toEqual({ status: 200, body: { data: { gj_docs: [{ id: '1' }] } } });
    expect(await gql('{ gj_docs(filter: {data: {_null: true}}) { id } }')).toEqual({
      status: 200,
      body: { data: { gj_docs: [{ id: '3' }] } },
    });
  });

  it('through an M2O, and on a relational field of a root item (deep)', async () => {
    expect(
      await gql(`{
        gj_docs(filter: {owner: {profile: {_json: {city: {_eq: "Oslo"}}}}}) { id }
        gj_people(sort: ["id"]) { name }
      }`),
    ).toEqual({
      status: 200,
      body: { data: { gj_docs: [{ id: '2' }], gj_people: [{ name: 'Ada' }, { name: 'Bo' }] } },
    });
    await admin(t, 'post', '/fields/gj_people', {
      field: 'docs',
      type: 'alias',
      meta: { special: ['o2m'] },
    });
    await admin(t, 'patch', '/relations/gj_docs/owner', { meta: { one_field: 'docs' } });
    expect(
      await gql(
        '{ gj_people(sort: ["id"]) { name docs(filter: {data: {_json: {n: {_gt: 1}}}}, sort: ["id"]) { id } } }',
      ),
    ).toEqual({
      status: 200,
      body: {
        data: {
          gj_people: [
            { name: 'Ada', docs: [{ id: '1' }] },
            { name: 'Bo', docs: [{ id: '2' }] },
          ],
        },
      },
    });
  });

  it('a malformed _json value is refused by GraphQLJsonFilter; an operator _json does not take is INVALID_QUERY', async () => {
    expect(await gql('{ gj_docs(filter: {data: {_json: {color: "red"}}}) { id } }')).toEqual(
      validation(
        'Expected value of type "GraphQLJsonFilter", found {color: "red"}; json filter: "color" must be a filter operator object (e.g. { "_eq": "value" })',
        1,
        34,
      ),
    );
    const query = 'query($j: GraphQLJsonFilter) { gj_docs(filter: {data: {_json: $j}}) { id } }';
    expect(await gql(query, { j: { _and: 'x' } })).toEqual(
      validation(
        'Variable "$j" got invalid value { _and: "x" }; Expected type "GraphQLJsonFilter". json filter: "_and" must be an array of filter objects',
        1,
        7,
      ),
    );
    expect(await gql(query, { j: { color: { _json: {} } } })).toEqual({
      status: 200,
      body: {
        data: null,
        errors: [
          {
            message: 'Invalid query. The "_json" filter operator can\'t be used in "_json".',
            extensions: { code: 'INVALID_QUERY', reason: 'The "_json" filter operator can\'t be used in "_json"' },
            locations: [{ line: 1, column: 32 }],
            path: ['gj_docs'],
          },
        ],
      },
    });
  });
});

describe('mutations', () => {
  it('a mutation reads json(path) back with the same query', async () => {
    expect(
      await gql(`mutation {
        update_gj_docs_item(id: 2, data: {title: "b2"}) { title data_func { json(path: "size.w") } }
        create_gj_docs_item(data: {title: "e", data: {color: "green", tags: ["q"]}}) { title data_func { json(path: "tags[0]") } }
      }`),
    ).toEqual({
      status: 200,
      body: {
        data: {
          update_gj_docs_item: { title: 'b2', data_func: { json: 1 } },
          create_gj_docs_item: { title: 'e', data_func: { json: 'q' } },
        },
      },
    });
    await admin(t, 'delete', '/items/gj_docs/5');
    await admin(t, 'patch', '/items/gj_docs/2', { title: 'b' });
  });
});

describe('sort and the fast path', () => {
  it('sort takes json(field, path) as REST does, in the same order', async () => {
    const rest = await t.http
      .get(`/items/gj_docs?fields=id&sort=${encodeURIComponent('json(data, color),-id')}`)
      .set(t.admin)
      .expect(200);
    const ids = (rest.body as { data: { id: number }[] }).data.map((row) => ({ id: String(row.id) }));
    expect(ids).toEqual([{ id: '2' }, { id: '1' }, { id: '4' }, { id: '3' }]);
    expect(await gql('{ gj_docs(sort: ["json(data, color)", "-id"]) { id } }')).toEqual({
      status: 200,
      body: { data: { gj_docs: ids } },
    });
  });

  it('a _json filter answers the same on the fast path and the general one; json(path) takes the general one', async () => {
    const http = t.app.get(GraphqlHttp);
    const query = 'query($j: GraphQLJsonFilter) { gj_docs(filter: {data: {_json: $j}}, sort: ["id"]) { id title } }';
    const variables = { j: { 'tags[0]': { _in: ['x', 'z'] } } };
    const expected = {
      status: 200,
      body: {
        data: {
          gj_docs: [
            { id: '1', title: 'a' },
            { id: '2', title: 'b' },
          ],
        },
      },
    };
    let before = http.fastAnswers;
    expect(await gql(query, variables)).toEqual(expected);
    expect(http.fastAnswers - before).toBe(1);
    http.fastReads = false;
    try {
      expect(await gql(query, variables)).toEqual(expected);
    } finally {
      http.fastReads = true;
    }
    before = http.fastAnswers;
    expect(await gql('{ gj_docs_by_id(id: 2) { data_func { json(path: "size.w") } } }')).toEqual({
      status: 200,
      body: { data: { gj_docs_by_id: { data_func: { json: 1 } } } },
    });
    expect(http.fastAnswers - before).toBe(0);
  });
});

describe('permissions', () => {
  it('a role reads json() and filters with _json on the json fields it may read', async () => {
    expect(
      await gql(
        `{ gj_docs(filter: {data: {_json: {n: {_gt: 1}}}}, sort: ["id"]) {
          id data_func { json(path: "color") } owner { name }
        } }`,
        undefined,
        reader.auth,
      ),
    ).toEqual({
      status: 200,
      body: {
        data: {
          gj_docs: [
            { id: '1', data_func: { json: 'red' }, owner: { name: 'Ada' } },
            { id: '2', data_func: { json: 'blue' }, owner: { name: 'Bo' } },
          ],
        },
      },
    });
  });

  it('a json field outside the role has neither _func nor a filter key', async () => {
    expect(await gql('{ gj_docs { owner { profile_func { json(path: "city") } } } }', undefined, reader.auth)).toEqual(
      validation('Cannot query field "profile_func" on type "gj_people".', 1, 21),
    );
    expect(await gql('{ gj_docs { data_func { json(path: "color") } } }', undefined, noData.auth)).toEqual(
      validation('Cannot query field "data_func" on type "gj_docs".', 1, 13),
    );
    expect(await gql('{ gj_docs(filter: {data: {_json: {n: {_gt: 1}}}}) { id } }', undefined, noData.auth)).toEqual(
      validation('Field "data" is not defined by type "gj_docs_filter".', 1, 20),
    );
  });

  it('an item filter written with _json holds under every query', async () => {
    expect(
      await gql(
        '{ gj_docs(sort: ["id"]) { id data_func { json(path: "size.w") } } all: gj_docs(filter: {data: {_nnull: true}}) { title } }',
        undefined,
        redOnly.auth,
      ),
    ).toEqual({
      status: 200,
      body: { data: { gj_docs: [{ id: '1', data_func: { json: 3 } }], all: [{ title: 'a' }] } },
    });
  });
});
