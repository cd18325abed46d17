/**
 * The SQL of retention (revisions module): batched deletes of the change capture's old rows (`directus_activity`,
 * `directus_revisions`, `tessera_changes`). Pure: no Nest, no I/O.
 */
import type { WriteStatement } from './compile';
import { ident } from './sql';

const ACTIVITY = ident('directus_activity');
const REVISIONS = ident('directus_revisions');
const CHANGES = ident('tessera_changes');

/** The tables retention prunes (ACTIVITY_RETENTION, REVISIONS_RETENTION, WEBSOCKETS_EVENT_RETENTION). */
export type RetentionTarget = 'activity' | 'revisions' | 'changes';

/**
 * One batch of retention: deletes at most `batch` of the oldest rows of `target` older than `cutoff`, as ONE short
 * statement; its one row is `{ n }`, the rows deleted (fewer than `batch`: nothing older is left).
 * - activity: by `timestamp`; their revisions go with them, and revisions of other activity whose `parent` is one of
 *   those lose the parent (Directus's own `parent` key has no ON DELETE action);
 * - revisions: by their activity's `timestamp`; children outside the batch lose the parent the same way;
 * - changes (`tessera_changes`): by `created_at`.
 */
export function compilePrune(target: RetentionTarget, cutoff: Date, batch: number): WriteStatement {
  const params = [cutoff.toISOString(), batch];
  const b = ident('tc_b');
  const r = ident('tc_r');
  const u = ident('tc_u');
  const d = ident('tc_d');
  const x = ident('tc_x');
  const unparent =
    `${u} AS (UPDATE ${REVISIONS} SET "parent" = NULL ` +
    `WHERE "parent" IN (SELECT "id" FROM ${r}) AND "id" NOT IN (SELECT "id" FROM ${r}))`;
  switch (target) {
    case 'activity':
      return {
        sql:
          `WITH ${b} AS (SELECT "id" FROM ${ACTIVITY} WHERE "timestamp" < $1::timestamptz ORDER BY "id" LIMIT $2::int), ` +
          `${r} AS (SELECT "id" FROM ${REVISIONS} WHERE "activity" IN (SELECT "id" FROM ${b})), ${unparent}, ` +
          `${x} AS (DELETE FROM ${REVISIONS} WHERE "id" IN (SELECT "id" FROM ${r})), ` +
          `${d} AS (DELETE FROM ${ACTIVITY} WHERE "id" IN (SELECT "id" FROM ${b}) RETURNING 1) ` +
          `SELECT count(*)::int AS "n" FROM ${d}`,
        params,
      };
    case 'revisions':
      return {
        sql:
          `WITH ${r} AS (SELECT ${x}."id" FROM ${REVISIONS} AS ${x} JOIN ${ACTIVITY} AS ${b} ON ${b}."id" = ${x}."activity" ` +
          `WHERE ${b}."timestamp" < $1::timestamptz ORDER BY ${x}."id" LIMIT $2::int), ${unparent}, ` +
          `${d} AS (DELETE FROM ${REVISIONS} WHERE "id" IN (SELECT "id" FROM ${r}) RETURNING 1) ` +
          `SELECT count(*)::int AS "n" FROM ${d}`,
        params,
      };
    case 'changes':
      return {
        sql:
          `WITH ${d} AS (DELETE FROM ${CHANGES} WHERE "id" IN (SELECT "id" FROM ${CHANGES} ` +
          `WHERE "created_at" < $1::timestamptz ORDER BY "id" LIMIT $2::int) RETURNING 1) ` +
          `SELECT count(*)::int AS "n" FROM ${d}`,
        params,
      };
  }
}
