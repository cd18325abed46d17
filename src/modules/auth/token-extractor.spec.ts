import { InvalidPayloadError } from '@lib/errors';
import { extractToken } from './token-extractor';

describe('extractToken', () => {
  it('reads ?access_token= or Authorization: Bearer', () => {
    expect(extractToken({ access_token: 'q' }, undefined)).toBe('q');
    expect(extractToken({}, 'Bearer h')).toBe('h');
    expect(extractToken({}, 'bearer h')).toBe('h');
    expect(extractToken({}, 'Basic abc')).toBeNull();
    expect(extractToken({}, undefined)).toBeNull();
  });

  it('rejects a token in both places', () => {
    expect(() => extractToken({ access_token: 'q' }, 'Bearer h')).toThrow(InvalidPayloadError);
  });
});
