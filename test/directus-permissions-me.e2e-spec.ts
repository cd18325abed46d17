import { admin, attach, policy, role, user, type Row, type TestUser } from './permissions.helpers';
import { createTestApp, type TestApp } from './support/app';

/**
 * Issue #16, part 2: GET /permissions/me and /permissions/me/:collection/:id (Directus 11+), POST /utils/cache/clear
 * and GET /users/me with the query parameters, each checked with whole bodies.
 */
describe('/permissions/me, /utils/cache/clear, /users/me', () => {
  let t: TestApp;
  let writer: TestUser;
  let bare: TestUser;
  let barePolicy: string;

  const FORBIDDEN = {
    errors: [{ message: "You don't have permission to access this.", extensions: { code: 'FORBIDDEN' } }],
  };
  const INVALID_CREDENTIALS = {
    errors: [{ message: 'Invalid user credentials.', extensions: { code: 'INVALID_CREDENTIALS' } }],
  };

  beforeAll(async () => {
    t = await createTestApp();
    await admin(t, 'post', '/collections', {
      collection: 'pm_docs',
      schema: {},
      fields: [
        { field: 'title', type: 'string' },
        { field: 'status', type: 'string' },
        { field: 'owner', type: 'uuid' },
      ],
    });
    await admin(t, 'post', '/collections', {
      collection: 'pm_site',
      schema: {},
      meta: { singleton: true },
      fields: [
        { field: 'name', type: 'string' },
        { field: 'motto', type: 'string' },
      ],
    });
    await admin(t, 'post', '/collections', {
      collection: 'pm_hidden',
      schema: {},
      fields: [{ field: 'name', type: 'string' }],
    });
    await admin(t, 'post', '/items/pm_docs', [
      { title: 'draft one', status: 'draft' },
      { title: 'published', status: 'published' },
    ]);
    const writerRole = await role(t);
    const first = await policy(t, [
      { collection: 'pm_docs', action: 'read', fields: ['id', 'title'] },
      {
        collection: 'pm_docs',
        action: 'update',
        fields: ['title'],
        permissions: { status: { _eq: 'draft' } },
        presets: { owner: '$CURRENT_USER' },
      },
      { collection: 'pm_docs', action: 'create', presets: { status: 'draft' } },
      { collection: 'pm_site', action: 'create', fields: ['name'], presets: { name: 'Site' } },
      { collection: 'pm_site', action: 'update', fields: ['name'] },
      {
        collection: 'directus_users',
        action: 'read',
        fields: ['id', 'email', 'role'],
        permissions: { id: { _eq: '$CURRENT_USER' } },
      },
    ]);
    // A second policy: its rows merge into the first's (fields unioned, presets merged in policy order).
    const second = await policy(t, [
      { collection: 'pm_docs', action: 'read', fields: ['status'], permissions: { status: { _eq: 'published' } } },
      { collection: 'pm_docs', action: 'delete', fields: ['*'] },
      { collection: 'pm_site', action: 'update', fields: ['motto'], presets: { motto: 'hi' } },
      { collection: 'directus_roles', action: 'read', fields: ['id', 'name'] },
    ]);
    await attach(t, { role: writerRole }, first.id);
    await attach(t, { role: writerRole }, second.id);
    writer = await user(t, writerRole);
    // A role whose one policy has no permission (yet).
    const bareRole = await role(t);
    barePolicy = (await policy(t, [])).id;
    await attach(t, { role: bareRole }, barePolicy);
    bare = await user(t, bareRole);
  });
  afterAll(() => t.close());

  const get = (url: string, auth: object = t.admin) => t.http.get(url).set(auth as Record<string, string>);

  describe('GET /permissions/me', () => {
    it("a role's collections, per action: none, full or partial, allowed fields, presets with variables resolved", async () => {
      const none = { access: 'none' };
      const res = await get('/permissions/me', writer.auth).expect(200);
      expect(res.body).toEqual({
        data: {
          pm_docs: {
            create: { access: 'full', fields: ['*'], presets: { status: 'draft' } },
            read: { access: 'partial', fields: ['id', 'title', 'status'] },
            update: { access: 'partial', fields: ['title'], presets: { owner: writer.id } },
            delete: { access: 'full', fields: ['*'] },
            share: none,
          },
          pm_site: {
            create: { access: 'full', fields: ['name'], presets: { name: 'Site' } },
            read: none,
            update: { access: 'full', fields: ['name', 'motto'], presets: { motto: 'hi' } },
            delete: none,
            share: none,
          },
          directus_users: {
            create: none,
            read: { access: 'partial', fields: ['id', 'email', 'role'] },
            update: none,
            delete: none,
            share: none,
          },
          directus_roles: {
            create: none,
            read: { access: 'full', fields: ['id', 'name'] },
            update: none,
            delete: none,
            share: none,
          },
        },
      });
      // Key order as Directus builds it: collections in the order their first row comes, actions as PERMISSION_ACTIONS.
      expect(Object.keys(res.body.data.pm_docs)).toEqual(['create', 'read', 'update', 'delete', 'share']);
    });

    it('a role without permissions: {}; an admin: every collection, every action full with every field', async () => {
      expect((await get('/permissions/me', bare.auth).expect(200)).body).toEqual({ data: {} });
      const collections = (await get('/collections').expect(200)).body.data
        .filter((c: Row) => c.schema !== null)
        .map((c: Row) => c.collection as string);
      expect(collections).toEqual(expect.arrayContaining(['pm_docs', 'pm_site', 'pm_hidden', 'directus_users']));
      const full = { access: 'full', fields: ['*'] };
      const all = { create: full, read: full, update: full, delete: full, share: full };
      expect((await get('/permissions/me').expect(200)).body).toEqual({
        data: Object.fromEntries(collections.map((c: string) => [c, all])),
      });
    });

    it('without a user or role (Public): 403', async () => {
      expect((await t.http.get('/permissions/me').expect(403)).body).toEqual(FORBIDDEN);
    });
  });

  describe('GET /permissions/me/:collection/:id', () => {
    const access = (update: boolean, del: boolean, share = false) => ({
      data: { update: { access: update }, delete: { access: del }, share: { access: share } },
    });

    it('an item the update filter selects, one it does not, one that does not exist', async () => {
      expect((await get('/permissions/me/pm_docs/1', writer.auth).expect(200)).body).toEqual(access(true, true));
      expect((await get('/permissions/me/pm_docs/2', writer.auth).expect(200)).body).toEqual(access(false, true));
      expect((await get('/permissions/me/pm_docs/999', writer.auth).expect(200)).body).toEqual(access(false, false));
    });

    it('without a key: the collection only; an unknown or forbidden collection: all false', async () => {
      expect((await get('/permissions/me/pm_docs', writer.auth).expect(200)).body).toEqual(access(true, true));
      expect((await get('/permissions/me/pm_hidden/1', writer.auth).expect(200)).body).toEqual(access(false, false));
      expect((await get('/permissions/me/nope/1', writer.auth).expect(200)).body).toEqual(access(false, false));
    });

    it("a singleton: update is create while it has no row, with that action's fields and presets", async () => {
      expect((await get('/permissions/me/pm_site', writer.auth).expect(200)).body).toEqual({
        data: {
          update: { access: true, fields: ['name'], presets: { name: 'Site' } },
          delete: { access: false },
          share: { access: false },
        },
      });
      await admin(t, 'patch', '/items/pm_site', { name: 'Mine' });
      expect((await get('/permissions/me/pm_site', writer.auth).expect(200)).body).toEqual({
        data: {
          update: { access: true, fields: ['name', 'motto'], presets: { motto: 'hi' } },
          delete: { access: false },
          share: { access: false },
        },
      });
    });

    it('an admin may do everything, even on a collection that does not exist', async () => {
      expect((await get('/permissions/me/pm_docs/2').expect(200)).body).toEqual(access(true, true, true));
      expect((await get('/permissions/me/nope/1').expect(200)).body).toEqual(access(true, true, true));
    });

    it('without a user: 403', async () => {
      expect((await t.http.get('/permissions/me/pm_docs/1').expect(403)).body).toEqual(FORBIDDEN);
    });
  });

  describe('POST /utils/cache/clear', () => {
    // First in this block: a cache clear NOTIFYs every instance, this one included, and that NOTIFY may arrive after
    // the next test has refilled the cache; no request before this one sends such a NOTIFY.
    it('clears the permission cache: a permission changed behind the API is in force right after', async () => {
      await get('/items/pm_hidden', bare.auth).expect(403);
      // Written with SQL and no NOTIFY: the role's cached (empty) permission set stays until cleared.
      await t.db.client.query(
        `INSERT INTO "directus_permissions" ("collection", "action", "fields", "policy") VALUES ('pm_hidden', 'read', '*', $1)`,
        [barePolicy],
      );
      await get('/items/pm_hidden', bare.auth).expect(403);
      await t.http.post('/utils/cache/clear').set(t.admin).expect(200);
      expect((await get('/items/pm_hidden', bare.auth).expect(200)).body).toEqual({ data: [] });
    });

    it('admins only: 200 with an empty body; others 403', async () => {
      const res = await t.http.post('/utils/cache/clear').set(t.admin).expect(200);
      expect(res.text).toBe('');
      expect((await t.http.post('/utils/cache/clear').set(writer.auth).expect(403)).body).toEqual(FORBIDDEN);
      expect((await t.http.post('/utils/cache/clear').expect(403)).body).toEqual(FORBIDDEN);
    });

    it('?system reloads the schema: a column added behind the API is a field right after', async () => {
      await t.db.client.query(`ALTER TABLE "pm_hidden" ADD COLUMN "extra" integer DEFAULT 7`);
      await get('/items/pm_hidden?fields=extra').expect(403);
      await t.http.post('/utils/cache/clear').set(t.admin).expect(200);
      await get('/items/pm_hidden?fields=extra').expect(403);
      const res = await t.http.post('/utils/cache/clear?system').set(t.admin).expect(200);
      expect(res.text).toBe('');
      await admin(t, 'post', '/items/pm_hidden', { name: 'n' });
      expect((await get('/items/pm_hidden?fields=name,extra').expect(200)).body).toEqual({
        data: [{ name: 'n', extra: 7 }],
      });
    });
  });

  describe('GET /users/me', () => {
    it('honours fields (relational paths too) like /users/:id', async () => {
      const me = (await get('/users/me?fields=email,role.name').expect(200)).body;
      expect(me).toEqual({ data: { email: 'admin@example.com', role: { name: 'Administrator' } } });
      const id = (await get('/users/me?fields=id').expect(200)).body.data.id;
      expect((await get(`/users/${id}?fields=email,role.name`).expect(200)).body).toEqual(me);
    });

    it("the caller's read permissions hold; what it may not read gives {id} only", async () => {
      expect((await get('/users/me', writer.auth).expect(200)).body).toEqual({
        data: { id: writer.id, email: expect.stringMatching(/@example\.com$/), role: writer.role },
      });
      expect((await get('/users/me?fields=email,role.name', writer.auth).expect(200)).body).toEqual({
        data: { email: expect.any(String), role: { name: expect.stringMatching(/^role-/) } },
      });
      expect((await get('/users/me?fields=first_name', writer.auth).expect(200)).body).toEqual({
        data: { id: writer.id },
      });
      expect((await get('/users/me', bare.auth).expect(200)).body).toEqual({ data: { id: bare.id } });
    });

    it('a bad query is 400 first; no user is 401', async () => {
      expect((await get('/users/me?limit=x').expect(400)).body.errors[0].extensions.code).toBe('INVALID_QUERY');
      expect((await t.http.get('/users/me').expect(401)).body).toEqual(INVALID_CREDENTIALS);
    });
  });
});

