/**
 * The SQL realtime reads the change log with (`tessera_changes`, written by the change capture, see capture.ts), and
 * the statements that put a write's before images back for a moment, so that a subscriber group's own read (its
 * permissions and its query, compiled as any read is) can tell which rows it could see BEFORE a delete or an update.
 * Those run in a transaction that is always rolled back. Pure: no Nest, no I/O.
 */
import type { CollectionSnapshot } from '@lib/schema';
import type { WriteStatement } from './compile';
import { column, ident } from './sql';

const CHANGES = ident('tessera_changes');
const COLUMNS = `"id"::text AS "id", "collection", "action", "keys", "before"`;
/** The bigint column: a bare `ORDER BY "id"` would sort by the text output column ("10" before "9"). */
const BY_ID = `${CHANGES}."id"`;

/** A change-log row as realtime reads it: ids are bigints, read as text. */
export interface ChangeRow {
  readonly id: string;
  readonly collection: string;
  readonly action: 'create' | 'update' | 'delete';
  readonly keys: (string | number)[];
  /** The rows before the write (update/delete), `to_jsonb` of each, in `keys` order; null for creates. */
  readonly before: Record<string, unknown>[] | null;
}

/**
 * At most `limit` rows after `after`, in id order; with `upTo`, none after it (a resume replays only what the feed
 * has settled: what comes after, it delivers live).
 */
export function compileChangesAfter(after: string, limit: number, upTo?: string): WriteStatement {
  const bound = upTo === undefined ? '' : ` AND "id" <= $3::int8`;
  return {
    sql: `SELECT ${COLUMNS} FROM ${CHANGES} WHERE "id" > $1::int8${bound} ORDER BY ${BY_ID} LIMIT $2`,
    params: upTo === undefined ? [after, limit] : [after, limit, upTo],
  };
}

/**
 * One row: `writers`, the virtual transaction ids of the transactions (other than the caller's) holding a write lock
 * on the change log now. A transaction takes that lock before its INSERT draws a log id and keeps it until it ends:
 * an id drawn and not yet visible belongs to one of them (or to a transaction that rolled back).
 */
export function compileChangeWriters(): WriteStatement {
  return {
    sql:
      `SELECT coalesce(array_agg(DISTINCT "virtualtransaction"), '{}') AS "writers" FROM pg_locks ` +
      `WHERE "locktype" = 'relation' AND "relation" = '${CHANGES}'::regclass AND "mode" = 'RowExclusiveLock' ` +
      `AND "granted" AND "pid" IS DISTINCT FROM pg_backend_pid()`,
    params: [],
  };
}

/** One row: `running`, whether any of `writers` (virtual transaction ids) is still running (holds its own lock). */
export function compileWritersRunning(writers: readonly string[]): WriteStatement {
  return {
    sql: `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE "locktype" = 'virtualxid' AND "virtualxid" = ANY($1::text[])) AS "running"`,
    params: [writers],
  };
}

/** One row: `last`, the newest id (text; null when the log is empty). Where a new feed starts reading. */
export function compileChangesLast(): WriteStatement {
  return { sql: `SELECT max("id")::text AS "last" FROM ${CHANGES}`, params: [] };
}

/** One row: `known` (the event `id` is still in the log) and `last` (the newest id, text; null when empty). */
export function compileChangeKnown(id: string): WriteStatement {
  return {
    sql: `SELECT EXISTS (SELECT 1 FROM ${CHANGES} WHERE "id" = $1::int8) AS "known", (SELECT max("id")::text FROM ${CHANGES}) AS "last"`,
    params: [id],
  };
}

/**
 * Puts `before` (the change's before images, `to_jsonb` per row) back into the collection's table: re-inserts deleted
 * rows (`delete`), or sets updated rows back to their former values (`update`, every column but the key). Only ever
 * run inside a transaction that is rolled back afterwards.
 */
export function compileRestoreBefore(
  c: CollectionSnapshot,
  action: 'update' | 'delete',
  before: readonly Record<string, unknown>[],
): WriteStatement {
  const table = ident(c.collection);
  const rows = `jsonb_populate_recordset(NULL::${table}, $1::jsonb)`;
  const params = [JSON.stringify(before)];
  if (action === 'delete') return { sql: `INSERT INTO ${table} SELECT * FROM ${rows}`, params };
  const columns = Object.values(c.fields)
    .filter((f) => !f.alias && !f.primaryKey)
    .map((f) => f.field);
  if (columns.length === 0) return { sql: `SELECT 1`, params: [] };
  const set = columns.map((f) => `${ident(f)} = ${column('b', f)}`).join(', ');
  return {
    sql: `UPDATE ${table} AS "t" SET ${set} FROM ${rows} AS "b" WHERE ${column('t', c.primaryKey)} = ${column('b', c.primaryKey)}`,
    params,
  };
}
