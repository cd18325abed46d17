import { compileWrittenRows, foldCtes, READ_BACK_COLUMN, type WriteStatement } from '@lib/query';
import type { CollectionSnapshot } from '@lib/schema';
import type { Database } from '../../../core/database/database.service';
import type { ItemsEventBus } from '../../../core/events/items-event-bus';
import type { Row } from '../payload-caster';
import type { WriteContext } from './write-context';

/** The one-row write a one-statement request runs: its statement and what it writes (after hooks and casting). */
export interface FoldableWrite {
  readonly collection: CollectionSnapshot;
  readonly action: 'create' | 'update';
  /** `INSERT/UPDATE … RETURNING *` of the one row. */
  readonly statement: WriteStatement;
  /** The row as written (after hooks, presets, specials and casting; an update's key left out). */
  readonly row: Row;
  /**
   * Set by the create runner when this INSERT is the whole of a top-level create with nothing nested (no M2O/A2O
   * object, no O2M value): its rows, in order. The in-transaction handlers' part may then be folded into it
   * ({@link compileFoldedBatch}).
   */
  readonly rows?: readonly Row[];
}

/**
 * THE place where the folded one-statement write is compiled: a request that is provably one statement
 * (ItemsWriteService.isOneStatement: one row, an admin, no hook that must run on its own) runs its write and the
 * re-read of the written row (`ctx.readBack`, the caller's read query) as ONE statement, without BEGIN/COMMIT. Anything
 * else that must happen in that statement (CTEs of in-transaction work) is added here, where the statement is built.
 * Null when the request is not one statement or the read can't be folded: the write then runs as it is.
 */
export async function compileFoldedWrite(
  bus: ItemsEventBus,
  ctx: WriteContext,
  write: FoldableWrite,
): Promise<{ statement: WriteStatement; read: boolean } | null> {
  if (!ctx.readBack) return null;
  const read = await ctx.readBack(write.statement);
  // The in-transaction handlers' part of this write (activity, revisions, change log: ItemsEventBus fold
  // contributors) as further CTEs of the same statement; when the read can't be folded, the statement still is one.
  const folded = { ...write, rows: undefined, accountability: ctx.accountability, requestId: ctx.request.requestId };
  const statement = foldCtes(read ?? compileWrittenRows(write.statement), (params, name) => {
    const ctes = bus.foldCtes(folded, params, name);
    // Contributors may refuse multi-row creates only.
    if (!ctes) throw new Error('a fold contributor refused a one-row write');
    return ctes;
  });
  if (!statement) throw new Error('a one-statement write could not be folded');
  ctx.folded = true;
  return { statement, read: read !== null };
}

/**
 * A multi-row create's INSERT with the in-transaction handlers' part of it (activity, revisions, change log) as
 * further CTEs over its `RETURNING *`: one statement for the rows and their capture, however many rows, nothing per
 * row bound twice. It still runs inside the request's transaction. Null when the write is no such create
 * (`write.rows` unset), no fold contributor applies, or one can't fold these rows (rows setting different fields):
 * the handlers then run on their own after the writes, as for any write.
 */
export function compileFoldedBatch(bus: ItemsEventBus, ctx: WriteContext, write: FoldableWrite): WriteStatement | null {
  if (!write.rows || write.action !== 'create' || !bus.foldsFor(write.collection)) return null;
  const folded = { ...write, accountability: ctx.accountability, requestId: ctx.request.requestId };
  let refused = false;
  const statement = foldCtes(compileWrittenRows(write.statement), (params, name) => {
    const ctes = bus.foldCtes(folded, params, name);
    refused = ctes === null;
    return ctes ?? [];
  });
  return refused ? null : statement;
}

/**
 * Runs a row-writing statement (`… RETURNING *`), folded when {@link compileFoldedWrite} or
 * {@link compileFoldedBatch} folds it: the folded read's JSON is kept in `ctx.read`, and the written rows are returned
 * as usual, with whether the in-transaction handlers' fold CTEs ran in the statement.
 */
export async function runWrite(
  db: Database,
  bus: ItemsEventBus,
  ctx: WriteContext,
  write: FoldableWrite,
): Promise<{ rows: Row[]; folded: boolean }> {
  const folded = await compileFoldedWrite(bus, ctx, write);
  if (!folded) {
    const batch = compileFoldedBatch(bus, ctx, write);
    const statement = batch ?? write.statement;
    return { rows: await db.query<Row>(statement.sql, statement.params), folded: batch !== null };
  }
  const rows = await db.query<Row>(folded.statement.sql, folded.statement.params, { prepare: true });
  if (folded.read) ctx.read = (rows[0]?.[READ_BACK_COLUMN] as string | undefined) ?? 'null';
  return { rows: rows.map(({ [READ_BACK_COLUMN]: _read, ...row }) => row), folded: true };
}
