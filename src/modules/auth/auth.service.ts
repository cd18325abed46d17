import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { InvalidCredentialsError, InvalidPayloadError, InvalidTokenError, TokenExpiredError } from '@lib/errors';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { Database } from '../../core/database/database.service';
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
      const [user] = await this.db.query<{ id: string; password: string | null; status: string; role: string | null }>(
        `SELECT "id", "password", "status", "role" FROM "directus_users"
         WHERE lower("email") = lower($1) AND "provider" = 'default'`,
        [email],
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
      const [session] = await this.db.query<{ user: string; next_token: string | null }>(
        `SELECT s."user", s."next_token" FROM "directus_sessions" s
         JOIN "directus_users" u ON u."id" = s."user" AND u."status" = 'active'
         WHERE s."token" = $1 AND s."expires" > now() FOR UPDATE OF s`,
        [refreshToken],
      );
      if (!session) throw new InvalidCredentialsError();
      if (session.next_token) {
        const [next] = await this.db.query<{ expires_ms: number }>(
          `SELECT (extract(epoch FROM "expires") * 1000)::float8 AS expires_ms FROM "directus_sessions" WHERE "token" = $1`,
          [session.next_token],
        );
        if (next) return this.tokensFor(session.user, session.next_token, next.expires_ms - Date.now(), mode);
      }
      const issued = await this.issue(session.user, mode, meta);
      await this.db.query(
        `UPDATE "directus_sessions" SET "next_token" = $2, "expires" = least("expires", now() + $3 * interval '1 millisecond')
         WHERE "token" = $1`,
        [refreshToken, issued.refreshToken, this.grace],
      );
      return issued;
    });
  }

  async logout(refreshToken: string | null): Promise<void> {
    if (!refreshToken) throw new InvalidPayloadError('The refresh token is required in either the payload or cookie');
    const deleted = await this.db.query(`DELETE FROM "directus_sessions" WHERE "token" = $1 RETURNING "token"`, [
      refreshToken,
    ]);
    if (!deleted.length) throw new InvalidCredentialsError();
  }

  /** The refresh session a session-mode access token belongs to. */
  sessionOf(accessToken: string | null): string | null {
    const payload = accessToken ? decodeJwt(accessToken)?.payload : null;
    return typeof payload?.session === 'string' ? payload.session : null;
  }

  private async issue(user: string, mode: AuthMode, meta: RequestMeta): Promise<IssuedTokens> {
    const refreshToken = randomBytes(48).toString('base64url');
    await this.db.query(
      `INSERT INTO "directus_sessions" ("token", "user", "expires", "ip", "user_agent", "origin")
       VALUES ($1, $2, now() + $3 * interval '1 millisecond', $4, $5, $6)`,
      [refreshToken, user, this.refreshTtl, meta.ip, meta.userAgent, meta.origin],
    );
    await this.db.query(`UPDATE "directus_users" SET "last_access" = now() WHERE "id" = $1`, [user]);
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
    const rows = await this.db.query(`SELECT 1 FROM "directus_sessions" WHERE "token" = $1 AND "expires" > now()`, [
      token,
    ]);
    return rows.length > 0;
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
    const [user] = await this.db.query<{ role: string | null }>(
      `SELECT "role" FROM "directus_users" WHERE "id" = $1 AND "status" = 'active'`,
      [id],
    );
    if (!user) throw new InvalidCredentialsError();
    return { user: id, role: user.role, ...(await this.policies.resolve(id, user.role)) };
  }

  private async staticToken(token: string): Promise<Identity> {
    const [user] = await this.db.query<{ id: string; role: string | null }>(
      `SELECT "id", "role" FROM "directus_users" WHERE "token" = $1 AND "status" = 'active'`,
      [token],
    );
    if (!user) throw new InvalidCredentialsError();
    return { user: user.id, role: user.role, ...(await this.policies.resolve(user.id, user.role)) };
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
