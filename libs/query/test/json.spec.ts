import { parseFilter, sanitizeQuery, type FilterNode, type SelectNode } from '@lib/query';
import { functionOutputKey, parseFunctionCall } from '../src/functions';
import { parseJsonPath } from '../src/json-path';
import { context, limits } from './fixture';
import { ast, compile, reasonOf } from './helpers';

/** `json(field, path)` and `_json` (Directus 12): paths, output keys, the AST and the SQL they compile to. */

describe('parseJsonPath', () => {
  it.each([
    ['color', ['color']],
    ['settings.theme', ['settings', 'theme']],
    ['items[0].name', ['items', 0, 'name']],
    ['items.0.name', ['items', 0, 'name']],
    ['[2]', [2]],
    ['[0][1]', [0, 1]],
    ['matrix[1][2]', ['matrix', 1, 2]],
    ['author.', ['author']],
    [' padded ', ['padded']],
    ['ünïcode.名前', ['ünïcode', '名前']],
    ['a_b1', ['a_b1']],
  ])('%s', (path, segments) => {
    expect(parseJsonPath(path)).toEqual(segments);
  });

  it.each(['a..b', 'items[]', 'items[*]', 'a.*', '$.a', 'a[-1]', 'a[b]', 'a b', 'a-b', '.', 'a[0', "a'b", ''])(
    'refuses %j',
    (path) => {
      expect(reasonOf(() => parseJsonPath(path))).toBe('Invalid JSON path: unsupported path expression');
    },
  );

  it('refuses paths deeper than 10 steps', () => {
    expect(parseJsonPath('a.b.c.d.e.f.g.h.i.j')).toHaveLength(10);
    expect(reasonOf(() => parseJsonPath('a.b.c.d.e.f.g.h.i.j.k'))).toBe(
      'JSON path depth (11) exceeds allowed maximum of 10',
    );
    expect(reasonOf(() => parseJsonPath('a[0][1][2][3][4][5][6][7][8][9]'))).toBe(
      'JSON path depth (11) exceeds allowed maximum of 10',
    );
  });
});

