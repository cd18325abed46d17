import { InvalidPayloadError } from '@lib/errors';
import { ALIAS_TYPES, FIELD_TYPES, type FieldType } from '@lib/schema';
import { assertName } from './ddl';
import { impliedSpecials } from './field-types';

const GEOMETRY = /^geometry(\.|$)/;
const ACCEPTED = [...FIELD_TYPES, ...ALIAS_TYPES.filter((t) => t !== 'alias'), 'geometry'];
/** Directus's Joi list for `type`: TYPES then ALIAS_TYPES (duplicates once), then null. */
const TYPE_LIST = [
  ...new Set([
    ...FIELD_TYPES.filter((t) => t !== 'unknown'),
    'geometry',
    'geometry.Point',
    'geometry.LineString',
    'geometry.Polygon',
    'geometry.MultiPoint',
    'geometry.MultiLineString',
    'geometry.MultiPolygon',
    'unknown',
    ...ALIAS_TYPES,
  ]),
  'null',
].join(', ');
export const META_COLUMNS = [
  'special',
  'interface',
  'options',
  'display',
  'display_options',
  'readonly',
  'hidden',
  'sort',
  'width',
  'translations',
  'note',
  'conditions',
  'required',
  'group',
  'validation',
  'validation_message',
  'searchable',
] as const;
const JSON_META = new Set(['options', 'display_options', 'translations', 'conditions', 'validation']);

/** A validated field payload (POST /fields, the `fields` of POST /collections, PATCH /fields). */
export interface FieldPlan {
  field: string;
  type: FieldType;
  /** null for alias fields (no column). */
  column: {
    maxLength: number | null;
    precision: number | null;
    scale: number | null;
    nullable: boolean;
    unique: boolean;
    indexed: boolean;
    primaryKey: boolean;
    autoIncrement: boolean;
    /** undefined = not given */
    defaultValue: unknown;
  } | null;
  /** Columns of the `directus_fields` row, or null when no meta row is wanted. */
  meta: Record<string, unknown> | null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A size in the `schema` object: Directus's Joi takes `max_length` as a number, a string or null (its app and the
 * SDK send either), and passes precision and scale to knex as they come; digits in a string are read as the number.
 */
function optionalInt(value: unknown, name: string, min: number): number | null {
  if (value === undefined || value === null) return null;
  const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min) {
    throw new InvalidPayloadError(`"schema.${name}" must be an integer >= ${min}`);
  }
  return number;
}

/** Joi's boolean, as Directus validates `schema.is_nullable`: `true`/`false`, or those words as strings. */
function optionalBool(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (value === 'true' || value === 'false') return value === 'true';
  if (typeof value !== 'boolean') throw new InvalidPayloadError(`"${name}" must be a boolean`);
  return value;
}

/**
 * The `schema` object of a field payload with the keys Tessera reads normalised (sizes as numbers, flags as
 * booleans); every other key — `length` as Directus's app sends it for a string or uuid primary key, `name`,
 * `table`, `data_type` and the rest of a field read back from GET /fields — is ignored, as Directus ignores it.
 */
export function normalizeSchema(schema: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...schema };
  for (const key of ['max_length', 'numeric_precision', 'numeric_scale'] as const) {
    if (key in out) out[key] = optionalInt(out[key], key, key === 'numeric_scale' ? 0 : 1);
  }
  for (const key of ['is_nullable', 'is_unique', 'is_indexed', 'is_primary_key', 'has_auto_increment'] as const) {
    if (key in out && out[key] !== null && out[key] !== undefined)
      out[key] = optionalBool(out[key], `schema.${key}`, false);
  }
  return out;
}

export function parseType(value: unknown): FieldType {
  if (value === undefined || value === null) return 'alias';
  if (typeof value !== 'string' || (!ACCEPTED.includes(value) && !GEOMETRY.test(value))) {
    throw new InvalidPayloadError(`"type" must be one of [${TYPE_LIST}]`);
  }
  if (GEOMETRY.test(value)) throw new InvalidPayloadError(`Field type "${value}" is not supported yet`);
  if ((ALIAS_TYPES as readonly string[]).includes(value)) return 'alias';
  if (value === 'unknown') throw new InvalidPayloadError(`Field type "unknown" can't be created`);
  return value as FieldType;
}

/** Serialises the meta object into `directus_fields` column values (special as csv, JSON columns stringified). */
export function metaColumns(meta: Record<string, unknown>, type: FieldType): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(meta)) {
    if (!(META_COLUMNS as readonly string[]).includes(key)) continue;
    const value = meta[key];
    if (key === 'special') {
      const list = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(',') : [];
      out.special = list;
    } else if (JSON_META.has(key)) {
      out[key] = value === null || value === undefined ? null : JSON.stringify(value);
    } else {
      out[key] = value ?? null;
    }
  }
  if ('special' in out || impliedSpecials(type).length) {
    const specials = new Set([...((out.special as string[] | undefined) ?? []), ...impliedSpecials(type)]);
    out.special = specials.size ? [...specials].join(',') : null;
  }
  return out;
}

export function parseField(raw: unknown): FieldPlan {
  if (!isObject(raw)) throw new InvalidPayloadError('Field must be an object');
  assertName('field', raw.field);
  if (raw.schema !== undefined && raw.schema !== null && !isObject(raw.schema)) {
    throw new InvalidPayloadError('"schema" must be an object');
  }
  if (raw.meta !== undefined && raw.meta !== null && !isObject(raw.meta)) {
    throw new InvalidPayloadError('"meta" must be an object');
  }
  const schema = raw.schema ? normalizeSchema(raw.schema as Record<string, unknown>) : null;
  const type = parseType(raw.type);
  const meta = (raw.meta as Record<string, unknown> | null | undefined) ?? null;
  let column: FieldPlan['column'] = null;
  if (type !== 'alias') {
    const s = schema ?? {};
    const primaryKey = optionalBool(s.is_primary_key, 'schema.is_primary_key', false);
    const autoIncrement = optionalBool(s.has_auto_increment, 'schema.has_auto_increment', false);
    if (autoIncrement && type !== 'integer' && type !== 'bigInteger') {
      throw new InvalidPayloadError(`"schema.has_auto_increment" needs an integer or bigInteger field`);
    }
    column = {
      maxLength: optionalInt(s.max_length, 'max_length', 1),
      precision: optionalInt(s.numeric_precision, 'numeric_precision', 1),
      scale: optionalInt(s.numeric_scale, 'numeric_scale', 0),
      nullable: optionalBool(s.is_nullable, 'schema.is_nullable', true),
      unique: optionalBool(s.is_unique, 'schema.is_unique', false),
      indexed: optionalBool(s.is_indexed, 'schema.is_indexed', false),
      primaryKey: primaryKey || autoIncrement,
      autoIncrement,
      defaultValue: s.default_value,
    };
    if (column.maxLength !== null && column.maxLength > 10485760) {
      throw new InvalidPayloadError('"schema.max_length" must be at most 10485760');
    }
  }
  const wantsMeta = meta !== null || type === 'alias' || impliedSpecials(type).length > 0;
  return {
    field: raw.field,
    type,
    column,
    meta: wantsMeta ? metaColumns(meta ?? {}, type) : null,
  };
}
