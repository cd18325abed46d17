import { ForbiddenError, InvalidQueryError } from '@lib/errors';
import type { CollectionSnapshot, FieldSnapshot, SchemaSnapshot } from '@lib/schema';
import type { FilterNode, O2mRelation, Operand, TypedValue } from './ast';
import { isFunctionCall } from './functions';
import { parseJsonPath, type JsonPathSegment } from './json-path';
import { functionOperand } from './operands';
import {
  filterTypeOf,
  isCompareOperator,
  isFilterOperator,
  isJsonPathOperator,
  isListOperator,
  isOperatorAllowed,
  isPatternOperator,
  type CompareOperator,
  type FilterOperator,
} from './operators';
import { isPlainObject } from './parse-filter';
import { joinPath, relationOf, requireCollection, requireField } from './schema-lookup';
import type { Filter } from './types';
import { coerceValue, narrowNumeric, sqlTypeOf } from './values';

/** Where a filter is evaluated: a collection, reached from the root through `path` (for error messages). */
interface Scope {
  schema: SchemaSnapshot;
  collection: CollectionSnapshot;
  path: string | undefined;
}

/**
 * Checks a parsed filter (see parseFilter) against the snapshot and turns it into a {@link FilterNode}.
 * Unknown fields → FORBIDDEN (spec 15); operators outside the type's allow-list and ill-typed values → INVALID_QUERY.
 */
export function buildFilter(schema: SchemaSnapshot, collection: string, filter: Filter, path?: string): FilterNode {
  return buildGroup({ schema, collection: requireCollection(schema, collection, path), path }, filter);
}

export function and(children: readonly FilterNode[]): FilterNode {
  const kept = children.filter((child) => !(child.kind === 'const' && child.value));
  if (kept.some((child) => child.kind === 'const' && !child.value)) return { kind: 'const', value: false };
  if (kept.length === 0) return { kind: 'const', value: true };
  return kept.length === 1 ? kept[0]! : { kind: 'and', children: kept };
}

export function or(children: readonly FilterNode[]): FilterNode {
  const kept = children.filter((child) => !(child.kind === 'const' && !child.value));
  if (kept.some((child) => child.kind === 'const' && child.value)) return { kind: 'const', value: true };
  if (kept.length === 0) return { kind: 'const', value: false };
  return kept.length === 1 ? kept[0]! : { kind: 'or', children: kept };
}

function buildGroup(scope: Scope, filter: Filter): FilterNode {
  return and(Object.entries(filter).map(([key, value]) => buildEntry(scope, key, value)));
}

function buildEntry(scope: Scope, key: string, value: unknown): FilterNode {
  if (key === '_and' || key === '_or') {
    const children = asFilterList(key, value).map((item) => buildGroup(scope, item));
    // `_or: []` has no condition at all, like `{}` (and `{}` inside `_or` makes it match every row).
    return key === '_and' || children.length === 0 ? and(children) : or(children);
  }
  if (isFilterOperator(key)) throw new InvalidQueryError(`"${key}" has to be used on a field`);
  if (key.startsWith('$FOLLOW(') && key.endsWith(')')) return buildFollow(scope, key, value);
  if (isFunctionCall(key)) {
    const operand = functionOperand(scope.collection, key, scope.path);
    if (operand.kind === 'jsonPath') {
      throw new InvalidQueryError(`"${key}" can't be filtered on: use the "_json" filter operator`);
    }
    return buildOperators(operand, 'integer', key, value);
  }
  if (key.includes(':')) return buildScoped(scope, key, value);
  return buildField(scope, requireField(scope.collection, key, scope.path), value);
}

