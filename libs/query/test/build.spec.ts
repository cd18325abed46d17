import { ForbiddenError } from '@lib/errors';
import type { Level, SelectNode } from '@lib/query';
import { ast, errorOf, forbiddenField, reasonOf } from './helpers';

/** The selection as a compact tree: field → kind, relations → nested keys. */
function shape(level: Level): Record<string, unknown> {
  return Object.fromEntries(level.selection.map((node) => [node.key, nodeShape(node)]));
}

function nodeShape(node: SelectNode): unknown {
  switch (node.kind) {
    case 'field':
      return 'field';
    case 'function':
      return node.operand.kind;
    case 'm2o':
      return shape(node.level);
    case 'o2m':
      return node.keysOnly ? 'keys' : [shape(node.level)];
    case 'a2o':
      return Object.fromEntries(node.targets.map((target) => [target.collection, shape(target)]));
  }
}

const forbidden = (run: () => unknown) => errorOf(run).message;

describe('buildReadAst: fields', () => {
  it('defaults to * with alias fields as keys and the raw FK', () => {
    expect(shape(ast('articles', {}).root)).toEqual({
      id: 'field',
      title: 'field',
      body: 'field',
      status: 'field',
      published_at: 'field',
      views: 'field',
      rating: 'field',
      big: 'field',
      uid: 'field',
      data: 'field',
      labels: 'field',
      secret: 'field',
      featured: 'field',
      starts: 'field',
      author: 'field',
      comments: 'keys',
      tags: 'keys',
      blocks: 'keys',
    });
  });

  it('expands relations', () => {
    expect(shape(ast('articles', { fields: 'title,author.name,comments.*,tags.tags_id.name' }).root)).toEqual({
      title: 'field',
      author: { name: 'field' },
      comments: [{ id: 'field', article: 'field', body: 'field', created: 'field' }],
      tags: [{ tags_id: { name: 'field' } }],
    });
  });

  it('lets a nested selection win over the raw key', () => {
    expect(shape(ast('articles', { fields: 'author,author.name' }).root)).toEqual({ author: { name: 'field' } });
  });

  it('expands *.* and honours backlink=false', () => {
    const withBacklink = shape(ast('authors', { fields: '*.*.*' }).root) as { articles: [{ author: unknown }] };
    expect(withBacklink.articles[0].author).toMatchObject({ name: 'field' });
    const without = shape(ast('authors', { fields: '*.*.*', backlink: false }).root) as {
      articles: [{ author: unknown }];
    };
    expect(without.articles[0].author).toBe('field');
  });

  it('scopes M2A selections per collection', () => {
    expect(shape(ast('articles', { fields: 'blocks.item:headings.title,blocks.collection' }).root)).toEqual({
      blocks: [{ item: { headings: { title: 'field' } }, collection: 'field' }],
    });
    expect(shape(ast('articles', { fields: 'blocks.item.id' }).root)).toEqual({
      blocks: [{ item: { headings: { id: 'field' }, paragraphs: { id: 'field' } } }],
    });
    expect(forbidden(() => ast('articles', { fields: 'blocks.item:tags.id' }))).toBe(
      ForbiddenError.collection('tags', 'blocks.item:tags').message,
    );
  });

  it('names function fields <field>_<fn>', () => {
    expect(shape(ast('articles', { fields: 'year(published_at),count(comments),count(data)' }).root)).toEqual({
      published_at_year: 'datePart',
      comments_count: 'relatedCount',
      data_count: 'jsonLength',
    });
    expect(reasonOf(() => ast('articles', { fields: 'year(title)' }))).toBe(
      'Function "year" is not supported for field type "string"',
    );
    expect(reasonOf(() => ast('articles', { fields: 'hour(published_at),minute(x' }))).toBe(
      'Unbalanced parentheses in "fields"',
    );
    expect(reasonOf(() => ast('authors', { fields: 'hour(born)' }))).toBe(
      'Function "hour" is not supported for field type "date"',
    );
    expect(reasonOf(() => ast('articles', { fields: 'median(views)' }))).toBe('Unknown function "median"');
  });

  it('rejects unknown fields with the field message and the relational path', () => {
    expect(forbidden(() => ast('articles', { fields: 'nope' }))).toBe(forbiddenField('nope', 'articles'));
    expect(forbidden(() => ast('articles', { fields: 'author.nope' }))).toBe(
      forbiddenField('nope', 'authors', 'author'),
    );
    expect(forbidden(() => ast('articles', { fields: 'comments.article.nope' }))).toBe(
      forbiddenField('nope', 'articles', 'comments.article'),
    );
    expect(forbidden(() => ast('articles', { fields: 'constructor' }))).toBe(forbiddenField('constructor', 'articles'));
    expect(forbidden(() => ast('articles', { fields: '__proto__,__proto__.x' }))).toBe(
      forbiddenField('__proto__', 'articles'),
    );
  });

  it('skips a dotted path whose head is no field (Directus parseFields finds no relation for it)', () => {
    expect(ast('articles', { fields: 'id,nope.id,__proto__.x,comments.nope.id' }).root.selection).toMatchObject([
      { key: 'id' },
      { key: 'comments', level: { selection: [] } },
    ]);
  });

  it('rejects unknown collections with the collection message', () => {
    expect(forbidden(() => ast('nope', {}))).toBe(ForbiddenError.collection('nope').message);
    expect(forbidden(() => ast('toString', {}))).toBe(ForbiddenError.collection('toString').message);
  });
});