describe('json(field, path)', () => {
  it('parses its arguments and names its output key as Directus does', () => {
    const key = (call: string) => functionOutputKey(parseFunctionCall(call));
    expect(parseFunctionCall('json(data, a.b)')).toEqual({
      fn: 'json',
      field: 'data',
      path: ['a', 'b'],
      args: 'data, a.b',
    });
    expect(key('json(data, a.b)')).toBe('data_a_b_json');
    expect(key('json(data,a.b)')).toBe('data_a_b_json');
    expect(key('json(data, items[0])')).toBe('data_items_0_json');
    expect(key('json(data, items[0].name)')).toBe('data_items_0_name_json');
    expect(key('json(data, [1])')).toBe('data_1_json');
  });

  it.each([
    ['json()', 'Invalid json() syntax'],
    ['json( )', 'Invalid json() syntax'],
    ['json(data)', 'Invalid json() syntax: requires json(field, path) format'],
    ['json(, a)', 'Invalid json() syntax: missing field name'],
    ['json(data, )', 'Invalid json() syntax: missing path'],
    ['json(data, a..b)', 'Invalid JSON path: unsupported path expression'],
  ])('%s is refused', (call, reason) => {
    expect(reasonOf(() => ast('articles', { fields: call }))).toBe(reason);
  });

  it('selects the JSON value, under its key, and only on json fields', () => {
    const node = ast('articles', { fields: 'id,json(data, items[0].name)' }).root.selection[1] as SelectNode;
    expect(node).toMatchObject({
      kind: 'function',
      key: 'data_items_0_name_json',
      operand: { kind: 'jsonPath', field: { field: 'data' }, path: ['items', 0, 'name'], as: 'json' },
    });
    expect(reasonOf(() => ast('articles', { fields: 'json(title, a)' }))).toBe(
      'Function "json" is not supported for field type "string"',
    );
    expect(reasonOf(() => ast('articles', { fields: 'json(comments, a)' }))).toBe(
      'Function "json" is not supported for field type "alias"',
    );
  });

  it('is usable through relations, in aliases, in sort (as text); not in groupBy or as a filter key', () => {
    expect(ast('comments', { fields: 'id,article.json(data, k)' }).root.selection[1]).toMatchObject({
      kind: 'm2o',
      level: { selection: [{ kind: 'function', key: 'data_k_json' }] },
    });
    expect(ast('articles', { fields: 'id,kind', alias: { kind: 'json(data, k.v)' } }).root.selection[1]).toMatchObject({
      kind: 'function',
      key: 'kind',
      operand: { kind: 'jsonPath', path: ['k', 'v'] },
    });
    expect(ast('articles', { fields: 'id', sort: '-json(data, a.b),id' }).root.query.sort[0]).toMatchObject({
      descending: true,
      path: [],
      operand: { kind: 'jsonPath', path: ['a', 'b'], as: 'text' },
    });
    expect(reasonOf(() => ast('articles', { aggregate: { count: '*' }, groupBy: 'json(data, a)' }))).toBe(
      `Can't group by "json(data, a)"`,
    );
    expect(reasonOf(() => ast('articles', { filter: { 'json(data, a)': { _eq: 'x' } } }))).toBe(
      `"json(data, a)" can't be filtered on: use the "_json" filter operator`,
    );
  });

  it('takes a relational path in its field (Directus 12): the value lands in the related item(s)', () => {
    expect(ast('comments', { fields: 'id,json(article.data, k)' }).root.selection[1]).toMatchObject({
      kind: 'm2o',
      key: 'article',
      level: { selection: [{ kind: 'function', key: 'data_k_json' }] },
    });
    expect(ast('authors', { fields: 'id,json(articles.data, a.b)' }).root.selection[1]).toMatchObject({
      kind: 'o2m',
      key: 'articles',
      level: { selection: [{ kind: 'function', key: 'data_a_b_json', operand: { path: ['a', 'b'] } }] },
    });
    expect(reasonOf(() => ast('comments', { fields: 'json(nope.data, k)' }))).toBe(
      '"nope" in "json(nope.data, k)" is not a relation of collection "comments"',
    );
    expect(reasonOf(() => ast('comments', { fields: 'json(article.title, k)' }))).toBe(
      'Function "json" is not supported for field type "string"',
    );
  });

  it('counts a json() path as one level of relational depth', () => {
    const query = { fields: 'json(data, a.b.c.d.e.f)', sort: 'json(data, a.b.c.d)' };
    expect(sanitizeQuery(query, context, { ...limits, maxRelationalDepth: 2 })).toEqual({
      fields: ['json(data, a.b.c.d.e.f)'],
      sort: ['json(data, a.b.c.d)'],
    });
  });

  it('compiles to -> steps, keys bound as text and indexes inline, the value itself (not text) selected', () => {
    const { sql, params } = compile('articles', { fields: 'json(data, items[0].name)', sort: 'json(data, k)' });
    expect(sql).toContain(
      'SELECT ("t1"."data") -> $1::text -> 0 -> $2::text AS "c0", ("t1"."data") ->> $3::text AS "s0"',
    );
    expect(sql).toContain(`json_build_object(E'data_items_0_name_json', "x2"."c0")`);
    expect(params.slice(0, 3)).toEqual(['items', 'name', 'k']);
  });
});