function buildField(scope: Scope, field: FieldSnapshot, value: unknown): FilterNode {
  const relation = relationOf(scope.collection, field.field);
  const { operators, nested } = splitOperators(value, relation?.kind === 'm2o' || relation?.kind === 'o2m');
  const parts: FilterNode[] = [];
  const childPath = joinPath(scope.path, field.field);
  if (relation?.kind === 'o2m') return buildOneToMany(scope, relation, childPath, operators, nested);
  if (field.alias) {
    const operator = Object.keys(operators)[0] ?? Object.keys(nested ?? {})[0];
    // An alias field without a relation has no column: nothing can be compared.
    if (operator !== undefined) throw disallowed('alias', operator);
    return { kind: 'const', value: true };
  }
  if (Object.keys(operators).length > 0 || !nested) {
    parts.push(buildOperators({ kind: 'column', field }, filterTypeOf(field), field.field, operators));
  }
  if (nested) {
    const hidden = scope.collection.hiddenRelations?.[field.field];
    if (hidden) throw ForbiddenError.collection(hidden, childPath);
    if (relation?.kind !== 'm2o') {
      // A `_`-prefixed key under a plain field is an operator this type doesn't have (Directus's wording).
      const unknown = Object.keys(nested).find((key) => key.startsWith('_'));
      if (unknown !== undefined) throw disallowed(filterTypeOf(field), unknown);
      const hint = relation?.kind === 'a2o' ? `. Use "${field.field}:<collection>"` : '';
      throw new InvalidQueryError(`Field "${field.field}" is not a relation that can be filtered through${hint}`);
    }
    const related = {
      ...scope,
      collection: requireCollection(scope.schema, relation.related, childPath),
      path: childPath,
    };
    parts.push({ kind: 'm2o', relation, filter: buildGroup(related, nested) });
  }
  return and(parts);
}

function buildOneToMany(
  scope: Scope,
  relation: O2mRelation,
  childPath: string,
  operators: Record<string, unknown>,
  nested: Filter | null,
): FilterNode {
  const parts: FilterNode[] = [];
  const related = {
    ...scope,
    collection: requireCollection(scope.schema, relation.related, childPath),
    path: childPath,
  };
  for (const [operator, inner] of Object.entries(operators)) {
    if (operator !== '_some' && operator !== '_none') throw disallowed('alias', operator);
    const filter = buildGroup(related, asFilter(operator, inner));
    parts.push({ kind: 'o2m', relation, none: operator === '_none', filter });
  }
  if (nested) parts.push({ kind: 'o2m', relation, none: false, filter: buildGroup(related, nested) });
  return and(parts);
}

/**
 * `$FOLLOW(collection, field)`: the rows of `collection` whose M2O `field` points at this row, filtered like an O2M
 * that has no alias field (Directus's implicit relation). The 3-argument any-to-one form is not supported.
 */
function buildFollow(scope: Scope, key: string, value: unknown): FilterNode {
  if (key.length > 500) throw new InvalidQueryError(`Implicit $FOLLOW statement is too big to parse`);
  const args = key
    .slice('$FOLLOW('.length, -1)
    .split(',')
    .map((arg) => arg.trim());
  if (args.length !== 2 || !args[0] || !args[1]) {
    throw new InvalidQueryError(`"${key}" must name a collection and its field pointing here`);
  }
  const childPath = joinPath(scope.path, key);
  const many = requireCollection(scope.schema, args[0], childPath);
  const foreignKey = requireField(many, args[1], childPath);
  const m2o = relationOf(many, foreignKey.field);
  if (m2o?.kind !== 'm2o' || m2o.related !== scope.collection.collection) {
    throw new InvalidQueryError(`"${args[0]}.${args[1]}" is not a relation to "${scope.collection.collection}"`);
  }
  const relation: O2mRelation = {
    kind: 'o2m',
    field: key,
    related: many.collection,
    foreignKey: foreignKey.field,
    relatedPrimaryKey: many.primaryKey,
    junctionField: null,
    sortField: null,
    deselectAction: 'nullify',
    relation: m2o.relation,
  };
  const { operators, nested } = splitOperators(value, true);
  return buildOneToMany(scope, relation, childPath, operators, nested);
}

/** `item:headings` — an any-to-one scoped to one of its allowed collections. */
function buildScoped(scope: Scope, key: string, value: unknown): FilterNode {
  const [fieldName, target] = splitScope(key);
  const field = requireField(scope.collection, fieldName, scope.path);
  const relation = relationOf(scope.collection, field.field);
  const childPath = joinPath(scope.path, key);
  if (relation?.kind !== 'a2o') throw new InvalidQueryError(`Field "${field.field}" is not a many-to-any relation`);
  if (!relation.allowedCollections.includes(target)) throw ForbiddenError.collection(target, childPath);
  const { operators, nested } = splitOperators(value, true);
  const operator = Object.keys(operators)[0];
  if (operator !== undefined) throw new InvalidQueryError(`"${operator}" has to be used on a field`);
  const related = { ...scope, collection: requireCollection(scope.schema, target, childPath), path: childPath };
  return { kind: 'a2o', relation, collection: target, filter: buildGroup(related, nested ?? {}) };
}

