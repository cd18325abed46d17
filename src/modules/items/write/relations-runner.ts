import { ForbiddenError } from '@lib/errors';
import { compileDeselectCandidates, compileLinkCandidates, compileSortMax } from '@lib/query';
import type { CollectionSnapshot } from '@lib/schema';
import type { MutationEvent, PrimaryKey } from '../../../core/events/items-events';
import type { Row } from '../payload-caster';
import type { WriteExecutor } from './executor';
import {
  castKeys,
  childUpdate,
  fillSort,
  givenKeys,
  partitionExisting,
  planManyToOne,
  planOneToManyParent,
  sortParents,
  toOneValue,
  type O2MParent,
  type O2MRelation,
} from './planner';
import type { Runners } from './runners';
import type { WriteContext } from './write-context';

/** One deselection: the children of `key` to unlink, exactly `keys` ('only') or all but `keys` ('except'). */
interface Deselection {
  readonly key: PrimaryKey;
  readonly keys: PrimaryKey[];
  readonly mode: 'only' | 'except';
}

/**
 * Runs the planner's relational steps (write/planner.ts) with the create, update and delete runners: the M2O/A2O
 * rows a level points at (before that level is written) and the O2M/M2M/M2A children of its rows (after).
 */
export class RelationsRunner {
  constructor(
    private readonly exec: WriteExecutor,
    private readonly runners: Runners,
  ) {}

  /**
   * M2O and A2O values that are objects become nested writes, grouped per relation and target: objects whose key
   * exists are updated (unless they hold only the key), the others created, in one INSERT per target; then the FK
   * (and A2O collection) of each item is set.
   */
  async manyToOne(ctx: WriteContext, c: CollectionSnapshot, items: Row[], parent: MutationEvent | null): Promise<void> {
    // What is written here is nested even when `parent` is still null (the top-level row doesn't exist yet).
    ctx.nested++;
    try {
      await this.manyToOneWrites(ctx, c, items, parent);
    } finally {
      ctx.nested--;
    }
  }

  private async manyToOneWrites(
    ctx: WriteContext,
    c: CollectionSnapshot,
    items: Row[],
    parent: MutationEvent | null,
  ): Promise<void> {
    for (const [field, relation] of Object.entries(c.relations)) {
      if (relation.kind === 'o2m') continue;
      for (const { target, entries } of planManyToOne(c, field, relation, items)) {
        const related = ctx.schema.collections[target];
        if (!related) throw ForbiddenError.collection(target);
        const pk = related.primaryKey;
        const existing = new Set((await this.exec.existingKeys(related, givenKeys(entries, pk))).map(String));
        const plan = partitionExisting(entries, pk, existing);
        for (const { entry, key, data } of plan.existing) {
          if (data) await this.runners.update.run(ctx, related, [key], data, parent);
          entry.item[field] = toOneValue(relation, key);
        }
        const created = await this.runners.create.run(
          ctx,
          related,
          plan.create.map((e) => e.value),
          parent,
        );
        plan.create.forEach((e, i) => (e.item[field] = toOneValue(relation, created[i]!)));
      }
    }
  }

  /**
   * O2M / M2M / M2A children for several parents. Array form = full replacement (unlisted children deselected by
   * `one_deselect_action`); detailed form `{create, update, delete}` touches only what it lists (spec 4.2). The
   * children created for all parents are ONE insert, after the deselections.
   */
  async oneToMany(
    ctx: WriteContext,
    relation: O2MRelation,
    parents: O2MParent[],
    parentsAreNew: boolean,
    parentEvent: MutationEvent,
  ): Promise<void> {
    const child = ctx.schema.collections[relation.related];
    const pk = child.primaryKey;
    const fk = relation.foreignKey;
    const creates: Row[] = [];
    const deselects: Deselection[] = [];
    for (const parent of parents) {
      const plan = planOneToManyParent(relation, pk, parent);
      const { key } = plan;
      for (const row of plan.creates) creates.push(row);
      if (plan.form === 'detailed') {
        for (const entry of plan.updates) {
          const update = childUpdate(relation, pk, key, entry);
          await this.runners.update.run(ctx, child, await castKeys(child, [update.key]), update.data, parentEvent);
        }
        if (plan.deletes.length) deselects.push({ key, keys: plan.deletes, mode: 'only' });
        continue;
      }
      const keep: PrimaryKey[] = [];
      // Links: existing children by key (403 when one doesn't exist), pointed at this parent.
      if (plan.links.length) {
        const links = await castKeys(child, plan.links);
        const found = await this.exec.existingKeys(child, links);
        if (found.length !== new Set(links.map(String)).size) throw new ForbiddenError();
        const current = await this.exec.query(compileLinkCandidates(relation, links, key));
        if (current.length) {
          const repoint = current.map((r) => r.pk as PrimaryKey);
          await this.runners.update.run(ctx, child, repoint, { [fk]: key }, parentEvent);
        }
        keep.push(...links);
      }
      // Upserts: update the child if it exists (re-pointing it here), else create it with the given key.
      if (plan.upserts.length) {
        const given = plan.upserts.map((u) => u[pk] as PrimaryKey);
        const exists = new Set((await this.exec.existingKeys(child, given)).map(String));
        for (const entry of plan.upserts) {
          const { [pk]: childKey, ...rest } = entry;
          if (exists.has(String(childKey))) {
            await this.runners.update.run(ctx, child, [childKey as PrimaryKey], { ...rest, [fk]: key }, parentEvent);
          } else {
            creates.push({ ...entry, [fk]: key });
          }
          keep.push(childKey as PrimaryKey);
        }
      }
      if (!parentsAreNew) deselects.push({ key, keys: keep, mode: 'except' });
    }
    // Sort values count the children as they were before this write, so read max(sort) before deselecting.
    if (creates.length) await this.fillSortField(relation, creates, parentsAreNew);
    for (const d of deselects) await this.deselect(ctx, child, relation, d, parentEvent);
    if (creates.length) await this.runners.create.run(ctx, child, creates, parentEvent);
  }

  /** Unlinks children of a parent (nullify or delete, as `one_deselect_action` says). */
  private async deselect(
    ctx: WriteContext,
    child: CollectionSnapshot,
    relation: O2MRelation,
    d: Deselection,
    parentEvent: MutationEvent,
  ): Promise<void> {
    const keys = d.keys.length ? await castKeys(child, d.keys) : [];
    const rows = await this.exec.query(compileDeselectCandidates(relation, d.key, keys, d.mode));
    const targets = rows.map((r) => r.pk as PrimaryKey);
    if (!targets.length) return;
    if (relation.deselectAction === 'delete') await this.runners.delete.run(ctx, child, targets, parentEvent);
    else await this.runners.update.run(ctx, child, targets, { [relation.foreignKey]: null }, parentEvent);
  }

  /** Children created without a sort value get max(sort) + index + 1 within their parent (spec 4.2). */
  private async fillSortField(relation: O2MRelation, creates: Row[], parentsAreNew: boolean): Promise<void> {
    const sortField = relation.sortField;
    if (!sortField) return;
    const parents = sortParents(relation, sortField, creates);
    if (!parents.length) return;
    // Parents created by this very write have no children yet: no need to ask for their max(sort).
    const rows = parentsAreNew
      ? []
      : await this.exec.query<{ parent: unknown; max: number | null }>(compileSortMax(relation, sortField, parents));
    fillSort(relation, sortField, creates, new Map(rows.map((r) => [String(r.parent), Number(r.max ?? 0)])));
  }
}
