import { InvalidPayloadError } from '@lib/errors';

/**
 * Where a request's token is (spec 8, extract-token): `?access_token=` or `Authorization: Bearer`; both at once is a
 * 400. Pure, so REST, GraphQL and WebSocket upgrades share it.
 */
export function extractToken(query: unknown, authorization: string | undefined): string | null {
  const fromQuery =
    query && typeof query === 'object' && typeof (query as { access_token?: unknown }).access_token === 'string'
      ? (query as { access_token: string }).access_token
      : null;
  let fromHeader: string | null = null;
  if (authorization) {
    const [scheme, value] = authorization.split(' ');
    if (scheme?.toLowerCase() === 'bearer' && value) fromHeader = value.trim();
  }
  if (fromQuery && fromHeader) {
    throw new InvalidPayloadError('The request uses more than one method of including an access token');
  }
  return fromQuery ?? fromHeader;
}
