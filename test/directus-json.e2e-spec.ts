import { admin, attach, policy, role, user, type TestUser } from './permissions.helpers';
import { createTestApp, type TestApp } from './support/app';

/**
 * Issue #16, part 2: Directus 12's `json(field, path)` function in `fields` and `sort`, and the `_json` filter
 * operator, through REST end to end (query string and SEARCH body, root and relational paths, permissions), each
 * answer compared whole. The key of a json() selection is Directus's (applyFunctionToColumnName): the arguments
 * with every run of `.`, `[`, `]`, `,` and whitespace turned into `_`, then `_json`.
 */
describe('json(field, path) and _json through REST', () => {
  let t: TestApp;
  let reader: TestUser;

  const get = (url: string, auth: object = t.admin) => t.http.get(url).set(auth as Record<string, string>);
  const filter = (value: object) => `filter=${encodeURIComponent(JSON.stringify(value))}`;

  beforeAll(async () => {
    t = await createTestApp();
    await admin(t, 'post', '/collections', {
      collection: 'jx_people',
      schema: {},
      fields: [
        { field: 'name', type: 'string' },
        { field: 'profile', type: 'json' },
      ],
    });
    await admin(t, 'post', '/collections', {
      collection: 'jx_docs',
      schema: {},
      fields: [
        { field: 'title', type: 'string' },
        { field: 'data', type: 'json' },
        { field: 'owner', type: 'integer' },
      ],
    });
    await admin(t, 'post', '/relations', { collection: 'jx_docs', field: 'owner', related_collection: 'jx_people' });
    await admin(t, 'post', '/items/jx_people', [
      { name: 'Ada', profile: { city: 'Paris', langs: ['fr', 'en'] } },
      { name: 'Bo', profile: { city: 'Oslo' } },
    ]);
    await admin(t, 'post', '/items/jx_docs', [
      { title: 'a', owner: 1, data: { color: 'red', size: { w: 3, h: 4 }, tags: ['x', 'y'], n: 5, Größe: 'L' } },
      { title: 'b', owner: 2, data: { color: 'blue', size: { w: 1 }, tags: ['z'], n: 12 } },
      { title: 'c', owner: null, data: null },
      { title: 'd', owner: 1, data: [1, 2, { k: 'v' }] },
    ]);
    const r = await role(t);
    const p = await policy(t, [
      { collection: 'jx_docs', action: 'read', fields: ['id', 'title', 'data', 'owner'] },
      { collection: 'jx_people', action: 'read', fields: ['id', 'name'] },
    ]);
    await attach(t, { role: r }, p.id);
    reader = await user(t, r);
  });
  afterAll(() => t.close());

  it('fields: dotted paths, [n] indexes, a leading index, objects and arrays as JSON, null for a missing path', async () => {
    const fields =
      'id,json(data,color),json(data, size.w),json(data,size),json(data,tags[1]),json(data,[2].k),json(data,missing.x)';
    expect((await get(`/items/jx_docs?fields=${encodeURIComponent(fields)}&sort=id`).expect(200)).body).toEqual({
      data: [
        {
          id: 1,
          data_color_json: 'red',
          data_size_w_json: 3,
          data_size_json: { w: 3, h: 4 },
          data_tags_1_json: 'y',
          data_2_k_json: null,
          data_missing_x_json: null,
        },
        {
          id: 2,
          data_color_json: 'blue',
          data_size_w_json: 1,
          data_size_json: { w: 1 },
          data_tags_1_json: null,
          data_2_k_json: null,
          data_missing_x_json: null,
        },
        {
          id: 3,
          data_color_json: null,
          data_size_w_json: null,
          data_size_json: null,
          data_tags_1_json: null,
          data_2_k_json: null,
          data_missing_x_json: null,
        },
        {
          id: 4,
          data_color_json: null,
          data_size_w_json: null,
          data_size_json: null,
          data_tags_1_json: null,
          data_2_k_json: 'v',
          data_missing_x_json: null,
        },
      ],
    });
  });

  it('fields: json() below an M2O, beside plain fields; a non-ASCII key', async () => {
    const fields = 'title,json(data,Größe),owner.name,owner.json(profile,langs[0])';
    expect(
      (await get(`/items/jx_docs?fields=${encodeURIComponent(fields)}&filter[id][_in]=1,2,3`).expect(200)).body,
    ).toEqual({
      data: [
        { title: 'a', data_Größe_json: 'L', owner: { name: 'Ada', profile_langs_0_json: 'fr' } },
        { title: 'b', data_Größe_json: null, owner: { name: 'Bo', profile_langs_0_json: null } },
        { title: 'c', data_Größe_json: null, owner: null },
      ],
    });
  });

  it('_json: one path, several paths AND-ed, numbers compared as numbers, _null on a missing path, with meta', async () => {
    expect(
      (await get(`/items/jx_docs?fields=id&${filter({ data: { _json: { color: { _eq: 'red' } } } })}`).expect(200))
        .body,
    ).toEqual({ data: [{ id: 1 }] });
    expect(
      (
        await get(
          `/items/jx_docs?fields=id&meta=*&${filter({ data: { _json: { n: { _gt: 6 }, 'size.w': { _lt: 2 } } } })}`,
        ).expect(200)
      ).body,
    ).toEqual({ data: [{ id: 2 }], meta: { total_count: 4, filter_count: 1 } });
    expect(
      (
        await get(`/items/jx_docs?fields=id&sort=id&${filter({ data: { _json: { color: { _null: true } } } })}`).expect(
          200,
        )
      ).body,
    ).toEqual({ data: [{ id: 3 }, { id: 4 }] });
    // qs brackets, as a browser sends them.
    expect((await get('/items/jx_docs?fields=id&filter[data][_json][color][_eq]=blue').expect(200)).body).toEqual({
      data: [{ id: 2 }],
    });
    expect((await get('/items/jx_docs?fields=id&filter[data][_json][size.w][_eq]=3').expect(200)).body).toEqual({
      data: [{ id: 1 }],
    });
  });

  it('_json through an M2O, and in a SEARCH body with json() fields', async () => {
    expect(
      (
        await get(
          `/items/jx_docs?fields=id&sort=id&${filter({ owner: { profile: { _json: { city: { _eq: 'Paris' } } } } })}`,
        ).expect(200)
      ).body,
    ).toEqual({ data: [{ id: 1 }, { id: 4 }] });
    const res = await t.http
      .search('/items/jx_docs')
      .set(t.admin)
      .send({
        query: {
          fields: ['id', 'json(data, size.h)'],
          filter: { data: { _json: { 'size.h': { _gte: 4 } } } },
        },
      })
      .expect(200);
    expect(res.body).toEqual({ data: [{ id: 1, data_size_h_json: 4 }] });
  });

  it('sort: by json() as text, ascending and descending (PostgreSQL puts nulls last ascending, first descending)', async () => {
    expect((await get('/items/jx_docs?fields=id,json(data,color)&sort=json(data,color),id').expect(200)).body).toEqual({
      data: [
        { id: 2, data_color_json: 'blue' },
        { id: 1, data_color_json: 'red' },
        { id: 3, data_color_json: null },
        { id: 4, data_color_json: null },
      ],
    });
    expect((await get('/items/jx_docs?fields=id&sort=-json(data,n),id').expect(200)).body).toEqual({
      data: [{ id: 3 }, { id: 4 }, { id: 1 }, { id: 2 }],
    });
  });

  it('a reader: json() and _json on fields it may read; on one it may not, the field 403', async () => {
    expect(
      (
        await get(
          `/items/jx_docs?fields=id,json(data,color),owner.name&${filter({ data: { _json: { color: { _eq: 'blue' } } } })}`,
          reader.auth,
        ).expect(200)
      ).body,
    ).toEqual({ data: [{ id: 2, data_color_json: 'blue', owner: { name: 'Bo' } }] });
    expect((await get('/items/jx_docs?fields=id,owner.json(profile,city)', reader.auth).expect(403)).body).toEqual(
      forbidden(
        `You don't have permission to access field "profile" in collection "jx_people" or it does not exist. Queried in "owner".`,
      ),
    );
    expect(
      (
        await get(
          `/items/jx_docs?fields=id&${filter({ owner: { profile: { _json: { city: { _eq: 'Oslo' } } } } })}`,
          reader.auth,
        ).expect(403)
      ).body,
    ).toEqual(
      forbidden(
        `You don't have permission to access field "profile" in collection "jx_people" or it does not exist. Queried in "owner".`,
      ),
    );
  });

  it('malformed calls: 400 INVALID_QUERY with the reason', async () => {
    const reason = async (url: string) => {
      const res = await get(url).expect(400);
      expect(res.body.errors[0].extensions.code).toBe('INVALID_QUERY');
      return res.body.errors[0].extensions.reason;
    };
    expect(await reason('/items/jx_docs?fields=json(data)')).toBe(
      'Invalid json() syntax: requires json(field, path) format',
    );
    expect(await reason('/items/jx_docs?fields=json(title,a)')).toBe(
      'Function "json" is not supported for field type "string"',
    );
    expect(await reason('/items/jx_docs?fields=json(data,a[*])')).toBe(
      'Invalid JSON path: unsupported path expression',
    );
    expect(await reason(`/items/jx_docs?${filter({ data: { _json: 'x' } })}`)).toBe(
      '"_json" filter value must be an object',
    );
    // PostgreSQL's json has no equality, so a JSON value can't be a group (Directus fails in the database).
    expect(await reason('/items/jx_docs?aggregate[count]=*&groupBy=json(data,color)')).toBe(
      'Can\'t group by "json(data,color)"',
    );
  });
});

function forbidden(reason: string) {
  return { errors: [{ message: reason, extensions: { code: 'FORBIDDEN', reason } }] };
}
