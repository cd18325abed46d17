import { InvalidPayloadError } from '@lib/errors';
import { columnDefinition, defaultLiteral, ident } from '@lib/query';

const NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,62}$/;

/**
 * Identifiers (already past `assertName` or the schema snapshot) are quoted by libs/query's one `ident()`; the DDL
 * itself (column definitions, default literals, constraints) is built in libs/query/src/ddl.ts.
 */
export { columnDefinition, defaultLiteral, ident };

/**
 * Collection and field names become SQL identifiers: only letters, digits, `_` and `-` (not leading), at most 63
 * bytes. Everything else, SQL-looking names included, is a 400 before any SQL is built.
 */
export function assertName(kind: 'collection' | 'field', name: unknown): asserts name is string {
  if (typeof name !== 'string' || name === '') throw new InvalidPayloadError(`"${kind}" is required`);
  if (kind === 'collection' && name.startsWith('directus_')) {
    throw new InvalidPayloadError(`"collection" can't start with "directus_"`);
  }
  if (kind === 'collection' && name.startsWith('tessera_')) {
    throw new InvalidPayloadError(`"collection" can't start with "tessera_"`);
  }
  if (name.includes('/')) throw new InvalidPayloadError(`"${kind}" can't contain "/"`);
  if (!NAME.test(name)) {
    throw new InvalidPayloadError(
      `"${kind}" must start with a letter or "_" and contain only letters, digits, "_" and "-" (at most 63 characters), got "${name}"`,
    );
  }
}
