'use strict';
/**
 * A lean WebSocket client for the realtime scenarios' subscribers (w, w2). The 200 subscribers share the bench's two
 * cores with the server and PostgreSQL, so whatever they spend per received frame is taken from the creates being
 * measured (with the `ws` package and a JSON.parse of every message: about 2.1 ms of CPU per create for 200 frames).
 * This client does only what the measurement needs:
 *
 *   - a plain `net` socket and the HTTP/1.1 upgrade by hand (Sec-WebSocket-Key sent, Sec-WebSocket-Accept checked, no
 *     extension offered, so the server sends plain unmasked frames);
 *   - masked client frames for the few messages it sends (auth, subscribe, unsubscribe, pong);
 *   - a frame reader that finds frame boundaries (7/16/64-bit lengths, fragmented messages reassembled, ping answered
 *     with pong, close answered and the socket ended) and hands each text message to `onText(buf, start, end)` as a
 *     byte range of the shared read buffer (valid during the call only): the caller decides how much of it to decode
 *     (see `scanEvent`). Reads use net's `onread` (one shared buffer, no readable stream, no Buffer per read).
 *
 * connect(url, {onText, onClose}) → Promise<client>; client.send(string), client.terminate().
 * scanEvent(buf, start, end) → {event, uid, id, key} of a `{"type":"subscription","event":...}` message as the
 * server frames it (`…,"uid":"…","id":"…"}` at the end, `"data":[{"id":…` first for a create), without JSON.parse;
 * null when the message has another shape (the caller then parses it).
 */
const net = require('node:net');
const crypto = require('node:crypto');

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_MESSAGE = 64 * 1024 * 1024;
/** Every socket's reads land here (one process, one thread: each read is handled before the next one). */
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);

/** A masked client frame (FIN set) of `opcode` with `payload`. */
function frame(opcode, payload) {
  const n = payload.length;
  const headerLength = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const out = Buffer.allocUnsafe(headerLength + 4 + n);
  out[0] = 0x80 | opcode;
  if (n < 126) out[1] = 0x80 | n;
  else if (n < 65536) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(n, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeUInt32BE(0, 2);
    out.writeUInt32BE(n, 6);
  }
  const mask = crypto.randomBytes(4);
  mask.copy(out, headerLength);
  const at = headerLength + 4;
  for (let i = 0; i < n; i++) out[at + i] = payload[i] ^ mask[i & 3];
  return out;
}

