import { Injectable } from '@nestjs/common';
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
    const result = await this.db.transaction(async () => {
      // Serialise schema changes across instances: the version row is the lock.
      await this.db.query('SELECT 1 FROM "tessera_schema_state" WHERE "id" = 1 FOR UPDATE');
      const out = await fn();
      await this.registry.bumpVersion();
      return out;
    });
    await this.registry.reload();
    return result;
  }

  /** Inserts a row into a system table from a column → value map (values bound). */
  async insertRow(table: string, row: Record<string, unknown>): Promise<void> {
    const keys = Object.keys(row);
    await this.db.query(
      `INSERT INTO "${table}" (${keys.map((k) => `"${k}"`).join(', ')}) VALUES (${keys.map((_, i) => `$${i + 1}`).join(', ')})`,
      keys.map((k) => row[k]),
    );
  }
}
