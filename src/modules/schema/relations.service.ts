import { Injectable } from '@nestjs/common';
import { ForbiddenError, InvalidPayloadError } from '@lib/errors';
import {
  compileDeleteRelationMeta,
  compileInsertFieldSpecial,
  compileSetFieldSpecial,
  compileUpdateRelationMeta,
  ddlAddForeignKey,
  ddlCreateIndexIfMissing,
  ddlDropConstraint,
  FK_ACTIONS,
  foreignKeyName,
  indexName,
} from '@lib/query';
import type { RelationSnapshot, SchemaSnapshot } from '@lib/schema';
import type { Accountability } from '../../core/context/accountability';
import { Database } from '../../core/database/database.service';
import { loadForeignKeys, type ForeignKeyRow } from './foreign-keys';
import { cannotRead, SchemaReadAccess, type SchemaReadRules } from './schema-read-access';
import { SchemaRegistry } from './schema-registry.service';
import { SchemaWriter } from './schema-writer.service';
import { systemRelationMetaRows } from './system-meta';

type Row = Record<string, unknown>;

/** A relation as /relations lists it: `meta` null for a foreign key without a row, `schema` null for a row without one. */
export interface RelationView {
  collection: string;
  field: string;
  related_collection: string | null;
  schema: ForeignKeyRow | null;
  meta: Row | null;
}

const META_KEYS = [
  'one_field',
  'one_collection_field',
  'one_allowed_collections',
  'junction_field',
  'sort_field',
  'one_deselect_action',
] as const;

/** /relations (spec 4.1): `directus_relations` rows plus the real foreign keys behind them. */
@Injectable()
export class RelationsService {
  constructor(
    private readonly db: Database,
    private readonly registry: SchemaRegistry,
    private readonly writer: SchemaWriter,
    private readonly access: SchemaReadAccess,
  ) {}

  private readonly keysBySnapshot = new WeakMap<SchemaSnapshot, Promise<ForeignKeyRow[]>>();

  /**
   * GET /relations and /relations/:collection (spec 4.1, 5.3), as Directus's RelationsService.readAll stitches them:
   * every foreign key of a served table, with its `directus_relations` row (or Directus's own row for a system
   * relation) as `meta`, else `meta: null`; then every row without a foreign key (`schema: null`: M2A, or a relation
   * whose key was dropped). A non-admin needs read access to `directus_relations` and sees the relations whose
   * collections and fields it may read.
   */
  async list(accountability: Accountability, collection?: string): Promise<RelationView[]> {
    const schema = this.registry.snapshot;
    if (collection !== undefined && !schema.collections[collection]) throw new ForbiddenError();
    const rules = await this.access.rules(accountability, schema);
    if (rules && !rules.metaReadable('directus_relations')) throw cannotRead('directus_relations');
    const served = (c: string) => Object.hasOwn(schema.collections, c);
    const metaRows = [...userRelationRows(schema), ...systemRelationMetaRows(served)].filter(
      (row) => collection === undefined || row.many_collection === collection,
    );
    const keys = (await this.foreignKeys(schema)).filter(
      (fk) => served(fk.table) && (collection === undefined || fk.table === collection),
    );
    return visible(stitch(metaRows, keys), rules);
  }

  /** GET /relations/:collection/:field: its `directus_relations` row and foreign key (Directus's readOne). */
  async readOne(collection: string, field: string, accountability: Accountability): Promise<RelationView> {
    const schema = this.registry.snapshot;
    if (!schema.collections[collection]) throw new ForbiddenError();
    const rules = await this.access.rules(accountability, schema);
    if (rules) {
      if (!rules.metaReadable('directus_relations')) throw cannotRead('directus_relations');
      if (!rules.fieldAllowed(collection, field)) throw new ForbiddenError();
    }
    const metaRows = userRelationRows(schema).filter(
      (row) => row.many_collection === collection && row.many_field === field,
    );
    const keys = (await this.foreignKeys(schema)).filter((fk) => fk.table === collection && fk.column === field);
    const [found] = visible(stitch(metaRows, keys), rules);
    if (!found) throw new ForbiddenError();
    return found;
  }

  /** The database's foreign keys, read once per schema snapshot (every schema change publishes a new one). */
  private foreignKeys(schema: SchemaSnapshot): Promise<ForeignKeyRow[]> {
    let keys = this.keysBySnapshot.get(schema);
    if (!keys) {
      keys = loadForeignKeys(this.db);
      this.keysBySnapshot.set(schema, keys);
      keys.catch(() => this.keysBySnapshot.delete(schema));
    }
    return keys;
  }

  /** The relation as the write routes answer it, from the snapshot. */
  get(collection: string, field: string): RelationSnapshot {
    const relation = this.registry.snapshot.relations.find((r) => r.collection === collection && r.field === field);
    if (!relation) throw new ForbiddenError();
    return wire(relation);
  }

