import { Injectable } from '@nestjs/common';
import { ForbiddenError, InvalidPayloadError } from '@lib/errors';
import {
  compileDeleteCollectionFieldsMeta,
  compileDeleteCollectionMeta,
  compileDeleteFieldMeta,
  compileDeleteRelationsOf,
  compileSetAllowedCollections,
  compileUngroupCollections,
  compileUpsertCollectionMeta,
  ddlCreateTable,
  ddlDropTable,
} from '@lib/query';
import { isSystemCollection, type CollectionSnapshot } from '@lib/schema';
import type { Accountability } from '../../core/context/accountability';
import { Database } from '../../core/database/database.service';
import { assertName } from './ddl';
import { parseField, type FieldPlan } from './field-payload';
import { FieldsService } from './fields.service';
import { SchemaReadAccess } from './schema-read-access';
import { SchemaRegistry } from './schema-registry.service';
import { SchemaWriter } from './schema-writer.service';
import { systemCollectionMeta } from './system-meta';

export interface CollectionView {
  collection: string;
  meta: Record<string, unknown> | null;
  /** `type: 'view'` only for a view (a table's schema object has no `type`, as before views were served). */
  schema: { name: string; schema: string; comment: string | null; type?: 'view' } | null;
}

const COLLECTION_META_COLUMNS = [
  'icon',
  'note',
  'display_template',
  'hidden',
  'singleton',
  'translations',
  'archive_field',
  'archive_app_filter',
  'archive_value',
  'unarchive_value',
  'sort_field',
  'accountability',
  'color',
  'item_duplication_fields',
  'sort',
  'group',
  'collapse',
  'preview_url',
  'versioning',
] as const;
const JSON_COLUMNS = new Set(['translations', 'item_duplication_fields']);

/** The primary key Directus injects when a collection is created without one (spec 5.1). */
const INJECTED_PK = {
  field: 'id',
  type: 'integer',
  schema: { is_primary_key: true, has_auto_increment: true },
  meta: { hidden: true, readonly: true, interface: 'numeric' },
};

interface CollectionPlan {
  name: string;
  hasTable: boolean;
  fields: FieldPlan[];
  meta: Record<string, unknown> | null;
}

/** /collections (spec 5.1): tables and folders, their meta rows, and their fields on create. */
@Injectable()
export class CollectionsService {
  constructor(
    private readonly db: Database,
    private readonly registry: SchemaRegistry,
    private readonly writer: SchemaWriter,
    private readonly fields: FieldsService,
    private readonly access: SchemaReadAccess,
  ) {}

  /**
   * GET /collections (spec 5.1): every table of the snapshot — system collections included, with Directus's own meta
   * row for them — and every folder, by name. A non-admin needs read access to `directus_collections` and sees the
   * collections it has a read permission on, plus their groups (Directus's CollectionsService.readByQuery).
   */
  async list(accountability: Accountability): Promise<CollectionView[]> {
    const views = this.all();
    const rules = await this.access.rules(accountability, this.registry.snapshot);
    if (!rules) return views;
    if (!rules.metaReadable('directus_collections')) throw ForbiddenError.collection('directus_collections');
    const readable = new Set(rules.collections());
    for (const name of [...readable]) {
      const group = views.find((v) => v.collection === name)?.meta?.group;
      if (typeof group === 'string') readable.add(group);
    }
    return views.filter((v) => readable.has(v.collection));
  }

  /**
   * GET /collections/:collection. Unknown → bare 403 (spec 15); a non-admin needs a read permission on the
   * collection, then read access to `directus_collections` (spec 15: 403 naming it).
   */
  async readOne(name: string, accountability: Accountability): Promise<CollectionView> {
    const rules = await this.access.rules(accountability, this.registry.snapshot);
    if (rules) {
      rules.assertCollectionReadable(name);
      if (!rules.metaReadable('directus_collections')) throw ForbiddenError.collection('directus_collections');
    }
    return this.get(name);
  }

  private all(): CollectionView[] {
    const tables = Object.values(this.registry.snapshot.collections).map(viewOf);
    const folders = this.registry.folders.map((meta) => ({ collection: String(meta.collection), meta, schema: null }));
    return [...tables, ...folders].sort((a, b) => a.collection.localeCompare(b.collection));
  }

  /** Unknown → bare 403 (spec 15). */
  get(name: string): CollectionView {
    const c = this.registry.snapshot.collections[name];
    if (c) return viewOf(c);
    const folder = this.registry.folders.find((f) => f.collection === name);
    if (folder) return { collection: name, meta: folder, schema: null };
    throw new ForbiddenError();
  }

