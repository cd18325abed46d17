'use strict';
/**
 * `node bench/explain.js [a,b,...]` (with Node 24: `npm run bench --` is not needed; use node_modules/.bin/node):
 * starts the bench PostgreSQL (the seed must exist: run `npm run bench` once), compiles each read scenario's URL
 * exactly as the server does and prints EXPLAIN (ANALYZE, BUFFERS) of the statement. No server is started.
 */
const { Client } = require('pg');
const { loadConfig, READ_SCENARIOS } = require('./lib/config');
const { startPostgres } = require('./lib/postgres');
const { loadSnapshot, compileUrl } = require('./lib/compile');

async function main() {
  const cfg = loadConfig();
  const names = (process.argv[2] ?? Object.keys(READ_SCENARIOS).join(',')).split(',').filter((n) => READ_SCENARIOS[n]);
  const pg = await startPostgres(cfg, (m) => console.error(m));
  process.on('exit', () => pg.stopSync());
  try {
    const url = pg.databaseUrl(cfg.database);
    const snapshot = await loadSnapshot(url);
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      for (const name of names) {
        const s = READ_SCENARIOS[name];
        const target = s.path ?? `${s.randomId.prefix}12345`;
        const { sql, params } = compileUrl(snapshot, target);
        console.log(`\n=== ${name}: GET ${target}\n${sql}\nparams: ${JSON.stringify(params)}\n`);
        await client.query({ text: sql, values: params }); // warm the cache
        const { rows } = await client.query({ text: `EXPLAIN (ANALYZE, BUFFERS) ${sql}`, values: params });
        console.log(rows.map((r) => r['QUERY PLAN']).join('\n'));
      }
    } finally {
      await client.end();
    }
  } finally {
    await pg.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
