import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { collection, user, type TestUser } from './permissions.helpers';
import { createTestApp, type TestApp } from './support/app';
import { ADMIN_EMAIL, ADMIN_PASSWORD, ADMIN_TOKEN } from './support/constants';
import { PK_TYPES } from './support/directus-blackbox';
import {
  SuiteConn,
  SuiteGql,
  closedAfterEach,
  createCountriesStates,
  listenWs,
  sleep,
  wsPkField,
} from './support/realtime-blackbox';
import { WsClient, type Msg } from './realtime-client';

/**
 * The WebSocket interactions of Directus's own blackbox suite (github:directus/directus tests/blackbox), replayed
 * against Tessera with the env the suite runs Directus with (common/config.ts: only `WEBSOCKETS_ENABLED=true`, so
 * handshake auth, heartbeat on, graphql-ws on /graphql). The suite's client (common/transport.ts createWebSocketConn)
 * authenticates with an `auth` message right after the open, files messages by uid, and compares them whole:
 * - tests/db/websocket/general.test.ts: subscriptions with the uids undefined, 1 and 'two' (uid echoed as a string),
 *   unsubscriptions (init + unsubscribe answer, then nothing), event filtering (create/update/delete, `event`-filtered
 *   subscriptions), each over /websocket and over graphql-ws `<collection>_mutated`;
 * - tests/db/routes/items/no-relation.test.ts: the events of PATCH/DELETE one, POST one/many, PATCH/DELETE many, made
 *   through REST and through GraphQL mutations (a create of five is five `create` messages of one row each; an update
 *   or delete of many is one message with every key; GraphQL subscriptions get one payload per key);
 * - tests/db/routes/items/m2o.test.ts, MAX_BATCH_MUTATION (the suite runs with MAX_BATCH_MUTATION=100): a create of
 *   50 states each with a new country (nested M2O) is 50 `create` messages on each collection's subscription (and 50
 *   graphql-ws payloads each); 51 (102 rows) is refused, and the subscriptions get nothing but their init;
 * - tests/db/routes/items/o2m.test.ts, MAX_BATCH_MUTATION: a country created with nested new states is one `create`
 *   message on the countries subscription and one per state (each an array of one row) on the states subscription;
 * - tests/common/auth/login.test.ts: an `auth` message with email/password as the first message (no other auth):
 *   `{type:'auth', status:'ok', refresh_token}`; a wrong password, an unknown email, an invalid email or no password:
 *   AUTH_FAILED "Authentication handshake failed." and the close;
 * - tests/db/websocket/auth{,-*}.test.ts: the matrix of WEBSOCKETS_REST_AUTH public / handshake / strict with
 *   WEBSOCKETS_REST_PATH=/wsRest and a 1 s timeout: connect without credentials, with email/password, access token and
 *   static token in the first message, a token in the query string; a ping without and with credentials.
 * The suite runs this per primary key type: integer, uuid and string.
 */

