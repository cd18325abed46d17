import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { Browser, BROWSER_TEST_MS, STEP_TIMEOUT_MS, type Page } from './support/browser';
import { attach, collection, policy, role, user, admin } from './permissions.helpers';
import { createTestApp, type TestApp } from './support/app';
import { ADMIN_EMAIL, ADMIN_TOKEN } from './support/constants';

/**
 * Issue 13: GraphiQL at `GET /graphql` for a browser, every file served by Tessera itself. The page is opened in a
 * real headless Chromium (driven over the DevTools protocol): it signs in with its form (session cookie), types a query
 * into the editor, runs it, and the result pane shows the role's data; then with a pasted access token, the admin's.
 * No request of the page or its workers leaves the server's origin.
 */

let t: TestApp;
let origin: string;
let browser: Browser;
let readerId: string;
const READER = { email: 'reader@example.com', password: 'reader-password' };

beforeAll(async () => {
  t = await createTestApp({ LOGIN_STALL_TIME: '0' });
  await t.app.listen(0, '127.0.0.1');
  origin = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  await collection(t, 'notes', [
    { field: 'title', type: 'string' },
    { field: 'public', type: 'boolean', schema: { default_value: false } },
  ]);
  for (const [title, isPublic] of [
    ['Hello', true],
    ['Secret', false],
    ['World', true],
  ] as const) {
    await admin(t, 'post', '/items/notes', { title, public: isPublic });
  }
  const r = await role(t);
  const p = await policy(t, [
    { collection: 'notes', action: 'read', fields: ['id', 'title'], permissions: { public: { _eq: true } } },
  ]);
  await attach(t, { role: r }, p.id);
  readerId = (await user(t, r, READER)).id;
  browser = await Browser.launch();
}, STEP_TIMEOUT_MS + 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const QUERY = '{ notes(sort: ["id"]) { id title } }';

/** The text of GraphiQL's result pane (a Monaco editor: its rendered lines, in order). */
const RESULT_TEXT = `(() => {
  const lines = [...document.querySelectorAll('.graphiql-response .view-lines .view-line')];
  if (lines.length === 0) return null;
  lines.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
  const text = lines.map((l) => l.textContent.replace(/\\u00a0/g, ' ')).join('\\n').trim();
  try { JSON.parse(text); return text; } catch { return null; }
})()`;

async function runQuery(page: Page, query: string): Promise<unknown> {
  await page.waitFor('document.querySelector(".graphiql-query-editor .monaco-editor")', 'the query editor');
  // Before running: nothing in the result pane (a fresh browser context), so what appears next is this query's result.
  expect(await page.evaluate(RESULT_TEXT)).toBeNull();
  await page.click('.graphiql-query-editor .view-lines');
  await page.selectAll();
  await page.type(query);
  await page.waitFor(
    `(() => { const t = document.querySelector('.graphiql-query-editor .view-lines')?.textContent ?? '';
      return t.replace(/\\u00a0/g, ' ').includes('title'); })()`,
    'the query in the editor',
  );
  await page.click('.graphiql-execute-button');
  const text = await page.waitFor<string>(RESULT_TEXT, 'a JSON result in the result pane');
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`not JSON: ${text}`);
  }
}

/** Waits for the sign-in bar to say `text`; on timeout, says what it showed instead. */
async function barSays(page: Page, text: string): Promise<void> {
  const state = `fetch('/users/me?fields=email', { credentials: 'same-origin' }).then(async (res) => JSON.stringify({
    bar: document.getElementById('tessera-whoami')?.textContent,
    error: document.getElementById('tessera-auth-error')?.textContent, url: location.href, cookie: document.cookie,
    me: [res.status, await res.text()] }))`;
  try {
    await page.waitFor(`document.getElementById('tessera-whoami')?.textContent === ${JSON.stringify(text)}`, text);
  } catch (error) {
    throw new Error(`the bar never said "${text}": ${await page.evaluate<string>(state)} (${String(error)})`);
  }
}

function leftOrigin(page: Page): string[] {
  return page.requests
    .map((r) => r.url)
    .filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:') && !url.startsWith('blob:'));
}

