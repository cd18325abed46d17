import type { AddressInfo } from 'node:net';
import { RealtimeFeed } from '../src/modules/realtime/realtime-feed.service';
import { userWith, type TestUser } from './permissions.helpers';
import { createTestApp, type TestApp } from './support/app';
import { ADMIN_TOKEN } from './support/constants';
import { WsClient, type Msg } from './realtime-client';

/**
 * Issue 14: the message types of spec 10 (with spec 15's corrections) message by message, compared whole: `item`
 * subscriptions, query- and event-filtered delivery, re-subscribe with the same uid, unsubscribe with and without a
 * uid, singletons over `items`, every error shape with its uid, and unknown message types (ignored, as Directus).
 */

let t: TestApp;
let url: string;
let reader: TestUser;

beforeAll(async () => {
  t = await createTestApp({
    WEBSOCKETS_ENABLED: 'true',
    WEBSOCKETS_EVENT_IDS: 'true',
    WEBSOCKETS_HEARTBEAT_ENABLED: 'false',
  });
  const fields = [
    { field: 'title', type: 'string' },
    { field: 'views', type: 'integer' },
  ];
  await t.http.post('/collections').set(t.admin).send({ collection: 'posts', schema: {}, fields }).expect(200);
  await t.http
    .post('/collections')
    .set(t.admin)
    .send({
      collection: 'settings',
      schema: {},
      meta: { singleton: true },
      fields: [{ field: 'site_name', type: 'string' }],
    })
    .expect(200);
  reader = await userWith(t, [{ collection: 'posts', action: 'read', fields: ['id', 'title'] }]);
  await t.app.listen(0, '127.0.0.1');
  url = `ws://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}/websocket`;
});
afterAll(() => t.close());

const open = (token = ADMIN_TOKEN) => WsClient.open(`${url}?access_token=${token}`);
/**
 * Resolves once the change feed has delivered every change so far: a write's NOTIFY comes after its reply, and a
 * subscription made before it arrives would get that (earlier) write's event.
 */
async function settled(): Promise<void> {
  const feed = t.app.get(RealtimeFeed);
  const { rows } = await t.db.client.query<{ n: number }>('SELECT count(*)::int AS "n" FROM "tessera_changes"');
  while (feed.delivered < rows[0].n) await new Promise((r) => setTimeout(r, 5));
  await feed.idle();
}
async function post(body: object) {
  const data = (await t.http.post('/items/posts').set(t.admin).send(body).expect(200)).body.data;
  await settled();
  return data;
}
const patch = (id: number, body: object) => t.http.patch(`/items/posts/${id}`).set(t.admin).send(body).expect(200);
const remove = (id: number) => t.http.delete(`/items/posts/${id}`).set(t.admin).expect(204);
const event = (name: string, data: unknown, uid?: string): Msg => ({
  type: 'subscription',
  event: name,
  data,
  ...(uid === undefined ? {} : { uid }),
  id: expect.stringMatching(/^\d+$/),
});
const isEvent = (m: Msg) => m.type === 'subscription' && m.event !== 'init' && m.event !== 'unsubscribe';

