/**
 * The SQL of the change capture (revisions module): what one set-based write changed, recorded in the writing
 * transaction as Directus 12 records it (spec 7) plus Tessera's change log for realtime:
 * - `directus_activity`: one row per key (action, user, ip, user agent, origin, collection, item as text);
 * - `directus_revisions` (accountability `all`, create and update only): one row per key with `data` and `delta`
 *   as compact JSON text in the read format, `parent` given per item; an update whose delta is empty writes none;
 * - `tessera_changes`: one row per write (request id, collection, action, keys, before images), announced with
 *   `NOTIFY tessera_changes '<id>-<id>'` (delivered on commit only).
 * All of it is data-modifying CTEs of ONE statement, whatever the number of rows: either a statement of its own
 * ({@link compileCapture}, over the rows as the table now holds them), or CTEs folded into a one-statement write
 * ({@link captureCtes}, over the rows that write returns). Pure: no Nest, no I/O.
 */
import type { CollectionSnapshot, FieldSnapshot } from '@lib/schema';
import type { WriteStatement } from './compile';
import type { WriteKey } from './compile-write';
import { formatField } from './format';
import { ident, Params } from './sql';

export type CaptureAction = 'create' | 'update' | 'delete';

/** The `directus_activity` columns that describe who wrote. */
export interface CaptureActor {
  readonly user: string | null;
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly origin: string | null;
}

/** One set-based write to record. */
export interface CaptureSpec {
  readonly collection: CollectionSnapshot;
  readonly action: CaptureAction;
  /** Activity rows (accountability `all` or `activity`). */
  readonly activity: boolean;
  /** Revision rows too (accountability `all`); never for deletes. */
  readonly revisions: boolean;
  readonly actor: CaptureActor;
  /**
   * The fields the write set, as written (after hooks, presets, specials and casting): for a create one list per
   * row (rows in key order), for an update one list for every key.
   */
  readonly payloadFields: readonly (readonly string[])[];
  /** The change-log row, or null when no change log is kept. */
  readonly changeLog: { readonly requestId: string } | null;
}

/** A write recorded by a statement of its own, after the write ran in the same transaction. */
export interface CaptureInput extends CaptureSpec {
  /** The keys written (create: aligned with payloadFields). */
  readonly keys: readonly WriteKey[];
  /** The parent revision of each item (item text → revision id); items not listed get none. */
  readonly parents?: ReadonlyMap<string, number>;
  /**
   * Revisions written earlier in the request whose parent is one of this write's revisions: each gets `parent` set
   * to this write's revision of `item` (Directus sets it the same way once the parent exists).
   */
  readonly adopt?: readonly { readonly id: number; readonly item: string }[];
  /** Change log: the rows before the write (update, delete), as the driver returned them; null: none. */
  readonly before?: readonly Record<string, unknown>[] | null;
  /**
   * Change log: the keys as the log keeps them when they differ from `keys`: a delete's keys as they were passed
   * (`"5"` from a URL), which realtime sends as Directus does; aligned with `keys`.
   */
  readonly changeKeys?: readonly WriteKey[];
}

/** Result row of {@link compileCapture}: the revisions written, as `[id, item]` pairs (null when none). */
export interface CaptureResult {
  readonly revisions: [number, string][] | null;
}

export const CHANGES_CHANNEL = 'tessera_changes';

const ACTIVITY = ident('directus_activity');
const REVISIONS = ident('directus_revisions');
const CHANGES = ident('tessera_changes');
/** Names of the capture's CTEs: prefixed so they never meet the names of a statement they are folded into. */
const A = ident('tc_a');
const R = ident('tc_r');
const L = ident('tc_l');
const C = ident('tc_c');
const T = ident('tc_t');
/** The captured items with their revisions' columns and activity ids (see compileCapture and buildCaptureCtes). */
const K = ident('tc_k');

/** Specials whose value the write path generates on create: not part of what the client gave (Directus's delta). */
const GENERATED_ON_CREATE = ['uuid', 'date-created', 'user-created', 'role-created'];

function isRelational(c: CollectionSnapshot, field: string): boolean {
  const relation = c.relations[field];
  return relation !== undefined && relation.kind !== 'o2m';
}

