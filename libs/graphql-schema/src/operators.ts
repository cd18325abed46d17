/**
 * Filter operator input types, built from libs/query's per-type allow-list (the table REST validates against): a
 * GraphQL operator type offers exactly the operators its field type allows that the read compiler can run. Shared by
 * every schema (they depend on nothing per role).
 */
import {
  GraphQLBoolean,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLString,
  type GraphQLInputFieldConfigMap,
  type GraphQLInputType,
} from 'graphql';
import {
  DATE_PART_FUNCTIONS,
  FILTER_OPERATORS,
  TIME_PART_FUNCTIONS,
  filterTypeOf,
  isCompareOperator,
  isOperatorAllowed,
} from '@lib/query';
import type { FieldSnapshot, FieldType } from '@lib/schema';
import { jsonPathResolver } from './resolvers';
import { GraphQLBigInt, GraphQLJSON, GraphQLJsonFilter, GraphQLStringOrFloat } from './scalars';

interface OperatorSpec {
  /** The input type's name (Directus's). */
  readonly name: string;
  /** The field type whose allow-list it offers. */
  readonly allowList: string;
  readonly value: GraphQLInputType;
  /** The element type of `_between`/`_nbetween` when it differs from `value`. */
  readonly range?: GraphQLInputType;
}

const SPECS = {
  id: { name: 'id_filter_operators', allowList: 'uuid', value: GraphQLID },
  string: { name: 'string_filter_operators', allowList: 'string', value: GraphQLString },
  number: { name: 'number_filter_operators', allowList: 'integer', value: GraphQLStringOrFloat },
  bigInt: { name: 'big_int_filter_operators', allowList: 'bigInteger', value: GraphQLBigInt },
  date: { name: 'date_filter_operators', allowList: 'dateTime', value: GraphQLString, range: GraphQLStringOrFloat },
  boolean: { name: 'boolean_filter_operators', allowList: 'boolean', value: GraphQLBoolean },
  hash: { name: 'hash_filter_operators', allowList: 'hash', value: GraphQLString },
  json: { name: 'json_filter_operators', allowList: 'json', value: GraphQLJSON },
} as const satisfies Record<string, OperatorSpec>;

type OperatorKind = keyof typeof SPECS;

const NULL_FLAGS = new Set(['_null', '_nnull', '_empty', '_nempty']);
const LISTS = new Set(['_in', '_nin']);
const RANGES = new Set(['_between', '_nbetween']);

/** The operators an operator type offers: the allow-list of its type, in FILTER_OPERATORS order. */
export function operatorsOf(allowList: string): string[] {
  return FILTER_OPERATORS.filter((op) => isCompareOperator(op) && isOperatorAllowed(allowList, op));
}

function buildOperatorType(spec: OperatorSpec): GraphQLInputObjectType {
  const fields: GraphQLInputFieldConfigMap = {};
  // `_json` (Directus 12): `{"<path>": {<operator>: <value>}, _and/_or: [...]}` on json columns, typed
  // GraphQLJsonFilter, first as in Directus's json_filter_operators (spec 9); REST's compiler runs it (libs/query).
  if (isOperatorAllowed(spec.allowList, '_json')) fields._json = { type: GraphQLJsonFilter };
  for (const op of operatorsOf(spec.allowList)) {
    if (NULL_FLAGS.has(op)) fields[op] = { type: GraphQLBoolean };
    else if (LISTS.has(op)) fields[op] = { type: new GraphQLList(spec.value) };
    else if (RANGES.has(op)) fields[op] = { type: new GraphQLList(spec.range ?? spec.value) };
    else fields[op] = { type: spec.value };
  }
  return new GraphQLInputObjectType({ name: spec.name, fields });
}

const operatorTypes = new Map<OperatorKind, GraphQLInputObjectType>();

export function operatorType(kind: OperatorKind): GraphQLInputObjectType {
  let type = operatorTypes.get(kind);
  if (!type) {
    type = buildOperatorType(SPECS[kind]);
    operatorTypes.set(kind, type);
  }
  return type;
}

