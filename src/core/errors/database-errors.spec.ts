import { mapDatabaseError } from './database-errors';

describe('mapDatabaseError (PostgreSQL → Directus codes, spec 1.4 and 15)', () => {
  it('23505 → RECORD_NOT_UNIQUE naming collection, field and value', () => {
    const e = mapDatabaseError({ code: '23505', table: 'tags', detail: 'Key (name)=(news) already exists.' });
    expect(e?.code).toBe('RECORD_NOT_UNIQUE');
    expect(e?.status).toBe(400);
    expect(e?.message).toBe('Value "news" for field "name" in collection "tags" has to be unique.');
    expect(e?.extensions).toEqual({ collection: 'tags', field: 'name', value: 'news' });
  });

  it('23503 → INVALID_FOREIGN_KEY with the value as sent', () => {
    const e = mapDatabaseError(
      { code: '23503', table: 'articles', detail: 'Key (author)=(999) is not present in table "authors".' },
      { payload: { author: 999 } },
    );
    expect(e?.code).toBe('INVALID_FOREIGN_KEY');
    expect(e?.message).toBe('Invalid foreign key "999" for field "author" in collection "articles".');
    expect(e?.extensions).toEqual({ collection: 'articles', field: 'author', value: 999 });
  });

  it('23502 → NOT_NULL_VIOLATION, or CONTAINS_NULL_VALUES when altering a column', () => {
    expect(mapDatabaseError({ code: '23502', table: 'a', column: 'title' })?.extensions).toEqual({
      collection: 'a',
      field: 'title',
    });
    const alter = mapDatabaseError({
      code: '23502',
      table: 'a',
      column: 'title',
      message: 'column "title" of relation "a" contains null values',
    });
    expect(alter?.code).toBe('CONTAINS_NULL_VALUES');
    expect(alter?.message).toBe('Field "title" in collection "a" contains null values.');
  });

  it('22001 → VALUE_TOO_LONG with field and value null (spec 15)', () => {
    const e = mapDatabaseError({ code: '22001' }, { collection: 'articles' });
    expect(e?.message).toBe('Value in collection "articles" is too long.');
    expect(e?.extensions).toEqual({ collection: 'articles', field: null, value: null });
  });

  it('22003 → VALUE_OUT_OF_RANGE', () => {
    expect(mapDatabaseError({ code: '22003' }, { collection: 'n' })?.code).toBe('VALUE_OUT_OF_RANGE');
  });

  it('leaves anything else alone', () => {
    expect(mapDatabaseError(new Error('boom'))).toBeNull();
    expect(mapDatabaseError({ code: '40001' })).toBeNull();
  });
});
