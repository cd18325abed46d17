import { admin, userWith, type TestUser } from './permissions.helpers';
import { createTestApp, type TestApp } from './support/app';

/**
 * Database views served as read-only collections, as Directus does since its PR #26895 ("Add read-only view
 * support"). The first part replays its blackbox test tests/blackbox/tests/db/routes/items/views.test.ts with its
 * seed (views.seed.ts): a source table made through the API, two items, and a view over it created directly in the
 * database (knex there, a raw pg client here) after the server booted — so the first request naming the view finds
 * it in the catalogue, without a restart. Then what the PR implies beyond its test: a view without an `id` column is
 * no collection, a materialized view is served too, GraphQL has no mutations for a view, a role's item filter applies
 * to a view as to a table, /fields and DELETE /collections refuse to alter a view, and a view created later still is
 * served.
 */
const SOURCE = 'test_items_views_source';
const VIEW = 'test_items_views_readonly';
const NO_ID = 'test_items_views_no_id';
const MATERIALIZED = 'test_items_views_materialized';
const LATER = 'test_items_views_later';

const readOnly = (collection: string) => ({
  errors: [
    {
      message: `Invalid payload. Collection "${collection}" is a read-only view.`,
      extensions: { code: 'INVALID_PAYLOAD', reason: `Collection "${collection}" is a read-only view` },
    },
  ],
});
const FORBIDDEN = {
  errors: [{ message: "You don't have permission to access this.", extensions: { code: 'FORBIDDEN' } }],
};

