import type { AddressInfo } from 'node:net';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { alias, collection } from '../permissions.helpers';
import { WsClient, type Msg } from '../realtime-client';
import type { TestApp } from './app';
import type { PkType } from './directus-blackbox';

/**
 * Shared by the WebSocket replays of Directus's own blackbox suite (realtime-blackbox*.e2e-spec.ts): the suite's
 * clients (common/transport.ts createWebSocketConn and createWebSocketGql), its key fields, and its M2O and O2M
 * countries/states collections.
 */

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The suite's key field per type, as these replays create it (no meta but the uuid special). */
export function wsPkField(pkType: PkType) {
  switch (pkType) {
    case 'integer':
      return { field: 'id', type: 'integer', schema: { is_primary_key: true, has_auto_increment: true } };
    case 'uuid':
      return { field: 'id', type: 'uuid', meta: { special: ['uuid'] }, schema: { is_primary_key: true, length: 36 } };
    case 'string':
      return { field: 'id', type: 'string', schema: { is_primary_key: true, length: 255 } };
  }
}

/** Listens on a free local port; the /websocket and /graphql WebSocket URLs. */
export async function listenWs(t: Pick<TestApp, 'app'>): Promise<{ ws: string; gql: string }> {
  await t.app.listen(0, '127.0.0.1');
  const port = (t.app.getHttpServer().address() as AddressInfo).port;
  return { ws: `ws://127.0.0.1:${port}/websocket`, gql: `ws://127.0.0.1:${port}/graphql` };
}

/**
 * The suite's m2o.test.ts and o2m.test.ts collections, `<prefix>m2o_countries_<pkType>` / `<prefix>m2o_states_<pkType>`
 * (a `country_id` M2O) and the `o2m` pair (the same, with the `states` O2M alias on the countries).
 */
export async function createCountriesStates(t: TestApp, prefix: string, pkType: PkType): Promise<void> {
  for (const rel of ['m2o', 'o2m']) {
    const [countries, states] = [`${prefix}${rel}_countries_${pkType}`, `${prefix}${rel}_states_${pkType}`];
    await collection(t, countries, [wsPkField(pkType), { field: 'name', type: 'string' }]);
    await collection(t, states, [
      wsPkField(pkType),
      { field: 'name', type: 'string' },
      { field: 'country_id', type: pkType, meta: { special: ['m2o'] } },
    ]);
    if (rel === 'o2m') await alias(t, countries, 'states', 'o2m');
    await t.http
      .post('/relations')
      .set(t.admin)
      .send({
        collection: states,
        field: 'country_id',
        related_collection: countries,
        ...(rel === 'o2m' ? { meta: { one_field: 'states' } } : {}),
      })
      .expect(200);
  }
}

/**
 * The suite's createWebSocketConn on top of WsClient: opens, sends the `auth` message (if any) and swallows its
 * answer, files messages by uid (a message without uid under `undefined`); `take(n, uid)` the next n messages of that
 * uid, in arrival order, each within `takeTimeoutMs`.
 */
export class SuiteConn {
  private constructor(
    readonly c: WsClient,
    private readonly takeTimeoutMs: number,
  ) {}

  static async open(url: string, auth?: Msg, takeTimeoutMs = 5000): Promise<SuiteConn> {
    const c = await WsClient.open(url);
    if (auth) {
      c.send({ type: 'auth', ...auth });
      expect(await c.next((m) => m.type === 'auth')).toEqual({ type: 'auth', status: 'ok' });
    }
    return new SuiteConn(c, takeTimeoutMs);
  }

  private static of(uid: string | number | undefined) {
    return (m: Msg) => m.type !== 'ping' && (uid === undefined ? m.uid === undefined : m.uid === String(uid));
  }

  /** Sends `{type: 'subscribe', ...message}`; its answer, which is no error. */
  async subscribe(message: Msg): Promise<Msg> {
    this.c.send({ type: 'subscribe', ...message });
    const reply = await this.c.next(SuiteConn.of(message.uid as string | undefined));
    expect(reply.status).not.toBe('error');
    return reply;
  }

  /** Subscribes and checks the init (it carries the collection's rows, which the suite does not compare). */
  async subscribeInit(collectionName: string, uid?: string | number): Promise<void> {
    this.c.send({ type: 'subscribe', collection: collectionName, uid });
    expect(await this.c.next(SuiteConn.of(uid))).toEqual({
      type: 'subscription',
      event: 'init',
      data: expect.any(Array),
      ...(uid === undefined ? {} : { uid: String(uid) }),
    });
  }

  async unsubscribe(uid?: string | number): Promise<Msg> {
    this.c.send({ type: 'unsubscribe', uid });
    return this.c.next(SuiteConn.of(uid));
  }

  async take(n: number, uid?: string | number): Promise<Msg[]> {
    const out: Msg[] = [];
    for (let i = 0; i < n; i++) out.push(await this.c.next(SuiteConn.of(uid), this.takeTimeoutMs));
    return out;
  }

  /** What is queued now (for uid), after a pause: the suite's getMessageCount after its last read. */
  async rest(uid?: string | number, ms = 300): Promise<Msg[]> {
    await sleep(ms);
    return this.c.received.filter(SuiteConn.of(uid));
  }

  close(): void {
    this.c.close();
  }
}

/** The suite's createWebSocketGql: graphql-ws with `connectionParams: {access_token}`, payloads filed by name. */
export class SuiteGql {
  private readonly messages = new Map<string, Msg[]>();
  private readonly errors = new Map<string, unknown[]>();
  private readonly stops = new Map<string, () => void>();
  readonly client: Client;

  constructor(
    url: string,
    token: string,
    private readonly takeTimeoutMs = 5000,
  ) {
    this.client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { access_token: token },
      retryAttempts: 0,
    });
  }

  /** Subscribes `<collection>_mutated(event?) { selection }` under `name`; waits until the server holds it. */
  async subscribe(name: string, collectionName: string, selection: string, event?: string): Promise<string> {
    const key = `${collectionName}_mutated`;
    const list: Msg[] = [];
    const errors: unknown[] = [];
    this.messages.set(name, list);
    this.errors.set(name, errors);
    const args = event ? `(event: ${event})` : '';
    const stop = this.client.subscribe(
      { query: `subscription { ${key}${args} { ${selection} } }` },
      { next: (m) => void list.push(m as Msg), error: (e) => void errors.push(e), complete: () => undefined },
    );
    this.stops.set(name, stop);
    // graphql-ws has no per-subscription acknowledgement: wait until the server holds it.
    await sleep(150);
    return key;
  }

  async take(name: string, n: number): Promise<Msg[]> {
    const list = this.messages.get(name)!;
    const until = Date.now() + this.takeTimeoutMs;
    while (list.length < n && Date.now() < until) await sleep(5);
    expect(list.length).toBeGreaterThanOrEqual(n);
    return list.splice(0, n);
  }

  unsubscribe(name: string): void {
    this.stops.get(name)?.();
  }

  count(name: string): number {
    return this.messages.get(name)!.length;
  }

  errorsOf(name: string): unknown[] {
    return this.errors.get(name)!;
  }

  dispose(): Promise<void> {
    return this.client.dispose() as Promise<void>;
  }
}

/** The clients a test opens, closed after each test (push them onto the list answered). */
export function closedAfterEach(): (SuiteConn | SuiteGql)[] {
  const open: (SuiteConn | SuiteGql)[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) await (c instanceof SuiteGql ? c.dispose() : c.close());
  });
  return open;
}