describe('_json', () => {
  const filterOf = (filter: unknown): FilterNode | null => ast('articles', { filter }).root.query.filter;

  it('applies each path’s operators to the value there: numbers as numbers, anything else as text', () => {
    expect(filterOf({ data: { _json: { 'a.b': { _eq: 'x' }, 'n[0]': { _gt: 5 } } } })).toEqual({
      kind: 'and',
      children: [
        {
          kind: 'compare',
          operand: expect.objectContaining({ kind: 'jsonPath', path: ['a', 'b'], as: 'text' }),
          op: '_eq',
          value: { sqlType: 'text', values: ['x'] },
        },
        {
          kind: 'compare',
          operand: expect.objectContaining({ kind: 'jsonPath', path: ['n', 0], as: 'numeric' }),
          op: '_gt',
          value: { sqlType: 'numeric', values: ['5'] },
        },
      ],
    });
  });

  it('groups with _and/_or, and takes every operator Directus’s builder has', () => {
    const node = filterOf({
      data: {
        _json: {
          _or: [{ k: { _ieq: 'V' } }, { k: { _nicontains: 'z' } }, { tags: { _in: ['a', 'b'] } }],
          n: { _between: [1, 3], _nnull: true },
          flag: { _eq: true },
          gone: { _null: true },
        },
      },
    });
    expect(node).toMatchObject({
      kind: 'and',
      children: [
        {
          kind: 'or',
          children: [
            { op: '_ieq', value: { sqlType: 'text', values: ['V'] } },
            { op: '_nicontains', value: { sqlType: 'text', values: ['z'] } },
            { op: '_in', value: { sqlType: 'text', values: ['a', 'b'] } },
          ],
        },
        {
          kind: 'and',
          children: [
            { op: '_between', operand: { as: 'numeric' }, value: { sqlType: 'numeric', values: ['1', '3'] } },
            { op: '_nnull', operand: { as: 'text' }, value: null },
          ],
        },
        { op: '_eq', value: { sqlType: 'text', values: ['true'] } },
        { op: '_null', value: null },
      ],
    });
    expect(filterOf({ data: { _json: {} } })).toEqual({ kind: 'const', value: true });
  });

  it.each([
    [{ _json: 'nope' }, '"_json" filter value must be an object'],
    [{ _json: { '': { _eq: 1 } } }, '"_json" path key must be a non-empty string'],
    [{ _json: { _or: { a: 1 } } }, '"_json" logical operator "_or" must be an array'],
    [{ _json: { a: 'x' } }, '"_json" inner filter for path "a" must be an object'],
    [
      { _json: { a: { b: { _eq: 1 } } } },
      '"_json" path "a" cannot contain a nested path "b"; use a single flat path like "a.b"',
    ],
    [{ _json: { 'a..b': { _eq: 1 } } }, 'Invalid JSON path: unsupported path expression'],
    [{ _json: { a: { _regex: 'x' } } }, 'The "_regex" filter operator can\'t be used in "_json"'],
    [{ _json: { a: { _some: {} } } }, 'The "_some" filter operator can\'t be used in "_json"'],
    [{ _json: { a: { _in: [] } } }, '"_in" has to be an array of values'],
    // unlike a query's list operators, those of a _json filter take no comma string (Directus validates it as written)
    [{ _json: { a: { _in: 'x,y' } } }, '"_in" has to be an array of values'],
    [{ _json: { a: { _between: 5 } } }, '"_between" has to be an array of values'],
    [
      { _json: { a: { _eq: '' } } },
      'You can\'t filter for an empty string in "_eq". Use "_empty" or "_nempty" instead',
    ],
  ])('%j is refused', (value, reason) => {
    expect(reasonOf(() => ast('articles', { filter: { data: value } }))).toBe(reason);
  });

  it('is only for json fields', () => {
    expect(reasonOf(() => ast('articles', { filter: { title: { _json: { a: { _eq: 1 } } } } }))).toBe(
      '"string" field type does not contain the "_json" filter operator',
    );
  });

  it('parses a JSON string value and qs index objects', () => {
    expect(parseFilter({ data: { _json: '{"a":{"_in":["x","y"]}}' } }, context)).toEqual({
      data: { _json: { a: { _in: ['x', 'y'] } } },
    });
    expect(parseFilter({ data: { _json: { a: { _in: { 0: 'x', 1: 'y' } } } } }, context)).toEqual({
      data: { _json: { a: { _in: ['x', 'y'] } } },
    });
    expect(parseFilter({ data: { _json: { _and: { 0: { a: { _eq: 'true' } } } } } }, context)).toEqual({
      data: { _json: { _and: [{ a: { _eq: true } }] } },
    });
  });

  it('compiles text with ->>, numbers only where the value is one, lower() for _ieq', () => {
    const { sql, params } = compile('articles', {
      fields: 'id',
      filter: { data: { _json: { 'a.b': { _ieq: 'X' }, 'n[1]': { _gte: 2 }, e: { _empty: true } } } },
    });
    expect(sql).toContain(`lower(("t1"."data") -> $1::text ->> $2::text) = lower($3::text)`);
    expect(sql).toContain(
      `CASE WHEN json_typeof(("t1"."data") -> $4::text -> 1) = 'number' THEN (("t1"."data") -> $4::text ->> 1)::numeric END >= $5::numeric`,
    );
    expect(sql).toContain(`(("t1"."data") ->> $6::text IS NULL OR ("t1"."data") ->> $6::text = '')`);
    expect(params.slice(0, 6)).toEqual(['a', 'b', 'X', 'n', '2', 'e']);
  });
});
