import { hashPassword, hashPasswordScrypt, verifyPassword } from './password';

/** Written by Directus 12.4.1 for `writer-pw-123` (shared/fixtures/directus-12.4.1-bench.sql). */
const DIRECTUS_HASH =
  '$argon2id$v=19$m=65536,t=3,p=4$WYPGUoVbDpZc8Z4u+MFf+Q$qsfoMMjbQWnf4CRubwfs3IQOhJhrRacpK2bSOuCpKHk';

describe('password hashing (argon2id as Directus stores it; scrypt still verifies)', () => {
  it('hashes as argon2id with Directus parameters, never plaintext, and verifies only the right password', async () => {
    const hash = await hashPassword('correct horse');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=65536,t=3,p=4\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(hash).not.toContain('correct horse');
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('wrong', hash)).toBe(false);
    expect(await verifyPassword('x', null)).toBe(false);
    expect(await verifyPassword('x', '')).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });

  it("verifies Directus's own argon2id hash", async () => {
    expect(await verifyPassword('writer-pw-123', DIRECTUS_HASH)).toBe(true);
    expect(await verifyPassword('writer-pw-124', DIRECTUS_HASH)).toBe(false);
  });

  it('a malformed argon2 or scrypt hash is a wrong password, not an error', async () => {
    expect(await verifyPassword('x', '$argon2id$v=19$m=65536,t=3,p=4$nope')).toBe(false);
    expect(await verifyPassword('x', '$argon2id$garbage')).toBe(false);
    expect(await verifyPassword('x', '$scrypt$n=16384,r=8,p=1$AAAA$')).toBe(false);
    expect(await verifyPassword('x', '$scrypt$n=3,r=8,p=1$AAAA$AAAA')).toBe(false);
  });

  it('scrypt hashes written by earlier Tessera versions keep verifying', async () => {
    const old = await hashPasswordScrypt('old secret');
    expect(old).toMatch(/^\$scrypt\$n=16384,r=8,p=1\$/);
    expect(await verifyPassword('old secret', old)).toBe(true);
    expect(await verifyPassword('old secrets', old)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });
});
