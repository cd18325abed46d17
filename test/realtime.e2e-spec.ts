import type { AddressInfo } from 'node:net';
import { collection } from './permissions.helpers';
import { createTestApp, type TestApp } from './support/app';
import { ADMIN_TOKEN } from './support/constants';
import { WsClient } from './realtime-client';

/** Issue 14: /websocket — handshake auth, ping, items actions, error shapes, subscriptions from the change log. */

let t: TestApp;
let url: string;

beforeAll(async () => {
  t = await createTestApp({
    WEBSOCKETS_ENABLED: 'true',
    WEBSOCKETS_EVENT_IDS: 'true',
    WEBSOCKETS_HEARTBEAT_ENABLED: 'false',
    WEBSOCKETS_REST_AUTH_TIMEOUT: '1',
  });
  await collection(t, 'posts', [
    { field: 'title', type: 'string' },
    { field: 'views', type: 'integer' },
  ]);
  await t.app.listen(0, '127.0.0.1');
  url = `ws://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}/websocket`;
});
afterAll(() => t.close());

async function adminClient(): Promise<WsClient> {
  const c = await WsClient.open(url);
  expect(await c.request({ type: 'auth', access_token: ADMIN_TOKEN, uid: 'a' })).toEqual({
    type: 'auth',
    status: 'ok',
    uid: 'a',
  });
  return c;
}

describe('handshake', () => {
  it('a first message that is not a successful auth is AUTH_FAILED without uid, then the close', async () => {
    const c = await WsClient.open(url);
    c.send({ type: 'items', action: 'read', collection: 'posts', uid: 'x' });
    expect(await c.next()).toEqual({
      type: 'auth',
      status: 'error',
      error: { code: 'AUTH_FAILED', message: 'Authentication handshake failed.' },
    });
    expect((await c.closed).code).toBe(1005);
  });

  it('a valid ?access_token= at upgrade needs no auth message', async () => {
    const c = await WsClient.open(`${url}?access_token=${ADMIN_TOKEN}`);
    expect(await c.request({ type: 'items', action: 'read', collection: 'posts', uid: 'p' })).toEqual({
      type: 'items',
      data: [],
      uid: 'p',
    });
    c.close();
  });

  it('an invalid token at upgrade is refused 401', async () => {
    await expect(WsClient.open(`${url}?access_token=nope`)).rejects.toThrow('HTTP 401');
  });
});

describe('items and errors', () => {
  it('create, read, update, delete with uid echo', async () => {
    const c = await adminClient();
    expect(
      await c.request({ type: 'items', action: 'create', collection: 'posts', data: { title: 'a', views: 1 }, uid: 1 }),
    ).toEqual({ type: 'items', data: { id: 1, title: 'a', views: 1 }, uid: '1' });
    expect(
      await c.request({ type: 'items', action: 'read', collection: 'posts', query: { fields: ['title'] }, uid: 'r' }),
    ).toEqual({ type: 'items', data: [{ title: 'a' }], uid: 'r' });
    expect(
      await c.request({ type: 'items', action: 'update', collection: 'posts', id: 1, data: { views: 2 }, uid: 'u' }),
    ).toEqual({ type: 'items', data: { id: 1, title: 'a', views: 2 }, uid: 'u' });
    expect(await c.request({ type: 'items', action: 'delete', collection: 'posts', uid: 'd' })).toEqual({
      type: 'items',
      status: 'error',
      error: { code: 'INVALID_PAYLOAD', message: "Either 'ids', 'id' or 'query' is required for a DELETE request." },
      uid: 'd',
    });
    expect(await c.request({ type: 'items', action: 'delete', collection: 'posts', id: 1, uid: 'd2' })).toEqual({
      type: 'items',
      data: 1,
      uid: 'd2',
    });
    expect(await c.request({ type: 'items', action: 'read', collection: 'directus_users', uid: 's' })).toEqual({
      type: 'items',
      status: 'error',
      error: { code: 'INVALID_COLLECTION', message: 'The provided collection does not exists or is not accessible.' },
      uid: 's',
    });
    expect(await c.request({ type: 'items', action: 'read', collection: 'nope', uid: 'f' })).toEqual({
      type: 'items',
      status: 'error',
      error: {
        code: 'FORBIDDEN',
        message: 'You don\'t have permission to access collection "nope" or it does not exist. Queried in root.',
      },
      uid: 'f',
    });
    c.send('not json');
    expect(await c.next()).toEqual({
      type: 'server',
      status: 'error',
      error: { code: 'INVALID_PAYLOAD', message: 'Unable to parse the incoming message.' },
    });
    c.close();
  });
});

describe('subscriptions', () => {
  it('init, then create/update/delete events from writes through REST, each with its event id', async () => {
    const c = await adminClient();
    const rows = (await t.http.get('/items/posts?fields=id,title').set(t.admin).expect(200)).body.data;
    expect(
      await c.request({ type: 'subscribe', collection: 'posts', query: { fields: ['id', 'title'] }, uid: 's1' }),
    ).toEqual({ type: 'subscription', event: 'init', data: rows, uid: 's1' });
    const created = await t.http.post('/items/posts').set(t.admin).send({ title: 'live', views: 5 }).expect(200);
    const id = created.body.data.id;
    const create = await c.next((m) => m.event === 'create');
    expect(create).toEqual({
      type: 'subscription',
      event: 'create',
      data: [{ id, title: 'live' }],
      uid: 's1',
      id: expect.stringMatching(/^\d+$/),
    });
    await t.http.patch(`/items/posts/${id}`).set(t.admin).send({ title: 'changed' }).expect(200);
    expect(await c.next((m) => m.event === 'update')).toMatchObject({ data: [{ id, title: 'changed' }], uid: 's1' });
    await t.http.delete(`/items/posts/${id}`).set(t.admin).expect(204);
    // DELETE /items/posts/2 yields ["2"]: the keys exactly as passed to the service (spec 10).
    expect(await c.next((m) => m.event === 'delete')).toMatchObject({ data: [String(id)], uid: 's1' });
    expect(await c.request({ type: 'unsubscribe', uid: 's1' })).toEqual({
      type: 'subscription',
      event: 'unsubscribe',
      uid: 's1',
    });
    c.close();
  });

  it('a resume with after replays what was missed, in order', async () => {
    const c = await adminClient();
    await c.request({ type: 'subscribe', collection: 'posts', uid: 'r1' });
    await t.http.post('/items/posts').set(t.admin).send({ title: 'one' }).expect(200);
    const first = await c.next((m) => m.event === 'create');
    c.close();
    await t.http.post('/items/posts').set(t.admin).send({ title: 'two' }).expect(200);
    await t.http.post('/items/posts').set(t.admin).send({ title: 'three' }).expect(200);
    const d = await adminClient();
    expect(await d.request({ type: 'subscribe', collection: 'posts', uid: 'r2', after: first.id })).toEqual({
      type: 'subscription',
      event: 'init',
      uid: 'r2',
    });
    expect((await d.next((m) => m.event === 'create')).data[0].title).toBe('two');
    expect((await d.next((m) => m.event === 'create')).data[0].title).toBe('three');
    await d.none(200, (m) => m.event === 'create');
    expect(await d.request({ type: 'subscribe', collection: 'posts', uid: 'r3', after: '999999' })).toMatchObject({
      type: 'subscribe',
      status: 'error',
      error: { code: 'EVENT_NOT_RETAINED' },
      uid: 'r3',
    });
    d.close();
  });
});
