/**
 * The DDL of the schema module (/collections, /fields, /relations) and of the Directus adoption: tables, columns,
 * constraints and indexes of user collections. Names reach here already checked (assertName or the schema snapshot)
 * and are quoted by the one `ident()`; DDL cannot take bound parameters, so default values are rendered as literals
 * here and only here (defaultLiteral). Pure: no Nest, no I/O.
 */
import { InvalidPayloadError } from '@lib/errors';
import type { FieldType } from '@lib/schema';
import { ident } from './sql';

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
  // uuid keys without a default are filled by the `uuid` special on create; the column stays plain.
  if (spec.defaultValue !== undefined && spec.defaultValue !== null && !spec.autoIncrement) {
    parts.push(`DEFAULT ${defaultLiteral(spec.defaultValue)}`);
  }
  return parts.join(' ');
}

/** The names Directus gives a column's unique constraint, index and foreign key (at most 63 bytes). */
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

/** `CREATE TABLE "t" (<column definitions>)`; constraints and indexes follow as their own statements. */
export function ddlCreateTable(table: string, columns: readonly ColumnSpec[]): string {
  return `CREATE TABLE ${ident(table)} (${columns.map(columnDefinition).join(', ')})`;
}

/** A database (on the maintenance database; CREATE DATABASE can't run in a transaction, so it is no migration). */
export function ddlCreateDatabase(name: string): string {
  return `CREATE DATABASE ${ident(name)}`;
}

/** Drops a collection's table; its foreign keys and the ones pointing at it go with it. */
export function ddlDropTable(table: string): string {
  return `DROP TABLE ${ident(table)} CASCADE`;
}

export function ddlAddColumn(table: string, spec: ColumnSpec): string {
  return `ALTER TABLE ${ident(table)} ADD COLUMN ${columnDefinition(spec)}`;
}

export function ddlDropColumn(table: string, field: string): string {
  return `ALTER TABLE ${ident(table)} DROP COLUMN ${ident(field)} CASCADE`;
}

/**
 * Changes a column's type. The cast is to the bare type: an explicit cast to varchar(n) would silently truncate; the
 * assignment to the sized type then fails with VALUE_TOO_LONG / VALUE_OUT_OF_RANGE instead of losing data.
 */
export function ddlAlterColumnType(table: string, field: string, sqlType: string): string {
  const column = ident(field);
  const castType = sqlType.replace(/\(.*\)$/, '');
  return `ALTER TABLE ${ident(table)} ALTER COLUMN ${column} TYPE ${sqlType} USING ${column}::${castType}`;
}

/** Sets a column's default (rendered by defaultLiteral), or drops it when `value` is null or undefined. */
export function ddlSetColumnDefault(table: string, field: string, value: unknown): string {
  const target = `ALTER TABLE ${ident(table)} ALTER COLUMN ${ident(field)}`;
  return value === null || value === undefined
    ? `${target} DROP DEFAULT`
    : `${target} SET DEFAULT ${defaultLiteral(value)}`;
}

export function ddlSetColumnNullable(table: string, field: string, nullable: boolean): string {
  return `ALTER TABLE ${ident(table)} ALTER COLUMN ${ident(field)} ${nullable ? 'DROP' : 'SET'} NOT NULL`;
}

/** Adds the column's unique constraint (named by uniqueConstraintName). */
export function ddlAddUnique(table: string, field: string): string {
  return `ALTER TABLE ${ident(table)} ADD CONSTRAINT ${ident(uniqueConstraintName(table, field))} UNIQUE (${ident(field)})`;
}

/** Creates the column's index (named by indexName). */
export function ddlCreateIndex(table: string, field: string): string {
  return `CREATE INDEX ${ident(indexName(table, field))} ON ${ident(table)} (${ident(field)})`;
}

export function ddlDropIndex(table: string, field: string): string {
  return `DROP INDEX IF EXISTS ${ident(indexName(table, field))}`;
}

/** An index over `columns` named `name`, unless one of that name exists already. */
export function ddlCreateIndexIfMissing(name: string, table: string, columns: readonly string[]): string {
  return `CREATE INDEX IF NOT EXISTS ${ident(name)} ON ${ident(table)} (${columns.map(ident).join(', ')})`;
}

export function ddlDropConstraint(table: string, name: string): string {
  return `ALTER TABLE ${ident(table)} DROP CONSTRAINT IF EXISTS ${ident(name)}`;
}

/** The ON DELETE / ON UPDATE actions a foreign key may take. */
export const FK_ACTIONS: ReadonlySet<string> = new Set(['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT']);

/** A single-column foreign key `table.field` → `references.key`; the actions must be among FK_ACTIONS. */
export function ddlAddForeignKey(
  table: string,
  name: string,
  field: string,
  references: { readonly table: string; readonly key: string },
  actions: { readonly onDelete: string; readonly onUpdate: string },
): string {
  for (const action of [actions.onDelete, actions.onUpdate]) {
    if (!FK_ACTIONS.has(action)) throw new Error(`not a foreign key action: ${action}`);
  }
  return (
    `ALTER TABLE ${ident(table)} ADD CONSTRAINT ${ident(name)} FOREIGN KEY (${ident(field)}) ` +
    `REFERENCES ${ident(references.table)} (${ident(references.key)}) ` +
    `ON DELETE ${actions.onDelete} ON UPDATE ${actions.onUpdate}`
  );
}
