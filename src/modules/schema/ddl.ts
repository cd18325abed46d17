import { InvalidPayloadError } from '@lib/errors';
import { ident } from '@lib/query';
import type { FieldType } from '@lib/schema';
import { columnType } from './field-types';

const NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,62}$/;

/** Identifiers (already past `assertName` or the schema snapshot) are quoted by libs/query's one `ident()`. */
export { ident };

/**
 * Collection and field names become SQL identifiers: only letters, digits, `_` and `-` (not leading), at most 63
 * bytes. Everything else, SQL-looking names included, is a 400 before any SQL is built.
 */
export function assertName(kind: 'collection' | 'field', name: unknown): asserts name is string {
  if (typeof name !== 'string' || name === '') throw new InvalidPayloadError(`"${kind}" is required`);
  if (kind === 'collection' && name.startsWith('directus_')) {
    throw new InvalidPayloadError(`"collection" can't start with "directus_"`);
  }
  if (kind === 'collection' && name.startsWith('tessera_')) {
    throw new InvalidPayloadError(`"collection" can't start with "tessera_"`);
  }
  if (name.includes('/')) throw new InvalidPayloadError(`"${kind}" can't contain "/"`);
  if (!NAME.test(name)) {
    throw new InvalidPayloadError(
      `"${kind}" must start with a letter or "_" and contain only letters, digits, "_" and "-" (at most 63 characters), got "${name}"`,
    );
  }
}

/**
 * A default value as SQL. DDL cannot take bound parameters, so literals are rendered here and only here: numbers
 * and booleans verbatim after a type check, everything else as a single-quoted string with quotes doubled
 * (standard_conforming_strings is on in every supported PostgreSQL).
 */
export function defaultLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string' && /^(now\(\)|current_timestamp(\(\d\))?)$/i.test(value.trim()))
    return 'CURRENT_TIMESTAMP';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new InvalidPayloadError('"schema.default_value" must be a finite number');
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (text.includes('\u0000')) throw new InvalidPayloadError('"schema.default_value" can\'t contain NUL characters');
  return `'${text.replace(/'/g, "''")}'`;
}

export interface ColumnSpec {
  field: string;
  type: FieldType;
  maxLength?: number | null;
  precision?: number | null;
  scale?: number | null;
  autoIncrement?: boolean;
  primaryKey?: boolean;
  nullable?: boolean;
  unique?: boolean;
  defaultValue?: unknown;
}

/** `"name" type [PRIMARY KEY] [NOT NULL] [DEFAULT x]`; unique and index constraints are separate statements. */
export function columnDefinition(spec: ColumnSpec): string {
  const type = columnType(spec.type, spec);
  if (!type) throw new InvalidPayloadError(`Field "${spec.field}" of type "${spec.type}" has no database column`);
  const parts = [ident(spec.field), type];
  if (spec.primaryKey) parts.push('PRIMARY KEY');
  else if (spec.nullable === false) parts.push('NOT NULL');
  if (spec.defaultValue !== undefined && spec.defaultValue !== null && !spec.autoIncrement) {
    parts.push(`DEFAULT ${defaultLiteral(spec.defaultValue)}`);
  } else if (spec.primaryKey && spec.type === 'uuid' && spec.defaultValue === undefined) {
    // uuid keys without a default are filled by the `uuid` special on create; keep the column plain.
  }
  return parts.join(' ');
}

export function uniqueConstraintName(table: string, field: string): string {
  return truncate(`${table}_${field}_unique`);
}

export function indexName(table: string, field: string): string {
  return truncate(`${table}_${field}_index`);
}

export function foreignKeyName(table: string, field: string): string {
  return truncate(`${table}_${field}_foreign`);
}

function truncate(name: string): string {
  return name.length <= 63 ? name : name.slice(0, 54) + '_' + hash(name);
}

function hash(text: string): string {
  let h = 0;
  for (const ch of text) h = (Math.imul(31, h) + ch.charCodeAt(0)) | 0;
  return (h >>> 0).toString(36).padStart(8, '0').slice(0, 8);
}
