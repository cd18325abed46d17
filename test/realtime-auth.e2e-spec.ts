import type { AddressInfo } from 'node:net';
import { PUBLIC_POLICY } from './permissions.helpers';
import { createTestApp, type TestApp } from './support/app';
import { ADMIN_EMAIL, ADMIN_PASSWORD, ADMIN_TOKEN } from './support/constants';
import { WsClient, type Msg } from './realtime-client';

/**
 * Issue 14: the three WEBSOCKETS_REST_AUTH modes (spec 10, 15): handshake with access_token, email/password and
 * refresh_token, the token at upgrade (`?access_token=` and the session cookie), handshake failures and the auth
 * timeout, token expiry (a short ACCESS_TOKEN_TTL) with re-auth or AUTH_TIMEOUT, public and strict.
 */

const FIELDS = [{ field: 'name', type: 'string' }];

async function boot(env: Record<string, string>): Promise<{ t: TestApp; url: string }> {
  // The heartbeat is on (client pings are answered only then) with a period longer than any test here.
  const t = await createTestApp({
    WEBSOCKETS_ENABLED: 'true',
    WEBSOCKETS_EVENT_IDS: 'true',
    WEBSOCKETS_HEARTBEAT_PERIOD: '600',
    ...env,
  });
  for (const collection of ['open_things', 'closed_things']) {
    await t.http.post('/collections').set(t.admin).send({ collection, schema: {}, fields: FIELDS }).expect(200);
    await t.http
      .post(`/items/${collection}`)
      .set(t.admin)
      .send({ name: `${collection} 1` })
      .expect(200);
  }
  await t.http
    .post('/permissions')
    .set(t.admin)
    .send({ policy: PUBLIC_POLICY, collection: 'open_things', action: 'read', fields: ['*'] })
    .expect(200);
  await t.app.listen(0, '127.0.0.1');
  return { t, url: `ws://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}/websocket` };
}

/** The session cookie REST login sets in `session` mode, as a Cookie header value. */
async function sessionCookie(t: TestApp): Promise<string> {
  const res = await t.http
    .post('/auth/login')
    .send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD, mode: 'session' })
    .expect(200);
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const session = cookies.find((c) => c.startsWith('directus_session_token='));
  if (!session) throw new Error(`no session cookie in ${JSON.stringify(cookies)}`);
  return session.split(';')[0];
}

const readClosed = (uid: string): Msg => ({ type: 'items', action: 'read', collection: 'closed_things', uid });
const closedRows = [{ id: 1, name: 'closed_things 1' }];
const handshakeFailed = {
  type: 'auth',
  status: 'error',
  error: { code: 'AUTH_FAILED', message: 'Authentication handshake failed.' },
};

