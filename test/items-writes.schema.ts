import type { TestApp } from './support/app';

/**
 * The collections the items-writes e2e tests write to, created through the real /collections, /fields and
 * /relations API:
 * - authors ← articles.author (M2O); articles.comments (O2M, sort_field, nullify); articles.notes (O2M, delete);
 *   articles.tags (M2M through articles_tags); articles.blocks (M2A headings|paragraphs through articles_blocks);
 * - kitchen: one field of every type and special (defaults, casting, hash, conceal, stamps);
 * - settings: a singleton; codes: a string primary key.
 */
export async function createItemsSchema(t: TestApp): Promise<void> {
  async function call(method: 'post' | 'patch', path: string, body: unknown): Promise<void> {
    const res = await t.http[method](path)
      .set(t.admin)
      .send(body as object);
    if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  const collection = (name: string, fields: unknown[], meta?: unknown) =>
    call('post', '/collections', { collection: name, schema: {}, fields, ...(meta ? { meta } : {}) });
  const field = (c: string, body: unknown) => call('post', `/fields/${c}`, body);
  const relation = (body: unknown) => call('post', '/relations', body);
  const alias = (c: string, name: string, special: string) =>
    field(c, { field: name, type: 'alias', meta: { special: [special] } });

  await collection('authors', [{ field: 'name', type: 'string' }]);
  await collection('articles', [
    { field: 'title', type: 'string', schema: { is_nullable: false, max_length: 20 } },
    { field: 'slug', type: 'string', schema: { is_unique: true } },
    { field: 'status', type: 'string', schema: { default_value: 'draft' } },
    { field: 'author', type: 'integer', meta: { special: ['m2o'] } },
  ]);
  await relation({ collection: 'articles', field: 'author', related_collection: 'authors' });

  await collection('comments', [
    { field: 'body', type: 'string', schema: { is_nullable: false } },
    { field: 'article', type: 'integer' },
    { field: 'sort', type: 'integer' },
  ]);
  await alias('articles', 'comments', 'o2m');
  await relation({
    collection: 'comments',
    field: 'article',
    related_collection: 'articles',
    meta: { one_field: 'comments', sort_field: 'sort' },
  });

  await collection('notes', [
    { field: 'text', type: 'string' },
    { field: 'article', type: 'integer' },
  ]);
  await alias('articles', 'notes', 'o2m');
  await relation({
    collection: 'notes',
    field: 'article',
    related_collection: 'articles',
    meta: { one_field: 'notes', one_deselect_action: 'delete' },
  });

  await collection('tags', [{ field: 'name', type: 'string', schema: { is_unique: true } }]);
  await collection('articles_tags', [
    { field: 'articles_id', type: 'integer' },
    { field: 'tags_id', type: 'integer' },
  ]);
  await alias('articles', 'tags', 'm2m');
  await relation({
    collection: 'articles_tags',
    field: 'articles_id',
    related_collection: 'articles',
    meta: { one_field: 'tags', junction_field: 'tags_id' },
  });
  await relation({
    collection: 'articles_tags',
    field: 'tags_id',
    related_collection: 'tags',
    meta: { junction_field: 'articles_id' },
  });

  await collection('headings', [{ field: 'title', type: 'string', schema: { is_nullable: false } }]);
  await collection('paragraphs', [{ field: 'body', type: 'text' }]);
  await collection('articles_blocks', [
    { field: 'articles_id', type: 'integer' },
    { field: 'item', type: 'string' },
    { field: 'collection', type: 'string' },
  ]);
  await alias('articles', 'blocks', 'm2a');
  await relation({
    collection: 'articles_blocks',
    field: 'item',
    related_collection: null,
    meta: {
      one_allowed_collections: ['headings', 'paragraphs'],
      one_collection_field: 'collection',
      junction_field: 'articles_id',
    },
  });
  await relation({
    collection: 'articles_blocks',
    field: 'articles_id',
    related_collection: 'articles',
    meta: { one_field: 'blocks', junction_field: 'item' },
  });

  await collection('kitchen', [
    { field: 'name', type: 'string', schema: { is_nullable: false } },
    { field: 'label', type: 'string', schema: { default_value: 'unnamed' } },
    { field: 'count', type: 'integer', schema: { default_value: 7 } },
    { field: 'big', type: 'bigInteger' },
    { field: 'price', type: 'decimal', schema: { numeric_precision: 10, numeric_scale: 2 } },
    { field: 'ratio', type: 'float' },
    { field: 'flag', type: 'boolean', meta: { special: ['cast-boolean'] } },
    { field: 'day', type: 'date' },
    { field: 'moment', type: 'dateTime' },
    { field: 'stamp', type: 'timestamp' },
    { field: 'clock', type: 'time' },
    { field: 'doc', type: 'json' },
    { field: 'labels', type: 'csv', meta: { special: ['cast-csv'] } },
    { field: 'secret', type: 'hash', meta: { special: ['hash', 'conceal'] } },
    { field: 'ref', type: 'uuid', meta: { special: ['uuid'] } },
    { field: 'date_created', type: 'timestamp', meta: { special: ['date-created'] } },
    { field: 'date_updated', type: 'timestamp', meta: { special: ['date-updated'] } },
    { field: 'user_created', type: 'uuid', meta: { special: ['user-created'] } },
    { field: 'user_updated', type: 'uuid', meta: { special: ['user-updated'] } },
    { field: 'role_created', type: 'uuid', meta: { special: ['role-created'] } },
    { field: 'role_updated', type: 'uuid', meta: { special: ['role-updated'] } },
    { field: 'code', type: 'string', schema: { max_length: 5 } },
  ]);

  await collection('settings', [{ field: 'site', type: 'string', schema: { default_value: 'Tessera' } }], {
    singleton: true,
  });

  await call('post', '/collections', {
    collection: 'codes',
    schema: {},
    fields: [
      { field: 'code', type: 'string', schema: { is_primary_key: true } },
      { field: 'label', type: 'string' },
    ],
  });
}
