'use strict';
/**
 * Load generator process for the HTTP scenarios: autocannon (programmatic) against the server, a warm-up run that is
 * discarded, then the measured run. Latencies are recorded per 2xx response (sub-millisecond precision).
 * Message in: {baseUrl, token, scenario, connections, duration, warmup, maxId, maxArticle}. Reply: {result}.
 */
const autocannon = require('autocannon');
const { summarize } = require('../lib/stats');
const { SCENARIOS } = require('../lib/config');

process.on('disconnect', () => process.exit(1));

const rand = (max) => 1 + Math.floor(Math.random() * max);

function requestsFor(name, msg) {
  const s = SCENARIOS[name];
  if (s.kind === 'read' && s.path) return [{ method: 'GET', path: s.path }];
  if (s.kind === 'read' && s.randomId)
    return [{ method: 'GET', setupRequest: (req) => ({ ...req, path: s.randomId.prefix + rand(s.randomId.max) }) }];
  if (s.create === 'comment')
    return [
      {
        method: 'POST',
        path: '/items/comments',
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({ body: 'bench comment', article: rand(msg.maxArticle) }),
        }),
      },
    ];
  if (s.patch === 'article')
    return [
      {
        method: 'PATCH',
        setupRequest: (req) => {
          const id = rand(msg.maxArticle);
          return {
            ...req,
            path: `/items/articles/${id}`,
            body: JSON.stringify({ title: `Article ${id} (bench edit)` }),
          };
        },
      },
    ];
  throw new Error(`no HTTP load for scenario ${name}`);
}

function run(msg, duration, record) {
  return new Promise((resolve, reject) => {
    const samples = [];
    const statuses = {};
    const instance = autocannon(
      {
        url: msg.baseUrl,
        connections: msg.connections,
        duration,
        headers: { authorization: `Bearer ${msg.token}`, 'content-type': 'application/json' },
        requests: requestsFor(msg.scenario, msg),
        timeout: 10,
      },
      (err, result) => (err ? reject(err) : resolve({ result, samples, statuses })),
    );
    instance.on('response', (client, statusCode, bytes, responseTime) => {
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      if (record && statusCode >= 200 && statusCode < 300) samples.push(responseTime);
    });
  });
}

process.once('message', async (msg) => {
  try {
    if (msg.warmup > 0) await run(msg, msg.warmup, false);
    const { result, samples, statuses } = await run(msg, msg.duration, true);
    const ok = samples.length;
    const seconds = result.duration; // actual elapsed seconds of the measured run
    process.send(
      {
        result: {
          requests: result.requests.total,
          ok,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          statuses,
          seconds,
          rps: ok / seconds,
          bytesPerSec: result.throughput.average,
          latency: summarize(samples),
          autocannon: { rpsAvg: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 },
        },
      },
      () => process.exit(0),
    );
  } catch (e) {
    process.send({ error: String(e?.stack ?? e) }, () => process.exit(1));
  }
});
