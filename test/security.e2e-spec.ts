/**
 * SECURITY SUITE (issue 6). Runs in CI with the other e2e tests. What it tries, as an attacker holding a role whose
 * `secrets` read permission is `owner = $CURRENT_USER` (owner: uuid, special user-created) with the field
 * allow-list id, name, owner, links (so `code` and `rank` are hidden fields and the admin's row is a hidden row),
 * and unrestricted read/create/update on `links` (links.secret is an M2O into secrets, secrets.links its O2M):
 *
 * 1. Learning a hidden row or hidden field value. Every probe is sent twice, with the hidden row holding two
 *    different values, and the two sets of responses must be byte-identical. Probes: filter on a hidden field
 *    (incl. `_starts_with` probing) and on an allowed field of the hidden row, sort by it, search, aggregate and
 *    groupBy, deep._filter, alias, relational paths from another collection (filter, sort, expansion, meta),
 *    count() and filters on it, meta counts, SEARCH with keys, GET by key (hidden vs missing), batch update and
 *    delete by query, and nested writes that try to update or attach the hidden row.
 * 2. SQL injection in every identifier position (fields, sort, filter keys, aggregate, groupBy, alias, deep keys,
 *    collection names, search) and in values (quotes, `'; drop table …`, `$1`, backslashes, LIKE wildcards):
 *    the answer is 400/403 or the input is treated as plain data; never 500; the tables stay intact.
 * 3. Oversized payloads → 413; relational depth limit → 400; a 10,000-deep `_and` must not crash the server.
 * 4. Forged, tampered, expired and alg:none JWTs → 403 INVALID_TOKEN / 401 TOKEN_EXPIRED; none grants access.
 */
import { createHmac } from 'node:crypto';
import { createTestApp, type TestApp } from './support/app';
import {
  admin,
  alias,
  collection,
  fieldForbidden,
  FORBIDDEN,
  relation,
  rows,
  userWith,
  type Row,
  type TestUser,
} from './permissions.helpers';

const SECRET = 'test-secret-test-secret-test-secret-0123';

let t: TestApp;
let attacker: TestUser;
let own: number;
let hidden: number;
let linkToOwn: number;
let linkToHidden: number;

type Probe = { method?: 'get' | 'search' | 'patch' | 'post' | 'delete'; path: string; body?: unknown };

interface Answer {
  probe: string;
  status: number;
  body: unknown;
}

async function send(p: Probe, auth: object): Promise<Answer> {
  const method = p.method ?? 'get';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- supertest's method index
  const req = (t.http as any)[method](p.path).set(auth);
  const res = p.body === undefined ? await req : await req.send(p.body);
  return {
    probe: `${method.toUpperCase()} ${p.path} ${p.body ? JSON.stringify(p.body) : ''}`,
    status: res.status,
    body: res.body,
  };
}

/** Two states of the hidden row: every probe must answer the same in both. */
const STATES: Row[] = [
  { name: 'hidden', code: 'HX-1', rank: 50 },
  { name: 'zebra', code: 'QQ-9', rank: -5 },
];

async function setHidden(state: Row): Promise<void> {
  await t.db.client.query('UPDATE secrets SET name = $1, code = $2, rank = $3 WHERE id = $4', [
    state.name,
    state.code,
    state.rank,
    hidden,
  ]);
}

async function assertNoLeak(probes: Probe[]): Promise<Answer[][]> {
  const runs: Answer[][] = [];
  for (const state of STATES) {
    await setHidden(state);
    const answers: Answer[] = [];
    for (const p of probes) answers.push(await send(p, attacker.auth));
    runs.push(answers);
  }
  await setHidden(STATES[0]);
  for (const answers of runs) for (const a of answers) expect(a.status).toBeLessThan(500);
  expect(runs[1]).toEqual(runs[0]);
  return runs;
}

async function tablesIntact(): Promise<void> {
  const [row] = await rows(
    t,
    `SELECT to_regclass('public.secrets') IS NOT NULL AS s, to_regclass('public.links') IS NOT NULL AS l,
            to_regclass('public.directus_users') IS NOT NULL AS u, (SELECT count(*)::int FROM secrets) AS n`,
  );
  expect(row).toMatchObject({ s: true, l: true, u: true });
  expect(row.n).toBeGreaterThanOrEqual(2);
}

