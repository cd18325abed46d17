import type { ItemsContext } from '../../../core/context/items-context';
import type { Database } from '../../../core/database/database.service';
import type { ItemsEventBus } from '../../../core/events/items-event-bus';
import { writeContext, type ReadBack, type WriteContext } from './write-context';

/**
 * One write request, in ONE transaction: its writes (the runners record their events in `ctx.events`), then the
 * in-transaction handlers over those events (all complete by then, parents set), then — once the OUTERMOST
 * transaction commits, which is not this one when it joined a caller's transaction — the after-commit listeners.
 * This is the only place the write path hands events to listeners. `readBack` is given only when the request is
 * provably one statement: it then runs without BEGIN/COMMIT (and no handler applies to it).
 */
export async function runWriteRequest<T>(
  db: Database,
  bus: ItemsEventBus,
  request: ItemsContext,
  fn: (ctx: WriteContext) => Promise<T>,
  readBack?: ReadBack,
): Promise<T> {
  const ctx = writeContext(request, readBack);
  const run = async () => {
    const result = await fn(ctx);
    await bus.runInTransaction(ctx.events, (name) => ctx.schema.collections[name], {
      folded: ctx.folded,
      foldedEvents: ctx.foldedEvents,
    });
    db.afterCommit(() => bus.emitCommitted(ctx.events));
    return result;
  };
  return readBack ? db.autocommit(run) : db.transaction(run);
}
