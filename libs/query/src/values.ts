import { InvalidQueryError } from '@lib/errors';
import type { FieldSnapshot } from '@lib/schema';
import type { Operand, SqlValueType } from './ast';

type Primitive = string | number | boolean;

/** The SQL type a value compared with `operand` is bound as. */
export function sqlTypeOf(operand: Operand): SqlValueType {
  return operand.kind === 'column' ? sqlTypeOfField(operand.field) : 'numeric';
}

export function sqlTypeOfField(field: FieldSnapshot): SqlValueType {
  switch (field.type) {
    case 'integer':
    case 'bigInteger':
    case 'float':
    case 'decimal':
      return 'numeric';
    case 'boolean':
      return 'boolean';
    case 'uuid':
      return 'uuid';
    case 'date':
      return 'date';
    case 'dateTime':
      return 'timestamp';
    case 'timestamp':
      return field.dbType === 'timestamp without time zone' ? 'timestamp' : 'timestamptz';
    case 'time':
      return 'time';
    default:
      return 'text';
  }
}

const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;

function isInt8(value: Primitive): boolean {
  const text = String(value).trim();
  if (!/^[+-]?\d+$/.test(text)) return false;
  const n = BigInt(text);
  return n >= INT8_MIN && n <= INT8_MAX;
}

/**
 * Integer columns compared with integer values are bound as int8, not numeric: `int4_col = $1::numeric` casts the
 * column and loses its index, `int4_col = $1::int8` keeps it. Non-integer values keep numeric semantics.
 */
export function narrowNumeric(operand: Operand, sqlType: SqlValueType, values: readonly Primitive[]): SqlValueType {
  if (sqlType !== 'numeric' || operand.kind !== 'column') return sqlType;
  const type = operand.field.type;
  // A `real` column compared with numeric would be widened to float8 (12.345::real <> 12.345): Directus binds the
  // value untyped, so PostgreSQL reads it as the column's own type; float4 does the same.
  if (type === 'float' && operand.field.dbType === 'real') return 'float4';
  if (type !== 'integer' && type !== 'bigInteger') return sqlType;
  return values.every(isInt8) ? 'int8' : sqlType;
}

/** The cast primary keys are bound with (they are already checked for the key's type). */
export function keySqlType(field: FieldSnapshot): SqlValueType {
  return field.type === 'integer' || field.type === 'bigInteger' ? 'int8' : sqlTypeOfField(field);
}

/** Checks and normalizes one filter value for `type`; throws INVALID_QUERY naming the problem. */
export function coerceValue(type: SqlValueType, value: unknown, field: string): Primitive {
  switch (type) {
    case 'numeric':
    case 'int8':
    case 'float4':
      return toNumeric(value, field);
    case 'boolean':
      return toBoolean(value, field);
    case 'uuid':
      return toUuid(value, field);
    case 'date':
    case 'timestamp':
    case 'timestamptz':
    case 'time':
      return toDate(type, value, field);
    case 'text':
      return toText(value);
  }
}

function toText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Numeric strings are kept as written (bigInteger precision); anything else goes through Number() (spec 2.2). */
function toNumeric(value: unknown, field: string): string {
  if (typeof value === 'string' && NUMERIC.test(value.trim())) return value.trim();
  const number = typeof value === 'number' || typeof value === 'boolean' ? Number(value) : NaN;
  if (!Number.isFinite(number)) throw new InvalidQueryError(`Invalid numeric value for field "${field}"`);
  return String(number);
}

function toBoolean(value: unknown, field: string): boolean {
  if (value === true || value === 1 || value === '1') return true;
  if (value === false || value === 0 || value === '0') return false;
  throw new InvalidQueryError(`Invalid boolean value for field "${field}"`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

function toUuid(value: unknown, field: string): string {
  if (typeof value === 'string' && isUuid(value)) return value;
  throw new InvalidQueryError(`Invalid UUID value for field "${field}"`);
}

const DATE_PART = String.raw`(\d{4})-(\d{2})-(\d{2})`;
const TIME_PART = String.raw`(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?`;
const ZONE_PART = String.raw`(?:Z|[+-]\d{2}(?::?\d{2})?)?`;
const DATE_ONLY = new RegExp(`^${DATE_PART}$`);
const DATE_TIME = new RegExp(`^${DATE_PART}[T ]${TIME_PART}${ZONE_PART}$`, 'i');
const TIME_ONLY = new RegExp(`^${TIME_PART}$`);

function toDate(type: SqlValueType, value: unknown, field: string): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw invalidDate(field);
    const iso = value.toISOString();
    if (type === 'date') return iso.slice(0, 10);
    if (type === 'time') return iso.slice(11, 23);
    return type === 'timestamptz' ? iso : iso.slice(0, 23);
  }
  if (typeof value !== 'string' || !isValidDateString(value.trim(), type === 'time')) throw invalidDate(field);
  return value.trim();
}

function invalidDate(field: string): InvalidQueryError {
  return new InvalidQueryError(`Invalid date value for field "${field}"`);
}

function isValidDateString(value: string, allowTimeOnly: boolean): boolean {
  const time = TIME_ONLY.exec(value);
  if (time) return allowTimeOnly && validTime(time[1]!, time[2]!, time[3]);
  const dateOnly = DATE_ONLY.exec(value);
  if (dateOnly) return validDate(dateOnly[1]!, dateOnly[2]!, dateOnly[3]!);
  const dateTime = DATE_TIME.exec(value);
  return (
    !!dateTime &&
    validDate(dateTime[1]!, dateTime[2]!, dateTime[3]!) &&
    validTime(dateTime[4]!, dateTime[5]!, dateTime[6])
  );
}

function validDate(year: string, month: string, day: string): boolean {
  const [y, m, d] = [Number(year), Number(month), Number(day)];
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const lastDay = new Date(0);
  lastDay.setUTCFullYear(y, m, 0);
  return d <= lastDay.getUTCDate();
}

function validTime(hour: string, minute: string, second: string | undefined): boolean {
  return Number(hour) <= 23 && Number(minute) <= 59 && (second === undefined || Number(second) <= 59);
}