beforeAll(async () => {
  t = await createTestApp({ MAX_PAYLOAD_SIZE: '1mb', MAX_RELATIONAL_DEPTH: '4' });
  await collection(t, 'secrets', [
    { field: 'name', type: 'string' },
    { field: 'code', type: 'string' },
    { field: 'rank', type: 'integer' },
    { field: 'owner', type: 'uuid', meta: { special: ['user-created'] } },
  ]);
  await collection(t, 'links', [
    { field: 'label', type: 'string' },
    { field: 'secret', type: 'integer', meta: { special: ['m2o'] } },
  ]);
  await alias(t, 'secrets', 'links', 'o2m');
  await relation(t, {
    collection: 'links',
    field: 'secret',
    related_collection: 'secrets',
    meta: { one_field: 'links' },
  });
  const mine = { owner: { _eq: '$CURRENT_USER' } };
  attacker = await userWith(t, [
    { collection: 'secrets', action: 'read', fields: ['id', 'name', 'owner', 'links'], permissions: mine },
    { collection: 'secrets', action: 'create', fields: ['name', 'code', 'rank'] },
    { collection: 'secrets', action: 'update', fields: ['name', 'links'], permissions: mine },
    { collection: 'links', action: 'read', fields: ['*'] },
    { collection: 'links', action: 'create', fields: ['*'] },
    { collection: 'links', action: 'update', fields: ['*'] },
  ]);
  const created = await t.http
    .post('/items/secrets')
    .set(attacker.auth)
    .send({ name: 'mine', code: 'MY-1', rank: 1 })
    .expect(200);
  own = created.body.data.id;
  expect(created.body.data).toEqual({ id: own, name: 'mine', owner: attacker.id, links: [] });
  hidden = (await admin(t, 'post', '/items/secrets', { ...STATES[0] })).id;
  const links = await admin(t, 'post', '/items/links', [
    { label: 'to-own', secret: own },
    { label: 'to-hidden', secret: hidden },
  ]);
  [linkToOwn, linkToHidden] = links.map((l: Row) => l.id as number);
});
afterAll(() => t.close());

