import type { AddressInfo } from 'node:net';
import { RealtimeFeed } from '../src/modules/realtime/realtime-feed.service';
import { RetentionService } from '../src/modules/revisions/retention.service';
import { collection } from './permissions.helpers';
import { createTestApp, type TestApp } from './support/app';
import { ADMIN_TOKEN } from './support/constants';
import { WsClient, type Msg } from './realtime-client';

/**
 * Issue 14, resume (an extension, docs/realtime.md): a client that reconnects with `after: <last event id>` gets
 * every event it missed, in order, then live events, nothing twice, even while writes keep coming during the replay.
 * An id the retention pass pruned is EVENT_NOT_RETAINED.
 */

let t: TestApp;
let url: string;

beforeAll(async () => {
  t = await createTestApp({
    WEBSOCKETS_ENABLED: 'true',
    WEBSOCKETS_EVENT_IDS: 'true',
    WEBSOCKETS_HEARTBEAT_ENABLED: 'false',
  });
  await collection(t, 'logs', [
    { field: 'title', type: 'string' },
    { field: 'n', type: 'integer' },
  ]);
  await t.http
    .post('/items/logs')
    .set(t.admin)
    .send(Array.from({ length: 10 }, (_, i) => ({ title: `pre ${i + 1}`, n: 0 })))
    .expect(200);
  await t.app.listen(0, '127.0.0.1');
  url = `ws://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}/websocket?access_token=${ADMIN_TOKEN}`;
});
afterAll(() => t.close());

type Row = { id: number; title: string; n: number };

const create = (body: object) => t.http.post('/items/logs').set(t.admin).send(body).expect(200);
const isEvent = (m: Msg) => m.type === 'subscription' && ['create', 'update', 'delete'].includes(m.event);

/** Runs `count` writes `at` a time. */
async function burst(count: number, at: number, write: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < count; i += at) {
    await Promise.all(Array.from({ length: Math.min(at, count - i) }, (_, j) => write(i + j)));
  }
}

