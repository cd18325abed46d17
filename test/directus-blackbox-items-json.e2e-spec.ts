import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from './support/app';
import { BLACKBOX_ENV, PK_TYPES, gqlValue, itemsHelpers, type Any } from './support/directus-blackbox';

/**
 * The json /items requests of Directus's own blackbox suite (github:directus/directus tests/blackbox), replayed as
 * directus-blackbox-items.e2e-spec.ts describes (same env, same app boot), per primary key type:
 * - json-filter.test.ts: the `_json` operator's cases (every operator, dotted/indexed/root-array paths, a trailing dot,
 *   `_and`/`_or` inside and around it, through M2O, O2M, M2M, `_some`/`_none` and two levels) and its 400s, `_json` in
 *   a deep `_filter`, `json()` in a deep `_sort`, on data seeded as the cases describe them; and json-filter-graphql.test.ts:
 *   the same cases and errors through /graphql (inline, or the `_json` value as a `GraphQLJsonFilter` variable), and
 *   `_null`/`_nnull` on the json column itself.
 * - json-function.test.ts: `json(field, path)` in `fields` (paths, parsed objects and arrays, nulls), under aliases
 *   and beside a wildcard, in `sort` (also by its alias), its 400/403s, in the answer of a create.
 * - relational-json.test.ts: `json()` through an M2O (with filter, sort, page), an O2M and an M2A scope, and its
 *   400s for an unknown relation, a non-json end field and an unknown M2A scope.
 */
describe('Directus blackbox: /items', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(BLACKBOX_ENV);
  });
  afterAll(() => t.close());

  const { createItem, createCollection, createField, createFieldM2O, createFieldO2M, createFieldM2M, createFieldM2A } =
    itemsHelpers(() => t);

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
