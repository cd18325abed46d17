import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { LockMode, raw } from '@mikro-orm/postgresql';
import { InvalidCredentialsError, InvalidPayloadError, InvalidTokenError, TokenExpiredError } from '@lib/errors';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { Database } from '../../core/database/database.service';
import { DirectusSession, DirectusUser } from '../../core/database/system.entities';
import type { Accountability } from '../../core/context/accountability';
import { verifyPassword } from '../../core/security/password';
import { decodeJwt, durationMs, signJwt, verifyJwt } from '../../core/security/jwt';
import { PolicyResolver } from '../permissions/policy-resolver.service';
import { AccountabilityCache } from './accountability-cache.service';

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  origin: string | null;
}

export type AuthMode = 'json' | 'cookie' | 'session';

export interface IssuedTokens {
  accessToken: string;
  /** Access token lifetime in milliseconds (spec 8: `expires` is in ms). */
  expires: number;
  refreshToken: string;
  refreshExpires: number;
}

type Identity = Omit<Accountability, 'ip' | 'userAgent' | 'origin'>;

/** Cache key of requests without a token (the Public policies). */
const PUBLIC = '\u0000public';

/**
 * Authentication (spec 8): static tokens, HS256 access JWTs signed with SECRET, refresh sessions in
 * `directus_sessions` with rotation and a grace period, and the accountability every request carries.
 */
@Injectable()
export class AuthService {
  private readonly accessTtl: number;
  private readonly refreshTtl: number;
  private readonly grace: number;

  constructor(
    private readonly db: Database,
    private readonly policies: PolicyResolver,
    private readonly cache: AccountabilityCache,
    @Inject(CONFIG) private readonly config: Config,
  ) {
    this.accessTtl = durationMs(config.accessTokenTtl);
    this.refreshTtl = durationMs(config.refreshTokenTtl);
    this.grace = durationMs(config.refreshGracePeriod);
  }

  get sessionCookieTtl(): number {
    return durationMs(this.config.sessionCookieTtl);
  }

  async accountabilityFor(token: string | null, meta: RequestMeta): Promise<Accountability> {
    if (!token) return { ...(await this.cached(PUBLIC, () => this.publicIdentity())), ...meta };
    const decoded = decodeJwt(token);
    if (decoded?.payload.iss === 'directus') {
      const verified = verifyJwt(token, this.config.secret);
      if (!verified.ok) throw verified.reason === 'expired' ? new TokenExpiredError() : new InvalidTokenError();
      const p = verified.payload;
      if (typeof p.id !== 'string' || !('role' in p) || !('app_access' in p) || !('admin_access' in p)) {
        throw new InvalidTokenError();
      }
      if (typeof p.session === 'string' && !(await this.sessionAlive(p.session))) throw new InvalidTokenError();
      return { ...(await this.cached(`user:${p.id}`, () => this.userIdentity(p.id as string))), ...meta };
    }
    // Anything that is not a Directus-issued JWT is looked up as a static token (spec 15).
    return { ...(await this.cached(`token:${token}`, () => this.staticToken(token))), ...meta };
  }

  async login(email: string, password: string, mode: AuthMode, meta: RequestMeta): Promise<IssuedTokens> {
    const started = Date.now();
    try {
      const user = await this.db.em.findOne(
        DirectusUser,
        { [raw('lower(email)')]: email.toLowerCase(), provider: 'default' },
        { fields: ['id', 'password', 'status'] },
      );
      const valid = await verifyPassword(password, user?.password ?? DUMMY_HASH);
      if (!user || !valid || user.status !== 'active') throw new InvalidCredentialsError();
      return await this.issue(user.id, mode, meta);
    } finally {
      await this.stall(started);
    }
  }

