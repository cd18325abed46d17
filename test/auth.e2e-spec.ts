import { createHmac } from 'node:crypto';
import { createTestApp, type TestApp } from './support/app';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './support/constants';

const SECRET = 'test-secret-test-secret-test-secret-0123';

function jwt(payload: Record<string, unknown>, secret = SECRET, alg = 'HS256'): string {
  const h = Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url');
  const b = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const s = alg === 'none' ? '' : createHmac('sha256', secret).update(`${h}.${b}`).digest('base64url');
  return `${h}.${b}.${s}`;
}

describe('auth: login, refresh, logout, JWTs, /users/me (spec 8)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ LOGIN_STALL_TIME: '150', ACCESS_TOKEN_TTL: '15m', SESSION_REFRESH_GRACE_PERIOD: '10s' });
  });
  afterAll(() => t.close());

  const login = (body: object) => t.http.post('/auth/login').send(body);

  it('json mode returns access_token, expires in ms and refresh_token', async () => {
    const res = await login({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }).expect(200);
    expect(Object.keys(res.body.data).sort()).toEqual(['access_token', 'expires', 'refresh_token']);
    expect(res.body.data.expires).toBe(900000);
    const [, body] = res.body.data.access_token.split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    expect(payload).toMatchObject({ iss: 'directus', admin_access: true, app_access: true });
    expect(payload.exp - payload.iat).toBe(900);
    const me = await t.http.get('/users/me').set('Authorization', `Bearer ${res.body.data.access_token}`).expect(200);
    expect(me.body.data).toMatchObject({ email: ADMIN_EMAIL, status: 'active', password: '**********' });
    await t.http.get('/collections').set('Authorization', `Bearer ${res.body.data.access_token}`).expect(200);
  });

  it('cookie mode sets the httpOnly refresh cookie; refresh reads it and rotates', async () => {
    const res = await login({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD, mode: 'cookie' }).expect(200);
    expect(Object.keys(res.body.data).sort()).toEqual(['access_token', 'expires']);
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) =>
      c.startsWith('directus_refresh_token='),
    )!;
    expect(cookie).toMatch(/HttpOnly/);
    const refreshed = await t.http.post('/auth/refresh').set('Cookie', cookie.split(';')[0]).expect(200);
    expect(Object.keys(refreshed.body.data).sort()).toEqual(['access_token', 'expires']);
    const rotated = (refreshed.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    expect(rotated).not.toBe(cookie.split(';')[0]);
  });

  it('session mode sets the session cookie holding the access JWT, which authenticates requests', async () => {
    const res = await login({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD, mode: 'session' }).expect(200);
    expect(Object.keys(res.body.data)).toEqual(['expires']);
    const cookie = (res.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    expect(cookie).toMatch(/^directus_session_token=ey/);
    await t.http.get('/users/me').set('Cookie', cookie).expect(200);
    await t.http.post('/auth/logout').send({ mode: 'session' }).set('Cookie', cookie).expect(204);
    const after = await t.http.get('/users/me').set('Cookie', cookie).expect(403);
    expect(after.body.errors[0].extensions.code).toBe('INVALID_TOKEN');
  });

  it('refresh rotates, keeps the old token valid during the grace period, then logout ends the session', async () => {
    const { body } = await login({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }).expect(200);
    const first = await t.http.post('/auth/refresh').send({ refresh_token: body.data.refresh_token }).expect(200);
    expect(first.body.data.refresh_token).not.toBe(body.data.refresh_token);
    const again = await t.http.post('/auth/refresh').send({ refresh_token: body.data.refresh_token }).expect(200);
    expect(again.body.data.refresh_token).toBe(first.body.data.refresh_token);
    await t.http.post('/auth/logout').send({ refresh_token: first.body.data.refresh_token }).expect(204);
    const gone = await t.http.post('/auth/refresh').send({ refresh_token: first.body.data.refresh_token }).expect(401);
    expect(gone.body.errors[0].extensions.code).toBe('INVALID_CREDENTIALS');
  });

  it('sessions in directus_sessions: any-case email, one rotation for concurrent refreshes, grace-capped expiry', async () => {
    const res = await login({ email: ADMIN_EMAIL.toUpperCase(), password: ADMIN_PASSWORD }).expect(200);
    const old = res.body.data.refresh_token as string;
    const session = async (token: string) =>
      (
        await t.db.client.query<{ user: string; expires: Date; next_token: string | null; last_access: Date | null }>(
          `SELECT s."user", s."expires", s."next_token", u."last_access" FROM "directus_sessions" s
           JOIN "directus_users" u ON u."id" = s."user" WHERE s."token" = $1`,
          [token],
        )
      ).rows[0];
    const created = await session(old);
    // The refresh TTL's default is 7 days; last_access is stamped at login.
    expect(created.expires.getTime() - Date.now()).toBeGreaterThan(7 * 86_400_000 - 60_000);
    expect(Date.now() - created.last_access!.getTime()).toBeLessThan(60_000);
    expect(created.next_token).toBeNull();

    const refresh = () => t.http.post('/auth/refresh').send({ refresh_token: old }).expect(200);
    const [a, b] = await Promise.all([refresh(), refresh()]);
    expect(a.body.data.refresh_token).toBe(b.body.data.refresh_token);
    const rotated = await session(old);
    expect(rotated.next_token).toBe(a.body.data.refresh_token);
    // SESSION_REFRESH_GRACE_PERIOD is 10s here: the old token lives at most that long.
    expect(rotated.expires.getTime() - Date.now()).toBeLessThanOrEqual(10_000);
    expect((await session(a.body.data.refresh_token)).user).toBe(created.user);
    // The EntityManager's statements are counted like the others: a logout is one DELETE.
    const logout = () => t.http.post('/auth/logout').send({ refresh_token: a.body.data.refresh_token }).expect(204);
    expect(await t.countStatements(logout)).toBe(1);
    expect(await session(a.body.data.refresh_token)).toBeUndefined();
  });

  it('bad credentials are 401 INVALID_CREDENTIALS and stalled to a constant time', async () => {
    for (const body of [
      { email: ADMIN_EMAIL, password: 'wrong' },
      { email: 'nobody@example.com', password: 'x' },
    ]) {
      const started = Date.now();
      const res = await login(body).expect(401);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      expect(res.body).toEqual({
        errors: [{ message: 'Invalid user credentials.', extensions: { code: 'INVALID_CREDENTIALS' } }],
      });
    }
  });

  it('validates the login body like Directus', async () => {
    const res = await login({ email: ADMIN_EMAIL }).expect(400);
    expect(res.body.errors[0]).toEqual({
      message: 'Invalid payload. "password" is required.',
      extensions: { code: 'INVALID_PAYLOAD', reason: '"password" is required' },
    });
    expect((await login({ email: 'not-an-email', password: 'x' }).expect(400)).body.errors[0].extensions.reason).toBe(
      '"email" must be a valid email',
    );
  });

  it('refresh without a token is 400; an unknown one is 401', async () => {
    expect((await t.http.post('/auth/refresh').send({}).expect(400)).body.errors[0].extensions.code).toBe(
      'INVALID_PAYLOAD',
    );
    await t.http.post('/auth/refresh').send({ refresh_token: 'nope' }).expect(401);
  });

  it('expired → 401 TOKEN_EXPIRED; forged, alg:none or incomplete Directus JWTs → 403 INVALID_TOKEN', async () => {
    const { body } = await t.http.get('/users/me').set(t.admin).expect(200);
    const id = body.data.id;
    const base = { id, role: null, app_access: true, admin_access: true, iss: 'directus' };
    const now = Math.floor(Date.now() / 1000);
    const expired = jwt({ ...base, iat: now - 100, exp: now - 10 });
    expect(
      (await t.http.get('/users/me').set('Authorization', `Bearer ${expired}`).expect(401)).body.errors[0],
    ).toEqual({
      message: 'Token expired.',
      extensions: { code: 'TOKEN_EXPIRED' },
    });
    for (const token of [
      jwt({ ...base, exp: now + 100 }, 'wrong-secret'),
      jwt({ ...base, exp: now + 100 }, SECRET, 'none'),
      jwt({ id, iss: 'directus', exp: now + 100 }),
    ]) {
      const res = await t.http.get('/users/me').set('Authorization', `Bearer ${token}`).expect(403);
      expect(res.body.errors[0]).toEqual({ message: 'Invalid token.', extensions: { code: 'INVALID_TOKEN' } });
    }
    // A foreign JWT (not iss: directus) is looked up as a static token (spec 15).
    const foreign = jwt({ sub: 'x', iss: 'elsewhere' });
    expect(
      (await t.http.get('/users/me').set('Authorization', `Bearer ${foreign}`).expect(401)).body.errors[0].extensions
        .code,
    ).toBe('INVALID_CREDENTIALS');
  });

  it('/users/me without a user is 401', async () => {
    expect((await t.http.get('/users/me').expect(401)).body.errors[0].extensions.code).toBe('INVALID_CREDENTIALS');
  });
});
