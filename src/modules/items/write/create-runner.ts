import { InvalidPayloadError } from '@lib/errors';
import { compileInsert, compileResetSequence } from '@lib/query';
import type { CollectionSnapshot } from '@lib/schema';
import type { MutationEvent, PrimaryKey } from '../../../core/events/items-events';
import type { Row } from '../payload-caster';
import type { WriteExecutor } from './executor';
import { isObject, levelRows, oneToManyParents, splitAliases } from './planner';
import type { Runners } from './runners';
import type { WriteContext } from './write-context';

function isEmpty(row: Row): boolean {
  for (const _ in row) return false;
  return true;
}

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
    // A top-level create with nothing nested (no M2O object written before it, no O2M value after it) may take the
    // in-transaction handlers' part (activity, revisions) into its INSERT.
    const flat = !parent && ctx.nested === 0 && ctx.events.length === mark && split.every((s) => isEmpty(s.aliases));
    const { rows: inserted, folded } = await this.insertRows(ctx, c, rows, flat);
    const keys = inserted.map((r) => r[c.primaryKey] as PrimaryKey);
    const event = exec.record(
      ctx,
      { action: 'create', collection: c.collection, keys, payload: rows, after: inserted, before: null },
      parent,
      mark,
      folded,
    );
    for (const [field, relation] of Object.entries(c.relations)) {
      if (relation.kind !== 'o2m') continue;
      const parents = oneToManyParents(field, split, keys);
      if (parents.length) await this.runners.relations.oneToMany(ctx, relation, parents, true, parent ?? event);
    }
    return keys;
  }

  private async insertRows(
    ctx: WriteContext,
    c: CollectionSnapshot,
    rows: Row[],
    flat: boolean,
  ): Promise<{ rows: Row[]; folded: boolean }> {
    const out: Row[] = [];
    const pk = c.fields[c.primaryKey];
    const given = (r: Row) => r[c.primaryKey] !== undefined && r[c.primaryKey] !== null;
    // Explicit auto-increment keys: the sequence moves past the highest key after them so later inserts don't
    // collide (Directus resets it after each createOne, spec 11 createOne step 8; never backwards). A row without a
    // key that follows one with a key must see that reset, so the rows are inserted in runs that end there.
    const runs: Row[][] = [];
    let start = 0;
    if (pk.autoIncrement) {
      for (let i = 0; i + 1 < rows.length; i++) {
        if (given(rows[i]!) && !given(rows[i + 1]!)) {
          runs.push(rows.slice(start, i + 1));
          start = i + 1;
        }
      }
    }
    runs.push(start === 0 ? rows : rows.slice(start));
    // Chunked under the parameter limit; with nothing given at all, one row of DEFAULTs per item.
    const inserts = runs.map((run) => compileInsert(c, run));
    // One INSERT for the whole event: the handlers' part can be folded into it (more chunks: they run after).
    const foldable = flat && inserts.length === 1 && inserts[0]!.length === 1;
    let folded = false;
    for (const [i, chunks] of inserts.entries()) {
      for (const insert of chunks) {
        const write = {
          collection: c,
          action: 'create' as const,
          statement: insert,
          row: insert.rows[0]!,
          rows: foldable ? insert.rows : undefined,
        };
        const written = await this.exec.writeFoldable(ctx, write, insert.rows);
        out.push(...written.rows);
        folded = written.folded;
      }
      if (pk.autoIncrement && runs[i]!.some(given)) await this.exec.query(compileResetSequence(c));
    }
    return { rows: out, folded: foldable && folded };
  }
}