describe('learning a hidden row or field: answers do not depend on hidden data', () => {
  it('filters on hidden fields are 403; filters on allowed fields never match the hidden row', async () => {
    const runs = await assertNoLeak([
      { path: '/items/secrets?filter[code][_starts_with]=H' },
      { path: '/items/secrets?filter[code][_eq]=HX-1' },
      { path: '/items/secrets?filter[rank][_gt]=0' },
      { path: '/items/secrets?filter[name][_starts_with]=h' },
      { path: '/items/secrets?filter[name][_eq]=hidden' },
      { path: `/items/secrets?filter[id][_eq]=${'HIDDEN'}`.replace('HIDDEN', String(0)) },
      { path: '/items/secrets?filter[_or][0][name][_eq]=hidden&filter[_or][1][id][_gt]=0&fields=id' },
      { path: '/items/secrets?filter[owner][_neq]=$CURRENT_USER' },
      { path: '/items/secrets?filter[owner][_null]=false&meta=*' },
    ]);
    expect(runs[0][0].body).toEqual(fieldForbidden('code', 'secrets'));
    expect(runs[0][2].body).toEqual(fieldForbidden('rank', 'secrets'));
    expect(runs[0][3].body).toEqual({ data: [] });
    expect(runs[0][6].body).toEqual({ data: [{ id: own }] });
    expect(runs[0][7].body).toEqual({ data: [] });
    expect((runs[0][8].body as { meta: unknown }).meta).toEqual({ total_count: 1, filter_count: 1 });
  });

  it('by key: the hidden row looks exactly like a missing one', async () => {
    const runs = await assertNoLeak([
      { path: `/items/secrets/${hidden}` },
      { path: '/items/secrets/999999' },
      { path: `/items/secrets/${hidden}?fields=code` },
      {
        method: 'search',
        path: '/items/secrets',
        body: { keys: [hidden, own, 999999], query: { fields: ['id', 'name'] } },
      },
    ]);
    expect(runs[0][0].body).toEqual(FORBIDDEN);
    expect(runs[0][1].body).toEqual(FORBIDDEN);
    expect(runs[0][3].body).toEqual({ data: [{ id: own, name: 'mine' }] });
  });

  it('sort, search, aggregate, groupBy, alias, deep and count()', async () => {
    const runs = await assertNoLeak([
      { path: '/items/secrets?sort=rank' },
      { path: '/items/secrets?sort=-name&fields=id' },
      { path: '/items/secrets?search=hid' },
      { path: '/items/secrets?search=HX' },
      { path: '/items/secrets?aggregate[count]=*' },
      { path: '/items/secrets?aggregate[max]=rank' },
      { path: '/items/secrets?aggregate[max]=name&aggregate[countDistinct]=name&aggregate[max]=id' },
      { path: '/items/secrets?aggregate[count]=*&groupBy[]=name' },
      { path: '/items/secrets?aggregate[count]=*&groupBy[]=code' },
      { path: '/items/secrets?alias[x]=code&fields=x' },
      { path: '/items/secrets?alias[x]=name&fields=id,x' },
      { path: '/items/secrets?fields=id,links.label&deep[links][_filter][secret][name][_eq]=hidden' },
      { path: '/items/secrets?fields=id,links.label&deep[links][_filter][secret][code][_eq]=HX-1' },
      { path: '/items/secrets?fields=id,count(links)' },
      { path: '/items/secrets?filter[count(links)][_gt]=0&fields=id&meta=*' },
      { path: '/items/links?fields=id,count(secret)' },
    ]);
    expect(runs[0][0].body).toEqual(fieldForbidden('rank', 'secrets'));
    expect(runs[0][2].body).toEqual({ data: [] });
    expect(runs[0][4].body).toEqual({ data: [{ count: '1' }] });
    expect(runs[0][7].body).toEqual({ data: [{ name: 'mine', count: '1' }] });
    expect(runs[0][9].body).toEqual(fieldForbidden('code', 'secrets'));
  });

  it('relational paths from another collection (links → secrets): the hidden row is absent', async () => {
    const runs = await assertNoLeak([
      { path: '/items/links?filter[secret][name][_starts_with]=h&fields=id' },
      { path: '/items/links?filter[secret][name][_eq]=zebra&fields=id' },
      { path: '/items/links?filter[secret][id][_eq]=HIDDEN&fields=id'.replace('HIDDEN', '0') },
      { path: '/items/links?filter[secret][code][_starts_with]=H' },
      { path: '/items/links?filter[secret][rank][_gt]=0' },
      { path: '/items/links?filter[secret][_null]=true&fields=id' },
      { path: '/items/links?filter[secret][owner][_nnull]=true&fields=id&meta=*' },
      { path: '/items/links?sort=secret.name,id&fields=id' },
      { path: '/items/links?sort=-secret.name,id&fields=id' },
      { path: '/items/links?sort=secret.rank' },
      { path: '/items/links?fields=id,secret.name,secret.id&sort=id' },
      { path: '/items/links?fields=*.*&sort=id' },
      { path: '/items/links?aggregate[count]=*&filter[secret][name][_gte]=m' },
      { path: '/items/links?aggregate[max]=secret.name' },
      { path: '/items/links?search=hidden' },
      {
        method: 'search',
        path: '/items/links',
        body: { query: { filter: { secret: { name: { _in: ['hidden', 'zebra'] } } } } },
      },
    ]);
    expect(runs[0][0].body).toEqual({ data: [] });
    expect(runs[0][3].body).toEqual(fieldForbidden('code', 'secrets', '"secret"'));
    expect(runs[0][6].body).toEqual({ data: [{ id: linkToOwn }], meta: { total_count: 2, filter_count: 1 } });
    expect(runs[0][10].body).toEqual({
      data: [
        { id: linkToOwn, secret: { name: 'mine', id: own } },
        { id: linkToHidden, secret: null },
      ],
    });
    expect(runs[0][15].body).toEqual({ data: [] });
  });

  it('Directus’s binary-search leak through an M2O filter recovers nothing', async () => {
    // A binary search over the hidden row's (readable-field) name through links.secret: with a leak, the answers
    // would differ between the two hidden states; here every step answers "only the own row's link" or nothing.
    const probes: Probe[] = [];
    for (const x of ['h', 'hi', 'hid', 'hidden', 'z', 'ze', 'zebra', 'x']) {
      probes.push({ path: `/items/links?filter[secret][name][_starts_with]=${x}&fields=id` });
      probes.push({ path: `/items/links?filter[secret][name][_nstarts_with]=${x}&fields=id` });
      probes.push({ path: `/items/links?filter[secret][name][_contains]=${x}&fields=id` });
    }
    const runs = await assertNoLeak(probes);
    for (const a of runs[0]) expect((a.body as { data: unknown[] }).data).not.toContainEqual({ id: linkToHidden });
  });

  it('writes: update/delete by query, batch updates and nested writes cannot touch or detect the hidden row', async () => {
    const runs = await assertNoLeak([
      {
        method: 'patch',
        path: '/items/secrets',
        body: { query: { filter: { name: { _eq: 'hidden' } } }, data: { name: 'pwned' } },
      },
      {
        method: 'patch',
        path: '/items/secrets',
        body: { query: { filter: { name: { _eq: 'zebra' } } }, data: { name: 'pwned' } },
      },
      { method: 'patch', path: '/items/secrets?filter[name][_starts_with]=h', body: { name: 'pwned' } },
      { method: 'patch', path: `/items/secrets/${hidden}`, body: { name: 'pwned' } },
      { method: 'patch', path: '/items/secrets/999999', body: { name: 'pwned' } },
      { method: 'patch', path: '/items/secrets', body: { keys: [own, hidden], data: { name: 'pwned' } } },
      {
        method: 'patch',
        path: '/items/secrets',
        body: [
          { id: own, name: 'pwned' },
          { id: hidden, name: 'pwned' },
        ],
      },
      { method: 'delete', path: `/items/secrets/${hidden}` },
      { method: 'delete', path: '/items/secrets', body: { query: { filter: { name: { _eq: 'hidden' } } } } },
      // Nested: an M2O object with the hidden key means "update that row".
      { method: 'post', path: '/items/links', body: { label: 'x', secret: { id: hidden, name: 'pwned' } } },
      { method: 'patch', path: `/items/links/${linkToOwn}`, body: { secret: { id: hidden, name: 'pwned' } } },
      // Nested, one level further down: a link created under the own row whose M2O updates the hidden row.
      {
        method: 'post',
        path: '/items/links',
        body: [{ label: 'ok' }, { label: 'y', secret: { id: hidden, name: 'pwned' } }],
      },
    ]);
    expect(runs[0][0]).toMatchObject({ status: 200, body: { data: [] } });
    expect(runs[0][3].body).toEqual(
      FORBIDDEN.errors[0] && {
        errors: [
          {
            message: `You don't have permissions to perform "update" for the field(s) "name" in collection "secrets" or it does not exist.`,
            extensions: {
              code: 'FORBIDDEN',
              reason: `You don't have permissions to perform "update" for the field(s) "name" in collection "secrets" or it does not exist.`,
            },
          },
        ],
      },
    );
    expect(runs[0][3]).toEqual({ ...runs[0][4], probe: runs[0][3].probe });
    const [h] = await rows(t, 'SELECT name, code, rank, owner FROM secrets WHERE id = $1', [hidden]);
    expect(h).toMatchObject({ name: 'hidden', code: 'HX-1', rank: 50 });
    const [o] = await rows(t, 'SELECT name FROM secrets WHERE id = $1', [own]);
    expect(o.name).toBe('mine');
    expect(await rows(t, 'SELECT id, secret FROM links ORDER BY id')).toEqual([
      { id: linkToOwn, secret: own },
      { id: linkToHidden, secret: hidden },
    ]);
  });

  it('cannot forge ownership: owner is not writable, and user-created is stamped by the server', async () => {
    const res = await t.http.post('/items/secrets').set(attacker.auth).send({ name: 'x', owner: null }).expect(403);
    expect(res.body).toEqual(fieldForbidden('owner', 'secrets'));
    const stolen = await t.http.patch(`/items/secrets/${own}`).set(attacker.auth).send({ owner: null }).expect(403);
    expect(stolen.body).toEqual(fieldForbidden('owner', 'secrets'));
    expect(await rows(t, 'SELECT count(*)::int AS n FROM secrets')).toEqual([{ n: 2 }]);
  });
});

