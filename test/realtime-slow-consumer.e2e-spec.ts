import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { RealtimeGateway } from '../src/modules/realtime/realtime.gateway';
import { createTestApp, type TestApp } from './support/app';
import { ADMIN_TOKEN } from './support/constants';
import { WsClient } from './realtime-client';

/** Issue 14: a consumer that never reads is dropped once its send buffer passes WEBSOCKETS_MAX_BUFFERED_BYTES. */

let t: TestApp;
let url: string;

beforeAll(async () => {
  t = await createTestApp({
    WEBSOCKETS_ENABLED: 'true',
    WEBSOCKETS_HEARTBEAT_ENABLED: 'false',
    WEBSOCKETS_MAX_BUFFERED_BYTES: String(1024 * 1024),
  });
  await t.http
    .post('/collections')
    .set(t.admin)
    .send({ collection: 'blobs', schema: {}, fields: [{ field: 'body', type: 'text' }] })
    .expect(200);
  await t.app.listen(0, '127.0.0.1');
  url = `ws://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}/websocket?access_token=${ADMIN_TOKEN}`;
});
afterAll(() => t.close());

it('the reader that stopped is disconnected, the one that reads gets every event', async () => {
  const gateway = t.app.get(RealtimeGateway);
  const slow = await WsClient.open(url);
  const fast = await WsClient.open(url);
  for (const c of [slow, fast]) {
    expect(await c.request({ type: 'subscribe', collection: 'blobs', event: 'create', uid: 's' })).toMatchObject({
      event: 'init',
    });
  }
  (slow.ws as unknown as { _socket: Socket })._socket.pause();
  expect(gateway.connections.size).toBe(2);
  const items = Array.from({ length: 50 }, () => ({ body: 'x'.repeat(4000) }));
  const batches = 40;
  for (let i = 0; i < batches; i++) await t.http.post('/items/blobs').set(t.admin).send(items).expect(200);
  for (let i = 0; i < batches; i++) await fast.next((m) => m.event === 'create');
  const deadline = Date.now() + 5000;
  while (gateway.connections.size > 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(gateway.connections.size).toBe(1);
  fast.close();
  slow.ws.terminate();
});
