import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from './support/app';
import {
  BLACKBOX_ENV,
  MAX_BATCH,
  PK_TYPES,
  allTypesSchema,
  expectOverBatchLimit,
  expectWithinBatchLimit,
  itemsHelpers,
  lastDigit,
  nested,
  rowMaker,
  keyAndName,
  related,
  topLevelSortCases,
  yearDatetime,
  type Any,
  type PkType,
  type Row,
  type Schema,
  type Seeded,
} from './support/directus-blackbox';

/**
 * The M2O and O2M /items requests of Directus's own blackbox suite (github:directus/directus tests/blackbox), replayed
 * as directus-blackbox-items.e2e-spec.ts describes (same env, same app boot), on the suite's countries, states and
 * cities, per primary key type:
 * - m2o.test.ts: a state's country, M2O under an `alias`, filters and `year()` filters on both levels, sorts (plain,
 *   through the M2O, `year()`, both; limits -1/1/3), MAX_BATCH_MUTATION with nested new countries, meta=*.
 * - o2m.test.ts: a country's states, filters through the O2M, `count(states)` filters at two levels, sorts through
 *   the O2M (`states.name`, `states.year(test_datetime)`), no duplicate rows from joins, `count(states)` fields,
 *   deep `_offset`/`_limit`/`_sort`, MAX_BATCH_MUTATION for nested creates and batch updates, nested explicit keys.
 * - tests/db/query/filter (CheckQueryFilters), as m2o/o2m run it: every type of seed-all-field-types.ts with every
 *   operator its generator has, at the root and through the relations (`country_id.test_float`,
 *   `states.cities.test_date`, …), csv fields included (created without cast-csv, they read as strings).
 */
