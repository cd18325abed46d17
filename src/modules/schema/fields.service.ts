import { Injectable } from '@nestjs/common';
import { ErrorList, ForbiddenError, InvalidPayloadError } from '@lib/errors';
import { isSystemCollection, type CollectionSnapshot, type FieldSnapshot } from '@lib/schema';
import type { Accountability } from '../../core/context/accountability';
import { Database } from '../../core/database/database.service';
import {
  columnType,
  compileClearCollectionField,
  compileClearRelationOneField,
  compileDeleteFieldMeta,
  compileDeleteRelationMeta,
  compileFieldMetaExists,
  compileUngroupFields,
  compileUpdateFieldMeta,
  ddlAddColumn,
  ddlAddUnique,
  ddlAlterColumnType,
  ddlCreateIndex,
  ddlDropColumn,
  ddlDropConstraint,
  ddlDropIndex,
  ddlSetColumnDefault,
  ddlSetColumnNullable,
  uniqueConstraintName,
} from '@lib/query';
import { metaColumns, normalizeSchema, parseField, parseType, type FieldPlan } from './field-payload';
import { impliedSpecials } from './field-types';
import { cannotRead, SchemaReadAccess } from './schema-read-access';
import { SchemaRegistry } from './schema-registry.service';
import { SchemaWriter } from './schema-writer.service';
import { systemFieldMeta } from './system-meta';

export interface FieldView {
  collection: string;
  field: string;
  type: string;
  schema: Record<string, unknown> | null;
  meta: Record<string, unknown> | null;
}

/** /fields: columns and alias fields of user collections (spec 5.2). */
@Injectable()
export class FieldsService {
  constructor(
    private readonly db: Database,
    private readonly registry: SchemaRegistry,
    private readonly writer: SchemaWriter,
    private readonly access: SchemaReadAccess,
  ) {}

  /**
   * GET /fields and /fields/:collection (spec 5.2): every field of the snapshot, system collections included. A
   * non-admin needs read access to `directus_fields` and sees the fields its read permissions allow; a collection it
   * may not read is a bare 403 (Directus's FieldsService.readAll).
   */
  async list(accountability: Accountability, collection?: string): Promise<FieldView[]> {
    const schema = this.registry.snapshot;
    const only = collection === undefined ? null : this.collection(collection);
    const rules = await this.access.rules(accountability, schema);
    if (rules && !rules.metaReadable('directus_fields')) throw cannotRead('directus_fields');
    if (rules && only && rules.fields(only.collection) === null) throw new ForbiddenError();
    const collections = only ? [only] : Object.values(schema.collections);
    return collections.flatMap((c) =>
      this.registry
        .fieldList(c.collection)
        .flatMap((f, index) => (!rules || rules.fieldAllowed(c.collection, f.field) ? [view(f, index + 1)] : [])),
    );
  }

  /** GET /fields/:collection/:field: a non-admin needs a read permission on the collection allowing the field. */
  async readOne(collection: string, field: string, accountability: Accountability): Promise<FieldView> {
    const c = this.collection(collection);
    const rules = await this.access.rules(accountability, this.registry.snapshot);
    if (rules) {
      rules.assertCollectionReadable(collection);
      if (!rules.fieldAllowed(collection, field)) throw new ForbiddenError();
    }
    return this.get(c.collection, field);
  }

  get(collection: string, field: string): FieldView {
    this.collection(collection);
    const list = this.registry.fieldList(collection);
    const index = list.findIndex((f) => f.field === field);
    if (index < 0) throw new ForbiddenError();
    return view(list[index], index + 1);
  }

  async create(collection: string, raw: unknown): Promise<FieldView> {
    const c = this.alterable(collection);
    const plan = parseField(raw);
    if (this.registry.fieldOf(collection, plan.field)) {
      throw new InvalidPayloadError(`Field "${plan.field}" already exists in collection "${collection}"`);
    }
    if (plan.column?.primaryKey) {
      throw new InvalidPayloadError(`Collection "${collection}" already has a primary key`);
    }
    await this.writer.change(async () => {
      await this.addColumn(collection, plan, 'alter');
      await this.insertMeta(collection, plan, c.fieldOrder.length + 1);
    });
    return this.get(collection, plan.field);
  }