/** The events the change log holds for `logs` after `after`, as an admin subscriber without a query reads them now. */
async function expectedEvents(after: string, uid: string): Promise<Msg[]> {
  const changes = (
    await t.db.client.query<{ id: string; action: string; keys: number[] }>(
      `SELECT "id"::text AS "id", "action", "keys" FROM "tessera_changes" WHERE "collection" = 'logs' AND "id" > $1::int8 ORDER BY "tessera_changes"."id"`,
      [after],
    )
  ).rows;
  const rows = (await t.http.get('/items/logs?limit=-1').set(t.admin).expect(200)).body.data as Row[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  // A create of several rows is one message per row (Directus emits items.create per item), all with its id.
  return changes.flatMap((c) =>
    c.action === 'create'
      ? c.keys.map((k) => ({ type: 'subscription', event: 'create', data: [byId.get(k)], uid, id: c.id }))
      : [
          {
            type: 'subscription',
            event: c.action,
            data: c.action === 'delete' ? c.keys : c.keys.map((k) => byId.get(k)),
            uid,
            id: c.id,
          },
        ],
  );
}

it('reconnecting with after: every missed event once, in order, then live ones, none twice', async () => {
  await t.app.get(RealtimeFeed).idle();
  const first = await WsClient.open(url);
  await first.request({ type: 'subscribe', collection: 'logs', event: 'create', uid: 'r' });
  await create({ title: 'seen', n: 1 });
  const seen = await first.next(isEvent);
  expect(seen.data).toMatchObject([{ title: 'seen' }]);
  first.close();
  await first.closed;

  // While disconnected: 24 single creates 4 at a time, a batch create, updates and deletes of older rows.
  await burst(24, 4, (i) => create({ title: `missed ${i}`, n: i }));
  await create([{ title: 'batch a' }, { title: 'batch b' }, { title: 'batch c' }]);
  await burst(5, 5, (i) =>
    t.http
      .patch(`/items/logs/${i + 1}`)
      .set(t.admin)
      .send({ n: 100 + i })
      .expect(200),
  );
  await t.http.delete('/items/logs/6').set(t.admin).expect(204);
  await t.http.delete('/items/logs').set(t.admin).send([7, 8]).expect(204);
  const lastMissed = (await t.db.client.query<{ id: string }>(`SELECT max("id")::text AS "id" FROM "tessera_changes"`))
    .rows[0].id;

  // Resume, with more creates racing the replay.
  const second = await WsClient.open(url);
  second.send({ type: 'subscribe', collection: 'logs', uid: 'r2', after: seen.id });
  const live = burst(12, 3, (i) => create({ title: `live ${i}`, n: i }));
  expect(await second.next()).toEqual({ type: 'subscription', event: 'init', uid: 'r2' });
  await live;
  await t.app.get(RealtimeFeed).idle();

  const expected = await expectedEvents(seen.id, 'r2');
  expect(expected.length).toBe(24 + 3 + 5 + 2 + 12);
  const received: Msg[] = [];
  while (received.length < expected.length) received.push(await second.next(isEvent));
  await second.none(300, isEvent);

  const ids = received.map((m) => m.id as string);
  expect(new Set(received.map((m) => JSON.stringify([m.id, m.data]))).size).toBe(received.length);
  // What was missed comes first, in id order (the live creates commit concurrently, so only they may interleave).
  const missed = ids.filter((id) => BigInt(id) <= BigInt(lastMissed));
  // (the batch create's three messages share one id)
  expect(ids.slice(0, missed.length)).toEqual(missed);
  expect([...missed].sort((a, b) => Number(BigInt(a) - BigInt(b)))).toEqual(missed);
  const byId = (a: Msg, b: Msg) => Number(BigInt(a.id) - BigInt(b.id));
  expect([...received].sort(byId)).toEqual(expected);
  // Spot checks of the shapes: a batch create is three events of one row each (one event id), a delete by keys one
  // with both keys.
  const batch = received.filter((m) => m.event === 'create' && /^batch /.test(m.data[0].title));
  expect(batch.map((m) => m.data.map((r: Row) => r.title))).toEqual([['batch a'], ['batch b'], ['batch c']]);
  expect(new Set(batch.map((m) => m.id)).size).toBe(1);
  expect(received.find((m) => m.event === 'delete' && m.data.length === 2)?.data).toEqual([7, 8]);
  second.close();
});

it('after the newest id: init, nothing replayed, then live events', async () => {
  const c = await WsClient.open(url);
  const newest = (await t.db.client.query<{ id: string }>(`SELECT max("id")::text AS "id" FROM "tessera_changes"`))
    .rows[0].id;
  expect(
    await c.request({ type: 'subscribe', collection: 'logs', query: { fields: ['title'] }, uid: 'n', after: newest }),
  ).toEqual({ type: 'subscription', event: 'init', uid: 'n' });
  await c.none(200);
  await create({ title: 'next' });
  expect(await c.next()).toEqual({
    type: 'subscription',
    event: 'create',
    data: [{ title: 'next' }],
    uid: 'n',
    id: String(BigInt(newest) + 1n),
  });
  c.close();
});

it('an id outside the retention window is EVENT_NOT_RETAINED; a malformed one INVALID_PAYLOAD', async () => {
  const c = await WsClient.open(url);
  await c.request({ type: 'subscribe', collection: 'logs', event: 'create', uid: 'x' });
  await create({ title: 'to be pruned' });
  const old = (await c.next(isEvent)).id as string;
  // A retention pass as if two days had passed: WEBSOCKETS_EVENT_RETENTION (24h) prunes every event so far.
  const report = await t.app.get(RetentionService).runOnce(new Date(Date.now() + 48 * 3600_000));
  expect(report.changes).toBeGreaterThan(0);
  expect((await t.db.client.query(`SELECT 1 FROM "tessera_changes"`)).rowCount).toBe(0);
  expect(await c.request({ type: 'subscribe', collection: 'logs', uid: 'gone', after: old })).toEqual({
    type: 'subscribe',
    status: 'error',
    error: {
      code: 'EVENT_NOT_RETAINED',
      message:
        `Event "${old}" is not in the change log (older than WEBSOCKETS_EVENT_RETENTION, or unknown): ` +
        'subscribe without "after" to start from the current state.',
    },
    uid: 'gone',
  });
  expect(await c.request({ type: 'subscribe', collection: 'logs', uid: 'bad', after: 'yesterday' })).toEqual({
    type: 'subscribe',
    status: 'error',
    error: { code: 'INVALID_PAYLOAD', message: 'Invalid payload. "after" must be an event id.' },
    uid: 'bad',
  });
  // The refused subscriptions left nothing behind; the first one still works.
  await create({ title: 'still live' });
  expect(await c.next(isEvent)).toMatchObject({ event: 'create', uid: 'x', data: [{ title: 'still live' }] });
  await c.none(200, isEvent);
  c.close();
});
