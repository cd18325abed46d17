import { InvalidQueryError } from '@lib/errors';
import { resolveDynamicVariable } from './dynamic-variables';
import { parseJsonPath } from './json-path';
import { isFilterOperator, isListOperator, isNullOperator } from './operators';
import type { Filter, QueryContext } from './types';

/**
 * Normalizes a filter as it arrives (a JSON string, a qs bracket object or a SEARCH body object) into the Directus
 * filter shape, without looking at the schema (spec 1.6 `parseFilter`, validate-query):
 * - `'true'/'false'` → booleans, `'null'/'NULL'` → null; dynamic variables resolved against `ctx`;
 * - a bare value means `_eq`; comma strings and qs index objects become arrays for `_in/_nin/_between/_nbetween`;
 * - shapes checked: list operators need a non-empty array (exactly two values for the between operators), the null
 *   operators a boolean, the others a primitive other than `''` and NaN.
 * Field names and operator/type compatibility are checked later, against the snapshot.
 */
export function parseFilter(raw: unknown, ctx: QueryContext): Filter {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new InvalidQueryError('Invalid JSON for filter object');
    }
  }
  if (!isPlainObject(value)) throw new InvalidQueryError('"filter" must be of type object');
  return parseGroup(value, ctx);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function parseGroup(group: Record<string, unknown>, ctx: QueryContext): Filter {
  return Object.fromEntries(Object.entries(group).map(([key, value]) => [key, parseEntry(key, value, ctx)]));
}

function parseEntry(key: string, value: unknown, ctx: QueryContext): unknown {
  if (!isFilterOperator(key)) return parseFieldValue(value, ctx);
  switch (key) {
    case '_and':
    case '_or':
      if (!Array.isArray(value) && !isIndexObject(value)) {
        throw new InvalidQueryError(`"${key}" has to be an array of filter objects`);
      }
      return toArray(value, key).map((item) => {
        if (!isPlainObject(item)) throw new InvalidQueryError(`"${key}" has to be an array of filter objects`);
        return parseGroup(item, ctx);
      });
    case '_some':
    case '_none':
      if (!isPlainObject(value)) throw new InvalidQueryError(`"${key}" has to be a filter object`);
      return parseGroup(value, ctx);
    case '_json':
      return parseJsonFilter(value, ctx);
    case '_intersects':
    case '_nintersects':
    case '_intersects_bbox':
    case '_nintersects_bbox':
      return value;
  }
  if (isListOperator(key)) return parseList(key, value, ctx);
  if (isNullOperator(key)) return parseNullFlag(key, value);
  return checkPrimitive(key, coerce(value, ctx));
}

/**
 * `_json` (Directus 12): `{"<path>": {<operator>: <value>, ...}, "_and"/"_or": [<_json filter>, ...]}`. Each path is
 * checked (see parseJsonPath) and holds operators only — a nested key is refused with a hint to flatten it — whose
 * values are parsed like any operator's.
 */
const JSON_LIST_OPERATORS = new Set(['_in', '_nin', '_between', '_nbetween']);

function parseJsonFilter(raw: unknown, ctx: QueryContext): Record<string, unknown> {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      value = undefined;
    }
  }
  if (!isPlainObject(value)) throw new InvalidQueryError('"_json" filter value must be an object');
  return Object.fromEntries(
    Object.entries(value).map(([path, inner]) => {
      if (path === '') throw new InvalidQueryError('"_json" path key must be a non-empty string');
      if (path === '_and' || path === '_or') {
        if (!Array.isArray(inner) && !isIndexObject(inner)) {
          throw new InvalidQueryError(`"_json" logical operator "${path}" must be an array`);
        }
        return [path, toArray(inner, path).map((item) => parseJsonFilter(item, ctx))];
      }
      parseJsonPath(path);
      if (!isPlainObject(inner))
        throw new InvalidQueryError(`"_json" inner filter for path "${path}" must be an object`);
      const nested = Object.keys(inner).find((key) => !key.startsWith('_'));
      if (nested !== undefined) {
        throw new InvalidQueryError(
          `"_json" path "${path}" cannot contain a nested path "${nested}"; use a single flat path like "${path}.${nested}"`,
        );
      }
      return [
        path,
        Object.fromEntries(
          Object.entries(inner).map(([op, item]) => {
            // Directus validates a _json filter as written: a list operator takes an array, never a comma string
            if (JSON_LIST_OPERATORS.has(op) && !Array.isArray(item) && !isIndexObject(item)) {
              throw new InvalidQueryError(`"${op}" has to be an array of values`);
            }
            return [op, parseEntry(op, item, ctx)];
          }),
        ),
      ];
    }),
  );
}

