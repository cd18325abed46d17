import { createTestApp, type TestApp } from './support/app';
import { ADMIN_TOKEN } from './support/constants';

describe('server, errors and minimal auth', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('GET /server/ping answers pong', async () => {
    const res = await t.http.get('/server/ping').expect(200);
    expect(res.text).toBe('pong');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('GET /server/health checks the database (the checks for admins; anyone else sees only the status)', async () => {
    expect((await t.http.get('/server/health').expect(200)).body).toEqual({ status: 'ok' });
    const res = await t.http.get('/server/health').set(t.admin).expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.checks['pg:responseTime'][0].status).toBe('ok');
    expect(res.body.checks['schema:version'][0].observedValue).toBeGreaterThanOrEqual(1);
  });

  it('unknown routes are 404 ROUTE_NOT_FOUND', async () => {
    const res = await t.http.get('/no/such/route?x=1').expect(404);
    expect(res.body).toEqual({
      errors: [
        {
          message: "Route /no/such/route doesn't exist.",
          extensions: { code: 'ROUTE_NOT_FOUND', path: '/no/such/route' },
        },
      ],
    });
  });

  it('malformed JSON is 400 INVALID_PAYLOAD with the parser message', async () => {
    const res = await t.http
      .post('/collections')
      .set(t.admin)
      .set('Content-Type', 'application/json')
      .send('{"collection": ')
      .expect(400);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0].extensions.code).toBe('INVALID_PAYLOAD');
    expect(res.body.errors[0].message).toBe(`Invalid payload. ${res.body.errors[0].extensions.reason}.`);
    expect(res.body.errors[0].extensions.reason).toMatch(/JSON/);
  });

  it('a body over MAX_PAYLOAD_SIZE is 413 CONTENT_TOO_LARGE', async () => {
    const res = await t.http
      .post('/collections')
      .set(t.admin)
      .send({ collection: 'x', note: 'a'.repeat(1_100_000) })
      .expect(413);
    expect(res.body.errors[0].extensions.code).toBe('CONTENT_TOO_LARGE');
  });

  it('no token means public, which without read permissions may not read the schema (403)', async () => {
    // Directus reads directus_collections under the caller's permissions (issue 16, spec 15).
    const message =
      'You don\'t have permission to access collection "directus_collections" or it does not exist. Queried in root.';
    const res = await t.http.get('/collections').expect(403);
    expect(res.body).toEqual({ errors: [{ message, extensions: { code: 'FORBIDDEN', reason: message } }] });
  });

  it('the admin static token works as a Bearer header and as ?access_token=', async () => {
    // With no user collection, the list holds the system collections (issue 16).
    const header = await t.http.get('/collections').set(t.admin).expect(200);
    expect(header.body.data.map((c: { collection: string }) => c.collection)).toEqual([
      'directus_access',
      'directus_activity',
      'directus_permissions',
      'directus_policies',
      'directus_revisions',
      'directus_roles',
      'directus_users',
    ]);
    await t.http.get(`/collections?access_token=${ADMIN_TOKEN}`).expect(200, header.body);
  });

  it('an unknown static token is 401 INVALID_CREDENTIALS', async () => {
    const res = await t.http.get('/collections').set('Authorization', 'Bearer nope').expect(401);
    expect(res.body).toEqual({
      errors: [{ message: 'Invalid user credentials.', extensions: { code: 'INVALID_CREDENTIALS' } }],
    });
  });

  it('a token in both the header and the query is 400 INVALID_PAYLOAD', async () => {
    const res = await t.http.get(`/collections?access_token=${ADMIN_TOKEN}`).set(t.admin).expect(400);
    expect(res.body.errors[0].extensions).toEqual({
      code: 'INVALID_PAYLOAD',
      reason: 'The request uses more than one method of including an access token',
    });
  });

  it('responses carry Directus cache headers', async () => {
    const res = await t.http.get('/collections').set(t.admin).expect(200);
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('an item read carries an ETag and answers a matching If-None-Match with 304; a write answers without one', async () => {
    await t.http
      .post('/collections')
      .set(t.admin)
      .send({ collection: 'etag_notes', schema: {}, fields: [{ field: 'title', type: 'string' }] })
      .expect(200);
    const created = await t.http.post('/items/etag_notes').set(t.admin).send({ title: 'héllo' }).expect(200);
    expect(created.body).toEqual({ data: { id: 1, title: 'héllo' } });
    expect(created.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(created.headers['content-length'])).toBe(Buffer.byteLength(created.text));
    expect(created.headers.etag).toBeUndefined();

    const read = await t.http.get('/items/etag_notes/1').set(t.admin).expect(200);
    expect(read.text).toBe(created.text);
    expect(read.headers.etag).toMatch(/^W\/"/);
    const again = await t.http.get('/items/etag_notes/1').set(t.admin).set('If-None-Match', read.headers.etag!);
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
  });
});