function isColumn(c: CollectionSnapshot, field: string): FieldSnapshot | null {
  const f = c.fields[field];
  return f && !f.alias ? f : null;
}

/**
 * The fields of a revision's `data` and `delta` (Directus 12, as its own database shows):
 * - create: data = delta = the fields the client gave, non-relational (M2O/A2O keys and aliases left out), without
 *   the values the write generated (uuid, date/user/role-created);
 * - update: data = every non-relational column of the row after the write, its key first as the row has it;
 *   delta = the fields the update set (M2O keys included), without the primary key.
 */
export function revisionFields(
  c: CollectionSnapshot,
  action: 'create' | 'update',
  payloadFields: readonly string[],
): { data: string[]; delta: string[] } {
  if (action === 'create') {
    const fields = payloadFields.filter((name) => {
      const f = isColumn(c, name);
      if (!f || isRelational(c, name)) return false;
      if (f.special.some((s) => GENERATED_ON_CREATE.includes(s))) return false;
      return !(f.primaryKey && f.type === 'uuid' && f.defaultValue === null);
    });
    return { data: fields, delta: fields };
  }
  return {
    data: c.fieldOrder.filter((name) => isColumn(c, name) && !isRelational(c, name)),
    delta: payloadFields.filter((name) => isColumn(c, name) && name !== c.primaryKey),
  };
}

/** A key as `directus_activity.item` / `directus_revisions.item` hold it: text, uuids in lower case (`::text`). */
export function itemText(c: CollectionSnapshot, key: WriteKey): string {
  const text = String(key);
  return c.fields[c.primaryKey]?.type === 'uuid' ? text.toLowerCase() : text;
}

/** `{"a":…,"b":…}` of the given fields of row alias `t`, read-formatted, as compact JSON text; NULL when none. */
function jsonObject(c: CollectionSnapshot, fields: readonly string[], t: string): string {
  if (fields.length === 0) return 'NULL::json';
  const columns = fields.map((name) => `${formatField(c.fields[name], `${t}.${ident(name)}`)} AS ${ident(name)}`);
  // row_to_json writes compact JSON in column order, as Directus's JSON.stringify does (json_build_object would not).
  return `(SELECT row_to_json(x) FROM (SELECT ${columns.join(', ')}) AS x)`;
}

/** How a key reads in the change log's `keys`: its JSON value, bigints as strings (as the driver gives them). */
function keyJson(c: CollectionSnapshot, expr: string): string {
  return c.fields[c.primaryKey]?.type === 'bigInteger' ? `to_jsonb(${expr}::text)` : `to_jsonb(${expr})`;
}

/** Groups row indexes by their field list (a batch create normally has one shape). */
function shapes(lists: readonly (readonly string[])[]): { fields: string[]; rows: number[] }[] {
  const out = new Map<string, { fields: string[]; rows: number[] }>();
  lists.forEach((fields, i) => {
    const key = JSON.stringify(fields);
    if (!out.has(key)) out.set(key, { fields: [...fields], rows: [] });
    out.get(key)!.rows.push(i);
  });
  return [...out.values()];
}

/**
 * The values a capture binds, each once, as placeholders shared by its CTEs: who wrote, what, and the request.
 */
interface Bound {
  readonly action: string;
  readonly user: string;
  readonly ip: string;
  readonly userAgent: string;
  readonly origin: string;
  readonly collection: string;
  readonly requestId: string;
}

/**
 * Binds what the capture of `spec` uses. The one place that decides their order: a folded capture's CTE text is
 * cached per parameter offset ({@link captureCtes}), and a cache hit binds the values through this same function.
 */
function bindCapture(spec: CaptureSpec, params: Params): Bound {
  const a = spec.actor;
  // Only what the statement uses is bound (PostgreSQL can't type a parameter that nothing references).
  const activity = (value: string | null): string => (spec.activity ? params.add(value, 'text') : 'NULL::text');
  return {
    action: params.add(spec.action, 'text'),
    user: params.add(a.user, 'uuid'),
    ip: activity(a.ip),
    userAgent: activity(a.userAgent),
    origin: activity(a.origin),
    collection: params.add(spec.collection.collection, 'text'),
    requestId: spec.changeLog ? params.add(spec.changeLog.requestId, 'text') : 'NULL::text',
  };
}

