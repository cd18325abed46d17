import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { UpgradeRouter } from '../src/core/transport/upgrade-router';
import { createTestApp, type TestApp } from './support/app';

/**
 * Issue 14, step 1: one upgrade router per HTTP server. Registered paths get their upgrade, any other path is answered
 * 404 and closed, and two endpoints on one server don't disturb each other.
 */

let t: TestApp;
let base: string;

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen(0, '127.0.0.1');
  base = `ws://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
});
afterAll(() => t.close());

/** The HTTP status an upgrade was refused with, or 101 when it was accepted. */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', reject);
  });
}

function echoServer(tag: string): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (ws) => ws.on('message', (data) => ws.send(`${tag}:${String(data)}`)));
  return wss;
}

function roundTrip(url: string, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('open', () => ws.send(text));
    ws.on('message', (data) => {
      resolve(String(data));
      ws.close();
    });
    ws.on('error', reject);
  });
}

it('is installed once per HTTP server by configureApp', () => {
  const server = t.app.getHttpServer();
  expect(UpgradeRouter.for(server)).toBe(UpgradeRouter.for(server));
  expect(server.listenerCount('upgrade')).toBe(1);
});

it('answers 404 for a path no endpoint owns, /websocket included while WebSockets are disabled', async () => {
  expect(await upgradeStatus(`${base}/nowhere`)).toBe(404);
  expect(await upgradeStatus(`${base}/websocket`)).toBe(404);
});

it('routes by exact path to each registered server, ignoring the query string and a trailing slash', async () => {
  const router = UpgradeRouter.for(t.app.getHttpServer());
  const offA = router.register('/probe-a', echoServer('a'));
  const offB = router.register('/probe-b', echoServer('b'));
  try {
    expect(await roundTrip(`${base}/probe-a?x=1`, 'hi')).toBe('a:hi');
    expect(await roundTrip(`${base}/probe-b/`, 'ho')).toBe('b:ho');
    expect(await upgradeStatus(`${base}/probe-a/sub`)).toBe(404);
    expect(() => router.register('/probe-a', echoServer('c'))).toThrow('registered twice');
  } finally {
    offA();
    offB();
  }
  expect(await upgradeStatus(`${base}/probe-a`)).toBe(404);
});

it('lets a handler refuse an upgrade with its own status', async () => {
  const router = UpgradeRouter.for(t.app.getHttpServer());
  const off = router.register('/guarded', (_req, socket) => {
    socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
    socket.destroy();
  });
  try {
    expect(await upgradeStatus(`${base}/guarded`)).toBe(401);
  } finally {
    off();
  }
});