describe('handshake mode (the default), with a 2 s ACCESS_TOKEN_TTL', () => {
  let t: TestApp;
  let url: string;
  beforeAll(async () => {
    ({ t, url } = await boot({ WEBSOCKETS_REST_AUTH_TIMEOUT: '1', ACCESS_TOKEN_TTL: '2s' }));
  });
  afterAll(() => t.close());

  it('email and password: auth ok with the uid and a refresh_token, then the user acts', async () => {
    const c = await WsClient.open(url);
    const ok = await c.request({ type: 'auth', email: ADMIN_EMAIL, password: ADMIN_PASSWORD, uid: 'login' });
    expect(ok).toEqual({ type: 'auth', status: 'ok', uid: 'login', refresh_token: expect.any(String) });
    expect(await c.request(readClosed('r'))).toEqual({ type: 'items', data: closedRows, uid: 'r' });
    c.close();
  });

  it('refresh_token: auth ok with a new refresh_token, which works in turn', async () => {
    const login = await t.http.post('/auth/login').send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }).expect(200);
    const refresh = login.body.data.refresh_token as string;
    const c = await WsClient.open(url);
    const ok = await c.request({ type: 'auth', refresh_token: refresh, uid: 7 });
    expect(ok).toEqual({ type: 'auth', status: 'ok', uid: '7', refresh_token: expect.any(String) });
    expect(ok.refresh_token).not.toBe(refresh);
    expect(await c.request(readClosed('r'))).toEqual({ type: 'items', data: closedRows, uid: 'r' });
    c.close();

    // The rotated token works in turn; a token that never was fails the handshake.
    const again = await WsClient.open(url);
    expect(await again.request({ type: 'auth', refresh_token: ok.refresh_token, uid: 'x' })).toEqual({
      type: 'auth',
      status: 'ok',
      uid: 'x',
      refresh_token: expect.any(String),
    });
    again.close();
    const bad = await WsClient.open(url);
    bad.send({ type: 'auth', refresh_token: 'not-a-refresh-token', uid: 'y' });
    expect(await bad.next()).toEqual(handshakeFailed);
    expect((await bad.closed).code).toBe(1005);
  });

  it('access_token in the handshake: auth ok without a refresh_token', async () => {
    const c = await WsClient.open(url);
    expect(await c.request({ type: 'auth', access_token: ADMIN_TOKEN })).toEqual({ type: 'auth', status: 'ok' });
    c.close();
  });

  it.each([
    ['a wrong password', { type: 'auth', email: ADMIN_EMAIL, password: 'nope', uid: 'a' }],
    ['a bad access_token', { type: 'auth', access_token: 'nope', uid: 'a' }],
    ['an auth message without credentials', { type: 'auth', uid: 'a' }],
    ['a ping', { type: 'ping', uid: 'a' }],
    ['a frame that is not JSON', 'hello'],
  ])('%s first: AUTH_FAILED without uid, and the close', async (_name, first) => {
    const c = await WsClient.open(url);
    c.send(first);
    expect(await c.next()).toEqual(handshakeFailed);
    expect((await c.closed).code).toBe(1005);
    expect(c.received).toEqual([]);
  });

  it('no message within WEBSOCKETS_REST_AUTH_TIMEOUT: AUTH_FAILED and the close', async () => {
    const c = await WsClient.open(url);
    const started = Date.now();
    expect(await c.next(undefined, 3000)).toEqual(handshakeFailed);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect((await c.closed).code).toBe(1005);
  });

  it('a token at upgrade, by ?access_token= or by the session cookie, needs no auth message', async () => {
    const byQuery = await WsClient.open(`${url}?access_token=${ADMIN_TOKEN}`);
    expect(await byQuery.request(readClosed('q'))).toEqual({ type: 'items', data: closedRows, uid: 'q' });
    byQuery.close();

    const byCookie = await WsClient.open(url, { headers: { Cookie: await sessionCookie(t) } });
    expect(await byCookie.request(readClosed('k'))).toEqual({ type: 'items', data: closedRows, uid: 'k' });
    expect(byCookie.received).toEqual([]);
    byCookie.close();

    await expect(WsClient.open(url, { headers: { Cookie: 'directus_session_token=not-a-jwt' } })).rejects.toThrow(
      'HTTP 401',
    );
  });

  it('a failed re-auth: AUTH_FAILED "Authentication failed." with the uid, then the close', async () => {
    const c = await WsClient.open(`${url}?access_token=${ADMIN_TOKEN}`);
    expect(await c.request({ type: 'auth', access_token: 'nope', uid: 'again' })).toEqual({
      type: 'auth',
      status: 'error',
      error: { code: 'AUTH_FAILED', message: 'Authentication failed.' },
      uid: 'again',
    });
    expect((await c.closed).code).toBe(1005);
  });

  it('token expiry: TOKEN_EXPIRED, requests refused meanwhile, events stop; re-auth restores both', async () => {
    const c = await WsClient.open(url);
    const login = await c.request({ type: 'auth', email: ADMIN_EMAIL, password: ADMIN_PASSWORD, uid: 'l' });
    expect(
      await c.request({ type: 'subscribe', collection: 'closed_things', query: { fields: ['name'] }, uid: 's' }),
    ).toEqual({ type: 'subscription', event: 'init', data: [{ name: 'closed_things 1' }], uid: 's' });

    expect(await c.next((m) => m.type === 'auth', 4000)).toEqual({
      type: 'auth',
      status: 'error',
      error: { code: 'TOKEN_EXPIRED', message: 'Token expired.' },
    });
    expect(await c.request(readClosed('during'))).toEqual({
      type: 'items',
      status: 'error',
      error: { code: 'TOKEN_EXPIRED', message: 'Token expired.' },
      uid: 'during',
    });
    await t.http.post('/items/closed_things').set(t.admin).send({ name: 'unseen' }).expect(200);
    await c.none(300, (m) => m.type === 'subscription');

    const ok = await c.request({ type: 'auth', refresh_token: login.refresh_token, uid: 're' });
    expect(ok).toEqual({ type: 'auth', status: 'ok', uid: 're', refresh_token: expect.any(String) });
    await t.http.post('/items/closed_things').set(t.admin).send({ name: 'seen' }).expect(200);
    expect(await c.next((m) => m.type === 'subscription')).toEqual({
      type: 'subscription',
      event: 'create',
      data: [{ name: 'seen' }],
      uid: 's',
      id: expect.stringMatching(/^\d+$/),
    });
    expect(await c.request(readClosed('after'))).toMatchObject({ type: 'items', uid: 'after' });
    // The refreshed token expires in turn (2 s): re-auth with a static token this time, no AUTH_TIMEOUT follows.
    expect(await c.next((m) => m.type === 'auth', 4000)).toMatchObject({ error: { code: 'TOKEN_EXPIRED' } });
    expect(await c.request({ type: 'auth', access_token: ADMIN_TOKEN, uid: 'static' })).toEqual({
      type: 'auth',
      status: 'ok',
      uid: 'static',
    });
    await c.none(1300, (m) => m.type === 'auth');
    c.close();
  });

  it('token expiry without re-auth: AUTH_TIMEOUT after WEBSOCKETS_REST_AUTH_TIMEOUT, then the close', async () => {
    const c = await WsClient.open(url);
    await c.request({ type: 'auth', email: ADMIN_EMAIL, password: ADMIN_PASSWORD, uid: 'l' });
    expect(await c.next(undefined, 4000)).toEqual({
      type: 'auth',
      status: 'error',
      error: { code: 'TOKEN_EXPIRED', message: 'Token expired.' },
    });
    expect(await c.next(undefined, 3000)).toEqual({
      type: 'auth',
      status: 'error',
      error: { code: 'AUTH_TIMEOUT', message: 'Authentication timed out.' },
    });
    expect((await c.closed).code).toBe(1005);
  });
});

