import type { Response } from 'supertest';
import { randomUUID } from 'node:crypto';
import { attach, policy, role, user, type TestUser } from '../permissions.helpers';
import type { TestApp } from './app';

/**
 * Shared by the replays of Directus's own blackbox suite (github:directus/directus tests/blackbox): the env the suite
 * runs Directus with, its key fields and test users, its GraphQL client's query rendering, the CheckQueryFilters
 * machinery of tests/db/query/filter, and the collection/field/relation helpers of common/functions.ts (the
 * directus-blackbox-items*.e2e-spec.ts files take them from `itemsHelpers(() => t)`).
 */

/** common/config.ts: the env of the suite's Directus. */
export const BLACKBOX_ENV = {
  MAX_BATCH_MUTATION: '100',
  MAX_RELATIONAL_DEPTH: '5',
  MAX_PAYLOAD_SIZE: '10mb',
  ACCESS_TOKEN_TTL: '25d',
};
export const MAX_BATCH = 100;
export const LIMIT_MESSAGE = `Invalid payload. Exceeded max batch mutation limit of ${MAX_BATCH}.`;
export const PK_TYPES = ['integer', 'uuid', 'string'] as const;
export type PkType = (typeof PK_TYPES)[number];
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies as the suite reads them
export type Any = any;

/** common/functions.ts CreateCollection's primary key field per type (collections/crud.test.ts names it too). */
export function pkField(pkType: PkType, field = 'id') {
  switch (pkType) {
    case 'uuid':
      return {
        field,
        type: 'uuid',
        meta: { hidden: true, readonly: true, interface: 'input', special: ['uuid'] },
        schema: { is_primary_key: true, length: 36, has_auto_increment: false },
      };
    case 'string':
      return {
        field,
        type: 'string',
        meta: { hidden: false, readonly: false, interface: 'input' },
        schema: { is_primary_key: true, length: 255, has_auto_increment: false },
      };
    case 'integer':
      return {
        field,
        type: 'integer',
        meta: { hidden: true, interface: 'input', readonly: true },
        schema: { is_primary_key: true, has_auto_increment: true },
      };
  }
}

/** common/variables.ts TEST_USERS: an admin, an app-access user, an API-only user and a user without role. */
export const TEST_USERS = ['ADMIN', 'APP_ACCESS', 'API_ONLY', 'NO_ROLE'] as const;
export type UserKey = (typeof TEST_USERS)[number];

/**
 * The suite's test users, each with a static token: a role and policy per access level (the policy's id in
 * `policies`), and a role-less user. `email` names a user's email (a random one by default).
 */
export async function createTestUsers(
  t: TestApp,
  email?: (key: UserKey) => string,
): Promise<{ users: Record<UserKey, TestUser>; policies: Partial<Record<UserKey, string>> }> {
  const users = {} as Record<UserKey, TestUser>;
  const policies: Partial<Record<UserKey, string>> = {};
  const over = (key: UserKey) => (email ? { email: email(key) } : {});
  for (const [key, access] of [
    ['ADMIN', { admin_access: true, app_access: true }],
    ['APP_ACCESS', { admin_access: false, app_access: true }],
    ['API_ONLY', { admin_access: false, app_access: false }],
  ] as const) {
    const r = await role(t);
    const p = await policy(t, [], access);
    await attach(t, { role: r }, p.id);
    policies[key] = p.id;
    users[key] = await user(t, r, over(key));
  }
  users.NO_ROLE = await user(t, null, over('NO_ROLE'));
  return { users, policies };
}

