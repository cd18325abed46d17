import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_EMAIL, ADMIN_PASSWORD, ADMIN_TOKEN } from './support/constants';
import { createTestDatabase, type TestDatabase } from './support/database';
import { startServerProcess, type ServerProcess } from './support/process';

/**
 * The packaged server (issue 15 point 4): `dist/src/main.js` started as `npm start` starts it, with EXTENSIONS naming
 * the BUILT example extension (`npm run build` compiles examples/ to dist/examples/), which imports Tessera only
 * through the compiled public barrel. Needs dist (npm test builds it first).
 */
const MODULE = './dist/examples/acme-extension/acme.module.js';
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' };

describe('EXTENSIONS on the built server (dist/src/main.js)', () => {
  let db: TestDatabase;
  let server: ServerProcess;
  const env = () => ({ DATABASE_URL: db.url, ADMIN_EMAIL, ADMIN_PASSWORD, ADMIN_TOKEN, LOG_LEVEL: 'warn' });

  beforeAll(async () => {
    expect(existsSync(join(__dirname, '..', MODULE))).toBe(true);
    db = await createTestDatabase('ext');
    server = await startServerProcess({ ...env(), EXTENSIONS: `${MODULE}#AcmeModule` });
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(server.url + path, {
      method,
      headers: auth,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: res.status === 204 ? null : await res.json() };
  };

  it('loads the built module: its filter hooks, its endpoint and its rejecting hook work in the packaged server', async () => {
    const created = await call('POST', '/collections', {
      collection: 'articles',
      schema: {},
      fields: [
        { field: 'title', type: 'string' },
        { field: 'slug', type: 'string' },
      ],
    });
    expect(created.status).toBe(200);
    expect(await call('POST', '/items/articles', { title: 'Draft: From Dist' })).toEqual({
      status: 200,
      body: { data: { id: 1, title: 'From Dist', slug: 'from-dist' } },
    });
    expect(await call('GET', '/acme/articles')).toEqual({ status: 200, body: { slugs: ['from-dist'] } });
    expect(await call('POST', '/items/articles', [{ title: 'ok' }, { title: 'forbidden' }])).toEqual({
      status: 400,
      body: {
        errors: [
          {
            message: 'Invalid payload. "forbidden" is not a title.',
            extensions: { code: 'INVALID_PAYLOAD', reason: '"forbidden" is not a title' },
          },
        ],
      },
    });
    expect(await call('GET', '/items/articles?fields=slug')).toEqual({
      status: 200,
      body: { data: [{ slug: 'from-dist' }] },
    });
  });

  it('the default export rule and a bad path: the boot stops with a configuration error naming the entry', async () => {
    // acme.module.js exports several classes and no default: without #Export the entry is ambiguous.
    // (The fatal log line is JSON: the entry's quotes appear escaped in it.)
    await expect(startServerProcess({ ...env(), EXTENSIONS: MODULE }, 15_000)).rejects.toThrow(
      /"level":"fatal".*configuration: EXTENSIONS: \\"\.\/dist\/examples\/acme-extension\/acme\.module\.js\\" must export one Nest module/,
    );
    await expect(
      startServerProcess({ ...env(), EXTENSIONS: './dist/examples/nope.js#AcmeModule' }, 15_000),
    ).rejects.toThrow(/configuration: EXTENSIONS: cannot load \\"\.\/dist\/examples\/nope\.js#AcmeModule\\"/);
  });
});
