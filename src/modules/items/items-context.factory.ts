import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { ReadView } from '@lib/permissions';
import type { SchemaSnapshot } from '@lib/schema';
import type { Accountability } from '../../core/context/accountability';
import type { ItemsContext, Transport } from '../../core/context/items-context';
import { ItemsAccess } from '../permissions/items-access.service';
import { SchemaRegistry } from '../schema/schema-registry.service';

class RequestContext implements ItemsContext {
  private view?: Promise<ReadView | null>;

  constructor(
    readonly accountability: Accountability,
    readonly schema: SchemaSnapshot,
    readonly requestId: string,
    readonly transport: Transport,
    private readonly access: ItemsAccess,
  ) {}

  get ip(): string | null {
    return this.accountability.ip;
  }

  get userAgent(): string | null {
    return this.accountability.userAgent;
  }

  get origin(): string | null {
    return this.accountability.origin;
  }

  readView(): Promise<ReadView | null> {
    if (this.view === undefined) {
      this.view = this.access.readView(this.accountability, this.schema);
      // A failed lookup is not remembered: a later call in the same request tries again.
      this.view.catch(() => (this.view = undefined));
    }
    return this.view;
  }
}

/** A request id from a client is kept when it is a plain token; anything else gets a fresh one. */
const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * The one place an ItemsContext is made: REST's request middleware, the GraphQL driver (per operation) and the
 * WebSocket gateway (per message) all call {@link create}, so every transport pins a snapshot and resolves
 * permissions the same way.
 */
@Injectable()
export class ItemsContextFactory {
  constructor(
    private readonly registry: SchemaRegistry,
    private readonly access: ItemsAccess,
  ) {}

  create(
    accountability: Accountability,
    options: { transport: Transport; requestId?: string | null; schema?: SchemaSnapshot } = { transport: 'internal' },
  ): ItemsContext {
    const requestId = options.requestId && REQUEST_ID.test(options.requestId) ? options.requestId : randomUUID();
    return new RequestContext(
      accountability,
      options.schema ?? this.registry.snapshot,
      requestId,
      options.transport,
      this.access,
    );
  }
}
