import { admin, attach, user, type Row, type TestUser } from './permissions.helpers';
import { createTestApp, type TestApp } from './support/app';

/**
 * Issue #16, part 2: every system route (/users, /users/me, /roles, /roles/me, /policies, /access, /permissions)
 * honours `fields` (relational paths included), `filter`, `sort`, `limit`, `offset`, `meta`, `deep`, `aggregate`, SEARCH
 * like /items, with the caller's read permissions; each answer is compared whole. As Directus's permissions
 * controller, /permissions reads every row whatever `limit` says.
 */
describe('system routes: the query parameters of /items', () => {
  let t: TestApp;
  let ann: TestUser;
  let bob: TestUser;
  let alpha: string;
  let beta: string;
  let onePolicy: string;
  let twoPolicy: string;

  const get = (url: string, auth: object = t.admin) => t.http.get(url).set(auth as Record<string, string>);
  const count = async (table: string) =>
    Number((await t.db.client.query(`SELECT count(*)::int AS n FROM "${table}"`)).rows[0].n);
  const meta = async (table: string, filterCount: number) => ({
    total_count: await count(table),
    filter_count: filterCount,
  });

  beforeAll(async () => {
    t = await createTestApp();
    await admin(t, 'post', '/collections', {
      collection: 'sq_items',
      schema: {},
      fields: [{ field: 'name', type: 'string' }],
    });
    alpha = (await admin(t, 'post', '/roles', { name: 'sr-alpha', description: 'first' })).id;
    beta = (await admin(t, 'post', '/roles', { name: 'sr-beta', description: 'second' })).id;
    await admin(t, 'post', '/roles', { name: 'sr-gamma', description: 'child', parent: alpha });
    onePolicy = (
      await admin(t, 'post', '/policies', {
        name: 'sp-one',
        app_access: false,
        admin_access: false,
        permissions: [
          { collection: 'sq_items', action: 'read', fields: ['id', 'name'] },
          { collection: 'sq_items', action: 'create', fields: ['name'] },
          {
            collection: 'directus_users',
            action: 'read',
            fields: ['id', 'email', 'first_name', 'role'],
            permissions: { role: { _eq: '$CURRENT_ROLE' } },
          },
          { collection: 'directus_roles', action: 'read', fields: ['id', 'name'] },
        ],
      })
    ).id;
    twoPolicy = (
      await admin(t, 'post', '/policies', {
        name: 'sp-two',
        app_access: true,
        admin_access: false,
        enforce_tfa: true,
        permissions: [{ collection: 'sq_items', action: 'update', fields: ['*'], permissions: { id: { _gt: 1 } } }],
      })
    ).id;
    await attach(t, { role: alpha }, onePolicy);
    await attach(t, { role: beta }, twoPolicy);
    ann = await user(t, alpha, { email: 'sq-ann@example.com', first_name: 'Ann' });
    bob = await user(t, beta, { email: 'sq-bob@example.com', first_name: 'Bob' });
    await user(t, beta, { email: 'sq-cid@example.com', first_name: 'Cid' });
  });
  afterAll(() => t.close());

  describe('/users', () => {
    it('fields with a relational path, filter, sort, limit, offset, meta', async () => {
      const q = 'fields=email,first_name,role.name&filter[email][_starts_with]=sq-&sort=-first_name&meta=*';
      expect((await get(`/users?${q}&limit=2`).expect(200)).body).toEqual({
        data: [
          { email: 'sq-cid@example.com', first_name: 'Cid', role: { name: 'sr-beta' } },
          { email: 'sq-bob@example.com', first_name: 'Bob', role: { name: 'sr-beta' } },
        ],
        meta: await meta('directus_users', 3),
      });
      expect((await get(`/users?${q}&limit=1&offset=2`).expect(200)).body).toEqual({
        data: [{ email: 'sq-ann@example.com', first_name: 'Ann', role: { name: 'sr-alpha' } }],
        meta: await meta('directus_users', 3),
      });
    });

    it('aggregate and groupBy; SEARCH with a body query', async () => {
      expect(
        (await get('/users?aggregate[count]=*&groupBy=role&filter[email][_starts_with]=sq-&sort=role').expect(200))
          .body,
      ).toEqual({
        data: expect.arrayContaining([
          { role: alpha, count: '1' },
          { role: beta, count: '2' },
        ]),
      });
      const res = await t.http
        .search('/users')
        .set(t.admin)
        .send({
          query: { fields: ['first_name'], filter: { first_name: { _in: ['Ann', 'Bob'] } }, sort: ['first_name'] },
        })
        .expect(200);
      expect(res.body).toEqual({ data: [{ first_name: 'Ann' }, { first_name: 'Bob' }] });
    });

    it("a non-admin reads within its rules: its role's users, its fields; counts cover what it may read", async () => {
      expect((await get('/users?fields=email,first_name&meta=*', ann.auth).expect(200)).body).toEqual({
        data: [{ email: 'sq-ann@example.com', first_name: 'Ann' }],
        meta: { total_count: 1, filter_count: 1 },
      });
      expect((await get('/users?fields=last_name', ann.auth).expect(403)).body).toEqual(
        forbiddenField('last_name', 'directus_users'),
      );
    });

    it('bad parameters: 400 INVALID_QUERY; an unknown field: 403', async () => {
      expect((await get('/users?limit=abc').expect(400)).body).toEqual(invalidQuery('"limit" must be a number'));
      expect((await get('/users?fields=nope').expect(403)).body).toEqual(forbiddenField('nope', 'directus_users'));
    });
  });

  describe('/users/me', () => {
    it('fields (relational too) and filter apply to the one row', async () => {
      expect((await get('/users/me?fields=email,role.name', ann.auth).expect(200)).body).toEqual({
        data: { email: 'sq-ann@example.com', role: { name: 'sr-alpha' } },
      });
      // role.description is outside its read fields on directus_roles: the read is forbidden, the id answers alone.
      expect((await get('/users/me?fields=email,role.description', ann.auth).expect(200)).body).toEqual({
        data: { id: ann.id },
      });
      expect((await get('/users/me?fields=first_name&filter[first_name][_eq]=Ann', ann.auth).expect(200)).body).toEqual(
        { data: { first_name: 'Ann' } },
      );
      // A filter the row does not match: Directus's readOne is then forbidden, and /users/me answers the id alone.
      expect((await get('/users/me?fields=first_name&filter[first_name][_eq]=Zed', ann.auth).expect(200)).body).toEqual(
        { data: { id: ann.id } },
      );
    });
  });

  describe('/roles and /roles/me', () => {
    it('fields with relational paths both ways, filter, sort, limit, meta', async () => {
      const q =
        'fields=name,description,parent.name,users.email&filter[name][_starts_with]=sr-&sort=-name&meta=*' +
        '&deep[users][_sort]=-email';
      expect((await get(`/roles?${q}&limit=2`).expect(200)).body).toEqual({
        data: [
          { name: 'sr-gamma', description: 'child', parent: { name: 'sr-alpha' }, users: [] },
          {
            name: 'sr-beta',
            description: 'second',
            parent: null,
            users: [{ email: 'sq-cid@example.com' }, { email: 'sq-bob@example.com' }],
          },
        ],
        meta: await meta('directus_roles', 3),
      });
      expect((await get('/roles?aggregate[count]=*&filter[name][_starts_with]=sr-').expect(200)).body).toEqual({
        data: [{ count: '3' }],
      });
    });

    it("/roles/me: the caller's roles with the query, or their ids when it may not read them", async () => {
      expect((await get('/roles/me?fields=name', ann.auth).expect(200)).body).toEqual({ data: [{ name: 'sr-alpha' }] });
      // bob's policy grants app access, whose minimal permissions read the caller's own roles ($CURRENT_ROLES).
      expect((await get('/roles/me?fields=name', bob.auth).expect(200)).body).toEqual({ data: [{ name: 'sr-beta' }] });
      // A role with no policy at all: its id only.
      const bare = (await admin(t, 'post', '/roles', { name: 'sr-bare' })).id;
      const dan = await user(t, bare, { email: 'sq-dan@example.com' });
      expect((await get('/roles/me?fields=name', dan.auth).expect(200)).body).toEqual({ data: [{ id: bare }] });
      await admin(t, 'delete', `/users/${dan.id}`);
      await admin(t, 'delete', `/roles/${bare}`);
      expect((await get('/roles/me?fields=name,description').expect(200)).body).toEqual({
        data: [{ name: 'Administrator', description: expect.anything() }],
      });
      expect((await t.http.get('/roles/me').expect(403)).body).toEqual(FORBIDDEN);
    });
  });

  describe('/policies and /policies/me/globals', () => {
    it('fields with the o2m permissions, filter, sort, limit, meta', async () => {
      const q =
        'fields=name,app_access,enforce_tfa,permissions.collection,permissions.action' +
        '&filter[name][_starts_with]=sp-&sort=name&meta=*';
      expect((await get(`/policies?${q}&limit=1`).expect(200)).body).toEqual({
        data: [
          {
            name: 'sp-one',
            app_access: false,
            enforce_tfa: false,
            permissions: [
              { collection: 'sq_items', action: 'read' },
              { collection: 'sq_items', action: 'create' },
              { collection: 'directus_users', action: 'read' },
              { collection: 'directus_roles', action: 'read' },
            ],
          },
        ],
        meta: await meta('directus_policies', 2),
      });
      expect((await get(`/policies?${q}&limit=1&offset=1`).expect(200)).body.data).toEqual([
        {
          name: 'sp-two',
          app_access: true,
          enforce_tfa: true,
          permissions: [{ collection: 'sq_items', action: 'update' }],
        },
      ]);
    });

    it("/policies/me/globals: the caller's app, admin and 2FA flags", async () => {
      expect((await get('/policies/me/globals', ann.auth).expect(200)).body).toEqual({
        data: { app_access: false, admin_access: false, enforce_tfa: false },
      });
      expect((await get('/policies/me/globals', bob.auth).expect(200)).body).toEqual({
        data: { app_access: true, admin_access: false, enforce_tfa: true },
      });
      expect((await get('/policies/me/globals').expect(200)).body).toEqual({
        data: { app_access: true, admin_access: true, enforce_tfa: false },
      });
      expect((await t.http.get('/policies/me/globals').expect(200)).body).toEqual({ data: { app_access: false } });
    });
  });

  describe('/access', () => {
    it('fields through both M2Os, filter on a relational path, sort by one, limit, meta', async () => {
      const q = 'fields=role.name,policy.name&filter[policy][name][_starts_with]=sp-&sort=-role.name&meta=*';
      expect((await get(`/access?${q}&limit=1`).expect(200)).body).toEqual({
        data: [{ role: { name: 'sr-beta' }, policy: { name: 'sp-two' } }],
        meta: await meta('directus_access', 2),
      });
      expect((await get(`/access?${q}`).expect(200)).body.data).toEqual([
        { role: { name: 'sr-beta' }, policy: { name: 'sp-two' } },
        { role: { name: 'sr-alpha' }, policy: { name: 'sp-one' } },
      ]);
    });
  });

  describe('/permissions', () => {
    it('fields, filter through the policy, sort, meta; every row whatever the limit, as Directus', async () => {
      const q = `fields=collection,action,fields,permissions,policy.name&filter[policy][name][_eq]=sp-one&sort=-action,collection&meta=*`;
      const all = {
        data: [
          {
            collection: 'directus_roles',
            action: 'read',
            fields: ['id', 'name'],
            permissions: null,
            policy: { name: 'sp-one' },
          },
          {
            collection: 'directus_users',
            action: 'read',
            fields: ['id', 'email', 'first_name', 'role'],
            permissions: { role: { _eq: '$CURRENT_ROLE' } },
            policy: { name: 'sp-one' },
          },
          {
            collection: 'sq_items',
            action: 'read',
            fields: ['id', 'name'],
            permissions: null,
            policy: { name: 'sp-one' },
          },
          { collection: 'sq_items', action: 'create', fields: ['name'], permissions: null, policy: { name: 'sp-one' } },
        ],
        meta: await meta('directus_permissions', 4),
      };
      expect((await get(`/permissions?${q}`).expect(200)).body).toEqual(all);
      expect((await get(`/permissions?${q}&limit=1`).expect(200)).body).toEqual(all);
      const searched = await t.http
        .search('/permissions?limit=1')
        .set(t.admin)
        .send({ query: { fields: ['action'], filter: { policy: { _eq: twoPolicy } }, limit: 1 } })
        .expect(200);
      expect(searched.body).toEqual({ data: [{ action: 'update' }] });
      expect((await get('/permissions?limit=-2').expect(400)).body).toEqual(
        invalidQuery('"limit" must be greater than or equal to -1'),
      );
      expect(onePolicy).toEqual(expect.any(String));
    });
  });
});

const FORBIDDEN = {
  errors: [{ message: "You don't have permission to access this.", extensions: { code: 'FORBIDDEN' } }],
};

function forbiddenField(field: string, collection: string) {
  const reason = `You don't have permission to access field "${field}" in collection "${collection}" or it does not exist. Queried in root.`;
  return { errors: [{ message: reason, extensions: { code: 'FORBIDDEN', reason } }] };
}

function invalidQuery(reason: string): Row {
  return { errors: [{ message: `Invalid query. ${reason}.`, extensions: { code: 'INVALID_QUERY', reason } }] };
}
