import { ForbiddenError, InvalidQueryError } from '@lib/errors';
import { buildReadAst, compileRead, sanitizeQuery, type ReadAst, type ReadOptions } from '@lib/query';
import { context, limits, schema } from './fixture';

/** sanitize + build against the fixture. */
export function ast(collection: string, raw: unknown, options: Partial<ReadOptions> = {}): ReadAst {
  return buildReadAst(schema, collection, sanitizeQuery(raw, context, limits), { mode: 'list', limits, ...options });
}

/** sanitize + build + compile against the fixture. */
export function compile(collection: string, raw: unknown, options: Partial<ReadOptions> = {}) {
  return compileRead(ast(collection, raw, options), schema);
}

/** The error thrown by `run`, which must be one of the two the library may throw. */
export function errorOf(run: () => unknown): InvalidQueryError | ForbiddenError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidQueryError || error instanceof ForbiddenError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

/** The INVALID_QUERY reason thrown by `run`. */
export function reasonOf(run: () => unknown): string {
  const error = errorOf(run);
  if (!(error instanceof InvalidQueryError)) throw new Error(`expected INVALID_QUERY, got ${error.message}`);
  return error.extensions.reason;
}

export function forbiddenField(field: string, collection: string, path?: string): string {
  return ForbiddenError.field(field, collection, path).message;
}
