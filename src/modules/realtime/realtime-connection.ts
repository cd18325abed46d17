import { randomUUID } from 'node:crypto';
import type WebSocket from 'ws';
import type { Accountability } from '../../core/context/accountability';
import type { RequestMeta } from '../auth/auth.service';
import type { Subscription } from './realtime-subscriptions.service';

/**
 * One client socket of /websocket: who it is (the accountability messages and deliveries use, public until it
 * authenticates), its subscriptions by uid, heartbeat and rate-limit state, and a bounded send buffer.
 *
 * Messages of one connection are handled one after another (an `auth` completes before the next message is looked
 * at), replies in the order the messages came.
 */
export class RealtimeConnection {
  readonly id = randomUUID();
  /** Who the connection acts as: the authenticated caller, or the Public policies. */
  accountability: Accountability;
  /** True once a token, login or refresh succeeded (and until it expires or a re-auth fails). */
  authenticated = false;
  /** The token's expiry passed and no new auth came yet. */
  expired = false;
  /** In handshake mode: the first message must still be a successful `auth`. */
  awaitingHandshake = false;
  /** Subscriptions by their key (the uid, or a generated key when the client sent none). */
  readonly subscriptions = new Map<string, Subscription>();
  /** Heartbeat: a ping was sent and nothing came back since. */
  pinged = false;
  heard = true;
  /** Fixed-window rate limit (RATE_LIMITER_*): window start and points used. */
  windowStart = 0;
  used = 0;
  /** Timers: token expiry, re-auth wait, handshake wait. */
  expiryTimer: NodeJS.Timeout | null = null;
  authTimer: NodeJS.Timeout | null = null;
  closed = false;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly ws: WebSocket,
    readonly meta: RequestMeta,
    publicAccountability: Accountability,
    private readonly maxBufferedBytes: number,
    private readonly onOverflow: (connection: RealtimeConnection) => void,
  ) {
    this.accountability = publicAccountability;
  }

  /** Handles messages one at a time, in arrival order. */
  enqueue(task: () => Promise<void>): void {
    this.chain = this.chain.then(task, task);
  }

  send(message: unknown): boolean {
    return this.sendText(JSON.stringify(message));
  }

  /**
   * Sends unless the socket is gone. A client that does not read makes the socket's unsent data grow: once it would
   * pass WEBSOCKETS_MAX_BUFFERED_BYTES the connection is dropped (memory stays bounded whatever the client does).
   */
  sendText(text: string): boolean {
    if (this.closed || this.ws.readyState !== 1) return false;
    if (this.ws.bufferedAmount + Buffer.byteLength(text) > this.maxBufferedBytes) {
      this.onOverflow(this);
      return false;
    }
    this.ws.send(text);
    return true;
  }

  /**
   * A message already encoded as UTF-8 (the fan-out builds one buffer per event and uid and hands the same buffer to
   * every socket), sent as a text frame, under the same bound as sendText.
   */
  sendFrame(data: Buffer): boolean {
    if (this.closed || this.ws.readyState !== 1) return false;
    if (this.ws.bufferedAmount + data.length > this.maxBufferedBytes) {
      this.onOverflow(this);
      return false;
    }
    this.ws.send(data, { binary: false });
    return true;
  }

  clearTimers(): void {
    for (const timer of [this.expiryTimer, this.authTimer]) if (timer) clearTimeout(timer);
    this.expiryTimer = null;
    this.authTimer = null;
  }
}