  /** Rotates a refresh session; the old token keeps answering with the new one during the grace period. */
  async refresh(refreshToken: string | null, mode: AuthMode, meta: RequestMeta): Promise<IssuedTokens> {
    if (!refreshToken) throw new InvalidPayloadError('The refresh token is required in either the payload or cookie');
    return this.db.transaction(async () => {
      const em = this.db.em;
      // Locked, so that two refreshes with one token rotate it once (the second gets the first one's next token).
      const session = await em.findOne(
        DirectusSession,
        { token: refreshToken, expires: { $gt: new Date() } },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!session?.user || !(await em.count(DirectusUser, { id: session.user, status: 'active' }))) {
        throw new InvalidCredentialsError();
      }
      if (session.next_token) {
        const next = await em.findOne(DirectusSession, { token: session.next_token }, { fields: ['expires'] });
        if (next) return this.tokensFor(session.user, session.next_token, next.expires.getTime() - Date.now(), mode);
      }
      const issued = await this.issue(session.user, mode, meta);
      // The old token answers with the new one for the grace period (spec 8), never longer than it had left.
      session.next_token = issued.refreshToken;
      session.expires = new Date(Math.min(session.expires.getTime(), Date.now() + this.grace));
      await em.flush();
      return issued;
    });
  }

  async logout(refreshToken: string | null): Promise<void> {
    if (!refreshToken) throw new InvalidPayloadError('The refresh token is required in either the payload or cookie');
    const deleted = await this.db.em.nativeDelete(DirectusSession, { token: refreshToken });
    if (!deleted) throw new InvalidCredentialsError();
  }

  /** The refresh session a session-mode access token belongs to. */
  sessionOf(accessToken: string | null): string | null {
    const payload = accessToken ? decodeJwt(accessToken)?.payload : null;
    return typeof payload?.session === 'string' ? payload.session : null;
  }

  private async issue(user: string, mode: AuthMode, meta: RequestMeta): Promise<IssuedTokens> {
    const refreshToken = randomBytes(48).toString('base64url');
    const em = this.db.em;
    await em.insert(DirectusSession, {
      token: refreshToken,
      user,
      expires: new Date(Date.now() + this.refreshTtl),
      ip: meta.ip,
      user_agent: meta.userAgent,
      origin: meta.origin,
    });
    await em.nativeUpdate(DirectusUser, { id: user }, { last_access: new Date() });
    return this.tokensFor(user, refreshToken, this.refreshTtl, mode);
  }

  private async tokensFor(
    user: string,
    refreshToken: string,
    refreshExpires: number,
    mode: AuthMode,
  ): Promise<IssuedTokens> {
    const identity = await this.userIdentity(user);
    const payload: Record<string, unknown> = {
      id: user,
      role: identity.role,
      app_access: identity.app,
      admin_access: identity.admin,
    };
    if (mode === 'session') payload.session = refreshToken;
    const ttl = mode === 'session' ? this.sessionCookieTtl : this.accessTtl;
    return { accessToken: signJwt(payload, this.config.secret, ttl), expires: ttl, refreshToken, refreshExpires };
  }

  private async sessionAlive(token: string): Promise<boolean> {
    return (await this.db.em.count(DirectusSession, { token, expires: { $gt: new Date() } })) > 0;
  }

  private async cached(key: string, load: () => Promise<Identity>): Promise<Identity> {
    const hit = this.cache.get(key);
    if (hit) return hit;
    const identity = await load();
    this.cache.set(key, identity);
    return identity;
  }

  private async publicIdentity(): Promise<Identity> {
    return { user: null, role: null, ...(await this.policies.resolve(null, null)) };
  }

  private async userIdentity(id: string): Promise<Identity> {
    const user = await this.db.em.findOne(DirectusUser, { id, status: 'active' }, { fields: ['role'] });
    if (!user) throw new InvalidCredentialsError();
    const role = user.role ?? null;
    return { user: id, role, ...(await this.policies.resolve(id, role)) };
  }

  private async staticToken(token: string): Promise<Identity> {
    const user = await this.db.em.findOne(DirectusUser, { token, status: 'active' }, { fields: ['id', 'role'] });
    if (!user) throw new InvalidCredentialsError();
    const role = user.role ?? null;
    return { user: user.id, role, ...(await this.policies.resolve(user.id, role)) };
  }

  private async stall(started: number): Promise<void> {
    const left = this.config.loginStallTime - (Date.now() - started);
    if (left > 0) await sleep(left);
  }
}

/**
 * Verified against when the email is unknown, so that both paths cost one argon2id verification with the parameters
 * passwords are stored with (a hash of a random, discarded password).
 */
const DUMMY_HASH = '$argon2id$v=19$m=65536,t=3,p=4$YPgUeEb7yqT/7u8QFVLhFA$/UEzB2dg+zfrqaYFVk1n6f9e1dC5EZBckr+2uIf2TcU';
