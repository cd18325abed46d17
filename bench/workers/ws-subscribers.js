'use strict';
/**
 * WebSocket subscriber process of the realtime scenarios (w, w2; the realtime issue's "scenario j"): `clients`
 * connections to /websocket (spread round-robin over `urls`, one per server instance), each authenticating with
 * `token` and subscribing to `collection` with `query` (uid as the SDK sends it, see below). Every `create` event is recorded with its
 * arrival time (performance.timeOrigin + now: the same clock as the orchestrator's, which records when each REST
 * create answered) and its event id (a second arrival of the same id on one connection is a duplicate).
 *
 * Messages in: {urls, token, collection, query, clients, expected (events per client), waitMs} → progress 'ready'
 * once every client has its `init`; then {creates: [[itemId, answeredAt], ...]} when the orchestrator is done →
 * waits until every client has `expected` events (or `waitMs` passed) and replies {result}.
 */
const WebSocket = require('ws');
const { summarize } = require('../lib/stats');

process.on('disconnect', () => process.exit(1));

const now = () => performance.timeOrigin + performance.now();
const CONNECT_CONCURRENCY = 20;

function open(url, token, collection, query, uid, client) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => reject(new Error(`client ${uid}: no init within 30 s`)), 30_000);
    let subscribed = false;
    ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', access_token: token })));
    ws.on('message', (data) => {
      const at = now();
      const m = JSON.parse(String(data));
      if (m.type === 'auth') {
        if (m.status !== 'ok') return reject(new Error(`client ${uid}: auth failed ${JSON.stringify(m)}`));
        ws.send(JSON.stringify({ type: 'subscribe', collection, query, uid }));
        return;
      }
      if (m.type === 'ping') return void ws.send(JSON.stringify({ type: 'pong' }));
      if (m.status === 'error') return reject(new Error(`client ${uid}: ${JSON.stringify(m)}`));
      if (m.type !== 'subscription') return;
      if (m.event === 'init') {
        subscribed = true;
        clearTimeout(timer);
        return resolve(ws);
      }
      if (!subscribed) return;
      if (m.uid !== uid) client.wrongUid++;
      if (m.event !== 'create') {
        client.other++;
        return;
      }
      if (client.ids.has(m.id)) client.duplicates++;
      client.ids.add(m.id);
      for (const row of m.data) client.arrivals.push([row.id, at]);
      client.events++;
    });
    ws.on('error', (e) => reject(new Error(`client ${uid}: ${e.message}`)));
    ws.on('close', () => (client.closed = true));
  });
}

let state = null;

process.on('message', async (msg) => {
  try {
    if (msg.creates) return void (await finish(msg));
    const started = now();
    const clients = Array.from({ length: msg.clients }, (_, k) => ({
      // As @directus/sdk's realtime(): a uid counter per client, starting at "1", so every client's first
      // subscription has the uid "1" (BENCH_WS_DISTINCT_UIDS=1: a different uid on every client).
      uid: process.env.BENCH_WS_DISTINCT_UIDS === '1' ? `w${k}` : '1',
      url: msg.urls[k % msg.urls.length],
      ws: null,
      ids: new Set(),
      arrivals: [],
      events: 0,
      duplicates: 0,
      wrongUid: 0,
      other: 0,
      closed: false,
    }));
    for (let i = 0; i < clients.length; i += CONNECT_CONCURRENCY)
      await Promise.all(
        clients
          .slice(i, i + CONNECT_CONCURRENCY)
          .map(async (c) => (c.ws = await open(c.url, msg.token, msg.collection, msg.query, c.uid, c))),
      );
    state = { msg, clients };
    process.send({ progress: { ready: true, connectMs: now() - started } });
  } catch (e) {
    process.send({ error: String(e?.stack ?? e) }, () => process.exit(1));
  }
});

async function finish({ creates }) {
  const { msg, clients } = state;
  const deadline = Date.now() + msg.waitMs;
  while (Date.now() < deadline && clients.some((c) => c.events < msg.expected && !c.closed))
    await new Promise((resolve) => setTimeout(resolve, 20));
  process.send({ arrived: true });
  const answered = new Map(creates.map(([id, at]) => [String(id), at]));
  const latencies = [];
  let unknown = 0;
  for (const c of clients)
    for (const [id, at] of c.arrivals) {
      const rest = answered.get(String(id));
      if (rest === undefined) unknown++;
      else latencies.push(at - rest);
    }
  const sum = (f) => clients.reduce((n, c) => n + f(c), 0);
  const result = {
    clients: clients.length,
    received: sum((c) => c.events),
    expected: clients.length * msg.expected,
    duplicates: sum((c) => c.duplicates),
    wrongUid: sum((c) => c.wrongUid),
    otherEvents: sum((c) => c.other),
    unknownItems: unknown,
    closed: sum((c) => (c.closed ? 1 : 0)),
    short: clients.filter((c) => c.events < msg.expected).length,
    /** ms from the REST answer of each create to each subscriber's arrival (negative: the event came first). */
    arrival: summarize(latencies),
  };
  for (const c of clients) c.ws.terminate();
  process.send({ result }, () => process.exit(0));
}
