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
  schemaField,
  topLevelSortCases,
  yearDatetime,
  type Any,
  type PkType,
  type Schema,
  type Seeded,
} from './support/directus-blackbox';

/**
 * The M2M and M2A /items requests of Directus's own blackbox suite (github:directus/directus tests/blackbox), replayed
 * as directus-blackbox-items.e2e-spec.ts describes (same env, same app boot), per primary key type:
 * - m2m.test.ts: an ingredient's foods, the `$FOLLOW(junction, field)` filter, filters and `count(foods)` /
 *   `year()` filters through the junction, sorts through it, the MAX_RELATIONAL_DEPTH=5 tests (fields, deep, filter,
 *   sort, deep sort: allowed at 5, "Invalid query. Max relational depth exceeded." past it, REST and GraphQL),
 *   MAX_BATCH_MUTATION for nested creates and batch updates (their read names a field that doesn't exist in a dotted
 *   path, which Directus skips).
 * - m2a.test.ts: a shape's children (GraphQL inline fragments), `item:<collection>` field selections, filters
 *   through `item:<collection>` (GraphQL `item__<collection>`), `count(children)`, sorts through the junction into
 *   one collection (`children.item:circles.name`), MAX_BATCH_MUTATION, meta=*, nested explicit keys.
 * - tests/db/query/filter (CheckQueryFilters), as m2m/m2a run it: every type of seed-all-field-types.ts with every
 *   operator its generator has, at the root and through the junctions.
 */
