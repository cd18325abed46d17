import { InvalidPayloadError } from '@lib/errors';
import { compileInsert, compileResetSequence } from '@lib/query';
import type { CollectionSnapshot } from '@lib/schema';
import type { MutationEvent, PrimaryKey } from '../../../core/events/items-events';
import type { Row } from '../payload-caster';
import type { WriteExecutor } from './executor';
import { isObject, levelRows, oneToManyParents, splitAliases } from './planner';
import type { Runners } from './runners';
import type { WriteContext } from './write-context';

/**
 * Creates the rows of one collection at one level of a request: filter hooks and permission per item, then the
 * M2O/A2O rows they point at, then ONE multi-row INSERT … RETURNING (chunked under the parameter limit), then their
 * O2M/M2M/M2A children.
 */
export class CreateRunner {
  constructor(
    private readonly exec: WriteExecutor,
    private readonly runners: Runners,
  ) {}

  async run(ctx: WriteContext, c: CollectionSnapshot, raw: Row[], parent: MutationEvent | null): Promise<PrimaryKey[]> {
    if (raw.length === 0) return [];
    const { exec } = this;
    exec.track(ctx, raw.length);
    const permission = await exec.permission(ctx, c, 'create');
    const items: Row[] = [];
    for (const item of raw) {
      if (!isObject(item)) throw new InvalidPayloadError(`Items of "${c.collection}" must be objects`);
      const filtered = await exec.bus.filter('create', c.collection, item, ctx.request);
      items.push(exec.access.checkPayload(permission, c, filtered, 'create'));
    }
    const mark = ctx.events.length;
    await this.runners.relations.manyToOne(ctx, c, items, parent);
    const split = items.map((item) => splitAliases(c, item));
    const rows = await levelRows(c, split, ctx.accountability, ctx.now);
    const inserted = await this.insertRows(ctx, c, rows);
    const keys = inserted.map((r) => r[c.primaryKey] as PrimaryKey);
    const event = exec.record(
      ctx,
      { action: 'create', collection: c.collection, keys, payload: rows, after: inserted, before: null },
      parent,
      mark,
    );
    for (const [field, relation] of Object.entries(c.relations)) {
      if (relation.kind !== 'o2m') continue;
      const parents = oneToManyParents(field, split, keys);
      if (parents.length) await this.runners.relations.oneToMany(ctx, relation, parents, true, parent ?? event);
    }
    return keys;
  }

  private async insertRows(ctx: WriteContext, c: CollectionSnapshot, rows: Row[]): Promise<Row[]> {
    const out: Row[] = [];
    // Chunked under the parameter limit; with nothing given at all, one row of DEFAULTs per item.
    for (const insert of compileInsert(c, rows)) {
      const write = { collection: c, action: 'create' as const, statement: insert, row: insert.rows[0]! };
      out.push(...(await this.exec.writeRows(ctx, write, insert.rows)));
    }
    const pk = c.fields[c.primaryKey];
    if (pk.autoIncrement && rows.some((r) => r[c.primaryKey] !== undefined && r[c.primaryKey] !== null)) {
      // Explicit auto-increment keys: move the sequence past the highest key so later inserts don't collide
      // (Directus resets it too, spec 11 createOne step 8). Never moves it backwards.
      await this.exec.query(compileResetSequence(c));
    }
    return out;
  }
}
