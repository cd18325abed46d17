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

/** The rows `first`..`last` (a NOTIFY payload's range), in id order. */
export function compileChangesRange(first: string, last: string): WriteStatement {
  return {
    sql: `SELECT ${COLUMNS} FROM ${CHANGES} WHERE "id" BETWEEN $1::int8 AND $2::int8 ORDER BY ${BY_ID}`,
    params: [first, last],
  };
}

/**
 * The rows of several NOTIFY ranges (`[first, last]` each, in the order they were announced: commit order) in one
 * statement: range by range, each in id order. The feed reads every range announced while it was busy at once.
 */
export function compileChangesRanges(ranges: readonly (readonly [string, string])[]): WriteStatement {
  const c = ident('c');
  return {
    sql:
      `SELECT ${c}."id"::text AS "id", ${c}."collection", ${c}."action", ${c}."keys", ${c}."before" ` +
      `FROM ${CHANGES} AS ${c} JOIN unnest($1::int8[], $2::int8[]) WITH ORDINALITY AS "r" ("first", "last", "n") ` +
      `ON ${c}."id" BETWEEN "r"."first" AND "r"."last" ORDER BY "r"."n", ${c}."id"`,
    params: [ranges.map((r) => r[0]), ranges.map((r) => r[1])],
  };
}

/** At most `limit` rows after `after`, in id order (a resume replays in batches). */
export function compileChangesAfter(after: string, limit: number): WriteStatement {
  return {
    sql: `SELECT ${COLUMNS} FROM ${CHANGES} WHERE "id" > $1::int8 ORDER BY ${BY_ID} LIMIT $2`,
    params: [after, limit],
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
