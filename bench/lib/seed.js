'use strict';
/**
 * The bench data set (issue 4): schema through the HTTP API, rows through set-based SQL (generate_series).
 * Every generated value is a function of the row id, so write scenarios can be undone exactly (`restore`) and the
 * seed reused between runs.
 */
const { Client } = require('pg');
const { SEED } = require('./config');

const TABLES = ['authors', 'articles', 'comments', 'tags', 'articles_tags'];

// Deterministic generated values (also used to restore after the write scenarios).
const ARTICLE_TITLE = (g) => `'Article ' || ${g}`;
const ARTICLE_VIEWS = (g) => `((${g}::bigint * 7919) % 1000)::int`;

async function withClient(url, fn) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Whether the bench database holds exactly the seeded schema and row counts. */
async function inspect(url) {
  return withClient(url, async (c) => {
    const { rows: present } = await c.query(
      `SELECT t AS name FROM unnest($1::text[]) t WHERE to_regclass('public.' || quote_ident(t)) IS NOT NULL`,
      [[...TABLES, 'directus_relations']],
    );
    const names = new Set(present.map((r) => r.name));
    const missing = [...TABLES, 'directus_relations'].filter((t) => !names.has(t));
    if (missing.length) return { ok: false, reason: `missing tables: ${missing.join(', ')}` };
    const { rows: rel } = await c.query(
      `SELECT count(*)::int AS n FROM directus_relations WHERE many_collection = ANY($1::text[])`,
      [['articles', 'comments', 'articles_tags']],
    );
    if (rel[0].n !== 4) return { ok: false, reason: `expected 4 relations, found ${rel[0].n}` };
    const { rows: aliases } = await c.query(
      `SELECT count(*)::int AS n FROM directus_fields WHERE collection = 'articles' AND field IN ('comments','tags')`,
    );
    if (aliases[0].n !== 2) return { ok: false, reason: 'alias fields articles.comments / articles.tags missing' };
    const counts = await rowCounts(c);
    const expected = expectedCounts();
    for (const [t, n] of Object.entries(expected))
      if (counts[t] !== n) return { ok: false, reason: `${t} has ${counts[t]} rows, expected ${n}`, counts };
    return { ok: true, counts };
  });
}

function expectedCounts() {
  return {
    authors: SEED.authors,
    articles: SEED.articles,
    comments: SEED.comments,
    tags: SEED.tags,
    articles_tags: SEED.articles * SEED.tagsPerArticle,
  };
}

async function rowCounts(c) {
  const { rows } = await c.query(
    `SELECT ${TABLES.map((t) => `(SELECT count(*)::int FROM "${t}") AS "${t}"`).join(', ')}`,
  );
  return rows[0];
}

/**
 * Undo the write scenarios: extra comments go, edited titles/views return to their generated values.
 * `compact` (at the start of every run on a reused seed) rewrites both tables with VACUUM FULL: a plain VACUUM
 * leaves the pages that earlier runs' updates and resets added, so a faster build (more writes per run) used to
 * leave a bigger `articles` for the next run's sequential scans (e: 2,592 pages against 2,065 on a fresh seed).
 */
