import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import type { Accountability } from '../../core/context/accountability';
import { readCookie } from '../../core/http/cookies';
import { decodeJwt } from '../../core/security/jwt';
import { reject, UpgradeRouter } from '../../core/transport/upgrade-router';
import { AuthService, type RequestMeta } from '../auth/auth.service';
import { upgradeMeta } from '../auth/upgrade-meta';
import { ItemsContextFactory } from '../items/items-context.factory';
import { RealtimeConnection } from './realtime-connection';
import { RealtimeFeed } from './realtime-feed.service';
import { RealtimeItems } from './realtime-items';
import { errorOf, parseMessage, UNPARSABLE, uidOf, wsError, type Message } from './realtime-messages';
import { RealtimeSubscriptions } from './realtime-subscriptions.service';

/** setTimeout's largest delay; a token valid for longer is re-checked then. */
const MAX_TIMER = 2_147_483_647;

/**
 * /websocket (spec 10 with spec 15's corrections): the REST-style WebSocket protocol as a thin adapter. It owns the
 * connection life (upgrade checks, the three auth modes, token expiry, heartbeat, rate limit, connection limit,
 * bounded send buffers) and hands `items` messages to RealtimeItems (ItemsService) and `subscribe`/`unsubscribe` to
 * RealtimeSubscriptions. Registered with the HTTP server's UpgradeRouter, beside /graphql.
 */