function connect(url, { onText, onClose }) {
  const u = new URL(url);
  if (u.protocol !== 'ws:') throw new Error(`lean-ws: only ws:// URLs (${url})`);
  const key = crypto.randomBytes(16).toString('base64');
  const accept = crypto
    .createHash('sha1')
    .update(key + GUID)
    .digest('base64');
  // onread: the received bytes straight into one shared buffer, handed to `receive` (no readable stream, no Buffer
  // per read, no 'data' event); whatever is kept past the call (an incomplete frame) is copied.
  const socket = net.connect({
    host: u.hostname,
    port: Number(u.port || 80),
    onread: { buffer: READ_BUFFER, callback: (nread, buf) => void receive(buf.subarray(0, nread)) },
  });
  socket.setNoDelay(true);

  let open = false;
  let closed = false;
  let pending = null; // bytes of an incomplete frame (or of the handshake answer)
  let fragments = null; // payloads of a fragmented message so far
  let fragmentOpcode = 0;
  let receive = () => {};

  const client = {
    send(text) {
      if (!closed) socket.write(frame(0x1, Buffer.from(text)));
    },
    terminate() {
      closed = true;
      socket.destroy();
    },
    /** Stops reading the socket (what arrives waits in the kernel's receive buffer) / reads again. */
    hold() {
      socket.pause();
    },
    release() {
      socket.resume();
    },
  };

  const control = (opcode, payload) => {
    if (opcode === 0x9) socket.write(frame(0xa, payload));
    else if (opcode === 0x8) {
      if (!closed) socket.end(frame(0x8, payload.subarray(0, 2)));
      closed = true;
    }
    // 0xA (pong): nothing to do.
  };

  const message = (opcode, buf, start, end) => {
    if (opcode === 0x1) onText(buf, start, end);
    else throw new Error(`lean-ws: unexpected binary message (opcode ${opcode})`);
  };

  /** Reads every complete frame in buf[off..]; returns where the incomplete rest starts. */
  const frames = (buf, off) => {
    while (buf.length - off >= 2) {
      const b0 = buf[off];
      const b1 = buf[off + 1];
      if (b1 & 0x80) throw new Error('lean-ws: a masked frame from the server');
      if (b0 & 0x70) throw new Error('lean-ws: reserved bits set (no extension was negotiated)');
      let length = b1 & 0x7f;
      let at = off + 2;
      if (length === 126) {
        if (buf.length - off < 4) break;
        length = buf.readUInt16BE(off + 2);
        at = off + 4;
      } else if (length === 127) {
        if (buf.length - off < 10) break;
        length = buf.readUInt32BE(off + 2) * 2 ** 32 + buf.readUInt32BE(off + 6);
        at = off + 10;
      }
      if (length > MAX_MESSAGE) throw new Error(`lean-ws: a frame of ${length} bytes`);
      if (buf.length - at < length) break;
      const end = at + length;
      const fin = (b0 & 0x80) !== 0;
      const opcode = b0 & 0x0f;
      if (opcode >= 0x8) control(opcode, buf.subarray(at, end));
      else if (opcode === 0x0) {
        if (!fragments) throw new Error('lean-ws: a continuation frame without a message');
        fragments.push(Buffer.from(buf.subarray(at, end)));
        if (fin) {
          const whole = Buffer.concat(fragments);
          fragments = null;
          message(fragmentOpcode, whole, 0, whole.length);
        }
      } else if (!fin) {
        fragments = [Buffer.from(buf.subarray(at, end))];
        fragmentOpcode = opcode;
      } else message(opcode, buf, at, end);
      off = end;
    }
    return off;
  };

  return new Promise((resolve, reject) => {
    socket.once('error', (e) => {
      closed = true;
      if (!open) reject(new Error(`lean-ws: ${url}: ${e.message}`));
    });
    socket.once('close', () => {
      closed = true;
      if (!open) reject(new Error(`lean-ws: ${url}: closed during the handshake`));
      else onClose?.();
    });
    socket.once('connect', () =>
      socket.write(
        `GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${key}\r\n\r\n`,
      ),
    );
    receive = (chunk) => {
      try {
        let buf = pending ? Buffer.concat([pending, chunk]) : chunk;
        pending = null;
        let off = 0;
        if (!open) {
          const end = buf.indexOf(HEADER_END);
          if (end < 0) {
            pending = Buffer.from(buf);
            return;
          }
          const head = buf.toString('latin1', 0, end);
          if (!/^HTTP\/1\.1 101 /.test(head)) throw new Error(`lean-ws: upgrade refused: ${head.split('\r\n')[0]}`);
          const got = /\r\nsec-websocket-accept:\s*(\S+)/i.exec(head)?.[1];
          if (got !== accept) throw new Error(`lean-ws: Sec-WebSocket-Accept ${got} (expected ${accept})`);
          if (/\r\nsec-websocket-extensions:/i.test(head)) throw new Error('lean-ws: an extension was negotiated');
          open = true;
          resolve(client);
          off = end + 4;
        }
        off = frames(buf, off);
        if (off < buf.length) pending = Buffer.from(buf.subarray(off));
      } catch (e) {
        closed = true;
        socket.destroy();
        if (!open) reject(e);
        else
          process.nextTick(() => {
            throw e;
          });
      }
    };
  });
}

const PREFIX = Buffer.from('{"type":"subscription","event":"');
const DATA_ID = '"data":[{"id":';
const NEXT_ROW = Buffer.from('},{"id":');

/**
 * The event, uid, event id and (for a create) the first row's `id` of a subscription message in buf[start..end], read
 * from fixed places of the server's frame instead of parsing it. null for any other message (auth, init, unsubscribe,
 * errors, ping) or any shape it does not recognise: the caller JSON.parses those.
 */
function scanEvent(buf, start, end) {
  if (end - start < PREFIX.length + 8 || buf.compare(PREFIX, 0, PREFIX.length, start, start + PREFIX.length) !== 0)
    return null;
  // Everything the scan reads is ASCII (event name, keys, numeric ids); latin1 keeps byte offsets.
  const at = start + PREFIX.length;
  const quote = buf.indexOf(0x22, at);
  if (quote < 0 || quote > end) return null;
  const event = buf.toString('latin1', at, quote);
  if (event === 'init' || event === 'unsubscribe') return null;
  // The tail: `,"uid":"<uid>","id":"<id>"}` (uid optional), as realtime-subscriptions.service.ts#send writes it.
  const tail = buf.toString('latin1', Math.max(quote, end - 96), end);
  const idAt = tail.lastIndexOf(',"id":"');
  if (idAt < 0 || !tail.endsWith('"}')) return null;
  const id = tail.slice(idAt + 7, -2);
  if (!/^\d+$/.test(id)) return null;
  let uid;
  const uidAt = tail.lastIndexOf(',"uid":"', idAt);
  if (uidAt >= 0) {
    uid = tail.slice(uidAt + 8, idAt - 1);
    if (uid.includes('"') || uid.includes('\\')) return null;
  }
  let key;
  if (event === 'create') {
    const head = buf.toString('latin1', quote + 2, Math.min(end, quote + 2 + DATA_ID.length + 24));
    if (!head.startsWith(DATA_ID)) return null;
    const m = /^-?\d+/.exec(head.slice(DATA_ID.length));
    if (!m) return null;
    key = Number(m[0]);
    // One row per create here (the bench creates one item a time); more rows: parsed by the caller.
    const next = buf.indexOf(NEXT_ROW, quote);
    if (next >= 0 && next < end) return null;
  }
  return { event, uid, id, key };
}

module.exports = { connect, scanEvent };
