import type { AddressInfo } from 'node:net';
import { RealtimeFeed } from '../src/modules/realtime/realtime-feed.service';
import { RealtimeSubscriptions } from '../src/modules/realtime/realtime-subscriptions.service';
import { user, userWith, type TestUser, collection } from './permissions.helpers';
import { createTestApp, type TestApp } from './support/app';
import { WsClient, type Msg } from './realtime-client';

/**
 * Issue 14, "a statement-counting test shows one read per group per event": the statements the server sends for one
 * write, counted exactly (Database.statements, as every statement-count test), with nobody subscribed, with N
 * subscribers in ONE group (same role, same query), and with a second group beside it. The write and the change log's
 * range read are the baseline; each group adds exactly one read, whatever its size (a delete adds, once per event,
 * the statement that puts the before images back for the former-reader check).
 */

let t: TestApp;
let url: string;
let roleA: TestUser;
let roleB: TestUser;
let roleA2: TestUser;
const N = 25;

beforeAll(async () => {
  t = await createTestApp({
    WEBSOCKETS_ENABLED: 'true',
    WEBSOCKETS_EVENT_IDS: 'true',
    WEBSOCKETS_HEARTBEAT_ENABLED: 'false',
  });
  await collection(t, 'counted', [
    { field: 'title', type: 'string' },
    { field: 'views', type: 'integer' },
  ]);
  roleA = await userWith(t, [
    { collection: 'counted', action: 'read', fields: ['id', 'title', 'views'], permissions: { views: { _gte: 0 } } },
  ]);
  roleA2 = await user(t, roleA.role);
  roleB = await userWith(t, [{ collection: 'counted', action: 'read', fields: ['id', 'title'] }]);
  await t.app.listen(0, '127.0.0.1');
  url = `ws://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}/websocket`;
});
afterAll(() => t.close());

const isEvent = (m: Msg) => m.type === 'subscription' && m.event !== 'init';

async function subscribe(token: string, uid: string): Promise<WsClient> {
  const c = await WsClient.open(`${url}?access_token=${token}`);
  const init = await c.request({ type: 'subscribe', collection: 'counted', query: { fields: ['id', 'title'] }, uid });
  expect(init).toMatchObject({ type: 'subscription', event: 'init', uid });
  return c;
}

/**
 * Statements for `write` until the change feed has delivered its event to every client (or, with none, has read it):
 * the write's own, the range read, and each group's read.
 */
async function statementsFor(write: () => Promise<unknown>, clients: WsClient[], event: string): Promise<number> {
  const feed = t.app.get(RealtimeFeed);
  await feed.idle();
  const delivered = feed.delivered;
  return t.countStatements(async () => {
    await write();
    while (feed.delivered === delivered) await new Promise((r) => setTimeout(r, 5));
    await Promise.all(clients.map((c) => c.next((m) => isEvent(m) && m.event === event)));
    await feed.idle();
  });
}

it('one read per group per event: N subscribers in one group cost one statement, a second group one more (create, update, delete)', async () => {
  let n = 0;
  const create = () =>
    t.http
      .post('/items/counted')
      .set(t.admin)
      .send({ title: `c${++n}`, views: 1 })
      .expect(200);
  const update = () => t.http.patch('/items/counted/1').set(t.admin).send({ views: ++n }).expect(200);
  // Warm caches (statements, tokens, permissions) so the counts below are steady; nothing below invalidates them.
  for (let i = 0; i < 2; i++) await statementsFor(create, [], 'create');
  await statementsFor(update, [], 'update');

  const doomed = (
    await t.http
      .post('/items/counted')
      .set(t.admin)
      .send(Array.from({ length: 10 }, (_, i) => ({ title: `d${i}`, views: 1 })))
      .expect(200)
  ).body.data.map((r: { id: number }) => r.id) as number[];
  const remove = () => t.http.delete(`/items/counted/${doomed.pop()}`).set(t.admin).expect(204);
  await statementsFor(remove, [], 'delete');
  const alone = {
    create: await statementsFor(create, [], 'create'),
    update: await statementsFor(update, [], 'update'),
    delete: await statementsFor(remove, [], 'delete'),
  };

  // N subscribers, two users of role A, same query: one group.
  const groupA: WsClient[] = [];
  for (let i = 0; i < N; i++) groupA.push(await subscribe(i % 2 ? roleA2.token : roleA.token, `a${i}`));
  expect(t.app.get(RealtimeSubscriptions).stats).toEqual({ groups: 1, subscriptions: N });
  expect(await statementsFor(create, groupA, 'create')).toBe(alone.create + 1);
  expect(await statementsFor(update, groupA, 'update')).toBe(alone.update + 1);
  // A delete reaches the rows' former readers: the before images are put back once (in a transaction rolled back),
  // then one key-only read per group.
  expect(await statementsFor(remove, groupA, 'delete')).toBe(alone.delete + 1 + 1);

  // A second group (role B reads other fields), of N subscribers too: one read more per event.
  const groupB: WsClient[] = [];
  for (let i = 0; i < N; i++) groupB.push(await subscribe(roleB.token, `b${i}`));
  expect(t.app.get(RealtimeSubscriptions).stats).toEqual({ groups: 2, subscriptions: 2 * N });
  const all = [...groupA, ...groupB];
  expect(await statementsFor(create, all, 'create')).toBe(alone.create + 2);
  expect(await statementsFor(update, all, 'update')).toBe(alone.update + 2);
  expect(await statementsFor(remove, all, 'delete')).toBe(alone.delete + 1 + 2);

  // What the two groups receive: the same event, each member under its own uid, each group by its permissions.
  const created = (await create()).body.data;
  const [a0, a1, b0] = await Promise.all([groupA[0], groupA[1], groupB[0]].map((c) => c.next(isEvent)));
  const id = expect.stringMatching(/^\d+$/);
  expect(a0).toEqual({
    type: 'subscription',
    event: 'create',
    data: [{ id: created.id, title: created.title }],
    uid: 'a0',
    id,
  });
  expect(a1).toEqual({ ...a0, uid: 'a1' });
  expect(b0).toEqual({ ...a0, uid: 'b0' });
  all.forEach((c) => c.close());
});
