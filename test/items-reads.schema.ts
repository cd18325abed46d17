import type { TestApp } from './support/app';

/**
 * The collections the items-reads (and SDK) e2e tests read, created through the real /collections, /fields and
 * /relations API, and the rows they hold (inserted with SQL so the reads under test don't depend on the writes):
 * - authors (o2m `articles`, the backlink of articles.author) ← articles.author (M2O);
 * - articles: one field of most types; comments (O2M), tags (M2M via articles_tags), blocks (M2A headings|paragraphs
 *   via articles_blocks);
 * - settings (an empty singleton with defaults), site (a singleton with a row);
 * - pages (collection sort_field `sort`), tokens (uuid primary key), codes (string primary key).
 */
export async function createReadsSchema(t: TestApp): Promise<void> {
  async function call(path: string, body: unknown): Promise<void> {
    const res = await t.http
      .post(path)
      .set(t.admin)
      .send(body as object);
    if (res.status !== 200) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  const collection = (name: string, fields: unknown[], meta?: unknown) =>
    call('/collections', { collection: name, schema: {}, fields, ...(meta ? { meta } : {}) });
  const relation = (body: unknown) => call('/relations', body);
  const alias = (c: string, name: string, special: string) =>
    call(`/fields/${c}`, { field: name, type: 'alias', meta: { special: [special] } });

  await collection('authors', [
    { field: 'name', type: 'string' },
    { field: 'email', type: 'string' },
    { field: 'born', type: 'date' },
  ]);
  await collection('articles', [
    { field: 'title', type: 'string' },
    { field: 'body', type: 'text' },
    { field: 'status', type: 'string', schema: { default_value: 'draft' } },
    { field: 'published_at', type: 'dateTime' },
    { field: 'created_on', type: 'timestamp' },
    { field: 'day', type: 'date' },
    { field: 'starts', type: 'time' },
    { field: 'views', type: 'integer' },
    { field: 'rating', type: 'decimal', schema: { numeric_precision: 10, numeric_scale: 2 } },
    { field: 'big', type: 'bigInteger' },
    { field: 'data', type: 'json' },
    { field: 'featured', type: 'boolean' },
    { field: 'uid', type: 'uuid' },
    { field: 'author', type: 'integer', meta: { special: ['m2o'] } },
  ]);
  await alias('authors', 'articles', 'o2m');
  await relation({
    collection: 'articles',
    field: 'author',
    related_collection: 'authors',
    meta: { one_field: 'articles' },
  });

  await collection('comments', [
    { field: 'body', type: 'text' },
    { field: 'article', type: 'integer' },
    { field: 'created', type: 'dateTime' },
  ]);
  await alias('articles', 'comments', 'o2m');
  await relation({
    collection: 'comments',
    field: 'article',
    related_collection: 'articles',
    meta: { one_field: 'comments' },
  });

  await collection('tags', [{ field: 'name', type: 'string' }]);
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

  await collection('headings', [{ field: 'title', type: 'string' }]);
  await collection('paragraphs', [{ field: 'body', type: 'text' }]);
  await collection('articles_blocks', [
    { field: 'articles_id', type: 'integer' },
    { field: 'item', type: 'string' },
    { field: 'collection', type: 'string' },
    { field: 'sort', type: 'integer' },
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

  const singletonFields = [
    { field: 'site_name', type: 'string', schema: { default_value: 'Tessera' } },
    { field: 'per_page', type: 'integer', schema: { default_value: 25 } },
    { field: 'theme', type: 'string' },
  ];
  await collection('settings', singletonFields, { singleton: true });
  await collection('site', singletonFields, { singleton: true });

  await collection(
    'pages',
    [
      { field: 'title', type: 'string' },
      { field: 'sort', type: 'integer' },
    ],
    { sort_field: 'sort' },
  );

  await call('/collections', {
    collection: 'codes',
    schema: {},
    fields: [
      { field: 'code', type: 'string', schema: { is_primary_key: true } },
      { field: 'label', type: 'string' },
    ],
  });

  await call('/collections', {
    collection: 'tokens',
    schema: {},
    fields: [
      { field: 'id', type: 'uuid', schema: { is_primary_key: true } },
      { field: 'label', type: 'string' },
    ],
  });
}

export const UID = '3f1c2f4e-8d4b-4c1a-9b7e-2a5d6c7e8f90';
export const TOKEN_ID = '6b0e1a52-0c3e-4d9f-8a61-7f2b3c4d5e6f';

/** The rows every read test sees (ids are explicit; sequences are moved past them for the SDK's creates). */
export const SEED = `
INSERT INTO authors (id, name, email, born) VALUES
  (1, 'Ann', 'ann@example.com', '1980-01-02'),
  (2, 'Bob', 'bob@example.com', '1975-06-30'),
  (3, 'Cy', NULL, NULL);
INSERT INTO articles (id, title, body, status, published_at, created_on, day, starts, views, rating, big, data,
                      featured, uid, author) VALUES
  (1, 'Hello World', 'First post', 'published', '2024-03-05 10:20:30', '2024-03-05 10:20:30+00', '2024-03-05',
   '09:15:00', 100, 4.5, 9007199254740993, '{"a":1}', true, '${UID}', 1),
  (2, 'Second Post', 'More words', 'published', '2023-12-31 23:59:59', '2023-12-31 22:00:00+00', '2023-12-31',
   '18:00:00', 250, 3.25, 12, '[1,2]', false, NULL, 2),
  (3, 'Draft Ideas', NULL, 'draft', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 1),
  (4, 'Zeta', 'zzz', 'archived', '2024-07-01 00:00:00', '2024-07-01 00:00:00+00', '2024-07-01', '00:00:00', 50,
   1000.5, -5, 'null', true, NULL, NULL),
  (5, 'alpha', 'lowercase hello', 'published', '2022-01-01 12:00:00', '2022-01-01 12:00:00+00', '2022-01-01',
   '12:00:00', 0, 0, 0, '"s"', false, NULL, 3);
INSERT INTO comments (id, article, body, created) VALUES
  (1, 1, 'Great read', '2024-03-06 08:00:00'),
  (2, 1, 'Thanks', '2024-03-07 08:00:00'),
  (3, 1, 'great again', '2024-03-08 08:00:00'),
  (4, 2, 'Nice', '2024-01-01 08:00:00'),
  (5, 4, 'c5', NULL), (6, 4, 'c6', NULL), (7, 4, 'c7', NULL), (8, 4, 'c8', NULL), (9, 4, 'c9', NULL);
INSERT INTO tags (id, name) VALUES (1, 'news'), (2, 'tech'), (3, 'life');
INSERT INTO articles_tags (id, articles_id, tags_id) VALUES (1, 1, 1), (2, 1, 2), (3, 2, 2), (4, 4, 3);
INSERT INTO headings (id, title) VALUES (1, 'Intro'), (2, 'Outro');
INSERT INTO paragraphs (id, body) VALUES (1, 'Para one'), (2, 'Para two');
INSERT INTO articles_blocks (id, articles_id, item, collection, sort) VALUES
  (1, 1, '1', 'headings', 1), (2, 1, '1', 'paragraphs', 2), (3, 1, '2', 'headings', 3), (4, 2, '2', 'paragraphs', 1);
INSERT INTO site (id, site_name, per_page, theme) VALUES (1, 'My Site', 10, 'dark');
INSERT INTO pages (id, title, sort) VALUES (1, 'p-one', 3), (2, 'p-two', 1), (3, 'p-three', 2);
INSERT INTO tokens (id, label) VALUES ('${TOKEN_ID}', 'only');
INSERT INTO codes (code, label) VALUES ('b', 'bee'), ('a', 'ay'), ('a,b', 'comma');
`;

const SEQUENCED = [
  'authors',
  'articles',
  'comments',
  'tags',
  'articles_tags',
  'headings',
  'paragraphs',
  'articles_blocks',
  'site',
  'pages',
];

/** Inserts {@link SEED} and moves every serial past the explicit ids. */
export async function seedReads(t: TestApp): Promise<void> {
  await t.db.client.query(SEED);
  for (const table of SEQUENCED) {
    await t.db.client.query(
      `SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), (SELECT max(id) FROM "${table}"))`,
    );
  }
}
