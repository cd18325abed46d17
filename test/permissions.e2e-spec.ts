import { createHmac } from 'node:crypto';
import { createTestApp, type TestApp } from './support/app';
import {
  admin,
  alias,
  attach,
  collection,
  collectionForbidden,
  FORBIDDEN,
  fieldForbidden,
  forbidden,
  policy,
  PUBLIC_POLICY,
  relation,
  role,
  rows,
  user,
  userWith,
  type Row,
} from './permissions.helpers';

/**
 * Issue 6, access control (spec 6, 8, 14.13/14, 15 "Reads and permissions"): the system endpoints that manage
 * access, how policies combine into effective permissions, and how reads and writes enforce them. Everything is
 * set up through the real API as admin; failed writes are followed by reads of the tables.
 */

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await collection(t, 'docs', [
    { field: 'title', type: 'string' },
    { field: 'score', type: 'integer' },
    { field: 'secret', type: 'string' },
    { field: 'status', type: 'string' },
    { field: 'owner', type: 'uuid', meta: { special: ['user-created'] } },
    { field: 'due', type: 'timestamp' },
  ]);
  await collection(t, 'notes', [
    { field: 'text', type: 'string' },
    { field: 'doc', type: 'integer', meta: { special: ['m2o'] } },
  ]);
  await alias(t, 'docs', 'notes', 'o2m');
  await relation(t, { collection: 'notes', field: 'doc', related_collection: 'docs', meta: { one_field: 'notes' } });
  await collection(t, 'posts', [
    { field: 'title', type: 'string' },
    { field: 'views', type: 'integer' },
    { field: 'status', type: 'string' },
    { field: 'category', type: 'string' },
    { field: 'ref', type: 'string' },
  ]);
  await admin(t, 'post', '/items/docs', [
    { title: 'a', score: 10, secret: 's1', status: 'published', due: '2000-01-01T00:00:00Z' },
    { title: 'b', score: 20, secret: 's2', status: 'draft', due: '2999-01-01T00:00:00Z' },
    { title: 'c', score: 30, secret: 's3', status: 'archived', due: '2000-01-01T00:00:00Z' },
  ]);
  await admin(t, 'post', '/items/notes', [
    { text: 'n1', doc: 1 },
    { text: 'n2', doc: 2 },
    { text: 'n3', doc: 3 },
  ]);
});
afterAll(() => t.close());

const get = (path: string, auth: object = {}) => t.http.get(path).set(auth as Record<string, string>);

