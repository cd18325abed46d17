import { ForbiddenError } from '@lib/errors';
import type { CollectionSnapshot, FieldSnapshot, SchemaSnapshot } from '@lib/schema';
import type { Level, ReadAst } from './ast';
import { buildAggregate } from './build-aggregate';
import { buildLevel, type BuildContext } from './build-level';
import { isFunctionCall, parseFunctionCall } from './functions';
import { primaryKeyField, requireCollection, requireField } from './schema-lookup';
import type { Query, ReadOptions } from './types';
import { isUuid } from './values';

/**
 * Checks a sanitized query against the snapshot and builds the read AST (spec 3, 12, 15). Unknown collection →
 * FORBIDDEN (collection message); unknown field anywhere → FORBIDDEN (field message), admins included; a key that
 * is malformed for the primary key's type → bare FORBIDDEN.
 */
export function buildReadAst(schema: SchemaSnapshot, collection: string, query: Query, options: ReadOptions): ReadAst {
  const snapshot = requireCollection(schema, collection);
  const alias = query.alias ?? {};
  checkAliasTargets(snapshot, alias);
  const keys = readKeys(snapshot, options);
  const ctx: BuildContext = { schema, limits: options.limits, backlink: query.backlink !== false };
  const aggregating = Object.keys(query.aggregate ?? {}).length > 0 || (query.group ?? []).length > 0;
  const root = buildLevel(ctx, {
    collection: snapshot,
    fields: aggregating ? [] : (query.fields ?? ['*']),
    // When aggregating, sort names groups and aggregates (see buildAggregate).
    query: aggregating ? { ...query, sort: undefined } : query,
    deep: aggregating ? {} : (query.deep ?? {}),
    alias: aggregating ? {} : alias,
    reachedBy: { kind: 'root' },
    path: undefined,
  });
  return {
    collection,
    mode: options.mode,
    root: restrictRoot(root, options, keys, query),
    keys,
    meta: query.meta ?? [],
    aggregate: aggregating ? buildAggregate(snapshot, query) : null,
  };
}

/** An alias target must exist; it is reported under its own name (spec 15). */
function checkAliasTargets(collection: CollectionSnapshot, alias: Readonly<Record<string, string>>): void {
  for (const target of Object.values(alias)) {
    requireField(collection, isFunctionCall(target) ? parseFunctionCall(target).field : target);
  }
}

function readKeys(collection: CollectionSnapshot, options: ReadOptions): string[] | null {
  const pk = primaryKeyField(collection);
  if (options.mode === 'single' && options.id !== undefined) {
    const key = checkKey(pk, options.id);
    if (key === null) throw new ForbiddenError();
    return [key];
  }
  // readMany leaves out keys that can't exist, as it leaves out missing ones.
  if (options.keys) return options.keys.map((key) => checkKey(pk, key)).filter((key) => key !== null);
  return null;
}

const INTEGER_RANGES: Record<string, readonly [bigint, bigint]> = {
  smallint: [-(2n ** 15n), 2n ** 15n - 1n],
  integer: [-(2n ** 31n), 2n ** 31n - 1n],
  bigint: [-(2n ** 63n), 2n ** 63n - 1n],
};

/**
 * readOne's key as the compiled statement binds it ({@link CompiledRead.keyParam}), checked as buildReadAst checks
 * it: malformed → bare FORBIDDEN, a key no row can have → null. Lets a statement compiled for one key run another.
 */
export function readOneKey(collection: CollectionSnapshot, id: unknown): string | null {
  return checkKey(primaryKeyField(collection), id);
}

/**
 * Malformed keys for the primary key's type read as "not found": a bare FORBIDDEN (spec 1.4). Well-formed keys that
 * no row can have (out of the column's range, or containing NUL, which PostgreSQL text can't hold) give null: they
 * are "not found" too, and must not reach the database, which would fail on them.
 */
function checkKey(pk: FieldSnapshot, key: unknown): string | null {
  if (typeof key !== 'string' && typeof key !== 'number') throw new ForbiddenError();
  const text = String(key);
  if (pk.type === 'integer' || pk.type === 'bigInteger') {
    if (!/^-?\d+$/.test(text) || (typeof key === 'number' && !Number.isSafeInteger(key))) throw new ForbiddenError();
    const [min, max] = INTEGER_RANGES[pk.dbType ?? ''] ?? INTEGER_RANGES[pk.type === 'integer' ? 'integer' : 'bigint']!;
    const value = BigInt(text);
    if (value < min || value > max) return null;
  } else if (pk.type === 'uuid') {
    if (!isUuid(text)) throw new ForbiddenError();
  }
  return text.includes('\0') ? null : text;
}

/** Single reads return one row; readMany without a limit returns all its keys. */
function restrictRoot(root: Level, options: ReadOptions, keys: readonly string[] | null, query: Query): Level {
  let { limit, offset } = root.query;
  if (options.mode !== 'list') {
    limit = 1;
    offset = 0;
  } else if (keys && query.limit === undefined) {
    limit = keys.length;
  }
  return { ...root, query: { ...root.query, limit, offset } };
}
