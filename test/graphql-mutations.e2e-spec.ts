import { createReadsSchema, seedReads } from './items-reads.schema';
import { createTestApp, type TestApp } from './support/app';

/**
 * Issue 13: every GraphQL mutation Directus has, over the write façade, each re-reading its selection set in the same
 * request; resolver errors of writes (HTTP 200, Directus extension fields). Fixtures: items-reads (ids 1–5 taken, the
 * sequences moved past them).
 */

let t: TestApp;

async function gql(query: string, variables?: Record<string, unknown>) {
  const res = await t.http
    .post('/graphql')
    .set(t.admin)
    .send({ query, ...(variables ? { variables } : {}) });
  return { status: res.status, body: res.body as unknown };
}

const ok = (data: Record<string, unknown>) => ({ status: 200, body: { data } });

async function sql(text: string): Promise<unknown[]> {
  return (await t.db.client.query(text)).rows;
}

beforeAll(async () => {
  t = await createTestApp();
  await createReadsSchema(t);
  await seedReads(t);
});
afterAll(() => t.close());

describe('mutations', () => {
  it('create_<c>_item with nested M2O and O2M creates, read back with the selection', async () => {
    expect(
      await gql(`mutation {
        create_articles_item(data: {title: "New", views: 7, author: {name: "Dee"}, comments: [{body: "c1"}, {body: "c2"}]}) {
          id title views status author { id name } comments { id body }
        }
      }`),
    ).toEqual(
      ok({
        create_articles_item: {
          id: '6',
          title: 'New',
          views: 7,
          status: 'draft',
          author: { id: '4', name: 'Dee' },
          comments: [
            { id: '10', body: 'c1' },
            { id: '11', body: 'c2' },
          ],
        },
      }),
    );
  });

  it('create_<c>_items with variables, the re-read takes the read arguments', async () => {
    expect(
      await gql(
        `mutation ($data: [create_articles_input!]) {
          create_articles_items(data: $data, sort: ["-id"]) { id title }
        }`,
        { data: [{ title: 'A' }, { title: 'B' }] },
      ),
    ).toEqual(
      ok({
        create_articles_items: [
          { id: '8', title: 'B' },
          { id: '7', title: 'A' },
        ],
      }),
    );
  });

  it('update_<c>_item, update_<c>_items, update_<c>_batch', async () => {
    expect(await gql('mutation { update_articles_item(id: 7, data: {title: "A2"}) { id title } }')).toEqual(
      ok({ update_articles_item: { id: '7', title: 'A2' } }),
    );
    expect(
      await gql('mutation { update_articles_items(ids: [7, 8], data: {views: 5}, sort: ["id"]) { id title views } }'),
    ).toEqual(
      ok({
        update_articles_items: [
          { id: '7', title: 'A2', views: 5 },
          { id: '8', title: 'B', views: 5 },
        ],
      }),
    );
    expect(
      await gql(`mutation {
        update_articles_batch(data: [{id: 7, title: "A3"}, {id: 8, title: "B3", views: 9}], sort: ["id"]) { id title views }
      }`),
    ).toEqual(
      ok({
        update_articles_batch: [
          { id: '7', title: 'A3', views: 5 },
          { id: '8', title: 'B3', views: 9 },
        ],
      }),
    );
    expect(await sql('SELECT id, title, views FROM articles WHERE id IN (7, 8) ORDER BY id')).toEqual([
      { id: 7, title: 'A3', views: 5 },
      { id: 8, title: 'B3', views: 9 },
    ]);
  });

  it('update_<singleton> updates the row, or creates it when the singleton is empty', async () => {
    expect(await gql('mutation { update_site(data: {theme: "light"}) { site_name theme } }')).toEqual(
      ok({ update_site: { site_name: 'My Site', theme: 'light' } }),
    );
    expect(await gql('mutation { update_settings(data: {per_page: 50}) { site_name per_page } }')).toEqual(
      ok({ update_settings: { site_name: 'Tessera', per_page: 50 } }),
    );
    expect(await sql('SELECT site_name, per_page, theme FROM settings')).toEqual([
      { site_name: 'Tessera', per_page: 50, theme: null },
    ]);
  });

  it('delete_<c>_item and delete_<c>_items answer the keys as ID strings', async () => {
    expect(await gql('mutation { delete_articles_item(id: 8) { id } }')).toEqual(
      ok({ delete_articles_item: { id: '8' } }),
    );
    expect(await gql('mutation { delete_articles_items(ids: [6, 7]) { ids } }')).toEqual(
      ok({ delete_articles_items: { ids: ['6', '7'] } }),
    );
    expect(await sql('SELECT id FROM articles WHERE id >= 6')).toEqual([]);
  });

  it('string and uuid keys', async () => {
    expect(await gql('mutation { create_codes_item(data: {code: "z", label: "zed"}) { code label } }')).toEqual(
      ok({ create_codes_item: { code: 'z', label: 'zed' } }),
    );
    expect(await gql('mutation { update_codes_item(id: "z", data: {label: "zee"}) { code label } }')).toEqual(
      ok({ update_codes_item: { code: 'z', label: 'zee' } }),
    );
    expect(await gql('mutation { delete_codes_items(ids: ["z"]) { ids } }')).toEqual(
      ok({ delete_codes_items: { ids: ['z'] } }),
    );
  });

  it('several root mutations run in order, each as its own write', async () => {
    expect(
      await gql(`mutation {
        first: create_tags_item(data: {name: "t1"}) { id name }
        renamed: update_tags_item(id: 4, data: {name: "t1b"}) { name }
        gone: delete_tags_item(id: 4) { id }
      }`),
    ).toEqual(ok({ first: { id: '4', name: 't1' }, renamed: { name: 't1b' }, gone: { id: '4' } }));
  });
});

describe('resolver errors of writes (HTTP 200)', () => {
  it("RECORD_NOT_UNIQUE carries Directus's collection, field and value", async () => {
    expect(await gql('mutation { create_codes_item(data: {code: "a", label: "again"}) { code } }')).toEqual({
      status: 200,
      body: {
        data: { create_codes_item: null },
        errors: [
          {
            message: 'Value "a" for field "code" in collection "codes" has to be unique.',
            locations: [{ line: 1, column: 12 }],
            path: ['create_codes_item'],
            extensions: { code: 'RECORD_NOT_UNIQUE', collection: 'codes', field: 'code', value: 'a' },
          },
        ],
      },
    });
  });

  it('VALUE_TOO_LONG, and a failed write next to a successful one keeps the other result', async () => {
    expect(
      await gql(
        `mutation ($long: String) {
          bad: create_articles_item(data: {title: $long}) { id }
          good: update_site(data: {theme: "dusk"}) { theme }
        }`,
        { long: 'x'.repeat(300) },
      ),
    ).toEqual({
      status: 200,
      body: {
        data: { bad: null, good: { theme: 'dusk' } },
        errors: [
          {
            message: 'Value in collection "articles" is too long.',
            locations: [{ line: 2, column: 11 }],
            path: ['bad'],
            extensions: { code: 'VALUE_TOO_LONG', collection: 'articles', field: null, value: null },
          },
        ],
      },
    });
  });
});
