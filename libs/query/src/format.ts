import type { FieldSnapshot } from '@lib/schema';
import type { DateFunction } from './functions';

/**
 * How each field type reads in REST (spec 14.10, 15), as SQL over the raw column expression, so that the statement
 * returns final JSON text:
 * dateTime `YYYY-MM-DDTHH:mm:ss`, date `YYYY-MM-DD`, time `HH:mm:ss`, timestamp ISO with milliseconds and `Z`;
 * bigInteger and decimal as strings (decimal keeps the column's scale); `cast-csv` text as an array of strings;
 * concealed and hash fields as `**********`.
 */
export function formatField(field: FieldSnapshot, expr: string): string {
  if (field.type === 'hash' || field.special.includes('conceal')) {
    return `CASE WHEN ${expr} IS NULL THEN NULL ELSE '**********' END`;
  }
  switch (field.type) {
    // A timestamp or date in JSON already reads as ISO 8601; to_char is the slow way there (~15 % of a 100-row
    // list's statement on the bench). Columns of other types (a dateTime over timestamptz) keep to_char.
    case 'dateTime':
      return field.dbType === 'timestamp without time zone'
        ? `date_trunc('second', ${expr})`
        : `to_char(${expr}, 'YYYY-MM-DD"T"HH24:MI:SS')`;
    case 'date':
      return field.dbType === 'date' ? expr : `to_char(${expr}, 'YYYY-MM-DD')`;
    case 'time':
      return `to_char(${expr}::interval, 'HH24:MI:SS')`;
    case 'timestamp':
      return `to_char(${utc(field, expr)}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    case 'bigInteger':
    case 'decimal':
      return `${expr}::text`;
    case 'csv':
      return field.special.includes('cast-csv')
        ? `CASE WHEN ${expr} IS NULL THEN NULL WHEN ${expr} = '' THEN '[]'::json ELSE to_json(string_to_array(${expr}, ',')) END`
        : expr;
    default:
      return expr;
  }
}

/** A timestamptz column read as UTC wall-clock time (a `timestamp without time zone` column already is). */
function utc(field: FieldSnapshot, expr: string): string {
  return field.dbType === 'timestamp without time zone' ? expr : `(${expr} AT TIME ZONE 'UTC')`;
}

const EXTRACT_FIELD: Readonly<Record<DateFunction, string>> = {
  year: 'year',
  month: 'month',
  week: 'week',
  day: 'day',
  weekday: 'dow',
  hour: 'hour',
  minute: 'minute',
  second: 'second',
};

/** `year(col)` and friends as PG numbers (weekday: Sunday = 0); timestamps are taken in UTC. */
export function datePart(fn: DateFunction, field: FieldSnapshot, expr: string): string {
  const source = field.type === 'timestamp' ? utc(field, expr) : expr;
  return `extract(${EXTRACT_FIELD[fn]} from ${source})`;
}

/** `count(json_column)`: the array length, null when the value is not an array. */
export function jsonLength(expr: string): string {
  return `CASE WHEN jsonb_typeof(${expr}::jsonb) = 'array' THEN jsonb_array_length(${expr}::jsonb) END`;
}
