import type { Server } from 'node:http';
import type { INestApplicationContext } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import { WebSocketServer } from 'ws';
import { UpgradeRouter } from './upgrade-router';

/**
 * @nestjs/platform-ws's WsAdapter, except that a gateway on the application's own HTTP server (port 0 / unset) gets
 * a `noServer` WebSocketServer registered with the server's {@link UpgradeRouter} instead of an `upgrade` listener
 * of its own, which would destroy every upgrade on a path it does not own (graphql-ws on /graphql, /websocket).
 * Gateways on a port of their own behave as in WsAdapter.
 */
export class RoutedWsAdapter extends WsAdapter {
  private readonly unregister: (() => void)[] = [];

  constructor(private readonly app: INestApplicationContext & { getHttpServer(): Server }) {
    super(app);
    // Raw JSON messages (not socket.io): a message's `type` names its handler.
    this.setMessageParser((data: unknown) => {
      const message = JSON.parse(String(data)) as { type?: unknown };
      return { event: String(message.type), data: message };
    });
  }

  override create(port: number, options: Record<string, unknown> & { path?: string } = {}): WebSocketServer {
    if (port) return super.create(port, options) as WebSocketServer;
    const { path, server: _server, namespace: _namespace, ...wsOptions } = options;
    void _server;
    void _namespace;
    const wss = this.bindErrorHandler(new WebSocketServer({ noServer: true, ...wsOptions })) as WebSocketServer;
    this.unregister.push(UpgradeRouter.for(this.app.getHttpServer()).register(path ?? '/', wss));
    return wss;
  }

  override async dispose(): Promise<void> {
    for (const off of this.unregister.splice(0)) off();
    await super.dispose();
  }
}
