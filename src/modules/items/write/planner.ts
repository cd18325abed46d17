/**
 * The nested-write planner: pure decisions of the write path, no I/O. From a level's input (payload rows after the
 * filter hooks and the permission check), the pinned snapshot and the caller's accountability, it says what that level
 * writes and in which set-based steps:
 * - whether the whole request is provably ONE statement ({@link isOneStatement});
 * - the column values and the relational (alias) values of each row ({@link splitAliases}, {@link levelRows});
 * - the M2O/A2O nested writes, grouped per relation and target collection ({@link planManyToOne}), and which of them
 *   update an existing row or create one once the existing keys are known ({@link partitionExisting});
 * - the O2M/M2M/M2A children of each parent: creates, updates, links, upserts and deselections
 *   ({@link planOneToManyParent}), the parents that need a sort maximum and the sort values ({@link fillSort}).
 * A level's plan depends on what the previous level wrote (keys, hook results), so the runners ask for it level by
 * level, in the order the writes happen (write/*-runner.ts); every step they run is one statement per collection and
 * level (multi-row INSERT … RETURNING, UPDATE/DELETE … WHERE pk = ANY($1)).
 */
import { ForbiddenError, InvalidPayloadError } from '@lib/errors';
import type { CollectionSnapshot, FieldSnapshot, RelationInfo } from '@lib/schema';
import type { Accountability } from '../../../core/context/accountability';
import type { PrimaryKey } from '../../../core/events/items-events';
import { applySpecials, castValue, checkRequired, type Row } from '../payload-caster';

export type O2MRelation = Extract<RelationInfo, { kind: 'o2m' }>;
export type ToOneRelation = Exclude<RelationInfo, { kind: 'o2m' }>;

const KEY_RANGE: Partial<Record<string, [bigint, bigint]>> = {
  integer: [-(2n ** 31n), 2n ** 31n - 1n],
  bigInteger: [-(2n ** 63n), 2n ** 63n - 1n],
};

/** An integer key outside the column's range can't name a row: it is simply not found. */
function inKeyRange(type: string, key: unknown): boolean {
  const range = KEY_RANGE[type];
  if (!range) return true;
  const n = BigInt(String(key));
  return n >= range[0] && n <= range[1];
}

export function isObject(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether writing these rows is provably ONE statement, so the request may skip BEGIN/COMMIT: one row, an admin
 * (no permission lookups), no filter hook or in-transaction handler (`quiet`: they may query), no before image, and
 * no nested relational value (an object for an M2O/A2O, anything for an O2M/M2M/M2A): nothing is written before or
 * after the row itself.
 */
export function isOneStatement(
  c: CollectionSnapshot,
  accountability: Accountability,
  rows: readonly unknown[],
  action: 'create' | 'update',
  quiet: (c: CollectionSnapshot) => boolean,
): boolean {
  if (rows.length !== 1 || !accountability.admin || !quiet(c)) return false;
  const row = rows[0];
  // An explicit key for an auto-increment column moves the sequence afterwards: a second statement.
  const movesSequence = (r: Row) =>
    action === 'create' && c.fields[c.primaryKey]!.autoIncrement && r[c.primaryKey] != null;
  return (
    isObject(row) &&
    !movesSequence(row) &&
    Object.entries(row).every(([field, value]) => {
      const relation = c.relations[field];
      if (relation) return relation.kind !== 'o2m' && !isObject(value);
      return !c.fields[field]?.alias;
    })
  );
}

// ---- one level ------------------------------------------------------------------------------------------------------

/** A payload split into column values and alias (O2M) values; admins' unknown keys are dropped (spec 15). */
export interface SplitRow {
  readonly columns: Row;
  readonly aliases: Row;
}

export function splitAliases(c: CollectionSnapshot, item: Row): SplitRow {
  const columns: Row = {};
  const aliases: Row = {};
  for (const [key, value] of Object.entries(item)) {
    const field = c.fields[key];
    if (!field || value === undefined) continue;
    if (field.alias) aliases[key] = value;
    else columns[key] = value;
  }
  return { columns, aliases };
}

/** Column values as the statement binds them: specials stamped, required fields checked (create), values cast. */
export async function levelRow(
  c: CollectionSnapshot,
  columns: Row,
  action: 'create' | 'update',
  accountability: Accountability,
  now: Date,
): Promise<Row> {
  const stamped = applySpecials(c, columns, action, accountability, now);
  if (action === 'create') checkRequired(c, stamped);
  return castRow(c, stamped);
}

/** The create rows of one level, in input order ({@link levelRow} each). */
export async function levelRows(
  c: CollectionSnapshot,
  split: readonly SplitRow[],
  accountability: Accountability,
  now: Date,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const { columns } of split) rows.push(await levelRow(c, columns, 'create', accountability, now));
  return rows;
}

async function castRow(c: CollectionSnapshot, row: Row): Promise<Row> {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) {
    const field: FieldSnapshot = c.fields[key];
    if (isObject(value) && c.relations[key]) {
      throw new InvalidPayloadError(`Invalid value for field "${key}"`);
    }
    out[key] = await castValue(field, value);
  }
  return out;
}

