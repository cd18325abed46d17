'use strict';
/**
 * Load generator process for the direct-SQL baseline: `connections` pg clients, each in a closed loop running the
 * compiled statement until the deadline; warm-up first, then measured. Reads run it unnamed (the baseline of the
 * earlier sessions); `prepared` runs it as a named prepared statement, as the server does with recurring shapes.
 * Message in: {url, sql, params, randomParam: {index, sub, max, asString} | null, connections, duration, warmup,
 * column (the result column that must not be null, default `data`), prepared}.
 */
const { Client } = require('pg');
const { summarize } = require('../lib/stats');

process.on('disconnect', () => process.exit(1));

async function loop(clients, msg, seconds, samples) {
  const end = performance.now() + seconds * 1000;
  let errors = 0;
  let bad = 0;
  const params = () => {
    if (!msg.randomParam) return msg.params;
    const p = msg.params.slice();
    const id = 1 + Math.floor(Math.random() * msg.randomParam.max);
    const value = msg.randomParam.asString ? String(id) : id;
    if (msg.randomParam.sub === null) p[msg.randomParam.index] = value;
    else {
      p[msg.randomParam.index] = p[msg.randomParam.index].slice();
      p[msg.randomParam.index][msg.randomParam.sub] = value;
    }
    return p;
  };
  const started = performance.now();
  await Promise.all(
    clients.map(async (c) => {
      while (performance.now() < end) {
        const t0 = performance.now();
        try {
          const r = await c.query({ ...(msg.prepared ? { name: 'direct' } : {}), text: msg.sql, values: params() });
          if (r.rows.length !== 1 || r.rows[0][msg.column ?? 'data'] == null) bad++;
          else if (samples) samples.push(performance.now() - t0);
        } catch (e) {
          errors++;
          if (errors === 1) process.stderr.write(`pg-load: ${e.message}\n`);
          if (errors > 1000) throw e;
        }
      }
    }),
  );
  return { errors, bad, seconds: (performance.now() - started) / 1000 };
}

process.once('message', async (msg) => {
  const clients = [];
  try {
    for (let i = 0; i < msg.connections; i++) {
      const c = new Client({ connectionString: msg.url });
      await c.connect();
      clients.push(c);
    }
    if (msg.warmup > 0) await loop(clients, msg, msg.warmup, null);
    const samples = [];
    const { errors, bad, seconds } = await loop(clients, msg, msg.duration, samples);
    await Promise.all(clients.map((c) => c.end()));
    process.send(
      {
        result: {
          ok: samples.length,
          errors,
          bad,
          seconds,
          rps: samples.length / seconds,
          latency: summarize(samples),
        },
      },
      () => process.exit(0),
    );
  } catch (e) {
    process.send({ error: String(e?.stack ?? e) }, () => process.exit(1));
  }
});
