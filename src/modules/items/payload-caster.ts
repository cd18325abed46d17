import { randomUUID } from 'node:crypto';
import { ErrorList, FailedValidationError, InvalidPayloadError } from '@lib/errors';
import type { CollectionSnapshot, FieldSnapshot } from '@lib/schema';
import type { Accountability } from '../../core/context/accountability';
import { hashPassword } from '../../core/security/password';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INT = /^-?\d+$/;
const NUMBER = /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
const DATE_LABEL: Record<string, string> = { date: 'Date', dateTime: 'DateTime', timestamp: 'Timestamp', time: 'Time' };

export type Row = Record<string, unknown>;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function invalid(field: FieldSnapshot, expected: string): InvalidPayloadError {
  return new InvalidPayloadError(`Invalid value for field "${field.field}": expected ${expected}`);
}

/** Casts one payload value to what the column takes, or throws INVALID_PAYLOAD naming the field. */
export async function castValue(field: FieldSnapshot, value: unknown): Promise<unknown> {
  if (value === null || value === undefined) return null;
  switch (field.type) {
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'string' && INT.test(value.trim())) return Number(value);
      throw invalid(field, 'an integer');
    case 'bigInteger':
      if (typeof value === 'number' && Number.isInteger(value)) return String(value);
      if (typeof value === 'string' && INT.test(value.trim())) return value.trim();
      if (typeof value === 'bigint') return value.toString();
      throw invalid(field, 'an integer');
    case 'float':
    case 'decimal':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      if (typeof value === 'string' && NUMBER.test(value.trim())) return value.trim();
      throw invalid(field, 'a number');
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 1 || value === '1' || value === 'true') return true;
      if (value === 0 || value === '0' || value === 'false') return false;
      if (value === '' && field.special.includes('cast-boolean')) return null;
      throw invalid(field, 'a boolean');
    case 'uuid':
      if (typeof value === 'string' && UUID.test(value)) return value;
      throw invalid(field, 'a UUID');
    case 'date':
    case 'dateTime':
    case 'timestamp':
    case 'time':
      return castDate(field, value);
    case 'json':
      return JSON.stringify(value);
    case 'csv':
      if (Array.isArray(value)) return value.map(String).join(',');
      if (typeof value === 'string') return value;
      throw invalid(field, 'an array of strings');
    case 'hash':
      if (typeof value !== 'string') throw invalid(field, 'a string');
      return value === '' ? null : hashPassword(value);
    case 'string':
    case 'text':
      if (typeof value === 'object') return JSON.stringify(value);
      return String(value);
    case 'binary':
      if (typeof value === 'string') return Buffer.from(value, 'base64');
      throw invalid(field, 'base64 text');
    default:
      return value;
  }
}

function castDate(field: FieldSnapshot, value: unknown): string {
  const fail = () => new InvalidPayloadError(`Invalid ${DATE_LABEL[field.type]} format in field "${field.field}"`);
  if (field.type === 'time') {
    if (typeof value === 'string' && /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return value;
    throw fail();
  }
  const date =
    value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) throw fail();
  if (field.type === 'timestamp') return date.toISOString();
  if (typeof value === 'string' && field.type === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  if (typeof value === 'string' && field.type === 'dateTime') {
    // A zone-less dateTime is stored as written; one with a zone is converted to UTC wall time.
    const local = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(:\d{2}(\.\d+)?)?)$/.exec(value);
    if (local) return `${local[1]}T${local[2]}`;
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T00:00:00`;
  }
  const ymd = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  if (field.type === 'date') return ymd;
  return `${ymd}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}`;
}

/**
 * Applies the create/update specials (spec 5.2) to a payload: generated uuids, date/user/role stamps.
 * Returns a new object; the caller's payload is not changed.
 */
export function applySpecials(
  collection: CollectionSnapshot,
  payload: Row,
  action: 'create' | 'update',
  accountability: Accountability,
  now: Date,
): Row {
  const out = { ...payload };
  for (const name of collection.fieldOrder) {
    const field = collection.fields[name];
    if (field.alias) continue;
    const s = field.special;
    if (action === 'create') {
      if (out[name] === undefined || out[name] === null || out[name] === '') {
        if (s.includes('uuid') || (field.primaryKey && field.type === 'uuid' && field.defaultValue === null)) {
          out[name] = randomUUID();
        }
      }
      if (s.includes('date-created')) out[name] = now;
      if (s.includes('user-created')) out[name] = accountability.user;
      if (s.includes('role-created')) out[name] = accountability.role;
    } else {
      if (s.includes('date-updated')) out[name] = now;
      if (s.includes('user-updated')) out[name] = accountability.user;
      if (s.includes('role-updated')) out[name] = accountability.role;
    }
  }
  return out;
}

/**
 * On create, a NOT NULL column without a default (and not filled by the database or a special) must be given:
 * FAILED_VALIDATION `required` when missing, `nnull` when null (spec 15).
 */
export function checkRequired(collection: CollectionSnapshot, payload: Row): void {
  const errors: FailedValidationError[] = [];
  for (const name of collection.fieldOrder) {
    const field = collection.fields[name];
    if (field.alias || field.nullable || field.autoIncrement || field.defaultValue !== null) continue;
    if (!(name in payload) || payload[name] === undefined) {
      errors.push(new FailedValidationError({ field: name, path: [], type: 'required' }, 'Value is required'));
    } else if (payload[name] === null) {
      errors.push(new FailedValidationError({ field: name, path: [], type: 'nnull' }, "Value can't be null"));
    }
  }
  if (errors.length) throw new ErrorList(errors);
}
