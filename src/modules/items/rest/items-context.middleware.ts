import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Accountability } from '../../../core/context/accountability';
import type { ItemsContext } from '../../../core/context/items-context';
import { ItemsContextFactory } from '../items-context.factory';

/**
 * Runs after the auth middleware: the request's ItemsContext (accountability, pinned schema snapshot, request id from
 * `X-Request-Id` when the client sent a plain one) for every controller to take with `@Ctx()`.
 */
@Injectable()
export class ItemsContextMiddleware implements NestMiddleware {
  constructor(private readonly contexts: ItemsContextFactory) {}

  use(req: Request, _res: Response, next: NextFunction): void {
    const request = req as Request & { accountability: Accountability; itemsContext: ItemsContext };
    const id = req.headers['x-request-id'];
    request.itemsContext = this.contexts.create(request.accountability, {
      transport: 'rest',
      requestId: typeof id === 'string' ? id : null,
    });
    next();
  }
}