describe('Directus blackbox: /items', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(BLACKBOX_ENV);
  });
  afterAll(() => t.close());

  const h = itemsHelpers(() => t);
  const { gql, createItem, createField, checkAllQueryFilters, sortTests } = h;

  describe('m2m.test.ts', () => {
    const collectionFoods = 'test_items_m2m_foods';
    const collectionIngredients = 'test_items_m2m_ingredients';
    const collectionSuppliers = 'test_items_m2m_suppliers';
    const seeded: Seeded = {};
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
        await h.createNamedCollections([foods, ingredients, suppliers], pkType);
        await h.createFieldM2M(foods, 'ingredients', ingredients, 'foods', foodsIngredients, pkType);
        await h.createFieldM2M(ingredients, 'suppliers', suppliers, 'ingredients', ingredientsSuppliers, pkType);
        for (const c of [foods, ingredients, suppliers]) await h.seedAllFieldTypesStructure(c);

        const named = (names: string[]) => names.map((name) => ({ name }));
        const foodsIDs = await h.seedRows(foods, pkType, 'food', named(['Chicken Rice', 'Fish & Chips']));
        const ingredientsIDs = await h.seedRows(
          ingredients,
          pkType,
          'ingredient',
          named(['Chicken', 'Rice', 'Fish', 'Potato']),
        );
        const suppliersIDs = await h.seedRows(
          suppliers,
          pkType,
          'supplier',
          named(['A Impex', 'B Impex', 'C Impex', 'D Impex', 'E Impex', 'F Impex', 'G Impex', 'H Impex']),
        );
        seeded[pkType] = {
          [`${foods}.id`]: foodsIDs,
          [`${ingredients}.id`]: ingredientsIDs,
          [`${suppliers}.id`]: suppliersIDs,
        };
        await createItem(
          foodsIngredients,
          ingredientsIDs.map((id, i) => ({
            [`${foods}_id`]: foodsIDs[Math.floor(i / 2) % 2],
            [`${ingredients}_id`]: id,
          })),
        );
        await createItem(
          ingredientsSuppliers,
          suppliersIDs.map((id, i) => ({
            [`${ingredients}_id`]: ingredientsIDs[Math.floor(i / 2) % 4],
            [`${suppliers}_id`]: id,
          })),
        );
        for (const c of [foods, ingredients, suppliers]) await h.seedAllFieldTypesValues(c, pkType);
        // seedM2MAliasAllFieldTypesValues: the new rows of both sides linked pairwise
        const link = async (c: string, o: string, junction: string, known: unknown[], otherKnown: unknown[]) => {
          const all = { fields: '*', limit: -1 };
          const [mine, theirs] = [await h.otherKeys(c, all, known), await h.otherKeys(o, all, otherKnown)];
          expect(mine.length).toBe(theirs.length);
          await createItem(
            junction,
            mine.map((id, i) => ({ [`${c}_id`]: id, [`${o}_id`]: theirs[i] })),
          );
        };
        await link(foods, ingredients, foodsIngredients, foodsIDs, ingredientsIDs);
        await link(ingredients, suppliers, ingredientsSuppliers, ingredientsIDs, suppliersIDs);
      }
    });

    const createFood = (pkType: PkType) => ({ ...rowMaker('food')(pkType), ingredients: [] as unknown[] });
    const createIngredient = rowMaker('ingredient');

    describe.each(PK_TYPES)('pkType: %s', (pkType) => {
      const foods = `${collectionFoods}_${pkType}`;
      const ingredients = `${collectionIngredients}_${pkType}`;
      const suppliers = `${collectionSuppliers}_${pkType}`;
      const foodsId = `${foods}_id`;
      const ingredientsId = `${ingredients}_id`;
      /** A new ingredient named `<prefix><uuid>` with new foods (each `over` on top of createFood). */
      const ingredientWithFoods = (prefix: string, ...over: object[]) =>
        createItem(ingredients, {
          ...createIngredient(pkType),
          name: prefix + randomUUID(),
          foods: nested(over.map((food) => ({ [foodsId]: { ...createFood(pkType), ...food } }))),
        });

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
        const inserted = await ingredientWithFoods('ingredient-m2m-', food);
        const read = await t.http
          .get(`/items/${ingredients}`)
          .query({ fields: ['*.*.*'], filter: { id: { _eq: inserted.id } } })
          .set(t.admin);
        const foodId = read.body.data[0].foods[0][foodsId].id;
        await h.expectSameRow(ingredients, inserted.id, [
          { id: { _eq: inserted.id } },
          { name: { _eq: inserted.name } },
        ]);
        await h.expectSameRow(ingredients, inserted.id, [
          { foods: { [foodsId]: { id: { _eq: foodId } } } },
          { foods: { [foodsId]: { name: { _eq: food.name } } } },
        ]);
      });

      it('GET /:collection filters with functions on top level: count(foods)', async () => {
        const one = await ingredientWithFoods('ingredient-m2m-top-fn-', {});
        const two = await ingredientWithFoods('ingredient-m2m-top-fn-', {}, {});
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
            await ingredientWithFoods('ingredient-m2m-fn-', {
              name: 'food-m2m-fn-' + randomUUID(),
              test_datetime: yearDatetime(year),
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
          await h.expectOneRow(ingredients, inserted[i].id, filter, gqlFilter);
        }
      });

      const top = topLevelSortCases(
        (rows) => createItem(ingredients, rows),
        () => createIngredient(pkType),
        'ingredient-m2m',
      );
      const food0 = (r: Any) => r.foods[0][foodsId];
      sortTests(ingredients, {
        'on top level': top.name,
        'on m2m level': {
          seed: async () => {
            for (const v of [4, 2, 3, 5, 1]) {
              await ingredientWithFoods('ingredient-m2m-sort-', { name: 'food-m2m-sort-' + v });
            }
          },
          sort: `foods.${foodsId}.name`,
          prefix: 'ingredient-m2m-sort-',
          fields: `foods.${foodsId}.name`,
          gqlFields: { foods: { [foodsId]: { name: true } } },
          restValue: lastDigit((r) => food0(r).name),
          gqlValue: lastDigit((r) => food0(r).name),
        },
        'with functions on top level': top.year,
        'with functions on m2m level': {
          seed: async () => {
            for (const v of [4, 2, 3, 5, 1]) {
              await ingredientWithFoods('ingredient-m2m-sort-fn-', {
                name: 'food-m2m-sort-fn-' + randomUUID(),
                test_datetime: yearDatetime(parseInt(`202${v}`)),
              });
            }
          },
          sort: `foods.${foodsId}.year(test_datetime)`,
          prefix: 'ingredient-m2m-sort-fn-',
          fields: `foods.${foodsId}.year(test_datetime)`,
          gqlFields: { foods: { [foodsId]: { test_datetime_func: { year: true } } } },
          restValue: lastDigit((r) => food0(r).test_datetime_year),
          gqlValue: lastDigit((r) => food0(r).test_datetime_func.year),
        },
      });

      checkAllQueryFilters(
        [foods, ingredients, suppliers],
        () => {
          const su: Schema = { ...keyAndName(pkType), ...allTypesSchema() };
          const ing: Schema = {
            ...keyAndName(pkType),
            ...allTypesSchema(),
            suppliers: related('alias', { [`${suppliers}_id`]: related('alias', su) }),
          };
          const fo: Schema = {
            ...keyAndName(pkType, ['Chicken Rice', 'Fish & Chips']),
            ingredients: related('alias', { [ingredientsId]: related('alias', ing) }),
          };
          return { [foods]: fo, [ingredients]: ing, [suppliers]: su };
        },
        seeded,
        pkType,
      );

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
          if (n === MAX_BATCH / 2 - 1)
            expectWithinBatchLimit(n, response, gqlResponse, mutationKey, (d) => d.ingredients);
          else expectOverBatchLimit(response, gqlResponse);
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
        if (n === 4) expectWithinBatchLimit(10, response, gqlResponse, mutationKey);
        else expectOverBatchLimit(response, gqlResponse);
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
          if (countDelete === 2) expectWithinBatchLimit(count, response, gqlResponse, mutationKey);
          else expectOverBatchLimit(response, gqlResponse);
        },
      );
    });
  });

  describe('m2a.test.ts', () => {
    const collectionShapes = 'test_items_m2a_shapes';
    const collectionCircles = 'test_items_m2a_circles';
    const collectionSquares = 'test_items_m2a_squares';
    const seeded: Seeded = {};

    beforeAll(async () => {
      for (const pkType of PK_TYPES) {
        const [shapes, circles, squares] = [collectionShapes, collectionCircles, collectionSquares].map(
          (c) => `${c}_${pkType}`,
        ) as [string, string, string];
        const junction = `${collectionShapes}_children_${pkType}`;
        await h.createNamedCollections([shapes, circles, squares], pkType);
        await createField(circles, 'radius', 'float');
        await createField(squares, 'width', 'float');
        await h.createFieldM2A(shapes, 'children', junction, [circles, squares], pkType);
        for (const c of [shapes, circles, squares]) await h.seedAllFieldTypesStructure(c);

        const sizes = ['Small', 'Medium', 'Large', 'Extra Large'];
        const shapesIDs = await h.seedRows(
          shapes,
          pkType,
          'shape',
          ['Shape A', 'Shape B', 'Shape C', 'Shape D'].map((name) => ({ name })),
        );
        const circlesIDs = await h.seedRows(
          circles,
          pkType,
          'circle',
          sizes.map((size, i) => ({ name: `${size} Circle`, radius: [1.1, 2.2, 3.3, 4.4][i] })),
        );
        const squaresIDs = await h.seedRows(
          squares,
          pkType,
          'square',
          sizes.map((size, i) => ({ name: `${size} Square`, width: [5.5, 6.6, 7.7, 8.8][i] })),
        );
        seeded[pkType] = { [`${shapes}.id`]: shapesIDs, [`${circles}.id`]: circlesIDs, [`${squares}.id`]: squaresIDs };
        await createItem(
          junction,
          circlesIDs.flatMap((circle, i) => [
            { [`${junction}_id`]: shapesIDs[Math.floor(i / 2) % 2], collection: circles, item: String(circle) },
            { [`${junction}_id`]: shapesIDs[Math.floor(i / 2) % 2], collection: squares, item: String(squaresIDs[i]) },
          ]),
        );
        for (const c of [shapes, circles, squares]) await h.seedAllFieldTypesValues(c, pkType);
        // seedM2AAliasAllFieldTypesValues, once per related collection
        for (const [related, known] of [
          [circles, circlesIDs],
          [squares, squaresIDs],
        ] as const) {
          const ids = { fields: ['id'] };
          const [mine, theirs] = [await h.otherKeys(shapes, ids, shapesIDs), await h.otherKeys(related, ids, known)];
          expect(mine.length).toBe(theirs.length);
          await createItem(
            junction,
            mine.map((id, i) => ({ [`${junction}_id`]: id, item: String(theirs[i]), collection: related })),
          );
        }
      }
    });

    const float = () => Number((Math.random() * 100).toFixed(3));
    const createShape = rowMaker('shape');
    const createCircle = rowMaker('circle', () => ({ radius: float() }));
    const createSquare = rowMaker('square', () => ({ width: float() }));

    describe.each(PK_TYPES)('pkType: %s', (pkType) => {
      const shapes = `${collectionShapes}_${pkType}`;
      const circles = `${collectionCircles}_${pkType}`;
      const squares = `${collectionSquares}_${pkType}`;
      /** A new shape named `<prefix><uuid>` with one new circle (`circle` on top of createCircle). */
      const shapeWithCircle = (prefix: string, circle: object) =>
        createItem(shapes, {
          ...createShape(pkType),
          name: prefix + randomUUID(),
          children: nested([{ collection: circles, item: { ...createCircle(pkType), ...circle } }]),
        });
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
        await h.expectSameRow(shapes, shape.id, [{ id: { _eq: shape.id } }, { name: { _eq: shape.name } }]);
        const named = { name: { _eq: shape.name } };
        await h.expectSameRow(
          shapes,
          shape.id,
          [
            { ...named, children: { [`item:${circles}`]: { name: { _eq: circle.name } } } },
            { ...named, children: { [`item:${squares}`]: { width: { _eq: square.width } } } },
          ],
          [
            { ...named, children: { [`item__${circles}`]: { name: { _eq: circle.name } } } },
            { ...named, children: { [`item__${squares}`]: { width: { _eq: square.width } } } },
          ],
        );
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
          const named = { name: { _starts_with: 'shape-m2a-top-fn-' } };
          await h.expectOneRow(
            shapes,
            row.id,
            { _and: [named, { 'count(children)': { _eq: n } }] },
            { _and: [named, { children_func: { count: { _eq: n } } }] },
          );
        }
      });

      it('GET /:collection filters with functions on m2a level: year(test_datetime) of the circle', async () => {
        const years = [2002, 2007];
        const inserted: Any[] = [];
        for (const year of years) {
          inserted.push(
            await shapeWithCircle('shape-m2a-fn-', {
              name: 'circle-m2a-fn-' + randomUUID(),
              test_datetime: yearDatetime(year),
            }),
          );
        }
        for (const [i, year] of years.entries()) {
          const named = { name: { _starts_with: 'shape-m2a-fn-' } };
          await h.expectOneRow(
            shapes,
            inserted[i].id,
            { _and: [named, { children: { [`item:${circles}`]: { 'year(test_datetime)': { _eq: year } } } }] },
            {
              _and: [named, { children: { [`item__${circles}`]: { test_datetime_func: { year: { _eq: year } } } } }],
            },
          );
        }
      });

      const top = topLevelSortCases(
        (rows) => createItem(shapes, rows),
        () => createShape(pkType),
        'shape-m2a',
      );
      sortTests(shapes, {
        'on top level': top.name,
        'on m2a level': {
          seed: async () => {
            for (const v of [4, 2, 3, 5, 1]) {
              await shapeWithCircle('shape-m2a-sort-', { name: 'circle-m2a-sort-' + v });
            }
          },
          sort: `children.item:${circles}.name`,
          prefix: 'shape-m2a-sort-',
          fields: '*.*.*',
          fieldsWithoutLimit: true,
          gqlFields: { children: { item: { __on: { __typeName: circles, id: true, name: true } } } },
          restValue: lastDigit((r) => r.children[0].item.name),
          gqlValue: lastDigit((r) => r.children[0].item.name),
        },
        'with functions on top level': top.year,
        'with functions on m2a level': {
          seed: async () => {
            for (const v of [4, 2, 3, 5, 1]) {
              await shapeWithCircle('shape-m2a-sort-fn-', {
                name: 'circle-m2a-sort-fn-' + randomUUID(),
                test_datetime: yearDatetime(parseInt(`202${v}`)),
              });
            }
          },
          sort: `children.item:${circles}.year(test_datetime)`,
          prefix: 'shape-m2a-sort-fn-',
          fields: `children.item:${circles}.year(test_datetime)`,
          gqlFields: {
            children: { item: { __on: { __typeName: circles, id: true, test_datetime_func: { year: true } } } },
          },
          restValue: lastDigit((r) => r.children[0].item.test_datetime_year),
          gqlValue: lastDigit((r) => r.children[0].item.test_datetime_func.year),
        },
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
        if (n === MAX_BATCH / 2 - 1) expectWithinBatchLimit(n, response, undefined, undefined, (d) => d.children);
        else expectOverBatchLimit(response);
      });

      it.each([4, 5])('MAX_BATCH_MUTATION: createMany of 10 shapes with %i children each', async (n) => {
        const response = await t.http
          .post(`/items/${shapes}`)
          .send(Array.from({ length: MAX_BATCH / 10 }, () => ({ ...createShape(pkType), children: half(n) })))
          .set(t.admin);
        if (n === 4) expectWithinBatchLimit(10, response);
        else expectOverBatchLimit(response);
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
          if (countDelete === 1) expectWithinBatchLimit(count, response);
          else expectOverBatchLimit(response);
        },
      );

      checkAllQueryFilters(
        [shapes, circles, squares],
        () => {
          const target = (extra: string): Schema => ({
            ...keyAndName(pkType),
            [extra]: schemaField('decimal'),
            ...allTypesSchema(),
          });
          const sh: Schema = {
            ...keyAndName(pkType, ['Shape A', 'Shape B', 'Shape C', 'Shape D']),
            children: related('alias', {
              [`item:${circles}`]: related('alias', target('radius')),
              [`item:${squares}`]: related('alias', target('width')),
            }),
          };
          return { [shapes]: sh, [circles]: target('radius'), [squares]: target('width') };
        },
        seeded,
        pkType,
      );

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
});
