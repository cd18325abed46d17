'use strict';
/**
 * Compiles a read URL to the exact SQL the server runs: qs-parse (as configure-app does) → sanitizeQuery →
 * buildReadAst → compileRead, against a schema snapshot loaded with the server's own loadCatalog.
 */
const path = require('node:path');
const { Client } = require('pg');
const qs = require('qs');
const { ROOT } = require('./config');

require(path.join(ROOT, 'dist', 'src', 'register-paths.js'));
const query = require(path.join(ROOT, 'dist', 'libs', 'query', 'src'));
const { loadCatalog } = require(path.join(ROOT, 'dist', 'src', 'modules', 'schema', 'schema-loader.js'));

const LIMITS = { defaultLimit: 100, maxLimit: null, maxRelationalDepth: 10 };

async function loadSnapshot(url) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const db = {
      query: async (sql, params) => (await client.query(sql, params)).rows,
      transaction: async (fn) => {
        await client.query('BEGIN');
        try {
          const out = await fn();
          await client.query('COMMIT');
          return out;
        } catch (e) {
          await client.query('ROLLBACK');
          throw e;
        }
      },
    };
    return (await loadCatalog(db)).snapshot;
  } finally {
    await client.end();
  }
}

/** `/items/<collection>[/<id>]?<query>` → `{sql, params}`, exactly as ItemsReadService.run builds it. */
function compileUrl(snapshot, url) {
  const [pathname, search = ''] = url.split('?');
  const [, items, collection, id] = pathname.split('/');
  if (items !== 'items') throw new Error(`not an items URL: ${url}`);
  const raw = qs.parse(search, { depth: 10, arrayLimit: 500 });
  const ctx = { now: new Date(), user: null, role: null, roles: [], policies: [] };
  const sanitized = query.sanitizeQuery(raw, ctx, LIMITS);
  const single = id !== undefined;
  const q = single ? { ...sanitized, meta: undefined } : sanitized;
  const options = single
    ? { mode: 'single', id: decodeURIComponent(id), limits: LIMITS }
    : { mode: 'list', limits: LIMITS };
  const ast = query.buildReadAst(snapshot, collection, q, options);
  return query.compileRead(ast, snapshot);
}

/**
 * The statement the server runs for a one-item admin write with no URL query (f: POST, g: PATCH /:id): the row write
 * with its re-read folded in (ItemsWriteService + compileWriteAndReadBack), as `{sql, params, vary}` where `vary(p)`
 * puts a random target into a copy of the parameters.
 */
function compileWrite(snapshot, scenario, maxArticle) {
  const ctx = { now: new Date(), user: null, role: null, roles: [], policies: [] };
  const ast = query.buildReadAst(
    snapshot,
    scenario.create ? 'comments' : 'articles',
    query.sanitizeQuery({}, ctx, LIMITS),
    {
      mode: 'single',
      limits: LIMITS,
    },
  );
  const write = scenario.create
    ? { sql: 'INSERT INTO "comments" ("body", "article") VALUES ($1, $2) RETURNING *', params: ['bench comment', 1] }
    : { sql: 'UPDATE "articles" SET "title" = $2 WHERE "id" = $1 RETURNING *', params: [1, 'Article 1 (bench edit)'] };
  const folded = query.compileWriteAndReadBack(write, ast, snapshot);
  if (!folded)
    throw new Error(`the ${scenario.method} of scenario "${scenario.title}" is not folded into one statement`);
  return {
    sql: folded.sql,
    params: folded.params,
    randomParam: { index: scenario.create ? 1 : 0, sub: null, max: maxArticle, asString: false },
  };
}

module.exports = { loadSnapshot, compileUrl, compileWrite };
