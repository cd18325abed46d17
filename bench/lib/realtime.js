'use strict';
/**
 * Scenarios w and w2 — the realtime issue's benchmark ("scenario j" in that issue; here j is PATCH by query).
 *
 *   1. starts `s.instances` servers of their own on the bench database with WEBSOCKETS_ENABLED=true (the main bench
 *      server keeps running without it, so the change log costs the other scenarios nothing);
 *   2. warm-up creates, then `s.creates` articles created one after another through REST on the first instance with
 *      nobody subscribed (the baseline p50);
 *   3. `s.subscribers` WebSocket clients (workers/ws-subscribers.js, a child process) authenticate as the bench reader
 *      (articles behind a permission item filter) and subscribe to articles with the same query, spread round-robin
 *      over the instances;
 *   4. the same `s.creates` creates again; each REST answer's time is recorded, the worker records each event's
 *      arrival: events received vs expected (none twice, by event id), arrival p50/p99 after the REST answer, create
 *      p50 with subscribers vs without, server RSS growth from just before the subscribers connected.
 */
const path = require('node:path');
const { fork } = require('node:child_process');
const procs = require('./procs');
const { startServer } = require('./server');
const { startSampler, readStatus } = require('./rss');
const { summarize } = require('./stats');
const { SEED } = require('./config');

const WARMUP_CREATES = 20;
const fs = require('node:fs');

/** CPU time (user + system, ms) a process has used so far, from /proc/<pid>/stat (clock ticks of 10 ms). */
function cpuMs(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}
const cpuOf = (pids) => pids.reduce((sum, pid) => sum + cpuMs(pid), 0);
const now = () => performance.timeOrigin + performance.now();