describe('SQL injection', () => {
  const evil = [
    `id";drop table secrets;--`,
    `name"); DROP TABLE secrets; --`,
    `' OR 1=1 --`,
    `$1`,
    `name\\`,
    `(select 1)`,
  ];

  it('in identifier positions: 400/403, never 500, tables intact (as admin and as the attacker)', async () => {
    const probes: Probe[] = [];
    for (const e of evil) {
      const q = encodeURIComponent(e);
      probes.push(
        { path: `/items/secrets?fields=${q}` },
        { path: `/items/secrets?fields=links.${q}` },
        { path: `/items/secrets?sort=${q}` },
        { path: `/items/secrets?sort=-${q}` },
        { path: `/items/secrets?filter[${q}][_eq]=1` },
        { path: `/items/secrets?filter[name][${q}]=1` },
        { path: `/items/secrets?aggregate[count]=${q}` },
        { path: `/items/secrets?aggregate[${q}]=id` },
        { path: `/items/secrets?aggregate[count]=*&groupBy[]=${q}` },
        { path: `/items/secrets?alias[x]=${q}&fields=x` },
        { path: `/items/secrets?alias[${q}]=name&fields=${q}` },
        { path: `/items/secrets?fields=links.*&deep[${q}][_limit]=1` },
        { path: `/items/secrets?fields=links.*&deep[links][${q}]=1` },
        { path: `/items/${q}` },
        { path: `/items/secrets?fields=count(${q})` },
        { path: `/items/secrets?filter[year(${q})][_eq]=1` },
        {
          method: 'search',
          path: '/items/secrets',
          body: { query: { filter: { [e]: { _eq: 1 } }, fields: [e], sort: [e] } },
        },
        { method: 'post', path: '/items/secrets', body: { [e]: 'x' } },
      );
    }
    for (const auth of [t.admin, attacker.auth]) {
      for (const p of probes) {
        const a = await send(p, auth);
        // An alias key is only an output name: it may come back as a plain JSON key.
        const asData =
          a.status === 200 &&
          (p.method === 'post' || p.path.includes('&fields=' + p.path.split('alias[')[1]?.split(']')[0]));
        expect({ probe: a.probe, ok: [400, 403].includes(a.status) || asData }).toEqual({
          probe: a.probe,
          ok: true,
        });
      }
    }
    await tablesIntact();
  });

  it('in values: treated as plain data', async () => {
    const values = [
      `'; drop table secrets; --`,
      `$1`,
      `\\`,
      `a\\'b`,
      `%`,
      `_`,
      `'||(select code from secrets)||'`,
      `"`,
      '\u0000',
    ];
    for (const v of values) {
      const created = await t.http.post('/items/secrets?fields=id,name').set(attacker.auth).send({ name: v });
      if (v === '\u0000') {
        // PostgreSQL text can't hold NUL: a client error, not a crash — in writes and in filters.
        expect(created.status).toBe(400);
        const read = await t.http.get(`/items/secrets?filter[name][_eq]=${encodeURIComponent(v)}`).set(attacker.auth);
        expect(read.status).toBeLessThan(500);
        continue;
      }
      expect(created.status).toBe(200);
      expect(created.body.data.name).toBe(v);
      const id = created.body.data.id;
      for (const op of ['_eq', '_contains', '_starts_with', '_ends_with', '_icontains']) {
        const res = await t.http
          .get(`/items/secrets?fields=id&filter[name][${op}]=${encodeURIComponent(v)}&filter[id][_eq]=${id}`)
          .set(attacker.auth);
        expect({ v, op, status: res.status, body: res.body }).toEqual({ v, op, status: 200, body: { data: [{ id }] } });
      }
      // LIKE wildcards in values are literal: "%" matches only rows containing "%".
      const search = await t.http.get(`/items/secrets?fields=name&search=${encodeURIComponent(v)}`).set(attacker.auth);
      expect(search.status).toBe(200);
      for (const row of search.body.data) expect(String(row.name)).toContain(v);
      const list = await t.http
        .get(`/items/secrets?fields=id&filter[name][_in]=${encodeURIComponent(v)}`)
        .set(attacker.auth);
      expect(list.status).toBeLessThan(500);
      await admin(t, 'delete', `/items/secrets/${id}`);
    }
    // Values in the other positions: keys, deep values, aggregate with a filter, search body.
    for (const p of [
      { path: `/items/secrets/${encodeURIComponent("1' OR '1'='1")}` },
      { path: `/items/secrets?filter[id][_eq]=${encodeURIComponent('1 OR 1=1')}` },
      {
        path: `/items/secrets?fields=links.*&deep[links][_filter][label][_eq]=${encodeURIComponent("'; drop table links; --")}`,
      },
      { path: `/items/secrets?limit=${encodeURIComponent('1; drop table secrets')}` },
      { path: `/items/secrets?offset=${encodeURIComponent('0) --')}` },
      { method: 'search' as const, path: '/items/secrets', body: { keys: ["1'; drop table secrets; --"] } },
      { method: 'delete' as const, path: `/items/secrets/${encodeURIComponent('1; drop table secrets')}` },
    ]) {
      const a = await send(p, attacker.auth);
      expect({ probe: a.probe, ok: [200, 400, 403].includes(a.status) }).toEqual({ probe: a.probe, ok: true });
    }
    await tablesIntact();
  });
});

