import { buildFilter, compileRead, type AccessMap } from '@lib/query';
import { schema } from './fixture';
import { ast } from './helpers';

describe('compileRead: permission hooks', () => {
  const hidden: AccessMap = {
    authors: { itemFilter: buildFilter(schema, 'authors', { name: { _neq: 'Ada' } }) },
    articles: {
      itemFilter: null,
      fieldCases: { views: buildFilter(schema, 'articles', { status: { _eq: 'published' } }) },
    },
  };

  it('reads every collection through source() and every field through its case', () => {
    const query = {
      fields: 'id,views,author.name,author.articles.id',
      filter: { author: { name: { _nnull: true } } },
      sort: 'author.name',
      meta: 'total_count',
    };
    const { sql, params } = compileRead({ ...ast('articles', query), access: hidden }, schema);
    const restricted = /\(SELECT \* FROM "authors" AS "p\d+" WHERE "p\d+"\."name" <> \$\d+::text\)/g;
    // m2o level, relational filter, relational sort: three reads of authors, all restricted.
    expect(sql.match(restricted)).toHaveLength(3);
    expect(sql).not.toMatch(/FROM "authors" AS "t/);
    expect(sql).toMatch(/CASE WHEN "t\d+"\."status" = \$\d+::text THEN "t\d+"\."views" END/);
    expect(params).toContain('Ada');
  });

  it('binds every value', () => {
    const { sql, params } = compileRead(
      ast('articles', { fields: 'id', filter: { title: { _contains: "x' OR 1=1 --" } } }),
      schema,
    );
    expect(sql).not.toContain('OR 1=1');
    expect(params).toContain("%x' OR 1=1 --%");
  });

  it('quotes alias keys as JSON keys, never as SQL', () => {
    const { sql } = compileRead(ast('articles', { fields: "a'b", alias: { "a'b": 'title' } }), schema);
    expect(sql).toContain("E'a\\'b'");
  });

  it('builds wide objects from chunks (json_build_object takes at most 100 arguments)', () => {
    const wide = Array.from({ length: 60 }, (_, index) => `k${index}`);
    const alias = Object.fromEntries(wide.map((key) => [key, 'title']));
    const { sql } = compileRead(ast('articles', { fields: wide.join(','), alias }), schema);
    expect(sql).toMatch(/\(jsonb_build_object\(.*\) \|\| jsonb_build_object\(.*\)\)::json/);
  });
});
