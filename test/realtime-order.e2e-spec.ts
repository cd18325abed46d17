import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { RealtimeFeed } from '../src/modules/realtime/realtime-feed.service';
import { createTestApp, type TestApp } from './support/app';
import { ADMIN_TOKEN } from './support/constants';
import { WsClient, type Msg } from './realtime-client';

/**
 * Issue 14, "nothing missed, nothing twice" with concurrent writers: change-log ids come from a sequence inside the
 * writing transactions, so a write that drew the smaller id can commit after one that drew a larger id. The feed
 * delivers in id order and holds an id back until every smaller one is settled (committed, or its writer ended
 * without it); an event id is then a position that a resume can continue from on any instance.
 *
 * A "slow writer" here is a second connection that writes a row and its change-log entry as the capture does (the
 * row, then the log row, in one transaction) and keeps the transaction open while REST writes go through.
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

/** A transaction on its own connection that creates a post and appends its change-log row, left open. */
async function slowWriter(
  title: string,
): Promise<{ id: number; logId: string; commit(): Promise<void>; rollback(): Promise<void> }> {
  const c = new Client({ connectionString: t.db.url });
  await c.connect();
  await c.query('BEGIN');
  const { rows } = await c.query<{ id: number }>(`INSERT INTO posts (title) VALUES ($1) RETURNING id`, [title]);
  const id = rows[0].id;
  const log = await c.query<{ id: string }>(
    `INSERT INTO tessera_changes (request_id, collection, action, keys, before, "user")
     VALUES ('slow', 'posts', 'create', $1::jsonb, NULL, NULL) RETURNING id::text AS id, pg_notify('tessera_changes', id || '-' || id)`,
    [JSON.stringify([id])],
  );
  const end = async (sql: string) => {
    await c.query(sql);
    await c.end();
  };
  return { id, logId: log.rows[0].id, commit: () => end('COMMIT'), rollback: () => end('ROLLBACK') };
}

async function subscriber(uid: string, extra: Record<string, unknown> = {}): Promise<{ c: WsClient; first: Msg }> {
  const c = await WsClient.open(url);
  expect(await c.request({ type: 'auth', access_token: ADMIN_TOKEN, uid: 'a' })).toMatchObject({ status: 'ok' });
  const first = await c.request({
    type: 'subscribe',
    collection: 'posts',
    query: { fields: ['id', 'title'], sort: ['id'] },
    uid,
    ...extra,
  });
  return { c, first };
}

const event = (m: Msg) => m.type === 'subscription' && m.event !== 'init';
const post = async (title: string) =>
  (await t.http.post('/items/posts').set(t.admin).send({ title }).expect(200)).body.data as { id: number };

it('a smaller id committed later: nothing after it is delivered before it, then both in id order', async () => {
  const feed = t.app.get(RealtimeFeed);
  const seen: string[] = [];
  const stopSeeing = feed.listen((change) => seen.push(change.id));
  const { c } = await subscriber('s');
  const gaps = feed.gaps;

  const slow = await slowWriter('slow');
  const fast = await post('fast');
  // The fast write committed and announced itself; its id is after the slow writer's, which is still open.
  await c.none(400);
  expect(feed.gaps).toBeGreaterThan(gaps);

  await slow.commit();
  const first = await c.next(event);
  const second = await c.next(event);
  expect(first).toEqual({
    type: 'subscription',
    event: 'create',
    data: [{ id: slow.id, title: 'slow' }],
    uid: 's',
    id: slow.logId,
  });
  expect(second).toEqual({
    type: 'subscription',
    event: 'create',
    data: [{ id: fast.id, title: 'fast' }],
    uid: 's',
    id: String(BigInt(slow.logId) + 1n),
  });
  await feed.idle();
  await c.none(200);
  stopSeeing();
  expect(seen).toEqual([first.id, second.id]);

  // A client that had the slow writer's event resumes after it: the fast one, once, then live.
  const resumed = await subscriber('r', { after: first.id });
  expect(resumed.first).toEqual({ type: 'subscription', event: 'init', uid: 'r' });
  expect(await resumed.c.next(event)).toEqual({
    type: 'subscription',
    event: 'create',
    data: [{ id: fast.id, title: 'fast' }],
    uid: 'r',
    id: second.id,
  });
  const live = await post('live');
  expect(await resumed.c.next(event)).toMatchObject({ event: 'create', data: [{ id: live.id, title: 'live' }] });
  await c.next(event);
  await resumed.c.none(200);
  c.close();
  resumed.c.close();
});

it('an id whose writer rolled back is skipped as soon as that writer has ended', async () => {
  const feed = t.app.get(RealtimeFeed);
  const { c } = await subscriber('s');
  const slow = await slowWriter('never');
  const fast = await post('after the rollback');
  await c.none(300);
  const started = Date.now();
  await slow.rollback();
  const got = await c.next(event);
  expect(Date.now() - started).toBeLessThan(1000);
  expect(got).toEqual({
    type: 'subscription',
    event: 'create',
    data: [{ id: fast.id, title: 'after the rollback' }],
    uid: 's',
    id: String(BigInt(slow.logId) + 1n),
  });
  await feed.idle();
  await c.none(200);
  c.close();
});

it('without concurrent writers nothing waits: each event is one read, no gap', async () => {
  const feed = t.app.get(RealtimeFeed);
  const { c } = await subscriber('s');
  const gaps = feed.gaps;
  for (const title of ['x', 'y', 'z']) {
    const row = await post(title);
    expect(await c.next(event)).toMatchObject({ event: 'create', data: [{ id: row.id, title }] });
  }
  expect(feed.gaps).toBe(gaps);
  c.close();
});

it('a resume after an id this instance has not settled yet (another instance is ahead): nothing up to it, then live', async () => {
  const slow = await slowWriter('held');
  const fast = await post('ahead');
  // The fast write's event id, as an instance that is ahead would have sent it: in the log, not settled here yet.
  const { rows } = await t.db.client.query<{ id: string }>(
    `SELECT id::text AS id FROM tessera_changes WHERE keys = $1::jsonb AND collection = 'posts' ORDER BY id DESC LIMIT 1`,
    [JSON.stringify([fast.id])],
  );
  const resumed = await subscriber('r', { after: rows[0].id });
  expect(resumed.first).toEqual({ type: 'subscription', event: 'init', uid: 'r' });
  await slow.commit();
  await t.app.get(RealtimeFeed).idle();
  // Both events are at or before the client's position: neither is sent.
  await resumed.c.none(300);
  const live = await post('live again');
  expect(await resumed.c.next(event)).toMatchObject({ event: 'create', data: [{ id: live.id, title: 'live again' }] });
  await resumed.c.none(200);
  resumed.c.close();
});
