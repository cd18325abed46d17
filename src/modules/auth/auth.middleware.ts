import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Accountability } from '../../core/context/accountability';
import { AuthService } from './auth.service';
import { extractToken } from './token-extractor';

export type AuthenticatedRequest = Request & { accountability: Accountability };

/** Puts `req.accountability` on every request. A bad token throws into the global error filter. */
@Injectable()
export class AuthMiddleware implements NestMiddleware {
  constructor(private readonly auth: AuthService) {}

  async use(req: Request, _res: Response, next: NextFunction): Promise<void> {
    const token = extractToken(req.query, req.headers.authorization);
    (req as AuthenticatedRequest).accountability = await this.auth.accountabilityFor(token, {
      ip: req.ip ?? null,
      userAgent: req.headers['user-agent'] ?? null,
      origin: typeof req.headers.origin === 'string' ? req.headers.origin : null,
    });
    next();
  }
}
