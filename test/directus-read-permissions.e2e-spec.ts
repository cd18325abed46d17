import { admin, attach, policy, role, user, type TestUser } from './permissions.helpers';
import { createTestApp, type TestApp } from './support/app';

/**
 * Issue #16, part 2 (spec 15 "Reads and permissions"): `fields` naming a relational field into a collection the role
 * cannot read leaves it out, as Directus's parseFields does, instead of a 403 (`*.*` included: the M2O is absent); the raw
 * foreign key stays readable when asked for as a plain field,
 * and filters or sorts through such a relation stay 403.
 */
describe('fields through a relation into a collection the role cannot read', () => {
  let t: TestApp;
  let docsReader: TestUser;
  let peopleReader: TestUser;
  const get = (url: string, u: TestUser) => t.http.get(url).set(u.auth);

  beforeAll(async () => {
    t = await createTestApp();
    await admin(t, 'post', '/collections', {
      collection: 'rp_people',
      schema: {},
      fields: [{ field: 'name', type: 'string' }],
    });
    await admin(t, 'post', '/collections', {
      collection: 'rp_docs',
      schema: {},
      fields: [
        { field: 'title', type: 'string' },
        { field: 'owner', type: 'integer' },
      ],
    });
    await admin(t, 'post', '/fields/rp_people', { field: 'docs', type: 'alias', meta: { special: ['o2m'] } });
    await admin(t, 'post', '/relations', {
      collection: 'rp_docs',
      field: 'owner',
      related_collection: 'rp_people',
      meta: { one_field: 'docs' },
    });
    await admin(t, 'post', '/items/rp_people', [{ name: 'Ada' }]);
    await admin(t, 'post', '/items/rp_docs', [{ title: 'T', owner: 1 }]);
    const withRead = async (collection: string) => {
      const r = await role(t);
      await attach(t, { role: r }, (await policy(t, [{ collection, action: 'read' }])).id);
      return user(t, r);
    };
    docsReader = await withRead('rp_docs');
    peopleReader = await withRead('rp_people');
  });
  afterAll(() => t.close());

  it('an M2O: left out of nested selections and `*.*` (raw key too); asked for plainly, the raw key stays', async () => {
    expect((await get('/items/rp_docs?fields=id,owner.name', docsReader).expect(200)).body).toEqual({
      data: [{ id: 1 }],
    });
    expect((await get('/items/rp_docs?fields=id,owner', docsReader).expect(200)).body).toEqual({
      data: [{ id: 1, owner: 1 }],
    });
    // `*.*` and `owner.*` leave the M2O out altogether, raw key included: Directus's convertWildcards turns `*.*` into
    // `owner.*` (relations are found in the whole schema) and parseFields skips a nest into an unreadable collection.
    expect((await get('/items/rp_docs?fields=*.*', docsReader).expect(200)).body).toEqual({
      data: [{ id: 1, title: 'T' }],
    });
    expect((await get('/items/rp_docs?fields=id,owner.*', docsReader).expect(200)).body).toEqual({
      data: [{ id: 1 }],
    });
    expect((await get('/items/rp_docs/1?fields=*.*.*', docsReader).expect(200)).body).toEqual({
      data: { id: 1, title: 'T' },
    });
    // Asked for plainly as well (`*` or `owner`), the raw key stays: Directus keeps the plain field node.
    expect((await get('/items/rp_docs?fields=*,owner.*', docsReader).expect(200)).body).toEqual({
      data: [{ id: 1, title: 'T', owner: 1 }],
    });
    expect((await get('/items/rp_docs?fields=owner.name,owner', docsReader).expect(200)).body).toEqual({
      data: [{ owner: 1 }],
    });
    expect((await get('/items/rp_docs?fields=*', docsReader).expect(200)).body).toEqual({
      data: [{ id: 1, title: 'T', owner: 1 }],
    });
  });

  it('an O2M: left out, as a key list and with nested fields', async () => {
    expect((await get('/items/rp_people?fields=id,docs', peopleReader).expect(200)).body).toEqual({
      data: [{ id: 1 }],
    });
    expect((await get('/items/rp_people?fields=id,docs.title', peopleReader).expect(200)).body).toEqual({
      data: [{ id: 1 }],
    });
    expect((await get('/items/rp_people?fields=*.*', peopleReader).expect(200)).body).toEqual({
      data: [{ id: 1, name: 'Ada' }],
    });
  });

  it('filters and sorts through it stay 403 for that collection; an unknown field stays 403', async () => {
    const reason = `You don't have permission to access collection "rp_people" or it does not exist. Queried in "owner".`;
    const expected = { errors: [{ message: reason, extensions: { code: 'FORBIDDEN', reason } }] };
    expect((await get('/items/rp_docs?filter[owner][name][_eq]=Ada', docsReader).expect(403)).body).toEqual(expected);
    expect((await get('/items/rp_docs?sort=owner.name', docsReader).expect(403)).body).toEqual(expected);
    await get('/items/rp_docs?fields=nope', docsReader).expect(403);
  });
});
