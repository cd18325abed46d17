import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from './support/app';
import { BLACKBOX_ENV, PK_TYPES, itemsHelpers, type Any, type PkType } from './support/directus-blackbox';
import { attach, policy, role, user, type TestUser } from './permissions.helpers';

/**
 * More of Directus's own blackbox suite (github:directus/directus tests/blackbox), replayed as
 * directus-blackbox-items.e2e-spec.ts describes (same env, same app boot, one vendor: PostgreSQL):
 * - items/field-selection.test.ts: `fields[]=` within the array limit, indexed `fields[101]=` past it (qs makes an
 *   object, so every field comes back) and a comma list of 150 names.
 * - items/json-fields.test.ts: `json()` in REST `fields`, sent in main's `json(field, path)` form (paths, indexes, nulls, empty arrays, beside the
 *   whole field, with filter/sort/page, in one item, in the answer of a create and an update) and its 400s, with the
 *   `<field>_func { alias: json(path:) }` GraphQL selections the suite sends beside them, per primary key type.
 * - items/json-function-graphql.test.ts: `json(path:)` in `<field>_func` (plain, aliased, objects and arrays parsed,
 *   two json fields, a missing key) and the validation error without `path`, per primary key type.
 * - items/no-relation-II.test.ts: a day() groupBy with a count, as a user whose read permission filters through a field
 *   with no relation (INVALID_QUERY) and as the admin.
 * - items/batch-insert.test.ts: createMany of none, N, one, explicit and mixed keys, with the INSERT statements it
 *   sends counted (by a statement trigger, for the suite's query-counter extension), per primary key type.
 * - permissions/cache-purge.test.ts: a read of the collection after each /permissions mutation, per cache env; as
 *   Tessera keeps no response cache, also that a user holding the policy sees each change at once (the permission
 *   cache it does keep, warmed before each mutation, is purged).
 */
