'use strict';
/**
 * A lean HTTP/1.1 load client: `connections` keep-alive sockets, one request in flight on each (as autocannon with
 * pipelining 1), each request's bytes built by a small function, and only the status line and Content-Length of the
 * response parsed. On the bench's two shared cores every microsecond the load generator spends is taken from the
 * server and PostgreSQL; this client spends a fraction of what autocannon spends per request (which rebuilds and
 * deep-clones its request state for every dynamic request).
 *
 * run({url, connections, duration, next, onResponse}) → {requests, non2xx, errors, timeouts, statuses, seconds}
 *   next(): {method, path, headers, body?} for the next request
 *   onResponse(status, ms): called for every complete response
 */
const net = require('node:net');

const TIMEOUT_MS = 10_000;
const HEADER_END = Buffer.from('\r\n\r\n');

function encode(host, { method, path, headers, body }) {
  let head = `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\n`;
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
  if (body !== undefined) head += `Content-Length: ${Buffer.byteLength(body)}\r\n`;
  return Buffer.from(body === undefined ? `${head}\r\n` : `${head}\r\n${body}`);
}

/** Status and total length (head + body) of the response at the start of `buf`, or null while it is incomplete. */
function parseResponse(buf) {
  const end = buf.indexOf(HEADER_END);
  if (end < 0) return null;
  const head = buf.toString('latin1', 0, end);
  const status = Number(head.slice(9, 12));
  const match = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (!match) {
    if (status === 204 || status === 304) return { status, length: end + 4 };
    if (/\r\ntransfer-encoding:/i.test(head)) throw new Error('chunked responses are not supported by the lean client');
    return { status, length: end + 4 };
  }
  const length = end + 4 + Number(match[1]);
  return buf.length >= length ? { status, length } : null;
}

function run({ url, connections, duration, next, onResponse }) {
  const { hostname, port, host } = new URL(url);
  const stats = { requests: 0, non2xx: 0, errors: 0, timeouts: 0, statuses: {} };
  const started = process.hrtime.bigint();
  const deadline = Date.now() + duration * 1000;
  let open = connections;

  return new Promise((resolve) => {
    const finish = () => {
      if (--open > 0) return;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      resolve({ ...stats, seconds });
    };

    const connection = () => {
      let buf = Buffer.alloc(0);
      let sentAt = 0n;
      let timer = null;
      let done = false;
      let timedOut = false;
      const socket = net.connect({ host: hostname, port: Number(port), noDelay: true });

      const send = () => {
        if (Date.now() >= deadline) {
          done = true;
          socket.end();
          return finish();
        }
        sentAt = process.hrtime.bigint();
        timer = setTimeout(() => {
          stats.timeouts++;
          timedOut = true;
          socket.destroy(new Error('timeout'));
        }, TIMEOUT_MS);
        socket.write(encode(host, next()));
      };

      socket.on('connect', send);
      socket.on('data', (chunk) => {
        buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
        let parsed;
        try {
          parsed = parseResponse(buf);
        } catch (error) {
          stats.errors++;
          socket.destroy(error);
          return;
        }
        if (!parsed) return;
        clearTimeout(timer);
        const ms = Number(process.hrtime.bigint() - sentAt) / 1e6;
        buf = buf.subarray(parsed.length);
        stats.requests++;
        stats.statuses[parsed.status] = (stats.statuses[parsed.status] ?? 0) + 1;
        if (parsed.status < 200 || parsed.status >= 300) stats.non2xx++;
        onResponse(parsed.status, ms);
        send();
      });
      socket.on('error', () => {
        if (!done && !timedOut) stats.errors++;
      });
      socket.on('close', () => {
        clearTimeout(timer);
        if (done) return;
        done = true;
        // The server closed the connection (or it failed): carry on with a new one until the deadline.
        if (Date.now() < deadline) {
          open++;
          connection();
        }
        finish();
      });
    };

    for (let i = 0; i < connections; i++) connection();
  });
}

module.exports = { run, parseResponse };
