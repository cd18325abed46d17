import { Injectable } from '@nestjs/common';
import { ItemsEventBus } from '../../core/events/items-event-bus';
import type { MutationAction, PrimaryKey } from '../../core/events/items-events';

/** One committed write, as a subscription needs it: what happened to which keys of which collection. */
export interface CommittedMutation {
  readonly action: MutationAction;
  readonly collection: string;
  readonly keys: readonly PrimaryKey[];
}

/**
 * Where GraphQL subscriptions learn about committed writes. The interface between subscriptions and the
 * realtime fan-out: today {@link AfterCommitMutationFeed} (this process's after-commit items events); the realtime
 * issue's cross-instance fan-out can provide the same interface (token {@link MUTATION_FEED}) without a change here.
 */
export interface MutationFeed {
  /** Calls `listener` once per committed mutation, in commit order; returns the function that stops it. */
  listen(listener: (mutation: CommittedMutation) => void): () => void;
}

export const MUTATION_FEED = Symbol('MUTATION_FEED');

/**
 * The mutations committed by this process: the global ItemsEventBus's after-commit events (nested writes too). Listeners
 * run outside the writer's database scope (Database.afterCommit), so a subscriber's read is a statement of its own.
 */
@Injectable()
export class AfterCommitMutationFeed implements MutationFeed {
  constructor(private readonly bus: ItemsEventBus) {}

  listen(listener: (mutation: CommittedMutation) => void): () => void {
    return this.bus.afterCommit((event) =>
      listener({ action: event.action, collection: event.collection, keys: event.keys }),
    );
  }
}
