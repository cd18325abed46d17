import { InvalidQueryError } from '@lib/errors';
import type { FieldType } from '@lib/schema';
import { jsonOutputKey, parseJsonArguments, type JsonPathSegment } from './json-path';

/** Function fields (spec 2.5): `year(published_at)`, `count(comments)`, `json(data, items[0].name)`. */
export const DATE_PART_FUNCTIONS = ['year', 'month', 'week', 'day', 'weekday'] as const;
export const TIME_PART_FUNCTIONS = ['hour', 'minute', 'second'] as const;
export type DateFunction = (typeof DATE_PART_FUNCTIONS)[number] | (typeof TIME_PART_FUNCTIONS)[number];
export type FieldFunction = DateFunction | 'count' | 'json';

export interface FunctionCall {
  fn: FieldFunction;
  /** The field the function applies to. */
  field: string;
  /** `json()` only: the path into the field's value. */
  path?: readonly JsonPathSegment[];
  /** The text between the parentheses, as written (the output key of `json()` is made from it). */
  args: string;
}

const CALL = /^([A-Za-z_]\w*)\(([^()]*)\)$/;

export function isFunctionCall(key: string): boolean {
  return key.includes('(');
}

/** Parses `fn(field)`; throws INVALID_QUERY for a malformed call or an unknown function. */
export function parseFunctionCall(key: string): FunctionCall {
  const match = CALL.exec(key.trim());
  if (!match) throw new InvalidQueryError(`Invalid function call "${key}"`);
  const fn = match[1]!;
  const args = match[2]!;
  if (!isFieldFunction(fn)) throw new InvalidQueryError(`Unknown function "${fn}"`);
  if (fn === 'json') return { fn, ...parseJsonArguments(args), args };
  const field = args.trim();
  if (field === '') throw new InvalidQueryError(`Invalid function call "${key}"`);
  return { fn, field, args };
}

function isFieldFunction(fn: string): fn is FieldFunction {
  return (
    fn === 'count' ||
    fn === 'json' ||
    (DATE_PART_FUNCTIONS as readonly string[]).includes(fn) ||
    (TIME_PART_FUNCTIONS as readonly string[]).includes(fn)
  );
}

const DATE_TYPES: readonly FieldType[] = ['date', 'dateTime', 'timestamp'];
const TIME_TYPES: readonly FieldType[] = ['time', 'dateTime', 'timestamp'];

/** Whether `fn` applies to a column of `type` (count on alias fields is checked against the relation instead). */
export function functionAppliesTo(fn: FieldFunction, type: FieldType): boolean {
  if (fn === 'count' || fn === 'json') return type === 'json';
  if ((DATE_PART_FUNCTIONS as readonly string[]).includes(fn)) return DATE_TYPES.includes(type);
  return TIME_TYPES.includes(type);
}

export function unsupportedFunction(fn: FieldFunction, type: FieldType): InvalidQueryError {
  return new InvalidQueryError(`Function "${fn}" is not supported for field type "${type}"`);
}

/** `year(published_at)` is returned under `published_at_year`, `json(data, a.b)` under `data_a_b_json` (spec 2.5). */
export function functionOutputKey(call: FunctionCall): string {
  return call.fn === 'json' ? jsonOutputKey(call.args) : `${call.field}_${call.fn}`;
}
