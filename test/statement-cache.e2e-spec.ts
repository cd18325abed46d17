import { ItemsReadService } from '../src/modules/items/items-read.service';
import { createTestApp, type TestApp } from './support/app';
import { admin, collection, FORBIDDEN, rows, userWith } from './permissions.helpers';

/**
 * Compiled statements are reused per query shape (ItemsReadService + StatementCache), for admins and for callers
 * whose read rules depend on their identity only: each reuse must read exactly what a fresh compile reads — the key
 * asked for, the schema and the access rules as they are now — and nothing that depends on the clock or on a record
 * may be reused.
 */
describe('compiled statements reused per query shape', () => {
  let t: TestApp;
  let builds: jest.SpyInstance;

  beforeAll(async () => {
    t = await createTestApp();
    await collection(t, 'notes', [
      { field: 'title', type: 'string' },
      { field: 'owner', type: 'uuid' },
      { field: 'due', type: 'timestamp' },
    ]);
  });
  afterAll(() => t.close());

  beforeEach(async () => {
    await rows(t, 'TRUNCATE "notes" RESTART IDENTITY');
    await rows(
      t,
      `INSERT INTO "notes" ("title", "due") VALUES ('a', now() - interval '1 day'), ('b', now() + interval '1 day'), ('c', NULL)`,
    );
    builds = jest.spyOn(t.app.get(ItemsReadService) as unknown as { buildAst: () => unknown }, 'buildAst');
  });
  afterEach(() => builds.mockRestore());

  const get = (path: string, auth = t.admin) => t.http.get(path).set(auth);

  it('an admin read by id compiles once per shape and then reads each key asked for', async () => {
    const bodies = [];
    for (const id of [1, 2, 3, 2]) bodies.push((await get(`/items/notes/${id}?fields=id,title`)).body);
    expect(bodies).toEqual([
      { data: { id: 1, title: 'a' } },
      { data: { id: 2, title: 'b' } },
      { data: { id: 3, title: 'c' } },
      { data: { id: 2, title: 'b' } },
    ]);
    expect(builds).toHaveBeenCalledTimes(1);
    // another shape is another statement
    expect((await get('/items/notes/1?fields=title')).body).toEqual({ data: { title: 'a' } });
    expect(builds).toHaveBeenCalledTimes(2);
  });

  it('a reused statement still checks the key: malformed, impossible and missing keys are 403', async () => {
    await get('/items/notes/1?fields=id');
    for (const id of ['abc', '99999999999999999999', '4']) {
      const res = await get(`/items/notes/${id}?fields=id`);
      expect({ id, status: res.status, body: res.body }).toEqual({ id, status: 403, body: FORBIDDEN });
    }
    expect((await get('/items/notes/3?fields=id')).body).toEqual({ data: { id: 3 } });
  });

  it('lists with different filter values are different shapes', async () => {
    expect((await get('/items/notes?fields=title&filter[title][_eq]=a')).body).toEqual({ data: [{ title: 'a' }] });
    expect((await get('/items/notes?fields=title&filter[title][_eq]=b')).body).toEqual({ data: [{ title: 'b' }] });
    expect((await get('/items/notes?fields=title&filter[title][_eq]=a')).body).toEqual({ data: [{ title: 'a' }] });
    expect(builds).toHaveBeenCalledTimes(2);
  });

  it('a schema change is seen at once: statements compiled against the old schema are not reused', async () => {
    expect((await get('/items/notes/1')).body.data).not.toHaveProperty('mood');
    await admin(t, 'post', '/fields/notes', { field: 'mood', type: 'string', schema: { default_value: 'calm' } });
    expect((await get('/items/notes/1')).body).toEqual({
      data: { id: 1, title: 'a', owner: null, due: expect.any(String), mood: 'calm' },
    });
    await admin(t, 'delete', '/fields/notes/mood');
    expect((await get('/items/notes/1')).body.data).not.toHaveProperty('mood');
  });

  it('a query with $NOW is compiled afresh each time (the clock is a value of the statement)', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await get('/items/notes?fields=title&filter[due][_lte]=$NOW');
      expect(res.body).toEqual({ data: [{ title: 'a' }] });
    }
    expect(builds).toHaveBeenCalledTimes(2);
  });

  it('a caller with identity-only rules reuses statements compiled against their own view, and only theirs', async () => {
    const permissions = { owner: { _eq: '$CURRENT_USER' } };
    const ann = await userWith(t, [{ collection: 'notes', action: 'read', permissions }]);
    const bob = await userWith(t, [{ collection: 'notes', action: 'read', permissions }]);
    await rows(t, `UPDATE "notes" SET "owner" = CASE "id" WHEN 1 THEN $1::uuid WHEN 2 THEN $2::uuid END`, [
      ann.id,
      bob.id,
    ]);
    builds.mockClear(); // creating the users read them back
    expect((await get('/items/notes?fields=title', ann.auth)).body).toEqual({ data: [{ title: 'a' }] });
    expect((await get('/items/notes?fields=title', bob.auth)).body).toEqual({ data: [{ title: 'b' }] });
    expect((await get('/items/notes?fields=title', ann.auth)).body).toEqual({ data: [{ title: 'a' }] });
    expect((await get('/items/notes/2?fields=title', ann.auth)).status).toBe(403);
    expect((await get('/items/notes/2?fields=title', ann.auth)).status).toBe(403);
    expect((await get('/items/notes/1?fields=title', ann.auth)).body).toEqual({ data: { title: 'a' } });
    expect((await get('/items/notes/2?fields=title', bob.auth)).body).toEqual({ data: { title: 'b' } });
    // ann: the list once, the read by id once; bob: the list, the read by id
    expect(builds).toHaveBeenCalledTimes(4);
  });

  it('a change to access data is seen at once: statements compiled against the old view are not reused', async () => {
    const reader = await userWith(t, [
      { collection: 'notes', action: 'read', permissions: { title: { _eq: 'a' } }, fields: ['id', 'title'] },
    ]);
    expect((await get('/items/notes?fields=title', reader.auth)).body).toEqual({ data: [{ title: 'a' }] });
    const [permission] = await rows(t, 'SELECT "id" FROM "directus_permissions" WHERE "policy" = $1', [
      reader.policies[0],
    ]);
    await admin(t, 'patch', `/permissions/${permission!.id as number}`, { permissions: { title: { _eq: 'b' } } });
    expect((await get('/items/notes?fields=title', reader.auth)).body).toEqual({ data: [{ title: 'b' }] });
  });

  it('rules with $NOW or a record path ($CURRENT_USER.<field>) are compiled afresh for every read', async () => {
    const byClock = await userWith(t, [
      { collection: 'notes', action: 'read', permissions: { due: { _lte: '$NOW' } } },
    ]);
    const byRecord = await userWith(t, [
      { collection: 'notes', action: 'read', permissions: { title: { _eq: '$CURRENT_USER.first_name' } } },
    ]);
    await admin(t, 'patch', `/users/${byRecord.id}`, { first_name: 'c' });
    builds.mockClear();
    for (let i = 0; i < 2; i++) {
      expect((await get('/items/notes?fields=title', byClock.auth)).body).toEqual({ data: [{ title: 'a' }] });
    }
    expect((await get('/items/notes?fields=title', byRecord.auth)).body).toEqual({ data: [{ title: 'c' }] });
    await admin(t, 'patch', `/users/${byRecord.id}`, { first_name: 'b' });
    builds.mockClear();
    // a cached view would still filter on 'c'
    expect((await get('/items/notes?fields=title', byRecord.auth)).body).toEqual({ data: [{ title: 'b' }] });
    expect((await get('/items/notes?fields=title', byRecord.auth)).body).toEqual({ data: [{ title: 'b' }] });
    expect(builds).toHaveBeenCalledTimes(2);
  });

  it("a one-item write's folded re-read is compiled once per shape and reads what was written", async () => {
    const bodies = [];
    for (const [id, title] of [
      [1, 'x'],
      [2, 'y'],
    ] as const) {
      bodies.push((await t.http.patch(`/items/notes/${id}?fields=id,title`).set(t.admin).send({ title })).body);
    }
    bodies.push((await t.http.post('/items/notes?fields=id,title').set(t.admin).send({ title: 'z' })).body);
    bodies.push((await t.http.post('/items/notes?fields=id,title').set(t.admin).send({ title: 'w' })).body);
    expect(bodies).toEqual([
      { data: { id: 1, title: 'x' } },
      { data: { id: 2, title: 'y' } },
      { data: { id: 4, title: 'z' } },
      { data: { id: 5, title: 'w' } },
    ]);
    expect(builds).toHaveBeenCalledTimes(2); // one PATCH shape, one POST shape
    expect(await rows(t, 'SELECT "id", "title" FROM "notes" ORDER BY "id"')).toEqual([
      { id: 1, title: 'x' },
      { id: 2, title: 'y' },
      { id: 3, title: 'c' },
      { id: 4, title: 'z' },
      { id: 5, title: 'w' },
    ]);
  });
});
