import type { Duplex } from 'node:stream';
import type { RealtimeConnection } from './realtime-connection';

/** A receiver of an event frame: the subscription's uid goes into the frame, the connection sends it. */
export interface FanOutTarget {
  readonly uid: string | undefined;
  readonly connection: RealtimeConnection;
}

/**
 * One event for a set of subscriptions: the message text without the uid (`head` … `tail`). The frame is built once
 * per distinct uid (clients of @directus/sdk all number their first subscription "1", so usually once per event)
 * and the same buffer goes to every socket.
 */
export interface Outgoing<T extends FanOutTarget> {
  readonly head: string;
  readonly tail: string;
  readonly targets: readonly T[];
}

/** Sockets uncorked (written out, one system call each) between two turns of the event loop. */
const CHUNK = 32;

const immediate = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** What the fan-out uses of ws's internals (ws 8): the upgraded socket and the sender's queue. */
interface WsInternals {
  _socket?: Duplex;
  _sender?: { _state?: number; _queue?: unknown[] };
}

function socketOf(connection: RealtimeConnection): Duplex | undefined {
  // ws keeps the upgraded socket as `_socket`; corking it makes every frame of one round one write per socket.
  const socket = (connection.ws as unknown as WsInternals)._socket;
  return socket && typeof socket.cork === 'function' && !socket.destroyed ? socket : undefined;
}

/**
 * The socket to write a complete frame to directly, or undefined when ws must frame it: with no extension negotiated
 * (no permessage-deflate) and ws's sender idle (nothing of its own queued), a frame written to the socket goes out in
 * the same order as ws's own sends, which write to the same socket at once.
 */
function rawSocketOf(connection: RealtimeConnection): Duplex | undefined {
  const ws = connection.ws as unknown as WsInternals & { extensions: string };
  const sender = ws._sender;
  if (ws.extensions !== '' || !sender || sender._state !== 0 || sender._queue?.length) return undefined;
  return socketOf(connection);
}

/** A server-to-client text frame (FIN, opcode 1, unmasked) around `payload`: the header, then the payload. */
export function textFrame(payload: Buffer): Buffer {
  const n = payload.length;
  const head = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(head + n);
  frame[0] = 0x81;
  if (n < 126) frame[1] = n;
  else if (n < 65536) {
    frame[1] = 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(n), 2);
  }
  payload.copy(frame, head);
  return frame;
}

/** An event's message for one uid: the UTF-8 text, and the same as a complete WebSocket frame. */
interface Frame {
  readonly payload: Buffer;
  readonly wire: Buffer;
}

/**
 * The send side of realtime delivery, off the write path and off the change feed: events are queued in order and
 * written out in rounds. A round takes everything queued, writes each event's frame to each target's corked socket
 * (no system call yet; several events for one socket become one write; the complete WebSocket frame is built once and
 * written as is, ws's per-send framing only where ws must frame it), then uncorks the sockets CHUNK at a time,
 * yielding to the event loop between chunks, so that a REST request (the next create, say) is never stuck behind
 * hundreds of socket writes. One queue for all events keeps each socket's messages in event order; a target that is
 * no longer `active` when its round comes (unsubscribed, replaced, closed) is skipped.
 */
export class FanOut<T extends FanOutTarget> {
  private queue: Outgoing<T>[] = [];
  private busy = false;
  private running: Promise<void> = Promise.resolve();
  /** Frames written and rounds run (tests and diagnostics). */
  sent = 0;
  rounds = 0;

  constructor(
    private readonly active: (target: T) => boolean,
    private readonly failed: (error: unknown) => void = () => undefined,
    /** WEBSOCKETS_MAX_BUFFERED_BYTES: past it a frame goes through the connection, which drops the socket. */
    private readonly maxBufferedBytes = Infinity,
  ) {}

  push(outgoing: Outgoing<T>): void {
    this.queue.push(outgoing);
    if (this.busy) return;
    this.busy = true;
    this.running = this.drain();
  }

  /** Resolves once everything pushed so far has been handed to the sockets. */
  drained(): Promise<void> {
    return this.busy ? this.running : Promise.resolve();
  }

  private async drain(): Promise<void> {
    try {
      // Let whatever is ready go first (the writer's own response, when this instance served the write).
      await immediate();
      while (this.queue.length) {
        const round = this.queue;
        this.queue = [];
        this.rounds++;
        const corked: Duplex[] = [];
        let uncorked = 0;
        try {
          this.write(round, corked);
          for (; uncorked < corked.length; uncorked++) {
            corked[uncorked].uncork();
            if ((uncorked + 1) % CHUNK === 0 && uncorked + 1 < corked.length) await immediate();
          }
        } finally {
          for (; uncorked < corked.length; uncorked++) corked[uncorked].uncork();
        }
      }
    } catch (error) {
      this.failed(error);
    } finally {
      this.busy = false;
    }
  }

  /** Every event of the round to every target still active, into corked sockets (no system call yet). */
  private write(round: readonly Outgoing<T>[], corked: Duplex[]): void {
    const seen = new Set<RealtimeConnection>();
    for (const outgoing of round) {
      const frames = new Map<string | undefined, Frame>();
      for (const target of outgoing.targets) {
        if (!this.active(target)) continue;
        const connection = target.connection;
        if (!seen.has(connection)) {
          seen.add(connection);
          const socket = socketOf(connection);
          if (socket) {
            socket.cork();
            corked.push(socket);
          }
        }
        let frame = frames.get(target.uid);
        if (!frame) {
          const uid = target.uid === undefined ? '' : `,"uid":${JSON.stringify(target.uid)}`;
          const payload = Buffer.from(outgoing.head + uid + outgoing.tail);
          frame = { payload, wire: textFrame(payload) };
          frames.set(target.uid, frame);
        }
        // The prebuilt frame straight to the socket (ws would build a header and write twice, for every socket);
        // through the connection when ws must frame it, or when the bound is passed (the connection drops it).
        const raw = connection.closed || connection.ws.readyState !== 1 ? undefined : rawSocketOf(connection);
        if (raw && connection.ws.bufferedAmount + frame.wire.length <= this.maxBufferedBytes) {
          raw.write(frame.wire);
          this.sent++;
        } else if (connection.sendFrame(frame.payload)) this.sent++;
      }
    }
  }
}
