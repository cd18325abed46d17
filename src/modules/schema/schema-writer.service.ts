import { Injectable } from '@nestjs/common';
import { DirectusError, InvalidPayloadError } from '@lib/errors';
import { compileSystemInsert, LOCK_SCHEMA_STATE_SQL, type WriteStatement } from '@lib/query';
import { mapDatabaseError } from '../../core/errors/database-errors';
import { Database } from '../../core/database/database.service';
import { SchemaRegistry } from './schema-registry.service';

/**
 * The one way the schema changes: DDL and metadata rows run in ONE transaction that also bumps the schema version
 * (announced with NOTIFY on commit). Any failure rolls back tables, columns, constraints and rows together. This
 * instance reloads before answering, so the caller's next request sees the change.
 */
@Injectable()
export class SchemaWriter {
  constructor(
    private readonly db: Database,
    private readonly registry: SchemaRegistry,
  ) {}

  async change<T>(fn: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await this.db.transaction(async () => {
        // Serialise schema changes across instances: the version row is the lock.
        await this.db.query(LOCK_SCHEMA_STATE_SQL);
        const out = await fn();
        await this.registry.bumpVersion();
        return out;
      });
    } catch (error) {
      throw schemaError(error);
    }
    await this.registry.reload();
    return result;
  }

  /** Inserts a row into a system table from a column → value map (values bound). */
  async insertRow(table: string, row: Record<string, unknown>): Promise<void> {
    await this.systemQuery(table, compileSystemInsert(table, row));
  }

  /** A statement on a system table; a value error names that table (PostgreSQL doesn't, e.g. for VALUE_TOO_LONG). */
  async systemQuery(table: string, statement: WriteStatement): Promise<void> {
    try {
      await this.db.run(statement);
    } catch (error) {
      throw mapDatabaseError(error, { collection: table }) ?? error;
    }
  }
}

/** PostgreSQL error classes that mean "this schema change can't be made as asked", not a server fault. */
const CLIENT_ERROR_CLASSES = ['22', '23', '42', '0A'];

/**
 * A DDL statement rejected by PostgreSQL (a default that doesn't fit the type, an index name already taken, a foreign
 * key between incompatible types, ...) is the client's bad input: 400, never 500. Constraint errors keep their
 * Directus code (RECORD_NOT_UNIQUE, CONTAINS_NULL_VALUES, INVALID_FOREIGN_KEY, ...).
 */
function schemaError(error: unknown): unknown {
  if (error instanceof DirectusError) return error;
  const mapped = mapDatabaseError(error);
  if (mapped) return mapped;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.length === 5 && CLIENT_ERROR_CLASSES.includes(code.slice(0, 2))) {
    return new InvalidPayloadError((error as Error).message);
  }
  return error;
}
