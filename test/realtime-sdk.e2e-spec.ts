import type { AddressInfo } from 'node:net';
import { authentication, createDirectus, realtime } from '@directus/sdk';
import { collection } from './permissions.helpers';
import { createTestApp, type TestApp } from './support/app';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './support/constants';
import type { Msg } from './realtime-client';

/**
 * Issue 14: @directus/sdk's realtime() composable, unchanged, against /websocket in the default handshake mode: it
 * logs in (authentication('json')), authenticates the socket, subscribes with a query (the SDK sends it in query
 * string form: `fields` a list string, `filter` JSON text), answers the server's heartbeat pings, re-authenticates by
 * itself when its 2 s token expires, runs `items` actions and unsubscribes.
 */

let t: TestApp;
let base: string;

beforeAll(async () => {
  t = await createTestApp({
    WEBSOCKETS_ENABLED: 'true',
    WEBSOCKETS_EVENT_IDS: 'true',
    WEBSOCKETS_HEARTBEAT_PERIOD: '1',
    WEBSOCKETS_REST_AUTH_TIMEOUT: '3',
    ACCESS_TOKEN_TTL: '2s',
  });
  await collection(t, 'things', [
    { field: 'name', type: 'string' },
    { field: 'n', type: 'integer' },
  ]);
  await t.app.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
});
afterAll(() => t.close());

function sdk() {
  return createDirectus(base)
    .with(authentication('json'))
    .with(realtime({ authMode: 'handshake' }));
}
type Client = ReturnType<typeof sdk>;

const create = (body: object) => t.http.post('/items/things').set(t.admin).send(body).expect(200);

it('logs in, subscribes with a filter, outlives heartbeats and token expiry, runs items actions, unsubscribes', async () => {
  const client = sdk();
  await client.login({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  const loggedIn = Date.now();
  await client.connect();
  try {
    await scenario(client, loggedIn);
  } finally {
    // Without it, the SDK's reconnect timers would outlive the app and keep jest running.
    client.disconnect();
    client.stopRefreshing();
  }
});

async function scenario(client: Client, loggedIn: number): Promise<void> {
  // Every message the SDK hands to listeners (it keeps pings and auth errors to itself).
  const messages: Msg[] = [];
  const waiters: { match: (m: Msg) => boolean; resolve: (m: Msg) => void }[] = [];
  const arrived = new Map<Msg, number>();
  client.onWebSocket('message', (m: Msg) => {
    messages.push(m);
    arrived.set(m, Date.now());
    for (const w of waiters.splice(0))
      if (w.match(m)) w.resolve(m);
      else waiters.push(w);
  });
  const next = (match: (m: Msg) => boolean, ms = 8000) =>
    new Promise<Msg>((resolve, reject) => {
      const found = messages.find(match);
      if (found) return resolve(found);
      const timer = setTimeout(() => reject(new Error(`timeout; got ${JSON.stringify(messages)}`)), ms);
      waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });

  const { subscription, unsubscribe } = await client.subscribe('things', {
    query: { fields: ['name'], filter: { n: { _gt: 10 } } },
    uid: 'big',
  });
  const received: Msg[] = [];
  const reading = (async () => {
    for await (const m of subscription) received.push(m as Msg);
  })();
  await next((m) => m.type === 'subscription' && m.event === 'init');
  expect(messages.find((m) => m.event === 'init')).toEqual({
    type: 'subscription',
    event: 'init',
    data: [],
    uid: 'big',
  });

  await create({ name: 'small', n: 5 });
  await create({ name: 'big', n: 50 });
  expect(await next((m) => m.event === 'create')).toEqual({
    type: 'subscription',
    event: 'create',
    data: [{ name: 'big' }],
    uid: 'big',
    id: expect.stringMatching(/^\d+$/),
  });

  // Past the token's 2 s life and several 1 s heartbeats: the SDK re-authenticated by itself, the socket is alive.
  const reauth = await next((m) => m.type === 'auth' && m.status === 'ok' && arrived.get(m)! - loggedIn > 1000, 6000);
  expect(reauth).toEqual({ type: 'auth', status: 'ok' });
  await new Promise((r) => setTimeout(r, 1500));
  await create({ name: 'bigger', n: 60 });
  expect(await next((m) => m.event === 'create' && m.data[0].name === 'bigger')).toMatchObject({ uid: 'big' });
  expect(await client.isConnected()).toBe(true);

  client.sendMessage({
    type: 'items',
    collection: 'things',
    action: 'create',
    data: { name: 'via ws', n: 70 },
    uid: 'c1',
  });
  expect(await next((m) => m.uid === 'c1')).toEqual({
    type: 'items',
    data: { id: 4, name: 'via ws', n: 70 },
    uid: 'c1',
  });
  expect(await next((m) => m.event === 'create' && m.data[0].name === 'via ws')).toMatchObject({ uid: 'big' });
  client.sendMessage({
    type: 'items',
    collection: 'things',
    action: 'read',
    query: { filter: { n: { _lt: 10 } }, fields: ['name'] },
    uid: 'r1',
  });
  expect(await next((m) => m.uid === 'r1')).toEqual({ type: 'items', data: [{ name: 'small' }], uid: 'r1' });

  unsubscribe();
  expect(await next((m) => m.event === 'unsubscribe')).toEqual({
    type: 'subscription',
    event: 'unsubscribe',
    uid: 'big',
  });
  await create({ name: 'unseen', n: 99 });
  await new Promise((r) => setTimeout(r, 300));
  expect(received.map((m) => m.data?.[0]?.name ?? m.event)).toEqual(['init', 'big', 'bigger', 'via ws', 'unsubscribe']);
  client.disconnect();
  await reading;
}
