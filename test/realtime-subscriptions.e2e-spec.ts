import type { AddressInfo } from 'node:net';
import { RealtimeFeed } from '../src/modules/realtime/realtime-feed.service';
import { userWith, type TestUser, collection } from './permissions.helpers';
import { createTestApp, type TestApp } from './support/app';
import { ADMIN_TOKEN } from './support/constants';
import { WsClient } from './realtime-client';

/** Issue 14: per-permission delivery (fields, filter, deletes to former readers, scope exit) and one read per group. */

let t: TestApp;
let url: string;
let reader: TestUser;

beforeAll(async () => {
  t = await createTestApp({
    WEBSOCKETS_ENABLED: 'true',
    WEBSOCKETS_EVENT_IDS: 'true',
    WEBSOCKETS_HEARTBEAT_ENABLED: 'false',
  });
  await collection(t, 'notes', [
    { field: 'title', type: 'string' },
    { field: 'views', type: 'integer' },
  ]);
  reader = await userWith(t, [
    { collection: 'notes', action: 'read', fields: ['id', 'title'], permissions: { views: { _gt: 10 } } },
  ]);
  await t.app.listen(0, '127.0.0.1');
  url = `ws://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}/websocket`;
});
afterAll(() => t.close());

async function client(token: string, uid: string): Promise<WsClient> {
  const c = await WsClient.open(`${url}?access_token=${token}`);
  expect(await c.request({ type: 'subscribe', collection: 'notes', uid })).toMatchObject({ event: 'init', uid });
  return c;
}

const create = async (body: object) =>
  (await t.http.post('/items/notes').set(t.admin).send(body).expect(200)).body.data;

it('each subscriber gets what its permissions allow; deletes only to former readers; scope exit', async () => {
  const admin = await client(ADMIN_TOKEN, 'adm');
  const user = await client(reader.token, 'usr');

  const hidden = await create({ title: 'hidden', views: 5 });
  expect((await admin.next((m) => m.event === 'create')).data).toEqual([{ id: hidden.id, title: 'hidden', views: 5 }]);
  const shown = await create({ title: 'shown', views: 50 });
  expect(await user.next((m) => m.event === 'create')).toEqual({
    type: 'subscription',
    event: 'create',
    data: [{ id: shown.id, title: 'shown' }],
    uid: 'usr',
    id: expect.any(String),
  });
  await admin.next((m) => m.event === 'create');

  await t.http.delete(`/items/notes/${hidden.id}`).set(t.admin).expect(204);
  expect((await admin.next((m) => m.event === 'delete')).data).toEqual([String(hidden.id)]); // as passed in the URL
  await user.none(300, (m) => m.event !== undefined && m.event !== 'init');

  await t.http.patch(`/items/notes/${shown.id}`).set(t.admin).send({ views: 1 }).expect(200);
  expect((await user.next((m) => m.event === 'delete')).data).toEqual([shown.id]);
  expect((await admin.next((m) => m.event === 'update')).data).toEqual([{ id: shown.id, title: 'shown', views: 1 }]);
  admin.close();
  user.close();
});

it('an event costs one read per group, however many subscribers share it', async () => {
  const feed = t.app.get(RealtimeFeed);
  const measure = async (clients: WsClient[]) => {
    await feed.idle();
    const n = await t.countStatements(async () => {
      await create({ title: 'x', views: 20 });
      await Promise.all(clients.map((c) => c.next((m) => m.event === 'create')));
      await feed.idle();
    });
    return n;
  };
  const one = [await client(reader.token, 'g0')];
  const withOne = await measure(one);
  const many = [...one];
  for (let i = 1; i < 30; i++) many.push(await client(reader.token, `g${i}`));
  const withMany = await measure(many);
  expect(withMany).toBe(withOne);
  many.forEach((c) => c.close());
});
