'use strict';
/** Benchmark configuration (environment) and the scenario catalogue shared by the orchestrator and the workers. */
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

function num(name, fallback, min = 0) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number >= ${min}, got "${raw}"`);
  return value;
}

/** Seed sizes (issue 4). Changing them re-seeds (the reuse check compares row counts). */
const SEED = {
  authors: 1000,
  articles: 20000,
  comments: 100000,
  tags: 200,
  tagsPerArticle: 3,
};

const READ_SCENARIOS = {
  a: { kind: 'read', title: 'list 100 articles', path: '/items/articles?limit=100' },
  b: {
    kind: 'read',
    title: 'list 100, nested m2o/o2m/m2m',
    path: '/items/articles?limit=100&fields=id,title,author.name,comments.body,tags.tags_id.name',
  },
  c: {
    kind: 'read',
    title: 'filter + sort + filter_count',
    path: '/items/articles?filter[status][_eq]=published&filter[views][_gt]=500&sort=-published_at&limit=50&meta=filter_count',
  },
  d: { kind: 'read', title: 'one article by random id', randomId: { prefix: '/items/articles/', max: SEED.articles } },
  e: { kind: 'read', title: 'count grouped by status', path: '/items/articles?aggregate[count]=id&groupBy[]=status' },
};

/**
 * The same reads as a non-admin role whose read permission on articles has an item filter (issue 6): compared with
 * the admin figure of the base scenario, the drop must stay under 25 %.
 */
const ROLE_SCENARIOS = {
  ra: { ...READ_SCENARIOS.a, title: 'a as a role with an item filter', asReader: true, baseline: 'a' },
  rb: { ...READ_SCENARIOS.b, title: 'b as a role with an item filter', asReader: true, baseline: 'b' },
  rd: { ...READ_SCENARIOS.d, title: 'd as a role with an item filter', asReader: true, baseline: 'd' },
};

/** The reader's item filter on articles (every article with views >= 0: the filter runs, nothing is hidden). */
const READER_FILTER = { _and: [{ views: { _gte: 0 } }, { status: { _in: ['draft', 'published', 'archived'] } }] };

/** GraphQL (issue 13): h is read scenario b as one GraphQL query (POST /graphql), compared with b's REST figure. */
const B_QUERY = '{ articles(limit: 100) { id title author { name } comments { body } tags { tags_id { name } } } }';
const GRAPHQL_SCENARIOS = {
  h: { kind: 'graphql', title: 'b over GraphQL (POST /graphql)', graphql: B_QUERY, restOf: 'b' },
};

/**
 * hs, the schema-rebuild storm (issue 13): 200 concurrent requests of h's query right after a schema change against
 * 200 without one. Last, since 200 concurrent 50 KB answers raise the server's RSS high-water mark for good.
 */
const STORM_SCENARIOS = {
  hs: { kind: 'graphql-storm', title: "h's query, 200 concurrent, after a schema change", graphql: B_QUERY },
};

/**
 * Write scenarios. f, g and i write to collections whose accountability is `all` (Directus's default): every write
 * also records activity and revisions. f0, g0 and i0 are the same with tracking off (accountability null on the
 * written collection for the scenario; issue 15 compares the two in one run).
 */
const F = { kind: 'write-load', title: 'POST one comment', method: 'POST', create: 'comment', collection: 'comments' };
const G = {
  kind: 'write-load',
  title: 'PATCH one article by random id',
  method: 'PATCH',
  patch: 'article',
  collection: 'articles',
};
const I = {
  kind: 'batch-create',
  title: 'POST 1,000 comments x20 (sequential)',
  batch: 1000,
  times: 20,
  collection: 'comments',
};
const untracked = (s, of) => ({ ...s, title: `${of} with tracking off`, tracking: false, trackingOf: of });
const WRITE_SCENARIOS = {
  f0: untracked(F, 'f'),
  f: F,
  g0: untracked(G, 'g'),
  g: G,
  i0: untracked(I, 'i'),
  i: I,
  j: { kind: 'patch-query', title: 'PATCH ~1,000 articles by query x5 (sequential)', span: 1000, times: 5 },
};

/**
 * The realtime issue's benchmark ("scenario j" there; j here is PATCH by query): `subscribers` WebSocket clients as
 * the bench reader (a role whose read permission on articles has an item filter), all subscribed to articles with the
 * same query, while `creates` articles are created one after another through REST; the same creates with nobody
 * subscribed first, in the same run. w: one realtime instance; w2: the subscribers spread over two instances on the
 * same database (the creates go through the first). Each runs on its own server processes with WEBSOCKETS_ENABLED.
 */
const REALTIME = {
  kind: 'realtime',
  subscribers: Math.floor(num('BENCH_WS_SUBSCRIBERS', 200, 1)),
  creates: Math.floor(num('BENCH_WS_CREATES', 100, 1)),
  /** Alternating blocks (alone, subscribed) the creates are made in. */
  blocks: Math.floor(num('BENCH_WS_BLOCKS', 4, 1)),
  query: { fields: ['id', 'title', 'status', 'views', 'author', 'published_at'] },
};
const REALTIME_SCENARIOS = {
  w: { ...REALTIME, title: `realtime: ${REALTIME.subscribers} subscribers, ${REALTIME.creates} creates`, instances: 1 },
  w2: {
    ...REALTIME,
    title: `realtime: ${REALTIME.subscribers} subscribers on 2 instances, ${REALTIME.creates} creates`,
    instances: 2,
  },
};

const SCENARIOS = {
  ...READ_SCENARIOS,
  ...ROLE_SCENARIOS,
  ...GRAPHQL_SCENARIOS,
  ...WRITE_SCENARIOS,
  ...REALTIME_SCENARIOS,
  ...STORM_SCENARIOS,
};

function loadConfig() {
  const selected = (process.env.BENCH_SCENARIOS ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  for (const s of selected) if (!SCENARIOS[s]) throw new Error(`BENCH_SCENARIOS: unknown scenario "${s}"`);
  const load = process.env.BENCH_LOAD || 'lean';
  if (load !== 'lean' && load !== 'autocannon') throw new Error(`BENCH_LOAD: "${load}" is not lean or autocannon`);
  const wsClient = process.env.BENCH_WS_CLIENT || 'lean';
  if (wsClient !== 'lean' && wsClient !== 'ws') throw new Error(`BENCH_WS_CLIENT: "${wsClient}" is not lean or ws`);
  return {
    root: ROOT,
    duration: num('BENCH_DURATION', 15, 1),
    warmup: num('BENCH_WARMUP', 3, 0),
    connections: Math.floor(num('BENCH_CONNECTIONS', 32, 1)),
    /** HTTP load generator: the lean client (bench/lib/lean-http.js) or autocannon. */
    load,
    /** WebSocket client of the realtime subscribers (w, w2): the lean client (bench/lib/lean-ws.js) or `ws`. */
    wsClient,
    /** Clients of the direct-SQL baseline; defaults to the HTTP connections (the issue compares at equal concurrency). */
    directConnections: Math.floor(num('BENCH_DIRECT_CONNECTIONS', num('BENCH_CONNECTIONS', 32, 1), 1)),
    scenarios: selected.length ? Object.keys(SCENARIOS).filter((s) => selected.includes(s)) : Object.keys(SCENARIOS),
    pgDir: path.join(ROOT, '.tmp', 'bench-pg'),
    database: 'bench',
    adminToken: 'bench-admin-token',
    readerToken: 'bench-reader-token',
    adminEmail: 'bench@example.com',
    adminPassword: 'bench-password-1234',
    resultsDir: path.join(ROOT, 'bench', 'results'),
    /** PostgreSQL settings: durable defaults, only more connections (32 direct clients + the server pool). */
    pgSettings: {
      max_connections: '200',
      ...(process.env.BENCH_PG_STATEMENTS === '1' ? { shared_preload_libraries: 'pg_stat_statements' } : {}),
      ...JSON.parse(process.env.BENCH_PG_SETTINGS || '{}'),
    },
    /** Diagnostics: record the top statements per scenario from pg_stat_statements (installed in db `postgres`). */
    pgStatements: process.env.BENCH_PG_STATEMENTS === '1',
  };
}

module.exports = {
  ROOT,
  SEED,
  SCENARIOS,
  READ_SCENARIOS,
  ROLE_SCENARIOS,
  GRAPHQL_SCENARIOS,
  STORM_SCENARIOS,
  READER_FILTER,
  WRITE_SCENARIOS,
  REALTIME_SCENARIOS,
  loadConfig,
};