describe('Directus blackbox WebSocket interactions (suite env: WEBSOCKETS_ENABLED=true)', () => {
  let t: TestApp;
  let wsUrl: string;
  let gqlUrl: string;

  beforeAll(async () => {
    t = await createTestApp({ WEBSOCKETS_ENABLED: 'true', MAX_BATCH_MUTATION: '100' });
    for (const pkType of PK_TYPES) {
      await collection(t, `ws_general_first_${pkType}`, [wsPkField(pkType), { field: 'name', type: 'string' }]);
      await collection(t, `no_relation_artists_${pkType}`, [
        wsPkField(pkType),
        { field: 'name', type: 'string' },
        { field: 'company', type: 'string' },
        { field: 'group', type: 'string' },
      ]);
      await createCountriesStates(t, '', pkType);
    }
    ({ ws: wsUrl, gql: gqlUrl } = await listenWs(t));
  });
  const open = closedAfterEach();
  afterAll(() => t.close());

  const conn = async () => {
    const c = await SuiteConn.open(wsUrl, { access_token: ADMIN_TOKEN });
    open.push(c);
    return c;
  };
  const gql = () => {
    const c = new SuiteGql(gqlUrl, ADMIN_TOKEN);
    open.push(c);
    return c;
  };
  const rest = (method: 'post' | 'patch' | 'delete', path: string, body?: unknown) =>
    t.http[method](path)
      .set(t.admin)
      .send(body as object);
  const gqlRequest = async (query: string) => {
    const res = await t.http.post('/graphql').set(t.admin).send({ query });
    expect(res.body.errors).toBeUndefined();
    return res.body.data as Msg;
  };

  /** The suite's m2o/o2m setup: a WebSocket and a graphql-ws subscription to each collection, under its name. */
  async function subscribed(countries: string, states: string) {
    const ws = await conn();
    await ws.subscribe({ collection: countries, uid: countries });
    await ws.subscribe({ collection: states, uid: states });
    const wsGql = gql();
    await wsGql.subscribe(countries, countries, 'event data { id name }');
    await wsGql.subscribe(states, states, 'event data { id name country_id { id } }');
    return { ws, wsGql };
  }

  describe('tests/common/auth/login.test.ts (handshake by email and password)', () => {
    const handshake = async (message: Msg): Promise<{ reply: Msg; closed: boolean }> => {
      const c = await WsClient.open(wsUrl);
      c.send({ type: 'auth', ...message });
      const reply = await c.next();
      const closed = await Promise.race([c.closed.then(() => true), sleep(500).then(() => false)]);
      c.close();
      return { reply, closed };
    };
    const failed = {
      reply: {
        type: 'auth',
        status: 'error',
        error: { code: 'AUTH_FAILED', message: 'Authentication handshake failed.' },
      },
      closed: true,
    };

    it('correct credentials: auth ok with a refresh token, the socket stays open', async () => {
      expect(await handshake({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD })).toEqual({
        reply: { type: 'auth', status: 'ok', refresh_token: expect.any(String) },
        closed: false,
      });
    });

    it.each([
      ['an incorrect password', { email: ADMIN_EMAIL, password: `${ADMIN_PASSWORD}typo` }],
      ['an unregistered email', { email: 'test@fake.com', password: ADMIN_PASSWORD }],
      ['an invalid email', { email: 'invalidEmail', password: ADMIN_PASSWORD }],
      ['no password', { email: ADMIN_EMAIL }],
    ])('%s: AUTH_FAILED and the close', async (_name, message) => {
      expect(await handshake(message)).toEqual(failed);
    });
  });

  describe.each(PK_TYPES)('primary key type %s', (pkType) => {
    const first = `ws_general_first_${pkType}`;
    const artists = `no_relation_artists_${pkType}`;
    const newId = () => (pkType === 'string' ? randomUUID() : undefined);
    const artist = (prefix = '') => ({ id: newId(), name: `${prefix}artist-${randomUUID()}` });
    const createArtists = async (n: number): Promise<Msg[]> =>
      (
        await rest(
          'post',
          `/items/${artists}`,
          Array.from({ length: n }, () => artist()),
        ).expect(200)
      ).body.data;
    const row = (id: unknown, name: string) => ({ id, name, company: null, group: null });

    describe('general.test.ts', () => {
      it('Test subscriptions: one create reaches every subscription, its uid echoed as a string', async () => {
        const uids = [undefined, 1, 'two'];
        const ws = await conn();
        const wsGql = gql();
        for (const uid of uids) {
          expect(await ws.subscribe({ collection: first, uid })).toEqual({
            type: 'subscription',
            event: 'init',
            data: expect.any(Array),
            ...(uid === undefined ? {} : { uid: String(uid) }),
          });
          await wsGql.subscribe(String(uid), first, 'event data { id name }');
        }
        const name = randomUUID();
        const id = (await rest('post', `/items/${first}`, { id: newId(), name }).expect(200)).body.data.id;
        for (const uid of uids) {
          expect(await ws.take(1, uid)).toEqual([
            {
              type: 'subscription',
              event: 'create',
              data: [{ id, name }],
              ...(uid === undefined ? {} : { uid: String(uid) }),
            },
          ]);
          expect(await wsGql.take(String(uid), 1)).toEqual([
            { data: { [`${first}_mutated`]: { event: 'create', data: { id: String(id), name } } } },
          ]);
        }
        ws.close();
        await wsGql.dispose();
      });

      it('Test unsubscriptions: each uid gets its init and its unsubscribe answer, then nothing', async () => {
        const uids = [undefined, 1, 'two'];
        const ws = await conn();
        const wsGql = gql();
        for (const uid of uids) {
          await ws.subscribe({ collection: first, uid });
          await wsGql.subscribe(String(uid), first, 'event data { id name }');
          expect(await ws.unsubscribe(uid)).toEqual({
            type: 'subscription',
            event: 'unsubscribe',
            ...(uid === undefined ? {} : { uid: String(uid) }),
          });
          wsGql.unsubscribe(String(uid));
        }
        await rest('post', `/items/${first}`, { id: newId(), name: randomUUID() }).expect(200);
        for (const uid of uids) {
          expect(await ws.rest(uid)).toEqual([]);
          expect(wsGql.count(String(uid))).toBe(0);
        }
        ws.close();
        await wsGql.dispose();
      });

      it('Test event filtering: create, update and delete, whole, to the unfiltered and to each event subscription', async () => {
        const ws = await conn();
        const wsGql = gql();
        const events = [undefined, 'create', 'update', 'delete'] as const;
        for (const event of events) {
          const reply = await ws.subscribe({ collection: first, ...(event && { uid: event, event }) });
          // With `event`, the init carries no data (spec 10).
          expect(reply).toEqual(
            event
              ? { type: 'subscription', event: 'init', uid: event }
              : { type: 'subscription', event: 'init', data: expect.any(Array) },
          );
          await wsGql.subscribe(
            String(event),
            first,
            event === 'delete' ? 'event key' : 'event data { id name }',
            event,
          );
        }
        const name = randomUUID();
        const updated = `updated_${randomUUID()}`;
        const id = (await rest('post', `/items/${first}`, { id: newId(), name }).expect(200)).body.data.id;
        await sleep(100);
        await rest('patch', `/items/${first}/${id}`, { name: updated }).expect(200);
        await sleep(100);
        await rest('delete', `/items/${first}/${id}`).expect(204);
        await sleep(100);

        const create = { type: 'subscription', event: 'create', data: [{ id, name }] };
        const update = { type: 'subscription', event: 'update', data: [{ id, name: updated }] };
        const remove = { type: 'subscription', event: 'delete', data: [String(id)] };
        expect(await ws.take(3)).toEqual([create, update, remove]);
        expect(await ws.take(1, 'create')).toEqual([{ ...create, uid: 'create' }]);
        expect(await ws.take(1, 'update')).toEqual([{ ...update, uid: 'update' }]);
        expect(await ws.take(1, 'delete')).toEqual([{ ...remove, uid: 'delete' }]);

        const key = `${first}_mutated`;
        expect(await wsGql.take('undefined', 3)).toEqual([
          { data: { [key]: { event: 'create', data: { id: String(id), name } } } },
          { data: { [key]: { event: 'update', data: { id: String(id), name: updated } } } },
          { data: { [key]: { event: 'delete', data: null } } },
        ]);
        expect(await wsGql.take('create', 1)).toEqual([
          { data: { [key]: { event: 'create', data: { id: String(id), name } } } },
        ]);
        expect(await wsGql.take('update', 1)).toEqual([
          { data: { [key]: { event: 'update', data: { id: String(id), name: updated } } } },
        ]);
        expect(await wsGql.take('delete', 1)).toEqual([{ data: { [key]: { event: 'delete', key: String(id) } } }]);
        expect(await ws.rest()).toEqual([]);
        ws.close();
        await wsGql.dispose();
      });
    });

    describe('routes/items/m2o.test.ts MAX_BATCH_MUTATION', () => {
      const countries = `m2o_countries_${pkType}`;
      const states = `m2o_states_${pkType}`;
      const newStates = (n: number) =>
        Array.from({ length: n }, () => ({
          id: newId(),
          name: `state-${randomUUID()}`,
          country_id: { id: newId(), name: `country-${randomUUID()}` },
        }));

      it('createMany below the limit: every nested country and every state is a create message of its own', async () => {
        const { ws, wsGql } = await subscribed(countries, states);
        const count = 50;
        const list = newStates(count);
        const created: Msg[] = (await rest('post', `/items/${states}?fields=*,country_id.*`, list).expect(200)).body
          .data;
        const stateRows = created.map((r) => ({ id: r.id, name: r.name, country_id: r.country_id.id }));
        const countryRows = created.map((r) => ({ id: r.country_id.id, name: r.country_id.name }));
        const createOf = (r: Msg) => ({ type: 'subscription', event: 'create', data: [r] });
        const countryMessages = await ws.take(count, countries);
        expect(countryMessages).toEqual(
          expect.arrayContaining(countryRows.map((r) => ({ ...createOf(r), uid: countries }))),
        );
        const stateMessages = await ws.take(count, states);
        expect(stateMessages).toEqual(expect.arrayContaining(stateRows.map((r) => ({ ...createOf(r), uid: states }))));
        const cKey = `${countries}_mutated`;
        const sKey = `${states}_mutated`;
        expect(await wsGql.take(countries, count)).toEqual(
          expect.arrayContaining(
            countryRows.map((r) => ({
              data: { [cKey]: { event: 'create', data: { id: String(r.id), name: r.name } } },
            })),
          ),
        );
        expect(await wsGql.take(states, count)).toEqual(
          expect.arrayContaining(
            stateRows.map((r) => ({
              data: {
                [sKey]: {
                  event: 'create',
                  data: { id: String(r.id), name: r.name, country_id: { id: String(r.country_id) } },
                },
              },
            })),
          ),
        );
        expect(await ws.rest(countries)).toEqual([]);
        expect(await ws.rest(states, 0)).toEqual([]);
      });

      it('createMany above the limit: refused, and no event reaches either subscription', async () => {
        const { ws, wsGql } = await subscribed(countries, states);
        const res = await rest('post', `/items/${states}`, newStates(51)).expect(400);
        expect(res.body.errors[0].message).toBe('Invalid payload. Exceeded max batch mutation limit of 100.');
        expect(await ws.rest(countries)).toEqual([]);
        expect(await ws.rest(states, 0)).toEqual([]);
        expect(wsGql.count(countries)).toBe(0);
        expect(wsGql.count(states)).toBe(0);
      });
    });

    describe('routes/items/o2m.test.ts MAX_BATCH_MUTATION', () => {
      const countries = `o2m_countries_${pkType}`;
      const states = `o2m_states_${pkType}`;

      it('createOne with nested states: one create for the country, one per state, each as REST reads the row', async () => {
        const { ws, wsGql } = await subscribed(countries, states);

        const country = {
          id: newId(),
          name: `country-${randomUUID()}`,
          states: Array.from({ length: 9 }, () => ({ id: newId(), name: `state-${randomUUID()}` })),
        };
        const created = (await rest('post', `/items/${countries}?fields=*,states.*`, country).expect(200)).body.data;
        const read = async (c: string, id: unknown) =>
          (await t.http.get(`/items/${c}/${id}`).set(t.admin).expect(200)).body.data;
        expect(await ws.take(1, countries)).toEqual([
          { type: 'subscription', event: 'create', data: [await read(countries, created.id)], uid: countries },
        ]);
        const stateRows = await Promise.all(created.states.map((r: Msg) => read(states, r.id)));
        expect(await ws.take(9, states)).toEqual(
          expect.arrayContaining(
            stateRows.map((r) => ({ type: 'subscription', event: 'create', data: [r], uid: states })),
          ),
        );
        expect(await wsGql.take(countries, 1)).toEqual([
          {
            data: {
              [`${countries}_mutated`]: { event: 'create', data: { id: String(created.id), name: country.name } },
            },
          },
        ]);
        expect(await wsGql.take(states, 9)).toEqual(
          expect.arrayContaining(
            stateRows.map((r) => ({
              data: {
                [`${states}_mutated`]: {
                  event: 'create',
                  data: { id: String(r.id), name: r.name, country_id: { id: String(created.id) } },
                },
              },
            })),
          ),
        );
        expect(await ws.rest(countries)).toEqual([]);
        expect(await ws.rest(states, 0)).toEqual([]);
      });
    });

    describe('routes/items/no-relation.test.ts', () => {
      const key = `${artists}_mutated`;
      /** A WebSocket subscription to the artists (no uid) and a graphql-ws one (`s`) with the selection. */
      async function subscribedArtists(selection: string) {
        const ws = await conn();
        await ws.subscribe({ collection: artists });
        const wsGql = gql();
        await wsGql.subscribe('s', artists, selection);
        return { ws, wsGql };
      }

      it("PATCH /:collection/:id updates one artist's name (REST, then GraphQL update_<c>_item)", async () => {
        const [inserted] = await createArtists(1);
        const { ws, wsGql } = await subscribedArtists('event data { id name }');

        await rest('patch', `/items/${artists}/${inserted.id}`, { name: 'updated' }).expect(200);
        expect(await ws.take(1)).toEqual([
          { type: 'subscription', event: 'update', data: [row(inserted.id, 'updated')] },
        ]);
        expect(await wsGql.take('s', 1)).toEqual([
          { data: { [key]: { event: 'update', data: { id: String(inserted.id), name: 'updated' } } } },
        ]);

        await gqlRequest(
          `mutation { update_${artists}_item(id: "${inserted.id}", data: { name: "updated2" }) { id name } }`,
        );
        expect(await ws.take(1)).toEqual([
          { type: 'subscription', event: 'update', data: [row(inserted.id, 'updated2')] },
        ]);
        expect(await wsGql.take('s', 1)).toEqual([
          { data: { [key]: { event: 'update', data: { id: String(inserted.id), name: 'updated2' } } } },
        ]);
        expect(await ws.rest()).toEqual([]);
        ws.close();
        await wsGql.dispose();
      });

      it('DELETE /:collection/:id deletes an artist (REST, then GraphQL delete_<c>_item): the key as a string', async () => {
        const [a, b] = await createArtists(2);
        const { ws, wsGql } = await subscribedArtists('event key');

        await rest('delete', `/items/${artists}/${a.id}`).expect(204);
        expect(await ws.take(1)).toEqual([{ type: 'subscription', event: 'delete', data: [String(a.id)] }]);
        expect(await wsGql.take('s', 1)).toEqual([{ data: { [key]: { event: 'delete', key: String(a.id) } } }]);

        await gqlRequest(`mutation { delete_${artists}_item(id: "${b.id}") { id } }`);
        expect(await ws.take(1)).toEqual([{ type: 'subscription', event: 'delete', data: [String(b.id)] }]);
        expect(await wsGql.take('s', 1)).toEqual([{ data: { [key]: { event: 'delete', key: String(b.id) } } }]);
        ws.close();
        await wsGql.dispose();
      });

      it('POST /:collection createOne (REST, then GraphQL create_<c>_item)', async () => {
        const { ws, wsGql } = await subscribedArtists('event data { id name }');

        const one = artist('one-');
        const id = (await rest('post', `/items/${artists}`, one).expect(200)).body.data.id;
        expect(await ws.take(1)).toEqual([{ type: 'subscription', event: 'create', data: [row(id, one.name)] }]);
        expect(await wsGql.take('s', 1)).toEqual([
          { data: { [key]: { event: 'create', data: { id: String(id), name: one.name } } } },
        ]);

        const two = artist('one-');
        const data = `{ ${two.id ? `id: "${two.id}", ` : ''}name: "${two.name}" }`;
        const created = await gqlRequest(`mutation { create_${artists}_item(data: ${data}) { id name } }`);
        const id2 = created[`create_${artists}_item`].id;
        expect(await ws.take(1)).toEqual([
          { type: 'subscription', event: 'create', data: [row(pkType === 'integer' ? Number(id2) : id2, two.name)] },
        ]);
        expect(await wsGql.take('s', 1)).toEqual([
          { data: { [key]: { event: 'create', data: { id: id2, name: two.name } } } },
        ]);
        ws.close();
        await wsGql.dispose();
      });

      it('POST /:collection createMany (REST, then GraphQL create_<c>_items): one create message per item', async () => {
        const { ws, wsGql } = await subscribedArtists('event data { id name }');

        const list = Array.from({ length: 5 }, () => artist('many-'));
        const inserted: Msg[] = (await rest('post', `/items/${artists}`, list).expect(200)).body.data;
        const messages = await ws.take(5);
        expect(messages).toEqual(
          expect.arrayContaining(
            inserted.map((r) => ({ type: 'subscription', event: 'create', data: [row(r.id, r.name as string)] })),
          ),
        );
        // In the order they were sent (the suite compares payload i with list[i]).
        const idOf = (name: string) => inserted.find((r) => r.name === name)!.id;
        expect(await wsGql.take('s', 5)).toEqual(
          list.map((a) => ({ data: { [key]: { event: 'create', data: { id: String(idOf(a.name)), name: a.name } } } })),
        );

        const list2 = Array.from({ length: 5 }, () => artist('many-'));
        const data = list2.map((a) => `{ ${a.id ? `id: "${a.id}", ` : ''}name: "${a.name}" }`).join(', ');
        const created: Msg[] = (await gqlRequest(`mutation { create_${artists}_items(data: [${data}]) { id name } }`))[
          `create_${artists}_items`
        ];
        expect(await ws.take(5)).toEqual(
          expect.arrayContaining(
            created.map((r) => ({
              type: 'subscription',
              event: 'create',
              data: [row(pkType === 'integer' ? Number(r.id) : r.id, r.name as string)],
            })),
          ),
        );
        const idOf2 = (name: string) => created.find((r) => r.name === name)!.id;
        expect(await wsGql.take('s', 5)).toEqual(
          list2.map((a) => ({ data: { [key]: { event: 'create', data: { id: idOf2(a.name), name: a.name } } } })),
        );
        expect(await ws.rest()).toEqual([]);
        ws.close();
        await wsGql.dispose();
      });

      it('PATCH /:collection updates many artists: one update message with every key, GraphQL one payload per key', async () => {
        const inserted = await createArtists(5);
        const keys = inserted.map((r) => r.id);
        const { ws, wsGql } = await subscribedArtists('event data { id name }');

        await rest('patch', `/items/${artists}?fields=name`, { keys, data: { name: 'updated' } }).expect(200);
        expect(await ws.take(1)).toEqual([
          { type: 'subscription', event: 'update', data: keys.map((id) => row(id, 'updated')) },
        ]);
        expect(await wsGql.take('s', 5)).toEqual(
          expect.arrayContaining(
            keys.map((id) => ({ data: { [key]: { event: 'update', data: { id: String(id), name: 'updated' } } } })),
          ),
        );

        const ids = keys.map((k) => `"${k}"`).join(', ');
        await gqlRequest(`mutation { update_${artists}_items(ids: [${ids}], data: { name: "updated2" }) { name } }`);
        expect(await ws.take(1)).toEqual([
          { type: 'subscription', event: 'update', data: keys.map((id) => row(id, 'updated2')) },
        ]);
        expect(await wsGql.take('s', 5)).toEqual(
          expect.arrayContaining(
            keys.map((id) => ({ data: { [key]: { event: 'update', data: { id: String(id), name: 'updated2' } } } })),
          ),
        );
        ws.close();
        await wsGql.dispose();
      });

      it('DELETE /:collection deletes many artists: one delete message with the keys as passed', async () => {
        const keys = (await createArtists(10)).map((r) => r.id);
        const keys2 = (await createArtists(10)).map((r) => r.id);
        const { ws, wsGql } = await subscribedArtists('event key');

        await rest('delete', `/items/${artists}`, keys).expect(204);
        expect(await ws.take(1)).toEqual([{ type: 'subscription', event: 'delete', data: keys }]);
        expect(await wsGql.take('s', 10)).toEqual(
          keys.map((id) => ({ data: { [key]: { event: 'delete', key: String(id) } } })),
        );

        const ids = keys2.map((k) => `"${k}"`).join(', ');
        await gqlRequest(`mutation { delete_${artists}_items(ids: [${ids}]) { ids } }`);
        expect(await ws.take(1)).toEqual([{ type: 'subscription', event: 'delete', data: keys2.map(String) }]);
        expect(await wsGql.take('s', 10)).toEqual(
          keys2.map((id) => ({ data: { [key]: { event: 'delete', key: String(id) } } })),
        );
        ws.close();
        await wsGql.dispose();
      });
    });
  });
});