/** Validates keys against the primary key's type; a malformed key reads as "not found" (403, spec 1.4). */
export async function castKeys(c: CollectionSnapshot, keys: readonly PrimaryKey[]): Promise<PrimaryKey[]> {
  return (await castKeyPairs(c, keys)).cast;
}

/**
 * {@link castKeys}, also returning the keys as passed aligned with the cast ones (a key outside the key's range
 * names no row and is left out of both).
 */
export async function castKeyPairs(
  c: CollectionSnapshot,
  keys: readonly PrimaryKey[],
): Promise<{ cast: PrimaryKey[]; passed: PrimaryKey[] }> {
  const field = c.fields[c.primaryKey];
  const all = await Promise.all(
    keys.map(async (key) => {
      try {
        return (await castValue(field, key)) as PrimaryKey;
      } catch {
        throw new ForbiddenError();
      }
    }),
  );
  const cast: PrimaryKey[] = [];
  const passed: PrimaryKey[] = [];
  all.forEach((key, i) => {
    if (!inKeyRange(field.type, key)) return;
    cast.push(key);
    passed.push(keys[i]);
  });
  return { cast, passed };
}

/** A batch update's element: its key and the rest of it (400 when it has no key). */
export function batchElement(c: CollectionSnapshot, item: unknown): { key: PrimaryKey; data: Row } {
  if (!isObject(item) || item[c.primaryKey] === undefined || item[c.primaryKey] === null) {
    throw new InvalidPayloadError('Item in update misses primary key');
  }
  const { [c.primaryKey]: key, ...data } = item;
  return { key: key as PrimaryKey, data };
}

// ---- M2O / A2O ------------------------------------------------------------------------------------------------------

/** One nested M2O/A2O value: the row holding it and the object given for the related row. */
export interface ToOneEntry {
  readonly item: Row;
  readonly value: Row;
}

/** The nested writes of one M2O/A2O field into one target collection. */
export interface ToOneGroup {
  readonly target: string;
  readonly entries: ToOneEntry[];
}

/**
 * The nested writes of M2O/A2O `field`: its object values grouped per target collection (an A2O's target is the
 * row's collection field, which must be set and allowed), in first-seen order. Values that are not objects are plain
 * foreign keys: no nested write.
 */
export function planManyToOne(
  c: CollectionSnapshot,
  field: string,
  relation: ToOneRelation,
  items: readonly Row[],
): ToOneGroup[] {
  const targets = new Map<string, ToOneEntry[]>();
  for (const item of items) {
    const value = item[field];
    if (!isObject(value)) continue;
    let target: string;
    if (relation.kind === 'm2o') target = relation.related;
    else {
      const name = item[relation.collectionField];
      if (typeof name !== 'string' || !name) {
        throw new InvalidPayloadError(
          `Can't update nested record "${c.collection}.${field}" without field "${c.collection}.${relation.collectionField}" being set`,
        );
      }
      if (!relation.allowedCollections.includes(name)) {
        throw new InvalidPayloadError(`"${name}" can't be linked through "${c.collection}.${field}"`);
      }
      target = name;
    }
    if (!targets.has(target)) targets.set(target, []);
    targets.get(target)!.push({ item, value });
  }
  return [...targets].map(([target, entries]) => ({ target, entries }));
}

/** The keys given in a group's objects (those that may name existing rows). */
export function givenKeys(entries: readonly ToOneEntry[], pk: string): PrimaryKey[] {
  return entries.filter((e) => e.value[pk] !== undefined && e.value[pk] !== null).map((e) => e.value[pk] as PrimaryKey);
}

/**
 * A group split by the keys that exist: objects naming an existing row update it (unless they hold only the key)
 * and link it, the others create a row.
 */
export function partitionExisting(
  entries: readonly ToOneEntry[],
  pk: string,
  existing: ReadonlySet<string>,
): { existing: { entry: ToOneEntry; key: PrimaryKey; data: Row | null }[]; create: ToOneEntry[] } {
  const found: { entry: ToOneEntry; key: PrimaryKey; data: Row | null }[] = [];
  const create: ToOneEntry[] = [];
  for (const entry of entries) {
    if (!existing.has(String(entry.value[pk]))) {
      create.push(entry);
      continue;
    }
    const { [pk]: key, ...rest } = entry.value;
    found.push({ entry, key: key as PrimaryKey, data: Object.keys(rest).length ? rest : null });
  }
  return { existing: found, create };
}

/** The value the parent row's field gets for a related key: the key (M2O) or its text (A2O). */
export function toOneValue(relation: ToOneRelation, key: PrimaryKey): PrimaryKey {
  return relation.kind === 'm2o' ? key : String(key);
}

// ---- O2M / M2M / M2A ------------------------------------------------------------------------------------------------

/** One parent's value for an O2M field, with the parent's key. */
export interface O2MParent {
  readonly key: PrimaryKey;
  readonly value: unknown;
}