async function realtimeScenario(name, s, { cfg, dbUrl, log, fmt, MiB }) {
  const servers = [];
  try {
    for (let i = 0; i < s.instances; i++) {
      const logFile = path.join(cfg.root, '.tmp', `bench-server-${name}-${i + 1}.log`);
      servers.push(await startServer(cfg, dbUrl, logFile, { WEBSOCKETS_ENABLED: 'true' }));
      log(`  realtime instance ${i + 1}: pid ${servers[i].pid} on ${servers[i].url} (WEBSOCKETS_ENABLED=true)`);
    }
    const writer = servers[0];
    let n = 0;
    const create = async () => {
      n++;
      const body = JSON.stringify({
        title: `bench realtime ${n}`,
        body: `Created by scenario ${name}.`,
        status: 'published',
        views: n,
        author: 1 + (n % SEED.authors),
      });
      const started = performance.now();
      const res = await fetch(`${writer.url}/items/articles`, {
        method: 'POST',
        headers: { authorization: `Bearer ${cfg.adminToken}`, 'content-type': 'application/json' },
        body,
      });
      const text = await res.text();
      const answeredAt = now();
      const ms = performance.now() - started;
      if (res.status !== 200) throw new Error(`POST /items/articles → ${res.status}: ${text.slice(0, 500)}`);
      return { id: JSON.parse(text).data.id, ms, answeredAt };
    };
    const series = async (count) => {
      const out = [];
      for (let k = 0; k < count; k++) out.push(await create());
      return out;
    };

    await series(WARMUP_CREATES);
    const serverPids = servers.map((x) => x.pid);
    let cpu = cpuOf(serverPids);
    const alone = await series(s.creates);
    const cpuAlone = cpuOf(serverPids) - cpu;
    const aloneLatency = summarize(alone.map((c) => c.ms));
    log(
      `  ${s.creates} creates with nobody subscribed: p50 ${fmt(aloneLatency.p50, 2)} ms, p99 ${fmt(aloneLatency.p99, 2)} ms`,
    );

    const rssBefore = servers.map((x) => readStatus(x.pid).rss);
    const samplers = servers.map((x) => startSampler(x.pid, 100));
    const windows = samplers.map((x) => x.window());
    const worker = startWorker();
    const cpuSubscribed = { server: NaN, worker: NaN };
    const connect = await worker.request({
      urls: servers.map((x) => `${x.url.replace(/^http/, 'ws')}/websocket`),
      token: cfg.readerToken,
      collection: 'articles',
      query: s.query,
      clients: s.subscribers,
      expected: s.creates,
      waitMs: 30_000,
    });
    log(
      `  ${s.subscribers} subscribers connected, authenticated and subscribed in ${fmt(connect.connectMs, 0)} ms ` +
        `(${s.instances} instance${s.instances > 1 ? 's' : ''}, as the bench reader)`,
    );
    cpu = cpuOf(serverPids);
    const workerCpu = cpuMs(worker.pid);
    const subscribed = await series(s.creates);
    const withLatency = summarize(subscribed.map((c) => c.ms));
    log(
      `  ${s.creates} creates with ${s.subscribers} subscribed: p50 ${fmt(withLatency.p50, 2)} ms, ` +
        `p99 ${fmt(withLatency.p99, 2)} ms`,
    );
    const result = await worker.finish(
      subscribed.map((c) => [c.id, c.answeredAt]),
      async () => {
        // Once every event arrived: CPU of the servers and of the subscriber process for the subscribed creates.
        cpuSubscribed.server = cpuOf(serverPids) - cpu;
        cpuSubscribed.worker = cpuMs(worker.pid) - workerCpu;
      },
    );
    const peaks = windows.map((close) => close());
    log(
      `  CPU per create: servers ${fmt(cpuAlone / s.creates, 2)} ms alone, ` +
        `${fmt(cpuSubscribed.server / s.creates, 2)} ms subscribed (until the last event arrived); ` +
        `subscriber process ${fmt(cpuSubscribed.worker / s.creates, 2)} ms`,
    );
    for (const x of samplers) x.stop();
    const rssAfter = servers.map((x) => readStatus(x.pid).rss);
    const growth = Math.max(...peaks.map((peak, i) => peak - rssBefore[i]));
    log(
      `  events: ${result.received} of ${result.expected} received, ${result.duplicates} twice, ` +
        `${result.wrongUid} with a wrong uid, ${result.short} clients short; arrival after the REST answer: ` +
        `p50 ${fmt(result.arrival.p50, 2)} ms, p99 ${fmt(result.arrival.p99, 2)} ms, max ${fmt(result.arrival.max, 2)} ms`,
    );
    log(
      `  server RSS: ${servers.map((x, i) => `${MiB(rssBefore[i])} → peak ${MiB(peaks[i])} → ${MiB(rssAfter[i])} MiB`).join('; ')}`,
    );
    return {
      instances: s.instances,
      subscribers: s.subscribers,
      creates: s.creates,
      query: s.query,
      connectMs: connect.connectMs,
      alone: { latency: aloneLatency, msEach: alone.map((c) => c.ms) },
      subscribed: { latency: withLatency, msEach: subscribed.map((c) => c.ms) },
      events: result,
      createRatio: withLatency.p50 / aloneLatency.p50,
      cpuPerCreateMs: {
        serversAlone: cpuAlone / s.creates,
        serversSubscribed: cpuSubscribed.server / s.creates,
        subscriberProcess: cpuSubscribed.worker / s.creates,
      },
      arrivalP99OverCreateP50: result.arrival.p99 / withLatency.p50,
      rss: {
        beforeMiB: rssBefore.map(MiB),
        peakMiB: peaks.map(MiB),
        afterMiB: rssAfter.map(MiB),
        growthMiB: MiB(growth),
      },
      latency: withLatency,
      msEach: subscribed.map((c) => c.ms),
    };
  } finally {
    await Promise.all(servers.map((x) => x.stop()));
  }
}

/** The subscriber worker: request() connects the clients (resolves on 'ready'), finish() hands it the creates. */
function startWorker() {
  const child = procs.track(
    fork(path.join(__dirname, '..', 'workers', 'ws-subscribers.js'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execPath: process.execPath,
    }),
  );
  let waiting = null;
  const settle = (fn) => {
    const w = waiting;
    waiting = null;
    if (w) fn(w);
  };
  let onArrived = null;
  child.on('message', (m) => {
    if (m?.arrived) return void onArrived?.();
    if (m?.error) settle((w) => w.reject(new Error(m.error)));
    else if (m?.progress) settle((w) => w.resolve(m.progress));
    else if (m?.result) settle((w) => w.resolve(m.result));
  });
  child.once('exit', (code, signal) =>
    settle((w) => w.reject(new Error(`ws-subscribers exited (${signal ?? code}) without a result`))),
  );
  const ask = (message, timeoutMs) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`ws-subscribers: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      waiting = {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
      child.send(message);
    });
  return {
    pid: child.pid,
    request: (message) => ask(message, 120_000),
    finish: (creates, arrived) => {
      onArrived = arrived;
      return ask({ creates }, 60_000);
    },
  };
}

module.exports = { realtimeScenario };
