import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import {
  captureCtes,
  compileCapture,
  foldableShape,
  itemText,
  type CaptureResult,
  type CaptureSpec,
  type Params,
  type WriteKey,
} from '@lib/query';
import type { CollectionSnapshot } from '@lib/schema';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { SYSTEM_ACCOUNTABILITY, type Accountability } from '../../core/context/accountability';
import { Database } from '../../core/database/database.service';
import { ItemsEventBus } from '../../core/events/items-event-bus';
import type { FoldedWrite, Item, MutationEvent } from '../../core/events/items-events';

/** What a top-level write of a request left for the writes nested in it: its revisions, by item. */
interface TopState {
  readonly collection: CollectionSnapshot;
  readonly event: MutationEvent;
  readonly revisions: ReadonlyMap<string, number>;
  /** The revision children fall back to (Directus: the first key's). */
  readonly first: number | null;
}

/** Revisions of nested writes recorded before their top-level write had any (M2O items are written first). */
interface Orphans {
  readonly collection: CollectionSnapshot;
  readonly event: MutationEvent;
  readonly revisions: readonly [number, string][];
}

/** The tables the capture writes: never captured themselves. */
const CAPTURE_TABLES = new Set(['directus_activity', 'directus_revisions']);

/**
 * The one change-capture step (revisions issue, realtime issue): an in-transaction handler on ItemsEventBus that
 * records what each write of a request changed, inside the writing transaction, before it commits:
 * - activity rows for every collection whose accountability is `all` or `activity`, revision rows for `all`
 *   (spec 7: data/delta rules, parent on nested writes, nothing for an empty-delta update, activity only for deletes);
 * - when the change log is on (WEBSOCKETS_ENABLED, or {@link enableChangeLog}), a `tessera_changes` row for every
 *   write of every collection, announced with NOTIFY on commit.
 * Each write (one collection, one level, any number of rows) is ONE statement of data-modifying CTEs (libs/query
 * compileCapture); a rollback leaves nothing. Items never import this: they only emit events.
 */
@Injectable()
export class ChangeCapture implements OnModuleInit, OnModuleDestroy {
  private off: (() => void) | null = null;
  private changeLogUsers = 0;
  private readonly tops = new WeakMap<MutationEvent, TopState>();
  private readonly orphans = new WeakMap<MutationEvent, Orphans[]>();

  constructor(
    private readonly bus: ItemsEventBus,
    private readonly db: Database,
    @Inject(CONFIG) config: Config,
  ) {
    if (config.websocketsEnabled) this.changeLogUsers = 1;
  }

  onModuleInit(): void {
    this.register();
  }

  onModuleDestroy(): void {
    this.off?.();
    this.off = null;
  }

  /** Whether `tessera_changes` rows are written. */
  get changeLog(): boolean {
    return this.changeLogUsers > 0;
  }

