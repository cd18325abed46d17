import type { AddressInfo } from 'node:net';
import { createDirectus, graphql, staticToken } from '@directus/sdk';
import { GraphqlHttp } from '../src/modules/graphql/graphql-http';
import { GraphqlSchemas } from '../src/modules/graphql/graphql-schemas.service';
import { UID, createReadsSchema, seedReads } from './items-reads.schema';
import { userWith, type TestUser } from './permissions.helpers';
import { createTestApp, type TestApp } from './support/app';
import { ADMIN_EMAIL, ADMIN_PASSWORD, ADMIN_TOKEN } from './support/constants';

/**
 * Issue 13: `/graphql` and `/graphql/system` over HTTP, against the read fixtures of items-reads (articles with
 * every relation kind, singletons, string and uuid keys). Reads only (mutations: graphql-mutations.e2e-spec.ts;
 * schema cache and changes: graphql-schema-cache.e2e-spec.ts). Every answer is compared whole.
 */

type Auth = { Authorization: string } | Record<string, never>;

let t: TestApp;
let reader: TestUser & { policies: string[] };

async function gql(query: string, variables?: Record<string, unknown>, auth: Auth = t.admin, path = '/graphql') {
  const res = await t.http
    .post(path)
    .set(auth)
    .send({ query, ...(variables ? { variables } : {}) });
  return { status: res.status, body: res.body as unknown };
}

function validation(...errors: { message: string; line: number; column: number }[]) {
  return {
    status: 400,
    body: {
      errors: [
        {
          message: 'GraphQL validation error.',
          extensions: {
            code: 'GRAPHQL_VALIDATION',
            errors: errors.map((e) => ({ message: e.message, locations: [{ line: e.line, column: e.column }] })),
          },
        },
      ],
    },
  };
}

beforeAll(async () => {
  t = await createTestApp({ LOGIN_STALL_TIME: '0' });
  await createReadsSchema(t);
  await seedReads(t);
  reader = await userWith(t, [
    {
      collection: 'articles',
      action: 'read',
      fields: ['id', 'title', 'author', 'status'],
      permissions: { status: { _eq: 'published' } },
    },
    { collection: 'authors', action: 'read', fields: ['id', 'name'] },
    { collection: 'tags', action: 'create', fields: ['*'] },
  ]);
});
afterAll(() => t.close());

