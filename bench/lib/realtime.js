'use strict';
/**
 * Scenarios w and w2 — the realtime issue's benchmark ("scenario j" in that issue; here j is PATCH by query).
 *
 *   1. starts `s.instances` servers of their own on the bench database with WEBSOCKETS_ENABLED=true (the main bench
 *      server keeps running without it, so the change log costs the other scenarios nothing);
 *   2. warm-up creates; `s.subscribers` WebSocket clients (workers/ws-subscribers.js, a child process) connect and
 *      authenticate as the bench reader (articles behind a permission item filter), spread round-robin over the
 *      instances;
 *   3. `s.creates` articles created one after another through REST on the first instance with nobody subscribed, and
 *      as many with every client subscribed to articles with the same query, in alternating blocks (`s.blocks` of
 *      each: both halves see the same machine); a subscribed block ends once all its events arrived, then the
 *      clients unsubscribe;
 *   4. reported: events received vs expected (none twice, by event id; none while unsubscribed), arrival p50/p99
 *      after each REST answer, create p50 subscribed vs alone, server RSS growth from just before the clients
 *      connected, CPU per create of the servers (alone, subscribed) and of the subscriber process.
 */
const path = require('node:path');
const { fork } = require('node:child_process');
const procs = require('./procs');
const { startServer } = require('./server');
const { startSampler, readStatus } = require('./rss');
const { summarize } = require('./stats');
const { SEED } = require('./config');

const fs = require('node:fs');

const WARMUP_CREATES = 20;

/** CPU time (ms) a process has used so far in user and in kernel mode, from /proc/<pid>/stat (clock ticks of 10 ms). */
function cpuSplit(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return { user: Number(fields[11]) * 10, sys: Number(fields[12]) * 10 };
  } catch {
    return { user: NaN, sys: NaN };
  }
}
/** CPU time (user + system, ms). */
const cpuMs = (pid) => {
  const t = cpuSplit(pid);
  return t.user + t.sys;
};
const cpuOf = (pids) => pids.reduce((sum, pid) => sum + cpuMs(pid), 0);
const sysOf = (pids) => pids.reduce((sum, pid) => sum + cpuSplit(pid).sys, 0);
const now = () => performance.timeOrigin + performance.now();