  async create(raw: unknown): Promise<RelationSnapshot> {
    const body = object(raw, 'Relation');
    const snapshot = this.registry.snapshot;
    const collection = body.collection;
    const field = body.field;
    if (typeof collection !== 'string' || !collection) throw new InvalidPayloadError('"collection" is required');
    if (typeof field !== 'string' || !field) throw new InvalidPayloadError('"field" is required');
    const many = snapshot.collections[collection];
    if (!many) throw new InvalidPayloadError(`Collection "${collection}" doesn't exist`);
    const manyField = many.fields[field];
    if (!manyField || manyField.alias) {
      throw new InvalidPayloadError(`Field "${field}" doesn't exist in collection "${collection}"`);
    }
    if (manyField.primaryKey) throw new InvalidPayloadError(`Field "${field}" is the primary key of "${collection}"`);
    if (snapshot.relations.some((r) => r.collection === collection && r.field === field)) {
      throw new InvalidPayloadError(
        `Field "${field}" in collection "${collection}" already has an associated relationship`,
      );
    }
    const related = body.related_collection ?? null;
    if (related !== null && typeof related !== 'string')
      throw new InvalidPayloadError('"related_collection" must be a string');
    const one = related ? snapshot.collections[related] : null;
    if (related && !one) throw new InvalidPayloadError(`Collection "${related}" doesn't exist`);
    const meta = body.meta === undefined || body.meta === null ? {} : object(body.meta, '"meta"');
    const schema = body.schema === undefined || body.schema === null ? {} : object(body.schema, '"schema"');
    const row = this.metaRow(meta, collection, related);
    if (!related && !row.one_collection_field) {
      throw new InvalidPayloadError(
        '"related_collection" is required, or "meta.one_collection_field" for a many-to-any',
      );
    }
    if (row.one_collection_field && !many.fields[row.one_collection_field as string]) {
      throw new InvalidPayloadError(`Field "${row.one_collection_field}" doesn't exist in collection "${collection}"`);
    }
    for (const target of (row.one_allowed_collections as string | null)?.split(',') ?? []) {
      if (!snapshot.collections[target]) throw new InvalidPayloadError(`Collection "${target}" doesn't exist`);
    }
    if (one && row.one_field && one.fields[row.one_field as string] && !one.fields[row.one_field as string].alias) {
      throw new InvalidPayloadError(`Field "${row.one_field}" in collection "${related}" is not an alias field`);
    }
    const onDelete = fkAction(schema.on_delete, 'SET NULL', 'on_delete');
    const onUpdate = fkAction(schema.on_update, 'NO ACTION', 'on_update');
    await this.writer.change(async () => {
      if (one) {
        await this.db.query(
          ddlAddForeignKey(
            collection,
            foreignKeyName(collection, field),
            field,
            { table: one.collection, key: one.primaryKey },
            { onDelete, onUpdate },
          ),
        );
        // Beyond Directus: PostgreSQL does not index foreign keys, and every O2M/M2M read and every relational
        // filter looks children up by theirs. Without it, nested reads scan the child table per request. The
        // child's primary key is the second column: a parent's key list (`comments: [1, 2, 3]`, what `*` reads)
        // is then an index-only scan, already in the default order, with no sort and no heap access.
        if (!manyField.indexed) {
          await this.db.query(
            ddlCreateIndexIfMissing(indexName(collection, field), collection, [field, many.primaryKey]),
          );
        }
      }
      await this.writer.insertRow('directus_relations', {
        many_collection: collection,
        many_field: field,
        one_collection: related,
        ...row,
      });
      await this.ensureSpecial(collection, field, one ? 'm2o' : null);
    });
    return this.get(collection, field);
  }

  async update(collection: string, field: string, raw: unknown): Promise<RelationSnapshot> {
    const current = this.get(collection, field);
    const body = object(raw, 'Relation');
    const meta = body.meta === undefined || body.meta === null ? null : object(body.meta, '"meta"');
    const schema = body.schema === undefined || body.schema === null ? null : object(body.schema, '"schema"');
    await this.writer.change(async () => {
      if (meta) {
        const row = this.metaRow(meta, collection, current.related_collection, true);
        const keys = Object.keys(row);
        if (keys.length) {
          await this.db.run(compileUpdateRelationMeta(collection, field, row));
        }
      }
      if (schema && current.schema && current.related_collection) {
        const one = this.registry.snapshot.collections[current.related_collection];
        const name = current.schema.constraint_name ?? foreignKeyName(collection, field);
        await this.db.query(ddlDropConstraint(collection, name));
        await this.db.query(
          ddlAddForeignKey(
            collection,
            name,
            field,
            { table: one.collection, key: one.primaryKey },
            {
              onDelete: fkAction(schema.on_delete, current.schema.on_delete ?? 'SET NULL', 'on_delete'),
              onUpdate: fkAction(schema.on_update, current.schema.on_update ?? 'NO ACTION', 'on_update'),
            },
          ),
        );
      }
    });
    return this.get(collection, field);
  }

  async delete(collection: string, field: string): Promise<void> {
    const current = this.get(collection, field);
    await this.writer.change(async () => {
      if (current.schema?.constraint_name) {
        await this.db.query(ddlDropConstraint(collection, current.schema.constraint_name));
      }
      await this.db.run(compileDeleteRelationMeta(collection, field));
    });
  }

