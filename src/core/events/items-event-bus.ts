import { Injectable, Logger } from '@nestjs/common';
import type { Params } from '@lib/query';
import type { CollectionSnapshot } from '@lib/schema';
import type { Accountability } from '../context/accountability';
import type {
  ActionListener,
  CollectionScope,
  FilterAction,
  FilterHook,
  FoldContributor,
  FoldedWrite,
  MutationEvent,
  PrimaryKey,
  TransactionHandler,
} from './items-events';

interface HandlerEntry {
  readonly hook: TransactionHandler;
  readonly needsBefore: boolean;
  /** null: every collection. */
  readonly applies: ((collection: CollectionSnapshot) => boolean) | null;
  /** What the handler adds to a write folded into one statement (see FoldContributor); null: it can't be folded. */
  readonly fold: FoldContributor | null;
}

/**
 * The seam between items and everyone who reacts to item writes (revisions, realtime, extension modules). The items
 * service emits; it never knows who listens. Three kinds of listener, matching Directus's filter/action hooks plus an
 * in-transaction stage:
 * - filter hooks run before the write and may change or reject the payload;
 * - transaction handlers run inside the writing transaction, after the request's writes and before its commit, with
 *   every event complete (parent set); a throw rolls everything back;
 * - action listeners run after the outermost commit only.
 */
@Injectable()
export class ItemsEventBus {
  private readonly logger = new Logger('ItemsEvents');
  private readonly filters: { collection: string | '*'; action: FilterAction | '*'; hook: FilterHook }[] = [];
  private readonly handlers: HandlerEntry[] = [];
  private readonly actions: { listener: ActionListener; needsBefore: boolean }[] = [];

  /**
   * A filter hook for `action` (a write, or a read's `query` / `read`; '*': every write) on `collection` ('*': every
   * one), after those registered so far. Any filter hook on a collection (reads included) keeps its writes off the one-statement path:
   * the hook runs, and the re-read after the write is a read of its own.
   */
  onFilter(action: FilterAction | '*', collection: string | '*', hook: FilterHook): () => void {
    return register(this.filters, { collection, action, hook });
  }

  /** Whether a filter hook for `action` applies to `collection` (reads skip the hooks' work when none does). */
  hasFilter(action: FilterAction, collection: string): boolean {
    for (const f of this.filters) if (matches(f, action, collection)) return true;
    return false;
  }

  /**
   * With `collections`, the handler runs for writes to those collections only (default: every collection): a list of
   * names, or a predicate asked with the collection as the writing request's snapshot has it.
   */
  inTransaction(
    hook: TransactionHandler,
    options: { needsBefore?: boolean; collections?: CollectionScope; fold?: FoldContributor } = {},
  ): () => void {
    return register(this.handlers, {
      hook,
      needsBefore: options.needsBefore ?? false,
      applies: scopePredicate(options.collections),
      fold: options.fold ?? null,
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
  quietFor(collection: CollectionSnapshot): boolean {
    return (
      !this.actions.some((a) => a.needsBefore) &&
      !this.filters.some((f) => f.collection === '*' || f.collection === collection.collection) &&
      // A handler with a fold contributor adds CTEs to the one statement instead (see foldCtes).
      !this.handlers.some((h) => (h.needsBefore || !h.applies || h.applies(collection)) && !h.fold)
    );
  }

  /**
   * The CTEs the in-transaction handlers add to a write folded into its statement (see FoldContributor), in
   * registration order; values go to `params`, `written` names the write's `RETURNING *` CTE. Null when a handler
   * can't fold this write (a multi-row create only).
   */
  foldCtes(write: FoldedWrite, params: Params, written: string): string[] | null {
    const out: string[] = [];
    for (const h of this.handlers) {
      if (h.applies && !h.applies(write.collection)) continue;
      // A handler without one runs as an in-transaction hook (one-row writes are folded only when none applies).
      if (!h.fold) continue;
      const ctes = h.fold(write, params, written);
      if (ctes === null) return null;
      out.push(...ctes);
    }
    return out;
  }

  /** Whether some in-transaction handler with a fold contributor applies to writes of `collection`. */
  foldsFor(collection: CollectionSnapshot): boolean {
    return this.handlers.some((h) => h.fold && (!h.applies || h.applies(collection)));
  }

  /** Whether any listener wants before images (so the write path reads them only when needed). */
  get wantsBefore(): boolean {
    return this.handlers.some((h) => h.needsBefore) || this.actions.some((a) => a.needsBefore);
  }

  async filter<T>(
    action: FilterAction,
    collection: string,
    payload: T,
    context: { readonly accountability: Accountability; readonly requestId?: string },
    keys?: readonly PrimaryKey[],
    query?: unknown,
  ): Promise<T> {
    let current: unknown = payload;
    const meta = { event: `items.${action}` as const, collection, keys, ...(query === undefined ? {} : { query }) };
    for (const f of this.filters) {
      if (!matches(f, action, collection)) continue;
      const next = await f.hook(current, meta, {
        accountability: context.accountability,
        requestId: context.requestId,
      });
      if (next !== undefined) current = next;
    }
    return current as T;
  }

  /**
   * Runs the in-transaction handlers over a request's events, in order, once its writes are done: every event is
   * complete by then (a nested item written before its parent already carries that parent). `collectionOf` gives the
   * collection as the request's snapshot has it.
   */
  async runInTransaction(
    events: readonly MutationEvent[],
    collectionOf: (name: string) => CollectionSnapshot | undefined,
    options: { folded?: boolean; foldedEvents?: ReadonlySet<MutationEvent> } = {},
  ): Promise<void> {
    if (this.handlers.length === 0) return;
    for (const event of events) {
      const collection = collectionOf(event.collection);
      const folded = options.folded || options.foldedEvents?.has(event);
      for (const h of this.handlers.slice()) {
        // A folded write already ran what the handler's fold contributor added to its statement.
        if (folded && h.fold) continue;
        if (!h.applies || (collection && h.applies(collection))) await h.hook(event, collection);
      }
    }
  }

  /** Called once after the outermost commit with every mutation of the request, in order. */
  emitCommitted(events: readonly MutationEvent[]): void {
    if (this.actions.length === 0) return;
    for (const event of events) {
      for (const { listener } of this.actions) {
        Promise.resolve()
          .then(() => listener(event))
          .catch((error: unknown) =>
            this.logger.error({
              msg: 'after-commit listener failed',
              collection: event.collection,
              requestId: event.requestId,
              error: String(error),
            }),
          );
      }
    }
  }
}

/** Whether a filter entry applies: its action ('*': every WRITE action; reads are hooked by name), its collection. */
function matches(
  f: { readonly collection: string; readonly action: FilterAction | '*' },
  action: FilterAction,
  collection: string,
): boolean {
  const actionMatches = f.action === action || (f.action === '*' && action !== 'query' && action !== 'read');
  return actionMatches && (f.collection === '*' || f.collection === collection);
}

function scopePredicate(scope: CollectionScope | undefined): HandlerEntry['applies'] {
  if (!scope) return null;
  if (typeof scope === 'function') return scope;
  const names = new Set(scope);
  return (collection) => names.has(collection.collection);
}

/** Adds an entry; the returned function removes exactly that entry, once (calling it again is a no-op). */
function register<T>(list: T[], entry: T): () => void {
  list.push(entry);
  return () => {
    const index = list.indexOf(entry);
    if (index >= 0) list.splice(index, 1);
  };
}