describe('Directus blackbox: /items', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(BLACKBOX_ENV);
  });
  afterAll(() => t.close());

  const h = itemsHelpers(() => t);
  const { gql, createItem, createRows, checkAllQueryFilters, sortTests } = h;

  /** m2o.test.ts's or o2m.test.ts's collections for the key type: `test_items_<rel>_<name>_<pkType>`. */
  const collectionsOf = (rel: 'm2o' | 'o2m', pkType: PkType) => ({
    countries: `test_items_${rel}_countries_${pkType}`,
    states: `test_items_${rel}_states_${pkType}`,
    cities: `test_items_${rel}_cities_${pkType}`,
  });

  /**
   * The countries, states and cities of m2o.test.ts and o2m.test.ts (`test_items_<rel>_<name>_<pkType>`), each with a
   * name and seed-all-field-types' fields, related by `relate`, with seedDBValues's rows: 2 countries, 4 states (2 a
   * country), 8 cities (2 a state).
   */
  async function seedCountriesStatesCities(
    rel: 'm2o' | 'o2m',
    pkType: PkType,
    relate: (countries: string, states: string, cities: string) => Promise<void>,
  ) {
    const { countries, states, cities } = collectionsOf(rel, pkType);
    await h.createNamedCollections([countries, states, cities], pkType);
    await relate(countries, states, cities);
    for (const c of [countries, states, cities]) await h.seedAllFieldTypesStructure(c);
    /** Rows named `names`, the i-th with `field` pointing at the (i mod n)-th of the n `parents`. */
    const rows = (names: string[], field?: string, parents: unknown[] = []) =>
      names.map((name, i) => (field ? { name, [field]: parents[i % parents.length] } : { name }));
    const countriesIDs = await h.seedRows(countries, pkType, 'country', rows(['United States', 'Malaysia']));
    const statesIDs = await h.seedRows(
      states,
      pkType,
      'state',
      rows(['Washington', 'California', 'Johor', 'Sarawak'], 'country_id', countriesIDs),
    );
    const citiesIDs = await h.seedRows(
      cities,
      pkType,
      'city',
      rows(
        ['Seattle', 'Spokane', 'Los Angeles', 'San Francisco', 'Johor Bahru', 'Muar', 'Kota Kinabalu', 'Sandakan'],
        'state_id',
        statesIDs,
      ),
    );
    return { countries, states, cities, countriesIDs, statesIDs, citiesIDs };
  }

  const createCountry = rowMaker('country');
  const createState = rowMaker('state');
  const createCity = rowMaker('city');

  /** A new country and a new state of it (`country` / `state` on top of createCountry / createState), as created. */
  async function countryWithState(
    pkType: PkType,
    [countries, states]: [string, string],
    country: object,
    state: object,
  ): Promise<{ country: Any; state: Any }> {
    const created = await createItem(countries, { ...createCountry(pkType), ...country });
    return {
      country: created,
      state: await createItem(states, { ...createState(pkType), ...state, country_id: created.id }),
    };
  }

  describe('m2o.test.ts', () => {
    const seeded: Seeded = {};

    beforeAll(async () => {
      for (const pkType of PK_TYPES) {
        const { countries, states, cities, countriesIDs, statesIDs, citiesIDs } = await seedCountriesStatesCities(
          'm2o',
          pkType,
          async (countries, states, cities) => {
            await h.createFieldM2O(states, 'country_id', pkType, countries);
            await h.createFieldM2O(cities, 'state_id', pkType, states);
          },
        );
        seeded[pkType] = {
          [`${countries}.id`]: countriesIDs,
          [`${states}.id`]: statesIDs,
          [`${states}.country_id.id`]: countriesIDs,
          [`${cities}.id`]: citiesIDs,
          [`${cities}.state_id.id`]: statesIDs,
          [`${cities}.state_id.country_id.id`]: countriesIDs,
        };
        for (const c of [countries, states, cities]) await h.seedAllFieldTypesValues(c, pkType);
        await h.seedRelationalFields(states, 'country_id', countries, pkType);
        await h.seedRelationalFields(cities, 'state_id', states, pkType);
      }
    });

    describe.each(PK_TYPES)('pkType: %s', (pkType) => {
      const { countries, states, cities } = collectionsOf('m2o', pkType);
      const withState = (country: object, state: object) =>
        countryWithState(pkType, [countries, states], country, state);

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
        const { country, state } = await withState(
          { name: 'country-m2o-' + randomUUID() },
          { name: 'state-m2o-' + randomUUID() },
        );
        await h.expectSameRow(states, state.id, [
          { country_id: { id: { _eq: country.id } } },
          { country_id: { name: { _eq: country.name } } },
        ]);
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
        const rows: Row[] = [];
        for (const year of years) {
          const created = await withState(
            { name: 'country-m2o-fn-' + randomUUID(), test_datetime: yearDatetime(year) },
            { name: 'state-m2o-fn-' + randomUUID() },
          );
          rows.push(created.state);
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

      const top = topLevelSortCases(
        (rows) => createItem(states, rows),
        () => createState(pkType),
        'state-m2o',
      );
      sortTests(states, {
        'on top level': top.name,
        'on m2o level': {
          seed: async () => {
            for (const v of [4, 2, 3, 5, 1]) {
              await withState({ name: 'country-m2o-sort-' + v }, { name: 'state-m2o-sort-' + randomUUID() });
            }
          },
          sort: 'country_id.name',
          prefix: 'state-m2o-sort-',
          fields: 'country_id.name',
          gqlFields: { country_id: { name: true } },
          restValue: lastDigit((r) => r.country_id.name),
          gqlValue: lastDigit((r) => r.country_id.name),
        },
        'with functions on top level': top.year,
        'with functions on m2o level': {
          seed: async () => {
            for (const v of [4, 2, 3, 5, 1]) {
              await withState(
                { name: 'country-m2o-sort-fn-' + randomUUID(), test_datetime: yearDatetime(parseInt(`202${v}`)) },
                { name: 'state-m2o-sort-fn-' + randomUUID() },
              );
            }
          },
          sort: 'country_id.year(test_datetime)',
          prefix: 'state-m2o-sort-fn-',
          fields: 'country_id.year(test_datetime)',
          gqlFields: { country_id: { test_datetime_func: { year: true } } },
          restValue: lastDigit((r) => r.country_id.test_datetime_year),
          gqlValue: lastDigit((r) => r.country_id.test_datetime_func.year),
        },
      });

      it.each([MAX_BATCH / 2, MAX_BATCH / 2 + 1])(
        'MAX_BATCH_MUTATION: createMany of %i with new countries',
        async (count) => {
          const rows = () =>
            Array.from({ length: count }, () => ({ ...createState(pkType), country_id: createCountry(pkType) }));
          const response = await t.http.post(`/items/${states}`).send(rows()).set(t.admin);
          const mutationKey = `create_${states}_items`;
          const gqlResponse = await gql({ mutation: { [mutationKey]: { __args: { data: rows() }, id: true } } });
          if (count === MAX_BATCH / 2) expectWithinBatchLimit(count, response, gqlResponse, mutationKey);
          else expectOverBatchLimit(response, gqlResponse);
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
          if (count === MAX_BATCH / 2) expectWithinBatchLimit(count, response, gqlResponse, mutationKey);
          else expectOverBatchLimit(response, gqlResponse);
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
        if (count === MAX_BATCH - 1) expectWithinBatchLimit(count, response, gqlResponse, mutationKey);
        else expectOverBatchLimit(response, gqlResponse);
      });

      checkAllQueryFilters(
        [countries, states, cities],
        () => {
          const c: Schema = { ...keyAndName(pkType, ['United States', 'Malaysia']), ...allTypesSchema() };
          const s: Schema = { ...keyAndName(pkType), country_id: related(pkType, c) };
          const ci: Schema = { ...keyAndName(pkType), state_id: related(pkType, s) };
          return { [countries]: c, [states]: s, [cities]: ci };
        },
        seeded,
        pkType,
      );

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

  describe('o2m.test.ts', () => {
    const seeded: Seeded = {};

    beforeAll(async () => {
      for (const pkType of PK_TYPES) {
        const { countries, states, cities, countriesIDs, statesIDs, citiesIDs } = await seedCountriesStatesCities(
          'o2m',
          pkType,
          async (countries, states, cities) => {
            await h.createFieldO2M(countries, 'states', states, 'country_id', pkType);
            await h.createFieldO2M(states, 'cities', cities, 'state_id', pkType);
          },
        );
        seeded[pkType] = {
          [`${countries}.id`]: countriesIDs,
          [`${states}.id`]: statesIDs,
          [`${cities}.id`]: citiesIDs,
        };
        await h.seedAllFieldTypesValues(countries, pkType);
        await h.seedO2MAliasAllFieldTypesValues(states, pkType, 'country_id', countriesIDs);
        await h.seedO2MAliasAllFieldTypesValues(cities, pkType, 'state_id', statesIDs);
      }
    });

    describe.each(PK_TYPES)('pkType: %s', (pkType) => {
      const { countries, states, cities } = collectionsOf('o2m', pkType);
      const withState = (country: object, state: object) =>
        countryWithState(pkType, [countries, states], country, state);

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
        const { country, state } = await withState(
          { name: 'country-o2m-' + randomUUID() },
          { name: 'state-o2m-' + randomUUID() },
        );
        await h.expectSameRow(countries, country.id, [{ id: { _eq: country.id } }, { name: { _eq: country.name } }]);
        await h.expectSameRow(countries, country.id, [
          { states: { id: { _eq: state.id } } },
          { states: { name: { _eq: state.name } } },
        ]);
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

      const top = topLevelSortCases(
        (rows) => createItem(countries, rows),
        () => createCountry(pkType),
        'country-o2m',
        undefined, // o2m.test.ts reads the names back without `fields`
      );
      sortTests(countries, {
        'on top level': top.name,
        'on o2m level': {
          seed: async () => {
            for (const v of [4, 2, 3, 5, 1]) {
              await withState({ name: 'country-o2m-sort-' + randomUUID() }, { name: 'state-o2m-sort-' + v });
            }
          },
          sort: 'states.name',
          prefix: 'country-o2m-sort-',
          fields: 'states.name',
          gqlFields: { states: { name: true } },
          restValue: lastDigit((r) => r.states[0].name),
          gqlValue: lastDigit((r) => r.states[0].name),
        },
        'with functions on top level': top.year,
        'with functions on o2m level': {
          seed: async () => {
            for (const v of [4, 2, 3, 5, 1]) {
              await withState(
                { name: 'country-o2m-sort-fn-' + randomUUID() },
                { name: 'state-o2m-sort-fn-' + randomUUID(), test_datetime: yearDatetime(parseInt(`202${v}`)) },
              );
            }
          },
          sort: 'states.year(test_datetime)',
          prefix: 'country-o2m-sort-fn-',
          fields: 'states.year(test_datetime)',
          gqlFields: { states: { test_datetime_func: { year: true } } },
          restValue: lastDigit((r) => r.states[0].test_datetime_year),
          gqlValue: lastDigit((r) => r.states[0].test_datetime_func.year),
        },
      });

      checkAllQueryFilters(
        [countries, states, cities],
        () => {
          const ci: Schema = { ...keyAndName(pkType), ...allTypesSchema() };
          const s: Schema = { ...keyAndName(pkType), ...allTypesSchema(), cities: related('alias', ci) };
          const c: Schema = { ...keyAndName(pkType, ['United States', 'Malaysia']), states: related('alias', s) };
          return { [countries]: c, [states]: s, [cities]: ci };
        },
        seeded,
        pkType,
      );

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
          if (countNested === MAX_BATCH - 1)
            expectWithinBatchLimit(countNested, response, gqlResponse, mutationKey, (d) => d.states);
          else expectOverBatchLimit(response, gqlResponse);
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
          if (countNested === 9) expectWithinBatchLimit(10, response, gqlResponse, mutationKey);
          else expectOverBatchLimit(response, gqlResponse);
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
          if (countDelete === 2) expectWithinBatchLimit(count, response, gqlResponse, mutationKey);
          else expectOverBatchLimit(response, gqlResponse);
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
});