describe('QUERYSTRING_ARRAY_LIMIT (and QUERYSTRING_MAX_PARSE_DEPTH)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ QUERYSTRING_ARRAY_LIMIT: '2', QUERYSTRING_MAX_PARSE_DEPTH: '3' });
    await admin(t, 'post', '/collections', {
      collection: 'qs_items',
      schema: {},
      fields: [
        { field: 'title', type: 'string' },
        { field: 'rank', type: 'integer' },
      ],
    });
    await admin(t, 'post', '/items/qs_items', [
      { title: 'a', rank: 1 },
      { title: 'b', rank: 2 },
      { title: 'c', rank: 3 },
    ]);
  });
  afterAll(() => t.close());

  const get = (url: string) => t.http.get(url).set(t.admin);

  it('arrays up to the limit are arrays', async () => {
    expect((await get('/items/qs_items?fields[]=id&fields[]=title&sort[]=-id').expect(200)).body).toEqual({
      data: [
        { id: 3, title: 'c' },
        { id: 2, title: 'b' },
        { id: 1, title: 'a' },
      ],
    });
  });

  it('past the limit an array is an object, which `fields` reads as none, as Directus does (all fields)', async () => {
    // Directus's blackbox field-selection.test.ts: `fields` past the limit is ignored, every field comes back.
    expect((await get('/items/qs_items?fields[]=id&fields[]=title&fields[]=rank&sort=id').expect(200)).body).toEqual({
      data: [
        { id: 1, title: 'a', rank: 1 },
        { id: 2, title: 'b', rank: 2 },
        { id: 3, title: 'c', rank: 3 },
      ],
    });
    // A filter list past the limit reads as qs's index object, which a filter takes as the list it was.
    expect(
      (await get('/items/qs_items?fields=id&filter[id][_in][]=1&filter[id][_in][]=2&filter[id][_in][]=3').expect(200))
        .body,
    ).toEqual({
      data: [{ id: 1 }, { id: 2 }, { id: 3 }],
    });
  });

  it('brackets deeper than QUERYSTRING_MAX_PARSE_DEPTH stay one key', async () => {
    // depth 3: filter[_and][0][title] is parsed; one level more is left as the literal key "[_eq]", no operator.
    const res = await get('/items/qs_items?fields=id&filter[_and][0][title][_eq]=a').expect(400);
    expect(res.body.errors[0].extensions.code).toBe('INVALID_QUERY');
    expect((await get('/items/qs_items?fields=id&filter[_and][0][title]=a').expect(200)).body).toEqual({
      data: [{ id: 1 }],
    });
  });
});
