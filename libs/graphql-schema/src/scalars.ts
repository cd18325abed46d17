/**
 * The custom scalars of the Directus GraphQL schema (spec 9), with section 15's corrections: bigInteger travels as a
 * string both ways (no precision lost past 2^53).
 */
import { GraphQLError, GraphQLScalarType, GraphQLString, Kind, valueFromASTUntyped, type ValueNode } from 'graphql';
import { isPlainObject } from '@lib/query';

/** date, time, dateTime and timestamp values: ISO 8601 strings (a JS Date is serialised with toISOString). */
export const GraphQLDate = new GraphQLScalarType({
  name: 'Date',
  description: 'ISO8601 Date values',
  serialize: (value) => (value instanceof Date ? value.toISOString() : GraphQLString.serialize(value)),
  parseValue: (value) => GraphQLString.parseValue(value),
  parseLiteral: (ast) => GraphQLString.parseLiteral(ast),
});

/** json fields and the `group` of aggregates: any JSON value, literals included. */
export const GraphQLJSON = new GraphQLScalarType({
  name: 'JSON',
  description:
    'The `JSON` scalar type represents JSON values as specified by [ECMA-404](http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf).',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast: ValueNode, variables?: { readonly [name: string]: unknown } | null) =>
    valueFromASTUntyped(ast, variables ?? undefined),
});

const INTEGER = /^[+-]?\d+$/;
const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;

function bigIntText(value: unknown): string | null {
  let text: string;
  if (typeof value === 'bigint') text = value.toString();
  else if (typeof value === 'number' && Number.isSafeInteger(value)) text = String(value);
  else if (typeof value === 'string' && INTEGER.test(value.trim())) text = value.trim();
  else return null;
  const n = BigInt(text);
  return n >= INT8_MIN && n <= INT8_MAX ? n.toString() : null;
}

/**
 * bigInteger fields: serialised as a string (spec 15); accepted as a string or a safe integer and handed on as the
 * exact decimal string.
 */
export const GraphQLBigInt = new GraphQLScalarType({
  name: 'GraphQLBigInt',
  description: 'BigInt value',
  serialize(value) {
    const text = bigIntText(value);
    if (text === null) throw new GraphQLError(`GraphQLBigInt cannot represent value: ${JSON.stringify(value)}`);
    return text;
  },
  parseValue(value) {
    const text = bigIntText(value);
    if (text === null) throw new GraphQLError(`Invalid GraphQLBigInt: ${JSON.stringify(value)}`);
    return text;
  },
  parseLiteral(ast) {
    const text = ast.kind === Kind.STRING || ast.kind === Kind.INT ? bigIntText(ast.value) : null;
    if (text === null) throw new GraphQLError('Invalid GraphQLBigInt literal', { nodes: ast });
    return text;
  },
});

/** hash fields and every field with the `conceal` special: strings. */
export const GraphQLHash = new GraphQLScalarType({
  name: 'Hash',
  description: 'Hashed string values',
  serialize: (value) => GraphQLString.serialize(value),
  parseValue: (value) => GraphQLString.parseValue(value),
  parseLiteral: (ast) => GraphQLString.parseLiteral(ast),
});

function stringOrFloat(value: unknown): string | number {
  if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) return value;
  throw new GraphQLError('Value must be either a String or a Float');
}

/** Numeric filter values: a number, or a string such as a dynamic variable (`$NOW`, `$CURRENT_USER`). */
export const GraphQLStringOrFloat = new GraphQLScalarType({
  name: 'GraphQLStringOrFloat',
  description: 'A Float or a String',
  serialize: stringOrFloat,
  parseValue: stringOrFloat,
  parseLiteral(ast) {
    switch (ast.kind) {
      case Kind.INT:
      case Kind.FLOAT:
        return Number(ast.value);
      case Kind.STRING:
        return ast.value;
      default:
        throw new GraphQLError('Value must be either a String or a Float', { nodes: ast });
    }
  },
});

/**
 * Directus 12's check of a `_json` value before it reaches the filter: an object whose keys are JSON paths mapping to
 * operator objects, or `_and`/`_or` arrays. (Paths and operators themselves are checked by the filter parser, as for
 * REST.) Plain errors, as Directus throws them: graphql-js then prefixes them with the expected type and locates them.
 */
function jsonFilterValue(value: unknown): Record<string, unknown> {
  if (!isPlainObject(value)) {
    throw new Error('json filter value must be a plain object mapping JSON path keys to filter operators');
  }
  for (const [key, inner] of Object.entries(value)) {
    if (key.trim() === '') throw new Error('json filter: keys must not be empty');
    if (key === '_and' || key === '_or') {
      if (!Array.isArray(inner)) throw new Error(`json filter: "${key}" must be an array of filter objects`);
    } else if (!isPlainObject(inner)) {
      throw new Error(`json filter: "${key}" must be a filter operator object (e.g. { "_eq": "value" })`);
    }
  }
  return value;
}

/** The value of `_json` in `json_filter_operators` (spec 9): JSON, checked as Directus checks it. */
export const GraphQLJsonFilter = new GraphQLScalarType({
  name: 'GraphQLJsonFilter',
  description:
    'A JSON filter value: a plain object mapping JSON path keys to filter operators (e.g. { "key": { "_eq": "value" } })',
  serialize: (value) => value,
  parseValue: jsonFilterValue,
  parseLiteral: (ast: ValueNode, variables?: { readonly [name: string]: unknown } | null) =>
    jsonFilterValue(valueFromASTUntyped(ast, variables ?? undefined)),
});

/** `Query._empty` when nothing is readable. The name really is `Void` (spec 9). */
export const GraphQLVoid = new GraphQLScalarType({
  name: 'Void',
  description: 'Represents NULL values',
  serialize: () => null,
  parseValue: () => null,
  parseLiteral: () => null,
});

export const SCALARS = [
  GraphQLDate,
  GraphQLJSON,
  GraphQLBigInt,
  GraphQLHash,
  GraphQLStringOrFloat,
  GraphQLJsonFilter,
  GraphQLVoid,
];
