import { InvalidQueryError } from '@lib/errors';
import { buildFilter, parseFilter, sanitizeQuery } from '@lib/query';
import { context, limits, schema } from './fixture';
import { reasonOf } from './helpers';

const sanitize = (raw: unknown, overrides: Partial<typeof limits> = {}) =>
  sanitizeQuery(raw, context, { ...limits, ...overrides });

describe('sanitizeQuery', () => {
  it('returns {} without a query and rejects non-objects', () => {
    expect(sanitize(undefined)).toEqual({});
    expect(sanitize({})).toEqual({});
    expect(reasonOf(() => sanitize('fields=id'))).toBe('"query" must be of type object');
  });

  it('ignores unknown parameters', () => {
    expect(sanitize({ export: 'csv', access_token: 'x', version: 'main' })).toEqual({});
  });

  describe('fields', () => {
    it('splits comma strings, parenthesis-aware, and trims', () => {
      expect(sanitize({ fields: 'id, title ,author.name,year(published_at)' }).fields).toEqual([
        'id',
        'title',
        'author.name',
        'year(published_at)',
      ]);
      expect(sanitize({ fields: 'json(data, a.b),id' }).fields).toEqual(['json(data, a.b)', 'id']);
    });

    it('accepts arrays and splits their elements again', () => {
      expect(sanitize({ fields: ['id,title', 'author.*'] }).fields).toEqual(['id', 'title', 'author.*']);
    });

    it('rejects nested or unbalanced functions and non-strings', () => {
      expect(reasonOf(() => sanitize({ fields: 'year(month(x))' }))).toBe(
        'Nested functions are not supported in "fields"',
      );
      expect(reasonOf(() => sanitize({ fields: 'year(x' }))).toBe('Unbalanced parentheses in "fields"');
      expect(reasonOf(() => sanitize({ fields: 'x)' }))).toBe('Unbalanced parentheses in "fields"');
      expect(reasonOf(() => sanitize({ fields: [1] }))).toBe('"fields[0]" must be a string');
    });

    it('reads an object (qs past its array limit) as no fields, so the default ones apply', () => {
      expect(sanitize({ fields: { 101: 'id', 102: 'title' } })).toEqual({});
    });
  });

  describe('sort', () => {
    it('splits like fields', () => {
      expect(sanitize({ sort: '-views,title' }).sort).toEqual(['-views', 'title']);
      expect(sanitize({ sort: ['-count(comments)', 'author.name'] }).sort).toEqual(['-count(comments)', 'author.name']);
    });
  });

  describe('limit, offset, page', () => {
    it('parses numbers with Number()', () => {
      expect(sanitize({ limit: '10', offset: '5', page: '2' })).toEqual({ limit: 10, offset: 5, page: 2 });
      expect(sanitize({ limit: -1 }).limit).toBe(-1);
      expect(sanitize({ limit: '0' }).limit).toBe(0);
    });

    it('rejects with the Directus reasons', () => {
      expect(reasonOf(() => sanitize({ limit: 'abc' }))).toBe('"limit" must be a number');
      expect(reasonOf(() => sanitize({ limit: ['1', '2'] }))).toBe('"limit" must be a number');
      expect(reasonOf(() => sanitize({ limit: '-2' }))).toBe('"limit" must be greater than or equal to -1');
      expect(reasonOf(() => sanitize({ limit: '1.5' }))).toBe('"limit" must be an integer');
      expect(reasonOf(() => sanitize({ offset: 'x' }))).toBe('"offset" must be a number');
      expect(reasonOf(() => sanitize({ offset: '-1' }))).toBe('"offset" must be greater than or equal to 0');
      expect(reasonOf(() => sanitize({ page: '0' }))).toBe('"page" must be greater than or equal to 1');
      expect(reasonOf(() => sanitize({ page: 'x' }))).toBe('"page" must be a number');
      expect(reasonOf(() => sanitize({ page: String(2 ** 60) }))).toBe('"page" must be a safe number');
    });

    it('applies QUERY_LIMIT_MAX', () => {
      expect(sanitize({ limit: '-1' }, { maxLimit: 50 }).limit).toBe(50);
      expect(sanitize({ limit: '50' }, { maxLimit: 50 }).limit).toBe(50);
      expect(reasonOf(() => sanitize({ limit: '51' }, { maxLimit: 50 }))).toBe(
        '"limit" must be less than or equal to 50',
      );
    });
  });

  describe('search', () => {
    it('trims, drops empty searches and rejects non-strings', () => {
      expect(sanitize({ search: '  hello ' }).search).toBe('hello');
      expect(sanitize({ search: '  ' }).search).toBeUndefined();
      expect(sanitize({ search: 42 }).search).toBe('42');
      expect(reasonOf(() => sanitize({ search: { a: 1 } }))).toBe('"search" must be a string');
    });
  });

  describe('meta', () => {
    it('expands * and accepts comma lists and arrays', () => {
      expect(sanitize({ meta: '*' }).meta).toEqual(['total_count', 'filter_count']);
      expect(sanitize({ meta: 'filter_count' }).meta).toEqual(['filter_count']);
      expect(sanitize({ meta: ['total_count', 'total_count'] }).meta).toEqual(['total_count']);
    });

    it('rejects anything else naming the index', () => {
      expect(reasonOf(() => sanitize({ meta: 'foo' }))).toBe('"meta[0]" must be one of [total_count, filter_count]');
      expect(reasonOf(() => sanitize({ meta: 'total_count,bar' }))).toBe(
        '"meta[1]" must be one of [total_count, filter_count]',
      );
    });
  });

  describe('filter', () => {
    it('accepts JSON strings and qs objects', () => {
      expect(sanitize({ filter: '{"title":{"_eq":"x"}}' }).filter).toEqual({ title: { _eq: 'x' } });
      expect(sanitize({ filter: { title: { _eq: 'x' } } }).filter).toEqual({ title: { _eq: 'x' } });
      expect(reasonOf(() => sanitize({ filter: '{bad' }))).toBe('Invalid JSON for filter object');
      expect(reasonOf(() => sanitize({ filter: '5' }))).toBe('"filter" must be of type object');
    });

    it('coerces true/false/null and treats bare values as _eq', () => {
      expect(sanitize({ filter: { a: 'true', b: { _neq: 'false' }, c: { _eq: 'NULL' }, d: 'null' } }).filter).toEqual({
        a: { _eq: true },
        b: { _neq: false },
        c: { _eq: null },
        d: { _eq: null },
      });
    });

    it('turns comma strings and qs index objects into arrays for the list operators', () => {
      expect(
        sanitize({ filter: { id: { _in: '1,2', _nin: { 0: '3', 1: '4' }, _between: ['1', '9'] } } }).filter,
      ).toEqual({
        id: { _in: ['1', '2'], _nin: ['3', '4'], _between: ['1', '9'] },
      });
    });

    it('rejects malformed operator values', () => {
      expect(reasonOf(() => sanitize({ filter: { id: { _in: [] } } }))).toBe('"_in" has to be an array of values');
      expect(reasonOf(() => sanitize({ filter: { id: { _in: 5 } } }))).toBe('"_in" has to be an array of values');
      expect(reasonOf(() => sanitize({ filter: { id: { _between: [1] } } }))).toBe(
        '"_between" has to be an array of two values',
      );
      expect(reasonOf(() => sanitize({ filter: { id: { _nbetween: '1,2,3' } } }))).toBe(
        '"_nbetween" has to be an array of two values',
      );
      expect(reasonOf(() => sanitize({ filter: { title: { _eq: '' } } }))).toBe(
        'You can\'t filter for an empty string in "_eq". Use "_empty" or "_nempty" instead',
      );
      expect(reasonOf(() => sanitize({ filter: { title: '' } }))).toContain("You can't filter for an empty string");
      expect(reasonOf(() => sanitize({ filter: { views: { _gt: Number.NaN } } }))).toBe('Invalid numeric value');
      expect(reasonOf(() => sanitize({ filter: { views: { _gt: 2 ** 60 } } }))).toBe('Invalid numeric value');
      expect(reasonOf(() => sanitize({ filter: { title: { _null: 'x' } } }))).toBe('"_null" has to be a boolean');
      expect(reasonOf(() => sanitize({ filter: { title: { _contains: 'a\0b' } } }))).toBe(
        '"_contains" can\'t contain the NUL character',
      );
      expect(reasonOf(() => sanitize({ filter: { id: { _in: '1,\0' } } }))).toBe(
        '"_in" can\'t contain the NUL character',
      );
      expect(reasonOf(() => sanitize({ search: 'a\0' }))).toBe('"search" can\'t contain the NUL character');
      expect(reasonOf(() => sanitize({ deep: { comments: { _search: '\0' } } }))).toBe(
        '"_search" can\'t contain the NUL character',
      );
      expect(reasonOf(() => sanitize({ filter: { title: { _eq: { a: 1 } } } }))).toBe(
        '"_eq" has to be a string, number, boolean or null',
      );
      expect(reasonOf(() => sanitize({ filter: { _and: { a: 1 } } }))).toBe(
        '"_and" has to be an array of filter objects',
      );
      expect(reasonOf(() => sanitize({ filter: { _or: [1] } }))).toBe('"_or" has to be an array of filter objects');
      expect(reasonOf(() => sanitize({ filter: { comments: { _some: 1 } } }))).toBe(
        '"_some" has to be a filter object',
      );
    });

    it('accepts the null operators without a value', () => {
      expect(sanitize({ filter: { title: { _null: '' } } }).filter).toEqual({ title: { _null: true } });
      expect(sanitize({ filter: { title: { _nnull: 'false' } } }).filter).toEqual({ title: { _nnull: false } });
    });

    it('resolves dynamic variables', () => {
      const filter = sanitize({
        filter: {
          a: '$CURRENT_USER',
          b: { _in: '$CURRENT_ROLES' },
          c: '$NOW',
          d: '$CURRENT_USER.email',
          e: '$CURRENT_ROLE.name',
        },
      }).filter!;
      expect(filter).toEqual({
        a: { _eq: context.user },
        b: { _in: context.roles },
        c: { _eq: context.now },
        d: { _eq: 'ada@example.com' },
        e: { _eq: null },
      });
    });

    it('is exported for permission filters', () => {
      expect(parseFilter({ owner: '$CURRENT_USER' }, context)).toEqual({ owner: { _eq: context.user } });
    });
  });

  describe('deep', () => {
    it('sanitizes each level and recurses into relation keys', () => {
      const deep = sanitize({
        deep: {
          comments: { _limit: '3', _sort: '-id', _filter: { body: 'x' }, _search: ' a ', article: { _offset: '1' } },
        },
      }).deep!;
      expect(deep).toEqual({
        comments: {
          query: { limit: 3, sort: ['-id'], filter: { body: { _eq: 'x' } }, search: 'a' },
          deep: { article: { query: { offset: 1 }, deep: {} } },
        },
      });
    });

    it('accepts a JSON string and rejects unknown underscore keys', () => {
      expect(sanitize({ deep: '{"comments":{"_page":2}}' }).deep).toEqual({
        comments: { query: { page: 2 }, deep: {} },
      });
      expect(reasonOf(() => sanitize({ deep: { comments: { _fields: 'id' } } }))).toBe(
        '"deep" contains an unknown key "_fields"',
      );
      expect(reasonOf(() => sanitize({ deep: { _limit: 1 } }))).toBe('"deep" contains an unknown key "_limit"');
      expect(reasonOf(() => sanitize({ deep: '{' }))).toBe('Invalid JSON for deep object');
      expect(reasonOf(() => sanitize({ deep: { comments: 'x' } }))).toBe('Invalid JSON for deep object');
      expect(reasonOf(() => sanitize({ deep: { comments: { _limit: 'x' } } }))).toBe('"_limit" must be a number');
    });
  });

  describe('alias', () => {
    it('accepts objects and JSON strings without dots', () => {
      expect(sanitize({ alias: { featured: 'tags' } }).alias).toEqual({ featured: 'tags' });
      expect(sanitize({ alias: '{"n":"title"}' }).alias).toEqual({ n: 'title' });
      expect(reasonOf(() => sanitize({ alias: { 'a.b': 'title' } }))).toBe('Alias key "a.b" can\'t contain "."');
      expect(reasonOf(() => sanitize({ alias: { a: 'author.name' } }))).toBe(
        'Alias value "author.name" can\'t contain "."',
      );
      expect(reasonOf(() => sanitize({ alias: { a: 1 } }))).toBe('Alias "a" must be a field name');
    });
  });

  describe('aggregate and groupBy', () => {
    it('splits comma strings and normalizes countAll', () => {
      expect(
        sanitize({ aggregate: { sum: 'views,rating', countAll: '' }, groupBy: 'status,year(published_at)' }),
      ).toEqual({
        aggregate: { sum: ['views', 'rating'], countAll: ['*'] },
        group: ['status', 'year(published_at)'],
      });
      expect(sanitize({ aggregate: '{"count":"*"}' }).aggregate).toEqual({ count: ['*'] });
    });

    it('rejects unknown functions', () => {
      expect(reasonOf(() => sanitize({ aggregate: { median: 'views' } }))).toBe('Unknown aggregate function "median"');
      expect(reasonOf(() => sanitize({ aggregate: { sum: '' } }))).toBe(
        '"aggregate[sum]" must name at least one field',
      );
    });
  });

  it('parses backlink', () => {
    expect(sanitize({ backlink: 'false' }).backlink).toBe(false);
    expect(sanitize({ backlink: false }).backlink).toBe(false);
    expect(sanitize({ backlink: 'true' }).backlink).toBe(true);
    expect(sanitize({ backlink: 'x' }).backlink).toBe(true);
  });

  describe('MAX_RELATIONAL_DEPTH', () => {
    const exceeded = 'Max relational depth exceeded';
    it('checks fields, sort, filter and deep', () => {
      const tight = { maxRelationalDepth: 2 };
      expect(sanitize({ fields: 'author.name' }, tight).fields).toEqual(['author.name']);
      expect(reasonOf(() => sanitize({ fields: 'comments.article.title' }, tight))).toBe(exceeded);
      expect(reasonOf(() => sanitize({ sort: '-comments.article.title' }, tight))).toBe(exceeded);
      expect(reasonOf(() => sanitize({ filter: { a: { b: { c: { _eq: 1 } } } } }, tight))).toBe(exceeded);
      expect(sanitize({ filter: { _or: [{ a: { b: { _eq: 1 } } }] } }, tight).filter).toBeDefined();
      expect(reasonOf(() => sanitize({ deep: { a: { b: { c: { _limit: 1 } } } } }, tight))).toBe(exceeded);
      expect(reasonOf(() => sanitize({ deep: { a: { _filter: { b: { c: { _eq: 1 } } } } } }, tight))).toBe(exceeded);
    });

    it('raises values below 2 to 2', () => {
      expect(sanitize({ fields: 'author.name' }, { maxRelationalDepth: 0 }).fields).toEqual(['author.name']);
    });
  });

  it('only throws InvalidQueryError', () => {
    expect(() => sanitize({ limit: 'x' })).toThrow(InvalidQueryError);
  });
});