describe('queries', () => {
  it('a list with filter, sort, limit and nested M2O, O2M (with its own arguments) and M2M', async () => {
    expect(
      await gql(`{
        articles(filter: {status: {_eq: "published"}}, sort: ["-views"], limit: 2) {
          id title views rating big featured
          author { id name }
          comments(sort: ["-id"], limit: 2) { id body }
          tags { tags_id { name } }
        }
      }`),
    ).toEqual({
      status: 200,
      body: {
        data: {
          articles: [
            {
              id: '2',
              title: 'Second Post',
              views: 250,
              rating: 3.25,
              big: '12',
              featured: false,
              author: { id: '2', name: 'Bob' },
              comments: [{ id: '4', body: 'Nice' }],
              tags: [{ tags_id: { name: 'tech' } }],
            },
            {
              id: '1',
              title: 'Hello World',
              views: 100,
              rating: 4.5,
              big: '9007199254740993',
              featured: true,
              author: { id: '1', name: 'Ann' },
              comments: [
                { id: '3', body: 'great again' },
                { id: '2', body: 'Thanks' },
              ],
              tags: [{ tags_id: { name: 'news' } }, { tags_id: { name: 'tech' } }],
            },
          ],
        },
      },
    });
  });

  it('<c>_by_id with every scalar kind; a missing row is null with FORBIDDEN (HTTP 200)', async () => {
    expect(
      await gql('{ articles_by_id(id: 1) { id published_at created_on day starts data uid rating big featured } }'),
    ).toEqual({
      status: 200,
      body: {
        data: {
          articles_by_id: {
            id: '1',
            published_at: '2024-03-05T10:20:30',
            created_on: '2024-03-05T10:20:30.000Z',
            day: '2024-03-05',
            starts: '09:15:00',
            data: { a: 1 },
            uid: UID,
            rating: 4.5,
            big: '9007199254740993',
            featured: true,
          },
        },
      },
    });
    expect(await gql('{ articles_by_id(id: 999) { id } }')).toEqual({
      status: 200,
      body: {
        data: { articles_by_id: null },
        errors: [
          {
            message: "You don't have permission to access this.",
            locations: [{ line: 1, column: 3 }],
            path: ['articles_by_id'],
            extensions: { code: 'FORBIDDEN' },
          },
        ],
      },
    });
  });

  it('<c>_aggregated with groupBy, and without', async () => {
    expect(
      await gql(`{
        articles_aggregated(groupBy: ["status"], sort: ["status"]) {
          group countAll count { id views } sum { views } avg { views } max { rating } min { views } countDistinct { author }
        }
        all: articles_aggregated { countAll }
      }`),
    ).toEqual({
      status: 200,
      body: {
        data: {
          articles_aggregated: [
            {
              group: { status: 'archived' },
              countAll: 1,
              count: { id: 1, views: 1 },
              sum: { views: 50 },
              avg: { views: 50 },
              max: { rating: 1000.5 },
              min: { views: 50 },
              countDistinct: { author: 0 },
            },
            {
              group: { status: 'draft' },
              countAll: 1,
              count: { id: 1, views: 0 },
              sum: { views: null },
              avg: { views: null },
              max: { rating: null },
              min: { views: null },
              countDistinct: { author: 1 },
            },
            {
              group: { status: 'published' },
              countAll: 3,
              count: { id: 3, views: 3 },
              sum: { views: 350 },
              avg: { views: 116.66666666666667 },
              max: { rating: 4.5 },
              min: { views: 0 },
              countDistinct: { author: 3 },
            },
          ],
          all: [{ countAll: 5 }],
        },
      },
    });
  });

  it('function fields (<field>_func, count of an O2M) and function filters', async () => {
    expect(
      await gql(`{
        articles_by_id(id: 1) { published_at_func { year month day hour minute weekday } comments_func { count } }
        articles(filter: {published_at_func: {year: {_eq: 2024}}}, sort: ["id"]) { id }
      }`),
    ).toEqual({
      status: 200,
      body: {
        data: {
          articles_by_id: {
            published_at_func: { year: 2024, month: 3, day: 5, hour: 10, minute: 20, weekday: 2 },
            comments_func: { count: 3 },
          },
          articles: [{ id: '1' }, { id: '4' }],
        },
      },
    });
  });

  it('M2A unions with inline fragments and fragment spreads, and an M2A filter', async () => {
    expect(
      await gql(`{
        articles_by_id(id: 1) {
          blocks { collection item { __typename ... on headings { title } ...P } }
        }
        articles(filter: {blocks: {item__headings: {title: {_eq: "Outro"}}}}) { id }
      }
      fragment P on paragraphs { body }`),
    ).toEqual({
      status: 200,
      body: {
        data: {
          articles_by_id: {
            blocks: [
              { collection: 'headings', item: { __typename: 'headings', title: 'Intro' } },
              { collection: 'paragraphs', item: { __typename: 'paragraphs', body: 'Para one' } },
              { collection: 'headings', item: { __typename: 'headings', title: 'Outro' } },
            ],
          },
          articles: [{ id: '1' }],
        },
      },
    });
  });

  it('variables, named fragments, aliases, @include and @skip; GET with variables as JSON', async () => {
    const query = `query Q($status: String, $withAuthor: Boolean!, $skipViews: Boolean!) {
      published: articles(filter: {status: {_eq: $status}}, sort: ["id"]) {
        ...Basic author @include(if: $withAuthor) { name } views @skip(if: $skipViews)
      }
      first: articles_by_id(id: 1) { heading: title }
    }
    fragment Basic on articles { id t: title }`;
    const expected = {
      data: {
        published: [
          { id: '1', t: 'Hello World', author: { name: 'Ann' } },
          { id: '2', t: 'Second Post', author: { name: 'Bob' } },
          { id: '5', t: 'alpha', author: { name: 'Cy' } },
        ],
        first: { heading: 'Hello World' },
      },
    };
    const variables = { status: 'published', withAuthor: true, skipViews: true };
    expect(await gql(query, variables)).toEqual({ status: 200, body: expected });
    const get = await t.http
      .get('/graphql')
      .query({ query, variables: JSON.stringify(variables), operationName: 'Q' })
      .set(t.admin);
    expect({ status: get.status, body: get.body }).toEqual({ status: 200, body: expected });
  });

  it('singletons, string and uuid primary keys', async () => {
    expect(
      await gql(`{
        settings { site_name per_page theme }
        site { site_name per_page theme }
        tokens { id label }
        codes(sort: ["code"]) { code label }
      }`),
    ).toEqual({
      status: 200,
      body: {
        data: {
          settings: { site_name: 'Tessera', per_page: 25, theme: null },
          site: { site_name: 'My Site', per_page: 10, theme: 'dark' },
          tokens: [{ id: '6b0e1a52-0c3e-4d9f-8a61-7f2b3c4d5e6f', label: 'only' }],
          codes: [
            { code: 'a', label: 'ay' },
            { code: 'a,b', label: 'comma' },
            { code: 'b', label: 'bee' },
          ],
        },
      },
    });
  });
});

