import type { FieldSnapshot } from '@lib/schema';

/** Every filter operator Directus knows (spec 2.1), logical ones included. */
export const FILTER_OPERATORS = [
  '_eq',
  '_neq',
  '_lt',
  '_lte',
  '_gt',
  '_gte',
  '_in',
  '_nin',
  '_null',
  '_nnull',
  '_empty',
  '_nempty',
  '_contains',
  '_ncontains',
  '_icontains',
  '_nicontains',
  '_starts_with',
  '_nstarts_with',
  '_istarts_with',
  '_nistarts_with',
  '_ends_with',
  '_nends_with',
  '_iends_with',
  '_niends_with',
  '_between',
  '_nbetween',
  '_intersects',
  '_nintersects',
  '_intersects_bbox',
  '_nintersects_bbox',
  '_regex',
  '_submitted',
  '_ieq',
  '_nieq',
  '_json',
  '_some',
  '_none',
  '_and',
  '_or',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

const LIST_OPERATORS = ['_in', '_nin', '_between', '_nbetween'] as const;
const NULL_OPERATORS = ['_null', '_nnull', '_empty', '_nempty'] as const;

/** The operators compared as text patterns (LIKE), whatever the field's type. */
const PATTERN_OPERATORS = [
  '_contains',
  '_ncontains',
  '_icontains',
  '_starts_with',
  '_nstarts_with',
  '_istarts_with',
  '_nistarts_with',
  '_ends_with',
  '_nends_with',
  '_iends_with',
  '_niends_with',
] as const;

/** The operators a read filter can compile for a column (after the per-type allow-list). */
export const COMPARE_OPERATORS = [
  '_eq',
  '_neq',
  '_lt',
  '_lte',
  '_gt',
  '_gte',
  '_in',
  '_nin',
  '_null',
  '_nnull',
  '_empty',
  '_nempty',
  ...PATTERN_OPERATORS,
  '_between',
  '_nbetween',
] as const;
export type CompareOperator = (typeof COMPARE_OPERATORS)[number];

/**
 * The operators `_json` applies to the value at each of its paths (Directus 12: any operator its SQL builder has,
 * `_ieq`/`_nieq` included, which no field type's allow-list offers).
 */
export const JSON_PATH_OPERATORS = [...COMPARE_OPERATORS, '_nicontains', '_ieq', '_nieq'] as const;
export type JsonPathOperator = (typeof JSON_PATH_OPERATORS)[number];

export function isJsonPathOperator(key: string): key is JsonPathOperator {
  return (JSON_PATH_OPERATORS as readonly string[]).includes(key);
}

export function isFilterOperator(key: string): key is FilterOperator {
  return (FILTER_OPERATORS as readonly string[]).includes(key);
}

export function isCompareOperator(key: string): key is CompareOperator {
  return (COMPARE_OPERATORS as readonly string[]).includes(key);
}

export function isListOperator(key: string): key is (typeof LIST_OPERATORS)[number] {
  return (LIST_OPERATORS as readonly string[]).includes(key);
}

export function isNullOperator(key: string): key is (typeof NULL_OPERATORS)[number] {
  return (NULL_OPERATORS as readonly string[]).includes(key);
}

const STRING_OPS = [
  ...PATTERN_OPERATORS,
  '_eq',
  '_neq',
  '_empty',
  '_nempty',
  '_null',
  '_nnull',
  '_in',
  '_nin',
] as const;
const NUMERIC_OPS = [
  '_eq',
  '_neq',
  '_lt',
  '_lte',
  '_gt',
  '_gte',
  '_between',
  '_nbetween',
  '_null',
  '_nnull',
  '_in',
  '_nin',
] as const;
const OTHER_OPS = [
  '_contains',
  '_ncontains',
  '_eq',
  '_neq',
  '_lt',
  '_lte',
  '_gt',
  '_gte',
  '_between',
  '_nbetween',
  '_empty',
  '_nempty',
  '_null',
  '_nnull',
  '_in',
  '_nin',
] as const;

/** The per-type allow-list (spec 2.2), by the type name reported in errors. */
const ALLOWED: Readonly<Record<string, readonly FilterOperator[]>> = {
  string: STRING_OPS,
  text: STRING_OPS,
  csv: STRING_OPS,
  binary: STRING_OPS,
  integer: NUMERIC_OPS,
  bigInteger: NUMERIC_OPS,
  float: NUMERIC_OPS,
  decimal: NUMERIC_OPS,
  date: NUMERIC_OPS,
  dateTime: NUMERIC_OPS,
  time: NUMERIC_OPS,
  boolean: ['_eq', '_neq', '_null', '_nnull'],
  uuid: ['_eq', '_neq', '_null', '_nnull', '_in', '_nin'],
  json: ['_null', '_nnull', '_json'],
  hash: ['_empty', '_nempty', '_null', '_nnull'],
  geometry: ['_eq', '_neq', '_null', '_nnull', '_intersects', '_nintersects', '_intersects_bbox', '_nintersects_bbox'],
};

/** The type whose allow-list applies to a field: concealed fields behave like `hash`. */
export function filterTypeOf(field: FieldSnapshot): string {
  return field.special.includes('conceal') ? 'hash' : field.type;
}

function allowedOperators(type: string): readonly FilterOperator[] {
  return Object.hasOwn(ALLOWED, type) ? ALLOWED[type]! : OTHER_OPS;
}

export function isOperatorAllowed(type: string, operator: FilterOperator): boolean {
  return allowedOperators(type).includes(operator);
}

export function isPatternOperator(operator: CompareOperator): boolean {
  return (PATTERN_OPERATORS as readonly string[]).includes(operator);
}
