import { compileDelete } from '@lib/query';
import type { CollectionSnapshot } from '@lib/schema';
import type { MutationEvent, PrimaryKey } from '../../../core/events/items-events';
import type { WriteExecutor } from './executor';
import { castKeyPairs } from './planner';
import type { WriteContext } from './write-context';

/** Deletes rows of one collection at one level of a request: filter hook, permission on every row, ONE DELETE. */
export class DeleteRunner {
  constructor(private readonly exec: WriteExecutor) {}

  /**
   * `passed`: the keys as the caller passed them, aligned with `raw` (cast); the event's payload (as Directus's
   * `items.delete` payload and keys, e.g. `"5"` from a URL), unless a filter hook replaced the keys.
   */
  async run(
    ctx: WriteContext,
    c: CollectionSnapshot,
    raw: PrimaryKey[],
    parent: MutationEvent | null,
    passed?: readonly PrimaryKey[],
  ): Promise<void> {
    if (raw.length === 0) return;
    const { exec } = this;
    exec.track(ctx, raw.length);
    const permission = await exec.permission(ctx, c, 'delete');
    const keys = await exec.bus.filter('delete', c.collection, raw, ctx.request);
    const payload = keys === raw && passed ? passed : keys;
    await exec.access.assertRows(permission, ctx.schema, c, keys, ctx.accountability, []);
    const before = await exec.before(c, keys);
    await exec.guarded(c.collection, {}, () => exec.query(compileDelete(c, keys)));
    exec.record(
      ctx,
      { action: 'delete', collection: c.collection, keys, payload, after: [], before },
      parent,
      ctx.events.length,
    );
  }

  /** The keys as given, cast (a key outside the key's range names no row and is left out). */
  async runKeys(ctx: WriteContext, c: CollectionSnapshot, keys: readonly PrimaryKey[]): Promise<void> {
    const { cast, passed } = await castKeyPairs(c, keys);
    await this.run(ctx, c, cast, null, passed);
  }

  /** Delete by query: the action is checked first (403 even when no row matches), then the keys. */
  async byKeysOf(
    ctx: WriteContext,
    c: CollectionSnapshot,
    findKeys: () => Promise<PrimaryKey[]>,
  ): Promise<PrimaryKey[]> {
    await this.exec.permission(ctx, c, 'delete');
    const keys = await findKeys();
    if (keys.length) await this.run(ctx, c, keys, null);
    return keys;
  }
}
