import { buildGraphqlSchema, readField, groupResolver, toPlain } from '@lib/graphql-schema';
import { executeSync, parse } from 'graphql';
import { items } from './fixtures';
import { run } from './helpers';

/**
 * Result shaping: the root resolver returns the items service's JSON for the translated query (REST's data), and
 * the field-level resolvers turn it into the GraphQL answer (spec 9 with spec 15's value corrections).
 */
describe('results', () => {
  it('serialises keys as strings, decimal as Float, bigInteger as a string, csv as a list', () => {
    const { result } = run(items, '{ articles { id views rating big labels data featured published_at starts } }', {
      data: {
        articles: [
          {
            id: 1,
            views: 100,
            rating: '1000.50',
            big: '9007199254740993',
            labels: ['a', 'b'],
            data: [1, 2, 3],
            featured: true,
            published_at: '2024-03-01T10:00:00',
            starts: '09:30:00',
          },
        ],
      },
    });
    expect(result).toEqual({
      data: {
        articles: [
          {
            id: '1',
            views: 100,
            rating: 1000.5,
            big: '9007199254740993',
            labels: ['a', 'b'],
            data: [1, 2, 3],
            featured: true,
            published_at: '2024-03-01T10:00:00',
            starts: '09:30:00',
          },
        ],
      },
    });
  });

  it('reads root aliases under their alias key, and merged nested aliases under the field name', () => {
    const { result, captured } = run(
      items,
      `{ articles { t: title title: body recent: comments(limit: 1) { body } all: comments { id }
                    author { a: name b: name } } }`,
      {
        data: {
          // What the items service answers for fields t,title,recent.body,all.id,author.name with that alias map.
          articles: [
            {
              t: 'Hello World',
              title: 'First post',
              recent: [{ body: 'Meh' }],
              all: [{ id: 1 }, { id: 2 }, { id: 3 }],
              author: { name: 'Ada' },
            },
          ],
        },
      },
    );
    expect(captured[0]!.query).toEqual({
      fields: ['t', 'title', 'recent.body', 'all.id', 'author.name'],
      alias: { t: 'title', title: 'body', recent: 'comments', all: 'comments' },
      deep: { recent: { _limit: 1 } },
    });
    expect(result).toEqual({
      data: {
        articles: [
          {
            t: 'Hello World',
            title: 'First post',
            recent: [{ body: 'Meh' }],
            all: [{ id: '1' }, { id: '2' }, { id: '3' }],
            author: { a: 'Ada', b: 'Ada' },
          },
        ],
      },
    });
  });

  it('reads the alias keys of single-item roots (by_id, mutations) too', () => {
    const { result } = run(items, '{ articles_by_id(id: 1) { heading: title } }', {
      data: { articles_by_id: { heading: 'Hello World' } },
    });
    expect(result).toEqual({ data: { articles_by_id: { heading: 'Hello World' } } });
  });

  it('reads json(path) under the key REST gives json(field, path), null when absent', () => {
    const { result } = run(
      items,
      '{ articles { id data_func { count w: json(path: "size.w") t: json(path: "tags[1]") m: json(path: "missing") } } }',
      {
        data: {
          articles: [
            { id: 1, data_count: '2', data_size_w_json: { deep: [1] }, data_tags_1_json: 'y', data_missing_json: null },
            { id: 2, data_count: null, data_size_w_json: 0 },
          ],
        },
      },
    );
    expect(result).toEqual({
      data: {
        articles: [
          { id: '1', data_func: { count: 2, w: { deep: [1] }, t: 'y', m: null } },
          { id: '2', data_func: { count: null, w: 0, t: null, m: null } },
        ],
      },
    });
  });

  it('gathers <field>_func values as integers (REST sends numeric strings)', () => {
    const { result } = run(
      items,
      '{ articles { published_at_func { year month second } comments_func { count } author { born_func { year } } } }',
      {
        data: {
          articles: [
            {
              published_at_year: '2024',
              published_at_month: '3',
              published_at_second: '10.000000',
              comments_count: '3',
              author: { born_year: '1815' },
            },
            {
              published_at_year: null,
              published_at_month: null,
              published_at_second: null,
              comments_count: '0',
              author: null,
            },
          ],
        },
      },
    );
    expect(result).toEqual({
      data: {
        articles: [
          {
            published_at_func: { year: 2024, month: 3, second: 10 },
            comments_func: { count: 3 },
            author: { born_func: { year: 1815 } },
          },
          { published_at_func: { year: null, month: null, second: null }, comments_func: { count: 0 }, author: null },
        ],
      },
    });
  });

  it('answers aggregates as numbers, with the group-by keys in group', () => {
    const { result } = run(
      items,
      `{ grouped: articles_aggregated(groupBy: ["status"]) { group countAll count { id } sum { views } avg { rating } max { views } }
         flat: articles_aggregated { group countAll } }`,
      {
        data: {
          grouped: [
            {
              status: 'published',
              countAll: '3',
              count: { id: '3' },
              sum: { views: '1462' },
              avg: { rating: '2.2500000000000000' },
              max: { views: 1362 },
            },
            {
              status: 'draft',
              countAll: '1',
              count: { id: '1' },
              sum: { views: '5000' },
              avg: { rating: null },
              max: { views: 5000 },
            },
          ],
          flat: [{ countAll: '5' }],
        },
      },
    );
    expect(result).toEqual({
      data: {
        grouped: [
          {
            group: { status: 'published' },
            countAll: 3,
            count: { id: 3 },
            sum: { views: 1462 },
            avg: { rating: 2.25 },
            max: { views: 1362 },
          },
          {
            group: { status: 'draft' },
            countAll: 1,
            count: { id: 1 },
            sum: { views: 5000 },
            avg: { rating: null },
            max: { views: 5000 },
          },
        ],
        flat: [{ group: null, countAll: 5 }],
      },
    });
  });

  it('resolves M2A members from the junction collection field', () => {
    const { result } = run(
      items,
      `{ articles { blocks { id item { __typename ... on headings { id title } ... on paragraphs { body } } } } }`,
      {
        data: {
          articles: [
            {
              blocks: [
                { id: 2, collection: 'paragraphs', item: { body: 'Lorem' } },
                { id: 1, collection: 'headings', item: { id: 1, title: 'Intro' } },
                { id: 4, collection: 'headings', item: null }, // a dangling key reads as null
                { id: 5, collection: 'tags', item: '1' }, // not a member of the union (e.g. unreadable)
              ],
            },
          ],
        },
      },
    );
    expect(result).toEqual({
      data: {
        articles: [
          {
            blocks: [
              { id: '2', item: { __typename: 'paragraphs', body: 'Lorem' } },
              { id: '1', item: { __typename: 'headings', id: '1', title: 'Intro' } },
              { id: '4', item: null },
              { id: '5', item: null },
            ],
          },
        ],
      },
    });
  });

  it('types M2A members that come back as raw keys (only __typename asked)', () => {
    const { result } = run(items, '{ articles_blocks { item { __typename } } }', {
      data: { articles_blocks: [{ collection: 'headings', item: '1' }] },
    });
    expect(result).toEqual({ data: { articles_blocks: [{ item: { __typename: 'headings' } }] } });
  });

  it('reads an aliased M2A field at the root', () => {
    const { result } = run(items, '{ articles_blocks { thing: item { ... on headings { title } } } }', {
      data: { articles_blocks: [{ collection: 'headings', thing: { title: 'Intro' } }] },
    });
    expect(result).toEqual({ data: { articles_blocks: [{ thing: { title: 'Intro' } }] } });
  });

  it('answers delete results and Boolean mutations as the resolver gives them', () => {
    const { result } = run(
      items,
      'mutation { delete_articles_items(ids: [1, 2]) { ids } delete_articles_item(id: 3) { id } }',
      {
        data: { delete_articles_items: { ids: [1, 2] }, delete_articles_item: { id: 3 } },
      },
    );
    expect(result).toEqual({ data: { delete_articles_items: { ids: ['1', '2'] }, delete_articles_item: { id: '3' } } });
  });

  it('reports a non-integer bigInteger value as a field error', () => {
    const { result } = run(items, '{ articles { big } }', { data: { articles: [{ big: 'x' }] } });
    expect(result.errors?.map((e) => e.message)).toEqual(['GraphQLBigInt cannot represent value: "x"']);
  });
});