describe('subscribe', () => {
  it('item: init, update and delete carry the one object (delete: the item id as a string); other rows are not sent', async () => {
    const mine = await post({ title: 'mine', views: 1 });
    const other = await post({ title: 'other', views: 1 });
    const c = await open();
    expect(
      await c.request({
        type: 'subscribe',
        collection: 'posts',
        item: mine.id,
        query: { fields: ['title'] },
        uid: 'i',
      }),
    ).toEqual({ type: 'subscription', event: 'init', data: { title: 'mine' }, uid: 'i' });
    await patch(other.id, { title: 'other 2' });
    await patch(mine.id, { title: 'mine 2' });
    expect(await c.next()).toEqual(event('update', { title: 'mine 2' }, 'i'));
    await t.http.delete('/items/posts').set(t.admin).send([other.id, mine.id]).expect(204);
    expect(await c.next()).toEqual(event('delete', String(mine.id), 'i'));
    await c.none(200);

    // `item` given as a string names the same row.
    const third = await post({ title: 'third', views: 3 });
    expect(await c.request({ type: 'subscribe', collection: 'posts', item: String(third.id), uid: 'j' })).toEqual({
      type: 'subscription',
      event: 'init',
      data: { id: third.id, title: 'third', views: 3 },
      uid: 'j',
    });
    await remove(third.id);
    expect(await c.next()).toEqual(event('delete', String(third.id), 'j'));
    c.close();
  });

  it('query.filter: rows outside it are not sent; an update that takes a row out sends a delete (scope exit)', async () => {
    const c = await open();
    const init = await c.request({
      type: 'subscribe',
      collection: 'posts',
      query: { filter: { views: { _gt: 10 } }, fields: ['id', 'title'], sort: ['id'] },
      uid: 'f',
    });
    expect(init).toEqual({ type: 'subscription', event: 'init', data: [], uid: 'f' });
    await post({ title: 'low', views: 5 });
    const high = await post({ title: 'high', views: 50 });
    expect(await c.next()).toEqual(event('create', [{ id: high.id, title: 'high' }], 'f'));
    await patch(high.id, { title: 'higher' });
    expect(await c.next()).toEqual(event('update', [{ id: high.id, title: 'higher' }], 'f'));
    await patch(high.id, { views: 1 });
    expect(await c.next()).toEqual(event('delete', [high.id], 'f'));
    await remove(high.id);
    await c.none(300);
    c.close();
  });

  it('event: init without data, then only that action', async () => {
    const row = await post({ title: 'ev', views: 1 });
    const c = await open();
    expect(await c.request({ type: 'subscribe', collection: 'posts', event: 'create', uid: 'c' })).toEqual({
      type: 'subscription',
      event: 'init',
      uid: 'c',
    });
    expect(await c.request({ type: 'subscribe', collection: 'posts', event: 'delete', uid: 'd' })).toEqual({
      type: 'subscription',
      event: 'init',
      uid: 'd',
    });
    await patch(row.id, { title: 'ev 2' });
    const created = await post({ title: 'ev new', views: 2 });
    expect(await c.next()).toEqual(event('create', [{ id: created.id, title: 'ev new', views: 2 }], 'c'));
    await remove(row.id);
    // Delete keys as passed to the service: a URL's string, as Directus sends them (spec 10).
    expect(await c.next()).toEqual(event('delete', [String(row.id)], 'd'));
    await c.none(300);
    c.close();
  });

  it('re-subscribing with the same uid replaces the subscription; without a uid no uid is sent', async () => {
    const c = await open();
    await c.request({ type: 'subscribe', collection: 'posts', event: 'update', uid: 'same' });
    expect(
      await c.request({
        type: 'subscribe',
        collection: 'posts',
        event: 'create',
        query: { fields: ['title'] },
        uid: 'same',
      }),
    ).toEqual({ type: 'subscription', event: 'init', uid: 'same' });
    const row = await post({ title: 'once', views: 1 });
    expect(await c.next()).toEqual(event('create', [{ title: 'once' }], 'same'));
    await patch(row.id, { title: 'not sent' });
    await c.none(300);

    c.send({ type: 'subscribe', collection: 'posts', event: 'create', query: { fields: ['views'] } });
    expect(await c.next()).toEqual({ type: 'subscription', event: 'init' });
    await post({ title: 'twice', views: 9 });
    const got = [await c.next(), await c.next()];
    expect(got).toEqual(
      expect.arrayContaining([
        event('create', [{ title: 'twice' }], 'same'),
        { type: 'subscription', event: 'create', data: [{ views: 9 }], id: expect.stringMatching(/^\d+$/) },
      ]),
    );
    c.close();
  });

  it('unsubscribe with a uid removes that one; without a uid, all of them', async () => {
    const c = await open();
    for (const uid of ['a', 'b']) await c.request({ type: 'subscribe', collection: 'posts', event: 'create', uid });
    await c.request({ type: 'subscribe', collection: 'posts', event: 'create' });
    expect(await c.request({ type: 'unsubscribe', uid: 'a' })).toEqual({
      type: 'subscription',
      event: 'unsubscribe',
      uid: 'a',
    });
    const row = await post({ title: 'u1', views: 1 });
    const seen = [await c.next(isEvent), await c.next(isEvent)].map((m) => m.uid ?? null).sort();
    expect(seen).toEqual(['b', null]);
    await c.none(200, isEvent);
    c.send({ type: 'unsubscribe' });
    expect(await c.next()).toEqual({ type: 'subscription', event: 'unsubscribe' });
    await post({ title: 'u2', views: 1 });
    await c.none(300);
    // Unsubscribing a uid that names nothing still answers.
    expect(await c.request({ type: 'unsubscribe', uid: 'gone' })).toEqual({
      type: 'subscription',
      event: 'unsubscribe',
      uid: 'gone',
    });
    expect(row.title).toBe('u1');
    c.close();
  });
});