export function splitScope(key: string): [string, string] {
  const index = key.indexOf(':');
  return [key.slice(0, index), key.slice(index + 1)];
}

/**
 * Separates `{_op: v, ...}` from nested field keys of a field's filter value. Through a relation `_and`/`_or` group
 * conditions on the related collection; on a plain field they group operators.
 */
function splitOperators(
  value: unknown,
  relational: boolean,
): { operators: Record<string, unknown>; nested: Filter | null } {
  if (!isPlainObject(value)) return { operators: { _eq: value }, nested: null };
  const operators: Record<string, unknown> = {};
  const nested: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const logical = key === '_and' || key === '_or';
    const target = isFilterOperator(key) && !(relational && logical) ? operators : nested;
    Object.defineProperty(target, key, { value: inner, enumerable: true });
  }
  return { operators, nested: Object.keys(nested).length > 0 ? nested : null };
}

/**
 * The operators applied to one operand. `_and`/`_or` inside them are hoisted (each element is a set of operators
 * for the same operand).
 */
function buildOperators(operand: Operand, type: string, name: string, value: unknown): FilterNode {
  if (!isPlainObject(value)) return buildCompare(operand, type, name, '_eq', value);
  return and(
    Object.entries(value).map(([operator, inner]) => {
      if (operator === '_and' || operator === '_or') {
        const children = asFilterList(operator, inner).map((item) => buildOperators(operand, type, name, item));
        return operator === '_and' ? and(children) : or(children);
      }
      if (!isFilterOperator(operator)) {
        if (operator.startsWith('_')) throw disallowed(type, operator);
        throw new InvalidQueryError(`Field "${name}" is not a relation that can be filtered through`);
      }
      return buildCompare(operand, type, name, operator, inner);
    }),
  );
}

function buildCompare(operand: Operand, type: string, name: string, operator: string, value: unknown): FilterNode {
  if (!isFilterOperator(operator) || !isOperatorAllowed(type, operator)) throw disallowed(type, operator);
  if (operator === '_json' && operand.kind === 'column') return buildJson(operand.field, value);
  if (!isCompareOperator(operator)) throw new InvalidQueryError(`The "${operator}" filter operator is not supported`);
  switch (operator) {
    case '_null':
    case '_nnull':
    case '_empty':
    case '_nempty':
      return { kind: 'compare', operand, op: value === false ? negateFlag(operator) : operator, value: null };
  }
  if (isListOperator(operator)) return buildList(operand, name, operator, value);
  if (Array.isArray(value)) throw new InvalidQueryError(`"${operator}" has to be a single value`);
  if (value === null || value === undefined) {
    if (operator === '_eq') return { kind: 'compare', operand, op: '_null', value: null };
    if (operator === '_neq') return { kind: 'compare', operand, op: '_nnull', value: null };
    return { kind: 'const', value: false };
  }
  return { kind: 'compare', operand, op: operator, value: typedValues(operand, operator, name, [value]) };
}

/**
 * `_json` on a JSON column (Directus 12): every path's operators apply to the value found there, AND-ed, paths
 * AND-ed, `_and`/`_or` grouping them. A value compared with a number is read as a number (null where the JSON value
 * is not one), otherwise as text; a missing path reads as null.
 */
function buildJson(field: FieldSnapshot, value: unknown): FilterNode {
  if (!isPlainObject(value)) throw new InvalidQueryError('"_json" filter value must be an object');
  return and(
    Object.entries(value).map(([key, inner]) => {
      if (key === '_and' || key === '_or') {
        const children = asFilterList(key, inner).map((item) => buildJson(field, item));
        return key === '_and' || children.length === 0 ? and(children) : or(children);
      }
      const path = parseJsonPath(key);
      if (!isPlainObject(inner))
        throw new InvalidQueryError(`"_json" inner filter for path "${key}" must be an object`);
      return and(Object.entries(inner).map(([operator, item]) => buildJsonCompare(field, path, operator, item)));
    }),
  );
}