/** Whether the capture of `spec` writes revision rows: accountability `all`, a create or an update, rows to record. */
function writesRevisions(spec: CaptureSpec): boolean {
  if (!spec.activity || !spec.revisions || spec.action === 'delete') return false;
  return spec.action === 'update' || spec.payloadFields.length > 0;
}

/**
 * The next `directus_activity` id, from its `id` column's sequence (looked up once per statement). Items with
 * revisions take their activity id in the items CTE ({@link K}): the activity and the revision rows are then both
 * plain SELECTs of it, with no join between them on the item.
 */
const ACTIVITY_ID = `nextval((SELECT pg_get_serial_sequence('${ACTIVITY}', 'id')::regclass))::integer`;

/** Where the activity rows come from: a FROM with one row per item, in the order they are recorded. */
interface Items {
  readonly from: string;
  /** The item's key as text. */
  readonly item: string;
  /** The activity id (none: the column default). */
  readonly id?: string;
  /** The order (none: the order `from` yields them, the order the write returned them). */
  readonly order?: string;
}

function activityCte(b: Bound, items: Items): string {
  const id = items.id ? '"id", ' : '';
  const values = [b.action, b.user, `left(${b.ip}, 50)`, b.userAgent, `left(${b.origin}, 255)`, b.collection];
  return (
    `${A} AS (INSERT INTO ${ACTIVITY} (${id}"action", "user", "ip", "user_agent", "origin", "collection", "item") ` +
    `SELECT ${items.id ? `${items.id}, ` : ''}${values.join(', ')}, ${items.item} FROM ${items.from}` +
    `${items.order ? ` ORDER BY ${items.order}` : ''})`
  );
}

/**
 * The revision rows, one per row of {@link K} (`aid`, `item`, `data`, an update's `delta`) that `filters` keep; an
 * update whose delta is empty writes none, a create's delta is its data (built once, stored twice).
 */
function revisionCte(spec: CaptureSpec, b: Bound, parent: string, filters: readonly string[]): string {
  const update = spec.action === 'update';
  const where = update ? [...filters, '"delta" IS NOT NULL'] : filters;
  return (
    `${R} AS (INSERT INTO ${REVISIONS} ("activity", "collection", "item", "data", "delta", "parent") ` +
    `SELECT "aid", ${b.collection}, "item", "data", ${update ? '"delta"' : '"data"'}, ${parent} FROM ${K}` +
    `${where.length ? ` WHERE ${where.join(' AND ')}` : ''} RETURNING "id", "item")`
  );
}

function changeCte(b: Bound, keys: string, before: string): string {
  return (
    `${C} AS (INSERT INTO ${CHANGES} ("request_id", "collection", "action", "keys", "before", "user") ` +
    `VALUES (${b.requestId}, ${b.collection}, ${b.action}, ${keys}, ${before}, ${b.user}) ` +
    `RETURNING pg_notify('${CHANGES_CHANNEL}', "id" || '-' || "id") AS "n")`
  );
}

/** A revision's `data` and, for an update, `delta` columns over row alias `t`, for rows setting `fields`. */
function revisionColumns(spec: CaptureSpec, fields: readonly string[], t: string): string {
  const c = spec.collection;
  const update = spec.action === 'update';
  const { data, delta } = revisionFields(c, update ? 'update' : 'create', fields);
  return `${jsonObject(c, data, t)} AS "data"${update ? `, ${jsonObject(c, delta, t)} AS "delta"` : ''}`;
}

/**
 * The capture of one write as a statement of its own, run in the writing transaction once the write is done (the
 * rows are read back from the table by key). Null when there is nothing to record.
 */
