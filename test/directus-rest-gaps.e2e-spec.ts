import { createTestApp, type TestApp } from './support/app';

/**
 * The REST answers a Directus client meets first (issue 16, part 2; spec 5, 8, 15), each checked with whole bodies:
 * field `schema` keys, the schema listings with system collections, /server/info and /server/specs/oas, json() and
 * `_json`, /utils/cache/clear, /permissions/me and QUERYSTRING_ARRAY_LIMIT.
 */
describe('Directus REST gaps', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  // ---------------------------------------------------------------------------------------------------------------
  // helpers

  type Row = Record<string, unknown>;

  const get = (url: string) => t.http.get(url).set(t.admin);

  /** The API's field `schema` object with Directus defaults for everything not given. */
  function colSchema(table: string, name: string, over: Row = {}): Row {
    return {
      name,
      table,
      data_type: 'integer',
      default_value: null,
      max_length: null,
      numeric_precision: null,
      numeric_scale: null,
      is_generated: false,
      generation_expression: null,
      is_nullable: true,
      is_unique: false,
      is_indexed: false,
      is_primary_key: false,
      has_auto_increment: false,
      foreign_key_schema: null,
      foreign_key_table: null,
      foreign_key_column: null,
      comment: null,
      ...over,
    };
  }

  /** The API's field `meta` object (spec 15 key set) with defaults for everything not given. */
  function fieldMeta(collection: string, field: string, over: Row = {}): Row {
    return {
      id: expect.any(Number),
      collection,
      field,
      special: null,
      interface: null,
      options: null,
      display: null,
      display_options: null,
      readonly: false,
      hidden: false,
      sort: null,
      width: 'full',
      translations: null,
      note: null,
      conditions: null,
      required: false,
      group: null,
      validation: null,
      validation_message: null,
      searchable: true,
      ...over,
    };
  }

  // ---------------------------------------------------------------------------------------------------------------

  describe('field schema keys', () => {
    it('a uuid primary key as the Directus app sends it (schema.length) is created, and listed as such', async () => {
      const res = await t.http
        .post('/collections')
        .set(t.admin)
        .send({
          collection: 'gap_uuid',
          meta: { singleton: false },
          schema: {},
          fields: [
            {
              field: 'id',
              type: 'uuid',
              meta: { hidden: true, readonly: true, interface: 'input', special: ['uuid'] },
              schema: { is_primary_key: true, length: 36, has_auto_increment: false },
            },
          ],
        });
      expect(res.status).toBe(200);
      expect((await get('/fields/gap_uuid').expect(200)).body).toEqual({
        data: [
          {
            collection: 'gap_uuid',
            field: 'id',
            type: 'uuid',
            schema: colSchema('gap_uuid', 'id', {
              data_type: 'uuid',
              is_nullable: false,
              is_unique: true,
              is_indexed: true,
              is_primary_key: true,
            }),
            meta: fieldMeta('gap_uuid', 'id', {
              special: ['uuid'],
              interface: 'input',
              hidden: true,
              readonly: true,
              sort: 1,
            }),
          },
        ],
      });
    });

    it('a string primary key with schema.length, unknown keys and string sizes are accepted', async () => {
      await t.http
        .post('/collections')
        .set(t.admin)
        .send({
          collection: 'gap_code',
          schema: { name: 'gap_code', comment: null, whatever: true },
          fields: [
            {
              field: 'code',
              type: 'string',
              meta: { hidden: false, readonly: false, interface: 'input', special: null },
              schema: { is_primary_key: true, length: 255, has_auto_increment: false, unknown_key: { a: 1 } },
            },
          ],
        })
        .expect(200);
      const created = await t.http
        .post('/fields/gap_code')
        .set(t.admin)
        .send({
          field: 'label',
          type: 'string',
          schema: { max_length: '40', is_nullable: 'false', default_value: 'x', foo: 1 },
        })
        .expect(200);
      expect(created.body).toEqual({
        data: {
          collection: 'gap_code',
          field: 'label',
          type: 'string',
          schema: colSchema('gap_code', 'label', {
            data_type: 'character varying',
            max_length: 40,
            is_nullable: false,
            default_value: 'x',
          }),
          meta: null,
        },
      });
      // A field read back from GET /fields (every schema key of it) goes back through PATCH unchanged.
      const patched = await t.http
        .patch('/fields/gap_code/label')
        .set(t.admin)
        .send({ ...created.body.data, schema: { ...created.body.data.schema, max_length: '60' } })
        .expect(200);
      expect(patched.body.data.schema).toEqual(
        colSchema('gap_code', 'label', {
          data_type: 'character varying',
          max_length: 60,
          is_nullable: false,
          default_value: 'x',
        }),
      );
      expect((await get('/fields/gap_code/code').expect(200)).body.data.schema).toEqual(
        colSchema('gap_code', 'code', {
          data_type: 'character varying',
          max_length: 255,
          is_nullable: false,
          is_unique: true,
          is_indexed: true,
          is_primary_key: true,
        }),
      );
    });

    it('a size that is not a number is still a 400', async () => {
      const res = await t.http
        .post('/fields/gap_code')
        .set(t.admin)
        .send({ field: 'bad', type: 'string', schema: { max_length: 'long' } })
        .expect(400);
      expect(res.body).toEqual({
        errors: [
          {
            message: 'Invalid payload. "schema.max_length" must be an integer >= 1.',
            extensions: { code: 'INVALID_PAYLOAD', reason: '"schema.max_length" must be an integer >= 1' },
          },
        ],
      });
    });
  });
});
