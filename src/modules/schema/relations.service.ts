import { Injectable } from '@nestjs/common';
import { ForbiddenError, InvalidPayloadError } from '@lib/errors';
import type { RelationSnapshot } from '@lib/schema';
import { Database } from '../../core/database/database.service';
import { foreignKeyName, ident, indexName } from './ddl';
import { SchemaRegistry } from './schema-registry.service';
import { SchemaWriter } from './schema-writer.service';

const FK_ACTIONS = new Set(['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT']);
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
  ) {}

  list(collection?: string): RelationSnapshot[] {
    if (collection && !this.registry.snapshot.collections[collection]) throw new ForbiddenError();
    return this.registry.snapshot.relations
      .filter((r) => r.meta.id !== null && (!collection || r.collection === collection))
      .map(wire);
  }

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
          `ALTER TABLE ${ident(collection)} ADD CONSTRAINT ${ident(foreignKeyName(collection, field))}
           FOREIGN KEY (${ident(field)}) REFERENCES ${ident(one.collection)} (${ident(one.primaryKey)})
           ON DELETE ${onDelete} ON UPDATE ${onUpdate}`,
        );
        // Beyond Directus: PostgreSQL does not index foreign keys, and every O2M/M2M read and every relational
        // filter looks children up by theirs. Without it, nested reads scan the child table per request. The
        // child's primary key is the second column: a parent's key list (`comments: [1, 2, 3]`, what `*` reads)
        // is then an index-only scan, already in the default order, with no sort and no heap access.
        if (!manyField.indexed) {
          await this.db.query(
            `CREATE INDEX IF NOT EXISTS ${ident(indexName(collection, field))} ON ${ident(collection)} (${ident(field)}, ${ident(many.primaryKey)})`,
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
          await this.db.query(
            `UPDATE "directus_relations" SET ${keys.map((k, i) => `${ident(k)} = $${i + 3}`).join(', ')}
             WHERE "many_collection" = $1 AND "many_field" = $2`,
            [collection, field, ...keys.map((k) => row[k])],
          );
        }
      }
      if (schema && current.schema && current.related_collection) {
        const one = this.registry.snapshot.collections[current.related_collection];
        const name = ident(current.schema.constraint_name ?? foreignKeyName(collection, field));
        await this.db.query(`ALTER TABLE ${ident(collection)} DROP CONSTRAINT IF EXISTS ${name}`);
        await this.db.query(
          `ALTER TABLE ${ident(collection)} ADD CONSTRAINT ${name}
           FOREIGN KEY (${ident(field)}) REFERENCES ${ident(one.collection)} (${ident(one.primaryKey)})
           ON DELETE ${fkAction(schema.on_delete, current.schema.on_delete ?? 'SET NULL', 'on_delete')}
           ON UPDATE ${fkAction(schema.on_update, current.schema.on_update ?? 'NO ACTION', 'on_update')}`,
        );
      }
    });
    return this.get(collection, field);
  }

  async delete(collection: string, field: string): Promise<void> {
    const current = this.get(collection, field);
    await this.writer.change(async () => {
      if (current.schema?.constraint_name) {
        await this.db.query(
          `ALTER TABLE ${ident(collection)} DROP CONSTRAINT IF EXISTS ${ident(current.schema.constraint_name)}`,
        );
      }
      await this.db.query('DELETE FROM "directus_relations" WHERE "many_collection" = $1 AND "many_field" = $2', [
        collection,
        field,
      ]);
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

  /** Marks an M2O column with the `m2o` special, as the Directus app does, when it has no special yet. */
  private async ensureSpecial(collection: string, field: string, special: string | null): Promise<void> {
    if (!special) return;
    await this.db.query(
      `INSERT INTO "directus_fields" ("collection", "field", "special") VALUES ($1, $2, $3)
       ON CONFLICT ("collection", "field") DO UPDATE SET "special" = coalesce("directus_fields"."special", EXCLUDED."special")`,
      [collection, field, special],
    );
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
