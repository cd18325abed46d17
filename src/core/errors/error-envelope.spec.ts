import { ErrorList, FailedValidationError, ForbiddenError, InvalidQueryError } from '@lib/errors';
import { toErrorEnvelope } from './error-envelope';

describe('toErrorEnvelope', () => {
  it('wraps a domain error in the Directus envelope', () => {
    expect(toErrorEnvelope(new InvalidQueryError('"limit" must be a number'), { admin: false, path: '/x' })).toEqual({
      status: 400,
      body: {
        errors: [
          {
            message: 'Invalid query. "limit" must be a number.',
            extensions: { reason: '"limit" must be a number', code: 'INVALID_QUERY' },
          },
        ],
      },
    });
  });

  it('sends every error of a list, with 500 when their statuses differ', () => {
    const v = new FailedValidationError({ field: 'a', path: [], type: 'required' }, 'Value is required');
    expect(toErrorEnvelope(new ErrorList([v, v]), { admin: false, path: '/' }).status).toBe(400);
    const mixed = toErrorEnvelope(new ErrorList([v, new ForbiddenError()]), { admin: false, path: '/' });
    expect(mixed.status).toBe(500);
    expect(mixed.body.errors).toHaveLength(2);
  });

  it('hides unexpected errors from non-admins and shows the message to admins, never a stack', () => {
    const hidden = toErrorEnvelope(new TypeError('x is undefined'), { admin: false, path: '/' });
    expect(hidden).toEqual({
      status: 500,
      body: { errors: [{ message: 'An unexpected error occurred.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] },
    });
    const shown = toErrorEnvelope(new TypeError('x is undefined'), { admin: true, path: '/' });
    expect(shown.body.errors[0]).toEqual({ message: 'x is undefined', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });
});
