import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from './support/app';

/**
 * The REST and GraphQL requests of Directus's own blackbox suite (github:directus/directus tests/blackbox) for the
 * /items routes, replayed against Tessera with the env the suite runs Directus with (common/config.ts:
 * MAX_BATCH_MUTATION=100, MAX_RELATIONAL_DEPTH=5, MAX_PAYLOAD_SIZE=10mb, ACCESS_TOKEN_TTL=25d), each case with the
 * suite's own requests and assertions, per primary key type (integer, uuid, string) where the suite iterates them.
 * The suite's GraphQL client (common/transport.ts requestGraphQL) turns a json-to-graphql-query object into a
 * query string; `toGql` below does the same. The WebSocket halves of these files are in realtime-blackbox.
 * - tests/db/routes/items/no-relation.test.ts: GET/PATCH/DELETE one, GET/POST/PATCH/DELETE many, invalid ids and
 *   tables, logical filters, aggregation (count, groupBy + sort on count.id), offset/limit/sort (also in
 *   aggregations), MAX_BATCH_MUTATION for createMany/updateBatch/updateMany/updateByQuery/deleteMany/deleteByQuery,
 *   meta=*, the auto increment after an explicit id, and `filter[id][_in][n]` with n > 20.
 * - m2o.test.ts: a state's country, M2O under an `alias`, filters and `year()` filters on both levels, sorts (plain,
 *   through the M2O, `year()`, both; limits -1/1/3), MAX_BATCH_MUTATION with nested new countries, meta=*.
 * - o2m.test.ts: a country's states, filters through the O2M, `count(states)` filters at two levels, sorts through
 *   the O2M (`states.name`, `states.year(test_datetime)`), no duplicate rows from joins, `count(states)` fields,
 *   deep `_offset`/`_limit`/`_sort`, MAX_BATCH_MUTATION for nested creates and batch updates, nested explicit keys.
 * - m2m.test.ts: an ingredient's foods, the `$FOLLOW(junction, field)` filter, filters and `count(foods)` /
 *   `year()` filters through the junction, sorts through it, the MAX_RELATIONAL_DEPTH=5 tests (fields, deep, filter,
 *   sort, deep sort: allowed at 5, "Invalid query. Max relational depth exceeded." past it, REST and GraphQL),
 *   MAX_BATCH_MUTATION for nested creates and batch updates (their read names a field that doesn't exist in a dotted
 *   path, which Directus skips).
 * - m2a.test.ts: a shape's children (GraphQL inline fragments), `item:<collection>` field selections, filters
 *   through `item:<collection>` (GraphQL `item__<collection>`), `count(children)`, sorts through the junction into
 *   one collection (`children.item:circles.name`), MAX_BATCH_MUTATION, meta=*, nested explicit keys.
 * - case-when.test.ts: a user created with its policy and the policy's permissions in one nested create, reading
 *   (and grouping by `day(date_created)`) the articles it created through a `user_created.id` permission.
 * - json-filter.test.ts: the `_json` operator's cases (every operator, dotted/indexed/root-array paths, a trailing dot,
 *   `_and`/`_or` inside and around it, through M2O, O2M, M2M, `_some`/`_none` and two levels) and its 400s, `_json` in
 *   a deep `_filter`, `json()` in a deep `_sort`, on data seeded as the cases describe them; and json-filter-graphql.test.ts:
 *   the same cases and errors through /graphql (inline, or the `_json` value as a `GraphQLJsonFilter` variable), and
 *   `_null`/`_nnull` on the json column itself.
 * - json-function.test.ts: `json(field, path)` in `fields` (paths, parsed objects and arrays, nulls), under aliases
 *   and beside a wildcard, in `sort` (also by its alias), its 400/403s, in the answer of a create.
 * - relational-json.test.ts: `json()` through an M2O (with filter, sort, page), an O2M and an M2A scope, and its
 *   400s for an unknown relation, a non-json end field and an unknown M2A scope.
 * - tests/db/query/filter (CheckQueryFilters), as m2o/o2m/m2m/m2a run it: every type of seed-all-field-types.ts with every
 *   operator its generator has, at the root and through the relations (`country_id.test_float`,
 *   `states.cities.test_date`, …), csv fields included (created without cast-csv, they read as strings).
 */

const ENV = { MAX_BATCH_MUTATION: '100', MAX_RELATIONAL_DEPTH: '5', MAX_PAYLOAD_SIZE: '10mb', ACCESS_TOKEN_TTL: '25d' };
const MAX_BATCH = 100;
const PK_TYPES = ['integer', 'uuid', 'string'] as const;
type PkType = (typeof PK_TYPES)[number];
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies as the suite reads them
type Any = any;

/** common/functions.ts CreateCollection's primary key field per type. */
function pkField(pkType: PkType) {
  switch (pkType) {
    case 'uuid':
      return {
        field: 'id',
        type: 'uuid',
        meta: { hidden: true, readonly: true, interface: 'input', special: ['uuid'] },
        schema: { is_primary_key: true, length: 36, has_auto_increment: false },
      };
    case 'string':
      return {
        field: 'id',
        type: 'string',
        meta: { hidden: false, readonly: false, interface: 'input' },
        schema: { is_primary_key: true, length: 255, has_auto_increment: false },
      };
    case 'integer':
      return {
        field: 'id',
        type: 'integer',
        meta: { hidden: true, interface: 'input', readonly: true },
        schema: { is_primary_key: true, has_auto_increment: true },
      };
  }
}