describe('resource limits', () => {
  it('payloads over MAX_PAYLOAD_SIZE → 413 CONTENT_TOO_LARGE; nothing written', async () => {
    const before = await rows(t, 'SELECT count(*)::int AS n FROM secrets');
    const res = await t.http
      .post('/items/secrets')
      .set(t.admin)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body.errors[0].extensions.code).toBe('CONTENT_TOO_LARGE');
    expect(await rows(t, 'SELECT count(*)::int AS n FROM secrets')).toEqual(before);
  });

  it('relational depth beyond MAX_RELATIONAL_DEPTH → 400 in fields, filter, sort and deep', async () => {
    const deep = 'links.secret.links.secret.links.secret';
    const reason = 'Max relational depth exceeded';
    const body = { errors: [{ message: `Invalid query. ${reason}.`, extensions: { code: 'INVALID_QUERY', reason } }] };
    for (const path of [
      `/items/secrets?fields=${deep}.id`,
      `/items/secrets?sort=${deep}.id`,
      `/items/secrets?filter=${encodeURIComponent(JSON.stringify({ links: { secret: { links: { secret: { links: { secret: { id: { _eq: 1 } } } } } } } }))}`,
    ]) {
      const res = await t.http.get(path).set(t.admin);
      expect({ path, status: res.status, body: res.body }).toEqual({ path, status: 400, body });
    }
  });

  it('a 10,000-deep `_and` nesting is rejected without crashing the server', async () => {
    // Built as text: JSON.stringify itself would overflow the stack on the client side.
    const N = 10_000;
    const filter = '{"_and":['.repeat(N) + '{"name":{"_eq":"x"}}' + ']}'.repeat(N);
    const statuses: Row = {};
    for (const [who, auth] of [
      ['admin', t.admin],
      ['attacker', attacker.auth],
    ] as const) {
      const res = await t.http
        .search('/items/secrets')
        .set(auth)
        .set('Content-Type', 'application/json')
        .send(`{"query":{"filter":${filter}}}`);
      statuses[`search ${who}`] = res.status;
    }
    // Through the URL (a JSON filter string; 500 levels keeps it under the HTTP header size limit).
    const short = '{"_and":['.repeat(500) + '{"name":{"_eq":"x"}}' + ']}'.repeat(500);
    const url = await t.http.get(`/items/secrets?filter=${encodeURIComponent(short)}`).set(t.admin);
    statuses.url = url.status;
    const reason = 'Max query depth exceeded';
    expect(url.body).toEqual({
      errors: [{ message: `Invalid query. ${reason}.`, extensions: { code: 'INVALID_QUERY', reason } }],
    });
    // Deep nesting inside a write payload.
    const nested = '{"links":[{"secret":'.repeat(N) + '{"name":"x"}' + '}]}'.repeat(N);
    const write = await t.http.post('/items/secrets').set(t.admin).set('Content-Type', 'application/json').send(nested);
    statuses.write = write.status;
    // The write is legal (an admin, no MAX_BATCH_MUTATION): it just must not take the server down.
    expect(statuses).toEqual({ 'search admin': 400, 'search attacker': 400, url: 400, write: 200 });
    await t.http.get('/server/ping').expect(200);
    await t.http.get('/items/secrets?fields=id').set(attacker.auth).expect(200);
  });
});

