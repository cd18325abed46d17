import WebSocket from 'ws';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- protocol messages are asserted whole in the tests
export type Msg = Record<string, any>;

/**
 * A WebSocket test client for /websocket (issue 14 e2e): every incoming message is queued; `next()` takes the first
 * one matching (in arrival order), `none()` asserts silence, `closed` resolves with the close code.
 */
export class WsClient {
  readonly received: Msg[] = [];
  private waiters: { match: (m: Msg) => boolean; resolve: (m: Msg) => void }[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as Msg;
      const at = this.waiters.findIndex((w) => w.match(message));
      if (at >= 0) this.waiters.splice(at, 1)[0].resolve(message);
      else this.received.push(message);
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }

  /** Opens a connection (rejects with the HTTP status when the upgrade is refused). */
  static open(url: string, options: WebSocket.ClientOptions = {}): Promise<WsClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, options);
      const client = new WsClient(ws);
      ws.on('open', () => resolve(client));
      ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.on('error', reject);
    });
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first queued or coming message that matches (default: any), within `timeoutMs`. */
  next(match: (m: Msg) => boolean = () => true, timeoutMs = 5000): Promise<Msg> {
    const at = this.received.findIndex(match);
    if (at >= 0) return Promise.resolve(this.received.splice(at, 1)[0]);
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (m: Msg) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no matching message within ${timeoutMs} ms; queued: ${JSON.stringify(this.received)}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Sends `message` and waits for the reply carrying its uid (or the next message when it has none). */
  async request(message: Msg, timeoutMs = 5000): Promise<Msg> {
    this.send(message);
    return this.next(message.uid === undefined ? undefined : (m) => m.uid === String(message.uid), timeoutMs);
  }

  /** Asserts that no message (matching `match`) arrives within `ms`. */
  async none(ms: number, match: (m: Msg) => boolean = () => true): Promise<void> {
    await new Promise((r) => setTimeout(r, ms));
    const found = this.received.filter(match);
    if (found.length) throw new Error(`unexpected messages: ${JSON.stringify(found)}`);
  }

  /** Drops every queued message (e.g. heartbeat pings). */
  clear(): void {
    this.received.length = 0;
  }

  close(): void {
    this.ws.close();
  }
}