  async update(collection: string, field: string, raw: unknown): Promise<FieldView> {
    const c = this.alterable(collection);
    const current = this.registry.fieldOf(collection, field);
    if (current && isSystemField(current)) assertSystemFieldUpdate(raw);
    if (!current) throw new InvalidPayloadError(`Field "${field}" doesn't exist in collection "${collection}"`);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new InvalidPayloadError('Field must be an object');
    }
    const body = raw as Record<string, unknown>;
    await this.writer.change(() => this.applyUpdate(c, current, body));
    return this.get(collection, field);
  }

  async updateMany(collection: string, raw: unknown): Promise<FieldView[]> {
    const c = this.alterable(collection);
    if (!Array.isArray(raw)) throw new InvalidPayloadError('Payload must be an array of fields');
    for (const item of raw) {
      const name = (item as { field?: unknown } | null)?.field;
      const current = typeof name === 'string' ? this.registry.fieldOf(collection, name) : undefined;
      if (current && isSystemField(current)) assertSystemFieldUpdate(item);
    }
    const names: string[] = [];
    await this.writer.change(async () => {
      for (const item of raw) {
        const name = (item as { field?: unknown })?.field;
        const current = typeof name === 'string' ? this.registry.fieldOf(collection, name) : undefined;
        if (!current) {
          throw new InvalidPayloadError(`Field "${String(name)}" doesn't exist in collection "${collection}"`);
        }
        names.push(current.field);
        await this.applyUpdate(c, current, item as Record<string, unknown>);
      }
    });
    return names.map((n) => this.get(collection, n));
  }

  async delete(collection: string, field: string): Promise<void> {
    this.alterable(collection);
    const current = this.registry.fieldOf(collection, field);
    if (!current) throw new InvalidPayloadError(`Field "${field}" doesn't exist in collection "${collection}"`);
    // A system field can't be deleted (Directus: 403); fields added to a system collection can.
    if (isSystemField(current)) throw new ForbiddenError();
    if (current.primaryKey) throw new InvalidPayloadError(`Can't delete the primary key of "${collection}"`);
    const relations = this.registry.snapshot.relations;
    await this.writer.change(async () => {
      for (const r of relations) {
        // An M2O going away takes its O2M alias on the other side with it (Directus deleteField).
        if (
          r.collection === collection &&
          r.field === field &&
          r.related_collection &&
          r.meta.one_field &&
          !(r.related_collection === collection && r.meta.one_field === field)
        ) {
          await this.db.run(compileDeleteFieldMeta(r.related_collection, r.meta.one_field));
        }
      }
      if (!current.alias) await this.db.query(ddlDropColumn(collection, field));
      await this.db.run(compileDeleteFieldMeta(collection, field));
      await this.db.run(compileUngroupFields(collection, field));
      await this.db.run(compileDeleteRelationMeta(collection, field));
      await this.db.run(compileClearRelationOneField(collection, field));
      for (const key of ['sort_field', 'archive_field'] as const) {
        await this.db.run(compileClearCollectionField(key, collection, field));
      }
    });
  }

  /** Adds the column (or, when creating the table, returns nothing and lets the caller build CREATE TABLE). */
  async addColumn(collection: string, plan: FieldPlan, mode: 'alter'): Promise<void> {
    if (!plan.column) return;
    const spec = { field: plan.field, type: plan.type, ...plan.column };
    await this.db.query(ddlAddColumn(collection, spec));
    if (mode === 'alter') await this.addConstraints(collection, plan);
  }

  async addConstraints(collection: string, plan: FieldPlan): Promise<void> {
    if (!plan.column || plan.column.primaryKey) return;
    if (plan.column.unique) {
      await this.db.query(ddlAddUnique(collection, plan.field));
    }
    if (plan.column.indexed && !plan.column.unique) {
      await this.db.query(ddlCreateIndex(collection, plan.field));
    }
  }

  async insertMeta(collection: string, plan: FieldPlan, sort: number): Promise<void> {
    if (!plan.meta) return;
    await this.writer.insertRow('directus_fields', {
      collection,
      field: plan.field,
      sort,
      ...plan.meta,
      ...(typeof plan.meta.sort === 'number' ? { sort: plan.meta.sort } : {}),
    });
  }

  private async applyUpdate(
    c: CollectionSnapshot,
    current: FieldSnapshot,
    body: Record<string, unknown>,
  ): Promise<void> {
    const table = c.collection;
    const column = current.field;
    if (
      body.schema !== undefined &&
      body.schema !== null &&
      (typeof body.schema !== 'object' || Array.isArray(body.schema))
    ) {
      throw new InvalidPayloadError('"schema" must be an object');
    }
    const schema = body.schema ? normalizeSchema(body.schema as Record<string, unknown>) : null;
    if (body.meta !== undefined && body.meta !== null && (typeof body.meta !== 'object' || Array.isArray(body.meta))) {
      throw new InvalidPayloadError('"meta" must be an object');
    }
    const type = body.type === undefined ? current.type : parseType(body.type);
    if ((type === 'alias' || current.type === 'alias') && type !== current.type) {
      throw new InvalidPayloadError('Alias type cannot be changed');
    }
    if (current.primaryKey && schema?.is_nullable === true) throw new InvalidPayloadError('Primary key cannot be null');
    const resized =
      (schema?.max_length !== undefined && schema.max_length !== current.maxLength) ||
      (schema?.numeric_precision !== undefined && schema.numeric_precision !== current.precision) ||
      (schema?.numeric_scale !== undefined && schema.numeric_scale !== current.scale);
    if (!current.alias && (type !== current.type || resized)) {
      const spec = parseField({
        field: current.field,
        type,
        schema: {
          max_length: schema?.max_length ?? current.maxLength,
          numeric_precision: schema?.numeric_precision ?? (type === current.type ? current.precision : null),
          numeric_scale: schema?.numeric_scale ?? (type === current.type ? current.scale : null),
        },
      }).column!;
      const sqlType = columnType(type, spec);
      if (!sqlType) throw new InvalidPayloadError(`Field "${current.field}" can't become type "${type}"`);
      // Cast to the bare type (ddlAlterColumnType): a value that doesn't fit fails instead of being cut.
      await this.db.query(ddlAlterColumnType(table, column, sqlType));
    }
    if (schema && !current.alias) {
      if ('default_value' in schema) {
        await this.db.query(ddlSetColumnDefault(table, column, schema.default_value));
      }
      if (typeof schema.is_nullable === 'boolean' && schema.is_nullable !== current.nullable) {
        await this.db.query(ddlSetColumnNullable(table, column, schema.is_nullable));
      }
      if (typeof schema.is_unique === 'boolean' && schema.is_unique !== current.unique && !current.primaryKey) {
        await this.db.query(
          schema.is_unique
            ? ddlAddUnique(table, column)
            : ddlDropConstraint(table, uniqueConstraintName(table, column)),
        );
      }
      if (typeof schema.is_indexed === 'boolean' && schema.is_indexed !== current.indexed && !current.primaryKey) {
        await this.db.query(schema.is_indexed ? ddlCreateIndex(table, column) : ddlDropIndex(table, column));
      }
    }
    const meta = (body.meta as Record<string, unknown> | null | undefined) ?? null;
    const columns = meta ? metaColumns(meta, type) : {};
    if (!meta || !('special' in meta)) {
      // Keep the field's own specials; swap the ones its type implies when the type changes (json → cast-json, ...).
      const specials = new Set(current.special);
      if (type !== current.type) for (const sp of impliedSpecials(current.type)) specials.delete(sp);
      for (const sp of impliedSpecials(type)) specials.add(sp);
      const next = [...specials];
      if (next.length !== current.special.length || next.some((sp, i) => sp !== current.special[i])) {
        columns.special = next.length ? next.join(',') : null;
      } else {
        delete columns.special;
      }
    }
    const keys = Object.keys(columns);
    if (!keys.length) return;
    const existing = await this.db.run(compileFieldMetaExists(c.collection, current.field));
    if (existing.length) {
      await this.writer.systemQuery('directus_fields', compileUpdateFieldMeta(c.collection, current.field, columns));
    } else {
      await this.writer.insertRow('directus_fields', { collection: c.collection, field: current.field, ...columns });
    }
  }

  private collection(name: string): CollectionSnapshot {
    const c = this.registry.snapshot.collections[name];
    if (!c) throw new ForbiddenError();
    return c;
  }

  /** A collection whose fields /fields may create, change or delete: not a view (its columns are the database's). */
  private alterable(name: string): CollectionSnapshot {
    const c = this.collection(name);
    if (c.view) throw InvalidPayloadError.readOnlyView(name);
    return c;
  }
}