describe('buildReadAst: alias', () => {
  it('fetches the same relation twice under different keys', () => {
    const root = ast('articles', {
      fields: 'id,featured.tags_id.name,tags',
      alias: { featured: 'tags' },
      deep: { featured: { _limit: 1 } },
    }).root;
    expect(shape(root)).toEqual({ id: 'field', featured: [{ tags_id: { name: 'field' } }], tags: 'keys' });
    const featured = root.selection.find((node) => node.key === 'featured');
    expect(featured).toMatchObject({ kind: 'o2m', level: { query: { limit: 1 } } });
  });

  it('includes alias keys in *', () => {
    expect(shape(ast('tags', { alias: { label: 'name' } }).root)).toEqual({
      id: 'field',
      name: 'field',
      label: 'field',
    });
  });

  it('reports an unknown target under its own name', () => {
    expect(forbidden(() => ast('articles', { fields: 'x', alias: { x: 'missing' } }))).toBe(
      forbiddenField('missing', 'articles'),
    );
  });
});

describe('buildReadAst: filter', () => {
  it('builds relational filters', () => {
    const filter = ast('articles', {
      filter: {
        author: { name: { _eq: 'Ada' } },
        comments: { _none: { body: { _contains: 'x' } } },
        tags: { tags_id: { name: 'tech' } },
        blocks: { 'item:headings': { title: { _eq: 'Intro' } } },
      },
    }).root.query.filter;
    expect(filter).toMatchObject({
      kind: 'and',
      children: [
        { kind: 'm2o', filter: { kind: 'compare', op: '_eq' } },
        { kind: 'o2m', none: true },
        { kind: 'o2m', none: false, filter: { kind: 'm2o' } },
        { kind: 'o2m', filter: { kind: 'a2o', collection: 'headings' } },
      ],
    });
  });

  it('treats {} in _or as every row, and empty groups as no condition', () => {
    expect(ast('articles', { filter: { _or: [{}, { title: 'x' }] } }).root.query.filter).toEqual({
      kind: 'const',
      value: true,
    });
    expect(ast('articles', { filter: {} }).root.query.filter).toEqual({ kind: 'const', value: true });
  });

  it('hoists logical operators under a plain field', () => {
    expect(
      ast('articles', { filter: { title: { _or: [{ _eq: 'a' }, { _eq: 'b' }] } } }).root.query.filter,
    ).toMatchObject({
      kind: 'or',
      children: [{ op: '_eq' }, { op: '_eq' }],
    });
  });

  it('rewrites null comparisons', () => {
    expect(ast('articles', { filter: { title: { _eq: null } } }).root.query.filter).toMatchObject({ op: '_null' });
    expect(ast('articles', { filter: { title: { _neq: 'null' } } }).root.query.filter).toMatchObject({ op: '_nnull' });
    expect(ast('articles', { filter: { title: { _null: false } } }).root.query.filter).toMatchObject({ op: '_nnull' });
    expect(ast('articles', { filter: { views: { _gt: null } } }).root.query.filter).toEqual({
      kind: 'const',
      value: false,
    });
  });

  it('types values', () => {
    // Integer values on an integer column are bound as int8 so PostgreSQL keeps using the column's index.
    expect(ast('articles', { filter: { views: { _in: '1,2' } } }).root.query.filter).toMatchObject({
      value: { sqlType: 'int8', values: ['1', '2'] },
    });
    expect(ast('articles', { filter: { views: { _gt: '1.5' } } }).root.query.filter).toMatchObject({
      value: { sqlType: 'numeric', values: ['1.5'] },
    });
    expect(ast('articles', { filter: { published_at: { _lt: '$NOW' } } }).root.query.filter).toMatchObject({
      value: { sqlType: 'timestamp', values: ['2024-06-01T12:00:00.000'] },
    });
    expect(ast('authors', { filter: { created_on: { _lt: '$NOW(-1 day)' } } }).root.query.filter).toMatchObject({
      value: { sqlType: 'timestamptz', values: ['2024-05-31T12:00:00.000Z'] },
    });
  });

  it('follows an M2O back without an alias field: $FOLLOW(collection, field)', () => {
    expect(
      ast('articles', { filter: { '$FOLLOW(comments, article)': { _some: { body: { _eq: 'x' } } } } }).root.query
        .filter,
    ).toMatchObject({
      kind: 'o2m',
      none: false,
      relation: { kind: 'o2m', related: 'comments', foreignKey: 'article', relatedPrimaryKey: 'id' },
      filter: { kind: 'compare', op: '_eq' },
    });
    expect(reasonOf(() => ast('articles', { filter: { '$FOLLOW(comments)': { _some: {} } } }))).toBe(
      '"$FOLLOW(comments)" must name a collection and its field pointing here',
    );
    expect(reasonOf(() => ast('articles', { filter: { '$FOLLOW(comments,body)': { _some: {} } } }))).toBe(
      '"comments.body" is not a relation to "articles"',
    );
    expect(forbidden(() => ast('articles', { filter: { '$FOLLOW(nope,x)': { _some: {} } } }))).toBe(
      ForbiddenError.collection('nope', '$FOLLOW(nope,x)').message,
    );
  });

  it('rejects ill-typed values', () => {
    expect(reasonOf(() => ast('articles', { filter: { views: { _eq: 'abc' } } }))).toBe(
      'Invalid numeric value for field "views"',
    );
    expect(reasonOf(() => ast('articles', { filter: { 'year(published_at)': { _eq: 'x' } } }))).toBe(
      'Invalid numeric value for field "year(published_at)"',
    );
    expect(reasonOf(() => ast('articles', { filter: { published_at: { _gt: 'yesterday' } } }))).toBe(
      'Invalid date value for field "published_at"',
    );
    expect(reasonOf(() => ast('authors', { filter: { born: { _eq: '2024-02-30' } } }))).toBe(
      'Invalid date value for field "born"',
    );
    expect(reasonOf(() => ast('articles', { filter: { uid: { _eq: 'nope' } } }))).toBe(
      'Invalid UUID value for field "uid"',
    );
    expect(reasonOf(() => ast('articles', { filter: { title: { _eq: '$CURRENT_ROLES' } } }))).toBe(
      '"_eq" has to be a single value',
    );
  });

  it('rejects misplaced operators', () => {
    expect(reasonOf(() => ast('articles', { filter: { _eq: 1 } }))).toBe('"_eq" has to be used on a field');
    expect(reasonOf(() => ast('articles', { filter: { author: { _some: { name: 'x' } } } }))).toBe(
      '"integer" field type does not contain the "_some" filter operator',
    );
    expect(reasonOf(() => ast('articles', { filter: { title: { length: { _eq: 1 } } } }))).toBe(
      'Field "title" is not a relation that can be filtered through',
    );
    expect(reasonOf(() => ast('articles_blocks', { filter: { item: { title: 'x' } } }))).toBe(
      'Field "item" is not a relation that can be filtered through. Use "item:<collection>"',
    );
    expect(reasonOf(() => ast('articles', { filter: { title: { _regex: 'x' } } }))).toBe(
      '"string" field type does not contain the "_regex" filter operator',
    );
  });

  it('names unknown operators like disallowed ones', () => {
    expect(reasonOf(() => ast('articles', { filter: { title: { _foo: 'x' } } }))).toBe(
      '"string" field type does not contain the "_foo" filter operator',
    );
    expect(reasonOf(() => ast('articles', { filter: { views: { _gt: 1, _bogus: 2 } } }))).toBe(
      '"integer" field type does not contain the "_bogus" filter operator',
    );
    expect(reasonOf(() => ast('articles', { filter: { 'year(published_at)': { _foo: 1 } } }))).toBe(
      '"integer" field type does not contain the "_foo" filter operator',
    );
  });

  it('rejects unknown fields with the relational path', () => {
    expect(forbidden(() => ast('articles', { filter: { nope: 1 } }))).toBe(forbiddenField('nope', 'articles'));
    expect(forbidden(() => ast('articles', { filter: { author: { nope: 1 } } }))).toBe(
      forbiddenField('nope', 'authors', 'author'),
    );
    expect(forbidden(() => ast('articles', { filter: { comments: { _some: { nope: 1 } } } }))).toBe(
      forbiddenField('nope', 'comments', 'comments'),
    );
    expect(forbidden(() => ast('articles', { filter: { blocks: { 'item:headings': { nope: 1 } } } }))).toBe(
      forbiddenField('nope', 'headings', 'blocks.item:headings'),
    );
    expect(forbidden(() => ast('articles', { filter: { 'count(nope)': 1 } }))).toBe(forbiddenField('nope', 'articles'));
  });
});

