/**
 * The SQL of the write path (ItemsWriteService): every statement a create, update or delete issues, compiled from
 * the schema snapshot, keys and values. Pure: no Nest, no I/O. Names go through {@link ident}, values are bound
 * through {@link Params}; the text depends on the collection, the columns and the number of keys (one or several)
 * only, never on values, so that a statement cached on its text (the folded write + re-read) is reused.
 *
 * Every statement is a {@link WriteStatement}, `{sql, params}`, whether it writes rows or reads them for a write.
 */
import type { CollectionSnapshot } from '@lib/schema';
import type { O2mRelation } from './ast';
import type { WriteStatement } from './compile';
import { ident, Params } from './sql';

/** A primary key value, as the write path binds it. */
export type WriteKey = string | number;

/** Column values of one row to write, by field name (already cast). */
export type WriteRow = Record<string, unknown>;

/** One INSERT of {@link compileInsert}, with the rows it inserts (the chunk of the input it covers, in order). */
export interface InsertStatement extends WriteStatement {
  readonly rows: WriteRow[];
}

/** PostgreSQL accepts at most 65535 bound parameters per statement; stay well under it. */
export const MAX_PARAMS = 30_000;

/** The value bound for the keys of {@link keysMatch}: the key itself for one key, the array for several. */
export function keysParam(keys: readonly WriteKey[]): unknown {
  return keys.length === 1 ? keys[0] : keys;
}

/**
 * `pk = $1` for one key, `pk = ANY($1)` for several (bound with {@link keysParam}). One key must compare with `=`:
 * PostgreSQL can't size an array parameter, so a generic plan of `= ANY($1)` looks dearer than the custom plan for a
 * one-element array, and the prepared statement is planned afresh on every execution (~0.5 ms for a write folded
 * with its re-read). With `=` the generic plan wins after five executions and is reused.
 */
function keysMatch(c: CollectionSnapshot, keys: readonly WriteKey[], params: Params): string {
  const placeholder = params.add(keysParam(keys));
  return `${ident(c.primaryKey)} = ${keys.length === 1 ? placeholder : `ANY(${placeholder})`}`;
}

/**
 * Multi-row `INSERT INTO "c" ("a", "b") VALUES ($1, DEFAULT), (…) RETURNING *`. The columns are the union of the
 * rows' keys (in first-seen order); a row lacking one gets DEFAULT; rows with no keys at all insert the primary key
 * as DEFAULT (one row of defaults per item, still one statement). Chunked so that no statement binds more than
 * `maxParams` values (unless a single row has more columns than that). No rows, no statement.
 */
export function compileInsert(
  collection: CollectionSnapshot,
  rows: readonly WriteRow[],
  maxParams = MAX_PARAMS,
): InsertStatement[] {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  if (columns.length === 0) columns.push(collection.primaryKey);
  const head = `INSERT INTO ${ident(collection.collection)} (${columns.map(ident).join(', ')}) VALUES `;
  const perChunk = Math.max(1, Math.floor(maxParams / columns.length));
  const out: InsertStatement[] = [];
  for (let start = 0; start < rows.length; start += perChunk) {
    const chunk = rows.slice(start, start + perChunk);
    const params = new Params();
    const values = chunk.map(
      (row) => `(${columns.map((col) => (col in row ? params.add(row[col]) : 'DEFAULT')).join(', ')})`,
    );
    out.push({ sql: `${head}${values.join(', ')} RETURNING *`, params: params.values, rows: chunk });
  }
  return out;
}

/**
 * `UPDATE "c" SET "a" = $2, … WHERE "pk" = $1 RETURNING *` (`= ANY($1)` for several keys, see {@link keysMatch}): the
 * keys are always `$1`, the values follow in the row's key order. Null when the row sets nothing.
 */
export function compileUpdate(
  collection: CollectionSnapshot,
  keys: readonly WriteKey[],
  row: WriteRow,
): WriteStatement | null {
  const columns = Object.keys(row);
  if (columns.length === 0) return null;
  const params = new Params();
  const match = keysMatch(collection, keys, params);
  const set = columns.map((col) => `${ident(col)} = ${params.add(row[col])}`).join(', ');
  return { sql: `UPDATE ${ident(collection.collection)} SET ${set} WHERE ${match} RETURNING *`, params: params.values };
}