/** A field key's value: nested filter/operators, or a bare value meaning `_eq`. */
function parseFieldValue(value: unknown, ctx: QueryContext): unknown {
  if (isPlainObject(value)) return parseGroup(value, ctx);
  return { _eq: checkPrimitive('_eq', coerce(value, ctx)) };
}

function parseList(operator: string, value: unknown, ctx: QueryContext): unknown[] {
  let list: unknown[];
  if (typeof value === 'string') list = value.split(',');
  else if (Array.isArray(value) || isIndexObject(value)) list = toArray(value, operator);
  else throw new InvalidQueryError(`"${operator}" has to be an array of values`);
  if (list.length === 0) throw new InvalidQueryError(`"${operator}" has to be an array of values`);
  // A dynamic variable such as $CURRENT_ROLES stands for a list of its own (which may be empty).
  const values = list
    .flatMap((item) => {
      const coerced = coerce(item, ctx);
      return Array.isArray(coerced) ? coerced : [coerced];
    })
    .map((item) => checkPrimitive(operator, item));
  if (values.length === 0 && !ctx.permissionRule) {
    throw new InvalidQueryError(`"${operator}" has to be an array of values`);
  }
  if ((operator === '_between' || operator === '_nbetween') && values.length !== 2) {
    throw new InvalidQueryError(`"${operator}" has to be an array of two values`);
  }
  return values;
}

function parseNullFlag(operator: string, value: unknown): boolean {
  if (value === '' || value === null || value === undefined || value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new InvalidQueryError(`"${operator}" has to be a boolean`);
}

/** `'true'/'false'/'null'` coercion and dynamic variables (spec 1.6, 2.4). */
function coerce(value: unknown, ctx: QueryContext): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (value === 'null' || value === 'NULL') return null;
  return resolveDynamicVariable(value, ctx);
}

function checkPrimitive(operator: string, value: unknown): unknown {
  // $CURRENT_ROLES and friends resolve to arrays; only the list operators accept them (checked against the schema).
  if (Array.isArray(value)) return value.map((item) => checkPrimitive(operator, item));
  if (value === '') {
    throw new InvalidQueryError(
      `You can't filter for an empty string in "${operator}". Use "_empty" or "_nempty" instead`,
    );
  }
  // PostgreSQL text can't hold NUL: such a value could never match, and the driver would fail on it.
  if (typeof value === 'string' && value.includes('\0')) {
    throw new InvalidQueryError(`"${operator}" can't contain the NUL character`);
  }
  if (typeof value === 'number' && (!Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER)) {
    throw new InvalidQueryError('Invalid numeric value');
  }
  if (value === null || value instanceof Date || ['string', 'number', 'boolean'].includes(typeof value)) return value;
  throw new InvalidQueryError(`"${operator}" has to be a string, number, boolean or null`);
}

/** qs turns arrays longer than its arrayLimit into `{0: .., 1: ..}`. */
function isIndexObject(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && Object.keys(value).every((key) => /^\d+$/.test(key));
}

function toArray(value: unknown, operator: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (isIndexObject(value)) {
    return Object.entries(value)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, item]) => item);
  }
  throw new InvalidQueryError(`"${operator}" has to be an array`);
}