describe('views (read-only collections)', () => {
  let t: TestApp;
  const get = (path: string) => t.http.get(path).set(t.admin);
  const gql = (query: string, auth = t.admin) => t.http.post('/graphql').set(auth).send({ query });

  beforeAll(async () => {
    t = await createTestApp();
    // views.seed.ts: the source collection through the API, then the view with a raw statement
    await admin(t, 'post', '/collections', {
      collection: SOURCE,
      meta: {},
      schema: {},
      fields: [{ field: 'id', type: 'integer', schema: { is_primary_key: true, has_auto_increment: true } }],
    });
    await admin(t, 'post', `/fields/${SOURCE}`, { field: 'name', type: 'string', meta: {}, schema: {} });
    await admin(t, 'post', `/fields/${SOURCE}`, { field: 'value', type: 'integer', meta: {}, schema: {} });
    await admin(t, 'post', `/items/${SOURCE}`, { name: 'item_a', value: 10 });
    await admin(t, 'post', `/items/${SOURCE}`, { name: 'item_b', value: 20 });
    await t.db.client.query(`CREATE VIEW "${VIEW}" AS SELECT "id", "name", "value" FROM "${SOURCE}"`);
    await t.db.client.query(`CREATE VIEW "${NO_ID}" AS SELECT "name", "value" FROM "${SOURCE}"`);
    await t.db.client.query(
      `CREATE MATERIALIZED VIEW "${MATERIALIZED}" AS SELECT "id", "name", "value" * 2 AS "doubled" FROM "${SOURCE}"`,
    );
  });
  afterAll(() => t.close());

  describe('views.test.ts', () => {
    it('GET /collections/:collection returns the view with schema.type "view"', async () => {
      const res = await get(`/collections/${VIEW}`).expect(200);
      expect(res.body).toEqual({
        data: { collection: VIEW, meta: null, schema: { name: VIEW, schema: 'public', comment: null, type: 'view' } },
      });
    });

    it('GET /items/:collection reads the two items', async () => {
      const res = await get(`/items/${VIEW}?sort=id`).expect(200);
      expect(res.body).toEqual({
        data: [
          { id: 1, name: 'item_a', value: 10 },
          { id: 2, name: 'item_b', value: 20 },
        ],
      });
    });

    it('reads the items through GraphQL', async () => {
      const res = await gql(`{ ${VIEW}(sort: ["id"]) { name value } }`).expect(200);
      expect(res.body).toEqual({
        data: {
          [VIEW]: [
            { name: 'item_a', value: 10 },
            { name: 'item_b', value: 20 },
          ],
        },
      });
    });

    it('POST /items/:collection is refused (400)', async () => {
      const res = await t.http.post(`/items/${VIEW}`).set(t.admin).send({ name: 'should_fail', value: 99 }).expect(400);
      expect(res.body).toEqual(readOnly(VIEW));
    });

    it('PATCH /items/:collection/:id is refused (400)', async () => {
      const [{ id }] = (await get(`/items/${VIEW}?limit=1`).expect(200)).body.data as { id: number }[];
      expect(id).toBeDefined();
      const res = await t.http.patch(`/items/${VIEW}/${id}`).set(t.admin).send({ name: 'should_fail' }).expect(400);
      expect(res.body).toEqual(readOnly(VIEW));
    });

    it('DELETE /items/:collection/:id is refused (400)', async () => {
      const [{ id }] = (await get(`/items/${VIEW}?limit=1`).expect(200)).body.data as { id: number }[];
      const res = await t.http.delete(`/items/${VIEW}/${id}`).set(t.admin).expect(400);
      expect(res.body).toEqual(readOnly(VIEW));
      expect((await get(`/items/${SOURCE}?fields=name&sort=id`).expect(200)).body).toEqual({
        data: [{ name: 'item_a' }, { name: 'item_b' }],
      });
    });
  });

  describe('beyond the blackbox test', () => {
    it('lists the view in GET /collections with type "view"; tables keep their schema object', async () => {
      const all = (await get('/collections').expect(200)).body.data as { collection: string; schema: unknown }[];
      expect(all.find((c) => c.collection === VIEW)?.schema).toEqual({
        name: VIEW,
        schema: 'public',
        comment: null,
        type: 'view',
      });
      expect(all.find((c) => c.collection === SOURCE)?.schema).toEqual({
        name: SOURCE,
        schema: 'public',
        comment: null,
      });
    });

    it('filters, sorts, reads by key and aggregates a view as a table', async () => {
      expect((await get(`/items/${VIEW}?filter[value][_gt]=15&fields=name`).expect(200)).body).toEqual({
        data: [{ name: 'item_b' }],
      });
      expect((await get(`/items/${VIEW}?sort=-value&fields=name`).expect(200)).body).toEqual({
        data: [{ name: 'item_b' }, { name: 'item_a' }],
      });
      expect((await get(`/items/${VIEW}/2`).expect(200)).body).toEqual({
        data: { id: 2, name: 'item_b', value: 20 },
      });
      const aggregate = 'aggregate[count]=*&aggregate[sum]=value';
      const fromView = (await get(`/items/${VIEW}?${aggregate}`).expect(200)).body;
      expect(fromView).toEqual((await get(`/items/${SOURCE}?${aggregate}`).expect(200)).body);
    });

    it('the view\'s "id" column is its primary key in /fields', async () => {
      const res = await get(`/fields/${VIEW}/id`).expect(200);
      expect(res.body.data.schema.is_primary_key).toBe(true);
    });

    it('refuses batch and by-query writes too (400)', async () => {
      expect(
        (
          await t.http
            .post(`/items/${VIEW}`)
            .set(t.admin)
            .send([{ name: 'x' }])
            .expect(400)
        ).body,
      ).toEqual(readOnly(VIEW));
      expect(
        (
          await t.http
            .patch(`/items/${VIEW}`)
            .set(t.admin)
            .send({ keys: [1], data: { name: 'x' } })
            .expect(400)
        ).body,
      ).toEqual(readOnly(VIEW));
      expect((await t.http.delete(`/items/${VIEW}`).set(t.admin).send([1]).expect(400)).body).toEqual(readOnly(VIEW));
    });

    it('a view without an "id" column is not a collection', async () => {
      expect((await get(`/collections/${NO_ID}`).expect(403)).body).toEqual(FORBIDDEN);
      expect((await get(`/items/${NO_ID}`).expect(403)).body.errors[0].extensions.code).toBe('FORBIDDEN');
      const all = (await get('/collections').expect(200)).body.data as { collection: string }[];
      expect(all.map((c) => c.collection)).not.toContain(NO_ID);
    });

    it('serves a materialized view read-only', async () => {
      expect((await get(`/collections/${MATERIALIZED}`).expect(200)).body.data.schema).toEqual({
        name: MATERIALIZED,
        schema: 'public',
        comment: null,
        type: 'view',
      });
      expect((await get(`/items/${MATERIALIZED}?sort=id`).expect(200)).body).toEqual({
        data: [
          { id: 1, name: 'item_a', doubled: 20 },
          { id: 2, name: 'item_b', doubled: 40 },
        ],
      });
      expect((await t.http.post(`/items/${MATERIALIZED}`).set(t.admin).send({ name: 'x' }).expect(400)).body).toEqual(
        readOnly(MATERIALIZED),
      );
    });

    it('GraphQL has queries but no mutation for a view (introspection), and refuses one by name', async () => {
      const res = await gql(
        '{ q: __type(name: "Query") { fields { name } } m: __type(name: "Mutation") { fields { name } } }',
      );
      const names = (type: string) => (res.body.data[type].fields as { name: string }[]).map((f) => f.name);
      expect(names('q')).toEqual(expect.arrayContaining([VIEW, `${VIEW}_by_id`, `${VIEW}_aggregated`]));
      expect(names('m')).toContain(`create_${SOURCE}_item`);
      expect(names('m').filter((n) => n.includes(VIEW) || n.includes(MATERIALIZED))).toEqual([]);
      const mutation = await gql(`mutation { create_${VIEW}_item(data: { name: "x" }) { id } }`);
      expect(mutation.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION');
    });

    it('a role with a read permission filtered by item sees only its rows of the view, and may not write', async () => {
      const reader: TestUser = await userWith(t, [
        { collection: VIEW, action: 'read', permissions: { value: { _gt: 15 } } },
        { collection: VIEW, action: 'create' },
      ]);
      expect((await t.http.get(`/items/${VIEW}`).set(reader.auth).expect(200)).body).toEqual({
        data: [{ id: 2, name: 'item_b', value: 20 }],
      });
      expect((await t.http.get(`/items/${VIEW}/1`).set(reader.auth).expect(403)).body).toEqual(FORBIDDEN);
      expect((await gql(`{ ${VIEW} { name } }`, reader.auth).expect(200)).body).toEqual({
        data: { [VIEW]: [{ name: 'item_b' }] },
      });
      expect((await t.http.post(`/items/${VIEW}`).set(reader.auth).send({ name: 'x' }).expect(400)).body).toEqual(
        readOnly(VIEW),
      );
    });

    it("refuses to alter a view's fields or drop it (400); its meta may be set", async () => {
      const fields = `/fields/${VIEW}`;
      expect(
        (await t.http.post(fields).set(t.admin).send({ field: 'extra', type: 'string' }).expect(400)).body,
      ).toEqual(readOnly(VIEW));
      expect(
        (
          await t.http
            .patch(`${fields}/name`)
            .set(t.admin)
            .send({ meta: { note: 'n' } })
            .expect(400)
        ).body,
      ).toEqual(readOnly(VIEW));
      expect((await t.http.delete(`${fields}/name`).set(t.admin).expect(400)).body).toEqual(readOnly(VIEW));
      expect((await t.http.delete(`/collections/${VIEW}`).set(t.admin).expect(400)).body).toEqual(readOnly(VIEW));
      const patched = await t.http
        .patch(`/collections/${VIEW}`)
        .set(t.admin)
        .send({ meta: { note: 'A report' } })
        .expect(200);
      expect(patched.body.data.meta.note).toBe('A report');
      expect(patched.body.data.schema.type).toBe('view');
      const [{ relkind }] = (
        await t.db.client.query<{ relkind: string }>(`SELECT relkind FROM pg_class WHERE relname = $1`, [VIEW])
      ).rows;
      expect(relkind).toBe('v');
    });

    it('a view created in the database after boot is served by the next request naming it', async () => {
      await t.db.client.query(`CREATE VIEW "${LATER}" AS SELECT "id", "name" FROM "${SOURCE}" WHERE "value" < 15`);
      // The catalogue is read at most once a second for unknown names (the tests above asked for some).
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await get(`/items/${LATER}`).expect(200)).body).toEqual({ data: [{ id: 1, name: 'item_a' }] });
      expect((await gql(`{ ${LATER} { name } }`).expect(200)).body).toEqual({
        data: { [LATER]: [{ name: 'item_a' }] },
      });
    });
  });
});
