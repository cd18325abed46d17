import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Query } from '@lib/query';
import type { Accountability } from '../../core/context/accountability';
import type { MutationAction, PrimaryKey } from '../../core/events/items-events';
import { ItemsContextFactory } from '../items/items-context.factory';
import { ItemsService, type Item } from '../items/items.service';
import { MUTATION_FEED, type CommittedMutation, type MutationFeed } from './mutation-feed';

/** The value of `<c>_mutated` for one key (spec 9): `data` read as the subscriber, null for a delete. */
export interface MutatedPayload {
  readonly key: PrimaryKey;
  readonly event: MutationAction;
  readonly data: Item | null;
}

export interface MutationSubscription {
  readonly collection: string;
  /** `<c>_mutated(event:)`; null: every event. */
  readonly event: MutationAction | null;
  /** Whose permissions filter the events: the subscriber's. */
  readonly accountability: Accountability;
  /** The sanitized query of the selection of `data`. */
  readonly query: Query;
  /** The collection's primary key field (the hub adds it to the read to match rows to keys). */
  readonly primaryKey: string;
}

interface Subscriber extends MutationSubscription {
  /** Subscribers with the same group read each event once, together (same permissions, same query). */
  readonly group: string;
  push(payload: MutatedPayload): void;
}

/** Payloads a subscriber may have waiting; past this it is too slow and its subscription completes. */
const MAX_QUEUE = 10_000;
/** Keys per read (a write of more keys is read in chunks). */
const READ_CHUNK = 100;

/**
 * Fans committed mutations out to `<c>_mutated` subscriptions, each filtered by its subscriber's permissions (spec 9):
 * - create and update: the written keys are read THROUGH ItemsService, with an ItemsContext of the subscriber's
 *   accountability and the subscriber's selection, once per event per group of subscribers that share permissions
 *   and selection; each key the read returns is one payload `{key, event, data}`; a key the subscriber can't read
 *   gives nothing, and a read that fails (a field no longer readable) is skipped silently, as Directus does;
 * - delete: one payload per key with `data: null` (the row is gone: Directus sends the keys to every subscriber of
 *   the collection).
 * Events of one collection are processed in commit order. The hub listens to the {@link MutationFeed} only while it
 * has subscribers.
 */
@Injectable()
export class GraphqlMutationHub implements OnModuleDestroy {
  private readonly logger = new Logger('GraphQLSubscriptions');
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  private readonly queues = new Map<string, Promise<void>>();
  private stopListening: (() => void) | null = null;
  private count = 0;
  /** Reads made for events since start (tests show one read per event per subscriber group). */
  reads = 0;

  constructor(
    @Inject(MUTATION_FEED) private readonly feed: MutationFeed,
    private readonly items: ItemsService,
    private readonly contexts: ItemsContextFactory,
  ) {}

