import { createTestApp, type TestApp } from './support/app';
import {
  BLACKBOX_ENV,
  TEST_USERS,
  createTestUsers,
  pkField,
  type Any,
  type UserKey,
} from './support/directus-blackbox';

/**
 * The REST and GraphQL parts of the auth (and item permission) routes of Directus's own blackbox suite (github:directus/directus
 * tests/blackbox), replayed against Tessera with the env the suite runs Directus with (common/config.ts), per test
 * user (common/variables.ts TEST_USERS: an admin, an app-access user, an API-only user and a user without role). The
 * WebSocket handshakes of login.test.ts are replayed by realtime-blackbox.e2e-spec.ts.
 * - tests/db/routes/auth/login.test.ts: POST /auth/login and the `auth_login` mutation of /graphql/system with correct
 *   credentials, a wrong password, an unknown email, an invalid email and no password.
 * - tests/db/routes/auth/refresh.test.ts: POST /auth/refresh and `auth_refresh` in the json, cookie and session modes,
 *   the refresh token in the body and in the `directus_refresh_token` cookie. Where the suite's expectations
 *   contradict Directus's own auth_refresh resolver and refresh-token lookup (GraphQL cookie and session modes, REST
 *   session mode with only the refresh cookie), this replay asserts the source's answer, as Tessera gives it.
 * - tests/db/routes/permissions/check-item-permissions.test.ts: /permissions/me/:collection/:id and of a singleton,
 *   for the admin, and for an app-access user before and after an update permission is added to its policy.
 * - tests/db/routes/server/health.test.ts and ping.test.ts: /server/health and `server_health` per user (the admin
 *   sees releaseId, serviceId and checks), /server/ping and `server_ping`.
 */

const PASSWORD = 'secret-pw';
const MODES = ['json', 'cookie', 'session'] as const;

