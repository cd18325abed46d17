import { decodeJwt, durationMs, signJwt, verifyJwt } from './jwt';

describe('JWT (HS256)', () => {
  const secret = 'a-secret-of-some-length-0123456789';

  it('signs Directus-style tokens and verifies them', () => {
    const token = signJwt({ id: 'u1', role: null, app_access: true, admin_access: false }, secret, 900_000, 1_000_000);
    const decoded = decodeJwt(token)!;
    expect(decoded.header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(decoded.payload).toEqual({
      id: 'u1',
      role: null,
      app_access: true,
      admin_access: false,
      iat: 1000,
      exp: 1900,
      iss: 'directus',
    });
    expect(verifyJwt(token, secret, 1_000_000)).toEqual({ ok: true, payload: decoded.payload });
  });

  it('rejects expired, forged and alg:none tokens', () => {
    const token = signJwt({ id: 'u1' }, secret, 1000, 0);
    expect(verifyJwt(token, secret, 5000)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyJwt(token, 'other-secret', 0)).toEqual({ ok: false, reason: 'invalid' });
    const [, body] = token.split('.');
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${body}.`;
    expect(verifyJwt(none, secret, 0)).toEqual({ ok: false, reason: 'invalid' });
    const tampered = token.replace(body, Buffer.from('{"id":"admin","iss":"directus"}').toString('base64url'));
    expect(verifyJwt(tampered, secret, 0)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyJwt('not-a-jwt', secret)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('parses durations', () => {
    expect(durationMs('15m')).toBe(900_000);
    expect(durationMs('7d')).toBe(604_800_000);
    expect(durationMs('10s')).toBe(10_000);
    expect(durationMs('250')).toBe(250);
    expect(() => durationMs('soon')).toThrow('Invalid duration "soon"');
  });
});