async function restore(url, log, { compact = false } = {}) {
  return withClient(url, async (c) => {
    const present = await c.query(
      `SELECT to_regclass('public.comments') IS NOT NULL AND to_regclass('public.articles') IS NOT NULL AS ok`,
    );
    if (!present.rows[0].ok) return;
    const t0 = Date.now();
    // What the write scenarios recorded (activity, revisions, the change log): each starts with none.
    await c.query(
      `DO $$ BEGIN IF to_regclass('public.directus_revisions') IS NOT NULL THEN
         TRUNCATE directus_revisions, directus_activity; END IF;
       IF to_regclass('public.tessera_changes') IS NOT NULL THEN TRUNCATE tessera_changes; END IF; END $$`,
    );
    const del = await c.query(`DELETE FROM comments WHERE id > $1`, [SEED.comments]);
    await c.query(`SELECT setval(pg_get_serial_sequence('comments', 'id'), $1)`, [SEED.comments]);
    // The realtime scenarios (w, w2) create articles.
    const delArticles = await c.query(`DELETE FROM articles WHERE id > $1`, [SEED.articles]);
    await c.query(`SELECT setval(pg_get_serial_sequence('articles', 'id'), $1)`, [SEED.articles]);
    const upd = await c.query(
      `UPDATE articles SET title = ${ARTICLE_TITLE('id')}, views = ${ARTICLE_VIEWS('id')}
        WHERE title IS DISTINCT FROM ${ARTICLE_TITLE('id')} OR views IS DISTINCT FROM ${ARTICLE_VIEWS('id')}`,
    );
    if (compact || del.rowCount || delArticles.rowCount || upd.rowCount) {
      await c.query(compact ? 'VACUUM (FULL, ANALYZE) comments, articles' : 'VACUUM ANALYZE comments, articles');
      // Write the vacuumed pages out now, so that the next measured run doesn't pay for this checkpoint.
      await c.query('CHECKPOINT');
      log(
        `restore: removed ${del.rowCount} written comments, ${delArticles.rowCount} articles, reset ${upd.rowCount} edited articles, ` +
          `${compact ? 'rewritten (VACUUM FULL)' : 'vacuumed'}, ` +
          `checkpointed (${Date.now() - t0} ms)`,
      );
    }
  });
}

