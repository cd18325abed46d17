'use strict';
/**
 * Load generator process for the HTTP scenarios: a warm-up run that is discarded, then the measured run. Latencies
 * are recorded per 2xx response (sub-millisecond precision).
 *
 * Engine (BENCH_LOAD): `lean` (default, bench/lib/lean-http.js) or `autocannon`. Both keep one request in flight per
 * connection; the lean client costs the shared CPUs far less per request (measured in bench/README.md).
 * Message in: {baseUrl, token, scenario, connections, duration, warmup, maxArticle, engine}. Reply: {result}.
 */
const autocannon = require('autocannon');
const lean = require('../lib/lean-http');
const { summarize } = require('../lib/stats');
const { SCENARIOS } = require('../lib/config');

process.on('disconnect', () => process.exit(1));

const rand = (max) => 1 + Math.floor(Math.random() * max);

/** The scenario's requests: `next()` gives each one; `fixed` when every request is the same. */
function requestsFor(name, msg) {
  const s = SCENARIOS[name];
  if (s.kind === 'read' && s.path) {
    const request = { method: 'GET', path: s.path };
    return { fixed: request, next: () => request };
  }
  if (s.kind === 'graphql') {
    const request = { method: 'POST', path: '/graphql', body: JSON.stringify({ query: s.graphql }) };
    return { fixed: request, next: () => request };
  }
  if (s.kind === 'read' && s.randomId)
    return { next: () => ({ method: 'GET', path: s.randomId.prefix + rand(s.randomId.max) }) };
  if (s.create === 'comment')
    return {
      next: () => ({
        method: 'POST',
        path: '/items/comments',
        body: JSON.stringify({ body: 'bench comment', article: rand(msg.maxArticle) }),
      }),
    };
  if (s.patch === 'article')
    return {
      next: () => {
        const id = rand(msg.maxArticle);
        return {
          method: 'PATCH',
          path: `/items/articles/${id}`,
          body: JSON.stringify({ title: `Article ${id} (bench edit)` }),
        };
      },
    };
  throw new Error(`no HTTP load for scenario ${name}`);
}

function headers(msg) {
  return { authorization: `Bearer ${msg.token}`, 'content-type': 'application/json' };
}

async function runLean(msg, duration, record) {
  const samples = [];
  const { next } = requestsFor(msg.scenario, msg);
  const h = headers(msg);
  const stats = await lean.run({
    url: msg.baseUrl,
    connections: msg.connections,
    duration,
    next: () => ({ ...next(), headers: h }),
    onResponse: (status, ms) => {
      if (record && status >= 200 && status < 300) samples.push(ms);
    },
  });
  return { ...stats, samples, bytesPerSec: null };
}

function runAutocannon(msg, duration, record) {
  const { fixed, next } = requestsFor(msg.scenario, msg);
  return new Promise((resolve, reject) => {
    const samples = [];
    const statuses = {};
    const instance = autocannon(
      {
        url: msg.baseUrl,
        connections: msg.connections,
        duration,
        headers: headers(msg),
        requests: [fixed ?? { method: next().method, setupRequest: (req) => ({ ...req, ...next() }) }],
        timeout: 10,
      },
      (err, result) =>
        err
          ? reject(err)
          : resolve({
              requests: result.requests.total,
              non2xx: result.non2xx,
              errors: result.errors,
              timeouts: result.timeouts,
              statuses,
              seconds: result.duration,
              samples,
              bytesPerSec: result.throughput.average,
            }),
    );
    instance.on('response', (client, statusCode, bytes, responseTime) => {
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      if (record && statusCode >= 200 && statusCode < 300) samples.push(responseTime);
    });
  });
}

process.once('message', async (msg) => {
  try {
    const run = msg.engine === 'autocannon' ? runAutocannon : runLean;
    if (msg.warmup > 0) await run(msg, msg.warmup, false);
    const r = await run(msg, msg.duration, true);
    const ok = r.samples.length;
    process.send(
      {
        result: {
          engine: msg.engine,
          requests: r.requests,
          ok,
          non2xx: r.non2xx,
          errors: r.errors,
          timeouts: r.timeouts,
          statuses: r.statuses,
          seconds: r.seconds,
          rps: ok / r.seconds,
          bytesPerSec: r.bytesPerSec,
          latency: summarize(r.samples),
        },
      },
      () => process.exit(0),
    );
  } catch (e) {
    process.send({ error: String(e?.stack ?? e) }, () => process.exit(1));
  }
});
