'use strict';
/**
 * WebSocket subscriber process of the realtime scenarios (w, w2; the realtime issue's "scenario j"): `clients`
 * connections to /websocket (spread round-robin over `urls`, one per server instance), each authenticated with
 * `token`. On command they all subscribe to `collection` with `query` (uid as the SDK sends it, see below) or
 * unsubscribe. Every `create` event is recorded with its arrival time (performance.timeOrigin + now: the same clock
 * as the orchestrator's, which records when each REST create answered) and its event id (a second arrival of the
 * same id on one connection is a duplicate).
 *
 * Commands (one reply each, `{progress}` or `{error}`):
 *   {connect: {urls, token, collection, query, clients, client}} → {ready, connectMs}
 *     client: 'lean' (lib/lean-ws.js, default: events scanned, not parsed) or 'ws' (the ws package, all parsed)
 *   {subscribe: true} → every client subscribed (its `init` came) → {subscribed, ms}
 *   {settle: {expected, waitMs}} → waits until every client has `expected` create events in all (or waitMs) →
 *     {settled, waitedMs}
 *   {unsubscribe: true} → every client unsubscribed (each reply came) → {unsubscribed}
 *   {finish: {creates: [[itemId, answeredAt], ...], expected}} → {result} and exit
 */
const WebSocket = require('ws');
const leanWs = require('../lib/lean-ws');
const { summarize } = require('../lib/stats');

process.on('disconnect', () => process.exit(1));

const now = () => performance.timeOrigin + performance.now();
const CONNECT_CONCURRENCY = 20;
const REPLY_TIMEOUT_MS = 60_000;

let settings = null;
let clients = [];

/** A client: its socket, what it received, and the reply it waits for (auth, init, unsubscribe). */
function client(k) {
  return {
    // As @directus/sdk's realtime(): a uid counter per client, starting at "1", so every client's first
    // subscription has the uid "1" (BENCH_WS_DISTINCT_UIDS=1: a different uid on every client).
    uid: process.env.BENCH_WS_DISTINCT_UIDS === '1' ? `w${k}` : '1',
    url: settings.urls[k % settings.urls.length],
    ws: null,
    subscribed: false,
    waiting: null,
    ids: new Set(),
    arrivals: [],
    events: 0,
    duplicates: 0,
    wrongUid: 0,
    other: 0,
    /** Events that came while the client was not subscribed. */
    unsubscribed: 0,
    closed: false,
  };
}

/** Sends `message` (unless null) and resolves with the first message `match` accepts. */
function expect(c, message, match) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`client ${c.uid}: no reply within ${REPLY_TIMEOUT_MS} ms`)),
      60_000,
    );
    c.waiting = {
      match,
      resolve: (m) => (clearTimeout(timer), (c.waiting = null), resolve(m)),
      reject: (e) => (clearTimeout(timer), (c.waiting = null), reject(e)),
    };
    if (message) c.ws.send(JSON.stringify(message));
  });
}

/** A subscription event (parsed or scanned): counted once per event id, its item key's arrival time recorded. */
function onEvent(c, event, uid, id, keys, at) {
  if (!c.subscribed) c.unsubscribed++;
  if (uid !== c.uid) c.wrongUid++;
  if (event !== 'create') {
    c.other++;
    return;
  }
  if (c.ids.has(id)) c.duplicates++;
  c.ids.add(id);
  for (const key of keys) c.arrivals.push([key, at]);
  c.events++;
}

/** Any other message (auth, init, unsubscribe, errors, ping), and every message with the `ws` client: parsed. */
function onMessage(c, m, at) {
  if (m.type === 'ping') return void c.ws.send(JSON.stringify({ type: 'pong' }));
  if (m.status === 'error') return c.waiting?.reject(new Error(`client ${c.uid}: ${JSON.stringify(m)}`));
  if (c.waiting?.match(m)) return c.waiting.resolve(m);
  if (m.type !== 'subscription') return;
  const keys = m.event === 'create' && Array.isArray(m.data) ? m.data.map((row) => row.id) : [];
  onEvent(c, m.event, m.uid, m.id, keys, at);
}