describe('forged tokens', () => {
  function jwt(payload: Row, secret = SECRET, alg = 'HS256'): string {
    const h = Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url');
    const b = Buffer.from(JSON.stringify(payload)).toString('base64url');
    const s = alg === 'none' ? '' : createHmac('sha256', secret).update(`${h}.${b}`).digest('base64url');
    return `${h}.${b}.${s}`;
  }
  const INVALID = { errors: [{ message: 'Invalid token.', extensions: { code: 'INVALID_TOKEN' } }] };

  it('forged, tampered and alg:none JWTs → 403 INVALID_TOKEN; expired → 401; none reads anything', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { id: attacker.id, role: attacker.role, app_access: true, admin_access: true, iss: 'directus' };
    const valid = jwt({ ...claims, admin_access: false, iat: now, exp: now + 60 });
    const [h, , s] = valid.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, iat: now, exp: now + 60 })).toString('base64url')}.${s}`;
    const cases: [string, string, number, object][] = [
      ['wrong secret', jwt({ ...claims, iat: now, exp: now + 60 }, 'not-the-secret'), 403, INVALID],
      ['alg none', jwt({ ...claims, iat: now, exp: now + 60 }, SECRET, 'none'), 403, INVALID],
      // Two segments is not a JWT at all: looked up as a static token (spec 15).
      [
        'alg none, no dot',
        jwt({ ...claims, iat: now, exp: now + 60 }, SECRET, 'none').slice(0, -1),
        401,
        { errors: [{ message: 'Invalid user credentials.', extensions: { code: 'INVALID_CREDENTIALS' } }] },
      ],
      ['tampered payload', tampered, 403, INVALID],
      ['HS512 header', jwt({ ...claims, iat: now, exp: now + 60 }, SECRET, 'HS512'), 403, INVALID],
      [
        'expired',
        jwt({ ...claims, iat: now - 100, exp: now - 10 }),
        401,
        { errors: [{ message: 'Token expired.', extensions: { code: 'TOKEN_EXPIRED' } }] },
      ],
    ];
    for (const [name, token, status, body] of cases) {
      for (const path of ['/items/secrets', '/users/me', '/roles']) {
        const res = await t.http.get(path).set('Authorization', `Bearer ${token}`);
        expect({ name, path, status: res.status, body: res.body }).toEqual({ name, path, status, body });
      }
      const write = await t.http.post('/roles').set('Authorization', `Bearer ${token}`).send({ name: 'x' });
      expect(write.status).toBe(status);
    }
    // The genuine token of the same user works and is not admin.
    await t.http.get('/items/secrets?fields=id').set('Authorization', `Bearer ${valid}`).expect(200);
    await t.http.get('/items/secrets?fields=code').set('Authorization', `Bearer ${valid}`).expect(403);
    // A well-formed foreign JWT (no iss: directus) is looked up as a static token → 401.
    const foreign = jwt({ sub: 'x', iat: now, exp: now + 60 });
    await t.http.get('/items/secrets').set('Authorization', `Bearer ${foreign}`).expect(401);
  });
});