describe('query nesting guard', () => {
  const ctx = { now: new Date(0), user: null, role: null, roles: [], policies: [] };
  const limits = { defaultLimit: 100, maxLimit: null, maxRelationalDepth: 10 };
  const deep = (n: number) => {
    let filter: Record<string, unknown> = { id: { _eq: 1 } };
    for (let i = 0; i < n; i++) filter = { _and: [filter] };
    return filter;
  };

  it('rejects a 10,000-deep filter object and JSON text with INVALID_QUERY instead of overflowing the stack', () => {
    expect(() => sanitizeQuery({ filter: deep(10_000) }, ctx, limits)).toThrow(
      'Invalid query. Max query depth exceeded.',
    );
    expect(() =>
      sanitizeQuery({ filter: '{"_and":['.repeat(10_000) + '{}' + ']}'.repeat(10_000) }, ctx, limits),
    ).toThrow('Invalid query. Max query depth exceeded.');
  });

  it('accepts ordinary nesting', () => {
    expect(sanitizeQuery({ filter: deep(20) }, ctx, limits).filter).toBeDefined();
  });
});

describe('dynamic variables resolving to an empty list', () => {
  const roleless = { now: new Date(0), user: 'u1', role: null, roles: [], policies: [] };

  it('are a 400 in a query, as Directus validates the list operators of a query', () => {
    expect(reasonOf(() => sanitizeQuery({ filter: { id: { _in: '$CURRENT_ROLES' } } }, roleless, limits))).toBe(
      '"_in" has to be an array of values',
    );
  });

  it('parse in a permission rule, where the list then matches nothing (`_nin`: everything)', () => {
    const rule = { ...roleless, permissionRule: true };
    expect(parseFilter({ id: { _in: '$CURRENT_ROLES' } }, rule)).toEqual({ id: { _in: [] } });
    expect(parseFilter({ id: { _nin: '$CURRENT_POLICIES' } }, rule)).toEqual({ id: { _nin: [] } });
    expect(buildFilter(schema, 'articles', { id: { _in: [] } })).toEqual({ kind: 'const', value: false });
    expect(buildFilter(schema, 'articles', { id: { _nin: [] } })).toEqual({ kind: 'const', value: true });
  });
});