  /** The subscription's payloads, until `return()` (graphql-ws calls it on complete and on close). */
  subscribe(subscription: MutationSubscription): AsyncIterableIterator<MutatedPayload> {
    const queue: MutatedPayload[] = [];
    let waiting: ((result: IteratorResult<MutatedPayload>) => void) | null = null;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      this.remove(subscriber);
      if (waiting && queue.length === 0) {
        waiting({ value: undefined, done: true });
        waiting = null;
      }
    };
    const subscriber: Subscriber = {
      ...subscription,
      group: groupOf(subscription),
      push: (payload) => {
        if (ended) return;
        if (waiting) {
          const resolve = waiting;
          waiting = null;
          resolve({ value: payload, done: false });
        } else if (queue.length >= MAX_QUEUE) {
          this.logger.warn({ msg: 'subscriber too slow: subscription completed', collection: subscription.collection });
          end();
        } else {
          queue.push(payload);
        }
      },
    };
    this.add(subscriber);
    const iterator: AsyncIterableIterator<MutatedPayload> = {
      next: () => {
        if (queue.length > 0) return Promise.resolve({ value: queue.shift()!, done: false });
        if (ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (waiting = resolve));
      },
      return: () => {
        queue.length = 0;
        end();
        return Promise.resolve({ value: undefined, done: true });
      },
      throw: (error: unknown) => {
        queue.length = 0;
        end();
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  /** Subscriptions open now. */
  get size(): number {
    return this.count;
  }

  /** Resolves once every event received so far has been delivered (tests wait for it between writes). */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await Promise.all([...this.queues.values()]);
  }

  onModuleDestroy(): void {
    this.stopListening?.();
    this.stopListening = null;
  }

  private add(subscriber: Subscriber): void {
    let set = this.subscribers.get(subscriber.collection);
    if (!set) this.subscribers.set(subscriber.collection, (set = new Set()));
    set.add(subscriber);
    this.count++;
    this.stopListening ??= this.feed.listen((mutation) => this.enqueue(mutation));
  }

  private remove(subscriber: Subscriber): void {
    const set = this.subscribers.get(subscriber.collection);
    if (!set?.delete(subscriber)) return;
    if (set.size === 0) this.subscribers.delete(subscriber.collection);
    if (--this.count === 0) {
      this.stopListening?.();
      this.stopListening = null;
    }
  }

  /** One queue per collection: its events reach subscribers in commit order. */
  private enqueue(mutation: CommittedMutation): void {
    if (!this.subscribers.has(mutation.collection)) return;
    const previous = this.queues.get(mutation.collection) ?? Promise.resolve();
    const next = previous
      .then(() => this.dispatch(mutation))
      .catch((error: unknown) =>
        this.logger.error({
          msg: 'subscription fan-out failed',
          collection: mutation.collection,
          error: String(error),
        }),
      )
      .finally(() => {
        if (this.queues.get(mutation.collection) === next) this.queues.delete(mutation.collection);
      });
    this.queues.set(mutation.collection, next);
  }

  private async dispatch(mutation: CommittedMutation): Promise<void> {
    const interested = [...(this.subscribers.get(mutation.collection) ?? [])].filter(
      (s) => s.event === null || s.event === mutation.action,
    );
    if (interested.length === 0 || mutation.keys.length === 0) return;
    if (mutation.action === 'delete') {
      for (const subscriber of interested) {
        for (const key of mutation.keys) subscriber.push({ key, event: 'delete', data: null });
      }
      return;
    }
    const groups = new Map<string, Subscriber[]>();
    for (const subscriber of interested) {
      const group = groups.get(subscriber.group);
      if (group) group.push(subscriber);
      else groups.set(subscriber.group, [subscriber]);
    }
    await Promise.all([...groups.values()].map((group) => this.deliver(mutation, group)));
  }

  /** Reads the written rows as the group's subscribers and pushes one payload per readable key. */
  private async deliver(mutation: CommittedMutation, group: readonly Subscriber[]): Promise<void> {
    const { accountability, query, primaryKey } = group[0]!;
    const rows = new Map<string, Item>();
    for (let i = 0; i < mutation.keys.length; i += READ_CHUNK) {
      const keys = mutation.keys.slice(i, i + READ_CHUNK);
      try {
        const ctx = this.contexts.create(accountability, { transport: 'graphql' });
        this.reads++;
        const result = await this.items.readMany(ctx, mutation.collection, keys, { ...query, limit: keys.length });
        for (const row of result.data) rows.set(String(row[primaryKey]), row);
      } catch (error) {
        // Directus: "don't notify the subscription of permission errors".
        this.logger.debug({ msg: 'subscription read skipped', collection: mutation.collection, error: String(error) });
      }
    }
    for (const key of mutation.keys) {
      const row = rows.get(String(key));
      if (!row) continue;
      for (const subscriber of group) subscriber.push({ key, event: mutation.action, data: row });
    }
  }
}

/** Same permissions (everything a permission rule can depend on) and same query: one read serves them all. */
function groupOf(s: MutationSubscription): string {
  const a = s.accountability;
  return JSON.stringify([a.admin, a.app, a.user, a.role, a.roles, a.policies, s.query]);
}
