import type { AddressInfo } from 'node:net';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { GraphqlMutationHub } from '../src/modules/graphql-subscriptions/mutation-hub';
import { admin, attach, collection, policy, PUBLIC_POLICY, role, user, type TestUser } from './permissions.helpers';
import { createTestApp, type TestApp } from './support/app';
import { ADMIN_TOKEN } from './support/constants';

/**
 * Issue 13 (5): `<c>_mutated(event)` over graphql-ws on /graphql, with the subscriber's permissions and spec 9's auth.
 * Writes go through REST; every subscriber's whole list of payloads is compared once a final write (seen by all) has
 * arrived, so an event a subscriber must not get is shown absent, not just late. (@directus/sdk has no GraphQL
 * subscriptions, only the REST-style /websocket realtime: the graphql-ws client is the client here.)
 */

let t: TestApp;
let wsUrl: string;
let reader: TestUser;
const READER = { email: 'sub-reader@example.com', password: 'reader-password' };
const clients: Client[] = [];

beforeAll(async () => {
  t = await createTestApp({ WEBSOCKETS_ENABLED: 'true', LOGIN_STALL_TIME: '0' });
  await t.app.listen(0, '127.0.0.1');
  wsUrl = `ws://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}/graphql`;
  await collection(t, 'posts', [
    { field: 'title', type: 'string' },
    { field: 'status', type: 'string' },
    { field: 'secret', type: 'string' },
  ]);
  const r = await role(t);
  const p = await policy(t, [
    {
      collection: 'posts',
      action: 'read',
      fields: ['id', 'title', 'status'],
      permissions: { status: { _eq: 'published' } },
    },
  ]);
  await attach(t, { role: r }, p.id);
  reader = await user(t, r, READER);
});

afterAll(async () => {
  for (const c of clients) await c.dispose();
  await t.close();
});

function client(connectionParams?: Record<string, unknown>, headers?: Record<string, string>, query = ''): Client {
  class HeaderWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  const c = createClient({
    url: `${wsUrl}${query}`,
    webSocketImpl: HeaderWebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
  });
  clients.push(c);
  return c;
}

interface Collected {
  readonly values: unknown[];
  readonly errors: unknown[];
  /** Resolves once a value satisfies `until`. */
  waitFor(until: (value: unknown) => boolean): Promise<void>;
}

/** Waits until the server holds `n` more subscriptions than `before` (so a write after it is seen by them). */
async function subscribed(before: number, n: number): Promise<void> {
  const hub = t.app.get(GraphqlMutationHub);
  const deadline = Date.now() + 10_000;
  while (hub.size < before + n) {
    if (Date.now() > deadline) throw new Error(`${hub.size - before} of ${n} subscriptions registered`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Subscribes and collects every `next` payload. */
function collect(c: Client, query: string, variables?: Record<string, unknown>): Collected {
  const values: unknown[] = [];
  const errors: unknown[] = [];
  const waiters: { until: (v: unknown) => boolean; resolve: () => void }[] = [];
  c.subscribe(
    { query, variables },
    {
      next: (value) => {
        values.push(value);
        for (const w of [...waiters]) {
          if (w.until(value)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve();
          }
        }
      },
      error: (error) => errors.push(error),
      complete: () => undefined,
    },
  );
  return {
    values,
    errors,
    waitFor: (until) =>
      values.some(until) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ until, resolve })),
  };
}

const MUTATED = `subscription { posts_mutated { key event data { id title } } }`;
const isEnd = (v: unknown) => JSON.stringify(v).includes('"title":"End"');

function mutated(key: string, event: string, data: Record<string, unknown> | null) {
  return { data: { posts_mutated: { key, event, data } } };
}

