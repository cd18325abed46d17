import { InvalidPayloadError } from '@lib/errors';
import { compileUpdate } from '@lib/query';
import type { CollectionSnapshot } from '@lib/schema';
import type { MutationEvent, PrimaryKey } from '../../../core/events/items-events';
import type { Row } from '../payload-caster';
import type { WriteExecutor } from './executor';
import { batchElement, castKeys, isObject, levelRow, splitAliases } from './planner';
import type { Runners } from './runners';
import type { WriteContext } from './write-context';

/**
 * Updates rows of one collection at one level of a request with the same data: filter hook, permission (fields and
 * every row), the M2O/A2O rows the data points at, ONE `UPDATE … WHERE pk = ANY($1) RETURNING *`, then the O2M
 * children of every updated row.
 */
export class UpdateRunner {
  constructor(
    private readonly exec: WriteExecutor,
    private readonly runners: Runners,
  ) {}

  async run(
    ctx: WriteContext,
    c: CollectionSnapshot,
    keys: PrimaryKey[],
    raw: Row,
    parent: MutationEvent | null,
  ): Promise<void> {
    if (!isObject(raw)) throw new InvalidPayloadError(`Update of "${c.collection}" must be an object`);
    const { exec } = this;
    exec.track(ctx, keys.length);
    const permission = await exec.permission(ctx, c, 'update');
    const filtered = await exec.bus.filter('update', c.collection, raw, ctx.request, keys);
    const data = exec.access.checkPayload(permission, c, filtered, 'update');
    await exec.access.assertRows(permission, ctx.schema, c, keys, ctx.accountability, Object.keys(data));
    const mark = ctx.events.length;
    await this.runners.relations.manyToOne(ctx, c, [data], parent);
    const { columns, aliases } = splitAliases(c, data);
    delete columns[c.primaryKey];
    // As Directus, the update specials stamp every update, even one that only changes relations.
    const row = await levelRow(c, columns, 'update', ctx.accountability, ctx.now);
    const before = await exec.before(c, keys, ctx.readBack !== undefined);
    let after: Row[] = [];
    const update = compileUpdate(c, keys, row);
    if (update) after = await exec.writeRows(ctx, { collection: c, action: 'update', statement: update, row }, data);
    const event = exec.record(
      ctx,
      { action: 'update', collection: c.collection, keys, payload: row, after, before },
      parent,
      mark,
    );
    for (const [field, value] of Object.entries(aliases)) {
      const relation = c.relations[field];
      if (relation?.kind !== 'o2m') continue;
      await this.runners.relations.oneToMany(
        ctx,
        relation,
        keys.map((key) => ({ key, value })),
        false,
        parent ?? event,
      );
    }
  }

  /** The keys as given, cast (a key outside the key's range names no row and is left out). */
  async runKeys(ctx: WriteContext, c: CollectionSnapshot, keys: readonly PrimaryKey[], data: Row): Promise<void> {
    await this.run(ctx, c, await castKeys(c, keys), data, null);
  }

  /** Array body: each element carries its primary key and gets its own update, in order. */
  async batch(ctx: WriteContext, c: CollectionSnapshot, items: Row[]): Promise<PrimaryKey[]> {
    const keys: PrimaryKey[] = [];
    for (const item of items) {
      const element = batchElement(c, item);
      const [key] = await castKeys(c, [element.key]);
      if (key === undefined) continue; // out of the key's range: no such row
      await this.run(ctx, c, [key], element.data, null);
      keys.push(key);
    }
    return keys;
  }

  /**
   * Update by query: the action and the payload's fields are checked first, so a forbidden request is 403 even when
   * no row matches; then the keys, then an update of exactly those rows.
   */
  async byKeysOf(
    ctx: WriteContext,
    c: CollectionSnapshot,
    findKeys: () => Promise<PrimaryKey[]>,
    data: Row,
  ): Promise<PrimaryKey[]> {
    this.exec.access.checkFields(await this.exec.permission(ctx, c, 'update'), c, data);
    const keys = await findKeys();
    if (keys.length) await this.run(ctx, c, keys, data, null);
    return keys;
  }
}
