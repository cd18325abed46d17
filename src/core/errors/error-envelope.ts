import { DirectusError, ErrorList, InternalServerError, RouteNotFoundError } from '@lib/errors';
import { mapDatabaseError } from './database-errors';

export interface ErrorEnvelope {
  status: number;
  body: { errors: { message: string; extensions: Record<string, unknown> }[] };
}

/**
 * Turns anything thrown into the Directus error envelope (spec 1.4): `{errors:[{message, extensions:{code,...}}]}`,
 * status = the errors' status (500 when they differ). Unknown errors are 500 INTERNAL_SERVER_ERROR; only admins see
 * their real message, and nobody sees a stack trace.
 */
export function toErrorEnvelope(error: unknown, options: { admin: boolean; path: string }): ErrorEnvelope {
  const errors = normalise(error, options.path);
  const statuses = new Set(errors.map((e) => e.status));
  const status = statuses.size === 1 ? errors[0].status : 500;
  return {
    status,
    body: {
      errors: errors.map((e) => ({
        message: e instanceof InternalServerError && !options.admin ? InternalServerError.MESSAGE : e.message,
        extensions: { ...e.extensions, code: e.code },
      })),
    },
  };
}

function normalise(error: unknown, path: string): DirectusError[] {
  if (error instanceof ErrorList) return error.errors;
  if (error instanceof DirectusError) return [error];
  const mapped = mapDatabaseError(error);
  if (mapped) return [mapped];
  if (isHttpNotFound(error)) return [new RouteNotFoundError(path)];
  return [new InternalServerError(error instanceof Error ? error.message : String(error))];
}

function isHttpNotFound(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { getStatus?: () => number }).getStatus?.() === 404 &&
    (error as Error).name === 'NotFoundException'
  );
}
