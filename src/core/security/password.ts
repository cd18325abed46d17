import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';

/**
 * Directus's own parameters (node-argon2's defaults, which Directus uses): argon2id, 64 MiB, 3 passes, 4 lanes,
 * a 32-byte hash and a 16-byte salt, as `$argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>`. Hashes written here verify
 * in Directus and the other way round, so a database can move between the two.
 */
const ARGON2 = { memoryCost: 65536, timeCost: 3, parallelism: 4, outputLen: 32 } as const;

/** New and changed passwords: argon2id in the PHC format Directus stores (spec 5.2 `hash` special). */
export async function hashPassword(password: string): Promise<string> {
  return argon2Hash(password, ARGON2);
}

/**
 * Verifies against an argon2 hash (what Directus writes, and what `hashPassword` writes) or a scrypt hash written by
 * earlier Tessera versions (`$scrypt$n=16384,r=8,p=1$<salt b64>$<hash b64>`). Anything else never verifies.
 */
export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  if (!hash) return false;
  if (hash.startsWith('$argon2')) {
    try {
      return await argon2Verify(hash, password);
    } catch {
      return false; // a malformed hash is a wrong password, never a 500
    }
  }
  if (hash.startsWith('$scrypt$')) return verifyScrypt(password, hash);
  return false;
}

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );

const SCRYPT_MAXMEM = 64 * 1024 * 1024;

async function verifyScrypt(password: string, hash: string): Promise<boolean> {
  const parts = hash.split('$');
  if (parts.length !== 5) return false;
  const params = Object.fromEntries(parts[2].split(',').map((kv) => kv.split('=') as [string, string]));
  const salt = Buffer.from(parts[3], 'base64');
  const expected = Buffer.from(parts[4], 'base64');
  if (!expected.length) return false;
  try {
    const key = await scrypt(password, salt, expected.length, {
      N: Number(params.n),
      r: Number(params.r),
      p: Number(params.p),
      maxmem: SCRYPT_MAXMEM,
    });
    return key.length === expected.length && timingSafeEqual(key, expected);
  } catch {
    return false;
  }
}

/** For tests and the scrypt round trip: a hash in the format earlier Tessera versions stored. */
export async function hashPasswordScrypt(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, { N: 16384, r: 8, p: 1, maxmem: SCRYPT_MAXMEM });
  return `$scrypt$n=16384,r=8,p=1$${salt.toString('base64')}$${key.toString('base64')}`;
}
