import type { IncomingMessage } from 'node:http';
import type { RequestMeta } from './auth.service';

/**
 * The request facts of a WebSocket upgrade, as the HTTP AuthMiddleware takes them from express (`trust proxy` is on,
 * so the ip is the first X-Forwarded-For hop, else the socket's address). Shared by both WebSocket servers.
 */
export function upgradeMeta(req: IncomingMessage): RequestMeta {
  const forwarded = req.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return {
    ip: first || req.socket.remoteAddress || null,
    userAgent: req.headers['user-agent'] ?? null,
    origin: typeof req.headers.origin === 'string' ? req.headers.origin : null,
  };
}