describe('one SQL statement per root field', () => {
  const query = `{
    a: articles(sort: ["id"]) { id author { name } comments { body } tags { tags_id { name } } blocks { item { ... on headings { title } } } }
    b: authors { id articles { id } }
    c: articles_aggregated(groupBy: ["status"]) { count { id } }
  }`;

  it('as admin: three root fields, three statements, however deep the selection', async () => {
    await gql(query); // warm: nothing below is a first-time cost
    expect(await t.countStatements(() => gql(query))).toBe(3);
    expect(await t.countStatements(() => gql('{ articles_by_id(id: 1) { id comments { id } } }'))).toBe(1);
  });

  it('as a role with an item filter: one statement per root field too', async () => {
    const q = '{ articles { id author { name } } authors { name } }';
    await gql(q, undefined, reader.auth);
    expect(await t.countStatements(() => gql(q, undefined, reader.auth))).toBe(2);
  });
});

describe('the fast path of reads', () => {
  /** Answers of both paths: the fast one (JSON text spliced) and the general one (graphql-js completion). */
  async function both(query: string, variables?: Record<string, unknown>, auth: Auth = t.admin) {
    const http = t.app.get(GraphqlHttp);
    const before = http.fastAnswers;
    const fast = await t.http.post('/graphql').set(auth).send({ query, variables });
    const tookFast = http.fastAnswers - before;
    http.fastReads = false;
    try {
      const general = await t.http.post('/graphql').set(auth).send({ query, variables });
      return { fast: fast.body as unknown, general: general.body as unknown, tookFast, status: fast.status };
    } finally {
      http.fastReads = true;
    }
  }

  it.each([
    [
      'read scenario b',
      '{ articles(limit: 100) { id title author { name } comments { body } tags { tags_id { name } } } }',
    ],
    [
      'aliases at the root item, arguments, variables, fragments, @skip, every same-value scalar type',
      `query ($s: String, $no: Boolean!) {
        a: articles(filter: {status: {_eq: $s}}, sort: ["-id"]) {
          key: id ...F views @skip(if: $no)
          author { id name email born }
          comments(sort: ["-id"], limit: 1) { id body created }
        }
      }
      fragment F on articles { title published_at created_on day starts big featured uid }`,
    ],
    [
      'by_id and an M2M with its junction keys',
      '{ articles_by_id(id: 1) { id title tags { id tags_id { id name } } } }',
    ],
    ['string and uuid keys', '{ tokens { id label } codes(sort: ["code"]) { code label } }'],
    ['an O2M back to the root collection', '{ authors(sort: ["id"]) { id name articles { id title } } }'],
    [
      'filters, search and sorts on integer keys, several root fields',
      `{
        articles(filter: {id: {_in: [1, 2, 5]}}, sort: ["-id"]) { id }
        found: articles(search: "2", sort: ["id"]) { id title }
        authors(filter: {articles: {id: {_gt: 1}}}, sort: ["-id"]) { id articles(filter: {id: {_neq: 2}}) { id } }
      }`,
    ],
  ])('%s: the same answer as the general path, key order included', async (_name, query) => {
    const { fast, general, tookFast, status } = await both(query, { s: 'published', no: true });
    expect(status).toBe(200);
    expect(tookFast).toBe(1);
    expect(JSON.stringify(fast)).toBe(JSON.stringify(general));
  });

  it('for a role: its rows and fields, the same answer', async () => {
    const { fast, general, tookFast } = await both('{ articles(sort: ["id"]) { id title } }', undefined, reader.auth);
    expect(tookFast).toBe(1);
    expect(fast).toEqual({
      data: {
        articles: [
          { id: '1', title: 'Hello World' },
          { id: '2', title: 'Second Post' },
          { id: '5', title: 'alpha' },
        ],
      },
    });
    expect(JSON.stringify(fast)).toBe(JSON.stringify(general));
  });

  it.each([
    ['__typename', '{ articles { id __typename } }'],
    ['a decimal (a string in REST)', '{ articles { rating } }'],
    ['a json field', '{ articles { data } }'],
    ['an M2A union', '{ articles { blocks { item { ... on headings { title } } } } }'],
    ['a function field', '{ articles { published_at_func { year } } }'],
    ['an alias below the root item', '{ articles { author { n: name } } }'],
    ['an aggregate', '{ articles_aggregated { countAll } }'],
    ['a singleton', '{ site { theme } }'],
    ['a missing row (FORBIDDEN)', '{ articles_by_id(id: 999) { id } }'],
    ['a key out of the column range (FORBIDDEN)', '{ articles_by_id(id: 99999999999) { id } }'],
  ])('%s takes the general path', async (_name, query) => {
    const { fast, general, tookFast } = await both(query);
    expect(tookFast).toBe(0);
    expect(fast).toEqual(general);
  });
});