export function compileCapture(input: CaptureInput): WriteStatement | null {
  const c = input.collection;
  const keys = input.keys;
  if (keys.length === 0 || (!input.activity && !input.changeLog)) return null;
  const params = new Params();
  const b = bindCapture(input, params);
  const ctes: string[] = [];
  const t = T;
  const pk = ident(c.primaryKey);
  const i = ident('tc_i');
  const items: Items = {
    from: `unnest(${params.add(
      keys.map((k) => itemText(c, k)),
      'text[]',
    )}) WITH ORDINALITY AS ${i}("item", "n")`,
    item: `${i}."item"`,
    order: `${i}."n"`,
  };
  const revisions = writesRevisions(input);
  if (revisions) {
    // The rows as the table now holds them, one SELECT per shape (a create's rows may set different fields); the
    // items keep their order and are all recorded in activity, only the rows read get a revision (`found`).
    const d = ident('tc_d');
    const groups =
      input.action === 'create'
        ? shapes(input.payloadFields)
        : [{ fields: [...(input.payloadFields[0] ?? [])], rows: [] }];
    const rows = groups.map(({ fields, rows: at }) => {
      const subset = input.action === 'create' ? at.map((n) => keys[n]) : keys;
      return (
        `SELECT ${t}.${pk}::text AS "item", ${revisionColumns(input, fields, t)} ` +
        `FROM ${ident(c.collection)} AS ${t} WHERE ${t}.${pk} = ANY(${params.add(subset)})`
      );
    });
    let parents = '';
    let parent = 'NULL::integer';
    if (input.parents?.size) {
      const p = ident('tc_p');
      const entries = [...input.parents];
      parents = ` LEFT JOIN unnest(${params.add(
        entries.map((e) => e[0]),
        'text[]',
      )}, ${params.add(
        entries.map((e) => e[1]),
        'integer[]',
      )}) AS ${p}("item", "parent") ON ${p}."item" = ${items.item}`;
      parent = `${p}."parent"`;
    }
    const delta = input.action === 'update' ? `, ${d}."delta"` : '';
    ctes.push(
      `${K} AS (SELECT ${ACTIVITY_ID} AS "aid", ${items.item} AS "item", ${d}."data"${delta}, ${parent} AS "parent", ` +
        `${d}."item" IS NOT NULL AS "found" FROM ${items.from} LEFT JOIN (${rows.join(' UNION ALL ')}) AS ${d} ` +
        `ON ${d}."item" = ${items.item}${parents} ORDER BY ${items.order})`,
    );
    ctes.push(activityCte(b, { from: K, item: '"item"', id: '"aid"' }));
    ctes.push(revisionCte(input, b, '"parent"', ['"found"']));
    if (input.adopt?.length) {
      const x = ident('tc_x');
      const m = ident('tc_m');
      ctes.push(
        `${L} AS (UPDATE ${REVISIONS} AS ${x} SET "parent" = ${R}."id" ` +
          `FROM unnest(${params.add(
            input.adopt.map((a) => a.id),
            'integer[]',
          )}, ${params.add(
            input.adopt.map((a) => a.item),
            'text[]',
          )}) AS ${m}("id", "item") JOIN ${R} ON ${R}."item" = ${m}."item" WHERE ${x}."id" = ${m}."id")`,
      );
    }
  } else if (input.activity) ctes.push(activityCte(b, items));
  if (input.changeLog) {
    const before = input.before?.length
      ? `(SELECT jsonb_agg(to_jsonb(b)) FROM json_populate_recordset(NULL::${ident(c.collection)}, ${params.add(
          JSON.stringify(input.before.map((row) => jsonRow(c, row))),
          'json',
        )}) AS b)`
      : 'NULL::jsonb';
    ctes.push(changeCte(b, params.add(JSON.stringify(input.changeKeys ?? keys), 'jsonb'), before));
  }
  const written = revisions
    ? `(SELECT json_agg(json_build_array("id", "item") ORDER BY "id") FROM ${R})`
    : 'NULL::json';
  const changes = input.changeLog ? `(SELECT count(*) FROM ${C})` : '0';
  return {
    sql: `WITH ${ctes.join(', ')} SELECT ${written} AS "revisions", ${changes} AS "changes"`,
    params: params.values,
  };
}

/**
 * Whether {@link captureCtes} can record a write whose rows set these fields: one row, or rows that all set the same
 * fields (a create's revision rows are then one SELECT over the written rows).
 */
