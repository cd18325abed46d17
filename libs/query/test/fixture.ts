/**
 * A realistic schema snapshot for query tests (and the DDL + rows that match it, for tests against PostgreSQL):
 * authors ← articles (m2o author; o2m comments; m2m tags via articles_tags; m2a blocks via articles_blocks over
 * headings/paragraphs), and a singleton settings collection.
 */
import { buildSnapshot, makeField, type FieldSnapshot, type RelationSnapshot, type SchemaSnapshot } from '@lib/schema';
import type { QueryContext, QueryLimits } from '@lib/query';

type FieldSpec = Partial<FieldSnapshot> & Pick<FieldSnapshot, 'field' | 'type'>;

function fields(collection: string, specs: FieldSpec[]): FieldSnapshot[] {
  return specs.map((spec) => makeField({ collection, ...spec }));
}

const id: FieldSpec = {
  field: 'id',
  type: 'integer',
  dbType: 'integer',
  primaryKey: true,
  autoIncrement: true,
  nullable: false,
};
const fk = (field: string): FieldSpec => ({ field, type: 'integer', dbType: 'integer', special: ['m2o'] });
const string = (field: string, extra: Partial<FieldSnapshot> = {}): FieldSpec => ({
  field,
  type: 'string',
  dbType: 'character varying',
  maxLength: 255,
  ...extra,
});
const alias = (field: string, special: string): FieldSpec => ({
  field,
  type: 'alias',
  special: [special],
  alias: true,
});

interface RelationSpec {
  collection: string;
  field: string;
  related: string | null;
  oneField?: string | null;
  junctionField?: string | null;
  sortField?: string | null;
  collectionField?: string | null;
  allowed?: string[] | null;
}

function relation(spec: RelationSpec): RelationSnapshot {
  return {
    collection: spec.collection,
    field: spec.field,
    related_collection: spec.related,
    meta: {
      id: null,
      many_collection: spec.collection,
      many_field: spec.field,
      one_collection: spec.related,
      one_field: spec.oneField ?? null,
      one_collection_field: spec.collectionField ?? null,
      one_allowed_collections: spec.allowed ?? null,
      junction_field: spec.junctionField ?? null,
      sort_field: spec.sortField ?? null,
      one_deselect_action: 'nullify',
    },
    schema: null,
  };
}

export const schema: SchemaSnapshot = buildSnapshot(
  1,
  [
    {
      collection: 'authors',
      fields: fields('authors', [
        id,
        string('name'),
        string('email'),
        { field: 'born', type: 'date', dbType: 'date' },
        { field: 'bio', type: 'text', dbType: 'text' },
        { field: 'created_on', type: 'timestamp', dbType: 'timestamp with time zone' },
        alias('articles', 'o2m'),
      ]),
    },
    {
      collection: 'articles',
      fields: fields('articles', [
        id,
        string('title'),
        { field: 'body', type: 'text', dbType: 'text' },
        string('status', { defaultValue: 'draft' }),
        { field: 'published_at', type: 'dateTime', dbType: 'timestamp without time zone' },
        { field: 'views', type: 'integer', dbType: 'integer' },
        { field: 'rating', type: 'decimal', dbType: 'numeric', precision: 10, scale: 2 },
        { field: 'big', type: 'bigInteger', dbType: 'bigint' },
        { field: 'uid', type: 'uuid', dbType: 'uuid' },
        { field: 'data', type: 'json', dbType: 'json' },
        { field: 'labels', type: 'csv', dbType: 'text', special: ['cast-csv'] },
        { field: 'secret', type: 'hash', dbType: 'character varying', special: ['conceal', 'hash'] },
        { field: 'featured', type: 'boolean', dbType: 'boolean' },
        { field: 'starts', type: 'time', dbType: 'time without time zone' },
        fk('author'),
        alias('comments', 'o2m'),
        alias('tags', 'm2m'),
        alias('blocks', 'm2a'),
      ]),
    },
    {
      collection: 'comments',
      fields: fields('comments', [
        id,
        fk('article'),
        { field: 'body', type: 'text', dbType: 'text' },
        { field: 'created', type: 'dateTime', dbType: 'timestamp without time zone' },
      ]),
    },
    { collection: 'tags', fields: fields('tags', [id, string('name')]) },
    { collection: 'articles_tags', fields: fields('articles_tags', [id, fk('articles_id'), fk('tags_id')]) },
    {
      collection: 'articles_blocks',
      fields: fields('articles_blocks', [
        id,
        fk('articles_id'),
        string('item'),
        string('collection'),
        { field: 'sort', type: 'integer', dbType: 'integer' },
      ]),
    },
    { collection: 'headings', fields: fields('headings', [id, string('title')]) },
    { collection: 'paragraphs', fields: fields('paragraphs', [id, { field: 'body', type: 'text', dbType: 'text' }]) },
    {
      collection: 'settings',
      singleton: true,
      fields: fields('settings', [id, string('site_name', { defaultValue: 'Tessera' })]),
    },
  ],
  [
    relation({ collection: 'articles', field: 'author', related: 'authors', oneField: 'articles' }),
    relation({ collection: 'comments', field: 'article', related: 'articles', oneField: 'comments' }),
    relation({
      collection: 'articles_tags',
      field: 'articles_id',
      related: 'articles',
      oneField: 'tags',
      junctionField: 'tags_id',
    }),
    relation({ collection: 'articles_tags', field: 'tags_id', related: 'tags', junctionField: 'articles_id' }),
    relation({
      collection: 'articles_blocks',
      field: 'articles_id',
      related: 'articles',
      oneField: 'blocks',
      junctionField: 'item',
      sortField: 'sort',
    }),
    relation({
      collection: 'articles_blocks',
      field: 'item',
      related: null,
      collectionField: 'collection',
      allowed: ['headings', 'paragraphs'],
      junctionField: 'articles_id',
    }),
  ],
);

