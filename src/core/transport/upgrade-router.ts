import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';

/**
 * What a registered path does with an upgrade request: a `noServer` WebSocketServer (the upgrade is completed and
 * `connection` emitted on it, as `ws` does by itself), or a function that decides (answer 401/403, or complete the
 * upgrade on a server of its own, possibly after async checks).
 */
export type UpgradeTarget = WebSocketServer | UpgradeHandler;
export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

const routers = new WeakMap<Server, UpgradeRouter>();

/**
 * The ONE `upgrade` listener of an HTTP server (STACK.md, "WebSockets: /websocket and /graphql on one HTTP server").
 * Each WebSocket endpoint registers its exact path; an upgrade is handed to the endpoint whose path equals the
 * request's pathname, and answered `404 Not Found` (then the socket destroyed) when no endpoint owns the path.
 * Several listeners each destroying "foreign" upgrades (what @nestjs/platform-ws's WsAdapter does by itself) would
 * kill each other's connections; one router per server avoids that.
 *
 * Installed by configureApp() for main, the CLI and the tests alike; endpoints get it with
 * `UpgradeRouter.for(app.getHttpServer())` (which installs it if nothing did yet) and call {@link register}.
 */
export class UpgradeRouter {
  private readonly routes = new Map<string, UpgradeTarget>();

  private constructor(server: Server) {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => this.route(request, socket, head));
  }

  /** The server's router, installed on first use. */
  static for(server: Server): UpgradeRouter {
    let router = routers.get(server);
    if (!router) routers.set(server, (router = new UpgradeRouter(server)));
    return router;
  }

  /**
   * Routes upgrades of exactly `path` (no trailing slash, query string ignored) to `target`. Returns the function
   * that takes the route off again. A path can have one owner only.
   */
  register(path: string, target: UpgradeTarget): () => void {
    const key = normalize(path);
    if (this.routes.has(key)) throw new Error(`WebSocket path ${key} is registered twice`);
    this.routes.set(key, target);
    return () => {
      if (this.routes.get(key) === target) this.routes.delete(key);
    };
  }

  /** The paths with an endpoint. */
  get paths(): string[] {
    return [...this.routes.keys()];
  }

  private route(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    let pathname: string;
    try {
      pathname = normalize(new URL(request.url ?? '/', 'http://localhost').pathname);
    } catch {
      return reject(socket, 400, 'Bad Request');
    }
    const target = this.routes.get(pathname);
    if (!target) return reject(socket, 404, 'Not Found');
    try {
      if (typeof target === 'function') target(request, socket, head);
      else target.handleUpgrade(request, socket, head, (ws) => target.emit('connection', ws, request));
    } catch {
      reject(socket, 400, 'Bad Request');
    }
  }
}

/** Answers an upgrade request with a plain HTTP status and closes the connection. */
export function reject(socket: Duplex, status: number, text: string): void {
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }
  socket.destroy();
}

function normalize(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.startsWith('/') ? trimmed || '/' : `/${trimmed}`;
}