  /** POST /collections with an object: validated first, then table, field rows and meta row in ONE transaction. */
  async create(raw: unknown): Promise<CollectionView> {
    const plan = this.prepare(raw, new Set());
    await this.writer.change(() => this.apply(plan));
    return this.get(plan.name);
  }

  /** POST /collections with an array: every collection is validated, then all are created in ONE transaction. */
  async createMany(raw: unknown[]): Promise<CollectionView[]> {
    const pending = new Set<string>();
    const plans = raw.map((item) => {
      const plan = this.prepare(item, pending);
      pending.add(plan.name);
      return plan;
    });
    await this.writer.change(async () => {
      for (const plan of plans) await this.apply(plan);
    });
    return plans.map((p) => this.get(p.name));
  }

  private prepare(raw: unknown, pending: ReadonlySet<string>): CollectionPlan {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new InvalidPayloadError('Collection must be an object');
    }
    const body = raw as Record<string, unknown>;
    const name = body.collection;
    assertName('collection', name);
    if (this.exists(name) || pending.has(name)) throw new InvalidPayloadError(`Collection "${name}" already exists`);
    if (body.meta !== undefined && body.meta !== null && (typeof body.meta !== 'object' || Array.isArray(body.meta))) {
      throw new InvalidPayloadError('"meta" must be an object');
    }
    if (
      body.schema !== undefined &&
      body.schema !== null &&
      (typeof body.schema !== 'object' || Array.isArray(body.schema))
    ) {
      throw new InvalidPayloadError('"schema" must be an object');
    }
    if (body.fields !== undefined && body.fields !== null && !Array.isArray(body.fields)) {
      throw new InvalidPayloadError('"fields" must be an array');
    }
    const hasTable = body.schema !== undefined && body.schema !== null;
    const plans = ((body.fields as unknown[] | undefined) ?? []).map((f) => parseField(f));
    const seen = new Set<string>();
    for (const plan of plans) {
      if (seen.has(plan.field))
        throw new InvalidPayloadError(`Field "${plan.field}" already exists in collection "${name}"`);
      seen.add(plan.field);
    }
    const primaryKeys = plans.filter((p) => p.column?.primaryKey);
    if (primaryKeys.length > 1) throw new InvalidPayloadError(`Collection "${name}" can have only one primary key`);
    if (hasTable && primaryKeys.length === 0) {
      if (seen.has('id')) throw new InvalidPayloadError(`Field "id" of collection "${name}" must be its primary key`);
      plans.unshift(parseField(INJECTED_PK));
    }
    if (!hasTable && plans.some((p) => p.column)) {
      throw new InvalidPayloadError(
        `Collection "${name}" has no table ("schema" is null), so it can only have alias fields`,
      );
    }
    const meta = (body.meta as Record<string, unknown> | null | undefined) ?? null;
    if (meta) metaRow(meta);
    return { name, hasTable, fields: plans, meta };
  }

  private async apply(plan: CollectionPlan): Promise<void> {
    const { name, hasTable, fields, meta } = plan;
    if (hasTable) await this.createTable(name, fields);
    let sort = 1;
    for (const field of fields) await this.fields.insertMeta(name, field, sort++);
    if (meta) await this.upsertMeta(name, meta);
    else if (!hasTable) await this.upsertMeta(name, {});
  }

  async update(name: string, raw: unknown): Promise<CollectionView> {
    this.get(name);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new InvalidPayloadError('Collection must be an object');
    }
    const meta = (raw as Record<string, unknown>).meta;
    if (meta !== undefined && meta !== null) {
      if (typeof meta !== 'object' || Array.isArray(meta)) throw new InvalidPayloadError('"meta" must be an object');
      await this.writer.change(() => this.upsertMeta(name, meta as Record<string, unknown>));
    }
    return this.get(name);
  }

  async updateMany(raw: unknown): Promise<CollectionView[]> {
    if (!Array.isArray(raw)) throw new InvalidPayloadError('Payload must be an array of collections');
    const names = raw.map((item) => {
      const name = (item as { collection?: unknown })?.collection;
      if (typeof name !== 'string') throw new InvalidPayloadError('"collection" is required');
      this.get(name);
      return name;
    });
    await this.writer.change(async () => {
      for (const [i, item] of raw.entries()) {
        const meta = (item as { meta?: unknown }).meta;
        if (meta && typeof meta === 'object' && !Array.isArray(meta)) {
          await this.upsertMeta(names[i], meta as Record<string, unknown>);
        }
      }
    });
    return names.map((n) => this.get(n));
  }

  async delete(name: string): Promise<void> {
    const table = this.registry.snapshot.collections[name];
    this.get(name);
    // Listed since system collections are, but never dropped: Tessera's own tables live there.
    if (isSystemCollection(name)) throw new ForbiddenError();
    // A view is the database's, not Tessera's to drop.
    if (table?.view) throw InvalidPayloadError.readOnlyView(name);
    const relations = this.registry.snapshot.relations;
    await this.writer.change(async () => {
      // O2M aliases on other collections that point into this one's many-side relations go with it (as Directus does).
      for (const r of relations) {
        if (r.collection === name && r.related_collection && r.related_collection !== name && r.meta.one_field) {
          await this.db.run(compileDeleteFieldMeta(r.related_collection, r.meta.one_field));
        }
        if (r.collection !== name && r.meta.one_allowed_collections?.includes(name)) {
          const rest = r.meta.one_allowed_collections.filter((c) => c !== name);
          await this.db.run(compileSetAllowedCollections(r.collection, r.field, rest.length ? rest.join(',') : null));
        }
      }
      if (table) await this.db.query(ddlDropTable(name));
      await this.db.run(compileDeleteCollectionFieldsMeta(name));
      await this.db.run(compileDeleteCollectionMeta(name));
      await this.db.run(compileDeleteRelationsOf('many', name));
      // Relations pointing at the dropped collection lose their foreign keys with the table (CASCADE).
      await this.db.run(compileDeleteRelationsOf('one', name));
      await this.db.run(compileUngroupCollections(name));
    });
  }

  private exists(name: string): boolean {
    return !!this.registry.snapshot.collections[name] || this.registry.folders.some((f) => f.collection === name);
  }

  private async createTable(name: string, plans: FieldPlan[]): Promise<void> {
    const columns = plans.filter((p) => p.column).map((p) => ({ field: p.field, type: p.type, ...p.column! }));
    await this.db.query(ddlCreateTable(name, columns));
    for (const plan of plans) await this.fields.addConstraints(name, plan);
  }

  private async upsertMeta(name: string, meta: Record<string, unknown>): Promise<void> {
    await this.writer.systemQuery('directus_collections', compileUpsertCollectionMeta(name, metaRow(meta)));
  }
}