describe('system endpoints (spec 6.1)', () => {
  it('POST /roles returns the role with its aliases; nesting is stored in parent', async () => {
    const parent = await admin(t, 'post', '/roles', { name: 'Parent', icon: 'group', description: 'p' });
    expect(parent).toEqual({
      id: expect.any(String),
      name: 'Parent',
      icon: 'group',
      description: 'p',
      parent: null,
      children: [],
      policies: [],
      users: [],
    });
    const child = await admin(t, 'post', '/roles', { name: 'Child', parent: parent.id });
    expect(child).toMatchObject({ name: 'Child', parent: parent.id });
    const again = await admin(t, 'get', `/roles/${parent.id}?fields=id,children`);
    expect(again).toEqual({ id: parent.id, children: [child.id] });
  });

  it('POST /policies with nested permissions; GET /permissions shows the rows; PATCH {permissions} replaces the set', async () => {
    const p = await admin(t, 'post', '/policies?fields=*,permissions.*', {
      name: 'Editors',
      admin_access: false,
      app_access: true,
      permissions: [
        { collection: 'docs', action: 'read', fields: ['id', 'title'], permissions: { status: { _eq: 'published' } } },
        { collection: 'docs', action: 'create', fields: ['*'], validation: { score: { _lte: 100 } } },
      ],
    });
    expect(p).toMatchObject({
      id: expect.any(String),
      name: 'Editors',
      admin_access: false,
      app_access: true,
      enforce_tfa: false,
      ip_access: null,
    });
    expect(p.permissions).toHaveLength(2);
    expect(p.permissions[0]).toEqual({
      id: expect.any(Number),
      policy: p.id,
      collection: 'docs',
      action: 'read',
      fields: ['id', 'title'],
      permissions: { status: { _eq: 'published' } },
      validation: null,
      presets: null,
    });
    const listed = await admin(t, 'get', `/permissions?filter[policy][_eq]=${p.id}&fields=collection,action&sort=id`);
    expect(listed).toEqual([
      { collection: 'docs', action: 'read' },
      { collection: 'docs', action: 'create' },
    ]);

    await admin(t, 'patch', `/policies/${p.id}`, {
      permissions: [{ collection: 'notes', action: 'read', fields: ['*'] }],
    });
    const table = await rows(t, `SELECT collection, action, fields FROM directus_permissions WHERE policy = $1`, [
      p.id,
    ]);
    expect(table).toEqual([{ collection: 'notes', action: 'read', fields: '*' }]);
  });

  it('POST /access attaches a policy to a role or a user; users.policies lists the access rows', async () => {
    const r = await role(t);
    const p = await policy(t, [{ collection: 'docs', action: 'read' }]);
    const access = await admin(t, 'post', '/access', { role: r, policy: p.id });
    expect(access).toEqual({ id: expect.any(String), role: r, user: null, policy: p.id, sort: null });
    const u = await user(t, null);
    await admin(t, 'post', '/access', { user: u.id, policy: p.id });
    const listed = await admin(t, 'get', `/users/${u.id}?fields=policies.policy`);
    expect(listed).toEqual({ policies: [{ policy: p.id }] });
    await get('/items/docs?fields=id&sort=id', u.auth).expect(200);
  });

  it('only admins manage access: non-admin writes to the system routes are 403 and write nothing', async () => {
    const u = await userWith(t, [
      { collection: 'directus_roles', action: 'read' },
      { collection: 'directus_roles', action: 'create' },
      { collection: 'directus_policies', action: 'create' },
    ]);
    const before = await rows(t, 'SELECT count(*)::int AS n FROM directus_roles');
    const attempts: [string, string, object][] = [
      ['post', '/roles', { name: 'x' }],
      ['post', '/policies', { name: 'x', admin_access: true }],
      ['post', '/access', { user: u.id, policy: PUBLIC_POLICY }],
      ['post', '/permissions', { policy: PUBLIC_POLICY, collection: 'docs', action: 'read' }],
      ['post', '/users', { email: 'evil@example.com' }],
      ['delete', `/roles/${u.role}`, {}],
    ];
    for (const [method, path, body] of attempts) {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- supertest's method index
      const res = await (t.http as any)[method](path).set(u.auth).send(body);
      expect({ path, status: res.status, body: res.body }).toEqual({ path, status: 403, body: FORBIDDEN });
    }
    // Updating users follows permissions, as in Directus (a user's own profile; test/directus-users-me.e2e-spec.ts):
    // without an update permission on directus_users it is the collection 403.
    const patch = await t.http.patch(`/users/${u.id}`).set(u.auth).send({ role: null }).expect(403);
    expect(patch.body).toEqual(collectionForbidden('directus_users'));
    expect((await rows(t, 'SELECT role::text AS role FROM directus_users WHERE id = $1', [u.id]))[0]).toEqual({
      role: u.role,
    });
    expect(await rows(t, 'SELECT count(*)::int AS n FROM directus_roles')).toEqual(before);
    // Reads follow permissions: this role may read roles, not policies.
    await get('/roles?fields=id', u.auth).expect(200);
    const denied = await get('/policies', u.auth).expect(403);
    expect(denied.body).toEqual(collectionForbidden('directus_policies'));
  });

  it('anonymous requests get 403 on system writes too', async () => {
    await t.http.post('/roles').send({ name: 'x' }).expect(403);
  });
});

