import type { CompiledRead, WriteStatement } from '@lib/query';
import type { SchemaSnapshot } from '@lib/schema';
import type { Accountability } from '../../../core/context/accountability';
import type { ItemsContext } from '../../../core/context/items-context';
import type { MutationEvent, PrimaryKey } from '../../../core/events/items-events';

/**
 * Folds the re-read of a written row into its writing statement (ItemsReadService.compileReadBack); null when the
 * read can't be folded.
 */
export type ReadBack = (write: WriteStatement) => Promise<CompiledRead | null>;

/** A one-row write with its folded re-read: `read` is the readOne JSON text, null when it was not folded. */
export interface WrittenItem {
  readonly key: PrimaryKey;
  readonly read: string | null;
}

/**
 * State of one write request, shared by every runner and level of it: who writes, the pinned snapshot, the shared
 * mutation counter, and the events recorded so far (in write order).
 */
export interface WriteContext {
  readonly request: ItemsContext;
  /** The request's pinned snapshot: every level of a nested write sees the same schema. */
  readonly schema: SchemaSnapshot;
  readonly accountability: Accountability;
  readonly now: Date;
  readonly events: MutationEvent[];
  mutations: number;
  /** How many M2O/A2O writes are under way (a write made meanwhile is nested, whatever its `parent`). */
  nested: number;
  /** Only in a one-statement request: that statement also reads the row back. */
  readonly readBack?: ReadBack;
  /** The folded read's JSON, once the statement ran. */
  read?: string;
  /** The one statement ran with the in-transaction handlers' fold CTEs (ItemsEventBus.foldCtes). */
  folded?: boolean;
  /** Events of multi-row creates whose statement ran with the fold CTEs (their fold handlers are not called). */
  readonly foldedEvents: Set<MutationEvent>;
}

export function writeContext(request: ItemsContext, readBack?: ReadBack): WriteContext {
  return {
    request,
    schema: request.schema,
    accountability: request.accountability,
    now: new Date(),
    events: [],
    mutations: 0,
    nested: 0,
    readBack,
    foldedEvents: new Set(),
  };
}
