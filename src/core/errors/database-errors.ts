import {
  ContainsNullValuesError,
  DirectusError,
  InvalidForeignKeyError,
  InvalidPayloadError,
  NotNullViolationError,
  RecordNotUniqueError,
  ValueOutOfRangeError,
  ValueTooLongError,
} from '@lib/errors';

interface PgError {
  code?: string;
  detail?: string;
  table?: string;
  column?: string;
  message?: string;
  routine?: string;
}

export interface DatabaseErrorContext {
  /** The collection being written, when the caller knows it (PostgreSQL does not name it for every error). */
  collection?: string;
  /** The payload as sent, so values can be reported as the client sent them. */
  payload?: Record<string, unknown> | Record<string, unknown>[];
}

function isPgError(error: unknown): error is PgError {
  return typeof error === 'object' && error !== null && typeof (error as PgError).code === 'string';
}

/** `Key (email)=(a@b.c) already exists.` → ['email', 'a@b.c'] */
function parseKeyDetail(detail: string | undefined): [string | null, string | null] {
  const match = /Key \((.+?)\)=\((.*)\)/.exec(detail ?? '');
  if (!match) return [null, null];
  return [match[1].replace(/^"|"$/g, ''), match[2]];
}

function sentValue(context: DatabaseErrorContext, field: string | null, fallback: unknown): unknown {
  if (!field || !context.payload) return fallback;
  const rows = Array.isArray(context.payload) ? context.payload : [context.payload];
  for (const row of rows) {
    if (row && field in row && String(row[field]) === String(fallback)) return row[field];
  }
  return fallback;
}

/**
 * Maps a PostgreSQL error to the Directus error for it (spec 1.4, 15), naming collection and field. Returns null for
 * anything that is not a known constraint or data error, so the caller can rethrow it as unexpected.
 */
export function mapDatabaseError(error: unknown, context: DatabaseErrorContext = {}): DirectusError | null {
  if (!isPgError(error)) return null;
  const collection = error.table ?? context.collection ?? null;
  switch (error.code) {
    case '23505': {
      const [field, value] = parseKeyDetail(error.detail);
      return new RecordNotUniqueError({ collection, field, value: sentValue(context, field, value) });
    }
    case '23503': {
      const [field, value] = parseKeyDetail(error.detail);
      if (/is still referenced/.test(error.detail ?? '')) {
        return new InvalidForeignKeyError({ collection, field, value: sentValue(context, field, value) });
      }
      return new InvalidForeignKeyError({ collection, field, value: sentValue(context, field, value) });
    }
    case '23502': {
      if (error.routine === 'ATRewriteTable' || /contains null values/.test(error.message ?? '')) {
        return new ContainsNullValuesError({ collection, field: error.column ?? null });
      }
      return new NotNullViolationError({ collection, field: error.column ?? null });
    }
    case '22001':
      return new ValueTooLongError({ collection: context.collection ?? collection, field: null, value: null });
    case '22003':
      return new ValueOutOfRangeError({ collection: context.collection ?? collection, field: null, value: null });
    case '22021':
    case '22P05':
      // a NUL byte or invalid UTF-8: PostgreSQL can't store it as text
      return new InvalidPayloadError('Invalid character in value');
    case '22P02':
    case '22007':
    case '22008':
    case '22023':
      // invalid text representation / datetime format: a value that does not fit the column's type
      return new InvalidPayloadError(error.message ?? 'Invalid value');
    default:
      return null;
  }
}
