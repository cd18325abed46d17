import type { FieldType } from '@lib/schema';

/** Specials that decide a field's Directus type on top of its column type (Directus's getLocalType). */
export function localType(dbType: string | null, special: readonly string[]): FieldType {
  if (dbType === null) return 'alias';
  if (special.includes('hash')) return 'hash';
  if (special.includes('cast-csv')) return 'csv';
  switch (dbType) {
    case 'integer':
    case 'smallint':
      return 'integer';
    case 'bigint':
      return 'bigInteger';
    case 'character varying':
    case 'character':
      return 'string';
    case 'text':
      return 'text';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'timestamp without time zone':
      return 'dateTime';
    case 'timestamp with time zone':
      return 'timestamp';
    case 'time without time zone':
    case 'time with time zone':
      return 'time';
    case 'numeric':
      return 'decimal';
    case 'real':
    case 'double precision':
      return 'float';
    case 'uuid':
      return 'uuid';
    case 'json':
    case 'jsonb':
      return 'json';
    case 'bytea':
      return 'binary';
    default:
      return 'unknown';
  }
}

/** Column type for a Directus field type when creating or altering a column (spec 5.2 column DDL). */
export function columnType(
  type: FieldType,
  options: { maxLength?: number | null; precision?: number | null; scale?: number | null; autoIncrement?: boolean },
): string | null {
  switch (type) {
    case 'integer':
      return options.autoIncrement ? 'serial' : 'integer';
    case 'bigInteger':
      return options.autoIncrement ? 'bigserial' : 'bigint';
    case 'string':
      return `varchar(${options.maxLength ?? 255})`;
    case 'hash':
      return 'varchar(255)';
    case 'text':
    case 'csv':
      return 'text';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'dateTime':
      return 'timestamp';
    case 'timestamp':
      return 'timestamptz';
    case 'time':
      return 'time';
    case 'float':
      return 'real';
    case 'decimal':
      return `numeric(${options.precision ?? 10}, ${options.scale ?? 5})`;
    case 'uuid':
      return 'uuid';
    case 'json':
      return 'json';
    case 'binary':
      return 'bytea';
    case 'alias':
      return null;
    case 'unknown':
      return null;
  }
}

/**
 * Specials a type implies, added on create so the type survives the round trip through the catalogue. Not csv:
 * Directus's API adds no `cast-csv` (only its app does), so a csv field created without it is a text column that
 * reads back as type `text` with string values, as in Directus.
 */
export function impliedSpecials(type: FieldType): string[] {
  switch (type) {
    case 'json':
      return ['cast-json'];
    case 'hash':
      return ['hash'];
    default:
      return [];
  }
}
