import { SetMetadata } from '@nestjs/common';
import type { FilterAction, MutationAction } from '../events/items-events';

/** The item writes an extension can listen to after commit ({@link ItemsAction}). */
export type ItemsEventName = `items.${MutationAction}`;

/**
 * The item events a filter hook ({@link ItemsFilter}) can change or reject: the writes, plus `items.query` (a read's
 * query, before it is compiled) and `items.read` (a read's result rows, before they are answered).
 */
export type ItemsFilterEventName = `items.${FilterAction}`;

/** Where a hook applies and in which order it runs. */
export interface ItemsHookOptions {
  /** One collection, several, or (left out) every collection. */
  readonly collection?: string | readonly string[];
  /**
   * Lower runs first (default 100). Hooks of equal priority run in registration order: module import order, then
   * provider order, then method order in the class.
   */
  readonly priority?: number;
}

/** @internal Metadata key of {@link ItemsFilter}. */
export const ITEMS_FILTER = 'tessera:items-filter';
/** @internal Metadata key of {@link ItemsAction}. */
export const ITEMS_ACTION = 'tessera:items-action';

/** @internal What the decorators store on a method. */
export interface HookMetadata extends ItemsHookOptions {
  readonly events: readonly ItemsFilterEventName[];
}

/**
 * Marks a method of an injectable class (a provider of an extension module) as a **filter hook**: it runs inside the
 * writing request, before anything is written, with `(payload, meta, context)`; or, for `items.query` / `items.read`,
 * inside a read of the collection (REST, GraphQL, WebSockets, extension endpoints alike).
 *
 * - Return a value to replace the payload (an object for a single-item write, an array for a batch, the keys for a
 *   delete; the sanitized query for `items.query`; the array of result rows for `items.read`, also for a read of one
 *   item); return `undefined` to keep it.
 * - Throw a Directus error (see the error classes of the public barrel) to reject the request: the client gets that
 *   error's envelope and status and nothing is written.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class Slugs {
 *   @ItemsFilter(['items.create', 'items.update'], { collection: 'articles' })
 *   slug(payload: Record<string, unknown>) {
 *     return typeof payload.title === 'string' ? { ...payload, slug: slugify(payload.title) } : payload;
 *   }
 * }
 * ```
 */
export function ItemsFilter(
  event: ItemsFilterEventName | readonly ItemsFilterEventName[],
  options: ItemsHookOptions = {},
): MethodDecorator {
  return SetMetadata<string, HookMetadata>(ITEMS_FILTER, { ...options, events: toList(event) });
}

/**
 * Marks a method of an injectable class as an **action listener**: it runs after the request's transaction has
 * committed, once per set-based write, with the {@link MutationEvent} (keys, payload, rows after the write, the
 * caller's accountability, the request id). It never delays or changes the response; an error it throws is logged
 * as structured JSON (`after-commit listener failed`) and harms nothing. A rolled-back write calls no listener.
 */
export function ItemsAction(
  event: ItemsEventName | readonly ItemsEventName[],
  options: ItemsHookOptions = {},
): MethodDecorator {
  return SetMetadata<string, HookMetadata>(ITEMS_ACTION, { ...options, events: toList(event) });
}

function toList<E extends ItemsFilterEventName>(event: E | readonly E[]): readonly E[] {
  return typeof event === 'string' ? [event] : [...(event as readonly E[])];
}
