import { ForbiddenError } from '@lib/errors';
import type { CollectionSnapshot, FieldSnapshot, RelationInfo, SchemaSnapshot } from '@lib/schema';

/**
 * Own-property lookups into the snapshot. Names come from users, so `constructor` or `__proto__` must never reach
 * Object.prototype.
 */
export function lookup<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

export function requireCollection(schema: SchemaSnapshot, collection: string, path?: string): CollectionSnapshot {
  const found = lookup(schema.collections, collection);
  if (!found) throw ForbiddenError.collection(collection, path);
  return found;
}

export function requireField(collection: CollectionSnapshot, field: string, path?: string): FieldSnapshot {
  const found = lookup(collection.fields, field);
  if (!found) throw ForbiddenError.field(field, collection.collection, path);
  return found;
}

/**
 * In a role's view of the schema: the collection a relational field leads to when the role can't read it (the field
 * is then left out of `fields` selections, as Directus's parseFields skips it), else undefined.
 */
export function hiddenRelationOf(collection: CollectionSnapshot, field: string): string | undefined {
  return collection.hiddenRelations ? lookup(collection.hiddenRelations, field) : undefined;
}

export function relationOf(collection: CollectionSnapshot, field: string): RelationInfo | undefined {
  return lookup(collection.relations, field);
}

export function primaryKeyField(collection: CollectionSnapshot): FieldSnapshot {
  return collection.fields[collection.primaryKey]!;
}

/** `author` + `name` → `author.name`; the root path is empty. */
export function joinPath(path: string | undefined, segment: string): string {
  return path ? `${path}.${segment}` : segment;
}
