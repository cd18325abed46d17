import { Injectable } from '@nestjs/common';
import type { MutationAction, PrimaryKey } from '../../core/events/items-events';
import { RealtimeFeed } from '../realtime/realtime-feed.service';

/** One committed write, as a subscription needs it: what happened to which keys of which collection. */
export interface CommittedMutation {
  readonly action: MutationAction;
  readonly collection: string;
  readonly keys: readonly PrimaryKey[];
}

/** Where GraphQL subscriptions learn about committed writes (token {@link MUTATION_FEED}). */
export interface MutationFeed {
  /** Makes the feed deliver (idempotent); called once the transport is enabled. */
  start(): Promise<void>;
  /** Calls `listener` once per committed mutation, in commit order; returns the function that stops it. */
  listen(listener: (mutation: CommittedMutation) => void): () => void;
}

export const MUTATION_FEED = Symbol('MUTATION_FEED');

/**
 * The mutations committed through ANY instance on the database: the realtime change log (`tessera_changes`, appended
 * in the writing transaction, announced by NOTIFY on commit; RealtimeFeed LISTENs once per instance and reads each
 * announced range once), so a write through instance A reaches a GraphQL subscriber on instance B, in commit order,
 * nested writes included. The /websocket transport shares the same LISTEN connection and reads.
 */
@Injectable()
export class ChangeLogMutationFeed implements MutationFeed {
  constructor(private readonly changes: RealtimeFeed) {}

  start(): Promise<void> {
    return this.changes.start();
  }

  listen(listener: (mutation: CommittedMutation) => void): () => void {
    return this.changes.listen((change) =>
      listener({ action: change.action, collection: change.collection, keys: change.keys }),
    );
  }
}