/**
 * Which operator type a field's filter uses, by the type whose allow-list REST applies to it (concealed fields are
 * `hash`). Every operator it offers is one REST accepts for the field; timestamp offers the date operators (a
 * subset of its list). null: the field can't be filtered (unknown types).
 */
export function operatorKindOf(field: FieldSnapshot): OperatorKind | null {
  switch (filterTypeOf(field)) {
    case 'hash':
      return 'hash';
    case 'boolean':
      return 'boolean';
    case 'bigInteger':
      return 'bigInt';
    case 'integer':
    case 'float':
    case 'decimal':
      return 'number';
    case 'date':
    case 'dateTime':
    case 'time':
    case 'timestamp':
      return 'date';
    case 'uuid':
      return 'id';
    case 'json':
      return 'json';
    case 'string':
    case 'text':
    case 'csv':
    case 'binary':
      return 'string';
    default:
      return null;
  }
}

export function operatorTypeOf(field: FieldSnapshot): GraphQLInputObjectType | null {
  const kind = operatorKindOf(field);
  return kind === null ? null : operatorType(kind);
}

/**
 * Function fields (spec 2.5): which functions a field offers as `<field>_func`. `json`: json columns, `count` (the
 * array length) and `json(path)` (the value at a path, Directus 12's `json(field, path)`).
 */
export type FunctionGroup = 'count' | 'json' | 'date' | 'time' | 'datetime';

const FUNCTIONS: Record<FunctionGroup, readonly string[]> = {
  count: ['count'],
  json: ['count', 'json'],
  date: DATE_PART_FUNCTIONS,
  time: TIME_PART_FUNCTIONS,
  datetime: [...DATE_PART_FUNCTIONS, ...TIME_PART_FUNCTIONS],
};

export function functionsOf(group: FunctionGroup): readonly string[] {
  return FUNCTIONS[group];
}

/** `count` for O2M alias fields; `count` and `json(path)` for json columns; date/time parts for temporal columns. */
export function functionGroupOf(type: FieldType, o2m: boolean): FunctionGroup | null {
  if (o2m) return 'count';
  switch (type) {
    case 'json':
      return 'json';
    case 'date':
      return 'date';
    case 'time':
      return 'time';
    case 'dateTime':
    case 'timestamp':
      return 'datetime';
    default:
      return null;
  }
}

const functionObjectTypes = new Map<FunctionGroup, GraphQLObjectType>();
const functionFilterTypes = new Map<FunctionGroup, GraphQLInputObjectType>();

/**
 * `date_functions { year month week day weekday }`, ...: every function result is an Int (spec 15), but
 * `json_functions.json(path: String!): JSON`, the value at `path` as REST's `json(field, path)` selects it.
 */
export function functionObjectType(group: FunctionGroup): GraphQLObjectType {
  let type = functionObjectTypes.get(group);
  if (!type) {
    type = new GraphQLObjectType({
      name: `${group}_functions`,
      fields: Object.fromEntries(
        FUNCTIONS[group].map((fn) => [
          fn,
          fn === 'json'
            ? {
                type: GraphQLJSON,
                args: { path: { type: new GraphQLNonNull(GraphQLString) } },
                resolve: jsonPathResolver,
              }
            : { type: GraphQLInt },
        ]),
      ),
    });
    functionObjectTypes.set(group, type);
  }
  return type;
}

/**
 * `date_function_filter_operators { year: number_filter_operators ... }`, reached through `<field>_func` keys. json
 * columns filter on `count` only (`count_function_filter_operators`); their paths are filtered with `_json`.
 */
export function functionFilterType(group: FunctionGroup): GraphQLInputObjectType {
  if (group === 'json') return functionFilterType('count');
  let type = functionFilterTypes.get(group);
  if (!type) {
    const number = operatorType('number');
    type = new GraphQLInputObjectType({
      name: `${group}_function_filter_operators`,
      fields: Object.fromEntries(FUNCTIONS[group].map((fn) => [fn, { type: number }])),
    });
    functionFilterTypes.set(group, type);
  }
  return type;
}
