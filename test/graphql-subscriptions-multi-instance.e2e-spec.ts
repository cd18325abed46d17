import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { ADMIN_TOKEN } from './support/constants';
import { startTwoInstances, type ServerProcess, type TwoInstances } from './support/process';

/**
 * Issue 13 (5) with issue 14's change log: `<c>_mutated` over graphql-ws is fed by `tessera_changes` + LISTEN, so a
 * write through one server process reaches GraphQL subscribers on another, on the same database, no broker. Two real
 * processes (dist/src/main.js).
 */

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' };

let servers: TwoInstances;
let a: ServerProcess;
let b: ServerProcess;
const clients: Client[] = [];

beforeAll(async () => {
  servers = await startTwoInstances('gql_mi', { WEBSOCKETS_ENABLED: 'true' });
  ({ a, b } = servers);
});

afterAll(async () => {
  for (const c of clients) await c.dispose();
  await servers?.stop();
});

async function send(s: ServerProcess, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers: auth,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status).toBe(method === 'DELETE' ? 204 : 200);
  return res.status === 204 ? null : ((await res.json()) as { data: unknown }).data;
}

/** Subscribes on `s` and collects every payload; `until` resolves once one satisfies the predicate. */
function subscribe(s: ServerProcess, query: string) {
  const client = createClient({
    url: `${s.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { access_token: ADMIN_TOKEN },
    retryAttempts: 0,
  });
  clients.push(client);
  const values: unknown[] = [];
  const waiters: { until: (v: unknown) => boolean; resolve: () => void }[] = [];
  let started!: () => void;
  const ready = new Promise<void>((resolve) => (started = resolve));
  client.on('connected', () => started());
  client.subscribe(
    { query },
    {
      next: (value) => {
        values.push(value);
        for (const w of waiters.filter((x) => x.until(value))) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      },
      error: (error) => values.push({ error: String(error) }),
      complete: () => undefined,
    },
  );
  return {
    values,
    ready,
    until: (until: (v: unknown) => boolean) =>
      values.some(until) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ until, resolve })),
  };
}

/** Waits until a probe write through `via` has reached every subscription (so they are registered on their server). */
async function primed(via: ServerProcess, subs: ReturnType<typeof subscribe>[]): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (let i = 0; ; i++) {
    const marker = `probe ${i}`;
    await send(via, 'POST', '/items/shared', { name: marker });
    const seen = Promise.all(subs.map((s) => s.until((v) => JSON.stringify(v).includes(marker))));
    const timeout = new Promise<'late'>((r) => setTimeout(() => r('late'), 500));
    if ((await Promise.race([seen, timeout])) !== 'late') return;
    if (Date.now() > deadline) throw new Error('subscriptions never received a probe');
  }
}

const payloads = (values: unknown[]) =>
  values.filter((v) => !JSON.stringify(v).includes('probe')).map((v) => (v as { data: unknown }).data);

it('writes through A and B reach GraphQL subscribers on both, once each, in commit order', async () => {
  await send(a, 'POST', '/collections', {
    collection: 'shared',
    schema: {},
    fields: [{ field: 'name', type: 'string' }],
  });
  // B serves the new collection once it has reloaded its schema (NOTIFY tessera_schema).
  const deadline = Date.now() + 10_000;
  while ((await fetch(`${b.url}/items/shared`, { headers: auth })).status !== 200) {
    if (Date.now() > deadline) throw new Error('B never saw the new collection');
    await new Promise((r) => setTimeout(r, 50));
  }
  const query = 'subscription { shared_mutated { key event data { id name } } }';
  const onB = subscribe(b, query);
  const onA = subscribe(a, query);
  await Promise.all([onA.ready, onB.ready]);
  await primed(a, [onA, onB]);

  // Payloads are read when delivered: each write waits until both subscribers have its event.
  const step = async <T>(write: Promise<T>): Promise<T> => {
    const counts = [onA.values.length, onB.values.length];
    const result = await write;
    await Promise.all([onA, onB].map((s, i) => s.until(() => s.values.length > counts[i]!)));
    return result;
  };
  const created = (await step(send(a, 'POST', '/items/shared', { name: 'from A' }))) as { id: number };
  await step(send(b, 'PATCH', `/items/shared/${created.id}`, { name: 'from B' }));
  await step(send(a, 'DELETE', `/items/shared/${created.id}`));
  await step(send(b, 'POST', '/items/shared', { name: 'end' }));

  const key = String(created.id);
  const expected = [
    { shared_mutated: { key, event: 'create', data: { id: key, name: 'from A' } } },
    { shared_mutated: { key, event: 'update', data: { id: key, name: 'from B' } } },
    { shared_mutated: { key, event: 'delete', data: null } },
    {
      shared_mutated: {
        key: String(created.id + 1),
        event: 'create',
        data: { id: String(created.id + 1), name: 'end' },
      },
    },
  ];
  expect(payloads(onB.values)).toEqual(expected);
  expect(payloads(onA.values)).toEqual(expected);
});