describe('items on a singleton', () => {
  it('read answers the object; update upserts it and answers the object', async () => {
    const c = await open();
    expect(await c.request({ type: 'items', action: 'read', collection: 'settings', uid: 'r0' })).toEqual({
      type: 'items',
      // spec 1.2: an empty singleton reads as the key null plus the fields with a non-null default (none here).
      data: { id: null },
      uid: 'r0',
    });
    expect(
      await c.request({
        type: 'items',
        action: 'update',
        collection: 'settings',
        data: { site_name: 'Tessera' },
        uid: 'u',
      }),
    ).toEqual({ type: 'items', data: { id: 1, site_name: 'Tessera' }, uid: 'u' });
    expect(
      await c.request({
        type: 'items',
        action: 'update',
        collection: 'settings',
        data: { site_name: 'Tessera 2' },
        query: { fields: ['site_name'] },
        uid: 'u2',
      }),
    ).toEqual({ type: 'items', data: { site_name: 'Tessera 2' }, uid: 'u2' });
    expect(
      await c.request({
        type: 'items',
        action: 'read',
        collection: 'settings',
        query: { fields: ['site_name'] },
        uid: 'r',
      }),
    ).toEqual({ type: 'items', data: { site_name: 'Tessera 2' }, uid: 'r' });
    c.close();
  });
});

describe('subscribe to a singleton', () => {
  it('init is read by query, an array (Directus getItemsPayload); its upserts are update events', async () => {
    await settled();
    const c = await open();
    expect(await c.request({ type: 'subscribe', collection: 'settings', uid: 'st' })).toEqual({
      type: 'subscription',
      event: 'init',
      data: [{ id: 1, site_name: 'Tessera 2' }],
      uid: 'st',
    });
    const writer = await open();
    await writer.request({
      type: 'items',
      action: 'update',
      collection: 'settings',
      data: { site_name: 'T3' },
      uid: 'w',
    });
    expect(await c.next()).toEqual(event('update', [{ id: 1, site_name: 'T3' }], 'st'));
    writer.close();
    c.close();
  });
});

