import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Accountability } from '../../../core/context/accountability';
import type { ItemsContext } from '../../../core/context/items-context';
import { SchemaRegistry } from '../../schema/schema-registry.service';
import { ItemsContextFactory } from '../items-context.factory';

/** Routes whose first segment after the prefix names a collection. */
const COLLECTION_ROUTE = /^\/(?:items|collections|fields)\/([^/?#]+)/;

/**
 * Runs after the auth middleware: the request's ItemsContext (accountability, pinned schema snapshot, request id from
 * `X-Request-Id` when the client sent a plain one) for every controller to take with `@Ctx()`.
 *
 * A route naming a user collection the snapshot lacks (/items/:c, /collections/:c, /fields/:c) first lets the
 * registry look for it in the database (a table or view created there directly; rate-limited, single flight), so
 * it is served without a restart.
 */
@Injectable()
export class ItemsContextMiddleware implements NestMiddleware {
  constructor(
    private readonly contexts: ItemsContextFactory,
    private readonly registry: SchemaRegistry,
  ) {}

  use(req: Request, _res: Response, next: NextFunction): void {
    const name = namedCollection(req.originalUrl);
    if (name === null || this.registry.knows(name)) return this.attach(req, next);
    this.registry.discover(name).then(
      () => this.attach(req, next),
      // A failed catalogue read changes nothing: the request goes on against the snapshot it would have had.
      () => this.attach(req, next),
    );
  }

  private attach(req: Request, next: NextFunction): void {
    const request = req as Request & { accountability: Accountability; itemsContext: ItemsContext };
    const id = req.headers['x-request-id'];
    request.itemsContext = this.contexts.create(request.accountability, {
      transport: 'rest',
      requestId: typeof id === 'string' ? id : null,
    });
    next();
  }
}

/** The user collection a route names, or null (none, a `directus_*` one, or a name that isn't one). */
function namedCollection(url: string): string | null {
  const match = COLLECTION_ROUTE.exec(url);
  if (!match) return null;
  let name: string;
  try {
    name = decodeURIComponent(match[1]);
  } catch {
    return null;
  }
  return name.startsWith('directus_') ? null : name;
}