describe('errors (spec 9)', () => {
  it('syntax and validation errors are HTTP 400 GRAPHQL_VALIDATION in the REST envelope', async () => {
    expect(await gql('{ articles { id }')).toEqual(
      validation({ message: 'Syntax Error: Expected Name, found <EOF>.', line: 1, column: 18 }),
    );
    expect(await gql('{ articles { nope } }')).toEqual(
      validation({ message: 'Cannot query field "nope" on type "articles".', line: 1, column: 14 }),
    );
    expect(await gql('{ nope { id } }')).toEqual(
      validation({ message: 'Cannot query field "nope" on type "Query".', line: 1, column: 3 }),
    );
    expect(await gql('query($id: ID!) { articles_by_id(id: $id) { id } }', { id: { a: 1 } })).toEqual(
      validation({
        message: 'Variable "$id" got invalid value { a: 1 }; ID cannot represent value: { a: 1 }',
        line: 1,
        column: 7,
      }),
    );
  });

  it('resolver errors are HTTP 200 with data and errors[].extensions (code and the Directus fields)', async () => {
    expect(await gql('{ articles(limit: -2) { id } site { site_name } }')).toEqual({
      status: 200,
      body: {
        data: null,
        errors: [
          {
            message: 'Invalid query. "limit" must be greater than or equal to -1.',
            locations: [{ line: 1, column: 3 }],
            path: ['articles'],
            extensions: { code: 'INVALID_QUERY', reason: '"limit" must be greater than or equal to -1' },
          },
        ],
      },
    });
    expect(await gql('{ articles_by_id(id: 1) { comments(filter: {body: {_in: []}}) { id } } }')).toEqual({
      status: 200,
      body: {
        data: { articles_by_id: null },
        errors: [
          {
            message: 'Invalid query. "_in" has to be an array of values.',
            locations: [{ line: 1, column: 3 }],
            path: ['articles_by_id'],
            extensions: { code: 'INVALID_QUERY', reason: '"_in" has to be an array of values' },
          },
        ],
      },
    });
  });

  it('only GET and POST; a mutation over GET is 405; a missing query is 400 INVALID_PAYLOAD', async () => {
    const put = await t.http.put('/graphql').set(t.admin).send({ query: '{ articles { id } }' });
    expect({ status: put.status, body: put.body }).toEqual({
      status: 405,
      body: {
        errors: [
          {
            message: 'Invalid method "PUT" used. Should be one of "GET", "POST".',
            extensions: { code: 'METHOD_NOT_ALLOWED', allowed: ['GET', 'POST'], current: 'PUT' },
          },
        ],
      },
    });
    const get = await t.http
      .get('/graphql')
      .query({ query: 'mutation { delete_articles_item(id: 1) { id } }' })
      .set(t.admin);
    expect({ status: get.status, body: get.body }).toEqual({
      status: 405,
      body: {
        errors: [
          {
            message: 'Invalid method "GET" used. Should be one of "POST".',
            extensions: { code: 'METHOD_NOT_ALLOWED', allowed: ['POST'], current: 'GET' },
          },
        ],
      },
    });
    const missing = {
      status: 400,
      body: {
        errors: [
          {
            message: 'Invalid payload. Must provide query string.',
            extensions: { code: 'INVALID_PAYLOAD', reason: 'Must provide query string' },
          },
        ],
      },
    };
    const post = await t.http.post('/graphql').set(t.admin).send({ variables: {} });
    expect({ status: post.status, body: post.body }).toEqual(missing);
    const bare = await t.http.get('/graphql/system').set(t.admin);
    expect({ status: bare.status, body: bare.body }).toEqual(missing);
    const badVariables = await t.http.get('/graphql').query({ query: '{ site { theme } }', variables: '{' });
    expect({ status: badVariables.status, body: badVariables.body }).toEqual({
      status: 400,
      body: {
        errors: [
          {
            message: 'Invalid query. Variables are invalid JSON.',
            extensions: { code: 'INVALID_QUERY', reason: 'Variables are invalid JSON' },
          },
        ],
      },
    });
  });

  it('a bad token is the REST 401, as for any route', async () => {
    expect(await gql('{ site { theme } }', undefined, { Authorization: 'Bearer nope' })).toEqual({
      status: 401,
      body: { errors: [{ message: 'Invalid user credentials.', extensions: { code: 'INVALID_CREDENTIALS' } }] },
    });
  });

  it('GRAPHQL_QUERY_TOKEN_LIMIT, GRAPHQL_QUERY_DEPTH_LIMIT and GRAPHQL_INTROSPECTION=false', async () => {
    const limited = await createTestApp({
      GRAPHQL_QUERY_TOKEN_LIMIT: '12',
      GRAPHQL_QUERY_DEPTH_LIMIT: '3',
      GRAPHQL_INTROSPECTION: 'false',
    });
    try {
      await createReadsSchema(limited);
      const send = async (query: string) => {
        const res = await limited.http.post('/graphql').set(limited.admin).send({ query });
        return { status: res.status, body: res.body as unknown };
      };
      expect(await send('{ articles { id title author { name } } }')).toEqual({
        status: 200,
        body: { data: { articles: [] } },
      });
      expect(await send('{ articles { id title body status views author { name } } }')).toEqual(
        // graphql-js's own wording (sic)
        validation({
          message: 'Syntax Error: Document contains more that 12 tokens. Parsing aborted.',
          line: 1,
          column: 57,
        }),
      );
      expect(await send('{ articles { author { articles { id } } } }')).toEqual(
        validation({ message: 'The query exceeds the maximum depth of 3.', line: 1, column: 1 }),
      );
      expect(await send('{ __type(name: "articles") { name } }')).toEqual(
        validation({
          message: 'GraphQL introspection has been disabled, but the requested query contained the field "__type".',
          line: 1,
          column: 3,
        }),
      );
    } finally {
      await limited.close();
    }
  });

  it('introspection is on by default and within the depth limit', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const res = await gql(getIntrospectionQuery());
    expect(res.status).toBe(200);
    const types = (res.body as { data: { __schema: { types: { name: string }[] } } }).data.__schema.types;
    expect(types.map((type) => type.name)).toEqual(
      expect.arrayContaining(['articles', 'articles_filter', 'articles_aggregated', 'create_articles_input']),
    );
  });
});

