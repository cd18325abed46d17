import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from './support/app';
import {
  BLACKBOX_ENV,
  MAX_BATCH,
  PK_TYPES,
  expectOverBatchLimit,
  expectWithinBatchLimit,
  itemsHelpers,
  type Any,
  type PkType,
} from './support/directus-blackbox';

/**
 * The REST and GraphQL requests of Directus's own blackbox suite (github:directus/directus tests/blackbox) for the
 * /items routes, replayed against Tessera with the env the suite runs Directus with (common/config.ts:
 * MAX_BATCH_MUTATION=100, MAX_RELATIONAL_DEPTH=5, MAX_PAYLOAD_SIZE=10mb, ACCESS_TOKEN_TTL=25d), each case with the
 * suite's own requests and assertions, per primary key type (integer, uuid, string) where the suite iterates them.
 * The suite's GraphQL client (common/transport.ts requestGraphQL) turns a json-to-graphql-query object into a
 * query string; `toGql` (support/directus-blackbox.ts) does the same. The WebSocket halves of these files are in
 * realtime-blackbox; the relational files are in directus-blackbox-items-m2o-o2m and -m2m-m2a, the json ones in
 * directus-blackbox-items-json.
 * - tests/db/routes/items/no-relation.test.ts: GET/PATCH/DELETE one, GET/POST/PATCH/DELETE many, invalid ids and
 *   tables, logical filters, aggregation (count, groupBy + sort on count.id), offset/limit/sort (also in
 *   aggregations), MAX_BATCH_MUTATION for createMany/updateBatch/updateMany/updateByQuery/deleteMany/deleteByQuery,
 *   meta=*, the auto increment after an explicit id, and `filter[id][_in][n]` with n > 20.
 * - alias.test.ts, aggregate-relational-filter.test.ts, hash-filter.test.ts, conceal-filter.test.ts and
 *   singleton.test.ts.
 * - case-when.test.ts: a user created with its policy and the policy's permissions in one nested create, reading
 *   (and grouping by `day(date_created)`) the articles it created through a `user_created.id` permission.
 */
