import type { AddressInfo } from 'node:net';
import { createDirectus, realtime, staticToken } from '@directus/sdk';
import { createTestApp, type TestApp } from './support/app';
import { ADMIN_TOKEN } from './support/constants';
import { WsClient } from './realtime-client';

/** Issue 14: connection limit, rate limit, subscription limit, heartbeat, and @directus/sdk's realtime() unchanged. */

let t: TestApp;
let base: string;

beforeAll(async () => {
  t = await createTestApp({
    WEBSOCKETS_ENABLED: 'true',
    WEBSOCKETS_HEARTBEAT_PERIOD: '1',
    WEBSOCKETS_REST_CONN_LIMIT: '3',
    WEBSOCKETS_MAX_SUBSCRIPTIONS: '1',
    RATE_LIMITER_ENABLED: 'true',
    RATE_LIMITER_POINTS: '5',
    RATE_LIMITER_DURATION: '10',
  });
  await t.http
    .post('/collections')
    .set(t.admin)
    .send({ collection: 'things', schema: {}, fields: [{ field: 'name', type: 'string' }] })
    .expect(200);
  await t.app.listen(0, '127.0.0.1');
  base = `127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
});
afterAll(() => t.close());

const url = () => `ws://${base}/websocket?access_token=${ADMIN_TOKEN}`;

it('rate limit, subscription limit, then the connection limit answers 403', async () => {
  const a = await WsClient.open(url());
  expect(await a.request({ type: 'subscribe', collection: 'things', uid: 's1' })).toMatchObject({ event: 'init' });
  expect(await a.request({ type: 'subscribe', collection: 'things', uid: 's2' })).toEqual({
    type: 'subscribe',
    status: 'error',
    error: { code: 'LIMIT_EXCEEDED', message: 'Too many subscriptions on this connection (the limit is 1).' },
    uid: 's2',
  });
  for (let i = 0; i < 3; i++) a.send({ type: 'ping', uid: `p${i}` });
  await a.next((m) => m.uid === 'p2');
  a.send({ type: 'ping', uid: 'over' });
  expect(await a.next((m) => m.type === 'server')).toEqual({
    type: 'server',
    status: 'error',
    error: { code: 'REQUESTS_EXCEEDED', message: expect.stringMatching(/^Too many messages, retry after \d+ms\.$/) },
  });
  const b = await WsClient.open(url());
  const c = await WsClient.open(url());
  await expect(WsClient.open(url())).rejects.toThrow('HTTP 403');
  [a, b, c].forEach((x) => x.close());
  await Promise.all([a.closed, b.closed, c.closed]);
});

it('heartbeat: pings each period, a silent client is closed', async () => {
  const a = await WsClient.open(url());
  expect(await a.next((m) => m.type === 'ping', 3000)).toEqual({ type: 'ping' });
  // The race's timer is cleared: left running, it kept jest alive after the run ("did not exit one second after").
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([a.closed, new Promise((r) => (timer = setTimeout(() => r('open'), 4000)))]);
  clearTimeout(timer);
  expect(closed).not.toBe('open');
});

it("@directus/sdk's realtime() connects, subscribes and receives events", async () => {
  const client = createDirectus(`http://${base}`)
    .with(staticToken(ADMIN_TOKEN))
    .with(realtime({ authMode: 'strict', url: url() }));
  await client.connect();
  const { subscription, unsubscribe } = await client.subscribe('things', { query: { fields: ['name'] } });
  const events: unknown[] = [];
  const done = (async () => {
    for await (const message of subscription) {
      events.push(message);
      if ((message as { event?: string }).event === 'create') break;
    }
  })();
  await new Promise((r) => setTimeout(r, 200));
  await t.http.post('/items/things').set(t.admin).send({ name: 'via rest' }).expect(200);
  await done;
  expect(events[events.length - 1]).toMatchObject({
    type: 'subscription',
    event: 'create',
    data: [{ name: 'via rest' }],
  });
  unsubscribe();
  client.disconnect();
});
