import type { Params } from '@lib/query';
import type { CollectionSnapshot } from '@lib/schema';
import type { Accountability } from '../context/accountability';

export type MutationAction = 'create' | 'update' | 'delete';
export type Item = Record<string, unknown>;
export type PrimaryKey = string | number;

/** One set-based write on one collection, as the items service performed it. */
export interface MutationEvent {
  readonly action: MutationAction;
  readonly collection: string;
  readonly keys: readonly PrimaryKey[];
  /** The payload as written (after filter hooks and casting); for deletes, the keys. */
  readonly payload: Item | readonly Item[] | readonly PrimaryKey[];
  /** Rows after the write (create/update), straight from `RETURNING *`. */
  readonly after: readonly Item[];
  /** Rows before the write (update/delete) when a handler asked for them. */
  readonly before: readonly Item[] | null;
  readonly accountability: Accountability;
  /**
   * The top-level mutation this nested one belongs to; null at the top. Set before any in-transaction handler sees
   * the event (an M2O item written before its parent row exists is adopted by that parent first).
   */
  readonly parent: MutationEvent | null;
  /** The request (HTTP request, GraphQL operation, WebSocket message) that made the change; shared by its events. */
  readonly requestId: string;
}

/**
 * What a filter hook can filter: the three writes, plus `query` (a read's sanitized query, before it is compiled) and
 * `read` (a read's result rows, before they are answered), as Directus's `items.query` / `items.read` filters.
 */
export type FilterAction = MutationAction | 'query' | 'read';

/**
 * Runs before a write (or a read: `items.query`, `items.read`) and may replace the payload (return a value) or reject
 * it (throw). `keys`: an update's or delete's keys; `query`: the query of an `items.read` (after the query hooks).
 */
export type FilterHook = (
  payload: unknown,
  meta: {
    readonly event: `items.${FilterAction}`;
    readonly collection: string;
    readonly keys?: readonly PrimaryKey[];
    readonly query?: unknown;
  },
  context: { readonly accountability: Accountability; readonly requestId?: string },
) => unknown | Promise<unknown>;

/**
 * Runs inside the writing transaction, once the request's writes are done and before it commits, once per event in
 * the order the writes happened; a throw rolls the whole request back. `collection` is the written collection as the
 * writing request's snapshot has it.
 */
export type TransactionHandler = (event: MutationEvent, collection: CollectionSnapshot | undefined) => Promise<void>;

/** Runs once the outermost transaction has committed. Errors are logged, never sent to the client. */
export type ActionListener = (event: MutationEvent) => void | Promise<void>;

/**
 * Which collections an in-transaction handler applies to: a fixed list, or a predicate asked with the collection as
 * the writing request's schema snapshot has it (so per-collection settings such as `accountability` follow schema
 * changes without re-registering).
 */
export type CollectionScope = Iterable<string> | ((collection: CollectionSnapshot) => boolean);

/**
 * A write whose in-transaction work is folded into its own statement, as a fold contributor sees it: a one-row write
 * that the items path runs as ONE statement (no BEGIN/COMMIT), or a top-level multi-row create with nothing nested
 * (one INSERT of a batch, inside the request's transaction).
 */
export interface FoldedWrite {
  readonly collection: CollectionSnapshot;
  readonly action: 'create' | 'update';
  /** The (first) row as written (after hooks, presets, specials and casting; an update's key left out). */
  readonly row: Item;
  /** A multi-row create: every row as written, in the INSERT's order. */
  readonly rows?: readonly Item[];
  readonly accountability: Accountability;
  readonly requestId: string;
}

/**
 * What an in-transaction handler does for a write the items path folds into its statement: data-modifying CTEs to
 * append to that statement, after the write's own CTE `written` (an `INSERT/UPDATE … RETURNING *`), their values
 * added to `params` (which holds the statement's values so far). A handler with a fold contributor does not stop a
 * one-row write from being one statement; its in-transaction hook is not called for a folded write. For a multi-row
 * create (`write.rows`) it may answer null: it can't be folded, and the write then runs as usual with the hook.
 */
export type FoldContributor = (write: FoldedWrite, params: Params, written: string) => readonly string[] | null;
