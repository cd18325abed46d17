import { Inject, Injectable } from '@nestjs/common';
import { ForbiddenError, InvalidPayloadError } from '@lib/errors';
import type { EffectivePermission } from '@lib/permissions';
import {
  compileDelete,
  compileDeselectCandidates,
  compileInsert,
  compileLinkCandidates,
  compileResetSequence,
  compileSelectKeys,
  compileSelectRows,
  compileSingletonRow,
  compileSortMax,
  compileUpdate,
  READ_BACK_COLUMN,
  type CompiledRead,
  type WriteStatement,
} from '@lib/query';
import type { CollectionSnapshot, FieldSnapshot, RelationInfo, SchemaSnapshot } from '@lib/schema';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import type { Accountability } from '../../core/context/accountability';
import type { ItemsContext } from '../../core/context/items-context';
import { Database } from '../../core/database/database.service';
import { mapDatabaseError } from '../../core/errors/database-errors';
import { ItemsEventBus } from '../../core/events/items-event-bus';
import type { MutationEvent, PrimaryKey } from '../../core/events/items-events';
import { ItemsAccess } from '../permissions/items-access.service';
import { applySpecials, castValue, checkRequired, type Row } from './payload-caster';

/**
 * Folds the re-read of a written row into its writing statement (ItemsReadService.compileReadBack); null when the
 * read can't be folded.
 */
export type ReadBack = (write: WriteStatement) => Promise<CompiledRead | null>;

/** A one-row write with its folded re-read: `read` is the readOne JSON text, null when it was not folded. */
export interface WrittenItem {
  readonly key: PrimaryKey;
  readonly read: string | null;
}

/** State of one write request: who writes, the shared mutation counter, and the mutations made so far. */
interface WriteContext {
  readonly request: ItemsContext;
  /** The request's pinned snapshot: every level of a nested write sees the same schema. */
  readonly schema: SchemaSnapshot;
  readonly accountability: Accountability;
  readonly now: Date;
  readonly events: MutationEvent[];
  mutations: number;
  /** Only in a one-statement request: that statement also reads the row back. */
  readonly readBack?: ReadBack;
  /** The folded read's JSON, once the statement ran. */
  read?: string;
}

type O2MRelation = Extract<RelationInfo, { kind: 'o2m' }>;

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