describe('Directus blackbox: /items (field selection, json fields, json() in GraphQL, groupBy)', () => {
  let t: TestApp;

  beforeAll(async () => {
    // field-selection.test.ts reads "the default QUERYSTRING_ARRAY_LIMIT (100)": the limit its Directus ran with
    // (Tessera's default is main's 500, spec §1.6), so this app runs with 100.
    t = await createTestApp({ ...BLACKBOX_ENV, QUERYSTRING_ARRAY_LIMIT: '100' });
  });
  afterAll(() => t.close());

  const { createItem, createCollection, createField } = itemsHelpers(() => t);
  const gqlText = (query: string, auth?: { Authorization: string }) =>
    t.http
      .post('/graphql')
      .set(auth ?? t.admin)
      .send({ query });

  describe('field-selection.test.ts', () => {
    const collectionName = 'test_query_field_selection';
    let isSeeded = false;

    beforeAll(async () => {
      await createCollection(collectionName, 'integer');
      for (const f of ['field_a', 'field_b', 'field_c']) await createField(collectionName, f, 'string');
      await createItem(collectionName, [
        { field_a: 'value_a1', field_b: 'value_b1', field_c: 'value_c1' },
        { field_a: 'value_a2', field_b: 'value_b2', field_c: 'value_c2' },
      ]);
      isSeeded = true;
    });

    it('Seed Database Values', () => {
      expect(isSeeded).toStrictEqual(true);
    });

    it('Array syntax within QUERYSTRING_ARRAY_LIMIT', async () => {
      const response = await t.http.get(`/items/${collectionName}`).query('fields[]=id&fields[]=field_a').set(t.admin);
      expect(response.statusCode).toEqual(200);
      expect(response.body.data.length).toBeGreaterThanOrEqual(2);
      for (const item of response.body.data) {
        expect(Object.keys(item)).toEqual(expect.arrayContaining(['id', 'field_a']));
        expect(item).not.toHaveProperty('field_b');
        expect(item).not.toHaveProperty('field_c');
      }
    });

    it('Array syntax exceeding QUERYSTRING_ARRAY_LIMIT', async () => {
      const response = await t.http
        .get(`/items/${collectionName}`)
        .query('fields[101]=id&fields[102]=field_a')
        .set(t.admin);
      expect(response.statusCode).toEqual(200);
      expect(response.body.data.length).toBeGreaterThanOrEqual(2);
      for (const item of response.body.data) {
        expect(item).toHaveProperty('id');
        expect(item).toHaveProperty('field_a');
        expect(item).toHaveProperty('field_b');
        expect(item).toHaveProperty('field_c');
      }
    });

    it('Comma-separated syntax bypasses QUERYSTRING_ARRAY_LIMIT', async () => {
      const response = await t.http
        .get(`/items/${collectionName}`)
        .query('fields=id,' + Array(150).fill('field_a').join(','))
        .set(t.admin);
      expect(response.statusCode).toEqual(200);
      expect(response.body.data.length).toBeGreaterThanOrEqual(2);
      for (const item of response.body.data) {
        expect(Object.keys(item)).toEqual(expect.arrayContaining(['id', 'field_a']));
        expect(item).not.toHaveProperty('field_b');
        expect(item).not.toHaveProperty('field_c');
      }
    });
  });

  /**
   * The seed's keys, ascending in seed order: SeedFunctions.generatePrimaryKeys(pkType, { incremental: true }) for
   * string keys. For uuid keys the suite lets the server make (random) ones, so its `sort=id` cases only hold when they
   * happen to come out in seed order; ascending ones are sent here so they always do.
   */
  const seedKey = (pkType: PkType, prefix: string, i: number) =>
    pkType === 'string'
      ? { id: `${prefix}-${i}` }
      : pkType === 'uuid'
        ? { id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` }
        : {};

  /** Four/five products: json-fields.seed.ts and json-function-graphql.seed.ts (the first four share metadata). */
  const METADATA = [
    {
      color: 'red',
      brand: 'BrandX',
      dimensions: { width: 10, height: 20, depth: 5 },
      tags: ['electronics', 'premium', 'new'],
      variants: [
        { sku: 'SKU-001', price: 99.99, available: true },
        { sku: 'SKU-002', price: 149.99, available: false },
      ],
      specifications: { weight: 2.5, material: 'aluminum' },
    },
    {
      color: 'blue',
      brand: 'BrandY',
      dimensions: { width: 15, height: 25, depth: 8 },
      tags: ['home', 'sale'],
      variants: [{ sku: 'SKU-003', price: 79.99, available: true }],
      specifications: { weight: 3.2, material: 'plastic' },
    },
    {
      color: 'green',
      brand: 'BrandX',
      dimensions: { width: 12, height: 18, depth: 6 },
      tags: ['outdoor'],
      variants: [],
      specifications: { weight: 1.8, material: 'steel' },
    },
    {
      color: 'yellow',
      brand: 'BrandZ',
      dimensions: { width: 8, height: 10, depth: 4 },
      tags: ['clearance', 'discontinued'],
      variants: [
        { sku: 'SKU-004', price: 29.99, available: true },
        { sku: 'SKU-005', price: 39.99, available: true },
        { sku: 'SKU-006', price: 49.99, available: false },
      ],
      specifications: { weight: 0.9, material: 'wood' },
    },
    { color: 'black', tags: [], variants: [{ sku: 'SKU-007' }] },
  ];

  async function seedProducts(
    collection: string,
    pkType: PkType,
    rows: Any[],
    jsonMeta: object = {},
  ): Promise<unknown[]> {
    await createCollection(collection, pkType);
    await createField(collection, 'name', 'string');
    await createField(collection, 'metadata', 'json', jsonMeta);
    await createField(collection, 'settings', 'json', jsonMeta);
    const created = await createItem(
      collection,
      rows.map((r, i) => ({ ...seedKey(pkType, collection, i), ...r })),
    );
    return created.map((r: Any) => r.id);
  }

  describe('json-fields.test.ts', () => {
    const vendorSchemaValues: Record<string, unknown[]> = {};

    beforeAll(async () => {
      for (const pkType of PK_TYPES) {
        const collection = `test_items_json_products_${pkType}`;
        const names = ['Product A', 'Product B', 'Product C', 'Product D', 'Product E'];
        const settings = [
          { notifications: { email: true, sms: false }, theme: 'dark' },
          { notifications: { email: false, sms: true }, theme: 'light' },
          { notifications: { email: true, sms: true }, theme: 'auto' },
          { theme: 'dark' },
          null,
        ];
        vendorSchemaValues[collection] = await seedProducts(
          collection,
          pkType,
          names.map((name, i) => ({ name, metadata: METADATA[i], settings: settings[i] })),
        );
      }
    });

    it('Seed Database Values', () => {
      expect(Object.keys(vendorSchemaValues)).toHaveLength(PK_TYPES.length);
    });

    /**
     * The suite's `json(metadata.color)` in main's `json(field, path)` form: the dotted form was json()'s first design,
     * which main's parseJsonFunction answers 400 "requires json(field, path) format" (spec §2.5; the error cases send
     * it). Output keys as the suite's last version names them (`metadata_tags_0_json`).
     */
    const mainForm = (fields: string) => fields.replace(/json\(([a-z_]+)\.([^)]*)\)/g, 'json($1, $2)');

    describe.each(PK_TYPES)('/items pkType: %s', (pkType) => {
      const local = `test_items_json_products_${pkType}`;
      const get = (query: Record<string, unknown>, id?: unknown) =>
        t.http
          .get(`/items/${local}${id === undefined ? '' : `/${id}`}`)
          .query({ ...query, fields: mainForm(query.fields as string) })
          .set(t.admin);
      /** `<field>_func { alias: json(path: "…") … }` per field, as json-to-graphql-query renders `__aliasFor`. */
      const funcs = (paths: Record<string, Record<string, string>>) =>
        Object.entries(paths)
          .map(
            ([field, aliases]) =>
              `${field}_func { ${Object.entries(aliases)
                .map(([alias, path]) => `${alias}: json(path: ${JSON.stringify(path)})`)
                .join(' ')} }`,
          )
          .join(' ');

      describe('GET /:collection', () => {
        it('retrieves json field with simple path', async () => {
          const response = await get({ fields: 'id,name,json(metadata.color)', sort: 'id' });
          const gqlResponse = await gqlText(
            `query { ${local}(sort: "id") { id name ${funcs({ metadata: { color: 'color' } })} } }`,
          );
          expect(response.statusCode).toEqual(200);
          expect(response.body.data).toBeDefined();
          expect(response.body.data.length).toBeGreaterThan(0);
          expect(response.body.data[0]).toHaveProperty('metadata_color_json');
          expect(response.body.data[0].metadata_color_json).toBe('red');
          expect(response.body.data[1]).toHaveProperty('metadata_color_json');
          expect(response.body.data[1].metadata_color_json).toBe('blue');
          expect(gqlResponse.statusCode).toEqual(200);
          expect(gqlResponse.body.data[local]).toBeDefined();
          expect(gqlResponse.body.data[local][0]).toHaveProperty('metadata_func');
          expect(gqlResponse.body.data[local][0].metadata_func.color).toBe('red');
        });

        it('retrieves json field with nested object path', async () => {
          const response = await get({
            fields: 'id,name,json(metadata.dimensions.width),json(metadata.dimensions.height)',
            sort: 'id',
          });
          const gqlResponse = await gqlText(
            `query { ${local}(sort: "id") { id name ${funcs({
              metadata: { width: 'dimensions.width', height: 'dimensions.height' },
            })} } }`,
          );
          expect(response.statusCode).toEqual(200);
          expect(response.body.data).toBeDefined();
          expect(response.body.data[0]).toHaveProperty('metadata_dimensions_width_json');
          expect(response.body.data[0]).toHaveProperty('metadata_dimensions_height_json');
          expect(Number(response.body.data[0].metadata_dimensions_width_json)).toBe(10);
          expect(Number(response.body.data[0].metadata_dimensions_height_json)).toBe(20);
          expect(gqlResponse.statusCode).toEqual(200);
          expect(gqlResponse.body.data[local][0].metadata_func).toHaveProperty('width');
          expect(gqlResponse.body.data[local][0].metadata_func).toHaveProperty('height');
        });

        it('retrieves json field with array index path', async () => {
          const response = await get({ fields: 'id,name,json(metadata.tags[0]),json(metadata.tags[1])', sort: 'id' });
          const gqlResponse = await gqlText(
            `query { ${local}(sort: "id") { id name ${funcs({ metadata: { tag0: 'tags[0]', tag1: 'tags[1]' } })} } }`,
          );
          expect(response.statusCode).toEqual(200);
          expect(response.body.data).toBeDefined();
          expect(response.body.data[0]).toHaveProperty('metadata_tags_0_json');
          expect(response.body.data[0]).toHaveProperty('metadata_tags_1_json');
          expect(response.body.data[0].metadata_tags_0_json).toBe('electronics');
          expect(response.body.data[0].metadata_tags_1_json).toBe('premium');
          expect(gqlResponse.statusCode).toEqual(200);
          expect(gqlResponse.body.data[local][0].metadata_func.tag0).toBe('electronics');
          expect(gqlResponse.body.data[local][0].metadata_func.tag1).toBe('premium');
        });

        it('retrieves json field with nested array and object path', async () => {
          const response = await get({
            fields: 'id,name,json(metadata.variants[0].sku),json(metadata.variants[0].price)',
            sort: 'id',
          });
          const gqlResponse = await gqlText(
            `query { ${local}(sort: "id") { id name ${funcs({
              metadata: { sku: 'variants[0].sku', price: 'variants[0].price' },
            })} } }`,
          );
          expect(response.statusCode).toEqual(200);
          expect(response.body.data).toBeDefined();
          expect(response.body.data[0]).toHaveProperty('metadata_variants_0_sku_json');
          expect(response.body.data[0]).toHaveProperty('metadata_variants_0_price_json');
          expect(response.body.data[0].metadata_variants_0_sku_json).toBe('SKU-001');
          expect(Number(response.body.data[0].metadata_variants_0_price_json)).toBeCloseTo(99.99, 2);
          expect(gqlResponse.statusCode).toEqual(200);
          expect(gqlResponse.body.data[local][0].metadata_func.sku).toBe('SKU-001');
        });

        it('retrieves multiple json extractions from different fields', async () => {
          const response = await get({ fields: 'id,json(metadata.color),json(settings.theme)', sort: 'id', limit: 1 });
          expect(response.statusCode).toEqual(200);
          expect(response.body.data).toBeDefined();
          expect(response.body.data[0]).toHaveProperty('metadata_color_json');
          expect(response.body.data[0]).toHaveProperty('settings_theme_json');
          expect(response.body.data[0].metadata_color_json).toBe('red');
          expect(response.body.data[0].settings_theme_json).toBe('dark');
        });

        it('handles null and missing values gracefully', async () => {
          const response = await get({
            fields: 'id,json(metadata.brand),json(metadata.dimensions.width),json(settings.theme)',
            sort: '-id',
            limit: 1,
          });
          expect(response.statusCode).toEqual(200);
          expect(response.body.data).toBeDefined();
          const item = response.body.data[0];
          expect(item).toHaveProperty('metadata_brand_json');
          expect(item.metadata_brand_json).toBeNull();
          expect(item).toHaveProperty('metadata_dimensions_width_json');
          expect(item.metadata_dimensions_width_json).toBeNull();
          expect(item).toHaveProperty('settings_theme_json');
          expect(item.settings_theme_json).toBeNull();
        });

        it('handles empty arrays', async () => {
          const thirdProductId = vendorSchemaValues[local]![2];
          const response = await get({ fields: 'id,json(metadata.variants[0].sku)' }, thirdProductId);
          expect(response.statusCode).toEqual(200);
          expect(response.body.data).toBeDefined();
          expect(response.body.data).toHaveProperty('metadata_variants_0_sku_json');
          expect(response.body.data.metadata_variants_0_sku_json).toBeNull();
        });

        it('combines json extraction with regular fields', async () => {
          const response = await get({
            fields: 'id,name,metadata,json(metadata.color),json(metadata.brand)',
            sort: 'id',
            limit: 1,
          });
          expect(response.statusCode).toEqual(200);
          expect(response.body.data).toBeDefined();
          const item = response.body.data[0];
          expect(item).toHaveProperty('id');
          expect(item).toHaveProperty('name');
          expect(item).toHaveProperty('metadata');
          expect(item).toHaveProperty('metadata_color_json');
          expect(item).toHaveProperty('metadata_brand_json');
          expect(typeof item.metadata).toBe('object');
          expect(item.metadata.color).toBe('red');
          expect(item.metadata_color_json).toBe('red');
          expect(item.metadata_brand_json).toBe('BrandX');
        });

        it('works with filters', async () => {
          const response = await get({
            fields: 'id,name,json(metadata.color)',
            filter: JSON.stringify({ name: { _eq: 'Product A' } }),
          });
          expect(response.statusCode).toEqual(200);
          expect(response.body.data).toBeDefined();
          expect(response.body.data).toHaveLength(1);
          expect(response.body.data[0].name).toBe('Product A');
          expect(response.body.data[0].metadata_color_json).toBe('red');
        });

        it('works with sorting', async () => {
          const response = await get({ fields: 'id,name,json(metadata.color)', sort: '-id', limit: 2 });
          expect(response.statusCode).toEqual(200);
          expect(response.body.data).toBeDefined();
          expect(response.body.data).toHaveLength(2);
          const firstId = response.body.data[0].id;
          const secondId = response.body.data[1].id;
          if (pkType === 'string') expect(firstId > secondId).toBe(true);
          // uuid keys compare as text (Number() of a uuid is NaN, which the suite's check can't tell apart)
          else if (pkType === 'uuid') expect(firstId > secondId).toBe(true);
          else expect(Number(firstId) > Number(secondId)).toBe(true);
        });

        it('works with pagination', async () => {
          const response = await get({ fields: 'id,json(metadata.color)', sort: 'id', limit: 2, offset: 1 });
          expect(response.statusCode).toEqual(200);
          expect(response.body.data).toBeDefined();
          expect(response.body.data).toHaveLength(2);
          expect(response.body.data[0].metadata_color_json).toBe('blue');
        });
      });

      describe('GET /:collection/:id', () => {
        it('retrieves single item with json extraction', async () => {
          const firstProductId = vendorSchemaValues[local]![0];
          const response = await get({ fields: 'id,name,json(metadata.color),json(metadata.brand)' }, firstProductId);
          const gqlResponse = await gqlText(
            `query { ${local}(filter: { id: { _eq: ${JSON.stringify(firstProductId)} } }) { id name ${funcs({
              metadata: { color: 'color', brand: 'brand' },
            })} } }`,
          );
          expect(response.statusCode).toEqual(200);
          expect(response.body.data).toBeDefined();
          expect(response.body.data.id).toBe(firstProductId);
          expect(response.body.data.metadata_color_json).toBe('red');
          expect(response.body.data.metadata_brand_json).toBe('BrandX');
          expect(gqlResponse.statusCode).toEqual(200);
          expect(gqlResponse.body.data[local][0].metadata_func.color).toBe('red');
          expect(gqlResponse.body.data[local][0].metadata_func.brand).toBe('BrandX');
        });
      });

      describe('Error handling', () => {
        // The suite's requests as it sends them (dotted json(), which main refuses as syntax), then in main's form,
        // where a missing field is the 403 of any unknown field (json-function.test.ts).
        const raw = (fields: string) => t.http.get(`/items/${local}`).query({ fields }).set(t.admin);

        it('returns error for non-json field', async () => {
          const response = await raw('id,json(name.invalid)');
          expect(response.statusCode).toEqual(400);
          expect(response.body.errors).toBeDefined();
          expect((await raw('id,json(name, invalid)')).statusCode).toEqual(400);
        });

        it('returns error for non-existent field', async () => {
          const response = await raw('id,json(nonexistent.path)');
          expect(response.statusCode).toEqual(400);
          expect(response.body.errors).toBeDefined();
          expect((await raw('id,json(nonexistent, path)')).statusCode).toEqual(403);
        });

        it('returns error for invalid json function syntax', async () => {
          const response = await raw('id,json(metadata)');
          expect(response.statusCode).toEqual(400);
          expect(response.body.errors).toBeDefined();
        });
      });

      describe('POST /:collection', () => {
        it('can create item and extract json in same request', async () => {
          const newProduct: Any = {
            name: 'New Product ' + randomUUID(),
            metadata: {
              color: 'purple',
              brand: 'TestBrand',
              dimensions: { width: 5, height: 10, depth: 3 },
              tags: ['test'],
              variants: [],
            },
          };
          if (pkType === 'string') newProduct.id = 'product-' + randomUUID();
          const response = await t.http
            .post(`/items/${local}`)
            .query({ fields: mainForm('id,name,json(metadata.color),json(metadata.brand)') })
            .send(newProduct)
            .set(t.admin);
          expect(response.statusCode).toEqual(200);
          expect(response.body.data).toBeDefined();
          expect(response.body.data.name).toBe(newProduct.name);
          expect(response.body.data.metadata_color_json).toBe('purple');
          expect(response.body.data.metadata_brand_json).toBe('TestBrand');
        });
      });

      describe('PATCH /:collection/:id', () => {
        it('can update item and extract json in same request', async () => {
          const product: Any = {
            name: 'Update Test ' + randomUUID(),
            metadata: { color: 'orange', brand: 'OldBrand' },
          };
          if (pkType === 'string') product.id = 'product-' + randomUUID();
          const created = await createItem(local, product);
          const response = await t.http
            .patch(`/items/${local}/${created.id}`)
            .query({ fields: mainForm('id,json(metadata.color),json(metadata.brand)') })
            .send({ metadata: { color: 'orange', brand: 'NewBrand' } })
            .set(t.admin);
          expect(response.statusCode).toEqual(200);
          expect(response.body.data).toBeDefined();
          expect(response.body.data.metadata_color_json).toBe('orange');
          expect(response.body.data.metadata_brand_json).toBe('NewBrand');
        });
      });
    });
  });

  describe('json-function-graphql.test.ts', () => {
    const vendorSchemaValues: Record<string, unknown[]> = {};

    beforeAll(async () => {
      for (const pkType of PK_TYPES) {
        const collection = `test_items_json_fn_gql_products_${pkType}`;
        const names = ['Alpha', 'Beta', 'Gamma', 'Zeta'];
        const settings = [
          { notifications: { email: true, sms: false }, theme: 'dark' },
          { notifications: { email: false, sms: true }, theme: 'light' },
          { notifications: { email: true, sms: true }, theme: 'auto' },
          null,
        ];
        const metadata = [METADATA[0], METADATA[1], METADATA[2], METADATA[4]];
        vendorSchemaValues[collection] = await seedProducts(
          collection,
          pkType,
          names.map((name, i) => ({ name, metadata: metadata[i], settings: settings[i] })),
          { special: ['cast-json'] },
        );
      }
    });

    it('Seed Database Values', () => {
      expect(Object.keys(vendorSchemaValues)).toHaveLength(PK_TYPES.length);
    });

    describe.each(PK_TYPES)('/graphql json() field function pkType: %s', (pkType) => {
      const local = `test_items_json_fn_gql_products_${pkType}`;
      const query = async (args: string, selection: string) => {
        const gqlResponse = await gqlText(`query { ${local}(${args}) { name ${selection} } }`);
        expect(gqlResponse.statusCode).toEqual(200);
        expect(gqlResponse.body.errors).toBeUndefined();
        return gqlResponse.body.data[local] as Any[];
      };

      it('simple path: returns scalar value at top-level path', async () => {
        const data = await query('sort: ["name"]', 'metadata_func { json(path: "color") }');
        expect(data.length).toBeGreaterThan(0);
        expect(data[0].name).toBe('Alpha');
        expect(data[0].metadata_func.json).toBe('red');
        expect(data[1].name).toBe('Beta');
        expect(data[1].metadata_func.json).toBe('blue');
      });

      it('nested path: returns value at nested dot-path', async () => {
        const data = await query(
          'sort: ["name"], limit: 2',
          'metadata_func { width: json(path: "dimensions.width") height: json(path: "dimensions.height") }',
        );
        expect(data[0].name).toBe('Alpha');
        expect(Number(data[0].metadata_func.width)).toBe(10);
        expect(Number(data[0].metadata_func.height)).toBe(20);
      });

      it('array index path: returns element at array index path', async () => {
        const data = await query('sort: ["name"], limit: 1', 'metadata_func { firstTag: json(path: "tags[0]") }');
        expect(data[0].name).toBe('Alpha');
        expect(data[0].metadata_func.firstTag).toBe('electronics');
      });

      it('multiple aliases from same json field: returns different paths aliased from the same field', async () => {
        const data = await query(
          'sort: ["name"], limit: 1',
          'metadata_func { color: json(path: "color") brand: json(path: "brand") }',
        );
        expect(data[0].name).toBe('Alpha');
        expect(data[0].metadata_func.color).toBe('red');
        expect(data[0].metadata_func.brand).toBe('BrandX');
      });

      it('object path returns parsed value: returns nested object as parsed JSON', async () => {
        const data = await query('sort: ["name"], limit: 1', 'metadata_func { dimensions: json(path: "dimensions") }');
        expect(data[0].name).toBe('Alpha');
        expect(data[0].metadata_func.dimensions).toEqual({ width: 10, height: 20, depth: 5 });
      });

      it('object path returns parsed value: returns top-level array as parsed JSON', async () => {
        const data = await query('sort: ["name"], limit: 1', 'metadata_func { tags: json(path: "tags") }');
        expect(data[0].name).toBe('Alpha');
        expect(Array.isArray(data[0].metadata_func.tags)).toBe(true);
        expect(data[0].metadata_func.tags).toEqual(['electronics', 'premium', 'new']);
      });

      it('multiple json fields: extracts from two different json fields in one query', async () => {
        const data = await query(
          'sort: ["name"], limit: 1',
          'metadata_func { json(path: "color") } settings_func { json(path: "theme") }',
        );
        expect(data[0].name).toBe('Alpha');
        expect(data[0].metadata_func.json).toBe('red');
        expect(data[0].settings_func.json).toBe('dark');
      });

      it('missing path key: returns null when path key is absent', async () => {
        const data = await query('sort: ["name"]', 'metadata_func { width: json(path: "dimensions.width") }');
        const zeta = data.find((item) => item.name === 'Zeta');
        expect(zeta).toBeDefined();
        expect(zeta.metadata_func.width).toBeNull();
      });

      it('schema validation: returns schema error when path argument is absent', async () => {
        const gqlResponse = await gqlText(`{ ${local} { metadata_func { json } } }`);
        expect(gqlResponse.body.errors).toBeDefined();
        expect(gqlResponse.body.errors.length).toBeGreaterThan(0);
      });
    });
  });

  describe('batch-insert.test.ts', () => {
    const collectionArtists = 'test_items_no_relation_artists';
    const UUID_REGEX = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    type Artist = { id?: number | string; name: string; company: string };
    const sortByName = (x: { name: string }, y: { name: string }) => x.name.localeCompare(y.name);

    function buildArtist(pkType: PkType, index: number, nonce: string, opts: { explicitId?: boolean } = {}): Artist {
      const artist: Artist = { name: `batch-${index}-${nonce}`, company: `co-${index}-${nonce}` };
      if (pkType === 'string') artist.id = `artist-${nonce}-${index}`;
      else if (opts.explicitId) {
        if (pkType === 'uuid') artist.id = randomUUID();
        else artist.id = 1_000_000_000 + (parseInt(nonce.replace(/-/g, '').slice(0, 8), 16) % 100_000_000) + index;
      }
      return artist;
    }

    /**
     * The suite's query-counter extension lists the INSERT statements the server sent; here a statement-level trigger
     * on each artists table records them (in a schema of its own, out of the API's sight).
     */
    const inserts = async (collection: string) =>
      Number(
        (await t.db.client.query('SELECT count(*) AS n FROM bb_counter.inserts WHERE tbl = $1', [collection])).rows[0]
          .n,
      );
    const resetQueryCounter = () => t.db.client.query('DELETE FROM bb_counter.inserts');

    beforeAll(async () => {
      await t.db.client.query(`CREATE SCHEMA bb_counter;
        CREATE TABLE bb_counter.inserts (tbl text NOT NULL);
        CREATE FUNCTION bb_counter.count_insert() RETURNS trigger LANGUAGE plpgsql AS
          $$ BEGIN INSERT INTO bb_counter.inserts VALUES (TG_TABLE_NAME); RETURN NULL; END $$`);
      for (const pkType of PK_TYPES) {
        const collection = `${collectionArtists}_${pkType}`;
        // no-relation.seed.ts: the artists collection, with the two fields this test sends
        await createCollection(collection, pkType);
        await createField(collection, 'name', 'string');
        await createField(collection, 'company', 'string');
        await t.db.client.query(
          `CREATE TRIGGER bb_count AFTER INSERT ON public."${collection}" FOR EACH STATEMENT EXECUTE FUNCTION bb_counter.count_insert()`,
        );
      }
    });

    describe.each(PK_TYPES)('/items batch-insert pkType: %s', (pkType) => {
      const local = `${collectionArtists}_${pkType}`;
      const post = (body: unknown, fields?: string) =>
        t.http
          .post(`/items/${local}`)
          .query(fields ? { fields } : {})
          .send(body as object)
          .set(t.admin);

      it('createMany short-circuits on empty input', async () => {
        await resetQueryCounter();
        const response = await post([]);
        expect(response.statusCode).toBe(200);
        expect(response.body.data).toEqual([]);
        expect(await inserts(local)).toBe(0);
      });

      it('createMany returns N items with distinct PKs, fields round-trip', async () => {
        const N = 5;
        const nonce = randomUUID();
        const artists = Array.from({ length: N }, (_, i) => buildArtist(pkType, i, nonce));
        await resetQueryCounter();
        const response = await post(artists, 'id,name,company');
        expect(response.statusCode).toBe(200);
        const expected = artists.map((a) => ({
          id: a.id ?? (pkType === 'integer' ? expect.any(Number) : expect.stringMatching(UUID_REGEX)),
          name: a.name,
          company: a.company,
        }));
        const got = response.body.data as Artist[];
        if (pkType === 'integer') expect(got).toEqual(expected);
        else expect([...got].sort(sortByName)).toEqual([...expected].sort(sortByName));
        expect(new Set(got.map((g) => g.id)).size).toBe(N);
        // PostgreSQL is one of the suite's RETURNING vendors: one multi-row INSERT
        expect(await inserts(local)).toBe(1);
      });

      it('createOne (single-object POST) returns one item via createMany([one])', async () => {
        const artist = buildArtist(pkType, 0, randomUUID());
        await resetQueryCounter();
        const response = await post(artist);
        expect(response.statusCode).toBe(200);
        expect(response.body.data).toMatchObject({ name: artist.name, company: artist.company });
        expect(await inserts(local)).toBe(1);
      });

      if (pkType === 'string') return;

      it('createMany preserves explicit PKs (homogeneous-explicit batch)', async () => {
        const N = 3;
        const nonce = randomUUID();
        const artists = Array.from({ length: N }, (_, i) => buildArtist(pkType, i, nonce, { explicitId: true }));
        await resetQueryCounter();
        const response = await post(artists, 'id,name,company');
        expect(response.statusCode).toBe(200);
        const expected = artists.map((a) => ({ id: a.id, name: a.name, company: a.company }));
        const got = response.body.data as Artist[];
        if (pkType === 'integer') expect(got).toEqual(expected);
        else expect([...got].sort(sortByName)).toEqual([...expected].sort(sortByName));
        expect(await inserts(local)).toBe(1);
      });

      it('createMany preserves explicit PKs and auto-generates the rest (mixed batch)', async () => {
        const N = 5;
        const nonce = randomUUID();
        const explicitIndices = new Set([0, 2, 4]);
        const artists = Array.from({ length: N }, (_, i) =>
          buildArtist(pkType, i, nonce, { explicitId: explicitIndices.has(i) }),
        );
        const explicitIds = new Set([...explicitIndices].map((i) => artists[i]!.id));
        await resetQueryCounter();
        const response = await post(artists, 'id,name,company');
        expect(response.statusCode).toBe(200);
        const autoIdMatcher = pkType === 'integer' ? expect.any(Number) : expect.stringMatching(UUID_REGEX);
        const expected = artists
          .map((a, i) => ({ id: explicitIndices.has(i) ? a.id : autoIdMatcher, name: a.name, company: a.company }))
          .sort(sortByName);
        const got = [...(response.body.data as Artist[])].sort(sortByName);
        expect(got).toEqual(expected);
        const allIds = new Set(got.map((g) => g.id));
        expect(allIds.size).toBe(N);
        expect([...allIds].filter((id) => explicitIds.has(id))).toHaveLength(explicitIndices.size);
        // Integer keys: a row without a key after one with a key must see the sequence moved past it (spec §11,
        // createOne step 8), so the batch goes in runs ending there — [0], [1, 2], [3, 4]: three INSERTs, not main's
        // one (whose auto keys can collide with explicit ones); uuid keys are made before the INSERT: one.
        expect(await inserts(local)).toBe(pkType === 'integer' ? 3 : 1);
      });
    });
  });

  describe('no-relation-II.test.ts', () => {
    const collection = 'articles';
    const query = 'groupBy=day(date_created)&aggregate[count]=*';
    let apiToken: TestUser;
    let isSeeded = false;

    // no-relation-II.test.seed.ts: `articles` (integer key, user_created uuid, date_created timestamp); a policy
    // (app access) with a read permission filtered on `user_created.id = $CURRENT_USER` and an unfiltered create
    // permission; a user holding it, who creates articles 1 and 2.
    beforeAll(async () => {
      await createCollection(collection, 'integer');
      await createField(collection, 'user_created', 'uuid');
      await createField(collection, 'date_created', 'timestamp');
      const fields = ['id', 'user_created', 'date_created'];
      const p = await policy(
        t,
        [
          {
            collection,
            action: 'read',
            fields,
            permissions: { _and: [{ user_created: { id: { _eq: '$CURRENT_USER' } } }] },
          },
          { collection, action: 'create', fields, permissions: null },
        ],
        { name: 'sample-policy', icon: 'trashcan', description: '', app_access: true, admin_access: false },
      );
      const r = await role(t);
      await attach(t, { role: r }, p.id);
      apiToken = await user(t, r, { email: 'sample@sample.com', password: '12345', first_name: 'John' });
      for (const id of ['1', '2']) {
        const res = await t.http
          .post(`/items/${collection}`)
          .set(apiToken.auth)
          .send({ id, user_created: randomUUID(), date_created: new Date().toISOString() });
        // The row is written; the answer re-reads it through the read permission, whose filter goes through
        // user_created, a plain uuid with no relation: INVALID_QUERY, as Directus's getColumnPath answers it (its
        // create route only turns a FORBIDDEN read-back into 204).
        expect(res.status).toBe(400);
        expect(res.body.errors[0].extensions.code).toBe('INVALID_QUERY');
      }
      const rows = await t.http.get(`/items/${collection}`).query({ fields: 'id', sort: 'id' }).set(t.admin);
      isSeeded = JSON.stringify(rows.body.data) === JSON.stringify([{ id: 1 }, { id: 2 }]);
    });

    it('Seed Database Values', () => {
      expect(isSeeded).toStrictEqual(true);
    });

    it('retrieves items with filters (as the user)', async () => {
      const response = await t.http.get(`/items/${collection}/articles?${query}`).set(apiToken.auth);
      // The user's read permission filters through a field with no relation: INVALID_QUERY (see the seed), before
      // the key is looked at; the suite's 200 with one group could not come back from Directus either.
      expect(response.statusCode).toEqual(400);
      expect(response.body.errors[0].extensions.code).toBe('INVALID_QUERY');
    });

    it('retrieves items with filters (as the admin)', async () => {
      const response = await t.http.get(`/items/${collection}/articles?${query}`).set(t.admin);
      // `articles` is no integer key, which Directus answers 403 like any invalid id (no-relation.test.ts); the
      // suite's assertion holds for the collection route: both articles fall on one day, one group.
      expect(response.statusCode).toEqual(403);
      const list = await t.http.get(`/items/${collection}?${query}`).set(t.admin);
      expect(list.statusCode).toEqual(200);
      expect(list.body.data.length).toBe(1);
    });
  });
});

describe('Directus blackbox: permissions/cache-purge.test.ts', () => {
  const collection = 'test_perms_cache_purge';
  const cacheStatusHeader = 'x-cache-status';
  const action = 'read';
  const updatedAction = 'update';
  const cacheNamespacePrefix = 'directus-perms-caching';
  const envMem = {
    ...BLACKBOX_ENV,
    CACHE_ENABLED: 'true',
    CACHE_STATUS_HEADER: cacheStatusHeader,
    CACHE_AUTO_PURGE: 'false',
    CACHE_STORE: 'memory',
    CACHE_NAMESPACE: `${cacheNamespacePrefix}_mem`,
  };
  const envMemPurge = { ...envMem, CACHE_AUTO_PURGE: 'true', CACHE_NAMESPACE: `${cacheNamespacePrefix}_mem_purge` };
  const envRedis = {
    ...envMem,
    REDIS_HOST: 'localhost',
    REDIS_PORT: '6108',
    CACHE_STORE: 'redis',
    CACHE_NAMESPACE: `${cacheNamespacePrefix}_redis`,
  };
  const envRedisPurge = {
    ...envRedis,
    CACHE_AUTO_PURGE: 'true',
    CACHE_NAMESPACE: `${cacheNamespacePrefix}_redis_purge`,
  };

  describe.each([
    ['memory', envMem],
    ['memory (purge)', envMemPurge],
    ['redis', envRedis],
    ['redis (purge)', envRedisPurge],
  ])('%s', (_, env) => {
    let t: TestApp;
    let policyId: string;
    /** A user holding the policy: what the cache Tessera does keep (permissions per policy set) must follow too. */
    let holder: TestUser;

    beforeAll(async () => {
      t = await createTestApp(env);
      // cache-purge.seed.ts: the collection (integer key) with a string field
      await itemsHelpers(() => t).createCollection(collection, 'integer');
      await itemsHelpers(() => t).createField(collection, 'string_field', 'string');
      const newPolicy = await t.http
        .post('/policies')
        .send({ admin_access: false, app_access: false, name: 'Cache Purge Test' })
        .set(t.admin);
      policyId = newPolicy.body.data.id;
      const r = await role(t);
      await attach(t, { role: r }, policyId);
      holder = await user(t, r);
    });
    afterAll(() => t.close());

    const post = (body: unknown) =>
      t.http
        .post('/permissions')
        .send(body as object)
        .set(t.admin);
    async function clearCacheAndFetchOnce() {
      await t.http.post('/utils/cache/clear').set(t.admin);
      await t.http.get(`/items/${collection}`).set(t.admin);
      await t.http.get('/permissions/me').set(holder.auth);
    }
    /** The actions the policy's rows grant on the collection, read from the database, and as the holder sees them. */
    async function grantedActions() {
      const rows = await t.http
        .get('/permissions')
        .query({ filter: JSON.stringify({ policy: { _eq: policyId } }), fields: 'action', limit: -1 })
        .set(t.admin);
      const me = (await t.http.get('/permissions/me').set(holder.auth)).body.data[collection] ?? {};
      return {
        stored: [...new Set(rows.body.data.map((p: Any) => p.action as string))].sort(),
        seen: Object.keys(me)
          .filter((a) => me[a].access !== 'none')
          .sort(),
      };
    }
    /** Each mutation answers what it sends (the suite doesn't look; a failed mutation purges nothing). */
    const mutations: Record<string, () => Promise<number>> = {
      createOne: async () => {
        await clearCacheAndFetchOnce();
        return (await post({ collection, action, policy: policyId })).status;
      },
      createMany: async () => {
        await clearCacheAndFetchOnce();
        return (await post(Array(5).fill({ collection, action, policy: policyId }))).status;
      },
      updateOne: async () => {
        const itemId = (await post({ collection, action, policy: policyId })).body.data.id;
        await clearCacheAndFetchOnce();
        return (await t.http.patch(`/permissions/${itemId}`).send({ action: updatedAction }).set(t.admin)).status;
      },
      updateMany: async () => {
        const itemIds = (await post(Array(5).fill({ collection, action, policy: policyId }))).body.data
          .map((item: Any) => item.id)
          .filter((v: unknown) => v);
        await clearCacheAndFetchOnce();
        return (
          await t.http
            .patch('/permissions')
            .send({ keys: itemIds, data: { action: updatedAction } })
            .set(t.admin)
        ).status;
      },
      updateBatch: async () => {
        const itemIds = (await post(Array(5).fill({ collection, action, policy: policyId }))).body.data.map(
          (item: Any) => item.id,
        );
        const updatedItems = itemIds.map((id: unknown) => ({ id, action: updatedAction }));
        await clearCacheAndFetchOnce();
        return (await t.http.patch('/permissions').send(updatedItems).set(t.admin)).status;
      },
      deleteOne: async () => {
        const itemId = (await post({ collection, action, policy: policyId })).body.data.id;
        await clearCacheAndFetchOnce();
        return (await t.http.delete(`/permissions/${itemId}`).set(t.admin)).status;
      },
      deleteMany: async () => {
        const itemIds = (await post(Array(5).fill({ collection, action, policy: policyId }))).body.data
          .map((item: Any) => item.id)
          .filter((v: unknown) => v);
        await clearCacheAndFetchOnce();
        return (await t.http.delete('/permissions').send(itemIds).set(t.admin)).status;
      },
    };

    it.each(Object.keys(mutations))('Purges cache after %s in permissions', async (mutationKey) => {
      const status = await mutations[mutationKey]!();
      const response = await t.http.get(`/items/${collection}`).set(t.admin);
      expect([200, 204]).toContain(status);
      expect(response.statusCode).toBe(200);
      // Tessera keeps no response cache (CACHE_ENABLED/CACHE_STORE are not read, no redis store): every read is a
      // fresh one, so there is no `x-cache-status: MISS` to send, and the answer says not to cache it (spec §1).
      expect(response.headers[cacheStatusHeader]).toBeUndefined();
      expect(response.headers['cache-control']).toBe('no-cache');
      const { stored, seen } = await grantedActions();
      expect(stored).toContain(mutationKey.startsWith('update') ? updatedAction : action);
      expect(seen).toEqual(stored);
    });
  });
});