  private metaRow(meta: Record<string, unknown>, collection: string, related: string | null, partial = false) {
    const row: Record<string, unknown> = {};
    for (const key of META_KEYS) {
      if (!(key in meta) && partial) continue;
      const value = meta[key];
      if (key === 'one_allowed_collections') {
        if (value !== undefined && value !== null && !Array.isArray(value) && typeof value !== 'string') {
          throw new InvalidPayloadError('"meta.one_allowed_collections" must be an array of collection names');
        }
        row[key] = Array.isArray(value) ? value.map(String).join(',') : ((value as string | undefined) ?? null);
      } else if (key === 'one_deselect_action') {
        if (value !== undefined && value !== null && value !== 'nullify' && value !== 'delete') {
          throw new InvalidPayloadError('"meta.one_deselect_action" must be one of [nullify, delete]');
        }
        row[key] = value ?? 'nullify';
      } else {
        if (value !== undefined && value !== null && typeof value !== 'string') {
          throw new InvalidPayloadError(`"meta.${key}" must be a string`);
        }
        row[key] = value ?? null;
      }
    }
    if (row.sort_field && related) {
      // sort_field lives on the many side (the children being sorted)
      const many = this.registry.snapshot.collections[collection];
      if (!many.fields[row.sort_field as string]) {
        throw new InvalidPayloadError(`Field "${row.sort_field}" doesn't exist in collection "${collection}"`);
      }
    }
    return row;
  }

  /**
   * Marks an M2O column with the `m2o` special, as the Directus app does, when it has no special yet. No ON CONFLICT:
   * a database Directus made has no unique constraint on (collection, field); schema changes are serialised anyway.
   */
  private async ensureSpecial(collection: string, field: string, special: string | null): Promise<void> {
    if (!special) return;
    const updated = await this.db.run(compileSetFieldSpecial(collection, field, special));
    if (updated.length) return;
    await this.db.run(compileInsertFieldSpecial(collection, field, special));
  }
}

function object(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidPayloadError(`${what} must be an object`);
  }
  return value as Record<string, unknown>;
}

function fkAction(value: unknown, fallback: string, name: string): string {
  if (value === undefined || value === null) return fallback;
  const action = String(value).toUpperCase();
  if (!FK_ACTIONS.has(action)) {
    throw new InvalidPayloadError(`"schema.${name}" must be one of [${[...FK_ACTIONS].join(', ')}]`);
  }
  return action;
}

/** The relation as the API shows it: `one_allowed_collections` as a JSON array (spec 15). */
function wire(r: RelationSnapshot): RelationSnapshot {
  return {
    collection: r.collection,
    field: r.field,
    related_collection: r.related_collection,
    schema: r.schema,
    meta: { ...r.meta },
  };
}

/** The `directus_relations` rows in the snapshot, as the API shows them (`one_allowed_collections` as an array). */
function userRelationRows(schema: SchemaSnapshot): Row[] {
  return schema.relations.filter((r) => r.meta.id !== null).map((r) => ({ ...r.meta }));
}

/** Directus's stitchRelations: foreign keys with their meta row, then the rows no foreign key took. */
function stitch(metaRows: Row[], keys: ForeignKeyRow[]): RelationView[] {
  const taken = new Set<Row>();
  const results: RelationView[] = keys.map((fk) => {
    const meta =
      metaRows.find(
        (row) =>
          !taken.has(row) &&
          row.many_collection === fk.table &&
          row.many_field === fk.column &&
          (!row.one_collection || row.one_collection === fk.foreign_key_table),
      ) ?? null;
    if (meta) taken.add(meta);
    return { collection: fk.table, field: fk.column, related_collection: fk.foreign_key_table, schema: fk, meta };
  });
  for (const row of metaRows) {
    if (taken.has(row)) continue;
    results.push({
      collection: String(row.many_collection),
      field: String(row.many_field),
      related_collection: (row.one_collection as string | null) ?? null,
      schema: null,
      meta: row,
    });
  }
  return results;
}

/**
 * Directus's filterForbidden: a relation is listed when its collections (and every allowed collection of an M2A)
 * are readable, its field is, and so is the O2M alias on the other side.
 */
function visible(relations: RelationView[], rules: SchemaReadRules | null): RelationView[] {
  if (!rules) return relations;
  const readable = new Set(rules.collections());
  return relations.filter((r) => {
    if (!readable.has(r.collection)) return false;
    if (r.related_collection && !readable.has(r.related_collection)) return false;
    const allowed = r.meta?.one_allowed_collections;
    if (Array.isArray(allowed) && !allowed.every((c) => readable.has(String(c)))) return false;
    if (!rules.fieldAllowed(r.collection, r.field)) return false;
    const oneField = r.meta?.one_field;
    if (r.related_collection && typeof oneField === 'string' && !rules.fieldAllowed(r.related_collection, oneField)) {
      return false;
    }
    return true;
  });
}
