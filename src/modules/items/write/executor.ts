import { ForbiddenError, InvalidPayloadError } from '@lib/errors';
import type { EffectivePermission } from '@lib/permissions';
import { compileSelectKeys, compileSelectRows, type WriteStatement } from '@lib/query';
import type { CollectionSnapshot } from '@lib/schema';
import type { Config } from '../../../config/config';
import type { Database } from '../../../core/database/database.service';
import { mapDatabaseError } from '../../../core/errors/database-errors';
import type { ItemsEventBus } from '../../../core/events/items-event-bus';
import type { MutationEvent, PrimaryKey } from '../../../core/events/items-events';
import type { ItemsAccess } from '../../permissions/items-access.service';
import { systemWriteForbidden } from '../../permissions/system-writes';
import type { Row } from '../payload-caster';
import { runWrite, type FoldableWrite } from './folded-write';
import { castKeys } from './planner';
import type { WriteContext } from './write-context';

/** What a runner records of one set-based write: the event without what the request adds (who, parent, request id). */
export type WriteRecord = Pick<MutationEvent, 'action' | 'collection' | 'keys' | 'payload' | 'after' | 'before'>;

/**
 * What every runner shares: the statements (compiled by libs/query, the only SQL the write path sends), the
 * permission of each level, the mutation limit, database-error mapping, and the recording of events. Events are
 * only RECORDED here (into the request's list, with their parent); they are handed to listeners in one place, the
 * request frame (write/request-frame.ts).
 */
export class WriteExecutor {
  constructor(
    readonly db: Database,
    readonly bus: ItemsEventBus,
    readonly access: ItemsAccess,
    private readonly config: Config,
  ) {}

  /**
   * The permission for writing `c` at any level of a request, or 403: system collections (users, roles, policies,
   * access, permissions, ...) are written by admins only, whoever calls and however deep the write is nested, except
   * what `systemWriteForbidden` leaves to permissions (a user's own profile); others follow the caller's policies
   * (null: unrestricted). directus_activity and directus_revisions are written by nobody; a view by nobody either
   * (400: it is read-only).
   */
  async permission(
    ctx: WriteContext,
    c: CollectionSnapshot,
    action: 'create' | 'update' | 'delete',
  ): Promise<EffectivePermission | null> {
    if (c.view) throw InvalidPayloadError.readOnlyView(c.collection);
    if (systemWriteForbidden(c.collection, ctx.accountability.admin, action)) throw new ForbiddenError();
    if (ctx.accountability.admin) return null;
    return this.access.writePermission(ctx.accountability, ctx.schema, c.collection, action);
  }

  /** Counts `count` more mutations for the request (400 past MAX_BATCH_MUTATION). */
  track(ctx: WriteContext, count: number): void {
    ctx.mutations += count;
    if (ctx.mutations > this.config.maxBatchMutation) {
      throw new InvalidPayloadError(`Exceeded max batch mutation limit of ${this.config.maxBatchMutation}`);
    }
  }

  /**
   * Records a write's event, with the request's accountability and id and its `parent` (null at the top level).
   * M2O/A2O writes happen before their top-level parent exists; once it does, every event recorded since `mark`
   * (those nested writes and anything nested in them) gets it as parent. Returns the event (the parent of what is
   * written after it). `folded`: the write's statement already ran the fold CTEs of the in-transaction handlers.
   */
  record(
    ctx: WriteContext,
    write: WriteRecord,
    parent: MutationEvent | null,
    mark: number,
    folded = false,
  ): MutationEvent {
    const event: MutationEvent = {
      ...write,
      accountability: ctx.accountability,
      parent,
      requestId: ctx.request.requestId,
    };
    if (!parent) {
      for (let i = mark; i < ctx.events.length; i++) (ctx.events[i] as { parent: MutationEvent | null }).parent = event;
    }
    ctx.events.push(event);
    // Its in-transaction handlers' part ran in its statement (a folded multi-row create).
    if (folded) ctx.foldedEvents.add(event);
    return event;
  }

  /** A row-writing statement (`… RETURNING *`), folded with the request's re-read when it is one statement. */
  async writeRows(ctx: WriteContext, write: FoldableWrite, payload: Row | Row[]): Promise<Row[]> {
    return (await this.writeFoldable(ctx, write, payload)).rows;
  }

  /**
   * As {@link writeRows}, also saying whether the in-transaction handlers' part ran in the statement (`folded`): the
   * event recorded for it must then be passed to {@link record} with `folded`.
   */
  writeFoldable(
    ctx: WriteContext,
    write: FoldableWrite,
    payload: Row | Row[],
  ): Promise<{ rows: Row[]; folded: boolean }> {
    return this.guarded(write.collection.collection, payload, () => runWrite(this.db, this.bus, ctx, write));
  }

  /** Runs `run`, mapping a database error (constraint, type, ...) to its Directus error. */
  async guarded<T>(collection: string, payload: Row | Row[], run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw mapDatabaseError(error, { collection, payload }) ?? error;
    }
  }

  /** Which of `keys` exist (cast first: a malformed key is a 403). */
  async existingKeys(c: CollectionSnapshot, keys: PrimaryKey[]): Promise<PrimaryKey[]> {
    if (!keys.length) return [];
    const cast = await castKeys(c, keys);
    const rows = await this.query(compileSelectKeys(c, cast));
    return rows.map((r) => r.pk as PrimaryKey);
  }

  /**
   * The before images, when a listener wants them; not in a one-statement request (`oneStatement`), whose fold
   * contributors read the row as it was from the table within that statement.
   */
  async before(c: CollectionSnapshot, keys: PrimaryKey[], oneStatement = false): Promise<Row[] | null> {
    return this.bus.wantsBefore && !oneStatement ? this.query(compileSelectRows(c, keys)) : null;
  }

  /** Runs a statement compiled by libs/query (compile-write). */
  query<R = Row>(statement: WriteStatement): Promise<R[]> {
    return this.db.query<R>(statement.sql, statement.params);
  }
}