describe('<c>_mutated with the subscriber permissions', () => {
  it('an admin sees every event; a role that cannot read a row does not get its create or update', async () => {
    const hub = t.app.get(GraphqlMutationHub);
    const before = hub.size;
    const asAdmin = collect(client({ access_token: ADMIN_TOKEN }), MUTATED);
    const asReader = collect(client({ access_token: reader.token }), MUTATED);
    // Same role and selection: this one shares the reader's read of each event.
    const asReader2 = collect(client({ access_token: reader.token }), MUTATED);
    // Token at the upgrade (strict-mode style), creates only.
    const readerCreates = collect(
      client(undefined, undefined, `?access_token=${reader.token}`),
      `subscription { posts_mutated(event: create) { key event data { title status } } }`,
    );
    await subscribed(before, 4);

    const readsBefore = hub.reads;
    // Payloads are read when the event is delivered (as Directus does): each write waits for the one before it to
    // have reached every subscriber, so that each payload shows the row as that write left it.
    const step = async <T>(write: Promise<T>): Promise<T> => {
      const seen = asAdmin.values.length;
      const result = await write;
      await asAdmin.waitFor(() => asAdmin.values.length > seen);
      await hub.idle();
      return result;
    };
    const p1 = await step(admin(t, 'post', '/items/posts', { title: 'P1', status: 'published', secret: 's1' }));
    const draft = await step(admin(t, 'post', '/items/posts', { title: 'Draft', status: 'draft', secret: 's2' }));
    await step(admin(t, 'patch', `/items/posts/${draft.id}`, { title: 'Draft 2' }));
    await step(admin(t, 'patch', `/items/posts/${p1.id}`, { title: 'P1 v2' }));
    await step(admin(t, 'delete', `/items/posts/${p1.id}`));
    await admin(t, 'post', '/items/posts', { title: 'End', status: 'published' });
    await Promise.all([asAdmin, asReader, asReader2, readerCreates].map((s) => s.waitFor(isEnd)));

    expect(asAdmin.values).toEqual([
      mutated('1', 'create', { id: '1', title: 'P1' }),
      mutated('2', 'create', { id: '2', title: 'Draft' }),
      mutated('2', 'update', { id: '2', title: 'Draft 2' }),
      mutated('1', 'update', { id: '1', title: 'P1 v2' }),
      mutated('1', 'delete', null),
      mutated('3', 'create', { id: '3', title: 'End' }),
    ]);
    const readerSees = [
      mutated('1', 'create', { id: '1', title: 'P1' }),
      mutated('1', 'update', { id: '1', title: 'P1 v2' }),
      mutated('1', 'delete', null),
      mutated('3', 'create', { id: '3', title: 'End' }),
    ];
    expect(asReader.values).toEqual(readerSees);
    expect(asReader2.values).toEqual(readerSees);
    expect(readerCreates.values).toEqual([
      { data: { posts_mutated: { key: '1', event: 'create', data: { title: 'P1', status: 'published' } } } },
      { data: { posts_mutated: { key: '3', event: 'create', data: { title: 'End', status: 'published' } } } },
    ]);
    for (const s of [asAdmin, asReader, asReader2, readerCreates]) expect(s.errors).toEqual([]);
    // Per create/update event: one read for the admin, one for both readers (same group), one for the creates-only
    // reader (another selection) on creates: 5 events × 2 + 3 creates = 13; deletes need no read.
    expect(hub.reads - readsBefore).toBe(13);
  });

  it('a field the subscriber cannot read is a validation error (the subscriber schema)', async () => {
    const c = client({ access_token: reader.token });
    const result = await new Promise<unknown>((resolve) => {
      c.subscribe(
        { query: 'subscription { posts_mutated { key data { secret } } }' },
        { next: resolve, error: resolve, complete: () => undefined },
      );
    });
    expect(result).toEqual([
      {
        message: 'Cannot query field "secret" on type "posts".',
        locations: [{ line: 1, column: 43 }],
      },
    ]);
  });

  it('queries and mutations run over the socket too, as the connection caller', async () => {
    const c = client({ access_token: reader.token });
    const result = await new Promise<unknown>((resolve, reject) => {
      c.subscribe(
        { query: '{ posts(sort: ["id"]) { id title } }' },
        { next: resolve, error: reject, complete: () => undefined },
      );
    });
    expect(result).toEqual({ data: { posts: [{ id: '3', title: 'End' }] } });
  });
});

