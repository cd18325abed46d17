import { compileWriteAndReadBack, READ_BACK_COLUMN } from '@lib/query';
import { ast } from './helpers';
import { schema } from './fixture';

/** A write folded with its single-item re-read (compileWriteAndReadBack), or declined (null). */
describe('compileWriteAndReadBack', () => {
  const write = { sql: 'UPDATE "articles" SET "title" = $2 WHERE "id" = ANY($1) RETURNING *', params: [[7], 'x'] };
  const fold = (raw: unknown, mode: 'single' | 'list' = 'single') =>
    compileWriteAndReadBack(write, ast('articles', raw, { mode, id: mode === 'single' ? 7 : undefined }), schema);

  it('reads the root row from the written rows, after the write parameters, next to the written columns', () => {
    const folded = fold({ fields: 'id,title,author.name,comments' })!;
    expect(folded.params.slice(0, 2)).toEqual([[7], 'x']);
    expect(folded.sql.startsWith(`WITH "w0" AS (${write.sql}), `)).toBe(true);
    expect(folded.sql).toContain(`FROM "w0" AS "t`);
    expect(folded.sql).not.toMatch(/FROM "articles"/);
    expect(folded.sql.endsWith(`AS "${READ_BACK_COLUMN}", "w0".* FROM "w0"`)).toBe(true);
    // the read's own parameters are numbered after the write's
    expect(folded.sql).toContain('$3');
    expect(folded.sql).not.toMatch(/\$1(?!\d)[^)]*::int8\[\]/);
  });

  it.each([
    ['an M2O back to the written collection', { fields: 'id,comments.article.title' }],
    ['an O2M reaching it again', { fields: 'id,author.articles' }],
    [
      'a filter through a relation back to it',
      { fields: 'id', filter: { comments: { article: { title: { _eq: 'a' } } } } },
    ],
    [
      'a sort through an M2O chain back to it',
      { fields: 'id,comments.body', deep: { comments: { _sort: 'article.title' } } },
    ],
  ])('declines %s: the table would be read as it was before the write', (_name, raw) => {
    expect(fold(raw)).toBeNull();
  });

  it('declines list reads', () => {
    expect(fold({ fields: 'id' }, 'list')).toBeNull();
  });
});