export function foldableShape(payloadFields: readonly (readonly string[])[]): boolean {
  const first = payloadFields[0];
  if (!first) return true;
  for (let i = 1; i < payloadFields.length; i++) {
    const fields = payloadFields[i]!;
    if (fields.length !== first.length) return false;
    for (let j = 0; j < fields.length; j++) if (fields[j] !== first[j]) return false;
  }
  return true;
}

/**
 * Folded capture CTEs already built, per collection (the snapshot's object: a schema change starts afresh) and shape
 * of the write: one-row writes repeat a handful of shapes, and building the CTEs costs more than the rest of the fold.
 */
const FOLD_CACHE = new WeakMap<CollectionSnapshot, Map<string, readonly string[]>>();
const FOLD_CACHE_SHAPES = 256;

/**
 * The capture of a write folded into that write's statement: CTEs to append after the write's CTE (`written`, an
 * `INSERT/UPDATE … RETURNING *` of `spec.collection`), their values added to `params` (which holds the statement's
 * values so far). Activity, revision and change-log rows come from the written rows, in the order the write returned
 * them (a multi-row INSERT's: its VALUES order); an update's before image from the table, which a CTE still sees as it
 * was before the statement. A one-row write, or a create of rows that all set the same fields
 * ({@link foldableShape}); nothing per row is bound, whatever the number of rows.
 */
export function captureCtes(spec: CaptureSpec, params: Params, written: string): string[] {
  if (spec.action === 'delete' || (!spec.activity && !spec.changeLog)) return [];
  if (spec.revisions && !foldableShape(spec.payloadFields)) {
    throw new Error('captureCtes: the written rows set different fields');
  }
  // Rows of one shape: the revision SELECT is built from the first row's fields.
  const fields = spec.payloadFields[0];
  const key =
    `${spec.action}\u0000${+spec.activity}${+spec.revisions}${+!!spec.changeLog}\u0000${written}\u0000` +
    `${params.values.length}\u0000${fields ? fields.join('\u0000') : '\u0001'}`;
  let shapes = FOLD_CACHE.get(spec.collection);
  const cached = shapes?.get(key);
  if (cached) {
    bindCapture(spec, params);
    return [...cached];
  }
  const ctes = buildCaptureCtes({ ...spec, payloadFields: fields ? [fields] : [] }, params, written);
  if (!shapes) FOLD_CACHE.set(spec.collection, (shapes = new Map()));
  if (shapes.size < FOLD_CACHE_SHAPES) shapes.set(key, ctes);
  return [...ctes];
}

/** {@link captureCtes} uncached: everything it binds is bound by {@link bindCapture}, first. */
function buildCaptureCtes(spec: CaptureSpec, params: Params, written: string): string[] {
  const c = spec.collection;
  const b = bindCapture(spec, params);
  const w = ident(written);
  const t = T;
  const pk = `${t}.${ident(c.primaryKey)}`;
  const ctes: string[] = [];
  if (writesRevisions(spec)) {
    ctes.push(
      `${K} AS (SELECT ${ACTIVITY_ID} AS "aid", ${pk}::text AS "item", ` +
        `${revisionColumns(spec, spec.payloadFields[0] ?? [], t)} FROM ${w} AS ${t})`,
    );
    ctes.push(activityCte(b, { from: K, item: '"item"', id: '"aid"' }));
    ctes.push(revisionCte(spec, b, 'NULL::integer', []));
  } else if (spec.activity) ctes.push(activityCte(b, { from: `${w} AS ${t}`, item: `${pk}::text` }));
  if (spec.changeLog) {
    const keys = `(SELECT coalesce(jsonb_agg(${keyJson(c, pk)}), '[]'::jsonb) FROM ${w} AS ${t})`;
    const o = ident('tc_o');
    const before =
      spec.action === 'update'
        ? `(SELECT jsonb_agg(to_jsonb(${o})) FROM ${ident(c.collection)} AS ${o} WHERE ${o}.${ident(c.primaryKey)} IN (SELECT ${pk} FROM ${w} AS ${t}))`
        : 'NULL::jsonb';
    ctes.push(changeCte(b, keys, before));
  }
  return ctes;
}