/** Opens a raw graphql-ws connection, sends connection_init, and resolves with what happened. */
function handshake(
  query: string,
  payload: Record<string, unknown> | undefined,
  headers: Record<string, string> = {},
): Promise<{ ack: boolean; close?: { code: number; reason: string }; error?: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${wsUrl}${query}`, 'graphql-transport-ws', { headers });
    let ack = false;
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', ...(payload ? { payload } : {}) })));
    ws.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'connection_ack') {
        ack = true;
        ws.close(1000);
      }
    });
    ws.on('close', (code, reason) => resolve({ ack, close: { code, reason: String(reason) } }));
    ws.on('error', (error) => resolve({ ack, error: error.message }));
  });
}

describe('auth (spec 9)', () => {
  it('connection_init access_token; none, or a bad one, is closed 4403 Forbidden', async () => {
    expect(await handshake('', { access_token: reader.token })).toEqual({
      ack: true,
      close: { code: 1000, reason: '' },
    });
    expect(await handshake('', undefined)).toEqual({ ack: false, close: { code: 4403, reason: 'Forbidden' } });
    expect(await handshake('', { access_token: 'nope' })).toEqual({
      ack: false,
      close: { code: 4403, reason: 'Forbidden' },
    });
  });

  it('a token or the session cookie at the upgrade; a bad token there is HTTP 401', async () => {
    expect(await handshake(`?access_token=${reader.token}`, undefined)).toEqual({
      ack: true,
      close: { code: 1000, reason: '' },
    });
    const login = await t.http.post('/auth/login').send({ ...READER, mode: 'session' });
    expect(login.status).toBe(200);
    const cookie = (login.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
    expect(await handshake('', undefined, { Cookie: cookie })).toEqual({
      ack: true,
      close: { code: 1000, reason: '' },
    });
    expect(await handshake('?access_token=nope', undefined)).toEqual({
      ack: false,
      error: 'Unexpected server response: 401',
    });
  });

  it('subscriptions of a session-cookie connection carry that user permissions', async () => {
    const login = await t.http.post('/auth/login').send({ ...READER, mode: 'session' });
    const cookie = (login.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
    const before = t.app.get(GraphqlMutationHub).size;
    const s = collect(client(undefined, { Cookie: cookie }), MUTATED);
    await subscribed(before, 1);
    await admin(t, 'post', '/items/posts', { title: 'Hidden', status: 'draft' });
    await admin(t, 'post', '/items/posts', { title: 'End', status: 'published' });
    await s.waitFor(isEnd);
    expect(s.values).toEqual([mutated('5', 'create', { id: '5', title: 'End' })]);
  });
});

describe('WEBSOCKETS_ENABLED=false (the default)', () => {
  it('no GraphQL WebSocket: the upgrade is 404', async () => {
    const off = await createTestApp();
    try {
      await off.app.listen(0, '127.0.0.1');
      const url = `ws://127.0.0.1:${(off.app.getHttpServer().address() as AddressInfo).port}/graphql`;
      const error = await new Promise<string>((resolve) => {
        const ws = new WebSocket(url, 'graphql-transport-ws');
        ws.on('error', (e) => resolve(e.message));
        ws.on('open', () => resolve('open'));
      });
      expect(error).toBe('Unexpected server response: 404');
    } finally {
      await off.close();
    }
  });
});