describe('public mode', () => {
  let t: TestApp;
  let url: string;
  beforeAll(async () => {
    ({ t, url } = await boot({ WEBSOCKETS_REST_AUTH: 'public' }));
  });
  afterAll(() => t.close());

  it('connects without credentials and acts as the Public policy: reads, subscribes, receives events', async () => {
    const c = await WsClient.open(url);
    expect(await c.request({ type: 'ping', uid: 'p' })).toEqual({ type: 'pong', uid: 'p' });
    expect(await c.request({ type: 'items', action: 'read', collection: 'open_things', uid: 'o' })).toEqual({
      type: 'items',
      data: [{ id: 1, name: 'open_things 1' }],
      uid: 'o',
    });
    expect(await c.request(readClosed('c'))).toEqual({
      type: 'items',
      status: 'error',
      error: {
        code: 'FORBIDDEN',
        message:
          'You don\'t have permission to access collection "closed_things" or it does not exist. Queried in root.',
      },
      uid: 'c',
    });
    expect(await c.request({ type: 'subscribe', collection: 'closed_things', uid: 'sc' })).toEqual({
      type: 'subscribe',
      status: 'error',
      error: {
        code: 'FORBIDDEN',
        message:
          'You don\'t have permission to access collection "closed_things" or it does not exist. Queried in root.',
      },
      uid: 'sc',
    });
    expect(await c.request({ type: 'subscribe', collection: 'open_things', event: 'create', uid: 'so' })).toEqual({
      type: 'subscription',
      event: 'init',
      uid: 'so',
    });
    await t.http.post('/items/open_things').set(t.admin).send({ name: 'new' }).expect(200);
    expect(await c.next()).toEqual({
      type: 'subscription',
      event: 'create',
      data: [{ id: 2, name: 'new' }],
      uid: 'so',
      id: expect.stringMatching(/^\d+$/),
    });
    c.close();
  });

  it('auth upgrades the connection; a failed auth answers AUTH_FAILED with the uid and keeps it open, as Public', async () => {
    const c = await WsClient.open(url);
    expect(await c.request({ type: 'auth', access_token: ADMIN_TOKEN, uid: 'a' })).toEqual({
      type: 'auth',
      status: 'ok',
      uid: 'a',
    });
    expect(await c.request(readClosed('r1'))).toEqual({ type: 'items', data: closedRows, uid: 'r1' });
    expect(await c.request({ type: 'auth', access_token: 'nope', uid: 'b' })).toEqual({
      type: 'auth',
      status: 'error',
      error: { code: 'AUTH_FAILED', message: 'Authentication failed.' },
      uid: 'b',
    });
    expect(await c.request(readClosed('r2'))).toMatchObject({ status: 'error', error: { code: 'FORBIDDEN' } });
    expect(await c.request({ type: 'ping', uid: 'still' })).toEqual({ type: 'pong', uid: 'still' });
    c.close();
  });

  it('an invalid token at upgrade is refused 401, a valid one acts at once', async () => {
    await expect(WsClient.open(`${url}?access_token=nope`)).rejects.toThrow('HTTP 401');
    const c = await WsClient.open(`${url}?access_token=${ADMIN_TOKEN}`);
    expect(await c.request(readClosed('r'))).toEqual({ type: 'items', data: closedRows, uid: 'r' });
    c.close();
  });
});

describe('strict mode', () => {
  let t: TestApp;
  let url: string;
  beforeAll(async () => {
    ({ t, url } = await boot({ WEBSOCKETS_REST_AUTH: 'strict' }));
  });
  afterAll(() => t.close());

  it('the upgrade without a token, or with an invalid one, is answered 401', async () => {
    await expect(WsClient.open(url)).rejects.toThrow('HTTP 401');
    await expect(WsClient.open(`${url}?access_token=nope`)).rejects.toThrow('HTTP 401');
    await expect(WsClient.open(url, { headers: { Cookie: 'directus_session_token=nope' } })).rejects.toThrow(
      'HTTP 401',
    );
  });

  it('a user token at upgrade (query or session cookie): no auth message, requests at once', async () => {
    const byQuery = await WsClient.open(`${url}?access_token=${ADMIN_TOKEN}`);
    expect(await byQuery.request(readClosed('q'))).toEqual({ type: 'items', data: closedRows, uid: 'q' });
    expect(byQuery.received).toEqual([]);
    byQuery.close();
    const byCookie = await WsClient.open(url, { headers: { Cookie: await sessionCookie(t) } });
    expect(await byCookie.request(readClosed('k'))).toEqual({ type: 'items', data: closedRows, uid: 'k' });
    byCookie.close();
  });
});