describe('Directus blackbox: /items', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(BLACKBOX_ENV);
  });
  afterAll(() => t.close());

  const {
    gql,
    createItem,
    createRows,
    createCollection,
    createField,
    createFieldM2M,
    createFieldO2M,
    expectFilterCount,
  } = itemsHelpers(() => t);

  describe('no-relation.test.ts', () => {
    const collectionArtists = 'test_items_no_relations_artists';

    beforeAll(async () => {
      for (const pkType of PK_TYPES) {
        await createCollection(`${collectionArtists}_${pkType}`, pkType);
        for (const field of ['name', 'company']) await createField(`${collectionArtists}_${pkType}`, field, 'string');
      }
    });

    type Artist = { id?: number | string; name: string; company?: string };
    function createArtist(pkType: PkType): Artist {
      const item: Artist = { name: 'artist-' + randomUUID() };
      if (pkType === 'string') item.id = 'artist-' + randomUUID();
      return item;
    }

    describe.each(PK_TYPES)('pkType: %s', (pkType) => {
      const local = `${collectionArtists}_${pkType}`;
      /** `n` new artists, the i-th with `over(i)` on top. */
      const newArtists = (n: number, over: (i: number) => Partial<Artist> = () => ({})) =>
        Array.from({ length: n }, (_, i) => ({ ...createArtist(pkType), ...over(i) }));

      it('GET /:collection/:id retrieves one artist', async () => {
        const artist = createArtist(pkType);
        const inserted = await createItem(local, artist);
        const response = await t.http.get(`/items/${local}/${inserted.id}`).set(t.admin);
        const gqlResponse = await gql({
          query: { [local]: { __args: { filter: { id: { _eq: inserted.id } } }, name: true } },
        });
        expect(response.statusCode).toEqual(200);
        expect(response.body.data).toMatchObject({ name: artist.name });
        expect(gqlResponse.statusCode).toEqual(200);
        expect(gqlResponse.body.data).toMatchObject({ [local]: [{ name: artist.name }] });
      });

      it('GET /:collection/:id returns an error when an invalid id is used', async () => {
        const response = await t.http.get(`/items/${local}/invalid_id`).set(t.admin);
        const gqlResponse = await gql({
          query: { [local]: { __args: { filter: { id: { _eq: 'invalid_id' } } }, id: true } },
        });
        expect(response.statusCode).toBe(403);
        expect(gqlResponse.statusCode).toBe(200);
        if (pkType === 'string') expect(gqlResponse.body.data[local].length).toEqual(0);
        else expect(gqlResponse.body.errors).toBeDefined();
      });

      it('GET /:collection/:id returns an error when an invalid table is used', async () => {
        const response = await t.http.get(`/items/invalid_table/1`).set(t.admin);
        const gqlResponse = await gql({
          query: { invalid_table: { __args: { filter: { id: { _eq: 1 } } }, id: true } },
        });
        expect(response.status).toBe(403);
        expect(gqlResponse.statusCode).toBe(400);
        expect(gqlResponse.body.errors).toBeDefined();
      });

      it(`PATCH /:collection/:id updates one artist's name`, async () => {
        const inserted = await createItem(local, createArtist(pkType));
        const response = await t.http.patch(`/items/${local}/${inserted.id}`).send({ name: 'updated' }).set(t.admin);
        const mutationKey = `update_${local}_item`;
        const gqlResponse = await gql({
          mutation: {
            [mutationKey]: { __args: { id: inserted.id, data: { name: 'updated2' } }, id: true, name: true },
          },
        });
        expect(response.statusCode).toEqual(200);
        expect(response.body.data).toMatchObject({ id: inserted.id, name: 'updated' });
        expect(gqlResponse.statusCode).toBe(200);
        expect(gqlResponse.body.data[mutationKey]).toEqual({ id: String(inserted.id), name: 'updated2' });
      });

      it('DELETE /:collection/:id deletes an artist', async () => {
        const inserted = await createItem(local, createArtist(pkType));
        const inserted2 = await createItem(local, createArtist(pkType));
        const response = await t.http.delete(`/items/${local}/${inserted.id}`).set(t.admin);
        const mutationKey = `delete_${local}_item`;
        const del = await gql({ mutation: { [mutationKey]: { __args: { id: inserted2.id }, id: true } } });
        expect(del.body).toEqual({ data: { [mutationKey]: { id: String(inserted2.id) } } });
        const gqlResponse = await gql({
          query: { [local]: { __args: { filter: { id: { _eq: inserted2.id } } }, id: true } },
        });
        expect(response.statusCode).toEqual(204);
        expect(response.body.data).toBe(undefined);
        expect(gqlResponse.statusCode).toBe(200);
        expect(gqlResponse.body.data[local].length).toEqual(0);
      });

      it('GET /:collection retrieves all items from artist table', async () => {
        const artists = newArtists(50);
        await createItem(local, artists);
        const response = await t.http.get(`/items/${local}`).set(t.admin);
        const gqlResponse = await gql({ query: { [local]: { id: true } } });
        expect(response.statusCode).toEqual(200);
        expect(response.body.data.length).toBeGreaterThanOrEqual(50);
        expect(gqlResponse.statusCode).toBe(200);
        expect(gqlResponse.body.data[local].length).toBeGreaterThanOrEqual(50);
      });

      it('GET /:collection returns an error when an invalid table is used', async () => {
        const response = await t.http.get(`/items/invalid_table`).set(t.admin);
        const gqlResponse = await gql({ query: { invalid_table: { id: true } } });
        expect(response.statusCode).toBe(403);
        expect(gqlResponse.statusCode).toBe(400);
        expect(gqlResponse.body.errors).toBeDefined();
      });

      it('POST /:collection createOne creates one artist', async () => {
        const artist = createArtist(pkType);
        artist.name = 'one-' + artist.name;
        const artist2 = createArtist(pkType);
        artist2.name = 'one-' + artist2.name;
        const response = await t.http.post(`/items/${local}`).send(artist).set(t.admin);
        const mutationKey = `create_${local}_item`;
        const gqlResponse = await gql({ mutation: { [mutationKey]: { __args: { data: artist2 }, name: true } } });
        expect(response.statusCode).toEqual(200);
        expect(response.body.data).toMatchObject({ name: artist.name });
        expect(gqlResponse.statusCode).toEqual(200);
        expect(gqlResponse.body.data[mutationKey]).toMatchObject({ name: artist2.name });
      });

      it('POST /:collection createMany creates 5 artists', async () => {
        const artists = newArtists(5);
        const artists2 = newArtists(5);
        const response = await t.http.post(`/items/${local}`).send(artists).set(t.admin);
        const mutationKey = `create_${local}_items`;
        const gqlResponse = await gql({ mutation: { [mutationKey]: { __args: { data: artists2 }, name: true } } });
        expect(response.statusCode).toEqual(200);
        expect(response.body.data.length).toBe(5);
        expect(gqlResponse.statusCode).toEqual(200);
        expect(gqlResponse.body.data[mutationKey].length).toBe(5);
      });

      it('POST /:collection returns an error when an invalid table is used', async () => {
        const response = await t.http.post(`/items/invalid_table`).send(createArtist(pkType)).set(t.admin);
        const gqlResponse = await gql({
          mutation: { create_invalid_table_item: { __args: { data: createArtist(pkType) }, name: true } },
        });
        expect(response.statusCode).toBe(403);
        expect(gqlResponse.statusCode).toBe(400);
        expect(gqlResponse.body.errors).toBeDefined();
      });

      it('PATCH /:collection updates many artists to a different name', async () => {
        const inserted = await createItem(local, newArtists(5));
        const keys = inserted.map((item: Any) => item.id);
        const response = await t.http
          .patch(`/items/${local}?fields=name`)
          .send({ keys, data: { name: 'updated' } })
          .set(t.admin);
        const mutationKey = `update_${local}_items`;
        const gqlResponse = await gql({
          mutation: { [mutationKey]: { __args: { ids: keys, data: { name: 'updated2' } }, name: true } },
        });
        expect(response.statusCode).toEqual(200);
        expect(response.body.data).toEqual(keys.map(() => ({ name: 'updated' })));
        expect(gqlResponse.statusCode).toEqual(200);
        expect(gqlResponse.body.data[mutationKey]).toEqual(keys.map(() => ({ name: 'updated2' })));
      });

      it('DELETE /:collection deletes many artists', async () => {
        const keys = (await createItem(local, newArtists(10))).map((i: Any) => i.id);
        const keys2 = (await createItem(local, newArtists(10))).map((i: Any) => i.id);
        const response = await t.http.delete(`/items/${local}`).send(keys).set(t.admin);
        const mutationKey = `delete_${local}_items`;
        const del = await gql({ mutation: { [mutationKey]: { __args: { ids: keys2 }, ids: true } } });
        expect(del.body).toEqual({ data: { [mutationKey]: { ids: keys2.map(String) } } });
        const gqlResponse = await gql({ query: { [local]: { __args: { filter: { id: { _in: keys2 } } }, id: true } } });
        expect(response.statusCode).toEqual(204);
        expect(response.body.data).toBe(undefined);
        expect(gqlResponse.statusCode).toBe(200);
        expect(gqlResponse.body.data[local].length).toEqual(0);
      });

      it('Logical Filters: name equality _AND company equality', async () => {
        const artists = newArtists(6, () => ({ name: 'logical-filter-and', company: 'and-equality' }));
        await createItem(local, artists);
        const filter = { _and: [{ name: { _eq: 'logical-filter-and' } }, { company: { _eq: 'and-equality' } }] };
        await expectFilterCount(local, filter, 6);
      });

      it('Logical Filters: name equality _OR company equality', async () => {
        await createItem(
          local,
          newArtists(5, () => ({ name: 'logical-filter-or' })),
        );
        await createItem(
          local,
          newArtists(5, () => ({ company: 'or-equality' })),
        );
        const filter = { _or: [{ name: { _eq: 'logical-filter-or' } }, { company: { _eq: 'or-equality' } }] };
        await expectFilterCount(local, filter, 10);
      });

      it('Aggregation: retrieves count correctly (qs-style aggregate and filter)', async () => {
        const artistName = 'aggregate-count';
        await createItem(
          local,
          newArtists(10, () => ({ name: artistName })),
        );
        const response = await t.http
          .get(`/items/${local}`)
          .query({ aggregate: { count: 'id' }, filter: { name: { _eq: artistName } } })
          .set(t.admin);
        const queryKey = `${local}_aggregated`;
        const gqlResponse = await gql({
          query: { [queryKey]: { __args: { filter: { name: { _eq: artistName } } }, count: { id: true } } },
        });
        expect(response.statusCode).toBe(200);
        expect(response.body.data[0].count.id == 10).toBeTruthy();
        expect(gqlResponse.statusCode).toBe(200);
        expect(gqlResponse.body.data[queryKey][0].count.id).toEqual(10);
      });

      it('Aggregation: sorts grouped items correctly', async () => {
        const artistName = 'aggregate-sort-group';
        const artists = newArtists(50, (i) => ({ name: artistName, company: i <= 10 ? 'a' : i <= 25 ? 'b' : 'c' }));
        await createItem(local, artists);
        const response = await t.http
          .get(`/items/${local}`)
          .query({
            aggregate: { count: 'id' },
            groupBy: ['company'],
            filter: { name: { _eq: artistName } },
            sort: '-count.id',
          })
          .set(t.admin);
        const queryKey = `${local}_aggregated`;
        const gqlResponse = await gql({
          query: {
            [queryKey]: {
              __args: { filter: { name: { _eq: artistName } }, sort: '-count.id', groupBy: ['company'] },
              count: { id: true },
              group: true,
            },
          },
        });
        expect(response.statusCode).toBe(200);
        expect(response.body.data.map((r: Any) => parseInt(r.count.id))).toEqual([24, 15, 11]);
        expect(gqlResponse.statusCode).toBe(200);
        expect(gqlResponse.body.data[queryKey].map((r: Any) => parseInt(r.count.id))).toEqual([24, 15, 11]);
      });

      it('Offset: retrieves offset correctly', async () => {
        const artistName = 'offset-test';
        await createItem(
          local,
          newArtists(7, () => ({ name: artistName })),
        );
        const response = await t.http
          .get(`/items/${local}`)
          .query({ filter: JSON.stringify({ name: { _eq: artistName } }), offset: 3 })
          .set(t.admin);
        const gqlResponse = await gql({
          query: { [local]: { __args: { filter: { name: { _eq: artistName } }, offset: 3 }, id: true } },
        });
        expect(response.statusCode).toBe(200);
        expect(response.body.data.length).toBe(4);
        expect(gqlResponse.statusCode).toBe(200);
        expect(gqlResponse.body.data[local].length).toEqual(4);
      });

      it('Offset: retrieves offset with limit and sort correctly', async () => {
        const [count, offset, limit, sort] = [9, 4, 3, 'name'];
        const artistName = 'offset-limit-sort-test';
        const asc = Array.from(Array(count).keys()).slice(offset, offset + limit);
        const desc = Array.from(Array(count).keys())
          .sort((v) => -v)
          .slice(offset, offset + limit);
        await createItem(
          local,
          newArtists(count, (i) => ({ name: `${i}-${artistName}` })),
        );
        const filter = { name: { _contains: artistName } };
        for (const [s, expected] of [
          [sort, asc],
          [`-${sort}`, desc],
        ] as const) {
          const response = await t.http
            .get(`/items/${local}`)
            .query({ filter: JSON.stringify(filter), offset, limit, sort: s })
            .set(t.admin);
          const gqlResponse = await gql({
            query: { [local]: { __args: { filter, offset, limit, sort: s }, id: true, name: true } },
          });
          expect(response.statusCode).toBe(200);
          expect(response.body.data.map((v: Any) => parseInt(v.name.split('-')[0]))).toEqual(expected);
          expect(gqlResponse.statusCode).toBe(200);
          expect(gqlResponse.body.data[local].map((v: Any) => parseInt(v.name.split('-')[0]))).toEqual(expected);
        }
      });

      it('Offset: retrieves offset in aggregation with limit correctly', async () => {
        const [offset, limit, groupBy] = [3, 3, ['id', 'name']];
        const artistName = 'offset-aggregation-limit-test';
        await createItem(
          local,
          newArtists(10, (i) => ({ name: `${i}-${artistName}` })),
        );
        const queryKey = `${local}_aggregated`;
        const filter = { name: { _contains: artistName } };
        const rest = (o: number) =>
          t.http
            .get(`/items/${local}`)
            .query({ aggregate: { count: 'id' }, filter: JSON.stringify(filter), offset: o, limit, groupBy })
            .set(t.admin);
        const gq = (o: number) =>
          gql({
            query: {
              [queryKey]: { __args: { filter, offset: o, limit, groupBy }, count: { id: true }, group: true },
            },
          });
        const [response, response2, gqlResponse, gqlResponse2] = [
          await rest(offset),
          await rest(offset * 2),
          await gq(offset),
          await gq(offset * 2),
        ];
        expect(response.statusCode).toBe(200);
        expect(response.body.data.length).toBe(limit);
        expect(response2.statusCode).toBe(200);
        expect(response2.body.data.length).toBe(limit);
        expect(gqlResponse.statusCode).toBe(200);
        expect(gqlResponse.body.data[queryKey].length).toEqual(limit);
        expect(gqlResponse2.statusCode).toBe(200);
        expect(gqlResponse2.body.data[queryKey].length).toEqual(limit);
        for (const item of response.body.data) expect(response2.body.data).not.toContain(item);
        const ids2 = gqlResponse2.body.data[queryKey].map((v: Any) => v.group.id);
        for (const v of gqlResponse.body.data[queryKey]) expect(ids2).not.toContain(v.group.id);
      });

      it('Offset: retrieves offset in aggregation with limit and sort correctly', async () => {
        const [count, offset, limit, sort, groupBy] = [10, 3, 6, 'name', ['id', 'name']];
        const artistName = 'offset-aggregation-limit-sort-test';
        const asc = Array.from(Array(count).keys()).slice(offset, offset + limit);
        const desc = Array.from(Array(count).keys())
          .sort((v) => -v)
          .slice(offset, offset + limit);
        await createItem(
          local,
          newArtists(count, (i) => ({ name: `${i}-${artistName}` })),
        );
        const queryKey = `${local}_aggregated`;
        const filter = { name: { _contains: artistName } };
        for (const [s, expected] of [
          [sort, asc],
          [`-${sort}`, desc],
        ] as const) {
          const response = await t.http
            .get(`/items/${local}`)
            .query({ aggregate: { count: 'id' }, filter: JSON.stringify(filter), offset, limit, sort: s, groupBy })
            .set(t.admin);
          const gqlResponse = await gql({
            query: {
              [queryKey]: { __args: { filter, offset, limit, sort: s, groupBy }, count: { id: true }, group: true },
            },
          });
          expect(response.statusCode).toBe(200);
          expect(response.body.data.map((v: Any) => parseInt(v.name.split('-')[0]))).toEqual(expected);
          expect(gqlResponse.statusCode).toBe(200);
          expect(gqlResponse.body.data[queryKey].map((v: Any) => parseInt(v.group.name.split('-')[0]))).toEqual(
            expected,
          );
        }
      });

      it.each([MAX_BATCH, MAX_BATCH + 1])('MAX_BATCH_MUTATION: createMany of %i', async (count) => {
        const artists = newArtists(count);
        const artists2 = newArtists(count);
        const response = await t.http.post(`/items/${local}`).send(artists).set(t.admin);
        const mutationKey = `create_${local}_items`;
        const gqlResponse = await gql({ mutation: { [mutationKey]: { __args: { data: artists2 }, id: true } } });
        if (count === MAX_BATCH) expectWithinBatchLimit(count, response, gqlResponse, mutationKey);
        else expectOverBatchLimit(response, gqlResponse);
      });

      it.each([MAX_BATCH, MAX_BATCH + 1])('MAX_BATCH_MUTATION: updateBatch of %i', async (count) => {
        const artists = await createRows(local, newArtists(count));
        const artists2 = await createRows(local, newArtists(count));
        const response = await t.http.patch(`/items/${local}`).send(artists).set(t.admin);
        const mutationKey = `update_${local}_batch`;
        const gqlResponse = await gql({ mutation: { [mutationKey]: { __args: { data: artists2 }, id: true } } });
        if (count === MAX_BATCH) expectWithinBatchLimit(count, response, gqlResponse, mutationKey);
        else expectOverBatchLimit(response, gqlResponse);
      });

      it.each([MAX_BATCH, MAX_BATCH + 1])('MAX_BATCH_MUTATION: updateMany of %i', async (count) => {
        const ids = (await createRows(local, newArtists(count))).map((r) => r.id);
        const ids2 = (await createRows(local, newArtists(count))).map((r) => r.id);
        const response = await t.http
          .patch(`/items/${local}`)
          .send({ keys: ids, data: { name: 'updated' } })
          .set(t.admin);
        const mutationKey = `update_${local}_items`;
        const gqlResponse = await gql({
          mutation: { [mutationKey]: { __args: { ids: ids2, data: { name: 'updated' } }, id: true } },
        });
        if (count === MAX_BATCH) expectWithinBatchLimit(count, response, gqlResponse, mutationKey);
        else expectOverBatchLimit(response, gqlResponse);
      });

      it.each([MAX_BATCH, MAX_BATCH + 1])('MAX_BATCH_MUTATION: updateByQuery of %i', async (count) => {
        const company = randomUUID();
        await createRows(
          local,
          newArtists(count, () => ({ company })),
        );
        const response = await t.http
          .patch(`/items/${local}`)
          .send({
            query: { filter: JSON.stringify({ company: { _eq: company } }), limit: -1 },
            data: { name: 'updated' },
          })
          .set(t.admin);
        if (count === MAX_BATCH) expectWithinBatchLimit(count, response);
        else expectOverBatchLimit(response);
      });

      it.each([MAX_BATCH, MAX_BATCH + 1])('MAX_BATCH_MUTATION: deleteMany of %i', async (count) => {
        const lists: Any[][] = [];
        for (let i = 0; i < 4; i++) {
          lists.push((await createRows(local, newArtists(count))).map((r) => r.id));
        }
        const response = await t.http.delete(`/items/${local}`).send({ keys: lists[0] }).set(t.admin);
        const response2 = await t.http.delete(`/items/${local}`).send({ keys: lists[1] }).set(t.admin);
        const mutationKey = `delete_${local}_items`;
        const gqlResponse = await gql({ mutation: { [mutationKey]: { __args: { ids: lists[2] }, ids: true } } });
        const gqlResponse2 = await gql({ mutation: { [mutationKey]: { __args: { ids: lists[3] }, ids: true } } });
        if (count === MAX_BATCH) {
          expect(response.statusCode).toBe(204);
          expect(response2.statusCode).toBe(204);
          expect(gqlResponse.statusCode).toBe(200);
          expect(gqlResponse.body.data[mutationKey].ids.length).toEqual(count);
          expect(gqlResponse2.statusCode).toBe(200);
          expect(gqlResponse2.body.data[mutationKey].ids.length).toEqual(count);
        } else {
          expectOverBatchLimit([response, response2], [gqlResponse, gqlResponse2]);
        }
      });

      it.each([MAX_BATCH, MAX_BATCH + 1])('MAX_BATCH_MUTATION: deleteByQuery of %i', async (count) => {
        const company = randomUUID();
        await createRows(
          local,
          newArtists(count, () => ({ company })),
        );
        const response = await t.http
          .delete(`/items/${local}`)
          .send({ query: { filter: JSON.stringify({ company: { _eq: company } }), limit: -1 } })
          .set(t.admin);
        if (count === MAX_BATCH) expect(response.statusCode).toBe(204);
        else expectOverBatchLimit(response);
      });

      it('Meta Service: retrieves filter count correctly', async () => {
        const name = 'test-meta-service-count';
        await createItem(local, [
          { ...createArtist(pkType), name },
          { ...createArtist(pkType), name },
        ]);
        const response = await t.http
          .get(`/items/${local}`)
          .query({ filter: JSON.stringify({ name: { _eq: name } }), meta: '*' })
          .set(t.admin);
        expect(response.statusCode).toBe(200);
        expect(response.body.meta.filter_count).toBe(2);
        expect(response.body.data.length).toBe(2);
      });

      if (pkType === 'integer') {
        it('Auto Increment: updates the auto increment value correctly', async () => {
          const name = 'test-auto-increment';
          await createItem(local, [
            { ...createArtist(pkType), id: 101111, name },
            { ...createArtist(pkType), name },
          ]);
          const response = await t.http
            .get(`/items/${local}`)
            .query({ filter: JSON.stringify({ name: { _eq: name } }) })
            .set(t.admin);
          expect(response.statusCode).toBe(200);
          expect(response.body.data.map((v: Any) => v.id)).toEqual([101111, 101112]);
        });
      }
    });

    it('Query parameters with array indices larger than 20', async () => {
      const local = `${collectionArtists}_integer`;
      const items = await createItem(
        local,
        Array.from({ length: 30 }, () => createArtist('integer')),
      );
      const filter = items.map((v: Any, i: number) => `filter[id][_in][${i}]=${v.id}`).join('&');
      const response = await t.http.get(`/items/${local}`).query(filter).set(t.admin);
      expect(response.statusCode).toEqual(200);
      expect(response.body.data.length).toEqual(30);
    });
  });

  describe('alias.test.ts', () => {
    const collectionProducts = 'test_items_alias_products';
    const metadata = [
      {
        color: 'red',
        brand: 'BrandX',
        dimensions: { width: 10, height: 20 },
        tags: ['electronics', 'premium'],
        variants: [{ sku: 'SKU-001', price: 99.99 }],
      },
      {
        color: 'blue',
        brand: 'BrandY',
        dimensions: { width: 15, height: 25 },
        tags: ['home'],
        variants: [{ sku: 'SKU-002', price: 49.99 }],
      },
      { color: 'green', brand: 'BrandX', dimensions: { width: 12, height: 18 }, tags: ['outdoor'], variants: [] },
      { color: 'black', tags: [] },
    ];
    const settings = [{ theme: 'dark' }, { theme: 'light' }, { theme: 'auto' }, null];

    beforeAll(async () => {
      for (const pkType of PK_TYPES) {
        const c = `${collectionProducts}_${pkType}`;
        await createCollection(c, pkType);
        await createField(c, 'name', 'string');
        for (const field of ['metadata', 'settings']) await createField(c, field, 'json', { special: ['cast-json'] });
        await createItem(
          c,
          ['Alpha', 'Beta', 'Gamma', 'Zeta'].map((name, i) => ({
            ...(pkType === 'string' ? { id: `product-${i}` } : {}),
            name,
            metadata: metadata[i],
            settings: settings[i],
          })),
        );
      }
    });

    describe.each(PK_TYPES)('pkType: %s', (pkType) => {
      const c = `${collectionProducts}_${pkType}`;
      const get = (query: Record<string, unknown>) => t.http.get(`/items/${c}`).query(query).set(t.admin);
      /** GET with `fields` and `alias` (and the rest of the query): 200, the response. */
      const aliased = async (fields: string, alias: Record<string, string>, query: Record<string, unknown>) => {
        const r = await get({ fields, alias: JSON.stringify(alias), ...query });
        expect(r.statusCode).toEqual(200);
        return r;
      };

      it('json() aliasing: simple, nested, array index, deep, several, with regular fields, missing, object', async () => {
        let r = await aliased('id,my_color', { my_color: 'json(metadata, color)' }, { sort: 'name' });
        expect(r.body.data[0]).toHaveProperty('my_color');
        expect(r.body.data[0]).not.toHaveProperty('metadata_color_json');
        expect(r.body.data[0].my_color).toBe('red');
        expect(r.body.data[1].my_color).toBe('blue');

        r = await aliased(
          'id,width,height',
          { width: 'json(metadata, dimensions.width)', height: 'json(metadata, dimensions.height)' },
          { sort: 'name', limit: 1 },
        );
        expect(r.body.data[0]).not.toHaveProperty('metadata_dimensions_width_json');
        expect(Number(r.body.data[0].width)).toBe(10);
        expect(Number(r.body.data[0].height)).toBe(20);

        r = await aliased('id,first_tag', { first_tag: 'json(metadata, tags[0])' }, { sort: 'name', limit: 1 });
        expect(r.body.data[0]).not.toHaveProperty('metadata_tags_0_json');
        expect(r.body.data[0].first_tag).toBe('electronics');

        r = await aliased('id,first_sku', { first_sku: 'json(metadata, variants[0].sku)' }, { sort: 'name', limit: 1 });
        expect(r.body.data[0].first_sku).toBe('SKU-001');

        r = await aliased(
          'id,color,brand,theme',
          { color: 'json(metadata, color)', brand: 'json(metadata, brand)', theme: 'json(settings, theme)' },
          { sort: 'name', limit: 1 },
        );
        expect(r.body.data[0]).toMatchObject({ color: 'red', brand: 'BrandX', theme: 'dark' });

        r = await aliased('id,name,metadata,color', { color: 'json(metadata, color)' }, { sort: 'name', limit: 1 });
        expect(r.body.data[0].metadata.color).toBe('red');
        expect(r.body.data[0].color).toBe('red');

        r = await aliased(
          'id,my_brand,my_width',
          { my_brand: 'json(metadata, brand)', my_width: 'json(metadata, dimensions.width)' },
          { sort: '-name', limit: 1 },
        );
        expect(r.body.data[0].my_brand).toBeNull();
        expect(r.body.data[0].my_width).toBeNull();

        r = await aliased('id,dims', { dims: 'json(metadata, dimensions)' }, { sort: 'name', limit: 1 });
        expect(r.body.data[0].dims).toEqual({ width: 10, height: 20 });
      });

      it('regular field aliasing: one, several, with *', async () => {
        let r = await aliased('id,label', { label: 'name' }, { sort: 'name' });
        expect(r.body.data[0]).toHaveProperty('label');
        expect(r.body.data[0]).not.toHaveProperty('name');
        expect(r.body.data[0].label).toBe('Alpha');

        r = await aliased('id,label,json_data', { label: 'name', json_data: 'metadata' }, { sort: 'name', limit: 1 });
        expect(r.body.data[0]).not.toHaveProperty('name');
        expect(r.body.data[0]).not.toHaveProperty('metadata');
        expect(r.body.data[0].label).toBe('Alpha');
        expect(r.body.data[0].json_data.color).toBe('red');

        r = await aliased('*,label', { label: 'name' }, { sort: 'name', limit: 1 });
        expect(r.body.data[0]).toHaveProperty('name');
        expect(r.body.data[0].label).toBe(r.body.data[0].name);
      });

      it('json alias on GET /:collection/:id and on the create response', async () => {
        const list = await get({ fields: 'id', sort: 'name', limit: 1 });
        const firstId = list.body.data[0].id;
        const alias = JSON.stringify({ color: 'json(metadata, color)', brand: 'json(metadata, brand)' });
        const one = await t.http.get(`/items/${c}/${firstId}`).query({ fields: 'id,color,brand', alias }).set(t.admin);
        expect(one.statusCode).toEqual(200);
        expect(one.body.data).toEqual({ id: firstId, color: 'red', brand: 'BrandX' });
        const created = await t.http
          .post(`/items/${c}`)
          .query({ fields: 'id,color,brand', alias })
          .send({
            name: 'New Alias Product',
            metadata: { color: 'purple', brand: 'AliasTest' },
            ...(pkType === 'string' ? { id: `alias-test-${pkType}` } : {}),
          })
          .set(t.admin);
        expect(created.statusCode).toEqual(200);
        expect(created.body.data.color).toBe('purple');
        expect(created.body.data.brand).toBe('AliasTest');
      });

      it.each([
        ['an alias key with a period', { fields: 'id', alias: JSON.stringify({ 'my.key': 'name' }) }],
        [
          'an alias value with a period that is not json()',
          { fields: 'id,label', alias: JSON.stringify({ label: 'some.relation' }) },
        ],
        ['json() without a path', { fields: 'id,my_color', alias: JSON.stringify({ my_color: 'json(metadata)' }) }],
        ['json() on a non-json field', { fields: 'id,my_val', alias: JSON.stringify({ my_val: 'json(name, color)' }) }],
      ])('rejects %s with 400', async (_, query) => {
        const r = await get(query);
        expect(r.statusCode).toEqual(400);
        expect(r.body.errors).toBeDefined();
      });
    });
  });

  describe('aggregate-relational-filter.test.ts', () => {
    describe.each(PK_TYPES)('pkType: %s', (pkType) => {
      const articles = `test_aggregate_articles_${pkType}`;
      const categories = `test_aggregate_categories_${pkType}`;
      const junction = `test_aggregate_articles_categories_${pkType}`;
      let categoryIds: unknown[] = [];

      beforeAll(async () => {
        await createCollection(categories, pkType);
        await createField(categories, 'name', 'string');
        await createCollection(articles, pkType);
        await createField(articles, 'title', 'string');
        await createField(articles, 'status', 'string');
        await createFieldM2M(articles, 'categories', categories, 'articles', junction, pkType);
        const key = (p: string) => (pkType === 'string' ? { id: `${p}-${randomUUID()}` } : {});
        // The re-read after a create comes back in key order (Directus's readMany: default sort), not payload order:
        // the suite's categoryIds[0] is "Category A" only when the keys sort that way; here they are taken by name.
        const byName = (rows: Any[], names: string[], key: string) =>
          names.map((n) => rows.find((r: Any) => r[key] === n).id);
        categoryIds = byName(
          await createItem(
            categories,
            ['Category A', 'Category B', 'Category C'].map((name) => ({ ...key('category'), name })),
          ),
          ['Category A', 'Category B', 'Category C'],
          'name',
        );
        const articleIds = byName(
          await createItem(
            articles,
            [
              ['Article 1', 'published'],
              ['Article 2', 'published'],
              ['Article 3', 'draft'],
              ['Article 4', 'draft'],
              ['Article 5', 'published'],
            ].map(([title, status]) => ({ ...key('article'), title, status })),
          ),
          ['Article 1', 'Article 2', 'Article 3', 'Article 4', 'Article 5'],
          'title',
        );
        const link = (a: number, c: number) => ({
          [`${articles}_id`]: articleIds[a],
          [`${categories}_id`]: categoryIds[c],
        });
        await createItem(junction, [
          link(0, 0),
          link(1, 0),
          link(1, 1),
          link(2, 0),
          link(2, 1),
          link(2, 2),
          link(3, 1),
        ]);
      });

      const get = (query: Record<string, unknown>) => t.http.get(`/items/${articles}`).query(query).set(t.admin);
      const byCategory = (i: number) =>
        JSON.stringify({ categories: { [`${categories}_id`]: { id: { _eq: categoryIds[i] } } } });

      it('count(*) with an M2M filter counts each row once', async () => {
        const r = await get({ aggregate: { count: '*' }, filter: byCategory(0) });
        expect(r.statusCode).toBe(200);
        expect(r.body.data).toHaveLength(1);
        expect(Number(r.body.data[0].count)).toBe(3);
      });

      it('count(field) with an M2M filter', async () => {
        const r = await get({ aggregate: { count: 'status' }, filter: byCategory(1) });
        expect(r.statusCode).toBe(200);
        expect(Number(r.body.data[0].count.status)).toBe(3);
      });

      it('count(*) without relational filter', async () => {
        const r = await get({ aggregate: { count: '*' }, filter: { status: { _eq: 'published' } } });
        expect(r.statusCode).toBe(200);
        expect(Number(r.body.data[0].count)).toBe(3);
      });

      it('count(*) with groupBy and an M2M filter', async () => {
        const r = await get({ aggregate: { count: '*' }, groupBy: ['status'], filter: byCategory(0) });
        expect(r.statusCode).toBe(200);
        expect(r.body.data).toHaveLength(2);
        expect(Number(r.body.data.find((g: Any) => g.status === 'published').count)).toBe(2);
        expect(Number(r.body.data.find((g: Any) => g.status === 'draft').count)).toBe(1);
      });

      it('countDistinct with an M2M filter', async () => {
        const r = await get({ aggregate: { countDistinct: 'status' }, filter: byCategory(0) });
        expect(r.statusCode).toBe(200);
        expect(Number(r.body.data[0].countDistinct.status)).toBe(2);
      });

      it('count(*) with a filter on the far side of the M2M', async () => {
        const r = await get({
          aggregate: { count: '*' },
          filter: JSON.stringify({ categories: { [`${categories}_id`]: { name: { _eq: 'Category A' } } } }),
        });
        expect(r.statusCode).toBe(200);
        expect(Number(r.body.data[0].count)).toBe(3);
      });
    });
  });

  /** hash-filter.test.ts and conceal-filter.test.ts: a hash field, and a string field with special `conceal`. */
  describe.each([
    ['hash-filter.test.ts', 'hash', 'hash_field', 'hash'],
    ['conceal-filter.test.ts', 'conceal', 'string_field', 'string'],
  ])('%s', (_, name, field, type) => {
    describe.each(PK_TYPES)('pkType: %s', (pkType) => {
      const first = `test_items_${name}_filter_first_${pkType}`;
      const second = `test_items_${name}_filter_second_${pkType}`;

      beforeAll(async () => {
        for (const c of [first, second]) {
          await createCollection(c, pkType);
          await createField(c, field, type, { special: [name] });
        }
        await createFieldO2M(first, 'second_ids', second, 'first_id', pkType);
        const id = () => (pkType === 'string' ? { id: randomUUID() } : {});
        await createItem(first, {
          ...id(),
          [field]: randomUUID(),
          second_ids: [{ ...id(), [field]: randomUUID() }],
        });
        await createItem(first, { ...id(), second_ids: [{ ...id() }] });
      });

      const get = (c: string, filter?: object) =>
        t.http
          .get(`/items/${c}`)
          .query(filter ? { filter: JSON.stringify(filter) } : {})
          .set(t.admin);

      it('retrieves items without filters', async () => {
        for (const c of [first, second]) {
          const r = await get(c);
          expect(r.statusCode).toEqual(200);
          expect(r.body.data.length).toBe(2);
        }
      });

      it('retrieves items with _null / _nnull on the field, at the root and through the relations', async () => {
        for (const [c, filter] of [
          [first, { [field]: { _null: true } }],
          [first, { [field]: { _nnull: true } }],
          [second, { [field]: { _null: true } }],
          [second, { [field]: { _nnull: true } }],
          [first, { second_ids: { [field]: { _null: true } } }],
          [second, { first_id: { [field]: { _null: true } } }],
        ] as const) {
          const r = await get(c, filter);
          expect(r.statusCode).toEqual(200);
          expect(r.body.data.length).toBe(1);
        }
      });

      it('errors with other operators on the field (400), at the root and through the relations', async () => {
        for (const [c, filter] of [
          [first, { [field]: { _contains: 'a' } }],
          [first, { [field]: { _eq: 'b' } }],
          [second, { [field]: { _starts_with: 'c' } }],
          [second, { [field]: { _ends_with: 'd' } }],
          [first, { second_ids: { [field]: { _contains: 'a' } } }],
          [first, { second_ids: { [field]: { _eq: 'b' } } }],
          [second, { first_id: { [field]: { _starts_with: 'c' } } }],
          [second, { first_id: { [field]: { _ends_with: 'd' } } }],
        ] as const) {
          const r = await get(c, filter);
          expect([JSON.stringify(filter), r.statusCode]).toEqual([JSON.stringify(filter), 400]);
        }
      });
    });
  });

  describe('singleton.test.ts', () => {
    describe.each(PK_TYPES)('pkType: %s', (pkType) => {
      const singleton = `test_items_singleton_${pkType}`;
      const children = `test_items_singleton_o2m_${pkType}`;

      beforeAll(async () => {
        await createCollection(singleton, pkType, { singleton: true });
        await createField(singleton, 'name', 'string');
        await createCollection(children, pkType);
        await createField(children, 'name', 'string');
        await createFieldO2M(singleton, 'o2m', children, 'singleton_id', pkType);
        // common/functions.ts UpdateItem without an id: PATCH /items/<singleton>/ (trailing slash)
        const item = await t.http
          .patch(`/items/${singleton}/`)
          .send({ ...(pkType === 'string' ? { id: 'singleton-key' } : {}), name: 'parent' })
          .set(t.admin);
        expect(item.status).toBe(200);
        await createItem(children, {
          ...(pkType === 'string' ? { id: 'singleton-child' } : {}),
          name: 'child_o2m',
          singleton_id: item.body.data.id,
        });
      });

      it('GET /:collection retrieves singleton', async () => {
        const response = await t.http.get(`/items/${singleton}`).set(t.admin);
        const gqlResponse = await gql({ query: { [singleton]: { name: true, o2m: { id: true } } } });
        expect(response.statusCode).toEqual(200);
        expect(response.body.data).toMatchObject({ name: 'parent', o2m: expect.anything() });
        expect(gqlResponse.statusCode).toEqual(200);
        expect(gqlResponse.body.data).toMatchObject({ [singleton]: { name: 'parent', o2m: expect.anything() } });
      });

      it('GET /:collection/:id returns an error when an invalid id is used', async () => {
        const response = await t.http.get(`/items/${singleton}/invalid_id`).set(t.admin);
        const gqlResponse = await gql({
          query: { [singleton]: { __args: { filter: { id: { _eq: 'invalid_id' } } }, name: true, o2m: { id: true } } },
        });
        expect(response.statusCode).toBe(403);
        expect(gqlResponse.statusCode).toBe(400);
      });

      it(`PATCH /:collection updates singleton's name with no relations`, async () => {
        const response = await t.http.patch(`/items/${singleton}`).send({ name: 'parent_updated' }).set(t.admin);
        const mutationKey = `update_${singleton}`;
        const gqlResponse = await gql({
          mutation: { [mutationKey]: { __args: { data: { name: 'parent_updated2' } }, name: true } },
        });
        expect(response.statusCode).toEqual(200);
        expect(response.body.data).toMatchObject({ name: 'parent_updated' });
        expect(gqlResponse.statusCode).toBe(200);
        expect(gqlResponse.body.data[mutationKey]).toEqual({ name: 'parent_updated2' });
      });

      it('PATCH /:collection updates o2m items (REST create/update, GraphQL the whole list)', async () => {
        const existing = (await t.http.get(`/items/${singleton}`).set(t.admin)).body.data;
        const response = await t.http
          .patch(`/items/${singleton}?fields=*.*`)
          .send({
            o2m: {
              create: [{ ...(pkType === 'string' ? { id: 'singleton-child-new' } : {}), name: 'child_o2m_new' }],
              update: [{ id: existing.o2m[0], name: 'child_o2m_updated' }],
              delete: [],
            },
          })
          .set(t.admin);
        const pre = await gql({ query: { [singleton]: { o2m: { id: true, name: true } } } });
        const updated = pre.body.data[singleton].o2m;
        updated.push({ name: 'child_o2m_new2', ...(pkType === 'string' ? { id: 'singleton-child-new2' } : {}) });
        updated[0].name = 'child_o2m_updated2';
        const mutationKey = `update_${singleton}`;
        const gqlResponse = await gql({
          mutation: { [mutationKey]: { __args: { data: { o2m: updated } }, o2m: { name: true } } },
        });
        expect(response.statusCode).toEqual(200);
        expect(response.body.data.o2m.length).toBe(2);
        expect(response.body.data.o2m.map((i: Any) => i.name)).toEqual(
          expect.arrayContaining(['child_o2m_new', 'child_o2m_updated']),
        );
        expect(gqlResponse.statusCode).toEqual(200);
        expect(gqlResponse.body.data[mutationKey].o2m.length).toBe(3);
        expect(gqlResponse.body.data[mutationKey].o2m.map((i: Any) => i.name)).toEqual(
          expect.arrayContaining(['child_o2m_new2', 'child_o2m_updated2']),
        );
      });
    });
  });
  describe('case-when.test.ts', () => {
    const collection = 'articles_case_when';
    const userToken = 'pp2KIAA3mGdgqngRVDuegxNuVj7gM-es';

    // case-when.seed.ts: the articles with their user-created and date-created fields and the M2O to directus_users
    beforeAll(async () => {
      const created = await t.http
        .post('/collections')
        .set(t.admin)
        .send({
          collection,
          fields: [
            {
              field: 'id',
              type: 'integer',
              meta: { hidden: true, interface: 'input', readonly: true },
              schema: { is_primary_key: true, has_auto_increment: true },
            },
            {
              field: 'user_created',
              type: 'uuid',
              meta: {
                special: ['user-created'],
                interface: 'select-dropdown-m2o',
                options: { template: '{{avatar}} {{first_name}} {{last_name}}' },
                display: 'user',
                readonly: true,
                hidden: true,
                width: 'half',
              },
              schema: {},
            },
            {
              field: 'date_created',
              type: 'timestamp',
              meta: {
                special: ['date-created'],
                interface: 'datetime',
                readonly: true,
                hidden: true,
                width: 'half',
                display: 'datetime',
                display_options: { relative: true },
              },
              schema: {},
            },
          ],
          schema: {},
          meta: { singleton: false },
        });
      expect(created.statusCode).toBe(200);
      const relation = await t.http
        .post('/relations')
        .set(t.admin)
        .send({ collection, field: 'user_created', related_collection: 'directus_users', schema: {} });
      expect(relation.statusCode).toBe(200);
    });

    it('retrieves items with filters', async () => {
      // the user, its policy and the policy's permissions in one nested create
      const userResponse = await t.http
        .post('/users')
        .set(t.admin)
        .send({
          first_name: 'john',
          email: 'j@mail.com',
          password: '12345',
          token: userToken,
          policies: {
            create: [
              {
                policy: {
                  name: 'sample',
                  permissions: {
                    create: [
                      {
                        policy: '+',
                        permissions: { _and: [{ user_created: { id: { _eq: '$CURRENT_USER' } } }] },
                        validation: null,
                        fields: ['id', 'user_created', 'date_created'],
                        presets: null,
                        collection,
                        action: 'read',
                      },
                      {
                        policy: '+',
                        permissions: null,
                        validation: null,
                        fields: ['*'],
                        presets: null,
                        collection,
                        action: 'create',
                      },
                    ],
                    update: [],
                    delete: [],
                  },
                  app_access: true,
                },
              },
            ],
            update: [],
            delete: [],
          },
        });
      expect(userResponse.statusCode).toBe(200);

      // seedDBValues: two articles created by the editor
      for (let i = 0; i < 2; i++) {
        const article = await t.http.post(`/items/${collection}`).set('Authorization', `Bearer ${userToken}`).send({});
        // a role-less user with app access: the minimal app permissions' `{id: {_in: '$CURRENT_ROLES'}}` on
        // directus_roles resolves to an empty list, which matches nothing (it was a 400 on every request)
        expect(article.statusCode).toBe(200);
        expect(article.body.data).toEqual({
          id: expect.any(Number),
          user_created: expect.any(String),
          date_created: expect.any(String),
        });
      }

      const response = await t.http.get(`/items/${collection}`).set(t.admin);
      expect(response.statusCode).toEqual(200);
      expect(response.body.data.length).toBe(2);

      const response1 = await t.http.get(`/items/${collection}`).set('Authorization', `Bearer ${userToken}`);
      expect(response1.statusCode).toEqual(200);
      expect(response1.body.data.length).toBe(2);

      const response2 = await t.http
        .get(`/items/${collection}?groupBy=day(date_created)&aggregate[count]=*`)
        .set('Authorization', `Bearer ${userToken}`);
      expect(response2.statusCode).toEqual(200);
      expect(response2.body.data.length).toBe(1);
    });
  });
});
