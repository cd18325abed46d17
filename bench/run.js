'use strict';
/**
 * `npm run bench` — Tessera benchmark harness (issues 4 and 5).
 *
 *   own embedded PostgreSQL (.tmp/bench-pg) → database `bench` → server (dist/src/main.js) on it
 *   → schema through the API + set-based seed (skipped when the seed is already there)
 *   → read scenarios a–e: HTTP load (BENCH_LOAD: the lean client or autocannon) in a child process, then the same
 *     compiled SQL straight through pg (child)
 *   → GraphQL scenario h: b as one GraphQL query (HTTP load)
 *   → write scenarios f, g (HTTP load), i (1,000-item creates), j (PATCH by query), each load run (API and direct)
 *     on the seeded data: the seed is restored before it → restore the seed. f0, g0, i0: f, g, i with tracking off
 *     (the written collection's accountability null while they run; f, g, i record activity and revisions)
 *   → w, w2 (the realtime issue's "scenario j"): 200 WebSocket subscribers on one or two WEBSOCKETS_ENABLED instances
 *     of their own, 100 REST creates alone then subscribed (bench/lib/realtime.js)
 *   → hs: the GraphQL schema-rebuild storm (200 concurrent requests right after a schema change vs without one, on
 *     the bench schema and with 45 extra collections of 30 fields), last: it raises the RSS high-water mark
 *   → table + bench/results/bench-<timestamp>.json. Everything started is stopped, also on error and CTRL-C.
 *
 * Environment: BENCH_DURATION (s, 15), BENCH_WARMUP (s, 3), BENCH_CONNECTIONS (32), BENCH_SCENARIOS (a,b,…; all),
 * BENCH_PG_SETTINGS (JSON of extra postgres settings), BENCH_FK_INDEXES=1 (also index the FK columns — not what the
 * API creates; for comparison only), BENCH_PG_STATEMENTS=1 (pg_stat_statements top statements per scenario).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { isDeepStrictEqual } = require('node:util');
const { loadConfig, SCENARIOS, SEED, READER_FILTER } = require('./lib/config');
const procs = require('./lib/procs');
const { startPostgres } = require('./lib/postgres');
const { startServer } = require('./lib/server');
const { realtimeScenario: runRealtime } = require('./lib/realtime');
const seed = require('./lib/seed');
const { loadSnapshot, compileUrl, compileWrite } = require('./lib/compile');
const { startSampler, readStatus } = require('./lib/rss');
const { summarize } = require('./lib/stats');

const cfg = loadConfig();
const t0 = Date.now();
const log = (msg) => console.log(`[bench ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${msg}`);
const MiB = (bytes) => (bytes == null ? null : Math.round((bytes / 1048576) * 10) / 10);
const fmt = (v, d = 1) => (v == null || Number.isNaN(v) ? '–' : Number(v).toFixed(d));

let pg = null;
let server = null;
let cleaning = null;

function cleanup() {
  cleaning ??= (async () => {
    await procs.terminateAll(); // load workers and the server (SIGTERM → ordered shutdown, SIGKILL after 10 s)
    if (pg) {
      log('stopping PostgreSQL');
      await pg.stop();
    }
  })();
  return cleaning;
}

let interrupted = 0;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (++interrupted > 1) process.exit(130); // second CTRL-C: the exit hook SIGKILLs what is left
    log(`${signal}: stopping everything`);
    cleanup().finally(() => process.exit(130));
  });
}
process.on('exit', () => {
  procs.killAllSync();
  pg?.stopSync();
});

// ---------------------------------------------------------------------------------------------------------------

async function main() {
  fs.mkdirSync(cfg.resultsDir, { recursive: true });
  fs.mkdirSync(path.join(cfg.root, '.tmp'), { recursive: true });
  log(
    `config: duration ${cfg.duration}s, warm-up ${cfg.warmup}s, ${cfg.connections} connections (${cfg.load} client), ` +
      `scenarios ${cfg.scenarios.join(',')}, ${os.cpus().length} CPUs, node ${process.version}`,
  );
  const results = {
    startedAt: new Date(t0).toISOString(),
    config: {
      duration: cfg.duration,
      warmup: cfg.warmup,
      connections: cfg.connections,
      load: cfg.load,
      directConnections: cfg.directConnections,
      scenarios: cfg.scenarios,
      pgSettings: cfg.pgSettings,
      seed: SEED,
    },
    environment: {
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memMiB: MiB(os.totalmem()),
    },
    scenarios: {},
  };

  log(`starting embedded PostgreSQL (${path.relative(cfg.root, cfg.pgDir)})`);
  pg = await startPostgres(cfg, (m) => log(m));
  log(`PostgreSQL ${pg.initialised ? 'initialised and ' : ''}listening on port ${pg.port}`);
  const dbUrl = pg.databaseUrl(cfg.database);

  // Seed reuse: undo earlier write scenarios, then check schema and row counts.
  await pg.ensureDatabase(cfg.database);
  await seed.restore(dbUrl, log, { compact: true });
  let state = await seed.inspect(dbUrl);
  const reused = state.ok;
  if (state.ok)
    log(`seed: reusing the existing "${cfg.database}" database (${countsText(state.counts)}) — seeding skipped`);
  else {
    log(`seed: (re)creating the "${cfg.database}" database — ${state.reason}`);
    await seed.withClient(pg.url, (c) => c.query(`DROP DATABASE IF EXISTS "${cfg.database}" WITH (FORCE)`));
    await pg.ensureDatabase(cfg.database);
  }

  const fkIndexes = process.env.BENCH_FK_INDEXES === '1';
  if (state.ok) await seed.setFkIndexes(dbUrl, fkIndexes, log);

  log('starting the server (dist/src/main.js)');
  const serverLog = path.join(cfg.root, '.tmp', 'bench-server.log');
  const bootStart = Date.now();
  server = await startServer(cfg, dbUrl, serverLog);
  log(`server pid ${server.pid} on ${server.url} (ready in ${Date.now() - bootStart} ms, log: .tmp/bench-server.log)`);

  if (!state.ok) {
    await seed.createSchema(server.url, cfg.adminToken, log);
    await seed.seedRows(dbUrl, log);
    state = await seed.inspect(dbUrl);
    if (!state.ok) throw new Error(`seed check failed after seeding: ${state.reason}`);
    log(`seed: done (${countsText(state.counts)})`);
    if (fkIndexes) await seed.setFkIndexes(dbUrl, true, log);
  }
  results.config.fkIndexes = fkIndexes;
  results.seed = { reused, counts: state.counts };
  results.indexes = await seed.listIndexes(dbUrl);
  log(`indexes on bench tables (created by the API): ${results.indexes.map((i) => i.indexname).join(', ')}`);
  results.pgVersion = await seed.withClient(
    dbUrl,
    async (c) => (await c.query('SHOW server_version')).rows[0].server_version,
  );

  const sampler = startSampler(server.pid);
  results.rssAtStart = MiB(readStatus(server.pid).rss);
  const snapshot = await loadSnapshot(dbUrl);
  if (cfg.scenarios.some((n) => SCENARIOS[n].asReader || SCENARIOS[n].kind === 'realtime')) await ensureReader();

  let wrote = false;
  for (const name of cfg.scenarios) {
    const s = SCENARIOS[name];
    log(`── scenario ${name}: ${s.title}`);
    if (cfg.pgStatements) await statements(pg.url, 'reset');
    const closeWindow = sampler.window();
    let r;
    if (s.kind === 'read') r = await readScenario(name, s, snapshot, dbUrl);
    else if (s.kind === 'graphql') r = await graphqlScenario(name, s);
    else if (s.kind === 'graphql-storm') {
      results.vmHWMBeforeStormMiB = MiB(readStatus(server.pid).hwm);
      r = await schemaStorm(s.graphql, dbUrl);
      r.rssBeforeMiB = results.vmHWMBeforeStormMiB;
      r.rssAfterMiB = MiB(readStatus(server.pid).rss);
    } else {
      wrote = true;
      // Each write scenario starts on the seeded data: one before it may have added ~200,000 comments (which the
      // next would read back, and autovacuum while it runs) and dirtied the articles.
      await seed.restore(dbUrl, log);
      if (s.tracking === false) await setAccountability(s.collection, null);
      try {
        if (s.kind === 'write-load') r = await writeLoadScenario(name, s, snapshot, dbUrl);
        else if (s.kind === 'batch-create') r = await batchCreateScenario(s);
        else if (s.kind === 'realtime') r = await realtimeScenario(name, s, dbUrl);
        else r = await patchQueryScenario(s);
      } finally {
        if (s.tracking === false) await setAccountability(s.collection, 'all');
      }
    }
    r.peakRssMiB = MiB(closeWindow());
    if (cfg.pgStatements) {
      r.topStatements = await statements(pg.url, 'top');
      log('  top statements (pg_stat_statements, whole scenario incl. warm-up and direct runs):');
      for (const t of r.topStatements)
        log(
          `    ${String(t.calls).padStart(7)} calls  mean ${t.mean_ms} ms  total ${t.total_ms} ms  ${t.query.replace(/\s+/g, ' ').slice(0, 140)}`,
        );
    }
    results.scenarios[name] = { title: s.title, ...r };
    if (server.child.exitCode !== null || server.child.signalCode !== null)
      throw new Error(`the server died during scenario ${name}:\n${server.tail.join('\n')}`);
  }

  const rss = sampler.stop();
  results.rss = {
    startMiB: results.rssAtStart,
    peakSampledMiB: MiB(rss.peakSampled),
    endMiB: MiB(rss.rss),
    vmHWMMiB: MiB(rss.hwm),
  };
  delete results.rssAtStart;
  log(`server RSS: peak sampled ${results.rss.peakSampledMiB} MiB, VmHWM ${results.rss.vmHWMMiB} MiB`);

  if (wrote) await seed.restore(dbUrl, log);

  results.targets = evaluateTargets(results);
  results.finishedAt = new Date().toISOString();
  const file = path.join(cfg.resultsDir, `bench-${results.startedAt.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  printTable(results);
  log(`results written to ${path.relative(cfg.root, file)}`);
}

async function statements(serverUrl, what) {
  return seed.withClient(serverUrl, async (c) => {
    await c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    if (what === 'reset') return void (await c.query('SELECT pg_stat_statements_reset()'));
    const { rows } = await c.query(
      `SELECT calls::int, round(mean_exec_time::numeric, 3)::float AS mean_ms, round(total_exec_time::numeric, 1)::float AS total_ms,
              rows::int, query
         FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
        WHERE d.datname = $1 ORDER BY total_exec_time DESC LIMIT 8`,
      [cfg.database],
    );
    return rows;
  });
}

function countsText(counts) {
  return Object.entries(counts)
    .map(([t, n]) => `${t} ${n}`)
    .join(', ');
}

// ---------------------------------------------------------------------------------------------------------------
// Scenarios

const headers = (token = cfg.adminToken) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

/**
 * The non-admin reader of the role scenarios: a role and policy with read on every bench collection, articles
 * behind an item filter, created through the API (once; later runs reuse it).
 */
