import { createHmac, timingSafeEqual } from 'node:crypto';

/** Parses Directus-style durations (`15m`, `7d`, `900s`, `500ms`, or plain milliseconds) into milliseconds. */
export function durationMs(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w|y)?$/.exec(value.trim());
  if (!match) throw new Error(`Invalid duration "${value}"`);
  const n = Number(match[1]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_557_600_000 };
  return Math.round(n * (match[2] ? unit[match[2] as keyof typeof unit] : 1));
}

const b64url = (input: Buffer | string) => Buffer.from(input).toString('base64url');

export type JwtPayload = Record<string, unknown> & { iat?: number; exp?: number; iss?: string };

/** HS256 JWT, as Directus issues them (`iss: 'directus'`). */
export function signJwt(payload: Record<string, unknown>, secret: string, ttlMs: number, now = Date.now()): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const iat = Math.floor(now / 1000);
  const body = b64url(JSON.stringify({ ...payload, iat, exp: iat + Math.floor(ttlMs / 1000), iss: 'directus' }));
  const signature = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
  return `${header}.${body}.${signature}`;
}

/** Decodes without verifying; null when the text is not a JWT at all. */
export function decodeJwt(token: string): { header: Record<string, unknown>; payload: JwtPayload } | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    return {
      header: JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')),
      payload: JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')),
    };
  } catch {
    return null;
  }
}

export type VerifyResult = { ok: true; payload: JwtPayload } | { ok: false; reason: 'invalid' | 'expired' };

/** Verifies an HS256 signature (alg must be HS256: `none` and others are invalid) and the expiry. */
export function verifyJwt(token: string, secret: string, now = Date.now()): VerifyResult {
  const decoded = decodeJwt(token);
  if (!decoded || decoded.header.alg !== 'HS256') return { ok: false, reason: 'invalid' };
  const [header, body, signature] = token.split('.');
  const expected = createHmac('sha256', secret).update(`${header}.${body}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
  const exp = decoded.payload.exp;
  if (typeof exp === 'number' && exp * 1000 <= now) return { ok: false, reason: 'expired' };
  return { ok: true, payload: decoded.payload };
}