describe('field resolvers', () => {
  it('readField tolerates non-object sources', () => {
    const info = { path: { key: 'x', prev: undefined, typename: 'T' }, fieldName: 'x' } as never;
    expect(readField(null, {}, null, info)).toBeUndefined();
    expect(readField(5, {}, null, info)).toBeUndefined();
  });

  it('groupResolver keeps non-aggregate keys only', () => {
    expect(groupResolver({ a: 1, count: { id: 1 }, countAll: 3 }, {}, null, {} as never)).toEqual({ a: 1 });
    expect(groupResolver({ countAll: 3 }, {}, null, {} as never)).toBeNull();
    expect(groupResolver(null, {}, null, {} as never)).toBeNull();
  });

  it('toPlain copies null-prototype objects deeply, keeping dates and primitives', () => {
    const date = new Date(0);
    const input = Object.assign(Object.create(null), { a: Object.assign(Object.create(null), { b: [1, date] }) });
    const plain = toPlain(input) as { a: { b: unknown[] } };
    expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(plain.a)).toBe(Object.prototype);
    expect(plain.a.b[1]).toBe(date);
    expect(toPlain(JSON.parse('{"__proto__": {"x": 1}}'))).toEqual(JSON.parse('{"__proto__": {"x": 1}}'));
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('leaves root fields without a resolver when none is injected (an adapter may set them)', () => {
    const schema = buildGraphqlSchema(items, { scope: 'items' });
    expect(schema.getQueryType()!.getFields().articles!.resolve).toBeUndefined();
    const result = executeSync({
      schema,
      document: parse('{ settings { site_name } }'),
      rootValue: { settings: { site_name: 'S' } },
    });
    expect(result).toEqual({ data: { settings: { site_name: 'S' } } });
  });
});