@Injectable()
export class RealtimeGateway implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Realtime');
  private readonly settings: Config['realtime'];
  private wss: WebSocketServer | null = null;
  private unregister: (() => void) | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  /** Upgrades accepted but not yet open, counted against the connection limit. */
  private pending = 0;
  readonly connections = new Set<RealtimeConnection>();

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly adapterHost: HttpAdapterHost,
    private readonly auth: AuthService,
    private readonly contexts: ItemsContextFactory,
    private readonly items: RealtimeItems,
    private readonly subscriptions: RealtimeSubscriptions,
    private readonly feed: RealtimeFeed,
  ) {
    this.settings = config.realtime;
  }

  get enabled(): boolean {
    return this.config.websocketsEnabled && this.settings.restEnabled;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.enabled) return;
    await this.feed.start();
    this.wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
    const server = this.adapterHost.httpAdapter.getHttpServer();
    this.unregister = UpgradeRouter.for(server).register(this.settings.restPath, (req, socket, head) => {
      this.upgrade(req, socket, head).catch((error: unknown) => {
        this.logger.warn({ msg: 'WebSocket upgrade failed', error: String(error) });
        reject(socket, 500, 'Internal Server Error');
      });
    });
    if (this.settings.heartbeatEnabled) {
      this.heartbeat = setInterval(() => this.beat(), this.settings.heartbeatPeriodMs);
      this.heartbeat.unref();
    }
  }

  onModuleDestroy(): void {
    this.feed.stop();
    this.unregister?.();
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const c of this.connections) {
      c.clearTimers();
      c.ws.terminate();
    }
    this.connections.clear();
    this.wss?.close();
  }

  // ---- connection life --------------------------------------------------------------------------------------------

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    if (this.connections.size + this.pending >= this.settings.restConnLimit) {
      return reject(socket, 403, 'Forbidden');
    }
    this.pending++;
    try {
      const meta = upgradeMeta(req);
      const url = new URL(req.url ?? '/', 'http://localhost');
      const token =
        url.searchParams.get('access_token') ?? readCookie(req.headers.cookie, this.config.sessionCookieName);
      let accountability: Accountability | null = null;
      if (token) {
        try {
          accountability = await this.auth.accountabilityFor(token, meta);
        } catch {
          return reject(socket, 401, 'Unauthorized');
        }
      }
      if (this.settings.restAuth === 'strict' && !accountability?.user) return reject(socket, 401, 'Unauthorized');
      const publicAccountability = await this.auth.accountabilityFor(null, meta);
      if (socket.destroyed) return;
      await new Promise<void>((resolve) => {
        this.wss!.handleUpgrade(req, socket, head, (ws) => {
          this.open(ws, meta, publicAccountability, accountability, token);
          resolve();
        });
      });
    } finally {
      this.pending--;
    }
  }

  private open(
    ws: WebSocket,
    meta: RequestMeta,
    publicAccountability: Accountability,
    accountability: Accountability | null,
    token: string | null,
  ): void {
    const connection = new RealtimeConnection(ws, meta, publicAccountability, this.settings.maxBufferedBytes, (c) =>
      this.overflow(c),
    );
    this.connections.add(connection);
    if (accountability) {
      connection.accountability = accountability;
      connection.authenticated = true;
      this.expireAt(connection, token);
    } else if (this.settings.restAuth === 'handshake') {
      connection.awaitingHandshake = true;
      connection.authTimer = setTimeout(() => {
        if (connection.awaitingHandshake) this.handshakeFailed(connection);
      }, this.settings.restAuthTimeoutMs);
    }
    ws.on('message', (data: RawData) => connection.enqueue(() => this.message(connection, data)));
    ws.on('close', () => this.closed(connection));
    ws.on('error', () => this.closed(connection));
  }

  private closed(connection: RealtimeConnection): void {
    if (connection.closed) return;
    connection.closed = true;
    connection.clearTimers();
    this.connections.delete(connection);
    this.subscriptions.drop(connection);
  }

  /** A consumer that stopped reading: its buffer passed WEBSOCKETS_MAX_BUFFERED_BYTES. */
  private overflow(connection: RealtimeConnection): void {
    this.logger.warn({
      msg: 'WebSocket client dropped: send buffer over WEBSOCKETS_MAX_BUFFERED_BYTES',
      connection: connection.id,
      buffered: connection.ws.bufferedAmount,
    });
    connection.ws.terminate();
    this.closed(connection);
  }

  /** Each period: a ping to every client; a client that sent nothing since the previous ping is closed. */
  private beat(): void {
    for (const c of this.connections) {
      if (c.pinged && !c.heard) {
        c.ws.close();
        this.closed(c);
        continue;
      }
      c.pinged = true;
      c.heard = false;
      c.send({ type: 'ping' });
    }
  }

  // ---- messages ---------------------------------------------------------------------------------------------------

  private async message(connection: RealtimeConnection, data: RawData): Promise<void> {
    if (connection.closed) return;
    connection.heard = true;
    if (this.limited(connection)) return;
    const message = parseMessage(String(data));
    if (!message && !connection.awaitingHandshake) {
      connection.send(UNPARSABLE);
      return;
    }

    if (connection.awaitingHandshake) {
      // spec 15: anything but a successful auth first (a frame that is not JSON included, as Directus's
      // waitForAnyMessage) is AUTH_FAILED (no uid) and a close without a close code. The first message stops the
      // handshake timeout, as there: a login slower than WEBSOCKETS_REST_AUTH_TIMEOUT still completes.
      if (connection.authTimer) clearTimeout(connection.authTimer);
      connection.authTimer = null;
      if (message?.type === 'auth' && (await this.authenticate(connection, message, true))) {
        connection.awaitingHandshake = false;
        return;
      }
      this.handshakeFailed(connection);
      return;
    }

    if (!message) return;
    const uid = uidOf(message);
    switch (message.type) {
      case 'auth':
        await this.authenticate(connection, message, false);
        return;
      case 'ping':
        // Directus answers pings from its heartbeat handler, which only exists with WEBSOCKETS_HEARTBEAT_ENABLED.
        if (this.settings.heartbeatEnabled) {
          connection.send(uid === undefined ? { type: 'pong' } : { type: 'pong', uid });
        }
        return;
      case 'items':
      case 'subscribe':
      case 'unsubscribe':
        break;
      default:
        // Directus's handlers each take their own type and nothing answers the others (`pong` included).
        return;
    }
    if (connection.expired && this.settings.restAuth !== 'public') {
      connection.send(wsError(message.type, 'TOKEN_EXPIRED', 'Token expired.', uid));
      return;
    }
    try {
      switch (message.type) {
        case 'items': {
          const ctx = this.contexts.create(connection.accountability, { transport: 'websocket' });
          const reply = await this.items.handle(ctx, message);
          connection.send({ type: 'items', ...reply, ...(uid === undefined ? {} : { uid }) });
          return;
        }
        case 'subscribe':
          await this.subscriptions.subscribe(connection, subscribeMessage(message), (task) => this.feed.run(task));
          return;
        case 'unsubscribe':
          this.subscriptions.unsubscribe(connection, uid);
          return;
      }
    } catch (error) {
      const type = message.type === 'subscribe' || message.type === 'unsubscribe' ? 'subscribe' : message.type;
      connection.send(errorOf(type, error, connection.accountability.admin, uid));
    }
  }

  /** RATE_LIMITER_*: a fixed window of points per connection; over it, REQUESTS_EXCEEDED and the message dropped. */
  private limited(connection: RealtimeConnection): boolean {
    if (!this.settings.rateLimiterEnabled) return false;
    const now = Date.now();
    if (now - connection.windowStart >= this.settings.rateLimiterDurationMs) {
      connection.windowStart = now;
      connection.used = 0;
    }
    connection.used++;
    if (connection.used <= this.settings.rateLimiterPoints) return false;
    const retry = connection.windowStart + this.settings.rateLimiterDurationMs - now;
    connection.send(wsError('server', 'REQUESTS_EXCEEDED', `Too many messages, retry after ${retry}ms.`));
    return true;
  }

  // ---- auth -------------------------------------------------------------------------------------------------------

  /**
   * `{type:'auth', access_token | email+password | refresh_token}`. Success: `{type:'auth', status:'ok', uid?,
   * refresh_token?}` and the connection acts as that user (its subscriptions follow). A failed re-auth: AUTH_FAILED
   * with the uid, back to Public, closed unless the mode is public. In the handshake the caller answers failures.
   */
  private async authenticate(connection: RealtimeConnection, message: Message, handshake: boolean): Promise<boolean> {
    const uid = uidOf(message);
    try {
      let token: string;
      let refreshToken: string | undefined;
      if (typeof message.access_token === 'string') {
        token = message.access_token;
      } else if (typeof message.email === 'string' && typeof message.password === 'string') {
        const issued = await this.auth.login(message.email, message.password, 'json', connection.meta);
        token = issued.accessToken;
        refreshToken = issued.refreshToken;
      } else if (typeof message.refresh_token === 'string') {
        const issued = await this.auth.refresh(message.refresh_token, 'json', connection.meta);
        token = issued.accessToken;
        refreshToken = issued.refreshToken;
      } else {
        throw new Error('no credentials');
      }
      const accountability = await this.auth.accountabilityFor(token, connection.meta);
      connection.accountability = accountability;
      connection.authenticated = true;
      connection.expired = false;
      if (connection.authTimer) clearTimeout(connection.authTimer);
      connection.authTimer = null;
      this.expireAt(connection, token);
      await this.subscriptions.regroup(connection);
      const ok: Record<string, unknown> = { type: 'auth', status: 'ok' };
      if (uid !== undefined) ok.uid = uid;
      if (refreshToken !== undefined) ok.refresh_token = refreshToken;
      connection.send(ok);
      return true;
    } catch {
      if (handshake) return false;
      connection.accountability = await this.auth.accountabilityFor(null, connection.meta);
      connection.authenticated = false;
      await this.subscriptions.regroup(connection);
      connection.send(wsError('auth', 'AUTH_FAILED', 'Authentication failed.', uid));
      if (this.settings.restAuth !== 'public') this.close(connection);
      return false;
    }
  }

  private handshakeFailed(connection: RealtimeConnection): void {
    connection.send(wsError('auth', 'AUTH_FAILED', 'Authentication handshake failed.'));
    this.close(connection);
  }

  /**
   * A JWT's `exp`: then TOKEN_EXPIRED, the connection acts as Public, and a new `auth` is awaited for
   * WEBSOCKETS_REST_AUTH_TIMEOUT; without one, AUTH_TIMEOUT and (unless public) the close.
   */
  private expireAt(connection: RealtimeConnection, token: string | null): void {
    if (connection.expiryTimer) clearTimeout(connection.expiryTimer);
    connection.expiryTimer = null;
    const exp = token ? decodeJwt(token)?.payload.exp : undefined;
    if (typeof exp !== 'number') return;
    const wait = exp * 1000 - Date.now();
    connection.expiryTimer = setTimeout(
      () => {
        connection.expiryTimer = null;
        if (wait > MAX_TIMER) return this.expireAt(connection, token);
        void this.expire(connection);
      },
      Math.max(0, Math.min(wait, MAX_TIMER)),
    );
  }

  private async expire(connection: RealtimeConnection): Promise<void> {
    if (connection.closed) return;
    connection.expired = true;
    connection.authenticated = false;
    connection.accountability = await this.auth.accountabilityFor(null, connection.meta);
    await this.subscriptions.regroup(connection);
    connection.send(wsError('auth', 'TOKEN_EXPIRED', 'Token expired.'));
    connection.authTimer = setTimeout(() => {
      connection.authTimer = null;
      if (!connection.expired || connection.closed) return;
      connection.send(wsError('auth', 'AUTH_TIMEOUT', 'Authentication timed out.'));
      if (this.settings.restAuth !== 'public') this.close(connection);
    }, this.settings.restAuthTimeoutMs);
  }

  private close(connection: RealtimeConnection): void {
    connection.ws.close();
    this.closed(connection);
  }
}

/** Directus keeps a subscription's `item` as a string (`String(message.item)`): its delete event's data is that string. */
function subscribeMessage(message: Message): Message {
  return typeof message.item === 'number' ? { ...message, item: String(message.item) } : message;
}