describe('policy resolution (spec 6.2)', () => {
  it('a child role inherits its parent role’s policies', async () => {
    const parent = await role(t);
    const child = await role(t, parent);
    const p = await policy(t, [{ collection: 'docs', action: 'read', fields: ['id', 'title'] }]);
    await attach(t, { role: parent }, p.id);
    const u = await user(t, child);
    const res = await get('/items/docs?sort=id', u.auth).expect(200);
    expect(res.body).toEqual({
      data: [
        { id: 1, title: 'a' },
        { id: 2, title: 'b' },
        { id: 3, title: 'c' },
      ],
    });
  });

  it('policies attached to the user add to the role’s', async () => {
    const u = await userWith(t, [{ collection: 'docs', action: 'read', fields: ['id'] }]);
    await get('/items/notes', u.auth).expect(403);
    const p = await policy(t, [{ collection: 'notes', action: 'read', fields: ['id', 'text'] }]);
    await attach(t, { user: u.id }, p.id);
    const res = await get('/items/notes?sort=id&limit=1', u.auth).expect(200);
    expect(res.body).toEqual({ data: [{ id: 1, text: 'n1' }] });
  });

  it('the Public policy serves anonymous requests and role-less users; removing it takes effect at once', async () => {
    const perm = await admin(t, 'post', '/permissions', {
      policy: PUBLIC_POLICY,
      collection: 'posts',
      action: 'read',
      fields: ['id', 'title'],
      permissions: { status: { _eq: 'public' } },
    });
    await admin(t, 'post', '/items/posts', [
      { title: 'open', status: 'public', views: 1 },
      { title: 'closed', status: 'private', views: 2 },
    ]);
    const anon = await t.http.get('/items/posts').expect(200);
    expect(anon.body).toEqual({ data: [{ id: 1, title: 'open' }] });
    const roleless = await user(t, null);
    const res = await get('/items/posts', roleless.auth).expect(200);
    expect(res.body).toEqual({ data: [{ id: 1, title: 'open' }] });
    // A user with a role does not get Public.
    const withRole = await userWith(t, [{ collection: 'docs', action: 'read' }]);
    await get('/items/posts', withRole.auth).expect(403);

    await admin(t, 'delete', `/permissions/${perm.id}`);
    const gone = await t.http.get('/items/posts').expect(403);
    expect(gone.body).toEqual(collectionForbidden('posts'));
    await admin(t, 'delete', '/items/posts', { query: { filter: { id: { _gte: 1 } } } });
  });

  it('admin_access on any policy bypasses every check; app_access is carried into the JWT', async () => {
    const u = await userWith(t, [{ collection: 'docs', action: 'read', fields: ['id'] }]);
    await get('/items/docs?fields=secret', u.auth).expect(403);
    const p = await policy(t, [], { admin_access: true, app_access: true });
    await attach(t, { user: u.id }, p.id);
    const res = await get('/items/docs?fields=secret&sort=id&limit=1', u.auth).expect(200);
    expect(res.body).toEqual({ data: [{ secret: 's1' }] });
    await t.http.post('/roles').set(u.auth).send({ name: 'made-by-new-admin' }).expect(200);

    const email = `app-${Date.now()}@example.com`;
    const appUser = await user(t, await role(t), { email });
    const appPolicy = await policy(t, [], { app_access: true });
    await attach(t, { user: appUser.id }, appPolicy.id);
    const login = await t.http.post('/auth/login').send({ email, password: 'secret-pw' }).expect(200);
    const payload = JSON.parse(Buffer.from(login.body.data.access_token.split('.')[1], 'base64url').toString());
    expect(payload).toMatchObject({ id: appUser.id, role: appUser.role, app_access: true, admin_access: false });
    await get('/items/docs', { Authorization: `Bearer ${login.body.data.access_token}` }).expect(403);
  });

  it('a JWT’s admin_access claim is not trusted: access is recomputed from the database', async () => {
    const u = await userWith(t, [{ collection: 'docs', action: 'read', fields: ['id'] }]);
    const now = Math.floor(Date.now() / 1000);
    const h = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const b = Buffer.from(
      JSON.stringify({
        id: u.id,
        role: u.role,
        app_access: true,
        admin_access: true,
        iss: 'directus',
        iat: now,
        exp: now + 60,
      }),
    ).toString('base64url');
    const s = createHmac('sha256', 'test-secret-test-secret-test-secret-0123').update(`${h}.${b}`).digest('base64url');
    const auth = { Authorization: `Bearer ${h}.${b}.${s}` };
    await get('/items/docs?fields=secret', auth).expect(403);
    await t.http.post('/roles').set(auth).send({ name: 'nope' }).expect(403);
  });
});