async function api(baseUrl, token, method, path, body) {
  const res = await fetch(baseUrl + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : null;
}

const col = (field, type, schema = {}) => ({ field, type, schema });

/** The schema, created the way a user would: /collections, /fields and /relations. */
async function createSchema(baseUrl, token, log) {
  const call = (method, path, body) => api(baseUrl, token, method, path, body);
  const t0 = Date.now();
  await call('POST', '/collections', {
    collection: 'authors',
    schema: {},
    fields: [col('name', 'string'), col('email', 'string')],
  });
  await call('POST', '/collections', { collection: 'tags', schema: {}, fields: [col('name', 'string')] });
  await call('POST', '/collections', {
    collection: 'articles',
    schema: {},
    fields: [
      col('title', 'string'),
      col('body', 'text'),
      col('status', 'string'),
      col('published_at', 'dateTime'),
      col('views', 'integer'),
      col('author', 'integer'),
    ],
  });
  await call('POST', '/collections', {
    collection: 'comments',
    schema: {},
    fields: [col('body', 'text'), col('article', 'integer')],
  });
  await call('POST', '/collections', {
    collection: 'articles_tags',
    schema: {},
    fields: [col('articles_id', 'integer'), col('tags_id', 'integer')],
  });
  await call('POST', '/fields/articles', { field: 'comments', type: 'alias', meta: { special: ['o2m'] } });
  await call('POST', '/fields/articles', { field: 'tags', type: 'alias', meta: { special: ['m2m'] } });
  await call('POST', '/relations', { collection: 'articles', field: 'author', related_collection: 'authors' });
  await call('POST', '/relations', {
    collection: 'comments',
    field: 'article',
    related_collection: 'articles',
    meta: { one_field: 'comments' },
  });
  await call('POST', '/relations', {
    collection: 'articles_tags',
    field: 'articles_id',
    related_collection: 'articles',
    meta: { one_field: 'tags', junction_field: 'tags_id' },
  });
  await call('POST', '/relations', {
    collection: 'articles_tags',
    field: 'tags_id',
    related_collection: 'tags',
    meta: { junction_field: 'articles_id' },
  });
  log(`schema: 5 collections, 2 alias fields, 4 relations created through the API (${Date.now() - t0} ms)`);
}

/** Rows by set-based SQL, one statement per table, each with a progress line. */
async function seedRows(url, log) {
  await withClient(url, async (c) => {
    const step = async (label, sql) => {
      const t0 = Date.now();
      const r = await c.query(sql);
      log(`seed: ${label.padEnd(14)} ${String(r.rowCount ?? '').padStart(7)} rows  ${Date.now() - t0} ms`);
    };
    await step(
      'authors',
      `INSERT INTO authors (name, email)
       SELECT 'Author ' || g, 'author' || g || '@example.com' FROM generate_series(1, ${SEED.authors}) g`,
    );
    await step('tags', `INSERT INTO tags (name) SELECT 'Tag ' || g FROM generate_series(1, ${SEED.tags}) g`);
    await step(
      'articles',
      `INSERT INTO articles (title, body, status, published_at, views, author)
       SELECT ${ARTICLE_TITLE('g')},
              'Body of article ' || g || '. ' || repeat('Lorem ipsum dolor sit amet, consectetur adipiscing elit. ', 3 + g % 8),
              (ARRAY['draft','published','archived'])[1 + g % 3],
              timestamp '2020-01-01 00:00:00' + g * interval '73 minutes',
              ${ARTICLE_VIEWS('g')},
              1 + (g * 31) % ${SEED.authors}
         FROM generate_series(1, ${SEED.articles}) g`,
    );
    await step(
      'comments',
      `INSERT INTO comments (body, article)
       SELECT 'Comment ' || g || ': ' || repeat('nice read. ', 1 + g % 5), 1 + (g * 7) % ${SEED.articles}
         FROM generate_series(1, ${SEED.comments}) g`,
    );
    // tagsPerArticle distinct tags per article: offsets k*67 are distinct modulo 200.
    await step(
      'articles_tags',
      `INSERT INTO articles_tags (articles_id, tags_id)
       SELECT a, 1 + (a * 3 + k * 67) % ${SEED.tags}
         FROM generate_series(1, ${SEED.articles}) a, generate_series(0, ${SEED.tagsPerArticle - 1}) k
        ORDER BY a, k`,
    );
    const t0 = Date.now();
    await c.query(`VACUUM ANALYZE ${TABLES.map((t) => `"${t}"`).join(', ')}`);
    log(`seed: VACUUM ANALYZE ${Date.now() - t0} ms`);
  });
}

/**
 * Opt-in (BENCH_FK_INDEXES=1) indexes on the foreign-key columns, which the API does not create. Named `bench_fk_*`
 * and dropped again when the option is off, so the default run always measures exactly what the API built.
 */
const FK_INDEXES = [
  ['bench_fk_articles_author', 'articles', 'author'],
  ['bench_fk_comments_article', 'comments', 'article'],
  ['bench_fk_articles_tags_articles_id', 'articles_tags', 'articles_id'],
  ['bench_fk_articles_tags_tags_id', 'articles_tags', 'tags_id'],
];

async function setFkIndexes(url, enabled, log) {
  await withClient(url, async (c) => {
    for (const [name, table, column] of FK_INDEXES) {
      const sql = enabled
        ? `CREATE INDEX IF NOT EXISTS "${name}" ON "${table}" ("${column}")`
        : `DROP INDEX IF EXISTS "${name}"`;
      await c.query(sql);
    }
    if (enabled) {
      await c.query('ANALYZE articles, comments, articles_tags');
      log(`BENCH_FK_INDEXES=1: extra indexes ${FK_INDEXES.map((i) => i[0]).join(', ')} (NOT created by the API)`);
    }
  });
}

/** Indexes present on the bench tables (as created by the API; the bench adds none). */
async function listIndexes(url) {
  return withClient(url, async (c) => {
    const { rows } = await c.query(
      `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = ANY($1::text[])
       ORDER BY tablename, indexname`,
      [TABLES],
    );
    return rows;
  });
}

module.exports = {
  setFkIndexes,
  inspect,
  restore,
  createSchema,
  seedRows,
  listIndexes,
  withClient,
  api,
  expectedCounts,
  TABLES,
};