async function realtimeScenario(name, s, { cfg, dbUrl, log, fmt, MiB }) {
  const servers = [];
  try {
    for (let i = 0; i < s.instances; i++) {
      const logFile = path.join(cfg.root, '.tmp', `bench-server-${name}-${i + 1}.log`);
      servers.push(
        await startServer(cfg, dbUrl, logFile, { WEBSOCKETS_ENABLED: 'true', WEBSOCKETS_EVENT_IDS: 'true' }),
      );
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
    const rssBefore = servers.map((x) => readStatus(x.pid).rss);
    const samplers = servers.map((x) => startSampler(x.pid, 100));
    const windows = samplers.map((x) => x.window());
    const worker = startWorker();
    const connect = await worker.ask({
      connect: {
        urls: servers.map((x) => `${x.url.replace(/^http/, 'ws')}/websocket`),
        token: cfg.readerToken,
        collection: 'articles',
        query: s.query,
        clients: s.subscribers,
        client: cfg.wsClient,
      },
    });
    if (process.env.BENCH_WS_HOLD_READS === '1')
      log(
        '  BENCH_WS_HOLD_READS=1: the clients read nothing until each subscribed block is done (arrival not measured)',
      );
    log(
      `  ${s.subscribers} clients (${cfg.wsClient === 'ws' ? 'the ws package' : 'lib/lean-ws.js'}) connected and ` +
        `authenticated as the bench reader in ${fmt(connect.connectMs, 0)} ms ` +
        `(${s.instances} instance${s.instances > 1 ? 's' : ''})`,
    );

    // Alternating blocks, alone then subscribed, so that both halves see the same machine (other work on the
    // shared cores changes over seconds). A subscribed block ends once every event of it arrived.
    const alone = [];
    const subscribed = [];
    const cpu = { alone: 0, subscribed: 0, worker: 0, aloneSys: 0, subscribedSys: 0, workerSys: 0 };
    const blocks = Math.max(1, Math.min(s.blocks, s.creates));
    for (let b = 0; b < blocks; b++) {
      const size = Math.floor(((b + 1) * s.creates) / blocks) - Math.floor((b * s.creates) / blocks);
      let at = cpuOf(serverPids);
      let sysAt = sysOf(serverPids);
      alone.push(...(await series(size)));
      cpu.alone += cpuOf(serverPids) - at;
      cpu.aloneSys += sysOf(serverPids) - sysAt;
      // The feed delivers a create some milliseconds after its answer: a subscription made at once could still get
      // the block's last events (items it also has in its init data), which are not what is measured.
      await new Promise((resolve) => setTimeout(resolve, 150));
      await worker.ask({ subscribe: true });
      at = cpuOf(serverPids);
      sysAt = sysOf(serverPids);
      const workerAt = cpuMs(worker.pid);
      const workerSysAt = cpuSplit(worker.pid).sys;
      subscribed.push(...(await series(size)));
      const done = await worker.ask({ settle: { expected: subscribed.length, waitMs: 30_000 } });
      // Every event of the block arrived (or 30 s passed): the CPU until then is the block's.
      cpu.subscribed += cpuOf(serverPids) - at;
      cpu.subscribedSys += sysOf(serverPids) - sysAt;
      cpu.worker += cpuMs(worker.pid) - workerAt;
      cpu.workerSys += cpuSplit(worker.pid).sys - workerSysAt;
      await worker.ask({ unsubscribe: true });
      if (b === 0 || b === blocks - 1)
        log(
          `  block ${b + 1}/${blocks}: ${size} creates alone, ${size} subscribed (last event ${fmt(done.waitedMs, 1)} ms after)`,
        );
    }
    const result = await worker.ask({
      finish: { creates: subscribed.map((c) => [c.id, c.answeredAt]), expected: subscribed.length },
    });
    const peaks = windows.map((close) => close());
    for (const x of samplers) x.stop();
    const rssAfter = servers.map((x) => readStatus(x.pid).rss);
    const growth = Math.max(...peaks.map((peak, i) => peak - rssBefore[i]));
    const aloneLatency = summarize(alone.map((c) => c.ms));
    const withLatency = summarize(subscribed.map((c) => c.ms));
    log(
      `  ${alone.length} creates with nobody subscribed: p50 ${fmt(aloneLatency.p50, 2)} ms, p99 ${fmt(aloneLatency.p99, 2)} ms; ` +
        `${subscribed.length} with ${s.subscribers} subscribed: p50 ${fmt(withLatency.p50, 2)} ms, p99 ${fmt(withLatency.p99, 2)} ms`,
    );
    log(
      `  CPU per create: servers ${fmt(cpu.alone / alone.length, 2)} ms alone, ` +
        `${fmt(cpu.subscribed / subscribed.length, 2)} ms subscribed (until the last event arrived); ` +
        `subscriber process ${fmt(cpu.worker / subscribed.length, 2)} ms; of which in the kernel: ` +
        `${fmt(cpu.aloneSys / alone.length, 2)}, ${fmt(cpu.subscribedSys / subscribed.length, 2)}, ` +
        `${fmt(cpu.workerSys / subscribed.length, 2)} ms`,
    );
    log(
      `  events: ${result.received} of ${result.expected} received, ${result.duplicates} twice, ` +
        `${result.wrongUid} with a wrong uid, ${result.unknownItems} for items created while nobody was subscribed, ` +
        `${result.whileUnsubscribed} while unsubscribed, ` +
        `${result.short} clients short; arrival after the REST answer: p50 ${fmt(result.arrival.p50, 2)} ms, ` +
        `p99 ${fmt(result.arrival.p99, 2)} ms, max ${fmt(result.arrival.max, 2)} ms`,
    );
    log(
      `  server RSS: ${servers.map((x, i) => `${MiB(rssBefore[i])} → peak ${MiB(peaks[i])} → ${MiB(rssAfter[i])} MiB`).join('; ')}`,
    );
    return {
      instances: s.instances,
      subscribers: s.subscribers,
      holdReads: process.env.BENCH_WS_HOLD_READS === '1',
      wsClient: cfg.wsClient,
      creates: s.creates,
      blocks,
      query: s.query,
      connectMs: connect.connectMs,
      alone: { latency: aloneLatency, msEach: alone.map((c) => c.ms) },
      subscribed: { latency: withLatency, msEach: subscribed.map((c) => c.ms) },
      events: result,
      createRatio: withLatency.p50 / aloneLatency.p50,
      cpuPerCreateMs: {
        serversAlone: cpu.alone / alone.length,
        serversSubscribed: cpu.subscribed / subscribed.length,
        subscriberProcess: cpu.worker / subscribed.length,
        kernel: {
          serversAlone: cpu.aloneSys / alone.length,
          serversSubscribed: cpu.subscribedSys / subscribed.length,
          subscriberProcess: cpu.workerSys / subscribed.length,
        },
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

/** The subscriber worker (workers/ws-subscribers.js): ask(command) resolves with its reply. */
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
  child.on('message', (m) => {
    if (m?.error) settle((w) => w.reject(new Error(m.error)));
    else if (m?.progress) settle((w) => w.resolve(m.progress));
    else if (m?.result) settle((w) => w.resolve(m.result));
  });
  child.once('exit', (code, signal) =>
    settle((w) => w.reject(new Error(`ws-subscribers exited (${signal ?? code}) without a result`))),
  );
  return {
    pid: child.pid,
    ask: (message, timeoutMs = 120_000) =>
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
      }),
  };
}

module.exports = { realtimeScenario };