describe('effective permissions (spec 6.3)', () => {
  it('read item filters of several policies are OR-ed; a field only some allow reads null elsewhere', async () => {
    const u = await userWith(
      t,
      [{ collection: 'docs', action: 'read', fields: ['id', 'title'], permissions: { status: { _eq: 'published' } } }],
      [
        {
          collection: 'docs',
          action: 'read',
          fields: ['id', 'title', 'score'],
          permissions: { status: { _eq: 'draft' } },
        },
      ],
    );
    const res = await get('/items/docs?fields=id,title,score&sort=id', u.auth).expect(200);
    expect(res.body).toEqual({
      data: [
        { id: 1, title: 'a', score: null },
        { id: 2, title: 'b', score: 20 },
      ],
    });
    // `*` expands to the union of fields; filtering on the cased field sees the nulled value.
    const star = await get('/items/docs?sort=id', u.auth).expect(200);
    expect(star.body.data).toEqual([
      { id: 1, title: 'a', score: null },
      { id: 2, title: 'b', score: 20 },
    ]);
    const filtered = await get('/items/docs?fields=id&filter[score][_lt]=15', u.auth).expect(200);
    expect(filtered.body).toEqual({ data: [] });
    const agg = await get('/items/docs?aggregate[sum]=score&aggregate[count]=*', u.auth).expect(200);
    expect(agg.body).toEqual({ data: [{ sum: { score: '20' }, count: '2' }] });
    // Sorting sees the nulled value too: ascending puts nulls last (the raw 10 would sort first).
    const sorted = await get('/items/docs?fields=id&sort=score', u.auth).expect(200);
    expect(sorted.body.data.map((r: Row) => r.id)).toEqual([2, 1]);
  });

  it('validation rules are AND-ed across policies: one FAILED_VALIDATION per failing rule; nothing written', async () => {
    const u = await userWith(
      t,
      [{ collection: 'posts', action: 'create', validation: { views: { _lte: 1000 } } }],
      [{ collection: 'posts', action: 'create', validation: { title: { _starts_with: 'T' } } }],
    );
    const res = await t.http.post('/items/posts').set(u.auth).send({ title: 'x', views: 5000 }).expect(400);
    expect(res.body).toEqual({
      errors: [
        {
          message: 'Validation failed for field "views". Value has to be less than or equal to "1000".',
          extensions: { code: 'FAILED_VALIDATION', field: 'views', path: [], type: 'lte', valid: 1000 },
        },
        {
          message: 'Validation failed for field "title". Value has to start with "T".',
          extensions: { code: 'FAILED_VALIDATION', field: 'title', path: [], type: 'starts_with', substring: 'T' },
        },
      ],
    });
    expect(await rows(t, 'SELECT count(*)::int AS n FROM posts')).toEqual([{ n: 0 }]);
    await t.http.post('/items/posts').set(u.auth).send({ title: 'Tx', views: 5 }).expect(204);
  });

  it('presets merge in policy order (later wins) and the payload wins over all', async () => {
    const u = await userWith(
      t,
      [
        { collection: 'posts', action: 'create', presets: { status: 'first', category: 'one', views: 1 } },
        { collection: 'posts', action: 'read' },
      ],
      [{ collection: 'posts', action: 'create', presets: { category: 'two' } }],
    );
    const res = await t.http
      .post('/items/posts?fields=title,views,status,category')
      .set(u.auth)
      .send({ title: 'p', views: 9 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { title: 'p', views: 9, status: 'first', category: 'two' } });
  });

  it('dynamic variables: $CURRENT_USER, $CURRENT_ROLE, $CURRENT_ROLES, $CURRENT_POLICIES, $NOW', async () => {
    const parent = await role(t);
    const r = await role(t, parent);
    const u = await user(t, r);
    await admin(t, 'post', '/items/posts', [
      { title: 'mine', ref: u.id },
      { title: 'role', ref: r },
      { title: 'parent', ref: parent },
      { title: 'other', ref: 'nobody' },
    ]);
    const check = async (filter: Row, expected: string[]) => {
      const p = await policy(t, [{ collection: 'posts', action: 'read', fields: ['title'], permissions: filter }]);
      const access = await admin(t, 'post', '/access', { role: r, policy: p.id });
      const res = await get('/items/posts?sort=id', u.auth).expect(200);
      await admin(t, 'delete', `/access/${access.id}`);
      expect({ filter, titles: res.body.data.map((x: Row) => x.title) }).toEqual({ filter, titles: expected });
      return p.id;
    };
    await check({ ref: { _eq: '$CURRENT_USER' } }, ['mine']);
    await check({ ref: { _eq: '$CURRENT_ROLE' } }, ['role']);
    await check({ ref: { _in: '$CURRENT_ROLES' } }, ['role', 'parent']);
    // $CURRENT_POLICIES: the policy itself is attached while the request runs.
    const p = await policy(t, [
      { collection: 'posts', action: 'read', fields: ['title'], permissions: { ref: { _in: '$CURRENT_POLICIES' } } },
    ]);
    await admin(t, 'post', '/items/posts', { title: 'policy', ref: p.id });
    await attach(t, { role: r }, p.id);
    const res = await get('/items/posts?sort=id', u.auth).expect(200);
    expect(res.body).toEqual({ data: [{ title: 'policy' }] });
    // `*` expands to allowed fields only: the primary key is not among them.
    await admin(t, 'delete', '/items/posts', { query: { filter: { id: { _gte: 1 } } } });

    // `.path` variables are prefetched with a full read of the user / role / policies (relational paths too).
    const email = (await admin(t, 'get', `/users/${u.id}?fields=email`)).email;
    const roleName = (await admin(t, 'get', `/roles/${r}?fields=name`)).name;
    const parentName = (await admin(t, 'get', `/roles/${parent}?fields=name`)).name;
    await admin(t, 'post', '/items/posts', [
      { title: 'by-email', ref: email },
      { title: 'by-role-name', ref: roleName },
      { title: 'by-parent-name', ref: parentName },
    ]);
    await check({ ref: { _eq: '$CURRENT_USER.email' } }, ['by-email']);
    await check({ ref: { _eq: '$CURRENT_USER.role.name' } }, ['by-role-name']);
    await check({ ref: { _eq: '$CURRENT_ROLE.parent.name' } }, ['by-parent-name']);
    await check({ ref: { _in: '$CURRENT_ROLES.name' } }, ['by-role-name', 'by-parent-name']);
    await check({ ref: { _eq: '$CURRENT_USER.no_such_field' } }, []);

    // Presets and validation resolve variables too.
    const p2 = await policy(t, [
      {
        collection: 'posts',
        action: 'create',
        presets: { ref: '$CURRENT_USER' },
        validation: { title: { _neq: '$CURRENT_USER.email' } },
      },
    ]);
    await attach(t, { role: r }, p2.id);
    await t.http.post('/items/posts').set(u.auth).send({ title: 'preset' }).expect(204);
    expect(await rows(t, `SELECT ref FROM posts WHERE title = 'preset'`)).toEqual([{ ref: u.id }]);
    const bad = await t.http.post('/items/posts').set(u.auth).send({ title: email }).expect(400);
    expect(bad.body.errors[0].extensions).toEqual({
      code: 'FAILED_VALIDATION',
      field: 'title',
      path: [],
      type: 'neq',
      invalid: email,
    });
    await admin(t, 'delete', '/items/posts', { query: { filter: { id: { _gte: 1 } } } });

    // $NOW in a docs read filter.
    const nowUser = await userWith(t, [
      { collection: 'docs', action: 'read', fields: ['id'], permissions: { due: { _lte: '$NOW' } } },
    ]);
    const due = await get('/items/docs?sort=id', nowUser.auth).expect(200);
    expect(due.body).toEqual({ data: [{ id: 1 }, { id: 3 }] });
  });
});

