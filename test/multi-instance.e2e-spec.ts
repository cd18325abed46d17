import { ADMIN_TOKEN } from './support/constants';
import { startTwoInstances, type ServerProcess, type TwoInstances } from './support/process';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' };

describe('two server processes on one database', () => {
  let servers: TwoInstances;
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    servers = await startTwoInstances('mi');
    ({ a, b } = servers);
  });

  afterAll(() => servers?.stop());

  it('a collection created through one process is served by the other within a second, without restart', async () => {
    const before = await fetch(`${b.url}/collections/notify_probe`, { headers: auth });
    expect(before.status).toBe(403);

    const created = await fetch(`${a.url}/collections`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ collection: 'notify_probe', schema: {}, fields: [{ field: 'label', type: 'string' }] }),
    });
    expect(created.status).toBe(200);
    const start = Date.now();

    let seenAfter = -1;
    while (Date.now() - start < 1000) {
      const res = await fetch(`${b.url}/fields/notify_probe/label`, { headers: auth });
      if (res.status === 200) {
        seenAfter = Date.now() - start;
        const body = (await res.json()) as { data: unknown };
        expect(body.data).toMatchObject({ collection: 'notify_probe', field: 'label', type: 'string' });
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(seenAfter).toBeGreaterThanOrEqual(0);
    expect(seenAfter).toBeLessThan(1000);
  });

  it('a dropped collection disappears from the other process too', async () => {
    const res = await fetch(`${a.url}/collections/notify_probe`, { method: 'DELETE', headers: auth });
    expect(res.status).toBe(204);
    const start = Date.now();
    let gone = false;
    while (Date.now() - start < 1000 && !gone) {
      gone = (await fetch(`${b.url}/collections/notify_probe`, { headers: auth })).status === 403;
      if (!gone) await new Promise((r) => setTimeout(r, 10));
    }
    expect(gone).toBe(true);
  });

  it('a permission granted through one process applies on the other within a second (NOTIFY tessera_access)', async () => {
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${a.url}${path}`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
      expect(res.status).toBe(200);
      return ((await res.json()) as { data: { id: string } }).data;
    };
    await post('/collections', { collection: 'shared_notes', schema: {}, fields: [{ field: 'text', type: 'string' }] });
    await post('/items/shared_notes', { text: 'hello' });
    const role = await post('/roles', { name: 'Reader' });
    const policy = await post('/policies', { name: 'Readers' });
    await post('/access', { role: role.id, policy: policy.id });
    await post('/users', { email: 'reader@example.com', password: 'pw', role: role.id, token: 'reader-token' });
    const reader = { Authorization: 'Bearer reader-token' };
    // B resolves (and caches) the reader's identity and permissions: nothing readable yet.
    expect((await fetch(`${b.url}/items/shared_notes`, { headers: reader })).status).toBe(403);

    await post('/permissions', { policy: policy.id, collection: 'shared_notes', action: 'read', fields: ['*'] });
    const start = Date.now();
    let body: unknown = null;
    while (Date.now() - start < 1000) {
      const res = await fetch(`${b.url}/items/shared_notes?fields=text`, { headers: reader });
      if (res.status === 200) {
        body = await res.json();
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(body).toEqual({ data: [{ text: 'hello' }] });
  });
});
