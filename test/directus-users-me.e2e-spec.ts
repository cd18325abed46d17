import {
  admin,
  attach,
  FORBIDDEN,
  fieldForbidden,
  collectionForbidden,
  policy,
  role,
  rows,
  user,
  type PermissionSpec,
  type Row,
  type TestUser,
} from './permissions.helpers';
import { createTestApp, type TestApp } from './support/app';

/**
 * Issue #16 part 2: PATCH /users/me (and /users/me/track/page) as Directus's users controller has them, and
 * Directus's minimal app permissions (`@directus/system-data` app-access-permissions, added for every caller whose
 * policies grant app access: its own user, its roles, its activity, the schema metadata; see
 * src/modules/permissions/app-minimal-permissions.ts). Whole bodies throughout.
 */
describe('PATCH /users/me and the minimal app permissions', () => {
  let t: TestApp;
  const INVALID_CREDENTIALS = {
    errors: [{ message: 'Invalid user credentials.', extensions: { code: 'INVALID_CREDENTIALS' } }],
  };
  const invalidPayload = (reason: string) => ({
    errors: [{ message: `Invalid payload. ${reason}.`, extensions: { code: 'INVALID_PAYLOAD', reason } }],
  });

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  /** A role with one policy (`app` access or not) holding `permissions`, and one user in it. */
  async function member(permissions: PermissionSpec[], app: boolean, over: Row = {}): Promise<TestUser> {
    const r = await role(t);
    const p = await policy(t, permissions, { app_access: app });
    await attach(t, { role: r }, p.id);
    return user(t, r, over);
  }

  const dbUser = async (id: string) =>
    (
      await rows(
        t,
        'SELECT first_name, last_name, title, last_page, role::text AS role FROM directus_users WHERE id = $1',
        [id],
      )
    )[0];

  /** What the minimal `directus_users` read row shows of a user: its fields that directus_users has, in table order. */
  const ownRow = (u: TestUser, email: string, over: Row = {}) => ({
    id: u.id,
    first_name: null,
    last_name: null,
    email,
    password: '**********',
    location: null,
    title: null,
    description: null,
    tags: null,
    avatar: null,
    language: null,
    tfa_secret: null,
    status: 'active',
    role: u.role,
    last_page: null,
    provider: 'default',
    appearance: null,
    theme_dark: null,
    theme_light: null,
    ...over,
  });

  describe('PATCH /users/me', () => {
    it('an admin updates its own record and gets it back with the query', async () => {
      const me = (await t.http.get('/users/me?fields=id').set(t.admin).expect(200)).body.data.id as string;
      const res = await t.http
        .patch('/users/me?fields=id,first_name,title,role.name')
        .set(t.admin)
        .send({ first_name: 'Grace', title: 'Admiral' })
        .expect(200);
      expect(res.body).toEqual({
        data: { id: me, first_name: 'Grace', title: 'Admiral', role: { name: 'Administrator' } },
      });
      expect(await dbUser(me)).toMatchObject({ first_name: 'Grace', title: 'Admiral' });
    });

    it('without a user → 401 INVALID_CREDENTIALS; a bad body → 400', async () => {
      expect((await t.http.patch('/users/me').send({ first_name: 'x' }).expect(401)).body).toEqual(INVALID_CREDENTIALS);
      expect(
        (
          await t.http
            .patch('/users/me')
            .set(t.admin)
            .send([{ first_name: 'x' }])
            .expect(400)
        ).body,
      ).toEqual(invalidPayload('"value" must be of type object'));
    });

    it('a non-admin without an update permission on directus_users → the collection 403; nothing written', async () => {
      const u = await member([], true, { first_name: 'Ada' });
      const res = await t.http.patch('/users/me').set(u.auth).send({ first_name: 'Eve' }).expect(403);
      expect(res.body).toEqual(collectionForbidden('directus_users'));
      expect(await dbUser(u.id)).toMatchObject({ first_name: 'Ada' });
    });

    describe('a non-admin with an own-profile update permission', () => {
      const ownProfile: PermissionSpec = {
        collection: 'directus_users',
        action: 'update',
        fields: ['first_name', 'last_name', 'title', 'password'],
        permissions: { id: { _eq: '$CURRENT_USER' } },
        validation: { title: { _nempty: true } },
      };
      let u: TestUser;
      let email: string;
      let other: TestUser;

      beforeAll(async () => {
        email = `ada-${Date.now()}@example.com`;
        u = await member([ownProfile], true, { first_name: 'Ada', email });
        other = await member([], false, { first_name: 'Other' });
      });

      it('updates the allowed fields and reads back what the app permissions let it read', async () => {
        const res = await t.http
          .patch('/users/me')
          .set(u.auth)
          .send({ first_name: 'Ada', last_name: 'Lovelace', title: 'Countess' })
          .expect(200);
        expect(res.body).toEqual({
          data: ownRow(u, email, { first_name: 'Ada', last_name: 'Lovelace', title: 'Countess' }),
        });
        const fields = await t.http.patch('/users/me?fields=first_name,title').set(u.auth).send({ title: 'Dr' });
        expect(fields.status).toBe(200);
        expect(fields.body).toEqual({ data: { first_name: 'Ada', title: 'Dr' } });
        expect(await dbUser(u.id)).toEqual({
          first_name: 'Ada',
          last_name: 'Lovelace',
          title: 'Dr',
          last_page: null,
          role: u.role,
        });
      });

      it('a field outside the allowed ones (its role, say) → the field 403; nothing written', async () => {
        const admins = (await rows(t, `SELECT id::text AS id FROM directus_roles WHERE name = 'Administrator'`))[0].id;
        const res = await t.http.patch('/users/me').set(u.auth).send({ title: 'X', role: admins }).expect(403);
        expect(res.body).toEqual(fieldForbidden('role', 'directus_users'));
        expect(await dbUser(u.id)).toMatchObject({ title: 'Dr', role: u.role });
      });

      it('the validation rule holds (400 FAILED_VALIDATION)', async () => {
        const res = await t.http.patch('/users/me').set(u.auth).send({ title: '' }).expect(400);
        expect(res.body).toEqual({
          errors: [
            {
              message: 'Validation failed for field "title". Value can\'t be empty.',
              extensions: { field: 'title', path: [], type: 'nempty', code: 'FAILED_VALIDATION' },
            },
          ],
        });
        expect(await dbUser(u.id)).toMatchObject({ title: 'Dr' });
      });

      it('tfa_secret is never set this way; provider and external_identifier are for admins (400, Directus reasons)', async () => {
        for (const [body, field] of [
          [{ tfa_secret: 'ABC' }, 'tfa_secret'],
          [{ provider: 'ldap' }, 'provider'],
          [{ external_identifier: 'x' }, 'external_identifier'],
        ] as const) {
          const res = await t.http.patch('/users/me').set(u.auth).send(body).expect(400);
          expect(res.body).toEqual(invalidPayload(`You can't change the "${field}" value manually`));
        }
        // An admin can't set tfa_secret either (PATCH /users/:id too, whatever the transport).
        const res = await t.http.patch(`/users/${u.id}`).set(t.admin).send({ tfa_secret: 'ABC' }).expect(400);
        expect(res.body).toEqual(invalidPayload(`You can't change the "tfa_secret" value manually`));
        expect((await rows(t, 'SELECT tfa_secret, provider FROM directus_users WHERE id = $1', [u.id]))[0]).toEqual({
          tfa_secret: null,
          provider: 'default',
        });
      });

      it('a new password is stored as argon2id and logs in', async () => {
        await t.http.patch('/users/me?fields=id').set(u.auth).send({ password: 'new-secret-1' }).expect(200);
        const [{ password }] = await rows(t, 'SELECT password FROM directus_users WHERE id = $1', [u.id]);
        expect(password).toMatch(/^\$argon2id\$v=19\$m=65536,t=3,p=4\$/);
        const login = await t.http.post('/auth/login').send({ email, password: 'new-secret-1' });
        expect(login.status).toBe(200);
      });

      it('another user’s record is outside the item filter: PATCH /users/:id → 403 "permissions" message', async () => {
        const res = await t.http.patch(`/users/${other.id}`).set(u.auth).send({ first_name: 'Hacked' }).expect(403);
        expect(res.body).toEqual({
          errors: [
            {
              message: `You don't have permissions to perform "update" for the field(s) "first_name" in collection "directus_users" or it does not exist.`,
              extensions: {
                code: 'FORBIDDEN',
                reason: `You don't have permissions to perform "update" for the field(s) "first_name" in collection "directus_users" or it does not exist.`,
              },
            },
          ],
        });
        expect(await dbUser(other.id)).toMatchObject({ first_name: 'Other' });
        // Its own record by id is the same update as /users/me.
        const own = await t.http.patch(`/users/${u.id}?fields=first_name`).set(u.auth).send({ first_name: 'Augusta' });
        expect(own.status).toBe(200);
        expect(own.body).toEqual({ data: { first_name: 'Augusta' } });
      });

      it('creating or deleting users, and writing other system collections, stay admin-only', async () => {
        const create = await t.http.post('/users').set(u.auth).send({ email: 'new@example.com' }).expect(403);
        expect(create.body).toEqual(FORBIDDEN);
        expect((await t.http.delete(`/users/${u.id}`).set(u.auth).expect(403)).body).toEqual(FORBIDDEN);
        const nested = await t.http
          .patch('/users/me')
          .set(u.auth)
          .send({ first_name: 'X', role: { name: 'Escalated', admin_access: true } })
          .expect(403);
        expect(nested.body).toEqual(fieldForbidden('role', 'directus_users'));
        expect(await rows(t, `SELECT id FROM directus_roles WHERE name = 'Escalated'`)).toEqual([]);
      });
    });

    it('allowed to update but not to read its record (no app access): 403 after the update, as Directus', async () => {
      const u = await member(
        [
          {
            collection: 'directus_users',
            action: 'update',
            fields: ['title'],
            permissions: { id: { _eq: '$CURRENT_USER' } },
          },
        ],
        false,
      );
      expect((await t.http.patch('/users/me').set(u.auth).send({ title: 'Blind' }).expect(403)).body).toEqual(
        FORBIDDEN,
      );
      expect(await dbUser(u.id)).toMatchObject({ title: 'Blind' });
      // GET /users/me answers {id} then (spec 8).
      expect((await t.http.get('/users/me').set(u.auth).expect(200)).body).toEqual({ data: { id: u.id } });
    });

    it('PATCH /users/me/track/page stores last_page whatever the permissions (204); without it → 400', async () => {
      const u = await member([], false);
      const res = await t.http.patch('/users/me/track/page').set(u.auth).send({ last_page: '/content/articles' });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect(await dbUser(u.id)).toMatchObject({ last_page: '/content/articles' });
      expect((await t.http.patch('/users/me/track/page').set(u.auth).send({}).expect(400)).body).toEqual(
        invalidPayload('"last_page" key is required'),
      );
      expect((await t.http.patch('/users/me/track/page').send({ last_page: '/x' }).expect(401)).body).toEqual(
        INVALID_CREDENTIALS,
      );
    });
  });

  describe('minimal app permissions', () => {
    let app: TestUser;
    let appEmail: string;
    let plain: TestUser;
    let child: TestUser;
    let parentRole: string;

    beforeAll(async () => {
      appEmail = `app-${Date.now()}@example.com`;
      app = await member([], true, { email: appEmail, first_name: 'Ada' });
      plain = await member([], false);
      // A child role whose policy grants app access: $CURRENT_ROLES holds the role and its parent.
      parentRole = await role(t);
      const childRole = await role(t, parentRole);
      const p = await policy(t, [], { app_access: true });
      await attach(t, { role: childRole }, p.id);
      child = await user(t, childRole);
    });

    it('its own user record, with the minimal field list; nobody else’s', async () => {
      const expected = ownRow(app, appEmail, { first_name: 'Ada' });
      expect((await t.http.get('/users/me').set(app.auth).expect(200)).body).toEqual({ data: expected });
      expect((await t.http.get('/users').set(app.auth).expect(200)).body).toEqual({ data: [expected] });
      expect((await t.http.get(`/users/${plain.id}`).set(app.auth).expect(403)).body).toEqual(FORBIDDEN);
      // Fields outside the list (token, auth_data, ...) are 403 like any unreadable field.
      expect((await t.http.get('/users/me?fields=token').set(app.auth).expect(200)).body).toEqual({
        data: { id: app.id },
      });
      expect((await t.http.get('/users?fields=token').set(app.auth).expect(403)).body).toEqual(
        fieldForbidden('token', 'directus_users'),
      );
    });

    it('its roles ($CURRENT_ROLES: the role and its parents)', async () => {
      const res = await t.http.get('/roles?fields=id&sort=id').set(child.auth).expect(200);
      expect(res.body).toEqual({ data: [child.role!, parentRole].sort().map((id) => ({ id })) });
      const own = await t.http.get('/roles?fields=id,users').set(app.auth).expect(200);
      expect(own.body).toEqual({ data: [{ id: app.role, users: [app.id] }] });
    });

    it('its own activity only', async () => {
      await t.http.patch('/users/me/track/page').set(app.auth).send({ last_page: '/a' }).expect(204);
      await admin(t, 'patch', `/users/${app.id}`, { title: 'by admin' });
      // Two rows by the app user, one by another user (written as Directus would record their requests).
      await t.db.client.query(
        `INSERT INTO directus_activity (action, "user", collection, item, ip) VALUES
           ('update', $1::uuid, 'directus_users', $1::text, '10.0.0.1'),
           ('login', $1::uuid, 'directus_users', $1::text, '10.0.0.1'),
           ('login', $2::uuid, 'directus_users', $2::text, '10.0.0.2')`,
        [app.id, plain.id],
      );
      const mine = await rows(t, 'SELECT id FROM directus_activity WHERE "user" = $1 ORDER BY id', [app.id]);
      expect(mine).toHaveLength(2);
      const all = await rows(t, 'SELECT count(*)::int AS n FROM directus_activity');
      expect(all[0].n).toBeGreaterThan(2);
      const res = await t.http.get('/activity?fields=id,user&sort=id').set(app.auth).expect(200);
      expect(res.body).toEqual({ data: mine.map((r) => ({ id: r.id, user: app.id })) });
    });

    it('GET /permissions/me lists the minimal rows as Directus does', async () => {
      const none = { access: 'none' };
      const full = { access: 'full', fields: ['*'] };
      const partial = (fields = ['*']) => ({ access: 'partial', fields });
      const readOnly = (read: object) => ({ create: none, read, update: none, delete: none, share: none });
      const res = await t.http.get('/permissions/me').set(app.auth).expect(200);
      expect(res.body).toEqual({
        data: {
          directus_collections: readOnly(full),
          directus_fields: readOnly(full),
          directus_relations: readOnly(full),
          directus_activity: readOnly(partial()),
          directus_comments: {
            create: full,
            read: partial(),
            update: partial(['comment']),
            delete: partial(),
            share: none,
          },
          directus_presets: { create: full, read: partial(), update: partial(), delete: partial(), share: none },
          directus_roles: readOnly(partial()),
          directus_settings: readOnly(full),
          directus_translations: readOnly(full),
          directus_notifications: {
            create: none,
            read: partial(),
            update: partial(['status']),
            delete: none,
            share: none,
          },
          directus_shares: readOnly(partial()),
          directus_users: readOnly(
            partial([
              'id',
              'first_name',
              'last_name',
              'last_page',
              'email',
              'password',
              'location',
              'title',
              'description',
              'tags',
              'provider',
              'preferences_divider',
              'avatar',
              'language',
              'appearance',
              'theme_light',
              'theme_dark',
              'tfa_secret',
              'status',
              'role',
            ]),
          ),
        },
      });
    });

    it('the schema metadata: /collections lists the system collections it may read', async () => {
      const res = await t.http.get('/collections').set(app.auth).expect(200);
      const names = ['directus_activity', 'directus_roles', 'directus_users'];
      expect(res.body).toEqual({ data: await Promise.all(names.map((n) => admin(t, 'get', `/collections/${n}`))) });
    });

    it('without app access none of it: /users/me is {id}, lists are 403, /permissions/me is empty', async () => {
      expect((await t.http.get('/users/me').set(plain.auth).expect(200)).body).toEqual({ data: { id: plain.id } });
      expect((await t.http.get('/users').set(plain.auth).expect(403)).body).toEqual(
        collectionForbidden('directus_users'),
      );
      expect((await t.http.get('/roles').set(plain.auth).expect(403)).body).toEqual(
        collectionForbidden('directus_roles'),
      );
      expect((await t.http.get('/permissions/me').set(plain.auth).expect(200)).body).toEqual({ data: {} });
    });

    it('a policy that grants app access later takes effect on the next request', async () => {
      const later = await policy(t, [], { app_access: true });
      await attach(t, { user: plain.id }, later.id);
      const res = await t.http.get('/users/me?fields=id,status').set(plain.auth).expect(200);
      expect(res.body).toEqual({ data: { id: plain.id, status: 'active' } });
    });
  });
});