describe('cache invalidation', () => {
  it('permission changes take effect on the very next request', async () => {
    const u = await userWith(t, [{ collection: 'notes', action: 'read', fields: ['id'] }]);
    await get('/items/docs', u.auth).expect(403);
    const [p] = (await admin(t, 'get', `/roles/${u.role}?fields=policies.policy`)).policies;
    const perm = await admin(t, 'post', '/permissions', {
      policy: p.policy,
      collection: 'docs',
      action: 'read',
      fields: ['id'],
    });
    await get('/items/docs?limit=1', u.auth).expect(200);
    await admin(t, 'patch', `/permissions/${perm.id}`, { fields: ['id', 'title'] });
    expect((await get('/items/docs?limit=1', u.auth).expect(200)).body).toEqual({ data: [{ id: 1, title: 'a' }] });
    await admin(t, 'patch', `/permissions/${perm.id}`, { permissions: { id: { _eq: 2 } } });
    expect((await get('/items/docs', u.auth).expect(200)).body).toEqual({ data: [{ id: 2, title: 'b' }] });
    // Moving the user to another role, deleting the access row, and suspending the user all apply at once.
    await admin(t, 'delete', `/permissions/${perm.id}`);
    await get('/items/docs', u.auth).expect(403);
    await admin(t, 'patch', `/users/${u.id}`, { role: null });
    await get('/items/notes', u.auth).expect(403);
    await admin(t, 'patch', `/users/${u.id}`, { role: u.role });
    await get('/items/notes', u.auth).expect(200);
    await admin(t, 'patch', `/users/${u.id}`, { status: 'suspended' });
    await get('/items/notes', u.auth).expect(401);
  });
});