  /**
   * Keeps the change log (every collection, before images of updated and deleted rows) until the returned function
   * is called. Realtime calls this when it starts; WEBSOCKETS_ENABLED turns it on from boot.
   */
  enableChangeLog(): () => void {
    this.changeLogUsers++;
    if (this.changeLogUsers === 1) this.register();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.changeLogUsers--;
      if (this.changeLogUsers === 0) this.register();
    };
  }

  /**
   * What a collection's writes record: `all` (activity + revisions), `activity`, or null. The capture's own tables
   * are never recorded.
   */
  tracking(c: CollectionSnapshot): 'all' | 'activity' | null {
    return CAPTURE_TABLES.has(c.collection) ? null : c.accountability;
  }

  /**
   * The statements this step contributes to a write folded into its statement (the one-statement POST/PATCH of one
   * row, or the INSERT of a top-level multi-row create with nothing nested): CTEs appended after the write's CTE
   * `written`, values added to `params`. Empty when nothing is recorded for it; null when a multi-row create's rows
   * set different fields (its revisions are then recorded by a statement of their own).
   */
  captureFold(write: FoldedWrite, params: Params, written: string): string[] | null {
    const fields = write.rows ? write.rows.map((row) => Object.keys(row)) : [Object.keys(write.row)];
    const spec = this.spec(write.collection, write.action, write.accountability, write.requestId, fields);
    if (!spec) return [];
    return spec.revisions && !foldableShape(fields) ? null : captureCtes(spec, params, written);
  }

  private register(): void {
    this.off?.();
    this.off = this.bus.inTransaction((event, c) => this.capture(event, c), {
      needsBefore: this.changeLog,
      collections: (c) => this.changeLog || this.tracking(c) !== null,
      fold: (write, params, written) => this.captureFold(write, params, written),
    });
  }

  private spec(
    c: CollectionSnapshot,
    action: MutationEvent['action'],
    accountability: Accountability,
    requestId: string,
    payloadFields: readonly (readonly string[])[],
  ): CaptureSpec | null {
    // Internal calls (no caller) record no activity, as Directus's services without accountability; the change log
    // still sees them.
    const mode = accountability === SYSTEM_ACCOUNTABILITY ? null : this.tracking(c);
    const changeLog = this.changeLog ? { requestId } : null;
    if (mode === null && !changeLog) return null;
    return {
      collection: c,
      action,
      activity: mode !== null,
      revisions: mode === 'all' && action !== 'delete',
      actor: {
        user: accountability.user,
        ip: accountability.ip,
        userAgent: accountability.userAgent,
        origin: accountability.origin,
      },
      payloadFields,
      changeLog,
    };
  }

  private async capture(event: MutationEvent, c: CollectionSnapshot | undefined): Promise<void> {
    if (!c || event.keys.length === 0) return;
    const spec = this.spec(c, event.action, event.accountability, event.requestId, payloadFields(event));
    if (!spec) return;

    const top = event.parent;
    const topState = top ? this.tops.get(top) : undefined;
    const parents = spec.revisions && topState ? this.parentsOf(c, event, topState) : undefined;
    const adopt = spec.revisions && !top ? this.adopted(c, event) : undefined;

    const statement = compileCapture({
      ...spec,
      keys: event.keys as WriteKey[],
      parents,
      adopt,
      before: spec.changeLog ? event.before : null,
      // A delete's payload is its keys as passed (realtime sends those, as Directus does).
      changeKeys: event.action === 'delete' ? (event.payload as WriteKey[]) : undefined,
    });
    if (!statement) return;
    const [result] = await this.db.query<CaptureResult>(statement.sql, statement.params);
    const revisions = result?.revisions ?? [];

    if (!top) {
      const byItem = new Map(revisions.map(([id, item]) => [item, id]));
      const first = byItem.get(itemText(c, event.keys[0] as WriteKey)) ?? revisions[0]?.[0] ?? null;
      this.tops.set(event, { collection: c, event, revisions: byItem, first });
    } else if (!topState && revisions.length) {
      const list = this.orphans.get(top) ?? [];
      list.push({ collection: c, event, revisions });
      this.orphans.set(top, list);
    }
  }

  /** Parent revision ids of a nested write's items, its top-level write being recorded already (O2M children). */
  private parentsOf(c: CollectionSnapshot, event: MutationEvent, top: TopState): Map<string, number> {
    const out = new Map<string, number>();
    for (const row of event.after) {
      const item = itemText(c, row[c.primaryKey] as WriteKey);
      const parentItem = parentItemOf(c, row, item, top.collection, top.event);
      const id = (parentItem !== null ? top.revisions.get(parentItem) : undefined) ?? top.first;
      if (id !== null && id !== undefined) out.set(item, id);
    }
    return out;
  }

  /**
   * Revisions of nested writes recorded before this top-level write (M2O items): which of this write's items each
   * belongs to; they get it as `parent` in this write's statement.
   */
  private adopted(c: CollectionSnapshot, event: MutationEvent): { id: number; item: string }[] | undefined {
    const list = this.orphans.get(event);
    if (!list) return undefined;
    this.orphans.delete(event);
    const fallback = itemText(c, event.keys[0] as WriteKey);
    const out: { id: number; item: string }[] = [];
    for (const orphan of list) {
      const rows = new Map(
        orphan.event.after.map((row) => [
          itemText(orphan.collection, row[orphan.collection.primaryKey] as WriteKey),
          row,
        ]),
      );
      for (const [id, item] of orphan.revisions) {
        const row = rows.get(item) ?? {};
        out.push({ id, item: parentItemOf(orphan.collection, row, item, c, event) ?? fallback });
      }
    }
    return out;
  }
}

/**
 * Which item of the top-level write `top` (collection `tc`) a nested row belongs to: the top item its M2O points at
 * (an O2M child, a junction row), or the top item whose M2O/A2O points at it (an M2O item); null when neither.
 */
function parentItemOf(
  c: CollectionSnapshot,
  row: Item,
  item: string,
  tc: CollectionSnapshot,
  top: MutationEvent,
): string | null {
  const topItems = new Set(top.keys.map((k) => itemText(tc, k as WriteKey)));
  for (const [field, relation] of Object.entries(c.relations)) {
    if (relation.kind !== 'm2o' || relation.related !== tc.collection) continue;
    const value = row[field];
    if (value === null || value === undefined) continue;
    const candidate = itemText(tc, value as WriteKey);
    if (topItems.has(candidate)) return candidate;
  }
  for (const topRow of top.after) {
    for (const [field, relation] of Object.entries(tc.relations)) {
      const value = topRow[field];
      if (value === null || value === undefined) continue;
      const points =
        (relation.kind === 'm2o' && relation.related === c.collection && itemText(c, value as WriteKey) === item) ||
        (relation.kind === 'a2o' &&
          topRow[relation.collectionField] === c.collection &&
          itemText(c, value as WriteKey) === item);
      if (points) return itemText(tc, topRow[tc.primaryKey] as WriteKey);
    }
  }
  return null;
}

/** The fields each event wrote: per row for a create (key order), the update's fields for an update. */
function payloadFields(event: MutationEvent): string[][] {
  if (event.action === 'delete') return [];
  const payload = event.payload as Item | readonly Item[];
  if (Array.isArray(payload)) return (payload as readonly Item[]).map((row) => Object.keys(row));
  return [Object.keys(payload as Item)];
}