describe('per-role schemas', () => {
  it('a role reads the rows and fields its permissions allow', async () => {
    expect(await gql('{ articles(sort: ["id"]) { id title author { name } } }', undefined, reader.auth)).toEqual({
      status: 200,
      body: {
        data: {
          articles: [
            { id: '1', title: 'Hello World', author: { name: 'Ann' } },
            { id: '2', title: 'Second Post', author: { name: 'Bob' } },
            { id: '5', title: 'alpha', author: { name: 'Cy' } },
          ],
        },
      },
    });
  });

  it('a field or collection the role cannot read is absent: asking for it is a validation error', async () => {
    expect(await gql('{ articles { id body } }', undefined, reader.auth)).toEqual(
      validation({ message: 'Cannot query field "body" on type "articles".', line: 1, column: 17 }),
    );
    expect(await gql('{ comments { id } }', undefined, reader.auth)).toEqual(
      validation({ message: 'Cannot query field "comments" on type "Query".', line: 1, column: 3 }),
    );
    expect(await gql('{ articles { id comments { id } } }', undefined, reader.auth)).toEqual(
      validation({ message: 'Cannot query field "comments" on type "articles".', line: 1, column: 17 }),
    );
    // Nothing readable at all (the public role): only `_empty`.
    expect(await gql('{ articles { id } }', undefined, {})).toEqual(
      validation({ message: 'Cannot query field "articles" on type "Query".', line: 1, column: 3 }),
    );
    expect(await gql('{ _empty }', undefined, {})).toEqual({ status: 200, body: { data: { _empty: null } } });
  });

  it('a collection the role may create but not read: the mutation answers Boolean true', async () => {
    expect(await gql('mutation { create_tags_item(data: {name: "hidden"}) }', undefined, reader.auth)).toEqual({
      status: 200,
      body: { data: { create_tags_item: true } },
    });
    expect(await gql('mutation { delete_tags_item(id: 1) { id } }', undefined, reader.auth)).toEqual(
      validation({
        message:
          'Cannot query field "delete_tags_item" on type "Mutation". Did you mean "create_tags_item" or "create_tags_items"?',
        line: 1,
        column: 12,
      }),
    );
    const [row] = (await t.db.client.query(`SELECT name FROM tags WHERE name = 'hidden'`)).rows;
    expect(row).toEqual({ name: 'hidden' });
  });

  it('the same role gets one cached schema; another role gets its own', async () => {
    const schemas = t.app.get(GraphqlSchemas);
    await gql('{ articles { id } }', undefined, reader.auth);
    const before = schemas.builds;
    await gql('{ articles { title } }', undefined, reader.auth);
    await gql('{ articles { id } }');
    expect(schemas.builds).toBe(before);
  });
});

