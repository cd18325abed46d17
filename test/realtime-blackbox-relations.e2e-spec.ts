import { randomUUID } from 'node:crypto';
import { collection } from './permissions.helpers';
import { createTestApp, type TestApp } from './support/app';
import { ADMIN_TOKEN } from './support/constants';
import { LIMIT_MESSAGE, PK_TYPES } from './support/directus-blackbox';
import {
  SuiteConn,
  SuiteGql,
  closedAfterEach,
  createCountriesStates,
  listenWs,
  wsPkField,
} from './support/realtime-blackbox';
import type { Msg } from './realtime-client';

/**
 * The relational WebSocket interactions of Directus's own blackbox suite (github:directus/directus tests/blackbox, as
 * of a3b5aa4) that realtime-blackbox.e2e-spec.ts does not replay, with the suite's env (common/config.ts:
 * `WEBSOCKETS_ENABLED=true`, `MAX_BATCH_MUTATION=100`), per primary key type (integer, uuid, string):
 * - tests/db/routes/items/m2o.test.ts, MAX_BATCH_MUTATION updateMany: `PATCH /items/<states> {keys, data: {country_id:
 *   <new country>}}` (99 keys plus one nested create) is one `create` on the countries subscription and one `update`
 *   carrying every key on the states subscription (graphql-ws: one payload per key); then the same through the
 *   GraphQL `update_<states>_items(ids, data)`; 100 keys (101 mutations) is refused and nothing but the init arrives;
 * - tests/db/routes/items/o2m.test.ts, MAX_BATCH_MUTATION createOne above the limit (a country with 100 new states:
 *   refused, nothing sent), createMany below the limit (10 countries with 9 new states each, by REST then by
 *   `create_<countries>_items`: a `create` message per country and per state, each an array of one row) and above it
 *   (10 × 10 + 10: refused, nothing sent); and m2o createMany above the limit with the graphql-ws selections the suite
 *   writes there (`{ id name event }` on `<collection>_mutated`: a validation error per subscription, never a payload);
 * - tests/db/websocket/general.test.ts as the suite now runs it, on two instances sharing the database (Test
 *   subscriptions and Test unsubscriptions; its event filtering runs on one instance, replayed in realtime-blackbox).
 * The suite's client (common/transport.ts createWebSocketConn) authenticates with an `auth` message right after the
 * open and files messages by uid; its `getMessageCount(uid)` counts the subscribe answer too, so "1" there means "the
 * init and nothing else". Messages are compared whole, rows as REST reads them after the write.
 *
 * m2m.test.ts (read at cede275 and a3b5aa4), m2a.test.ts (1cc4d52, 08e5c17, a3b5aa4) and common/auth/refresh.test.ts
 * (5570cef, a3b5aa4) open no WebSocket (they import only `requestGraphQL`), so there is nothing of theirs to replay.
 */