describe('error shapes (spec 10, 15), each with the uid sent', () => {
  const error = (type: string, code: string, message: string, uid?: string): Msg => ({
    type,
    status: 'error',
    error: { code, message },
    ...(uid === undefined ? {} : { uid }),
  });
  const unparsable = error('server', 'INVALID_PAYLOAD', 'Unable to parse the incoming message.');
  const forbiddenCollection = (c: string) =>
    `You don't have permission to access collection "${c}" or it does not exist. Queried in root.`;
  const invalidCollection = 'The provided collection does not exists or is not accessible.';

  it('frames that are not a JSON message: type server, no uid', async () => {
    const c = await open();
    for (const frame of ['not json', '{"type":', '[1,2]', '"text"', '{"uid":"x"}', '{"type":5,"uid":"x"}']) {
      c.send(frame);
      expect(await c.next()).toEqual(unparsable);
    }
    c.close();
  });

  it('unknown message types are ignored, as Directus ignores them (so is a type in another case, and a ping without heartbeat)', async () => {
    const c = await open();
    c.send({ type: 'hello', uid: 'h' });
    c.send({ type: 'PING', uid: 'P' });
    c.send({ type: 'pong', uid: 'q' });
    // A ping too, here: Directus answers pings only with WEBSOCKETS_HEARTBEAT_ENABLED (off in this file).
    c.send({ type: 'ping', uid: 'p' });
    c.send({ type: 'Items', action: 'read', collection: 'posts', uid: 'I' });
    expect(await c.request({ type: 'items', action: 'read', collection: 'settings', uid: 'r' })).toMatchObject({
      type: 'items',
      uid: 'r',
    });
    await c.none(200);
    c.close();
  });

  it('items', async () => {
    const c = await open();
    const cases: [Msg, Msg][] = [
      [
        { type: 'items', action: 'read', collection: 'nope', uid: 'e1' },
        error('items', 'FORBIDDEN', forbiddenCollection('nope'), 'e1'),
      ],
      [
        { type: 'items', action: 'read', collection: 'directus_users', uid: 'e2' },
        error('items', 'INVALID_COLLECTION', invalidCollection, 'e2'),
      ],
      [
        { type: 'items', action: 'delete', collection: 'posts', uid: 'e3' },
        error('items', 'INVALID_PAYLOAD', "Either 'ids', 'id' or 'query' is required for a DELETE request.", 'e3'),
      ],
      [
        { type: 'items', action: 'read', uid: 'e4' },
        error('items', 'INVALID_PAYLOAD', 'Invalid payload. "collection" is required.', 'e4'),
      ],
      [
        { type: 'items', action: 'upsert', collection: 'posts', uid: 'e5' },
        error(
          'items',
          'INVALID_PAYLOAD',
          'Invalid payload. "action" must be one of [create, read, update, delete].',
          'e5',
        ),
      ],
      [
        { type: 'items', action: 'create', collection: 'posts', uid: 'e6' },
        error('items', 'INVALID_PAYLOAD', 'Invalid payload. "data" must be an object or an array of objects.', 'e6'),
      ],
      [
        { type: 'items', action: 'read', collection: 'posts', ids: 'x', uid: 'e7' },
        error('items', 'INVALID_PAYLOAD', 'Invalid payload. "ids" must be an array of keys.', 'e7'),
      ],
      [
        { type: 'items', action: 'read', collection: 'posts', id: 999999, uid: 'e8' },
        error('items', 'FORBIDDEN', "You don't have permission to access this.", 'e8'),
      ],
      [
        { type: 'items', action: 'create', collection: 'posts', data: { views: 'many' }, uid: 9 },
        error('items', 'INVALID_PAYLOAD', expect.stringContaining('views') as unknown as string, '9'),
      ],
      [
        { type: 'items', action: 'read', collection: 'posts', query: { fields: ['nope'] }, uid: 'e10' },
        error(
          'items',
          'FORBIDDEN',
          'You don\'t have permission to access field "nope" in collection "posts" or it does not exist. Queried in root.',
          'e10',
        ),
      ],
    ];
    for (const [message, expected] of cases) expect(await c.request(message)).toEqual(expected);
    c.close();
  });

  it('subscribe', async () => {
    const admin = await open();
    const user = await open(reader.token);
    const cases: [WsClient, Msg, Msg][] = [
      [
        user,
        { type: 'subscribe', collection: 'nope', uid: 's1' },
        error('subscribe', 'INVALID_COLLECTION', invalidCollection, 's1'),
      ],
      [
        user,
        { type: 'subscribe', collection: 'settings', uid: 's2' },
        error('subscribe', 'FORBIDDEN', forbiddenCollection('settings'), 's2'),
      ],
      [
        admin,
        { type: 'subscribe', uid: 's3' },
        error('subscribe', 'INVALID_PAYLOAD', 'Invalid payload. "collection" is required.', 's3'),
      ],
      [
        admin,
        { type: 'subscribe', collection: 'posts', event: 'upsert', uid: 's4' },
        error(
          'subscribe',
          'INVALID_PAYLOAD',
          'Invalid payload. "event" must be one of [create, update, delete].',
          's4',
        ),
      ],
      [
        admin,
        { type: 'subscribe', collection: 'posts', query: 'fields=id', uid: 's5' },
        error('subscribe', 'INVALID_PAYLOAD', 'Invalid payload. "query" must be of type object.', 's5'),
      ],
      [
        admin,
        { type: 'subscribe', collection: 'posts', query: { fields: ['nope'] }, uid: 's6' },
        error(
          'subscribe',
          'FORBIDDEN',
          'You don\'t have permission to access field "nope" in collection "posts" or it does not exist. Queried in root.',
          's6',
        ),
      ],
      [
        admin,
        { type: 'subscribe', collection: 'directus_extensions', uid: 's7' },
        error('subscribe', 'INVALID_COLLECTION', invalidCollection, 's7'),
      ],
    ];
    for (const [client, message, expected] of cases) expect(await client.request(message)).toEqual(expected);
    // None of the failed subscriptions delivers anything.
    await post({ title: 'after errors', views: 1 });
    await admin.none(300);
    await user.none(0);
    admin.close();
    user.close();
  });
});