function buildJsonCompare(field: FieldSnapshot, path: JsonPathSegment[], operator: string, value: unknown): FilterNode {
  if (!isJsonPathOperator(operator)) {
    throw new InvalidQueryError(`The "${operator}" filter operator can't be used in "_json"`);
  }
  const first = Array.isArray(value) ? value[0] : value;
  const textual =
    operator === '_ieq' ||
    operator === '_nieq' ||
    operator === '_nicontains' ||
    isPatternOperator(operator as CompareOperator);
  const numeric = typeof first === 'number' && !textual;
  const operand: Operand = { kind: 'jsonPath', field, path, as: numeric ? 'numeric' : 'text' };
  switch (operator) {
    case '_null':
    case '_nnull':
    case '_empty':
    case '_nempty':
      return { kind: 'compare', operand, op: value === false ? negateFlag(operator) : operator, value: null };
  }
  const sqlType = numeric ? 'numeric' : 'text';
  if (isListOperator(operator)) {
    if (!Array.isArray(value)) throw new InvalidQueryError(`"${operator}" has to be an array of values`);
    const values = value.filter((item) => item !== null && item !== undefined);
    if (operator === '_between' || operator === '_nbetween') {
      if (value.length !== 2) throw new InvalidQueryError(`"${operator}" has to be an array of two values`);
      if (values.length !== 2) return { kind: 'const', value: false };
    }
    if (values.length === 0) return { kind: 'const', value: operator === '_nin' };
    const coerced = values.map((item) => coerceValue(sqlType, item, field.field));
    return { kind: 'compare', operand, op: operator, value: { sqlType, values: coerced } };
  }
  if (Array.isArray(value)) throw new InvalidQueryError(`"${operator}" has to be a single value`);
  if (value === null || value === undefined) {
    if (operator === '_eq') return { kind: 'compare', operand, op: '_null', value: null };
    if (operator === '_neq') return { kind: 'compare', operand, op: '_nnull', value: null };
    return { kind: 'const', value: false };
  }
  const coerced = coerceValue(sqlType, value, field.field);
  return { kind: 'compare', operand, op: operator, value: { sqlType, values: [coerced] } };
}

function buildList(operand: Operand, name: string, operator: CompareOperator, value: unknown): FilterNode {
  // An empty list only comes from a permission rule's dynamic variable (parseFilter refuses it in a query).
  if (!Array.isArray(value)) throw new InvalidQueryError(`"${operator}" has to be an array of values`);
  const values = value.filter((item) => item !== null && item !== undefined);
  if (operator === '_between' || operator === '_nbetween') {
    if (value.length !== 2) throw new InvalidQueryError(`"${operator}" has to be an array of two values`);
    if (values.length !== 2) return { kind: 'const', value: false };
  }
  if (values.length === 0) return { kind: 'const', value: operator === '_nin' };
  return { kind: 'compare', operand, op: operator, value: typedValues(operand, operator, name, values) };
}

function typedValues(operand: Operand, operator: CompareOperator, name: string, values: unknown[]): TypedValue {
  const sqlType = isPatternOperator(operator) ? 'text' : sqlTypeOf(operand);
  const coerced = values.map((value) => coerceValue(sqlType, value, name));
  return { sqlType: narrowNumeric(operand, sqlType, coerced), values: coerced };
}

function negateFlag(operator: '_null' | '_nnull' | '_empty' | '_nempty'): CompareOperator {
  return ({ _null: '_nnull', _nnull: '_null', _empty: '_nempty', _nempty: '_empty' } as const)[operator];
}

function disallowed(type: string, operator: string): InvalidQueryError {
  return new InvalidQueryError(`"${type}" field type does not contain the "${operator}" filter operator`);
}

function asFilter(operator: FilterOperator | string, value: unknown): Filter {
  if (!isPlainObject(value)) throw new InvalidQueryError(`"${operator}" has to be a filter object`);
  return value;
}

function asFilterList(operator: string, value: unknown): Filter[] {
  if (!Array.isArray(value)) throw new InvalidQueryError(`"${operator}" has to be an array of filter objects`);
  return value.map((item) => asFilter(operator, item));
}