/**
 * A row as the driver returned it, made JSON that `json_populate_recordset` reads back into the same values: dates
 * the driver parsed in local time (date, timestamp without time zone) are written as that local wall time, binary
 * values as `\x…` hex.
 */
function jsonRow(c: CollectionSnapshot, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    const field = c.fields[name];
    if (value instanceof Date) out[name] = field ? dateText(field, value) : value.toISOString();
    else if (value instanceof Uint8Array) out[name] = `\\x${hex(value)}`;
    else out[name] = value;
  }
  return out;
}

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

function dateText(field: FieldSnapshot, value: Date): string {
  if (field.dbType === 'timestamp with time zone') return value.toISOString();
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const day = `${pad(value.getFullYear(), 4)}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
  if (field.dbType === 'date') return day;
  return `${day}T${pad(value.getHours())}:${pad(value.getMinutes())}:${pad(value.getSeconds())}.${pad(value.getMilliseconds(), 3)}`;
}

/**
 * A one-row write as a `WITH` statement whose only CTE is the write (`"tc_w" AS (INSERT/UPDATE … RETURNING *)`) and
 * whose rows are the written rows: the shape {@link foldCtes} appends to when the re-read can't be folded in.
 */
export function compileWrittenRows(write: WriteStatement): WriteStatement {
  const w = ident('tc_w');
  return { sql: `WITH ${w} AS (${write.sql}) SELECT ${w}.* FROM ${w}`, params: write.params };
}

/**
 * Appends data-modifying CTEs to a `WITH "<written>" AS (<write>) … SELECT …` statement (a write folded with its
 * re-read, or {@link compileWrittenRows}): `ctes` gets the name of the first CTE (the write's `RETURNING *`) and the
 * statement's parameters so far, and returns CTEs to add after the statement's own. The statement's result rows are
 * unchanged. Null when the statement is not of that shape.
 */
export function foldCtes(
  statement: WriteStatement,
  ctes: (params: Params, written: string) => readonly string[],
): WriteStatement | null {
  const parts = cachedWithParts(statement.sql);
  if (!parts) return null;
  const params = new Params();
  params.values.push(...statement.params);
  const extra = ctes(params, parts.first);
  if (extra.length === 0) return statement;
  const sql = `${statement.sql.slice(0, parts.end)}, ${extra.join(', ')}${statement.sql.slice(parts.end)}`;
  return { sql, params: params.values };
}

/** {@link withParts} of the statements folded lately (a one-row write's statement recurs per shape). */
const PARTS = new Map<string, { first: string; end: number } | null>();

function cachedWithParts(sql: string): { first: string; end: number } | null {
  let parts = PARTS.get(sql);
  if (parts === undefined) {
    parts = withParts(sql);
    // Bounded: at most 512 statements, none longer than 20,000 characters.
    if (sql.length <= 20_000) {
      if (PARTS.size >= 512) PARTS.clear();
      PARTS.set(sql, parts);
    }
  }
  return parts;
}

/**
 * The name of a `WITH` statement's first CTE and where its CTE list ends (the index of the space before its main
 * SELECT, at parenthesis depth 0 outside quotes), or null when it is not `WITH "<name>" AS (…)[, …] SELECT …`.
 */
export function withParts(sql: string): { first: string; end: number } | null {
  const head = /^WITH "((?:[^"]|"")+)" AS \(/.exec(sql);
  if (!head) return null;
  let depth = 0;
  for (let i = 5; i < sql.length; i++) {
    const ch = sql[i];
    if (ch === "'") {
      const escaped = sql[i - 1] === 'E';
      for (i++; i < sql.length; i++) {
        if (escaped && sql[i] === '\\') i++;
        else if (sql[i] === "'") {
          if (sql[i + 1] === "'") i++;
          else break;
        }
      }
    } else if (ch === '"') {
      for (i++; i < sql.length; i++) {
        if (sql[i] === '"') {
          if (sql[i + 1] === '"') i++;
          else break;
        }
      }
    } else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && sql.startsWith(' SELECT ', i)) {
      return { first: head[1]!.replaceAll('""', '"'), end: i };
    }
  }
  return null;
}