function isObject(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Every write shape of the Items API (spec 1.1, 4.2), each request in ONE transaction: nested M2O/A2O writes
 * before the parent, O2M/M2M/M2A after, set-based SQL per collection and level (multi-row INSERT … RETURNING,
 * UPDATE/DELETE … WHERE pk = ANY($1)). Filter hooks run before each write, in-transaction handlers with it, and
 * after-commit listeners only once everything committed — through ItemsEventBus, so items never know who listens.
 */
@Injectable()
export class ItemsWriteService {
  constructor(
    private readonly db: Database,
    private readonly bus: ItemsEventBus,
    private readonly access: ItemsAccess,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  // ---- public API (one transaction each) -------------------------------------------------------------------

  async create(request: ItemsContext, collection: string, items: Row[]): Promise<PrimaryKey[]> {
    const c = this.writable(request, collection);
    return this.request(request, (ctx) => this.insertItems(ctx, c, items, null));
  }

  /**
   * One item, re-read with `readBack`. When the create is provably one statement, it runs without BEGIN/COMMIT and
   * the re-read is folded into it: one round trip for the whole request.
   */
  async createOne(request: ItemsContext, collection: string, item: Row, readBack: ReadBack): Promise<WrittenItem> {
    const c = this.writable(request, collection);
    const one = this.isOneStatement(c, request.accountability, [item], 'create');
    return this.request(
      request,
      async (ctx) => ({ key: (await this.insertItems(ctx, c, [item], null))[0]!, read: ctx.read ?? null }),
      one ? readBack : undefined,
    );
  }

  /** PATCH of one item, re-read with `readBack`: as {@link createOne}. */
  async updateOne(
    request: ItemsContext,
    collection: string,
    key: PrimaryKey,
    data: Row,
    readBack: ReadBack,
  ): Promise<WrittenItem> {
    const c = this.writable(request, collection);
    const one = this.isOneStatement(c, request.accountability, [data], 'update');
    return this.request(
      request,
      async (ctx) => {
        await this.updateItems(ctx, c, await this.castKeys(c, [key]), data, null);
        return { key, read: ctx.read ?? null };
      },
      one ? readBack : undefined,
    );
  }

  async updateMany(
    request: ItemsContext,
    collection: string,
    keys: readonly PrimaryKey[],
    data: Row,
  ): Promise<PrimaryKey[]> {
    return this.request(request, async (ctx) => {
      const c = this.writable(request, collection);
      await this.updateItems(ctx, c, await this.castKeys(c, keys), data, null);
      return [...keys];
    });
  }

  /** Array body: each element carries its primary key and gets its own update. */
  async updateBatch(request: ItemsContext, collection: string, items: Row[]): Promise<PrimaryKey[]> {
    return this.request(request, async (ctx) => {
      const c = this.writable(request, collection);
      const keys: PrimaryKey[] = [];
      for (const item of items) {
        if (!isObject(item) || item[c.primaryKey] === undefined || item[c.primaryKey] === null) {
          throw new InvalidPayloadError('Item in update misses primary key');
        }
        const [key] = await this.castKeys(c, [item[c.primaryKey] as PrimaryKey]);
        if (key === undefined) continue; // out of the key's range: no such row
        const { [c.primaryKey]: _pk, ...data } = item;
        await this.updateItems(ctx, c, [key], data, null);
        keys.push(key);
      }
      return keys;
    });
  }

  /**
   * Update by query: the action and the payload's fields are checked first, so a forbidden request is 403 even when
   * no row matches; then the keys, then an update of exactly those rows.
   */
  async updateByKeysOf(
    request: ItemsContext,
    collection: string,
    findKeys: () => Promise<PrimaryKey[]>,
    data: Row,
  ): Promise<PrimaryKey[]> {
    return this.request(request, async (ctx) => {
      const c = this.writable(request, collection);
      this.access.checkFields(await this.permission(ctx, c, 'update'), c, data);
      const keys = await findKeys();
      if (keys.length) await this.updateItems(ctx, c, keys, data, null);
      return keys;
    });
  }

  async deleteMany(request: ItemsContext, collection: string, keys: readonly PrimaryKey[]): Promise<PrimaryKey[]> {
    return this.request(request, async (ctx) => {
      const c = this.writable(request, collection);
      await this.deleteItems(ctx, c, await this.castKeys(c, keys), null);
      return [...keys];
    });
  }

  /** Delete by query: the action is checked first (403 even when no row matches), then the keys. */
  async deleteByKeysOf(
    request: ItemsContext,
    collection: string,
    findKeys: () => Promise<PrimaryKey[]>,
  ): Promise<PrimaryKey[]> {
    return this.request(request, async (ctx) => {
      const c = this.writable(request, collection);
      await this.permission(ctx, c, 'delete');
      const keys = await findKeys();
      if (keys.length) await this.deleteItems(ctx, c, keys, null);
      return keys;
    });
  }

  /** Singleton PATCH: update the first row, or create it when the table is empty. */
  async upsertSingleton(request: ItemsContext, collection: string, data: Row): Promise<PrimaryKey> {
    return this.request(request, async (ctx) => {
      const c = this.writable(request, collection);
      const [row] = await this.query(compileSingletonRow(c));
      if (row) {
        await this.updateItems(ctx, c, [row.pk as PrimaryKey], data, null);
        return row.pk as PrimaryKey;
      }
      const [key] = await this.insertItems(ctx, c, [data], null);
      return key;
    });
  }

  // ---- request frame ------------------------------------------------------------------------------------------

  /** The collection to write, in the request's snapshot; permissions are checked per level and row. */
  private writable(request: ItemsContext, collection: string): CollectionSnapshot {
    const c = request.schema.collections[collection];
    if (!c) throw ForbiddenError.collection(collection);
    return c;
  }

  /**
   * The permission for writing `c` at any level of a request, or 403: system collections (users, roles, policies,
   * access, permissions, ...) are written by admins only, whoever calls and however deep the write is nested; others
   * follow the caller's policies (null: unrestricted).
   */
  private async permission(
    ctx: WriteContext,
    c: CollectionSnapshot,
    action: 'create' | 'update' | 'delete',
  ): Promise<EffectivePermission | null> {
    if (ctx.accountability.admin) return null;
    if (c.collection.startsWith('directus_')) throw new ForbiddenError();
    return this.access.writePermission(ctx.accountability, ctx.schema, c.collection, action);
  }

  /**
   * Whether writing these rows is provably ONE statement, so the request may skip BEGIN/COMMIT: one row, an admin
   * (no permission lookups), no filter hook or in-transaction handler (they may query), no before image, and no
   * nested relational value (an object for an M2O/A2O, anything for an O2M/M2M/M2A): nothing is written before or
   * after the row itself.
   */
  private isOneStatement(
    c: CollectionSnapshot,
    accountability: Accountability,
    rows: readonly unknown[],
    action: 'create' | 'update',
  ): boolean {
    if (rows.length !== 1 || !accountability.admin || !this.bus.quietFor(c)) return false;
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

  /**
   * One write request: its writes, then the in-transaction handlers over its events (all complete by then), then —
   * once the OUTERMOST transaction commits, which is not this one when it joined a caller's transaction — the
   * after-commit listeners. `readBack` is given only when the request is provably one statement: it then runs without
   * BEGIN/COMMIT (and no handler applies to it).
   */
  private async request<T>(
    request: ItemsContext,
    fn: (ctx: WriteContext) => Promise<T>,
    readBack?: ReadBack,
  ): Promise<T> {
    const ctx: WriteContext = {
      request,
      schema: request.schema,
      accountability: request.accountability,
      now: new Date(),
      events: [],
      mutations: 0,
      readBack,
    };
    const run = async () => {
      const result = await fn(ctx);
      await this.bus.runInTransaction(ctx.events, (name) => ctx.schema.collections[name]);
      this.db.afterCommit(() => this.bus.emitCommitted(ctx.events));
      return result;
    };
    return readBack ? this.db.autocommit(run) : this.db.transaction(run);
  }

  /**
   * Runs a row-writing statement (`… RETURNING *`). In a one-statement request, the statement also reads the row
   * back (ctx.readBack): its JSON is kept in ctx.read, and the written rows are returned as usual.
   */
  private async writeRows(ctx: WriteContext, write: WriteStatement): Promise<Row[]> {
    const folded = ctx.readBack ? await ctx.readBack(write) : null;
    if (!folded) return this.query(write);
    const rows = await this.db.query<Row>(folded.sql, folded.params, { prepare: true });
    ctx.read = (rows[0]?.[READ_BACK_COLUMN] as string | undefined) ?? 'null';
    return rows.map(({ [READ_BACK_COLUMN]: _read, ...row }) => row);
  }

  /**
   * M2O/A2O writes happen before their top-level parent exists; once it does, every event recorded since `mark`
   * (those nested writes and anything nested in them) belongs to it.
   */
  private adopt(ctx: WriteContext, mark: number, parent: MutationEvent | null, event: MutationEvent): void {
    if (parent) return;
    for (let i = mark; i < ctx.events.length; i++) (ctx.events[i] as { parent: MutationEvent | null }).parent = event;
  }

  private track(ctx: WriteContext, count: number): void {
    ctx.mutations += count;
    if (ctx.mutations > this.config.maxBatchMutation) {
      throw new InvalidPayloadError(`Exceeded max batch mutation limit of ${this.config.maxBatchMutation}`);
    }
  }

  private async guarded<T>(collection: string, payload: Row | Row[], run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw mapDatabaseError(error, { collection, payload }) ?? error;
    }
  }

  // ---- create ----------------------------------------------------------------------------------------------------

  private async insertItems(
    ctx: WriteContext,
    c: CollectionSnapshot,
    raw: Row[],
    parent: MutationEvent | null,
  ): Promise<PrimaryKey[]> {
    if (raw.length === 0) return [];
    this.track(ctx, raw.length);
    const permission = await this.permission(ctx, c, 'create');
    const items: Row[] = [];
    for (const item of raw) {
      if (!isObject(item)) throw new InvalidPayloadError(`Items of "${c.collection}" must be objects`);
      const filtered = await this.bus.filter('create', c.collection, item, ctx.request);
      items.push(this.access.checkPayload(permission, c, filtered, 'create'));
    }
    const mark = ctx.events.length;
    await this.resolveManyToOne(ctx, c, items, parent);
    const nested = items.map((item) => this.splitAliases(c, item));
    const rows: Row[] = [];
    for (const { columns } of nested) {
      const stamped = applySpecials(c, columns, 'create', ctx.accountability, ctx.now);
      checkRequired(c, stamped);
      rows.push(await this.castRow(c, stamped));
    }
    const inserted = await this.insertRows(ctx, c, rows);
    const keys = inserted.map((r) => r[c.primaryKey] as PrimaryKey);
    const event: MutationEvent = {
      action: 'create',
      collection: c.collection,
      keys,
      payload: rows,
      after: inserted,
      before: null,
      accountability: ctx.accountability,
      parent,
      requestId: ctx.request.requestId,
    };
    this.adopt(ctx, mark, parent, event);
    ctx.events.push(event);
    for (const [field, relation] of Object.entries(c.relations)) {
      if (relation.kind !== 'o2m') continue;
      const perParent = nested
        .map((n, i) => ({ key: keys[i], value: n.aliases[field] }))
        .filter((p) => p.value !== undefined);
      if (perParent.length) await this.writeOneToMany(ctx, relation, perParent, true, parent ?? event);
    }
    return keys;
  }

  private async insertRows(ctx: WriteContext, c: CollectionSnapshot, rows: Row[]): Promise<Row[]> {
    const out: Row[] = [];
    // Chunked under the parameter limit; with nothing given at all, one row of DEFAULTs per item.
    for (const insert of compileInsert(c, rows)) {
      out.push(...(await this.guarded(c.collection, insert.rows, () => this.writeRows(ctx, insert))));
    }
    const pk = c.fields[c.primaryKey];
    if (pk.autoIncrement && rows.some((r) => r[c.primaryKey] !== undefined && r[c.primaryKey] !== null)) {
      await this.resetSequence(c);
    }
    return out;
  }

  /**
   * After rows were inserted with explicit auto-increment keys, move the sequence past the highest key so later
   * inserts don't collide (Directus resets it too, spec 11 createOne step 8). Never moves it backwards.
   */
  private async resetSequence(c: CollectionSnapshot): Promise<void> {
    await this.query(compileResetSequence(c));
  }

  // ---- update ----------------------------------------------------------------------------------------------------

  private async updateItems(
    ctx: WriteContext,
    c: CollectionSnapshot,
    keys: PrimaryKey[],
    raw: Row,
    parent: MutationEvent | null,
  ): Promise<void> {
    if (!isObject(raw)) throw new InvalidPayloadError(`Update of "${c.collection}" must be an object`);
    this.track(ctx, keys.length);
    const permission = await this.permission(ctx, c, 'update');
    const filtered = await this.bus.filter('update', c.collection, raw, ctx.request, keys);
    const data = this.access.checkPayload(permission, c, filtered, 'update');
    await this.access.assertRows(permission, ctx.schema, c, keys, ctx.accountability, Object.keys(data));
    const mark = ctx.events.length;
    await this.resolveManyToOne(ctx, c, [data], parent);
    const { columns, aliases } = this.splitAliases(c, data);
    delete columns[c.primaryKey];
    // As Directus, the update specials stamp every update, even one that only changes relations.
    const stamped = applySpecials(c, columns, 'update', ctx.accountability, ctx.now);
    const row = await this.castRow(c, stamped);
    const before = this.bus.wantsBefore ? await this.selectRows(c, keys) : null;
    let after: Row[] = [];
    const update = compileUpdate(c, keys, row);
    if (update) after = await this.guarded(c.collection, data, () => this.writeRows(ctx, update));
    const event: MutationEvent = {
      action: 'update',
      collection: c.collection,
      keys,
      payload: row,
      after,
      before,
      accountability: ctx.accountability,
      parent,
      requestId: ctx.request.requestId,
    };
    this.adopt(ctx, mark, parent, event);
    ctx.events.push(event);
    for (const [field, value] of Object.entries(aliases)) {
      const relation = c.relations[field];
      if (relation?.kind !== 'o2m') continue;
      await this.writeOneToMany(
        ctx,
        relation,
        keys.map((key) => ({ key, value })),
        false,
        parent ?? event,
      );
    }
  }

  // ---- delete ----------------------------------------------------------------------------------------------------

  private async deleteItems(
    ctx: WriteContext,
    c: CollectionSnapshot,
    raw: PrimaryKey[],
    parent: MutationEvent | null,
  ): Promise<void> {
    if (raw.length === 0) return;
    this.track(ctx, raw.length);
    const permission = await this.permission(ctx, c, 'delete');
    const keys = await this.bus.filter('delete', c.collection, raw, ctx.request);
    await this.access.assertRows(permission, ctx.schema, c, keys, ctx.accountability, []);
    const before = this.bus.wantsBefore ? await this.selectRows(c, keys) : null;
    await this.guarded(c.collection, {}, () => this.query(compileDelete(c, keys)));
    const event: MutationEvent = {
      action: 'delete',
      collection: c.collection,
      keys,
      payload: keys,
      after: [],
      before,
      accountability: ctx.accountability,
      parent,
      requestId: ctx.request.requestId,
    };
    ctx.events.push(event);
  }

  // ---- relations -------------------------------------------------------------------------------------------------

  /**
   * M2O and A2O values that are objects become nested writes, grouped per relation: objects whose key exists are
   * updated (unless they hold only the key), the others created; then the FK (and A2O collection) is set.
   */
  private async resolveManyToOne(
    ctx: WriteContext,
    c: CollectionSnapshot,
    items: Row[],
    parent: MutationEvent | null,
  ): Promise<void> {
    for (const [field, relation] of Object.entries(c.relations)) {
      if (relation.kind === 'o2m') continue;
      const targets = new Map<string, { item: Row; value: Row }[]>();
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
      for (const [target, entries] of targets) {
        const related = ctx.schema.collections[target];
        if (!related) throw ForbiddenError.collection(target);
        const pk = related.primaryKey;
        const withKey = entries.filter((e) => e.value[pk] !== undefined && e.value[pk] !== null);
        const existing = new Set(
          (
            await this.existingKeys(
              related,
              withKey.map((e) => e.value[pk] as PrimaryKey),
            )
          ).map(String),
        );
        const toCreate = entries.filter((e) => !existing.has(String(e.value[pk])));
        for (const e of entries) {
          if (!existing.has(String(e.value[pk]))) continue;
          const { [pk]: key, ...rest } = e.value;
          if (Object.keys(rest).length) await this.updateItems(ctx, related, [key as PrimaryKey], rest, parent);
          e.item[field] = relation.kind === 'm2o' ? key : String(key);
        }
        const created = await this.insertItems(
          ctx,
          related,
          toCreate.map((e) => e.value),
          parent,
        );
        toCreate.forEach((e, i) => (e.item[field] = relation.kind === 'm2o' ? created[i] : String(created[i])));
      }
    }
  }

  /**
   * O2M / M2M / M2A children for several parents. Array form = full replacement (unlisted children deselected by
   * `one_deselect_action`); detailed form `{create, update, delete}` touches only what it lists (spec 4.2).
   */
  private async writeOneToMany(
    ctx: WriteContext,
    relation: O2MRelation,
    parents: { key: PrimaryKey; value: unknown }[],
    parentsAreNew: boolean,
    parentEvent: MutationEvent,
  ): Promise<void> {
    const child = ctx.schema.collections[relation.related];
    const pk = child.primaryKey;
    const fk = relation.foreignKey;
    const creates: Row[] = [];
    const deselects: { key: PrimaryKey; keys: PrimaryKey[]; mode: 'only' | 'except' }[] = [];
    for (const { key, value } of parents) {
      if (isObject(value)) {
        const d = this.detailedForm(value);
        for (const entry of d.create) creates.push({ ...entry, [fk]: key });
        for (const entry of d.update) {
          if (entry[pk] === undefined || entry[pk] === null)
            throw new InvalidPayloadError('Item in update misses primary key');
          const { [pk]: childKey, ...rest } = entry;
          const childKeys = await this.castKeys(child, [childKey as PrimaryKey]);
          await this.updateItems(ctx, child, childKeys, { ...rest, [fk]: key }, parentEvent);
        }
        if (d.delete.length) deselects.push({ key, keys: d.delete, mode: 'only' });
        continue;
      }
      const list = value === null || value === undefined || value === false ? [] : value;
      if (!Array.isArray(list)) {
        throw new InvalidPayloadError(`Invalid one-to-many update structure: "${relation.field}" must be an array`);
      }
      const keep: PrimaryKey[] = [];
      const links: PrimaryKey[] = [];
      const upserts: Row[] = [];
      for (const entry of list) {
        if (isObject(entry)) {
          if (entry[pk] !== undefined && entry[pk] !== null) upserts.push(entry);
          else creates.push({ ...entry, [fk]: key });
        } else if (typeof entry === 'string' || typeof entry === 'number') {
          links.push(entry);
        } else {
          throw new InvalidPayloadError(
            `Invalid one-to-many update structure: "${relation.field}" holds ${typeof entry}`,
          );
        }
      }
      // Links: existing children by key (403 when one doesn't exist), pointed at this parent.
      if (links.length) {
        const castLinks = await this.castKeys(child, links);
        const found = await this.existingKeys(child, castLinks);
        if (found.length !== new Set(castLinks.map(String)).size) throw new ForbiddenError();
        const current = await this.query(compileLinkCandidates(relation, castLinks, key));
        if (current.length)
          await this.updateItems(
            ctx,
            child,
            current.map((r) => r.pk as PrimaryKey),
            { [fk]: key },
            parentEvent,
          );
        keep.push(...castLinks);
      }
      // Upserts: update the child if it exists (re-pointing it here), else create it with the given key.
      if (upserts.length) {
        const exists = new Set(
          (
            await this.existingKeys(
              child,
              upserts.map((u) => u[pk] as PrimaryKey),
            )
          ).map(String),
        );
        for (const entry of upserts) {
          const { [pk]: childKey, ...rest } = entry;
          if (exists.has(String(childKey))) {
            await this.updateItems(ctx, child, [childKey as PrimaryKey], { ...rest, [fk]: key }, parentEvent);
            keep.push(childKey as PrimaryKey);
          } else {
            creates.push({ ...entry, [fk]: key });
            keep.push(childKey as PrimaryKey);
          }
        }
      }
      if (!parentsAreNew) deselects.push({ key, keys: keep, mode: 'except' });
    }
    // Sort values count the children as they were before this write, so read max(sort) before deselecting.
    if (creates.length) await this.fillSortField(relation, creates, parentsAreNew);
    for (const d of deselects) await this.deselect(ctx, relation, d.key, d.keys, d.mode, parentEvent);
    if (creates.length) {
      await this.insertItems(ctx, child, creates, parentEvent);
    }
  }

  /** Unlink children of `parent`: either exactly `keys` ('only') or all but `keys` ('except'); nullify or delete. */
  private async deselect(
    ctx: WriteContext,
    relation: O2MRelation,
    parent: PrimaryKey,
    keys: PrimaryKey[],
    mode: 'only' | 'except',
    parentEvent: MutationEvent,
  ): Promise<void> {
    const child = ctx.schema.collections[relation.related];
    const castKeys = keys.length ? await this.castKeys(child, keys) : [];
    const rows = await this.query(compileDeselectCandidates(relation, parent, castKeys, mode));
    const targets = rows.map((r) => r.pk as PrimaryKey);
    if (!targets.length) return;
    if (relation.deselectAction === 'delete') await this.deleteItems(ctx, child, targets, parentEvent);
    else await this.updateItems(ctx, child, targets, { [relation.foreignKey]: null }, parentEvent);
  }

  private detailedForm(value: Row): { create: Row[]; update: Row[]; delete: PrimaryKey[] } {
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

  /** Children created without a sort value get max(sort) + index + 1 within their parent (spec 4.2). */
  private async fillSortField(relation: O2MRelation, creates: Row[], parentsAreNew: boolean): Promise<void> {
    const sortField = relation.sortField;
    if (!sortField) return;
    const parents = [...new Set(creates.filter((c) => c[sortField] === undefined).map((c) => c[relation.foreignKey]))];
    if (!parents.length) return;
    // Parents created by this very write have no children yet: no need to ask for their max(sort).
    const rows = parentsAreNew
      ? []
      : await this.query<{ parent: unknown; max: number | null }>(compileSortMax(relation, sortField, parents));
    const max = new Map(rows.map((r) => [String(r.parent), Number(r.max ?? 0)]));
    // index = the item's position among its parent's creates, given sort values included (spec 4.2).
    const index = new Map<string, number>();
    for (const item of creates) {
      const parent = String(item[relation.foreignKey]);
      const i = index.get(parent) ?? 0;
      index.set(parent, i + 1);
      if (item[sortField] === undefined) item[sortField] = (max.get(parent) ?? 0) + i + 1;
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------------------------

  /** Splits a payload into column values and alias (O2M) values; admins' unknown keys are dropped (spec 15). */
  private splitAliases(c: CollectionSnapshot, item: Row): { columns: Row; aliases: Row } {
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

  private async castRow(c: CollectionSnapshot, row: Row): Promise<Row> {
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
  async castKeys(c: CollectionSnapshot, keys: readonly PrimaryKey[]): Promise<PrimaryKey[]> {
    const field = c.fields[c.primaryKey];
    const cast = await Promise.all(
      keys.map(async (key) => {
        try {
          return (await castValue(field, key)) as PrimaryKey;
        } catch {
          throw new ForbiddenError();
        }
      }),
    );
    return cast.filter((key) => inKeyRange(field.type, key));
  }

  private async existingKeys(c: CollectionSnapshot, keys: PrimaryKey[]): Promise<PrimaryKey[]> {
    if (!keys.length) return [];
    const cast = await this.castKeys(c, keys);
    const rows = await this.query(compileSelectKeys(c, cast));
    return rows.map((r) => r.pk as PrimaryKey);
  }

  private async selectRows(c: CollectionSnapshot, keys: PrimaryKey[]): Promise<Row[]> {
    return this.query(compileSelectRows(c, keys));
  }

  /** Runs a statement compiled by libs/query (compile-write): the only SQL this service sends. */
  private query<R = Row>(statement: WriteStatement): Promise<R[]> {
    return this.db.query<R>(statement.sql, statement.params);
  }
}
