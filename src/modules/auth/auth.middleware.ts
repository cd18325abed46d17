import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { readCookie } from '../../core/http/cookies';
import type { NextFunction, Request, Response } from 'express';
import type { Accountability } from '../../core/context/accountability';
import { AuthService } from './auth.service';
import { extractToken } from './token-extractor';

export type AuthenticatedRequest = Request & { accountability: Accountability };

/** Puts `req.accountability` on every request. A bad token throws into the global error filter. */
@Injectable()
export class AuthMiddleware implements NestMiddleware {
  constructor(
    private readonly auth: AuthService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async use(req: Request, _res: Response, next: NextFunction): Promise<void> {
    const token =
      extractToken(req.query, req.headers.authorization) ??
      readCookie(req.headers.cookie, this.config.sessionCookieName);
    (req as AuthenticatedRequest).accountability = await this.auth.accountabilityFor(token, {
      ip: req.ip ?? null,
      userAgent: req.headers['user-agent'] ?? null,
      origin: typeof req.headers.origin === 'string' ? req.headers.origin : null,
    });
    next();
  }
}