describe('reads under permissions (spec 6.3, 15)', () => {
  let reader: Awaited<ReturnType<typeof userWith>>;
  beforeAll(async () => {
    reader = await userWith(t, [
      {
        collection: 'docs',
        action: 'read',
        fields: ['id', 'title', 'score', 'notes'],
        permissions: { status: { _neq: 'archived' } },
      },
      { collection: 'notes', action: 'read', fields: ['*'] },
    ]);
  });

  it('explicitly requested forbidden fields → 403; `*` expands to allowed fields only', async () => {
    expect((await get('/items/docs?fields=id,secret', reader.auth).expect(403)).body).toEqual(
      fieldForbidden('secret', 'docs'),
    );
    expect((await get('/items/docs/1?fields=secret', reader.auth).expect(403)).body).toEqual(
      fieldForbidden('secret', 'docs'),
    );
    const res = await get('/items/docs?sort=id&fields=*', reader.auth).expect(200);
    expect(res.body).toEqual({
      data: [
        { id: 1, title: 'a', score: 10, notes: [1] },
        { id: 2, title: 'b', score: 20, notes: [2] },
      ],
    });
  });

  it('filter, sort, search, aggregate, groupBy, alias and deep on a forbidden field → 403', async () => {
    const cases: [string, object][] = [
      ['/items/docs?filter[secret][_eq]=s1', fieldForbidden('secret', 'docs')],
      ['/items/docs?sort=secret', fieldForbidden('secret', 'docs')],
      ['/items/docs?aggregate[max]=secret', fieldForbidden('secret', 'docs')],
      ['/items/docs?aggregate[count]=id&groupBy[]=status', fieldForbidden('status', 'docs')],
      ['/items/docs?alias[x]=secret&fields=x', fieldForbidden('secret', 'docs')],
      ['/items/notes?fields=doc.secret', fieldForbidden('secret', 'docs', '"doc"')],
      ['/items/notes?filter[doc][secret][_eq]=s1', fieldForbidden('secret', 'docs', '"doc"')],
      [
        '/items/docs?fields=notes.*&deep[notes][_filter][doc][secret][_eq]=s1',
        fieldForbidden('secret', 'docs', '"notes.doc"'),
      ],
    ];
    for (const [path, body] of cases) {
      const res = await get(path, reader.auth);
      expect({ path, status: res.status, body: res.body }).toEqual({ path, status: 403, body });
    }
    // search only looks at readable fields: "s1" is in secret, which the role can't read.
    const search = await get('/items/docs?search=s1&fields=id', reader.auth).expect(200);
    expect(search.body).toEqual({ data: [] });
  });

  it('meta counts respect the item filter', async () => {
    const res = await get('/items/docs?meta=*&fields=id&limit=1', reader.auth).expect(200);
    expect(res.body).toEqual({ data: [{ id: 1 }], meta: { total_count: 2, filter_count: 2 } });
  });

  it('a hidden related row behaves as absent in filters, sorts, counts and expansions', async () => {
    // notes has no item filter; doc 3 is hidden through docs' filter.
    const filtered = await get('/items/notes?fields=id&filter[doc][score][_gte]=0&sort=id', reader.auth).expect(200);
    expect(filtered.body).toEqual({ data: [{ id: 1 }, { id: 2 }] });
    const expanded = await get('/items/notes?fields=id,doc.title&sort=id', reader.auth).expect(200);
    expect(expanded.body).toEqual({
      data: [
        { id: 1, doc: { title: 'a' } },
        { id: 2, doc: { title: 'b' } },
        { id: 3, doc: null },
      ],
    });
    // The raw FK is still the stored value.
    const raw = await get('/items/notes/3?fields=doc', reader.auth).expect(200);
    expect(raw.body).toEqual({ data: { doc: 3 } });
    // The hidden doc sorts as null: first when descending, last when ascending.
    const desc = await get('/items/notes?fields=id&sort=-doc.score', reader.auth).expect(200);
    expect(desc.body.data.map((r: Row) => r.id)).toEqual([3, 2, 1]);
    const asc = await get('/items/notes?fields=id&sort=doc.score', reader.auth).expect(200);
    expect(asc.body.data.map((r: Row) => r.id)).toEqual([1, 2, 3]);
    // Absent means "as if the FK were null": _null matches it whatever the hidden row holds.
    const isNull = await get('/items/notes?fields=id&filter[doc][score][_null]=true', reader.auth).expect(200);
    expect(isNull.body).toEqual({ data: [{ id: 3 }] });
    const agg = await get('/items/notes?aggregate[count]=id&filter[doc][title][_nnull]=true', reader.auth).expect(200);
    expect(agg.body).toEqual({ data: [{ count: { id: '2' } }] });
  });

  it('Directus’s leak scenario: /items/notes?filter[doc][score][_gt]=x cannot binary-search a hidden doc’s score', async () => {
    // doc 3 (score 30) is hidden; notes has no item filter. With the leak, note 3 would appear for x < 30.
    for (const x of [-1, 0, 15, 25, 29, 30, 31, 100]) {
      const res = await get(`/items/notes?fields=id&sort=id&filter[doc][score][_gt]=${x}`, reader.auth).expect(200);
      const expected = [1, 2].filter((id) => id * 10 > x).map((id) => ({ id }));
      expect({ x, body: res.body }).toEqual({ x, body: { data: expected } });
    }
    const count = await get('/items/notes?aggregate[count]=*&filter[doc][score][_gte]=30', reader.auth).expect(200);
    expect(count.body).toEqual({ data: [{ count: '0' }] });
    const o2m = await get('/items/docs?fields=id&filter[notes][_some][doc][score][_eq]=30', reader.auth).expect(200);
    expect(o2m.body).toEqual({ data: [] });
  });

  it('relations into unreadable collections are dropped from `*.*` and explicit selections', async () => {
    const u = await userWith(t, [{ collection: 'notes', action: 'read', fields: ['*'] }]);
    // `*.*` asks for the M2O nested (Directus's convertWildcards finds relations in the whole schema) and the nest
    // into an unreadable collection is skipped (parseFields): the field is absent, raw key included.
    const star = await get('/items/notes/1?fields=*.*', u.auth).expect(200);
    expect(star.body).toEqual({ data: { id: 1, text: 'n1' } });
    // Asked for as a plain field too, the raw key stays (Directus keeps the plain field node).
    const both = await get('/items/notes/1?fields=*,doc.*', u.auth).expect(200);
    expect(both.body).toEqual({ data: { id: 1, text: 'n1', doc: 1 } });
    expect((await get('/items/notes/1?fields=doc', u.auth).expect(200)).body).toEqual({ data: { doc: 1 } });
    // Explicitly asking for the relation drops it too (no 403); a filter through it is still 403.
    const explicit = await get('/items/notes/1?fields=id,doc.title', u.auth).expect(200);
    expect(explicit.body).toEqual({ data: { id: 1 } });
    // A filter or sort through it is 403 for the unreadable collection (spec 6.3).
    for (const path of ['/items/notes?filter[doc][title][_eq]=a', '/items/notes?sort=doc.title']) {
      const res = await get(path, u.auth).expect(403);
      expect(res.body.errors[0].message).toBe(
        `You don't have permission to access collection "docs" or it does not exist. Queried in "doc".`,
      );
    }
  });

  it('SEARCH with keys leaves out unreadable keys; GET of one is 403', async () => {
    const res = await t.http
      .search('/items/docs')
      .set(reader.auth)
      .send({ keys: [3, 2, 1], query: { fields: ['id'] } })
      .expect(200);
    expect(res.body).toEqual({ data: [{ id: 1 }, { id: 2 }] });
    expect((await get('/items/docs/3', reader.auth).expect(403)).body).toEqual(FORBIDDEN);
  });
});

