/**
 * Domain errors carrying Directus codes (spec 1.4). Pure: no Nest, no HTTP. Each transport maps them once
 * (REST: src/core/errors, GraphQL and WebSocket adapters later).
 */
export abstract class DirectusError<E extends Record<string, unknown> = Record<string, unknown>> extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  constructor(
    message: string,
    readonly extensions: E = {} as E,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ForbiddenError extends DirectusError<{ reason?: string }> {
  readonly code = 'FORBIDDEN';
  readonly status = 403;
  constructor(reason?: string) {
    super(reason ?? "You don't have permission to access this.", reason ? { reason } : {});
  }

  /** The message Directus sends for an unknown or unreadable collection. */
  static collection(collection: string, path?: string): ForbiddenError {
    return new ForbiddenError(
      `You don't have permission to access collection "${collection}" or it does not exist. Queried in ${queriedIn(path)}.`,
    );
  }

  /** The message Directus 12.4.1 sends for an unknown or unreadable field, admins included (spec 15). */
  static field(field: string, collection: string, path?: string): ForbiddenError {
    return new ForbiddenError(
      `You don't have permission to access field "${field}" in collection "${collection}" or it does not exist. Queried in ${queriedIn(path)}.`,
    );
  }
}

function queriedIn(path?: string): string {
  return path ? `"${path}"` : 'root';
}

export class InvalidQueryError extends DirectusError<{ reason: string }> {
  readonly code = 'INVALID_QUERY';
  readonly status = 400;
  constructor(reason: string) {
    super(`Invalid query. ${reason}.`, { reason });
  }
}

export class InvalidPayloadError extends DirectusError<{ reason: string }> {
  readonly code = 'INVALID_PAYLOAD';
  readonly status = 400;
  constructor(reason: string) {
    super(`Invalid payload. ${reason}.`, { reason });
  }

  /** A create, update or delete of a view's items, or a change to its columns: views are served read-only. */
  static readOnlyView(collection: string): InvalidPayloadError {
    return new InvalidPayloadError(`Collection "${collection}" is a read-only view`);
  }
}

export class RouteNotFoundError extends DirectusError<{ path: string }> {
  readonly code = 'ROUTE_NOT_FOUND';
  readonly status = 404;
  constructor(path: string) {
    super(`Route ${path} doesn't exist.`, { path });
  }
}

export class MethodNotAllowedError extends DirectusError<{ allowed: string[]; current: string }> {
  readonly code = 'METHOD_NOT_ALLOWED';
  readonly status = 405;
  constructor(allowed: string[], current: string) {
    super(`Invalid method "${current}" used. Should be one of ${allowed.map((m) => `"${m}"`).join(', ')}.`, {
      allowed,
      current,
    });
  }
}

interface FieldValueExt extends Record<string, unknown> {
  collection: string | null;
  field: string | null;
  value?: unknown;
}

export class RecordNotUniqueError extends DirectusError<FieldValueExt> {
  readonly code = 'RECORD_NOT_UNIQUE';
  readonly status = 400;
  constructor(ext: FieldValueExt) {
    super(
      ext.field
        ? `Value "${String(ext.value)}" for field "${ext.field}" in collection "${ext.collection}" has to be unique.`
        : `Value in collection "${ext.collection}" has to be unique.`,
      ext,
    );
  }
}

export class ValueTooLongError extends DirectusError<FieldValueExt> {
  readonly code = 'VALUE_TOO_LONG';
  readonly status = 400;
  constructor(ext: FieldValueExt) {
    super(
      ext.field
        ? `Value "${String(ext.value)}" for field "${ext.field}" in collection "${ext.collection}" is too long.`
        : `Value in collection "${ext.collection}" is too long.`,
      ext,
    );
  }
}

export class ValueOutOfRangeError extends DirectusError<FieldValueExt> {
  readonly code = 'VALUE_OUT_OF_RANGE';
  readonly status = 400;
  constructor(ext: FieldValueExt) {
    super(
      ext.field
        ? `Numeric value "${String(ext.value)}" for field "${ext.field}" in collection "${ext.collection}" is out of range.`
        : `Numeric value in collection "${ext.collection}" is out of range.`,
      ext,
    );
  }
}

export class NotNullViolationError extends DirectusError<FieldValueExt> {
  readonly code = 'NOT_NULL_VIOLATION';
  readonly status = 400;
  constructor(ext: FieldValueExt) {
    super(`Value for field "${ext.field}" in collection "${ext.collection}" can't be null.`, ext);
  }
}

export class ContainsNullValuesError extends DirectusError<FieldValueExt> {
  readonly code = 'CONTAINS_NULL_VALUES';
  readonly status = 400;
  constructor(ext: FieldValueExt) {
    super(`Field "${ext.field}" in collection "${ext.collection}" contains null values.`, ext);
  }
}

export class InvalidForeignKeyError extends DirectusError<FieldValueExt> {
  readonly code = 'INVALID_FOREIGN_KEY';
  readonly status = 400;
  constructor(ext: FieldValueExt) {
    super(
      ext.field
        ? `Invalid foreign key "${String(ext.value)}" for field "${ext.field}" in collection "${ext.collection}".`
        : `Invalid foreign key in collection "${ext.collection}".`,
      ext,
    );
  }
}

export interface FailedValidationExt extends Record<string, unknown> {
  field: string;
  path: string[];
  type: string;
  valid?: unknown;
  invalid?: unknown;
  substring?: string;
}

export class FailedValidationError extends DirectusError<FailedValidationExt> {
  readonly code = 'FAILED_VALIDATION';
  readonly status = 400;
  constructor(ext: FailedValidationExt, detail: string) {
    super(`Validation failed for field "${ext.field}". ${detail}.`, ext);
  }
}

export class InvalidCredentialsError extends DirectusError {
  readonly code = 'INVALID_CREDENTIALS';
  readonly status = 401;
  constructor() {
    super('Invalid user credentials.');
  }
}

export class TokenExpiredError extends DirectusError {
  readonly code = 'TOKEN_EXPIRED';
  readonly status = 401;
  constructor() {
    super('Token expired.');
  }
}

export class InvalidTokenError extends DirectusError {
  readonly code = 'INVALID_TOKEN';
  readonly status = 403;
  constructor() {
    super('Invalid token.');
  }
}

export class ContentTooLargeError extends DirectusError {
  readonly code = 'CONTENT_TOO_LARGE';
  readonly status = 413;
  constructor() {
    super('Uploaded content is too large.');
  }
}

export class UnsupportedMediaTypeError extends DirectusError {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
  readonly status = 415;
  constructor(reason: string) {
    super(`Unsupported media type. ${reason}.`, { reason });
  }
}

export class ServiceUnavailableError extends DirectusError<{ service: string; reason: string }> {
  readonly code = 'SERVICE_UNAVAILABLE';
  readonly status = 503;
  constructor(service: string, reason: string) {
    super(`Service "${service}" is unavailable. ${reason}.`, { service, reason });
  }
}

/** Several errors raised together (e.g. one FAILED_VALIDATION per rule). The transport sends them all. */
export class ErrorList extends Error {
  constructor(readonly errors: DirectusError[]) {
    super(errors.map((e) => e.message).join(' '));
    this.name = 'ErrorList';
  }
}

/** Anything unexpected. Non-admins only ever see the generic message. */
export class InternalServerError extends DirectusError {
  static readonly MESSAGE = 'An unexpected error occurred.';
  readonly code = 'INTERNAL_SERVER_ERROR';
  readonly status = 500;
}