/** A GraphQL input literal of a JSON value (what json-to-graphql-query writes for the suite's `__args`). */
function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{ ${entries.map(([k, v]) => `${k}: ${literal(v)}`).join(', ')} }`;
  }
  return JSON.stringify(value);
}

/** This file's clients wait up to 10 s for each message (its batches are large). */
const TAKE_MS = 10000;
const openWs = (url: string) => SuiteConn.open(url, { access_token: ADMIN_TOKEN }, TAKE_MS);
const openGql = (url: string) => new SuiteGql(url, ADMIN_TOKEN, TAKE_MS);

describe('Directus blackbox relational WebSocket interactions (suite env: WEBSOCKETS_ENABLED, MAX_BATCH_MUTATION=100)', () => {
  let t: TestApp;
  let wsUrl: string;
  let gqlUrl: string;

  beforeAll(async () => {
    t = await createTestApp({ WEBSOCKETS_ENABLED: 'true', MAX_BATCH_MUTATION: '100' });
    for (const pkType of PK_TYPES) await createCountriesStates(t, 'rel_', pkType);
    ({ ws: wsUrl, gql: gqlUrl } = await listenWs(t));
  });
  const open = closedAfterEach();
  afterAll(() => t.close());

  const rest = (method: 'get' | 'post' | 'patch', path: string, body?: unknown) =>
    t.http[method](path)
      .set(t.admin)
      .send(body as object);
  const gqlMutation = async (mutation: string) =>
    (
      await t.http
        .post('/graphql')
        .set(t.admin)
        .send({ query: `mutation { ${mutation} }` })
        .expect(200)
    ).body as Msg;

  /**
   * The suite's setup: a WebSocket and a graphql-ws subscription to each collection, under the collection's name (the
   * graphql-ws ones with the given selections).
   */
  async function subscribed(
    countries: string,
    states: string,
    countrySelection = 'event data { id name }',
    stateSelection = 'event data { id name country_id { id } }',
  ) {
    const ws = await openWs(wsUrl);
    open.push(ws);
    await ws.subscribeInit(countries, countries);
    await ws.subscribeInit(states, states);
    const wsGql = openGql(gqlUrl);
    open.push(wsGql);
    await wsGql.subscribe(countries, countries, countrySelection);
    await wsGql.subscribe(states, states, stateSelection);
    return { ws, wsGql };
  }

  /** Nothing more than what was taken reaches any of the four subscriptions. */
  async function nothingMore(ws: SuiteConn, wsGql: SuiteGql, countries: string, states: string) {
    expect(await ws.rest(countries)).toEqual([]);
    expect(await ws.rest(states, 0)).toEqual([]);
    expect(wsGql.count(countries)).toBe(0);
    expect(wsGql.count(states)).toBe(0);
  }

  describe.each(PK_TYPES)('primary key type %s', (pkType) => {
    const newId = (prefix: string) => (pkType === 'string' ? `${prefix}-${randomUUID()}` : undefined);
    const newCountry = () => ({ id: newId('country'), name: `country-${randomUUID()}` });
    const newState = () => ({ id: newId('state'), name: `state-${randomUUID()}` });
    const createOf = (row: Msg, uid: string) => ({ type: 'subscription', event: 'create', data: [row], uid });
    const payload = (key: string, event: string, data: Msg) => ({ data: { [key]: { event, data } } });
    const stringId = (id: unknown) => String(id);

    describe('routes/items/m2o.test.ts MAX_BATCH_MUTATION', () => {
      const countries = `rel_m2o_countries_${pkType}`;
      const states = `rel_m2o_states_${pkType}`;
      const cKey = `${countries}_mutated`;
      const sKey = `${states}_mutated`;

      /** The suite's CreateItem per state, each with a new country (posted 50 states, 100 rows, at a time). */
      async function createStates(n: number): Promise<unknown[]> {
        const ids: unknown[] = [];
        for (let at = 0; at < n; at += 50) {
          const chunk = Array.from({ length: Math.min(50, n - at) }, () => ({
            ...newState(),
            country_id: newCountry(),
          }));
          ids.push(...(await rest('post', `/items/${states}`, chunk).expect(200)).body.data.map((r: Msg) => r.id));
        }
        return ids;
      }
      const readStates = async (ids: unknown[]): Promise<Msg[]> =>
        (
          await rest('get', `/items/${states}`)
            .query({ filter: JSON.stringify({ id: { _in: ids } }), limit: -1 })
            .expect(200)
        ).body.data;
      const readCountry = async (id: unknown): Promise<Msg> =>
        (await rest('get', `/items/${countries}/${id}`).expect(200)).body.data;

      /**
       * The events of an updateMany of `count` states (`stateRows`) to a new country: its create, one update carrying
       * every state, and through graphql-ws the create and one update payload per state; then nothing more.
       */
      async function expectUpdateMany(
        ws: SuiteConn,
        wsGql: SuiteGql,
        countryRow: Msg,
        stateRows: Msg[],
        countryId: unknown,
        count: number,
      ) {
        expect(await ws.take(1, countries)).toEqual([createOf(countryRow, countries)]);
        const [update] = await ws.take(1, states);
        expect(update).toEqual({ type: 'subscription', event: 'update', data: expect.any(Array), uid: states });
        expect(update.data).toHaveLength(count);
        expect(update.data).toEqual(expect.arrayContaining(stateRows));
        expect(await wsGql.take(countries, 1)).toEqual([
          payload(cKey, 'create', { id: stringId(countryRow.id), name: countryRow.name }),
        ]);
        expect(await wsGql.take(states, count)).toEqual(
          expect.arrayContaining(
            stateRows.map((r) =>
              payload(sKey, 'update', { id: stringId(r.id), name: r.name, country_id: { id: stringId(countryId) } }),
            ),
          ),
        );
        await nothingMore(ws, wsGql, countries, states);
      }

      it('updateMany passes below the limit (99 keys and one nested create): one country create, one update with every key; GraphQL likewise', async () => {
        const count = 99;
        const stateIDs = await createStates(count);
        const stateIDs2 = await createStates(count);
        const { ws, wsGql } = await subscribed(countries, states);

        // REST: PATCH /items/<states> { keys, data: { country_id: <new country> } }
        const country = newCountry();
        const response = await rest('patch', `/items/${states}`, { keys: stateIDs, data: { country_id: country } });
        expect(response.status).toBe(200);
        expect(response.body.data).toHaveLength(count);
        const countryId = (await readStates([stateIDs[0]]))[0].country_id;
        const countryRow = await readCountry(countryId);
        expect(countryRow).toEqual({ id: country.id ?? expect.anything(), name: country.name });
        const stateRows = await readStates(stateIDs);
        expect(stateRows).toHaveLength(count);
        expect(stateRows.every((r) => r.country_id === countryId)).toBe(true);

        await expectUpdateMany(ws, wsGql, countryRow, stateRows, countryId, count);

        // GraphQL: update_<states>_items(ids, data: { country_id: <new country> }) { id }
        const country2 = newCountry();
        const mutationKey = `update_${states}_items`;
        const gqlResponse = await gqlMutation(
          `${mutationKey}(ids: ${literal(stateIDs2)}, data: ${literal({ country_id: country2 })}) { id }`,
        );
        expect(gqlResponse.errors).toBeUndefined();
        expect(gqlResponse.data[mutationKey]).toHaveLength(count);
        const countryId2 = (await readStates([stateIDs2[0]]))[0].country_id;
        const countryRow2 = await readCountry(countryId2);
        const stateRows2 = await readStates(stateIDs2);

        await expectUpdateMany(ws, wsGql, countryRow2, stateRows2, countryId2, count);
      }, 120000);

      it('updateMany errors above the limit (100 keys and one nested create): refused by REST and GraphQL, nothing but the init arrives', async () => {
        const count = 100;
        const stateIDs = await createStates(count);
        const stateIDs2 = await createStates(count);
        const before = await readStates([...stateIDs, ...stateIDs2]);
        const { ws, wsGql } = await subscribed(countries, states);
        const country = newCountry();

        const response = await rest('patch', `/items/${states}`, { keys: stateIDs, data: { country_id: country } });
        expect(response.status).toBe(400);
        expect(response.body.errors[0].message).toBe(LIMIT_MESSAGE);
        const gqlResponse = await gqlMutation(
          `update_${states}_items(ids: ${literal(stateIDs2)}, data: ${literal({ country_id: country })}) { id }`,
        );
        expect(gqlResponse.errors[0].message).toBe(LIMIT_MESSAGE);

        await nothingMore(ws, wsGql, countries, states);
        expect(await readStates([...stateIDs, ...stateIDs2])).toEqual(before);
        const named = await rest('get', `/items/${countries}`)
          .query({ filter: JSON.stringify({ name: { _eq: country.name } }) })
          .expect(200);
        expect(named.body.data).toEqual([]);
      }, 120000);
      it("createMany errors above the limit, with the suite's graphql-ws selections (`{ id name event }` on the mutated type): each refused by validation, no payload; 51 states with new countries refused; nothing sent", async () => {
        const { ws, wsGql } = await subscribed(countries, states, 'id name event', 'id name country_id { id } event');
        const list = (n: number) => Array.from({ length: n }, () => ({ ...newState(), country_id: newCountry() }));

        const response = await rest('post', `/items/${states}`, list(51));
        expect(response.status).toBe(400);
        expect(response.body.errors[0].message).toBe(LIMIT_MESSAGE);
        const gqlResponse = await gqlMutation(`create_${states}_items(data: ${literal(list(51))}) { id }`);
        expect(gqlResponse.errors[0].message).toBe(LIMIT_MESSAGE);

        await nothingMore(ws, wsGql, countries, states);
        for (const [name, fields] of [
          [countries, ['id', 'name']],
          [states, ['id', 'name', 'country_id']],
        ] as const) {
          expect(wsGql.errorsOf(name)).toEqual([
            fields.map((field) => ({
              message: `Cannot query field "${field}" on type "${name}_mutated".`,
              locations: [{ line: 1, column: expect.any(Number) }],
            })),
          ]);
        }
      }, 120000);
    });

    describe('routes/items/o2m.test.ts MAX_BATCH_MUTATION', () => {
      const countries = `rel_o2m_countries_${pkType}`;
      const states = `rel_o2m_states_${pkType}`;
      const cKey = `${countries}_mutated`;
      const sKey = `${states}_mutated`;
      const withStates = (n: number) => ({ ...newCountry(), states: Array.from({ length: n }, newState) });
      const read = async (c: string, ids: unknown[]): Promise<Msg[]> =>
        (
          await rest('get', `/items/${c}`)
            .query({ filter: JSON.stringify({ id: { _in: ids } }), limit: -1 })
            .expect(200)
        ).body.data;

      it('createOne errors above the limit (a country with 100 new states): refused by REST and GraphQL, nothing sent', async () => {
        const { ws, wsGql } = await subscribed(countries, states);
        const country = withStates(100);
        const country2 = withStates(100);

        const response = await rest('post', `/items/${countries}`, country);
        expect(response.status).toBe(400);
        expect(response.body.errors[0].message).toBe(LIMIT_MESSAGE);
        const gqlResponse = await gqlMutation(
          `create_${countries}_item(data: ${literal(country2)}) { id states { id } }`,
        );
        expect(gqlResponse.errors[0].message).toBe(LIMIT_MESSAGE);

        await nothingMore(ws, wsGql, countries, states);
        const names = [country.name, country2.name];
        expect(
          (
            await rest('get', `/items/${countries}`)
              .query({ filter: JSON.stringify({ name: { _in: names } }) })
              .expect(200)
          ).body.data,
        ).toEqual([]);
      }, 120000);

      it('createMany passes below the limit (10 countries with 9 new states each): a create per country and per state; GraphQL likewise', async () => {
        const count = 10;
        const countNested = 9;
        const { ws, wsGql } = await subscribed(countries, states);

        const expectEvents = async (created: Msg[]) => {
          const countryRows = await read(
            countries,
            created.map((c) => c.id),
          );
          const stateRows = await read(
            states,
            created.flatMap((c) => c.states),
          );
          expect(countryRows).toHaveLength(count);
          expect(stateRows).toHaveLength(count * countNested);
          const countryMessages = await ws.take(count, countries);
          expect(countryMessages).toEqual(expect.arrayContaining(countryRows.map((r) => createOf(r, countries))));
          const stateMessages = await ws.take(count * countNested, states);
          expect(stateMessages).toEqual(expect.arrayContaining(stateRows.map((r) => createOf(r, states))));
          expect(await wsGql.take(countries, count)).toEqual(
            expect.arrayContaining(
              countryRows.map((r) => payload(cKey, 'create', { id: stringId(r.id), name: r.name })),
            ),
          );
          expect(await wsGql.take(states, count * countNested)).toEqual(
            expect.arrayContaining(
              stateRows.map((r) =>
                payload(sKey, 'create', {
                  id: stringId(r.id),
                  name: r.name,
                  country_id: { id: stringId(r.country_id) },
                }),
              ),
            ),
          );
          await nothingMore(ws, wsGql, countries, states);
        };

        // REST: POST /items/<countries> [10 countries with 9 states each]
        const response = await rest(
          'post',
          `/items/${countries}`,
          Array.from({ length: count }, () => withStates(countNested)),
        );
        expect(response.status).toBe(200);
        expect(response.body.data).toHaveLength(count);
        await expectEvents(response.body.data);

        // GraphQL: create_<countries>_items(data: [...]) { id }
        const mutationKey = `create_${countries}_items`;
        const gqlResponse = await gqlMutation(
          `${mutationKey}(data: ${literal(Array.from({ length: count }, () => withStates(countNested)))}) { id states { id } }`,
        );
        expect(gqlResponse.errors).toBeUndefined();
        expect(gqlResponse.data[mutationKey]).toHaveLength(count);
        await expectEvents(
          gqlResponse.data[mutationKey].map((c: Msg) => ({ id: c.id, states: c.states.map((s: Msg) => s.id) })),
        );
      }, 120000);

      it('createMany errors above the limit (10 countries with 10 new states each): refused by REST and GraphQL, nothing sent', async () => {
        const { ws, wsGql } = await subscribed(countries, states);
        const list = Array.from({ length: 10 }, () => withStates(10));
        const list2 = Array.from({ length: 10 }, () => withStates(10));

        const response = await rest('post', `/items/${countries}`, list);
        expect(response.status).toBe(400);
        expect(response.body.errors[0].message).toBe(LIMIT_MESSAGE);
        const gqlResponse = await gqlMutation(`create_${countries}_items(data: ${literal(list2)}) { id }`);
        expect(gqlResponse.errors[0].message).toBe(LIMIT_MESSAGE);

        await nothingMore(ws, wsGql, countries, states);
      }, 120000);
    });
  });
});

/**
 * tests/db/websocket/general.test.ts as the suite runs it now: two instances on one database (in Directus they share
 * Redis; here they share PostgreSQL and its NOTIFY), each with a WebSocket and a graphql-ws client subscribed under
 * the uids undefined, 1 and 'two'; the write goes through the first. The second instance boots in-process on the same
 * database (test/realtime-multi-instance.e2e-spec.ts proves the same with two processes).
 */
describe('general.test.ts with two instances on one database (suite env: WEBSOCKETS_ENABLED=true)', () => {
  let a: TestApp;
  let b: TestApp;
  const urls = { a: { ws: '', gql: '' }, b: { ws: '', gql: '' } };

  beforeAll(async () => {
    a = await createTestApp({ WEBSOCKETS_ENABLED: 'true' });
    for (const pkType of PK_TYPES) {
      await collection(a, `rel_general_first_${pkType}`, [wsPkField(pkType), { field: 'name', type: 'string' }]);
    }
    b = await createTestApp({ WEBSOCKETS_ENABLED: 'true' }, { database: a.db });
    urls.a = await listenWs(a);
    urls.b = await listenWs(b);
  });
  const open = closedAfterEach();
  afterAll(async () => {
    await b?.app.close();
    await a?.close();
  });

  async function clients() {
    const ws = await openWs(urls.a.ws);
    const ws2 = await openWs(urls.b.ws);
    const wsGql = openGql(urls.a.gql);
    const wsGql2 = openGql(urls.b.gql);
    open.push(ws, ws2, wsGql, wsGql2);
    return { ws, ws2, wsGql, wsGql2 };
  }
  const uids = [undefined, 1, 'two'] as const;

  describe.each(PK_TYPES)('primary key type %s', (pkType) => {
    const first = `rel_general_first_${pkType}`;
    const key = `${first}_mutated`;
    const create = (name: string) =>
      a.http
        .post(`/items/${first}`)
        .set(a.admin)
        .send({ id: pkType === 'string' ? randomUUID() : undefined, name })
        .expect(200);

    /** Subscribes each client to `first` under `uid` (graphql-ws: under `String(uid)`). */
    async function subscribeAll(c: Awaited<ReturnType<typeof clients>>, uid: (typeof uids)[number]) {
      await c.ws.subscribeInit(first, uid);
      await c.ws2.subscribeInit(first, uid);
      await c.wsGql.subscribe(String(uid), first, 'event data { id name }');
      await c.wsGql2.subscribe(String(uid), first, 'event data { id name }');
    }

    it('Test subscriptions: a create through the first instance reaches every subscription on both, the same messages', async () => {
      const { ws, ws2, wsGql, wsGql2 } = await clients();
      for (const uid of uids) {
        await subscribeAll({ ws, ws2, wsGql, wsGql2 }, uid);
      }
      const name = randomUUID();
      const id = (await create(name)).body.data.id;

      const messageList: Msg[][] = [];
      const messageList2: Msg[][] = [];
      const messageListGql: Msg[][] = [];
      const messageListGql2: Msg[][] = [];
      for (const uid of uids) {
        messageList.push(await ws.take(1, uid));
        messageList2.push(await ws2.take(1, uid));
        messageListGql.push(await wsGql.take(String(uid), 1));
        messageListGql2.push(await wsGql2.take(String(uid), 1));
      }
      expect(messageList).toEqual(
        uids.map((uid) => [
          {
            type: 'subscription',
            event: 'create',
            data: [{ id, name }],
            ...(uid === undefined ? {} : { uid: String(uid) }),
          },
        ]),
      );
      expect(messageListGql).toEqual(
        uids.map(() => [{ data: { [key]: { event: 'create', data: { id: String(id), name } } } }]),
      );
      expect(messageList2).toEqual(messageList);
      expect(messageListGql2).toEqual(messageListGql);
      for (const uid of uids) {
        expect(await ws.rest(uid, 0)).toEqual([]);
        expect(await ws2.rest(uid, 0)).toEqual([]);
        expect(wsGql.count(String(uid))).toBe(0);
        expect(wsGql2.count(String(uid))).toBe(0);
      }
    });

    it('Test unsubscriptions: on both instances each uid gets its init and its unsubscribe answer, then nothing', async () => {
      const { ws, ws2, wsGql, wsGql2 } = await clients();
      for (const uid of uids) {
        await subscribeAll({ ws, ws2, wsGql, wsGql2 }, uid);
        const answer = {
          type: 'subscription',
          event: 'unsubscribe',
          ...(uid === undefined ? {} : { uid: String(uid) }),
        };
        expect(await ws.unsubscribe(uid)).toEqual(answer);
        expect(await ws2.unsubscribe(uid)).toEqual(answer);
        wsGql.unsubscribe(String(uid));
        wsGql2.unsubscribe(String(uid));
      }
      await create(randomUUID());
      for (const uid of uids) {
        expect(await ws.rest(uid)).toEqual([]);
        expect(await ws2.rest(uid, 0)).toEqual([]);
        expect(wsGql.count(String(uid))).toBe(0);
        expect(wsGql2.count(String(uid))).toBe(0);
      }
    });
  });
});