/** `DELETE FROM "c" WHERE "pk" = $1` (`= ANY($1)` for several keys). */
export function compileDelete(collection: CollectionSnapshot, keys: readonly WriteKey[]): WriteStatement {
  const params = new Params();
  const match = keysMatch(collection, keys, params);
  return { sql: `DELETE FROM ${ident(collection.collection)} WHERE ${match}`, params: params.values };
}

/** Which of `keys` exist: `SELECT "pk" AS pk FROM "c" WHERE "pk" = $1` (`= ANY($1)` for several keys). */
export function compileSelectKeys(collection: CollectionSnapshot, keys: readonly WriteKey[]): WriteStatement {
  const params = new Params();
  const match = keysMatch(collection, keys, params);
  return {
    sql: `SELECT ${ident(collection.primaryKey)} AS pk FROM ${ident(collection.collection)} WHERE ${match}`,
    params: params.values,
  };
}

/** The rows of `keys` as they are (before images): `SELECT * FROM "c" WHERE "pk" = $1` (`= ANY($1)` for several). */
export function compileSelectRows(collection: CollectionSnapshot, keys: readonly WriteKey[]): WriteStatement {
  const params = new Params();
  const match = keysMatch(collection, keys, params);
  return { sql: `SELECT * FROM ${ident(collection.collection)} WHERE ${match}`, params: params.values };
}

/** A singleton's row, locked for the update that follows: its key as `pk`, or no row when the table is empty. */
export function compileSingletonRow(collection: CollectionSnapshot): WriteStatement {
  return {
    sql: `SELECT ${ident(collection.primaryKey)} AS pk FROM ${ident(collection.collection)} ORDER BY 1 LIMIT 1 FOR UPDATE`,
    params: [],
  };
}

/**
 * After rows were inserted with explicit auto-increment keys, moves the key's sequence past the highest key so
 * later inserts don't collide (Directus resets it too, spec 11 createOne step 8). Never moves it backwards; does
 * nothing when the key has no sequence. pg_get_serial_sequence takes the table as (quoted) SQL text: bound.
 */
export function compileResetSequence(collection: CollectionSnapshot): WriteStatement {
  const pk = ident(collection.primaryKey);
  const table = ident(collection.collection);
  return {
    sql:
      `SELECT setval(q.s, GREATEST((SELECT max(${pk}) FROM ${table}), ` +
      `coalesce(pg_sequence_last_value(q.s::regclass), 0), 1)) ` +
      `FROM (SELECT pg_get_serial_sequence($1, $2) AS s) q WHERE q.s IS NOT NULL`,
    params: [table, collection.primaryKey],
  };
}

/**
 * O2M links: which of the children `keys` don't point at `parent` yet (and so must be re-pointed), as `pk`.
 * `= ANY($1)` whatever the number of keys.
 */
export function compileLinkCandidates(
  relation: O2mRelation,
  keys: readonly WriteKey[],
  parent: WriteKey,
): WriteStatement {
  const pk = ident(relation.relatedPrimaryKey);
  return {
    sql: `SELECT ${pk} AS pk FROM ${ident(relation.related)} WHERE ${pk} = ANY($1) AND ${ident(relation.foreignKey)} IS DISTINCT FROM $2`,
    params: [keys, parent],
  };
}

/**
 * O2M deselection: the children of `parent` to unlink, as `pk`: exactly those of `keys` ('only') or all but `keys`
 * ('except').
 */
export function compileDeselectCandidates(
  relation: O2mRelation,
  parent: WriteKey,
  keys: readonly WriteKey[],
  mode: 'only' | 'except',
): WriteStatement {
  const pk = ident(relation.relatedPrimaryKey);
  const condition = mode === 'only' ? `${pk} = ANY($2)` : `NOT (${pk} = ANY($2))`;
  return {
    sql: `SELECT ${pk} AS pk FROM ${ident(relation.related)} WHERE ${ident(relation.foreignKey)} = $1 AND ${condition}`,
    params: [parent, keys],
  };
}

/** The highest `sortField` of each of `parents`' children: rows `(parent, max)`; a parent without children has none. */
export function compileSortMax(relation: O2mRelation, sortField: string, parents: readonly unknown[]): WriteStatement {
  const fk = ident(relation.foreignKey);
  return {
    sql: `SELECT ${fk} AS parent, max(${ident(sortField)}) AS max FROM ${ident(relation.related)} WHERE ${fk} = ANY($1) GROUP BY 1`,
    params: [parents],
  };
}