// Each browser test is several steps (load, sign in, reload, type, run): each step may take STEP_TIMEOUT_MS, the test
// BROWSER_TEST_MS, so a slow machine slows it down but a broken page still fails with the step's own message.
describe('GraphiQL in a headless browser', () => {
  it(
    'signs in with the form (session cookie), runs a typed query and shows the whole result; nothing leaves the origin',
    async () => {
      const page = await browser.newPage();
      await page.goto(`${origin}/graphql`);
      await barSays(page, 'Public (not signed in)');
      await page.evaluate(`(() => {
      document.getElementById('tessera-email').value = ${JSON.stringify(READER.email)};
      document.getElementById('tessera-password').value = ${JSON.stringify(READER.password)};
    })()`);
      const reloaded = page.next('Page.loadEventFired');
      await page.click('#tessera-login');
      await reloaded;
      // The reader may not read its own email: the bar shows its id, as /users/me answers it.
      await barSays(page, `Signed in as ${readerId} (session cookie)`);

      expect(await runQuery(page, QUERY)).toEqual({
        data: {
          notes: [
            { id: '1', title: 'Hello' },
            { id: '3', title: 'World' },
          ],
        },
      });

      const urls = page.requests.map((r) => `${r.method} ${r.url.replace(origin, '')}`);
      expect(urls).toEqual(expect.arrayContaining(['GET /graphql', 'POST /auth/login', 'POST /graphql']));
      expect(urls.some((u) => /^GET \/graphql\/ui\/[0-9a-f]{12}\/graphiql\.js$/.test(u))).toBe(true);
      expect(urls.some((u) => /^GET \/graphql\/ui\/[0-9a-f]{12}\/workers\/\w+\.js$/.test(u))).toBe(true);
      expect(leftOrigin(page)).toEqual([]);
      await page.send('Page.close').catch(() => undefined);
    },
    BROWSER_TEST_MS,
  );

  it(
    'with a pasted access token the page runs as that token (the admin sees every row)',
    async () => {
      const page = await browser.newPage();
      await page.goto(`${origin}/graphql`);
      await page.waitFor(`document.getElementById('tessera-whoami')?.textContent.length > 1`, 'the bar');
      await page.evaluate(`document.getElementById('tessera-token').value = ${JSON.stringify(ADMIN_TOKEN)}`);
      const reloaded = page.next('Page.loadEventFired');
      await page.click('#tessera-use-token');
      await reloaded;
      await barSays(page, `Signed in as ${ADMIN_EMAIL} (access token)`);

      expect(await runQuery(page, '{ notes(sort: ["-id"]) { id title } }')).toEqual({
        data: {
          notes: [
            { id: '3', title: 'World' },
            { id: '2', title: 'Secret' },
            { id: '1', title: 'Hello' },
          ],
        },
      });
      const graphqlPosts = page.requests.filter((r) => r.method === 'POST' && r.url === `${origin}/graphql`);
      expect(graphqlPosts.length).toBeGreaterThanOrEqual(2); // introspection, then the query
      expect(leftOrigin(page)).toEqual([]);
      await page.send('Page.close').catch(() => undefined);
    },
    BROWSER_TEST_MS,
  );
});