export const limits: QueryLimits = { defaultLimit: 100, maxLimit: null, maxRelationalDepth: 10 };

export const context: QueryContext = {
  now: new Date('2024-06-01T12:00:00.000Z'),
  user: '6f1d1b8a-7c3e-4d2a-9b1e-2f3a4b5c6d7e',
  role: '0b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b',
  roles: ['0b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b', '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f'],
  policies: ['abf8a154-5b1c-4a46-ac9c-7300570f4f17'],
  resolveVariable: (variable) => (variable === '$CURRENT_USER.email' ? 'ada@example.com' : null),
};

/** Tables matching {@link schema}. */
export const DDL = `
CREATE TABLE authors (id serial PRIMARY KEY, name varchar(255), email varchar(255), born date, bio text, created_on timestamptz);
CREATE TABLE articles (
  id serial PRIMARY KEY, title varchar(255), body text, status varchar(255) DEFAULT 'draft',
  published_at timestamp, views integer, rating numeric(10,2), big bigint, uid uuid, data json, labels text,
  secret varchar(255), featured boolean, starts time, author integer REFERENCES authors(id)
);
CREATE TABLE comments (id serial PRIMARY KEY, article integer REFERENCES articles(id), body text, created timestamp);
CREATE TABLE tags (id serial PRIMARY KEY, name varchar(255));
CREATE TABLE articles_tags (id serial PRIMARY KEY, articles_id integer REFERENCES articles(id), tags_id integer REFERENCES tags(id));
CREATE TABLE articles_blocks (id serial PRIMARY KEY, articles_id integer REFERENCES articles(id), item varchar(255), collection varchar(255), sort integer);
CREATE TABLE headings (id serial PRIMARY KEY, title varchar(255));
CREATE TABLE paragraphs (id serial PRIMARY KEY, body text);
CREATE TABLE settings (id serial PRIMARY KEY, site_name varchar(255) DEFAULT 'Tessera');
`;

/** Deterministic rows (explicit ids). */
export const SEED = `
INSERT INTO authors (id, name, email, born, bio, created_on) VALUES
  (1, 'Ada', 'ada@example.com', '1815-12-10', 'Mathematician', '2024-01-02T03:04:05.678Z'),
  (2, 'Grace', 'grace@example.com', '1906-12-09', NULL, '2024-02-03T04:05:06Z'),
  (3, 'Linus', NULL, NULL, 'Kernel hacker', NULL);
INSERT INTO articles (id, title, body, status, published_at, views, rating, big, uid, data, labels, secret, featured, starts, author) VALUES
  (1, 'Hello World', 'First post', 'published', '2024-03-01 10:00:00', 100, 4.5, 9007199254740993,
   'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '[1,2,3]', 'a,b', 'hunter2', true, '09:30:00', 1),
  (2, 'Second', 'More text', 'draft', '2024-06-15 12:30:45', 5000, 3.25, 12,
   'b1ffcd00-1d1c-4ef8-bb6d-6bb9bd380a22', '{"k":"v"}', '', NULL, false, '18:00:15', 2),
  (3, 'Third 100%', NULL, 'published', '2023-12-31 23:59:59', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (4, 'über_case', 'Hello again', 'archived', NULL, 1, 1000.5, -5,
   'c2aade11-2e2d-4ef8-bb6d-6bb9bd380a33', '[]', 'x', 'pw', true, '00:00:00', 1),
  (5, 'Zeta', 'zzz', 'published', '2024-03-01 08:00:00', 1362, 0, 0, NULL, '"text"', 'p,q,r', NULL, false, '12:00:00', 3);
INSERT INTO comments (id, article, body, created) VALUES
  (1, 1, 'Nice', '2024-03-02 10:00:00'), (2, 1, 'Great', '2024-03-03 11:00:00'), (3, 1, 'Meh', NULL),
  (4, 2, 'Ok', '2024-06-16 09:00:00'), (5, 4, 'Hmm', '2024-01-01 00:00:00');
INSERT INTO tags (id, name) VALUES (1, 'news'), (2, 'tech'), (3, 'fun');
INSERT INTO articles_tags (id, articles_id, tags_id) VALUES (1, 1, 1), (2, 1, 2), (3, 2, 2), (4, 4, 3);
INSERT INTO headings (id, title) VALUES (1, 'Intro'), (2, 'Outro');
INSERT INTO paragraphs (id, body) VALUES (1, 'Lorem'), (2, 'Ipsum');
INSERT INTO articles_blocks (id, articles_id, item, collection, sort) VALUES
  (1, 1, '1', 'headings', 2), (2, 1, '1', 'paragraphs', 1), (3, 2, '2', 'headings', 1), (4, 1, '99', 'headings', 3);
INSERT INTO settings (id, site_name) VALUES (1, 'My Site');
`;