/** json-to-graphql-query's rendering of an argument value. */
function gqlValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(gqlValue).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v)
      .map(([k, x]) => `${k}: ${gqlValue(x)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(v);
}

/** json-to-graphql-query: `{ query: { name: { __args, field: true, rel: {...} } } }` to a document. */
export function toGql(doc: Record<string, Any>): string {
  const sel = (o: Record<string, Any>): string =>
    Object.entries(o)
      .filter(([k]) => k !== '__args')
      .map(([k, v]) => {
        if (v === true) return k;
        if (k === '__on') {
          // Inline fragments: `... on <__typeName> { … }`.
          return (Array.isArray(v) ? v : [v])
            .map(
              (on: Any) =>
                `... on ${on.__typeName} { ${sel(Object.fromEntries(Object.entries(on).filter(([x]) => x !== '__typeName')))} }`,
            )
            .join(' ');
        }
        const args = v.__args
          ? `(${Object.entries(v.__args as Record<string, unknown>)
              .map(([a, x]) => `${a}: ${gqlValue(x)}`)
              .join(', ')})`
          : '';
        const inner = sel(v);
        return `${k}${args}${inner ? ` { ${inner} }` : ''}`;
      })
      .join(' ');
  const [op, body] = Object.entries(doc)[0]!;
  return `${op} { ${sel(body)} }`;
}

/**
 * seed-all-field-types.ts: one `test_<type>` field per type of SeedFunctions.generateValues, two values each (the
 * suite draws them from a seeded generator in the same formats: bigInteger below 2^51 sent as a string, dateTime
 * without zone, timestamp with `.000Z`).
 */
const ALL_TYPES: Record<string, unknown[]> = {
  integer: [1393718, 877232451],
  bigInteger: ['2158535493765366', '1986001412337434'],
  uuid: ['0d5c2f09-5c3e-5b8e-9a4f-6f2b1c7d8e90', '7a1f3e22-1b4c-5d6e-8f90-a1b2c3d4e5f6'],
  string: ['4f7c1b2a9d3e5f60718293a4b5c6d7e8', 'a0b1c2d3e4f5061728394a5b6c7d8e9f'],
  text: ['5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b', 'c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6'],
  boolean: [true, false],
  csv: ['3b2a1c0d-9e8f-5a7b-8c6d-5e4f3a2b1c0d', '6c5b4a39-2817-5f6e-9d4c-3b2a19087f6e'],
  date: ['2021-03-04', '2019-11-22'],
  dateTime: ['2021-03-04T05:06:07', '2019-11-22T23:10:00'],
  decimal: [12.345, 67.891],
  float: [12.345, 67.891],
  time: ['05:06:07', '23:10:00'],
  timestamp: ['2021-03-04T05:06:07.000Z', '2019-11-22T23:10:00.000Z'],
};

/** The operators tests/db/schema/<type>/index.ts generates filters for (getFilterOperatorsForType). */
const STRING_OPS = [
  'contains',
  'ncontains',
  'icontains',
  'starts_with',
  'nstarts_with',
  'istarts_with',
  'nistarts_with',
  'ends_with',
  'nends_with',
  'iends_with',
  'niends_with',
  'eq',
  'neq',
  'empty',
  'nempty',
  'null',
  'nnull',
  'in',
  'nin',
];
const ORDERED_OPS = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'between', 'nbetween', 'null', 'nnull', 'in', 'nin'];
function operatorsFor(type: string): string[] {
  if (['string', 'text', 'csv'].includes(type)) return STRING_OPS;
  if (type === 'uuid') return ['eq', 'neq', 'null', 'nnull', 'in', 'nin'];
  if (type === 'boolean') return ['eq', 'neq', 'null', 'nnull'];
  return ORDERED_OPS;
}

/** The filters the suite's generateFilterForDataType makes for one operator over the possible values. */
function generateFilters(op: string, values: unknown[]): { value: unknown; filter: Record<string, unknown> }[] {
  switch (op) {
    case 'empty':
    case 'nempty':
    case 'null':
    case 'nnull':
      return [{ value: true, filter: { [`_${op}`]: true } }];
    case 'in':
    case 'nin': {
      const part = values.slice(0, Math.floor(values.length / 2));
      return [{ value: part, filter: { [`_${op}`]: part } }];
    }
    case 'between':
    case 'nbetween': {
      const sorted = [...values].sort((a, b) => (a as number) - (b as number) || String(a).localeCompare(String(b)));
      const range = [sorted[0], sorted[Math.floor(sorted.length / 2)]];
      return [{ value: range, filter: { [`_${op}`]: range } }];
    }
    default:
      return values.map((value) => ({ value, filter: { [`_${op}`]: value } }));
  }
}

/** Comparable form: numbers for numeric and temporal types (parseDatetimeString, UTC), strings otherwise. */
function comparable(type: string, v: unknown): unknown {
  if (v === null || v === undefined) return v;
  if (['integer', 'bigInteger', 'decimal', 'float'].includes(type)) return Number(v);
  if (['date', 'dateTime', 'time', 'timestamp'].includes(type)) {
    const s = String(v);
    if (s.length === 8) return new Date(`1970-01-01T${s}Z`).getTime();
    if (s.length === 10) return new Date(`${s}T00:00:00Z`).getTime();
    if (s.length === 19) return new Date(`${s}Z`).getTime();
    return new Date(s).getTime();
  }
  return v;
}

/** The suite's validator functions: does one value of the response satisfy the filter? */
function satisfies(type: string, op: string, input: unknown, value: unknown): boolean {
  const i = comparable(type, input) as Any;
  const v = (Array.isArray(value) ? value.map((x) => comparable(type, x)) : comparable(type, value)) as Any;
  const s = typeof input === 'string' ? input : '';
  const str = String(value);
  switch (op) {
    case 'null':
      return i === null || i === undefined;
    case 'nnull':
      return i !== null && i !== undefined;
    case 'empty':
      return input === '' || input === null || input === undefined;
    case 'nempty':
      return input !== '' || (input !== null && input !== undefined);
    case 'contains':
      return typeof input === 'string' && s.includes(str);
    case 'ncontains':
      return typeof input === 'string' && !s.includes(str);
    case 'icontains':
      return typeof input === 'string' && s.toLowerCase().includes(str.toLowerCase());
    case 'starts_with':
      return typeof input === 'string' && s.startsWith(str);
    case 'nstarts_with':
      return typeof input === 'string' && !s.startsWith(str);
    case 'istarts_with':
      return typeof input === 'string' && s.toLowerCase().startsWith(str.toLowerCase());
    case 'nistarts_with':
      return typeof input === 'string' && !s.toLowerCase().startsWith(str.toLowerCase());
    case 'ends_with':
      return typeof input === 'string' && s.endsWith(str);
    case 'nends_with':
      return typeof input === 'string' && !s.endsWith(str);
    case 'iends_with':
      return typeof input === 'string' && s.toLowerCase().endsWith(str.toLowerCase());
    case 'niends_with':
      return typeof input === 'string' && !s.toLowerCase().endsWith(str.toLowerCase());
    case 'eq':
      return i === v;
    case 'neq':
      return i !== v;
    case 'lt':
      return i < v;
    case 'lte':
      return i <= v;
    case 'gt':
      return i > v;
    case 'gte':
      return i >= v;
    case 'between':
      return i >= v[0] && i <= v[1];
    case 'nbetween':
      return i < v[0] || i > v[1];
    case 'in':
      return (v as unknown[]).includes(i);
    case 'nin':
      return !(v as unknown[]).includes(i);
  }
  throw new Error(op);
}

/** getEmptyAllowedFunction: operators whose filter may rightly match nothing. */
function emptyAllowed(type: string, op: string, value: unknown, values: unknown[]): boolean {
  if (op === 'empty') return !values.includes('');
  if (op === 'null') return !values.includes(null);
  const c = values.map((x) => comparable(type, x) as number);
  if (op === 'lt') return c.every((x) => !(x < (comparable(type, value) as number)));
  if (op === 'gt') return c.every((x) => !(x > (comparable(type, value) as number)));
  if (op === 'nbetween') {
    const [a, b] = (value as unknown[]).map((x) => comparable(type, x) as number);
    return c.every((x) => !(x < a! || x > b!));
  }
  return false;
}

/** processValidation: is some row (following `path` through the response) satisfying the filter? */
function found(data: Any, path: string[], check: (v: unknown) => boolean): boolean {
  if (Array.isArray(data)) return data.some((row) => found(row, path, check));
  if (data === null || data === undefined || typeof data !== 'object') return false;
  if (path.length === 1) return check(data[path[0]!]);
  return found(data[path[0]!], path.slice(1), check);
}

/** A field of the suite's TestsSchema: its type, possible values, and the related collection's fields. */
interface SchemaField {
  type: string;
  filters: boolean;
  values: unknown[];
  children?: Record<string, SchemaField>;
}

describe('Directus blackbox: /items', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(ENV);
  });
  afterAll(() => t.close());

  const gql = (doc: Record<string, Any>) =>
    t.http
      .post('/graphql')
      .set(t.admin)
      .send({ query: toGql(doc) });
  const createItem = async (collection: string, item: Any): Promise<Any> => {
    const res = await t.http.post(`/items/${collection}`).set(t.admin).send(item);
    if (res.status !== 200) throw new Error(`create ${collection}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data;
  };
  /** Many rows through several creates of at most MAX_BATCH (the suite makes them one by one). */
  const createRows = async (collection: string, items: Any[], chunk = MAX_BATCH): Promise<Any[]> => {
    const out: Any[] = [];
    for (let i = 0; i < items.length; i += chunk)
      out.push(...(await createItem(collection, items.slice(i, i + chunk))));
    return out;
  };

  describe('no-relation.test.ts', () => {
    const collectionArtists = 'test_items_no_relations_artists';

    beforeAll(async () => {
      for (const pkType of PK_TYPES) {
        const res = await t.http
          .post('/collections')
          .set(t.admin)
          .send({ collection: `${collectionArtists}_${pkType}`, meta: {}, schema: {}, fields: [pkField(pkType)] });
        expect(res.status).toBe(200);
        for (const field of ['name', 'company']) {
          const f = await t.http
            .post(`/fields/${collectionArtists}_${pkType}`)
            .set(t.admin)
            .send({ field, type: 'string', meta: {}, schema: {} });
          expect(f.status).toBe(200);
        }
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
        const artists = Array.from({ length: 50 }, () => createArtist(pkType));
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
        const artists = Array.from({ length: 5 }, () => createArtist(pkType));
        const artists2 = Array.from({ length: 5 }, () => createArtist(pkType));
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
        const inserted = await createItem(
          local,
          Array.from({ length: 5 }, () => createArtist(pkType)),
        );
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
        const keys = (
          await createItem(
            local,
            Array.from({ length: 10 }, () => createArtist(pkType)),
          )
        ).map((i: Any) => i.id);
        const keys2 = (
          await createItem(
            local,
            Array.from({ length: 10 }, () => createArtist(pkType)),
          )
        ).map((i: Any) => i.id);
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
        const artists = Array.from({ length: 6 }, () => ({
          ...createArtist(pkType),
          name: 'logical-filter-and',
          company: 'and-equality',
        }));
        await createItem(local, artists);
        const filter = { _and: [{ name: { _eq: 'logical-filter-and' } }, { company: { _eq: 'and-equality' } }] };
        const response = await t.http
          .get(`/items/${local}`)
          .query({ filter: JSON.stringify(filter) })
          .set(t.admin);
        const gqlResponse = await gql({ query: { [local]: { __args: { filter }, id: true } } });
        expect(response.statusCode).toBe(200);
        expect(response.body.data.length).toBe(6);
        expect(gqlResponse.statusCode).toBe(200);
        expect(gqlResponse.body.data[local].length).toEqual(6);
      });

      it('Logical Filters: name equality _OR company equality', async () => {
        await createItem(
          local,
          Array.from({ length: 5 }, () => ({ ...createArtist(pkType), name: 'logical-filter-or' })),
        );
        await createItem(
          local,
          Array.from({ length: 5 }, () => ({ ...createArtist(pkType), company: 'or-equality' })),
        );
        const filter = { _or: [{ name: { _eq: 'logical-filter-or' } }, { company: { _eq: 'or-equality' } }] };
        const response = await t.http
          .get(`/items/${local}`)
          .query({ filter: JSON.stringify(filter) })
          .set(t.admin);
        const gqlResponse = await gql({ query: { [local]: { __args: { filter }, id: true } } });
        expect(response.statusCode).toBe(200);
        expect(response.body.data.length).toBe(10);
        expect(gqlResponse.statusCode).toBe(200);
        expect(gqlResponse.body.data[local].length).toEqual(10);
      });

      it('Aggregation: retrieves count correctly (qs-style aggregate and filter)', async () => {
        const artistName = 'aggregate-count';
        await createItem(
          local,
          Array.from({ length: 10 }, () => ({ ...createArtist(pkType), name: artistName })),
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
        const artists = Array.from({ length: 50 }, (_, i) => ({
          ...createArtist(pkType),
          name: artistName,
          company: i <= 10 ? 'a' : i <= 25 ? 'b' : 'c',
        }));
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
          Array.from({ length: 7 }, () => ({ ...createArtist(pkType), name: artistName })),
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
          Array.from({ length: count }, (_, i) => ({ ...createArtist(pkType), name: `${i}-${artistName}` })),
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
          Array.from({ length: 10 }, (_, i) => ({ ...createArtist(pkType), name: `${i}-${artistName}` })),
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
          Array.from({ length: count }, (_, i) => ({ ...createArtist(pkType), name: `${i}-${artistName}` })),
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

      const LIMIT_MESSAGE = `Invalid payload. Exceeded max batch mutation limit of ${MAX_BATCH}.`;

      it.each([MAX_BATCH, MAX_BATCH + 1])('MAX_BATCH_MUTATION: createMany of %i', async (count) => {
        const artists = Array.from({ length: count }, () => createArtist(pkType));
        const artists2 = Array.from({ length: count }, () => createArtist(pkType));
        const response = await t.http.post(`/items/${local}`).send(artists).set(t.admin);
        const mutationKey = `create_${local}_items`;
        const gqlResponse = await gql({ mutation: { [mutationKey]: { __args: { data: artists2 }, id: true } } });
        if (count === MAX_BATCH) {
          expect(response.statusCode).toBe(200);
          expect(response.body.data.length).toBe(count);
          expect(gqlResponse.statusCode).toBe(200);
          expect(gqlResponse.body.data[mutationKey].length).toEqual(count);
        } else {
          expect(response.statusCode).toBe(400);
          expect(response.body.errors[0].message).toBe(LIMIT_MESSAGE);
          expect(gqlResponse.statusCode).toBe(200);
          expect(gqlResponse.body.errors[0].message).toBe(LIMIT_MESSAGE);
        }
      });

      it.each([MAX_BATCH, MAX_BATCH + 1])('MAX_BATCH_MUTATION: updateBatch of %i', async (count) => {
        const artists = await createRows(
          local,
          Array.from({ length: count }, () => createArtist(pkType)),
        );
        const artists2 = await createRows(
          local,
          Array.from({ length: count }, () => createArtist(pkType)),
        );
        const response = await t.http.patch(`/items/${local}`).send(artists).set(t.admin);
        const mutationKey = `update_${local}_batch`;
        const gqlResponse = await gql({ mutation: { [mutationKey]: { __args: { data: artists2 }, id: true } } });
        if (count === MAX_BATCH) {
          expect(response.statusCode).toBe(200);
          expect(response.body.data.length).toBe(count);
          expect(gqlResponse.statusCode).toBe(200);
          expect(gqlResponse.body.data[mutationKey].length).toEqual(count);
        } else {
          expect(response.statusCode).toBe(400);
          expect(response.body.errors[0].message).toBe(LIMIT_MESSAGE);
          expect(gqlResponse.statusCode).toBe(200);
          expect(gqlResponse.body.errors[0].message).toBe(LIMIT_MESSAGE);
        }
      });

      it.each([MAX_BATCH, MAX_BATCH + 1])('MAX_BATCH_MUTATION: updateMany of %i', async (count) => {
        const ids = (
          await createRows(
            local,
            Array.from({ length: count }, () => createArtist(pkType)),
          )
        ).map((r) => r.id);
        const ids2 = (
          await createRows(
            local,
            Array.from({ length: count }, () => createArtist(pkType)),
          )
        ).map((r) => r.id);
        const response = await t.http
          .patch(`/items/${local}`)
          .send({ keys: ids, data: { name: 'updated' } })
          .set(t.admin);
        const mutationKey = `update_${local}_items`;
        const gqlResponse = await gql({
          mutation: { [mutationKey]: { __args: { ids: ids2, data: { name: 'updated' } }, id: true } },
        });
        if (count === MAX_BATCH) {
          expect(response.statusCode).toBe(200);
          expect(response.body.data.length).toBe(count);
          expect(gqlResponse.statusCode).toBe(200);
          expect(gqlResponse.body.data[mutationKey].length).toEqual(count);
        } else {
          expect(response.statusCode).toBe(400);
          expect(response.body.errors[0].message).toBe(LIMIT_MESSAGE);
          expect(gqlResponse.statusCode).toBe(200);
          expect(gqlResponse.body.errors[0].message).toBe(LIMIT_MESSAGE);
        }
      });

      it.each([MAX_BATCH, MAX_BATCH + 1])('MAX_BATCH_MUTATION: updateByQuery of %i', async (count) => {
        const company = randomUUID();
        await createRows(
          local,
          Array.from({ length: count }, () => ({ ...createArtist(pkType), company })),
        );
        const response = await t.http
          .patch(`/items/${local}`)
          .send({
            query: { filter: JSON.stringify({ company: { _eq: company } }), limit: -1 },
            data: { name: 'updated' },
          })
          .set(t.admin);
        if (count === MAX_BATCH) {
          expect(response.statusCode).toBe(200);
          expect(response.body.data.length).toBe(count);
        } else {
          expect(response.statusCode).toBe(400);
          expect(response.body.errors[0].message).toBe(LIMIT_MESSAGE);
        }
      });

      it.each([MAX_BATCH, MAX_BATCH + 1])('MAX_BATCH_MUTATION: deleteMany of %i', async (count) => {
        const lists: Any[][] = [];
        for (let i = 0; i < 4; i++) {
          lists.push(
            (
              await createRows(
                local,
                Array.from({ length: count }, () => createArtist(pkType)),
              )
            ).map((r) => r.id),
          );
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
          for (const r of [response, response2]) {
            expect(r.statusCode).toBe(400);
            expect(r.body.errors[0].message).toBe(LIMIT_MESSAGE);
          }
          for (const r of [gqlResponse, gqlResponse2]) {
            expect(r.statusCode).toBe(200);
            expect(r.body.errors[0].message).toBe(LIMIT_MESSAGE);
          }
        }
      });

      it.each([MAX_BATCH, MAX_BATCH + 1])('MAX_BATCH_MUTATION: deleteByQuery of %i', async (count) => {
        const company = randomUUID();
        await createRows(
          local,
          Array.from({ length: count }, () => ({ ...createArtist(pkType), company })),
        );
        const response = await t.http
          .delete(`/items/${local}`)
          .send({ query: { filter: JSON.stringify({ company: { _eq: company } }), limit: -1 } })
          .set(t.admin);
        if (count === MAX_BATCH) {
          expect(response.statusCode).toBe(204);
        } else {
          expect(response.statusCode).toBe(400);
          expect(response.body.errors[0].message).toBe(LIMIT_MESSAGE);
        }
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

  /**
   * tests/db/query/filter CheckQueryFilters: for every field with `filters` (and those of related collections, as
   * `a.b` paths), every operator's generated filters sent qs-style (`filter[a][b][_op]=…`, fields `*.*…`): 200 and
   * some row satisfying the filter unless the operator may match nothing. One test per field path.
   */
  function checkQueryFilters(
    path: string,
    schema: () => Record<string, SchemaField>,
    values: () => Record<string, unknown[]>,
  ) {
    const walk = (fields: Record<string, SchemaField>, parent: string[], out: [string[], SchemaField][]) => {
      for (const [name, f] of Object.entries(fields)) {
        if (f.filters) out.push([[...parent, name], f]);
        if (f.children) walk(f.children, [...parent, name], out);
      }
      return out;
    };
    it(`Global Query Filters (GET ${path})`, async () => {
      const failures: string[] = [];
      for (const [keys, f] of walk(schema(), [], [])) {
        const possible = values()[keys.join('.')] ?? f.values;
        for (const op of operatorsFor(f.type)) {
          for (const { value, filter } of generateFilters(op, possible)) {
            const nested: Record<string, unknown> = {};
            let at = nested;
            keys.forEach((k, i) => {
              at[k] = i === keys.length - 1 ? filter : {};
              at = at[k] as Record<string, unknown>;
            });
            const res = await t.http
              .get(path)
              .query({ filter: nested, fields: Array(keys.length).fill('*').join('.') })
              .set(t.admin);
            const label = `${keys.join('.')} (${f.type}) _${op} ${JSON.stringify(value)}`;
            if (res.status !== 200) {
              failures.push(`${label}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
              continue;
            }
            // The suite reads the response along the path with any `:collection` scope cut off (`children.item.x`).
            const dataPath = keys.map((k) => k.split(':')[0]!);
            const ok = found(res.body.data, dataPath, (v) => {
              try {
                return satisfies(f.type, op, v, value);
              } catch {
                return false;
              }
            });
            if (!ok && !emptyAllowed(f.type, op, value, possible)) {
              failures.push(`${label}: no matching row in ${JSON.stringify(res.body.data).slice(0, 300)}`);
            }
          }
        }
      }
      expect(failures).toEqual([]);
    });
  }

  /** seed-all-field-types.ts seedAllFieldTypesStructure: one field per type (uuid with special uuid). */
  async function seedAllFieldTypesStructure(collection: string) {
    for (const type of Object.keys(ALL_TYPES)) {
      const res = await t.http
        .post(`/fields/${collection}`)
        .set(t.admin)
        .send({
          field: `test_${type.toLowerCase()}`,
          type,
          meta: type === 'uuid' ? { special: ['uuid'] } : {},
          schema: {},
        });
      if (res.status !== 200) throw new Error(`field ${collection}.${type}: ${res.status} ${JSON.stringify(res.body)}`);
    }
  }

  /** seedAllFieldTypesValues: per type, one row per value with only that field set (string keys given). */
  let stringIdCounter = 0;
  async function seedAllFieldTypesValues(collection: string, pkType: PkType) {
    for (const [type, values] of Object.entries(ALL_TYPES)) {
      const field = `test_${type.toLowerCase()}`;
      await createItem(
        collection,
        values.map((value) =>
          pkType === 'string' ? { id: `id-${stringIdCounter++}`, [field]: value } : { [field]: value },
        ),
      );
    }
  }

  /** The schema fields of getTestsAllTypesSchema. */
  function allTypesSchema(): Record<string, SchemaField> {
    return Object.fromEntries(
      Object.entries(ALL_TYPES).map(([type, values]) => [
        `test_${type.toLowerCase()}`,
        { type, filters: true, values },
      ]),
    );
  }

  /** CreateFieldM2O: the key field (special m2o) and the relation, on_delete SET NULL. */
  async function createFieldM2O(collection: string, field: string, pkType: PkType, other: string) {
    const f = await t.http
      .post(`/fields/${collection}`)
      .set(t.admin)
      .send({ field, type: pkType, meta: { special: ['m2o'] }, schema: {} });
    if (f.status !== 200) throw new Error(`m2o field: ${f.status} ${JSON.stringify(f.body)}`);
    const r = await t.http
      .post('/relations')
      .set(t.admin)
      .send({ collection, field, related_collection: other, meta: {}, schema: { on_delete: 'SET NULL' } });
    if (r.status !== 200) throw new Error(`m2o relation: ${r.status} ${JSON.stringify(r.body)}`);
  }

  async function createCollection(collection: string, pkType: PkType) {
    const res = await t.http
      .post('/collections')
      .set(t.admin)
      .send({ collection, meta: {}, schema: {}, fields: [pkField(pkType)] });
    if (res.status !== 200) throw new Error(`collection ${collection}: ${res.status} ${JSON.stringify(res.body)}`);
  }

  async function createField(collection: string, field: string, type: string) {
    const res = await t.http.post(`/fields/${collection}`).set(t.admin).send({ field, type, meta: {}, schema: {} });
    if (res.status !== 200) throw new Error(`field ${collection}.${field}: ${res.status} ${JSON.stringify(res.body)}`);
  }

  /** seed-relational-fields.ts: one row per row of the related collection, pointing at it. */
  async function seedRelationalFields(collection: string, field: string, related: string, pkType: PkType) {
    const res = await t.http.get(`/items/${related}`).query({ fields: 'id', limit: -1 }).set(t.admin);
    const items = res.body.data.map((r: Any) =>
      pkType === 'string' ? { id: `relational-id-${stringIdCounter++}`, [field]: r.id } : { [field]: r.id },
    );
    await createRows(collection, items);
  }

  describe('m2o.test.ts', () => {
    const collectionCountries = 'test_items_m2o_countries';
    const collectionStates = 'test_items_m2o_states';
    const collectionCities = 'test_items_m2o_cities';
    const seeded: Record<string, Record<string, unknown[]>> = {};

    beforeAll(async () => {
      for (const pkType of PK_TYPES) {
        const [countries, states, cities] = [collectionCountries, collectionStates, collectionCities].map(
          (c) => `${c}_${pkType}`,
        ) as [string, string, string];
        await createCollection(countries, pkType);
        await createField(countries, 'name', 'string');
        await createCollection(states, pkType);
        await createField(states, 'name', 'string');
        await createFieldM2O(states, 'country_id', pkType, countries);
        await createCollection(cities, pkType);
        await createField(cities, 'name', 'string');
        await createFieldM2O(cities, 'state_id', pkType, states);
        for (const c of [countries, states, cities]) await seedAllFieldTypesStructure(c);

        // seedDBValues
        const countryRows = await createItem(
          countries,
          ['United States', 'Malaysia'].map((name, i) =>
            pkType === 'string' ? { id: `country-seed-${i}`, name } : { name },
          ),
        );
        const countriesIDs = countryRows.map((r: Any) => r.id);
        const stateRows = await createItem(
          states,
          ['Washington', 'California', 'Johor', 'Sarawak'].map((name, i) => ({
            ...(pkType === 'string' ? { id: `state-seed-${i}` } : {}),
            name,
            country_id: countriesIDs[i % 2],
          })),
        );
        const statesIDs = stateRows.map((r: Any) => r.id);
        const cityRows = await createItem(
          cities,
          [
            'Seattle',
            'Spokane',
            'Los Angeles',
            'San Francisco',
            'Johor Bahru',
            'Muar',
            'Kota Kinabalu',
            'Sandakan',
          ].map((name, i) => ({
            ...(pkType === 'string' ? { id: `city-seed-${i}` } : {}),
            name,
            state_id: statesIDs[i % 4],
          })),
        );
        seeded[pkType] = {
          [`${countries}.id`]: countriesIDs,
          [`${states}.id`]: statesIDs,
          [`${states}.country_id.id`]: countriesIDs,
          [`${cities}.id`]: cityRows.map((r: Any) => r.id),
          [`${cities}.state_id.id`]: statesIDs,
          [`${cities}.state_id.country_id.id`]: countriesIDs,
        };
        for (const c of [countries, states, cities]) await seedAllFieldTypesValues(c, pkType);
        await seedRelationalFields(states, 'country_id', countries, pkType);
        await seedRelationalFields(cities, 'state_id', states, pkType);
      }
    });

    type Country = { id?: string; name: string; test_datetime?: string };
    const createCountry = (pkType: PkType): Country => ({
      name: 'country-' + randomUUID(),
      ...(pkType === 'string' ? { id: 'country-' + randomUUID() } : {}),
    });
    type State = { id?: string; name: string; country_id?: unknown; test_datetime?: string };
    const createState = (pkType: PkType): State => ({
      name: 'state-' + randomUUID(),
      ...(pkType === 'string' ? { id: 'state-' + randomUUID() } : {}),
    });
    const yearDatetime = (year: number) => new Date(new Date().setFullYear(year)).toISOString().slice(0, 19);

    describe.each(PK_TYPES)('pkType: %s', (pkType) => {
      const countries = `${collectionCountries}_${pkType}`;
      const states = `${collectionStates}_${pkType}`;
      const cities = `${collectionCities}_${pkType}`;

      it(`GET /:collection/:id retrieves a state's country`, async () => {
        const country = await createItem(countries, createCountry(pkType));
        const state = await createItem(states, { ...createState(pkType), country_id: country.id });
        const response = await t.http.get(`/items/${states}/${state.id}`).set(t.admin);
        const gqlResponse = await gql({
          query: { [states]: { __args: { filter: { id: { _eq: state.id } } }, country_id: { id: true } } },
        });
        expect(response.statusCode).toEqual(200);
        expect(response.body.data).toMatchObject({ country_id: country.id });
        expect(gqlResponse.statusCode).toEqual(200);
        expect(gqlResponse.body.data).toMatchObject({ [states]: [{ country_id: { id: String(country.id) } }] });
      });

      it('GET /:collection/:id retrieves m2o under a field alias', async () => {
        const country = await createItem(countries, createCountry(pkType));
        const state = await createItem(states, { ...createState(pkType), country_id: country.id });
        const response = await t.http
          .get(`/items/${states}/${state.id}`)
          .query({ 'fields[]': ['country_id.id', 'aliased.id'], 'alias[aliased]': 'country_id' })
          .set(t.admin);
        expect(response.statusCode).toEqual(200);
        expect(response.body.data.country_id).toEqual({ id: country.id });
        expect(response.body.data.aliased).toEqual({ id: country.id });
      });

      it('GET /:collection filters on top level', async () => {
        const state = await createItem(states, { ...createState(pkType), name: 'state-m2o-top-' + randomUUID() });
        const response = await t.http
          .get(`/items/${states}`)
          .query({ filter: { id: { _eq: state.id } } })
          .set(t.admin);
        const response2 = await t.http
          .get(`/items/${states}`)
          .query({ filter: { name: { _eq: state.name } } })
          .set(t.admin);
        const gqlResponse = await gql({
          query: { [states]: { __args: { filter: { id: { _eq: state.id } } }, id: true } },
        });
        const gqlResponse2 = await gql({
          query: { [states]: { __args: { filter: { name: { _eq: state.name } } }, id: true } },
        });
        expect(response.statusCode).toEqual(200);
        expect(response.body.data.length).toBe(1);
        expect(response.body.data[0]).toMatchObject({ id: state.id });
        expect(response2.statusCode).toEqual(200);
        expect(response.body.data).toEqual(response2.body.data);
        expect(gqlResponse.statusCode).toBe(200);
        expect(gqlResponse.body.data[states]).toEqual([{ id: String(state.id) }]);
        expect(gqlResponse2.statusCode).toBe(200);
        expect(gqlResponse.body.data).toEqual(gqlResponse2.body.data);
      });

      it('GET /:collection filters on m2o level', async () => {
        const country = await createItem(countries, { ...createCountry(pkType), name: 'country-m2o-' + randomUUID() });
        const state = await createItem(states, {
          ...createState(pkType),
          name: 'state-m2o-' + randomUUID(),
          country_id: country.id,
        });
        const f1 = { country_id: { id: { _eq: country.id } } };
        const f2 = { country_id: { name: { _eq: country.name } } };
        const response = await t.http
          .get(`/items/${states}`)
          .query({ filter: JSON.stringify(f1) })
          .set(t.admin);
        const response2 = await t.http
          .get(`/items/${states}`)
          .query({ filter: JSON.stringify(f2) })
          .set(t.admin);
        const gqlResponse = await gql({ query: { [states]: { __args: { filter: f1 }, id: true } } });
        const gqlResponse2 = await gql({ query: { [states]: { __args: { filter: f2 }, id: true } } });
        expect(response.statusCode).toEqual(200);
        expect(response.body.data.length).toBe(1);
        expect(response.body.data[0]).toMatchObject({ id: state.id });
        expect(response.body.data).toEqual(response2.body.data);
        expect(gqlResponse.body.data[states]).toEqual([{ id: String(state.id) }]);
        expect(gqlResponse.body.data).toEqual(gqlResponse2.body.data);
      });

      it('GET /:collection filters with functions on top level', async () => {
        const years = [1980, 1988];
        const rows = years.map((y) => ({
          ...createState(pkType),
          name: 'state-m2o-top-fn-' + randomUUID(),
          test_datetime: yearDatetime(y),
        }));
        await createItem(states, rows);
        for (const [i, year] of years.entries()) {
          const response = await t.http
            .get(`/items/${states}`)
            .query({ filter: { 'year(test_datetime)': { _eq: year } } })
            .set(t.admin);
          const gqlResponse = await gql({
            query: { [states]: { __args: { filter: { test_datetime_func: { year: { _eq: year } } } }, name: true } },
          });
          expect(response.statusCode).toEqual(200);
          expect(response.body.data.length).toBe(1);
          expect(response.body.data[0]).toMatchObject({ name: rows[i]!.name });
          expect(gqlResponse.statusCode).toBe(200);
          expect(gqlResponse.body.data[states]).toEqual([{ name: rows[i]!.name }]);
        }
      });

      it('GET /:collection filters with functions on m2o level', async () => {
        const years = [1983, 1990];
        const rows: State[] = [];
        for (const year of years) {
          const country = await createItem(countries, {
            ...createCountry(pkType),
            name: 'country-m2o-fn-' + randomUUID(),
            test_datetime: yearDatetime(year),
          });
          const state = { ...createState(pkType), name: 'state-m2o-fn-' + randomUUID(), country_id: country.id };
          rows.push(state);
          await createItem(states, state);
        }
        for (const [i, year] of years.entries()) {
          const response = await t.http
            .get(`/items/${states}`)
            .query({ filter: JSON.stringify({ country_id: { 'year(test_datetime)': { _eq: year } } }) })
            .set(t.admin);
          const gqlResponse = await gql({
            query: {
              [states]: {
                __args: { filter: { country_id: { test_datetime_func: { year: { _eq: year } } } } },
                name: true,
              },
            },
          });
          expect(response.statusCode).toEqual(200);
          expect(response.body.data.length).toBe(1);
          expect(response.body.data[0]).toMatchObject({ name: rows[i]!.name });
          expect(gqlResponse.statusCode).toBe(200);
          expect(gqlResponse.body.data[states]).toEqual([{ name: rows[i]!.name }]);
        }
      });

      describe('sorts', () => {
        /** Each describe's beforeAll of the suite: its rows exist only from its own tests on (prefixes overlap). */
        const seeds: Record<string, () => Promise<void>> = {
          'on top level': async () => {
            await createItem(
              states,
              [4, 2, 3, 5, 1].map((v) => ({ ...createState(pkType), name: 'state-m2o-top-sort-' + v })),
            );
          },
          'on m2o level': async () => {
            for (const v of [4, 2, 3, 5, 1]) {
              const country = await createItem(countries, { ...createCountry(pkType), name: 'country-m2o-sort-' + v });
              await createItem(states, {
                ...createState(pkType),
                name: 'state-m2o-sort-' + randomUUID(),
                country_id: country.id,
              });
            }
          },
          'with functions on top level': async () => {
            await createItem(
              states,
              [4, 2, 3, 5, 1].map((v) => ({
                ...createState(pkType),
                name: 'state-m2o-top-sort-fn-' + randomUUID(),
                test_datetime: yearDatetime(parseInt(`202${v}`)),
              })),
            );
          },
          'with functions on m2o level': async () => {
            for (const v of [4, 2, 3, 5, 1]) {
              const country = await createItem(countries, {
                ...createCountry(pkType),
                name: 'country-m2o-sort-fn-' + randomUUID(),
                test_datetime: yearDatetime(parseInt(`202${v}`)),
              });
              await createItem(states, {
                ...createState(pkType),
                name: 'state-m2o-sort-fn-' + randomUUID(),
                country_id: country.id,
              });
            }
          },
        };

        const cases: [string, string, string, Record<string, Any>, (r: Any) => number, (r: Any) => number][] = [
          [
            'on top level',
            'name',
            'state-m2o-top-sort-',
            { name: true },
            (r) => parseInt(r.name.slice(-1)),
            (r) => parseInt(r.name.slice(-1)),
          ],
          [
            'on m2o level',
            'country_id.name',
            'state-m2o-sort-',
            { country_id: { name: true } },
            (r) => parseInt(r.country_id.name.slice(-1)),
            (r) => parseInt(r.country_id.name.slice(-1)),
          ],
          [
            'with functions on top level',
            'year(test_datetime)',
            'state-m2o-top-sort-fn-',
            { test_datetime_func: { year: true } },
            (r) => parseInt(r.test_datetime_year.toString().slice(-1)),
            (r) => parseInt(r.test_datetime_func.year.toString().slice(-1)),
          ],
          [
            'with functions on m2o level',
            'country_id.year(test_datetime)',
            'state-m2o-sort-fn-',
            { country_id: { test_datetime_func: { year: true } } },
            (r) => parseInt(r.country_id.test_datetime_year.toString().slice(-1)),
            (r) => parseInt(r.country_id.test_datetime_func.year.toString().slice(-1)),
          ],
        ];

        describe.each(cases)('%s', (name, sort, prefix, gqlFields, restValue, gqlValue) => {
          const filter = { name: { _starts_with: prefix } };
          beforeAll(() => seeds[name]!());

          it('without limit', async () => {
            const response = await t.http.get(`/items/${states}`).query({ sort, filter }).set(t.admin);
            const response2 = await t.http
              .get(`/items/${states}`)
              .query({ sort: `-${sort}`, filter })
              .set(t.admin);
            const gqlResponse = await gql({ query: { [states]: { __args: { sort, filter }, id: true } } });
            const gqlResponse2 = await gql({ query: { [states]: { __args: { sort: `-${sort}`, filter }, id: true } } });
            expect(response.statusCode).toEqual(200);
            expect(response.body.data.length).toBe(5);
            expect(response2.statusCode).toEqual(200);
            expect(response.body.data).toEqual(response2.body.data.reverse());
            expect(gqlResponse.statusCode).toEqual(200);
            expect(gqlResponse.body.data[states].length).toBe(5);
            expect(gqlResponse.body.data[states]).toEqual(gqlResponse2.body.data[states].reverse());
          });

          it.each([-1, 1, 3])('where limit = %s', async (limit) => {
            const n = limit === -1 ? 5 : limit;
            const response = await t.http
              .get(`/items/${states}`)
              .query({ sort, filter, limit, fields: sort })
              .set(t.admin);
            const response2 = await t.http
              .get(`/items/${states}`)
              .query({ sort: `-${sort}`, filter, limit, fields: sort })
              .set(t.admin);
            const gqlResponse = await gql({
              query: { [states]: { __args: { sort, filter, limit }, id: true, ...gqlFields } },
            });
            const gqlResponse2 = await gql({
              query: { [states]: { __args: { sort: `-${sort}`, filter, limit }, id: true, ...gqlFields } },
            });
            expect(response.statusCode).toEqual(200);
            expect(response2.statusCode).toEqual(200);
            expect(response.body.data.map(restValue)).toEqual([1, 2, 3, 4, 5].slice(0, n));
            expect(response2.body.data.map(restValue)).toEqual([5, 4, 3, 2, 1].slice(0, n));
            expect(gqlResponse.statusCode).toEqual(200);
            expect(gqlResponse.body.data[states].map(gqlValue)).toEqual([1, 2, 3, 4, 5].slice(0, n));
            expect(gqlResponse2.body.data[states].map(gqlValue)).toEqual([5, 4, 3, 2, 1].slice(0, n));
          });
        });
      });

      const LIMIT_MESSAGE = `Invalid payload. Exceeded max batch mutation limit of ${MAX_BATCH}.`;

      it.each([MAX_BATCH / 2, MAX_BATCH / 2 + 1])(
        'MAX_BATCH_MUTATION: createMany of %i with new countries',
        async (count) => {
          const rows = () =>
            Array.from({ length: count }, () => ({ ...createState(pkType), country_id: createCountry(pkType) }));
          const response = await t.http.post(`/items/${states}`).send(rows()).set(t.admin);
          const mutationKey = `create_${states}_items`;
          const gqlResponse = await gql({ mutation: { [mutationKey]: { __args: { data: rows() }, id: true } } });
          if (count === MAX_BATCH / 2) {
            expect(response.statusCode).toBe(200);
            expect(response.body.data.length).toBe(count);
            expect(gqlResponse.statusCode).toBe(200);
            expect(gqlResponse.body.data[mutationKey].length).toEqual(count);
          } else {
            expect(response.statusCode).toBe(400);
            expect(response.body.errors[0].message).toBe(LIMIT_MESSAGE);
            expect(gqlResponse.statusCode).toBe(200);
            expect(gqlResponse.body.errors[0].message).toBe(LIMIT_MESSAGE);
          }
        },
      );

      it.each([MAX_BATCH / 2, MAX_BATCH / 2 + 1])(
        'MAX_BATCH_MUTATION: updateBatch of %i, half with new countries',
        async (count) => {
          const countCreate = Math.floor(count / 2);
          const make = async (prefix: string) => {
            const ids: unknown[] = [];
            for (let i = 0; i < count; i++) {
              const state: Any = { ...createState(pkType), name: `${prefix}${i.toString().padStart(3, '0')}` };
              if (i >= countCreate) state.country_id = createCountry(pkType);
              ids.push((await createItem(states, state)).id);
            }
            const read = await t.http
              .get(`/items/${states}`)
              .query({
                fields: ['*', 'country_id.id', 'country_id.name'],
                sort: ['name'],
                filter: { id: { _in: ids } },
              })
              .set(t.admin);
            return read.body.data.map((s: Any, i: number) =>
              i < countCreate
                ? { ...s, country_id: createCountry(pkType) }
                : { ...s, country_id: { ...s.country_id, name: 'updated' } },
            );
          };
          const list = await make(`max_batch_mutation_${count}_`);
          const list2 = await make(`max_batch_mutation_gql_${count}_`);
          const response = await t.http.patch(`/items/${states}`).send(list).set(t.admin);
          const mutationKey = `update_${states}_batch`;
          const gqlResponse = await gql({ mutation: { [mutationKey]: { __args: { data: list2 }, id: true } } });
          if (count === MAX_BATCH / 2) {
            expect(response.statusCode).toBe(200);
            expect(response.body.data.length).toBe(count);
            expect(gqlResponse.statusCode).toBe(200);
            expect(gqlResponse.body.data[mutationKey].length).toEqual(count);
          } else {
            expect(response.statusCode).toBe(400);
            expect(response.body.errors[0].message).toBe(LIMIT_MESSAGE);
            expect(gqlResponse.statusCode).toBe(200);
            expect(gqlResponse.body.errors[0].message).toBe(LIMIT_MESSAGE);
          }
        },
      );

      it.each([MAX_BATCH - 1, MAX_BATCH])('MAX_BATCH_MUTATION: updateMany of %i with a new country', async (count) => {
        const rows = () =>
          Array.from({ length: count }, () => ({ ...createState(pkType), country_id: createCountry(pkType) }));
        const ids = (await createRows(states, rows(), MAX_BATCH / 2)).map((r) => r.id);
        const ids2 = (await createRows(states, rows(), MAX_BATCH / 2)).map((r) => r.id);
        const response = await t.http
          .patch(`/items/${states}`)
          .send({ keys: ids, data: { country_id: createCountry(pkType) } })
          .set(t.admin);
        const mutationKey = `update_${states}_items`;
        const gqlResponse = await gql({
          mutation: { [mutationKey]: { __args: { ids: ids2, data: { country_id: createCountry(pkType) } }, id: true } },
        });
        if (count === MAX_BATCH - 1) {
          expect(response.statusCode).toBe(200);
          expect(response.body.data.length).toBe(count);
          expect(gqlResponse.statusCode).toBe(200);
          expect(gqlResponse.body.data[mutationKey].length).toEqual(count);
        } else {
          expect(response.statusCode).toBe(400);
          expect(response.body.errors[0].message).toBe(LIMIT_MESSAGE);
          expect(gqlResponse.statusCode).toBe(200);
          expect(gqlResponse.body.errors[0].message).toBe(LIMIT_MESSAGE);
        }
      });

      const schemaOf = (): Record<string, Record<string, SchemaField>> => {
        const c: Record<string, SchemaField> = {
          id: { type: pkType, filters: true, values: [] },
          name: { type: 'string', filters: true, values: ['United States', 'Malaysia'] },
          ...allTypesSchema(),
        };
        const s: Record<string, SchemaField> = {
          id: { type: pkType, filters: false, values: [] },
          name: { type: 'string', filters: false, values: [] },
          country_id: { type: pkType, filters: false, values: [], children: c },
        };
        const ci: Record<string, SchemaField> = {
          id: { type: pkType, filters: false, values: [] },
          name: { type: 'string', filters: false, values: [] },
          state_id: { type: pkType, filters: false, values: [], children: s },
        };
        return { [countries]: c, [states]: s, [cities]: ci };
      };
      const valuesOf = (collection: string) => () =>
        Object.fromEntries(
          Object.entries(seeded[pkType] ?? {})
            .filter(([k]) => k.startsWith(`${collection}.`))
            .map(([k, v]) => [k.slice(collection.length + 1), v]),
        );
      checkQueryFilters(`/items/${countries}`, () => schemaOf()[countries]!, valuesOf(countries));
      checkQueryFilters(`/items/${states}`, () => schemaOf()[states]!, valuesOf(states));
      checkQueryFilters(`/items/${cities}`, () => schemaOf()[cities]!, valuesOf(cities));

      it('Meta Service: retrieves filter count correctly', async () => {
        const name = 'test-meta-service-count';
        const c1 = await createItem(countries, { ...createCountry(pkType), name });
        const c2 = await createItem(countries, { ...createCountry(pkType), name });
        await createItem(states, [
          { ...createState(pkType), name, country_id: c1.id },
          { ...createState(pkType), name, country_id: c2.id },
        ]);
        const response = await t.http
          .get(`/items/${states}`)
          .query({ filter: JSON.stringify({ name: { _eq: name } }), meta: '*' })
          .set(t.admin);
        expect(response.statusCode).toBe(200);
        expect(response.body.meta.filter_count).toBe(2);
        expect(response.body.data.length).toBe(2);
      });
    });
  });

  /** CreateFieldO2M: the alias (special o2m), the foreign key on the other side (plain), the relation with one_field. */
  async function createFieldO2M(collection: string, field: string, other: string, otherField: string, pkType: PkType) {
    const f = await t.http
      .post(`/fields/${collection}`)
      .set(t.admin)
      .send({ field, type: 'alias', meta: { special: ['o2m'] }, schema: null });
    if (f.status !== 200) throw new Error(`o2m field: ${f.status} ${JSON.stringify(f.body)}`);
    await createField(other, otherField, pkType);
    const r = await t.http
      .post('/relations')
      .set(t.admin)
      .send({
        collection: other,
        field: otherField,
        related_collection: collection,
        meta: { one_field: field },
        schema: { on_delete: 'SET NULL' },
      });
    if (r.status !== 200) throw new Error(`o2m relation: ${r.status} ${JSON.stringify(r.body)}`);
  }

  /** seedO2MAliasAllFieldTypesValues: per parent key, two rows with every typed field set and the key. */
  async function seedO2MAliasAllFieldTypesValues(
    collection: string,
    pkType: PkType,
    aliasField: string,
    keys: unknown[],
  ) {
    const items: Any[] = [];
    for (const key of keys) {
      for (let i = 0; i < 2; i++) {
        const item: Any = pkType === 'string' ? { id: `id-${stringIdCounter++}` } : {};
        item[aliasField] = key;
        for (const [type, values] of Object.entries(ALL_TYPES)) item[`test_${type.toLowerCase()}`] = values[i];
        items.push(item);
      }
    }
    await createItem(collection, items);
  }

  describe('o2m.test.ts', () => {
    const collectionCountries = 'test_items_o2m_countries';
    const collectionStates = 'test_items_o2m_states';
    const collectionCities = 'test_items_o2m_cities';
    const seeded: Record<string, Record<string, unknown[]>> = {};

    beforeAll(async () => {
      for (const pkType of PK_TYPES) {
        const [countries, states, cities] = [collectionCountries, collectionStates, collectionCities].map(
          (c) => `${c}_${pkType}`,
        ) as [string, string, string];
        for (const c of [countries, states, cities]) {
          await createCollection(c, pkType);
          await createField(c, 'name', 'string');
        }
        await createFieldO2M(countries, 'states', states, 'country_id', pkType);
        await createFieldO2M(states, 'cities', cities, 'state_id', pkType);
        for (const c of [countries, states, cities]) await seedAllFieldTypesStructure(c);

        const countryRows = await createItem(
          countries,
          ['United States', 'Malaysia'].map((name, i) =>
            pkType === 'string' ? { id: `country-seed-${i}`, name } : { name },
          ),
        );
        const countriesIDs = countryRows.map((r: Any) => r.id);
        const stateRows = await createItem(
          states,
          ['Washington', 'California', 'Johor', 'Sarawak'].map((name, i) => ({
            ...(pkType === 'string' ? { id: `state-seed-${i}` } : {}),
            name,
            country_id: countriesIDs[i % 2],
          })),
        );
        const statesIDs = stateRows.map((r: Any) => r.id);
        const cityRows = await createItem(
          cities,
          [
            'Seattle',
            'Spokane',
            'Los Angeles',
            'San Francisco',
            'Johor Bahru',
            'Muar',
            'Kota Kinabalu',
            'Sandakan',
          ].map((name, i) => ({
            ...(pkType === 'string' ? { id: `city-seed-${i}` } : {}),
            name,
            state_id: statesIDs[i % 4],
          })),
        );
        seeded[pkType] = {
          [`${countries}.id`]: countriesIDs,
          [`${states}.id`]: statesIDs,
          [`${cities}.id`]: cityRows.map((r: Any) => r.id),
        };
        await seedAllFieldTypesValues(countries, pkType);
        await seedO2MAliasAllFieldTypesValues(states, pkType, 'country_id', countriesIDs);
        await seedO2MAliasAllFieldTypesValues(cities, pkType, 'state_id', statesIDs);
      }
    });

    type Row = { id?: string | number; name: string; [k: string]: unknown };
    const make =
      (prefix: string) =>
      (pkType: PkType): Row => ({
        name: `${prefix}-` + randomUUID(),
        ...(pkType === 'string' ? { id: `${prefix}-` + randomUUID() } : {}),
      });
    const createCountry = make('country');
    const createState = make('state');
    const createCity = make('city');
    const nested = (create: unknown[]) => ({ create, update: [], delete: [] });
    const yearDatetime = (year: number) => new Date(new Date().setFullYear(year)).toISOString().slice(0, 19);
    const LIMIT_MESSAGE = `Invalid payload. Exceeded max batch mutation limit of ${MAX_BATCH}.`;

    describe.each(PK_TYPES)('pkType: %s', (pkType) => {
      const countries = `${collectionCountries}_${pkType}`;
      const states = `${collectionStates}_${pkType}`;
      const cities = `${collectionCities}_${pkType}`;

      it(`GET /:collection/:id retrieves a country's states`, async () => {
        const country = await createItem(countries, createCountry(pkType));
        const state = await createItem(states, { ...createState(pkType), country_id: country.id });
        const response = await t.http.get(`/items/${countries}/${country.id}`).set(t.admin);
        const gqlResponse = await gql({
          query: { [countries]: { __args: { filter: { id: { _eq: country.id } } }, states: { id: true } } },
        });
        expect(response.statusCode).toEqual(200);
        expect(response.body.data).toMatchObject({ states: [state.id] });
        expect(gqlResponse.statusCode).toEqual(200);
        expect(gqlResponse.body.data).toEqual({ [countries]: [{ states: [{ id: String(state.id) }] }] });
      });

      it('GET /:collection filters on top level and on o2m level', async () => {
        const country = await createItem(countries, { ...createCountry(pkType), name: 'country-o2m-' + randomUUID() });
        const state = await createItem(states, {
          ...createState(pkType),
          name: 'state-o2m-' + randomUUID(),
          country_id: country.id,
        });
        for (const [f1, f2] of [
          [{ id: { _eq: country.id } }, { name: { _eq: country.name } }],
          [{ states: { id: { _eq: state.id } } }, { states: { name: { _eq: state.name } } }],
        ]) {
          const response = await t.http
            .get(`/items/${countries}`)
            .query({ filter: JSON.stringify(f1) })
            .set(t.admin);
          const response2 = await t.http
            .get(`/items/${countries}`)
            .query({ filter: JSON.stringify(f2) })
            .set(t.admin);
          const gqlResponse = await gql({ query: { [countries]: { __args: { filter: f1 }, id: true } } });
          const gqlResponse2 = await gql({ query: { [countries]: { __args: { filter: f2 }, id: true } } });
          expect(response.statusCode).toEqual(200);
          expect(response.body.data.length).toBe(1);
          expect(response.body.data[0]).toMatchObject({ id: country.id });
          expect(response.body.data).toEqual(response2.body.data);
          expect(gqlResponse.body.data[countries]).toEqual([{ id: String(country.id) }]);
          expect(gqlResponse.body.data).toEqual(gqlResponse2.body.data);
        }
      });

      it('GET /:collection filters with functions on top level: count(states)', async () => {
        await createItem(countries, {
          ...createCountry(pkType),
          name: 'test_country_top',
          states: nested([
            { ...createState(pkType), name: 'test_state_top_1' },
            { ...createState(pkType), name: 'test_state_top_2' },
          ]),
        });
        await createItem(countries, { ...createCountry(pkType), name: 'test_country_top' });
        const response = await t.http
          .get(`/items/${countries}`)
          .query({
            filter: JSON.stringify({ _and: [{ name: { _eq: 'test_country_top' } }, { 'count(states)': { _eq: 2 } }] }),
          })
          .set(t.admin);
        const responseTotal = await t.http
          .get(`/items/${countries}`)
          .query({ filter: JSON.stringify({ name: { _eq: 'test_country_top' } }) })
          .set(t.admin);
        const gqlResponse = await gql({
          query: {
            [countries]: {
              __args: {
                filter: { _and: [{ name: { _eq: 'test_country_top' } }, { states_func: { count: { _eq: 2 } } }] },
              },
              name: true,
            },
          },
        });
        const gqlResponseTotal = await gql({
          query: { [countries]: { __args: { filter: { name: { _eq: 'test_country_top' } } }, name: true } },
        });
        expect(response.statusCode).toEqual(200);
        expect(response.body.data.length).toEqual(1);
        expect(responseTotal.body.data.length).toEqual(2);
        expect(gqlResponse.statusCode).toEqual(200);
        expect(gqlResponse.body.data[countries].length).toEqual(1);
        expect(gqlResponseTotal.body.data[countries].length).toEqual(2);
      });

      it('GET /:collection filters with functions on o2m level: states.count(cities), states.country_id.count(states)', async () => {
        const stateWith = (name: string, cityNames: string[], cityMaker: (p: PkType) => Row) => ({
          ...createState(pkType),
          name,
          cities: nested(cityNames.map((n) => ({ ...cityMaker(pkType), name: n }))),
        });
        await createItem(countries, {
          ...createCountry(pkType),
          name: 'test_country_nested',
          states: nested([
            stateWith('test_state_nested_1', ['test_city_nested_1'], createCity),
            stateWith('test_state_nested_2', ['test_city_nested_3'], createCity),
          ]),
        });
        // the suite's second city of each state is made with createState (an id `state-…` for string keys)
        await createItem(countries, {
          ...createCountry(pkType),
          name: 'test_country_nested',
          states: nested([
            stateWith('test_state_nested_3', ['test_city_nested_5'], createCity),
            stateWith('test_state_nested_4', ['test_city_nested_6'], createCity),
          ]),
        });
        const first = await t.http
          .get(`/items/${countries}`)
          .query({ filter: JSON.stringify({ name: { _eq: 'test_country_nested' } }), fields: 'states.id', sort: 'id' })
          .set(t.admin);
        for (const s of first.body.data[0].states) {
          await createItem(cities, { ...createState(pkType), name: 'test_city_nested_extra', state_id: s.id });
        }
        const filter = {
          _and: [
            { name: { _eq: 'test_country_nested' } },
            { states: { 'count(cities)': { _eq: 2 } } },
            { states: { country_id: { 'count(states)': { _eq: 2 } } } },
          ],
        };
        const gqlFilter = {
          _and: [
            { name: { _eq: 'test_country_nested' } },
            { states: { cities_func: { count: { _eq: 2 } } } },
            { states: { country_id: { states_func: { count: { _eq: 2 } } } } },
          ],
        };
        const response = await t.http
          .get(`/items/${countries}`)
          .query({ filter: JSON.stringify(filter) })
          .set(t.admin);
        const gqlResponse = await gql({ query: { [countries]: { __args: { filter: gqlFilter }, name: true } } });
        expect(response.statusCode).toEqual(200);
        expect(response.body.data.length).toEqual(1);
        expect(gqlResponse.statusCode).toEqual(200);
        expect(gqlResponse.body.data[countries].length).toEqual(1);
      });

      describe('sorts', () => {
        const seeds: Record<string, () => Promise<void>> = {
          'on top level': async () => {
            await createItem(
              countries,
              [4, 2, 3, 5, 1].map((v) => ({ ...createCountry(pkType), name: 'country-o2m-top-sort-' + v })),
            );
          },
          'on o2m level': async () => {
            for (const v of [4, 2, 3, 5, 1]) {
              const c = await createItem(countries, {
                ...createCountry(pkType),
                name: 'country-o2m-sort-' + randomUUID(),
              });
              await createItem(states, { ...createState(pkType), name: 'state-o2m-sort-' + v, country_id: c.id });
            }
          },
          'with functions on top level': async () => {
            await createItem(
              countries,
              [4, 2, 3, 5, 1].map((v) => ({
                ...createCountry(pkType),
                name: 'country-o2m-top-sort-fn-' + randomUUID(),
                test_datetime: yearDatetime(parseInt(`202${v}`)),
              })),
            );
          },
          'with functions on o2m level': async () => {
            for (const v of [4, 2, 3, 5, 1]) {
              const c = await createItem(countries, {
                ...createCountry(pkType),
                name: 'country-o2m-sort-fn-' + randomUUID(),
              });
              await createItem(states, {
                ...createState(pkType),
                name: 'state-o2m-sort-fn-' + randomUUID(),
                test_datetime: yearDatetime(parseInt(`202${v}`)),
                country_id: c.id,
              });
            }
          },
        };
        const cases: [
          string,
          string,
          string,
          string | undefined,
          Record<string, Any>,
          (r: Any) => number,
          (r: Any) => number,
        ][] = [
          [
            'on top level',
            'name',
            'country-o2m-top-sort-',
            undefined,
            { name: true },
            (r) => parseInt(r.name.slice(-1)),
            (r) => parseInt(r.name.slice(-1)),
          ],
          [
            'on o2m level',
            'states.name',
            'country-o2m-sort-',
            'states.name',
            { states: { name: true } },
            (r) => parseInt(r.states[0].name.slice(-1)),
            (r) => parseInt(r.states[0].name.slice(-1)),
          ],
          [
            'with functions on top level',
            'year(test_datetime)',
            'country-o2m-top-sort-fn-',
            'year(test_datetime)',
            { test_datetime_func: { year: true } },
            (r) => parseInt(r.test_datetime_year.toString().slice(-1)),
            (r) => parseInt(r.test_datetime_func.year.toString().slice(-1)),
          ],
          [
            'with functions on o2m level',
            'states.year(test_datetime)',
            'country-o2m-sort-fn-',
            'states.year(test_datetime)',
            { states: { test_datetime_func: { year: true } } },
            (r) => parseInt(r.states[0].test_datetime_year.toString().slice(-1)),
            (r) => parseInt(r.states[0].test_datetime_func.year.toString().slice(-1)),
          ],
        ];

        describe.each(cases)('%s', (name, sort, prefix, fields, gqlFields, restValue, gqlValue) => {
          const filter = { name: { _starts_with: prefix } };
          beforeAll(() => seeds[name]!());

          it('without limit', async () => {
            const response = await t.http.get(`/items/${countries}`).query({ sort, filter }).set(t.admin);
            const response2 = await t.http
              .get(`/items/${countries}`)
              .query({ sort: `-${sort}`, filter })
              .set(t.admin);
            const gqlResponse = await gql({ query: { [countries]: { __args: { sort, filter }, id: true } } });
            const gqlResponse2 = await gql({
              query: { [countries]: { __args: { sort: `-${sort}`, filter }, id: true } },
            });
            expect(response.statusCode).toEqual(200);
            expect(response2.statusCode).toEqual(200);
            expect(response.body.data.length).toBe(5);
            expect(response.body.data).toEqual(response2.body.data.reverse());
            expect(gqlResponse.statusCode).toEqual(200);
            expect(gqlResponse.body.data[countries].length).toBe(5);
            expect(gqlResponse.body.data[countries]).toEqual(gqlResponse2.body.data[countries].reverse());
          });

          it.each([-1, 1, 3])('where limit = %s', async (limit) => {
            const n = limit === -1 ? 5 : limit;
            const q = (s: string) => ({ sort: s, filter, limit, ...(fields ? { fields } : {}) });
            const response = await t.http.get(`/items/${countries}`).query(q(sort)).set(t.admin);
            const response2 = await t.http
              .get(`/items/${countries}`)
              .query(q(`-${sort}`))
              .set(t.admin);
            const gqlResponse = await gql({
              query: { [countries]: { __args: { sort, filter, limit }, id: true, ...gqlFields } },
            });
            const gqlResponse2 = await gql({
              query: { [countries]: { __args: { sort: `-${sort}`, filter, limit }, id: true, ...gqlFields } },
            });
            expect(response.statusCode).toEqual(200);
            expect(response2.statusCode).toEqual(200);
            expect(response.body.data.map(restValue)).toEqual([1, 2, 3, 4, 5].slice(0, n));
            expect(response2.body.data.map(restValue)).toEqual([5, 4, 3, 2, 1].slice(0, n));
            expect(gqlResponse.statusCode).toEqual(200);
            expect(gqlResponse.body.data[countries].map(gqlValue)).toEqual([1, 2, 3, 4, 5].slice(0, n));
            expect(gqlResponse2.body.data[countries].map(gqlValue)).toEqual([5, 4, 3, 2, 1].slice(0, n));
          });
        });
      });

      const schemaOf = (): Record<string, Record<string, SchemaField>> => {
        const ci: Record<string, SchemaField> = {
          id: { type: pkType, filters: false, values: [] },
          name: { type: 'string', filters: false, values: [] },
          ...allTypesSchema(),
        };
        const s: Record<string, SchemaField> = {
          id: { type: pkType, filters: false, values: [] },
          name: { type: 'string', filters: false, values: [] },
          ...allTypesSchema(),
          cities: { type: 'alias', filters: false, values: [], children: ci },
        };
        const c: Record<string, SchemaField> = {
          id: { type: pkType, filters: true, values: [] },
          name: { type: 'string', filters: true, values: ['United States', 'Malaysia'] },
          states: { type: 'alias', filters: false, values: [], children: s },
        };
        return { [countries]: c, [states]: s, [cities]: ci };
      };
      const valuesOf = (collection: string) => () =>
        Object.fromEntries(
          Object.entries(seeded[pkType] ?? {})
            .filter(([k]) => k.startsWith(`${collection}.`))
            .map(([k, v]) => [k.slice(collection.length + 1), v]),
        );
      checkQueryFilters(`/items/${countries}`, () => schemaOf()[countries]!, valuesOf(countries));
      checkQueryFilters(`/items/${states}`, () => schemaOf()[states]!, valuesOf(states));
      checkQueryFilters(`/items/${cities}`, () => schemaOf()[cities]!, valuesOf(cities));

      it('Returns no duplicated results from joins', async () => {
        await createItem(countries, {
          ...createCountry(pkType),
          name: 'test_country_duplicates',
          states: nested([
            { ...createState(pkType), name: 'test_state_duplicates_1' },
            { ...createState(pkType), name: 'test_state_duplicates_2' },
          ]),
        });
        const fO2m = {
          _and: [{ name: { _eq: 'test_country_duplicates' } }, { states: { country_id: { id: { _nnull: true } } } }],
        };
        const fM2o = {
          _and: [
            { name: { _starts_with: 'test_state_duplicates' } },
            { country_id: { states: { id: { _nnull: true } } } },
          ],
        };
        const responseO2m = await t.http
          .get(`/items/${countries}`)
          .query({ filter: JSON.stringify(fO2m) })
          .set(t.admin);
        const responseM2o = await t.http
          .get(`/items/${states}`)
          .query({ filter: JSON.stringify(fM2o) })
          .set(t.admin);
        const gqlO2m = await gql({ query: { [countries]: { __args: { filter: fO2m }, id: true } } });
        const gqlM2o = await gql({ query: { [states]: { __args: { filter: fM2o }, id: true } } });
        expect(responseO2m.statusCode).toEqual(200);
        expect(responseO2m.body.data.length).toEqual(1);
        expect(responseM2o.statusCode).toEqual(200);
        expect(responseM2o.body.data.length).toEqual(2);
        expect(gqlO2m.body.data[countries].length).toEqual(1);
        expect(gqlM2o.body.data[states].length).toEqual(2);
      });

      it('Aggregation: retrieves relational count correctly (fields count(states))', async () => {
        const country = createCountry(pkType);
        await createItem(countries, {
          ...country,
          states: nested(Array.from({ length: 8 }, () => createState(pkType))),
        });
        const response = await t.http
          .get(`/items/${countries}`)
          .query({ filter: { name: { _eq: country.name } }, fields: 'count(states)' })
          .set(t.admin);
        const gqlResponse = await gql({
          query: { [countries]: { __args: { filter: { name: { _eq: country.name } } }, states_func: { count: true } } },
        });
        expect(response.statusCode).toBe(200);
        expect(response.body.data[0].states_count == 8).toBeTruthy();
        expect(gqlResponse.statusCode).toBe(200);
        expect(gqlResponse.body.data[countries][0].states_func.count).toEqual(8);
      });

      it('Offset: retrieves relational offset correctly (deep _offset)', async () => {
        const country = createCountry(pkType);
        await createItem(countries, {
          ...country,
          states: nested(Array.from({ length: 5 }, () => createState(pkType))),
        });
        const response = await t.http
          .get(`/items/${countries}`)
          .query({
            filter: JSON.stringify({ name: { _eq: country.name } }),
            deep: JSON.stringify({ states: { _offset: 2 } }),
          })
          .set(t.admin);
        const gqlResponse = await gql({
          query: {
            [countries]: {
              __args: { filter: { name: { _eq: country.name } } },
              states: { __args: { offset: 2 }, id: true },
            },
          },
        });
        expect(response.statusCode).toBe(200);
        expect(response.body.data.length).toBe(1);
        expect(response.body.data[0].states.length).toBe(3);
        expect(gqlResponse.statusCode).toBe(200);
        expect(gqlResponse.body.data[countries][0].states.length).toEqual(3);
      });

      it('Offset: retrieves offset with limit and sort correctly (deep)', async () => {
        const [count, offset, limit, sort] = [8, 3, 4, 'name'];
        const asc = Array.from(Array(count).keys()).slice(offset, offset + limit);
        const desc = Array.from(Array(count).keys())
          .sort((v) => -v)
          .slice(offset, offset + limit);
        const country = createCountry(pkType);
        const list = Array.from({ length: count }, (_, i) => {
          const st = createState(pkType);
          return { ...st, name: `${i}-${st.name}` };
        });
        await createItem(countries, { ...country, states: nested(list) });
        const rest = await t.http
          .get(`/items/${countries}`)
          .query({
            fields: '*.*',
            filter: JSON.stringify({ name: { _eq: country.name } }),
            deep: JSON.stringify({ states: { _offset: offset, _limit: limit, _sort: sort } }),
          })
          .set(t.admin);
        const g = (s: string) =>
          gql({
            query: {
              [countries]: {
                __args: { filter: { name: { _eq: country.name } } },
                states: { __args: { offset, limit, sort: s }, id: true, name: true },
              },
            },
          });
        const gAsc = await g(sort);
        const gDesc = await g(`-${sort}`);
        expect(rest.statusCode).toBe(200);
        expect(rest.body.data[0].states.map((v: Any) => parseInt(v.name.split('-')[0]))).toEqual(asc);
        expect(gAsc.body.data[countries][0].states.map((v: Any) => parseInt(v.name.split('-')[0]))).toEqual(asc);
        expect(gDesc.body.data[countries][0].states.map((v: Any) => parseInt(v.name.split('-')[0]))).toEqual(desc);
      });

      it.each([MAX_BATCH - 1, MAX_BATCH])(
        'MAX_BATCH_MUTATION: createOne with %i nested states',
        async (countNested) => {
          const country = {
            ...createCountry(pkType),
            states: Array.from({ length: countNested }, () => createState(pkType)),
          };
          const country2 = {
            ...createCountry(pkType),
            states: Array.from({ length: countNested }, () => createState(pkType)),
          };
          const response = await t.http
            .post(`/items/${countries}`)
            .send(country)
            .query({ deep: JSON.stringify({ states: { _limit: -1 } }) })
            .set(t.admin);
          const mutationKey = `create_${countries}_item`;
          const gqlResponse = await gql({
            mutation: {
              [mutationKey]: { __args: { data: country2 }, id: true, states: { __args: { limit: -1 }, id: true } },
            },
          });
          if (countNested === MAX_BATCH - 1) {
            expect(response.statusCode).toBe(200);
            expect(response.body.data.states.length).toBe(countNested);
            expect(gqlResponse.statusCode).toBe(200);
            expect(gqlResponse.body.data[mutationKey].states.length).toEqual(countNested);
          } else {
            expect(response.statusCode).toBe(400);
            expect(response.body.errors[0].message).toBe(LIMIT_MESSAGE);
            expect(gqlResponse.statusCode).toBe(200);
            expect(gqlResponse.body.errors[0].message).toBe(LIMIT_MESSAGE);
          }
        },
      );

      it.each([9, 10])(
        'MAX_BATCH_MUTATION: createMany of 10 countries with %i nested states each',
        async (countNested) => {
          const list = () =>
            Array.from({ length: MAX_BATCH / 10 }, () => ({
              ...createCountry(pkType),
              states: Array.from({ length: countNested }, () => createState(pkType)),
            }));
          const response = await t.http.post(`/items/${countries}`).send(list()).set(t.admin);
          const mutationKey = `create_${countries}_items`;
          const gqlResponse = await gql({ mutation: { [mutationKey]: { __args: { data: list() }, id: true } } });
          if (countNested === 9) {
            expect(response.statusCode).toBe(200);
            expect(response.body.data.length).toBe(10);
            expect(gqlResponse.statusCode).toBe(200);
            expect(gqlResponse.body.data[mutationKey].length).toEqual(10);
          } else {
            expect(response.statusCode).toBe(400);
            expect(response.body.errors[0].message).toBe(LIMIT_MESSAGE);
            expect(gqlResponse.statusCode).toBe(200);
            expect(gqlResponse.body.errors[0].message).toBe(LIMIT_MESSAGE);
          }
        },
      );

      it.each([2, 3])(
        'MAX_BATCH_MUTATION: updateBatch of 10 countries, 4 created / 3 updated / %i deleted states each',
        async (countDelete) => {
          const count = MAX_BATCH / 10;
          const [countCreate, countUpdate] = [4, 3];
          const seed = async () => {
            const ids: unknown[] = [];
            for (let i = 0; i < count; i++) {
              const c = {
                ...createCountry(pkType),
                states: Array.from({ length: countUpdate + countDelete }, () => createState(pkType)),
              };
              ids.push((await createItem(countries, c)).id);
            }
            const read = await t.http
              .get(`/items/${countries}`)
              .query({ fields: ['*', 'states.id', 'states.name'], filter: { id: { _in: ids } } })
              .set(t.admin);
            return read.body.data as Any[];
          };
          const list = (await seed()).map((c) => ({
            ...c,
            states: {
              create: Array.from({ length: countCreate }, () => createState(pkType)),
              update: c.states.slice(0, countUpdate).map((s: Any) => ({ ...s, name: 'updated' })),
              delete: c.states.slice(-countDelete).map((s: Any) => s.id),
            },
          }));
          const list2 = (await seed()).map((c) => ({
            ...c,
            states: [
              ...Array.from({ length: countCreate }, () => createState(pkType)),
              ...c.states.map((s: Any) => ({ ...s, name: 'updated' })),
            ],
          }));
          const response = await t.http.patch(`/items/${countries}`).send(list).set(t.admin);
          const mutationKey = `update_${countries}_batch`;
          const gqlResponse = await gql({ mutation: { [mutationKey]: { __args: { data: list2 }, id: true } } });
          if (countDelete === 2) {
            expect(response.statusCode).toBe(200);
            expect(response.body.data.length).toBe(count);
            expect(gqlResponse.statusCode).toBe(200);
            expect(gqlResponse.body.data[mutationKey].length).toEqual(count);
          } else {
            expect(response.statusCode).toBe(400);
            expect(response.body.errors[0].message).toBe(LIMIT_MESSAGE);
            expect(gqlResponse.statusCode).toBe(200);
            expect(gqlResponse.body.errors[0].message).toBe(LIMIT_MESSAGE);
          }
        },
      );

      it('Meta Service: retrieves filter count correctly (filter through states)', async () => {
        const name = 'test-meta-service-count';
        const two = () => Array.from({ length: 2 }, () => ({ ...createState(pkType), name }));
        await createItem(countries, [
          { ...createCountry(pkType), name, states: nested(two()) },
          { ...createCountry(pkType), name, states: nested(two()) },
        ]);
        const response = await t.http
          .get(`/items/${countries}`)
          .query({ filter: JSON.stringify({ name: { _eq: name }, states: { name: { _eq: name } } }), meta: '*' })
          .set(t.admin);
        expect(response.statusCode).toBe(200);
        expect(response.body.meta.filter_count).toBe(2);
        expect(response.body.data.length).toBe(2);
        for (const item of response.body.data) expect(item.states.length).toBe(2);
      });

      if (pkType === 'integer') {
        it('Auto Increment: nested creates with explicit keys', async () => {
          const name = 'test-auto-increment-o2m';
          const states1 = [0, 1].map((i) => ({ ...createState(pkType), name, ...(i === 0 ? { id: 106666 } : {}) }));
          const states2 = [0, 1].map(() => ({ ...createState(pkType), name }));
          const cities1 = [0, 1].map((i) => ({ ...createCity(pkType), name, ...(i === 0 ? { id: 107777 } : {}) }));
          const cities2 = [0, 1].map(() => ({ ...createCity(pkType), name }));
          await createItem(countries, [
            {
              ...createCountry(pkType),
              id: 105555,
              name,
              states: nested(states1.map((s, i) => ({ ...s, cities: nested(i === 0 ? cities1 : cities2) }))),
            },
            {
              ...createCountry(pkType),
              name,
              states: nested(states2.map((s) => ({ ...s, cities: nested(cities2) }))),
            },
          ]);
          const response = await t.http
            .get(`/items/${countries}`)
            .query({ filter: JSON.stringify({ name: { _eq: name } }), fields: 'id,states.id,states.cities.id' })
            .set(t.admin);
          expect(response.statusCode).toBe(200);
          expect(response.body.data.map((c: Any) => c.id)).toEqual([105555, 105556]);
          expect(response.body.data.flatMap((c: Any) => c.states.map((s: Any) => s.id))).toEqual([
            106666, 106667, 106668, 106669,
          ]);
          expect(
            response.body.data.flatMap((c: Any) => c.states.flatMap((s: Any) => s.cities.map((x: Any) => x.id))),
          ).toEqual(Array.from({ length: 8 }, (_, i) => 107777 + i));
        });
      }
    });
  });

  /**
   * CreateFieldM2M: both aliases (special m2m), an integer-keyed junction `<junction>` with `<collection>_id` and
   * `<other>_id` (the key type), and the two relations with one_field / junction_field.
   */
  async function createFieldM2M(
    collection: string,
    field: string,
    other: string,
    otherField: string,
    junction: string,
    pkType: PkType,
  ) {
    for (const [c, f] of [
      [collection, field],
      [other, otherField],
    ]) {
      const res = await t.http
        .post(`/fields/${c}`)
        .set(t.admin)
        .send({ field: f, type: 'alias', meta: { special: ['m2m'] }, schema: {} });
      if (res.status !== 200) throw new Error(`m2m field: ${res.status} ${JSON.stringify(res.body)}`);
    }
    await createCollection(junction, 'integer');
    const [a, b] = [`${collection}_id`, `${other}_id`];
    await createField(junction, a, pkType);
    await createField(junction, b, pkType);
    for (const [f, related, oneField, junctionField] of [
      [a, collection, field, b],
      [b, other, otherField, a],
    ]) {
      const r = await t.http
        .post('/relations')
        .set(t.admin)
        .send({
          collection: junction,
          field: f,
          related_collection: related,
          meta: { one_field: oneField, junction_field: junctionField },
          schema: { on_delete: 'SET NULL' },
        });
      if (r.status !== 200) throw new Error(`m2m relation: ${r.status} ${JSON.stringify(r.body)}`);
    }
  }

  describe('m2m.test.ts', () => {
    const collectionFoods = 'test_items_m2m_foods';
    const collectionIngredients = 'test_items_m2m_ingredients';
    const collectionSuppliers = 'test_items_m2m_suppliers';
    const seeded: Record<string, Record<string, unknown[]>> = {};
    const DEPTH_ERROR = 'Invalid query. Max relational depth exceeded.';

    beforeAll(async () => {
      for (const pkType of PK_TYPES) {
        const [foods, ingredients, suppliers] = [collectionFoods, collectionIngredients, collectionSuppliers].map(
          (c) => `${c}_${pkType}`,
        ) as [string, string, string];
        const [foodsIngredients, ingredientsSuppliers] = [
          `${collectionFoods}_ingredients_${pkType}`,
          `${collectionIngredients}_suppliers_${pkType}`,
        ];
        for (const c of [foods, ingredients, suppliers]) {
          await createCollection(c, pkType);
          await createField(c, 'name', 'string');
        }
        await createFieldM2M(foods, 'ingredients', ingredients, 'foods', foodsIngredients, pkType);
        await createFieldM2M(ingredients, 'suppliers', suppliers, 'ingredients', ingredientsSuppliers, pkType);
        for (const c of [foods, ingredients, suppliers]) await seedAllFieldTypesStructure(c);

        const rows = async (c: string, names: string[], prefix: string) =>
          (
            await createItem(
              c,
              names.map((name, i) => (pkType === 'string' ? { id: `${prefix}-seed-${i}`, name } : { name })),
            )
          ).map((r: Any) => r.id);
        const foodsIDs = await rows(foods, ['Chicken Rice', 'Fish & Chips'], 'food');
        const ingredientsIDs = await rows(ingredients, ['Chicken', 'Rice', 'Fish', 'Potato'], 'ingredient');
        const suppliersIDs = await rows(
          suppliers,
          ['A Impex', 'B Impex', 'C Impex', 'D Impex', 'E Impex', 'F Impex', 'G Impex', 'H Impex'],
          'supplier',
        );
        seeded[pkType] = {
          [`${foods}.id`]: foodsIDs,
          [`${ingredients}.id`]: ingredientsIDs,
          [`${suppliers}.id`]: suppliersIDs,
        };
        await createItem(
          foodsIngredients,
          ingredientsIDs.map((id: unknown, i: number) => ({
            [`${foods}_id`]: foodsIDs[Math.floor(i / 2) % 2],
            [`${ingredients}_id`]: id,
          })),
        );
        await createItem(
          ingredientsSuppliers,
          suppliersIDs.map((id: unknown, i: number) => ({
            [`${ingredients}_id`]: ingredientsIDs[Math.floor(i / 2) % 4],
            [`${suppliers}_id`]: id,
          })),
        );
        for (const c of [foods, ingredients, suppliers]) await seedAllFieldTypesValues(c, pkType);
        // seedM2MAliasAllFieldTypesValues: the new rows of both sides linked pairwise
        const link = async (c: string, o: string, junction: string, known: unknown[], otherKnown: unknown[]) => {
          const keys = async (x: string, skip: unknown[]) =>
            (await t.http.get(`/items/${x}`).query({ fields: '*', limit: -1 }).set(t.admin)).body.data
              .map((r: Any) => r.id)
              .filter((id: unknown) => !skip.includes(id));
          const [mine, theirs] = [await keys(c, known), await keys(o, otherKnown)];
          expect(mine.length).toBe(theirs.length);
          await createItem(
            junction,
            mine.map((id: unknown, i: number) => ({ [`${c}_id`]: id, [`${o}_id`]: theirs[i] })),
          );
        };
        await link(foods, ingredients, foodsIngredients, foodsIDs, ingredientsIDs);
        await link(ingredients, suppliers, ingredientsSuppliers, ingredientsIDs, suppliersIDs);
      }
    });

    type Row = { id?: string | number; name: string; [k: string]: unknown };
    const make =
      (prefix: string, extra: Row | object = {}) =>
      (pkType: PkType): Row => ({
        name: `${prefix}-` + randomUUID(),
        ...(pkType === 'string' ? { id: `${prefix}-` + randomUUID() } : {}),
        ...extra,
      });
    const createFood = (pkType: PkType) => ({ ...make('food')(pkType), ingredients: [] as unknown[] });
    const createIngredient = make('ingredient');
    const nested = (create: unknown[]) => ({ create, update: [], delete: [] });
    const yearDatetime = (year: number) => new Date(new Date().setFullYear(year)).toISOString().slice(0, 19);
    const LIMIT_MESSAGE = `Invalid payload. Exceeded max batch mutation limit of ${MAX_BATCH}.`;

    describe.each(PK_TYPES)('pkType: %s', (pkType) => {
      const foods = `${collectionFoods}_${pkType}`;
      const ingredients = `${collectionIngredients}_${pkType}`;
      const suppliers = `${collectionSuppliers}_${pkType}`;
      const foodsId = `${foods}_id`;
      const ingredientsId = `${ingredients}_id`;

      it(`GET /:collection/:id retrieves a ingredient's food`, async () => {
        const inserted = await createItem(ingredients, {
          ...createIngredient(pkType),
          foods: nested([{ [ingredientsId]: createFood(pkType) }]),
        });
        const response = await t.http.get(`/items/${ingredients}/${inserted.id}`).set(t.admin);
        const gqlResponse = await gql({
          query: { [ingredients]: { __args: { filter: { id: { _eq: inserted.id } } }, foods: { id: true } } },
        });
        expect(response.statusCode).toEqual(200);
        expect(response.body.data.foods).toHaveLength(1);
        expect(gqlResponse.statusCode).toEqual(200);
        expect(gqlResponse.body.data[ingredients][0].foods).toHaveLength(1);
      });

      it('GET /:collection retrieves a food using the $FOLLOW filter', async () => {
        const food = createFood(pkType);
        const inserted = await createItem(ingredients, {
          ...createIngredient(pkType),
          foods: nested([{ [foodsId]: food }]),
        });
        const response = await t.http
          .get(`/items/${foods}`)
          .query({
            filter: JSON.stringify({
              [`$FOLLOW(${collectionFoods}_ingredients_${pkType},${foodsId})`]: {
                _some: { [ingredientsId]: { _eq: inserted.id } },
              },
            }),
          })
          .set(t.admin);
        expect(response.statusCode).toBe(200);
        expect(response.body.data).toMatchObject([expect.objectContaining({ name: food.name })]);
      });

      it('GET /:collection filters on top level and on m2m level', async () => {
        const food = { ...createFood(pkType), name: 'food-m2m-' + randomUUID() };
        const inserted = await createItem(ingredients, {
          ...createIngredient(pkType),
          name: 'ingredient-m2m-' + randomUUID(),
          foods: nested([{ [foodsId]: food }]),
        });
        const read = await t.http
          .get(`/items/${ingredients}`)
          .query({ fields: ['*.*.*'], filter: { id: { _eq: inserted.id } } })
          .set(t.admin);
        const foodId = read.body.data[0].foods[0][foodsId].id;
        for (const [f1, f2] of [
          [{ id: { _eq: inserted.id } }, { name: { _eq: inserted.name } }],
          [{ foods: { [foodsId]: { id: { _eq: foodId } } } }, { foods: { [foodsId]: { name: { _eq: food.name } } } }],
        ]) {
          const response = await t.http
            .get(`/items/${ingredients}`)
            .query({ filter: JSON.stringify(f1) })
            .set(t.admin);
          const response2 = await t.http
            .get(`/items/${ingredients}`)
            .query({ filter: JSON.stringify(f2) })
            .set(t.admin);
          const gqlResponse = await gql({ query: { [ingredients]: { __args: { filter: f1 }, id: true } } });
          const gqlResponse2 = await gql({ query: { [ingredients]: { __args: { filter: f2 }, id: true } } });
          expect(response.statusCode).toEqual(200);
          expect(response.body.data.length).toBe(1);
          expect(response.body.data[0]).toMatchObject({ id: inserted.id });
          expect(response.body.data).toEqual(response2.body.data);
          expect(gqlResponse.body.data[ingredients]).toEqual([{ id: String(inserted.id) }]);
          expect(gqlResponse.body.data).toEqual(gqlResponse2.body.data);
        }
      });

      it('GET /:collection filters with functions on top level: count(foods)', async () => {
        const one = await createItem(ingredients, {
          ...createIngredient(pkType),
          name: 'ingredient-m2m-top-fn-' + randomUUID(),
          foods: nested([{ [foodsId]: createFood(pkType) }]),
        });
        const two = await createItem(ingredients, {
          ...createIngredient(pkType),
          name: 'ingredient-m2m-top-fn-' + randomUUID(),
          foods: nested([{ [foodsId]: createFood(pkType) }, { [foodsId]: createFood(pkType) }]),
        });
        for (const [n, row] of [
          [1, one],
          [2, two],
        ] as const) {
          const response = await t.http
            .get(`/items/${ingredients}`)
            .query({
              filter: JSON.stringify({
                _and: [{ name: { _starts_with: 'ingredient-m2m-top-fn-' } }, { 'count(foods)': { _eq: n } }],
              }),
            })
            .set(t.admin);
          const gqlResponse = await gql({
            query: {
              [ingredients]: {
                __args: {
                  filter: {
                    _and: [{ name: { _starts_with: 'ingredient-m2m-top-fn-' } }, { foods_func: { count: { _eq: n } } }],
                  },
                },
                id: true,
                foods: { id: true },
              },
            },
          });
          expect(response.statusCode).toEqual(200);
          expect(response.body.data.length).toBe(1);
          expect(response.body.data[0]).toMatchObject({ id: row.id });
          expect(response.body.data[0].foods.length).toBe(n);
          expect(gqlResponse.body.data[ingredients].length).toBe(1);
          expect(gqlResponse.body.data[ingredients][0]).toMatchObject({ id: String(row.id) });
          expect(gqlResponse.body.data[ingredients][0].foods.length).toBe(n);
        }
      });

      it('GET /:collection filters with functions on m2m level: year(test_datetime) of the food', async () => {
        const years = [2000, 2010];
        const inserted: Any[] = [];
        for (const year of years) {
          inserted.push(
            await createItem(ingredients, {
              ...createIngredient(pkType),
              name: 'ingredient-m2m-fn-' + randomUUID(),
              foods: nested([
                {
                  [foodsId]: {
                    ...createFood(pkType),
                    name: 'food-m2m-fn-' + randomUUID(),
                    test_datetime: yearDatetime(year),
                  },
                },
              ]),
            }),
          );
        }
        for (const [i, year] of years.entries()) {
          const filter = {
            _and: [
              { name: { _starts_with: 'ingredient-m2m-fn-' } },
              { foods: { [foodsId]: { 'year(test_datetime)': { _eq: year } } } },
            ],
          };
          const gqlFilter = {
            _and: [
              { name: { _starts_with: 'ingredient-m2m-fn-' } },
              { foods: { [foodsId]: { test_datetime_func: { year: { _eq: year } } } } },
            ],
          };
          const response = await t.http
            .get(`/items/${ingredients}`)
            .query({ filter: JSON.stringify(filter) })
            .set(t.admin);
          const gqlResponse = await gql({ query: { [ingredients]: { __args: { filter: gqlFilter }, id: true } } });
          expect(response.statusCode).toEqual(200);
          expect(response.body.data.length).toBe(1);
          expect(response.body.data[0]).toMatchObject({ id: inserted[i].id });
          expect(gqlResponse.body.data[ingredients]).toEqual([{ id: String(inserted[i].id) }]);
        }
      });

      describe('sorts', () => {
        const seeds: Record<string, () => Promise<void>> = {
          'on top level': async () => {
            await createItem(
              ingredients,
              [4, 2, 3, 5, 1].map((v) => ({ ...createIngredient(pkType), name: 'ingredient-m2m-top-sort-' + v })),
            );
          },
          'on m2m level': async () => {
            for (const v of [4, 2, 3, 5, 1]) {
              await createItem(ingredients, {
                ...createIngredient(pkType),
                name: 'ingredient-m2m-sort-' + randomUUID(),
                foods: nested([{ [foodsId]: { ...createFood(pkType), name: 'food-m2m-sort-' + v } }]),
              });
            }
          },
          'with functions on top level': async () => {
            await createItem(
              ingredients,
              [4, 2, 3, 5, 1].map((v) => ({
                ...createIngredient(pkType),
                name: 'ingredient-m2m-top-sort-fn-' + randomUUID(),
                test_datetime: yearDatetime(parseInt(`202${v}`)),
              })),
            );
          },
          'with functions on m2m level': async () => {
            for (const v of [4, 2, 3, 5, 1]) {
              await createItem(ingredients, {
                ...createIngredient(pkType),
                name: 'ingredient-m2m-sort-fn-' + randomUUID(),
                foods: nested([
                  {
                    [foodsId]: {
                      ...createFood(pkType),
                      name: 'food-m2m-sort-fn-' + randomUUID(),
                      test_datetime: yearDatetime(parseInt(`202${v}`)),
                    },
                  },
                ]),
              });
            }
          },
        };
        const food0 = (r: Any) => r.foods[0][foodsId];
        const cases: [string, string, string, string, Record<string, Any>, (r: Any) => number, (r: Any) => number][] = [
          [
            'on top level',
            'name',
            'ingredient-m2m-top-sort-',
            'name',
            { name: true },
            (r) => parseInt(r.name.slice(-1)),
            (r) => parseInt(r.name.slice(-1)),
          ],
          [
            'on m2m level',
            `foods.${foodsId}.name`,
            'ingredient-m2m-sort-',
            `foods.${foodsId}.name`,
            { foods: { [foodsId]: { name: true } } },
            (r) => parseInt(food0(r).name.slice(-1)),
            (r) => parseInt(food0(r).name.slice(-1)),
          ],
          [
            'with functions on top level',
            'year(test_datetime)',
            'ingredient-m2m-top-sort-fn-',
            'year(test_datetime)',
            { test_datetime_func: { year: true } },
            (r) => parseInt(r.test_datetime_year.toString().slice(-1)),
            (r) => parseInt(r.test_datetime_func.year.toString().slice(-1)),
          ],
          [
            'with functions on m2m level',
            `foods.${foodsId}.year(test_datetime)`,
            'ingredient-m2m-sort-fn-',
            `foods.${foodsId}.year(test_datetime)`,
            { foods: { [foodsId]: { test_datetime_func: { year: true } } } },
            (r) => parseInt(food0(r).test_datetime_year.toString().slice(-1)),
            (r) => parseInt(food0(r).test_datetime_func.year.toString().slice(-1)),
          ],
        ];

        describe.each(cases)('%s', (name, sort, prefix, fields, gqlFields, restValue, gqlValue) => {
          const filter = { name: { _starts_with: prefix } };
          beforeAll(() => seeds[name]!());

          it('without limit', async () => {
            const response = await t.http.get(`/items/${ingredients}`).query({ sort, filter }).set(t.admin);
            const response2 = await t.http
              .get(`/items/${ingredients}`)
              .query({ sort: `-${sort}`, filter })
              .set(t.admin);
            const gqlResponse = await gql({ query: { [ingredients]: { __args: { sort, filter }, id: true } } });
            const gqlResponse2 = await gql({
              query: { [ingredients]: { __args: { sort: `-${sort}`, filter }, id: true } },
            });
            expect(response.statusCode).toEqual(200);
            expect(response2.statusCode).toEqual(200);
            expect(response.body.data.length).toBe(5);
            expect(response.body.data).toEqual(response2.body.data.reverse());
            expect(gqlResponse.statusCode).toEqual(200);
            expect(gqlResponse.body.data[ingredients].length).toBe(5);
            expect(gqlResponse.body.data[ingredients]).toEqual(gqlResponse2.body.data[ingredients].reverse());
          });

          it.each([-1, 1, 3])('where limit = %s', async (limit) => {
            const n = limit === -1 ? 5 : limit;
            const response = await t.http
              .get(`/items/${ingredients}`)
              .query({ sort, filter, limit, fields })
              .set(t.admin);
            const response2 = await t.http
              .get(`/items/${ingredients}`)
              .query({ sort: `-${sort}`, filter, limit, fields })
              .set(t.admin);
            const gqlResponse = await gql({
              query: { [ingredients]: { __args: { sort, filter, limit }, id: true, ...gqlFields } },
            });
            const gqlResponse2 = await gql({
              query: { [ingredients]: { __args: { sort: `-${sort}`, filter, limit }, id: true, ...gqlFields } },
            });
            expect(response.statusCode).toEqual(200);
            expect(response2.statusCode).toEqual(200);
            expect(response.body.data.map(restValue)).toEqual([1, 2, 3, 4, 5].slice(0, n));
            expect(response2.body.data.map(restValue)).toEqual([5, 4, 3, 2, 1].slice(0, n));
            expect(gqlResponse.statusCode).toEqual(200);
            expect(gqlResponse.body.data[ingredients].map(gqlValue)).toEqual([1, 2, 3, 4, 5].slice(0, n));
            expect(gqlResponse2.body.data[ingredients].map(gqlValue)).toEqual([5, 4, 3, 2, 1].slice(0, n));
          });
        });
      });

      const schemaOf = (): Record<string, Record<string, SchemaField>> => {
        const su: Record<string, SchemaField> = {
          id: { type: pkType, filters: false, values: [] },
          name: { type: 'string', filters: false, values: [] },
          ...allTypesSchema(),
        };
        const ing: Record<string, SchemaField> = {
          id: { type: pkType, filters: false, values: [] },
          name: { type: 'string', filters: false, values: [] },
          ...allTypesSchema(),
          suppliers: {
            type: 'alias',
            filters: false,
            values: [],
            children: { [`${suppliers}_id`]: { type: 'alias', filters: false, values: [], children: su } },
          },
        };
        const fo: Record<string, SchemaField> = {
          id: { type: pkType, filters: true, values: [] },
          name: { type: 'string', filters: true, values: ['Chicken Rice', 'Fish & Chips'] },
          ingredients: {
            type: 'alias',
            filters: false,
            values: [],
            children: { [ingredientsId]: { type: 'alias', filters: false, values: [], children: ing } },
          },
        };
        return { [foods]: fo, [ingredients]: ing, [suppliers]: su };
      };
      const valuesOf = (collection: string) => () =>
        Object.fromEntries(
          Object.entries(seeded[pkType] ?? {})
            .filter(([k]) => k.startsWith(`${collection}.`))
            .map(([k, v]) => [k.slice(collection.length + 1), v]),
        );
      checkQueryFilters(`/items/${foods}`, () => schemaOf()[foods]!, valuesOf(foods));
      checkQueryFilters(`/items/${ingredients}`, () => schemaOf()[ingredients]!, valuesOf(ingredients));
      checkQueryFilters(`/items/${suppliers}`, () => schemaOf()[suppliers]!, valuesOf(suppliers));

      describe('Depth Tests (MAX_RELATIONAL_DEPTH=5)', () => {
        let food: Any;
        beforeAll(async () => {
          food = await createItem(foods, {
            ...createFood(pkType),
            ingredients: nested([{ [foodsId]: createIngredient(pkType) }]),
          });
        });
        const deepFood = expect.objectContaining({
          ingredients: expect.arrayContaining([
            expect.objectContaining({
              [foodsId]: expect.objectContaining({
                ingredients: expect.arrayContaining([
                  expect.objectContaining({
                    [foodsId]: expect.objectContaining({ ingredients: [expect.any(Number)] }),
                  }),
                ]),
              }),
            }),
          ]),
        });
        const gqlDeep = (inner: Record<string, Any>) => ({
          query: {
            [foods]: {
              __args: { filter: { id: { _eq: food.id } } },
              ingredients: { [foodsId]: { ingredients: { [foodsId]: inner } } },
            },
          },
        });
        const gqlDeepFood = expect.objectContaining({
          [foods]: expect.arrayContaining([
            expect.objectContaining({
              ingredients: expect.arrayContaining([
                expect.objectContaining({
                  [foodsId]: expect.objectContaining({
                    ingredients: expect.arrayContaining([
                      expect.objectContaining({ [foodsId]: expect.objectContaining({ id: expect.any(String) }) }),
                    ]),
                  }),
                }),
              ]),
            }),
          ]),
        });
        const rest = (query: Record<string, unknown>) =>
          t.http.get(`/items/${foods}/${food.id}`).query(query).set(t.admin);
        const deny = (res: Any) => {
          expect(res.statusCode).toEqual(400);
          expect(res.body.errors).toHaveLength(1);
          expect(res.body.errors[0].message).toBe(DEPTH_ERROR);
        };
        const denyGql = (res: Any) => {
          expect(res.body.errors).toBeDefined();
          expect(res.body.errors.length).toEqual(1);
          expect(res.body.errors[0].message).toBe(DEPTH_ERROR);
        };

        it('allow queries up to the field depth limit', async () => {
          const response = await rest({ fields: '*.*.*.*.*' });
          const gqlResponse = await gql(gqlDeep({ id: true }));
          expect(response.statusCode).toEqual(200);
          expect(response.body.data).toEqual(deepFood);
          expect(gqlResponse.statusCode).toEqual(200);
          expect(gqlResponse.body.data).toEqual(gqlDeepFood);
        });

        it('deny queries over the field depth limit', async () => {
          deny(await rest({ fields: '*.*.*.*.*.*' }));
          denyGql(await gql(gqlDeep({ ingredients: { id: true } })));
        });

        it('allow queries up to deep depth limit', async () => {
          const response = await rest({
            fields: '*.*.*.*.*',
            deep: JSON.stringify({
              ingredients: { _filter: { [foodsId]: { ingredients: { [foodsId]: { id: { _eq: food.id } } } } } },
            }),
          });
          expect(response.statusCode).toEqual(200);
          expect(response.body.data).toEqual(deepFood);
        });

        it('deny queries over the deep depth limit', async () => {
          deny(
            await rest({
              fields: '*.*.*.*.*',
              deep: JSON.stringify({
                ingredients: {
                  _filter: { [foodsId]: { ingredients: { [foodsId]: { ingredients: { id: { _eq: 1 } } } } } },
                },
              }),
            }),
          );
        });

        it('allow queries up to filter depth limit', async () => {
          const response = await rest({
            fields: '*.*.*.*.*',
            filter: JSON.stringify({
              ingredients: { [foodsId]: { ingredients: { [foodsId]: { id: { _eq: food.id } } } } },
            }),
          });
          const gqlResponse = await gql(gqlDeep({ __args: { filter: { id: { _eq: food.id } } }, id: true }));
          expect(response.statusCode).toEqual(200);
          expect(response.body.data).toEqual(deepFood);
          expect(gqlResponse.statusCode).toEqual(200);
          expect(gqlResponse.body.data).toEqual(gqlDeepFood);
        });

        it('deny queries over the filter depth limit', async () => {
          deny(
            await rest({
              fields: '*.*.*.*.*',
              filter: JSON.stringify({
                ingredients: { [foodsId]: { ingredients: { [foodsId]: { ingredients: { id: { _eq: 1 } } } } } },
              }),
            }),
          );
          denyGql(await gql(gqlDeep({ __args: { filter: { ingredients: { id: { _eq: food.id } } } }, id: true })));
        });

        it('allow queries up to sort depth limit', async () => {
          const response = await rest({
            fields: '*.*.*.*.*',
            sort: `ingredients.${foodsId}.ingredients.${foodsId}.id`,
          });
          const gqlResponse = await gql(gqlDeep({ __args: { sort: 'id' }, id: true }));
          expect(response.statusCode).toEqual(200);
          expect(response.body.data).toEqual(deepFood);
          expect(gqlResponse.statusCode).toEqual(200);
          expect(gqlResponse.body.data).toEqual(gqlDeepFood);
        });

        it('deny queries over the sort depth limit', async () => {
          deny(
            await rest({ fields: '*.*.*.*.*', sort: `ingredients.${foodsId}.ingredients.${foodsId}.ingredients.id` }),
          );
          denyGql(await gql(gqlDeep({ __args: { sort: 'ingredients.id' }, id: true })));
        });

        it('allow queries up to deep sort depth limit', async () => {
          const response = await rest({
            fields: '*.*.*.*.*',
            deep: JSON.stringify({ ingredients: { _sort: `${foodsId}.ingredients.${foodsId}.id` } }),
          });
          expect(response.statusCode).toEqual(200);
          expect(response.body.data).toEqual(deepFood);
        });

        it('deny queries over the deep sort depth limit', async () => {
          deny(
            await rest({
              fields: '*.*.*.*.*',
              deep: JSON.stringify({ ingredients: { _sort: `${foodsId}.ingredients.${foodsId}.ingredients.id` } }),
            }),
          );
        });
      });

      it.each([MAX_BATCH / 2 - 1, MAX_BATCH / 2])(
        'MAX_BATCH_MUTATION: createOne with %i nested ingredients',
        async (n) => {
          const food = () => ({
            ...createFood(pkType),
            ingredients: Array.from({ length: n }, () => ({ [ingredientsId]: createIngredient(pkType) })),
          });
          const response = await t.http
            .post(`/items/${foods}`)
            .send(food())
            .query(n === MAX_BATCH / 2 ? { fields: `*,ingredients.${collectionIngredients}_integer_id.*` } : {})
            .set(t.admin);
          const mutationKey = `create_${foods}_item`;
          const gqlResponse = await gql({
            mutation: { [mutationKey]: { __args: { data: food() }, id: true, ingredients: { id: true } } },
          });
          if (n === MAX_BATCH / 2 - 1) {
            expect(response.statusCode).toBe(200);
            expect(response.body.data.ingredients.length).toBe(n);
            expect(gqlResponse.statusCode).toBe(200);
            expect(gqlResponse.body.data[mutationKey].ingredients.length).toEqual(n);
          } else {
            expect(response.statusCode).toBe(400);
            expect(response.body.errors[0].message).toBe(LIMIT_MESSAGE);
            expect(gqlResponse.statusCode).toBe(200);
            expect(gqlResponse.body.errors[0].message).toBe(LIMIT_MESSAGE);
          }
        },
      );

      it.each([4, 5])('MAX_BATCH_MUTATION: createMany of 10 foods with %i nested ingredients each', async (n) => {
        const list = () =>
          Array.from({ length: MAX_BATCH / 10 }, () => ({
            ...createFood(pkType),
            ingredients: Array.from({ length: n }, () => ({ [ingredientsId]: createIngredient(pkType) })),
          }));
        const response = await t.http.post(`/items/${foods}`).send(list()).set(t.admin);
        const mutationKey = `create_${foods}_items`;
        const gqlResponse = await gql({ mutation: { [mutationKey]: { __args: { data: list() }, id: true } } });
        if (n === 4) {
          expect(response.statusCode).toBe(200);
          expect(response.body.data.length).toBe(10);
          expect(gqlResponse.statusCode).toBe(200);
          expect(gqlResponse.body.data[mutationKey].length).toEqual(10);
        } else {
          expect(response.statusCode).toBe(400);
          expect(response.body.errors[0].message).toBe(LIMIT_MESSAGE);
          expect(gqlResponse.statusCode).toBe(200);
          expect(gqlResponse.body.errors[0].message).toBe(LIMIT_MESSAGE);
        }
      });

      it.each([2, 3])(
        'MAX_BATCH_MUTATION: updateBatch of 10 foods, 2 created / 3 updated / %i deleted links each',
        async (countDelete) => {
          const [count, countCreate, countUpdate] = [MAX_BATCH / 10, 2, 3];
          const seed = async () => {
            const ids: unknown[] = [];
            for (let i = 0; i < count; i++) {
              const f = {
                ...createFood(pkType),
                ingredients: Array.from({ length: countUpdate + countDelete }, () => ({
                  [ingredientsId]: createIngredient(pkType),
                })),
              };
              ids.push((await createItem(foods, f)).id);
            }
            // the suite's ReadItem names `ingredients.<ingredients collection>.id` (no such junction field)
            const read = await t.http
              .get(`/items/${foods}`)
              .query({
                fields: ['*', 'ingredients.id', `ingredients.${ingredients}.id`, `ingredients.${ingredients}.name`],
                filter: { id: { _in: ids } },
              })
              .set(t.admin);
            expect(read.statusCode).toBe(200);
            return read.body.data as Any[];
          };
          const list = (await seed()).map((f) => ({
            ...f,
            ingredients: {
              create: Array.from({ length: countCreate }, () => ({ [ingredientsId]: createIngredient(pkType) })),
              update: f.ingredients.slice(0, countUpdate),
              delete: f.ingredients.slice(-countDelete).map((x: Any) => x.id),
            },
          }));
          const list2 = (await seed()).map((f) => ({
            ...f,
            ingredients: [
              ...f.ingredients,
              ...Array.from({ length: countCreate }, () => ({ [ingredientsId]: createIngredient(pkType) })),
            ],
          }));
          const response = await t.http.patch(`/items/${foods}`).send(list).set(t.admin);
          const mutationKey = `update_${foods}_batch`;
          const gqlResponse = await gql({ mutation: { [mutationKey]: { __args: { data: list2 }, id: true } } });
          if (countDelete === 2) {
            expect(response.statusCode).toBe(200);
            expect(response.body.data.length).toBe(count);
            expect(gqlResponse.statusCode).toBe(200);
            expect(gqlResponse.body.data[mutationKey].length).toEqual(count);
          } else {
            expect(response.statusCode).toBe(400);
            expect(response.body.errors[0].message).toBe(LIMIT_MESSAGE);
            expect(gqlResponse.statusCode).toBe(200);
            expect(gqlResponse.body.errors[0].message).toBe(LIMIT_MESSAGE);
          }
        },
      );
    });
  });

  /**
   * CreateFieldM2A: the alias (special m2a), an integer-keyed junction with `<junction>_id` (the key type), `item`
   * and `collection` (strings), the any-to-one relation on `item` and the relation back to the collection.
   */
  async function createFieldM2A(
    collection: string,
    field: string,
    junction: string,
    related: string[],
    pkType: PkType,
  ) {
    const f = await t.http
      .post(`/fields/${collection}`)
      .set(t.admin)
      .send({ field, type: 'alias', meta: { special: ['m2a'] }, schema: {} });
    if (f.status !== 200) throw new Error(`m2a field: ${f.status} ${JSON.stringify(f.body)}`);
    await createCollection(junction, 'integer');
    const keyField = `${junction}_id`;
    for (const [name, type] of [
      [keyField, pkType],
      ['item', 'string'],
      ['collection', 'string'],
    ]) {
      const res = await t.http
        .post(`/fields/${junction}`)
        .set(t.admin)
        .send({ field: name, type, meta: { hidden: true }, schema: {} });
      if (res.status !== 200) throw new Error(`m2a junction field: ${res.status} ${JSON.stringify(res.body)}`);
    }
    for (const body of [
      {
        collection: junction,
        field: 'item',
        related_collection: null,
        meta: { one_allowed_collections: related, one_collection_field: 'collection', junction_field: keyField },
        schema: null,
      },
      {
        collection: junction,
        field: keyField,
        related_collection: collection,
        meta: { one_field: field, junction_field: 'item' },
        schema: { on_delete: 'SET NULL' },
      },
    ]) {
      const r = await t.http.post('/relations').set(t.admin).send(body);
      if (r.status !== 200) throw new Error(`m2a relation: ${r.status} ${JSON.stringify(r.body)}`);
    }
  }

  describe('m2a.test.ts', () => {
    const collectionShapes = 'test_items_m2a_shapes';
    const collectionCircles = 'test_items_m2a_circles';
    const collectionSquares = 'test_items_m2a_squares';
    const seeded: Record<string, Record<string, unknown[]>> = {};

    beforeAll(async () => {
      for (const pkType of PK_TYPES) {
        const [shapes, circles, squares] = [collectionShapes, collectionCircles, collectionSquares].map(
          (c) => `${c}_${pkType}`,
        ) as [string, string, string];
        const junction = `${collectionShapes}_children_${pkType}`;
        for (const c of [shapes, circles, squares]) {
          await createCollection(c, pkType);
          await createField(c, 'name', 'string');
        }
        await createField(circles, 'radius', 'float');
        await createField(squares, 'width', 'float');
        await createFieldM2A(shapes, 'children', junction, [circles, squares], pkType);
        for (const c of [shapes, circles, squares]) await seedAllFieldTypesStructure(c);

        const ids = async (c: string, rows: Row[], prefix: string) =>
          (
            await createItem(
              c,
              rows.map((r, i) => (pkType === 'string' ? { id: `${prefix}-seed-${i}`, ...r } : r)),
            )
          ).map((r: Any) => r.id);
        const shapesIDs = await ids(
          shapes,
          ['Shape A', 'Shape B', 'Shape C', 'Shape D'].map((name) => ({ name })),
          'shape',
        );
        const circlesIDs = await ids(
          circles,
          ['Small Circle', 'Medium Circle', 'Large Circle', 'Extra Large Circle'].map((name, i) => ({
            name,
            radius: [1.1, 2.2, 3.3, 4.4][i],
          })),
          'circle',
        );
        const squaresIDs = await ids(
          squares,
          ['Small Square', 'Medium Square', 'Large Square', 'Extra Large Square'].map((name, i) => ({
            name,
            width: [5.5, 6.6, 7.7, 8.8][i],
          })),
          'square',
        );
        seeded[pkType] = { [`${shapes}.id`]: shapesIDs, [`${circles}.id`]: circlesIDs, [`${squares}.id`]: squaresIDs };
        await createItem(
          junction,
          circlesIDs.flatMap((circle: unknown, i: number) => [
            { [`${junction}_id`]: shapesIDs[Math.floor(i / 2) % 2], collection: circles, item: String(circle) },
            { [`${junction}_id`]: shapesIDs[Math.floor(i / 2) % 2], collection: squares, item: String(squaresIDs[i]) },
          ]),
        );
        for (const c of [shapes, circles, squares]) await seedAllFieldTypesValues(c, pkType);
        // seedM2AAliasAllFieldTypesValues, once per related collection
        for (const [related, known] of [
          [circles, circlesIDs],
          [squares, squaresIDs],
        ] as const) {
          const keys = async (x: string, skip: unknown[]) =>
            (
              await t.http
                .get(`/items/${x}`)
                .query({ fields: ['id'] })
                .set(t.admin)
            ).body.data
              .map((r: Any) => r.id)
              .filter((id: unknown) => !skip.includes(id));
          const [mine, theirs] = [await keys(shapes, shapesIDs), await keys(related, known)];
          expect(mine.length).toBe(theirs.length);
          await createItem(
            junction,
            mine.map((id: unknown, i: number) => ({
              [`${junction}_id`]: id,
              item: String(theirs[i]),
              collection: related,
            })),
          );
        }
      }
    });

    type Row = { id?: string | number; name: string; [k: string]: unknown };
    const make =
      (prefix: string, extra: () => object = () => ({})) =>
      (pkType: PkType): Row => ({
        name: `${prefix}-` + randomUUID(),
        ...extra(),
        ...(pkType === 'string' ? { id: `${prefix}-` + randomUUID() } : {}),
      });
    const float = () => Number((Math.random() * 100).toFixed(3));
    const createShape = make('shape');
    const createCircle = make('circle', () => ({ radius: float() }));
    const createSquare = make('square', () => ({ width: float() }));
    const nested = (create: unknown[]) => ({ create, update: [], delete: [] });
    const yearDatetime = (year: number) => new Date(new Date().setFullYear(year)).toISOString().slice(0, 19);
    const LIMIT_MESSAGE = `Invalid payload. Exceeded max batch mutation limit of ${MAX_BATCH}.`;

    describe.each(PK_TYPES)('pkType: %s', (pkType) => {
      const shapes = `${collectionShapes}_${pkType}`;
      const circles = `${collectionCircles}_${pkType}`;
      const squares = `${collectionSquares}_${pkType}`;
      const four = () =>
        nested([
          { collection: circles, item: createCircle(pkType) },
          { collection: circles, item: createCircle(pkType) },
          { collection: squares, item: createSquare(pkType) },
          { collection: squares, item: createSquare(pkType) },
        ]);

      it(`GET /:collection/:id retrieves a shape's circle`, async () => {
        const shape = await createItem(shapes, {
          ...createShape(pkType),
          children: nested([{ collection: circles, item: createCircle(pkType) }]),
        });
        const response = await t.http.get(`/items/${shapes}/${shape.id}`).set(t.admin);
        const gqlResponse = await gql({
          query: {
            [shapes]: {
              __args: { filter: { id: { _eq: shape.id } } },
              children: {
                item: {
                  __on: [
                    { __typeName: circles, id: true },
                    { __typeName: squares, id: true },
                  ],
                },
              },
            },
          },
        });
        expect(response.statusCode).toEqual(200);
        expect(response.body.data.children).toHaveLength(1);
        expect(gqlResponse.statusCode).toEqual(200);
        expect(gqlResponse.body.data[shapes][0].children).toHaveLength(1);
      });

      it.each(['radius', '*'])(`GET /:collection/:id retrieves circles' %s only`, async (which) => {
        const shape = await createItem(shapes, { ...createShape(pkType), children: four() });
        const response = await t.http
          .get(`/items/${shapes}/${shape.id}`)
          .query({ fields: `children.item:${circles}.${which}` })
          .set(t.admin);
        const gqlResponse = await gql({
          query: {
            [shapes]: {
              __args: { filter: { id: { _eq: shape.id } } },
              children: {
                item: {
                  __on: [
                    which === 'radius'
                      ? { __typeName: circles, radius: true }
                      : { __typeName: circles, id: true, name: true, radius: true },
                  ],
                  __typename: true,
                },
              },
            },
          },
        });
        const expected =
          which === 'radius'
            ? { radius: expect.any(Number) }
            : { id: expect.anything(), name: expect.any(String), radius: expect.any(Number) };
        expect(response.statusCode).toEqual(200);
        expect(response.body.data.children).toHaveLength(4);
        for (const child of response.body.data.children) {
          if (typeof child.item === 'object') expect(child.item).toEqual(expect.objectContaining(expected));
        }
        expect(gqlResponse.statusCode).toEqual(200);
        expect(gqlResponse.body.data[shapes][0].children).toHaveLength(4);
        for (const child of gqlResponse.body.data[shapes][0].children) {
          if (child.item.__typename === circles) {
            expect(child.item).toEqual(expect.objectContaining({ ...expected, __typename: circles }));
          } else {
            expect(child.item).toEqual(expect.objectContaining({ __typename: squares }));
          }
        }
      });

      it('GET /:collection filters on top level and on m2a level', async () => {
        const circle = { ...createCircle(pkType), name: 'circle-m2a-' + randomUUID() };
        const square: Any = { ...createSquare(pkType), name: 'square-m2a-' + randomUUID() };
        const shape = await createItem(shapes, {
          ...createShape(pkType),
          name: 'shape-m2a-' + randomUUID(),
          children: nested([
            { collection: circles, item: circle },
            { collection: squares, item: square },
          ]),
        });
        for (const [f1, f2, g1, g2] of [
          [
            { id: { _eq: shape.id } },
            { name: { _eq: shape.name } },
            { id: { _eq: shape.id } },
            { name: { _eq: shape.name } },
          ],
          [
            { name: { _eq: shape.name }, children: { [`item:${circles}`]: { name: { _eq: circle.name } } } },
            { name: { _eq: shape.name }, children: { [`item:${squares}`]: { width: { _eq: square.width } } } },
            { name: { _eq: shape.name }, children: { [`item__${circles}`]: { name: { _eq: circle.name } } } },
            { name: { _eq: shape.name }, children: { [`item__${squares}`]: { width: { _eq: square.width } } } },
          ],
        ]) {
          const response = await t.http
            .get(`/items/${shapes}`)
            .query({ filter: JSON.stringify(f1) })
            .set(t.admin);
          const response2 = await t.http
            .get(`/items/${shapes}`)
            .query({ filter: JSON.stringify(f2) })
            .set(t.admin);
          const gqlResponse = await gql({ query: { [shapes]: { __args: { filter: g1 }, id: true } } });
          const gqlResponse2 = await gql({ query: { [shapes]: { __args: { filter: g2 }, id: true } } });
          expect(response.statusCode).toEqual(200);
          expect(response.body.data.length).toBe(1);
          expect(response.body.data[0]).toMatchObject({ id: shape.id });
          expect(response.body.data).toEqual(response2.body.data);
          expect(gqlResponse.body.data[shapes]).toEqual([{ id: String(shape.id) }]);
          expect(gqlResponse.body.data).toEqual(gqlResponse2.body.data);
        }
      });

      it('GET /:collection filters with functions on top level: count(children)', async () => {
        const circle = { ...createCircle(pkType), name: 'circle-m2a-top-fn-' + randomUUID() };
        const square = { ...createSquare(pkType), name: 'square-m2a-top-fn-' + randomUUID() };
        const one = await createItem(shapes, {
          ...createShape(pkType),
          name: 'shape-m2a-top-fn-' + randomUUID(),
          children: nested([{ collection: circles, item: circle }]),
        });
        // the same circle again (its key given for string keys: an update of the existing row)
        const two = await createItem(shapes, {
          ...createShape(pkType),
          name: 'shape-m2a-top-fn-' + randomUUID(),
          children: nested([
            { collection: circles, item: circle },
            { collection: squares, item: square },
          ]),
        });
        for (const [n, row] of [
          [1, one],
          [2, two],
        ] as const) {
          const response = await t.http
            .get(`/items/${shapes}`)
            .query({
              filter: JSON.stringify({
                _and: [{ name: { _starts_with: 'shape-m2a-top-fn-' } }, { 'count(children)': { _eq: n } }],
              }),
            })
            .set(t.admin);
          const gqlResponse = await gql({
            query: {
              [shapes]: {
                __args: {
                  filter: {
                    _and: [{ name: { _starts_with: 'shape-m2a-top-fn-' } }, { children_func: { count: { _eq: n } } }],
                  },
                },
                id: true,
              },
            },
          });
          expect(response.statusCode).toEqual(200);
          expect(response.body.data.length).toBe(1);
          expect(response.body.data[0]).toMatchObject({ id: row.id });
          expect(gqlResponse.body.data[shapes]).toEqual([{ id: String(row.id) }]);
        }
      });

      it('GET /:collection filters with functions on m2a level: year(test_datetime) of the circle', async () => {
        const years = [2002, 2007];
        const inserted: Any[] = [];
        for (const year of years) {
          inserted.push(
            await createItem(shapes, {
              ...createShape(pkType),
              name: 'shape-m2a-fn-' + randomUUID(),
              children: nested([
                {
                  collection: circles,
                  item: {
                    ...createCircle(pkType),
                    name: 'circle-m2a-fn-' + randomUUID(),
                    test_datetime: yearDatetime(year),
                  },
                },
              ]),
            }),
          );
        }
        for (const [i, year] of years.entries()) {
          const response = await t.http
            .get(`/items/${shapes}`)
            .query({
              filter: JSON.stringify({
                _and: [
                  { name: { _starts_with: 'shape-m2a-fn-' } },
                  { children: { [`item:${circles}`]: { 'year(test_datetime)': { _eq: year } } } },
                ],
              }),
            })
            .set(t.admin);
          const gqlResponse = await gql({
            query: {
              [shapes]: {
                __args: {
                  filter: {
                    _and: [
                      { name: { _starts_with: 'shape-m2a-fn-' } },
                      { children: { [`item__${circles}`]: { test_datetime_func: { year: { _eq: year } } } } },
                    ],
                  },
                },
                id: true,
              },
            },
          });
          expect(response.statusCode).toEqual(200);
          expect(response.body.data.length).toBe(1);
          expect(response.body.data[0]).toMatchObject({ id: inserted[i].id });
          expect(gqlResponse.body.data[shapes]).toEqual([{ id: String(inserted[i].id) }]);
        }
      });

      describe('sorts', () => {
        const seeds: Record<string, () => Promise<void>> = {
          'on top level': async () => {
            await createItem(
              shapes,
              [4, 2, 3, 5, 1].map((v) => ({ ...createShape(pkType), name: 'shape-m2a-top-sort-' + v })),
            );
          },
          'on m2a level': async () => {
            for (const v of [4, 2, 3, 5, 1]) {
              await createItem(shapes, {
                ...createShape(pkType),
                name: 'shape-m2a-sort-' + randomUUID(),
                children: nested([
                  { collection: circles, item: { ...createCircle(pkType), name: 'circle-m2a-sort-' + v } },
                ]),
              });
            }
          },
          'with functions on top level': async () => {
            await createItem(
              shapes,
              [4, 2, 3, 5, 1].map((v) => ({
                ...createShape(pkType),
                name: 'shape-m2a-top-sort-fn-' + randomUUID(),
                test_datetime: yearDatetime(parseInt(`202${v}`)),
              })),
            );
          },
          'with functions on m2a level': async () => {
            for (const v of [4, 2, 3, 5, 1]) {
              await createItem(shapes, {
                ...createShape(pkType),
                name: 'shape-m2a-sort-fn-' + randomUUID(),
                children: nested([
                  {
                    collection: circles,
                    item: {
                      ...createCircle(pkType),
                      name: 'circle-m2a-sort-fn-' + randomUUID(),
                      test_datetime: yearDatetime(parseInt(`202${v}`)),
                    },
                  },
                ]),
              });
            }
          },
        };
        const cases: [string, string, string, string, Record<string, Any>, (r: Any) => number, (r: Any) => number][] = [
          [
            'on top level',
            'name',
            'shape-m2a-top-sort-',
            'name',
            { name: true },
            (r) => parseInt(r.name.slice(-1)),
            (r) => parseInt(r.name.slice(-1)),
          ],
          [
            'on m2a level',
            `children.item:${circles}.name`,
            'shape-m2a-sort-',
            '*.*.*',
            { children: { item: { __on: { __typeName: circles, id: true, name: true } } } },
            (r) => parseInt(r.children[0].item.name.slice(-1)),
            (r) => parseInt(r.children[0].item.name.slice(-1)),
          ],
          [
            'with functions on top level',
            'year(test_datetime)',
            'shape-m2a-top-sort-fn-',
            'year(test_datetime)',
            { test_datetime_func: { year: true } },
            (r) => parseInt(r.test_datetime_year.toString().slice(-1)),
            (r) => parseInt(r.test_datetime_func.year.toString().slice(-1)),
          ],
          [
            'with functions on m2a level',
            `children.item:${circles}.year(test_datetime)`,
            'shape-m2a-sort-fn-',
            `children.item:${circles}.year(test_datetime)`,
            { children: { item: { __on: { __typeName: circles, id: true, test_datetime_func: { year: true } } } } },
            (r) => parseInt(r.children[0].item.test_datetime_year.toString().slice(-1)),
            (r) => parseInt(r.children[0].item.test_datetime_func.year.toString().slice(-1)),
          ],
        ];

        describe.each(cases)('%s', (name, sort, prefix, fields, gqlFields, restValue, gqlValue) => {
          const filter = { name: { _starts_with: prefix } };
          beforeAll(() => seeds[name]!());

          it('without limit', async () => {
            const q = (s: string) => ({ sort: s, filter, ...(fields === '*.*.*' ? { fields } : {}) });
            const response = await t.http.get(`/items/${shapes}`).query(q(sort)).set(t.admin);
            const response2 = await t.http
              .get(`/items/${shapes}`)
              .query(q(`-${sort}`))
              .set(t.admin);
            const gqlResponse = await gql({ query: { [shapes]: { __args: { sort, filter }, id: true } } });
            const gqlResponse2 = await gql({ query: { [shapes]: { __args: { sort: `-${sort}`, filter }, id: true } } });
            expect(response.statusCode).toEqual(200);
            expect(response2.statusCode).toEqual(200);
            expect(response.body.data.length).toBe(5);
            expect(response.body.data).toEqual(response2.body.data.reverse());
            expect(gqlResponse.statusCode).toEqual(200);
            expect(gqlResponse.body.data[shapes].length).toBe(5);
            expect(gqlResponse.body.data[shapes]).toEqual(gqlResponse2.body.data[shapes].reverse());
          });

          it.each([-1, 1, 3])('where limit = %s', async (limit) => {
            const n = limit === -1 ? 5 : limit;
            const response = await t.http.get(`/items/${shapes}`).query({ sort, filter, limit, fields }).set(t.admin);
            const response2 = await t.http
              .get(`/items/${shapes}`)
              .query({ sort: `-${sort}`, filter, limit, fields })
              .set(t.admin);
            const gqlResponse = await gql({
              query: { [shapes]: { __args: { sort, filter, limit }, id: true, ...gqlFields } },
            });
            const gqlResponse2 = await gql({
              query: { [shapes]: { __args: { sort: `-${sort}`, filter, limit }, id: true, ...gqlFields } },
            });
            expect(response.statusCode).toEqual(200);
            expect(response2.statusCode).toEqual(200);
            expect(response.body.data.map(restValue)).toEqual([1, 2, 3, 4, 5].slice(0, n));
            expect(response2.body.data.map(restValue)).toEqual([5, 4, 3, 2, 1].slice(0, n));
            expect(gqlResponse.statusCode).toEqual(200);
            expect(gqlResponse.body.data[shapes].map(gqlValue)).toEqual([1, 2, 3, 4, 5].slice(0, n));
            expect(gqlResponse2.body.data[shapes].map(gqlValue)).toEqual([5, 4, 3, 2, 1].slice(0, n));
          });
        });
      });

      const half = (n: number) =>
        Array.from({ length: n }, (_, i) =>
          i < n / 2
            ? { collection: circles, item: createCircle(pkType) }
            : { collection: squares, item: createSquare(pkType) },
        );

      it.each([MAX_BATCH / 2 - 1, MAX_BATCH / 2])('MAX_BATCH_MUTATION: createOne with %i children', async (n) => {
        const response = await t.http
          .post(`/items/${shapes}`)
          .send({ ...createShape(pkType), children: half(n) })
          .set(t.admin);
        if (n === MAX_BATCH / 2 - 1) {
          expect(response.statusCode).toBe(200);
          expect(response.body.data.children.length).toBe(n);
        } else {
          expect(response.statusCode).toBe(400);
          expect(response.body.errors[0].message).toBe(LIMIT_MESSAGE);
        }
      });

      it.each([4, 5])('MAX_BATCH_MUTATION: createMany of 10 shapes with %i children each', async (n) => {
        const response = await t.http
          .post(`/items/${shapes}`)
          .send(Array.from({ length: MAX_BATCH / 10 }, () => ({ ...createShape(pkType), children: half(n) })))
          .set(t.admin);
        if (n === 4) {
          expect(response.statusCode).toBe(200);
          expect(response.body.data.length).toBe(10);
        } else {
          expect(response.statusCode).toBe(400);
          expect(response.body.errors[0].message).toBe(LIMIT_MESSAGE);
        }
      });

      it.each([1, 2])(
        'MAX_BATCH_MUTATION: updateBatch of 10 shapes, 2 created / 2 updated / %i deleted children',
        async (countDelete) => {
          const [count, countCreate, countUpdate] = [MAX_BATCH / 10, 2, 2];
          const ids: unknown[] = [];
          for (let i = 0; i < count; i++) {
            ids.push(
              (await createItem(shapes, { ...createShape(pkType), children: half(countUpdate + countDelete) })).id,
            );
          }
          const read = await t.http
            .get(`/items/${shapes}`)
            .query({
              fields: ['*', 'children.id', 'children.collection', 'children.item.id', 'children.item.name'],
              filter: { id: { _in: ids } },
            })
            .set(t.admin);
          expect(read.statusCode).toBe(200);
          const list = read.body.data.map((s: Any) => ({
            ...s,
            children: {
              create: half(countCreate),
              update: s.children.slice(0, countUpdate),
              delete: s.children.slice(-countDelete).map((c: Any) => c.id),
            },
          }));
          const response = await t.http.patch(`/items/${shapes}`).send(list).set(t.admin);
          if (countDelete === 1) {
            expect(response.statusCode).toBe(200);
            expect(response.body.data.length).toBe(count);
          } else {
            expect(response.statusCode).toBe(400);
            expect(response.body.errors[0].message).toBe(LIMIT_MESSAGE);
          }
        },
      );

      const schemaOf = (): Record<string, Record<string, SchemaField>> => {
        const target = (extra: string): Record<string, SchemaField> => ({
          id: { type: pkType, filters: false, values: [] },
          name: { type: 'string', filters: false, values: [] },
          [extra]: { type: 'decimal', filters: false, values: [] },
          ...allTypesSchema(),
        });
        const sh: Record<string, SchemaField> = {
          id: { type: pkType, filters: true, values: [] },
          name: { type: 'string', filters: true, values: ['Shape A', 'Shape B', 'Shape C', 'Shape D'] },
          children: {
            type: 'alias',
            filters: false,
            values: [],
            children: {
              [`item:${circles}`]: { type: 'alias', filters: false, values: [], children: target('radius') },
              [`item:${squares}`]: { type: 'alias', filters: false, values: [], children: target('width') },
            },
          },
        };
        return { [shapes]: sh, [circles]: target('radius'), [squares]: target('width') };
      };
      const valuesOf = (collection: string) => () =>
        Object.fromEntries(
          Object.entries(seeded[pkType] ?? {})
            .filter(([k]) => k.startsWith(`${collection}.`))
            .map(([k, v]) => [k.slice(collection.length + 1), v]),
        );
      checkQueryFilters(`/items/${shapes}`, () => schemaOf()[shapes]!, valuesOf(shapes));
      checkQueryFilters(`/items/${circles}`, () => schemaOf()[circles]!, valuesOf(circles));
      checkQueryFilters(`/items/${squares}`, () => schemaOf()[squares]!, valuesOf(squares));

      it('Meta Service: retrieves filter count correctly (filter through item:circles)', async () => {
        const name = 'test-meta-service-count';
        const pair = () =>
          nested([
            { collection: circles, item: { ...createCircle(pkType), name } },
            { collection: squares, item: { ...createSquare(pkType), name } },
          ]);
        await createItem(shapes, [
          { ...createShape(pkType), name, children: pair() },
          { ...createShape(pkType), name, children: pair() },
        ]);
        const response = await t.http
          .get(`/items/${shapes}`)
          .query({
            filter: JSON.stringify({ name: { _eq: name }, children: { [`item:${circles}`]: { name: { _eq: name } } } }),
            meta: '*',
          })
          .set(t.admin);
        expect(response.statusCode).toBe(200);
        expect(response.body.meta.filter_count).toBe(2);
        expect(response.body.data.length).toBe(2);
        for (const item of response.body.data) expect(item.children.length).toBe(2);
      });

      if (pkType === 'integer') {
        it('Auto Increment: nested any-to-one creates with explicit keys', async () => {
          const name = 'test-auto-increment-m2a';
          const kids = (circleId?: number, squareId?: number) =>
            nested([
              { collection: circles, item: { ...createCircle(pkType), name, ...(circleId ? { id: circleId } : {}) } },
              { collection: squares, item: { ...createSquare(pkType), name, ...(squareId ? { id: squareId } : {}) } },
            ]);
          await createItem(shapes, [
            { ...createShape(pkType), id: 112222, name, children: kids(113333, 114444) },
            { ...createShape(pkType), name, children: kids() },
          ]);
          const response = await t.http
            .get(`/items/${shapes}`)
            .query({
              filter: JSON.stringify({ name: { _eq: name } }),
              fields: ['id', `children.item:${circles}.id`, `children.item:${squares}.id`, 'children.collection'],
            })
            .set(t.admin);
          expect(response.statusCode).toBe(200);
          expect(response.body.data.map((s: Any) => s.id)).toEqual([112222, 112223]);
          const of = (c: string) =>
            response.body.data.flatMap((s: Any) =>
              s.children.filter((x: Any) => x.collection === c).map((x: Any) => x.item.id),
            );
          expect(of(circles)).toEqual([113333, 113334]);
          expect(of(squares)).toEqual([114444, 114445]);
        });
      }
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
        for (const field of ['metadata', 'settings']) {
          const res = await t.http
            .post(`/fields/${c}`)
            .set(t.admin)
            .send({ field, type: 'json', meta: { special: ['cast-json'] }, schema: {} });
          expect(res.status).toBe(200);
        }
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

      it('json() aliasing: simple, nested, array index, deep, several, with regular fields, missing, object', async () => {
        let r = await get({
          fields: 'id,my_color',
          alias: JSON.stringify({ my_color: 'json(metadata, color)' }),
          sort: 'name',
        });
        expect(r.statusCode).toEqual(200);
        expect(r.body.data[0]).toHaveProperty('my_color');
        expect(r.body.data[0]).not.toHaveProperty('metadata_color_json');
        expect(r.body.data[0].my_color).toBe('red');
        expect(r.body.data[1].my_color).toBe('blue');

        r = await get({
          fields: 'id,width,height',
          alias: JSON.stringify({
            width: 'json(metadata, dimensions.width)',
            height: 'json(metadata, dimensions.height)',
          }),
          sort: 'name',
          limit: 1,
        });
        expect(r.statusCode).toEqual(200);
        expect(r.body.data[0]).not.toHaveProperty('metadata_dimensions_width_json');
        expect(Number(r.body.data[0].width)).toBe(10);
        expect(Number(r.body.data[0].height)).toBe(20);

        r = await get({
          fields: 'id,first_tag',
          alias: JSON.stringify({ first_tag: 'json(metadata, tags[0])' }),
          sort: 'name',
          limit: 1,
        });
        expect(r.statusCode).toEqual(200);
        expect(r.body.data[0]).not.toHaveProperty('metadata_tags_0_json');
        expect(r.body.data[0].first_tag).toBe('electronics');

        r = await get({
          fields: 'id,first_sku',
          alias: JSON.stringify({ first_sku: 'json(metadata, variants[0].sku)' }),
          sort: 'name',
          limit: 1,
        });
        expect(r.statusCode).toEqual(200);
        expect(r.body.data[0].first_sku).toBe('SKU-001');

        r = await get({
          fields: 'id,color,brand,theme',
          alias: JSON.stringify({
            color: 'json(metadata, color)',
            brand: 'json(metadata, brand)',
            theme: 'json(settings, theme)',
          }),
          sort: 'name',
          limit: 1,
        });
        expect(r.statusCode).toEqual(200);
        expect(r.body.data[0]).toMatchObject({ color: 'red', brand: 'BrandX', theme: 'dark' });

        r = await get({
          fields: 'id,name,metadata,color',
          alias: JSON.stringify({ color: 'json(metadata, color)' }),
          sort: 'name',
          limit: 1,
        });
        expect(r.statusCode).toEqual(200);
        expect(r.body.data[0].metadata.color).toBe('red');
        expect(r.body.data[0].color).toBe('red');

        r = await get({
          fields: 'id,my_brand,my_width',
          alias: JSON.stringify({ my_brand: 'json(metadata, brand)', my_width: 'json(metadata, dimensions.width)' }),
          sort: '-name',
          limit: 1,
        });
        expect(r.statusCode).toEqual(200);
        expect(r.body.data[0].my_brand).toBeNull();
        expect(r.body.data[0].my_width).toBeNull();

        r = await get({
          fields: 'id,dims',
          alias: JSON.stringify({ dims: 'json(metadata, dimensions)' }),
          sort: 'name',
          limit: 1,
        });
        expect(r.statusCode).toEqual(200);
        expect(r.body.data[0].dims).toEqual({ width: 10, height: 20 });
      });

      it('regular field aliasing: one, several, with *', async () => {
        let r = await get({ fields: 'id,label', alias: JSON.stringify({ label: 'name' }), sort: 'name' });
        expect(r.statusCode).toEqual(200);
        expect(r.body.data[0]).toHaveProperty('label');
        expect(r.body.data[0]).not.toHaveProperty('name');
        expect(r.body.data[0].label).toBe('Alpha');

        r = await get({
          fields: 'id,label,json_data',
          alias: JSON.stringify({ label: 'name', json_data: 'metadata' }),
          sort: 'name',
          limit: 1,
        });
        expect(r.statusCode).toEqual(200);
        expect(r.body.data[0]).not.toHaveProperty('name');
        expect(r.body.data[0]).not.toHaveProperty('metadata');
        expect(r.body.data[0].label).toBe('Alpha');
        expect(r.body.data[0].json_data.color).toBe('red');

        r = await get({ fields: '*,label', alias: JSON.stringify({ label: 'name' }), sort: 'name', limit: 1 });
        expect(r.statusCode).toEqual(200);
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
          const f = await t.http
            .post(`/fields/${c}`)
            .set(t.admin)
            .send({ field, type, meta: { special: [name] }, schema: {} });
          expect(f.status).toBe(200);
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
        const res = await t.http
          .post('/collections')
          .set(t.admin)
          .send({ collection: singleton, meta: { singleton: true }, schema: {}, fields: [pkField(pkType)] });
        expect(res.status).toBe(200);
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
  describe('json-filter.test.ts', () => {
    type Target = 'products' | 'categories';
    /** [filter, the names expected (all of them, sorted by name), target]; `min` marks a "at least these" case. */
    type Case = { filter: Record<string, unknown>; names: string[]; target?: Target; min?: boolean };
    const json = (path: string, op: Record<string, unknown>) => ({ metadata: { _json: { [path]: op } } });
    const cases = (supplierKey: string): Record<string, Case> => ({
      _eq: { filter: json('color', { _eq: 'red' }), names: ['Alpha'] },
      _neq: { filter: json('color', { _neq: 'red' }), names: ['Beta', 'Delta', 'Epsilon', 'Gamma'] },
      '_null on an absent key': { filter: json('brand', { _null: true }), names: ['Epsilon'] },
      _nnull: { filter: json('brand', { _nnull: true }), names: ['Alpha', 'Beta', 'Delta', 'Gamma'] },
      _in: { filter: json('color', { _in: ['red', 'blue'] }), names: ['Alpha', 'Beta'] },
      _nin: { filter: json('color', { _nin: ['red', 'blue'] }), names: ['Delta', 'Epsilon', 'Gamma'] },
      _contains: { filter: json('brand', { _contains: 'Brand' }), names: ['Alpha', 'Beta', 'Delta', 'Gamma'] },
      '_ncontains (absent key excluded)': { filter: json('brand', { _ncontains: 'X' }), names: ['Beta', 'Delta'] },
      _icontains: { filter: json('brand', { _icontains: 'BRANDX' }), names: ['Alpha', 'Gamma'] },
      _starts_with: { filter: json('brand', { _starts_with: 'BrandX' }), names: ['Alpha', 'Gamma'] },
      '_nstarts_with (absent key excluded)': {
        filter: json('brand', { _nstarts_with: 'BrandX' }),
        names: ['Beta', 'Delta'],
      },
      _istarts_with: { filter: json('brand', { _istarts_with: 'brandx' }), names: ['Alpha', 'Gamma'] },
      _ends_with: { filter: json('brand', { _ends_with: 'Y' }), names: ['Beta'] },
      '_nends_with (absent key excluded)': {
        filter: json('brand', { _nends_with: 'Y' }),
        names: ['Alpha', 'Delta', 'Gamma'],
      },
      _iends_with: { filter: json('brand', { _iends_with: 'y' }), names: ['Beta'] },
      _gt: { filter: json('level', { _gt: 3 }), names: ['Beta', 'Gamma'] },
      _lt: { filter: json('level', { _lt: 5 }), names: ['Alpha', 'Delta'] },
      _gte: { filter: json('level', { _gte: 5 }), names: ['Beta', 'Gamma'] },
      _lte: { filter: json('level', { _lte: 3 }), names: ['Alpha', 'Delta'] },
      '_between on strings': {
        filter: json('color', { _between: ['blue', 'red'] }),
        names: ['Alpha', 'Beta', 'Gamma'],
      },
      '_nbetween on strings': { filter: json('color', { _nbetween: ['blue', 'red'] }), names: ['Delta', 'Epsilon'] },
      '_between on numbers': { filter: json('level', { _between: [2, 5] }), names: ['Alpha', 'Beta', 'Delta'] },
      '_nbetween on numbers': { filter: json('level', { _nbetween: [2, 5] }), names: ['Gamma'] },
      'a dotted path': { filter: json('settings.theme', { _eq: 'dark' }), names: ['Alpha', 'Gamma'] },
      '_null on a missing nested key': {
        filter: json('settings.theme', { _null: true }),
        names: ['Epsilon'],
        min: true,
      },
      'an array index': { filter: json('tags[0]', { _eq: 'electronics' }), names: ['Alpha'] },
      'a second array index': { filter: json('tags[1]', { _eq: 'new' }), names: ['Beta'] },
      'a root array index': { filter: { data: { _json: { '[0].test': { _eq: 'foo' } } } }, names: ['Alpha', 'Gamma'] },
      '_null: false on a root array path': {
        filter: { data: { _json: { '[0].test': { _null: false } } } },
        names: ['Alpha', 'Beta', 'Gamma'],
      },
      '_null: true on a root array path': {
        filter: { data: { _json: { '[0].test': { _null: true } } } },
        names: ['Delta'],
        min: true,
      },
      'a trailing dot': { filter: json('color.', { _eq: 'red' }), names: ['Alpha'] },
      '_or inside _json': {
        filter: { metadata: { _json: { _or: [{ color: { _eq: 'red' } }, { level: { _gt: 7 } }] } } },
        names: ['Alpha', 'Gamma'],
      },
      '_and inside _json': {
        filter: { metadata: { _json: { _and: [{ color: { _eq: 'red' } }, { brand: { _eq: 'BrandX' } }] } } },
        names: ['Alpha'],
      },
      '_or beside a path inside _json': {
        filter: {
          metadata: {
            _json: { brand: { _eq: 'BrandX' }, _or: [{ color: { _eq: 'red' } }, { color: { _eq: 'green' } }] },
          },
        },
        names: ['Alpha', 'Gamma'],
      },
      '_or of an _and inside _json': {
        filter: {
          metadata: {
            _json: {
              _or: [{ _and: [{ color: { _eq: 'red' } }, { level: { _lt: 5 } }] }, { brand: { _eq: 'BrandY' } }],
            },
          },
        },
        names: ['Alpha', 'Beta'],
      },
      'several paths in one _json': {
        filter: {
          metadata: { _json: { brand: { _starts_with: 'Brand' }, level: { _lte: 3 }, color: { _neq: 'black' } } },
        },
        names: ['Alpha', 'Delta'],
      },
      '_or of _json and a plain field': {
        filter: { _or: [json('level', { _gt: 6 }), { name: { _eq: 'Delta' } }] },
        names: ['Delta', 'Gamma'],
      },
      'through the M2O': {
        filter: { category_id: json('color', { _eq: 'blue' }) },
        names: ['Alpha', 'Gamma'],
      },
      'through the O2M': {
        filter: { products: json('level', { _gt: 4 }) },
        names: ['Sports', 'Tech'],
        target: 'categories',
      },
      'through the M2M': {
        filter: { suppliers: { [supplierKey]: { metadata: { _json: { region: { _eq: 'EU' } } } } } },
        names: ['Alpha', 'Beta'],
      },
      _some: { filter: { products: { _some: json('level', { _gt: 6 }) } }, names: ['Tech'], target: 'categories' },
      _none: {
        filter: { products: { _none: json('level', { _gt: 6 }) } },
        names: ['Home', 'Sports'],
        target: 'categories',
      },
      'no match': { filter: json('color', { _eq: 'purple' }), names: [] },
      '_between with equal bounds': { filter: json('level', { _between: [5, 5] }), names: ['Beta'] },
      '_nbetween with equal bounds': {
        filter: json('level', { _nbetween: [5, 5] }),
        names: ['Alpha', 'Delta', 'Gamma'],
      },
      'two M2O levels': {
        filter: { category_id: { department_id: { metadata: { _json: { budget: { _gte: 75 } } } } } },
        names: ['Alpha', 'Gamma'],
      },
      'O2M then M2M': {
        filter: { products: { suppliers: { [supplierKey]: { metadata: { _json: { region: { _eq: 'EU' } } } } } } },
        names: ['Sports', 'Tech'],
        target: 'categories',
      },
    });
    const ERRORS: Record<string, Record<string, unknown>> = {
      '_json on a string field': { name: { _json: { path: { _eq: 'val' } } } },
      'a wildcard': json('items[*]', { _eq: 'val' }),
      'more than 10 segments': json('a.b.c.d.e.f.g.h.i.j.k', { _eq: 'val' }),
      'a primitive _json': { metadata: { _json: 'not-an-object' } },
      'a primitive under a path': { metadata: { _json: { color: 'not-an-object' } } },
      '_or not an array': { metadata: { _json: { _or: { color: { _eq: 'red' } } } } },
      '_and not an array': { metadata: { _json: { _and: { color: { _eq: 'red' } } } } },
      'a $ root': json('$.color', { _eq: 'val' }),
      'an @ node': json('@.color', { _eq: 'val' }),
      'a ? expression': json('?(color)', { _eq: 'val' }),
      'empty brackets': json('items[]', { _eq: 'val' }),
      'an empty path': json('', { _eq: 'val' }),
      '_in with a string': json('color', { _in: 'red' }),
      '_in empty': json('color', { _in: [] }),
      '_nin empty': json('color', { _nin: [] }),
      '_between with a number': json('level', { _between: 5 }),
      '_between empty': json('level', { _between: [] }),
      '_null with a string': json('color', { _null: 'yes' }),
      '_nnull with a string': json('color', { _nnull: 'yes' }),
      '_eq with an empty string': json('color', { _eq: '' }),
      'a null _json': { metadata: { _json: null } },
      'a null _or entry': { metadata: { _json: { _or: [null] } } },
      'a path nested in a path': { metadata: { _json: { 'a.b': { 'c[0]': { _eq: 1 } } } } },
      'a repeated dot': json('settings..theme', { _eq: 'dark' }),
    };

    describe.each(PK_TYPES)('pkType: %s', (pkType) => {
      const departments = `test_json_filter_departments_${pkType}`;
      const categories = `test_json_filter_categories_${pkType}`;
      const products = `test_json_filter_products_${pkType}`;
      const suppliers = `test_json_filter_suppliers_${pkType}`;
      const collections: Record<Target, string> = { products, categories };
      const idOf = (prefix: string, i: number) => (pkType === 'string' ? { id: `${prefix}-${i}` } : {});

      // json-filter.seed.ts: products (json metadata and data) in categories (json metadata) in departments, and
      // their suppliers through an M2M; the values are those the suite's cases describe
      beforeAll(async () => {
        for (const c of [departments, categories, products, suppliers]) {
          await createCollection(c, pkType);
          await createField(c, 'name', 'string');
          await createField(c, 'metadata', 'json');
        }
        await createField(products, 'data', 'json');
        await createFieldM2O(categories, 'department_id', pkType, departments);
        await createFieldO2M(categories, 'products', products, 'category_id', pkType);
        await createFieldM2M(products, 'suppliers', suppliers, 'products', `${products}_suppliers`, pkType);
        // the created rows come back in key order: map them back by name, as the suite's seed does
        const ids = (rows: Any[], names: string[]) => names.map((name) => rows.find((r: Any) => r.name === name).id);
        const [tech, consumer] = ids(
          await createItem(departments, [
            { ...idOf('dep', 0), name: 'Tech Department', metadata: { sector: 'technology', budget: 100 } },
            { ...idOf('dep', 1), name: 'Consumer Department', metadata: { sector: 'consumer', budget: 50 } },
          ]),
          ['Tech Department', 'Consumer Department'],
        );
        const [techC, sportsC, homeC] = ids(
          await createItem(categories, [
            { ...idOf('cat', 0), name: 'Tech', metadata: { color: 'blue' }, department_id: tech },
            { ...idOf('cat', 1), name: 'Sports', metadata: { color: 'green' }, department_id: consumer },
            { ...idOf('cat', 2), name: 'Home', metadata: { color: 'red' }, department_id: consumer },
          ]),
          ['Tech', 'Sports', 'Home'],
        );
        const [supplierA, supplierB] = ids(
          await createItem(suppliers, [
            { ...idOf('sup', 0), name: 'Supplier A', metadata: { region: 'EU', tier: 1 } },
            { ...idOf('sup', 1), name: 'Supplier B', metadata: { region: 'US', tier: 2 } },
          ]),
          ['Supplier A', 'Supplier B'],
        );
        const link = (s: unknown) => ({ [`${suppliers}_id`]: s });
        await createItem(products, [
          {
            ...idOf('prod', 0),
            name: 'Alpha',
            category_id: techC,
            data: [{ test: 'foo' }],
            metadata: {
              color: 'red',
              brand: 'BrandX',
              level: 2,
              tags: ['electronics', 'sale'],
              settings: { theme: 'dark' },
            },
            suppliers: [link(supplierA)],
          },
          {
            ...idOf('prod', 1),
            name: 'Beta',
            category_id: sportsC,
            data: [{ test: 'bar' }],
            metadata: { color: 'blue', brand: 'BrandY', level: 5, tags: ['home', 'new'], settings: { theme: 'light' } },
            suppliers: [link(supplierA), link(supplierB)],
          },
          {
            ...idOf('prod', 2),
            name: 'Gamma',
            category_id: techC,
            data: [{ test: 'foo' }],
            metadata: { color: 'green', brand: 'BrandX', level: 8, tags: ['outdoor'], settings: { theme: 'dark' } },
            suppliers: [link(supplierB)],
          },
          {
            ...idOf('prod', 3),
            name: 'Delta',
            category_id: homeC,
            data: [{}],
            metadata: { color: 'yellow', brand: 'BrandZ', level: 3, tags: ['clearance'], settings: { theme: 'auto' } },
          },
          {
            ...idOf('prod', 4),
            name: 'Epsilon',
            category_id: null,
            data: null,
            metadata: { color: 'black', tags: [] },
          },
        ]);
      });

      it.each(Object.entries(cases(`${suppliers}_id`)))('_json: %s', async (_, { filter, names, target, min }) => {
        const response = await t.http
          .get(`/items/${collections[target ?? 'products']}`)
          .query({ filter: JSON.stringify(filter), sort: 'name' })
          .set(t.admin);
        expect(response.statusCode).toEqual(200);
        const got = response.body.data.map((i: Any) => i.name);
        if (min) expect(got).toEqual(expect.arrayContaining(names));
        else expect(got).toEqual(names);
      });

      it.each(Object.entries(ERRORS))('_json: 400 for %s', async (_, filter) => {
        const response = await t.http
          .get(`/items/${products}`)
          .query({ filter: JSON.stringify(filter) })
          .set(t.admin);
        expect(response.statusCode).toEqual(400);
      });

      it('_json in deep on the O2M', async () => {
        const response = await t.http
          .get(`/items/${categories}`)
          .query({
            fields: 'id,name,products.name',
            deep: JSON.stringify({ products: { _filter: json('color', { _eq: 'red' }) } }),
            sort: 'name',
          })
          .set(t.admin);
        expect(response.statusCode).toEqual(200);
        const byName = Object.fromEntries(
          response.body.data.map((c: Any) => [c.name, c.products.map((p: Any) => p.name)]),
        );
        expect(byName).toEqual({ Home: [], Sports: [], Tech: ['Alpha'] });
      });

      /**
       * json-filter-graphql.test.ts: the same cases through /graphql. A filter whose json path keys are GraphQL names
       * goes inline; one with dotted or indexed keys passes its `_json` value as a `GraphQLJsonFilter` variable.
       */
      const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
      const inlineable = (value: unknown): boolean =>
        Array.isArray(value)
          ? value.every(inlineable)
          : value === null || typeof value !== 'object'
            ? true
            : Object.entries(value).every(([k, v]) => NAME.test(k) && inlineable(v));
      const gqlFilter = (collection: string, filter: Record<string, unknown>) => {
        if (inlineable(filter)) {
          return t.http
            .post('/graphql')
            .set(t.admin)
            .send({ query: `{ ${collection}(filter: ${gqlValue(filter)}, sort: ["name"]) { name } }` });
        }
        const [[field, { _json }]] = Object.entries(filter) as [[string, { _json: unknown }]];
        return t.http
          .post('/graphql')
          .set(t.admin)
          .send({
            query: `query($j: GraphQLJsonFilter) { ${collection}(filter: {${field}: {_json: $j}}, sort: ["name"]) { name } }`,
            variables: { j: _json },
          });
      };

      it.each(Object.entries(cases(`${suppliers}_id`)))(
        'GraphQL _json: %s',
        async (_, { filter, names, target, min }) => {
          const collection = collections[target ?? 'products'];
          const response = await gqlFilter(collection, filter);
          expect(response.statusCode).toEqual(200);
          expect(response.body.errors).toBeUndefined();
          const got = response.body.data[collection].map((i: Any) => i.name);
          if (min) expect(got).toEqual(expect.arrayContaining(names));
          else expect(got).toEqual(names);
        },
      );

      it.each(Object.entries(ERRORS).filter(([name]) => name !== '_json on a string field'))(
        'GraphQL _json: errors for %s',
        async (_, filter) => {
          const response = await gqlFilter(products, filter);
          expect(response.body.errors?.length).toBeGreaterThan(0);
        },
      );

      it('GraphQL _json: errors on a non-json field, whose filter type has no _json', async () => {
        const response = await gqlFilter(products, { name: { _json: { color: { _eq: 'val' } } } });
        expect(response.body.errors?.length).toBeGreaterThan(0);
      });

      it('GraphQL: _null / _nnull on the json column itself', async () => {
        const isNull = await gqlFilter(products, { data: { _null: true } });
        expect(isNull.body.data[products].map((i: Any) => i.name)).toEqual(['Epsilon']);
        const notNull = await gqlFilter(products, { data: { _nnull: true } });
        expect(notNull.body.data[products].map((i: Any) => i.name)).toEqual(['Alpha', 'Beta', 'Delta', 'Gamma']);
      });

      it('json() in a deep sort on the O2M', async () => {
        const response = await t.http
          .get(`/items/${categories}`)
          .query({
            fields: 'id,name,products.name',
            filter: JSON.stringify({ name: { _eq: 'Tech' } }),
            deep: JSON.stringify({ products: { _sort: ['json(metadata, color)'] } }),
          })
          .set(t.admin);
        expect(response.statusCode).toEqual(200);
        expect(response.body.data).toHaveLength(1);
        expect(response.body.data[0].products.map((p: Any) => p.name)).toEqual(['Gamma', 'Alpha']);
      });
    });
  });
  describe('json-function.test.ts', () => {
    describe.each(PK_TYPES)('pkType: %s', (pkType) => {
      const products = `test_json_function_products_${pkType}`;
      const get = (query: Record<string, unknown>, id?: unknown) =>
        t.http
          .get(`/items/${products}${id === undefined ? '' : `/${id}`}`)
          .query(query)
          .set(t.admin);
      const alias = (value: Record<string, string>) => JSON.stringify(value);

      // json-function.seed.ts: four products with json metadata and settings, as the cases describe them
      beforeAll(async () => {
        await createCollection(products, pkType);
        await createField(products, 'name', 'string');
        await createField(products, 'metadata', 'json');
        await createField(products, 'settings', 'json');
        const id = (i: number) => (pkType === 'string' ? { id: `product-${i}` } : {});
        await createItem(products, [
          {
            ...id(0),
            name: 'Alpha',
            metadata: {
              color: 'red',
              brand: 'BrandX',
              dimensions: { width: 10, height: 20, depth: 5 },
              tags: ['electronics', 'premium', 'new'],
              variants: [
                { sku: 'SKU-001', price: 99.99, available: true },
                { sku: 'SKU-002', price: 149.99, available: false },
              ],
            },
            settings: { theme: 'dark' },
          },
          {
            ...id(1),
            name: 'Beta',
            metadata: { color: 'blue', brand: 'BrandY', dimensions: { width: 15, height: 25, depth: 6 }, tags: ['x'] },
            settings: { theme: 'light' },
          },
          {
            ...id(2),
            name: 'Gamma',
            metadata: { color: 'green', brand: 'BrandX', dimensions: { width: 12, height: 8, depth: 2 }, variants: [] },
            settings: { theme: 'auto' },
          },
          { ...id(3), name: 'Zeta', metadata: { color: 'black' }, settings: null },
        ]);
      });

      it('json() extracts paths (simple, nested, indexed, objects and arrays parsed), missing ones as null', async () => {
        const list = await get({
          fields:
            'id,name,metadata,json(metadata, color),json(metadata, dimensions.width),json(metadata, tags[1]),' +
            'json(metadata, variants[0].sku),json(metadata, dimensions),json(metadata, variants),json(settings, theme)',
          sort: 'name',
        });
        expect(list.statusCode).toEqual(200);
        const [alpha, beta, , zeta] = list.body.data;
        expect(alpha).toMatchObject({
          metadata_color_json: 'red',
          metadata_dimensions_width_json: 10,
          metadata_tags_1_json: 'premium',
          metadata_variants_0_sku_json: 'SKU-001',
          metadata_dimensions_json: { width: 10, height: 20, depth: 5 },
          metadata_variants_json: [
            { sku: 'SKU-001', price: 99.99, available: true },
            { sku: 'SKU-002', price: 149.99, available: false },
          ],
          settings_theme_json: 'dark',
        });
        expect(alpha.metadata.color).toBe('red');
        expect(beta.metadata_color_json).toBe('blue');
        expect(zeta).toMatchObject({
          metadata_dimensions_width_json: null,
          metadata_variants_0_sku_json: null,
          settings_theme_json: null,
        });
        const gamma = (await get({ fields: 'id', filter: JSON.stringify({ name: { _eq: 'Gamma' } }) })).body.data[0];
        const one = await get({ fields: 'id,json(metadata, variants[0].sku)' }, gamma.id);
        expect(one.statusCode).toEqual(200);
        expect(one.body.data).toEqual({ id: gamma.id, metadata_variants_0_sku_json: null });
      });

      it('json() under an alias, also beside a wildcard, and plain field aliases', async () => {
        const aliased = await get({
          fields: 'id,my_color,first_sku,dims,label,json_data',
          alias: alias({
            my_color: 'json(metadata, color)',
            first_sku: 'json(metadata, variants[0].sku)',
            dims: 'json(metadata, dimensions)',
            label: 'name',
            json_data: 'metadata',
          }),
          sort: 'name',
          limit: 1,
        });
        expect(aliased.statusCode).toEqual(200);
        expect(aliased.body.data[0]).toEqual({
          id: expect.anything(),
          my_color: 'red',
          first_sku: 'SKU-001',
          dims: { width: 10, height: 20, depth: 5 },
          label: 'Alpha',
          json_data: expect.objectContaining({ color: 'red' }),
        });
        const wildcard = await get({ fields: '*,label', alias: alias({ label: 'name' }), sort: 'name', limit: 1 });
        expect(wildcard.statusCode).toEqual(200);
        expect(wildcard.body.data[0]).toMatchObject({ name: 'Alpha', label: 'Alpha' });
      });

      it.each([
        ['json(metadata, color)', ['black', 'blue', 'green', 'red']],
        ['-json(metadata, color)', ['red', 'green', 'blue', 'black']],
        ['my_color', ['black', 'blue', 'green', 'red']],
        ['-my_color', ['red', 'green', 'blue', 'black']],
      ])('sorts by %s', async (sort, colors) => {
        const response = await get({
          fields: 'id,my_color',
          alias: alias({ my_color: 'json(metadata, color)' }),
          sort,
        });
        expect(response.statusCode).toEqual(200);
        expect(response.body.data.map((i: Any) => i.my_color)).toEqual(colors);
      });

      it('sorts by a dotted json() path, numbers as numbers', async () => {
        const response = await get({
          fields: 'id,width',
          alias: alias({ width: 'json(metadata, dimensions.width)' }),
          sort: 'json(metadata, dimensions.width)',
        });
        expect(response.statusCode).toEqual(200);
        expect(response.body.data.map((i: Any) => i.width).filter((w: unknown) => w !== null)).toEqual([10, 12, 15]);
      });

      it.each([
        ['json() of a non-json field', { fields: 'id,json(name, invalid)' }, 400],
        ['json() of a field that does not exist', { fields: 'id,json(nonexistent, path)' }, 403],
        ['json() without a path', { fields: 'id,json(metadata)' }, 400],
        ['an alias key with a period', { fields: 'id', alias: alias({ 'my.key': 'name' }) }, 400],
        ['an alias value with a period', { fields: 'id,label', alias: alias({ label: 'some.relation' }) }, 400],
        ['a json() alias without a path', { fields: 'id,my_color', alias: alias({ my_color: 'json(metadata)' }) }, 400],
        [
          'a json() alias of a non-json field',
          { fields: 'id,my_val', alias: alias({ my_val: 'json(name, color)' }) },
          400,
        ],
      ])('refuses %s', async (_, query, status) => {
        const response = await get(query);
        expect(response.statusCode).toEqual(status);
        expect(response.body.errors).toBeDefined();
      });

      it('json() and json() aliases in the answer of a create', async () => {
        const name = `New Product ${randomUUID()}`;
        const response = await t.http
          .post(`/items/${products}`)
          .query({ fields: 'id,name,json(metadata, color),brand', alias: alias({ brand: 'json(metadata, brand)' }) })
          .send({
            ...(pkType === 'string' ? { id: `product-${randomUUID()}` } : {}),
            name,
            metadata: { color: 'purple', brand: 'TestBrand' },
          })
          .set(t.admin);
        expect(response.statusCode).toEqual(200);
        expect(response.body.data).toMatchObject({ name, metadata_color_json: 'purple', brand: 'TestBrand' });
      });
    });
  });
  describe('relational-json.test.ts', () => {
    describe.each(PK_TYPES)('pkType: %s', (pkType) => {
      const categories = `test_relational_json_categories_${pkType}`;
      const articles = `test_relational_json_articles_${pkType}`;
      const comments = `test_relational_json_comments_${pkType}`;
      const shapes = `test_relational_json_shapes_${pkType}`;
      const circles = `test_relational_json_circles_${pkType}`;
      const squares = `test_relational_json_squares_${pkType}`;
      const articleIds: unknown[] = [];
      const shapeIds: unknown[] = [];
      const get = (collection: string, query: Record<string, unknown>, id?: unknown) =>
        t.http
          .get(`/items/${collection}${id === undefined ? '' : `/${id}`}`)
          .query(query)
          .set(t.admin);
      let counter = 0;
      const id = () => (pkType === 'string' ? { id: `rj-${counter++}` } : {});

      // relational-json.seed.ts: articles in categories (json metadata) with comments (json data), and shapes whose
      // M2A children are circles and squares (json metadata), as the cases describe them
      beforeAll(async () => {
        for (const c of [categories, articles, comments, shapes, circles, squares]) {
          await createCollection(c, pkType);
          await createField(c, 'name', 'string');
        }
        await createField(categories, 'metadata', 'json');
        await createField(articles, 'title', 'string');
        await createField(comments, 'data', 'json');
        for (const c of [circles, squares]) await createField(c, 'metadata', 'json');
        await createFieldM2O(articles, 'category_id', pkType, categories);
        await createFieldO2M(articles, 'comments', comments, 'article_id', pkType);
        await createFieldM2A(shapes, 'children', `${shapes}_children`, [circles, squares], pkType);
        const cats = await createItem(categories, [
          { ...id(), name: 'Tech', metadata: { color: 'blue', icon: 'laptop', settings: { priority: 1 } } },
          { ...id(), name: 'Sports', metadata: { color: 'green', icon: 'ball', settings: { priority: 2 } } },
        ]);
        const cat = (name: string) => cats.find((c: Any) => c.name === name).id;
        const comment = (type: string, rating: number) => ({ ...id(), data: { type, rating } });
        // one by one: the suite reads the articles back by key order and expects this order
        for (const article of [
          {
            title: 'AI Revolution',
            category_id: cat('Tech'),
            comments: [comment('review', 5), comment('feedback', 4), comment('question', 3)],
          },
          { title: 'Championship Finals', category_id: cat('Sports'), comments: [comment('review', 2)] },
          { title: 'Marathon Season', category_id: cat('Sports'), comments: [] },
          { title: 'Quantum Chips', category_id: cat('Tech'), comments: [] },
        ]) {
          articleIds.push((await createItem(articles, { ...id(), ...article })).id);
        }
        const child = (collection: string, color: string) => ({
          collection,
          item: { ...id(), name: color, metadata: { color } },
        });
        for (const shape of [
          { name: 'Shape A', children: [child(circles, 'red'), child(circles, 'blue')] },
          { name: 'Shape B', children: [child(squares, 'orange'), child(squares, 'pink')] },
          { name: 'Shape C', children: [] },
        ]) {
          shapeIds.push((await createItem(shapes, { ...id(), ...shape })).id);
        }
      });

      it('json() through the M2O: simple and nested paths, several, beside plain fields', async () => {
        const response = await get(articles, {
          fields:
            'id,title,category_id.name,json(category_id.metadata, color),json(category_id.metadata, icon),' +
            'json(category_id.metadata, settings.priority)',
          filter: JSON.stringify({ id: { _in: articleIds } }),
        });
        expect(response.statusCode).toEqual(200);
        const byTitle = Object.fromEntries(response.body.data.map((a: Any) => [a.title, a.category_id]));
        expect(byTitle['AI Revolution']).toEqual({
          name: 'Tech',
          metadata_color_json: 'blue',
          metadata_icon_json: 'laptop',
          metadata_settings_priority_json: 1,
        });
        expect(byTitle['Marathon Season'].metadata_color_json).toBe('green');
      });

      it('json() through the O2M: one value per related item, [] without any', async () => {
        const first = await get(
          articles,
          { fields: 'id,title,json(comments.data, type),json(comments.data, rating)' },
          articleIds[0],
        );
        expect(first.statusCode).toEqual(200);
        expect(first.body.data.comments).toHaveLength(3);
        expect(first.body.data.comments.map((c: Any) => c.data_type_json)).toEqual(
          expect.arrayContaining(['review', 'feedback', 'question']),
        );
        expect(first.body.data.comments.map((c: Any) => c.data_rating_json)).toEqual(expect.arrayContaining([5, 4, 3]));
        const fourth = await get(articles, { fields: 'id,title,json(comments.data, type)' }, articleIds[3]);
        expect(fourth.statusCode).toEqual(200);
        expect(fourth.body.data.comments).toEqual([]);
      });

      it('json() through the M2O with a filter, a sort and a page', async () => {
        const filtered = await get(articles, {
          fields: 'id,title,json(category_id.metadata, color)',
          filter: JSON.stringify({ title: { _eq: 'AI Revolution' } }),
        });
        expect(filtered.statusCode).toEqual(200);
        expect(filtered.body.data).toEqual([
          { id: articleIds[0], title: 'AI Revolution', category_id: { metadata_color_json: 'blue' } },
        ]);
        const sorted = await get(articles, { fields: 'id,json(category_id.metadata, color)', sort: '-id', limit: 2 });
        expect(sorted.statusCode).toEqual(200);
        expect(sorted.body.data).toHaveLength(2);
        const paged = await get(articles, {
          fields: 'id,title,json(category_id.metadata, color)',
          sort: 'id',
          limit: 2,
          offset: 1,
        });
        expect(paged.statusCode).toEqual(200);
        expect(paged.body.data).toHaveLength(2);
        if (pkType === 'integer') expect(paged.body.data[0].title).toBe('Championship Finals');
      });

      it('json() through the M2A scoped to one collection', async () => {
        const a = await get(shapes, { fields: `id,name,json(children.item:${circles}.metadata, color)` }, shapeIds[0]);
        expect(a.statusCode).toEqual(200);
        const resolved = a.body.data.children.filter((c: Any) => c.item !== null);
        expect(resolved.map((c: Any) => c.item.metadata_color_json).sort()).toEqual(['blue', 'red']);
        const b = await get(shapes, { fields: `id,name,json(children.item:${squares}.metadata, color)` }, shapeIds[1]);
        expect(b.statusCode).toEqual(200);
        expect(
          b.body.data.children
            .filter((c: Any) => c.item !== null)
            .map((c: Any) => c.item.metadata_color_json)
            .sort(),
        ).toEqual(['orange', 'pink']);
        const c = await get(shapes, { fields: `id,name,json(children.item:${circles}.metadata, color)` }, shapeIds[2]);
        expect(c.statusCode).toEqual(200);
        expect(c.body.data.children).toEqual([]);
      });

      it.each([
        ['a relation that does not exist', 'id,json(nonexistent.metadata, color)'],
        ['a non-json field at the end of the path', 'id,json(category_id.name, invalid)'],
      ])('refuses json() through %s with a 400', async (_, fields) => {
        const response = await get(articles, { fields });
        expect(response.statusCode).toEqual(400);
        expect(response.body.errors).toBeDefined();
      });

      it('refuses json() through an M2A scope that is not one of its collections', async () => {
        const response = await get(shapes, { fields: 'id,json(children.item:nonexistent_collection.metadata, color)' });
        expect(response.statusCode).toEqual(400);
        expect(response.body.errors).toBeDefined();
      });
    });
  });
});