describe('the page and its files over HTTP', () => {
  let page: string;
  let assets: string;

  beforeAll(async () => {
    const res = await t.http.get('/graphql').set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    page = res.text;
    assets = /\/graphql\/ui\/[0-9a-f]{12}/.exec(page)![0];
  });

  it('the page loads only files of this server (no CDN) and has no inline script', () => {
    const refs = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(refs).toEqual([
      `${assets}/favicon.ico`,
      `${assets}/graphiql.css`,
      `${assets}/tessera-graphiql.js`,
      `${assets}/graphiql.js`,
    ]);
    expect(page).not.toMatch(/https?:\/\//);
    const scripts = [...page.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.filter((s) => s[2]!.trim() !== '' && !s[1]!.includes('application/json'))).toEqual([]);
    expect(JSON.parse(/<script type="application\/json"[^>]*>([^<]*)</.exec(page)![1]!)).toEqual({
      endpoint: '/graphql',
      assets,
      subscriptions: null, // WEBSOCKETS_ENABLED is off here
    });
  });

  it('/graphql/system gets a page on its own endpoint', async () => {
    const res = await t.http.get('/graphql/system').set('Accept', 'text/html');
    expect(res.status).toBe(200);
    expect(JSON.parse(/<script type="application\/json"[^>]*>([^<]*)</.exec(res.text)![1]!)).toEqual({
      endpoint: '/graphql/system',
      assets,
      subscriptions: null,
    });
  });

  it("subscriptions go to WEBSOCKETS_GRAPHQL_PATH when GraphQL WebSockets are on (the items page's only)", async () => {
    const ws = await createTestApp({ WEBSOCKETS_ENABLED: 'true', WEBSOCKETS_GRAPHQL_PATH: '/gql-socket' });
    try {
      const config = async (path: string) => {
        const res = await ws.http.get(path).set('Accept', 'text/html');
        expect(res.status).toBe(200);
        return JSON.parse(/<script type="application\/json"[^>]*>([^<]*)</.exec(res.text)![1]!) as unknown;
      };
      expect(await config('/graphql')).toEqual({ endpoint: '/graphql', assets, subscriptions: '/gql-socket' });
      expect(await config('/graphql/system')).toEqual({ endpoint: '/graphql/system', assets, subscriptions: null });
    } finally {
      await ws.close();
    }
  });

  it('files are cached for good under their content hash, gzipped when accepted; workers are files too', async () => {
    const js = await t.http.get(`${assets}/graphiql.js`).set('Accept-Encoding', 'identity');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const body = js.text;
    expect(body).toContain('renderYogaGraphiQL');

    // Raw bytes (supertest would inflate them).
    const gz = await new Promise<{ encoding: string | undefined; bytes: Buffer }>((resolve, reject) => {
      get(`${origin}${assets}/graphiql.js`, { headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ encoding: res.headers['content-encoding'], bytes: Buffer.concat(chunks) }));
      }).on('error', reject);
    });
    expect(gz.encoding).toBe('gzip');
    expect(gz.bytes.length).toBeLessThan(Buffer.byteLength(body) / 2);
    expect(gunzipSync(gz.bytes).toString('utf8')).toBe(body);

    for (const worker of ['editorWorkerService', 'json', 'graphql']) {
      const res = await t.http.get(`${assets}/workers/${worker}.js`);
      expect([res.status, res.headers['content-type']]).toEqual([200, 'text/javascript; charset=utf-8']);
    }
    const css = await t.http.get(`${assets}/graphiql.css`);
    expect([css.status, css.headers['content-type']]).toEqual([200, 'text/css; charset=utf-8']);
    expect(css.text).not.toMatch(/url\((?!data:)/); // fonts and images inline
    const icon = await t.http.get(`${assets}/favicon.ico`);
    expect([icon.status, icon.headers['content-type']]).toEqual([200, 'image/x-icon']);

    const stale = await t.http.get('/graphql/ui/000000000000/graphiql.css');
    expect([stale.status, stale.headers['cache-control']]).toEqual([200, 'no-cache']);
    expect(await t.http.get(`${assets}/nope.js`)).toMatchObject({
      status: 404,
      body: {
        errors: [
          {
            message: `Route ${assets}/nope.js doesn't exist.`,
            extensions: { code: 'ROUTE_NOT_FOUND' },
          },
        ],
      },
    });
  });

  it('GraphQL clients are unaffected: JSON Accept or a query parameter is GraphQL as before', async () => {
    const json = await t.http.get('/graphql').set('Accept', 'application/json');
    expect([json.status, json.body]).toEqual([
      400,
      {
        errors: [
          {
            message: 'Invalid payload. Must provide query string.',
            extensions: { code: 'INVALID_PAYLOAD', reason: 'Must provide query string' },
          },
        ],
      },
    ]);
    const html = await t.http
      .get('/graphql')
      .query({ query: '{ notes(sort: ["id"], limit: 1) { title } }' })
      .set('Accept', 'text/html')
      .set(t.admin);
    expect([html.status, html.body]).toEqual([200, { data: { notes: [{ title: 'Hello' }] } }]);
  });
});

describe('GRAPHQL_INTROSPECTION=false', () => {
  it('no page and no files: GET /graphql is the missing-query 400 for a browser too', async () => {
    const off = await createTestApp({ GRAPHQL_INTROSPECTION: 'false' });
    try {
      const res = await off.http.get('/graphql').set('Accept', 'text/html');
      expect([res.status, res.body]).toEqual([
        400,
        {
          errors: [
            {
              message: 'Invalid payload. Must provide query string.',
              extensions: { code: 'INVALID_PAYLOAD', reason: 'Must provide query string' },
            },
          ],
        },
      ]);
      const file = await off.http.get('/graphql/ui/000000000000/graphiql.js');
      expect(file.status).toBe(404);
      expect(file.body.errors[0].extensions.code).toBe('ROUTE_NOT_FOUND');
    } finally {
      await off.close();
    }
  });
});