/** json-to-graphql-query's rendering of an argument value. */
export function gqlValue(v: unknown): string {
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
export const ALL_TYPES: Record<string, unknown[]> = {
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
export interface SchemaField {
  type: string;
  filters: boolean;
  values: unknown[];
  children?: Record<string, SchemaField>;
}
export type Schema = Record<string, SchemaField>;

/** A TestsSchema field the suite doesn't filter on. */
export const schemaField = (type: string): SchemaField => ({ type, filters: false, values: [] });

/** A relational TestsSchema field: the related collection's fields under it. */
export const related = (type: string, children: Schema): SchemaField => ({
  type,
  filters: false,
  values: [],
  children,
});

/** `id` and `name`: filtered on (`name` over `names`) where names are given, as in a file's first collection. */
export function keyAndName(pkType: PkType, names?: string[]): Schema {
  return names
    ? { id: { type: pkType, filters: true, values: [] }, name: { type: 'string', filters: true, values: names } }
    : { id: schemaField(pkType), name: schemaField('string') };
}

/** The schema fields of getTestsAllTypesSchema. */
export function allTypesSchema(): Schema {
  return Object.fromEntries(
    Object.entries(ALL_TYPES).map(([type, values]) => [`test_${type.toLowerCase()}`, { type, filters: true, values }]),
  );
}

/** Rows each suite file's `seeded` holds: per key type, `<collection>.<path>` → the keys its seeding created. */
export type Seeded = Record<string, Record<string, unknown[]>>;

/** createOne/createMany's relational payload: `{create, update: [], delete: []}`. */
export const nested = (create: unknown[]) => ({ create, update: [], delete: [] });

/** A datetime (no zone) in the given year, today's date and time otherwise. */
export const yearDatetime = (year: number) => new Date(new Date().setFullYear(year)).toISOString().slice(0, 19);

export type Row = { id?: string | number; name: string; [k: string]: unknown };

/** The suite's createX(pkType): `<prefix>-<uuid>` as the name, and as the key for string keys. */
export const rowMaker =
  (prefix: string, extra: () => object = () => ({})) =>
  (pkType: PkType): Row => ({
    name: `${prefix}-` + randomUUID(),
    ...extra(),
    ...(pkType === 'string' ? { id: `${prefix}-` + randomUUID() } : {}),
  });

/** The last digit of a name or a year, as the sort tests read their rows' order. */
export const lastDigit =
  (of: (r: Any) => unknown) =>
  (r: Any): number =>
    parseInt(String(of(r)).slice(-1));

/** MAX_BATCH_MUTATION within the limit: REST and GraphQL answer 200 with `count` items (`items` picks them). */
export function expectWithinBatchLimit(
  count: number,
  response: Response,
  gqlResponse?: Response,
  mutationKey?: string,
  items: (data: Any) => Any[] = (data) => data,
): void {
  expect(response.statusCode).toBe(200);
  expect(items(response.body.data).length).toBe(count);
  if (gqlResponse) {
    expect(gqlResponse.statusCode).toBe(200);
    expect(items(gqlResponse.body.data[mutationKey!]).length).toEqual(count);
  }
}

/** MAX_BATCH_MUTATION over the limit: REST answers 400 and GraphQL 200, each with the limit message as its error. */
export function expectOverBatchLimit(rest: Response | Response[], gql: Response | Response[] = []): void {
  for (const r of ([] as Response[]).concat(rest)) {
    expect(r.statusCode).toBe(400);
    expect(r.body.errors[0].message).toBe(LIMIT_MESSAGE);
  }
  for (const r of ([] as Response[]).concat(gql)) {
    expect(r.statusCode).toBe(200);
    expect(r.body.errors[0].message).toBe(LIMIT_MESSAGE);
  }
}

/** One `describe` of the suite's sort tests: its rows, the sort and how to read the order back. */
export interface SortCase {
  /** The describe's beforeAll: its rows exist only from its own tests on (prefixes overlap). */
  seed: () => Promise<void>;
  sort: string;
  /** The seeded rows' name prefix (the filter `_starts_with`). */
  prefix: string;
  /** REST `fields` of the limited reads (none when absent). */
  fields?: string;
  /** The unlimited REST reads send `fields` too. */
  fieldsWithoutLimit?: boolean;
  gqlFields: Record<string, Any>;
  restValue: (r: Any) => number;
  gqlValue: (r: Any) => number;
}

/**
 * The sort cases on the collection's own fields, `name` (`<prefix>-top-sort-<n>`) and `year(test_datetime)`
 * (`<prefix>-top-sort-fn-…`), seeded by `create`. The `name` case's prefix is one of the other's: it runs first.
 */
export function topLevelSortCases(
  create: (rows: Row[]) => Promise<unknown>,
  make: () => Row,
  prefix: string,
  /** REST `fields` of the limited `name` reads (o2m.test.ts sends none). */
  nameFields: string | undefined = 'name',
): { name: SortCase; year: SortCase } {
  return {
    name: {
      seed: async () => {
        await create([4, 2, 3, 5, 1].map((v) => ({ ...make(), name: `${prefix}-top-sort-` + v })));
      },
      sort: 'name',
      prefix: `${prefix}-top-sort-`,
      fields: nameFields,
      gqlFields: { name: true },
      restValue: lastDigit((r) => r.name),
      gqlValue: lastDigit((r) => r.name),
    },
    year: {
      seed: async () => {
        await create(
          [4, 2, 3, 5, 1].map((v) => ({
            ...make(),
            name: `${prefix}-top-sort-fn-` + randomUUID(),
            test_datetime: yearDatetime(parseInt(`202${v}`)),
          })),
        );
      },
      sort: 'year(test_datetime)',
      prefix: `${prefix}-top-sort-fn-`,
      fields: 'year(test_datetime)',
      gqlFields: { test_datetime_func: { year: true } },
      restValue: lastDigit((r) => r.test_datetime_year),
      gqlValue: lastDigit((r) => r.test_datetime_func.year),
    },
  };
}

/**
 * The helpers of the /items replays, over the app `app()` returns once booted: GraphQL requests, creates, the
 * schema helpers of common/functions.ts, the seeders of seed-all-field-types.ts, CheckQueryFilters and the sort tests.
 * Setup helpers throw (with the answer) unless the request succeeded.
 */
export function itemsHelpers(app: () => TestApp) {
  const gql = (doc: Record<string, Any>) => {
    const t = app();
    return t.http
      .post('/graphql')
      .set(t.admin)
      .send({ query: toGql(doc) });
  };
  const createItem = async (collection: string, item: Any): Promise<Any> => {
    const t = app();
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
  /** Sends as the admin; throws unless 200. */
  const send = async (method: 'post' | 'get', path: string, body: unknown, what: string): Promise<Any> => {
    const t = app();
    const req = t.http[method](path).set(t.admin);
    const res = method === 'get' ? await req : await req.send(body as object);
    if (res.status !== 200) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  async function createCollection(collection: string, pkType: PkType, meta: object = {}) {
    await send(
      'post',
      '/collections',
      { collection, meta, schema: {}, fields: [pkField(pkType)] },
      `collection ${collection}`,
    );
  }

  async function createField(collection: string, field: string, type: string, meta: object = {}) {
    await send('post', `/fields/${collection}`, { field, type, meta, schema: {} }, `field ${collection}.${field}`);
  }

  /** The suite's collections of a relation test: each with its key and a `name`. */
  async function createNamedCollections(collections: string[], pkType: PkType) {
    for (const c of collections) {
      await createCollection(c, pkType);
      await createField(c, 'name', 'string');
    }
  }

  /** seedDBValues: creates the rows (keyed `<prefix>-seed-<i>` for string keys) and answers their keys. */
  async function seedRows(collection: string, pkType: PkType, prefix: string, rows: object[]): Promise<unknown[]> {
    const created = await createItem(
      collection,
      rows.map((r, i) => (pkType === 'string' ? { id: `${prefix}-seed-${i}`, ...r } : r)),
    );
    return created.map((r: Any) => r.id);
  }

  /** CreateFieldM2O: the key field (special m2o) and the relation, on_delete SET NULL. */
  async function createFieldM2O(collection: string, field: string, pkType: PkType, other: string) {
    await send(
      'post',
      `/fields/${collection}`,
      { field, type: pkType, meta: { special: ['m2o'] }, schema: {} },
      'm2o field',
    );
    await send(
      'post',
      '/relations',
      { collection, field, related_collection: other, meta: {}, schema: { on_delete: 'SET NULL' } },
      'm2o relation',
    );
  }

  /** CreateFieldO2M: the alias (special o2m), the foreign key on the other side (plain), the relation with one_field. */
  async function createFieldO2M(collection: string, field: string, other: string, otherField: string, pkType: PkType) {
    await send(
      'post',
      `/fields/${collection}`,
      { field, type: 'alias', meta: { special: ['o2m'] }, schema: null },
      'o2m field',
    );
    await createField(other, otherField, pkType);
    await send(
      'post',
      '/relations',
      {
        collection: other,
        field: otherField,
        related_collection: collection,
        meta: { one_field: field },
        schema: { on_delete: 'SET NULL' },
      },
      'o2m relation',
    );
  }

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
      await send(
        'post',
        `/fields/${c}`,
        { field: f, type: 'alias', meta: { special: ['m2m'] }, schema: {} },
        'm2m field',
      );
    }
    await createCollection(junction, 'integer');
    const [a, b] = [`${collection}_id`, `${other}_id`];
    await createField(junction, a, pkType);
    await createField(junction, b, pkType);
    for (const [f, related, oneField, junctionField] of [
      [a, collection, field, b],
      [b, other, otherField, a],
    ]) {
      await send(
        'post',
        '/relations',
        {
          collection: junction,
          field: f,
          related_collection: related,
          meta: { one_field: oneField, junction_field: junctionField },
          schema: { on_delete: 'SET NULL' },
        },
        'm2m relation',
      );
    }
  }

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
    await send(
      'post',
      `/fields/${collection}`,
      { field, type: 'alias', meta: { special: ['m2a'] }, schema: {} },
      'm2a field',
    );
    await createCollection(junction, 'integer');
    const keyField = `${junction}_id`;
    for (const [name, type] of [
      [keyField, pkType],
      ['item', 'string'],
      ['collection', 'string'],
    ]) {
      await createField(junction, name!, type!, { hidden: true });
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
      await send('post', '/relations', body, 'm2a relation');
    }
  }

  /** seed-all-field-types.ts seedAllFieldTypesStructure: one field per type (uuid with special uuid). */
  async function seedAllFieldTypesStructure(collection: string) {
    for (const type of Object.keys(ALL_TYPES)) {
      await createField(collection, `test_${type.toLowerCase()}`, type, type === 'uuid' ? { special: ['uuid'] } : {});
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

  /** seed-relational-fields.ts: one row per row of the related collection, pointing at it. */
  async function seedRelationalFields(collection: string, field: string, related: string, pkType: PkType) {
    const t = app();
    const res = await t.http.get(`/items/${related}`).query({ fields: 'id', limit: -1 }).set(t.admin);
    const items = res.body.data.map((r: Any) =>
      pkType === 'string' ? { id: `relational-id-${stringIdCounter++}`, [field]: r.id } : { [field]: r.id },
    );
    await createRows(collection, items);
  }

  /** The keys of a collection's rows other than those in `skip` (the new rows of seedAllFieldTypesValues). */
  async function otherKeys(collection: string, query: Record<string, unknown>, skip: unknown[]): Promise<unknown[]> {
    const t = app();
    const res = await t.http.get(`/items/${collection}`).query(query).set(t.admin);
    return res.body.data.map((r: Any) => r.id).filter((id: unknown) => !skip.includes(id));
  }

  /**
   * tests/db/query/filter CheckQueryFilters: for every field with `filters` (and those of related collections, as
   * `a.b` paths), every operator's generated filters sent qs-style (`filter[a][b][_op]=…`, fields `*.*…`): 200 and
   * some row satisfying the filter unless the operator may match nothing. One test per field path.
   */
  function checkQueryFilters(path: string, schema: () => Schema, values: () => Record<string, unknown[]>) {
    const walk = (fields: Schema, parent: string[], out: [string[], SchemaField][]) => {
      for (const [name, f] of Object.entries(fields)) {
        if (f.filters) out.push([[...parent, name], f]);
        if (f.children) walk(f.children, [...parent, name], out);
      }
      return out;
    };
    it(`Global Query Filters (GET ${path})`, async () => {
      const t = app();
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

  /**
   * CheckQueryFilters for each collection of `schemaOf()` in turn (GET /items/<collection>), with the seeded keys of
   * `seeded[pkType]` as the possible values of its paths.
   */
  function checkAllQueryFilters(
    collections: string[],
    schemaOf: () => Record<string, Schema>,
    seeded: Seeded,
    pkType: PkType,
  ) {
    for (const collection of collections) {
      checkQueryFilters(
        `/items/${collection}`,
        () => schemaOf()[collection]!,
        () =>
          Object.fromEntries(
            Object.entries(seeded[pkType] ?? {})
              .filter(([k]) => k.startsWith(`${collection}.`))
              .map(([k, v]) => [k.slice(collection.length + 1), v]),
          ),
      );
    }
  }

  /**
   * The suite's `sorts` describe on `collection`: per case, the rows read back in the sort's order and its reverse
   * (5 of them), then with limits -1, 1 and 3, REST and GraphQL. The cases run in their order, each seeding its rows
   * first; as their prefixes overlap, keep the suite's order (a plain case before its `with functions` one).
   */
  function sortTests(collection: string, cases: Record<string, SortCase>) {
    describe('sorts', () => {
      describe.each(Object.entries(cases))('%s', (_, c) => {
        const { sort, fields, gqlFields, restValue, gqlValue } = c;
        const filter = { name: { _starts_with: c.prefix } };
        beforeAll(() => c.seed());

        it('without limit', async () => {
          const t = app();
          const q = (s: string) => ({ sort: s, filter, ...(c.fieldsWithoutLimit ? { fields } : {}) });
          const response = await t.http.get(`/items/${collection}`).query(q(sort)).set(t.admin);
          const response2 = await t.http
            .get(`/items/${collection}`)
            .query(q(`-${sort}`))
            .set(t.admin);
          const gqlResponse = await gql({ query: { [collection]: { __args: { sort, filter }, id: true } } });
          const gqlResponse2 = await gql({
            query: { [collection]: { __args: { sort: `-${sort}`, filter }, id: true } },
          });
          expect(response.statusCode).toEqual(200);
          expect(response2.statusCode).toEqual(200);
          expect(response.body.data.length).toBe(5);
          expect(response.body.data).toEqual(response2.body.data.reverse());
          expect(gqlResponse.statusCode).toEqual(200);
          expect(gqlResponse.body.data[collection].length).toBe(5);
          expect(gqlResponse.body.data[collection]).toEqual(gqlResponse2.body.data[collection].reverse());
        });

        it.each([-1, 1, 3])('where limit = %s', async (limit) => {
          const t = app();
          const n = limit === -1 ? 5 : limit;
          const q = (s: string) => ({ sort: s, filter, limit, ...(fields ? { fields } : {}) });
          const response = await t.http.get(`/items/${collection}`).query(q(sort)).set(t.admin);
          const response2 = await t.http
            .get(`/items/${collection}`)
            .query(q(`-${sort}`))
            .set(t.admin);
          const gqlResponse = await gql({
            query: { [collection]: { __args: { sort, filter, limit }, id: true, ...gqlFields } },
          });
          const gqlResponse2 = await gql({
            query: { [collection]: { __args: { sort: `-${sort}`, filter, limit }, id: true, ...gqlFields } },
          });
          expect(response.statusCode).toEqual(200);
          expect(response2.statusCode).toEqual(200);
          expect(response.body.data.map(restValue)).toEqual([1, 2, 3, 4, 5].slice(0, n));
          expect(response2.body.data.map(restValue)).toEqual([5, 4, 3, 2, 1].slice(0, n));
          expect(gqlResponse.statusCode).toEqual(200);
          expect(gqlResponse.body.data[collection].map(gqlValue)).toEqual([1, 2, 3, 4, 5].slice(0, n));
          expect(gqlResponse2.body.data[collection].map(gqlValue)).toEqual([5, 4, 3, 2, 1].slice(0, n));
        });
      });
    });
  }

  /**
   * The suite's "filters on top level and on <relation> level" check: the filters `f1` and `f2` (GraphQL: `g1`, `g2`)
   * each find the one row `id`, and the same rows.
   */
  async function expectSameRow(
    collection: string,
    id: unknown,
    [f1, f2]: [object, object],
    [g1, g2]: [object, object] = [f1, f2],
  ) {
    const t = app();
    const response = await t.http
      .get(`/items/${collection}`)
      .query({ filter: JSON.stringify(f1) })
      .set(t.admin);
    const response2 = await t.http
      .get(`/items/${collection}`)
      .query({ filter: JSON.stringify(f2) })
      .set(t.admin);
    const gqlResponse = await gql({ query: { [collection]: { __args: { filter: g1 }, id: true } } });
    const gqlResponse2 = await gql({ query: { [collection]: { __args: { filter: g2 }, id: true } } });
    expect(response.statusCode).toEqual(200);
    expect(response.body.data.length).toBe(1);
    expect(response.body.data[0]).toMatchObject({ id });
    expect(response.body.data).toEqual(response2.body.data);
    expect(gqlResponse.body.data[collection]).toEqual([{ id: String(id) }]);
    expect(gqlResponse.body.data).toEqual(gqlResponse2.body.data);
  }

  /** REST (`filter`) and GraphQL (`gqlFilter`) each find exactly the row `id`. */
  async function expectOneRow(collection: string, id: unknown, filter: object, gqlFilter: object = filter) {
    const t = app();
    const response = await t.http
      .get(`/items/${collection}`)
      .query({ filter: JSON.stringify(filter) })
      .set(t.admin);
    const gqlResponse = await gql({ query: { [collection]: { __args: { filter: gqlFilter }, id: true } } });
    expect(response.statusCode).toEqual(200);
    expect(response.body.data.length).toBe(1);
    expect(response.body.data[0]).toMatchObject({ id });
    expect(gqlResponse.body.data[collection]).toEqual([{ id: String(id) }]);
  }

  /** REST and GraphQL each answer 200 with `count` rows for the filter. */
  async function expectFilterCount(collection: string, filter: object, count: number) {
    const t = app();
    const response = await t.http
      .get(`/items/${collection}`)
      .query({ filter: JSON.stringify(filter) })
      .set(t.admin);
    const gqlResponse = await gql({ query: { [collection]: { __args: { filter }, id: true } } });
    expect(response.statusCode).toBe(200);
    expect(response.body.data.length).toBe(count);
    expect(gqlResponse.statusCode).toBe(200);
    expect(gqlResponse.body.data[collection].length).toEqual(count);
  }

  return {
    gql,
    createItem,
    createRows,
    createCollection,
    createField,
    createNamedCollections,
    seedRows,
    createFieldM2O,
    createFieldO2M,
    createFieldM2M,
    createFieldM2A,
    seedAllFieldTypesStructure,
    seedAllFieldTypesValues,
    seedO2MAliasAllFieldTypesValues,
    seedRelationalFields,
    otherKeys,
    checkQueryFilters,
    checkAllQueryFilters,
    sortTests,
    expectSameRow,
    expectOneRow,
    expectFilterCount,
  };
}