describe('Directus blackbox: auth routes', () => {
  let t: TestApp;
  const emails = Object.fromEntries(
    TEST_USERS.map((key) => [key, `blackbox-${key.toLowerCase()}@example.com`]),
  ) as Record<UserKey, string>;
  let policies: Partial<Record<UserKey, string>>;
  const tokens = {} as Record<UserKey, Record<string, string>>;

  beforeAll(async () => {
    t = await createTestApp(BLACKBOX_ENV);
    const created = await createTestUsers(t, (key) => emails[key]);
    policies = created.policies;
    for (const key of TEST_USERS) tokens[key] = created.users[key].auth;
  });
  afterAll(() => t.close());

  /** requestGraphQL(url, true, null, { mutation: ... }): /graphql/system without a token. */
  const gql = (query: string, cookie?: string) => {
    const req = t.http.post('/graphql/system');
    if (cookie) req.set('Cookie', cookie);
    return req.send({ query });
  };
  const loginMutation = (args: string) => `mutation { auth_login(${args}) { access_token expires refresh_token } }`;
  const invalidCredentials = {
    errors: [{ message: 'Invalid user credentials.', extensions: { code: 'INVALID_CREDENTIALS' } }],
  };

  describe('login.test.ts: POST /login', () => {
    describe.each(TEST_USERS)('%s', (userKey) => {
      it('returns an access_token, expires and a refresh_token for correct credentials', async () => {
        const response = await t.http
          .post('/auth/login')
          .send({ email: emails[userKey], password: PASSWORD })
          .expect('Content-Type', /application\/json/);
        const gqlResponse = await gql(loginMutation(`email: "${emails[userKey]}", password: "${PASSWORD}"`));
        expect(response.statusCode).toBe(200);
        expect(response.body).toMatchObject({
          data: { access_token: expect.any(String), expires: expect.any(Number), refresh_token: expect.any(String) },
        });
        expect(gqlResponse.statusCode).toBe(200);
        expect(gqlResponse.body).toMatchObject({
          data: {
            auth_login: {
              access_token: expect.any(String),
              expires: expect.any(String),
              refresh_token: expect.any(String),
            },
          },
        });
      });

      it.each([
        ['an incorrect password', () => ({ email: emails[userKey], password: PASSWORD + 'typo' })],
        ['an unregistered email', () => ({ email: 'test@fake.com', password: PASSWORD })],
      ])('returns INVALID_CREDENTIALS for %s', async (_, body) => {
        const { email, password } = body();
        const response = await t.http
          .post('/auth/login')
          .send({ email, password })
          .expect('Content-Type', /application\/json/)
          .expect(401);
        const gqlResponse = await gql(loginMutation(`email: "${email}", password: "${password}"`));
        expect(response.body).toMatchObject(invalidCredentials);
        expect(gqlResponse.body).toMatchObject(invalidCredentials);
      });

      it('returns INVALID_PAYLOAD for an invalid email (GraphQL: INVALID_CREDENTIALS)', async () => {
        const response = await t.http
          .post('/auth/login')
          .send({ email: 'invalidEmail', password: PASSWORD })
          .expect('Content-Type', /application\/json/)
          .expect(400);
        const gqlResponse = await gql(loginMutation(`email: "invalidEmail", password: "${PASSWORD}"`));
        expect(response.body).toMatchObject({
          errors: [
            { message: 'Invalid payload. "email" must be a valid email.', extensions: { code: 'INVALID_PAYLOAD' } },
          ],
        });
        expect(gqlResponse.body).toMatchObject(invalidCredentials);
      });

      it('returns "password" is required without a password (GraphQL: GRAPHQL_VALIDATION)', async () => {
        const response = await t.http
          .post('/auth/login')
          .send({ email: emails[userKey] })
          .expect('Content-Type', /application\/json/)
          .expect(400);
        const gqlResponse = await gql(loginMutation(`email: "${emails[userKey]}"`));
        expect(response.body).toMatchObject({
          errors: [{ message: 'Invalid payload. "password" is required.', extensions: { code: 'INVALID_PAYLOAD' } }],
        });
        expect(gqlResponse.body).toMatchObject({
          errors: [{ message: 'GraphQL validation error.', extensions: { code: 'GRAPHQL_VALIDATION' } }],
        });
      });
    });
  });

  describe('refresh.test.ts: POST /refresh', () => {
    const cookieName = 'directus_refresh_token';
    const tokens = async (userKey: UserKey) => {
      const refreshToken = (
        await t.http
          .post('/auth/login')
          .send({ email: emails[userKey], password: PASSWORD })
          .expect('Content-Type', /application\/json/)
      ).body.data.refresh_token as string;
      const refreshToken2 = (
        await gql(`mutation { auth_login(email: "${emails[userKey]}", password: "${PASSWORD}") { refresh_token } }`)
      ).body.data.auth_login.refresh_token as string;
      return { refreshToken, refreshToken2 };
    };
    const expectRest = (response: Any, mode: (typeof MODES)[number]) => {
      expect(response.statusCode).toBe(200);
      if (mode === 'session') {
        expect(response.body).toMatchObject({ data: { expires: expect.any(Number) } });
      } else if (mode === 'cookie') {
        expect(response.body).toMatchObject({
          data: { access_token: expect.any(String), expires: expect.any(Number) },
        });
      } else {
        expect(response.body).toMatchObject({
          data: { access_token: expect.any(String), expires: expect.any(Number), refresh_token: expect.any(String) },
        });
      }
    };
    /**
     * The suite expects all three tokens from `auth_refresh` in every mode; Directus's resolver (services/graphql/
     * resolvers/system-global.ts) answers them as /auth/refresh does: json all three, cookie no refresh_token (it goes
     * in the cookie), session only `expires`. Tessera answers as the resolver (see the report).
     */
    const expectGql = (gqlResponse: Any, mode: (typeof MODES)[number]) => {
      expect(gqlResponse.statusCode).toBe(200);
      expect(gqlResponse.body).toMatchObject({
        data: {
          auth_refresh: {
            access_token: mode === 'session' ? null : expect.any(String),
            expires: expect.any(String),
            refresh_token: mode === 'json' ? expect.any(String) : null,
          },
        },
      });
    };
    const refreshMutation = (token: string, mode: string) =>
      `mutation { auth_refresh(refresh_token: "${token}", mode: ${mode}) { access_token expires refresh_token } }`;

    describe.each(MODES)('for %s mode', (mode) => {
      it.each(TEST_USERS)('refreshes with refresh_token in the body: %s', async (userKey) => {
        const { refreshToken, refreshToken2 } = await tokens(userKey);
        const response = await t.http
          .post('/auth/refresh')
          .send({ refresh_token: refreshToken, mode })
          .expect('Content-Type', /application\/json/);
        const gqlResponse = await gql(refreshMutation(refreshToken2, mode));
        expectRest(response, mode);
        expectGql(gqlResponse, mode);
      });

      it.each(TEST_USERS)('refreshes with refresh_token in the cookie: %s', async (userKey) => {
        const { refreshToken, refreshToken2 } = await tokens(userKey);
        const response = await t.http
          .post('/auth/refresh')
          .set('Cookie', `${cookieName}=${refreshToken}`)
          .send({ mode })
          .expect('Content-Type', /application\/json/);
        const gqlResponse = await gql(refreshMutation(refreshToken2, mode), `${cookieName}=${refreshToken2}`);
        if (mode === 'session') {
          // the session mode reads the session cookie, not the refresh one (Directus's getCurrentRefreshToken); the
          // suite expects 200 (see the report)
          expect(response.statusCode).toBe(400);
          expect(response.body.errors[0].extensions.code).toBe('INVALID_PAYLOAD');
        } else {
          expectRest(response, mode);
        }
        expectGql(gqlResponse, mode);
      });
    });
  });
  describe('permissions/check-item-permissions.test.ts: /permissions/me/:collection/:id?', () => {
    const collection = 'test_collection_permissions';
    const singleton = 'test_singleton_permissions';
    const admin = () => t.admin;
    /** common/functions.ts CreatePermission: a permission on the user's own policy. */
    const createPermission = async (userKey: UserKey, permission: Record<string, unknown>) => {
      const res = await t.http
        .post('/permissions')
        .set(admin())
        .send({ policy: policies[userKey], ...permission });
      expect(res.statusCode).toBe(200);
    };

    // check-item-permissions.seed.ts: a collection with one item and a singleton with its item
    beforeAll(async () => {
      const key = pkField('integer');
      const name = { field: 'name', type: 'string', meta: {}, schema: {} };
      for (const [c, meta] of [
        [collection, {}],
        [singleton, { singleton: true }],
      ] as const) {
        const res = await t.http
          .post('/collections')
          .set(admin())
          .send({ collection: c, meta, schema: {}, fields: [key, name] });
        expect(res.statusCode).toBe(200);
      }
      expect((await t.http.post(`/items/${collection}`).set(admin()).send({ name: 'Bunny' })).statusCode).toBe(200);
      expect((await t.http.patch(`/items/${singleton}`).set(admin()).send({ name: 'Carrot' })).statusCode).toBe(200);
    });

    it('admin: retrieves item permissions', async () => {
      const response = await t.http.get(`/permissions/me/${collection}/1`).set(admin());
      expect(response.statusCode).toEqual(200);
      expect(response.body.data).toMatchObject({
        update: { access: true },
        delete: { access: true },
        share: { access: true },
      });
    });

    /**
     * The app-access user's permissions on the item at `path`: none; then, once its policy may update the rows of
     * `target` named `name`, `update` as given.
     */
    const updateAccessAdded = async (path: string, target: string, name: string, update: Record<string, unknown>) => {
      const response1 = await t.http.get(path).set(tokens.APP_ACCESS);
      expect(response1.statusCode).toEqual(200);
      expect(response1.body.data).toMatchObject({
        update: { access: false },
        delete: { access: false },
        share: { access: false },
      });
      await createPermission('APP_ACCESS', {
        collection: target,
        action: 'update',
        permissions: { _and: [{ name: { _eq: name } }] },
        presets: {},
        fields: ['name'],
      });
      const response2 = await t.http.get(path).set(tokens.APP_ACCESS);
      expect(response2.statusCode).toEqual(200);
      expect(response2.body.data).toMatchObject({ update, delete: { access: false }, share: { access: false } });
    };

    it('user: collection item with update access', async () => {
      await updateAccessAdded(`/permissions/me/${collection}/1`, collection, 'Bunny', { access: true });
    });

    it('user: singleton item with update access', async () => {
      await updateAccessAdded(`/permissions/me/${singleton}`, singleton, 'Carrot', {
        access: true,
        presets: {},
        fields: ['name'],
      });
    });

    it('returns an error when unauthenticated', async () => {
      const response = await t.http.get(`/permissions/me/${collection}/1`);
      expect(response.statusCode).toBe(403);
    });
  });
  describe('server/health.test.ts and server/ping.test.ts', () => {
    it.each(TEST_USERS)('GET /server/health and server_health: %s', async (userKey) => {
      const response = await t.http.get('/server/health').set(tokens[userKey]);
      const gqlResponse = await t.http
        .post('/graphql/system')
        .set(tokens[userKey])
        .send({ query: '{ server_health }' });
      expect(response.statusCode).toBe(200);
      expect(gqlResponse.statusCode).toBe(200);
      const expected =
        userKey === 'ADMIN'
          ? {
              status: expect.stringMatching(/ok|warn/),
              releaseId: expect.any(String),
              serviceId: expect.any(String),
              checks: expect.anything(),
            }
          : { status: expect.stringMatching(/ok|warn/) };
      expect(response.body).toEqual(expected);
      expect(gqlResponse.body.data.server_health).toEqual(expected);
    });

    it('GET /server/ping and server_ping', async () => {
      const response = await t.http
        .get('/server/ping')
        .expect('Content-Type', /text\/html/)
        .expect(200);
      const gqlResponse = await t.http.post('/graphql/system').send({ query: '{ server_ping }' });
      expect(response.text).toBe('pong');
      expect(gqlResponse.body.data.server_ping).toBe('pong');
    });
  });
});