describe('/graphql/system', () => {
  it('users, roles, policies, permissions, users_me, server_info and server_ping', async () => {
    expect(
      await gql(
        `{
          users(filter: {email: {_eq: "${ADMIN_EMAIL}"}}) { email role { name } }
          roles(filter: {name: {_eq: "Administrator"}}) { name }
          policies(filter: {id: {_eq: "${reader.policies[0]}"}}) { admin_access app_access }
          permissions(filter: {policy: {id: {_eq: "${reader.policies[0]}"}}}, sort: ["collection"]) { collection action fields }
          users_me { email }
          server_info { project { project_name } }
          server_ping
        }`,
        undefined,
        t.admin,
        '/graphql/system',
      ),
    ).toEqual({
      status: 200,
      body: {
        data: {
          users: [{ email: ADMIN_EMAIL, role: { name: 'Administrator' } }],
          roles: [{ name: 'Administrator' }],
          policies: [{ admin_access: false, app_access: false }],
          permissions: [
            { collection: 'articles', action: 'read', fields: ['id', 'title', 'author', 'status'] },
            { collection: 'authors', action: 'read', fields: ['id', 'name'] },
            { collection: 'tags', action: 'create', fields: ['*'] },
          ],
          users_me: { email: ADMIN_EMAIL },
          server_info: { project: { project_name: 'Tessera' } },
          server_ping: 'pong',
        },
      },
    });
  });

  it('auth_login, users_me with the token, auth_refresh, auth_logout; a dead refresh token is INVALID_CREDENTIALS', async () => {
    const login = await gql(
      `mutation { auth_login(email: "${ADMIN_EMAIL}", password: "${ADMIN_PASSWORD}") { access_token refresh_token expires } }`,
      undefined,
      {},
      '/graphql/system',
    );
    const tokens = (login.body as { data: { auth_login: Record<string, string> } }).data.auth_login;
    expect(login).toEqual({
      status: 200,
      body: {
        data: {
          auth_login: { access_token: expect.any(String), refresh_token: expect.any(String), expires: '900000' },
        },
      },
    });
    const bearer = { Authorization: `Bearer ${tokens.access_token}` };
    expect(await gql('{ users_me { email } }', undefined, bearer, '/graphql/system')).toEqual({
      status: 200,
      body: { data: { users_me: { email: ADMIN_EMAIL } } },
    });
    const refreshed = await gql(
      `mutation { auth_refresh(refresh_token: "${tokens.refresh_token}") { access_token refresh_token } }`,
      undefined,
      {},
      '/graphql/system',
    );
    const next = (refreshed.body as { data: { auth_refresh: Record<string, string> } }).data.auth_refresh;
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect(
      await gql(`mutation { auth_logout(refresh_token: "${next.refresh_token}") }`, undefined, {}, '/graphql/system'),
    ).toEqual({ status: 200, body: { data: { auth_logout: true } } });
    expect(
      await gql(
        `mutation { auth_refresh(refresh_token: "${next.refresh_token}") { access_token } }`,
        undefined,
        {},
        '/graphql/system',
      ),
    ).toEqual({
      status: 200,
      body: {
        data: { auth_refresh: null },
        errors: [
          {
            message: 'Invalid user credentials.',
            locations: [{ line: 1, column: 12 }],
            path: ['auth_refresh'],
            extensions: { code: 'INVALID_CREDENTIALS' },
          },
        ],
      },
    });
  });

  it('system collections are not on /graphql, user collections not on /graphql/system', async () => {
    expect(await gql('{ users { id } }')).toEqual(
      validation({ message: 'Cannot query field "users" on type "Query".', line: 1, column: 3 }),
    );
    expect(await gql('{ articles { id } }', undefined, t.admin, '/graphql/system')).toEqual(
      validation({
        message: 'Cannot query field "articles" on type "Query". Did you mean "policies" or "roles"?',
        line: 1,
        column: 3,
      }),
    );
  });
});

