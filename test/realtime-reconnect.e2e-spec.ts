import type { AddressInfo } from 'node:net';
import { RealtimeFeed } from '../src/modules/realtime/realtime-feed.service';
import { createTestApp, type TestApp } from './support/app';
import { ADMIN_TOKEN } from './support/constants';
import { WsClient, type Msg } from './realtime-client';

/**
 * Issue 14, "nothing missed": the feed's LISTEN connection is killed (pg_terminate_backend); the writes committed
 * while it is down are replayed from the change log once it is back: each event once, in order.
 */

let t: TestApp;
let url: string;

beforeAll(async () => {
  t = await createTestApp({
    WEBSOCKETS_ENABLED: 'true',
    WEBSOCKETS_EVENT_IDS: 'true',
    WEBSOCKETS_HEARTBEAT_ENABLED: 'false',
  });
  await t.http
    .post('/collections')
    .set(t.admin)
    .send({ collection: 'posts', schema: {}, fields: [{ field: 'title', type: 'string' }] })
    .expect(200);
  await t.app.listen(0, '127.0.0.1');
  url = `ws://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}/websocket`;
});
afterAll(() => t.close());

/** The server's LISTEN backends on the change-log channel (this test database only). */
async function listenBackends(): Promise<number[]> {
  const { rows } = await t.db.client.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
       AND query LIKE 'LISTEN%' AND query LIKE '%tessera_changes%'`,
  );
  return rows.map((r) => r.pid);
}

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > end) throw new Error(`timed out; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

it('events committed while the LISTEN connection is down arrive once, in order, after the reconnect', async () => {
  const feed = t.app.get(RealtimeFeed);
  // What other transports get (GraphQL `<c>_mutated` listens here): every change id, once, in order.
  const seen: string[] = [];
  const stopSeeing = feed.listen((change) => seen.push(change.id));
  const c = await WsClient.open(url);
  expect(await c.request({ type: 'auth', access_token: ADMIN_TOKEN, uid: 'a' })).toMatchObject({ status: 'ok' });
  expect(
    await c.request({ type: 'subscribe', collection: 'posts', query: { fields: ['id', 'title'] }, uid: 's' }),
  ).toEqual({ type: 'subscription', event: 'init', data: [], uid: 's' });

  // Live before the drop.
  const before = (await t.http.post('/items/posts').set(t.admin).send({ title: 'before' }).expect(200)).body.data;
  const first = await c.next((m) => m.type === 'subscription' && m.event !== 'init');
  expect(first).toEqual({
    type: 'subscription',
    event: 'create',
    data: [{ id: before.id, title: 'before' }],
    uid: 's',
    id: expect.stringMatching(/^\d+$/),
  });

  // Kill the feed's LISTEN backend and wait until it is gone.
  const [pid] = await until(listenBackends, (pids) => pids.length === 1);
  await t.db.client.query('SELECT pg_terminate_backend($1)', [pid]);
  await until(listenBackends, (pids) => pids.length === 0);
  const replayedBefore = feed.replayed;

  // Writes through REST (the pool) while nobody LISTENs.
  const a = (await t.http.post('/items/posts').set(t.admin).send({ title: 'a' }).expect(200)).body.data;
  const b = (await t.http.post('/items/posts').set(t.admin).send({ title: 'b' }).expect(200)).body.data;
  await t.http.patch(`/items/posts/${a.id}`).set(t.admin).send({ title: 'a2' }).expect(200);
  await t.http.delete(`/items/posts/${before.id}`).set(t.admin).expect(204);
  const d = (await t.http.post('/items/posts').set(t.admin).send({ title: 'd' }).expect(200)).body.data;
  // The reconnect waits 500 ms: the five writes were all made while the channel had no listener.
  expect(await listenBackends()).toEqual([]);

  const events: Msg[] = [];
  for (let i = 0; i < 5; i++) events.push(await c.next((m) => m.type === 'subscription', 10_000));
  expect(events.map(({ id: _id, ...rest }) => rest)).toEqual([
    // Replayed rows are read as they read now (as a resume's): the create of `a` carries its updated title.
    { type: 'subscription', event: 'create', data: [{ id: a.id, title: 'a2' }], uid: 's' },
    { type: 'subscription', event: 'create', data: [{ id: b.id, title: 'b' }], uid: 's' },
    { type: 'subscription', event: 'update', data: [{ id: a.id, title: 'a2' }], uid: 's' },
    { type: 'subscription', event: 'delete', data: [String(before.id)], uid: 's' },
    { type: 'subscription', event: 'create', data: [{ id: d.id, title: 'd' }], uid: 's' },
  ]);
  const ids = [first, ...events].map((m) => BigInt(m.id as string));
  for (let i = 1; i < ids.length; i++) expect(ids[i]).toBe(ids[i - 1] + 1n);
  expect(feed.replayed - replayedBefore).toBe(5);
  expect(await listenBackends()).toHaveLength(1);

  // Live again after the reconnect, and nothing came twice.
  const e = (await t.http.post('/items/posts').set(t.admin).send({ title: 'e' }).expect(200)).body.data;
  const live = await c.next((m) => m.type === 'subscription');
  expect(live).toMatchObject({ event: 'create', data: [{ id: e.id, title: 'e' }], uid: 's' });
  expect(BigInt(live.id as string)).toBe(ids[ids.length - 1] + 1n);
  await feed.idle();
  await c.none(300);
  stopSeeing();
  expect(seen).toEqual([first, ...events, live].map((m) => m.id));
  c.close();
});
