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
