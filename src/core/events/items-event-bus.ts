import { Injectable, Logger } from '@nestjs/common';
import type { Accountability } from '../context/accountability';
import type {
  ActionListener,
  FilterHook,
  MutationAction,
  MutationEvent,
  PrimaryKey,
  TransactionHandler,
} from './items-events';

/**
 * The seam between items and everyone who reacts to item writes (revisions, realtime, extension modules). The items
 * service emits; it never knows who listens. Three kinds of listener, matching Directus's filter/action hooks plus an
 * in-transaction stage:
 * - filter hooks run before the write and may change or reject the payload;
 * - transaction handlers run inside the writing transaction (a throw rolls everything back);
 * - action listeners run after commit only.
 */
@Injectable()
export class ItemsEventBus {
  private readonly logger = new Logger('ItemsEvents');
  private readonly filters: { collection: string | '*'; action: MutationAction | '*'; hook: FilterHook }[] = [];
  private readonly handlers: {
    hook: TransactionHandler;
    needsBefore: boolean;
    collections: ReadonlySet<string> | null;
  }[] = [];
  private readonly actions: { listener: ActionListener; needsBefore: boolean }[] = [];

  onFilter(action: MutationAction | '*', collection: string | '*', hook: FilterHook): () => void {
    return register(this.filters, { collection, action, hook });
  }

  /** With `collections`, the handler runs for writes to those collections only (default: every collection). */
  inTransaction(
    hook: TransactionHandler,
    options: { needsBefore?: boolean; collections?: Iterable<string> } = {},
  ): () => void {
    return register(this.handlers, {
      hook,
      needsBefore: options.needsBefore ?? false,
      collections: options.collections ? new Set(options.collections) : null,
    });
  }

  /**
   * Listens to committed mutations. With `needsBefore`, update and delete events carry the rows as they were before
   * the write (read in the same transaction, only while such a listener or handler is registered).
   */
  afterCommit(listener: ActionListener, options: { needsBefore?: boolean } = {}): () => void {
    return register(this.actions, { listener, needsBefore: options.needsBefore ?? false });
  }

  /**
   * Whether no filter hook or in-transaction handler applies to writes of `collection` and no listener wants before
   * images: the write path then runs no code but its own before the commit (so a one-row write can be one statement).
   */
  quietFor(collection: string): boolean {
    return (
      !this.wantsBefore &&
      !this.filters.some((f) => f.collection === '*' || f.collection === collection) &&
      !this.handlers.some((h) => !h.collections || h.collections.has(collection))
    );
  }

  /** Whether any listener wants before images (so the write path reads them only when needed). */
  get wantsBefore(): boolean {
    return this.handlers.some((h) => h.needsBefore) || this.actions.some((a) => a.needsBefore);
  }

  async filter<T>(
    action: MutationAction,
    collection: string,
    payload: T,
    accountability: Accountability,
    keys?: readonly PrimaryKey[],
  ): Promise<T> {
    let current: unknown = payload;
    for (const f of this.filters) {
      if ((f.action !== '*' && f.action !== action) || (f.collection !== '*' && f.collection !== collection)) continue;
      const next = await f.hook(current, { event: `items.${action}`, collection, keys }, { accountability });
      if (next !== undefined) current = next;
    }
    return current as T;
  }

  async runInTransaction(event: MutationEvent): Promise<void> {
    for (const h of this.handlers) if (!h.collections || h.collections.has(event.collection)) await h.hook(event);
  }

  /** Called after commit with every mutation of the request, in order. */
  emitCommitted(events: readonly MutationEvent[]): void {
    for (const event of events) {
      for (const { listener } of this.actions) {
        Promise.resolve()
          .then(() => listener(event))
          .catch((error: unknown) =>
            this.logger.error({
              msg: 'after-commit listener failed',
              collection: event.collection,
              error: String(error),
            }),
          );
      }
    }
  }
}

/** Adds an entry; the returned function removes exactly that entry, once (calling it again is a no-op). */
function register<T>(list: T[], entry: T): () => void {
  list.push(entry);
  return () => {
    const index = list.indexOf(entry);
    if (index >= 0) list.splice(index, 1);
  };
}