async function ensureReader() {
  const existing = await fetch(`${server.url}/users?filter[email][_eq]=bench-reader@example.com&fields=id`, {
    headers: headers(),
  });
  if (((await existing.json()).data ?? []).length) return;
  const post = async (path, body) => {
    const res = await fetch(server.url + path, { method: 'POST', headers: headers(), body: JSON.stringify(body) });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`POST ${path} → ${res.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text).data;
  };
  const read = (collection, permissions = null) => ({ collection, action: 'read', fields: ['*'], permissions });
  const role = await post('/roles', { name: 'Bench reader' });
  const policy = await post('/policies', {
    name: 'Bench readers',
    permissions: [
      read('articles', READER_FILTER),
      read('authors'),
      read('comments'),
      read('tags'),
      read('articles_tags'),
    ],
  });
  await post('/access', { role: role.id, policy: policy.id });
  await post('/users', {
    email: 'bench-reader@example.com',
    password: 'bench-reader-pw',
    role: role.id,
    token: cfg.readerToken,
  });
  log('reader: created role, policy (articles behind an item filter) and user for the role scenarios');
}
const loadTimeout = () => (cfg.warmup + cfg.duration + 60) * 1000;

async function httpLoad(name) {
  log(
    `  API load: ${cfg.connections} connections, ${cfg.warmup}s warm-up + ${cfg.duration}s (${cfg.load} client, child process)`,
  );
  const r = await procs.runWorker(
    path.join(__dirname, 'workers', 'http-load.js'),
    {
      baseUrl: server.url,
      token: SCENARIOS[name].asReader ? cfg.readerToken : cfg.adminToken,
      scenario: SCENARIOS[name].baseline ?? name,
      connections: cfg.connections,
      duration: cfg.duration,
      warmup: cfg.warmup,
      maxArticle: SEED.articles,
      engine: cfg.load,
    },
    { timeoutMs: loadTimeout() },
  );
  const bad = r.non2xx + r.errors + r.timeouts;
  log(
    `  API:    ${fmt(r.rps, 0).padStart(6)} req/s  p50 ${fmt(r.latency.p50, 2)} ms  p99 ${fmt(r.latency.p99, 2)} ms` +
      (bad ? `  !! non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts} ${JSON.stringify(r.statuses)}` : ''),
  );
  return r;
}

async function readScenario(name, s, snapshot, dbUrl) {
  // One request through the API, and the compiled SQL once directly: they must return the same data.
  const sampleUrl = s.path ?? `${s.randomId.prefix}12345`;
  const res = await fetch(server.url + sampleUrl, { headers: headers(s.asReader ? cfg.readerToken : cfg.adminToken) });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`GET ${sampleUrl} → ${res.status}: ${body.slice(0, 500)}`);
  if (s.asReader) return readerScenario(name, s, sampleUrl, body);
  const { sql, params } = compileUrl(snapshot, sampleUrl);
  let randomParam = null;
  if (s.randomId) {
    // The key is bound either as a parameter of its own or inside an array parameter (= ANY($n)).
    const hits = [];
    params.forEach((p, index) => {
      if (p === '12345' || p === 12345) hits.push({ index, sub: null, asString: typeof p === 'string' });
      else if (Array.isArray(p))
        p.forEach(
          (q, sub) => (q === '12345' || q === 12345) && hits.push({ index, sub, asString: typeof q === 'string' }),
        );
    });
    if (hits.length !== 1) throw new Error(`scenario ${name}: cannot find the bound id in ${JSON.stringify(params)}`);
    randomParam = { ...hits[0], max: s.randomId.max };
  }
  const direct = await seed.withClient(dbUrl, async (c) => (await c.query({ text: sql, values: params })).rows[0]);
  const apiBody = JSON.parse(body);
  const same = isDeepStrictEqual(apiBody.data, JSON.parse(direct.data));
  log(
    `  sample: ${body.length} bytes, ${Array.isArray(apiBody.data) ? `${apiBody.data.length} items` : 'one item'}` +
      `${apiBody.meta ? `, meta ${JSON.stringify(apiBody.meta)}` : ''}; compiled SQL ${sql.length} chars, ` +
      `${params.length} params; direct SQL returns the same data: ${same ? 'yes' : 'NO'}`,
  );
  const api = await httpLoad(name);
  const d = await directLoad('same SQL through pg', api, dbUrl, { sql, params, randomParam });
  return {
    url: s.path ?? `${s.randomId.prefix}<random 1..${s.randomId.max}>`,
    responseBytes: body.length,
    sameDataAsDirect: same,
    sql,
    params: randomParam
      ? params.map((p, i) => (i !== randomParam.index ? p : randomParam.sub === null ? '<random id>' : ['<random id>']))
      : params,
    api,
    direct: d,
    ratio: api.rps / d.rps,
  };
}

/** A role scenario: same URL as its admin baseline; the responses must match (the filter hides nothing). */
async function readerScenario(name, s, sampleUrl, body) {
  const admin = await fetch(server.url + sampleUrl, { headers: headers() });
  const same = isDeepStrictEqual(JSON.parse(body).data, (await admin.json()).data);
  log(`  sample as the reader: ${body.length} bytes; same data as the admin: ${same ? 'yes' : 'NO'}`);
  const api = await httpLoad(name);
  return {
    url: s.path ?? `${s.randomId.prefix}<random 1..${s.randomId.max}>`,
    sameDataAsAdmin: same,
    api,
    p99OverP50: api.latency.p99 / api.latency.p50,
  };
}

/**
 * A GraphQL scenario (issue 13): the GraphQL form of a REST read scenario. One sample (it must return the REST
 * scenario's data, keys as ID strings), then the HTTP load.
 */
async function graphqlScenario(name, s) {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: headers(),
    body: JSON.stringify({ query: s.graphql }),
  });
  const body = await res.text();
  const answer = JSON.parse(body);
  if (res.status !== 200 || answer.errors) throw new Error(`POST /graphql → ${res.status}: ${body.slice(0, 500)}`);
  const rest = await (await fetch(server.url + SCENARIOS[s.restOf].path, { headers: headers() })).json();
  const [items] = Object.values(answer.data);
  const same = isDeepStrictEqual(
    items,
    rest.data.map((row) => ({ ...row, id: String(row.id) })),
  );
  log(
    `  sample: ${body.length} bytes, ${items.length} items; same data as REST ${s.restOf} (keys as strings): ` +
      `${same ? 'yes' : 'NO'}`,
  );
  const api = await httpLoad(name);
  return {
    query: s.graphql,
    responseBytes: body.length,
    sameDataAsRest: same,
    api,
    p99OverP50: api.latency.p99 / api.latency.p50,
  };
}

const STORM_REQUESTS = 200;
const STORM_ROUNDS = 5;
const EXTRA_COLLECTIONS = 45; // with the 5 bench collections: 50
const EXTRA_FIELDS = 30;

/**
 * Issue 13's rebuild storm: the wall time of 200 concurrent GraphQL requests (admin, the scenario's query) right
 * after a schema change (a field added to articles through the API, which answers once this instance serves the new
 * schema), against 200 without one; median of 5 rounds. Once on the bench schema (5 collections), once with 45 more
 * collections of 30 fields (created with SQL and announced by NOTIFY, as another instance would; dropped afterwards).
 */
async function schemaStorm(query, dbUrl) {
  const out = { requests: STORM_REQUESTS, bench: await stormRounds(query, 'bench schema') };
  await extraCollections(dbUrl, true);
  try {
    out.wide = await stormRounds(query, `${EXTRA_COLLECTIONS + 5} collections × ${EXTRA_FIELDS} fields`);
  } finally {
    await extraCollections(dbUrl, false);
  }
  return out;
}

async function stormRounds(query, label) {
  const rounds = [];
  for (let i = 0; i < STORM_ROUNDS; i++) {
    await burst(query); // every cache of the current snapshot is warm
    const without = await burst(query);
    const field = `bench_storm_${i}`;
    await seed.api(server.url, cfg.adminToken, 'POST', '/fields/articles', { field, type: 'string' });
    const after = await burst(query);
    await seed.api(server.url, cfg.adminToken, 'DELETE', `/fields/articles/${field}`);
    rounds.push({ withoutMs: without, afterChangeMs: after, ratio: after / without });
    log(
      `  storm (${label}) ${i + 1}/${STORM_ROUNDS}: ${STORM_REQUESTS} concurrent requests ${fmt(without, 0)} ms ` +
        `without a change, ${fmt(after, 0)} ms right after one (${fmt(after / without, 2)}×)`,
    );
  }
  const ratio = median(rounds.map((r) => r.ratio));
  log(`  storm (${label}): median ${fmt(ratio, 2)}×`);
  return { rounds, ratio };
}

async function burst(query) {
  const body = JSON.stringify({ query });
  const started = performance.now();
  const statuses = await Promise.all(
    Array.from({ length: STORM_REQUESTS }, async () => {
      const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: headers(), body });
      const text = await res.text();
      return res.status === 200 && !text.includes('"errors"') ? 200 : `${res.status} ${text.slice(0, 200)}`;
    }),
  );
  const ms = performance.now() - started;
  const bad = statuses.filter((x) => x !== 200);
  if (bad.length) throw new Error(`${bad.length} of ${STORM_REQUESTS} storm requests failed, e.g. ${bad[0]}`);
  return ms;
}

/** 45 collections of 30 fields (one a foreign key to the previous one), or their removal; then NOTIFY and wait. */
async function extraCollections(dbUrl, create) {
  const names = Array.from({ length: EXTRA_COLLECTIONS }, (_, k) => `bench_wide_${String(k + 1).padStart(2, '0')}`);
  const types = ['varchar(255)', 'integer', 'boolean', 'timestamp', 'text', 'numeric(10,2)', 'jsonb', 'date'];
  const version = await seed.withClient(dbUrl, async (c) => {
    await c.query('BEGIN');
    for (const [k, name] of (create ? names : [...names].reverse()).entries()) {
      if (!create) {
        await c.query(`DROP TABLE IF EXISTS "${name}"`);
        continue;
      }
      const columns = ['"id" serial PRIMARY KEY'];
      for (let f = 1; f < EXTRA_FIELDS - 1; f++) columns.push(`"f${f}" ${types[f % types.length]}`);
      columns.push(k > 0 ? `"ref" integer REFERENCES "${names[k - 1]}" ("id")` : '"ref" integer');
      await c.query(`CREATE TABLE IF NOT EXISTS "${name}" (${columns.join(', ')})`);
    }
    const { rows } = await c.query(
      `UPDATE "tessera_schema_state" SET "version" = "version" + 1 WHERE "id" = 1 RETURNING "version"::int AS v`,
    );
    await c.query(`SELECT pg_notify('tessera_schema', $1)`, [String(rows[0].v)]);
    await c.query('COMMIT');
    return rows[0].v;
  });
  for (let i = 0; i < 500; i++) {
    const health = await (await fetch(`${server.url}/server/health`, { headers: headers() })).json();
    if (health.checks?.['schema:version']?.[0]?.observedValue >= version) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  log(
    `  ${create ? 'created' : 'dropped'} ${EXTRA_COLLECTIONS} collections of ${EXTRA_FIELDS} fields (schema ${version})`,
  );
}

function median(values) {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Turns activity/revision tracking of a collection on ('all') or off (null), through the API. */
async function setAccountability(collection, accountability) {
  const res = await fetch(`${server.url}/collections/${collection}`, {
    method: 'PATCH',
    headers: headers(),
    body: JSON.stringify({ meta: { accountability } }),
  });
  if (res.status !== 200) throw new Error(`PATCH /collections/${collection} → ${res.status}: ${await res.text()}`);
  log(`  ${collection}: accountability ${accountability}`);
}

async function writeLoadScenario(name, s, snapshot, dbUrl) {
  const sampleRes = await fetch(server.url + (s.create ? '/items/comments' : '/items/articles/1'), {
    method: s.method,
    headers: headers(),
    body: JSON.stringify(s.create ? { body: 'bench comment', article: 1 } : { title: 'Article 1 (bench edit)' }),
  });
  const sampleBody = await sampleRes.text();
  if (sampleRes.status !== 200)
    throw new Error(`${s.method} sample → ${sampleRes.status}: ${sampleBody.slice(0, 500)}`);
  log(`  sample ${s.method}: 200, ${sampleBody.length} bytes`);
  const api = await httpLoad(name);
  // A tracking-off variant is compared with its tracked scenario, which has the direct baseline.
  if (s.tracking === false) return { api, p99OverP50: api.latency.p99 / api.latency.p50 };
  // The baseline: the same one statement (write + folded re-read) straight through pg, prepared as the server does,
  // also on the seeded data.
  const { sql, params, randomParam } = compileWrite(snapshot, s, SEED.articles);
  await seed.restore(dbUrl, log);
  const direct = await directLoad('the same statement through pg (prepared)', api, dbUrl, {
    sql,
    params,
    randomParam,
    column: '$read',
    prepared: true,
  });
  return { api, direct, ratio: api.rps / direct.rps, sql, p99OverP50: api.latency.p99 / api.latency.p50 };
}

/** The direct-SQL baseline of a scenario (workers/pg-load.js), logged against the API figure. */
async function directLoad(what, api, dbUrl, statement) {
  log(`  direct: ${what}, ${cfg.directConnections} clients, ${cfg.warmup}s warm-up + ${cfg.duration}s (child process)`);
  const d = await procs.runWorker(
    path.join(__dirname, 'workers', 'pg-load.js'),
    { url: dbUrl, ...statement, connections: cfg.directConnections, duration: cfg.duration, warmup: cfg.warmup },
    { timeoutMs: loadTimeout() },
  );
  log(
    `  direct: ${fmt(d.rps, 0).padStart(6)} req/s  p50 ${fmt(d.latency.p50, 2)} ms  p99 ${fmt(d.latency.p99, 2)} ms` +
      `  → API/direct ${fmt((api.rps / d.rps) * 100, 0)}%` +
      (d.errors || d.bad ? `  !! errors ${d.errors}, bad rows ${d.bad}` : ''),
  );
  return d;
}

async function batchCreateScenario(s) {
  const ms = [];
  let rows = 0;
  log(`  ${s.times} × POST /items/comments with ${s.batch} items, one after the other`);
  for (let n = 0; n < s.times; n++) {
    const items = Array.from({ length: s.batch }, (_, k) => ({
      body: `bench batch ${n} item ${k}`,
      article: 1 + ((n * s.batch + k) % SEED.articles),
    }));
    const payload = JSON.stringify(items);
    const start = performance.now();
    const res = await fetch(`${server.url}/items/comments`, { method: 'POST', headers: headers(), body: payload });
    const text = await res.text();
    const took = performance.now() - start;
    if (res.status !== 200) throw new Error(`POST 1,000 comments → ${res.status}: ${text.slice(0, 500)}`);
    const count = JSON.parse(text).data.length;
    if (count !== s.batch) throw new Error(`POST ${s.batch} comments returned ${count} items`);
    rows += count;
    ms.push(took);
    if (n === 0 || (n + 1) % 5 === 0)
      log(`  ${n + 1}/${s.times}: ${fmt(took)} ms (request ${payload.length} B, response ${text.length} B)`);
  }
  const latency = summarize(ms);
  const totalSeconds = ms.reduce((a, b) => a + b, 0) / 1000;
  const rowsPerSec = rows / totalSeconds;
  log(`  p50 ${fmt(latency.p50)} ms, p99 ${fmt(latency.p99)} ms, ${fmt(rowsPerSec, 0)} rows/s`);
  return { requests: ms.length, rows, msEach: ms, latency, rowsPerSec };
}

/** w, w2: the realtime issue's scenario (bench/lib/realtime.js) on its own WEBSOCKETS_ENABLED instances. */
function realtimeScenario(name, s, dbUrl) {
  return runRealtime(name, s, { cfg, dbUrl, log, fmt, MiB });
}

async function patchQueryScenario(s) {
  const ms = [];
  const touched = [];
  log(
    `  ${s.times} × PATCH /items/articles {query: {filter: {id: {_between: [a, a+${s.span - 1}]}}}, data: {views: 1}}`,
  );
  for (let n = 0; n < s.times; n++) {
    const a = 1 + Math.floor(Math.random() * (SEED.articles - s.span + 1));
    const body = JSON.stringify({ query: { filter: { id: { _between: [a, a + s.span - 1] } } }, data: { views: 1 } });
    const start = performance.now();
    const res = await fetch(`${server.url}/items/articles`, { method: 'PATCH', headers: headers(), body });
    const text = await res.text();
    const took = performance.now() - start;
    if (res.status !== 200) throw new Error(`PATCH by query → ${res.status}: ${text.slice(0, 500)}`);
    const count = JSON.parse(text).data.length;
    touched.push(count);
    ms.push(took);
    log(
      `  ${n + 1}/${s.times}: ids ${a}..${a + s.span - 1}, ${count} items returned, ${fmt(took)} ms (response ${text.length} B)`,
    );
  }
  const latency = summarize(ms);
  return {
    requests: ms.length,
    msEach: ms,
    itemsEach: touched,
    latency,
    rowsPerSec: touched.reduce((x, y) => x + y, 0) / (ms.reduce((x, y) => x + y, 0) / 1000),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Targets (issues 4/5) and the table

function evaluateTargets(results) {
  const sc = results.scenarios;
  const out = [];
  const add = (target, value, pass) => out.push({ target, value, pass });
  const rps = (n, min) => sc[n] && add(`${n}: ≥ ${min} req/s`, Math.round(sc[n].api.rps), sc[n].api.rps >= min);
  rps('a', 540);
  rps('b', 370);
  rps('d', 2500);
  if (sc.d) add('d: p99 < 20 ms', +sc.d.api.latency.p99.toFixed(2), sc.d.api.latency.p99 < 20);
  for (const n of ['a', 'b', 'd'])
    if (sc[n]) add(`${n}: API ≥ 85% of direct pg`, `${(sc[n].ratio * 100).toFixed(0)}%`, sc[n].ratio >= 0.85);
  // The storm (hs, last) raises the high-water mark for good: the target is read before it, its RSS is reported.
  const hwm = results.vmHWMBeforeStormMiB ?? results.rss.vmHWMMiB;
  add(`server RSS (VmHWM) < 250 MiB${results.vmHWMBeforeStormMiB ? ' before hs' : ''}`, hwm, hwm < 250);
  for (const n of ['f', 'g'])
    if (sc[n]) {
      rps(n, 2000);
      add(`${n}: p99 ≤ 2.5 × p50`, `${sc[n].p99OverP50.toFixed(2)}×`, sc[n].p99OverP50 <= 2.5);
    }
  if (sc.i) add('i: 1,000-item create p50 < 100 ms', +sc.i.latency.p50.toFixed(1), sc.i.latency.p50 < 100);
  // Issue 15: activity and revisions (accountability all) cost at most 30% against the same writes untracked.
  for (const n of ['f', 'g'])
    if (sc[n] && sc[`${n}0`]) {
      const cost = 1 - sc[n].api.rps / sc[`${n}0`].api.rps;
      add(`${n}: tracking costs ≤ 30% req/s vs ${n}0`, `${(cost * 100).toFixed(0)}%`, cost <= 0.3);
    }
  if (sc.i && sc.i0) {
    const total = (r) => r.msEach.reduce((a, b) => a + b, 0);
    const cost = total(sc.i) / total(sc.i0) - 1;
    add('i: tracking adds ≤ 30% batch time vs i0', `${(cost * 100).toFixed(0)}%`, cost <= 0.3);
  }
  for (const [n, base] of [
    ['ra', 'a'],
    ['rb', 'b'],
    ['rd', 'd'],
  ])
    if (sc[n] && sc[base]) {
      const drop = 1 - sc[n].api.rps / sc[base].api.rps;
      add(`${n}: ≤ 25% drop vs ${base} (role with item filter)`, `${(drop * 100).toFixed(0)}%`, drop <= 0.25);
    }
  // The realtime issue's "scenario j" (w: one instance, w2: subscribers on two instances).
  for (const n of ['w', 'w2'])
    if (sc[n]) {
      const e = sc[n].events;
      add(
        `${n}: all ${e.expected} events, none twice`,
        `${e.received}/${e.expected}, ${e.duplicates} twice`,
        e.received === e.expected &&
          e.duplicates === 0 &&
          e.wrongUid === 0 &&
          e.otherEvents === 0 &&
          e.unknownItems === 0 &&
          e.whileUnsubscribed === 0,
      );
      // BENCH_WS_HOLD_READS=1 (a diagnostic): the clients read only after each block, so arrival is not measured and
      // the create ratio is the server's own cost without the receivers' CPU on the same cores.
      const held = sc[n].holdReads;
      if (!held)
        add(
          `${n}: arrival p99 ≤ 3 × create p50`,
          `${sc[n].arrivalP99OverCreateP50.toFixed(2)}× (${e.arrival.p99.toFixed(1)} / ${sc[n].subscribed.latency.p50.toFixed(1)} ms)`,
          sc[n].arrivalP99OverCreateP50 <= 3,
        );
      add(
        `${n}: create p50 subscribed ≤ 1.5 × alone${held ? ' (reads held: diagnostic)' : ''}`,
        `${sc[n].createRatio.toFixed(2)}× (${sc[n].subscribed.latency.p50.toFixed(2)} / ${sc[n].alone.latency.p50.toFixed(2)} ms)`,
        sc[n].createRatio <= 1.5,
      );
      add(`${n}: server RSS growth < 50 MiB`, sc[n].rss.growthMiB, sc[n].rss.growthMiB < 50);
    }
  if (sc.h && sc.b) {
    const share = sc.h.api.rps / sc.b.api.rps;
    add('h: ≥ 90% of b (REST) req/s', `${(share * 100).toFixed(0)}%`, share >= 0.9);
  }
  if (sc.hs) {
    add('hs: after a change ≤ 1.5× without', `${sc.hs.bench.ratio.toFixed(2)}×`, sc.hs.bench.ratio <= 1.5);
    add('hs: the same, 50×30 schema', `${sc.hs.wide.ratio.toFixed(2)}×`, sc.hs.wide.ratio <= 1.5);
  }
  return out;
}

function printTable(results) {
  const rows = [];
  const head = [
    '',
    'scenario',
    'API req/s',
    'p50 ms',
    'p99 ms',
    'direct req/s',
    'p50 ms',
    'p99 ms',
    'API/direct',
    'peak RSS MiB',
    'notes',
  ];
  for (const [name, r] of Object.entries(results.scenarios)) {
    if (r.direct)
      rows.push([
        name,
        r.title,
        fmt(r.api.rps, 0),
        fmt(r.api.latency.p50, 2),
        fmt(r.api.latency.p99, 2),
        fmt(r.direct.rps, 0),
        fmt(r.direct.latency.p50, 2),
        fmt(r.direct.latency.p99, 2),
        `${fmt(r.ratio * 100, 0)}%`,
        fmt(r.peakRssMiB),
        r.p99OverP50 !== undefined
          ? `p99/p50 ${fmt(r.p99OverP50, 2)}×` + failures(r.api)
          : failures(r.api) + (r.sameDataAsDirect ? '' : ' data differs from direct!'),
      ]);
    else if (r.api)
      rows.push([
        name,
        r.title,
        fmt(r.api.rps, 0),
        fmt(r.api.latency.p50, 2),
        fmt(r.api.latency.p99, 2),
        '',
        '',
        '',
        '',
        fmt(r.peakRssMiB),
        `p99/p50 ${fmt(r.p99OverP50, 2)}×` +
          (r.sameDataAsRest === undefined
            ? ''
            : (results.scenarios.b ? `; ${fmt((r.api.rps / results.scenarios.b.api.rps) * 100, 0)}% of b` : '') +
              (r.sameDataAsRest ? '' : ' data differs from REST!')) +
          failures(r.api),
      ]);
    else if (r.bench)
      rows.push([
        name,
        r.title,
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        fmt(r.peakRssMiB),
        `after/without a change: ${fmt(r.bench.ratio, 2)}× (50×30: ${fmt(r.wide.ratio, 2)}×); ` +
          `RSS ${fmt(r.rssBeforeMiB)} → ${fmt(r.rssAfterMiB)} MiB`,
      ]);
    else if (r.events)
      rows.push([
        name,
        r.title,
        '',
        fmt(r.latency.p50, 2),
        fmt(r.latency.p99, 2),
        '',
        fmt(r.alone.latency.p50, 2),
        fmt(r.alone.latency.p99, 2),
        '',
        fmt(r.peakRssMiB),
        `creates subscribed/alone p50 ${fmt(r.createRatio, 2)}×; events ${r.events.received}/${r.events.expected}, ` +
          `${r.events.duplicates} twice; arrival p50 ${fmt(r.events.arrival.p50, 1)} p99 ` +
          `${fmt(r.events.arrival.p99, 1)} ms (${fmt(r.arrivalP99OverCreateP50, 2)}× create p50); ` +
          `RSS +${fmt(r.rss.growthMiB)} MiB`,
      ]);
    else
      rows.push([
        name,
        r.title,
        '',
        fmt(r.latency.p50, 1),
        fmt(r.latency.p99, 1),
        '',
        '',
        '',
        '',
        fmt(r.peakRssMiB),
        `${fmt(r.rowsPerSec, 0)} rows/s; ms each: ${r.msEach.map((m) => m.toFixed(0)).join(' ')}`,
      ]);
  }
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => String(r[i]).length)));
  const line = (r) =>
    r
      .map((c, i) => (i < 2 || i === r.length - 1 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i])))
      .join('  ');
  console.log('\n' + line(head));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  console.log(
    `\nserver RSS: start ${results.rss.startMiB} MiB, peak sampled ${results.rss.peakSampledMiB} MiB, ` +
      `VmHWM ${results.rss.vmHWMMiB} MiB, end ${results.rss.endMiB} MiB` +
      `   (${results.config.connections} connections, ${results.config.duration}s after ${results.config.warmup}s warm-up; ` +
      `${results.environment.cpus} CPUs shared by server, PostgreSQL and load generator)`,
  );
  console.log('\ntargets:');
  for (const t of results.targets) console.log(`  ${t.pass ? 'PASS' : 'FAIL'}  ${t.target.padEnd(36)} ${t.value}`);
  console.log('');
}

function failures(api) {
  const bad = api.non2xx + api.errors + api.timeouts;
  return bad ? ` !! ${api.non2xx} non-2xx, ${api.errors} errors, ${api.timeouts} timeouts` : '';
}

main()
  .then(
    () => 0,
    (e) => {
      console.error(`\n[bench] FAILED: ${e?.stack ?? e}`);
      if (server?.tail?.length) console.error(`[bench] last server log lines:\n${server.tail.join('\n')}`);
      return 1;
    },
  )
  .then(async (code) => {
    await cleanup();
    log(code ? 'stopped after an error' : 'done; server and PostgreSQL stopped');
    process.exit(code);
  });