describe('WEBSOCKETS_GRAPHQL_* settings', () => {
  /** A second app with these settings (WEBSOCKETS_ENABLED on), listening; `run` gets its WebSocket base URL. */
  async function withApp(env: Record<string, string>, run: (base: string, app: TestApp) => Promise<void>) {
    const other = await createTestApp({ WEBSOCKETS_ENABLED: 'true', ...env });
    try {
      await other.app.listen(0, '127.0.0.1');
      await run(`ws://127.0.0.1:${(other.app.getHttpServer().address() as AddressInfo).port}`, other);
    } finally {
      await other.close();
    }
  }

  /** Opens `url` (graphql-transport-ws), sends connection_init, and resolves with what happened. */
  function connect(url: string, payload?: Record<string, unknown>) {
    return new Promise<{ ack: boolean; close?: { code: number; reason: string }; error?: string }>((resolve) => {
      const ws = new WebSocket(url, 'graphql-transport-ws');
      let ack = false;
      ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', ...(payload ? { payload } : {}) })));
      ws.on('message', (data) => {
        if (JSON.parse(String(data)).type === 'connection_ack') {
          ack = true;
          ws.close(1000);
        }
      });
      ws.on('close', (code, reason) => resolve({ ack, close: { code, reason: String(reason) } }));
      ws.on('error', (error) => resolve({ ack, error: error.message }));
    });
  }
  const ACK = { ack: true, close: { code: 1000, reason: '' } };
  const FORBIDDEN_CLOSE = { ack: false, close: { code: 4403, reason: 'Forbidden' } };
  const refused = (status: number) => ({ ack: false, error: `Unexpected server response: ${status}` });

  it('WEBSOCKETS_GRAPHQL_ENABLED=false: no GraphQL WebSocket (404), HTTP GraphQL unchanged', async () => {
    await withApp({ WEBSOCKETS_GRAPHQL_ENABLED: 'false' }, async (base, other) => {
      expect(await connect(`${base}/graphql`, { access_token: ADMIN_TOKEN })).toEqual(refused(404));
      const res = await other.http.post('/graphql').set(other.admin).send({ query: '{ __typename }' });
      expect({ status: res.status, body: res.body as unknown }).toEqual({
        status: 200,
        body: { data: { __typename: 'Query' } },
      });
    });
  });

  it('WEBSOCKETS_GRAPHQL_PATH moves the endpoint; /graphql then has no WebSocket', async () => {
    await withApp({ WEBSOCKETS_GRAPHQL_PATH: '/gql-socket' }, async (base) => {
      expect(await connect(`${base}/gql-socket`, { access_token: ADMIN_TOKEN })).toEqual(ACK);
      expect(await connect(`${base}/graphql`, { access_token: ADMIN_TOKEN })).toEqual(refused(404));
    });
  });

  it('WEBSOCKETS_GRAPHQL_AUTH=strict: a user token at the upgrade, else 401; connection_init is not auth', async () => {
    await withApp({ WEBSOCKETS_GRAPHQL_AUTH: 'strict' }, async (base) => {
      expect(await connect(`${base}/graphql?access_token=${ADMIN_TOKEN}`)).toEqual(ACK);
      expect(await connect(`${base}/graphql`, { access_token: ADMIN_TOKEN })).toEqual(refused(401));
      expect(await connect(`${base}/graphql?access_token=nope`)).toEqual(refused(401));
    });
  });

  it('WEBSOCKETS_GRAPHQL_AUTH=public: no token needed, the Public policies apply', async () => {
    await withApp({ WEBSOCKETS_GRAPHQL_AUTH: 'public' }, async (base, other) => {
      await collection(other, 'notes', [{ field: 'title', type: 'string' }]);
      await admin(other, 'post', '/permissions', {
        policy: PUBLIC_POLICY,
        collection: 'notes',
        action: 'read',
        fields: ['id', 'title'],
        permissions: { title: { _neq: 'hidden' } },
      });
      expect(await connect(`${base}/graphql`)).toEqual(ACK);
      expect(await connect(`${base}/graphql`, { access_token: 'nope' })).toEqual(FORBIDDEN_CLOSE);
      const values: unknown[] = [];
      const c = createClient({ url: `${base}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
      clients.push(c);
      const done = new Promise<void>((resolve) => {
        c.subscribe(
          { query: 'subscription { notes_mutated { key event data { title } } }' },
          {
            next: (value) => {
              values.push(value);
              if (JSON.stringify(value).includes('"end"')) resolve();
            },
            error: (error) => {
              values.push({ error });
              resolve();
            },
            complete: () => undefined,
          },
        );
      });
      const hub = other.app.get(GraphqlMutationHub);
      const deadline = Date.now() + 10_000;
      while (hub.size < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await admin(other, 'post', '/items/notes', { title: 'hidden' });
      await admin(other, 'post', '/items/notes', { title: 'end' });
      await done;
      await c.dispose(); // before the app closes (it waits for its sockets)
      expect(values).toEqual([{ data: { notes_mutated: { key: '2', event: 'create', data: { title: 'end' } } } }]);
    });
  });

  it('WEBSOCKETS_GRAPHQL_AUTH_TIMEOUT: no connection_init within it closes the socket (4408)', async () => {
    await withApp({ WEBSOCKETS_GRAPHQL_AUTH_TIMEOUT: '1' }, async (base) => {
      const started = Date.now();
      const closed = await new Promise<{ code: number; reason: string }>((resolve) => {
        const ws = new WebSocket(`${base}/graphql`, 'graphql-transport-ws');
        ws.on('close', (code, reason) => resolve({ code, reason: String(reason) }));
      });
      expect(closed).toEqual({ code: 4408, reason: 'Connection initialisation timeout' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    });
  });

  it('WEBSOCKETS_GRAPHQL_CONN_LIMIT: past it the upgrade is 403', async () => {
    await withApp({ WEBSOCKETS_GRAPHQL_CONN_LIMIT: '1' }, async (base) => {
      const first = new WebSocket(`${base}/graphql`, 'graphql-transport-ws');
      await new Promise((resolve) => first.once('open', resolve));
      expect(await connect(`${base}/graphql`, { access_token: ADMIN_TOKEN })).toEqual(refused(403));
      first.close();
      await new Promise((resolve) => first.once('close', resolve));
      // The slot is free again once the first socket has closed on the server too.
      const deadline = Date.now() + 5_000;
      let again = await connect(`${base}/graphql`, { access_token: ADMIN_TOKEN });
      while (!again.ack && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        again = await connect(`${base}/graphql`, { access_token: ADMIN_TOKEN });
      }
      expect(again).toEqual(ACK);
    });
  });
});