describe('buildReadAst: sort, paging, search', () => {
  it('defaults to the primary key (or the relation sort field for O2M)', () => {
    const root = ast('articles', { fields: 'id,blocks.id' }).root;
    expect(root.query.sort).toMatchObject([{ operand: { field: { field: 'id' } }, descending: false }]);
    const blocks = root.selection.find((node) => node.key === 'blocks') as Extract<SelectNode, { kind: 'o2m' }>;
    expect(blocks.level.query.sort).toMatchObject([{ operand: { field: { field: 'sort' } } }]);
    expect(blocks.level.query.limit).toBe(100);
  });

  it('sorts through M2O and O2M paths and functions', () => {
    expect(ast('articles', { sort: '-author.name,count(comments)' }).root.query.sort).toMatchObject([
      { path: [{ field: 'author' }], operand: { field: { field: 'name' } }, descending: true },
      { path: [], operand: { kind: 'relatedCount' }, descending: false },
    ]);
    expect(ast('articles', { sort: 'comments.body' }).root.query.sort).toMatchObject([
      { path: [{ kind: 'o2m', field: 'comments' }], operand: { field: { field: 'body' } }, descending: false },
    ]);
    expect(forbidden(() => ast('articles', { sort: 'author.nope' }))).toBe(forbiddenField('nope', 'authors', 'author'));
    expect(forbidden(() => ast('articles', { sort: '-nope' }))).toBe(forbiddenField('nope', 'articles'));
  });

  it('computes limit and offset from limit/offset/page', () => {
    expect(ast('articles', {}).root.query).toMatchObject({ limit: 100, offset: 0 });
    expect(ast('articles', { limit: 10, page: 3, offset: 7 }).root.query).toMatchObject({ limit: 10, offset: 20 });
    expect(ast('articles', { page: 2 }).root.query).toMatchObject({ limit: 100, offset: 100 });
    expect(ast('articles', { limit: -1, page: 2 }).root.query).toMatchObject({ limit: null, offset: 0 });
    expect(ast('articles', { limit: 0 }).root.query).toMatchObject({ limit: 0 });
    expect(
      ast('articles', {}, { limits: { defaultLimit: 100, maxLimit: 20, maxRelationalDepth: 10 } }).root.query.limit,
    ).toBe(20);
  });

  it('builds search as an OR over qualifying fields', () => {
    const text = ast('articles', { search: 'abc' }).root.query.search;
    expect(text).toMatchObject({ kind: 'or' });
    expect((text as unknown as { children: unknown[] }).children).toHaveLength(3); // title, body, status
    const number = ast('articles', { search: '12' }).root.query.search as unknown as { children: unknown[] };
    expect(number.children).toHaveLength(8); // + id, views, rating, big, author
    expect(ast('tags', { search: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' }).root.query.search).toMatchObject({
      kind: 'compare',
    });
    expect(ast('articles_tags', { search: 'x' }).root.query.search).toEqual({ kind: 'const', value: false });
  });
});

describe('buildReadAst: deep', () => {
  it('applies per relation and recurses', () => {
    const root = ast('articles', {
      fields: 'comments.article.author.name',
      deep: {
        comments: {
          _limit: 2,
          _sort: '-created',
          _filter: { body: { _nnull: true } },
          article: { _filter: { views: 1 } },
        },
      },
    }).root;
    const comments = root.selection[0] as Extract<SelectNode, { kind: 'o2m' }>;
    expect(comments.level.query).toMatchObject({ limit: 2, sort: [{ descending: true }], filter: { op: '_nnull' } });
    const article = comments.level.selection[0] as Extract<SelectNode, { kind: 'm2o' }>;
    expect(article.level.query).toMatchObject({ filter: { op: '_eq' }, limit: null });
  });

  it('rejects unknown or non-relational deep keys', () => {
    expect(forbidden(() => ast('articles', { deep: { nope: { _limit: 1 } } }))).toBe(
      forbiddenField('nope', 'articles'),
    );
    expect(forbidden(() => ast('articles', { deep: { comments: { _filter: { nope: 1 } } } }))).toBe(
      forbiddenField('nope', 'comments', 'comments'),
    );
    expect(reasonOf(() => ast('articles', { deep: { title: { _limit: 1 } } }))).toBe(
      '"deep" key "title" is not a relational field',
    );
  });
});

describe('buildReadAst: aggregate', () => {
  it('builds aggregates, groups and their sort', () => {
    const aggregate = ast('articles', {
      aggregate: { count: '*', sum: 'views', max: 'published_at' },
      groupBy: 'status,year(published_at)',
      sort: '-count,sum.views',
    }).aggregate!;
    expect(aggregate.aggregates.map((node) => [node.fn, node.field?.field ?? null])).toEqual([
      ['count', null],
      ['sum', 'views'],
      ['max', 'published_at'],
    ]);
    expect(aggregate.groups.map((group) => group.key)).toEqual(['status', 'published_at_year']);
    expect(aggregate.sort).toEqual([
      { kind: 'aggregate', index: 0, descending: true },
      { kind: 'aggregate', index: 1, descending: false },
    ]);
    expect(ast('articles', { aggregate: { count: 'id' }, groupBy: 'status' }).aggregate!.sort).toEqual([
      { kind: 'group', index: 0, descending: false },
    ]);
    expect(ast('articles', { aggregate: { count: 'id' }, sort: 'title' }).aggregate!.sort).toEqual([]);
  });

  it('rejects unknown fields and unsupported combinations', () => {
    expect(forbidden(() => ast('articles', { aggregate: { sum: 'nope' } }))).toBe(forbiddenField('nope', 'articles'));
    expect(forbidden(() => ast('articles', { aggregate: { count: '*' }, groupBy: 'nope' }))).toBe(
      forbiddenField('nope', 'articles'),
    );
    expect(reasonOf(() => ast('articles', { aggregate: { sum: 'title' } }))).toBe(
      'Aggregate "sum" is not supported for field type "string"',
    );
    expect(reasonOf(() => ast('articles', { aggregate: { count: 'comments' } }))).toBe(
      'Aggregate "count" is not supported for field type "alias"',
    );
    expect(reasonOf(() => ast('articles', { aggregate: { count: '*' }, groupBy: 'status', sort: 'title' }))).toBe(
      'Sort field "title" must be grouped or aggregated',
    );
    expect(forbidden(() => ast('articles', { aggregate: { count: '*' }, groupBy: 'status', sort: 'nope' }))).toBe(
      forbiddenField('nope', 'articles'),
    );
  });
});

describe('buildReadAst: keys', () => {
  it('checks keys against the primary key type with a bare FORBIDDEN', () => {
    expect(ast('articles', {}, { mode: 'single', id: '2' }).keys).toEqual(['2']);
    expect(ast('articles', {}, { keys: [1, '2'] }).keys).toEqual(['1', '2']);
    for (const id of ['abc', '1.5', 1.5, '', '1\0']) {
      const error = errorOf(() => ast('articles', {}, { mode: 'single', id }));
      expect(error).toBeInstanceOf(ForbiddenError);
      expect(error.message).toBe("You don't have permission to access this.");
    }
    expect(errorOf(() => ast('articles', {}, { keys: [1, 'x'] }))).toBeInstanceOf(ForbiddenError);
  });

  it('treats keys no row can have (out of the column range) as not found', () => {
    expect(errorOf(() => ast('articles', {}, { mode: 'single', id: '2147483648' }))).toBeInstanceOf(ForbiddenError);
    expect(errorOf(() => ast('articles', {}, { mode: 'single', id: '-2147483649' }))).toBeInstanceOf(ForbiddenError);
    expect(ast('articles', {}, { mode: 'single', id: '2147483647' }).keys).toEqual(['2147483647']);
    expect(ast('articles', {}, { keys: [1, '99999999999999999999', -2147483648] }).keys).toEqual(['1', '-2147483648']);
  });

  it('limits single reads to one row and readMany to its keys', () => {
    expect(ast('articles', { limit: 5 }, { mode: 'single', id: 1 }).root.query).toMatchObject({ limit: 1, offset: 0 });
    expect(ast('articles', {}, { keys: [1, 2, 3] }).root.query.limit).toBe(3);
    expect(ast('articles', { limit: 2 }, { keys: [1, 2, 3] }).root.query.limit).toBe(2);
  });
});