describe("@directus/sdk's graphql() composable, unchanged", () => {
  let url: string;

  beforeAll(async () => {
    await t.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });

  it('queries, a mutation with variables, the system scope, and an error', async () => {
    const client = createDirectus(url).with(graphql()).with(staticToken(ADMIN_TOKEN));
    expect(await client.query('query { articles(sort: ["id"], limit: 2) { id title } }')).toEqual({
      articles: [
        { id: '1', title: 'Hello World' },
        { id: '2', title: 'Second Post' },
      ],
    });
    expect(
      await client.query('mutation ($data: create_tags_input!) { create_tags_item(data: $data) { name } }', {
        data: { name: 'from-sdk' },
      }),
    ).toEqual({ create_tags_item: { name: 'from-sdk' } });
    expect(
      await client.query(`{ users(filter: {email: {_eq: "${ADMIN_EMAIL}"}}) { email } }`, undefined, 'system'),
    ).toEqual({
      users: [{ email: ADMIN_EMAIL }],
    });
    await expect(client.query('{ nope }')).rejects.toMatchObject({
      errors: [
        {
          message: 'GraphQL validation error.',
          extensions: {
            code: 'GRAPHQL_VALIDATION',
            errors: [{ message: 'Cannot query field "nope" on type "Query".', locations: [{ line: 1, column: 3 }] }],
          },
        },
      ],
      response: expect.objectContaining({ status: 400 }),
    });
  });
});