/** The `directus_collections` columns for a meta object (unknown keys ignored, JSON columns stringified). */
function metaRow(meta: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const key of COLLECTION_META_COLUMNS) {
    if (!(key in meta)) continue;
    const value = meta[key];
    row[key] = JSON_COLUMNS.has(key) && value !== null && value !== undefined ? JSON.stringify(value) : (value ?? null);
  }
  for (const key of ['sort_field', 'archive_field', 'group'] as const) {
    if (row[key] !== undefined && row[key] !== null && typeof row[key] !== 'string') {
      throw new InvalidPayloadError(`"meta.${key}" must be a string`);
    }
  }
  for (const key of ['hidden', 'singleton', 'archive_app_filter', 'versioning'] as const) {
    if (key in row && typeof row[key] !== 'boolean') throw new InvalidPayloadError(`"meta.${key}" must be a boolean`);
  }
  if (
    'accountability' in row &&
    row.accountability !== null &&
    row.accountability !== 'all' &&
    row.accountability !== 'activity'
  ) {
    throw new InvalidPayloadError('"meta.accountability" must be one of [all, activity, null]');
  }
  if ('collapse' in row && !['open', 'closed', 'locked'].includes(row.collapse as string)) {
    throw new InvalidPayloadError('"meta.collapse" must be one of [open, closed, locked]');
  }
  if ('sort' in row && row.sort !== null && !Number.isInteger(row.sort)) {
    throw new InvalidPayloadError('"meta.sort" must be an integer');
  }
  return row;
}

/**
 * A table or view as /collections shows it: its `directus_collections` row, or Directus's own row for a system one;
 * a view's schema object says `type: 'view'` (as Directus's does).
 */
function viewOf(c: CollectionSnapshot): CollectionView {
  return {
    collection: c.collection,
    meta: c.meta ? { ...c.meta } : systemCollectionMeta(c.collection),
    schema: c.view
      ? { name: c.collection, schema: 'public', comment: null, type: 'view' }
      : { name: c.collection, schema: 'public', comment: null },
  };
}
