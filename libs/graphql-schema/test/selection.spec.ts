import { parse, subscribe, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { buildGraphqlSchema, selectionToQuery, translateSelection, type GraphqlItemsQuery } from '@lib/graphql-schema';
import { InvalidQueryError } from '@lib/errors';
import { items, system } from './fixtures';
import { accept, queryOf, run } from './helpers';

/** Translates and checks that libs/query accepts the result exactly as it would a REST query. */
function translated(source: string, variables?: Record<string, unknown>, collection = 'articles'): GraphqlItemsQuery {
  const query = queryOf(items, source, variables);
  accept(items, collection, query);
  return query;
}

describe('selectionToQuery: fields', () => {
  it('lists the selected fields', () => {
    expect(translated('{ articles { id title status } }')).toEqual({ fields: ['id', 'title', 'status'] });
  });

  it('passes the root arguments as query parameters', () => {
    expect(
      translated(
        '{ articles(filter: {status: {_eq: "published"}}, sort: ["-id", "title"], limit: 2, offset: 1, page: 3, search: "x") { id } }',
      ),
    ).toEqual({
      filter: { status: { _eq: 'published' } },
      sort: ['-id', 'title'],
      limit: 2,
      offset: 1,
      page: 3,
      search: 'x',
      fields: ['id'],
    });
  });

  it('leaves out null arguments', () => {
    expect(translated('{ articles(limit: null, filter: null) { id } }')).toEqual({ fields: ['id'] });
  });

  it('follows M2O, O2M and M2M relations as dotted paths', () => {
    expect(translated('{ articles { title author { name } comments { body } tags { tags_id { name } } } }')).toEqual({
      fields: ['title', 'author.name', 'comments.body', 'tags.tags_id.name'],
    });
  });

  it('fetches the key of a relation that selects only __typename', () => {
    expect(translated('{ articles { __typename id author { __typename } comments { __typename } } }')).toEqual({
      fields: ['id', 'author.id', 'comments.id'],
    });
  });

  it('turns <field>_func selections into function fields, at any depth', () => {
    expect(
      translated(
        '{ articles { published_at_func { year month __typename } comments_func { count } data_func { count } author { born_func { year } } comments { created_func { hour } } } }',
      ),
    ).toEqual({
      fields: [
        'year(published_at)',
        'month(published_at)',
        'count(comments)',
        'count(data)',
        'author.year(born)',
        'comments.hour(created)',
      ],
    });
  });
});

describe('selectionToQuery: json(path) of json fields', () => {
  it('turns each json(path) into json(field, path), aliases and variables included, below relations too', () => {
    expect(
      translated(
        'query($p: String!) { articles { data_func { count a: json(path: "size.w") b: json(path: $p) c: json(path: " size.w ") } author { id } } }',
        { p: 'tags[1]' },
      ),
    ).toEqual({ fields: ['count(data)', 'json(data, size.w)', 'json(data, tags[1])', 'author.id'] });
  });
});

describe('selectionToQuery: relational arguments become deep', () => {
  it('maps filter, sort, limit, offset, page and search of relational fields', () => {
    expect(
      translated(`{ articles {
        comments(filter: {body: {_contains: "N"}}, sort: ["-id"], limit: 1, offset: 2, page: 1, search: "e") { body }
        author(filter: {name: {_eq: "Ada"}}) { name }
      } }`),
    ).toEqual({
      fields: ['comments.body', 'author.name'],
      deep: {
        comments: {
          _filter: { body: { _contains: 'N' } },
          _sort: ['-id'],
          _limit: 1,
          _offset: 2,
          _page: 1,
          _search: 'e',
        },
        author: { _filter: { name: { _eq: 'Ada' } } },
      },
    });
  });

  it('nests deep entries along the path', () => {
    expect(translated('{ articles { comments(limit: 1) { article { comments(limit: 2) { id } } } } }')).toEqual({
      fields: ['comments.article.comments.id'],
      deep: { comments: { _limit: 1, article: { comments: { _limit: 2 } } } },
    });
  });

  it('converts relational filters of deep too', () => {
    expect(
      translated(
        '{ authors { articles(filter: {published_at_func: {year: {_eq: 2024}}}) { id } } }',
        undefined,
        'authors',
      ),
    ).toEqual({
      fields: ['articles.id'],
      deep: { articles: { _filter: { 'year(published_at)': { _eq: 2024 } } } },
    });
  });
});

describe('selectionToQuery: aliases', () => {
  it('maps root aliases to Directus alias, relations with their own deep', () => {
    expect(
      translated(
        '{ articles { id t: title recent: comments(limit: 1, sort: ["-id"]) { body } all: comments { id } } }',
      ),
    ).toEqual({
      fields: ['id', 't', 'recent.body', 'all.id'],
      alias: { t: 'title', recent: 'comments', all: 'comments' },
      deep: { recent: { _limit: 1, _sort: ['-id'] } },
    });
  });

  it('handles swapped aliases at the root', () => {
    expect(translated('{ articles { title: body body: title } }')).toEqual({
      fields: ['title', 'body'],
      alias: { title: 'body', body: 'title' },
    });
  });

  it('merges aliases of one relation below the root when their arguments agree', () => {
    expect(
      translated(
        '{ authors { articles { a: comments(limit: 2) { id } b: comments(limit: 2) { body } x: title } } }',
        undefined,
        'authors',
      ),
    ).toEqual({
      fields: ['articles.comments.id', 'articles.comments.body', 'articles.title'],
      deep: { articles: { comments: { _limit: 2 } } },
    });
  });

  it('refuses aliases of one relation with different arguments below the root', () => {
    const { result } = run(items, '{ authors { articles { a: comments(limit: 1) { id } b: comments { id } } } }');
    expect(result.errors?.map((e) => [e.message, e.originalError instanceof InvalidQueryError])).toEqual([
      ['Invalid query. Aliases of "comments" in "articles" must share their arguments below the root.', true],
    ]);
  });
});

describe('selectionToQuery: fragments, variables, directives', () => {
  it('expands named and inline fragments', () => {
    const source = `
      query { articles { ...Article ... on articles { status } ... { body } } }
      fragment Article on articles { id author { ...Author } }
      fragment Author on authors { name }`;
    expect(translated(source)).toEqual({ fields: ['id', 'author.name', 'status', 'body'] });
  });

  it('reads variables in arguments, nested filters and deep', () => {
    const source = `query($n: Int, $f: articles_filter, $s: String, $title: String) {
      articles(limit: $n, filter: $f) { comments(search: $s, filter: {body: {_eq: $title}}) { id } }
    }`;
    expect(
      translated(source, {
        n: 3,
        f: { _and: [{ views: { _gt: 10 } }, { uid: { _null: true } }] },
        s: 'Hi',
        title: 'Nice',
      }),
    ).toEqual({
      limit: 3,
      filter: { _and: [{ views: { _gt: 10 } }, { uid: { _null: true } }] },
      fields: ['comments.id'],
      deep: { comments: { _search: 'Hi', _filter: { body: { _eq: 'Nice' } } } },
    });
  });

  it('applies @include and @skip on fields, fragment spreads and inline fragments', () => {
    const source = `query($yes: Boolean!, $no: Boolean!) {
      articles {
        id
        title @include(if: $no)
        body @skip(if: $no)
        status @skip(if: $yes)
        views @include(if: true)
        ... on articles @include(if: $no) { rating }
        ...Extra @skip(if: $yes)
        ...More @include(if: $yes)
        author @skip(if: $yes) { name }
      }
    }
    fragment Extra on articles { big }
    fragment More on articles { uid }`;
    expect(translated(source, { yes: true, no: false })).toEqual({ fields: ['id', 'body', 'views', 'uid'] });
  });

  it('coerces values through their input types (BigInt stays an exact string)', () => {
    expect(translated('{ articles(filter: {big: {_eq: "9007199254740993"}, views: {_in: [1, "2"]}}) { id } }')).toEqual(
      {
        filter: { big: { _eq: '9007199254740993' }, views: { _in: [1, '2'] } },
        fields: ['id'],
      },
    );
  });

  it('keeps dynamic variables for sanitizeQuery to resolve', () => {
    expect(
      translated('{ articles(filter: {published_at: {_lte: "$NOW(-1 year)"}, uid: {_eq: "$CURRENT_USER"}}) { id } }'),
    ).toEqual({ filter: { published_at: { _lte: '$NOW(-1 year)' }, uid: { _eq: '$CURRENT_USER' } }, fields: ['id'] });
  });
});

describe('selectionToQuery: M2A', () => {
  it('scopes union members with item:<collection> and selects the collection field', () => {
    const source = `{ articles { blocks { id item { __typename ... on headings { title } ...P } } } }
      fragment P on paragraphs { body }`;
    expect(translated(source)).toEqual({
      fields: ['blocks.id', 'blocks.collection', 'blocks.item:headings.title', 'blocks.item:paragraphs.body'],
    });
  });

  it('fetches the raw key when only __typename is asked', () => {
    expect(translated('{ articles { blocks { item { __typename } } } }')).toEqual({
      fields: ['blocks.collection', 'blocks.item'],
    });
  });

  it('fetches the key of a member that selects only __typename, and follows relations inside members', () => {
    expect(
      translated(
        '{ articles_blocks { item { ... on headings { __typename } } articles_id { title } } }',
        undefined,
        'articles_blocks',
      ),
    ).toEqual({
      fields: ['collection', 'item:headings.id', 'articles_id.title'],
    });
  });

  it('aliases an M2A field at the root', () => {
    expect(
      translated('{ articles_blocks { thing: item { ... on headings { title } } } }', undefined, 'articles_blocks'),
    ).toEqual({ fields: ['collection', 'thing:headings.title'], alias: { thing: 'item' } });
  });
});

describe('selectionToQuery: filters', () => {
  it('converts _func keys, M2A keys, quantifiers and logical groups', () => {
    const source = `{ articles(filter: {
      published_at_func: {year: {_eq: 2024}, month: {_in: [1, 2]}},
      blocks: {item__headings: {title: {_eq: "Intro"}}},
      comments: {_some: {body: {_eq: "x"}}, _none: {created_func: {hour: {_lt: 3}}}},
      _or: [{author: {name: {_eq: "Ada"}, articles_func: {count: {_gt: 1}}}}, {comments_func: {count: {_gt: 1}}}]
    }) { id } }`;
    expect(translated(source).filter).toEqual({
      'year(published_at)': { _eq: 2024 },
      'month(published_at)': { _in: [1, 2] },
      blocks: { 'item:headings': { title: { _eq: 'Intro' } } },
      comments: { _some: { body: { _eq: 'x' } }, _none: { 'hour(created)': { _lt: 3 } } },
      _or: [{ author: { name: { _eq: 'Ada' }, 'count(articles)': { _gt: 1 } } }, { 'count(comments)': { _gt: 1 } }],
    });
  });

  it('passes _json on json fields through as the filter REST compiles, beside _null (dotted paths in variables)', () => {
    const source = `query($j: GraphQLJsonFilter) { articles(filter: {
      data: {_json: {color: {_eq: "red"}, _or: [{n: {_null: true}}]}},
      _and: [{data: {_nnull: true}}, {data: {_json: $j}}]
    }) { id } }`;
    const j = { 'size.w': { _gt: 2 }, _or: [{ 'tags[0]': { _eq: 'x' } }] };
    expect(translated(source, { j }).filter).toEqual({
      data: { _json: { color: { _eq: 'red' }, _or: [{ n: { _null: true } }] } },
      _and: [{ data: { _nnull: true } }, { data: { _json: j } }],
    });
  });

  it('returns plain objects (graphql-js gives null-prototype ones)', () => {
    const filter = translated('{ articles(filter: {title: {_eq: "a"}}) { id } }').filter!;
    expect(Object.getPrototypeOf(filter)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(filter.title)).toBe(Object.prototype);
  });
});

describe('selectionToQuery: aggregates', () => {
  it('builds aggregate and groupBy from the selected functions', () => {
    const source = `{ articles_aggregated(groupBy: ["status", "year(published_at)"], filter: {views: {_gt: 1}}, limit: 5, sort: ["status"]) {
      __typename group countAll count { id title } countDistinct { author } sum { views } avg { views rating }
      a: min { views } b: min { rating } max { __typename big }
    } }`;
    const query = queryOf(items, source);
    expect(query).toEqual({
      filter: { views: { _gt: 1 } },
      sort: ['status'],
      limit: 5,
      groupBy: ['status', 'year(published_at)'],
      aggregate: {
        countAll: ['*'],
        count: ['id', 'title'],
        countDistinct: ['author'],
        sum: ['views'],
        avg: ['views', 'rating'],
        min: ['views', 'rating'],
        max: ['big'],
      },
    });
    accept(items, 'articles', query);
  });

  it('aggregates without groupBy', () => {
    expect(queryOf(items, '{ comments_aggregated { countAll } }')).toEqual({ aggregate: { countAll: ['*'] } });
  });

  it('stays an aggregate query when only group or __typename is selected', () => {
    expect(queryOf(items, '{ comments_aggregated(groupBy: ["article"]) { group } }')).toEqual({
      groupBy: ['article'],
      aggregate: { countAll: ['*'] },
    });
    expect(queryOf(items, '{ comments_aggregated { __typename } }')).toEqual({ aggregate: { countAll: ['*'] } });
  });
});

describe('selectionToQuery: every root operation', () => {
  it('reads one item (by_id) and singletons', () => {
    const { captured } = run(items, '{ articles_by_id(id: 4) { title } settings { site_name } }');
    expect(captured.map((c) => [c.operation.kind, c.args, c.query])).toEqual([
      ['by_id', { id: '4' }, { fields: ['title'] }],
      ['singleton', {}, { fields: ['site_name'] }],
    ]);
  });

  it('re-reads what mutations select, and hands over plain data', () => {
    const { captured } = run(
      items,
      `mutation {
        create_articles_item(data: {title: "x", author: {name: "Ann"}, comments: [{body: "c"}]}) { id author { name } }
        create_articles_items(data: [{title: "a"}], limit: 1) { id }
        update_articles_items(ids: [1, 2], data: {title: "y"}, filter: {views: {_gt: 1}}) { title }
        update_articles_batch(data: [{id: 1, title: "z"}]) { id }
        update_articles_item(id: 1, data: {big: "12"}) { big }
        update_settings(data: {site_name: "S"}) { site_name }
        delete_articles_items(ids: [1, 2]) { ids }
        delete_articles_item(id: 3) { id }
      }`,
    );
    expect(captured.map((c) => [c.operation.kind, c.args, c.query])).toEqual([
      [
        'create_item',
        { data: { title: 'x', author: { name: 'Ann' }, comments: [{ body: 'c' }] } },
        { fields: ['id', 'author.name'] },
      ],
      ['create_items', { data: [{ title: 'a' }], limit: 1 }, { limit: 1, fields: ['id'] }],
      [
        'update_items',
        { ids: ['1', '2'], data: { title: 'y' }, filter: { views: { _gt: 1 } } },
        { filter: { views: { _gt: 1 } }, fields: ['title'] },
      ],
      ['update_batch', { data: [{ id: '1', title: 'z' }] }, { fields: ['id'] }],
      ['update_item', { id: '1', data: { big: '12' } }, { fields: ['big'] }],
      ['update_singleton', { data: { site_name: 'S' } }, { fields: ['site_name'] }],
      ['delete_items', { ids: ['1', '2'] }, {}],
      ['delete_item', { id: '3' }, {}],
    ]);
    expect(Object.getPrototypeOf(captured[0]!.args.data)).toBe(Object.prototype);
  });

  it('reads nothing back for mutations returning Boolean', () => {
    const { captured } = run(items, 'mutation { create_tags_item(data: {name: "n"}) }', {
      permissions: (collection, action) => (collection === 'tags' && action === 'create' ? { fields: '*' } : null),
    });
    expect(captured.map((c) => [c.operation, c.query])).toEqual([
      [{ kind: 'create_item', collection: 'tags', returnsItems: false }, {}],
    ]);
  });

  it('translates system root fields', () => {
    const { captured } = run(
      system,
      `{ users_me { email role { name } } users(filter: {role: {name: {_eq: "x"}}}) { id } roles_me { name } server_info { project { project_name } } }`,
      { scope: 'system' },
    );
    expect(captured.map((c) => [c.operation.kind, c.query])).toEqual([
      ['users_me', { fields: ['email', 'role.name'] }],
      ['items', { filter: { role: { name: { _eq: 'x' } } }, fields: ['id'] }],
      ['roles_me', { fields: ['name'] }],
      ['server_info', {}],
    ]);
    accept(system, 'directus_users', captured[0]!.query);
    const login = run(system, 'mutation { auth_login(email: "a@b.c", password: "p", mode: json) { access_token } }', {
      scope: 'system',
    }).captured;
    expect(login.map((c) => [c.operation.kind, c.args, c.query])).toEqual([
      ['auth_login', { email: 'a@b.c', password: 'p', mode: 'json' }, {}],
    ]);
  });

  it('translates the data selection of a subscription, without aliases', async () => {
    const queries: GraphqlItemsQuery[] = [];
    const schema = buildGraphqlSchema(items, {
      scope: 'items',
      subscribe: (operation, args, _context, info) => {
        queries.push(selectionToQuery(info));
        expect([operation.kind, args]).toEqual(['mutated', { event: 'create' }]);
        return (async function* () {})();
      },
    });
    const document = parse(
      'subscription { articles_mutated(event: create) { key event data { id t: title author { name } } } }',
    );
    await subscribe({ schema, document });
    expect(queries).toEqual([{ fields: ['id', 'title', 'author.name'] }]);
  });
});

describe('json(path) beyond root reads', () => {
  it('translates json(path) in the data selection of a subscription', async () => {
    const queries: GraphqlItemsQuery[] = [];
    const schema = buildGraphqlSchema(items, {
      scope: 'items',
      subscribe: (_operation, _args, _context, info) => {
        queries.push(selectionToQuery(info));
        return (async function* () {})();
      },
    });
    await subscribe({
      schema,
      document: parse('subscription { articles_mutated { data { id data_func { c: json(path: "a[0].b") } } } }'),
    });
    expect(queries).toEqual([{ fields: ['id', 'json(data, a[0].b)'] }]);
  });

  it('reads the path untyped without a schema (a variable too)', () => {
    const document = parse('query($p: String!) { articles { data_func { json(path: $p) x: json(path: "n") } } }');
    const operation = document.definitions[0] as OperationDefinitionNode;
    const field = operation.selectionSet.selections[0] as FieldNode;
    expect(
      translateSelection({
        fieldNodes: [field],
        fragments: {},
        variables: { p: 'k.l' },
        snapshot: items,
        collection: 'articles',
      }),
    ).toEqual({ fields: ['json(data, k.l)', 'json(data, n)'] });
  });
});

describe('translateSelection without a schema', () => {
  it('reads arguments untyped from the document', () => {
    const document = parse(
      'query($n: Int) { articles(limit: $n, filter: {published_at_func: {year: {_eq: 2024}}}) { a: title comments(limit: 1) { id } } }',
    );
    const operation = document.definitions[0] as OperationDefinitionNode;
    const field = operation.selectionSet.selections[0] as FieldNode;
    expect(
      translateSelection({
        fieldNodes: [field],
        fragments: {},
        variables: { n: 7 },
        snapshot: items,
        collection: 'articles',
      }),
    ).toEqual({
      limit: 7,
      filter: { 'year(published_at)': { _eq: 2024 } },
      fields: ['a', 'comments.id'],
      alias: { a: 'title' },
      deep: { comments: { _limit: 1 } },
    });
  });

  it('passes fields unknown to the view on, for the query layer to refuse as for REST', () => {
    const document = parse('{ articles { nope } }');
    const field = (document.definitions[0] as OperationDefinitionNode).selectionSet.selections[0] as FieldNode;
    expect(
      translateSelection({
        fieldNodes: [field],
        fragments: {},
        variables: {},
        snapshot: items,
        collection: 'articles',
      }),
    ).toEqual({ fields: ['nope'] });
  });
});