describe('writes under permissions (spec 6.3, 15)', () => {
  beforeEach(async () => {
    await t.db.client.query('TRUNCATE posts RESTART IDENTITY');
    await admin(t, 'post', '/items/posts', [
      { title: 'p1', status: 'draft', views: 1 },
      { title: 'p2', status: 'published', views: 2 },
      { title: 'p3', status: 'draft', views: 3 },
    ]);
  });
  const posts = () => rows(t, 'SELECT id, title, status, views FROM posts ORDER BY id');
  const seeded = [
    { id: 1, title: 'p1', status: 'draft', views: 1 },
    { id: 2, title: 'p2', status: 'published', views: 2 },
    { id: 3, title: 'p3', status: 'draft', views: 3 },
  ];

  it('create: a payload field outside the allow-list → 403 field message; a batch with one bad row writes nothing', async () => {
    const u = await userWith(t, [{ collection: 'posts', action: 'create', fields: ['title', 'views'] }]);
    const res = await t.http
      .post('/items/posts')
      .set(u.auth)
      .send([{ title: 'ok' }, { title: 'bad', status: 'x' }])
      .expect(403);
    expect(res.body).toEqual(fieldForbidden('status', 'posts'));
    expect(await posts()).toEqual(seeded);
    // Allowed to create but not to read → 204.
    const ok = await t.http.post('/items/posts').set(u.auth).send({ title: 'ok' });
    expect(ok.status).toBe(204);
    expect(ok.text).toBe('');
  });

  it('create without create permission → collection 403', async () => {
    const u = await userWith(t, [{ collection: 'posts', action: 'read' }]);
    const res = await t.http.post('/items/posts').set(u.auth).send({ title: 'x' }).expect(403);
    expect(res.body).toEqual(collectionForbidden('posts'));
    expect(await posts()).toEqual(seeded);
  });

  it('update outside the update item filter → 403 with the "permissions" message; nothing written', async () => {
    const u = await userWith(t, [
      { collection: 'posts', action: 'update', fields: ['title'], permissions: { status: { _eq: 'draft' } } },
    ]);
    const res = await t.http
      .patch('/items/posts')
      .set(u.auth)
      .send({ keys: [1, 2], data: { title: 'x' } })
      .expect(403);
    expect(res.body).toEqual(
      forbidden(
        `You don't have permissions to perform "update" for the field(s) "title" in collection "posts" or it does not exist.`,
      ),
    );
    const batch = await t.http
      .patch('/items/posts')
      .set(u.auth)
      .send([
        { id: 1, title: 'x' },
        { id: 2, title: 'y' },
      ]);
    expect(batch.status).toBe(403);
    const field = await t.http.patch('/items/posts/1').set(u.auth).send({ views: 100 }).expect(403);
    expect(field.body).toEqual(fieldForbidden('views', 'posts'));
    expect(await posts()).toEqual(seeded);
    await t.http.patch('/items/posts/1').set(u.auth).send({ title: 'ok' }).expect(204);
  });

  it('update and delete by query only touch rows the role may change', async () => {
    const u = await userWith(t, [
      { collection: 'posts', action: 'read' },
      { collection: 'posts', action: 'update', fields: ['title'], permissions: { status: { _eq: 'draft' } } },
      { collection: 'posts', action: 'delete', permissions: { views: { _gte: 3 } } },
    ]);
    const res = await t.http
      .patch('/items/posts?fields=id,title')
      .set(u.auth)
      .send({ query: { filter: { id: { _gte: 1 } } }, data: { title: 'z' } })
      .expect(200);
    expect(res.body).toEqual({
      data: [
        { id: 1, title: 'z' },
        { id: 3, title: 'z' },
      ],
    });
    await t.http
      .delete('/items/posts')
      .set(u.auth)
      .send({ query: { filter: { id: { _gte: 1 } } } })
      .expect(204);
    expect(await posts()).toEqual([
      { id: 1, title: 'z', status: 'draft', views: 1 },
      { id: 2, title: 'p2', status: 'published', views: 2 },
    ]);
    const one = await t.http.delete('/items/posts/2').set(u.auth).expect(403);
    expect(one.body).toEqual(
      forbidden(
        `You don't have permissions to perform "delete" for the field(s) "id" in collection "posts" or it does not exist.`,
      ),
    );
  });

  it('update and delete by query check the action and field permissions first: 403 even when no row matches', async () => {
    const none = { filter: { id: { _eq: 999 } } };
    const reader = await userWith(t, [{ collection: 'posts', action: 'read' }]);
    const noUpdate = await t.http
      .patch('/items/posts')
      .set(reader.auth)
      .send({ query: none, data: { title: 'x' } })
      .expect(403);
    expect(noUpdate.body).toEqual(collectionForbidden('posts'));
    const noDelete = await t.http.delete('/items/posts').set(reader.auth).send({ query: none }).expect(403);
    expect(noDelete.body).toEqual(collectionForbidden('posts'));
    const editor = await userWith(t, [
      { collection: 'posts', action: 'read' },
      { collection: 'posts', action: 'update', fields: ['title'] },
      { collection: 'posts', action: 'delete' },
    ]);
    const field = await t.http
      .patch('/items/posts')
      .set(editor.auth)
      .send({ query: none, data: { views: 1 } })
      .expect(403);
    expect(field.body).toEqual(fieldForbidden('views', 'posts'));
    // Allowed, and nothing matches: an empty list, a 204.
    expect(
      (
        await t.http
          .patch('/items/posts')
          .set(editor.auth)
          .send({ query: none, data: { title: 'x' } })
          .expect(200)
      ).body,
    ).toEqual({ data: [] });
    const deleted = await t.http.delete('/items/posts').set(editor.auth).send({ query: none });
    expect(deleted.status).toBe(204);
    expect(await posts()).toEqual(seeded);
  });

  it('delete without delete permission → collection 403 even when the role can read', async () => {
    const u = await userWith(t, [{ collection: 'posts', action: 'read' }]);
    const res = await t.http.delete('/items/posts/1').set(u.auth).expect(403);
    expect(res.body).toEqual(collectionForbidden('posts'));
    expect(await posts()).toEqual(seeded);
  });

  it('update validation and presets: validation applies to the submitted payload; presets only on create', async () => {
    const u = await userWith(t, [
      { collection: 'posts', action: 'update', validation: { views: { _lte: 10 } }, presets: { status: 'preset' } },
    ]);
    const res = await t.http.patch('/items/posts/1').set(u.auth).send({ views: 11 }).expect(400);
    expect(res.body.errors).toEqual([
      {
        message: 'Validation failed for field "views". Value has to be less than or equal to "10".',
        extensions: { code: 'FAILED_VALIDATION', field: 'views', path: [], type: 'lte', valid: 10 },
      },
    ]);
    await t.http.patch('/items/posts/1').set(u.auth).send({ title: 'only-title' }).expect(204);
    expect((await posts())[0]).toEqual({ id: 1, title: 'only-title', status: 'draft', views: 1 });
  });

  it('nested writes are checked at every level: O2M children need their own create/update permission', async () => {
    const u = await userWith(t, [
      { collection: 'docs', action: 'create', fields: ['title', 'notes'] },
      { collection: 'docs', action: 'update', fields: ['title', 'notes'] },
    ]);
    const before = await rows(t, 'SELECT count(*)::int AS n FROM docs');
    const res = await t.http
      .post('/items/docs')
      .set(u.auth)
      .send({ title: 'nested', notes: [{ text: 'x' }] })
      .expect(403);
    expect(res.body).toEqual(collectionForbidden('notes'));
    expect(await rows(t, 'SELECT count(*)::int AS n FROM docs')).toEqual(before);
    // Attaching an existing note means updating its FK: forbidden without update on notes.
    const attach = await t.http
      .patch('/items/docs/1')
      .set(u.auth)
      .send({ notes: [1, 2] })
      .expect(403);
    expect(attach.body).toEqual(collectionForbidden('notes'));
    expect(await rows(t, 'SELECT id, doc FROM notes ORDER BY id')).toEqual([
      { id: 1, doc: 1 },
      { id: 2, doc: 2 },
      { id: 3, doc: 3 },
    ]);
  });
});
