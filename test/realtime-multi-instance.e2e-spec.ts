import { ADMIN_TOKEN } from './support/constants';
import { startTwoInstances, type ServerProcess, type TwoInstances } from './support/process';
import { WsClient } from './realtime-client';

/** Issue 14: two server processes on one database, no broker: a write through A reaches a subscriber on B. */

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' };

let servers: TwoInstances;
let a: ServerProcess;
let b: ServerProcess;

beforeAll(async () => {
  servers = await startTwoInstances('rt_mi', { WEBSOCKETS_ENABLED: 'true', WEBSOCKETS_EVENT_IDS: 'true' });
  ({ a, b } = servers);
});

afterAll(() => servers?.stop());

it('a create through A arrives on B, once, with the same event id a subscriber on A gets', async () => {
  const created = await fetch(`${a.url}/collections`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ collection: 'shared', schema: {}, fields: [{ field: 'name', type: 'string' }] }),
  });
  expect(created.status).toBe(200);
  await new Promise((r) => setTimeout(r, 300)); // B reloads its schema on the NOTIFY
  const ws = (s: ServerProcess) => `${s.url.replace('http', 'ws')}/websocket?access_token=${ADMIN_TOKEN}`;
  const onA = await WsClient.open(ws(a));
  const onB = await WsClient.open(ws(b));
  for (const c of [onA, onB]) {
    expect(await c.request({ type: 'subscribe', collection: 'shared', uid: 's' })).toMatchObject({ event: 'init' });
  }
  const res = await fetch(`${a.url}/items/shared`, { method: 'POST', headers: auth, body: '{"name":"from A"}' });
  expect(res.status).toBe(200);
  const [ea, eb] = await Promise.all([onA.next((m) => m.event === 'create'), onB.next((m) => m.event === 'create')]);
  expect(ea.id).toMatch(/^\d+$/);
  expect(eb).toEqual({ ...ea, data: [{ id: 1, name: 'from A' }] });
  await onB.none(300, (m) => m.event === 'create');
  onA.close();
  onB.close();
});
