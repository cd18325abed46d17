import type { ReadView } from '@lib/permissions';
import type { SchemaSnapshot } from '@lib/schema';
import type { Accountability } from './accountability';

/** The door a request came through. */
export type Transport = 'rest' | 'graphql' | 'websocket' | 'internal';

/**
 * Everything a domain call needs to know about its request, built once per HTTP request, GraphQL operation or
 * WebSocket message by `ItemsContextFactory` and passed FIRST to every ItemsService method:
 * - who asks (accountability, with ip, user agent and origin),
 * - the schema snapshot pinned for the whole request: reads and writes, however many statements, see one schema
 *   even if a schema change lands meanwhile,
 * - the caller's permission view of that snapshot, resolved at most once per request,
 * - a request id, carried by every items event of the request.
 */
export interface ItemsContext {
  readonly accountability: Accountability;
  readonly schema: SchemaSnapshot;
  readonly requestId: string;
  readonly transport: Transport;
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly origin: string | null;
  /** What the caller may read of `schema`; null for admins (no restriction). Resolved once, then shared. */
  readView(): Promise<ReadView | null>;
}