/**
 * What one parent's O2M value asks for. Detailed form `{create, update, delete}` touches only what it lists; array
 * form is a full replacement: new children, links to existing children by key, upserts by key, and (for a parent
 * that existed) the deselection of every child it no longer lists (spec 4.2). Creates carry the parent's key.
 */
export type O2MParentPlan =
  | {
      readonly form: 'detailed';
      readonly key: PrimaryKey;
      readonly creates: Row[];
      /** Raw `update` entries: each must hold the child's key ({@link childUpdate}). */
      readonly updates: Row[];
      readonly deletes: PrimaryKey[];
    }
  | {
      readonly form: 'replace';
      readonly key: PrimaryKey;
      readonly creates: Row[];
      readonly links: PrimaryKey[];
      readonly upserts: Row[];
    };

/** The O2M values of a level's rows for `field`, per parent key (rows that don't give the field left out). */
export function oneToManyParents(field: string, split: readonly SplitRow[], keys: readonly PrimaryKey[]): O2MParent[] {
  return split.map((n, i) => ({ key: keys[i]!, value: n.aliases[field] })).filter((p) => p.value !== undefined);
}

export function planOneToManyParent(relation: O2MRelation, pk: string, parent: O2MParent): O2MParentPlan {
  const fk = relation.foreignKey;
  const { key, value } = parent;
  if (isObject(value)) {
    const d = detailedForm(value);
    return {
      form: 'detailed',
      key,
      creates: d.create.map((entry) => ({ ...entry, [fk]: key })),
      updates: d.update,
      deletes: d.delete,
    };
  }
  const list = value === null || value === undefined || value === false ? [] : value;
  if (!Array.isArray(list)) {
    throw new InvalidPayloadError(`Invalid one-to-many update structure: "${relation.field}" must be an array`);
  }
  const creates: Row[] = [];
  const links: PrimaryKey[] = [];
  const upserts: Row[] = [];
  for (const entry of list) {
    if (isObject(entry)) {
      if (entry[pk] !== undefined && entry[pk] !== null) upserts.push(entry);
      else creates.push({ ...entry, [fk]: key });
    } else if (typeof entry === 'string' || typeof entry === 'number') {
      links.push(entry);
    } else {
      throw new InvalidPayloadError(`Invalid one-to-many update structure: "${relation.field}" holds ${typeof entry}`);
    }
  }
  return { form: 'replace', key, creates, links, upserts };
}

/** A detailed-form `update` entry: the child's key and its data, pointed at the parent (400 without a key). */
export function childUpdate(
  relation: O2MRelation,
  pk: string,
  parent: PrimaryKey,
  entry: Row,
): { key: PrimaryKey; data: Row } {
  if (entry[pk] === undefined || entry[pk] === null) throw new InvalidPayloadError('Item in update misses primary key');
  const { [pk]: key, ...rest } = entry;
  return { key: key as PrimaryKey, data: { ...rest, [relation.foreignKey]: parent } };
}

function detailedForm(value: Row): { create: Row[]; update: Row[]; delete: PrimaryKey[] } {
  const allowed = new Set(['create', 'update', 'delete']);
  for (const key of Object.keys(value)) {
    if (!allowed.has(key))
      throw new InvalidPayloadError(`Invalid one-to-many update structure: "${key}" is not allowed`);
  }
  const list = (name: string) => {
    const v = value[name] ?? [];
    if (!Array.isArray(v))
      throw new InvalidPayloadError(`Invalid one-to-many update structure: "${name}" must be an array`);
    return v;
  };
  const create = list('create');
  const update = list('update');
  const del = list('delete');
  if (!create.every(isObject) || !update.every(isObject)) {
    throw new InvalidPayloadError('Invalid one-to-many update structure: "create" and "update" must hold objects');
  }
  if (!del.every((k) => typeof k === 'string' || typeof k === 'number')) {
    throw new InvalidPayloadError('Invalid one-to-many update structure: "delete" must hold primary keys');
  }
  return { create, update, delete: del as PrimaryKey[] };
}

/** The parents whose children are created without a sort value: those need their max(sort). */
export function sortParents(relation: O2MRelation, sortField: string, creates: readonly Row[]): unknown[] {
  return [...new Set(creates.filter((c) => c[sortField] === undefined).map((c) => c[relation.foreignKey]))];
}

/**
 * Children created without a sort value get max(sort) + index + 1 within their parent, index being the item's
 * position among its parent's creates, given sort values included (spec 4.2).
 */
export function fillSort(
  relation: O2MRelation,
  sortField: string,
  creates: readonly Row[],
  max: ReadonlyMap<string, number>,
): void {
  const index = new Map<string, number>();
  for (const item of creates) {
    const parent = String(item[relation.foreignKey]);
    const i = index.get(parent) ?? 0;
    index.set(parent, i + 1);
    if (item[sortField] === undefined) item[sortField] = (max.get(parent) ?? 0) + i + 1;
  }
}