/** The `ws` package: every message JSON.parsed. */
function openWs(c) {
  c.ws = new WebSocket(c.url);
  c.ws.on('message', (data) => {
    const at = now();
    onMessage(c, JSON.parse(String(data)), at);
  });
  c.ws.on('close', () => (c.closed = true));
  return new Promise((resolve, reject) => {
    c.ws.once('open', resolve);
    c.ws.once('error', (e) => reject(new Error(`client ${c.uid}: ${e.message}`)));
  });
}

/** The lean client (lib/lean-ws.js): events scanned for type, uid, event id and item key; the rest JSON.parsed. */
async function openLean(c) {
  c.ws = await leanWs.connect(c.url, {
    onText(buf, start, end) {
      const at = now();
      const e = leanWs.scanEvent(buf, start, end);
      if (e) onEvent(c, e.event, e.uid, e.id, [e.key], at);
      else onMessage(c, JSON.parse(buf.toString('utf8', start, end)), at);
    },
    onClose: () => (c.closed = true),
  });
}

async function open(c) {
  await (settings.client === 'ws' ? openWs(c) : openLean(c));
  const m = await expect(c, { type: 'auth', access_token: settings.token }, (x) => x.type === 'auth');
  if (m.status !== 'ok') throw new Error(`client ${c.uid}: auth failed ${JSON.stringify(m)}`);
}

async function inBatches(fn) {
  for (let i = 0; i < clients.length; i += CONNECT_CONCURRENCY)
    await Promise.all(clients.slice(i, i + CONNECT_CONCURRENCY).map(fn));
}

const commands = {
  async connect(msg) {
    settings = msg;
    const started = now();
    clients = Array.from({ length: msg.clients }, (_, k) => client(k));
    await inBatches(open);
    return { ready: true, connectMs: now() - started };
  },

  async subscribe() {
    const started = now();
    const { collection, query } = settings;
    await inBatches(async (c) => {
      await expect(
        c,
        { type: 'subscribe', collection, query, uid: c.uid },
        (m) => m.type === 'subscription' && m.event === 'init',
      );
      c.subscribed = true;
    });
    // BENCH_WS_HOLD_READS=1 (lean client): a diagnostic, not the scenario. Once subscribed, no client reads until the
    // block's creates are done (`settle`): the server still sends every frame (the kernel keeps them), but the
    // subscribers' own CPU no longer competes with the creates on these cores. Arrival times are then meaningless.
    if (process.env.BENCH_WS_HOLD_READS === '1') for (const c of clients) c.ws.hold();
    return { subscribed: true, ms: now() - started };
  },

  async settle({ expected, waitMs }) {
    const started = now();
    if (process.env.BENCH_WS_HOLD_READS === '1') for (const c of clients) c.ws.release();
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline && clients.some((c) => c.events < expected && !c.closed))
      await new Promise((resolve) => setTimeout(resolve, 5));
    return { settled: true, waitedMs: now() - started };
  },

  async unsubscribe() {
    await inBatches(async (c) => {
      c.subscribed = false;
      await expect(
        c,
        { type: 'unsubscribe', uid: c.uid },
        (m) => m.type === 'subscription' && m.event === 'unsubscribe',
      );
    });
    return { unsubscribed: true };
  },

  finish({ creates, expected }) {
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
      expected: clients.length * expected,
      duplicates: sum((c) => c.duplicates),
      wrongUid: sum((c) => c.wrongUid),
      otherEvents: sum((c) => c.other),
      /** Events for items created while nobody was subscribed, or after an unsubscribe. */
      unknownItems: unknown,
      whileUnsubscribed: sum((c) => c.unsubscribed),
      closed: sum((c) => (c.closed ? 1 : 0)),
      short: clients.filter((c) => c.events < expected).length,
      /** ms from the REST answer of each create to each subscriber's arrival (negative: the event came first). */
      arrival: summarize(latencies),
    };
    for (const c of clients) c.ws.terminate();
    return result;
  },
};

process.on('message', async (msg) => {
  try {
    if (msg.finish) return void process.send({ result: commands.finish(msg.finish) }, () => process.exit(0));
    const [name] = Object.keys(msg);
    process.send({ progress: await commands[name](msg[name]) });
  } catch (e) {
    process.send({ error: String(e?.stack ?? e) }, () => process.exit(1));
  }
});