/**
 * tests/db/websocket/auth-*.test.ts (describeAuthMethod): each method on its own server with
 * WEBSOCKETS_REST_AUTH=<method>, WEBSOCKETS_REST_AUTH_TIMEOUT=1, WEBSOCKETS_REST_PATH=/wsRest, for the suite's users
 * (an admin, and a user without a role, each with a static token and a password).
 */
describe.each(['public', 'handshake', 'strict'] as const)('blackbox auth matrix: WEBSOCKETS_REST_AUTH=%s', (mode) => {
  const TIMEOUT_MS = 1000;
  const SLIGHT = 100;
  let t: TestApp;
  let url: string;
  let noRole: TestUser;
  const NO_ROLE_PASSWORD = 'NoRolePassword';
  let noRoleEmail: string;

  beforeAll(async () => {
    t = await createTestApp({
      WEBSOCKETS_ENABLED: 'true',
      WEBSOCKETS_REST_AUTH: mode,
      WEBSOCKETS_REST_AUTH_TIMEOUT: '1',
      WEBSOCKETS_REST_PATH: '/wsRest',
      LOGIN_STALL_TIME: '0',
    });
    noRoleEmail = `no-role-${randomUUID().slice(0, 8)}@example.com`;
    noRole = await user(t, null, { email: noRoleEmail, password: NO_ROLE_PASSWORD });
    await t.app.listen(0, '127.0.0.1');
    url = `ws://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}/wsRest`;
  });
  afterAll(() => t.close());

  const users = () => [
    { name: 'admin', email: ADMIN_EMAIL, password: ADMIN_PASSWORD, token: ADMIN_TOKEN },
    { name: 'no role', email: noRoleEmail, password: NO_ROLE_PASSWORD, token: noRole.token },
  ];
  const login = async (email: string, password: string): Promise<string> =>
    (await t.http.post('/auth/login').send({ email, password }).expect(200)).body.data.access_token;

  /** A plain WebSocket on the URL with `query`: whether it opened (or its upgrade was refused), and what it receives. */
  async function connect(query: string): Promise<{ ws: WebSocket; messages: Msg[]; opened: boolean }> {
    const ws = new WebSocket(`${url}${query}`);
    const messages: Msg[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(String(d)) as Msg));
    ws.on('error', () => undefined);
    const opened = await new Promise<boolean>((resolve) => {
      ws.on('open', () => resolve(true));
      ws.on('close', () => resolve(false));
    });
    return { ws, messages, opened };
  }

  /** Whether the socket is still open (`open`/`closed`); closes it. */
  function closeAndTell(ws: WebSocket): string {
    const later = ws.readyState === WebSocket.OPEN ? 'open' : 'closed';
    ws.close();
    return later;
  }

  /**
   * The suite's raw connection: the state after the open (or the refused upgrade), after sending `first` (if any),
   * and again after the auth timeout has passed.
   */
  async function states(query: string, first?: Msg): Promise<{ opened: boolean; reply?: Msg; later: string }> {
    const { ws, messages, opened } = await connect(query);
    if (opened && first) ws.send(JSON.stringify(first));
    await sleep(TIMEOUT_MS + SLIGHT);
    const later = closeAndTell(ws);
    return { opened, reply: messages.find((m) => m.type === 'auth'), later };
  }

  /** Sends a ping (after `auth`, if given) and collects what comes back, and whether the socket stayed open. */
  async function ping(query: string, auth?: Msg): Promise<{ opened: boolean; messages: Msg[]; later: string }> {
    const { ws, messages, opened } = await connect(query);
    if (opened) {
      if (auth) {
        ws.send(JSON.stringify({ type: 'auth', ...auth }));
        await sleep(200);
      }
      ws.send(JSON.stringify({ type: 'ping' }));
      await sleep(200);
    }
    const later = closeAndTell(ws);
    return { opened, messages, later };
  }

  const ok = { type: 'auth', status: 'ok' };
  const handshakeFailed = {
    type: 'auth',
    status: 'error',
    error: { code: 'AUTH_FAILED', message: 'Authentication handshake failed.' },
  };

  it('connects without authentication', async () => {
    const s = await states('');
    expect(s).toEqual(
      {
        public: { opened: true, reply: undefined, later: 'open' },
        handshake: { opened: true, reply: handshakeFailed, later: 'closed' },
        strict: { opened: false, reply: undefined, later: 'closed' },
      }[mode],
    );
  });

  it.each(['email', 'access token', 'static access token'] as const)(
    'connects with %s authentication (in the first message)',
    async (how) => {
      for (const u of users()) {
        const auth =
          how === 'email'
            ? { email: u.email, password: u.password }
            : { access_token: how === 'static access token' ? u.token : await login(u.email, u.password) };
        const s = await states('', { type: 'auth', ...auth });
        if (how === 'static access token' || mode === 'strict') delete s.reply?.refresh_token;
        expect({ user: u.name, ...s }).toEqual({
          user: u.name,
          ...(mode === 'strict'
            ? { opened: false, reply: undefined, later: 'closed' }
            : {
                opened: true,
                reply: how === 'email' ? { ...ok, refresh_token: expect.any(String) } : ok,
                later: 'open',
              }),
        });
      }
    },
  );

  it.each(['access token', 'static access token'] as const)(
    'connects with %s in the query string (every mode)',
    async (how) => {
      for (const u of users()) {
        const token = how === 'static access token' ? u.token : await login(u.email, u.password);
        expect({ user: u.name, ...(await states(`?access_token=${token}`)) }).toEqual({
          user: u.name,
          opened: true,
          reply: undefined,
          later: 'open',
        });
      }
    },
  );

  it('pings without authentication: a pong only in public mode', async () => {
    const p = await ping('');
    expect(p).toEqual(
      {
        public: { opened: true, messages: [{ type: 'pong' }], later: 'open' },
        handshake: { opened: true, messages: [handshakeFailed], later: 'closed' },
        strict: { opened: false, messages: [], later: 'closed' },
      }[mode],
    );
  });

  it('pings with access token authentication (first message): a pong, except in strict mode', async () => {
    for (const u of users()) {
      const p = await ping('', { access_token: u.token });
      expect({ user: u.name, ...p }).toEqual({
        user: u.name,
        ...(mode === 'strict'
          ? { opened: false, messages: [], later: 'closed' }
          : { opened: true, messages: [ok, { type: 'pong' }], later: 'open' }),
      });
    }
  });

  it('pings with access token in query string: a pong in every mode', async () => {
    for (const u of users()) {
      const p = await ping(`?access_token=${u.token}`);
      expect({ user: u.name, ...p }).toEqual({
        user: u.name,
        opened: true,
        messages: [{ type: 'pong' }],
        later: 'open',
      });
    }
  });
});
