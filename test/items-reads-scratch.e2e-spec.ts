import { createReadsSchema, seedReads } from './items-reads.schema';
import { createTestApp, type TestApp } from './support/app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ QUERY_LIMIT_DEFAULT: '4' });
  await createReadsSchema(t);
  await seedReads(t);
});
afterAll(() => t.close());

const urls = [
  '/items/articles',
  '/items/articles?fields=*,author.*,comments.*,tags.*,blocks.*&filter[id][_eq]=1',
  '/items/articles?fields=id,blocks.item:headings.title,blocks.collection&filter[id][_eq]=1',
  '/items/articles?fields=id,year(published_at),count(comments),second(starts),weekday(published_at)',
  '/items/articles?aggregate[count]=*',
  '/items/articles?aggregate[count]=id&aggregate[sum]=views&aggregate[avg]=views&aggregate[min]=views&aggregate[max]=rating',
  '/items/articles?aggregate[count]=id&groupBy[]=status',
  '/items/articles?aggregate[countAll]',
  '/items/articles?meta=*&limit=1',
  '/items/settings',
  '/items/site',
  '/items/settings?fields=site_name',
  '/items/pages',
  '/items/articles/999',
  '/items/articles/abc',
  '/items/nope',
  '/items/directus_users',
  '/items/articles?fields=nope',
  '/items/articles?fields=author.nope',
  '/items/articles?filter[title][_foo]=1',
  '/items/articles?filter=notjson',
  '/items/articles?limit=-2',
  '/items/articles?page=0',
  '/items/authors?fields=*.*.*&backlink=false&limit=1',
  '/items/articles?deep[comments][_limit]=1&fields=id,comments.body&limit=-1',
  '/items/tokens/not-a-uuid',
  '/items/articles?alias[x]=title&fields=x,id',
  '/items/articles?aggregate[foo]=id',
  '/items/articles?deep[comments][_bar]=1',
  '/items/articles?filter[id][_in]=',
  '/items/articles?filter[id][_between]=1',
];

it('dumps', async () => {
  for (const url of urls) {
    const res = await t.http.get(url).set(t.admin);
    console.log(url, res.status, JSON.stringify(res.body));
  }
});