/** One of Directus's own fields of a system collection (not one added to it through /fields). */
function isSystemField(f: FieldSnapshot): boolean {
  return isSystemCollection(f.collection) && (f.meta === null || f.meta.id === null);
}

/** zod's name for the type of a value it refused. */
function received(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

function unrecognized(keys: string[]): string {
  return `Unrecognized key${keys.length > 1 ? 's' : ''}: ${keys.map((k) => `"${k}"`).join(', ')}`;
}

/**
 * Directus's systemFieldUpdateSchema (a strict zod object): a system field takes `collection`, `field` and a `schema`
 * of `is_indexed` / `is_unique` only. Each issue is one INVALID_PAYLOAD error, with zod's message.
 */
function assertSystemFieldUpdate(body: unknown): void {
  const issues: string[] = [];
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    issues.push(`Invalid input: expected object, received ${received(body)}`);
  } else {
    const record = body as Record<string, unknown>;
    for (const key of ['collection', 'field']) {
      if (record[key] !== undefined && typeof record[key] !== 'string') {
        issues.push(`Invalid input: expected string, received ${received(record[key])}`);
      }
    }
    const schema = record.schema;
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
      issues.push(`Invalid input: expected object, received ${received(schema)}`);
    } else {
      const flags = schema as Record<string, unknown>;
      for (const key of ['is_indexed', 'is_unique']) {
        if (flags[key] !== undefined && typeof flags[key] !== 'boolean') {
          issues.push(`Invalid input: expected boolean, received ${received(flags[key])}`);
        }
      }
      const extra = Object.keys(flags).filter((k) => k !== 'is_indexed' && k !== 'is_unique');
      if (extra.length) issues.push(unrecognized(extra));
    }
    const extra = Object.keys(record).filter((k) => !['collection', 'field', 'schema'].includes(k));
    if (extra.length) issues.push(unrecognized(extra));
  }
  if (issues.length === 1) throw new InvalidPayloadError(issues[0]);
  if (issues.length > 1) throw new ErrorList(issues.map((reason) => new InvalidPayloadError(reason)));
}

/**
 * A field as /fields shows it. A field of a system collection without a `directus_fields` row of its own shows
 * Directus's system field meta (`sort`: its position in the collection).
 */
function view(f: FieldSnapshot, sort: number): FieldView {
  const system = isSystemCollection(f.collection) && (f.meta === null || f.meta.id === null);
  return {
    collection: f.collection,
    field: f.field,
    type: f.type,
    schema: f.schema ? { ...f.schema } : null,
    meta: system ? systemFieldMeta(f, sort) : f.meta ? { ...f.meta } : null,
  };
}
