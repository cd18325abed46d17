import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { DirectusError } from '@lib/errors';
import { toErrorEnvelope } from '../../core/errors/error-envelope';

/**
 * Spec 9's error split for GraphQL:
 * - a document that can't run (syntax, validation, depth, variables) is HTTP 400 in the REST envelope:
 *   `{errors:[{message:"GraphQL validation error.", extensions:{code:"GRAPHQL_VALIDATION", errors:[...]}}]}`;
 * - errors while resolving are HTTP 200 next to `data`: `{message, locations, path, extensions:{code, ...}}`, with a
 *   Directus error's own extension fields (RECORD_NOT_UNIQUE's collection/field/value, FORBIDDEN's reason, ...).
 */
export class GraphqlValidationError extends DirectusError<{ errors: GraphQLFormattedError[] }> {
  readonly code = 'GRAPHQL_VALIDATION';
  readonly status = 400;
  constructor(errors: readonly GraphQLError[]) {
    super('GraphQL validation error.', { errors: errors.map(plainError) });
  }
}

/** graphql-js's JSON form of an error, without yoga's internal `http` extension. */
function plainError(error: GraphQLError): GraphQLFormattedError {
  const { extensions, ...rest } = error.toJSON();
  const { http: _http, ...own } = extensions ?? {};
  return Object.keys(own).length > 0 ? { ...rest, extensions: own } : rest;
}

/**
 * A resolver error as Directus formats it (process-error.ts): the Directus error's message and extensions; anything
 * else is INTERNAL_SERVER_ERROR, whose real message only admins see. Database errors are mapped as REST maps them.
 * An ErrorList (several validation failures) gives one GraphQL error each.
 */
export function formatResolverError(error: GraphQLError, admin: boolean): GraphQLFormattedError[] {
  const where = {
    ...(error.locations ? { locations: error.locations } : {}),
    ...(error.path ? { path: error.path } : {}),
  };
  const original = error.originalError;
  if (!original || original instanceof GraphQLError) {
    // graphql-js's own execution errors (a null for a non-null field, a bad argument value): its message as is.
    return [{ message: error.message, ...where, extensions: { code: 'INTERNAL_SERVER_ERROR' } }];
  }
  const envelope = toErrorEnvelope(original, { admin, path: '/graphql' });
  return envelope.body.errors.map((e) => {
    const { code, ...extensions } = e.extensions;
    return { message: e.message, ...where, extensions: { code, ...extensions } };
  });
}
